"""Bounded recurrence: which RRULEs are worth expanding, and the work and time one file may take.

A calendar file is outside data: one RRULE such as FREQ=DAILY;INTERVAL=0 never ends, and FREQ=SECONDLY
from 1970 runs for hours in any expander, because the expander walks every period from DTSTART. So before
a series is expanded its rule is checked and its work estimated (periods from DTSTART to the window's end,
times the instances each period's BY-lists make); a rule refused or too costly skips that series with a
warning, and the rest of the calendar imports. While expanding, each series and the whole file count
their occurrences and wall time, and stop at their limits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

ABSURD_FREQUENCIES = ("SECONDLY", "MINUTELY")  # no meeting recurs every minute; such a rule is a bug or an attack
PERIOD = {
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(weeks=1),
    "MONTHLY": timedelta(days=28),
    "YEARLY": timedelta(days=365),
}
BY_PARTS = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")
MAX_WORK_PER_SERIES = 400_000  # periods x instances per period the expander may walk for one series
MAX_WORK_PER_FILE = 2_000_000
MAX_SECONDS_PER_FILE = 5.0


@dataclass
class Budget:
    """What one file's expansion may still spend."""

    work: int = MAX_WORK_PER_FILE
    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS_PER_FILE)

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline


def rule_problem(rrule: Any, start: date, window_end: date, budget: Budget) -> str | None:
    """Why a series' RRULE must not be expanded (None when it may), charging its work to the budget."""
    if rrule is None:
        return None
    rules = rrule if isinstance(rrule, list) else [rrule]
    total = 0
    for rule in rules:
        freq = str(_first(rule.get("FREQ")) or "").upper()
        if freq in ABSURD_FREQUENCIES:
            return f"FREQ={freq} is not a meeting rhythm (refused)"
        if freq not in PERIOD:
            return f"FREQ={freq or '(missing)'} is not a recurrence frequency"
        interval = _first(rule.get("INTERVAL"))
        try:
            step = int(interval) if interval is not None else 1
        except (TypeError, ValueError):
            return f"INTERVAL={interval!r} is not a number"
        if step <= 0:
            return f"INTERVAL={step} never moves on (refused)"
        first = start.date() if isinstance(start, datetime) else start
        until = _first(rule.get("UNTIL"))
        last = min(window_end, until.date() if isinstance(until, datetime) else until or window_end)
        span = max((last - first).days, 0) + 1
        periods = int(timedelta(days=span) / (PERIOD[freq] * step)) + 1
        count = _first(rule.get("COUNT"))
        if isinstance(count, int) and count >= 0:
            periods = min(periods, count * 50 + 1)  # BY-lists may reject periods, but not without end
        per_period = 1
        for part in BY_PARTS:
            values = rule.get(part)
            if values:
                per_period *= len(values) if isinstance(values, list) else 1
        total += periods * per_period
    if total > MAX_WORK_PER_SERIES:
        return f"expanding it would walk {total:,} instances (at most {MAX_WORK_PER_SERIES:,} per series)"
    if total > budget.work:
        return "the file's expansion budget is spent (too many long-running series)"
    budget.work -= total
    return None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value
