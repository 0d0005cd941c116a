"""`csm health`, `csm renewals`, `csm gaps`, `csm advocates`, `csm changes`: the book seen whole."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat, default_group, iso_day
from csm.cli.reporting import emit_model, emit_models, evaluate_book
from csm.cli.state import state
from csm.limits import MAX_DAYS
from csm.render.listing import Card, Column, Listing, emit, plain

health_app = typer.Typer(
    cls=default_group("show"), help="Health scores with their components (the default), or record today's for trends."
)
Mine = Annotated[
    bool | None, typer.Option("--mine/--all-owners", help="Only your accounts (default when the config names you).")
]


@health_app.command("show")
def health_show(
    account: Annotated[str | None, typer.Argument(help="One account (default: the whole book).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Show every component's inputs and contribution.")] = False,
    mine: Mine = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Explainable health: a weighted 0-100 score, its band, confidence and trend."""
    from csm.reports.portfolio import health_out

    config = state().config
    evaluation, _scope = evaluate_book(as_of, mine=mine, account=account)
    reports = [
        health_out(a.name, evaluation.health[a.id], evaluation.trend.get(a.id), config)
        for a in evaluation.book.accounts
    ]
    if account:
        report = reports[0]
        if output_format == OutputFormat.json:
            emit_model(report)
            return
        components = Listing(
            title="Components",
            columns=[
                Column("name", "Component"),
                Column("score", "Score", "right"),
                Column("weight", "Weight", "right"),
                Column("contribution", "Points", "right"),
                Column("detail", "Inputs" if explain else "Note"),
            ],
            rows=[
                {**plain(c), "detail": _inputs(c.inputs) if explain or c.score is not None else c.why}
                if explain
                else {**plain(c), "detail": c.why or ""}
                for c in report.components
            ],
        )
        fields = {
            "score": report.score,
            "band": report.band,
            "confidence": f"{report.confidence:.0%} of the weight has data",
            "trend": f"{report.trend:+.1f} in {report.trend_days} days"
            if report.trend is not None
            else "no earlier snapshot",
        }
        emit(Card(title=f"Health: {report.account}", fields=fields, sections=[components]), output_format)
        return
    if output_format == OutputFormat.json:
        emit_models(reports, "json", title="", columns=[], empty="")
        return
    rows = []
    for r in reports:
        scored = [c for c in r.components if c.score is not None]
        weakest = min(scored, key=lambda c: c.score or 0.0) if scored else None
        rows.append(
            {
                "account": r.account,
                "score": r.score,
                "band": r.band,
                "confidence": f"{r.confidence:.0%}",
                "trend": r.trend,
                "weakest": f"{weakest.name} {weakest.score:.0f}" if weakest else "—",
            }
        )
    emit(
        Listing(
            title=f"Health ({len(rows)} accounts)",
            columns=[
                Column("account", "Account"),
                Column("score", "Score", "right"),
                Column("band", "Band"),
                Column("confidence", "Confidence", "right"),
                Column("trend", "Trend", "right"),
                Column("weakest", "Weakest"),
            ],
            rows=sorted(rows, key=lambda r: (r["score"] is None, r["score"] or 0)),
            empty="No accounts yet. Add one with 'csm account add NAME' or 'csm import accounts FILE'.",
        ),
        output_format,
    )


def _inputs(inputs: dict[str, object]) -> str:
    return ", ".join(f"{k}={json.dumps(v) if isinstance(v, dict) else v}" for k, v in inputs.items() if v is not None)


@health_app.command("snapshot")
def health_snapshot(as_of: AsOf = None) -> None:
    """Store today's health scores so that trends ('down 12 in 4 weeks') can be shown later."""
    from csm.db.health import store_snapshots

    evaluation, _scope = evaluate_book(as_of, mine=False)
    runner = state().runner
    with runner.transaction():
        count = store_snapshots(runner, evaluation.as_of, evaluation.health)
    typer.echo(f"Stored {count} health scores for {evaluation.as_of}.")


def renewals(
    within: Annotated[int, typer.Option("--within", help="Days ahead to look.", min=0, max=MAX_DAYS)] = 180,
    mine: Mine = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Renewals ahead (and overdue): date, ARR, health, open risks, forecast; totals by month and quarter."""
    from csm.reports.portfolio import renewals as renewals_report

    evaluation, _scope = evaluate_book(as_of, mine=mine)
    report = renewals_report(evaluation, within)
    if output_format == OutputFormat.json:
        emit_model(report)
        return
    table = Listing(
        title=f"Renewals within {within} days ({len(report.renewals)}, ARR ${report.total_arr:,.0f})",
        columns=[
            Column("renewal_date", "Renews"),
            Column("days", "Days", "right"),
            Column("account", "Account"),
            Column("arr", "ARR", "right", money=True),
            Column("health", "Health", "right"),
            Column("band", "Band"),
            Column("open_risks", "Risks", "right"),
            Column("forecast", "Forecast"),
        ],
        rows=plain(report.renewals),
        empty=f"No renewals in the next {within} days.",
    )
    quarters = Listing(
        title="By quarter",
        columns=[
            Column("period", "Quarter"),
            Column("accounts", "Accounts", "right"),
            Column("arr", "ARR", "right", money=True),
        ],
        rows=plain(report.by_quarter),
    )
    months = Listing(
        title="By month",
        columns=[
            Column("period", "Month"),
            Column("accounts", "Accounts", "right"),
            Column("arr", "ARR", "right", money=True),
        ],
        rows=plain(report.by_month),
    )
    emit(Card(title=f"Renewals as of {report.as_of}", fields={}, sections=[table, quarters, months]), output_format)


def gaps(
    mine: Mine = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Product gaps: feature requests by feature, ranked by the ARR of the accounts asking, with ARR renewing this quarter."""
    from csm.reports.portfolio import gaps as gaps_report

    evaluation, _scope = evaluate_book(as_of, mine=mine)
    found = gaps_report(state().runner, evaluation)
    emit_models(
        found,
        output_format,
        title=f"Product gaps ({len(found)} features)",
        columns=[
            Column("feature", "Feature"),
            Column("account_count", "Accounts", "right"),
            Column("arr", "ARR at stake", "right", money=True),
            Column("arr_renewing_this_quarter", "Renewing this quarter", "right", money=True),
            Column("accounts", "Who"),
        ],
        empty="No feature requests yet: 'csm request add ACCOUNT FEATURE' or 'csm import requests FILE'.",
    )


def advocates(
    mine: Mine = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Likely advocates: promoters with green health and customer-confirmed goals (ask before you use a reference)."""
    from csm.reports.portfolio import advocates as advocates_report

    evaluation, _scope = evaluate_book(as_of, mine=mine)
    found = advocates_report(evaluation, state().config)
    emit_models(
        found,
        output_format,
        title=f"Advocate candidates ({len(found)})",
        columns=[
            Column("account", "Account"),
            Column("arr", "ARR", "right", money=True),
            Column("health", "Health", "right"),
            Column("latest_nps", "NPS", "right"),
            Column("confirmed_goals", "Proven goals", "right"),
            Column("contacts", "Who to ask"),
        ],
        empty="No advocate candidates yet: they need a promoter NPS, green health and a goal the customer confirmed.",
    )


def changes(
    since: Annotated[str, typer.Option("--since", help="Show what changed after this date (YYYY-MM-DD).")],
    mine: Mine = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """What changed since a date: health, risks, renewals and stakeholders."""
    from csm.reports.changes import changes_since

    start = iso_day(since)
    assert start is not None
    evaluation, scope = evaluate_book(as_of, mine=mine)
    found = changes_since(state().runner, scope, evaluation, start, state().config)
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
