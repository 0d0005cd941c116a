"""The health score (DOMAIN.md, "Health score"): a weighted 0-100 score from components that show their inputs.

A component with no data is left out of the score and lowers `confidence` instead: missing data
must never read as bad (or good) health.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.risks import is_spike


@dataclass(frozen=True)
class Component:
    name: str
    score: float | None
    weight: float
    inputs: dict[str, Any] = field(default_factory=dict)
    why: str = ""

    @property
    def contribution(self) -> float | None:
        return None if self.score is None else self.score * self.weight


@dataclass(frozen=True)
class Health:
    score: float | None
    band: str
    confidence: float
    components: tuple[Component, ...]


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def adoption(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Component:
    """Usage: active users against licensed seats, breadth of features, and the trend over ~90 days."""
    weight = config.health.weights.adoption
    usage = account.usage
    if usage is None or (usage.active_users is None and usage.feature_breadth is None):
        return Component("adoption", None, weight, {}, "no usage data")
    seats = usage.licensed_seats or None
    utilisation = min(1.0, (usage.active_users or 0) / seats) if seats else None
    parts = [(utilisation, 0.7), (usage.feature_breadth, 0.3)]
    present = [(value, w) for value, w in parts if value is not None]
    if not present:  # active users without licensed seats say nothing about adoption
        return Component("adoption", None, weight, {"active_users": usage.active_users}, "no licensed seats or breadth")
    score = 100 * sum(value * w for value, w in present) / sum(w for _, w in present)
    trend = None
    if usage.earlier_active_users and usage.active_users is not None:
        trend = (usage.active_users - usage.earlier_active_users) / usage.earlier_active_users
        if trend <= -0.2:
            score -= 15
    inputs = {
        "measured_on": usage.measured_on.isoformat(),
        "active_users": usage.active_users,
        "licensed_seats": usage.licensed_seats,
        "utilisation": None if utilisation is None else round(utilisation, 2),
        "feature_breadth": usage.feature_breadth,
        "active_users_trend": None if trend is None else round(trend, 2),
    }
    return Component("adoption", round(_clamp(score), 1), weight, inputs)


def sentiment(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Component:
    """Measured (the latest NPS answer) and judged (the CSM's 'would they renew tomorrow?')."""
    weight = config.health.weights.sentiment
    surveys = account.surveys
    judged = {"yes": 100.0, "unsure": 50.0, "no": 0.0}.get(account.renewal_sentiment or "")
    measured = surveys.latest_score * 10.0 if surveys and surveys.latest_score is not None else None
    present = [v for v in (measured, judged) if v is not None]
    inputs = {
        "latest_nps_answer": surveys.latest_score if surveys else None,
        "answered_on": surveys.latest_on.isoformat() if surveys and surveys.latest_on else None,
        "would_renew": account.renewal_sentiment,
    }
    if not present:
        return Component("sentiment", None, weight, inputs, "no survey answer and no judgement recorded")
    return Component("sentiment", round(sum(present) / len(present), 1), weight, inputs)


def support(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Component:
    """Support load against the risk thresholds; silence for 90 days counts against, not for."""
    weight = config.health.weights.support
    if not book.has_tickets:
        return Component("support", None, weight, {}, "no tickets imported")
    rules = config.support
    facts = account.support
    if facts is None or facts.last_ticket_on is None or (as_of - facts.last_ticket_on).days >= rules.silent_days:
        if account.contract_start is not None and (as_of - account.contract_start).days < rules.silent_days:
            return Component("support", 100.0, weight, {"tickets": 0})
        return Component("support", 60.0, weight, {"last_ticket_on": None if facts is None else str(facts.last_ticket_on)},
                         f"no tickets for {rules.silent_days}+ days")  # fmt: skip
    penalties = {
        "critical_open": 40 if facts.open_critical > rules.open_critical_max else 0,
        "high_open": 15 if facts.open_high > rules.open_high_max else 0,
        "volume": 20 if facts.new_recent > rules.new_tickets_max else 0,
        "open_load": 15 if facts.open > rules.open_max else 0,
        "long_wait": 15 if (facts.longest_wait_days or 0) > rules.long_wait_days else 0,
        "spike": 25 if is_spike(facts.new_recent, facts.new_before, config) else 0,
    }
    inputs: dict[str, Any] = {
        "new_last_28d": facts.new_recent,
        "new_28d_before": facts.new_before,
        "open": facts.open,
        "open_critical": facts.open_critical,
        "open_high": facts.open_high,
        "longest_wait_days": facts.longest_wait_days,
        "penalties": {k: v for k, v in penalties.items() if v},
    }
    return Component("support", _clamp(100 - sum(penalties.values())), weight, inputs)


def engagement(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Component:
    """Touch recency against cadence, multi-threading, and executive attendance at business reviews."""
    weight = config.health.weights.engagement
    active = account.active_stakeholders
    if not active and account.last_touch_on is None:
        return Component("engagement", None, weight, {}, "no contacts and no interactions")
    cadence = config.cadence.touch_days.of(account.segment)  # type: ignore[arg-type]
    if account.last_touch_on is None:
        recency = 0.0
        days_since = None
    else:
        days_since = (as_of - account.last_touch_on).days
        recency = 100.0 if days_since <= cadence else _clamp(100 * (1 - (days_since - cadence) / (2 * cadence)))
    threading = {0: 0.0, 1: 30.0, 2: 70.0}.get(len(active), 100.0)
    has_sponsor = any(s.role == "exec_sponsor" for s in active)
    exec_recent = account.exec_attended_ebr_on is not None and (as_of - account.exec_attended_ebr_on).days <= 180
    executive = 100.0 if exec_recent else 60.0 if has_sponsor else 0.0
    score = 0.5 * recency + 0.3 * threading + 0.2 * executive
    inputs = {
        "days_since_touch": days_since,
        "touch_cadence_days": cadence,
        "active_contacts": len(active),
        "exec_sponsor": has_sponsor,
        "exec_at_ebr_on": account.exec_attended_ebr_on.isoformat() if account.exec_attended_ebr_on else None,
    }
    return Component("engagement", round(score, 1), weight, inputs)


GOAL_SCORES = {"achieved": 100.0, "on_track": 90.0, "planned": 70.0, "at_risk": 35.0, "missed": 0.0}


def success_plan(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Component:
    """Progress on success-plan goals: achieved and on-track raise it; late or missed goals pull it down."""
    weight = config.health.weights.success_plan
    goals = [g for g in account.plan if g.kind == "goal"]
    if not goals:
        return Component("success_plan", None, weight, {}, "no success-plan goals")
    scores = []
    late = 0
    for goal in goals:
        value = GOAL_SCORES.get(goal.status, 70.0)
        if goal.status not in ("achieved", "missed") and goal.due is not None and goal.due < as_of:
            value, late = 20.0, late + 1
        scores.append(value)
    inputs = {
        "goals": len(goals),
        "achieved": sum(g.status == "achieved" for g in goals),
        "customer_confirmed": sum(g.customer_confirmed for g in goals),
        "late": late,
    }
    return Component("success_plan", round(sum(scores) / len(scores), 1), weight, inputs)


def financial(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Component:
    """Financial signals: how near and how secure the renewal is, and expansion in the pipeline."""
    weight = config.health.weights.financial
    days = account.days_to_renewal(as_of)
    if days is None:
        return Component("financial", None, weight, {}, "no renewal date")
    if days < 0:
        score = 20.0
    elif days <= config.renewal.reminder_days:
        score = 90.0 if (account.renewal_forecast or "").lower() in ("commit", "closed") else 60.0
    else:
        score = 85.0
    if account.open_upsell_amount > 0:
        score = min(100.0, score + 10)
    inputs = {
        "days_to_renewal": days,
        "renewal_forecast": account.renewal_forecast,
        "open_expansion": account.open_upsell_amount,
    }
    return Component("financial", score, weight, inputs)


COMPONENTS = (adoption, sentiment, support, engagement, success_plan, financial)


def health_of(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Health:
    """The weighted score over the components that have data; confidence is the share of weight present."""
    components = tuple(component(account, book, as_of, config) for component in COMPONENTS)
    total = sum(c.weight for c in components)
    present = [c for c in components if c.score is not None]
    weight = sum(c.weight for c in present)
    score = round(sum(c.contribution or 0.0 for c in present) / weight, 1) if weight else None
    confidence = round(weight / total, 2) if total else 0.0
    return Health(score=score, band=config.health.band(score), confidence=confidence, components=components)
