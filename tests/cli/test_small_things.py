"""The small things a CSM expects (issue 13, part 7), on the demo book of Monday 1 March 2027: deferral reasons
shown wherever the to-do is, a "this week" tail in `today`, `gaps` over what comes due in the next 90 days,
advocates' near-candidates, one date grammar on every date option, and -a/--account on every list command."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.conftest import ok
from tests.conftest import REPO, CsmRunner

KESTREL_EBR = "jbzvz"  # "Prepare the EBR with Kestrel Aerospace Components (due 2027-01-20, ...)"


def todo(items: list[dict[str, Any]], todo_id: str) -> dict[str, Any]:
    (found,) = [t for t in items if t["id"] == todo_id]
    return found


# Deferral reasons


def test_a_deferral_reason_is_shown_in_today_text_and_json(demo: CsmRunner) -> None:
    top = ok(demo("today", "--format", "json")).json()["todos"][0]
    deferred = ok(demo("todo", "defer", top["id"], "--until", "next friday", "--reason", "Tom on vacation"))
    assert deferred.out.startswith(f"Deferred to 2027-03-05 (deferred once): {top['title']}")
    text = " ".join(ok(demo("today", "--as-of", "2027-03-05")).out.split())
    assert f"deferred once: Tom on vacation] #{top['id']}" in text
    shown = todo(ok(demo("today", "--as-of", "2027-03-05", "--format", "json")).json()["todos"], top["id"])
    assert (shown["deferrals"], shown["deferred_until"], shown["defer_reason"]) == (1, "2027-03-05", "Tom on vacation")
    ok(demo("todo", "defer", KESTREL_EBR, "--until", "next friday", "--reason", "Tom on vacation"))
    markdown = ok(demo("today", "--as-of", "2027-03-05", "--format", "md")).out
    assert "(EBR due, due 2027-03-05, deferred once: Tom on vacation, urgency" in markdown


def test_a_deferral_reason_is_shown_in_the_todo_list_explain_and_prep(demo: CsmRunner) -> None:
    ok(demo("todo", "defer", KESTREL_EBR, "--until", "+4d", "--reason", "Tom on vacation"))
    ok(demo("todo", "defer", KESTREL_EBR, "--until", "2027-03-08"))  # a second time, no new reason: the first stays
    listed = " ".join(ok(demo("todo", "list", "-a", "Kestrel", "--as-of", "2027-03-08")).out.split())
    assert "twice: Tom on vacation" in listed
    explained = " ".join(ok(demo("todo", "list", "--explain", "-a", "Kestrel", "--as-of", "2027-03-08")).out.split())
    assert "(EBR due, due 2027-03-08, deferred twice: Tom on vacation)" in explained
    prep = " ".join(ok(demo("prep", "Kestrel", "--as-of", "2027-03-08")).out.split())
    assert "to-do #jbzvz, deferred twice: Tom on vacation" in prep
    assert (
        "— to-do #jbzvz, deferred twice: Tom on vacation\n"
        in ok(demo("prep", "Kestrel", "--as-of", "2027-03-08", "--format", "md")).out
    )
    actions = ok(demo("prep", "Kestrel", "--as-of", "2027-03-08", "--format", "json")).json()["action_items"]
    (ebr,) = [a for a in actions if a["source"] == "to-do #jbzvz"]
    assert (ebr["deferrals"], ebr["defer_reason"]) == (2, "Tom on vacation")


@pytest.fixture
def messy(csm: CsmRunner) -> CsmRunner:
    """A book made the way the tools export: a UK Salesforce report, a ChurnZero export, a Google calendar."""
    corpus = REPO / "tests" / "corpus"
    for kind, name in (("accounts", "salesforce_report_uk.csv"), ("accounts", "churnzero_accounts.csv"),
                       ("calendar", "google_calendar.ics")):  # fmt: skip
        ok(csm("import", kind, str(corpus / name)))
    return csm


def test_a_deferral_reason_is_shown_on_a_book_of_real_exports(messy: CsmRunner) -> None:
    todos = ok(messy("todo", "list", "-a", "Thistle", "--format", "json")).json()
    (reminder,) = [t for t in todos if t["kind"] == "renewal_reminder"]
    ok(messy("todo", "defer", reminder["id"], "--until", "next friday", "--reason", "Tom on vacation"))
    week = ok(messy("today", "--format", "json")).json()["this_week"]
    assert [(t["due"], t["defer_reason"]) for t in week if t["id"] == reminder["id"]] == [
        ("2027-03-05", "Tom on vacation")
    ]
    assert "deferred once: Tom on vacation" in " ".join(ok(messy("today")).out.split())
    on_the_day = ok(messy("today", "--as-of", "friday", "--format", "json")).json()
    assert on_the_day["as_of"] == "2027-03-05"
    assert todo(on_the_day["todos"], reminder["id"])["defer_reason"] == "Tom on vacation"
    assert "deferred once: Tom on vacation" in " ".join(ok(messy("today", "--as-of", "2027-03-05")).out.split())


def test_a_written_down_todos_deferral_reason_shows_in_account_show(demo: CsmRunner) -> None:
    ok(demo("todo", "add", "Send the renewal quote", "-a", "Ostrava", "--due", "today"))
    (added,) = [
        t for t in ok(demo("todo", "list", "-a", "Ostrava", "--format", "json")).json() if t["kind"] == "manual"
    ]
    ok(demo("todo", "defer", str(added["id"]), "--until", "in 2 weeks", "--reason", "waiting on their CFO"))
    shown = " ".join(ok(demo("account", "show", "Ostrava Tooling")).out.split())
    assert "2027-03-15 Send the renewal quote once: waiting on their CFO" in shown


# This week


def test_today_has_a_this_week_tail_of_what_falls_due_after_today(demo: CsmRunner) -> None:
    ok(demo("todo", "add", "Send Ostrava the QBR deck", "-a", "Ostrava", "--due", "tomorrow"))
    ok(demo("todo", "defer", KESTREL_EBR, "--until", "thursday", "--reason", "Tom on vacation"))
    report = ok(demo("today", "--format", "json")).json()
    week = report["this_week"]
    assert week[0]["title"] == "Send Ostrava the QBR deck" and week[0]["due"] == "2027-03-02"
    (ebr,) = [t for t in week if t["id"] == KESTREL_EBR]
    assert (ebr["due"], ebr["defer_reason"]) == ("2027-03-04", "Tom on vacation")
    assert "Ostrava Tooling: goal 'Cut tool changeover downtime' is due 2027-03-08" in [t["title"] for t in week]
    assert [t["due"] for t in week] == sorted(t["due"] for t in week)  # the soonest first
    assert all("2027-03-02" <= t["due"] <= "2027-03-08" for t in week)
    assert report["this_week_total"] == len(week) > 5  # JSON carries them all
    assert not {t["id"] for t in week} & {t["id"] for t in report["todos"]}
    text = " ".join(ok(demo("today")).out.split())
    assert f"This week ({len(week)}) ──" in text
    assert "Tue Mar 2 Send Ostrava the QBR deck [manual]" in text
    assert f"… and {len(week) - 5} more this week: csm today --days 8" in text
    markdown = ok(demo("today", "--format", "md")).out
    assert f"## This week ({len(week)})" in markdown
    assert (
        "- [ ] Thu Mar 4: Prepare the EBR with Kestrel Aerospace Components (due 2027-01-20, 40 days late) "
        "(EBR due, deferred once: Tom on vacation, urgency" in markdown
    )


def test_the_this_week_tail_starts_after_the_days_shown(demo: CsmRunner) -> None:
    ok(demo("todo", "add", "Send Ostrava the QBR deck", "-a", "Ostrava", "--due", "tomorrow"))
    report = ok(demo("today", "--days", "3", "--format", "json")).json()
    assert "Send Ostrava the QBR deck" in [t["title"] for t in report["todos"]]
    assert report["this_week"] and all("2027-03-04" <= t["due"] <= "2027-03-08" for t in report["this_week"])
    assert ok(demo("today", "--days", "8", "--format", "json")).json()["this_week"] == []


# Gaps over what comes due


def test_gaps_show_the_arr_renewing_and_the_renewals_and_ebrs_coming_due_in_90_days(demo: CsmRunner) -> None:
    gaps = {g["feature"]: g for g in ok(demo("gaps", "--all-owners", "--format", "json")).json()}
    czech = gaps["Czech language UI"]
    assert (czech["window_days"], czech["arr_renewing"], czech["arr_renewing_this_quarter"]) == (90, 42000.0, 0.0)
    assert czech["coming_due"] == [
        {"account": "Ostrava Tooling", "event": "ebr", "on": "2027-03-01", "days": 0, "arr": 42000.0},
        {"account": "Ostrava Tooling", "event": "renewal", "on": "2027-04-30", "days": 60, "arr": 42000.0},
    ]
    reports = gaps["Custom report builder"]
    assert reports["arr_renewing"] == 128000.0  # Ardent Biosystems renews 2027-05-20, in 80 days
    assert [(d["account"], d["event"], d["days"]) for d in reports["coming_due"]][:2] == [
        ("Ardent Biosystems", "ebr", 9), ("Quillmark Publishing", "ebr", 14),
    ]  # fmt: skip
    narrow = {g["feature"]: g for g in ok(demo("gaps", "--all-owners", "--days", "30", "--format", "json")).json()}
    assert narrow["Czech language UI"]["arr_renewing"] == 0.0 and narrow["Custom report builder"]["arr_renewing"] == 0
    text = " ".join(ok(demo("gaps", "--all-owners")).out.split())
    assert "Czech language UI 1 $42,000 $42,000 Ostrava Tooling (EBR now, renews in 60d)" in text


# Advocates nearly there


def test_advocates_list_the_near_candidates_with_what_is_missing(demo: CsmRunner) -> None:
    assert all(a["candidate"] for a in ok(demo("advocates", "--all-owners", "--format", "json")).json())
    found = ok(demo("advocates", "--all-owners", "--nearly", "--format", "json")).json()
    candidates = [a["account"] for a in found if a["candidate"]]
    assert candidates == ["Lindqvist Bakeries", "Greenhollow Energy", "Ardent Biosystems", "Glimmerglass Optics"]
    near = {a["account"]: a["missing"] for a in found if not a["candidate"]}
    assert near["Solvang Maritime"] == ["NPS 7 (a promoter is 9+)"]
    assert near["Mirefield Water Authority"] == ["1 goal, none confirmed by the customer"]
    assert near["Kestrel Aerospace Components"] == [
        "NPS 8 (a promoter is 9+)",
        "2 goals, none confirmed by the customer",
    ]
    assert all(1 <= len(missing) <= 2 for missing in near.values())
    assert [len(a["missing"]) for a in found] == sorted(len(a["missing"]) for a in found)  # the fewest missing first
    text = " ".join(ok(demo("advocates", "--all-owners", "--all")).out.split())
    assert "Nearly there (" in text and "Solvang Maritime $205,000 NPS 7 (a promoter is 9+)" in text


def test_an_advocates_references_are_the_people_there_on_the_day(demo: CsmRunner) -> None:
    """A champion leaving on the 5th is still the one to ask on the 1st (a look back never sees a later departure)."""
    ok(demo("contact", "left", "Lindqvist", "Erik Sandberg", "--on", "2027-03-05"))
    contacts = {
        day: ok(demo("advocates", "-a", "Lindqvist", "--as-of", day, "--format", "json")).json()[0]["contacts"]
        for day in ("2027-03-01", "2027-03-04", "2027-03-05")
    }
    assert contacts == {
        "2027-03-01": ["Erik Sandberg", "Karin Lindqvist"],
        "2027-03-04": ["Erik Sandberg", "Karin Lindqvist"],
        "2027-03-05": ["Karin Lindqvist"],
    }


def test_an_accounts_card_lists_the_days_open_to_dos_as_the_todo_list_does(demo: CsmRunner) -> None:
    """Rule to-dos and playbook steps too, not only the ones written down ("Open to-dos: none" beside a full list)."""
    ok(demo("todo", "add", "Send Halvorsen the depot rollout plan", "--account", "Halvorsen", "--due", "2027-03-04"))
    card = ok(demo("account", "show", "Halvorsen", "--format", "json")).json()["open_to_dos"]
    listed = ok(demo("todo", "list", "-a", "Halvorsen", "--format", "json")).json()
    assert [(t["id"], t["due"], t["title"]) for t in card] == [(t["id"], t["due"], t["title"]) for t in listed]
    assert {t["kind"] for t in listed} >= {"playbook", "milestone_due", "manual"}


def test_one_accounts_advocacy_says_what_is_missing(demo: CsmRunner) -> None:
    (ostrava,) = ok(demo("advocates", "-a", "Ostrava", "--nearly", "--format", "json")).json()
    assert ostrava["candidate"] is False
    assert ostrava["missing"] == ["health 69 yellow (green is 70+)", "1 goal, none confirmed by the customer"]


# One date grammar


def test_relative_dates_count_from_the_as_of_day(demo: CsmRunner) -> None:
    assert ok(demo("today", "--as-of", "next friday", "--format", "json")).json()["as_of"] == "2027-03-05"
    assert ok(demo("risk", "--as-of", "yesterday", "--format", "json"))
    assert "Changes since 2027-03-01 (" in ok(demo("changes", "--since", "last week", "--as-of", "2027-03-08")).out
    assert "Changes since 2027-02-22 (" in ok(demo("changes", "--since", "-7d")).out
    ok(demo("todo", "add", "Call the CFO", "-a", "Ostrava", "--due", "in 2 weeks"))
    (added,) = [
        t for t in ok(demo("todo", "list", "-a", "Ostrava", "--format", "json")).json() if t["kind"] == "manual"
    ]
    assert added["due"] == "2027-03-15"
    logged = ok(demo("log", "Ostrava", "--kind", "call", "--summary", "Spoke to Jana", "--date", "3 days ago"))
    assert "on 2027-02-26" in logged.out


def test_a_past_day_for_a_deferral_is_read_then_refused_by_the_rule(demo: CsmRunner) -> None:
    refused = demo("todo", "defer", KESTREL_EBR, "--until", "-3d")
    assert refused.code == 1
    assert refused.err.strip() == "csm: error: --until 2027-02-26 is not after today (2027-03-01); defer to a later day"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("today", "--as-of", "soon"), "--as-of"),
        (("todo", "add", "Call", "--due", "soon"), "--due"),
        (("todo", "defer", KESTREL_EBR, "--until", "soon"), "--until"),
        (("risk", "snooze", "abcde", "--until", "soon"), "--until"),
        (("log", "Ostrava", "--summary", "Hi", "--date", "soon"), "--date"),
        (("log", "Ostrava", "--summary", "Hi", "--next", "Call", "--next-due", "soon"), "--next-due"),
        (("changes", "--since", "soon"), "--since"),
        (("account", "add", "Zed", "--renewal", "soon"), "--renewal"),
        (("account", "edit", "Ostrava", "--contract-start", "soon"), "--contract-start"),
        (("contact", "left", "Ostrava", "Jana", "--on", "soon"), "--on"),
        (("request", "add", "Ostrava", "Dark mode", "--date", "soon"), "--date"),
        (("renew", "Ostrava", "--until", "soon"), "--until"),
        (("churn", "Ostrava", "--reason", "budget", "--on", "soon"), "--on"),
        (("metrics", "--from", "soon"), "--from"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_a_bad_day_is_one_usage_error_naming_the_option(demo: CsmRunner, args: tuple[str, ...], option: str) -> None:
    run = demo(*args)
    assert run.code == 2, run.out + run.err
    assert (
        f"Invalid value for {option}: 'soon' is not a date; use YYYY-MM-DD, today, tomorrow, yesterday, +3d" in run.err
    )
    assert "Traceback" not in run.err


# -a/--account on every list command


@pytest.mark.parametrize(
    "args",
    [
        ("todo", "list"),
        ("risk",),
        ("renewals",),
        ("advocates", "--nearly"),
        ("changes", "--since", "2027-01-01"),
    ],
    ids=" ".join,
)
def test_every_list_command_takes_one_account(demo: CsmRunner, args: tuple[str, ...]) -> None:
    found = ok(demo(*args, "-a", "ostrava", "--format", "json")).json()
    rows = found["renewals"] if isinstance(found, dict) else found
    assert rows and {row["account"] for row in rows} == {"Ostrava Tooling"}
    assert ok(demo(*args, "--account", "Ostrava Tooling", "--format", "json")).json() == found


def test_health_gaps_contacts_and_requests_take_one_account(demo: CsmRunner) -> None:
    assert ok(demo("health", "-a", "Ostrava", "--format", "json")).json()["account"] == "Ostrava Tooling"
    assert [g["feature"] for g in ok(demo("gaps", "-a", "Ostrava", "--format", "json")).json()] == ["Czech language UI"]
    assert "Contacts at Ostrava Tooling" in ok(demo("contact", "list", "-a", "Ostrava")).out
    assert "Czech language UI" in ok(demo("request", "list", "--account", "Ostrava")).out
    both = demo("risk", "Ostrava", "-a", "Halvorsen")
    assert both.code == 2 and "name one account, not 'Ostrava' and 'Halvorsen'" in both.err
    assert ok(demo("risk", "Ostrava", "-a", "ostrava", "--format", "json")).json()


def test_the_recent_tickets_are_mostly_about_a_subject_only_when_it_came_back() -> None:
    from csm.reports.dossier import _subjects_words

    assert _subjects_words([("Login fails", 3), ("Export slow", 2)]) == " (mostly Login fails (3), Export slow (2))"
    assert _subjects_words([("Dashboard filter resets", 1), ("Export slow", 1)]) == (
        " (about Dashboard filter resets, Export slow)"
    )
    assert _subjects_words([]) == ""


def test_the_todo_list_table_shows_a_screenful_and_counts_the_rest(
    demo: CsmRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINES", "23")  # 15 rows fit
    every = ok(demo("todo", "list", "--format", "json")).json()
    assert len(every) > 15
    table = ok(demo("todo", "list")).out
    assert f"To-dos ({len(every)})" in table
    assert f"and {len(every) - 15} more" in table
    assert every[14]["title"][:30] in table and every[15]["title"][:30] not in table
    full = ok(demo("todo", "list", "--all")).out
    assert "more" not in full.split("\n")[-2] and every[-1]["title"][:30] in full


def test_a_to_do_deferred_to_a_later_day_waits_at_the_end_of_the_list_until_then(demo: CsmRunner) -> None:
    first = ok(demo("todo", "list", "--format", "json")).json()
    top = first[0]
    ok(demo("todo", "defer", top["id"], "--until", "2027-03-03", "--reason", "Nina at conference"))
    listed = ok(demo("todo", "list", "--format", "json")).json()
    assert len(listed) == len(first)
    assert listed[0]["id"] == first[1]["id"] and listed[-1]["id"] == top["id"]
    assert listed[-1]["deferred_until"] == "2027-03-03"
    back = ok(demo("todo", "list", "--as-of", "2027-03-03", "--format", "json")).json()
    assert back.index(todo(back, top["id"])) < len(back) - 1  # on its day it is ranked with the rest again
