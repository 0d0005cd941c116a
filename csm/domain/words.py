"""The domain's vocabulary: the words csm accepts for stages, roles, kinds, categories and severities."""

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
