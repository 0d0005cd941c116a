"""The occurrences a CSM sees from real calendar files (facts from shared/corpus/SOURCES.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csm.importers.calendar import WINDOW_FUTURE, WINDOW_PAST, event_row, expand_calendar, read_calendar
from csm.importers.report import ImportReport

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "ics"


def occurrences(name: str, today: date, zone: str = "UTC") -> tuple[list[dict[str, Any]], ImportReport]:
    """The rows an import would store, in start order, and the report's warnings."""
    path = CORPUS / name
    report = ImportReport(kind="calendar", source="ics", file=path)
    found = expand_calendar(read_calendar(path, report), (today - WINDOW_PAST, today + WINDOW_FUTURE), report)
    rows = [event_row(o, ZoneInfo(zone), None) for o in found]
    return sorted(rows, key=lambda r: (r["start_date"], (r["starts_at"] or datetime.min).replace(tzinfo=None))), report


def between(rows: list[dict[str, Any]], first: date, last: date, title: str | None = None) -> list[dict[str, Any]]:
    return [r for r in rows if first <= r["start_date"] <= last and (title is None or r["title"] == title)]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_cancelled_override_is_dropped_and_moved_override_keeps_its_new_time() -> None:
    rows, _ = occurrences("khal__event_rrule_recuid_cancelled.ics", date(2014, 7, 1), "Europe/Berlin")
    assert [r["start_date"] for r in rows] == [
        date(2014, 6, 30),
        date(2014, 7, 7),
        date(2014, 7, 21),
        date(2014, 7, 28),
        date(2014, 8, 4),
    ]
    moved = rows[1]
    assert (moved["starts_at"], moved["ends_at"]) == (utc(2014, 7, 7, 7), utc(2014, 7, 7, 12))  # 09:00-14:00 Berlin
    assert rows[0]["starts_at"] == utc(2014, 6, 30, 5)  # 07:00 Berlin
    assert rows[0]["rrule"].startswith("FREQ=WEEKLY")


def test_cancelled_occurrence_of_a_daily_series_is_dropped() -> None:
    rows, _ = occurrences("rie__issue_18_cancel_status.ics", date(2020, 1, 1))
    assert [r["starts_at"] for r in rows] == [utc(2020, 1, 28, 21), utc(2020, 1, 30, 21)]


def test_exdates_in_utc_remove_instances_and_wall_time_survives_dst() -> None:
    rows, _ = occurrences("rie__each_week_but_two_deleted.ics", date(2019, 3, 1), "Europe/Berlin")
    days = [4, 18], [1, 8, 15, 22]
    assert [r["start_date"] for r in rows] == [date(2019, 3, d) for d in days[0]] + [date(2019, 4, d) for d in days[1]]
    berlin = ZoneInfo("Europe/Berlin")
    assert {r["starts_at"].astimezone(berlin).strftime("%H:%M") for r in rows} == {"00:30"}
    assert rows[0]["starts_at"] == utc(2019, 3, 3, 23, 30) and rows[2]["starts_at"] == utc(2019, 3, 31, 22, 30)


def test_duration_and_utc_until_and_exdate() -> None:
    rows, _ = occurrences("khal__event_dtr_exdatez.ics", date(2014, 7, 1), "Europe/Berlin")
    assert [r["start_date"] for r in rows] == [date(2014, 6, 30), date(2014, 7, 7), date(2014, 7, 14)]
    assert (rows[0]["starts_at"], rows[0]["ends_at"]) == (utc(2014, 6, 30, 5, 30), utc(2014, 6, 30, 10, 1))


def test_google_override_moves_last_friday_instance() -> None:
    rows, _ = occurrences("rie__issue_62_moved_event.ics", date(2022, 1, 1), "Europe/Berlin")
    found = between(rows, date(2021, 11, 1), date(2022, 2, 28))
    assert [r["start_date"] for r in found] == [
        date(2021, 11, 26),
        date(2021, 12, 17),
        date(2022, 1, 28),
        date(2022, 2, 25),
    ]


def test_override_listed_before_master_changes_one_title_only() -> None:
    rows, _ = occurrences("ical__recurring_with_single_change.ics", date(2026, 2, 1), "America/New_York")
    assert [(r["start_date"].day, r["title"]) for r in rows] == [
        (1, "Initial Title"),
        (2, "Edited Title"),
        (3, "Initial Title"),
    ]
    assert rows[0]["starts_at"] == utc(2026, 2, 1, 15)


def test_weekly_series_keeps_lisbon_wall_time_across_dst() -> None:
    rows, _ = occurrences("rie__issue_48_daylight_aware_repeats.ics", date(2020, 10, 1))
    found = between(rows, date(2020, 10, 19), date(2020, 10, 26))
    assert [r["starts_at"] for r in found] == [utc(2020, 10, 19, 10, 30), utc(2020, 10, 26, 11, 30)]


def test_weekday_series_and_unescaped_location() -> None:
    rows, _ = occurrences("icalendar__x_location.ics", date(2016, 10, 27), "Europe/Zurich")
    found = between(rows, date(2016, 10, 27), date(2016, 11, 2))
    assert [r["start_date"] for r in found] == [
        date(2016, 10, 28),
        date(2016, 10, 31),
        date(2016, 11, 1),
        date(2016, 11, 2),
    ]
    assert found[0]["location"].splitlines() == ["Roadstar 16", "12764 Happyville", "Denmark"]


def test_google_birthdays_are_not_doubled_and_bad_rdate_is_reported() -> None:
    rows, report = occurrences("icaljs__google_birthday.ics", date(2013, 6, 1))
    assert [(r["start_date"], r["all_day"]) for r in rows] == [(date(y, 12, 10), True) for y in (2012, 2013, 2014)]
    assert any("2014_BIRTHDAY" in w and "RDATE" in w for w in report.warnings)


def test_exchange_windows_zone_names_with_vtimezone() -> None:
    rows, report = occurrences("nodeical__ms_timezones.ics", date(2020, 7, 1))
    assert between(rows, date(2020, 9, 10), date(2020, 9, 10), "test")[0]["starts_at"] == utc(2020, 9, 10, 7)
    assert between(rows, date(2020, 9, 15), date(2020, 9, 15), "Not the actual summary 1")[0]["starts_at"] == utc(
        2020, 9, 15, 15, 30
    )
    week = between(rows, date(2020, 7, 5), date(2020, 7, 11), "Not the actual summary either")
    assert [r["start_date"].day for r in week] == [7, 9, 10]
    assert week[0]["starts_at"] == utc(2020, 7, 7, 19)
    assert any("Log Yesterday" in w for w in report.warnings)  # the strict parser skips it, says so


def test_outlook_display_name_zones_without_vtimezone() -> None:
    rows, _ = occurrences("nodeical__Office-2012-owa.ics", date(2020, 11, 1))
    first = {r["title"]: r["starts_at"] for r in reversed(rows)}
    assert first["TEST Syd"] == utc(2020, 10, 28, 2, 30)
    assert first["TEST"] == utc(2020, 10, 28, 17, 30)
    assert first["TEST 3"] == utc(2020, 11, 2, 18, 30)
    series = [r["start_date"] for r in rows if r["title"] == "TEST2"][:3]
    assert series == [date(2020, 11, 2), date(2020, 11, 5), date(2020, 11, 6)]  # RFC 5545: DTSTART counts


def test_all_day_override_named_by_windows_zone_midnight_moves_the_instance() -> None:
    rows, _ = occurrences("nodeical__exchange_whole_day_moved_recurrence.ics", date(2026, 2, 1), "Europe/Berlin")
    found = between(rows, date(2026, 2, 16), date(2026, 3, 7))
    assert [r["start_date"] for r in found] == [date(2026, 2, d) for d in (19, 24, 27)] + [
        date(2026, 3, 3),
        date(2026, 3, 5),
    ]
    assert all(r["all_day"] and r["end_date"] == r["start_date"] for r in found)


def test_customized_time_zone_uses_the_files_vtimezone() -> None:
    rows, _ = occurrences("ical__office_356_custom_timezone.ics", date(2025, 1, 1), "Europe/Warsaw")
    busy = [r for r in rows if r["title"] == "Zajęty"]
    assert [r["starts_at"] for r in busy] == [utc(2024, 5, 2, 9)]
    found = between(rows, date(2024, 12, 20), date(2025, 3, 9), "Wstępna akceptacja")
    assert [r["start_date"] for r in found] == [date(2025, 1, 14), date(2025, 1, 28), date(2025, 2, 11)]


def test_new_zealand_windows_name_beats_the_files_wrong_vtimezone() -> None:
    """Deliberate, as khal: 'New Zealand Standard Time' is Pacific/Auckland, so 13:00 NZDT = 00:00Z."""
    rows, _ = occurrences("khal__tz_windows_format.ics", date(2019, 11, 1))
    assert [(r["starts_at"], r["ends_at"]) for r in rows] == [(utc(2019, 11, 20, 0), utc(2019, 11, 20, 1, 30))]


def test_non_ascii_display_name_zone_and_missing_summary() -> None:
    rows, _ = occurrences("icalendar__issue_237_non_ascii_tzid.ics", date(2017, 5, 1))
    assert [(r["starts_at"], r["title"]) for r in rows] == [(utc(2017, 5, 11, 16, 30), "(no title)")]


def test_x_wr_timezone_puts_a_late_utc_event_on_the_new_york_day() -> None:
    rows, _ = occurrences("rie__x_wr_timezone_simple_events_issue_59.ics", date(2021, 12, 1), "America/New_York")
    assert [(r["starts_at"], r["start_date"]) for r in rows] == [
        (utc(2021, 12, 22, 17), date(2021, 12, 22)),
        (utc(2021, 12, 23, 2), date(2021, 12, 22)),
    ]


def test_x_wr_timezone_gives_floating_times_the_calendars_zone() -> None:
    rows, _ = occurrences("rie__issue_86_x_wr_timezone_without_time_zone_in_dt.ics", date(2021, 9, 1))
    assert [(r["starts_at"], r["floating"]) for r in rows] == [(utc(2021, 9, 16, 19), False)]


def test_mixed_floating_utc_tzid_and_date_values() -> None:
    rows, _ = occurrences("nodeical__mixed-timezone-handling.ics", date(2002, 10, 1), "America/Los_Angeles")
    by_title = {r["title"]: r for r in rows}
    assert by_title["No Timezone"]["starts_at"] == utc(2002, 10, 28, 9, 20, 30)  # X-WR-TIMEZONE US/Pacific
    assert by_title["UTC Timezone"]["start_date"] == date(2002, 10, 27)
    assert by_title["Inline Timezone"]["starts_at"] == utc(2002, 10, 28, 6, 20, 30)
    for title in ("Date Only (Explicit)", "Date Only (Implicit)"):
        assert (by_title[title]["all_day"], by_title[title]["start_date"]) == (True, date(2002, 10, 28))


def test_bare_floating_event_keeps_its_wall_time() -> None:
    rows, _ = occurrences("khal__event_dt_floating.ics", date(2014, 4, 1))
    assert [(r["floating"], r["starts_at"], r["ends_at"]) for r in rows] == [
        (True, utc(2014, 4, 9, 9, 30), utc(2014, 4, 9, 10, 30))  # wall time, labelled UTC for the column
    ]


def test_multi_day_all_day_event_ends_the_day_before_dtend() -> None:
    rows, _ = occurrences("ical__event_all_day.ics", date(2007, 6, 1))
    assert [(r["start_date"], r["end_date"], r["all_day"]) for r in rows] == [
        (date(2007, 6, 28), date(2007, 7, 8), True)
    ]
    assert (rows[0]["end_date"] - rows[0]["start_date"]).days + 1 == 11


def test_timed_event_over_three_days_touches_each() -> None:
    rows, _ = occurrences("ical__event_multi_day.ics", date(1996, 9, 1))
    assert [(r["start_date"], r["end_date"]) for r in rows] == [(date(1996, 9, 18), date(1996, 9, 20))]


def test_apple_calendar_multi_day_and_daily_until() -> None:
    rows, _ = occurrences("ical__apple_ical.ics", date(2022, 9, 1))
    multi = [(r["start_date"], r["end_date"]) for r in rows if r["title"] == "Multi-day event"]
    assert multi == [(date(2023, 10, 11), date(2023, 10, 12)), (date(2023, 10, 15), date(2023, 10, 17))]
    daily = between(rows, date(2022, 9, 13), date(2022, 9, 25), "Daily")
    assert len(daily) == 13 and daily[0]["starts_at"] == utc(2022, 9, 13, 16)


def test_attendee_addresses_lose_whitespace_left_by_line_folding() -> None:
    rows, _ = occurrences("khal__event_dt_partstat.ics", date(2014, 4, 1))
    attendees = set(__import__("json").loads(rows[0]["attendees"]))
    assert {"hcabot@example.com", "iamboss@example.com", "jdoe@example.com", "jqpublic@example.com"} <= attendees
    assert all(" " not in a for a in attendees) and len(attendees) == 6


def test_holidays_file_keeps_every_one_off_event_whatever_its_date() -> None:
    rows, _ = occurrences("rie__Germany.ics", date(2020, 1, 1))
    assert len(rows) == 159
    season = between(rows, date(2019, 12, 20), date(2020, 1, 9))
    assert [r["title"] for r in season] == [
        "Germany: Christmas Day",
        "Germany: St. Stephen's Day",
        "Germany: New Year's Day",
    ]


def test_event_without_start_is_skipped_with_a_warning() -> None:
    rows, report = occurrences("icalendar__created_calendar_with_unicode_fields.ics", date(2010, 10, 1))
    assert [(r["title"], r["starts_at"]) for r in rows] == [
        ("åäö", utc(2010, 10, 10)),
        ("Non-ASCII Test: ÄÖÜ äöü €", utc(2010, 10, 10, 10)),
    ]
    assert (
        report.skipped == 1
        and report.warnings[0] == "line 20: skipped event without UID or summary: no start (DTSTART)"
    )


def test_invalid_start_names_the_uid() -> None:
    rows, report = occurrences("icalendar__broken_dtstart.ics", date(2020, 1, 1))
    assert rows == [] and report.warnings[0].startswith("line 6: skipped event 'test-123': invalid DTSTART: ")


def test_garbage_rrule_prefix_is_tolerated() -> None:
    rows, _ = occurrences("nodeical__badRRULE.ics", date(2020, 10, 1), "America/Denver")
    week = between(rows, date(2020, 10, 12), date(2020, 10, 18), "Brain Break")
    assert [r["start_date"].day for r in week] == [12, 13, 14, 16]
    assert between(rows, date(2020, 12, 21), date(2021, 1, 1), "Invalid RRULE property") == []


def test_lenient_fallback_salvages_events_of_a_file_icalendar_rejects() -> None:
    rows, report = occurrences("icsparser__ICal.ics", date(2017, 1, 1), "America/New_York")
    cldr = [r["start_date"] for r in rows if r["title"] == "Microsoft Unicode CLDR EXDATE Test"]
    assert len(cldr) == 12 and cldr[-1] == date(2016, 7, 16)
    assert not {date(2016, 5, 28), date(2016, 6, 25), date(2016, 7, 9)} & set(cldr)
    parent = [(r["title"], r["start_date"]) for r in rows if "Parent Recurrence Event" in r["title"]]
    assert parent == [
        ("Override Parent Recurrence Event", date(2017, 8, 13)),
        ("Parent Recurrence Event", date(2017, 10, 8)),
    ]
    assert "VFREEBUSY" in report.warnings[0]
    assert any("20171032" in w for w in report.warnings)


@pytest.mark.parametrize("name", ["icalendar__bom_calendar.ics"])
def test_empty_calendar_is_not_an_error(name: str) -> None:
    rows, report = occurrences(name, date(2020, 1, 1))
    assert rows == [] and report.warnings == []
