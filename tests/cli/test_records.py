"""Hand-kept records through the real CLI: accounts, contacts, the log, to-dos, plans, risks, requests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CsmRunner


@pytest.fixture
def acme(csm: CsmRunner) -> CsmRunner:
    """A book with Acme Corp (enterprise), Acme Labs and Globex, and two of Acme Corp's people."""
    for args in (
        ("account", "add", "Acme Corp", "--arr", "120000", "--renewal", "2027-06-29", "--domain", "acme.example",
         "--external-id", "001A000001", "--owner", "me@vendor.example"),
        ("account", "add", "Acme Labs", "--arr", "15000"),
        ("account", "add", "Globex", "--arr", "30000", "--segment", "enterprise"),
        ("contact", "add", "Acme Corp", "Jane Roe", "--email", "Jane@Acme.example", "--role", "champion",
         "--title", "VP Operations", "--influence", "high"),
        ("contact", "add", "Acme Corp", "Sam Poe", "--role", "exec-sponsor", "--reports-to", "jane"),
    ):  # fmt: skip
        run = csm(*args)
        assert run.code == 0, run.err
    return csm


def test_account_list_shows_segment_from_arr_unless_set_by_hand(acme: CsmRunner) -> None:
    rows = {row["name"]: row for row in acme("account", "list", "--format", "json").json()}
    assert rows["Acme Corp"]["segment"] == "enterprise"
    assert rows["Acme Labs"]["segment"] == "smb"
    assert rows["Globex"]["segment"] == "enterprise"
    assert rows["Acme Corp"]["arr"] == 120000
    assert rows["Acme Corp"]["renewal_date"] == "2027-06-29"


def test_account_show_gives_facts_people_and_days_to_renewal(acme: CsmRunner) -> None:
    shown = acme("account", "show", "Acme Corp", "--format", "json").json()
    assert shown["days_to_renewal"] == 120
    assert shown["domains"] == ["acme.example"]
    assert shown["external_ids"] == ["csm:001A000001"]
    people = {c["name"]: c for c in shown["contacts"]}
    assert people["Sam Poe"]["role"] == "exec_sponsor"
    assert people["Sam Poe"]["reports_to"] == "Jane Roe"
    assert people["Jane Roe"]["email"] == "jane@acme.example"


@pytest.mark.parametrize("query", ["Acme Corp", "001A000001", "acme c", "ACME CORP", "acme corp."])
def test_an_account_is_found_by_name_external_id_or_unique_prefix(acme: CsmRunner, query: str) -> None:
    assert acme("account", "show", query, "--format", "json").json()["name"] == "Acme Corp"


def test_an_ambiguous_prefix_lists_the_candidates(acme: CsmRunner) -> None:
    run = acme("account", "show", "acme")
    assert run.code == 1
    assert "Acme Corp" in run.err and "Acme Labs" in run.err
    assert "Traceback" not in run.err


def test_an_unknown_account_suggests_the_closest_names(acme: CsmRunner) -> None:
    run = acme("account", "show", "Globx")
    assert run.code == 1
    assert "no account matches 'Globx'" in run.err
    assert "did you mean 'Globex'" in run.err


def test_fuzzy_matching_never_picks_an_account_by_itself(acme: CsmRunner) -> None:
    assert acme("log", "Glbex", "--summary", "call").code == 1


def test_adding_the_same_account_twice_is_refused(acme: CsmRunner) -> None:
    run = acme("account", "add", "ACME corp, Inc.")
    assert run.code == 1
    assert "already exists" in run.err


def test_a_domain_belongs_to_one_account(acme: CsmRunner) -> None:
    run = acme("account", "edit", "Globex", "--domain", "https://www.acme.example/")
    assert run.code == 1
    assert "acme.example already belongs to Acme Corp" in run.err


def test_account_edit_changes_only_what_is_given(acme: CsmRunner) -> None:
    assert acme("account", "edit", "Acme Corp", "--arr", "150000", "--would-renew", "unsure").code == 0
    shown = acme("account", "show", "Acme Corp", "--format", "json").json()
    assert shown["arr"] == 150000
    assert shown["would_renew"] == "unsure"
    assert shown["renewal_date"] == "2027-06-29"


def test_bad_dates_and_choices_are_usage_errors(acme: CsmRunner) -> None:
    bad_date = acme("account", "edit", "Acme Corp", "--renewal", "31/02/2027")
    assert bad_date.code == 2
    assert "not a date" in bad_date.err
    bad_role = acme("contact", "add", "Acme Corp", "Al", "--role", "boss")
    assert bad_role.code == 2
    assert "exec_sponsor" in bad_role.err


def test_contact_edit_keeps_title_history(acme: CsmRunner, book_path: Path) -> None:
    assert acme("contact", "edit", "Acme Corp", "jane", "--title", "COO").code == 0
    with sqlite3.connect(book_path) as connection:
        rows = connection.execute("SELECT field, old_value, new_value FROM contact_changes").fetchall()
    assert rows == [("title", "VP Operations", "COO")]


def test_a_champion_leaving_raises_a_champion_change_todo(acme: CsmRunner) -> None:
    run = acme("contact", "left", "Acme Corp", "Jane Roe", "--to", "Initech")
    assert run.code == 0, run.err
    todos = [t for t in acme("todo", "list", "--format", "json").json() if t["kind"] == "champion_change"]
    assert len(todos) == 1
    assert "Initech" in todos[0]["title"]
    assert todos[0]["due"] == "2027-03-01"
    contacts = acme("contact", "list", "Acme Corp", "--format", "json").json()
    assert {c["name"]: c["left_on"] for c in contacts}["Jane Roe"] == "2027-03-01"
    assert acme("contact", "left", "Acme Corp", "Jane Roe").code == 1


def test_logging_a_call_with_next_steps_creates_a_todo(acme: CsmRunner) -> None:
    run = acme("log", "acme c", "--kind", "call", "--summary", "QBR prep", "--next", "Send the deck", "--with", "jane")
    assert run.code == 0, run.err
    todos = [t for t in acme("todo", "list", "--format", "json").json() if t["kind"] == "manual"]
    assert todos[0]["title"] == "Send the deck"
    assert todos[0]["due"] == "2027-03-08"
    assert todos[0]["account"] == "Acme Corp"
    shown = acme("account", "show", "Acme Corp", "--format", "json").json()
    assert shown["recent_interactions"][0]["summary"] == "QBR prep"


def test_logging_with_an_unknown_attendee_writes_nothing(acme: CsmRunner) -> None:
    run = acme("log", "Acme Corp", "--summary", "call", "--with", "Nobody Atall")
    assert run.code == 1
    assert acme("account", "show", "Acme Corp", "--format", "json").json()["recent_interactions"] == []


def manual_todos(csm: CsmRunner) -> list[dict[str, object]]:
    return [t for t in csm("todo", "list", "--format", "json").json() if t["kind"] in ("manual", "deferred")]


def test_todo_lifecycle_counts_deferrals(acme: CsmRunner) -> None:
    assert acme("todo", "add", "Check invoice", "--account", "Globex", "--due", "tomorrow").code == 0
    todo = manual_todos(acme)[0]
    assert todo["due"] == "2027-03-02"
    assert acme("todo", "defer", str(todo["id"]), "--until", "+1w", "--reason", "waiting on finance").code == 0
    assert acme("todo", "defer", str(todo["id"]), "--until", "2027-03-15").code == 0
    todo = manual_todos(acme)[0]
    assert (todo["kind"], todo["deferrals"], todo["due"]) == ("deferred", 2, "2027-03-15")
    assert (todo["defer_reason"], todo["reason"]) == ("waiting on finance", "added by hand")
    assert acme("todo", "defer", str(todo["id"]), "--until", "2027-02-01").code == 1
    assert acme("todo", "done", str(todo["id"])).code == 0
    assert manual_todos(acme) == []
    assert acme("todo", "done", "999").code == 1


def test_overdue_days_are_counted_from_as_of(acme: CsmRunner) -> None:
    acme("todo", "add", "Send renewal quote", "--due", "2027-02-20")
    todo = manual_todos(acme)[0]
    assert todo["overdue_days"] == 9


def test_success_plan_goals_progress_and_customer_confirmation(acme: CsmRunner) -> None:
    added = acme("plan", "add", "Acme Corp", "Cut report time", "--metric", "hours per report", "--baseline", "10",
                 "--target", "2", "--due", "2027-06-30", "--value", "save-time")  # fmt: skip
    assert added.code == 0, added.err
    plan = acme("plan", "Acme Corp", "--format", "json").json()
    goal = plan["goals"][0]
    assert (goal["baseline"], goal["target"], goal["customer_confirmed"]) == (10, 2, False)
    assert acme("plan", "milestone", str(goal["id"]), "Rollout to finance", "--due", "2027-03-10").code == 0
    assert acme("plan", "update", str(goal["id"]), "--current", "3", "--confirmed-by", "Jane Roe").code == 0
    goal = acme("plan", "show", "Acme Corp", "--format", "json").json()["goals"][0]
    assert (goal["current"], goal["customer_confirmed"], goal["confirmed_by"]) == (3, True, "Jane Roe")
    plan = acme("plan", "Acme Corp", "--format", "json").json()
    assert plan["milestones"][0]["title"] == "Rollout to finance"


def test_hand_logged_risks_carry_the_playbook_and_filter(acme: CsmRunner) -> None:
    run = acme("risk", "add", "Acme Corp", "--category", "company", "--severity", "high",
               "--evidence", "Acquired by Initech; budget freeze announced")  # fmt: skip
    assert run.code == 0, run.err
    acme("risk", "add", "Globex", "--category", "product", "--severity", "low", "--evidence", "Wants SSO")
    risks = [r for r in acme("risk", "--format", "json").json() if r["rule"] == "manual"]
    assert [r["severity"] for r in risks] == ["high", "low"]
    assert risks[0]["first_response"]
    assert "Acme Corp" in {
        r["account"] for r in acme("risk", "list", "--min-severity", "high", "--format", "json").json()
    }
    assert {r["category"] for r in acme("risk", "Globex", "--format", "json").json() if r["rule"] == "manual"} == {
        "product"
    }
    assert acme("risk", "--category", "support", "--format", "json").json() == []
    assert acme("risk", "resolve", str(risks[0]["id"])).code == 0
    assert len([r for r in acme("risk", "--format", "json").json() if r["rule"] == "manual"]) == 1


def test_feature_requests_are_listed_by_feature(acme: CsmRunner) -> None:
    assert acme("request", "add", "Acme Corp", "SSO with Okta").code == 0
    assert acme("request", "add", "Globex", "sso with okta", "--date", "2027-02-01").code == 0
    rows = acme("request", "--format", "json").json()
    assert {r["account"] for r in rows} == {"Acme Corp", "Globex"}


def test_lists_render_as_markdown_tables(acme: CsmRunner) -> None:
    out = acme("account", "list", "--format", "md").out
    assert out.startswith("# Accounts (3)")
    assert "| Acme Corp | enterprise | $120,000 |" in out


def test_empty_lists_say_what_to_do_next(csm: CsmRunner) -> None:
    assert csm("init").code == 0
    run = csm("account", "list")
    assert run.code == 0
    assert "csm account add" in run.out
    assert csm("todo", "list", "--format", "json").json() == []
    assert csm("risk", "--format", "json").json() == []


def test_errors_have_no_traceback_unless_debug(acme: CsmRunner) -> None:
    quiet = acme("account", "show", "Nope")
    assert quiet.code == 1 and "Traceback" not in quiet.err
    assert quiet.err.count("\n") == 1


def test_version_and_module_entry_point() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "csm", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("csm ")


def test_a_name_starting_with_the_is_found_by_what_follows(acme: CsmRunner) -> None:
    assert acme("account", "add", "The Rhombus Group").code == 0
    for query in ("rhombus", "Rhombus Gr", "the rh"):
        assert acme("account", "show", query, "--format", "json").json()["name"] == "The Rhombus Group"
