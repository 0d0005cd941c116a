"""The domain's vocabulary: the words csm accepts for stages, roles, kinds, categories and severities."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

LIFECYCLE_STAGES = ("evaluation", "purchase", "onboarding", "adoption", "renewal", "expansion", "churned")
SEGMENTS = ("enterprise", "mid_market", "smb")
CONTACT_ROLES = ("exec_sponsor", "champion", "decision_maker", "admin", "user", "influencer")
INFLUENCE_LEVELS = ("high", "medium", "low")
INTERACTION_KINDS = ("call", "email", "meeting", "ebr", "qbr", "note")
SENTIMENTS = ("positive", "neutral", "negative")  # how a logged interaction went (csm log --sentiment)
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
    "playbook",
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
    return "—" if value is None else "$" + short_figure(value)


def short_figure(value: float) -> str:
    """An amount as `short_money` writes it, without a sign: 1.24M, 110k, 9,500 (for sums of two currencies)."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.2f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"


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


# Every field a report shows, in a CSM's words (JSON keeps the keys).
FIELD_LABELS = {
    "measured_on": "measured on",
    "active_users": "active users",
    "licensed_seats": "licensed seats",
    "utilisation": "seats in use",
    "feature_breadth": "features in use",
    "active_users_trend": "active users since the month before",
    "latest_nps_answer": "latest NPS answer",
    "answered_on": "answered on",
    "would_renew": "would renew",
    "last_call": "last call marked",
    "last_call_on": "on",
    "tickets": "tickets",
    "last_ticket_on": "last ticket on",
    "new_last_28d": "new tickets in the last 28 days",
    "new_28d_before": "in the 28 days before",
    "open": "open",
    "open_critical": "open critical",
    "open_high": "open high",
    "longest_wait_days": "longest wait in days",
    "penalties": "points off for",
    "days_since_touch": "days since the last touch",
    "touch_cadence_days": "touch cadence in days",
    "active_contacts": "active contacts",
    "exec_sponsor": "executive sponsor",
    "exec_at_ebr_on": "executive at the EBR on",
    "goals": "goals",
    "achieved": "achieved",
    "customer_confirmed": "confirmed by the customer",
    "late": "late",
    "days_to_renewal": "days to renewal",
    "renewal_forecast": "renewal forecast",
    "open_expansion": "open expansion",
    "lifecycle_stage": "stage",
    "renewal_date": "renewal",
    "contract_start": "contract start",
    "first_value_on": "first value on",
    "ebr_cadence_months": "EBR cadence in months",
    "renewal_sentiment": "would renew",
    "renewal_sentiment_on": "judged on",
    "external_id": "CRM id",
    "company_revenue": "company revenue",
    "licences": "licences",
    "arr": "ARR",
}
PENALTY_LABELS = {
    "critical_open": "a critical ticket open",
    "high_open": "high tickets open",
    "volume": "new tickets over the limit",
    "open_load": "too many open",
    "long_wait": "a long wait",
    "spike": "a spike",
}
VALUE_WORDS = {"ebr_due": "EBR due", "ebr": "EBR", "qbr": "QBR", "one_on_one": "1:1", "exec_sponsor": "exec sponsor"}
_SHARES = {"utilisation", "feature_breadth"}
_CHANGES = {"active_users_trend"}
_MONEY = {"open_expansion", "arr", "company_revenue"}
_WORDS = {"segment", "lifecycle_stage", "role", "influence", "kind", "status", "severity", "category"}


def is_plain_field(key: str, value: object) -> bool:
    """Whether `field_value` has nothing to add to a value (a date, a name, a list): shown as it is."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return not (
        (number and key in _SHARES | _CHANGES | _MONEY)
        or isinstance(value, dict)
        or (isinstance(value, str) and key in _WORDS)
    )


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " "))


def field_value(key: str, value: object, currency: str | None = None) -> str:
    """A field's value as a CSM reads it: shares as percentages, money with its currency, yes and no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in _SHARES and isinstance(value, int | float):
        return f"{value:.0%}"
    if key in _CHANGES and isinstance(value, int | float):
        return f"{value:+.0%}"
    if key in _MONEY and isinstance(value, int | float):
        return money(value, currency)
    if key == "penalties" and isinstance(value, dict):
        return ", ".join(f"{PENALTY_LABELS.get(k, k.replace('_', ' '))} ({v:g})" for k, v in value.items()) or "none"
    if isinstance(value, str) and key in _WORDS:
        return VALUE_WORDS.get(value, value.replace("_", "-" if key == "segment" else " "))
    return f"{value:g}" if isinstance(value, float) else str(value)


def described(inputs: dict[str, object], currency: str | None = None) -> str:
    """ "active users 92, licensed seats 100, seats in use 92%": a score's inputs in words, the unknown left out."""
    return ", ".join(f"{field_label(k)} {field_value(k, v, currency)}" for k, v in inputs.items() if v is not None)


CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}


def money(value: float | None, currency: str | None = None) -> str:
    """`short_money` in the account's currency: €42k, £9,500, CHF 120k (dollars where none is known)."""
    return shown_in(short_money(value), currency) if value is not None else short_money(value)


def per_currency(parts: list[tuple[str, float]]) -> str:
    """Figures of one kind in each currency, never added: "€120k + $380k" (the ones that are not zero), "€0" when
    all are."""
    shown = [(code, value) for code, value in parts if value] or parts[:1]
    return " + ".join(money(value, code) for code, value in shown) if shown else short_money(0.0)


def currency_code(currency: str | None) -> str:
    """An account's currency as reports group and show it: its ISO code; USD where none is known; XXX (ISO's "no
    currency") for anything a book imported before codes were checked holds that is no code."""
    if currency is None:
        return "USD"
    code = currency.strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else "XXX"


def shown_in(dollars: str, currency: str | None) -> str:
    """A figure written with $ in the account's currency: "$42k" in EUR is "€42k", in CHF "CHF 42k"."""
    code = currency_code(currency)
    if code == "USD":
        return dollars
    sign = CURRENCY_SIGNS.get(code)
    return dollars.replace("$", sign, 1) if sign else dollars.replace("$", f"{code} ", 1)


def logged_words(kind: str, account: str, on: date) -> str:
    """ "an email with Acme Corp on 2027-03-01", "a call with …": what `csm log` and the assistant say was logged."""
    shown = {"ebr": "EBR", "qbr": "QBR"}.get(kind, kind)
    article = "an" if shown[:1].lower() in "aeiou" else "a"
    return f"{article} {shown} with {account} on {on}"


def score_words(score: float) -> str:
    """A health score as words show it: to one decimal where it has one (69.7 is not "70 < 70")."""
    return f"{round(score, 1):g}"


def days_away(days: int) -> str:
    """How far a day is from today, in words: "today", "tomorrow", "in 5 days", "3 days overdue"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days" if days > 0 else f"{plural(-days, 'day')} overdue"
