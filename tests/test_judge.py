"""The judge on both backends: a day's answer is a function of the book and the decisions made by that day.

Rule to-dos and risks are derived on every run; only what the CSM decided is stored. So a to-do comes
back when its facts come back, a look at another day (with --as-of or CSM_AS_OF) changes nothing, reading
never writes, and decisions hold across days and across the facts moving away and back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csm.cli import app
from tests.test_backends import ACCOUNTS_CSV, TICKETS_CSV, rows

Csm = Callable[..., Any]
TODAY = "2027-03-01"


@pytest.fixture
def env(book_url: str, tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text('internal_domains = ["vendor.example"]\n')
    return {
        "CSM_DB": book_url,
        "CSM_CONFIG": str(config),
        "CSM_AS_OF": TODAY,
        "CSM_TIMEZONE": "America/New_York",
        "CSM_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "COLUMNS": "120",
    }


@pytest.fixture
def csm(env: dict[str, str], tmp_path: Path) -> Csm:
    """`csm ARGS`: JSON when it printed JSON, else the text; `as_of=None` runs without CSM_AS_OF (the wall clock)."""
    runner = CliRunner()
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS_CSV)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(TICKETS_CSV)
    for kind, path in (("accounts", accounts), ("tickets", tickets)):
        result = runner.invoke(app, ["import", kind, str(path)], env=env)
        assert result.exit_code == 0, result.stderr

    def run(*args: str, as_of: str | None = TODAY) -> Any:
        here = dict(env)
        if as_of is None:
            here.pop("CSM_AS_OF")
        else:
            here["CSM_AS_OF"] = as_of
        result = runner.invoke(app, list(args), env=here)
        assert result.exit_code == 0, f"csm {' '.join(args)}: {result.stderr}{result.stdout}"
        return json.loads(result.stdout) if "json" in args else result.stdout

    return run


def todo_of(found: list[dict[str, Any]], account: str, kind: str) -> dict[str, Any] | None:
    return next((t for t in found if t["account"] == account and t["kind"] == kind), None)


def everything(csm: Csm, day: str) -> dict[str, Any]:
    """Every report's answer for one day."""
    return {
        "today": csm("today", "--as-of", day, "--format", "json"),
        "todos": csm("todo", "list", "--as-of", day, "--format", "json"),
        "risks": csm("risk", "--as-of", day, "--format", "json"),
        "health": csm("health", "--as-of", day, "--format", "json"),
        "renewals": csm("renewals", "--as-of", day, "--format", "json"),
    }


def test_a_renewal_todo_comes_back_when_the_renewal_date_comes_back(csm: Csm) -> None:
    first = todo_of(csm("todo", "list", "--format", "json"), "Acme Corp", "renewal_outreach")
    assert first is not None and "2027-06-29" in first["title"]
    csm("account", "edit", "Acme Corp", "--renewal", "2027-12-31")
    assert todo_of(csm("todo", "list", "--format", "json"), "Acme Corp", "renewal_outreach") is None
    csm("today")  # a read in between used to retire the to-do for good
    csm("account", "edit", "Acme Corp", "--renewal", "2027-06-29")
    back = todo_of(csm("todo", "list", "--format", "json"), "Acme Corp", "renewal_outreach")
    assert back is not None and back["id"] == first["id"] and back["title"] == first["title"]


def test_a_look_at_other_days_changes_nothing_with_as_of_or_csm_as_of(csm: Csm, book_url: str) -> None:
    before = everything(csm, TODAY)
    stored = rows(book_url, "SELECT revision FROM book_state")
    for day in ("2027-06-15", "2026-12-01", "2028-03-01"):
        csm("today", "--format", "json", as_of=day)  # CSM_AS_OF, as the demo tells users to export it
        everything(csm, day)
    for command in (("today",), ("risk",), ("todo", "list"), ("health",), ("renewals",), ("gaps",), ("advocates",)):
        csm(*command, as_of=None)  # the wall-clock day
    assert rows(book_url, "SELECT revision FROM book_state") == stored  # nothing read wrote anything
    assert everything(csm, TODAY) == before


def test_csm_as_of_and_as_of_give_the_same_answer(csm: Csm) -> None:
    day = "2027-05-01"
    assert csm("today", "--format", "json", as_of=day) == csm("today", "--as-of", day, "--format", "json")
    assert csm("risk", "--format", "json", as_of=day) == csm("risk", "--as-of", day, "--format", "json")


def test_done_holds_across_days_and_across_the_facts_moving_away_and_back(csm: Csm) -> None:
    outreach = todo_of(csm("todo", "list", "--format", "json"), "Acme Corp", "renewal_outreach")
    assert outreach is not None
    csm("todo", "done", str(outreach["id"]), as_of="2027-03-05")
    for day in ("2027-03-05", "2027-03-20", "2027-04-15"):
        assert todo_of(csm("todo", "list", "--as-of", day, "--format", "json"), "Acme Corp", "renewal_outreach") is None
    # before it was done, the day still shows it: a decision counts from the day it was made
    assert todo_of(csm("todo", "list", "--as-of", "2027-03-04", "--format", "json"), "Acme Corp", "renewal_outreach")
    csm("account", "edit", "Acme Corp", "--renewal", "2027-12-31", as_of="2027-03-06")
    csm("account", "edit", "Acme Corp", "--renewal", "2027-06-29", as_of="2027-03-06")
    assert (
        todo_of(csm("todo", "list", "--as-of", "2027-03-06", "--format", "json"), "Acme Corp", "renewal_outreach")
        is None
    )


def test_a_deferral_and_its_reason_hold_and_its_count_survives_the_rule_pausing(csm: Csm) -> None:
    overdue = todo_of(csm("todo", "list", "--format", "json"), "Initech", "renewal_overdue")
    assert overdue is not None
    csm("todo", "defer", str(overdue["id"]), "--until", "2027-03-05", "--reason", "waiting on legal")
    assert todo_of(csm("today", "--format", "json")["todos"], "Initech", "renewal_overdue") is None
    later = todo_of(csm("today", "--as-of", "2027-03-05", "--format", "json")["todos"], "Initech", "renewal_overdue")
    assert later is not None and later["deferrals"] == 1 and later["id"] == overdue["id"]
    # the renewal date moves (the rule stops firing) and back: the to-do returns with its history
    csm("account", "edit", "Initech", "--renewal", "2027-09-01", as_of="2027-03-06")
    csm("account", "edit", "Initech", "--renewal", "2027-02-15", as_of="2027-03-06")
    back = todo_of(csm("todo", "list", "--as-of", "2027-03-06", "--format", "json"), "Initech", "renewal_overdue")
    assert back is not None and (back["deferrals"], back["defer_reason"]) == (1, "waiting on legal")


def test_a_resolved_risk_stays_quiet_while_its_situation_lasts(csm: Csm) -> None:
    (critical,) = [r for r in csm("risk", "--format", "json") if r["rule"] == "critical_ticket_open"]
    assert critical["raised_on"] == "2027-02-20"  # the day the urgent ticket was opened
    csm("risk", "resolve", str(critical["id"]))
    for day in (TODAY, "2027-03-10"):
        assert not [r for r in csm("risk", "--as-of", day, "--format", "json") if r["rule"] == "critical_ticket_open"]
    assert [r for r in csm("risk", "--as-of", "2027-02-25", "--format", "json") if r["rule"] == "critical_ticket_open"]


def test_a_snoozed_risk_returns_on_its_day(csm: Csm) -> None:
    (critical,) = [r for r in csm("risk", "--format", "json") if r["rule"] == "critical_ticket_open"]
    csm("risk", "snooze", str(critical["id"]), "--until", "2027-03-08")
    assert not [r for r in csm("risk", "--as-of", "2027-03-07", "--format", "json") if r["id"] == critical["id"]]
    assert [r for r in csm("risk", "--as-of", "2027-03-08", "--format", "json") if r["id"] == critical["id"]]


def health_of(csm: Csm, account: str, day: str = TODAY) -> dict[str, Any]:
    (found,) = [h for h in csm("health", "--as-of", day, "--format", "json") if h["account"] == account]
    return dict(found)


def test_a_snooze_hides_a_risk_from_the_list_not_from_health_and_a_snoozed_risk_can_be_resolved(csm: Csm) -> None:
    (critical,) = [r for r in csm("risk", "--format", "json") if r["rule"] == "critical_ticket_open"]
    before = health_of(csm, critical["account"])
    assert before["adjustment"].startswith("capped at") and before["score"] < before["computed"]
    csm("risk", "snooze", critical["id"], "--until", "2027-03-08")
    during = health_of(csm, critical["account"])
    assert (during["score"], during["band"]) == (before["score"], before["band"])
    assert during["adjustment"].endswith("snoozed until 2027-03-08)")
    assert csm("risk", "resolve", critical["id"]).startswith("Resolved: ")  # out of the list, yet found by its id
    after = health_of(csm, critical["account"])
    assert after["adjustment"] is None and after["score"] == after["computed"] > before["score"]
    assert not [r for r in csm("risk", "--as-of", "2027-03-08", "--format", "json") if r["id"] == critical["id"]]


def test_the_worklist_cache_can_be_dropped_at_any_moment(csm: Csm, env: dict[str, str]) -> None:
    import shutil

    cached = csm("today", "--format", "json")
    assert csm("today", "--format", "json") == cached  # from the cache
    shutil.rmtree(env["CSM_CACHE_DIR"])
    explained = csm("todo", "list", "--explain", "--format", "json")  # judged, and kept with its urgency inputs
    assert explained and all(t["terms"] for t in explained)
    assert csm("todo", "list", "--explain", "--format", "json") == explained  # read back from the cache
    assert csm("today", "--format", "json") == cached
    for file in Path(env["CSM_CACHE_DIR"]).rglob("*.worklist"):
        file.write_bytes(b"not a worklist")  # a damaged cache is only a slower day
    assert csm("today", "--format", "json") == cached
    import marshal

    for file in Path(env["CSM_CACHE_DIR"]).rglob("*.worklist"):  # its key right, its worklist of the wrong shape
        key, (as_of, todos, risks, health, renewals, active) = marshal.loads(file.read_bytes())
        file.write_bytes(marshal.dumps((key, (as_of, todos, risks, health, list(renewals), active))))
    assert csm("today", "--format", "json") == cached


def test_only_the_day_the_csm_is_in_is_kept(csm: Csm, env: dict[str, str]) -> None:
    """A look at other days (a script may look at a hundred) leaves no cache file; the same answer either way."""
    import shutil

    shutil.rmtree(env["CSM_CACHE_DIR"], ignore_errors=True)
    ahead = csm("today", "--as-of", "2027-03-20", "--format", "json")
    csm("todo", "list", "--as-of", "2027-03-21", "--format", "json")
    assert not list(Path(env["CSM_CACHE_DIR"]).rglob("*.worklist"))
    assert csm("today", "--as-of", "2027-03-20", "--format", "json") == ahead
    csm("today", "--format", "json")
    csm("today", "--as-of", TODAY, "--format", "json")  # the day the CSM is in, named: the same file
    assert len(list(Path(env["CSM_CACHE_DIR"]).rglob("*.worklist"))) == 1


@pytest.mark.postgres
def test_six_parallel_first_runs_of_today_on_a_team_book(book_url: str, env: dict[str, str], csm: Csm) -> None:
    if not book_url.startswith("postgresql"):
        pytest.skip("the race was the server's")
    csm("account", "add", "Fresh Co", "--renewal", "2027-04-01")  # a change: nothing cached, all six judge
    command = [sys.executable, "-m", "csm", "today", "--format", "json"]
    processes = [
        subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [p.returncode for p in processes] == [0] * 6, [err.decode() for _, err in results]
    answers = [json.loads(out) for out, _ in results]
    assert all(answer == answers[0] for answer in answers)
    assert rows(book_url, "SELECT COUNT(*) AS n FROM decisions")[0]["n"] == 0


@pytest.mark.postgres
def test_six_parallel_first_runs_after_an_upgrade_migrate_the_team_book_once(
    book_url: str, env: dict[str, str], csm: Csm
) -> None:
    """A team upgrades csm and everyone's morning starts at once: each found the old revision and ran the same
    DDL, and one in four such mornings one of them failed ("column ... already exists")."""
    if not book_url.startswith("postgresql"):
        pytest.skip("SQLite's BEGIN IMMEDIATE already serialises upgrades")
    from csm.db import HEAD_REVISION, REVISIONS
    from csm.db.book import current_revision, locate_book
    from csm.db.migrate import upgrade

    location = locate_book(book_url)
    upgrade(location, REVISIONS[-4])
    command = [sys.executable, "-m", "csm", "today", "--format", "json"]
    processes = [
        subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(6)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [p.returncode for p in processes] == [0] * 6, [err.decode() for _, err in results]
    assert current_revision(location) == HEAD_REVISION


@pytest.mark.postgres
def test_an_upgrade_waits_while_another_csm_migrates_the_team_book(book_url: str) -> None:
    if not book_url.startswith("postgresql"):
        pytest.skip("the lock is PostgreSQL's")
    import threading

    from sqlalchemy import create_engine, text

    from csm.db import HEAD_REVISION, REVISIONS
    from csm.db.book import current_revision, locate_book
    from csm.db.migrate import MIGRATION_LOCK, upgrade

    location = locate_book(book_url)
    older = REVISIONS[-2]
    upgrade(location, older)
    engine = create_engine(location.url)
    waiting = threading.Thread(target=upgrade, args=(location,))
    with engine.begin() as other:  # another csm, in the middle of its migration
        other.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        waiting.start()
        waiting.join(timeout=1.5)
        assert waiting.is_alive()
        assert current_revision(location) == older
    waiting.join(timeout=60)
    assert not waiting.is_alive()
    assert current_revision(location) == HEAD_REVISION
    engine.dispose()


WEEKLY_SYNC = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//csm tests//EN\r
BEGIN:VEVENT\r
UID:acme-weekly\r
DTSTAMP:20270101T000000Z\r
DTSTART:20270104T150000Z\r
DTEND:20270104T153000Z\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
SUMMARY:Acme weekly sync\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:jane@acme.example\r
ORGANIZER:mailto:me@vendor.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_series_is_read_on_any_day_asked_for_and_the_book_keeps_only_what_was_imported(
    csm: Csm, book_url: str, tmp_path: Path
) -> None:
    calendar = tmp_path / "work.ics"
    calendar.write_text(WEEKLY_SYNC, newline="")
    csm("import", "calendar", str(calendar))
    stored = rows(book_url, "SELECT COUNT(*) AS n FROM calendar_events")
    window = rows(book_url, "SELECT expanded_from, expanded_until FROM calendars")
    revision = rows(book_url, "SELECT revision FROM book_state")
    far_monday = "2032-03-01"  # years beyond what the import expanded
    agenda = csm("today", "--as-of", far_monday, "--format", "json")["agenda"]
    assert [(m["title"], m["account"], m["start"][:10]) for m in agenda] == [
        ("Acme weekly sync", "Acme Corp", far_monday)
    ]
    assert csm("today", "--as-of", "2032-03-02", "--format", "json")["agenda"] == []  # a Tuesday
    touches = csm("todo", "list", "--as-of", far_monday, "--format", "json")
    assert todo_of(touches, "Acme Corp", "touch_overdue") is None  # last Monday's sync was a touch
    assert todo_of(touches, "Globex", "touch_overdue") is not None
    prep = csm("prep", "acme", "--as-of", "2032-02-29", "--format", "json")
    assert [m["start"][:10] for m in prep["upcoming_meetings"]][:2] == ["2032-03-01", "2032-03-08"]
    # nothing of this was kept: the book holds what the import expanded, and no read wrote
    assert rows(book_url, "SELECT COUNT(*) AS n FROM calendar_events") == stored
    assert rows(book_url, "SELECT expanded_from, expanded_until FROM calendars") == window
    assert rows(book_url, "SELECT revision FROM book_state") == revision


PERSONAL_CSV = """name,account_id,domains,arr,renewal_date,contract_start,owner
Acme Corp,A-1,acme.example,120000,2027-03-10,2025-03-10,me@vendor.example
Hooli,A-4,hooli.example,50000,2027-03-12,2025-03-12,
"""


def test_unowned_accounts_are_yours_in_a_personal_book_and_counted_out_in_a_team_book(
    env: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "mine.toml"
    config.write_text('owner = "me@vendor.example"\ninternal_domains = ["vendor.example"]\n')
    here = env | {"CSM_CONFIG": str(config)}
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(app, list(args), env=here)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout) if "json" in args else result.stdout

    accounts = tmp_path / "personal.csv"
    accounts.write_text(PERSONAL_CSV)
    run("import", "accounts", str(accounts))
    day = run("today", "--format", "json")
    assert {t["account"] for t in day["todos"] if t["kind"] == "renewal_reminder"} == {"Acme Corp", "Hooli"}
    assert not any("no owner" in hint for hint in day["hints"])

    team = tmp_path / "team.csv"
    team.write_text("name,account_id,owner,arr,renewal_date\nGlobex,A-2,dana@vendor.example,30000,2027-03-11\n")
    run("import", "accounts", str(team))  # another CSM's account: now a team book
    day = run("today", "--format", "json")
    assert {t["account"] for t in day["todos"] if t["kind"] == "renewal_reminder"} == {"Acme Corp"}
    assert [hint for hint in day["hints"] if "no owner" in hint] == [
        "1 account has no owner in this team book and is left out of your day: 'csm today --all-owners' shows "
        "every account; 'csm account edit NAME --owner EMAIL' gives one an owner."
    ]
    everyone = run("today", "--all-owners", "--format", "json")
    assert {t["account"] for t in everyone["todos"] if t["kind"] == "renewal_reminder"} == {
        "Acme Corp", "Globex", "Hooli"
    }  # fmt: skip
    assert "Hooli" in run("today", "--all-owners")


CONTACTS_CSV = """name,email,account_id,role,title
Jane Roe,jane@acme.example,A-1,champion,VP Operations
Sam Poe,sam@acme.example,A-1,exec_sponsor,COO
Gil Moe,gil@globex.example,A-2,champion,IT lead
"""


def test_changes_name_the_renewals_churns_and_expansions_recorded_in_between(csm: Csm, tmp_path: Path) -> None:
    csm("renew", "Initech", "--arr", "10000", as_of="2027-03-02")
    csm("churn", "Globex", "--reason", "budget", as_of="2027-03-03")
    csm("account", "edit", "Acme Corp", "--arr", "150000", as_of="2027-03-04")
    changes = csm("changes", "--since", "2027-03-01", "--as-of", "2027-03-05", "--format", "json")
    moves = [(c["account"], c["area"], c["what"], c["on"]) for c in changes if c["area"] in ("renewal", "arr")]
    assert moves == [
        ("Acme Corp", "arr", "expansion: ARR $120k → $150k (+25%)", "2027-03-04"),
        ("Globex", "renewal", "churned (budget): $30k of ARR lost", "2027-03-03"),
        ("Initech", "renewal", "renewal of 2027-02-15 recorded: ARR $8,000 → $10k (+25%); renews next on 2030-02-15",
         "2027-03-02"),
    ]  # fmt: skip
    # a look from before they were recorded sees none of them; the opening ARR of an import is no change
    assert not [c for c in csm("changes", "--since", "2027-01-01", "--format", "json") if c["area"] == "arr"]


def test_the_first_import_is_the_baseline_for_changes(csm: Csm, tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(CONTACTS_CSV)
    csm("import", "contacts", str(contacts), as_of="2027-02-01")
    changes = csm("changes", "--since", "2027-01-25", "--format", "json")
    assert [c for c in changes if c["area"] == "stakeholder"] == []  # who came with the first import is no news
    later = tmp_path / "later.csv"
    later.write_text(CONTACTS_CSV + "Ada Koe,ada@acme.example,A-1,champion,Head of Data\n")
    csm("import", "contacts", str(later), as_of="2027-02-20")
    changes = csm("changes", "--since", "2027-01-25", "--format", "json")
    assert [(c["account"], c["what"], c["on"]) for c in changes if c["area"] == "stakeholder"] == [
        ("Acme Corp", "new champion: Ada Koe", "2027-02-20")
    ]
