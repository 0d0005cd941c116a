"""`csm log` and `csm todo ...`: the interaction log and the to-do list."""

from __future__ import annotations

from typing import Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat, check_choice, id_argument, parse_day
from csm.cli.reporting import emit_models, evaluate_book
from csm.cli.state import state
from csm.domain.words import INTERACTION_KINDS
from csm.render.listing import Column
from csm.render.safe import echo

todo_app = typer.Typer(help="Your to-do list: add, list, done, defer.", no_args_is_help=True)


def log(
    account: Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix.")],
    summary: Annotated[str, typer.Option("--summary", "-s", help="What happened, in a sentence or two.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help=f"One of: {', '.join(INTERACTION_KINDS)}.")] = "note",
    on: Annotated[str | None, typer.Option("--date", help="When it happened (default today).")] = None,
    next_steps: Annotated[str | None, typer.Option("--next", help="The next step; it becomes a to-do.")] = None,
    next_due: Annotated[
        str | None, typer.Option("--next-due", help="When the next step is due (default a week later).")
    ] = None,
    attendees: Annotated[list[str] | None, typer.Option("--with", help="A contact who took part (repeatable).")] = None,
) -> None:
    """Log a call, e-mail, meeting, EBR, QBR or note with an account."""
    from csm.db.accounts import resolve_account
    from csm.db.activity import log_interaction

    app_state = state()
    today = app_state.today()
    checked_kind = check_choice(kind, INTERACTION_KINDS, "--kind")
    assert checked_kind is not None
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        interaction, task = log_interaction(
            session,
            found,
            kind=checked_kind,
            summary=summary,
            on=parse_day(on, today=today) if on else today,
            next_steps=next_steps,
            next_due=parse_day(next_due, today=today) if next_due else None,
            attendees=attendees or [],
        )
    echo(f"Logged a {interaction.kind} with {found.name} on {interaction.occurred_on}.")
    if task is not None:
        echo(f"To-do {task.id}: {task.title} (due {task.due})")


@todo_app.command("add")
def todo_add(
    text: Annotated[str, typer.Argument(help="What to do.")],
    account: Annotated[str | None, typer.Option("--account", "-a", help="The account it is for.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="YYYY-MM-DD, today, tomorrow, +3d, +2w.")] = None,
) -> None:
    """Add a to-do."""
    from csm.db.accounts import resolve_account
    from csm.db.activity import add_task

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        found = resolve_account(session, account) if account else None
        task = add_task(session, text, account=found, due=parse_day(due, today=today) if due else None, today=today)
    echo(f"Added to-do {task.id}" + (f" for {found.name}" if found else "") + ".")


@todo_app.command("list")
def todo_list(
    output_format: Format = OutputFormat.table,
    account: Annotated[str | None, typer.Option("--account", "-a", help="Only this account's to-dos.")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print each urgency term (taskwarrior-style).")] = False,
    mine: Annotated[bool | None, typer.Option("--mine/--all-owners", help="Only your accounts' to-dos.")] = None,
    as_of: AsOf = None,
) -> None:
    """Open to-dos, the most urgent first: yours, and those that renewal, EBR, touch and other rules raise."""
    from csm.reports.portfolio import todo_out

    evaluation, _scope = evaluate_book(as_of, mine=mine, account=account)
    todos = [todo_out(t, evaluation.as_of, explain=explain) for t in evaluation.todos]
    if output_format == OutputFormat.table and explain:
        from csm.render.console import print_urgency

        print_urgency(todos)
        return
    emit_models(
        todos,
        output_format,
        title=f"To-dos ({len(todos)})",
        columns=[
            Column("id", "ID", "right"),
            Column("urgency", "Urg", "right"),
            Column("due", "Due"),
            Column("kind", "Kind"),
            Column("account", "Account"),
            Column("title", "To-do"),
            Column("deferrals", "Deferred", "right"),
        ],
        empty="Nothing to do. Add one with 'csm todo add TEXT'.",
    )


@todo_app.command("done")
def todo_done(task_id: Annotated[int, id_argument("The to-do's id (see 'csm todo list').")]) -> None:
    """Mark a to-do as done."""
    from csm.db.activity import complete_task

    app_state = state()
    with app_state.book.session() as session:
        task = complete_task(session, task_id, today=app_state.today())
    echo(f"Done: {task.title}")


@todo_app.command("defer")
def todo_defer(
    task_id: Annotated[int, id_argument("The to-do's id (see 'csm todo list').")],
    until: Annotated[str, typer.Option("--until", help="The day to see it again: YYYY-MM-DD, +3d, +1w.")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why it waits.")] = None,
) -> None:
    """Defer a to-do to a later day; deferrals are counted."""
    from csm.db.activity import defer_task

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        task = defer_task(session, task_id, until=parse_day(until, today=today), reason=reason, today=today)
    times = "once" if task.deferrals == 1 else f"{task.deferrals} times"
    echo(f"Deferred to {task.deferred_until} (deferred {times}): {task.title}")


def register(app: typer.Typer) -> None:
    app.command()(log)
    app.add_typer(todo_app, name="todo")
