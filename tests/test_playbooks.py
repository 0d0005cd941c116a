"""Playbooks on both backends: an open risk opens one run of its playbook, dated from the day it was raised; its
steps are to-dos of kind `playbook` that wait on one another, are handed to the people the config names, and go
when the risk is resolved or clears by itself; a risk that fires again opens a fresh run.

The book: Acme Corp has an urgent ticket open since 2027-02-20 (a critical support risk); later files close it on
2027-03-05 and open another on 2027-03-10.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csm.cli import app
from tests.test_backends import ACCOUNTS_CSV, TICKETS_CSV, rows

TODAY = "2027-03-01"
CONFIG = """owner = "me@vendor.example"
internal_domains = ["vendor.example"]

[people]
ae = "Dana Lee <dana.lee@vendor.example>"
support = "Priya Raman <priya.raman@vendor.example>"
manager = "tom.becker@vendor.example"
"""
LATER_TICKETS = """ticket_id,account_id,subject,status,priority,created_at,solved_at
T-1,A-1,Login fails,solved,urgent,2027-02-20T10:00:00Z,2027-03-05T15:00:00Z
T-3,A-1,Login fails again,open,urgent,2027-03-10T15:00:00Z,
"""

Csm = Callable[..., Any]


@pytest.fixture
def csm(book_url: str, tmp_path: Path) -> Csm:
    """`csm ARGS` on a fresh book of both backends: JSON when asked for, else the text; a failure fails the test
    unless `code` says otherwise."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    env = {"CSM_DB": book_url, "CSM_CONFIG": str(config), "CSM_AS_OF": TODAY, "CSM_TIMEZONE": "America/New_York",
           "CSM_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "200"}  # fmt: skip
    runner = CliRunner()
    # the accounts came into the book on 2027-02-01, before the ticket (a step is never due before that day)
    for name, text, day in (("accounts", ACCOUNTS_CSV, "2027-02-01"), ("tickets", TICKETS_CSV, TODAY)):
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        result = runner.invoke(app, ["import", name, str(path)], env={**env, "CSM_AS_OF": day})
        assert result.exit_code == 0, result.stderr
    (tmp_path / "later.csv").write_text(LATER_TICKETS)

    def run(*args: str, day: str = TODAY, code: int = 0) -> Any:
        result = runner.invoke(app, [str(a) for a in args], env={**env, "CSM_AS_OF": day})
        assert result.exit_code == code, f"csm {' '.join(args)}: {result.stderr}{result.stdout}"
        if code:
            return result.stderr
        return json.loads(result.stdout) if "json" in args else result.stdout

    run.later = tmp_path / "later.csv"  # type: ignore[attr-defined]
    return run


def critical(csm: Csm, day: str = TODAY) -> dict[str, Any] | None:
    found = [r for r in csm("risk", "--format", "json", day=day) if r["rule"] == "critical_ticket_open"]
    return found[0] if found else None


def steps(csm: Csm, day: str = TODAY, account: str = "Acme Corp") -> dict[str, dict[str, Any]]:
    """The day's playbook to-dos of an account, by title's first words."""
    return {
        t["title"]: t
        for t in csm("todo", "list", "--format", "json", day=day)
        if t["kind"] == "playbook" and t["account"] == account
    }


def critical_steps(csm: Csm, day: str = TODAY) -> dict[int, dict[str, Any]]:
    """The day's open steps of the critical support risk's run, by number (the titles carry its evidence, which
    moves with the days)."""
    return {
        int(t["rule_key"].split(":")[2]): t
        for t in steps(csm, day).values()
        if ":critical_ticket_open:" in t["rule_key"]
    }


def run_of(csm: Csm, risk_id: str, day: str = TODAY) -> dict[str, Any]:
    return csm("risk", "show", risk_id, "--format", "json", day=day)  # type: ignore[no-any-return]


REVIEW, RCA, FIX_HELD, ESCALATION = 1, 2, 4, 5


def test_a_critical_ticket_opens_the_support_playbook_dated_from_the_day_it_was_raised(csm: Csm) -> None:
    risk = critical(csm)
    assert risk is not None and risk["raised_on"] == "2027-02-20"
    shown = run_of(csm, risk["id"])
    assert shown["status"] == "open" and shown["run"]["playbook"] == "support"
    assert [(s["number"], s["due"], s["state"], s["owner"]) for s in shown["run"]["steps"]] == [
        (1, "2027-02-20", "open", "you"),
        (2, "2027-02-25", "waiting", "Support: Priya Raman"),
        (3, "2027-02-27", "waiting", "you"),
        (4, "2027-03-13", "waiting", "you"),
        (5, "2027-02-22", "open", "Support: Priya Raman"),
    ]
    found = critical_steps(csm)
    assert found[REVIEW]["title"] == "Review Acme Corp's open tickets with support: 1 critical ticket open"
    assert found[REVIEW]["due"] == "2027-02-20" and found[REVIEW]["handed_to"] is None
    assert found[ESCALATION]["handed_to"] == "Support: Priya Raman" and found[ESCALATION]["overdue_days"] == 7
    assert RCA not in found  # it waits for the review
    assert "critical_ticket_open:" in found[REVIEW]["rule_key"] and found[REVIEW]["rule_key"].endswith("@2027-02-20")
    assert "→ Support: Priya Raman" in csm("today") and "→ Support: Priya Raman" in csm("todo", "list")
    # the same run on every later day, with the same ids and dates
    assert {t["id"]: t["due"] for t in critical_steps(csm, "2027-03-03").values()} == {
        t["id"]: t["due"] for t in found.values()
    }


def test_a_step_waiting_on_another_shows_once_that_one_is_done_and_done_steps_stay_done(
    csm: Csm, book_url: str
) -> None:
    review = critical_steps(csm)[REVIEW]
    csm("todo", "done", review["id"])
    after = critical_steps(csm)
    assert REVIEW not in after and after[RCA]["due"] == "2027-02-25"
    assert after[RCA]["handed_to"] == "Support: Priya Raman"
    assert REVIEW in critical_steps(csm, "2027-02-28")  # a look at a day before the decision sees the step as it was
    stored = rows(book_url, "SELECT subject, rule_key, status FROM decisions")
    assert stored == [{"subject": "todo", "rule_key": review["rule_key"], "status": "done"}]  # one row, nothing else
    csm("todo", "defer", after[RCA]["id"], "--until", "2027-03-04", "--reason", "waiting on engineering")
    deferred = critical_steps(csm, "2027-03-02")[RCA]
    assert deferred["deferred_until"] == "2027-03-04" and deferred["deferrals"] == 1


def test_resolving_the_risk_retires_its_open_steps_and_keeps_the_done_ones_in_its_history(csm: Csm) -> None:
    risk = critical(csm)
    assert risk is not None
    csm("todo", "done", critical_steps(csm)[REVIEW]["id"])
    csm("risk", "resolve", risk["id"])
    # the run was begun, so its follow-up outlives the risk: "confirm the fix held", three weeks after it was raised
    for day in (TODAY, "2027-03-08"):
        (follow_up,) = critical_steps(csm, day).values()
        assert follow_up["title"] == "Confirm with your contact that Acme Corp's fix held"
        assert follow_up["due"] == "2027-03-13" and follow_up["handed_to"] is None
        assert "follow-up of risk" in follow_up["reason"] and follow_up["reason"].endswith("which you resolved")
    shown = run_of(csm, risk["id"])
    assert shown["status"] == "resolved" and shown["run"] is None and shown["account"] == "Acme Corp"
    (history,) = shown["history"]
    assert history["status"] == "resolved" and history["raised_on"] == "2027-02-20"
    states = [(s["number"], s["state"], s["why"]) for s in history["steps"]]
    assert states == [(1, "done", None), (2, "retired", "risk resolved"), (3, "retired", "risk resolved"),
                      (4, "open", "the follow-up, still due (risk resolved)"), (5, "retired", "risk resolved")]  # fmt: skip
    assert history["steps"][3]["id"] == follow_up["id"]
    csm("todo", "done", follow_up["id"])
    assert critical_steps(csm) == {} and critical_steps(csm, "2027-03-20") == {}
    assert [s["state"] for s in run_of(csm, risk["id"])["history"][0]["steps"]][3] == "done"


def test_a_risk_that_clears_takes_its_steps_and_one_that_fires_again_opens_a_fresh_run(csm: Csm) -> None:
    risk = critical(csm)
    assert risk is not None
    first = critical_steps(csm)
    csm("todo", "done", first[REVIEW]["id"])
    csm("import", "tickets", csm.later)  # type: ignore[attr-defined]
    assert critical(csm, "2027-03-04") is not None  # still open on the 4th
    assert critical(csm, "2027-03-07") is None  # the ticket was solved on the 5th: the risk cleared
    # its open steps go with it, but the follow-up the CSM's run leads to: did the fix hold?
    (follow_up,) = critical_steps(csm, "2027-03-07").values()
    assert follow_up["title"].endswith("fix held") and follow_up["due"] == "2027-03-13"
    assert follow_up["reason"].endswith("which has cleared")
    cleared = run_of(csm, risk["id"], "2027-03-07")
    assert cleared["status"] == "cleared"
    assert [s["why"] for s in cleared["history"][0]["steps"]] == [
        None,
        "risk cleared",
        "risk cleared",
        "the follow-up, still due (risk cleared)",
        "risk cleared",
    ]
    again = critical(csm, "2027-03-11")
    assert again is not None and again["raised_on"] == "2027-03-10"
    fresh = critical_steps(csm, "2027-03-11")
    assert fresh[REVIEW]["due"] == "2027-03-10" and fresh[REVIEW]["id"] != first[REVIEW]["id"]
    assert fresh[ESCALATION]["due"] == "2027-03-12" and RCA not in fresh  # a fresh run: the review is to do again
    assert FIX_HELD not in fresh  # the fresh run has its own follow-up, waiting: the first run's is let go
    shown = run_of(csm, again["id"], "2027-03-11")
    assert shown["run"]["raised_on"] == "2027-03-10"
    assert [h["status"] for h in shown["history"]] == ["cleared"]  # the earlier run, and what became of it
    # the first day's answer has not moved
    assert set(critical_steps(csm)) == {RCA, ESCALATION}  # the review was done that day


def test_a_run_no_one_began_leaves_no_follow_up_when_its_risk_clears(csm: Csm) -> None:
    csm("import", "tickets", csm.later)  # type: ignore[attr-defined]
    assert critical(csm, "2027-03-07") is None and critical_steps(csm, "2027-03-07") == {}


def test_a_snooze_pauses_the_steps_and_moves_their_dates_on(csm: Csm) -> None:
    risk = critical(csm)
    assert risk is not None
    csm("risk", "snooze", risk["id"], "--until", "2027-03-08")
    assert critical_steps(csm, "2027-03-05") == {}
    back = critical_steps(csm, "2027-03-08")
    assert back[REVIEW]["due"] == "2027-02-27" and back[ESCALATION]["due"] == "2027-03-01"  # 7 days later


def test_steps_are_handed_to_the_people_behind_them_and_mine_leaves_out_what_is_not_late(csm: Csm) -> None:
    csm("risk", "add", "Acme Corp", "--category", "sentiment", "--severity", "medium", "--evidence",
        "the CFO is unhappy with the invoice")  # fmt: skip
    found = critical_steps(csm)
    aside = next(t for title, t in steps(csm).items() if title.startswith("Escalation: review Acme Corp with the AE"))
    assert aside["handed_to"] == "AE: Dana Lee" and aside["due"] == "2027-03-31"
    mine = {t["id"] for t in csm("todo", "list", "--mine", "--format", "json") if t["kind"] == "playbook"}
    assert aside["id"] not in mine  # handed out and not late
    assert found[ESCALATION]["id"] in mine  # handed out and late
    assert found[REVIEW]["id"] in mine  # my own
    today_mine = {t["id"] for t in csm("today", "--mine", "--days", "60", "--format", "json")["todos"]}
    assert aside["id"] not in today_mine and found[ESCALATION]["id"] in today_mine
    csm("account", "edit", "Acme Corp", "--ae", "Sam Ortiz <sam.ortiz@vendor.example>")
    assert steps(csm)[aside["title"]]["handed_to"] == "AE: Sam Ortiz"
    csm("todo", "assign", found[REVIEW]["id"], "--to", "manager")
    assert critical_steps(csm)[REVIEW]["handed_to"] == "Manager: tom.becker@vendor.example"
    csm("todo", "assign", found[REVIEW]["id"], "--to", "me")
    assert critical_steps(csm)[REVIEW]["handed_to"] is None
    assert "--to 'boss'" in csm("todo", "assign", found[REVIEW]["id"], "--to", "boss", code=1)
    assert "--ae 'nobody'" in csm("account", "edit", "Acme Corp", "--ae", "nobody", code=1)


def test_a_risk_logged_by_hand_opens_its_playbook_and_closing_it_retires_the_steps(csm: Csm) -> None:
    csm("risk", "add", "Globex", "--category", "product", "--severity", "high", "--evidence", "needs SSO")
    logged = next(r for r in csm("risk", "--format", "json") if r["rule"] == "manual")
    shown = run_of(csm, str(logged["id"]))
    assert shown["run"]["playbook"] == "product" and shown["run"]["raised_on"] == TODAY
    assert [s["due"] for s in shown["run"]["steps"]] == ["2027-03-04", "2027-03-11", "2027-03-15"]
    assert any(t.startswith("Confirm the gap") for t in steps(csm, account="Globex"))
    csm("risk", "resolve", str(logged["id"]))
    assert not any(t.startswith("Confirm the gap") for t in steps(csm, account="Globex"))
    assert run_of(csm, str(logged["id"]))["status"] == "resolved"


def test_playbook_list_counts_the_open_runs(csm: Csm) -> None:
    listed = {p["name"]: p for p in csm("playbook", "list", "--all-owners", "--format", "json")}
    assert len(listed) == 8 and all(p["default"] for p in listed.values())
    risks = csm("risk", "--all-owners", "--format", "json")
    assert sum(p["open_runs"] for p in listed.values()) == len(risks)
    assert listed["support"]["open_runs"] == 1 and listed["support"]["late_steps"] == 2
    assert "support" in csm("playbook", "list")


def test_a_to_do_written_down_can_be_handed_out_and_a_rules_own_to_do_cannot(csm: Csm) -> None:
    csm("todo", "add", "Send the deck", "--account", "acme", "--due", "+2d")
    assert "Handed to Dana Lee: Send the deck" in csm("todo", "assign", "1", "--to", "ae")
    (deck,) = [t for t in csm("todo", "list", "--format", "json") if t["kind"] == "manual"]
    assert deck["handed_to"] == "Dana Lee" and deck["owner"] == "Dana Lee <dana.lee@vendor.example>"
    assert "Send the deck → Dana Lee" in csm("todo", "list")
    assert not [t for t in csm("todo", "list", "--mine", "--format", "json") if t["kind"] == "manual"]
    assert "Handed to you" in csm("todo", "assign", "1", "--to", "me")
    assert [t["handed_to"] for t in csm("todo", "list", "--format", "json") if t["kind"] == "manual"] == [None]
    rule = next(t for t in csm("todo", "list", "--format", "json") if t["kind"] not in ("manual", "playbook"))
    refused = csm("todo", "assign", rule["id"], "--to", "ae", code=1)
    assert "only playbook steps and to-dos you wrote down can be handed to someone" in refused


def test_a_fresh_book_dates_a_run_from_the_day_it_came_in_keeping_its_steps_spacing(
    book_url: str, tmp_path: Path
) -> None:
    """Accounts and tickets imported on 2027-03-01: the critical ticket waits since 2027-02-20, but the book could not
    have asked for its review before it had the account; the run starts that morning, not 9 days late, and a
    look back at a day before the import starts it on that day (as the renewal outreach is due from then)."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    env = {"CSM_DB": book_url, "CSM_CONFIG": str(config), "CSM_AS_OF": TODAY, "CSM_TIMEZONE": "America/New_York",
           "CSM_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "200"}  # fmt: skip
    runner = CliRunner()
    for name, text in (("accounts", ACCOUNTS_CSV), ("tickets", TICKETS_CSV)):
        (tmp_path / f"{name}.csv").write_text(text)
        assert runner.invoke(app, ["import", name, str(tmp_path / f"{name}.csv")], env=env).exit_code == 0

    def csm(*args: str, day: str = TODAY) -> Any:
        result = runner.invoke(app, list(args), env={**env, "CSM_AS_OF": day})
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout) if "json" in args else result.stdout

    (risk,) = [r for r in csm("risk", "--format", "json") if r["rule"] == "critical_ticket_open"]
    assert risk["raised_on"] == "2027-02-20"  # the risk is as old as its ticket
    run = csm("risk", "show", risk["id"], "--format", "json")["run"]
    assert (run["raised_on"], run["dated_from"]) == ("2027-02-20", TODAY)
    assert [(s["number"], s["due"], s["state"]) for s in run["steps"]] == [
        (1, "2027-03-01", "open"), (2, "2027-03-06", "waiting"), (3, "2027-03-08", "waiting"),
        (4, "2027-03-22", "waiting"), (5, "2027-03-03", "open"),
    ]  # fmt: skip
    review = next(t for t in csm("todo", "list", "--format", "json") if t["title"].startswith("Review Acme"))
    assert review["due"] == TODAY and review["overdue_days"] == 0
    assert review["reason"].endswith("raised 2027-02-20; dated from 2027-03-01, when the account came into the book")
    assert "steps dated from 2027-03-01, when the account came into the book" in csm("risk", "show", risk["id"])
    # a look at a day before the import sees that day as the book's first: not 5 days late either
    before = csm("risk", "show", risk["id"], "--format", "json", day="2027-02-25")["run"]
    assert (before["dated_from"], before["steps"][0]["due"]) == ("2027-02-25", "2027-02-25")
    assert (
        before["dated_why"] == "dated from 2027-02-25, the day looked at (the account came into the book on 2027-03-01)"
    )
    outreach = next(
        t for t in csm("todo", "list", "--format", "json", day="2027-02-25") if t["kind"] == "renewal_outreach"
    )
    assert (outreach["account"], outreach["due"], outreach["overdue_days"]) == ("Globex", "2027-02-25", 0)
    assert outreach["reason"].endswith(
        "due from 2027-02-25, the day looked at (the account came into the book on 2027-03-01)"
    )
