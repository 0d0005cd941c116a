"""`csm health`, `csm renewals`, `csm gaps`, `csm advocates`, `csm changes`: the book seen whole."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AccountFilter, AsOf, Format, OutputFormat, default_group, iso_day, one_account, parse_day
from csm.cli.reporting import emit_model, emit_models, judge_book, write_json_list
from csm.cli.state import AppState, state
from csm.domain.words import plural, possessive
from csm.limits import MAX_DAYS
from csm.render.listing import Column, emit, plain
from csm.render.safe import echo

if TYPE_CHECKING:
    from csm.reports.portfolio_models import GapOut, HealthOut, RenewalsReport

health_app = typer.Typer(
    cls=default_group("show"), help="Health scores with their components (the default), or record today's for trends."
)
Mine = Annotated[
    bool | None, typer.Option("--mine/--all-owners", help="Only your accounts (default when the config names you).")
]
ShowAll = Annotated[bool, typer.Option("--all", help="Print every row, not just what fits the screen.")]


@health_app.command("show")
def health_show(
    account: Annotated[str | None, typer.Argument(help="One account (default: the whole book).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show every component's inputs and contribution.")] = False,
    mine: Mine = None,
    show_all: ShowAll = False,
    account_option: AccountFilter = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Explainable health: a weighted 0-100 score, its band, confidence and trend."""
    from csm.render.portfolio import health_card, health_listing

    account = one_account(account, account_option)

    reports = health_scores(state(), account=account, mine=mine, as_of=as_of)
    if account:
        if output_format == OutputFormat.json:
            emit_model(reports[0])
        else:
            emit(health_card(reports[0], explain=explain), output_format)
    elif output_format == OutputFormat.json:
        write_json_list(reports)
    else:
        emit(health_listing(reports), output_format, show_all=show_all)


def health_scores(
    app_state: AppState, *, account: str | None = None, mine: bool | None = None, as_of: str | None = None
) -> list[HealthOut]:
    """Each account's health with its components' inputs (one account's alone when named), for a day."""
    from csm.reports.portfolio import health_reports

    judgement, _scope = judge_book(as_of, mine=mine, account=account, todos=False, trend=True, app_state=app_state)
    return health_reports(judgement, app_state.config)


class Band(StrEnum):
    red = "red"
    yellow = "yellow"
    green = "green"


@health_app.command("set")
def health_set(
    account: Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix of the name.")],
    band: Annotated[
        Band | None, typer.Option("--band", help="The band you judge the account to be in.", case_sensitive=False)
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why: shown beside the computed score.", metavar="TEXT")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="The last day it holds (default 30 days on; YYYY-MM-DD, +2w, next friday...).",
            metavar="DATE",
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="End the override in force today.")] = False,
    as_of: AsOf = None,
) -> None:
    """Override an account's health band with your own call, a reason and an expiry. The computed score stays
    beside it in health, prep and the EBR's internal view; the override ends on --until or with --clear."""
    from csm.reports.health import set_health_override

    if clear == (band is not None):
        raise typer.BadParameter("give --band (with --reason) or --clear", param_hint="--band / --clear")
    if band is not None and not (reason or "").strip():
        raise typer.BadParameter("say why you override the score", param_hint="--reason")
    app_state = state()
    today = app_state.today(iso_day(as_of))
    ends = parse_day(until, option="--until", today=today) if until else None
    name, held = set_health_override(
        app_state, account, band=band.value if band else None, reason=reason, on=today, until=ends
    )
    shown = health_scores(app_state, account=name, mine=False, as_of=today.isoformat())[0]
    score = "no score" if shown.score is None else f"{shown.score:g}, {shown.score_band}"
    if band is None:
        assert held is not None
        echo(
            f"Cleared your {held.band} call on {possessive(name)} health (set {held.set_on}); the score gives {score}."
        )
    else:
        assert shown.override is not None
        echo(
            f"{possessive(name)} health is {band.value} by your call until {shown.override.until}: {shown.override.reason} "
            f"(the score gives {score})."
        )


@health_app.command("snapshot")
def health_snapshot(as_of: AsOf = None) -> None:
    """Store today's health scores so that trends ('down 12 in 4 weeks') can be shown later."""
    from csm.db.health import store_snapshots

    judgement, _scope = judge_book(as_of, mine=False, todos=False)
    with state().book.session() as session:
        count = store_snapshots(session, judgement.as_of, judgement.health)
    typer.echo(f"Stored {count} health scores for {judgement.as_of}.")


def renewals(
    within: Annotated[int, typer.Option("--within", help="Days ahead to look.", min=0, max=MAX_DAYS)] = 180,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each renewal is forecast as it is.")] = False,
    mine: Mine = None,
    show_all: ShowAll = False,
    account: AccountFilter = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Renewals ahead (and overdue): date, ARR, health, open risks, and a forecast for each (commit, likely, at risk
    or lost, from health, risks, sentiment, "would renew" and the CRM's forecast); totals by month and quarter, and
    this quarter's ARR by forecast."""
    from csm.render.portfolio import renewals_card

    report = renewals_ahead(state(), within=within, mine=mine, as_of=as_of, account=account)
    if output_format == OutputFormat.json:
        emit_model(report)
        return
    emit(renewals_card(report, explain=explain), output_format, show_all=show_all)


def renewals_ahead(
    app_state: AppState,
    *,
    within: int = 180,
    mine: bool | None = None,
    as_of: str | None = None,
    account: str | None = None,
) -> RenewalsReport:
    """Renewals within `within` days of the day (and overdue ones), with totals by month and quarter."""
    from csm.reports.portfolio import renewals as renewals_report
    from csm.reports.portfolio import renewals_by

    judgement, _scope = judge_book(
        as_of, mine=mine, account=account, todos=False, renewing_by=lambda day: renewals_by(day, within),
        explain=False, app_state=app_state,  # a score and its band each: no health explained
    )  # fmt: skip
    return renewals_report(judgement, within, app_state.config)


def gaps(
    days: Annotated[
        int, typer.Option("--days", "-d", help="What comes due within N days: renewals and EBRs.", min=1, max=MAX_DAYS)
    ] = 90,
    mine: Mine = None,
    account: AccountFilter = None,
    show_all: ShowAll = False,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Product gaps: feature requests by feature, ranked by the ARR of the accounts asking, with what comes due at
    those accounts in the next 90 days (--days): the ARR renewing, and each renewal and EBR where the gap will come
    up."""
    from csm.render.portfolio import gap_rows

    found = product_gaps(state(), mine=mine, as_of=as_of, days=days, account=account)
    emit_models(
        found if output_format == OutputFormat.json else gap_rows(found),
        output_format,
        title=f"Product gaps ({plural(len(found), 'feature')})",
        columns=[
            Column("feature", "Feature"),
            Column("account_count", "Accounts", "right"),
            Column("arr", "ARR at stake", "right", money=True),
            Column("arr_renewing", f"Renewing in {days}d", "right", money=True),
            Column("who", f"Who (what comes due in {days}d)"),
        ],
        empty="No feature requests yet: 'csm request add ACCOUNT FEATURE' or 'csm import requests FILE'.",
        show_all=show_all,
    )


def product_gaps(
    app_state: AppState,
    *,
    mine: bool | None = None,
    as_of: str | None = None,
    days: int = 90,
    account: str | None = None,
) -> list[GapOut]:
    """Feature requests by feature, ranked by the ARR of the accounts asking, with what comes due within `days`."""
    from csm.reports.portfolio import gaps as gaps_report

    judgement, _scope = judge_book(as_of, mine=mine, account=account, risks=False, app_state=app_state)
    return gaps_report(app_state.runner, judgement, app_state.config, days=days)


def advocates(
    mine: Mine = None,
    account: AccountFilter = None,
    show_all: ShowAll = False,
    nearly: Annotated[
        bool,
        typer.Option("--nearly", help="JSON too lists the accounts nearly there, each with what is missing."),
    ] = False,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Likely advocates: promoters with green health and customer-confirmed goals (ask before you use a reference);
    then the accounts nearly there, one or two of those short, each with what is missing. JSON lists the
    candidates alone unless --nearly."""
    from csm.reports.portfolio import advocates as advocates_report

    # green health listens to the open risks
    judgement, _scope = judge_book(as_of, mine=mine, account=account, todos=False)
    found = advocates_report(state().runner, judgement, state().config)
    if output_format == OutputFormat.json:
        write_json_list(found if nearly else [a for a in found if a.candidate])
        return
    candidates = [a for a in found if a.candidate]
    emit_models(
        candidates,
        output_format,
        title=f"Advocate candidates ({len(candidates)})",
        columns=[
            Column("account", "Account"),
            Column("arr", "ARR", "right", money=True),
            Column("health", "Health", "right"),
            Column("latest_nps", "NPS", "right"),
            Column("confirmed_goals", "Proven goals", "right"),
            Column("contacts", "Who to ask"),
        ],
        empty="No advocate candidates yet: they need a promoter NPS, green health and a goal the customer confirmed.",
        show_all=show_all,
    )
    near = [a for a in found if not a.candidate]
    if near:
        typer.echo()
        emit_models(
            [{**plain(a), "missing": "; ".join(a.missing)} for a in near],
            output_format,
            title=f"Nearly there ({len(near)}): one or two criteria short",
            columns=[
                Column("account", "Account"),
                Column("arr", "ARR", "right", money=True),
                Column("missing", "What is missing"),
            ],
            empty="",
            show_all=show_all,
        )


def changes(
    since: Annotated[
        str,
        typer.Option(
            "--since", help="Show what changed after this day (YYYY-MM-DD, -7d, last week...).", metavar="DATE"
        ),
    ],
    mine: Mine = None,
    account: AccountFilter = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """What changed since a date: health, risks, renewals and churn recorded, ARR, and stakeholders."""
    from csm.reports.changes import changes_since

    app_state = state()
    start = parse_day(since, option="--since", today=app_state.today(iso_day(as_of)))
    judgement, scope = judge_book(as_of, mine=mine, account=account, todos=False)
    found = changes_since(state().runner, scope, judgement, start, state().zone, state().config)
    emit_models(
        found,
        output_format,
        title=f"Changes since {start} ({len(found)})",
        columns=[Column("on", "When"), Column("account", "Account"), Column("area", "Area"), Column("what", "What")],
        empty=f"Nothing changed since {start}.",
    )


def register(app: typer.Typer) -> None:
    app.add_typer(health_app, name="health")
    app.command()(renewals)
    app.command()(gaps)
    app.command()(advocates)
    app.command()(changes)
