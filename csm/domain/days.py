"""The one grammar for a day typed by the user (every date option of every command): an ISO date, or a day
counted from the command's "today" — `today`, `tomorrow`, `yesterday`, `+3d`, `-2w`, `1m`, `in 2 weeks`,
`3 days ago`, `next friday`, `last week`.

Calendar arithmetic is python-dateutil's relativedelta: a month on from 31 January is the last day of February.
A weekday counts like GNU date: `next friday` is the first Friday after today, `last friday` the last one before
it, `friday` (or `this friday`) today when today is a Friday, else the coming one.
"""

from __future__ import annotations

import re
from datetime import date

from csm.limits import FIRST_DAY, LAST_DAY, day_in_range

GRAMMAR = "YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w, in 2 weeks, 3 days ago, next friday, last week"

UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "wk": "weeks", "wks": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "yr": "years", "yrs": "years", "year": "years", "years": "years",
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3, "thu": 3,
    "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
NAMED = {"today": 0, "now": 0, "tomorrow": 1, "yesterday": -1}

_UNIT = "(" + "|".join(sorted(UNITS, key=len, reverse=True)) + ")"
_COUNT = r"(\d+|an?)"
_SIGNED = re.compile(rf"^([+-]?)\s*(\d+)\s*{_UNIT}$")
_IN = re.compile(rf"^in\s+{_COUNT}\s*{_UNIT}$")
_AGO = re.compile(rf"^{_COUNT}\s*{_UNIT}\s+ago$")
_FROM_NOW = re.compile(rf"^{_COUNT}\s*{_UNIT}\s+from\s+now$")
_NEXT_LAST = re.compile(r"^(next|last|this)\s+(\w+)$")


class NotADay(ValueError):
    """The text is not a day csm can read, or one beyond the days it computes with; the message says which."""


def parse_day(text: str, *, today: date) -> date:
    """The day `text` names, counted from `today` when it is relative; NotADay when it names none."""
    value = " ".join(text.strip().lower().split())
    try:
        exact = date.fromisoformat(value)
    except ValueError:
        exact = None
    if exact is None:
        exact = _relative(value, today, text)
    if not day_in_range(exact):
        raise NotADay(f"{text!r} is out of range; csm takes dates from {FIRST_DAY} to {LAST_DAY}")
    return exact


def _relative(value: str, today: date, text: str) -> date:
    if value in NAMED:
        return _shift(today, text, days=NAMED[value])
    if value in WEEKDAYS:
        return _weekday(today, WEEKDAYS[value], 0)
    for pattern, sign in ((_SIGNED, 0), (_IN, 1), (_AGO, -1), (_FROM_NOW, 1)):
        match = pattern.match(value)
        if match is None:
            continue
        if sign == 0:
            sign, count, unit = -1 if match.group(1) == "-" else 1, match.group(2), match.group(3)
        else:
            count, unit = match.group(1), match.group(2)
        number = 1 if count in ("a", "an") else int(count)
        return _shift(today, text, **{UNITS[unit]: sign * number})
    match = _NEXT_LAST.match(value)
    if match is not None:
        which, word = match.groups()
        if word in WEEKDAYS:
            return _weekday(today, WEEKDAYS[word], {"next": 1, "last": -1, "this": 0}[which])
        if word in UNITS and which != "this":
            return _shift(today, text, **{UNITS[word]: 1 if which == "next" else -1})
    raise NotADay(f"{text!r} is not a date; use {GRAMMAR}")


def _shift(today: date, text: str, **span: int) -> date:
    from dateutil.relativedelta import relativedelta

    try:
        if any(abs(count) > (LAST_DAY - FIRST_DAY).days for count in span.values()):
            raise OverflowError  # no span csm computes with is that long, in any unit
        shifted: date = today + relativedelta(**span)  # type: ignore[arg-type]
    except (OverflowError, ValueError):
        raise NotADay(f"{text!r} is out of range; csm takes dates from {FIRST_DAY} to {LAST_DAY}") from None
    return shifted


def _weekday(today: date, weekday: int, direction: int) -> date:
    """The weekday on or after today (0), the first one after it (1), or the last one before it (-1)."""
    from dateutil.relativedelta import relativedelta
    from dateutil.relativedelta import weekday as day_of_week

    if direction < 0:
        return today + relativedelta(days=-1, weekday=day_of_week(weekday, -1))
    return today + relativedelta(days=direction, weekday=day_of_week(weekday, +1))
