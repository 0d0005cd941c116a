"""The engine end to end through the CLI, on a small book built with csm's own commands and native CSV imports.

Rule results are stored by rule key: running a report twice never doubles a to-do or a risk, and what the CSM
did (done, deferred, resolved, snoozed) holds on the next run. Only an evaluation of the real today writes.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csm.cli import app
from tests.conftest import TODAY, CsmRunner, Run

TICKETS = ["ticket_id,created_at,account,priority,status,solved_at"]
# Halvorsen: 14 tickets in the last 28 days against 5 in the 28 before (+180%), one urgent still open
for n in range(14):
    opened = date(2027, 2, 2) + timedelta(days=n)
    status, solved = ("open", "") if n == 13 else ("solved", f"{opened + timedelta(days=1)}T12:00:00Z")
    TICKETS.append(f"H{n},{opened}T15:00:00Z,Halvorsen,{'urgent' if n == 13 else 'normal'},{status},{solved}")
for n in range(5):
    opened = date(2027, 1, 5) + timedelta(days=n * 5)
    TICKETS.append(f"HB{n},{opened}T15:00:00Z,Halvorsen,normal,solved,{opened + timedelta(days=1)}T12:00:00Z")
# Greenhollow: a recent, solved ticket (so the book has tickets and Greenhollow is not silent)
TICKETS.append("G1,2027-02-20T15:00:00Z,Greenhollow,low,solved,2027-02-21T12:00:00Z")

FILES = {
    "tickets": "\n".join(TICKETS),
    "surveys": """response_id,account,score,responded_on,survey
s1,Greenhollow,10,2027-02-10,nps
s2,Greenhollow,9,2026-11-10,nps
s3,Marlowe,9,2026-08-19,nps
s4,Marlowe,4,2027-02-09,nps""",
    "usage": """account,measured_on,active_users,licensed_seats,feature_breadth
Greenhollow,2027-01-31,88,100,0.8
Greenhollow,2027-02-28,92,100,0.85
Saltmarsh,2027-01-31,1,60,0.05
Saltmarsh,2027-02-28,2,60,0.08
Juniper,2027-01-31,6,60,0.2""",
    "plans": """account,goal,due,status,customer_confirmed,confirmed_by
Greenhollow,Cut reporting time,2027-01-31,achieved,yes,Ada King (CFO)""",
    "requests": """account,feature,requested_on
Kestrel,SSO with Okta SCIM,2027-01-10
Copperleaf,SSO with Okta SCIM,2027-02-01
Greenhollow,Custom report builder,2027-02-02""",
}

ACCOUNTS: list[tuple[str, ...]] = [
    ("Kestrel", "--arr", "310000", "--renewal", "2027-06-29", "--domain", "kestrel.example"),
    ("Halvorsen", "--arr", "240000", "--renewal", "2027-09-30", "--domain", "halvorsen.example"),
    ("Pinecrest", "--arr", "12000", "--renewal", "2027-02-15"),
    ("Copperleaf", "--arr", "20000", "--renewal", "2027-03-31"),
    ("Marlowe", "--arr", "38000", "--renewal", "2027-11-30"),
    ("Saltmarsh", "--arr", "55000", "--renewal", "2028-01-15", "--contract-start", "2027-01-15"),
    ("Greenhollow", "--arr", "420000", "--renewal", "2027-12-31", "--domain", "greenhollow.example"),
    ("Juniper", "--arr", "30000", "--renewal", "2028-01-10", "--contract-start", "2027-01-10"),
]
CONTACTS: list[tuple[str, ...]] = [
    ("Kestrel", "Ann Lee", "--role", "champion", "--email", "ann@kestrel.example"),
    ("Kestrel", "Bo Chan", "--role", "exec_sponsor", "--email", "bo@kestrel.example"),
    ("Halvorsen", "Cy Dahl", "--role", "champion", "--email", "cy@halvorsen.example"),
    ("Halvorsen", "Di Eng", "--role", "admin", "--email", "di@halvorsen.example"),
    ("Greenhollow", "Ada King", "--role", "exec_sponsor", "--email", "ada@greenhollow.example"),
    ("Greenhollow", "Eli Fox", "--role", "champion", "--email", "eli@greenhollow.example"),
    ("Greenhollow", "Flo Gray", "--role", "admin", "--email", "flo@greenhollow.example"),
]
LOGS: list[tuple[str, ...]] = [
    ("Kestrel", "--kind", "call", "--summary", "weekly check-in", "--date", "2027-02-25", "--with", "ann@kestrel.example"),
    ("Halvorsen", "--kind", "call", "--summary", "EDI outage", "--date", "2027-02-26", "--with", "cy@halvorsen.example"),
    ("Greenhollow", "--kind", "ebr", "--summary", "EBR: reporting time halved", "--date", "2027-02-15",
     "--with", "ada@greenhollow.example", "--with", "eli@greenhollow.example"),
]  # fmt: skip


def build_small_book(folder: Path) -> Path:
    """Build the small book once with the real CLI; return the SQLite file."""
    book = folder / "book.db"
    env = {
        "CSM_DB": str(book),
        "CSM_CONFIG": str(folder / "config.toml"),
        "CSM_AS_OF": TODAY,
        "CSM_TIMEZONE": "America/New_York",
        "NO_COLOR": "1",
    }
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)

    for args in ACCOUNTS:
        run("account", "add", *args)
    for args in CONTACTS:
        run("contact", "add", *args)
    for args in LOGS:
        run("log", *args)
    for kind, text in FILES.items():
        path = folder / f"{kind}.csv"
        path.write_text(text + "\n", encoding="utf-8")
        run("import", kind, str(path), "--source", "csm")
    return book


@pytest.fixture(scope="module")
def small_book_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_book(tmp_path_factory.mktemp("small-book"))


def copy_book(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture
def book(small_book_file: Path, book_path: Path, csm: CsmRunner) -> CsmRunner:
    """The CLI over a private copy of the small book."""
    copy_book(small_book_file, book_path)
    return csm


def ok(run: Run) -> Run:
    assert run.code == 0, run.err
    return run


def risks(csm: CsmRunner, *args: str) -> list[dict[str, Any]]:
    return ok(csm("risk", *args, "--format", "json")).json()  # type: ignore[no-any-return]


def todos(csm: CsmRunner, *args: str) -> list[dict[str, Any]]:
    return ok(csm("todo", "list", *args, "--format", "json")).json()  # type: ignore[no-any-return]


def find(items: list[dict[str, Any]], **wanted: Any) -> list[dict[str, Any]]:
    return [item for item in items if all(item.get(k) == v for k, v in wanted.items())]


def table_counts(book_path: Path) -> tuple[int, ...]:
    with sqlite3.connect(book_path) as db:
        counts = tuple(
            db.execute(sql).fetchone()[0]
            for sql in (
                "SELECT COUNT(*) FROM tasks",
                "SELECT COUNT(*) FROM risks",
                "SELECT COUNT(*) FROM tasks WHERE status = 'open'",
                "SELECT COUNT(*) FROM risks WHERE status = 'open'",
            )
        )
    db.close()
    return counts


# Risks


def test_risk_json_shows_rule_risks_with_evidence(book: CsmRunner) -> None:
    found = risks(book)
    (surge,) = find(found, account="Halvorsen", rule="ticket_volume")  # over the limit and up: one risk
    assert surge["category"] == "support" and surge["severity"] == "high"
    assert surge["evidence"] == "14 new tickets in the last 28 days (limit 10), up from 5 in the 28 days before"
    assert surge["first_response"].startswith("Review the new tickets with support") and surge["escalation"]
    assert not find(found, account="Halvorsen", rule="ticket_spike")
    (critical,) = find(found, account="Halvorsen", rule="critical_ticket_open")
    assert critical["severity"] == "critical"
    assert found[0]["severity"] == "critical"  # most severe first
    (detractor,) = find(found, account="Marlowe", rule="nps_detractor")
    assert "4/10" in detractor["evidence"] and "down from an average of 9.0" in detractor["evidence"]
    assert not find(found, account="Marlowe", rule="nps_falling")  # one answer, one finding
    assert find(found, account="Saltmarsh", rule="onboarding_behind")  # 2 of 60 seats is not first value
    assert not find(found, account="Juniper", category="implementation")  # 6 of 60 seats is
    assert all(r["id"] is not None for r in found)


def test_risk_filters_by_account_category_and_severity(book: CsmRunner) -> None:
    assert {r["account"] for r in risks(book, "Halvorsen")} == {"Halvorsen"}
    assert {r["category"] for r in risks(book, "--category", "sentiment")} == {"sentiment"}
    assert {r["severity"] for r in risks(book, "--min-severity", "high")} <= {"high", "critical"}


def test_running_today_and_risk_twice_does_not_double_todos_or_risks(book: CsmRunner, book_path: Path) -> None:
    ok(book("today", "--format", "json"))
    first_risks, first_todos = risks(book), todos(book)
    counts = table_counts(book_path)
    ok(book("today", "--format", "json"))
    assert sorted(r["id"] for r in risks(book)) == sorted(r["id"] for r in first_risks)
    assert sorted(t["id"] for t in todos(book)) == sorted(t["id"] for t in first_todos)
    assert table_counts(book_path) == counts
    assert len({t["id"] for t in first_todos}) == len(first_todos)


def test_a_done_rule_todo_stays_quiet_on_the_next_run(book: CsmRunner) -> None:
    (outreach,) = find(todos(book), account="Kestrel", kind="renewal_outreach")
    ok(book("todo", "done", str(outreach["id"])))
    assert not find(todos(book), account="Kestrel", kind="renewal_outreach")
    ok(book("today"))
    assert not find(todos(book), account="Kestrel", kind="renewal_outreach")


def test_a_deferred_rule_todo_is_hidden_until_the_date(book: CsmRunner) -> None:
    (overdue,) = find(todos(book), account="Pinecrest", kind="renewal_overdue")
    ok(book("todo", "defer", str(overdue["id"]), "--until", "2027-03-05"))
    today = ok(book("today", "--format", "json")).json()
    assert not find(today["todos"], account="Pinecrest", kind="renewal_overdue")
    later = ok(book("today", "--as-of", "2027-03-05", "--format", "json")).json()
    (back,) = find(later["todos"], account="Pinecrest", kind="renewal_overdue")
    assert back["id"] == overdue["id"]
    assert back["deferrals"] == 1


def test_a_resolved_rule_risk_stays_quiet_while_it_fires(book: CsmRunner) -> None:
    (surge,) = find(risks(book), account="Halvorsen", rule="ticket_volume")
    ok(book("risk", "resolve", str(surge["id"])))
    assert not find(risks(book), rule="ticket_volume")
    ok(book("today"))
    assert not find(risks(book), rule="ticket_volume")
    assert find(risks(book), rule="critical_ticket_open")  # the others still show


def test_a_snoozed_rule_risk_is_hidden_until_the_date(book: CsmRunner) -> None:
    (detractor,) = find(risks(book), account="Marlowe", rule="nps_detractor")
    ok(book("risk", "snooze", str(detractor["id"]), "--until", "2027-03-10"))
    assert not find(risks(book), rule="nps_detractor")
    assert not find(risks(book, "--as-of", "2027-03-09"), rule="nps_detractor")
    (back,) = find(risks(book, "--as-of", "2027-03-10"), account="Marlowe", rule="nps_detractor")
    assert back["id"] == detractor["id"]


def test_as_of_another_day_writes_nothing(book: CsmRunner, book_path: Path) -> None:
    ok(book("today"))
    before = table_counts(book_path)
    for day in ("2027-06-01", "2026-12-01"):
        ok(book("today", "--as-of", day, "--format", "json"))
        ok(book("risk", "--as-of", day, "--format", "json"))
        ok(book("todo", "list", "--as-of", day, "--format", "json"))
        ok(book("renewals", "--as-of", day, "--format", "json"))
    assert table_counts(book_path) == before


def test_on_a_fresh_book_as_of_another_day_still_writes_nothing(book: CsmRunner, book_path: Path) -> None:
    before = table_counts(book_path)
    ok(book("risk", "--as-of", "2027-04-01", "--format", "json"))
    assert table_counts(book_path) == before


# Health


def test_health_json_has_the_interface_keys(book: CsmRunner) -> None:
    shown = ok(book("health", "Greenhollow", "--format", "json")).json()
    assert {"account", "score", "band", "components", "confidence", "trend"} <= set(shown)
    assert shown["account"] == "Greenhollow"
    assert shown["band"] == "green" and 70 <= shown["score"] <= 100
    assert 0 < shown["confidence"] <= 1
    # No snapshot yet: the trend is recomputed from the book as it was 30 days before, and says so.
    assert shown["trend_source"] == "recomputed" and isinstance(shown["trend"], float)
    names = [c["name"] for c in shown["components"]]
    assert names == ["adoption", "sentiment", "support", "engagement", "success_plan", "financial"]
    for component in shown["components"]:
        assert {"name", "score", "weight", "inputs"} <= set(component)
    adoption = shown["components"][0]
    assert adoption["inputs"]["active_users"] == 92 and adoption["inputs"]["licensed_seats"] == 100


def test_health_of_an_account_without_data_is_na(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Blank Slate"))
    shown = ok(csm("health", "Blank Slate", "--format", "json")).json()
    assert (shown["score"], shown["band"], shown["confidence"]) == (None, "n/a", 0)
    assert all(c["score"] is None for c in shown["components"])


def test_a_snapshot_gives_a_trend_28_days_later(book: CsmRunner) -> None:
    assert "Stored" in ok(book("health", "snapshot")).out
    later = ok(book("health", "Halvorsen", "--as-of", "2027-03-29", "--format", "json")).json()
    assert later["trend"] is not None
    now = ok(book("health", "Halvorsen", "--format", "json")).json()
    assert later["trend"] == pytest.approx(later["score"] - now["score"], abs=0.15)


# Renewals, gaps, advocates, changes


def test_renewals_within_120_days_total_by_month_and_quarter(book: CsmRunner) -> None:
    report = ok(book("renewals", "--within", "120", "--format", "json")).json()
    assert [r["account"] for r in report["renewals"]] == ["Pinecrest", "Copperleaf", "Kestrel"]
    assert report["renewals"][0]["days"] == -14  # overdue renewals stay on the list
    assert report["renewals"][2]["days"] == 120
    assert report["by_month"] == [
        {"period": "2027-02", "accounts": 1, "arr": 12000.0, "currency": "USD"},
        {"period": "2027-03", "accounts": 1, "arr": 20000.0, "currency": "USD"},
        {"period": "2027-06", "accounts": 1, "arr": 310000.0, "currency": "USD"},
    ]
    assert report["by_quarter"] == [
        {"period": "2027-Q1", "accounts": 2, "arr": 32000.0, "currency": "USD"},
        {"period": "2027-Q2", "accounts": 1, "arr": 310000.0, "currency": "USD"},
    ]
    assert report["total_arr"] == 342000.0


def test_gaps_rank_features_by_arr_with_arr_renewing_this_quarter(book: CsmRunner) -> None:
    found = ok(book("gaps", "--format", "json")).json()
    assert [g["feature"] for g in found] == ["Custom report builder", "SSO with Okta SCIM"]
    sso = found[1]
    assert sso["accounts"] == ["Copperleaf", "Kestrel"]
    assert sso["arr"] == 330000.0
    assert sso["arr_renewing_this_quarter"] == 20000.0  # Copperleaf renews 2027-03-31


def test_advocates_are_promoters_with_green_health_and_confirmed_goals(book: CsmRunner) -> None:
    found = ok(book("advocates", "--format", "json")).json()
    assert [a["account"] for a in found if a["candidate"]] == ["Greenhollow"]
    assert found[0]["missing"] == []
    assert found[0]["latest_nps"] == 10
    assert set(found[0]["contacts"]) == {"Ada King", "Eli Fox"}


def test_changes_since_shows_new_risks_and_stakeholders_leaving(book: CsmRunner) -> None:
    ok(book("today"))
    ok(book("contact", "left", "Kestrel", "Ann Lee", "--on", "2027-02-20"))
    found = ok(book("changes", "--since", "2027-02-01", "--format", "json")).json()
    areas = {(c["account"], c["area"]) for c in found}
    assert ("Halvorsen", "risk") in areas
    assert ("Kestrel", "stakeholder") in areas
    assert ("Pinecrest", "renewal") in areas  # its renewal date passed
    assert any("champion Ann Lee left" in c["what"] for c in found)


def test_a_champion_leaving_raises_a_todo_and_a_company_risk(book: CsmRunner) -> None:
    ok(book("contact", "left", "Kestrel", "Ann Lee", "--on", "2027-02-20", "--to", "Halcyon Medical"))
    (todo,) = find(todos(book), account="Kestrel", kind="champion_change")
    assert "Ann Lee" in todo["title"] and "Halcyon Medical" in todo["title"]
    (risk,) = find(risks(book), account="Kestrel", rule="champion_left")
    assert risk["category"] == "company" and "no new champion logged" in risk["evidence"]


def test_todo_list_explain_prints_the_urgency_terms(book: CsmRunner) -> None:
    explained = todos(book, "--explain")
    (outreach,) = find(explained, account="Kestrel", kind="renewal_outreach")
    terms = {t["name"]: t for t in outreach["terms"]}
    assert {"due", "stake", "kind"} <= set(terms)
    assert sum(t["value"] for t in terms.values()) == pytest.approx(outreach["urgency"], abs=0.05)
    table = ok(book("todo", "list", "--explain", "--all")).out
    assert "due" in table and "kind" in table and "renewal outreach" in table and "renewal_outreach" not in table


# An empty book


@pytest.mark.parametrize(
    "args",
    [
        ("risk",),
        ("todo", "list"),
        ("health",),
        ("gaps",),
        ("advocates",),
        ("changes", "--since", "2027-01-01"),
    ],
)
def test_an_empty_book_gives_empty_json_lists(csm: CsmRunner, args: tuple[str, ...]) -> None:
    ok(csm("init"))
    assert ok(csm(*args, "--format", "json")).json() == []


def test_an_empty_book_gives_empty_renewals_and_today(csm: CsmRunner) -> None:
    ok(csm("init"))
    renewals = ok(csm("renewals", "--format", "json")).json()
    assert renewals["renewals"] == [] and renewals["by_month"] == [] and renewals["total_arr"] == 0
    today = ok(csm("today", "--format", "json")).json()
    assert today["todos"] == [] and today["risks"] == [] and today["agenda"] == []
