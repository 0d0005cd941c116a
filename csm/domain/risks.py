"""Risk rules in the six categories (DOMAIN.md, "Risks"): implementation, sentiment, support, product, company, renewal.

Each rule is a small function of an account's facts; it returns findings with evidence in words
and numbers, and `since`: the day the situation began, read from the facts (the day the ticket that
took a count over its limit was opened, the survey answer's day, the day the champion left). A
finding is new on its `since` day; a resolved risk stays quiet while its situation lasts. The
renewal rule runs last because it weighs the others and the health score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass(frozen=True, slots=True)
class RiskFinding:
    account_id: int
    category: str
    severity: str
    rule: str
    evidence: str
    rule_key: str
    since: date | None = None  # the first day of the situation; None where the facts cannot tell


Rule = Callable[[AccountFacts, BookFacts, date, Config], Iterable[RiskFinding]]
WINDOWED_RULES = ("ticket_volume", "ticket_spike")  # their `since` needs the tickets day by day


def _finding(
    account: AccountFacts,
    category: str,
    severity: str,
    rule: str,
    evidence: str,
    key: str = "",
    *,
    since: date | None = None,
) -> RiskFinding:
    return RiskFinding(
        account.id, category, severity, rule, evidence, f"{rule}:{account.id}" + (f":{key}" if key else ""), since
    )


def _after(day: date | None, days: int) -> date | None:
    return None if day is None else day + timedelta(days=days)


def support_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Support thresholds per account: volume, open load, critical/high open, long waits, spikes, and silence."""
    rules = config.support
    window = rules.window_days
    facts = account.support
    if facts is None:
        yield from support_silence(account, book, as_of, config)
        return
    if facts.new_recent > rules.new_tickets_max:
        yield _finding(
            account, "support", "high", "ticket_volume",
            f"{facts.new_recent} new tickets in the last {window} days (limit {rules.new_tickets_max})",
        )  # fmt: skip
    if facts.open > rules.open_max:
        yield _finding(
            account, "support", "medium", "open_tickets", f"{facts.open} tickets open at once (limit {rules.open_max})",
            since=facts.open_over_since,
        )  # fmt: skip
    if facts.open_critical > rules.open_critical_max:
        yield _finding(
            account,
            "support",
            "critical",
            "critical_ticket_open",
            f"{facts.open_critical} critical/urgent ticket(s) open",
            since=facts.critical_over_since,
        )
    if facts.open_high > rules.open_high_max:
        yield _finding(
            account, "support", "high", "high_tickets_open",
            f"{facts.open_high} high-priority tickets open (limit {rules.open_high_max})",
            since=facts.high_over_since,
        )  # fmt: skip
    if facts.longest_wait_days is not None and facts.longest_wait_days > rules.long_wait_days:
        yield _finding(
            account, "support", "medium", "long_ticket_wait",
            f"a ticket has waited {facts.longest_wait_days} days (limit {rules.long_wait_days})",
            since=_after(facts.oldest_open_on, rules.long_wait_days + 1),
        )  # fmt: skip
    if is_spike(facts.new_recent, facts.new_before, config):
        yield _finding(
            account, "support", "high", "ticket_spike",
            f"{facts.new_recent} tickets in the last {window} days vs {facts.new_before} in the {window} before",
        )  # fmt: skip
    yield from support_silence(account, book, as_of, config)


def is_spike(recent: int, before: int, config: Config) -> bool:
    """Volume in the last 4 weeks up by the threshold (50%) or more on the 4 weeks before; a spike from zero
    needs at least `spike_min_tickets` tickets, so one ticket after a quiet month is not a spike."""
    rules = config.support
    if before == 0:
        return recent >= rules.spike_min_tickets
    return recent >= rules.spike_min_tickets and (recent - before) * 100 >= rules.spike_increase_pct * before


def support_silence(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """No tickets at all for 90 days is a warning, not good news: the customer may have stopped using the product."""
    days = config.support.silent_days
    if not book.has_tickets or account.is_churned:
        return
    if account.contract_start is not None and (as_of - account.contract_start).days < days:
        return
    last = account.support.last_ticket_on if account.support else None
    if last is not None and (as_of - last).days < days:
        return
    quiet = f"no ticket since {last}" if last else "no ticket ever"
    # silent since the last ticket, or since the book's ticket history (or the contract) began
    known_from = max((d for d in (last, book.first_ticket_on, account.contract_start) if d is not None), default=None)
    yield _finding(
        account, "support", "medium", "support_silence",
        f"{quiet}: {days}+ days of silence can mean they stopped using the product",
        since=_after(known_from, days),
    )  # fmt: skip


def sentiment_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Measured sentiment (NPS detractors, a falling score) and the CSM's own 'would they renew tomorrow?'."""
    surveys = account.surveys
    rules = config.sentiment
    if surveys is not None and surveys.latest_score is not None:
        if surveys.latest_score < rules.passive_min:
            yield _finding(
                account, "sentiment", "high", "nps_detractor",
                f"latest NPS answer {surveys.latest_score}/10 on {surveys.latest_on} is a detractor (0-{rules.passive_min - 1})",
                str(surveys.latest_on), since=surveys.latest_on,
            )  # fmt: skip
        if (
            surveys.earlier_average is not None
            and surveys.earlier_average - surveys.latest_score >= rules.nps_drop_points
        ):
            yield _finding(
                account, "sentiment", "medium", "nps_falling",
                f"latest NPS answer {surveys.latest_score} vs an average of {surveys.earlier_average:.1f} before",
                str(surveys.latest_on), since=surveys.latest_on,
            )  # fmt: skip
    answer = account.renewal_sentiment
    if answer in ("no", "unsure"):
        yield _finding(
            account, "sentiment", "high" if answer == "no" else "medium", "csm_would_not_renew",
            f"your answer to 'would they happily renew tomorrow?' is '{answer}'",
            answer, since=account.renewal_sentiment_on,
        )  # fmt: skip


def company_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Champion or sponsor left; single-threaded; no executive sponsor."""
    recent = as_of - timedelta(days=90)
    for person in account.stakeholders:
        if person.role in ("champion", "exec_sponsor") and person.left_on is not None and person.left_on >= recent:
            # a successor in the role counts whenever it was logged: import dates say nothing about hiring dates
            successors = account.active_champions if person.role == "champion" else account.active_exec_sponsors
            role = person.role.replace("_", " ")
            yield _finding(
                account, "company", "medium" if successors else "high", "champion_left",
                f"{role} {person.name} left on {person.left_on}"
                + ("; a new one is logged" if successors else f"; no new {role} logged"),
                str(person.id), since=person.left_on,
            )  # fmt: skip
    if account.active_contacts == 1 and not account.is_churned:
        joined = [d for d in (account.sole_contact_added_on, account.last_left_on) if d is not None]
        yield _finding(
            account, "company", "medium" if account.segment != "smb" else "low", "single_threaded",
            f"one relationship only: {account.sole_contact}; if they leave, the account goes dark",
            since=max(joined, default=None),
        )  # fmt: skip
    if account.active_contacts and account.segment == "enterprise" and not account.active_exec_sponsors:
        yield _finding(
            account, "company", "low", "no_exec_sponsor",
            f"no executive sponsor among {account.active_contacts} contacts of an enterprise account",
            since=max(d for d in (account.created_on, account.last_sponsor_left_on) if d is not None),
        )  # fmt: skip


def implementation_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Onboarding behind plan (no first value in 30 days; not activated in 90 is severe) and open SOWs."""
    start = account.contract_start
    activated = account.first_value_on or (account.usage.first_active_on if account.usage else None)
    if start is not None and activated is None and not account.is_churned:
        age = (as_of - start).days
        rules = config.onboarding
        if age > rules.activation_days:
            yield _finding(
                account, "implementation", "critical", "not_activated",
                f"signed {start}, {age} days ago, and never activated (limit {rules.activation_days} days): "
                "a customer not activated in ~3 months is hard to activate at all",
                since=_after(start, rules.activation_days + 1),
            )  # fmt: skip
        elif age > rules.first_value_days:
            yield _finding(
                account, "implementation", "high", "onboarding_behind",
                f"signed {start}, {age} days ago, with no first value yet: no first-value date and under "
                f"{rules.first_value_seat_share:.0%} of seats active (limit {rules.first_value_days} days)",
                since=_after(start, rules.first_value_days + 1),
            )  # fmt: skip
    for sow in account.open_sows:
        yield _finding(
            account, "implementation", "medium", "open_sow", f"statement of work still open: {sow}", sow[:60]
        )  # since unknown: the book does not date an opportunity's opening


def product_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Feature gaps on an account renewing soon: the gap becomes a renewal argument."""
    days = account.days_to_renewal(as_of)
    window = config.renewal.risk_window_days
    if not account.feature_requests or days is None or not (0 <= days <= window):
        return
    features = ", ".join(account.feature_requests[:3]) + (" ..." if len(account.feature_requests) > 3 else "")
    assert account.renewal_date is not None
    entered = account.renewal_date - timedelta(days=window)
    yield _finding(
        account, "product", "high" if days <= config.renewal.reminder_days else "medium", "feature_gap_renewal",
        f"{len(account.feature_requests)} open feature request(s) ({features}) with the renewal in {days} days",
        since=max(entered, account.first_request_on or entered),
    )  # fmt: skip


def renewal_risk(
    account: AccountFacts,
    findings: list[RiskFinding],
    health_score: float | None,
    as_of: date,
    config: Config,
) -> Iterable[RiskFinding]:
    """Renewal inside 120 days with health below threshold, negative sentiment, or open high risks."""
    days = account.days_to_renewal(as_of)
    window = config.renewal.risk_window_days
    if days is None or account.is_churned or days > window:
        return
    if days < 0:
        yield _finding(
            account, "renewal", "high", "renewal_overdue",
            f"the renewal date {account.renewal_date} passed {-days} days ago and no renewal or churn is recorded",
            str(account.renewal_date), since=_after(account.renewal_date, 1),
        )  # fmt: skip
        return
    reasons = []
    if health_score is not None and health_score < config.renewal.risk_health_below:
        reasons.append(f"health {health_score:.0f} < {config.renewal.risk_health_below}")
    if account.renewal_sentiment == "no" or any(f.rule == "nps_detractor" for f in findings):
        reasons.append("negative sentiment")
    serious = [f for f in findings if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["high"]]
    if serious:
        reasons.append(f"{len(serious)} high/critical risk(s): " + ", ".join(sorted({f.rule for f in serious})))
    if not reasons:
        return
    red = health_score is not None and health_score < config.health.yellow_min
    severity = "critical" if days <= config.renewal.reminder_days and (red or len(reasons) > 1) else "high"
    assert account.renewal_date is not None
    causes = [f.since for f in serious if f.since is not None]
    yield _finding(
        account, "renewal", severity, "renewal_at_risk",
        f"renewal in {days} days ({account.renewal_date}) with " + "; ".join(reasons),
        str(account.renewal_date), since=max([account.renewal_date - timedelta(days=window), *causes]),
    )  # fmt: skip


RULES: tuple[Rule, ...] = (implementation_risks, sentiment_risks, support_risks, product_risks, company_risks)


def risks_for(
    account: AccountFacts, book: BookFacts, as_of: date, config: Config, health_score: float | None
) -> list[RiskFinding]:
    """Every risk the rules raise for one account, the renewal rule weighing the others last."""
    findings = [finding for rule in RULES for finding in rule(account, book, as_of, config)]
    return findings + list(renewal_risk(account, findings, health_score, as_of, config))


def windowed_since(rule: str, ticket_days: list[date], as_of: date, config: Config) -> date | None:
    """Since when a windowed support rule (volume over the limit, a spike on the window before) has fired
    without a break: walk back a day at a time while it still held. `ticket_days` are the account's ticket
    creation days (any order) from `windowed_history_start(as_of, config)` to `as_of`."""
    rules = config.support
    window = rules.window_days
    first = windowed_history_start(as_of, config)
    per_day = [0] * ((as_of - first).days + 1)
    for day in ticket_days:
        if first <= day <= as_of:
            per_day[(day - first).days] += 1
    running = [0]  # running[i]: tickets created before day i of the range
    for n in per_day:
        running.append(running[-1] + n)

    def fires(index: int) -> bool:  # the rule on day `index` of the range
        recent = running[index + 1] - running[index + 1 - window]
        if rule == "ticket_volume":
            return recent > rules.new_tickets_max
        before = running[index + 1 - window] - running[index + 1 - 2 * window]
        return is_spike(recent, before, config)

    index = len(per_day) - 1
    if not fires(index):
        return None
    while index > 2 * window - 1:
        if not fires(index - 1):
            return first + timedelta(days=index)
        index -= 1
    return None  # it has held for as long as we look back: the start is not known


LOOKBACK_DAYS = 120


def windowed_history_start(as_of: date, config: Config) -> date:
    """How far back a windowed rule's tickets are read to tell since when it fires (LOOKBACK_DAYS at most)."""
    return as_of - timedelta(days=2 * config.support.window_days + LOOKBACK_DAYS)
