"""Recurring events for the days a report asks for, when they fall outside what the import expanded.

An import expands each series for about a year back and two ahead (khal's way: `csm today` is then one
indexed range query). A report for another day (`--as-of` far back or ahead) first calls cover_days: it
expands the calendars' stored series for exactly the days asked, stores the occurrences that were not
there yet, and widens the calendar's window when the new days join it. Inside a report's scratch
transaction (another day than today) nothing of this is kept, so no day disturbs another.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from csm.config import Config
    from csm.db.runner import Runner


def cover_days(runner: Runner, first: date, last: date, zone: ZoneInfo, config: Config) -> list[str]:
    """Make every calendar hold its occurrences of [first, last]; returns what went wrong, in words."""
    from csm.db.calendars import calendar_windows

    end = last + timedelta(days=1)
    wanting = [
        w
        for w in calendar_windows(runner)
        if w["has_series"] and not (w["expanded_from"] <= first and end <= w["expanded_until"])
    ]
    if not wanting:
        return []
    notes: list[str] = []
    with runner.transaction():
        for window in wanting:
            notes.extend(_cover(runner, window, first, end, zone, config))
    return notes


def _cover(runner: Runner, window: dict[str, Any], first: date, end: date, zone: ZoneInfo, config: Config) -> list[str]:
    from icalendar import Calendar

    from csm.db.calendars import add_occurrences, matching_facts, occurrence_key, series_of, stored_keys
    from csm.importers.calendar import AccountMatcher, expand_calendar, occurrence_rows
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
    joins = first <= old_until and end >= old_from  # the asked days touch the window: widen it
    new_from, new_until = (min(first, old_from), max(end, old_until)) if joins else (old_from, old_until)
    add_occurrences(runner, int(window["id"]), rows, new_from, new_until)
    return [f"calendar {window['name']!r}: {warning}" for warning in report.warnings]
