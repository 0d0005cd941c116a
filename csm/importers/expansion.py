"""Recurring meetings for the days a report asks for, when they fall outside what the import expanded.

An import expands each series for about a year back and two ahead (khal's way: `csm today` is then one
indexed range query). A report for days outside that (`--as-of` years back or ahead) reads its meetings
inside `expanded_for`: the calendars' stored series are expanded for exactly those days in a scratch
transaction, read, and undone, so a report never writes the book and no day disturbs another.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from csm.config import Config
    from csm.db.runner import Runner


@contextmanager
def expanded_for(runner: Runner, first: date, last: date, zone: ZoneInfo, config: Config) -> Iterator[list[str]]:
    """For the block, every calendar holds its occurrences of [first, last]; yields what went wrong, in words.

    Nothing is kept: the occurrences are written in a scratch transaction that is always rolled back. Inside a
    transaction of its own (a command that writes) the block reads what the import expanded, and writes nothing."""
    wanting = _wanting(runner, first, last)
    if not wanting or runner.in_transaction:
        yield []
        return
    with runner.scratch():
        notes: list[str] = []
        for window in wanting:
            notes.extend(_cover(runner, window, first, last + timedelta(days=1), zone, config))
        yield notes


def _wanting(runner: Runner, first: date, last: date) -> list[dict[str, Any]]:
    """The calendars with series whose expanded days do not hold all of [first, last]."""
    from csm.db.calendars import calendar_windows

    end = last + timedelta(days=1)
    return [
        w
        for w in calendar_windows(runner)
        if w["has_series"]
        and not (w["expanded_from"] is not None and w["expanded_from"] <= first and end <= w["expanded_until"])
    ]


def _cover(runner: Runner, window: dict[str, Any], first: date, end: date, zone: ZoneInfo, config: Config) -> list[str]:
    from icalendar import Calendar

    from csm.db.calendars import add_occurrences, matching_facts, occurrence_key, series_of, stored_keys
    from csm.domain.meetings import AccountMatcher
    from csm.importers.calendar import expand_calendar, occurrence_rows
    from csm.importers.report import ImportReport

    text = series_of(runner, int(window["id"]))
    if text is None:
        return []
    old_from, old_until = window["expanded_from"], window["expanded_until"]
    report = ImportReport(kind="calendar", source="ics", file=Path(str(window["name"])))
    try:
        calendar = Calendar.from_ical(text)
    except Exception as exc:  # the stored text came from icalendar; this is a damaged book
        return [f"calendar {window['name']!r}: its stored series cannot be read ({exc})"]
    occurrences = expand_calendar(calendar, (first, end), report, series_only=True)
    matcher = AccountMatcher.from_facts(*matching_facts(runner), config)
    known = stored_keys(runner, int(window["id"]))
    rows = [row for row in occurrence_rows(occurrences, zone, matcher) if occurrence_key(row) not in known]
    if old_from is None or old_until is None:
        new_from, new_until = first, end
    elif first <= old_until and end >= old_from:  # the asked days touch the window: widen it
        new_from, new_until = min(first, old_from), max(end, old_until)
    else:
        new_from, new_until = old_from, old_until
    add_occurrences(runner, int(window["id"]), rows, new_from, new_until)
    return [f"calendar {window['name']!r}: {warning}" for warning in report.warnings]
