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


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 ticket", "3 tickets", "0 tickets"; `many` for a plural that is not noun + s ("1 reply", "2 replies")."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def possessive(name: str) -> str:
    """ "Acme Corp's", "Northwind Traders'" (a name ending in s takes the apostrophe alone)."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def listed(items: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def deferred_words(deferrals: int, reason: str | None) -> str:
    """ "deferred once: Tom on vacation", "deferred 3 times"; "" for a to-do never deferred."""
    if not deferrals:
        return ""
    times = {1: "once", 2: "twice"}.get(deferrals, f"{deferrals} times")
    return f"deferred {times}" + (f": {reason.strip()}" if reason and reason.strip() else "")


# What each rule is about, in a CSM's words: a risk cites another by these, never by its id (JSON keeps the ids).
RULE_LABELS = {
    "ticket_volume": "a surge of new tickets",
    "ticket_spike": "a rise in new tickets",
    "open_tickets": "too many open tickets",
    "critical_ticket_open": "a critical ticket open",
    "high_tickets_open": "high-priority tickets open",
    "long_ticket_wait": "a ticket waiting too long",
    "support_silence": "no tickets for months",
    "nps_detractor": "a detractor NPS answer",
    "nps_falling": "a falling NPS",
    "csm_would_not_renew": "your doubt they would renew",
    "champion_left": "a key contact who left",
    "single_threaded": "a single relationship",
    "no_exec_sponsor": "no executive sponsor",
    "not_activated": "a customer never activated",
    "onboarding_behind": "onboarding behind plan",
    "open_sow": "an open statement of work",
    "feature_gap_renewal": "open feature requests",
    "renewal_overdue": "an overdue renewal",
    "renewal_at_risk": "a renewal at risk",
}


def rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule.replace("_", " "))
