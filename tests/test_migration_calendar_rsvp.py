"""Migration 0009_calendar_rsvp on a book an older csm wrote (SQLite and PostgreSQL): attendees' answers are read again from the
recurring series the book kept (the master's for each occurrence, an override's for its own), a one-off meeting's
are unknown (read as accepted); `csm init` then reads each meeting's kind and the CSM's answer with the config, so
the series the CSM declined leaves the agenda and stops counting as touches."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from csm.cli import app
from csm.db import HEAD_REVISION
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade

SERIES = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
BEGIN:VEVENT\r
UID:weekly@google.com\r
DTSTART:20270222T150000Z\r
DTEND:20270222T153000Z\r
RRULE:FREQ=WEEKLY;COUNT=3\r
SUMMARY:Acme weekly\r
ORGANIZER:mailto:jane@acme.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:jane@acme.example\r
ATTENDEE;PARTSTAT=DECLINED;CN=Me:mailto:me@vendor.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:weekly@google.com\r
RECURRENCE-ID:20270301T150000Z\r
DTSTART:20270301T160000Z\r
DTEND:20270301T163000Z\r
SUMMARY:Acme weekly\r
ORGANIZER:mailto:jane@acme.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:jane@acme.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@vendor.example\r
END:VEVENT\r
END:VCALENDAR\r
"""
# (uid, recurrence id, starts at UTC, day) as an older csm stored the occurrences
EVENTS = [
    ("weekly@google.com", "20270222T150000Z", "2027-02-22 15:00:00", "2027-02-22"),
    ("weekly@google.com", "20270301T150000Z", "2027-03-01 16:00:00", "2027-03-01"),
    ("weekly@google.com", "20270308T150000Z", "2027-03-08 15:00:00", "2027-03-08"),
    ("one-off@google.com", None, "2027-03-03 15:00:00", "2027-03-03"),
]


def older_book(book_url: str) -> None:
    """A book at 0007_health_overrides with an account and a calendar of four stored occurrences."""
    location = locate_book(book_url)
    upgrade(location, "0007_health_overrides")
    engine = create_engine(location.url)
    stamp = "2027-01-04 09:00:00"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (id, name, name_norm, arr, owner, created_at, updated_at) "
                "VALUES (1, 'Acme Corp', 'acme corp', 120000, 'me@vendor.example', :t, :t)"
            ),
            {"t": stamp},
        )
        connection.execute(text("INSERT INTO account_domains (account_id, domain) VALUES (1, 'acme.example')"))
        connection.execute(
            text(
                "INSERT INTO calendars (id, name, imported_at, expanded_from, expanded_until, series) "
                "VALUES (1, 'work', :t, '2026-01-01', '2029-01-01', :series)"
            ),
            {"t": stamp, "series": SERIES},
        )
        for uid, recurrence, starts, day in EVENTS:
            connection.execute(
                text(
                    "INSERT INTO calendar_events (calendar_id, uid, recurrence_id, rrule, title, all_day, floating, "
                    "starts_at, ends_at, start_date, end_date, attendees, organizer, account_id) VALUES (1, :uid, "
                    ":rid, :rrule, 'Acme weekly', :false, :false, :starts, :starts, :day, :day, :attendees, "
                    "'jane@acme.example', 1)"
                ),
                {"uid": uid, "rid": recurrence, "rrule": "FREQ=WEEKLY;COUNT=3" if recurrence else None,
                 "starts": starts, "day": day, "false": False,
                 "attendees": json.dumps(["jane@acme.example", "me@vendor.example"])},
            )  # fmt: skip
    engine.dispose()


def stored(book_url: str) -> list[tuple[str, object, object, object]]:
    engine = create_engine(locate_book(book_url).url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT start_date, answers, kind, rsvp FROM calendar_events ORDER BY start_date")
        ).all()
    engine.dispose()
    return [(str(day)[:10], json.loads(answers) if answers else None, kind, rsvp) for day, answers, kind, rsvp in rows]


def test_an_older_book_reads_the_answers_its_series_kept(book_url: str, tmp_path: Path) -> None:
    older_book(book_url)
    open_book(locate_book(book_url)).close()
    assert current_revision(locate_book(book_url)) == HEAD_REVISION
    declined = {"jane@acme.example": "accepted", "me@vendor.example": "declined"}
    assert stored(book_url) == [
        ("2027-02-22", declined, None, None),
        ("2027-03-01", {"jane@acme.example": "accepted", "me@vendor.example": "accepted"}, None, None),
        ("2027-03-03", None, None, None),  # a one-off: its answers are gone
        ("2027-03-08", declined, None, None),
    ]

    config = tmp_path / "config.toml"
    config.write_text('owner = "me@vendor.example"\ninternal_domains = ["vendor.example"]\n')
    env = {"CSM_DB": book_url, "CSM_CONFIG": str(config), "CSM_TIMEZONE": "America/New_York",
           "CSM_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}  # fmt: skip

    def csm(*args: str) -> str:
        result = CliRunner().invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.stderr + result.stdout
        return result.stdout

    # until its meetings are read with the config, the book counts them as it did
    assert [a["title"] for a in json.loads(csm("today", "--as-of", "2027-03-08", "--format", "json"))["agenda"]] == [
        "Acme weekly"
    ]
    assert "Read 4 calendar meetings again with your config." in csm("init")
    assert [row[2:] for row in stored(book_url)] == [
        ("customer", "declined"), ("customer", "accepted"), ("customer", None), ("customer", "declined"),
    ]  # fmt: skip
    week = json.loads(csm("today", "--as-of", "2027-03-08", "--format", "json"))
    assert (week["agenda"], week["declined"]) == ([], 1)
    assert "The book" in csm("init") and "Read" not in csm("init")  # nothing left to read again
