"""The book seen whole on the terminal and in Markdown: health scores and renewals as listings and cards."""

from __future__ import annotations

from csm.domain.words import described, field_label, shown_in
from csm.render.listing import Card, Column, Listing, plain
from csm.reports.portfolio_models import GapOut, HealthOut, RenewalsReport


def health_card(report: HealthOut, *, explain: bool) -> Card:
    """One account's health: score, band, confidence and trend, then each component."""
    rows = []
    for component in report.components:
        row = plain(component)
        row["name"] = field_label(component.name)
        if explain:
            inputs = described(component.inputs) if component.score is not None else ""
            row["detail"] = "; ".join(part for part in (inputs, component.why) if part)
        else:
            row["detail"] = component.why or ""
        rows.append(row)
    components = Listing(
        title="Components",
        columns=[
            Column("name", "Component"),
            Column("score", "Score", "right"),
            Column("weight", "Weight", "right"),
            Column("contribution", "Points", "right"),
            Column("detail", "Inputs" if explain else "Note"),
        ],
        rows=rows,
    )
    fields: dict[str, object] = {"score": report.score}
    if report.adjustment:
        fields["open risks"] = report.adjustment
    fields["band"] = band_words(report)
    fields["confidence"] = f"{report.confidence:.0%} of the weight has data"
    fields["trend"] = trend_words(report)
    return Card(title=f"Health: {report.account}", fields=fields, sections=[components])


def band_words(report: HealthOut) -> str:
    """The band in force, and the CSM's override beside the computed band when there is one."""
    override = report.override
    if override is None:
        return report.band
    until = f", until {override.until}" if override.until else ""
    return f"{override.band}, your call on {override.set_on}{until}: {override.reason} (the score gives {report.score_band})"


def trend_words(report: HealthOut) -> str:
    if report.trend is None or report.trend_since is None:
        return "no score to compare with"
    moved = "unchanged" if report.trend == 0 else f"{'up' if report.trend > 0 else 'down'} {abs(report.trend):g}"
    source = "the snapshot stored then" if report.trend_source == "snapshot" else "recomputed for that day"
    return f"{moved} since {report.trend_since} ({source})"


def health_listing(reports: list[HealthOut]) -> Listing:
    """Every account's health, the weakest first, with its weakest component."""
    rows = []
    for r in reports:
        scored = [c for c in r.components if c.score is not None]
        weakest = min(scored, key=lambda c: c.score or 0.0) if scored else None
        rows.append(
            {
                "account": r.account,
                "score": r.score,
                "band": r.band if r.override is None else f"{r.band} (your call)",
                "confidence": f"{r.confidence:.0%}",
                "trend": r.trend,
                "weakest": f"{field_label(weakest.name)} {weakest.score:.0f}" if weakest else "—",
            }
        )
    return Listing(
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
    )


OUTLOOK_WORDS = {"commit": "commit", "likely": "likely", "at_risk": "at risk", "lost": "lost"}


def renewals_card(report: RenewalsReport, *, explain: bool = False) -> Card:
    rows = plain(report.renewals)
    for row in rows:
        row["outlook"] = OUTLOOK_WORDS.get(row["outlook"], row["outlook"])
        row["why"] = "; ".join(row["outlook_why"])
    columns = [
        Column("renewal_date", "Renews"),
        Column("days", "Days", "right"),
        Column("account", "Account"),
        Column("arr", "ARR", "right", money=True),
        Column("health", "Health", "right"),
        Column("band", "Band"),
        Column("open_risks", "Risks", "right"),
        Column("outlook", "Forecast"),
    ]
    if explain:
        columns += [Column("forecast", "CRM"), Column("why", "Why")]
    total = "ARR " + " + ".join(shown_in(f"${t.arr:,.0f}", t.currency) for t in report.arr_by_currency)
    table = Listing(
        title=f"Renewals within {report.within_days} days ({len(report.renewals)}, {total})",
        columns=columns,
        rows=rows,
        empty=f"No renewals in the next {report.within_days} days.",
    )
    outlook = Listing(
        title=f"{report.forecast_quarter} by forecast",
        columns=[
            Column("period", "Forecast"),
            Column("accounts", "Accounts", "right"),
            Column("arr", "ARR", "right", money=True),
        ],
        rows=[{**plain(t), "period": OUTLOOK_WORDS[t.period]} for t in report.by_outlook],
    )
    periods = [
        Listing(
            title=title,
            columns=[
                Column("period", word),
                Column("accounts", "Accounts", "right"),
                Column("arr", "ARR", "right", money=True),
            ],
            rows=plain(totals),
        )
        for title, word, totals in (
            ("By quarter", "Quarter", report.by_quarter),
            ("By month", "Month", report.by_month),
        )
    ]
    return Card(title=f"Renewals as of {report.as_of}", fields={}, sections=[table, outlook, *periods])


def gap_rows(gaps: list[GapOut]) -> list[dict[str, object]]:
    """Product gaps as table rows: who asks, each with what comes due there ("Ardent Biosystems (EBR in 9d, renews
    in 80d)"), the soonest first."""
    return [{**plain(g), "who": who_words(g)} for g in gaps]


def who_words(gap: GapOut) -> list[str]:
    """Who asks: first those with something coming due, with it in words, then the others."""
    coming = coming_words(gap)
    due = {d.account for d in gap.coming_due}
    return coming + [name for name in gap.accounts if name not in due]


def coming_words(gap: GapOut) -> list[str]:
    """ "Ardent Biosystems (EBR in 9d, renews in 80d)", "Pinecrest Dental Group (renewal 14d late, EBR now)"."""
    by_account: dict[str, list[str]] = {}
    for due in gap.coming_due:
        days = due.days
        if due.event == "renewal":
            said = f"renews in {days}d" if days > 0 else "renews today" if days == 0 else f"renewal {-days}d late"
        else:
            said = f"EBR in {days}d" if days > 0 else "EBR now" if days == 0 else f"EBR {-days}d late"
        by_account.setdefault(due.account, []).append(said)
    return [f"{account} ({', '.join(said)})" for account, said in by_account.items()]
