"""Book-wide reports from one judgement: to-dos, risks, health, renewals, product gaps, advocates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from csm.config import Config
from csm.db.dossier import all_feature_requests, key_people
from csm.db.runner import Runner, as_date
from csm.domain.dates import quarter_end
from csm.domain.facts import AccountFacts
from csm.domain.health import Health
from csm.domain.matching import normalise_phrase
from csm.reports.judge import Judgement, Trend
from csm.reports.models import (
    AdvocateOut,
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
    )


SEVERITIES = ["low", "medium", "high", "critical"]
OUTLOOKS = ("commit", "likely", "at_risk", "lost")


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
    return RenewalsReport(
        as_of=as_of,
        within_days=within,
        renewals=rows,
        by_month=[
            PeriodTotal(period=k, accounts=len(v), arr=sum(r.arr or 0 for r in v)) for k, v in sorted(months.items())
        ],
        by_quarter=[
            PeriodTotal(period=k, accounts=len(v), arr=sum(r.arr or 0 for r in v)) for k, v in sorted(quarters.items())
        ],
        total_arr=sum(r.arr or 0 for r in rows),
        forecast_quarter=f"{as_of.year}-Q{(as_of.month - 1) // 3 + 1}",
        by_outlook=[
            PeriodTotal(period=o, accounts=len(v), arr=sum((r.arr or 0.0 for r in v), 0.0))
            for o in OUTLOOKS
            for v in [[r for r in quarter if r.outlook == o]]
        ],
    )


@dataclass
class _Gap:
    feature: str
    accounts: dict[int, AccountFacts] = field(default_factory=dict)
    dates: list[date] = field(default_factory=list)


def gaps(runner: Runner, evaluation: Judgement) -> list[GapOut]:
    """Feature requests grouped by feature, ranked by the ARR of the accounts asking: the case for the product team."""
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
    end_of_quarter = quarter_end(as_of)
    found = []
    for entry in by_feature.values():
        asking = list(entry.accounts.values())
        renewing = [a for a in asking if a.renewal_date and as_of <= a.renewal_date <= end_of_quarter]
        found.append(
            GapOut(
                feature=entry.feature,
                accounts=sorted(a.name for a in asking),
                account_count=len(asking),
                arr=sum(a.arr or 0 for a in asking),
                arr_renewing_this_quarter=sum(a.arr or 0 for a in renewing),
                first_requested=min(entry.dates, default=as_of),
                last_requested=max(entry.dates, default=as_of),
            )
        )
    found.sort(key=lambda g: (-g.arr, -g.account_count, g.feature))
    return found


def advocates(runner: Runner, evaluation: Judgement, config: Config) -> list[AdvocateOut]:
    """Promoters with green health and customer-confirmed goals: candidates for references and case studies."""
    found = []
    for account in evaluation.book.accounts:
        health = evaluation.health[account.id]
        surveys = account.surveys
        confirmed = sum(1 for g in account.plan if g.kind == "goal" and g.customer_confirmed)
        promoter = (
            surveys is not None
            and surveys.latest_score is not None
            and surveys.latest_score >= config.sentiment.promoter_min
        )
        if not (promoter and health.band == "green" and confirmed):
            continue
        assert surveys is not None
        champions = key_people(runner, account.id)
        found.append(
            AdvocateOut(
                account=account.name,
                arr=account.arr,
                health=health.score,
                promoters=surveys.promoters,
                latest_nps=surveys.latest_score,
                confirmed_goals=confirmed,
                contacts=champions,
                why=f"NPS {surveys.latest_score}, health {health.score:.0f} (green), {confirmed} goal(s) confirmed by the customer",
            )
        )
    found.sort(key=lambda a: (-(a.health or 0), -(a.arr or 0)))
    return found
