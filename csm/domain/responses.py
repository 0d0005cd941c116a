"""The first response a risk carries: fitted to its own rule, and for a renewal risk to where the renewal stands.

The category's playbook in the config ([responses.CATEGORY] first_response, escalation) is the default; a rule
that calls for something more specific says it here, and a renewal risk's response follows the renewal's state
(ahead, inside the outreach window, or passed), so an overdue renewal never gets "start the conversation".
"""

from __future__ import annotations

from datetime import date, timedelta

from csm.config import Config

RULE_RESPONSES = {
    "ticket_volume": "Review the new tickets with support: what changed (a release, a new team, an outage)? "
    "Ask for a root-cause analysis.",
    "ticket_spike": "Review the new tickets with support: what changed (a release, a new team, an outage)? "
    "Ask for a root-cause analysis.",
    "critical_ticket_open": "Get the critical ticket's owner and fix date from support today, and tell the customer "
    "what happens next.",
    "support_silence": "Check their usage and call your champion: months without a ticket can mean they stopped "
    "using the product.",
    "nps_detractor": "Call the person who answered, listen for the root cause, and log what you heard.",
    "nps_falling": "Call the person who answered, listen for what changed, and log what you heard.",
    "csm_would_not_renew": "Write down why you doubt the renewal, and what would change your answer; plan it.",
    "champion_left": "Call now: find the new stakeholder, re-introduce the relationship, and ask where the old one "
    "went (a sales lead).",
    "single_threaded": "Ask your contact to introduce you to two more people: a sponsor and a day-to-day user.",
    "no_exec_sponsor": "Ask your champion who owns the outcome at the executive level, and meet them.",
    "open_sow": "Agree the statement of work's scope and dates with the customer, and track it to sign-off.",
}


def first_response(rule: str, category: str, renewal_date: date | None, as_of: date, config: Config) -> tuple[str, str]:
    """The first response and the escalation path for a risk of `rule` in `category` on an account renewing on
    `renewal_date`."""
    playbook = config.response(category)
    if category == "renewal":
        return _renewal_response(renewal_date, as_of, playbook.first_response, config), playbook.escalation
    return RULE_RESPONSES.get(rule, playbook.first_response), playbook.escalation


def _renewal_response(renewal_date: date | None, as_of: date, default: str, config: Config) -> str:
    if renewal_date is None:
        return "Confirm the renewal date and who decides it, then plan the renewal conversation."
    if renewal_date < as_of:
        return (
            f"The renewal date {renewal_date} has passed: record the outcome ('csm renew' with the new ARR, or "
            "'csm churn'), or the new date, and settle what is still open."
        )
    opens = renewal_date - timedelta(days=config.renewal.outreach_days)
    if opens > as_of:
        return f"Plan an EBR on value delivered before the renewal conversation opens on {opens}."
    return default
