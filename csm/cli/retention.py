"""`csm renew`, `csm churn`, `csm metrics` and `csm team`: renewal outcomes, retention, and the team roll-up."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat, iso_day, parse_day
from csm.cli.state import state
from csm.domain.words import money, plural

if TYPE_CHECKING:
    from csm.domain.retention import Period

AccountArg = Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix of the name.")]
On = Annotated[
    str | None,
    typer.Option("--on", help="The day it happened (default today; YYYY-MM-DD, yesterday, -3d...).", metavar="DATE"),
]
Mine = Annotated[
    bool | None, typer.Option("--mine/--all-owners", help="Only your accounts (default when the config names you).")
]


def renew(
    account: AccountArg,
    on: On = None,
    arr: Annotated[
        float | None, typer.Option("--arr", help="The renewal's ARR (default: the ARR it had).", min=0, metavar="N")
    ] = None,
    term: Annotated[
        int | None,
        typer.Option(
            "--term", help="The new term in months (default: the contract's length, else 12).", min=1, max=120
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="The new renewal date, instead of --term (YYYY-MM-DD, +1y...).", metavar="DATE"),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Your words on the renewal.")] = None,
) -> None:
    """Record a renewal: its day, the ARR before and after, and the new term. The renewal date moves forward
    and the renewal's open to-dos and risks are closed as done."""
    from csm.reports.outcomes import record_renewal

    if term is not None and until is not None:
        raise typer.BadParameter("give --term or --until, not both", param_hint="--term / --until")
    app_state = state()
    today = app_state.today()
    recorded = record_renewal(
        app_state, account, on=parse_day(on, option="--on", today=today) if on else None, arr=arr, term_months=term,
        until=parse_day(until, option="--until", today=today) if until else None, note=note,
    )  # fmt: skip
    o = recorded.outcome
    change = ""
    if o.before is not None and o.before > 0 and round(o.before, 2) != round(o.after, 2):
        change = f" ({(o.after - o.before) / o.before:+.0%} on {money(o.before, recorded.currency)})"
    due = f"the renewal of {o.renewal_due}" if o.renewal_due else "a renewal"
    typer.echo(
        f"Recorded {due} for {recorded.account} on {o.on} at {money(o.after, recorded.currency)}{change}; "
        f"renews next on {o.renewed_until} ({o.term_months} months)."
    )
    if recorded.closed:
        typer.echo(
            f"Closed {plural(len(recorded.closed), 'renewal to-do or risk', 'renewal to-dos and risks')}: "
            + "; ".join(recorded.closed)
        )


def churn(
    account: AccountArg,
    reason: Annotated[
        str, typer.Option("--reason", help="Why, from the config's retention.churn_reasons.", metavar="REASON")
    ],
    on: On = None,
    note: Annotated[str | None, typer.Option("--note", help="Your own words: what happened.", metavar="TEXT")] = None,
) -> None:
    """Record a lost customer: ARR to 0, stage churned, with the reason (reasons: csm config show)."""
    from csm.reports.outcomes import record_churn

    app_state = state()
    recorded = record_churn(
        app_state,
        account,
        on=parse_day(on, option="--on", today=app_state.today()) if on else None,
        reason=reason,
        note=note,
    )
    o = recorded.outcome
    lost = f" ({money(o.before, recorded.currency)} ARR lost)" if o.before else ""
    said = (recorded.reason or reason).replace("_", " ")
    typer.echo(f"Recorded {recorded.account} as churned on {o.on}{lost}: {said}.")
    if recorded.closed:
        typer.echo(
            f"Closed {plural(len(recorded.closed), 'renewal to-do or risk', 'renewal to-dos and risks')}: "
            + "; ".join(recorded.closed)
        )


class GroupBy(StrEnum):
    segment = "segment"
    owner = "owner"


def metrics(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="A quarter (2027Q1), month (2027-03) or year (2027); default this quarter.",
            metavar="PERIOD",
        ),
    ] = None,
    from_day: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day of a period of your own (YYYY-MM-DD, -30d, last month...).", metavar="DATE"
        ),
    ] = None,
    to_day: Annotated[
        str | None, typer.Option("--to", help="Last day of it (default: --as-of, else today).", metavar="DATE")
    ] = None,
    by: Annotated[GroupBy | None, typer.Option("--by", help="Also per segment or per owner.")] = None,
    mine: Mine = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Retention for a period: GRR, NRR, logo retention, expansion, contraction and churn over the accounts active
    on its first day; new logos apart; renewals due and churn reasons. A running period shows figures to date."""
    from csm.cli.reporting import emit_model
    from csm.errors import InputError
    from csm.render.listing import emit
    from csm.render.retention import metrics_cards
    from csm.reports.retention import metrics as metrics_report

    app_state = state()
    day = app_state.today(iso_day(as_of))
    chosen = resolve_period(period, from_day, to_day, day)
    if chosen is None:
        raise InputError("give --period, or --from (with --to), not both")
    report = metrics_report(
        app_state.runner, app_state.scope(mine=mine), chosen, day, app_state.config, by=by.value if by else None
    )
    if output_format == OutputFormat.json:
        emit_model(report)
    else:
        for card in metrics_cards(report):
            emit(card, output_format)


def resolve_period(period: str | None, from_day: str | None, to_day: str | None, as_of: date) -> Period | None:
    """--period, or --from/--to, or this quarter; None when both kinds are given. A bad period is one line, exit 1."""
    from csm.domain.retention import parse_period, quarter, span
    from csm.errors import InputError

    if period is not None and (from_day is not None or to_day is not None):
        return None
    if period is not None:
        try:
            return parse_period(period)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    if from_day is None and to_day is not None:
        raise InputError("--to needs --from: the first day of the period")
    if from_day is not None:
        start = parse_day(from_day, option="--from", today=as_of)
        return span(start, parse_day(to_day, option="--to", today=as_of) if to_day else as_of)
    return quarter(as_of)


def team(
    owner: Annotated[
        str | None, typer.Option("--owner", help="One owner's page for the monthly 1:1 (an e-mail or a CRM name).")
    ] = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """The team roll-up, one row per owner: accounts and ARR, ARR renewing in 90 days and the part at risk, open
    critical and high risks, overdue to-dos, quarter-to-date GRR and NRR, the stalest account. With --owner, that
    owner's 1:1 page (--format md to paste it)."""
    from csm.cli.reporting import emit_model
    from csm.db.scope import Scope
    from csm.errors import NotFoundError
    from csm.render.listing import emit
    from csm.render.retention import one_on_one_card, team_card
    from csm.reports.judge import judge
    from csm.reports.team import team as team_report

    app_state = state()
    day = app_state.today(iso_day(as_of))
    config = app_state.config
    scope = Scope()
    if owner is not None:
        wanted = owner.strip().lower()
        mine = (config.owner, *config.owner_aliases) if config.owner else ()
        scope = Scope(owners=tuple(o for o in mine if o) if wanted in mine else (wanted,))
    judgement = judge(app_state.runner, scope, day, app_state.zone, config, facts=True)
    report = team_report(app_state.runner, scope, judgement, config, owner=owner.strip() if owner else None)
    if owner is not None and not report.pages:
        raise NotFoundError(f"no account in the book is owned by {owner!r}; 'csm team' lists the owners")
    if output_format == OutputFormat.json:
        emit_model(report.pages[0] if owner is not None else report)
    else:
        emit(one_on_one_card(report.pages[0]) if owner is not None else team_card(report), output_format)


def register(app: typer.Typer) -> None:
    app.command()(renew)
    app.command()(churn)
    app.command()(metrics)
    app.command()(team)
