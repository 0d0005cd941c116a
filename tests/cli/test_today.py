"""`csm today`: the calendar first, then to-dos, then risks; JSON as INTERFACE.md says; instant and light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CsmRunner

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//csm tests//EN
BEGIN:VEVENT
UID:weekly-acme
SUMMARY:Acme weekly sync
DTSTART;TZID=America/New_York:20270308T090000
DTEND;TZID=America/New_York:20270308T093000
RRULE:FREQ=WEEKLY;COUNT=4
ATTENDEE;CN=Jane:mailto:jane@acme.example
ATTENDEE;CN=Me:mailto:me@vendor.example
END:VEVENT
BEGIN:VEVENT
UID:weekly-acme
RECURRENCE-ID;TZID=America/New_York:20270322T090000
SUMMARY:Acme weekly sync
STATUS:CANCELLED
DTSTART;TZID=America/New_York:20270322T090000
DTEND;TZID=America/New_York:20270322T093000
END:VEVENT
BEGIN:VEVENT
UID:standup
SUMMARY:Team stand-up
DTSTART:20270315T140000Z
DTEND:20270315T141500Z
ATTENDEE:mailto:colleague@vendor.example
END:VEVENT
BEGIN:VEVENT
UID:offsite
SUMMARY:Globex onsite
DTSTART;VALUE=DATE:20270315
DTEND;VALUE=DATE:20270317
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def book(csm: CsmRunner, tmp_path: Path, config_path: Path) -> CsmRunner:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text('owner = "me@vendor.example"\ninternal_domains = ["vendor.example"]\n')
    for args in (
        ("account", "add", "Acme Corp", "--arr", "120000", "--renewal", "2027-06-29", "--domain", "acme.example",
         "--owner", "me@vendor.example"),
        ("account", "add", "Globex", "--arr", "30000", "--renewal", "2027-05-01", "--owner", "me@vendor.example"),
        ("account", "add", "Initech", "--arr", "50000", "--owner", "someone.else@vendor.example"),
        ("contact", "add", "Acme Corp", "Jane Roe", "--email", "jane@acme.example", "--role", "champion"),
    ):  # fmt: skip
        assert csm(*args).code == 0
    ics = tmp_path / "calendar.ics"
    ics.write_text(CALENDAR)
    assert csm("import", "calendar", str(ics)).code == 0
    return csm


def test_json_has_the_interface_shape(book: CsmRunner) -> None:
    report = book("today", "--as-of", "2027-03-15", "--format", "json").json()
    assert {"as_of", "timezone", "agenda", "todos", "risks", "summary"} <= report.keys()
    assert report["as_of"] == "2027-03-15"
    assert report["timezone"] == "America/New_York"
    for item in report["agenda"]:
        assert {"start", "end", "all_day", "title", "account", "attendees", "location"} <= item.keys()
    for todo in report["todos"]:
        assert {"kind", "title", "account", "due", "deferrals", "urgency"} <= todo.keys()
    assert [t["urgency"] for t in report["todos"]] == sorted((t["urgency"] for t in report["todos"]), reverse=True)
    for risk in report["risks"]:
        assert {"account", "category", "severity", "rule", "evidence"} <= risk.keys()
    assert {"accounts", "arr", "arr_renewing_90d", "arr_at_risk"} <= report["summary"].keys()


def test_agenda_is_all_day_first_then_by_start_in_the_users_zone_across_dst(book: CsmRunner) -> None:
    agenda = book("today", "--as-of", "2027-03-15", "--format", "json").json()["agenda"]
    assert [(a["title"], a["all_day"]) for a in agenda] == [
        ("Globex onsite", True),
        ("Acme weekly sync", False),
        ("Team stand-up", False),
    ]
    sync = agenda[1]
    assert sync["start"] == "2027-03-15T09:00:00-04:00"  # DST began on 2027-03-14: still 09:00 local
    assert sync["account"] == "Acme Corp"
    assert sync["prep"] == 'csm prep "Acme Corp"'
    assert agenda[2]["start"] == "2027-03-15T10:00:00-04:00"
    assert agenda[2]["account"] is None and agenda[2]["internal"] is True
    before_dst = book("today", "--as-of", "2027-03-08", "--format", "json").json()["agenda"]
    assert [a["start"] for a in before_dst] == ["2027-03-08T09:00:00-05:00"]


def test_cancelled_occurrences_are_left_out(book: CsmRunner) -> None:
    agenda = book("today", "--as-of", "2027-03-22", "--format", "json").json()["agenda"]
    assert agenda == []


def test_meeting_brief_carries_health_renewal_and_risks(book: CsmRunner) -> None:
    sync = book("today", "--as-of", "2027-03-15", "--format", "json").json()["agenda"][1]
    assert sync["brief"]["days_to_renewal"] == 106
    assert sync["brief"]["band"] in ("green", "yellow", "red", "n/a")
    assert isinstance(sync["brief"]["open_risks"], int)


def test_days_looks_ahead_and_groups_by_day(book: CsmRunner) -> None:
    report = book("today", "--as-of", "2027-03-14", "--days", "3", "--format", "json").json()
    days = [(a["day"], a["title"]) for a in report["agenda"]]
    assert days == [
        ("2027-03-15", "Globex onsite"),
        ("2027-03-15", "Acme weekly sync"),
        ("2027-03-15", "Team stand-up"),
        ("2027-03-16", "Globex onsite"),
    ]
    table = book("today", "--as-of", "2027-03-14", "--days", "3").out
    assert "Mon 15 Mar" in table and "Tue 16 Mar" in table


def test_mine_is_the_default_when_the_config_names_the_owner(book: CsmRunner) -> None:
    mine = book("today", "--as-of", "2027-03-15", "--format", "json").json()
    everyone = book("today", "--as-of", "2027-03-15", "--all-owners", "--format", "json").json()
    assert mine["summary"]["accounts"] == 2
    assert everyone["summary"]["accounts"] == 3
    assert mine["summary"]["arr"] == 150000
    assert everyone["summary"]["arr_renewing_90d"] == 30000


def test_a_renewal_date_passed_unrecorded_is_arr_still_to_win_beside_the_90_days(book: CsmRunner) -> None:
    """Globex's renewal (2027-05-01, $30k) passed a week ago and neither a renewal nor a churn is recorded: its ARR
    is no longer "renewing in 90 days", and the summary says it is overdue instead of dropping it; once its date moves
    on a term, it is neither."""
    before = book("today", "--as-of", "2027-04-24", "--format", "json").json()["summary"]
    assert (before["arr_renewing_90d"], before["arr_renewal_overdue"]) == (150000, 0)
    after = book("today", "--as-of", "2027-05-08", "--format", "json").json()["summary"]
    assert (after["arr_renewing_90d"], after["arr_renewal_overdue"]) == (120000, 30000)
    assert "renewing in 90 days $120k (+$30k overdue) · at risk" in " ".join(
        book("today", "--as-of", "2027-05-08").out.split()
    )
    assert "renewing in 90 days $120k (+$30k overdue)" in book("today", "--as-of", "2027-05-08", "--format", "md").out
    assert book("account", "edit", "Globex", "--renewal", "2028-05-01").code == 0  # renewed, the CRM says
    renewed = book("today", "--as-of", "2027-05-08", "--format", "json").json()["summary"]
    assert (renewed["arr_renewing_90d"], renewed["arr_renewal_overdue"]) == (120000, 0)


def test_todos_are_sorted_by_urgency_with_renewal_outreach(book: CsmRunner) -> None:
    todos = book("today", "--as-of", "2027-03-15", "--format", "json").json()["todos"]
    kinds = {t["kind"] for t in todos}
    assert "renewal_outreach" in kinds  # Acme renews in 106 days
    assert "renewal_reminder" in kinds  # Globex renews in 47 days


def test_running_today_twice_does_not_double_anything(book: CsmRunner) -> None:
    first = book("today", "--format", "json").json()
    second = book("today", "--format", "json").json()
    assert [t["title"] for t in first["todos"]] == [t["title"] for t in second["todos"]]
    assert len(first["risks"]) == len(second["risks"])


def test_markdown_pastes_into_notes(book: CsmRunner) -> None:
    out = book("today", "--as-of", "2027-03-15", "--format", "md").out
    assert out.startswith("# csm today · Monday 15 March 2027")
    assert "## Calendar" in out and "## To-dos" in out and "## Risks" in out
    assert "- [ ] " in out


def test_rich_view_fits_80_columns_and_honours_no_color(book: CsmRunner, env: dict[str, str]) -> None:
    env["COLUMNS"] = "80"
    out = book("today", "--as-of", "2027-03-15").out
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.index("Calendar") < out.index("To-dos") < out.index("Risks")


def test_an_empty_book_says_what_to_run_next(csm: CsmRunner) -> None:
    assert csm("init").code == 0
    run = csm("today")
    assert run.code == 0
    assert "csm import accounts" in run.out and "csm import calendar" in run.out
    report = csm("today", "--format", "json").json()
    assert report["agenda"] == [] and report["todos"] == [] and report["risks"] == []
    assert any("csm demo" in hint for hint in report["hints"])


def test_a_book_without_tickets_or_calendar_says_so(csm: CsmRunner) -> None:
    csm("account", "add", "Acme Corp", "--arr", "1000")
    hints = " ".join(csm("today", "--format", "json").json()["hints"])
    assert "csm import tickets" in hints and "csm import calendar" in hints


def test_today_imports_no_heavy_module(book: CsmRunner, env: dict[str, str]) -> None:
    probe = (
        "import sys\n"
        "from csm.cli import app\n"
        "try:\n    app(['today', '--as-of', '2027-03-15'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'jinja2', 'icalendar', 'rapidfuzz', 'dateutil')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, **env}, check=True
    )
    assert json.loads(result.stderr.strip().splitlines()[-1].replace("'", '"')) == []


def test_demo_builds_the_example_book_and_shows_today(csm: CsmRunner, env: dict[str, str], tmp_path: Path) -> None:
    env.pop("CSM_DB")
    env.pop("CSM_AS_OF")
    run = csm("--db", str(tmp_path / "demo.db"), "demo", "--format", "json")
    assert run.code == 0, run.err
    report = run.json()
    assert report["as_of"] == "2027-03-01"
    assert report["timezone"] == "America/New_York"
    assert report["summary"]["accounts"] >= 39
    assert any(a["account"] == "Halvorsen Freight" for a in report["agenda"])
    again = csm("--db", str(tmp_path / "demo.db"), "demo")
    assert again.code == 1
    assert "already holds accounts" in again.err
