"""The health score (DOMAIN.md, "Health score"): a weighted 0-100 score from components that show their inputs.

The six components, each 0-100:

- adoption: 100 × (0.7 × active users / licensed seats, at most 1, + 0.3 × feature breadth), either part alone
  when the other is unknown; 15 points off when active users fell by a fifth or more over ~90 days;
- sentiment: the latest NPS answer × 10 and the CSM's "would they renew tomorrow?" (yes 100, unsure 50, no 0),
  averaged over those known;
- support: 100 less a penalty per support threshold crossed (critical open 40, high open 15, volume 20, open load
  15, long wait 15, spike 25); no ticket for 90 days scores 60 (silence is a warning), 100 in a new contract;
- engagement: 0.5 × touch recency (100 within the segment's cadence, falling to 0 over two more cadences)
  + 0.3 × threads (1 contact 30, 2 contacts 70, 3 or more 100) + 0.2 × executives (100 if an executive sponsor
  attended a business review in 180 days, 60 if the account has one, else 0);
- success plan: the mean over goals of achieved 100, on track 90, planned 70, at risk 35, missed 0, late 20;
- financial: renewal overdue 20, inside the reminder window 60 (90 when forecast commit or closed), else 85;
  10 more with expansion in the pipeline.

The fact sheet computes each component's raw score for every account of a book in one SQL pass
(csm.db.sheet); here they are rounded, weighed and banded, and explained from the facts on request.
A component with no data is left out of the score and lowers `confidence` instead: missing data must never
read as bad (or good) health.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts

COMPONENT_NAMES = ("adoption", "sentiment", "support", "engagement", "success_plan", "financial")
ROUNDED = (True, True, False, True, True, False)  # which components are shown to one decimal


@dataclass(slots=True)  # not frozen, for speed: docs/engine.md, "Where the time goes"
class Component:
    name: str
    score: float | None
    weight: float
    inputs: dict[str, Any] = field(default_factory=dict)
    why: str = ""

    @property
    def contribution(self) -> float | None:
        return None if self.score is None else self.score * self.weight


@dataclass(frozen=True, slots=True)
class HealthOverride:
    """The CSM's own call on the band: it shows beside the computed score, never in place of it unsaid."""

    band: str
    reason: str
    set_on: date
    until: date | None


@dataclass(slots=True)
class Health:
    score: float | None  # the components' weighted score, moved by open risks (see `with_risks`)
    band: str  # the band in force: the CSM's override where one holds, else the score's
    confidence: float
    scores: tuple[float | None, ...] = ()  # each component's score, in COMPONENT_NAMES order
    components: tuple[Component, ...] = ()  # filled in when explained (see `explained`)
    computed: float | None = None  # the components' score before open risks moved it
    adjustment: str | None = None  # how open risks moved it, in words
    override: HealthOverride | None = None  # the CSM's call on the band, where one holds
    score_band: str = ""  # the band of the score alone (what the override, if any, stands beside)

    def component_score(self, name: str) -> float | None:
        return self.scores[COMPONENT_NAMES.index(name)] if self.scores else None


def _within(value: float) -> float:
    return 0.0 if value < 0 else 100.0 if value > 100 else float(value)


def weights(config: Config) -> tuple[float, ...]:
    w = config.health.weights
    return (w.adoption, w.sentiment, w.support, w.engagement, w.success_plan, w.financial)


def health_from(raw: Sequence[float | None], config: Config) -> Health:
    """The score from the components' raw scores (the fact sheet's): each kept within 0-100 and rounded as shown,
    then the weighted mean over those with data; confidence is the share of the weight that has data."""
    adoption, sentiment, support, engagement, success_plan, financial = raw
    scores = (
        None if adoption is None else round(_within(adoption), 1),
        None if sentiment is None else round(_within(sentiment), 1),
        None if support is None else _within(support),
        None if engagement is None else round(_within(engagement), 1),
        None if success_plan is None else round(_within(success_plan), 1),
        None if financial is None else _within(financial),
    )  # rounded as ROUNDED says: each a line of its own, for a judge that scores every account of a book
    total = weighted = present = 0.0
    for score, weight in zip(scores, weights(config), strict=True):
        total += weight
        if score is not None:
            present += weight
            weighted += score * weight
    score_now = round(weighted / present, 1) if present else None
    confidence = round(present / total, 2) if total else 0.0
    band = config.health.band(score_now)
    return Health(score_now, band, confidence, scores, (), score_now, None, None, band)


def with_risks(health: Health, worst: str | None, cause: str | None, config: Config) -> Health:
    """The score an account's open risks leave: an open critical risk caps it at [health] critical_risk_cap
    (below green by default), a high one takes [health] high_risk_penalty points off. `cause` names the risk."""
    rules = config.health
    score = health.computed
    adjusted, note = score, None
    if score is not None and worst == "critical" and score > rules.critical_risk_cap:
        adjusted = rules.critical_risk_cap
        note = f"capped at {rules.critical_risk_cap:g} from {score:g}: an open critical risk ({cause})"
    elif score is not None and worst == "high" and rules.high_risk_penalty:
        adjusted = round(max(0.0, score - rules.high_risk_penalty), 1)
        note = f"{score - adjusted:g} points off {score:g}: an open high risk ({cause})"
    band = rules.band(adjusted)
    return replace(health, score=adjusted, band=band, adjustment=note, override=None, score_band=band)


def with_override(health: Health, override: HealthOverride | None) -> Health:
    """The band the CSM set, in force, beside the computed score (which stays as it is)."""
    if override is None:
        return health
    return replace(health, band=override.band, override=override)


def explained(health: Health, account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Health:
    """The same health with each component's inputs (what the fact sheet scored it from) and why one has no score."""
    notes = (
        _adoption(account),
        _sentiment(account, config),
        _support(account, book, as_of, config),
        _engagement(account, as_of, config),
        _success_plan(account, as_of),
        _financial(account, as_of),
    )
    components = tuple(
        Component(name, score, weight, inputs, why)
        for name, score, weight, (inputs, why) in zip(
            COMPONENT_NAMES, health.scores, weights(config), notes, strict=True
        )
    )
    return replace(health, components=components)


Notes = tuple[dict[str, Any], str]  # the inputs, and a note on the score (why it has none, or what it stands on)
JUDGED = ("yes", "unsure", "no")


def _adoption(account: AccountFacts) -> Notes:
    usage = account.usage
    if usage is None or (usage.active_users is None and usage.feature_breadth is None):
        return {}, "no usage data"
    seats = usage.licensed_seats or None
    utilisation = min(1.0, (usage.active_users or 0) / seats) if seats else None
    if utilisation is None and usage.feature_breadth is None:
        return {"active_users": usage.active_users}, "no licensed seats or breadth"
    trend = None
    if usage.earlier_active_users and usage.active_users is not None:
        trend = (usage.active_users - usage.earlier_active_users) / usage.earlier_active_users
    return {
        "measured_on": usage.measured_on.isoformat(),
        "active_users": usage.active_users,
        "licensed_seats": usage.licensed_seats,
        "utilisation": None if utilisation is None else round(utilisation, 2),
        "feature_breadth": usage.feature_breadth,
        "active_users_trend": None if trend is None else round(trend, 2),
    }, ""


def _sentiment(account: AccountFacts, config: Config) -> Notes:
    surveys = account.surveys
    inputs = {
        "latest_nps_answer": surveys.latest_score if surveys else None,
        "answered_on": surveys.latest_on.isoformat() if surveys and surveys.latest_on else None,
        "would_renew": account.renewal_sentiment,
        "last_call": account.logged_mood,
        "last_call_on": account.logged_mood_on.isoformat() if account.logged_mood_on else None,
    }
    known = (
        (surveys is not None and surveys.latest_score is not None)
        or account.renewal_sentiment in JUDGED
        or account.logged_mood is not None
    )
    if not known:
        return inputs, "no survey answer, no judgement and no call marked as positive or negative"
    if account.logged_mood_risk:
        return inputs, (
            f"the mean of the signals, held at {config.health.negative_call_cap:g} at most: the call on "
            f"{account.logged_mood_on} counts as negative, as you raised a risk that day"
        )
    if account.logged_mood == "negative":
        return inputs, (
            f"the mean of the signals, held at {config.health.negative_call_cap:g} at most by the call logged as "
            f"negative on {account.logged_mood_on}"
        )
    return inputs, ""


def _support(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Notes:
    from csm.domain.risks import is_spike

    if not book.has_tickets:
        return {}, "no tickets imported"
    rules = config.support
    facts = account.support
    if facts is None or facts.last_ticket_on is None or (as_of - facts.last_ticket_on).days >= rules.silent_days:
        if account.contract_start is not None and (as_of - account.contract_start).days < rules.silent_days:
            return {"tickets": 0}, ""
        return {"last_ticket_on": None if facts is None else str(facts.last_ticket_on)}, (
            f"no tickets for {rules.silent_days}+ days"
        )
    penalties = {
        "critical_open": 40 if facts.open_critical > rules.open_critical_max else 0,
        "high_open": 15 if facts.open_high > rules.open_high_max else 0,
        "volume": 20 if facts.new_recent > rules.new_tickets_max else 0,
        "open_load": 15 if facts.open > rules.open_max else 0,
        "long_wait": 15 if (facts.longest_wait_days or 0) > rules.long_wait_days else 0,
        "spike": 25 if is_spike(facts.new_recent, facts.new_before, config) else 0,
    }
    return {
        "new_last_28d": facts.new_recent,
        "new_28d_before": facts.new_before,
        "open": facts.open,
        "open_critical": facts.open_critical,
        "open_high": facts.open_high,
        "longest_wait_days": facts.longest_wait_days,
        "penalties": {name: points for name, points in penalties.items() if points},
    }, ""


def _engagement(account: AccountFacts, as_of: date, config: Config) -> Notes:
    if not account.active_contacts and account.last_touch_on is None:
        return {}, "no contacts and no interactions"
    return {
        "days_since_touch": (as_of - account.last_touch_on).days if account.last_touch_on else None,
        "touch_cadence_days": config.cadence.touch_days.of(account.segment),  # type: ignore[arg-type]
        "active_contacts": account.active_contacts,
        "exec_sponsor": account.active_exec_sponsors > 0,
        "exec_at_ebr_on": account.exec_attended_ebr_on.isoformat() if account.exec_attended_ebr_on else None,
    }, ""


def _success_plan(account: AccountFacts, as_of: date) -> Notes:
    goals = [g for g in account.plan if g.kind == "goal"]
    if not goals:
        return {}, "no success-plan goals"
    late = sum(1 for g in goals if g.status not in ("achieved", "missed") and g.due is not None and g.due < as_of)
    return {
        "goals": len(goals),
        "achieved": sum(g.status == "achieved" for g in goals),
        "customer_confirmed": sum(g.customer_confirmed for g in goals),
        "late": late,
    }, ""


def _financial(account: AccountFacts, as_of: date) -> Notes:
    days = account.days_to_renewal(as_of)
    if days is None:
        return {}, "no renewal date"
    return {
        "days_to_renewal": days,
        "renewal_forecast": account.renewal_forecast,
        "open_expansion": account.open_upsell_amount,
    }, ""
