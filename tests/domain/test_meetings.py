"""csm.domain.meetings: who the CSM is, what kind a meeting is, their own answer, the account it is with, and the
words of a covering meeting."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from csm.config import Config
from csm.domain.meetings import CALENDAR_OWNER, AccountMatcher, Me, Scheduled, answer_word, covered_words, covers
from csm.importers.calendar import expand_calendar, read_calendar
from csm.importers.report import ImportReport

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "ics"
CONFIG = Config(owner="Jana@Vendor.example", owner_aliases=["Jana Weiss", "jana.w@gmail.com"],
                internal_domains=["vendor.example"])  # fmt: skip
ME = Me.of(CONFIG)


def test_the_csm_is_the_owner_and_every_alias_that_is_an_address() -> None:
    assert ME.addresses == frozenset({"jana@vendor.example", "jana.w@gmail.com"})
    assert ME.internal_domains == frozenset({"vendor.example"})


def test_unset_internal_domains_mean_the_csms_own_work_domain() -> None:
    assert Me.of(Config(owner="jana@eu.vendor.co.uk")).internal_domains == frozenset({"vendor.co.uk"})
    assert Me.of(Config(owner="jana@gmail.com")).internal_domains == frozenset()  # free mail is nobody's company


def test_kinds() -> None:
    assert ME.kind([], None, None) == "personal"  # the dentist
    assert ME.kind(["jana@vendor.example"], "jana@vendor.example", None) == "personal"
    assert ME.kind(["jana.w@gmail.com", "ben@eu.vendor.example"], None, None) == "internal"
    assert ME.kind(["ben@vendor.example"], None, 7) == "internal"  # a colleagues' meeting about account 7
    assert ME.kind(["lee@globex.example", "ben@vendor.example"], None, None) == "external"
    assert ME.kind(["lee@globex.example"], None, 7) == "customer"
    assert ME.kind([], None, 7) == "customer"  # "Renewal call Initech", exported without attendees
    assert ME.kind([], "olu@fabrikam.example", None) == "external"  # an invitation: the organizer is someone else
    assert ME.label("external", ["lee@globex.example", "ann@globex.example", "x@gmail.com"], None) == (
        "external: globex.example"
    )
    assert ME.label("external", ["lee@eu.globex.co.uk"], None) == "external: globex.co.uk"


def test_the_csms_own_answer() -> None:
    assert ME.answer({"jana@vendor.example": "declined"}, "mia@northwind.example") == "declined"
    assert ME.answer({"jana.w@gmail.com": "tentative"}, None) == "tentative"  # an alias answered
    assert ME.answer({"jana.w@gmail.com": "declined", "jana@vendor.example": "accepted"}, None) == "accepted"
    assert ME.answer({}, "jana@vendor.example") == "accepted"  # their own meeting
    assert ME.answer({"jana@vendor.example": "needs-action"}, "jana@vendor.example") == "accepted"
    assert ME.answer({"lee@globex.example": "declined"}, None) is None  # the calendar does not say: accepted
    assert [answer_word(a) for a in ("accepted", "tentative", "declined", "needs-action", None)] == [
        "accepted", "tentative", "declined", "no answer", "—",
    ]  # fmt: skip


def matcher(names: list[tuple[int, str]]) -> AccountMatcher:
    return AccountMatcher.from_facts([("ann@gmail.com", 3)], [("acme.example", 1)], names, CONFIG)


def test_the_longest_account_name_in_the_title_wins_then_the_first_added() -> None:
    found = matcher([(1, "acme"), (2, "acme robotics"), (3, "globex"), (4, "umbrel"), (5, "globex")])
    assert found.match_title("QBR: Acme Robotics / Globex") == 2
    assert found.match_title("Umbrel and Globex") == 3  # as long: the first added (a name twice: its first)
    assert found.match_title("Acmeish party") is None  # whole words only
    assert found.match([], "Weekly") is None
    assert found.match(["ann@gmail.com"], "Weekly") == 3  # a contact beats everything
    assert found.match(["jana@vendor.example", "bob@acme.example"], "Globex") == 1  # a domain beats the title


def test_covered_words_say_the_day() -> None:
    monday = date(2027, 3, 1)
    at = datetime(2027, 3, 1, 13, 0)
    assert covered_words(Scheduled(1, "QBR", at), monday) == "covered by today's 13:00 QBR"
    assert covered_words(Scheduled(1, "QBR", at + timedelta(days=1)), monday) == "covered by tomorrow's 13:00 QBR"
    assert covered_words(Scheduled(1, "QBR", datetime(2027, 3, 4, 10, 0)), monday) == "covered by Thu 4 Mar 10:00 QBR"
    assert covered_words(Scheduled(1, "Onsite", date(2027, 3, 4)), monday) == "covered by Thu 4 Mar Onsite"
    assert covered_words(Scheduled(1, "Onsite", monday), monday) == "covered by today's Onsite"
    assert covered_words(Scheduled(1, "Ticket review", monday), monday, covering=False) == (
        "next meeting: today's Ticket review"
    )
    assert covered_words(Scheduled(1, "Q1 EBR", datetime(2028, 1, 12, 10, 0)), monday) == (
        "covered by Wed 12 Jan 2028 10:00 Q1 EBR"  # another year: it says which
    )


@pytest.mark.parametrize(
    ("title", "review", "renewal"),
    [
        ("Q1 EBR", True, True),
        ("QBR with Acme", True, True),
        ("Experion Systems Executive Business Review", True, True),
        ("Renewal discussion", False, True),
        ("Experion <> YourCo: renewal check-in", False, True),
        ("Guardium: urgent ticket review", False, False),
        ("Debrief", False, False),
    ],
)
def test_an_ebr_is_covered_by_a_review_and_a_renewal_by_a_review_or_a_renewal_meeting(
    title: str, review: bool, renewal: bool
) -> None:
    meeting = Scheduled(1, title, date(2027, 3, 1))
    assert (covers("ebr_due", meeting), covers("renewal_reminder", meeting)) == (review, renewal)


def test_every_partstat_of_the_khal_corpus_file_is_read() -> None:
    report = ImportReport(kind="calendar", source="ics", file=CORPUS / "khal__event_dt_partstat.ics")
    calendar = read_calendar(CORPUS / "khal__event_dt_partstat.ics", report)
    (event,) = expand_calendar(calendar, (date(2014, 1, 1), date(2015, 1, 1)), report)
    assert dict(event.answers) == {
        "hcabot@example.com": "tentative",
        "iamboss@example.com": "delegated",
        "jdoe@example.com": "accepted",
        "jqpublic@example.com": "accepted",
        "another@example.com": "declined",
        "tent@example.com": "tentative",
    }


def test_outlooks_busy_status_is_the_calendar_owners_tentative_answer() -> None:
    """A real Office 365 export lists no attendees; its tentatively accepted meeting says so only as its busy
    status. An ATTENDEE line of the CSM's own, where there is one, says more."""
    path = CORPUS / "ical__office_356_custom_timezone.ics"
    report = ImportReport(kind="calendar", source="ics", file=path)
    events = expand_calendar(read_calendar(path, report), (date(2024, 5, 1), date(2024, 5, 22)), report)
    assert [(e.title, dict(e.answers), ME.answer(dict(e.answers), e.organizer)) for e in events] == [
        ("Zajęty", {}, None),  # busy: the calendar does not say, read as accepted
        ("Wstępna akceptacja", {CALENDAR_OWNER: "tentative"}, "tentative"),  # "tentatively accepted"
    ]
    assert ME.answer({CALENDAR_OWNER: "tentative", "jana@vendor.example": "accepted"}, None) == "accepted"


def test_an_address_in_the_email_parameter_is_read_where_the_value_is_not_one(tmp_path: Path) -> None:
    """Apple's calendar servers write a calendar user as `urn:uuid:…` with the address in EMAIL (RFC 7986)."""
    path = tmp_path / "apple.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//macOS 14.4//EN\r\nBEGIN:VEVENT\r\n"
        "UID:5F1C2B7E-apple\r\nDTSTAMP:20270228T210000Z\r\nDTSTART:20270301T150000Z\r\nDTEND:20270301T160000Z\r\n"
        "SUMMARY:Quarterly review\r\n"
        "ORGANIZER;CN=Ann Lee;EMAIL=ann@acme.example:urn:uuid:8d1f0a52-0c3e-4d7a-9d5e-31f6b1c0aa01\r\n"
        "ATTENDEE;CN=Ann Lee;CUTYPE=INDIVIDUAL;EMAIL=ann@acme.example;PARTSTAT=ACCEPTED;ROLE=CHAIR:urn:uuid:8d1f0a52-0c3e-4d7a-9d5e-31f6b1c0aa01\r\n"
        "ATTENDEE;CN=Jana Weiss;CUTYPE=INDIVIDUAL;EMAIL=Jana@Vendor.example;PARTSTAT=DECLINED;ROLE=REQ-PARTICIPANT;\r\n"
        " RSVP=TRUE:urn:uuid:2b9e4c11-77aa-4e0b-a3c2-5d0e9f8b1c02\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )  # fmt: skip
    report = ImportReport(kind="calendar", source="ics", file=path)
    (event,) = expand_calendar(read_calendar(path, report), (date(2027, 3, 1), date(2027, 3, 2)), report)
    assert (event.organizer, event.attendees) == ("ann@acme.example", ("ann@acme.example", "jana@vendor.example"))
    assert ME.answer(dict(event.answers), event.organizer) == "declined"


def test_a_calendar_answered_by_others_only_says_to_set_the_csms_addresses() -> None:
    """The khal corpus file names no calendar owner; its meeting is answered by six people, none of them the CSM."""
    from csm.importers.calendar import warn_if_not_yours

    path = CORPUS / "khal__event_dt_partstat.ics"
    for config, said in [
        (CONFIG, "1 meeting with answers, none of them yours (owner, owner_aliases): if you answer invitations from "
                 "another address, add it to owner_aliases in config.toml"),
        (Config(), 'no owner in the config: csm cannot tell which meetings you declined or who your colleagues are; '
                   'set owner = "you@company.example" (and owner_aliases for your other addresses) in config.toml'),
        (Config(owner="another@example.com"), None),  # declined: found
    ]:  # fmt: skip
        report = ImportReport(kind="calendar", source="ics", file=path)
        calendar = read_calendar(path, report)
        warn_if_not_yours(calendar, expand_calendar(calendar, (date(2014, 1, 1), date(2015, 1, 1)), report),
                          Me.of(config), report)  # fmt: skip
        assert report.warnings == ([said] if said else [])
