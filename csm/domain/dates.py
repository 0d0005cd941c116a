"""Calendar arithmetic the rules need, kept free of heavy imports (`csm today` stays fast)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_end(day: date) -> date:
    """The last day of `day`'s calendar quarter."""
    last_month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end`, to the nearest month (2025-10-01 to 2027-09-30 is 24)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    shifted = add_months(start, months)
    if shifted > end and (shifted - end).days >= 15:
        months -= 1
    elif shifted < end and (end - shifted).days >= 15:
        months += 1
    return months
