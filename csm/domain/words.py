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
