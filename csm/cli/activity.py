"""`csm log` and `csm todo ...`: the interaction log and the to-do list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AccountFilter, AsOf, Format, OutputFormat, check_choice, parse_day
from csm.cli.reporting import emit_models
from csm.cli.state import AppState, state
from csm.domain.words import INTERACTION_KINDS, SENTIMENTS
from csm.render.listing import Column
from csm.render.safe import echo

if TYPE_CHECKING:
    from csm.reports.logged import Logged
    from csm.reports.models import TodoOut

todo_app = typer.Typer(help="Your to-do list: add, list, done, defer, assign, dismiss.", no_args_is_help=True)


def log(
    account: Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix.")],
    summary: Annotated[str, typer.Option("--summary", "-s", help="What happened, in a sentence or two.")],
    kind: Annotated[str, typer.Option("--kind", "-k", help=f"One of: {', '.join(INTERACTION_KINDS)}.")] = "note",
    on: Annotated[
        str | None,
        typer.Option(
            "--date", help="When it happened (default today; YYYY-MM-DD, yesterday, last friday...).", metavar="DATE"
        ),
    ] = None,
    next_steps: Annotated[str | None, typer.Option("--next", help="The next step; it becomes a to-do.")] = None,
    next_due: Annotated[
        str | None,
        typer.Option(
            "--next-due",
            help="When the next step is due (default a week later; YYYY-MM-DD, +3d, next friday...).",
            metavar="DATE",
        ),
    ] = None,
    attendees: Annotated[list[str] | None, typer.Option("--with", help="A contact who took part (repeatable).")] = None,
    sentiment: Annotated[
        str | None,
        typer.Option(
            "--sentiment",
            help=f"How it went: {', '.join(SENTIMENTS)}; it counts in health's sentiment.",
            metavar="MOOD",
        ),
    ] = None,
    share: Annotated[
        bool,
        typer.Option(
            "--share/--private",
            help="Shared: the customer may read it (the EBR's 'done and learned' and action items use only shared "
            "entries). Private by default.",
        ),
    ] = False,
) -> None:
    """Log a call, e-mail, meeting, EBR, QBR or note with an account."""
    from csm.domain.words import logged_words

    logged = log_activity(
        state(), account, kind=kind, summary=summary, on=on, next_steps=next_steps, next_due=next_due,
        attendees=attendees or [], sentiment=sentiment, shared=share,
    )  # fmt: skip
    echo(f"Logged {logged_words(logged.kind, logged.account, logged.on)}" + (" (shared)." if share else "."))
    if logged.todo is not None:
        echo(f"To-do {logged.todo.id}: {logged.todo.title} (due {logged.todo.due})")
    if logged.open_steps:
        echo(f"Playbook steps still open for {logged.account}; if this did one, mark it done:")
        for step in logged.open_steps:
            echo(f"  csm todo done {step.id}   {step.title} (due {step.due})")
        if logged.more_steps:
            echo(f"  … and {logged.more_steps} more: csm todo list")


# Kinds of interaction that can be what a playbook step asks for (a call, a meeting, an e-mail), and how many of the
# account's open steps `csm log` then lists.
STEP_KINDS = ("call", "email", "meeting", "ebr", "qbr")
MAX_STEPS_SHOWN = 3


def log_activity(
    app_state: AppState,
    account: str,
    *,
    kind: str,
    summary: str,
    on: str | None = None,
    next_steps: str | None = None,
    next_due: str | None = None,
    attendees: list[str],
    sentiment: str | None = None,
    shared: bool = False,
) -> Logged:
    """Log an interaction (its next step becomes a to-do), all or nothing: what `csm log` does."""
    from csm.db.accounts import resolve_account
    from csm.db.activity import log_interaction
    from csm.domain.decisions import lasting_id
    from csm.reports.actions import steps_due_soon
    from csm.reports.logged import Logged, LoggedTodo, OpenStep

    today = app_state.today()
    checked_kind = check_choice(kind, INTERACTION_KINDS, "--kind")
    assert checked_kind is not None
    mood = check_choice(sentiment, SENTIMENTS, "--sentiment")
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        interaction, task = log_interaction(
            session,
            found,
            kind=checked_kind,
            summary=summary,
            on=parse_day(on, option="--date", today=today) if on else today,
            next_steps=next_steps,
            next_due=parse_day(next_due, option="--next-due", today=today) if next_due else None,
            attendees=attendees,
            sentiment=mood,
            shared=shared,
        )
    # read once the session has committed: the to-do has its id then
    assert task is None or task.id is not None
    assert found.id is not None
    steps = steps_due_soon(app_state, found.id, today) if checked_kind in STEP_KINDS else []
    return Logged(
        account=found.name, kind=interaction.kind, on=interaction.occurred_on, summary=interaction.summary,
        attendees=interaction.attendees,
        todo=LoggedTodo(task.id, task.title, task.due) if task is not None and task.id is not None else None,
        open_steps=tuple(OpenStep(lasting_id(t.rule_key, str(t.id)), t.title, t.effective_due)
                         for t in steps[:MAX_STEPS_SHOWN] if t.rule_key),
        more_steps=max(0, len(steps) - MAX_STEPS_SHOWN),
    )  # fmt: skip


@todo_app.command("add")
def todo_add(
    text: Annotated[str, typer.Argument(help="What to do.")],
    account: Annotated[str | None, typer.Option("--account", "-a", help="The account it is for.")] = None,
    due: Annotated[
        str | None,
        typer.Option("--due", help="YYYY-MM-DD, today, tomorrow, +3d, +2w, next friday, in 2 weeks.", metavar="DATE"),
    ] = None,
) -> None:
    """Add a to-do."""
    from csm.db.accounts import resolve_account
    from csm.db.activity import add_task

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        found = resolve_account(session, account) if account else None
        task = add_task(
            session, text, account=found, due=parse_day(due, option="--due", today=today) if due else None, today=today
        )
    echo(f"Added to-do {task.id}" + (f" for {found.name}" if found else "") + ".")


@todo_app.command("list")
def todo_list(
    output_format: Format = OutputFormat.table,
    account: AccountFilter = None,
    explain: Annotated[bool, typer.Option("--explain", help="Print each urgency term (taskwarrior-style).")] = False,
    mine: Annotated[
        bool | None,
        typer.Option(
            "--mine/--all-owners",
            help="Only your accounts' to-dos, and of the playbook steps your own and those you handed out that are late.",
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Print every to-do, not just what fits the screen.")] = False,
    as_of: AsOf = None,
) -> None:
    """Open to-dos, the most urgent first: yours, and those that renewal, EBR, touch and other rules raise."""
    if output_format == OutputFormat.table and explain:
        from csm.render.console import print_urgency
        from csm.render.listing import screen_rows

        limit = None if show_all else screen_rows()
        shown, total = open_todos(state(), account=account, mine=mine, as_of=as_of, explain=True, limit=limit)
        print_urgency(shown, more=total - len(shown))
        return
    from csm.render.listing import screen_rows
    from csm.render.today import as_listed

    limit = screen_rows() if output_format == OutputFormat.table and not show_all else None
    todos, total = open_todos(state(), account=account, mine=mine, as_of=as_of, explain=explain, limit=limit)
    emit_models(
        todos,
        output_format,
        row=lambda todo: with_deferral(as_listed(todo)),
        title=f"To-dos ({total})",
        total=total,
        columns=[
            Column("id", "ID", "right"),
            Column("urgency", "Urg", "right"),
            Column("due", "Due"),
            Column("kind", "Kind"),
            Column("account", "Account"),
            Column("title", "To-do"),
            Column("deferred", "Deferred"),
        ],
        empty="Nothing to do. Add one with 'csm todo add TEXT'.",
        show_all=show_all,
    )


def with_deferral(todo: TodoOut) -> dict[str, object]:
    """A to-do's row with its deferrals in words, the CSM's reason with them ("twice: Tom on vacation")."""
    from csm.domain.words import deferred_words
    from csm.render.listing import plain

    words = deferred_words(todo.deferrals, todo.defer_reason).removeprefix("deferred ")
    return {**plain(todo), "deferred": words or None}


def open_todos(
    app_state: AppState,
    *,
    account: str | None = None,
    account_id: int | None = None,
    mine: bool | None = None,
    as_of: str | None = None,
    explain: bool = False,
    limit: int | None = None,
) -> tuple[list[TodoOut], int]:
    """The day's open to-dos of the book (or one account, by name or id), the most urgent first, as `csm todo list
    --format json` prints them: the first `limit` of them (all by default), and how many there are."""
    from csm.cli.options import iso_day
    from csm.db.lookup import find_account
    from csm.reports.cache import cached_worklist
    from csm.reports.items import mine_or_late, todo_out, waiting_last

    config = app_state.config
    day = app_state.today(iso_day(as_of))
    if account:
        account_id = find_account(app_state.runner, account)[0]
    scope = app_state.scope(mine=False if account_id else mine, account_id=account_id)
    worklist = cached_worklist(
        app_state.runner, app_state.location, scope, day, app_state.zone, config, keep=day == app_state.today()
    )
    todos = waiting_last(mine_or_late(worklist.todos, day) if mine else worklist.todos, day)
    return [todo_out(t, day, config, explain=explain) for t in todos[:limit]], len(todos)


TodoId = Annotated[str, typer.Argument(help="The to-do's id, as 'csm todo list' shows it (a number or letters).")]


@todo_app.command("done")
def todo_done(task_id: TodoId) -> None:
    """Mark a to-do as done; one a rule raised stays quiet while the facts it was raised on hold."""
    from csm.reports.actions import decide_todo

    outcome = decide_todo(state(), task_id, "done")
    echo(f"Done: {outcome.title}")


@todo_app.command("defer")
def todo_defer(
    task_id: TodoId,
    until: Annotated[
        str,
        typer.Option(
            "--until", help="The day to see it again: YYYY-MM-DD, +3d, +1w, next monday, in 2 weeks.", metavar="DATE"
        ),
    ],
    reason: Annotated[str | None, typer.Option("--reason", help="Why it waits.")] = None,
) -> None:
    """Defer a to-do to a later day; deferrals are counted."""
    from csm.domain.words import deferred_words
    from csm.reports.actions import decide_todo

    app_state = state()
    outcome = decide_todo(
        app_state, task_id, "deferred", until=parse_day(until, option="--until", today=app_state.today()), reason=reason
    )
    echo(f"Deferred to {outcome.until} ({deferred_words(outcome.deferrals, None)}): {outcome.title}")


@todo_app.command("assign")
def todo_assign(
    task_id: TodoId,
    to: Annotated[
        str,
        typer.Option("--to", help='me, ae, support, manager, exec, an e-mail, or "Name <e-mail>".', metavar="OWNER"),
    ],
) -> None:
    """Hand a playbook step, or a to-do you wrote down, to someone; it shows as '→ AE: Dana Lee'."""
    from csm.reports.actions import assign_todo

    outcome = assign_todo(state(), task_id, to)
    echo(f"Handed to {outcome.handed_to or 'you'}: {outcome.title}")


@todo_app.command("dismiss")
def todo_dismiss(
    task_id: TodoId,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it does not apply.")] = None,
) -> None:
    """Dismiss a to-do that does not apply; one a rule raised comes back only when its facts change."""
    from csm.reports.actions import decide_todo

    outcome = decide_todo(state(), task_id, "dismissed", reason=reason)
    echo(f"Dismissed: {outcome.title}")


def register(app: typer.Typer) -> None:
    app.command()(log)
    app.add_typer(todo_app, name="todo")
