"""Retention on the terminal and in Markdown: the period's figures, the groups, renewals due, churn reasons."""

from __future__ import annotations

from datetime import date

from csm.domain.words import listed, money, per_currency, plural
from csm.render.listing import Card, Column, Listing, plain
from csm.reports.retention import GroupOut, MetricsByCurrency, MetricsReport
from csm.reports.team import OneOnOne, OwnerRow, TeamReport


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def metrics_cards(report: MetricsReport | MetricsByCurrency) -> list[Card]:
    """One card, or one per currency for a book whose accounts are in more than one (never added together)."""
    if isinstance(report, MetricsReport):
        return [metrics_card(report)]
    return [metrics_card(r, of_currencies=report.currencies) for r in report.by_currency]


def metrics_card(report: MetricsReport, *, of_currencies: list[str] | None = None) -> Card:
    """The period's figures in the report's currency; `of_currencies`: the currencies of the whole book, said in
    the title when it has more than one."""
    period = report.period

    def cash(value: float) -> str:
        return money(value, report.currency)

    through = f"{period.start} to {period.through}" + (
        " (to date: the period is still running)" if period.running else ""
    )
    fields: dict[str, object] = {
        "period": f"{period.label}: {through}",
        "cohort": f"{plural(report.cohort, 'account')} active with ARR on {period.start}",
        "starting ARR": cash(report.starting_arr),
        "expansion": f"+{cash(report.expansion)}" if report.expansion else cash(0.0),
        "contraction": _less(report.contraction, report.currency),
        "churn": f"{_less(report.churn, report.currency)} ({plural(report.churned, 'account')})",
        "ending ARR": f"{cash(report.ending_arr)} (the cohort's)",
        "GRR": percent(report.grr),
        "NRR": percent(report.nrr),
        "logo retention": percent(report.logo_retention),
        "new logos": f"{report.new_logos} ({cash(report.new_logo_arr)}), not in the ratios",
    }
    if report.reactivated:
        fields["reactivated"] = f"{report.reactivated} ({cash(report.reactivated_arr)}), not in the ratios"
    if report.entered:
        fields["entered the book"] = f"{report.entered} ({cash(report.entered_arr)}), no earlier history"
    sections = []
    if report.by:
        sections.append(groups_listing(report))
    due = report.renewals
    sections.append(
        Listing(
            title=f"Renewals due {period.start} to {period.end} ({due.due}, {cash(due.due_arr)})",
            columns=[Column("outcome", "Outcome"), Column("accounts", "Accounts", "right"), Column("arr", "ARR")],
            rows=[
                {"outcome": "renewed on time", "accounts": due.renewed_on_time, "arr": ""},
                {"outcome": "renewed late", "accounts": due.renewed_late, "arr": ""},
                {
                    "outcome": "renewed: ARR before → after",
                    "accounts": due.renewed_on_time + due.renewed_late - due.renewed_unknown_before,
                    "arr": f"{cash(due.renewed_arr_before)} → {cash(due.renewed_arr_after)}",
                },
                *(
                    [
                        {
                            "outcome": "renewed, no earlier ARR in the book",
                            "accounts": due.renewed_unknown_before,
                            "arr": f"→ {cash(due.renewed_arr - due.renewed_arr_after)}",
                        }
                    ]
                    if due.renewed_unknown_before
                    else []
                ),
                {"outcome": "churned", "accounts": due.churned, "arr": cash(due.churned_arr)},
                {
                    "outcome": f"still open ({due.open_overdue} overdue)",
                    "accounts": due.open,
                    "arr": cash(due.open_arr),
                },
            ],
            empty="No renewal fell due in the period.",
        )
        if due.due
        else Listing(
            title="Renewals due", columns=[Column("x", "")], rows=[], empty="No renewal falls due in the period."
        )
    )
    sections.append(
        Listing(
            title="Churn reasons",
            columns=[
                Column("reason", "Reason"),
                Column("accounts", "Accounts", "right"),
                Column("arr", "ARR lost", "right", money=True),
                Column("names", "Who"),
            ],
            rows=[{**plain(r), "currency": report.currency} for r in report.churn_reasons],
            empty="No account churned in the period.",
        )
    )
    if report.notes:
        sections.append(
            Listing(title="Notes", columns=[Column("note", "Note")], rows=[{"note": n} for n in report.notes])
        )
    of = f" · accounts in {report.currency} (of {listed(of_currencies)}: never added together)" if of_currencies else ""
    return Card(title=f"Retention {period.label} as of {report.as_of}{of}", fields=fields, sections=sections)


def _less(value: float, currency: str) -> str:
    shown = money(value, currency)
    return f"-{shown}" if value else shown


def groups_listing(report: MetricsReport) -> Listing:
    rows = [
        {
            "group": g.group,
            "cohort": g.cohort,
            "starting_arr": g.starting_arr,
            "expansion": g.expansion,
            "contraction": g.contraction,
            "churn": g.churn,
            "grr": percent(g.grr),
            "nrr": percent(g.nrr),
            "logos": percent(g.logo_retention),
            "new": f"{g.new_logos} ({money(g.new_logo_arr, g.currency)})",
            "currency": g.currency,
        }
        for g in report.groups
    ]
    return Listing(
        title=f"By {report.by}",
        columns=[
            Column("group", report.by.title() if report.by else "Group"),
            Column("cohort", "Cohort", "right"),
            Column("starting_arr", "Starting ARR", "right", money=True),
            Column("expansion", "Expansion", "right", money=True),
            Column("contraction", "Contraction", "right", money=True),
            Column("churn", "Churn", "right", money=True),
            Column("grr", "GRR", "right"),
            Column("nrr", "NRR", "right"),
            Column("logos", "Logos kept", "right"),
            Column("new", "New logos", "right"),
        ],
        rows=rows,
        empty="No accounts with ARR history.",
    )


def owner_money(row: OwnerRow, figure: str) -> str:
    """An owner's money in its currency; an owner with accounts in two has each shown, never added ("€115k +
    £40k")."""
    if len(row.by_currency) <= 1:
        return money(getattr(row, figure), row.currencies[0] if row.currencies else None)
    return per_currency([(m.currency, getattr(m, figure)) for m in row.by_currency])


def _owner_rows(r: OwnerRow) -> list[dict[str, object]]:
    """An owner's line; an owner whose accounts hold two currencies gets a line per currency under it, each with
    its own money, GRR and NRR (never added, never converted)."""
    line: dict[str, object] = {"owner": r.owner, "accounts": r.accounts, "risks": r.critical_high_risks,
                               "overdue": r.overdue_todos}  # fmt: skip
    if len(r.by_currency) <= 1:
        return [{**line, "arr": owner_money(r, "arr"), "renewing": owner_money(r, "renewing_arr"),
                 "at_risk": owner_money(r, "renewing_at_risk_arr"), "grr": percent(r.qtd_grr),
                 "nrr": percent(r.qtd_nrr)}]  # fmt: skip
    return [line] + [
        {"owner": f"  in {m.currency}", "accounts": m.accounts, "arr": money(m.arr, m.currency), "renewing": money(m.renewing_arr, m.currency),
         "at_risk": money(m.renewing_at_risk_arr, m.currency), "grr": percent(m.qtd_grr), "nrr": percent(m.qtd_nrr)}
        for m in r.by_currency
    ]  # fmt: skip


def team_card(report: TeamReport) -> Card:
    """One row per owner (money short, so it reads at 80 columns), then each owner's stalest account."""
    rows = [row for r in report.owners for row in _owner_rows(r)]
    owners = Listing(
        title=plural(len(report.owners), "owner"),
        columns=[
            Column("owner", "Owner"),
            Column("accounts", "Accts", "right"),
            Column("arr", "ARR", "right"),
            Column("renewing", f"Renew {report.renewing_days}d", "right"),
            Column("at_risk", "at risk", "right"),
            Column("risks", "Risks", "right"),
            Column("overdue", "Late", "right"),
            Column("grr", "GRR", "right"),
            Column("nrr", "NRR", "right"),
        ],
        rows=rows,
        empty="No accounts in the book yet.",
    )
    stale = Listing(
        title="Longest without a touch",
        columns=[
            Column("owner", "Owner"),
            Column("account", "Account"),
            Column("days", "Days", "right"),
            Column("last", "Last touch"),
        ],
        rows=[
            {
                "owner": r.owner,
                "account": r.stalest_account,
                "days": r.stalest_days,
                "last": r.stalest_last_touch or _none_since(r.stalest_counted_from),
            }
            for r in report.owners
            if r.stalest_account
        ],
        empty="none",
    )
    return Card(
        title=f"Team as of {report.as_of}",
        fields={
            "renewing": f"ARR renewing within {report.renewing_days} days (overdue too), and of it forecast at "
            "risk or lost",
            "risks / late": "open critical and high risks / overdue to-dos",
            "GRR / NRR": f"{report.quarter.label} to date, through {report.quarter.through}",
        },
        sections=[owners, stale],
    )


def _stalest(name: str | None, last: date | None, days: int | None) -> str:
    if name is None or days is None:
        return "—"
    return f"{name} ({days} days" + (f", last touch {last})" if last else ", no touch on record)")


def _none_since(counted_from: date | None) -> str:
    """An account never touched in the book: counted from the day the touch rule counts from, as its to-do says."""
    return f"none on record since {counted_from}" if counted_from else "none on record"


def _kept(kept: GroupOut) -> str:
    def cash(value: float) -> str:
        return money(value, kept.currency)

    return (
        f"GRR {percent(kept.grr)}, NRR {percent(kept.nrr)} on {cash(kept.starting_arr)} (expansion "
        f"{cash(kept.expansion)}, contraction {cash(kept.contraction)}, churn {cash(kept.churn)}; new logos "
        f"{kept.new_logos})"
    )


def one_on_one_card(page: OneOnOne) -> Card:
    """The monthly 1:1 page: the owner's numbers, then the renewals, risks, to-dos and quiet accounts behind them."""
    s = page.summary
    fields: dict[str, object] = {
        "accounts": f"{s.accounts} ({owner_money(s, 'arr')} ARR)",
        f"renewing in {page.renewing_days} days": f"{owner_money(s, 'renewing_arr')}, of it at risk "
        f"{owner_money(s, 'renewing_at_risk_arr')}",
        "critical / high risks": s.critical_high_risks,
        "overdue to-dos": s.overdue_todos,
        f"{page.quarter.label} to date": "; ".join(_kept(kept) for kept in page.retention) or "no ARR history",
        "stalest account": _stalest(s.stalest_account, s.stalest_last_touch, s.stalest_days),
    }
    renewals = Listing(
        title=f"Renewals in the next {page.renewing_days} days",
        columns=[
            Column("renewal_date", "Renews"),
            Column("account", "Account"),
            Column("arr", "ARR", "right", money=True),
            Column("band", "Health"),
            Column("outlook", "Forecast"),
            Column("why", "Why"),
        ],
        rows=[
            {**plain(r), "outlook": r.outlook.replace("_", " "), "why": "; ".join(r.outlook_why)} for r in page.renewals
        ],
        empty="none",
    )
    risks = Listing(
        title="Open critical and high risks",
        columns=[
            Column("account", "Account"),
            Column("severity", "Severity"),
            Column("category", "Category"),
            Column("evidence", "Evidence"),
        ],
        rows=plain(page.risks),
        empty="none",
    )
    todos = Listing(
        title="Overdue to-dos",
        columns=[Column("due", "Due"), Column("account", "Account"), Column("title", "To-do")],
        rows=plain(page.overdue_todos),
        empty="none",
    )
    stale = Listing(
        title="Longest without a touch",
        columns=[Column("account", "Account"), Column("days", "Days", "right"), Column("last_touch", "Last touch")],
        rows=plain(page.stalest),
        empty="none",
    )
    return Card(title=f"1:1 with {page.owner}, {page.as_of}", fields=fields, sections=[renewals, risks, todos, stale])
