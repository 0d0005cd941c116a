"""`csm risk`: the book's risks, raised by the rules or logged by hand; resolve or snooze them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import (
    AccountFilter,
    AsOf,
    Format,
    OutputFormat,
    check_choice,
    default_group,
    one_account,
    parse_day,
)
from csm.cli.reporting import emit_models
from csm.cli.state import AppState, state
from csm.domain.words import RISK_CATEGORIES, RISK_SEVERITIES
from csm.render.listing import Column
from csm.render.safe import echo

if TYPE_CHECKING:
    from csm.reports.logged import LoggedRisk
    from csm.reports.models import RiskOut
    from csm.reports.playbook_models import RiskDetail

risk_app = typer.Typer(
    cls=default_group("list"),
    help="Risks: list them (the default), show one with its playbook, log one by hand, resolve or snooze.",
)
AccountArg = Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix.")]


@risk_app.command("list")
def risk_list(
    account: Annotated[str | None, typer.Argument(help="Only this account's risks.")] = None,
    category: Annotated[str | None, typer.Option("--category", help=f"One of: {', '.join(RISK_CATEGORIES)}.")] = None,
    min_severity: Annotated[str | None, typer.Option("--min-severity", help="low, medium, high or critical.")] = None,
    mine: Annotated[
        bool | None, typer.Option("--mine/--all-owners", help="Only your accounts (default when the config names you).")
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Print every risk, not just what fits the screen.")] = False,
    account_option: AccountFilter = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Open risks in the six categories, most severe first, each with its evidence and first response."""
    account = one_account(account, account_option)
    risks = open_risks(state(), account=account, category=category, min_severity=min_severity, mine=mine, as_of=as_of)
    emit_models(
        risks,
        output_format,
        title=f"Risks ({len(risks)})",
        columns=[
            Column("id", "ID", "right"),
            Column("severity", "Severity"),
            Column("category", "Category"),
            Column("account", "Account"),
            Column("evidence", "Evidence"),
        ],
        empty="No open risks.",
        show_all=show_all,
    )


def open_risks(
    app_state: AppState,
    *,
    account: str | None = None,
    category: str | None = None,
    min_severity: str | None = None,
    mine: bool | None = None,
    as_of: str | None = None,
) -> list[RiskOut]:
    """The day's open risks of the book (or one account), most severe first: what `csm risk --format json` prints."""
    from csm.cli.options import iso_day
    from csm.db.lookup import find_account
    from csm.reports.cache import cached_worklist
    from csm.reports.items import risk_out

    wanted = check_choice(category, RISK_CATEGORIES, "--category")
    floor = check_choice(min_severity, RISK_SEVERITIES, "--min-severity")
    day = app_state.today(iso_day(as_of))
    account_id = find_account(app_state.runner, account)[0] if account else None
    scope = app_state.scope(mine=False if account_id else mine, account_id=account_id)
    worklist = cached_worklist(
        app_state.runner, app_state.location, scope, day, app_state.zone, app_state.config, todos=False
    )
    return [
        risk_out(r, day)
        for r in worklist.risks
        if (wanted is None or r.category == wanted)
        and (floor is None or RISK_SEVERITIES.index(r.severity) >= RISK_SEVERITIES.index(floor))
    ]


@risk_app.command("add")
def risk_add(
    account: AccountArg,
    category: Annotated[str, typer.Option("--category", help=f"One of: {', '.join(RISK_CATEGORIES)}.")],
    evidence: Annotated[str, typer.Option("--evidence", help="What you saw, in words and numbers.")],
    severity: Annotated[str, typer.Option("--severity", help="low, medium, high or critical.")] = "medium",
    owner: Annotated[str | None, typer.Option("--owner", help="Who owns the response (default: you).")] = None,
) -> None:
    """Log a risk you saw that no rule would catch (acquisition, budget cut, new priorities...)."""
    logged = log_risk(state(), account, category=category, evidence=evidence, severity=severity, owner=owner)
    echo(f"Logged risk {logged.id} ({logged.severity} {logged.category}) for {logged.account}.")
    echo(f"First response: {logged.first_response}")


def log_risk(
    app_state: AppState, account: str, *, category: str, evidence: str, severity: str = "medium", owner: str | None
) -> LoggedRisk:
    """A risk logged by hand, with the config's playbook as its first response; all or nothing."""
    from csm.db.accounts import resolve_account
    from csm.db.plans import add_risk
    from csm.reports.logged import LoggedRisk

    config = app_state.config
    checked_category = check_choice(category, RISK_CATEGORIES, "--category")
    checked_severity = check_choice(severity, RISK_SEVERITIES, "--severity")
    assert checked_category is not None and checked_severity is not None
    with app_state.book.session() as session:
        found = resolve_account(session, account)
        risk = add_risk(
            session,
            found,
            category=checked_category,
            severity=checked_severity,
            evidence=evidence,
            owner=owner or config.owner,
            playbook=config.response(checked_category),
            today=app_state.today(),
        )
    assert risk.id is not None
    return LoggedRisk(risk.id, found.name, risk.category, risk.severity, risk.evidence, risk.owner,
                      risk.first_response)  # fmt: skip


RiskId = Annotated[str, typer.Argument(help="The risk's id, as 'csm risk list' shows it (a number or letters).")]


@risk_app.command("resolve")
def risk_resolve(risk_id: RiskId) -> None:
    """Mark a risk as resolved; one a rule raised stays quiet while its situation lasts, and comes back if it
    ends and begins again."""
    from csm.reports.actions import decide_risk

    outcome = decide_risk(state(), risk_id, "resolved")
    typer.echo(f"Resolved: {outcome.title}")


@risk_app.command("snooze")
def risk_snooze(
    risk_id: RiskId,
    until: Annotated[
        str,
        typer.Option(
            "--until", help="When to raise it again: YYYY-MM-DD, +3d, next monday, in 2 weeks.", metavar="DATE"
        ),
    ],
) -> None:
    """Quiet a risk until a later day."""
    from csm.reports.actions import decide_risk

    app_state = state()
    outcome = decide_risk(
        app_state, risk_id, "snoozed", until=parse_day(until, option="--until", today=app_state.today())
    )
    typer.echo(f"Snoozed until {outcome.until}: {outcome.title}")


@risk_app.command("show")
def risk_show(
    risk_id: RiskId,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """One risk: its evidence, its response, its playbook and each step's state, and what became of earlier runs."""
    from csm.cli.reporting import emit_model
    from csm.render.listing import emit
    from csm.render.playbooks import risk_card

    detail = show_risk(state(), risk_id, as_of=as_of)
    if output_format == OutputFormat.json:
        emit_model(detail)
        return
    emit(risk_card(detail), output_format)


def show_risk(app_state: AppState, risk_id: str, *, as_of: str | None = None) -> RiskDetail:
    """The risk with this id on the day (open, or one no longer open that the CSM decided about)."""
    from csm.cli.options import iso_day
    from csm.reports.cache import cached_worklist
    from csm.reports.playbooks import risk_detail

    day = app_state.today(iso_day(as_of))
    scope = app_state.scope(mine=False)
    worklist = cached_worklist(
        app_state.runner, app_state.location, scope, day, app_state.zone, app_state.config, todos=False
    )
    return risk_detail(app_state.runner, scope, risk_id, day, app_state.zone, app_state.config, worklist.risks)


def register(app: typer.Typer) -> None:
    app.add_typer(risk_app, name="risk")
