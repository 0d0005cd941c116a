"""Calendars as tools and attackers write them: bounded expansion, honest warnings, and any day a report asks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from csm.config import Config
from csm.db.book import locate_book, open_book
from csm.db.runner import Runner, open_runner
from csm.importers.calendar import import_calendar
from csm.importers.expansion import expanded_for
from tests.conftest import REPO, CsmRunner

NORMAL = """BEGIN:VEVENT
UID:normal-1
DTSTART:20270301T140000Z
DTEND:20270301T143000Z
SUMMARY:Acme QBR
END:VEVENT"""


def calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n"


def series(uid: str, rule: str, start: str = "20200101T090000Z") -> str:
    return f"BEGIN:VEVENT\nUID:{uid}\nDTSTART:{start}\nDURATION:PT15M\nRRULE:{rule}\nSUMMARY:{uid}\nEND:VEVENT"


HOSTILE = {
    "interval-0": "FREQ=DAILY;INTERVAL=0",
    "secondly-1970": "FREQ=SECONDLY",
    "minutely-2020": "FREQ=MINUTELY",
    "hourly-impossible": "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    "every-second-of-the-day": "FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE="
    + ",".join(map(str, range(60))) + ";BYSECOND=" + ",".join(map(str, range(60))),
}  # fmt: skip


def test_hostile_rules_are_skipped_with_a_warning_and_the_rest_imports(tmp_path: Path) -> None:
    """Timed by the harness: the import must end (the assertion is that it does, and reports)."""
    path = tmp_path / "hostile.ics"
    starts = {"secondly-1970": "19700101T000000Z", "hourly-impossible": "19700101T000000Z"}
    events = [series(uid, rule, starts.get(uid, "20200101T090000Z")) for uid, rule in HOSTILE.items()]
    dense = series("hourly-recent", "FREQ=HOURLY", "20260101T000000Z")  # within budget: capped, not skipped
    path.write_text(calendar(NORMAL, *events, dense, series("weekly-ok", "FREQ=WEEKLY;COUNT=3", "20270301T150000Z")))
    book = tmp_path / "book.db"
    env = {**os.environ, "CSM_DB": str(book), "CSM_AS_OF": "2027-03-01", "CSM_TIMEZONE": "UTC",
           "CSM_CONFIG": str(tmp_path / "none.toml"), "CSM_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "csm", "import", "calendar", str(path)],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for uid in HOSTILE:
        assert f"skipped recurring event {uid!r}" in done.stderr, (uid, done.stderr)
    assert "INTERVAL=0 never moves on" in done.stderr and "FREQ=SECONDLY is not a meeting rhythm" in done.stderr
    with sqlite3.connect(book) as connection:
        kept = connection.execute("SELECT uid, count(*) FROM calendar_events GROUP BY uid ORDER BY uid").fetchall()
    assert kept == [("hourly-recent", 2000), ("normal-1", 1), ("weekly-ok", 3)]
    assert "recurring event 'hourly-recent' (UID hourly-recent): kept the first 2000 occurrences only" in done.stderr


def test_a_task_list_imports_nothing_and_says_why(csm: CsmRunner, tmp_path: Path) -> None:
    path = tmp_path / "tasks.ics"
    path.write_text(calendar("BEGIN:VTODO\nUID:t1\nSUMMARY:Send quote\nDUE;VALUE=DATE:20270305\nEND:VTODO"))
    run = csm("import", "calendar", str(path))
    assert run.code == 0
    assert "holds only tasks (1 VTODO), no events" in run.err


def test_a_series_that_ended_before_the_window_says_so(csm: CsmRunner, tmp_path: Path) -> None:
    path = tmp_path / "old.ics"
    path.write_text(calendar(series("old-standup", "FREQ=DAILY;COUNT=5", "20190101T090000Z")))
    run = csm("import", "calendar", str(path), "--format", "json")
    assert run.code == 0
    assert run.json()["new"] == 0
    assert any("no event of the file falls between 2026-01-25 and 2029-05-09" in w for w in run.json()["warnings"])


def test_an_override_ending_before_it_starts_keeps_its_start_and_the_series_duration(
    csm: CsmRunner, book_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "moved.ics"
    path.write_text(calendar(
        "BEGIN:VEVENT\nUID:w\nDTSTART;TZID=America/New_York:20270301T100000\n"
        "DTEND;TZID=America/New_York:20270301T103000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Sync\nEND:VEVENT",
        "BEGIN:VEVENT\nUID:w\nRECURRENCE-ID;TZID=America/New_York:20270308T100000\n"
        "DTSTART;TZID=America/New_York:20270309T140000\nDTEND;TZID=America/New_York:20270308T143000\n"
        "SUMMARY:Sync (moved)\nEND:VEVENT",
    ))  # fmt: skip
    run = csm("import", "calendar", str(path))
    assert run.code == 0
    assert "line 15: event 'Sync (moved)' (UID w): its end was before its start" in " ".join(run.err.split())
    with sqlite3.connect(book_path) as connection:
        moved = connection.execute(
            "SELECT starts_at, ends_at, start_date, end_date FROM calendar_events WHERE title = 'Sync (moved)'"
        ).fetchall()
    assert moved == [("2027-03-09 19:00:00.000000", "2027-03-09 19:30:00.000000", "2027-03-09", "2027-03-09")]


def weekly_book(url: str, tmp_path: Path) -> None:
    path = tmp_path / "weekly.ics"
    path.write_text(calendar(
        "BEGIN:VEVENT\nUID:monday\nDTSTART;TZID=Europe/Berlin:20200106T100000\n"
        "DTEND;TZID=Europe/Berlin:20200106T103000\nRRULE:FREQ=WEEKLY;BYDAY=MO\nSUMMARY:Monday sync\nEND:VEVENT",
        NORMAL,
    ))  # fmt: skip
    book = open_book(locate_book(url))
    with book.session() as session:
        import_calendar(session, path, config=Config(timezone="Europe/Berlin"), today=date(2027, 3, 1), dry_run=False)
    book.close()


def mondays(runner: Runner, first: date, last: date) -> list[tuple[object, ...]]:
    return [
        (row["start_date"] if isinstance(row["start_date"], str) else row["start_date"].isoformat(), row["title"])
        for row in runner.rows(
            "SELECT start_date, title FROM calendar_events WHERE start_date BETWEEN :first AND :last "
            "ORDER BY start_date, title",
            {"first": first, "last": last},
        )
    ]


@pytest.mark.parametrize(
    ("first", "last"), [(date(2031, 6, 2), date(2031, 6, 9)), (date(2022, 1, 3), date(2022, 1, 10))]
)
def test_days_outside_the_import_window_are_expanded_for_a_report_and_not_kept(
    book_url: str, tmp_path: Path, first: date, last: date
) -> None:
    weekly_book(book_url, tmp_path)
    berlin = ZoneInfo("Europe/Berlin")
    runner = open_runner(locate_book(book_url))
    try:
        assert mondays(runner, first, last) == []  # beyond what the import expanded
        with expanded_for(runner, first, last, berlin, Config(timezone="Europe/Berlin")) as notes:
            assert notes == []
            assert mondays(runner, first, last) == [
                (first.isoformat(), "Monday sync"),
                (last.isoformat(), "Monday sync"),
            ]
        assert mondays(runner, first, last) == []  # the scratch transaction was undone
        inside = date(2027, 3, 1), date(2027, 3, 8)  # already expanded: read as stored, nothing added
        with expanded_for(runner, *inside, berlin, Config(timezone="Europe/Berlin")):
            assert mondays(runner, *inside) == [
                ("2027-03-01", "Acme QBR"), ("2027-03-01", "Monday sync"), ("2027-03-08", "Monday sync")
            ]  # fmt: skip
    finally:
        runner.close()


def test_inside_a_write_transaction_nothing_is_expanded(tmp_path: Path) -> None:
    url = str(tmp_path / "book.db")
    weekly_book(url, tmp_path)
    runner = open_runner(locate_book(url))
    day = date(2031, 6, 2)
    try:
        with runner.transaction(), expanded_for(runner, day, day, ZoneInfo("Europe/Berlin"), Config()):
            assert mondays(runner, day, day) == []  # a command that writes never keeps expanded meetings
        assert mondays(runner, day, day) == []
    finally:
        runner.close()


def test_far_days_show_on_the_agenda(csm: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    weekly_book(str(book_path), tmp_path)
    agenda = csm("today", "--as-of", "2029-09-03", "--format", "json").json()["agenda"]
    assert [(item["title"], item["start"]) for item in agenda] == [("Monday sync", "2029-09-03T04:00:00-04:00")]
