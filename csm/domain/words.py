"""The domain's vocabulary: the words csm accepts for stages, roles, kinds, categories and severities."""

from __future__ import annotations

from datetime import datetime, tzinfo

LIFECYCLE_STAGES = ("evaluation", "purchase", "onboarding", "adoption", "renewal", "expansion", "churned")
SEGMENTS = ("enterprise", "mid_market", "smb")
CONTACT_ROLES = ("exec_sponsor", "champion", "decision_maker", "admin", "user", "influencer")
INFLUENCE_LEVELS = ("high", "medium", "low")
INTERACTION_KINDS = ("call", "email", "meeting", "ebr", "qbr", "note")
TASK_KINDS = (
    "renewal_outreach",
    "renewal_reminder",
    "renewal_overdue",
    "ebr_due",
    "touch_overdue",
    "milestone_due",
    "onboarding",
    "champion_change",
    "one_on_one",
    "deferred",
    "manual",
)
TASK_STATUSES = ("open", "done", "dismissed")
OPPORTUNITY_KINDS = ("renewal", "upsell", "cross_sell", "new_business", "other")
GOAL_STATUSES = ("planned", "on_track", "at_risk", "achieved", "missed")
VALUE_TYPES = ("make_money", "save_money", "save_time")
RISK_CATEGORIES = ("implementation", "sentiment", "support", "product", "company", "renewal")
RISK_SEVERITIES = ("low", "medium", "high", "critical")
RISK_STATUSES = ("open", "snoozed", "resolved")
RENEWAL_SENTIMENTS = ("yes", "unsure", "no")
ARR_KINDS = ("new", "expansion", "contraction", "renewal", "churn", "reactivation", "correction")
RENEWAL_OUTLOOKS = ("commit", "likely", "at_risk", "lost")


def short_money(value: float | None) -> str:
    """Money as a CSM says it: $1.24M, $110k, $9,500 (one formatter for every report and document)."""
    if value is None:
        return "—"
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:.2f}M"
    if abs(value) >= 10_000:
        return f"${value / 1_000:.0f}k"
    return f"${value:,.0f}"


def moment_words(moment: datetime | None, now: datetime, zone: tzinfo) -> str:
    """When something happened, as a CSM says it in their zone: '07:10 today', '18:02 yesterday', 'Mon 22 Feb
    07:10', or 'never'."""
    if moment is None:
        return "never"
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    if local.date() == today:
        return f"{local:%H:%M} today"
    if (today - local.date()).days == 1:
        return f"{local:%H:%M} yesterday"
    if local.year == today.year:
        return f"{local:%a} {local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y %H:%M}"
