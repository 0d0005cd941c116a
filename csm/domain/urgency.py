"""Urgency of a to-do, in the spirit of taskwarrior: a sum of published terms, each a coefficient times a factor.

    urgency = due + overdue + stake + health + risk + deferrals + handed out + kind

Dollars lead: `stake` is the account's ARR (on a square-root scale up to [urgency] stake_full_arr) times the
pressure on it, the nearer of its renewal and the weight of its worst open risk. Lateness counts, but a little
and capped: a check-in a year late on a small account never outranks a large renewal two months out. A step
handed to someone else weighs less until it is late: a share of the rest taken off (30% by default).
Every coefficient lives in the config ([urgency]); `csm todo list --explain` prints each term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import sqrt
from typing import NamedTuple

from csm.config import Config
from csm.domain.words import deferred_words, field_value, shown_in

RISK_PRESSURE = {"critical": 1.0, "high": 0.7, "medium": 0.4}
QUIET_PRESSURE = 0.2  # the pressure on an account with no renewal near and no open risk


class UrgencyInputs(NamedTuple):
    """What a to-do's urgency is worked out from (a tuple: the judge makes one per to-do of the book)."""

    kind: str
    due: date | None
    deferrals: int
    arr: float | None = None
    days_to_renewal: int | None = None
    health_band: str | None = None
    worst_risk: str | None = None  # the account's most severe open risk
    handed_out: bool = False  # a playbook step someone else does (the AE, support, ...)
    currency: str | None = None  # of its ARR, for the words (the weight is at face value)


@dataclass(frozen=True)
class Term:
    """One term of an urgency: its name, coefficient and factor, and why it applies."""

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


def money_factor(arr: float, config: Config) -> float:
    """The ARR's weight: the square root of its share of stake_full_arr, at most 1 ($500k by default: $12.5k is
    0.16, $100k 0.45, $420k 0.92)."""
    full = config.urgency.stake_full_arr
    return round(sqrt(min(arr, full) / full), 3) if arr > 0 and full > 0 else 0.0


def renewal_pressure(days_to_renewal: int | None, config: Config) -> float:
    """1 at the start of the reminder window (60 days), rising to 1.2 on the renewal date and once overdue (of
    two renewals inside the window, the nearer presses more); falling to 0.4 at the start of the outreach window
    (120 days); 0 beyond it."""
    if days_to_renewal is None:
        return 0.0
    reminder, outreach = config.renewal.reminder_days, config.renewal.outreach_days
    if days_to_renewal <= 0:
        return 1.2
    if days_to_renewal <= reminder:
        return round(1.0 + 0.2 * (reminder - days_to_renewal) / reminder, 3)
    if days_to_renewal > outreach or outreach <= reminder:
        return 0.0
    return round(1.0 - 0.6 * (days_to_renewal - reminder) / (outreach - reminder), 3)


def pressure(item: UrgencyInputs, config: Config) -> tuple[float, str]:
    """What presses on the account's ARR, and the words for it: its renewal, its worst risk, or neither."""
    renewal = renewal_pressure(item.days_to_renewal, config)
    risk = RISK_PRESSURE.get(item.worst_risk or "", 0.0)
    if renewal >= risk and renewal > QUIET_PRESSURE:
        days = item.days_to_renewal
        assert days is not None
        return renewal, f"renewal in {days} days" if days >= 0 else f"renewal {-days} days overdue"
    if risk > QUIET_PRESSURE:
        return risk, f"open {item.worst_risk} risk"
    return QUIET_PRESSURE, "no renewal within the outreach window, no open risk"


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
        money = money_factor(item.arr, config)
        pressed, why = pressure(item, config)
        terms.append(
            Term(
                "stake", c.stake, round(money * pressed, 3),
                f"ARR {shown_in(f'${item.arr:,.0f}', item.currency)} ({money:g} of "
                f"{shown_in(f'${c.stake_full_arr:,.0f}', item.currency)}, square-root scale) × {pressed:g} ({why})",
            )
        )  # fmt: skip
    if item.health_band in ("red", "yellow"):
        coefficient = c.health_red if item.health_band == "red" else c.health_yellow
        terms.append(Term("health", coefficient, 1.0, f"health band {item.health_band}"))
    risk_coefficients = {"critical": c.risk_critical, "high": c.risk_high, "medium": c.risk_medium}
    if item.worst_risk in risk_coefficients:
        terms.append(
            Term("risk", risk_coefficients[item.worst_risk], 1.0, f"open {item.worst_risk} risk on the account")
        )
    if item.deferrals:
        terms.append(Term("deferrals", c.deferral, min(item.deferrals, 5), deferred_words(item.deferrals, None)))
    terms.append(Term("kind", c.kind.get(item.kind, 0.0), 1.0, f"kind: {field_value('kind', item.kind)}"))
    if item.handed_out and not overdue:
        subtotal = round(sum(t.value for t in terms), 2)
        terms.append(Term("handed out", handed_out_share(config), subtotal,
                          "of the rest: someone else does it and it is not late, so your own work comes first"))  # fmt: skip
    return [t for t in terms if t.value]


def handed_out_share(config: Config) -> float:
    """The share of a handed-out step's urgency taken off until it is late: between -1 and 0, so an urgency is
    never below zero."""
    return max(-1.0, min(0.0, config.urgency.handed_out))


def urgency(item: UrgencyInputs, as_of: date, config: Config) -> float:
    return round(sum(term.value for term in urgency_terms(item, as_of, config)), 2)


def stake_value(item: UrgencyInputs, config: Config) -> float:
    """The stake term's value (ARR's weight times the pressure on it): the account's alone, so the judge works it
    out once per account rather than once per to-do."""
    renewal = renewal_pressure(item.days_to_renewal, config)
    pressed = max(renewal, RISK_PRESSURE.get(item.worst_risk or "", 0.0), QUIET_PRESSURE)
    return config.urgency.stake * round(money_factor(item.arr or 0.0, config) * pressed, 3)


def urgency_value(item: UrgencyInputs, as_of: date, config: Config, *, stake: float | None = None) -> float:
    """The same sum as `urgency`, without wording each term: the judge scores every to-do of the book, and
    `--explain` builds the terms only for what it prints (a property test holds the two equal). `stake` is
    `stake_value(item, config)` when the caller has it already."""
    c = config.urgency
    total = c.due * round(due_factor(item.due, as_of), 3)
    if item.due is not None:
        overdue = (as_of - item.due).days
        if overdue > 0 and c.overdue_per_day:
            total += c.overdue_per_day * min(overdue, c.overdue_max / c.overdue_per_day)
    if item.arr:
        total += stake_value(item, config) if stake is None else stake
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
    total = round(total + c.kind.get(item.kind, 0.0), 2)
    if item.handed_out and (item.due is None or item.due >= as_of):
        total += handed_out_share(config) * total
    return round(total, 2)
