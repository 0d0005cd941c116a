"""Retention, the CSM's first metric (DOMAIN.md, "Retention"): periods, and GRR, NRR and logo retention over
the cohort of accounts active with ARR > 0 on a period's first day. Pure arithmetic on one row per account.

    starting ARR   the cohort's ARR on the first day
    expansion      per cohort account still active at the end: end − start where positive
    contraction    per cohort account still active at the end: start − end where positive
    churn          the starting ARR of cohort accounts with no ARR at the end
    GRR = (starting − contraction − churn) / starting      NRR = (starting − contraction − churn + expansion) / starting
    logo retention = (cohort − churned) / cohort

Accounts outside the cohort with ARR at the end are shown apart and never in the ratios: new logos (their first
ARR in the book a new sale), reactivations (ARR again after none), and accounts that entered the book during
the period with no earlier history (the book cannot say what they had on the first day).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # 2027Q1, 2027-03, 2027, or 2027-01-15..2027-02-10
    start: date
    end: date


_QUARTER = re.compile(r"^(\d{4})-?[qQ]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")


def quarter(day: date) -> Period:
    number = (day.month - 1) // 3 + 1
    last = number * 3
    return Period(
        f"{day.year}Q{number}",
        date(day.year, last - 2, 1),
        date(day.year, last, calendar.monthrange(day.year, last)[1]),
    )


def parse_period(text: str) -> Period:
    """2027Q1 (or 2027-Q1), 2027-03, or 2027; ValueError says what is accepted."""
    value = text.strip()
    if match := _QUARTER.match(value):
        return quarter(date(int(match.group(1)), int(match.group(2)) * 3, 1))
    if (match := _MONTH.match(value)) and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return Period(
            f"{year}-{month:02d}", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        )
    if match := _YEAR.match(value):
        year = int(match.group(1))
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    raise ValueError(f"{text!r} is not a period; use a quarter (2027Q1), a month (2027-03) or a year (2027)")


def span(start: date, end: date) -> Period:
    return Period(f"{start}..{end}", start, end)


@dataclass(frozen=True, slots=True)
class Position:
    """One account over a period: its ARR at the start and the end (None: the book knew none), and how its history
    began (a new logo's first row is `new` and not `opening`)."""

    account_id: int
    name: str
    owner: str | None
    segment: str | None  # set by hand
    start: float | None
    end: float | None
    first_on: date | None
    first_kind: str | None
    first_opening: bool
    currency: str = "USD"  # the account's (csm.domain.words.currency_code): figures are never added across two

    @property
    def in_cohort(self) -> bool:
        return self.start is not None and self.start > 0

    @property
    def churned(self) -> bool:
        return self.in_cohort and not (self.end or 0) > 0

    @property
    def standing(self) -> str:
        """cohort, new_logo, reactivated, entered, or none (no ARR on either day)."""
        if self.in_cohort:
            return "cohort"
        if self.start is not None:  # known, at zero: lost before the period
            return "reactivated" if (self.end or 0) > 0 else "none"
        if self.end is None:  # its history begins after the period
            return "none"
        if self.first_kind == "new" and not self.first_opening:
            return "new_logo"
        return "entered" if self.end > 0 else "none"


@dataclass(slots=True)
class Figures:
    """Retention over one group of accounts; the ratios are None for an empty cohort (nothing to measure)."""

    cohort: int = 0
    starting_arr: float = 0.0
    expansion: float = 0.0
    contraction: float = 0.0
    churn: float = 0.0
    churned: int = 0
    ending_arr: float = 0.0  # the cohort's ARR at the end: starting − contraction − churn + expansion
    grr: float | None = None
    nrr: float | None = None
    logo_retention: float | None = None
    new_logos: int = 0
    new_logo_arr: float = 0.0
    reactivated: int = 0
    reactivated_arr: float = 0.0
    entered: int = 0  # entered the book during the period with no earlier ARR history
    entered_arr: float = 0.0


def figures(found: Iterable[Position]) -> Figures:
    out = Figures()
    for p in found:
        standing = p.standing
        end = p.end or 0.0
        if standing == "cohort":
            start = p.start or 0.0
            out.cohort += 1
            out.starting_arr += start
            if p.churned:
                out.churned += 1
                out.churn += start
            else:
                out.expansion += max(0.0, end - start)
                out.contraction += max(0.0, start - end)
                out.ending_arr += end
        elif standing == "new_logo":
            out.new_logos += 1
            out.new_logo_arr += end
        elif standing == "reactivated":
            out.reactivated += 1
            out.reactivated_arr += end
        elif standing == "entered":
            out.entered += 1
            out.entered_arr += end
    if out.cohort and out.starting_arr > 0:
        kept = out.starting_arr - out.contraction - out.churn
        out.grr = round(kept / out.starting_arr, 4)
        out.nrr = round((kept + out.expansion) / out.starting_arr, 4)
        out.logo_retention = round((out.cohort - out.churned) / out.cohort, 4)
    for name in ("starting_arr", "expansion", "contraction", "churn", "ending_arr", "new_logo_arr",
                 "reactivated_arr", "entered_arr"):  # fmt: skip
        setattr(out, name, round(getattr(out, name), 2))
    return out


@dataclass(frozen=True, slots=True)
class RenewalEvent:
    """A renewal that fell due: its outcome (renewal or churn, recorded on `on`) or `open`."""

    account_id: int
    due: date
    kind: str  # renewal, churn or open
    on: date | None
    before: float | None  # ARR before (for an open renewal: the ARR now)
    after: float | None
    currency: str = "USD"


@dataclass(slots=True)
class RenewalsDue:
    """Renewals due in the period: renewed on time (on or before the date) or late, churned, or still open."""

    due: int = 0
    due_arr: float = 0.0
    renewed_on_time: int = 0
    renewed_late: int = 0
    renewed_arr_before: float = 0.0  # over the renewals whose ARR before the book knew
    renewed_arr_after: float = 0.0  # over the same renewals
    renewed_unknown_before: int = 0  # renewals of accounts with no earlier ARR in the book
    renewed_arr: float = 0.0  # every renewal's new ARR
    churned: int = 0
    churned_arr: float = 0.0
    open: int = 0
    open_overdue: int = 0
    open_arr: float = 0.0


def renewals_due(events: Iterable[RenewalEvent], as_of: date) -> RenewalsDue:
    """Outcomes recorded after `as_of` count as still open on that day."""
    out = RenewalsDue()
    for event in events:
        kind = event.kind if event.on is not None and event.on <= as_of else "open"
        before = event.before if event.before is not None else (event.after or 0.0)  # what came up for renewal
        out.due += 1
        out.due_arr += before
        if kind == "renewal":
            if event.on is not None and event.on <= event.due:
                out.renewed_on_time += 1
            else:
                out.renewed_late += 1
            out.renewed_arr += event.after or 0.0
            if event.before is None:
                out.renewed_unknown_before += 1
            else:
                out.renewed_arr_before += event.before
                out.renewed_arr_after += event.after or 0.0
        elif kind == "churn":
            out.churned += 1
            out.churned_arr += before
        else:
            out.open += 1
            out.open_arr += before
            if event.due < as_of:
                out.open_overdue += 1
    for name in ("due_arr", "renewed_arr_before", "renewed_arr_after", "renewed_arr", "churned_arr", "open_arr"):
        setattr(out, name, round(getattr(out, name), 2))
    return out
