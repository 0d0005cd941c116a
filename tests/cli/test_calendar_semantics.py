"""A meeting is a meeting (issue 13): a CSM's messy Google calendar (tests/corpus/google_monday.ics) read on Monday
2027-03-01, on a SQLite file and a PostgreSQL server book.

The calendar holds: a weekly stand-up with colleagues (one Monday declined), a customer's weekly sync the CSM
declined for good, a prospect's intro call, a dentist appointment, the Contoso Pharma QBR (every RSVP there is),
an invitation from Tailspin not yet answered, a Fabrikam demo sent to the CSM's old address and answered
tentatively (Fabrikam not yet in the book), a day working from Lisbon, last week's declined Contoso escalation,
Thursday's renewal review with a Litware champion who writes from gmail, and a colleague's prep about Contoso.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csm.cli import app
from tests.conftest import REPO

CALENDAR = REPO / "tests" / "corpus" / "google_monday.ics"
CONFIG = """owner = "jana.weiss@vendor.example"
owner_aliases = ["Jana Weiss", "jana@vendor.example"]
internal_domains = ["vendor.example"]
"""
ACCOUNTS = """name,account_id,domains,arr,renewal_date,contract_start,owner
Contoso Pharma,C-1,contoso-pharma.example,420000,2027-05-31,2025-05-31,Jana Weiss
Northwind Traders,C-2,northwind.example,180000,2027-09-30,2025-09-30,Jana Weiss
Tailspin Toys,C-3,tailspin.example,12500,2027-04-15,2026-04-15,Jana Weiss
Litware,C-4,,64000,2027-06-15,2026-06-15,Jana Weiss
"""
CONTACTS = """name,account_id,email,title,role
Ann Lee,C-1,ann.lee@contoso-pharma.example,VP Operations,champion
Ray Diaz,C-1,ray.diaz@contoso-pharma.example,CFO,exec_sponsor
Mia Chen,C-2,mia.chen@northwind.example,Head of Logistics,champion
Pat Ng,C-3,pat.ng@tailspin.example,Owner,decision_maker
"""

Csm = Callable[..., str]


@pytest.fixture
def env(book_url: str, tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    return {
        "CSM_DB": book_url, "CSM_CONFIG": str(config), "CSM_AS_OF": "2027-03-01", "CSM_TIMEZONE": "America/New_York",
        "CSM_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "200",
    }  # fmt: skip


@pytest.fixture
def csm(env: dict[str, str]) -> Csm:
    runner = CliRunner()

    def invoke(*args: str) -> str:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, f"csm {' '.join(args)} failed: {result.stderr}{result.stdout}"
        return result.stdout

    return invoke


@pytest.fixture
def book(csm: Csm, tmp_path: Path) -> Csm:
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "contacts.csv").write_text(CONTACTS)
    csm("import", "accounts", str(tmp_path / "accounts.csv"))
    csm("import", "contacts", str(tmp_path / "contacts.csv"))
    csm("log", "Contoso Pharma", "--kind", "call", "--summary", "Pricing questions", "--date", "2027-02-01")
    csm("log", "Northwind Traders", "--kind", "call", "--summary", "Quarterly plan", "--date", "2027-01-15")
    csm("import", "calendar", str(CALENDAR))
    return csm


def today(csm: Csm, *args: str) -> dict[str, Any]:
    return dict(json.loads(csm("today", "--format", "json", *args)))


def agenda(report: dict[str, Any]) -> list[tuple[str, str, str | None, str | None]]:
    return [(a["title"], a["label"], a["account"], a["rsvp"]) for a in report["agenda"]]


def todos(csm: Csm, *args: str) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(t["kind"], t["account"]): t for t in json.loads(csm("todo", "list", "--format", "json", *args))}


def test_each_meeting_is_labelled_by_what_it_is_and_the_declined_one_is_left_out(book: Csm) -> None:
    report = today(book)
    assert agenda(report) == [
        ("Working from Lisbon", "personal", None, None),
        ("CS team stand-up", "internal", None, "accepted"),
        ("Intro call", "external: globex.example", None, "accepted"),
        ("Dentist", "personal", None, "accepted"),
        ("Contoso Pharma QBR", "customer", "Contoso Pharma", "accepted"),
        ("Tailspin check-in", "customer", "Tailspin Toys", "needs-action"),
        ("Fabrikam demo", "external: fabrikam.example", None, "tentative"),
    ]
    assert [a["kind"] for a in report["agenda"]] == [
        "personal", "internal", "external", "personal", "customer", "customer", "external",
    ]  # fmt: skip
    assert report["declined"] == 1  # Northwind's 10:00 weekly sync
    assert report["agenda"][1]["internal"] is True and report["agenda"][4]["internal"] is False
    table = book("today")
    assert "Northwind weekly sync" not in table
    assert "1 meeting you declined is not shown." in table
    assert "Tailspin check-in  (not answered)" in table and "Fabrikam demo  (tentative)" in table
    assert "external: globex.example" in table


def test_a_declined_occurrence_of_a_series_is_left_out_on_its_day_only(book: Csm) -> None:
    assert "CS team stand-up" not in [a[0] for a in agenda(today(book, "--as-of", "2027-03-08"))]
    assert "CS team stand-up" in [a[0] for a in agenda(today(book, "--as-of", "2027-03-15"))]


def test_declined_meetings_are_no_touch_and_cover_nothing(book: Csm) -> None:
    found = todos(book)
    # the declined weekly sync (every Monday, today too) neither touched Northwind nor covers it
    assert found[("touch_overdue", "Northwind Traders")]["title"] == (
        "Check in with Northwind Traders: last touch 2027-01-15"
    )
    assert found[("ebr_due", "Northwind Traders")]["covered_by"] is None
    # nor did last week's declined Contoso escalation: the last touch of Contoso is the call of 2027-02-01
    health = json.loads(book("health", "Contoso Pharma", "--format", "json"))
    engagement = next(c for c in health["components"] if c["name"] == "engagement")
    assert engagement["inputs"]["days_since_touch"] == 28  # the call of 2027-02-01


def test_a_meeting_today_covers_the_touch_and_shows_beside_the_renewal_and_ebr(book: Csm) -> None:
    found = todos(book)
    assert ("touch_overdue", "Contoso Pharma") not in found  # last touch 2027-02-01, 28 days: overdue, but covered
    assert found[("renewal_outreach", "Contoso Pharma")]["covered_by"] == "covered by today's 13:00 Contoso Pharma QBR"
    assert found[("ebr_due", "Contoso Pharma")]["covered_by"] == "covered by today's 13:00 Contoso Pharma QBR"
    # a check-in is the next chance to raise the renewal, not a meeting about it: JSON keeps the two apart
    tailspin = found[("renewal_reminder", "Tailspin Toys")]
    assert (tailspin["covered_by"], tailspin["next_meeting"]) == (
        None,
        "next meeting: today's 15:00 Tailspin check-in (not answered)",
    )
    assert found[("renewal_outreach", "Contoso Pharma")]["next_meeting"] is None
    table = book("today")
    assert "covered by today's 13:00 Contoso Pharma QBR" in table
    assert "next meeting: today's 15:00 Tailspin check-in" in table
    assert "(renews 2027-05-31, in 91 days); covered by today's 13:00 Contoso Pharma QBR" in book(
        "todo", "list", "--format", "md"
    )
    assert "covered by today's 13:00 Contoso Pharma QBR" in book("prep", "Contoso Pharma")


def test_a_next_meeting_shows_in_every_list_but_on_its_own_prep_sheet(book: Csm) -> None:
    reminder = todos(book)[("renewal_reminder", "Tailspin Toys")]
    book("todo", "defer", reminder["id"], "--until", "2027-03-03")  # into This week
    note = "next meeting: today's 15:00 Tailspin check-in (not answered)"
    week = book("today").split("This week", 1)[1].split("Risks", 1)[0]
    assert note in week and "Tailspin" in week
    week_md = book("today", "--format", "md").split("## This week", 1)[1].split("## Risks", 1)[0]
    line = next(line for line in week_md.splitlines() if "Tailspin" in line)
    assert line.startswith("- [ ] Wed Mar 3: ") and line.endswith(f"; {note}")
    assert note in book("account", "show", "Tailspin Toys")  # its open to-dos as todo list shows them
    prep = book("prep", "Tailspin Toys")
    assert "Tailspin check-in" in prep and "next meeting:" not in prep  # the sheet is for that meeting
    assert "next meeting:" not in book("prep", "Tailspin Toys", "--format", "md")


def test_a_meeting_later_in_the_horizon_covers_and_says_its_day(book: Csm, tmp_path: Path) -> None:
    """Four days before the QBR it covers (7 days ahead by default); with a horizon of 0, only today's meetings do."""
    before = todos(book, "--as-of", "2027-02-25")
    assert ("touch_overdue", "Contoso Pharma") not in before
    assert (
        before[("renewal_outreach", "Contoso Pharma")]["covered_by"] == "covered by Mon 1 Mar 13:00 Contoso Pharma QBR"
    )
    (tmp_path / "config.toml").write_text(CONFIG + "\n[cadence]\nmeeting_covers_touch_days = 0\n")
    narrow = todos(book, "--as-of", "2027-02-25")
    assert narrow[("touch_overdue", "Contoso Pharma")]["title"] == "Check in with Contoso Pharma: last touch 2027-02-01"
    assert narrow[("renewal_outreach", "Contoso Pharma")]["covered_by"] is None


def test_a_colleagues_meeting_about_an_account_covers_nothing(book: Csm) -> None:
    tomorrow = today(book, "--as-of", "2027-03-02")
    prep = next(a for a in tomorrow["agenda"] if a["title"] == "Prep: Contoso Pharma renewal")
    assert (prep["kind"], prep["account"]) == ("internal", "Contoso Pharma")
    # on the 2nd the QBR of the 1st is the last touch; the prep on the 2nd is not a meeting with the customer
    later = todos(book, "--as-of", "2027-03-20")
    assert later[("touch_overdue", "Contoso Pharma")]["title"] == "Check in with Contoso Pharma: last touch 2027-03-01"


def test_meetings_follow_a_new_account_and_a_new_contact_without_a_calendar_import(book: Csm) -> None:
    fabrikam = next(a for a in today(book)["agenda"] if a["title"] == "Fabrikam demo")
    assert (fabrikam["kind"], fabrikam["account"]) == ("external", None)
    added = book("account", "add", "Fabrikam", "--domain", "fabrikam.example", "--arr", "50000",
                 "--renewal", "2027-05-15")  # fmt: skip
    assert "1 calendar meeting matched again to the book's accounts." in added
    fabrikam = next(a for a in today(book)["agenda"] if a["title"] == "Fabrikam demo")
    assert (fabrikam["kind"], fabrikam["label"], fabrikam["account"]) == ("customer", "customer", "Fabrikam")
    fabrikam_renewal = todos(book)[("renewal_outreach", "Fabrikam")]
    assert (fabrikam_renewal["covered_by"], fabrikam_renewal["next_meeting"]) == (
        None, "next meeting: today's 16:00 Fabrikam demo (tentative)"
    )  # fmt: skip
    assert "Fabrikam demo  (you: tentative)" in book("prep", "Fabrikam")  # answered from the old address, an alias

    assert todos(book)[("renewal_outreach", "Litware")]["covered_by"] is None  # Sue writes from gmail.com
    book("contact", "add", "Litware", "Sue Hall", "--email", "sue.litware@gmail.com", "--role", "champion")
    covered = todos(book)[("renewal_outreach", "Litware")]["covered_by"]
    assert covered == "covered by Thu 4 Mar 10:00 Renewal review"
    thursday = json.loads(book("prep", "Litware", "--format", "json"))["meeting"]
    assert (thursday["title"], [a["name"] for a in thursday["attendees"]]) == ("Renewal review", ["Sue Hall"])


def test_an_accounts_import_matches_stored_meetings_again(book: Csm, tmp_path: Path) -> None:
    more = tmp_path / "more.csv"
    more.write_text(
        "name,account_id,domains,arr,renewal_date,owner\nGlobex,C-9,globex.example,90000,2028-01-31,Jana Weiss\n"
    )
    book("import", "accounts", str(more))
    intro = next(a for a in today(book)["agenda"] if a["title"] == "Intro call")
    assert (intro["kind"], intro["account"]) == ("customer", "Globex")


def test_prep_shows_each_attendees_rsvp_and_who_has_not_accepted(book: Csm) -> None:
    prep = json.loads(book("prep", "Contoso Pharma", "--format", "json"))
    meeting = prep["meeting"]
    assert (meeting["title"], meeting["rsvp"]) == ("Contoso Pharma QBR", "accepted")
    assert [(a["name"] or a["email"], a["rsvp"]) for a in meeting["attendees"]] == [
        ("Ann Lee", "accepted"),
        ("Ray Diaz", "tentative"),
        ("bo.berg@contoso-pharma.example", "declined"),
        ("kim.wu@contoso-pharma.example", "needs-action"),
    ]
    who = next(q for q in prep["questions"] if q["question"].startswith("Who will attend"))["hints"]
    assert "Declined: bo.berg@contoso-pharma.example. Ask who comes instead, or send them the notes after." in who
    assert (
        "Not confirmed yet: Ray Diaz (tentative), kim.wu@contoso-pharma.example (no answer). Confirm they come." in who
    )
    sheet = book("prep", "Contoso Pharma")
    assert "RSVP" in sheet
    for word in ("accepted", "tentative", "declined", "no answer"):
        assert word in sheet
    markdown = book("prep", "Contoso Pharma", "--format", "md")
    assert "| Ray Diaz | exec sponsor | — | never | tentative |" in markdown
    assert "Tailspin check-in  (you: no answer)" in book("prep", "Tailspin Toys")


def test_prep_never_offers_a_declined_meeting_and_says_it_was_declined(book: Csm) -> None:
    prep = json.loads(book("prep", "Northwind Traders", "--format", "json"))
    assert prep["meeting"] is None and prep["upcoming_meetings"] == []
    # the weekly sync every Monday: today and the 8 Mondays to 2027-04-26, inside prep's 60 days
    assert prep["declined_meetings"] == [{"title": "Northwind weekly sync", "next_on": "2027-03-01", "times": 9}]
    said = "You declined Northwind weekly sync (today, and 8 more times in the next 60 days)."
    who = next(q for q in prep["questions"] if q["question"].startswith("Who will attend"))["hints"]
    assert f"{said} Send someone in your place, or tell them why." in who
    assert said in book("prep", "Northwind Traders")
    assert json.loads(book("prep", "Contoso Pharma", "--format", "json"))["declined_meetings"] == []
    last_week = json.loads(book("prep", "Contoso Pharma", "--format", "json", "--as-of", "2027-02-22"))
    assert last_week["declined_meetings"] == [
        {"title": "Contoso Pharma escalation", "next_on": "2027-02-24", "times": 1}
    ]
    assert "You declined Contoso Pharma escalation (Wed 24 Feb)." in book(
        "prep", "Contoso Pharma", "--as-of", "2027-02-22"
    )


def test_the_assistants_prep_says_the_csms_own_answer_and_what_they_declined(book: Csm, env: dict[str, str]) -> None:
    from tests.cli.test_mcp import talk, text_of

    async def work(client: Any) -> tuple[str, str]:
        tailspin = await client.call_tool("prep", {"account": "Tailspin Toys"})
        northwind = await client.call_tool("prep", {"account": "Northwind Traders"})
        return text_of(tailspin), text_of(northwind)

    tailspin, northwind = talk({**os.environ, **env}, work)
    assert "Meeting: Tailspin check-in at " in tailspin and "1 attendee (you: no answer)" in tailspin
    assert "No upcoming meeting in the calendar.\nYou declined Northwind weekly sync (today, and 8 more" in northwind


@pytest.mark.parametrize(
    ("config", "warned"),
    [
        ("", 'set owner = "jana.weiss@vendor.example"'),
        ('owner = "jana@vendor.example"', 'add "jana.weiss@vendor.example" to owner_aliases'),
        (CONFIG, None),
    ],
)
def test_a_calendar_that_is_not_the_configured_csms_says_so(
    env: dict[str, str], tmp_path: Path, config: str, warned: str | None
) -> None:
    """Google names an exported calendar by its owner's address: an import whose owner and owner_aliases miss it
    cannot find the CSM's own answers, and says what to set."""
    Path(env["CSM_CONFIG"]).write_text(config)
    result = CliRunner().invoke(app, ["import", "calendar", str(CALENDAR)], env=env)
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    if warned is None:
        assert "calendar of" not in said and "owner" not in said
    else:
        assert (
            "google_monday.ics: the file is the calendar of jana.weiss@vendor.example, not an address of yours in "
            "the config (owner, owner_aliases): csm cannot tell which meetings you declined; "
            f"{warned} in config.toml and import it again"
        ) in said


NORTHWIND_MEETINGS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
BEGIN:VEVENT\r
UID:northwind-checkin@google.com\r
DTSTAMP:20270225T120000Z\r
DTSTART:20270302T150000Z\r
DTEND:20270302T153000Z\r
SUMMARY:Northwind check-in\r
ORGANIZER:mailto:jana.weiss@vendor.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:mia.chen@northwind.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:jana.weiss@vendor.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:northwind-ebr@google.com\r
DTSTAMP:20270225T120000Z\r
DTSTART:20270322T150000Z\r
DTEND:20270322T163000Z\r
SUMMARY:Northwind Traders Executive Business Review\r
ORGANIZER:mailto:jana.weiss@vendor.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:mia.chen@northwind.example\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:jana.weiss@vendor.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_ebr_on_the_calendar_is_its_plan_and_a_check_in_covers_no_ebr(book: Csm, tmp_path: Path) -> None:
    """Tomorrow's check-in with Northwind is no EBR; the Executive Business Review three weeks on is its plan (up to
    cadence.review_planned_days ahead, beyond the 7 days a meeting covers a touch)."""
    (tmp_path / "northwind.ics").write_text(NORTHWIND_MEETINGS, newline="")
    book("import", "calendar", str(tmp_path / "northwind.ics"), "--name", "northwind")
    ebr = todos(book)[("ebr_due", "Northwind Traders")]
    assert ebr["covered_by"] == "covered by Mon 22 Mar 11:00 Northwind Traders Executive Business Review"
    assert todos(book, "--as-of", "2027-03-23")[("ebr_due", "Northwind Traders")]["covered_by"] is None  # it passed


def test_a_meeting_the_csm_is_tentative_about_covers_nothing_until_accepted(book: Csm, tmp_path: Path) -> None:
    """Northwind's Executive Business Review the CSM answered "maybe": their touch and EBR to-dos stay, the meeting
    beside them as the next chance and marked tentative; once accepted it covers both."""
    header, _check_in, review = NORTHWIND_MEETINGS.split("BEGIN:VEVENT\r\n")  # the review alone, moved to Wednesday
    tentative = (
        (header + "BEGIN:VEVENT\r\n" + review)
        .replace("PARTSTAT=ACCEPTED:mailto:jana.weiss", "PARTSTAT=TENTATIVE:mailto:jana.weiss")
        .replace(
            "DTSTART:20270322T150000Z\r\nDTEND:20270322T163000Z", "DTSTART:20270303T150000Z\r\nDTEND:20270303T163000Z"
        )
    )
    (tmp_path / "northwind.ics").write_text(tentative, newline="")
    book("import", "calendar", str(tmp_path / "northwind.ics"), "--name", "northwind")
    found = todos(book, "--as-of", "2027-03-03")
    assert found[("touch_overdue", "Northwind Traders")]["next_meeting"] == (
        "next meeting: today's 10:00 Northwind Traders Executive Business Review (tentative)"
    )
    ebr = found[("ebr_due", "Northwind Traders")]
    assert (ebr["covered_by"], ebr["next_meeting"]) == (
        None, "next meeting: today's 10:00 Northwind Traders Executive Business Review (tentative)"
    )  # fmt: skip
    (tmp_path / "northwind.ics").write_text(tentative.replace("PARTSTAT=TENTATIVE", "PARTSTAT=ACCEPTED"), newline="")
    book("import", "calendar", str(tmp_path / "northwind.ics"), "--name", "northwind")
    found = todos(book, "--as-of", "2027-03-03")
    assert ("touch_overdue", "Northwind Traders") not in found
    assert found[("ebr_due", "Northwind Traders")]["covered_by"] == (
        "covered by today's 10:00 Northwind Traders Executive Business Review"
    )
