"""Importing calendars into a book: every corpus file, replacing, dry runs, and matching meetings to accounts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from csm.config import Config
from csm.db.accounts import AccountFields, ContactFields, add_account, add_contact
from csm.db.book import Book, locate_book, open_book
from csm.db.models import Account, Calendar, CalendarEvent
from csm.errors import InputError
from csm.importers.calendar import import_calendar
from csm.importers.report import ImportReport

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "ics"
MALFORMED = {"icalendar__big_bad_calendar.ics"}
TODAY = date(2020, 6, 1)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = open_book(locate_book(str(tmp_path / "book.db")))
    yield opened
    opened.close()


def event_count(book: Book) -> int:
    with book.session() as session:
        return session.exec(select(func.count()).select_from(CalendarEvent)).one()


def write_ics(path: Path, *events: str) -> Path:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n{body}END:VCALENDAR\r\n", encoding="utf-8")
    return path


def run(
    book: Book,
    path: Path,
    *,
    config: Config | None = None,
    dry_run: bool = False,
    name: str | None = None,
    today: date = TODAY,
) -> ImportReport:
    with book.session() as session:
        return import_calendar(session, path, config=config or Config(), today=today, dry_run=dry_run, name=name)


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.glob("*.ics") if p.name not in MALFORMED), ids=lambda p: p.name
)
def test_every_corpus_file_imports(book: Book, path: Path) -> None:
    report = run(book, path)
    assert report.kind == "calendar" and report.source == "ics"
    assert event_count(book) == report.new
    with book.session() as session:
        calendar = session.exec(select(Calendar)).one()
    assert calendar.name == path.stem
    assert (calendar.expanded_from, calendar.expanded_until) == (date(2019, 4, 28), date(2022, 8, 10))


def test_truncated_file_fails_with_a_clear_message_and_writes_nothing(book: Book) -> None:
    with pytest.raises(InputError, match=r"big_bad_calendar.*no complete calendar"):
        run(book, CORPUS / "icalendar__big_bad_calendar.ics")
    with book.session() as session:
        assert session.exec(select(Calendar)).all() == []


def test_missing_file_is_an_input_error(book: Book, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        run(book, tmp_path / "nope.ics")


def test_stored_occurrences_are_utc_rows_found_by_day(book: Book) -> None:
    run(
        book,
        CORPUS / "khal__event_rrule_recuid_cancelled.ics",
        config=Config(timezone="Europe/Berlin"),
        today=date(2014, 7, 1),
    )
    with book.session() as session:
        rows = session.exec(select(CalendarEvent).where(CalendarEvent.start_date == date(2014, 7, 7))).all()
        assert len(rows) == 1
        assert rows[0].starts_at is not None and rows[0].starts_at.replace(tzinfo=None).hour == 7  # 09:00 Berlin
        assert session.exec(select(CalendarEvent).where(CalendarEvent.start_date == date(2014, 7, 14))).all() == []


def test_reimport_replaces_the_calendars_events(book: Book, tmp_path: Path) -> None:
    path = write_ics(
        tmp_path / "work.ics",
        "UID:a\r\nSUMMARY:Kickoff\r\nDTSTART:20200601T100000Z\r\nDTEND:20200601T110000Z",
        "UID:b\r\nSUMMARY:Review\r\nDTSTART:20200602T100000Z\r\nDTEND:20200602T110000Z",
    )
    assert run(book, path).new == 2
    write_ics(path, "UID:a\r\nSUMMARY:Kickoff moved\r\nDTSTART:20200603T100000Z\r\nDTEND:20200603T110000Z")
    assert run(book, path).new == 1
    with book.session() as session:
        titles = session.exec(select(CalendarEvent.title)).all()
        assert titles == ["Kickoff moved"]
        assert len(session.exec(select(Calendar)).all()) == 1


def test_reimporting_the_same_calendar_reports_it_unchanged(book: Book, tmp_path: Path) -> None:
    path = write_ics(
        tmp_path / "work.ics",
        "UID:a\r\nSUMMARY:Kickoff\r\nDTSTART:20200601T100000Z\r\nDTEND:20200601T110000Z",
        "UID:b\r\nSUMMARY:Review\r\nDTSTART:20200602T100000Z\r\nDTEND:20200602T110000Z",
    )
    first = run(book, path)
    again = run(book, path)
    assert (first.new, first.unchanged) == (2, 0)
    assert (again.new, again.unchanged) == (0, 2)
    assert event_count(book) == 2


def test_a_changed_answer_or_place_of_a_known_meeting_is_an_update(book: Book, tmp_path: Path) -> None:
    """The CSM accepts the QBR they were tentative about, and the review moves room: two updates, one unchanged."""
    events = [
        "UID:a\r\nSUMMARY:QBR\r\nDTSTART:20200601T100000Z\r\nDTEND:20200601T110000Z\r\n"
        "ATTENDEE;PARTSTAT=TENTATIVE:mailto:me@vendor.example",
        "UID:b\r\nSUMMARY:Review\r\nDTSTART:20200602T100000Z\r\nDTEND:20200602T110000Z\r\nLOCATION:Room 1",
        "UID:c\r\nSUMMARY:Sync\r\nDTSTART:20200603T100000Z\r\nDTEND:20200603T110000Z",
    ]
    run(book, write_ics(tmp_path / "work.ics", *events))
    changed = [events[0].replace("TENTATIVE", "ACCEPTED"), events[1].replace("Room 1", "Room 2"), events[2]]
    again = run(book, write_ics(tmp_path / "work.ics", *changed))
    assert (again.new, again.updated, again.unchanged) == (0, 2, 1)
    with Session(book.engine) as session:
        stored = session.exec(select(CalendarEvent.title, CalendarEvent.location, CalendarEvent.answers)).all()
    assert sorted(stored) == [
        ("QBR", None, '{"me@vendor.example": "accepted"}'), ("Review", "Room 2", None), ("Sync", None, None)
    ]  # fmt: skip


def calendars(book: Book) -> dict[str, list[str]]:
    with book.session() as session:
        found: dict[str, list[str]] = {c.name: [] for c in session.exec(select(Calendar))}
        for name, title in session.exec(select(Calendar.name, CalendarEvent.title).join(CalendarEvent)):
            found[name].append(title)
    return {name: sorted(titles) for name, titles in found.items()}


def test_named_calendars_are_kept_apart(book: Book, tmp_path: Path) -> None:
    run(book, write_ics(tmp_path / "x.ics", "UID:a\r\nSUMMARY:One\r\nDTSTART;VALUE=DATE:20200601"), name="work")
    run(book, write_ics(tmp_path / "y.ics", "UID:b\r\nSUMMARY:Two\r\nDTSTART;VALUE=DATE:20200601"), name="home")
    assert calendars(book) == {"work": ["One"], "home": ["Two"]}


KICKOFF = "UID:a\r\nSUMMARY:Kickoff\r\nDTSTART:20200601T100000Z\r\nDTEND:20200601T110000Z"
REVIEW = "UID:b\r\nSUMMARY:Review\r\nDTSTART:20200602T100000Z\r\nDTEND:20200602T110000Z"
LUNCH = "UID:c\r\nSUMMARY:Team lunch\r\nDTSTART:20200603T120000Z\r\nDTEND:20200603T130000Z"


def test_the_same_calendar_exported_again_under_another_file_name_replaces_it(book: Book, tmp_path: Path) -> None:
    """Google names a download calendar.ics, then "calendar (1).ics": the meetings are not doubled."""
    run(book, write_ics(tmp_path / "calendar.ics", KICKOFF, REVIEW))
    moved = KICKOFF.replace("20200601T10", "20200604T10").replace("20200601T11", "20200604T11")
    again = run(book, write_ics(tmp_path / "calendar (1).ics", moved, REVIEW, LUNCH))
    assert calendars(book) == {"calendar": ["Kickoff", "Review", "Team lunch"]}
    assert (again.new, again.unchanged) == (2, 1)  # the moved kickoff and the lunch are new; the review is known
    assert any("2 of the file's 3 events are in the calendar 'calendar' already" in w for w in again.warnings)
    # named, it is a calendar of its own; the meetings both hold show once, as the newer file has them
    shared = run(book, write_ics(tmp_path / "team.ics", REVIEW, LUNCH), name="team")
    assert calendars(book) == {"calendar": ["Kickoff"], "team": ["Review", "Team lunch"]}
    assert "2 meetings of the calendar 'calendar' are in this file too: they are shown once, as this file has them" in (
        shared.warnings
    )
    assert event_count(book) == 3


def test_a_calendar_wholly_in_a_newer_one_is_replaced_by_it(book: Book, tmp_path: Path) -> None:
    run(book, write_ics(tmp_path / "mine.ics", KICKOFF), name="mine")
    report = run(book, write_ics(tmp_path / "all.ics", KICKOFF, REVIEW), name="everything")
    assert calendars(book) == {"everything": ["Kickoff", "Review"]}
    assert "every meeting of the calendar 'mine' is in this file: it is replaced by 'everything'" in report.warnings


def test_a_dry_run_of_a_calendar_held_elsewhere_changes_nothing(book: Book, tmp_path: Path) -> None:
    run(book, write_ics(tmp_path / "calendar.ics", KICKOFF, REVIEW))
    run(book, write_ics(tmp_path / "team.ics", REVIEW), name="team", dry_run=True)
    assert calendars(book) == {"calendar": ["Kickoff", "Review"]}


def test_dry_run_counts_and_writes_nothing(book: Book) -> None:
    report = run(book, CORPUS / "rie__each_week_but_two_deleted.ics", dry_run=True, today=date(2019, 3, 1))
    assert report.dry_run and report.new == 6
    assert event_count(book) == 0
    with book.session() as session:
        assert session.exec(select(Calendar)).all() == []


def seed_accounts(session: Session) -> dict[str, int]:
    ids = {}
    for name, domains in (("Acme Corp", ["acme.com"]), ("Globex", ["globex.io"]), ("Globex Europe", [])):
        account = add_account(session, name, AccountFields(), domains=domains, external_id=None, today=TODAY)
        assert account.id is not None
        ids[name] = account.id
    globex = session.get_one(Account, ids["Globex"])
    add_contact(session, globex, "Pat Doe", ContactFields(email="pat@gmail.com"), reports_to=None)
    return ids


def matched(book: Book, path: Path, config: Config) -> dict[str, int | None]:
    run(book, path, config=config)
    with book.session() as session:
        return {
            title: account for title, account in session.exec(select(CalendarEvent.title, CalendarEvent.account_id))
        }


def test_meetings_match_accounts_by_contact_then_domain_then_title(book: Book, tmp_path: Path) -> None:
    with book.session() as session:
        ids = seed_accounts(session)
    path = write_ics(
        tmp_path / "week.ics",
        "UID:1\r\nSUMMARY:Sync\r\nDTSTART:20200601T100000Z\r\nATTENDEE:mailto:PAT@gmail.com\r\nATTENDEE:mailto:x@acme.com",
        "UID:2\r\nSUMMARY:Weekly\r\nDTSTART:20200601T110000Z\r\nATTENDEE:mailto:someone@Acme.com",
        "UID:3\r\nSUMMARY:QBR with Globex Europe\r\nDTSTART:20200601T120000Z\r\nATTENDEE:mailto:me@ours.com",
        "UID:4\r\nSUMMARY:Team standup\r\nDTSTART:20200601T130000Z\r\nATTENDEE:mailto:me@ours.com\r\nATTENDEE:mailto:boss@ours.com",
        "UID:5\r\nSUMMARY:Globexian party\r\nDTSTART:20200601T140000Z",
        "UID:6\r\nSUMMARY:Lunch\r\nDTSTART:20200601T150000Z\r\nORGANIZER:mailto:me@acme.com\r\nATTENDEE:mailto:me@acme.com",
    )
    config = Config(internal_domains=["ours.com"], owner="me@acme.com")
    accounts = matched(book, path, config)
    assert accounts["Sync"] == ids["Globex"]  # a known contact beats a domain
    assert accounts["Weekly"] == ids["Acme Corp"]
    assert accounts["QBR with Globex Europe"] == ids["Globex Europe"]  # the longest name wins
    assert accounts["Team standup"] is None  # internal only
    assert accounts["Globexian party"] is None  # whole words only
    assert accounts["Lunch"] is None  # the owner's own address never counts


def test_attendees_and_organizer_are_stored_cleaned(book: Book) -> None:
    run(book, CORPUS / "khal__event_dt_partstat.ics")
    with book.session() as session:
        event = session.exec(select(CalendarEvent)).one()
    assert "hcabot@example.com" in json.loads(event.attendees)
    assert "iamboss@example.com" in json.loads(event.attendees)


def test_a_calendar_file_beyond_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csm.importers import calendar as calendar_module
    from csm.importers.calendar import read_calendar
    from csm.importers.report import ImportReport

    path = tmp_path / "big.ics"
    path.write_text("BEGIN:VCALENDAR\r\n" + "X-PAD:" + "x" * 2048 + "\r\nEND:VCALENDAR\r\n")
    monkeypatch.setattr(calendar_module, "MAX_CALENDAR_BYTES", 1024)
    with pytest.raises(InputError, match="calendar files up to"):
        read_calendar(path, ImportReport(kind="calendar", source="ics", file=path))
