"""`csm export`: CSV in csm's own format that `csm import` reads back, JSON of every table, and no formulas."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

from tests.cli.demo_book import build_demo_book
from tests.conftest import CsmRunner

KINDS = ("accounts", "contacts", "opportunities", "tickets", "surveys", "usage", "plans", "requests", "interactions")
TABLES = {
    "accounts": "accounts", "contacts": "contacts", "opportunities": "opportunities", "tickets": "tickets",
    "surveys": "survey_responses", "usage": "usage_snapshots", "plans": "goals", "requests": "feature_requests",
    "interactions": "interactions",
}  # fmt: skip


def counts(book: Path) -> dict[str, int]:
    with sqlite3.connect(book) as connection:
        return {
            kind: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for kind, table in TABLES.items()
        }


def test_the_demo_book_round_trips_through_export_and_import(
    csm: CsmRunner, env: dict[str, str], tmp_path: Path
) -> None:
    demo = build_demo_book(tmp_path / "demo")
    exported = tmp_path / "export"
    assert csm("--db", str(demo), "export", str(exported)).code == 0
    copy = tmp_path / "copy" / "book.db"
    assert csm("--db", str(copy), "init").code == 0
    for kind in KINDS:
        run = csm("--db", str(copy), "import", kind, str(exported / f"{kind}.csv"))
        assert run.code == 0, f"{kind}: {run.err}"
    assert counts(copy) == counts(demo)
    again = csm("--db", str(copy), "import", "tickets", str(exported / "tickets.csv"), "--format", "json").json()
    assert (again["new"], again["unchanged"]) == (0, 625)
    with sqlite3.connect(copy) as connection:
        phones = {row[0] for row in connection.execute("SELECT phone FROM contacts WHERE phone LIKE '+%'")}
    assert phones and not any(p.startswith("'") for p in phones)


def test_csv_export_neutralises_spreadsheet_formulas(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("account", "add", '=HYPERLINK("http://evil.example","x")', "--arr", "1000").code == 0
    assert csm("contact", "add", "=HYPER", "@SUM(A1)", "--title", "-2+3").code == 0
    assert csm("export", str(tmp_path / "out")).code == 0
    with (tmp_path / "out" / "accounts.csv").open(newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert names == ['\'=HYPERLINK("http://evil.example","x")']
    with (tmp_path / "out" / "contacts.csv").open(newline="") as handle:
        (contact,) = list(csv.DictReader(handle))
    assert contact["name"] == "'@SUM(A1)" and contact["title"] == "'-2+3"


def test_json_export_writes_every_table(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("account", "add", "Acme Corp", "--arr", "1000").code == 0
    assert csm("todo", "add", "Call Acme", "--account", "Acme Corp").code == 0
    assert csm("export", str(tmp_path / "json"), "--format", "json").code == 0
    accounts = json.loads((tmp_path / "json" / "accounts.json").read_text())
    tasks = json.loads((tmp_path / "json" / "tasks.json").read_text())
    assert [a["name"] for a in accounts] == ["Acme Corp"]
    assert [t["title"] for t in tasks] == ["Call Acme"]
    assert (tmp_path / "json" / "calendar_events.json").exists()


def test_a_json_export_reads_back_into_an_empty_book_table_by_table(
    csm: CsmRunner, tmp_path: Path, book_url: str
) -> None:
    """The whole demo book (to-dos, risks, milestones, calendar, health included) into SQLite or PostgreSQL."""
    from csm.db.book import locate_book
    from csm.db.export import TABLES
    from csm.db.runner import open_runner

    demo = build_demo_book(tmp_path / "demo")
    assert csm("--db", str(demo), "today").code == 0  # the day's evaluation: stored to-dos, risks, health
    exported = tmp_path / "json"
    assert csm("--db", str(demo), "export", str(exported), "--format", "json").code == 0
    run = csm("--db", book_url, "import", "book", str(exported))
    assert run.code == 0, run.err
    source, target = open_runner(locate_book(str(demo))), open_runner(locate_book(book_url))
    try:
        for table in TABLES:
            sql = f"SELECT COUNT(*) AS n FROM {table}"
            assert target.rows(sql)[0]["n"] == source.rows(sql)[0]["n"], table
        titles = "SELECT title FROM tasks ORDER BY id"
        assert [r["title"] for r in target.rows(titles)] == [r["title"] for r in source.rows(titles)]
    finally:
        source.close()
        target.close()
    assert csm("--db", book_url, "account", "add", "After Import Co").code == 0  # ids continue past the import
    again = csm("--db", book_url, "import", "book", str(exported))
    assert again.code == 1 and "empty" in again.err


def test_a_json_export_from_before_arr_history_opens_each_accounts_history(
    csm: CsmRunner, tmp_path: Path, book_url: str
) -> None:
    assert csm("account", "add", "Acme Corp", "--arr", "1000", "--on", "2026-11-02").code == 0
    exported = tmp_path / "json"
    assert csm("export", str(exported), "--format", "json").code == 0
    (exported / "arr_changes.json").unlink()  # as csm wrote it before issue 16
    run = csm("--db", book_url, "import", "book", str(exported))
    assert run.code == 0, run.err
    # the export knew no history: it opens on the day the account entered the book (today), not on --on's day
    report = csm("--db", book_url, "metrics", "--from", "2027-03-01", "--format", "json")
    assert report.code == 0, report.err
    assert (report.json()["cohort"], report.json()["starting_arr"], report.json()["history_starts"]) == (
        1, 1000.0, "2027-03-01",
    )  # fmt: skip
