"""Risk rules in the six categories (DOMAIN.md, "Risks"): implementation, sentiment, support, product, company, renewal.

The fact sheet (csm.db.findings) hands each rule family only the accounts whose facts put it in play, as a
small row; the rule decides exactly and returns findings with evidence in words and numbers, and `since`:
the day the situation began, read from the facts (the day the ticket that took a count over its limit was
opened, the survey answer's day, the day the champion left). A finding is new on its `since` day; a resolved
risk stays quiet while its situation lasts. The renewal rule runs last because it weighs the others and the
health score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from csm.config import Config
from csm.domain.facts import SupportFacts, SurveyFacts
from csm.domain.triggers import Person
from csm.domain.words import listed, plural, rule_label, score_words

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}
WINDOWED_RULES = ("ticket_volume", "ticket_spike")  # their `since` needs the tickets day by day
LOOKBACK_DAYS = 120


@dataclass(slots=True)  # not frozen, for speed: docs/engine.md, "Where the time goes"
class RiskFinding:
    account_id: int
    category: str
    severity: str
    rule: str
    evidence: str
    rule_key: str
    since: date | None = None  # the first day of the situation; None where the facts cannot tell


def _finding(
    account_id: int, category: str, severity: str, rule: str, evidence: str, key: str = "", *, since: date | None = None
) -> RiskFinding:
    return RiskFinding(
        account_id, category, severity, rule, evidence, f"{rule}:{account_id}" + (f":{key}" if key else ""), since
    )


def _after(day: date | None, days: int) -> date | None:
    return None if day is None else day + timedelta(days=days)


class Support(NamedTuple):
    account_id: int
    churned: bool
    contract_start: date | None
    support: SupportFacts | None  # None: no tickets for this account in the book


def support_risks(row: Support, first_ticket_on: date | None, as_of: date, config: Config) -> list[RiskFinding]:
    """Support thresholds per account (volume, open load, critical/high open, long waits, spikes, silence), as one
    risk per problem: the new tickets (over the limit, or up on the weeks before: one risk with both numbers), the
    open tickets (too many, critical or high ones, a long wait: one risk with every number), or the silence.

    `first_ticket_on` is where the book's ticket history starts (the fact sheet asks only when it has tickets)."""
    facts = row.support
    found = (
        [] if facts is None else [f for f in (_new_tickets(row, facts, config), _open_tickets(row, facts, config)) if f]
    )
    silence = support_silence(row, first_ticket_on, as_of, config)
    return found + ([silence] if silence else [])


def _new_tickets(row: Support, facts: SupportFacts, config: Config) -> RiskFinding | None:
    """Volume over the limit and a spike on the weeks before share their evidence, the same new tickets: one
    finding, named by the stronger (its `since` is filled in from the tickets day by day, csm.reports.judge)."""
    rules, window = config.support, config.support.window_days
    over = facts.new_recent > rules.new_tickets_max
    spike = is_spike(facts.new_recent, facts.new_before, config)
    if not (over or spike):
        return None
    evidence = f"{plural(facts.new_recent, 'new ticket')} in the last {window} days"
    if over:
        evidence += f" (limit {rules.new_tickets_max})"
    if spike:
        evidence += f", up from {facts.new_before} in the {window} days before"
    elif facts.new_before:
        evidence += f" ({facts.new_before} in the {window} days before)"
    return _finding(row.account_id, "support", "high" if over else "medium",
                    "ticket_volume" if over else "ticket_spike", evidence)  # fmt: skip


def _open_tickets(row: Support, facts: SupportFacts, config: Config) -> RiskFinding | None:
    """Too many open, critical or high-priority ones open, one waiting too long: the same open tickets, one finding
    with every number, named and dated by its most severe part."""
    rules = config.support
    parts: list[tuple[int, str, str, date | None, str]] = []  # severity rank, rule, severity, since, words
    if facts.open_critical > rules.open_critical_max:
        parts.append((3, "critical_ticket_open", "critical", facts.critical_over_since,
                      f"{plural(facts.open_critical, 'critical ticket')} open"))  # fmt: skip
    if facts.open_high > rules.open_high_max:
        parts.append((2, "high_tickets_open", "high", facts.high_over_since,
                      f"{plural(facts.open_high, 'high-priority ticket')} open (limit {rules.open_high_max})"))  # fmt: skip
    if facts.open > rules.open_max:
        parts.append((1, "open_tickets", "medium", facts.open_over_since,
                      f"{plural(facts.open, 'ticket')} open at once (limit {rules.open_max})"))  # fmt: skip
    if facts.longest_wait_days is not None and facts.longest_wait_days > rules.long_wait_days:
        # "the oldest" after "7 tickets open at once" is one of those; after "1 critical ticket open" it would read
        # as the critical one, which may be days old
        oldest = "the oldest" if parts and parts[-1][1] == "open_tickets" else "the oldest open ticket"
        parts.append((0, "long_ticket_wait", "medium", _after(facts.oldest_open_on, rules.long_wait_days + 1),
                      f"{oldest} has waited {plural(facts.longest_wait_days, 'day')} (limit {rules.long_wait_days})"))  # fmt: skip
    if not parts:
        return None
    parts.sort(key=lambda part: -part[0])
    _rank, rule, severity, since, _words = parts[0]
    evidence = "; ".join(words for *_rest, words in parts)
    if parts[0][1] == "long_ticket_wait":
        evidence = "a ticket " + evidence.removeprefix("the oldest open ticket ")
    return _finding(row.account_id, "support", severity, rule, evidence, since=since)


def is_spike(recent: int, before: int, config: Config) -> bool:
    """Volume in the last 4 weeks up by the threshold (50%) or more on the 4 weeks before; a spike from zero
    needs at least `spike_min_tickets` tickets, so one ticket after a quiet month is not a spike."""
    rules = config.support
    if before == 0:
        return recent >= rules.spike_min_tickets
    return recent >= rules.spike_min_tickets and (recent - before) * 100 >= rules.spike_increase_pct * before


def support_silence(row: Support, first_ticket_on: date | None, as_of: date, config: Config) -> RiskFinding | None:
    """No tickets at all for 90 days is a warning, not good news: the customer may have stopped using the product."""
    days = config.support.silent_days
    if row.churned:
        return None
    if row.contract_start is not None and (as_of - row.contract_start).days < days:
        return None
    last = row.support.last_ticket_on if row.support else None
    if last is not None and (as_of - last).days < days:
        return None
    quiet = f"no ticket since {last}" if last else "no ticket ever"
    # silent since the last ticket, or since the book's ticket history (or the contract) began
    known_from = max((d for d in (last, first_ticket_on, row.contract_start) if d is not None), default=None)
    return _finding(
        row.account_id, "support", "medium", "support_silence",
        f"{quiet}: {days}+ days of silence can mean they stopped using the product",
        since=_after(known_from, days),
    )  # fmt: skip


class Sentiment(NamedTuple):
    account_id: int
    surveys: SurveyFacts | None
    renewal_sentiment: str | None
    renewal_sentiment_on: date | None


def sentiment_risks(row: Sentiment, as_of: date, config: Config) -> list[RiskFinding]:
    """Measured sentiment (one finding per survey answer: a detractor, or a fall on the answers before) and the
    CSM's own 'would they renew tomorrow?'."""
    surveys = row.surveys
    rules = config.sentiment
    found = []
    if surveys is not None and surveys.latest_score is not None:
        score, earlier = surveys.latest_score, surveys.earlier_average
        fell = earlier is not None and earlier - score >= rules.nps_drop_points
        said = f"latest NPS answer {score}/10 on {surveys.latest_on}"
        down = f"down from an average of {earlier:.1f} before" if fell and earlier is not None else ""
        if score < rules.passive_min:
            found.append(_finding(
                row.account_id, "sentiment", "high", "nps_detractor",
                f"{said}, a detractor (0-{rules.passive_min - 1})" + (f", {down}" if down else ""),
                str(surveys.latest_on), since=surveys.latest_on,
            ))  # fmt: skip
        elif fell:
            found.append(_finding(
                row.account_id, "sentiment", "medium", "nps_falling", f"{said}, {down}",
                str(surveys.latest_on), since=surveys.latest_on,
            ))  # fmt: skip
    answer = row.renewal_sentiment
    if answer in ("no", "unsure"):
        found.append(_finding(
            row.account_id, "sentiment", "high" if answer == "no" else "medium", "csm_would_not_renew",
            f"your answer to 'would they happily renew tomorrow?' is '{answer}'",
            answer, since=row.renewal_sentiment_on,
        ))  # fmt: skip
    return found


def champion_left(person: Person, successors: int, as_of: date) -> RiskFinding | None:
    """A champion or executive sponsor left in the last 90 days: high, unless a successor in the role is logged
    (whenever: import dates say nothing about hiring dates)."""
    if person.role not in ("champion", "exec_sponsor") or person.left_on is None:
        return None
    if person.left_on < as_of - timedelta(days=90):
        return None
    role = person.role.replace("_", " ")
    return _finding(
        person.account_id, "company", "medium" if successors else "high", "champion_left",
        f"{role} {person.name} left on {person.left_on}" + ("; a new one is logged" if successors else f"; no new {role} logged"),
        str(person.id), since=person.left_on,
    )  # fmt: skip


class Threads(NamedTuple):
    account_id: int
    segment: str
    churned: bool
    created_on: date
    active_contacts: int
    active_exec_sponsors: int
    sole_contact: str | None
    sole_contact_added_on: date | None
    last_left_on: date | None
    last_sponsor_left_on: date | None


def thread_risks(row: Threads, as_of: date, config: Config) -> list[RiskFinding]:
    """Single-threaded (one relationship only) and no executive sponsor on an enterprise account."""
    found = []
    if row.active_contacts == 1 and not row.churned:
        joined = [d for d in (row.sole_contact_added_on, row.last_left_on) if d is not None]
        found.append(_finding(
            row.account_id, "company", "medium" if row.segment != "smb" else "low", "single_threaded",
            f"one relationship only: {row.sole_contact}; if they leave, the account goes dark",
            since=max(joined, default=None),
        ))  # fmt: skip
    if row.active_contacts and row.segment == "enterprise" and not row.active_exec_sponsors:
        found.append(_finding(
            row.account_id, "company", "low", "no_exec_sponsor",
            "no executive sponsor: the only contact at an enterprise account is not one" if row.active_contacts == 1
            else f"no executive sponsor among {row.active_contacts} contacts of an enterprise account",
            since=max(d for d in (row.created_on, row.last_sponsor_left_on) if d is not None),
        ))  # fmt: skip
    return found


class Implementation(NamedTuple):
    account_id: int
    churned: bool
    contract_start: date | None
    activated_on: date | None  # the first-value date, else the first usage showing first value
    open_sows: tuple[str, ...]


def implementation_risks(row: Implementation, as_of: date, config: Config) -> list[RiskFinding]:
    """Onboarding behind plan (no first value in 30 days; not activated in 90 is severe) and open SOWs."""
    found = []
    start = row.contract_start
    if start is not None and row.activated_on is None and not row.churned:
        age = (as_of - start).days
        rules = config.onboarding
        if age > rules.activation_days:
            found.append(_finding(
                row.account_id, "implementation", "critical", "not_activated",
                f"signed {start}, {age} days ago, and never activated (limit {rules.activation_days} days): "
                "a customer not activated in ~3 months is hard to activate at all",
                since=_after(start, rules.activation_days + 1),
            ))  # fmt: skip
        elif age > rules.first_value_days:
            found.append(_finding(
                row.account_id, "implementation", "high", "onboarding_behind",
                f"signed {start}, {age} days ago, with no first value yet: no first-value date and under "
                f"{rules.first_value_seat_share:.0%} of seats active (limit {rules.first_value_days} days)",
                since=_after(start, rules.first_value_days + 1),
            ))  # fmt: skip
    for sow in row.open_sows:  # since unknown: the book does not date an opportunity's opening
        found.append(
            _finding(
                row.account_id, "implementation", "medium", "open_sow", f"statement of work still open: {sow}", sow[:60]
            )
        )
    return found


class Gaps(NamedTuple):
    account_id: int
    renewal_date: date
    features: tuple[str, ...]
    first_request_on: date | None


def product_risks(row: Gaps, as_of: date, config: Config) -> list[RiskFinding]:
    """Feature gaps on an account renewing soon: the gap becomes a renewal argument."""
    days = (row.renewal_date - as_of).days
    window = config.renewal.risk_window_days
    if not row.features or not (0 <= days <= window):
        return []
    features = ", ".join(row.features[:3]) + (" ..." if len(row.features) > 3 else "")
    entered = row.renewal_date - timedelta(days=window)
    return [_finding(
        row.account_id, "product", "high" if days <= config.renewal.reminder_days else "medium", "feature_gap_renewal",
        f"{plural(len(row.features), 'open feature request')} ({features}) with the renewal in {days} days",
        since=max(entered, row.first_request_on or entered),
    )]  # fmt: skip


class Renewing(NamedTuple):
    account_id: int
    renewal_date: date
    renewal_sentiment: str | None


def renewal_risk(
    row: Renewing,
    findings: list[RiskFinding],
    health_score: float | None,
    band: str,
    as_of: date,
    config: Config,
    *,
    shown_score: float | None = None,
) -> RiskFinding | None:
    """Renewal inside 120 days with health below threshold, negative sentiment, or open high risks; or overdue.

    `health_score` is the score before the open risks moved it (they are counted as risks, not twice); where the
    score every view shows (`shown_score`) differs, the words say both, so that one screen never seems to hold
    two healths of one account."""
    days = (row.renewal_date - as_of).days
    window = config.renewal.risk_window_days
    if days > window:
        return None
    if days < 0:
        return _finding(
            row.account_id, "renewal", "high", "renewal_overdue",
            f"the renewal date {row.renewal_date} passed {-days} days ago and no renewal or churn is recorded",
            str(row.renewal_date), since=_after(row.renewal_date, 1),
        )  # fmt: skip
    reasons = []
    if health_score is not None and health_score < config.renewal.risk_health_below:
        moved = shown_score is not None and score_words(shown_score) != score_words(health_score)
        reasons.append(
            f"health {score_words(health_score)} < {config.renewal.risk_health_below}"
            + (
                f" before its open risks ({score_words(shown_score)} with them)"
                if moved and shown_score is not None
                else ""
            )
        )
    elif band == "red":
        reasons.append("health red by your call")
    if row.renewal_sentiment == "no" or any(f.rule == "nps_detractor" for f in findings):
        reasons.append("negative sentiment")
    serious = [f for f in findings if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["high"]]
    if serious:
        causes_named = listed(sorted({rule_label(f.rule) for f in serious}))
        reasons.append(f"{plural(len(serious), 'serious risk')}: {causes_named}")
    if not reasons:
        return None
    red = band == "red"  # the band in force: the CSM's own call where they made one
    severity = "critical" if days <= config.renewal.reminder_days and (red or len(reasons) > 1) else "high"
    causes = [f.since for f in serious if f.since is not None]
    return _finding(
        row.account_id, "renewal", severity, "renewal_at_risk",
        f"renewal in {days} days ({row.renewal_date}) with " + "; ".join(reasons),
        str(row.renewal_date), since=max([row.renewal_date - timedelta(days=window), *causes]),
    )  # fmt: skip


def windowed_since(rule: str, ticket_days: list[date], as_of: date, config: Config) -> date | None:
    """Since when a windowed support rule (volume over the limit, a spike on the window before) has fired
    without a break: walk back a day at a time while it still held. `ticket_days` are the account's ticket
    creation days, oldest first, from `windowed_history_start(as_of, config)` to `as_of`."""
    from bisect import bisect_left, bisect_right

    rules = config.support
    window = timedelta(days=config.support.window_days)
    one = timedelta(days=1)

    def count(first: date, last: date) -> int:
        return bisect_right(ticket_days, last) - bisect_left(ticket_days, first)

    def fires(day: date) -> bool:
        recent = count(day - window + one, day)
        if rule == "ticket_volume":
            return recent > rules.new_tickets_max
        return is_spike(recent, count(day - 2 * window + one, day - window), config)

    if not fires(as_of):
        return None
    earliest = windowed_history_start(as_of, config) + 2 * window
    day = as_of
    while day > earliest:
        if not fires(day - one):
            return day
        day -= one
    return None  # it has held for as long as we look back: the start is not known


def windowed_history_start(as_of: date, config: Config) -> date:
    """How far back a windowed rule's tickets are read to tell since when it fires (LOOKBACK_DAYS at most)."""
    return as_of - timedelta(days=2 * config.support.window_days + LOOKBACK_DAYS)
