"""Outlook's all-day event: midnight to midnight in its zone, marked X-MICROSOFT-CDO-ALLDAYEVENT. It showed as a
06:00 meeting on one day and "(cont.)-06:00" on the next."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import CsmRunner

OUTLOOK = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
BEGIN:VTIMEZONE
TZID:Eastern Standard Time
BEGIN:STANDARD
DTSTART:16011104T020000
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010311T020000
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:onsite-1
DTSTART;TZID="Eastern Standard Time":20270302T000000
DTEND;TZID="Eastern Standard Time":20270304T000000
SUMMARY:Kestrel Analytics onsite
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
END:VEVENT
BEGIN:VEVENT
UID:midnight-call
DTSTART;TZID="Eastern Standard Time":20270302T000000
DTEND;TZID="Eastern Standard Time":20270302T003000
SUMMARY:Late call with Sydney
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
END:VEVENT
END:VCALENDAR
"""


def test_an_outlook_all_day_event_is_a_day_not_a_meeting_at_midnight(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    calendar = tmp_path / "outlook.ics"
    calendar.write_text(OUTLOOK.replace("\n", "\r\n"), encoding="utf-8")
    run = csm("import", "calendar", str(calendar))
    assert run.code == 0, run.err
    with sqlite3.connect(book_path) as connection:
        rows = connection.execute(
            "SELECT title, all_day, start_date, end_date, starts_at FROM calendar_events ORDER BY uid DESC"
        ).fetchall()
    assert rows == [
        ("Kestrel Analytics onsite", 1, "2027-03-02", "2027-03-03", None),  # two days, DTEND exclusive
        ("Late call with Sydney", 0, "2027-03-02", "2027-03-02", "2027-03-02 05:00:00.000000"),
    ]
    day = " ".join(csm("today", "--as-of", "2027-03-03", "--no-sync").out.split())
    assert "all day Kestrel Analytics onsite" in day and "(cont.)" not in day


def test_floating_times_in_a_file_of_several_zones_are_read_in_the_users_zone_and_said(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    london = (
        "BEGIN:VTIMEZONE\nTZID:GMT Standard Time\nBEGIN:STANDARD\nDTSTART:16011028T020000\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0000\nEND:STANDARD\n"
        "END:VTIMEZONE\n"
    )
    floating = (
        "BEGIN:VEVENT\nUID:floating-1\nDTSTART:20270302T100000\nDTEND:20270302T103000\nSUMMARY:Review\nEND:VEVENT\n"
    )
    text = OUTLOOK.replace("BEGIN:VEVENT", london + floating + "BEGIN:VEVENT", 1)
    calendar = tmp_path / "outlook.ics"
    calendar.write_text(text, encoding="utf-8")
    run = csm("import", "calendar", str(calendar))
    assert run.code == 0, run.err
    assert (
        "1 event with a floating time (no zone) in a file that defines 2 time zones (Eastern Standard Time, "
        "GMT Standard Time): read in your own time zone"
    ) in " ".join(run.err.split())
    with sqlite3.connect(book_path) as connection:
        assert connection.execute("SELECT floating FROM calendar_events WHERE uid = 'floating-1'").fetchall() == [(1,)]
