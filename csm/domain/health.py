"""The health score (DOMAIN.md, "Health score"): a weighted 0-100 score from components that show their inputs.

A component with no data is left out of the score and lowers `confidence` instead: missing data
must never read as bad (or good) health.

Each component is one function that returns its score and, when handed `Notes`, writes down what it
looked at. The judge scores every account of a book without notes; `--explain`, the health report and
the prep sheet ask for them. One formula either way.
"""

from __future__ import annotations

from collections.abc import Callable
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
    components: tuple[Component, ...] = ()  # filled in when explained (health_of(..., explain=True))
    scores: tuple[float | None, ...] = ()  # each component's score, in COMPONENT_NAMES order

    def component_score(self, name: str) -> float | None:
        return self.scores[COMPONENT_NAMES.index(name)] if self.scores else None


class Notes:
    """What a component looked at: its inputs, and why it has no score."""

    __slots__ = ("inputs", "why")

    def __init__(self) -> None:
        self.inputs: dict[str, Any] = {}
        self.why = ""


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def adoption(account: AccountFacts, book: BookFacts, as_of: date, config: Config, notes: Notes | None) -> float | None:
    """Usage: active users against licensed seats, breadth of features, and the trend over ~90 days."""
    usage = account.usage
    if usage is None or (usage.active_users is None and usage.feature_breadth is None):
        if notes:
            notes.why = "no usage data"
        return None
    seats = usage.licensed_seats or None
    utilisation = min(1.0, (usage.active_users or 0) / seats) if seats else None
    breadth = usage.feature_breadth
    if utilisation is None and breadth is None:  # active users without licensed seats say nothing about adoption
        if notes:
            notes.inputs, notes.why = {"active_users": usage.active_users}, "no licensed seats or breadth"
        return None
    if utilisation is not None and breadth is not None:
        score = 100 * (0.7 * utilisation + 0.3 * breadth)
    else:
        score = 100 * (utilisation if utilisation is not None else breadth or 0.0)
    trend = None
    if usage.earlier_active_users and usage.active_users is not None:
        trend = (usage.active_users - usage.earlier_active_users) / usage.earlier_active_users
        if trend <= -0.2:
            score -= 15
    if notes:
        notes.inputs = {
            "measured_on": usage.measured_on.isoformat(),
            "active_users": usage.active_users,
            "licensed_seats": usage.licensed_seats,
            "utilisation": None if utilisation is None else round(utilisation, 2),
            "feature_breadth": usage.feature_breadth,
            "active_users_trend": None if trend is None else round(trend, 2),
        }
    return round(_clamp(score), 1)


JUDGED = {"yes": 100.0, "unsure": 50.0, "no": 0.0}


def sentiment(account: AccountFacts, book: BookFacts, as_of: date, config: Config, notes: Notes | None) -> float | None:
    """Measured (the latest NPS answer) and judged (the CSM's 'would they renew tomorrow?')."""
    surveys = account.surveys
    judged = JUDGED.get(account.renewal_sentiment or "")
    measured = surveys.latest_score * 10.0 if surveys and surveys.latest_score is not None else None
    if notes:
        notes.inputs = {
            "latest_nps_answer": surveys.latest_score if surveys else None,
            "answered_on": surveys.latest_on.isoformat() if surveys and surveys.latest_on else None,
            "would_renew": account.renewal_sentiment,
        }
    if measured is None and judged is None:
        if notes:
            notes.why = "no survey answer and no judgement recorded"
        return None
    if measured is None or judged is None:
        return round(measured if judged is None else judged, 1)  # type: ignore[arg-type]
    return round((measured + judged) / 2, 1)


def support(account: AccountFacts, book: BookFacts, as_of: date, config: Config, notes: Notes | None) -> float | None:
    """Support load against the risk thresholds; silence for 90 days counts against, not for."""
    if not book.has_tickets:
        if notes:
            notes.why = "no tickets imported"
        return None
    rules = config.support
    facts = account.support
    if facts is None or facts.last_ticket_on is None or (as_of - facts.last_ticket_on).days >= rules.silent_days:
        if account.contract_start is not None and (as_of - account.contract_start).days < rules.silent_days:
            if notes:
                notes.inputs = {"tickets": 0}
            return 100.0
        if notes:
            notes.inputs = {"last_ticket_on": None if facts is None else str(facts.last_ticket_on)}
            notes.why = f"no tickets for {rules.silent_days}+ days"
        return 60.0
    penalties = (
        ("critical_open", 40 if facts.open_critical > rules.open_critical_max else 0),
        ("high_open", 15 if facts.open_high > rules.open_high_max else 0),
        ("volume", 20 if facts.new_recent > rules.new_tickets_max else 0),
        ("open_load", 15 if facts.open > rules.open_max else 0),
        ("long_wait", 15 if (facts.longest_wait_days or 0) > rules.long_wait_days else 0),
        ("spike", 25 if is_spike(facts.new_recent, facts.new_before, config) else 0),
    )
    if notes:
        notes.inputs = {
            "new_last_28d": facts.new_recent,
            "new_28d_before": facts.new_before,
            "open": facts.open,
            "open_critical": facts.open_critical,
            "open_high": facts.open_high,
            "longest_wait_days": facts.longest_wait_days,
            "penalties": {name: points for name, points in penalties if points},
        }
    return _clamp(100 - sum(points for _, points in penalties))


THREADING = {0: 0.0, 1: 30.0, 2: 70.0}


def engagement(
    account: AccountFacts, book: BookFacts, as_of: date, config: Config, notes: Notes | None
) -> float | None:
    """Touch recency against cadence, multi-threading, and executive attendance at business reviews."""
    active = account.active_contacts
    if not active and account.last_touch_on is None:
        if notes:
            notes.why = "no contacts and no interactions"
        return None
    cadence = config.cadence.touch_days.of(account.segment)  # type: ignore[arg-type]
    if account.last_touch_on is None:
        recency = 0.0
        days_since = None
    else:
        days_since = (as_of - account.last_touch_on).days
        recency = 100.0 if days_since <= cadence else _clamp(100 * (1 - (days_since - cadence) / (2 * cadence)))
    threading = THREADING.get(active, 100.0)
    has_sponsor = account.active_exec_sponsors > 0
    exec_recent = account.exec_attended_ebr_on is not None and (as_of - account.exec_attended_ebr_on).days <= 180
    executive = 100.0 if exec_recent else 60.0 if has_sponsor else 0.0
    if notes:
        notes.inputs = {
            "days_since_touch": days_since,
            "touch_cadence_days": cadence,
            "active_contacts": active,
            "exec_sponsor": has_sponsor,
            "exec_at_ebr_on": account.exec_attended_ebr_on.isoformat() if account.exec_attended_ebr_on else None,
        }
    return round(0.5 * recency + 0.3 * threading + 0.2 * executive, 1)


GOAL_SCORES = {"achieved": 100.0, "on_track": 90.0, "planned": 70.0, "at_risk": 35.0, "missed": 0.0}


def success_plan(
    account: AccountFacts, book: BookFacts, as_of: date, config: Config, notes: Notes | None
) -> float | None:
    """Progress on success-plan goals: achieved and on-track raise it; late or missed goals pull it down."""
    goals = [g for g in account.plan if g.kind == "goal"]
    if not goals:
        if notes:
            notes.why = "no success-plan goals"
        return None
    scores = []
    late = 0
    for goal in goals:
        value = GOAL_SCORES.get(goal.status, 70.0)
        if goal.status not in ("achieved", "missed") and goal.due is not None and goal.due < as_of:
            value, late = 20.0, late + 1
        scores.append(value)
    if notes:
        notes.inputs = {
            "goals": len(goals),
            "achieved": sum(g.status == "achieved" for g in goals),
            "customer_confirmed": sum(g.customer_confirmed for g in goals),
            "late": late,
        }
    return round(sum(scores) / len(scores), 1)


def financial(account: AccountFacts, book: BookFacts, as_of: date, config: Config, notes: Notes | None) -> float | None:
    """Financial signals: how near and how secure the renewal is, and expansion in the pipeline."""
    days = account.days_to_renewal(as_of)
    if days is None:
        if notes:
            notes.why = "no renewal date"
        return None
    if days < 0:
        score = 20.0
    elif days <= config.renewal.reminder_days:
        score = 90.0 if (account.renewal_forecast or "").lower() in ("commit", "closed") else 60.0
    else:
        score = 85.0
    if account.open_upsell_amount > 0:
        score = min(100.0, score + 10)
    if notes:
        notes.inputs = {
            "days_to_renewal": days,
            "renewal_forecast": account.renewal_forecast,
            "open_expansion": account.open_upsell_amount,
        }
    return score


ComponentRule = Callable[[AccountFacts, BookFacts, date, Config, "Notes | None"], "float | None"]
COMPONENTS: tuple[ComponentRule, ...] = (adoption, sentiment, support, engagement, success_plan, financial)
COMPONENT_NAMES = tuple(rule.__name__ for rule in COMPONENTS)


def health_of(account: AccountFacts, book: BookFacts, as_of: date, config: Config, *, explain: bool = False) -> Health:
    """The weighted score over the components that have data; confidence is the share of weight present.

    With `explain`, each component comes with the inputs it used (and why it has no score)."""
    w = config.health.weights
    weights = (w.adoption, w.sentiment, w.support, w.engagement, w.success_plan, w.financial)
    notes = [Notes() for _ in COMPONENTS] if explain else [None] * len(COMPONENTS)
    scores = tuple(rule(account, book, as_of, config, note) for rule, note in zip(COMPONENTS, notes, strict=True))
    total = weighted = present = 0.0
    for score, weight in zip(scores, weights, strict=True):
        total += weight
        if score is not None:
            present += weight
            weighted += score * weight
    score_now = round(weighted / present, 1) if present else None
    confidence = round(present / total, 2) if total else 0.0
    components: tuple[Component, ...] = ()
    if explain:
        components = tuple(
            Component(name, score, weight, note.inputs, note.why)  # type: ignore[union-attr]
            for name, score, weight, note in zip(COMPONENT_NAMES, scores, weights, notes, strict=True)
        )
    return Health(score_now, config.health.band(score_now), confidence, components, scores)
