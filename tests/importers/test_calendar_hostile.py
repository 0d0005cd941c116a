"""Random and hostile calendar files never crash the import and never leave a partial write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import func, select

from csm.config import Config
from csm.db.book import Book, locate_book, open_book
from csm.db.models import Calendar, CalendarEvent
from csm.errors import InputError
from csm.importers.calendar import import_calendar

LINES = [
    "BEGIN:VCALENDAR",
    "END:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "BEGIN:VTIMEZONE",
    "END:VTIMEZONE",
    "BEGIN:VFREEBUSY",
    "END:VFREEBUSY",
    "BEGIN:STANDARD",
    "END:STANDARD",
    "TZID:Customized Time Zone",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+9900",
    "UID:x",
    "UID:",
    "SUMMARY:Acme QBR",
    "SUMMARY:",
    "DTSTART:20200601T100000Z",
    "DTSTART;VALUE=DATE:20200601",
    "DTSTART:20201332T250000",
    "DTSTART:",
    "DTSTART;TZID=W. Europe Standard Time:20200601T100000",
    'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20200601T100000',
    "DTSTART;TZID=Nowhere/Zone:20200601T100000",
    "DTEND:20200531T100000Z",
    "DTEND;VALUE=DATE:20200605",
    "DURATION:PT1H",
    "DURATION:nonsense",
    "RRULE:FREQ=DAILY;COUNT=3",
    "RRULE:FREQ=WEEKLY",
    "RRULE:FREQ=NOPE;BYDAY=XX",
    "RRULE:FREQ=SECONDLY",
    "EXDATE:20200602T100000Z",
    "EXDATE:garbage",
    "RDATE:20131210Z",
    "RDATE;VALUE=PERIOD:20200601T100000Z/20200501T100000Z",
    "RECURRENCE-ID:20200602T100000Z",
    "RECURRENCE-ID;VALUE=DATE:20200602",
    "STATUS:CANCELLED",
    "ATTENDEE:mailto:a @acme.com",
    "ORGANIZER:mailto:",
    "FREEBUSY:20200601T100000Z/20200501T100000Z",
    "X-WR-TIMEZONE:America/New_York",
    "X-WR-TIMEZONE:Not/AZone",
    " folded continuation",
    ":",
    ";;;",
    "\ufeff",
]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    opened = open_book(locate_book(str(tmp_path_factory.mktemp("hostile") / "book.db")))
    yield opened
    opened.close()


def stored(book: Book) -> tuple[int, int]:
    with book.session() as session:
        calendars = session.exec(select(func.count()).select_from(Calendar)).one()
        events = session.exec(select(func.count()).select_from(CalendarEvent)).one()
    return calendars, events


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.lists(st.sampled_from(LINES), max_size=40).map("\r\n".join),
        st.text(max_size=300),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )
)
def test_hostile_files_fail_only_with_input_error_and_all_or_nothing(book: Book, tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.ics"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with book.session() as session:  # start from an empty book each time
        session.execute(delete(CalendarEvent))
        session.execute(delete(Calendar))
    try:
        with book.session() as session:
            report = import_calendar(session, path, config=Config(), today=date(2020, 6, 1), dry_run=False)
    except InputError as exc:
        assert str(exc)
        assert stored(book) == (0, 0)
    else:
        assert stored(book) == (1, report.new)
