"""Book-wide reports from one judgement: to-dos, risks, health, renewals, product gaps, advocates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from csm.config import Config
from csm.db.dossier import all_feature_requests, key_people_of
from csm.db.runner import Runner, as_date
from csm.domain.dates import quarter_end
from csm.domain.facts import AccountFacts
from csm.domain.health import Health
from csm.domain.matching import normalise_phrase
from csm.domain.words import currency_code, plural
from csm.reports.judge import Judgement, Trend
from csm.reports.portfolio_models import (
    AdvocateOut,
    ComingDue,
    ComponentOut,
    GapOut,
    HealthOut,
    OverrideOut,
    PeriodTotal,
    RenewalOut,
    RenewalsReport,
)


def health_out(name: str, health: Health, trend: Trend | None, config: Config) -> HealthOut:
    override = health.override
    return HealthOut(
        account=name,
        score=health.score,
        band=health.band,
        components=[
            ComponentOut(
                name=c.name,
                score=c.score,
                weight=c.weight,
                contribution=None if c.contribution is None else round(c.contribution / 100, 2),
                inputs=c.inputs,
                why=c.why,
            )
            for c in health.components
        ],
        confidence=health.confidence,
        trend=trend.change if trend else None,
        trend_days=config.health.trend_days,
        trend_since=trend.compared_on if trend else None,
        trend_source=trend.source if trend else None,
        computed=health.computed,
        adjustment=health.adjustment,
        score_band=health.score_band or health.band,
        override=OverrideOut(override.band, override.reason, override.set_on, override.until) if override else None,
    )


def health_reports(judgement: Judgement, config: Config) -> list[HealthOut]:
    """Each account's health (judged with `explain`), with its trend over the config's trend_days."""
    return [
        health_out(a.name, judgement.health[a.id], judgement.trend.get(a.id), config) for a in judgement.book.accounts
    ]


def renewal_out(evaluation: Judgement, account: AccountFacts, config: Config) -> RenewalOut | None:
    """One open renewal with its health, risks and csm's forecast (commit, likely, at risk, lost) and why."""
    from csm.domain.forecast import Signals, renewal_outlook

    days = account.days_to_renewal(evaluation.as_of)
    if days is None or account.is_churned or account.renewal_date is None:
        return None
    risks = evaluation.open_risks(account.id)
    worst = max(risks, key=lambda r: SEVERITIES.index(r.severity), default=None)
    health = evaluation.health[account.id]
    outlook = renewal_outlook(
        Signals(
            days, health.score, health.band, worst.severity if worst else None, worst.rule if worst else None,
            account.renewal_sentiment, account.surveys.latest_score if account.surveys else None,
            account.renewal_forecast,
        ),
        config,
    )  # fmt: skip
    return RenewalOut(
        account=account.name,
        renewal_date=account.renewal_date,
        days=days,
        arr=account.arr,
        health=health.score,
        band=health.band,
        open_risks=len(risks),
        worst_risk=worst.severity if worst else None,
        forecast=account.renewal_forecast,
        outlook=outlook.category,
        outlook_why=outlook.why,
        currency=account.currency,
    )


SEVERITIES = ["low", "medium", "high", "critical"]
OUTLOOKS = ("commit", "likely", "at_risk", "lost")


def renewals_by(as_of: date, within: int) -> date:
    """The last renewal date the renewals report reads: `within` days ahead, or the quarter's end if later."""
    return max(as_of + timedelta(days=within), quarter_end(as_of))


def renewals(evaluation: Judgement, within: int, config: Config) -> RenewalsReport:
    """Renewals ahead (and overdue ones), with ARR, health, open risks and forecast; totals by month and quarter,
    and this quarter's by forecast."""
    as_of = evaluation.as_of
    rows = []
    quarter: list[RenewalOut] = []
    end_of_quarter = quarter_end(as_of)
    for account in evaluation.book.accounts:
        row = renewal_out(evaluation, account, config)
        if row is None:
            continue
        if row.renewal_date <= end_of_quarter:
            quarter.append(row)
        if row.days <= within:
            rows.append(row)
    rows.sort(key=lambda r: (r.renewal_date, r.account))
    months: dict[str, list[RenewalOut]] = defaultdict(list)
    quarters: dict[str, list[RenewalOut]] = defaultdict(list)
    for row in rows:
        day = row.renewal_date
        months[f"{day:%Y-%m}"].append(row)
        quarters[f"{day.year}-Q{(day.month - 1) // 3 + 1}"].append(row)
    currencies = sorted({currency_code(r.currency) for r in rows})
    return RenewalsReport(
        as_of=as_of,
        within_days=within,
        renewals=rows,
        by_month=[t for k, v in sorted(months.items()) for t in totals(k, v, currencies)],
        by_quarter=[t for k, v in sorted(quarters.items()) for t in totals(k, v, currencies)],
        total_arr=sum(r.arr or 0 for r in rows),
        forecast_quarter=f"{as_of.year}-Q{(as_of.month - 1) // 3 + 1}",
        by_outlook=[
            t
            for o in OUTLOOKS
            for t in totals(
                o, [r for r in quarter if r.outlook == o], sorted({currency_code(r.currency) for r in quarter})
            )
        ],
        currencies=currencies,
        arr_by_currency=totals("all", rows, currencies),
    )


def totals(period: str, rows: list[RenewalOut], currencies: list[str]) -> list[PeriodTotal]:
    """A period's renewals and their ARR in each currency of the book's (one total for a book in one, even of no
    renewal); a currency with no renewal in a period of a book in several is left out."""
    found = []
    for code in currencies or ["USD"]:
        held = [r for r in rows if currency_code(r.currency) == code]
        if held or len(currencies) <= 1:
            found.append(PeriodTotal(period, len(held), sum((r.arr or 0.0 for r in held), 0.0), code))
    return found or [PeriodTotal(period, 0, 0.0, currencies[0])]


@dataclass
class _Gap:
    feature: str
    accounts: dict[int, AccountFacts] = field(default_factory=dict)
    dates: list[date] = field(default_factory=list)


def gaps(runner: Runner, evaluation: Judgement, config: Config, *, days: int = 90) -> list[GapOut]:
    """Feature requests grouped by feature, ranked by the ARR of the accounts asking: the case for the product team.
    Beside each, what comes due within `days` at the accounts asking: their renewals (and the ARR renewing) and
    EBRs, where the gap will be raised."""
    as_of = evaluation.as_of
    accounts = {a.id: a for a in evaluation.book.accounts}
    rows = all_feature_requests(runner)
    by_feature: dict[str, _Gap] = {}
    for row in rows:
        account = accounts.get(row["account_id"])
        if account is None:
            continue
        entry = by_feature.setdefault(row["feature_norm"] or normalise_phrase(row["feature"]), _Gap(row["feature"]))
        entry.accounts[account.id] = account
        day = as_date(row["requested_on"])
        if day is not None:
            entry.dates.append(day)
    end_of_quarter, last = quarter_end(as_of), as_of + timedelta(days=days)
    ebrs = ebr_days(evaluation, [a for a in accounts.values() if a.feature_requests], last, config)
    found = []
    for entry in by_feature.values():
        asking = list(entry.accounts.values())
        renewing = [a for a in asking if a.renewal_date and as_of <= a.renewal_date <= end_of_quarter]
        due = coming_due(asking, ebrs, as_of, last)
        found.append(
            GapOut(
                feature=entry.feature,
                accounts=sorted(a.name for a in asking),
                account_count=len(asking),
                arr=sum(a.arr or 0 for a in asking),
                arr_renewing_this_quarter=sum(a.arr or 0 for a in renewing),
                first_requested=min(entry.dates, default=as_of),
                last_requested=max(entry.dates, default=as_of),
                window_days=days,
                arr_renewing=sum(d.arr or 0 for d in due if d.event == "renewal" and d.days >= 0),
                coming_due=due,
            )
        )
    found.sort(key=lambda g: (-g.arr, -g.account_count, g.feature))
    return found


def ebr_days(evaluation: Judgement, accounts: list[AccountFacts], last: date, config: Config) -> dict[int, date]:
    """When each account's next EBR falls due, up to `last`: the open EBR to-do's date where the rules raised one
    (now, for an account with none on record), else the segment's cadence from the last EBR or the contract."""
    from csm.domain.triggers import Reviews, next_ebr_date

    raised = {t.account_id: t.due for t in evaluation.todos if t.kind == "ebr_due" and t.due is not None}
    found: dict[int, date] = {}
    for account in accounts:
        if account.is_churned:
            continue
        day = raised.get(account.id)
        if day is None:
            review = Reviews(account.id, account.name, account.segment, account.ebr_cadence_months,
                             account.last_ebr_on, account.contract_start, account.created_on)  # fmt: skip
            next_ebr = next_ebr_date(review, config)
            day = next_ebr[0] if next_ebr and next_ebr[0] >= evaluation.as_of else None
        if day is not None and day <= last:
            found[account.id] = day
    return found


def coming_due(asking: list[AccountFacts], ebrs: dict[int, date], as_of: date, last: date) -> list[ComingDue]:
    """The renewals (late ones too: no outcome recorded) and EBRs of the accounts asking, up to `last`."""
    due = []
    for account in asking:
        renewal = account.renewal_date
        if renewal is not None and not account.is_churned and renewal <= last:
            due.append(ComingDue(account.name, "renewal", renewal, (renewal - as_of).days, account.arr))
        if account.id in ebrs:
            day = ebrs[account.id]
            due.append(ComingDue(account.name, "ebr", day, (day - as_of).days, account.arr))
    return sorted(due, key=lambda d: (d.on, d.account, d.event))


def advocates(runner: Runner, evaluation: Judgement, config: Config) -> list[AdvocateOut]:
    """Candidates for references and case studies: promoters with green health and a goal the customer confirmed;
    then the near-candidates, one or two of those short, each with what is missing (the fewest missing first)."""
    found: list[tuple[int, AdvocateOut]] = []
    green = config.health.green_min
    for account in evaluation.book.accounts:
        if account.is_churned:
            continue
        health = evaluation.health[account.id]
        surveys = account.surveys
        nps = surveys.latest_score if surveys is not None else None
        confirmed = sum(1 for g in account.plan if g.kind == "goal" and g.customer_confirmed)
        goals = sum(1 for g in account.plan if g.kind == "goal")
        missing = []
        if nps is None:
            missing.append("no NPS answer yet")
        elif nps < config.sentiment.promoter_min:
            missing.append(f"NPS {nps} (a promoter is {config.sentiment.promoter_min}+)")
        if health.band != "green":
            score = "no health score" if health.score is None else f"health {health.score:.0f} {health.band}"
            missing.append(f"{score} (green is {green}+)")
        if not confirmed:
            missing.append(
                f"{plural(goals, 'goal')}, none confirmed by the customer" if goals else "no success-plan goal yet"
            )
        if len(missing) > 2:
            continue
        score_words = "no health score" if health.score is None else f"health {health.score:.0f} ({health.band})"
        found.append(
            (
                account.id,
                AdvocateOut(
                    account=account.name,
                    arr=account.arr,
                    health=health.score,
                    promoters=surveys.promoters if surveys is not None else 0,
                    latest_nps=nps,
                    confirmed_goals=confirmed,
                    contacts=[],
                    why=f"NPS {'—' if nps is None else nps}, {score_words}, "
                    f"{plural(confirmed, 'goal')} confirmed by the customer",
                    candidate=not missing,
                    missing=missing,
                ),
            )
        )
    people = key_people_of(runner, [account_id for account_id, _ in found], evaluation.as_of)
    for account_id, advocate in found:
        advocate.contacts = people[account_id]
    return sorted(
        (advocate for _, advocate in found),
        key=lambda a: (len(a.missing), -(a.health or 0) if not a.missing else -(a.arr or 0), a.account),
    )
