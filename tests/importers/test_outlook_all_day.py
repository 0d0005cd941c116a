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
