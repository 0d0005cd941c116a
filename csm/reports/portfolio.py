"""Book-wide reports from one evaluation: to-dos, risks, health, renewals, product gaps, advocates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from csm.config import Config
from csm.db.runner import Runner, as_date
from csm.domain.dates import quarter_end
from csm.domain.facts import AccountFacts
from csm.domain.health import Health
from csm.domain.matching import normalise_name
from csm.reports.engine import Evaluation, RiskItem, TodoItem
from csm.reports.models import (
    AdvocateOut,
    ComponentOut,
    GapOut,
    HealthOut,
    PeriodTotal,
    RenewalOut,
    RenewalsReport,
    RiskOut,
    TermOut,
    TodoOut,
)


def todo_out(todo: TodoItem, as_of: date, *, explain: bool = False) -> TodoOut:
    due = todo.effective_due
    return TodoOut(
        id=todo.id,
        kind="deferred" if todo.kind == "manual" and todo.deferrals else todo.kind,
        title=todo.title,
        account=todo.account,
        due=due,
        overdue_days=max(0, (as_of - due).days) if due else 0,
        deferrals=todo.deferrals,
        deferred_until=todo.deferred_until,
        urgency=todo.urgency,
        reason=todo.reason,
        terms=[TermOut(name=t.name, coefficient=t.coefficient, factor=t.factor, value=round(t.value, 2), why=t.why)
               for t in todo.terms] if explain else [],
    )  # fmt: skip


def risk_out(risk: RiskItem, as_of: date) -> RiskOut:
    return RiskOut(
        id=risk.id,
        account=risk.account,
        category=risk.category,
        severity=risk.severity,
        rule=risk.rule,
        evidence=risk.evidence,
        first_response=risk.first_response,
        escalation=risk.escalation,
        owner=risk.owner,
        raised_on=risk.raised_on,
        new=risk.is_new(as_of),
    )


def health_out(name: str, health: Health, trend: float | None, config: Config) -> HealthOut:
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
        trend=trend,
        trend_days=config.health.trend_days,
    )


def visible_todos(evaluation: Evaluation, *, due_within: int | None = None) -> list[TodoItem]:
    """Open to-dos not deferred past the day, optionally only those due within N days (no due date: always)."""
    as_of = evaluation.as_of
    shown = []
    for todo in evaluation.todos:
        if todo.deferred_until is not None and todo.deferred_until > as_of:
            continue
        due = todo.effective_due
        if due_within is not None and due is not None and (due - as_of).days > due_within:
            continue
        shown.append(todo)
    return shown


def renewals(evaluation: Evaluation, within: int) -> RenewalsReport:
    """Renewals ahead (and overdue ones), with ARR, health, open risks and forecast; totals by month and quarter."""
    as_of = evaluation.as_of
    rows = []
    for account in evaluation.book.accounts:
        days = account.days_to_renewal(as_of)
        if days is None or account.is_churned or days > within or account.renewal_date is None:
            continue
        risks = evaluation.open_risks(account.id)
        worst = max(risks, key=lambda r: ["low", "medium", "high", "critical"].index(r.severity), default=None)
        health = evaluation.health[account.id]
        rows.append(
            RenewalOut(
                account=account.name,
                renewal_date=account.renewal_date,
                days=days,
                arr=account.arr,
                health=health.score,
                band=health.band,
                open_risks=len(risks),
                worst_risk=worst.severity if worst else None,
                forecast=account.renewal_forecast,
            )
        )
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
    )


@dataclass
class _Gap:
    feature: str
    accounts: dict[int, AccountFacts] = field(default_factory=dict)
    dates: list[date] = field(default_factory=list)


def gaps(runner: Runner, evaluation: Evaluation) -> list[GapOut]:
    """Feature requests grouped by feature, ranked by the ARR of the accounts asking: the case for the product team."""
    as_of = evaluation.as_of
    accounts = {a.id: a for a in evaluation.book.accounts}
    rows = runner.rows(
        "SELECT account_id, feature, feature_norm, requested_on FROM feature_requests ORDER BY requested_on"
    )
    by_feature: dict[str, _Gap] = {}
    for row in rows:
        account = accounts.get(row["account_id"])
        if account is None:
            continue
        entry = by_feature.setdefault(row["feature_norm"] or normalise_name(row["feature"]), _Gap(row["feature"]))
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


def advocates(evaluation: Evaluation, config: Config) -> list[AdvocateOut]:
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
        champions = [s.name for s in account.active_stakeholders if s.role in ("champion", "exec_sponsor")]
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
