"""The CSM's Monday (issue 13, Verify), end to end: a book built from messy real exports (a UK and a German
Salesforce report, HubSpot contacts, a Zendesk ticket export, calls logged by hand) and the demo book, read on
Monday 2027-03-01 the way a CSM reads them before a pipeline call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import ok
from tests.conftest import REPO, CsmRunner

MESSY = REPO / "tests" / "corpus"
MONDAY = "2027-03-01"
# A Zendesk export (its own headers, Organization names as the CRM spells them, a time zone on each time):
# 14 new tickets for Müller in the last 28 days, 5 in the 28 before, one critical one open.
ZENDESK_HEADER = "Id,Subject,Status,Priority,Requester email,Organization,Created at,Updated at,Solved at,Tags\n"


def zendesk_rows() -> str:
    rows = []
    for n in range(14):
        day = 2 + n * 2  # 2 February to 28 February
        status, priority = ("open", "urgent") if n == 13 else ("solved", "normal")
        solved = "" if status == "open" else f"2027-02-{day + 1:02d} 10:00:00 +0100"
        rows.append(
            f"{5000 + n},Scanner sync fails at depot {n},{status},{priority},lena.hoffmann@mueller-logistik.de,"
            f"Müller Logistik GmbH,2027-02-{day:02d} 09:00:00 +0100,2027-02-{day:02d} 12:00:00 +0100,{solved},sync\n"
        )
    for n in range(5):
        rows.append(
            f"{4000 + n},Login question {n},closed,low,tobias.brandt@mueller-logistik.de,Müller Logistik GmbH,"
            f"2027-01-{5 + n * 4:02d} 09:00:00 +0100,2027-01-{6 + n * 4:02d} 09:00:00 +0100,"
            f"2027-01-{6 + n * 4:02d} 09:00:00 +0100,\n"
        )
    return ZENDESK_HEADER + "".join(rows)


@pytest.fixture
def messy(csm: CsmRunner, tmp_path: Path) -> CsmRunner:
    for kind, name in (
        ("accounts", "salesforce_report_uk.csv"),
        ("accounts", "salesforce_report_de.csv"),
        ("contacts", "hubspot_contacts.csv"),
    ):
        ok(csm("import", kind, str(MESSY / name)))
    tickets = tmp_path / "zendesk-tickets.csv"
    tickets.write_text(zendesk_rows(), encoding="utf-8")
    ok(csm("import", "tickets", str(tickets)))
    return csm


def todos(csm: CsmRunner, *args: str) -> list[dict[str, Any]]:
    return ok(csm("todo", "list", "--format", "json", "--as-of", MONDAY, *args)).json()  # type: ignore[no-any-return]


def risks(csm: CsmRunner) -> list[dict[str, Any]]:
    return ok(csm("risk", "--format", "json", "--as-of", MONDAY)).json()  # type: ignore[no-any-return]


def health(csm: CsmRunner, account: str) -> dict[str, Any]:
    return ok(csm("health", account, "--format", "json", "--as-of", MONDAY)).json()  # type: ignore[no-any-return]


def test_a_fresh_import_raises_nothing_more_than_a_cadence_late(messy: CsmRunner) -> None:
    """Renewals, touches and EBRs counted from dates the book never saw are unknown, not 899 days late."""
    found = todos(messy, "--all")
    late = {t["title"]: t["overdue_days"] for t in found if (t.get("overdue_days") or 0) > 30}
    assert late == {}
    assert not any("EBR" in t["title"] and "late" in t["title"] for t in found)


def test_the_top_five_to_dos_lead_with_the_money(messy: CsmRunner) -> None:
    found = todos(messy)
    top = [(t["account"], t["kind"]) for t in found[:5]]
    # Müller (€120k, renewing 2027-03-15 with a ticket surge and a critical ticket open) leads, its support
    # playbook's steps beside its renewal; then the UK's nearest renewal, Thistle & Rose (£45.5k, 2027-03-15),
    # before Bäckerei Süß (€45.5k, 2027-04-01); Müller's steps handed to support wait below the CSM's own work
    assert top[0] == ("Müller Logistik GmbH", "renewal_reminder")
    assert [account for account, _kind in top[:4]] == ["Müller Logistik GmbH"] * 4
    assert {kind for _account, kind in top[:4]} == {"renewal_reminder", "playbook", "ebr_due"}
    assert top[4] == ("Thistle & Rose Ltd", "renewal_reminder")
    handed = [t for t in found if t["account"] == "Müller Logistik GmbH" and t.get("handed_to")]
    assert handed and all(found.index(t) > 4 for t in handed)
    others = [(t["account"], t["kind"]) for t in found if t["account"] != "Müller Logistik GmbH"]
    assert others[:2] == [("Thistle & Rose Ltd", "renewal_reminder"), ("Bäckerei Süß AG", "renewal_reminder")]
    # no usage imported and no onboarding stage: whether a customer signed a year ago went live is unknown
    assert not any(t["kind"] == "onboarding" for t in todos(messy))
    assert not any(r["rule"] in ("not_activated", "onboarding_behind") for r in risks(messy))


def test_one_ticket_surge_is_one_support_risk_with_all_its_numbers(messy: CsmRunner) -> None:
    support = [r for r in risks(messy) if r["account"] == "Müller Logistik GmbH" and r["category"] == "support"]
    new_tickets = [r for r in support if r["rule"] in ("ticket_volume", "ticket_spike")]
    assert len(new_tickets) == 1
    (surge,) = new_tickets
    assert "14 new tickets in the last 28 days (limit 10), up from 5 in the 28 days before" in surge["evidence"]
    assert [r["rule"] for r in support if r not in new_tickets] == ["critical_ticket_open"]


def test_a_critical_risk_caps_health_and_the_money_is_in_euros(messy: CsmRunner) -> None:
    shown = health(messy, "Müller Logistik GmbH")
    assert shown["score"] <= 69 and shown["band"] != "green"
    if shown["computed"] > 69:
        assert shown["adjustment"].startswith("capped at 69")
    prep = ok(messy("prep", "Müller", "--as-of", MONDAY)).out
    assert "ARR $120k" in prep  # the German report names no currency: dollars, as config and README say
    assert "ARR £46k" in ok(messy("prep", "Thistle", "--as-of", MONDAY)).out


def test_a_logged_call_moves_sentiment(messy: CsmRunner) -> None:
    before = next(c for c in health(messy, "Thistle & Rose Ltd")["components"] if c["name"] == "sentiment")
    assert before["score"] is None  # no survey, no call marked: unknown, not neutral
    ok(messy("log", "Thistle", "--kind", "call", "--summary", "Oliver happy with the rollout", "--sentiment",
             "positive", "--date", MONDAY))  # fmt: skip
    after = next(c for c in health(messy, "Thistle & Rose Ltd")["components"] if c["name"] == "sentiment")
    assert after["score"] == 100 and after["inputs"]["last_call"] == "positive"
    ok(messy("log", "Thistle", "--kind", "call", "--summary", "Budget freeze announced", "--sentiment", "negative",
             "--date", MONDAY))  # fmt: skip
    worse = next(c for c in health(messy, "Thistle & Rose Ltd")["components"] if c["name"] == "sentiment")
    assert worse["score"] <= 20


def test_the_demo_monday_top_five_by_name(demo: CsmRunner) -> None:
    top = [(t["account"], t["kind"]) for t in todos(demo)[:5]]
    assert top == [
        # review the open tickets with support, due today: the run starts the day the account came into the book
        ("Halvorsen Freight", "playbook"),
        ("Halvorsen Freight", "milestone_due"),
        ("Pinecrest Dental Group", "renewal_overdue"),
        ("Cobaltline Logistics", "playbook"),  # review its open tickets with support, due today
        ("Cobaltline Logistics", "playbook"),  # call the detractor (due in two days)
        # Halvorsen's escalation (the support manager takes the tickets over) is handed out: below the CSM's own
    ]


def test_the_demo_monday_one_support_risk_per_surge_and_a_capped_health(demo: CsmRunner) -> None:
    support = [r for r in risks(demo) if r["account"] == "Halvorsen Freight" and r["category"] == "support"]
    assert sorted(r["rule"] for r in support) == ["critical_ticket_open", "ticket_volume"]
    ok(demo("risk", "add", "Greenhollow", "--category", "company", "--severity", "critical", "--evidence",
            "acquired by a competitor's parent"))  # fmt: skip
    assert health(demo, "Greenhollow")["score"] == 69


def test_the_demo_monday_says_whose_accounts_it_shows(demo: CsmRunner) -> None:
    """Maya's day leaves out Daniel Reyes's three accounts, and says so, where the whole book would show 42."""
    assert "39 of your accounts (3 of other owners left out: --all-owners)" in ok(demo("today")).out
    assert "42 accounts ·" in ok(demo("today", "--all-owners")).out
    # a successor is logged at Ferncliff: the champion to-do is to meet them, not to find them
    (ferncliff,) = [t for t in todos(demo) if t["kind"] == "champion_change" and t["account"].startswith("Ferncliff")]
    assert "a new champion is logged: meet them" in ferncliff["title"]


def test_the_id_a_logged_call_names_closes_its_step_whatever_else_the_book_holds(
    demo: CsmRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An account's steps are named by the shortest id unique within that account; `csm todo done` looks the id up
    among all the CSM's to-dos, where that prefix may be taken twice. With one-letter ids every prefix is taken, so
    the id `csm log` names must be longer than the account's own to close the step."""
    import csm.domain.decisions as decisions

    monkeypatch.setattr(decisions, "ID_LENGTH", 1)
    called = ok(demo("log", "Marlowe & Finch Legal", "--kind", "call", "--summary", "Root cause: slow exports")).out
    (step,) = [line.split()[3] for line in called.splitlines() if line.startswith("  csm todo done ")]
    listed = ok(demo("todo", "list", "--account", "Marlowe & Finch Legal")).out
    assert f"  {step[0]}  " in listed  # the account's own list names the step by one letter...
    refused = demo("todo", "done", step[0])
    assert refused.code == 1 and f"'{step[0]}' matches 5 to-dos" in refused.err  # ...taken five times in the book
    assert ok(demo("todo", "done", step)).out.startswith("Done: Call Charlotte Reid at Marlowe & Finch Legal")


def test_a_logged_call_names_the_playbook_steps_it_may_have_done(demo: CsmRunner) -> None:
    """The support playbook asks the CSM to call Marlowe & Finch's champion and log what they heard. Logging that call
    lists the step with the command that closes it (csm cannot tell from a summary that the call was the step); a
    note lists nothing, once the step is done an e-mail lists it no more, and a call on a colleague's account lists
    none of their steps (they are not the CSM's to close)."""
    called = ok(demo("log", "Marlowe & Finch Legal", "--kind", "call", "--summary", "Root cause: slow exports",
                     "--with", "Charlotte Reid")).out  # fmt: skip
    assert called.splitlines() == [
        "Logged a call with Marlowe & Finch Legal on 2027-03-01.",
        "Playbook steps still open for Marlowe & Finch Legal; if this did one, mark it done:",
        "  csm todo done djdktnb   Call Charlotte Reid at Marlowe & Finch Legal, listen for the root cause, and log what "
        "you heard (due 2027-03-03)",
    ]
    noted = ok(demo("log", "Marlowe & Finch Legal", "--summary", "Renewal paperwork is with legal")).out
    assert noted.splitlines() == ["Logged a note with Marlowe & Finch Legal on 2027-03-01."]
    ok(demo("todo", "done", "djdktnb"))  # the list's own id (djdkt) starts it
    again = ok(demo("log", "Marlowe & Finch Legal", "--kind", "email", "--summary", "Sent the notes")).out
    assert again.splitlines() == ["Logged an email with Marlowe & Finch Legal on 2027-03-01."]
    ok(demo("risk", "add", "Corvid Security Labs", "--category", "company", "--severity", "high", "--evidence",
            "Budget frozen"))  # fmt: skip
    theirs = ok(demo("log", "Corvid Security Labs", "--kind", "call", "--summary", "Heard about the freeze")).out
    assert theirs.splitlines() == ["Logged a call with Corvid Security Labs on 2027-03-01."]
