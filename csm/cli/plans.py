"""`csm plan` and `csm request`: success plans and feature requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import (
    AccountFilter,
    Format,
    OutputFormat,
    check_choice,
    default_group,
    finite_number,
    id_argument,
    one_account,
    parse_day,
)
from csm.cli.state import state
from csm.domain.words import GOAL_STATUSES, VALUE_TYPES
from csm.render.listing import Column, Listing, emit
from csm.render.safe import echo

if TYPE_CHECKING:
    from csm.db.plans import GoalFields

plan_app = typer.Typer(
    cls=default_group("show"),
    help="Success plans: the customer's goals, how they are measured, and what the customer confirmed.",
)
request_app = typer.Typer(cls=default_group("list"), help="Feature requests: log one, or list them.")

AccountArg = Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix.")]
Metric = Annotated[str | None, typer.Option("--metric", help="What is measured, e.g. 'hours per report'.")]
Unit = Annotated[str | None, typer.Option("--unit", help="Unit of the metric, e.g. hours, %, $.")]
Baseline = Annotated[
    float | None,
    typer.Option("--baseline", help="The metric before csm's product.", parser=finite_number(), metavar="NUMBER"),
]
Target = Annotated[
    float | None,
    typer.Option("--target", help="The metric the customer wants to reach.", parser=finite_number(), metavar="NUMBER"),
]
Current = Annotated[
    float | None, typer.Option("--current", help="The metric now.", parser=finite_number(), metavar="NUMBER")
]
Due = Annotated[
    str | None,
    typer.Option("--due", help="When it should be reached (YYYY-MM-DD, +6w, next month...).", metavar="DATE"),
]
Status = Annotated[str | None, typer.Option("--status", help=f"One of: {', '.join(GOAL_STATUSES)}.")]
ValueType = Annotated[str | None, typer.Option("--value", help="Why they bought: make_money, save_money or save_time.")]
Evidence = Annotated[str | None, typer.Option("--evidence", help="Proof of progress (metrics, before/after).")]


def _goal_fields(
    *,
    metric: str | None,
    unit: str | None,
    value: str | None,
    baseline: float | None,
    target: float | None,
    current: float | None,
    due: str | None,
    status: str | None,
    evidence: str | None,
) -> GoalFields:
    from csm.db.plans import GoalFields

    return GoalFields(
        metric=metric,
        unit=unit,
        value_type=check_choice(value, VALUE_TYPES, "--value"),
        baseline=baseline,
        target=target,
        current=current,
        due=parse_day(due, option="--due", today=state().today()) if due else None,
        status=check_choice(status, GOAL_STATUSES, "--status"),
        evidence=evidence,
    )


@plan_app.command("show")
def plan_show(account: AccountArg, output_format: Format = OutputFormat.table) -> None:
    """Show an account's success plan: goals, progress, milestones, and what the customer confirmed."""
    from csm.db.lookup import find_account
    from csm.render.plan import plan_card
    from csm.reports.plan import plan_view

    runner = state().runner
    account_id, name = find_account(runner, account)
    emit(plan_card(plan_view(runner, account_id, name)), output_format)


@plan_app.command("add")
def plan_add(
    account: AccountArg,
    title: Annotated[str, typer.Argument(help="The goal, in the customer's words.")],
    metric: Metric = None,
    unit: Unit = None,
    value: ValueType = None,
    baseline: Baseline = None,
    target: Target = None,
    current: Current = None,
    due: Due = None,
    status: Status = None,
    evidence: Evidence = None,
) -> None:
    """Add a success-plan goal with its measure."""
    from csm.db.accounts import resolve_account
    from csm.db.plans import add_goal

    app_state = state()
    fields = _goal_fields(
        metric=metric, unit=unit, value=value, baseline=baseline, target=target, current=current,
        due=due, status=status, evidence=evidence,
    )  # fmt: skip
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        goal = add_goal(session, found, title, fields, today=app_state.today())
    echo(f"Added goal {goal.id} to {found.name}'s success plan.")


@plan_app.command("update")
def plan_update(
    goal_id: Annotated[int, id_argument("The goal's id (see 'csm plan ACCOUNT').")],
    title: Annotated[str | None, typer.Option("--title", help="Reword the goal.")] = None,
    metric: Metric = None,
    unit: Unit = None,
    value: ValueType = None,
    baseline: Baseline = None,
    target: Target = None,
    current: Current = None,
    due: Due = None,
    status: Status = None,
    evidence: Evidence = None,
    confirmed_by: Annotated[
        str | None, typer.Option("--confirmed-by", help="Who at the customer confirmed the value (proven).")
    ] = None,
) -> None:
    """Record progress on a goal, or that the customer confirmed the value."""
    from csm.db.plans import update_goal

    app_state = state()
    fields = _goal_fields(
        metric=metric, unit=unit, value=value, baseline=baseline, target=target, current=current,
        due=due, status=status, evidence=evidence,
    )  # fmt: skip
    with app_state.book.session() as session:
        goal = update_goal(session, goal_id, fields, confirmed_by=confirmed_by, title=title, today=app_state.today())
    confirmed = f" (confirmed by {goal.confirmed_by})" if goal.customer_confirmed else ""
    echo(f"Updated goal {goal.id}: {goal.title}{confirmed}.")


@plan_app.command("milestone")
def plan_milestone(
    goal_id: Annotated[int, id_argument("The goal it leads to.")],
    title: Annotated[str, typer.Argument(help="The milestone.")],
    due: Due = None,
) -> None:
    """Add a milestone on the way to a goal."""
    from csm.db.plans import add_milestone

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        milestone = add_milestone(
            session, goal_id, title, due=parse_day(due, option="--due", today=today) if due else None
        )
    typer.echo(f"Added milestone {milestone.id} to goal {goal_id}.")


@plan_app.command("reached")
def plan_reached(milestone_id: Annotated[int, id_argument("The milestone's id.")]) -> None:
    """Mark a milestone as reached."""
    from csm.db.plans import complete_milestone

    app_state = state()
    with app_state.book.session() as session:
        milestone = complete_milestone(session, milestone_id, today=app_state.today())
    echo(f"Milestone reached: {milestone.title}")


@request_app.command("add")
def request_add(
    account: AccountArg,
    feature: Annotated[str, typer.Argument(help="The feature asked for.")],
    on: Annotated[
        str | None,
        typer.Option("--date", help="When it was asked for (default today; YYYY-MM-DD, last week...).", metavar="DATE"),
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Context: the use case, the workaround.")] = None,
) -> None:
    """Log a feature request; requests for the same feature add up across the book."""
    from csm.db.accounts import resolve_account
    from csm.db.plans import add_request

    app_state = state()
    today = app_state.today()
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        request = add_request(
            session, found, feature, on=parse_day(on, option="--date", today=today) if on else today, notes=notes
        )
    echo(f"Logged feature request {request.id} from {found.name}: {request.feature}")


@request_app.command("list")
def request_list(
    account: Annotated[str | None, typer.Argument(help="Only this account's requests.")] = None,
    account_option: AccountFilter = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """List feature requests by feature."""
    from csm.db.accounts import resolve_account
    from csm.db.plans import list_requests

    account = one_account(account, account_option)

    with state().book.session() as session:
        found = resolve_account(session, account) if account else None
        requests = list_requests(session, found)
    rows: list[dict[str, object]] = [
        {"id": r.id, "feature": r.feature, "account": name, "requested_on": r.requested_on, "notes": r.notes}
        for r, name in requests
    ]
    emit(
        Listing(
            title=f"Feature requests ({len(rows)})",
            columns=[
                Column("feature", "Feature"),
                Column("account", "Account"),
                Column("requested_on", "Asked"),
                Column("notes", "Notes"),
            ],
            rows=rows,
            empty="No feature requests logged. Log one with 'csm request add ACCOUNT FEATURE'.",
        ),
        output_format,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.add_typer(request_app, name="request")
