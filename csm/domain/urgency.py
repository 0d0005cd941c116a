"""Urgency of a to-do, in the spirit of taskwarrior: a sum of published terms, each a coefficient times a factor.

    urgency = due + overdue + arr + renewal + health + risk + deferrals + kind

Every coefficient lives in the config ([urgency]); `csm todo list --explain` prints each term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csm.config import Config


@dataclass(frozen=True, slots=True)
class UrgencyInputs:
    kind: str
    due: date | None
    deferrals: int
    arr: float | None = None
    days_to_renewal: int | None = None
    health_band: str | None = None
    worst_risk: str | None = None  # the account's most severe open risk


@dataclass(frozen=True)
class Term:
    name: str
    coefficient: float
    factor: float
    why: str

    @property
    def value(self) -> float:
        return self.coefficient * self.factor


def due_factor(due: date | None, as_of: date) -> float:
    """1.0 when due today or earlier, falling linearly to 0.2 at 14 days out; 0 with no due date."""
    if due is None:
        return 0.0
    days = (due - as_of).days
    if days <= 0:
        return 1.0
    return max(0.2, 1.0 - 0.8 * days / 14)


def urgency_terms(item: UrgencyInputs, as_of: date, config: Config) -> list[Term]:
    c = config.urgency
    terms: list[Term] = []
    terms.append(
        Term("due", c.due, round(due_factor(item.due, as_of), 3), f"due {item.due}" if item.due else "no due date")
    )
    overdue = max(0, (as_of - item.due).days) if item.due else 0
    if overdue:
        factor = min(overdue, c.overdue_max / c.overdue_per_day) if c.overdue_per_day else 0
        capped = f" (the term is capped at {c.overdue_max:g})" if factor < overdue else ""
        terms.append(Term("overdue", c.overdue_per_day, factor, f"{overdue} days overdue{capped}"))
    if item.arr:
        big = config.segments.enterprise_min_arr or 1
        terms.append(
            Term("arr", c.arr, round(min(1.0, item.arr / big), 3), f"ARR ${item.arr:,.0f} against ${big:,.0f}")
        )
    if item.days_to_renewal is not None and item.days_to_renewal <= config.renewal.outreach_days:
        window = config.renewal.outreach_days
        factor = 1.0 if item.days_to_renewal <= 0 else round(1 - item.days_to_renewal / window, 3)
        days = item.days_to_renewal
        when = f"renewal in {days} days" if days >= 0 else f"renewal {-days} days overdue"
        terms.append(Term("renewal", c.renewal, factor, when))
    if item.health_band in ("red", "yellow"):
        coefficient = c.health_red if item.health_band == "red" else c.health_yellow
        terms.append(Term("health", coefficient, 1.0, f"health band {item.health_band}"))
    risk_coefficients = {"critical": c.risk_critical, "high": c.risk_high, "medium": c.risk_medium}
    if item.worst_risk in risk_coefficients:
        terms.append(
            Term("risk", risk_coefficients[item.worst_risk], 1.0, f"open {item.worst_risk} risk on the account")
        )
    if item.deferrals:
        terms.append(Term("deferrals", c.deferral, min(item.deferrals, 5), f"deferred {item.deferrals} time(s)"))
    terms.append(Term("kind", c.kind.get(item.kind, 0.0), 1.0, f"kind {item.kind}"))
    return [t for t in terms if t.value]


def urgency(item: UrgencyInputs, as_of: date, config: Config) -> float:
    return round(sum(term.value for term in urgency_terms(item, as_of, config)), 2)


def urgency_value(item: UrgencyInputs, as_of: date, config: Config) -> float:
    """The same sum as `urgency`, without wording each term: the judge scores every to-do of the book, and
    `--explain` builds the terms only for what it prints (a property test holds the two equal)."""
    c = config.urgency
    total = c.due * round(due_factor(item.due, as_of), 3)
    if item.due is not None:
        overdue = (as_of - item.due).days
        if overdue > 0 and c.overdue_per_day:
            total += c.overdue_per_day * min(overdue, c.overdue_max / c.overdue_per_day)
    if item.arr:
        total += c.arr * round(min(1.0, item.arr / (config.segments.enterprise_min_arr or 1)), 3)
    days = item.days_to_renewal
    if days is not None and days <= config.renewal.outreach_days:
        total += c.renewal * (1.0 if days <= 0 else round(1 - days / config.renewal.outreach_days, 3))
    if item.health_band == "red":
        total += c.health_red
    elif item.health_band == "yellow":
        total += c.health_yellow
    if item.worst_risk == "critical":
        total += c.risk_critical
    elif item.worst_risk == "high":
        total += c.risk_high
    elif item.worst_risk == "medium":
        total += c.risk_medium
    if item.deferrals:
        total += c.deferral * min(item.deferrals, 5)
    return round(total + c.kind.get(item.kind, 0.0), 2)
