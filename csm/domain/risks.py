"""Risk rules in the six categories (DOMAIN.md, "Risks"): implementation, sentiment, support, product, company, renewal.

Each rule is a small function of an account's facts; it returns findings with evidence in words
and numbers. The renewal rule runs last because it weighs the others and the health score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}


@dataclass(frozen=True)
class RiskFinding:
    account_id: int
    category: str
    severity: str
    rule: str
    evidence: str
    rule_key: str


Rule = Callable[[AccountFacts, BookFacts, date, Config], Iterable[RiskFinding]]


def _finding(
    account: AccountFacts, category: str, severity: str, rule: str, evidence: str, key: str = ""
) -> RiskFinding:
    return RiskFinding(
        account_id=account.id,
        category=category,
        severity=severity,
        rule=rule,
        evidence=evidence,
        rule_key=f"{rule}:{account.id}" + (f":{key}" if key else ""),
    )


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
            account, "support", "medium", "open_tickets", f"{facts.open} tickets open at once (limit {rules.open_max})"
        )
    if facts.open_critical > rules.open_critical_max:
        yield _finding(
            account,
            "support",
            "critical",
            "critical_ticket_open",
            f"{facts.open_critical} critical/urgent ticket(s) open",
        )
    if facts.open_high > rules.open_high_max:
        yield _finding(
            account, "support", "high", "high_tickets_open",
            f"{facts.open_high} high-priority tickets open (limit {rules.open_high_max})",
        )  # fmt: skip
    if facts.longest_wait_days is not None and facts.longest_wait_days > rules.long_wait_days:
        yield _finding(
            account, "support", "medium", "long_ticket_wait",
            f"a ticket has waited {facts.longest_wait_days} days (limit {rules.long_wait_days})",
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
    yield _finding(
        account, "support", "medium", "support_silence",
        f"{quiet}: {days}+ days of silence can mean they stopped using the product",
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
                str(surveys.latest_on),
            )  # fmt: skip
        if (
            surveys.earlier_average is not None
            and surveys.earlier_average - surveys.latest_score >= rules.nps_drop_points
        ):
            yield _finding(
                account, "sentiment", "medium", "nps_falling",
                f"latest NPS answer {surveys.latest_score} vs an average of {surveys.earlier_average:.1f} before",
                str(surveys.latest_on),
            )  # fmt: skip
    answer = account.renewal_sentiment
    if answer in ("no", "unsure"):
        yield _finding(
            account, "sentiment", "high" if answer == "no" else "medium", "csm_would_not_renew",
            f"your answer to 'would they happily renew tomorrow?' is '{answer}'",
            answer,
        )  # fmt: skip


def company_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Champion or sponsor left; single-threaded; no executive sponsor."""
    recent = as_of - timedelta(days=90)
    active = account.active_stakeholders
    for person in account.stakeholders:
        if person.role in ("champion", "exec_sponsor") and person.left_on is not None and person.left_on >= recent:
            # a successor in the role counts whenever it was logged: import dates say nothing about hiring dates
            replaced = any(s.role == person.role for s in active)
            role = person.role.replace("_", " ")
            yield _finding(
                account, "company", "medium" if replaced else "high", "champion_left",
                f"{role} {person.name} left on {person.left_on}"
                + ("; a new one is logged" if replaced else f"; no new {role} logged"),
                str(person.id),
            )  # fmt: skip
    if len(active) == 1 and not account.is_churned:
        yield _finding(
            account, "company", "medium" if account.segment != "smb" else "low", "single_threaded",
            f"one relationship only: {active[0].name}; if they leave, the account goes dark",
        )  # fmt: skip
    if active and account.segment == "enterprise" and not any(s.role == "exec_sponsor" for s in active):
        yield _finding(
            account, "company", "low", "no_exec_sponsor",
            f"no executive sponsor among {len(active)} contacts of an enterprise account",
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
            )  # fmt: skip
        elif age > rules.first_value_days:
            yield _finding(
                account, "implementation", "high", "onboarding_behind",
                f"signed {start}, {age} days ago, with no first value yet: no first-value date and under "
                f"{rules.first_value_seat_share:.0%} of seats active (limit {rules.first_value_days} days)",
            )  # fmt: skip
    for sow in account.open_sows:
        yield _finding(
            account, "implementation", "medium", "open_sow", f"statement of work still open: {sow}", sow[:60]
        )


def product_risks(account: AccountFacts, book: BookFacts, as_of: date, config: Config) -> Iterable[RiskFinding]:
    """Feature gaps on an account renewing soon: the gap becomes a renewal argument."""
    days = account.days_to_renewal(as_of)
    window = config.renewal.risk_window_days
    if not account.feature_requests or days is None or not (0 <= days <= window):
        return
    features = ", ".join(account.feature_requests[:3]) + (" ..." if len(account.feature_requests) > 3 else "")
    yield _finding(
        account, "product", "high" if days <= config.renewal.reminder_days else "medium", "feature_gap_renewal",
        f"{len(account.feature_requests)} open feature request(s) ({features}) with the renewal in {days} days",
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
            str(account.renewal_date),
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
    yield _finding(
        account, "renewal", severity, "renewal_at_risk",
        f"renewal in {days} days ({account.renewal_date}) with " + "; ".join(reasons),
        str(account.renewal_date),
    )  # fmt: skip


RULES: tuple[Rule, ...] = (implementation_risks, sentiment_risks, support_risks, product_risks, company_risks)


def risks_for(
    account: AccountFacts, book: BookFacts, as_of: date, config: Config, health_score: float | None
) -> list[RiskFinding]:
    """Every risk the rules raise for one account, the renewal rule weighing the others last."""
    findings = [finding for rule in RULES for finding in rule(account, book, as_of, config)]
    return findings + list(renewal_risk(account, findings, health_score, as_of, config))
