"""Large imports: indexes set aside and built again, rows linked and dates read once per distinct value."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from csm.db.book import Book
from csm.importers.values import _SPACES, clean
from tests.importers.conftest import run_import

TICKET_INDEXES = {"ix_tickets_account_created", "ix_tickets_created_account", "ix_tickets_solved_at"}
ROWS = 6_000  # more than one batch of inserts: the size at which indexes are set aside


def _accounts(tmp_path: Path, book: Book) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,account_id,domains\nAcme,A1,acme.example\nGlobex,A2,globex.example\n")
    assert run_import(book, "accounts", accounts).new == 2


def _tickets(tmp_path: Path, rows: int, last: str | None = None) -> Path:
    tickets = tmp_path / "tickets.csv"
    lines = ["Id,Subject,Status,Priority,Requester email,Created at,Solved at"]
    for i in range(rows):
        domain = "globex.example" if i % 5 == 0 else "acme.example"
        lines.append(f"{i},Login {i},solved,normal,user{i % 7}@{domain},2026-{1 + i % 12:02d}-{1 + i % 28:02d} "
                     f"09:{i % 60:02d} Pacific Time (US & Canada),2026-{1 + i % 12:02d}-{1 + i % 28:02d}T18:00:00Z")  # fmt: skip
    if last is not None:
        lines.append(last)
    tickets.write_text("\n".join(lines) + "\n")
    return tickets


def _stored(book: Book) -> tuple[set[str], list[tuple[object, ...]], str]:
    with sqlite3.connect(book.location.path) as connection:
        indexes = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets' AND sql IS NOT NULL")}  # fmt: skip
        counts = connection.execute(
            "SELECT a.name, COUNT(*), MAX(t.created_at), MAX(t.solved_at) FROM tickets t "
            "JOIN accounts a ON a.id = t.account_id WHERE t.created_at >= '2026-12-28' GROUP BY a.name ORDER BY a.name"
        ).fetchall()
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
    return indexes, counts, check


def test_a_large_import_into_a_new_table_keeps_every_index_and_every_row(tmp_path: Path, csv_book: Book) -> None:
    _accounts(tmp_path, csv_book)
    report = run_import(csv_book, "tickets", _tickets(tmp_path, ROWS))
    assert (report.new, report.problems) == (ROWS, [])
    indexes, counts, check = _stored(csv_book)
    assert indexes == TICKET_INDEXES
    # Zendesk's "Pacific Time (US & Canada)" read in that zone (PST, UTC-8), one account per e-mail domain
    # i % 12 == 11 and i % 28 == 27: 2026-12-28 09:MM Pacific (17:MM UTC), every 84th row, a fifth of them Globex's
    latest = [i for i in range(ROWS) if i % 84 == 83]
    assert counts == [
        (name, len(rows), f"2026-12-28 17:{max(i % 60 for i in rows):02d}:00.000000", "2026-12-28 18:00:00.000000")
        for name, rows in (("Acme", [i for i in latest if i % 5]), ("Globex", [i for i in latest if not i % 5]))
    ]
    assert check == "ok"
    again = run_import(csv_book, "tickets", _tickets(tmp_path, ROWS))
    assert (again.new, again.unchanged, again.updated) == (0, ROWS, 0)


def test_a_large_import_refused_for_its_last_row_writes_nothing_and_keeps_the_indexes(
    tmp_path: Path, csv_book: Book
) -> None:
    _accounts(tmp_path, csv_book)
    bad = f"{ROWS},Late,solved,normal,x@acme.example,31/31/2026 09:00,"
    report = run_import(csv_book, "tickets", _tickets(tmp_path, ROWS, last=bad))
    assert [(p.line, p.column) for p in report.problems] == [(ROWS + 2, "Created at")]
    indexes, counts, check = _stored(csv_book)
    assert (indexes, counts, check) == (TICKET_INDEXES, [], "ok")


def test_rows_of_one_unknown_domain_are_each_refused_with_their_own_line(tmp_path: Path, csv_book: Book) -> None:
    _accounts(tmp_path, csv_book)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Id,Subject,Requester email,Created at\n1,A,ann@initech.example,2027-01-04\n2,B,bob@acme.example,2027-01-04\n"
        "3,C,cy@initech.example,2027-01-05\n"
    )
    report = run_import(csv_book, "tickets", tickets, skip_invalid=True)
    assert report.new == 1
    assert [(p.line, p.reason) for p in report.problems] == [
        (line, "links to no account: no account has the domain initech.example (import the accounts first?)")
        for line in (2, 4)
    ]


def test_clean_trims_exactly_what_python_calls_whitespace() -> None:
    assert set(_SPACES) == {chr(code) for code in range(0x110000) if chr(code).isspace()}
    assert [clean(text) for text in ("\u3000Acme\u00a0", "\u200bAcme", "Acme", " ", "'=SUM(A1)")] == [
        "Acme", "Acme", "Acme", None, "=SUM(A1)",
    ]  # fmt: skip


def _twice_at_once(env: dict[str, str], kind: str, path: str) -> list[tuple[int, int]]:
    """Two `csm import KIND PATH` processes started together; each must succeed: their (new, unchanged) counts."""
    command = [sys.executable, "-m", "csm", "import", kind, path, "--format", "json"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    done = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in done]
    return sorted((json.loads(out)["new"], json.loads(out)["unchanged"]) for out, _err in done)


def test_two_imports_of_one_file_at_once_take_turns(tmp_path: Path, book_url: str) -> None:
    """Both succeed on either backend: the second waits for the first, then finds every row it wrote unchanged
    (before, both found the rows missing and the second failed on the unique key, printing the rows' data)."""
    env = {**os.environ, "CSM_DB": book_url, "CSM_CONFIG": str(tmp_path / "config.toml"),
           "CSM_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,account_id,domains\nAcme,A1,acme.example\nGlobex,A2,globex.example\n")
    imported = subprocess.run([sys.executable, "-m", "csm", "import", "accounts", str(accounts)], env=env,
                              capture_output=True, text=True)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    tickets = _tickets(tmp_path, 20_000)
    reports = _twice_at_once(env, "tickets", str(tickets))
    assert reports == [(0, 20_000), (20_000, 0)]


def test_an_import_that_passes_from_one_by_one_lookups_to_the_index_reads_every_row_alike(
    tmp_path: Path, csv_book: Book
) -> None:
    """The first ONE_BY_ONE rows are looked up by themselves, the rest in the index loaded then: a re-export
    where every tenth ticket changed status, on both sides of that line, updates those and only those."""
    _accounts(tmp_path, csv_book)
    assert run_import(csv_book, "tickets", _tickets(tmp_path, 3_000)).new == 3_000
    changed = tmp_path / "tickets.csv"
    lines = changed.read_text().splitlines()
    lines[1:] = [line.replace(",solved,", ",open,", 1) if i % 10 == 0 else line for i, line in enumerate(lines[1:])]
    changed.write_text("\n".join(lines) + "\n")
    again = run_import(csv_book, "tickets", changed)
    assert (again.new, again.updated, again.unchanged) == (0, 300, 2_700)
    with sqlite3.connect(csv_book.location.path) as connection:
        opened = [int(i) for (i,) in connection.execute("SELECT external_id FROM tickets WHERE status = 'open'")]
    assert sorted(opened) == list(range(0, 3_000, 10))
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:3]) + "\n")  # a morning's few rows: looked up one by one, none changed
    assert (run_import(csv_book, "tickets", small).unchanged, run_import(csv_book, "tickets", small).new) == (2, 0)


def test_two_imports_of_one_calendar_at_once_take_turns(tmp_path: Path, book_url: str) -> None:
    """Both succeed and the book holds one calendar of the file's meetings: the second waits for the first, then
    finds every meeting it stored (before, both found no calendar of that name and both made one)."""
    env = {**os.environ, "CSM_DB": book_url, "CSM_CONFIG": str(tmp_path / "config.toml"),
           "CSM_CACHE_DIR": str(tmp_path / "cache"), "CSM_TIMEZONE": "UTC"}  # fmt: skip
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:meeting-{n}@example.com\r\nDTSTAMP:20270101T000000Z\r\n"
        f"DTSTART:2027{1 + n % 12:02d}{1 + n % 28:02d}T{8 + n % 9:02d}0000Z\r\nDURATION:PT30M\r\n"
        f"SUMMARY:Meeting {n}\r\nEND:VEVENT\r\n"
        for n in range(3_000)
    )
    work = tmp_path / "work.ics"
    work.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    made = subprocess.run([sys.executable, "-m", "csm", "init"], env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr  # the book made (and migrated) before the two imports
    reports = _twice_at_once(env, "calendar", str(work))
    assert reports == [(0, 3_000), (3_000, 0)]
    from csm.db.book import locate_book
    from csm.db.runner import open_runner

    runner = open_runner(locate_book(book_url))
    try:
        stored = runner.tuples("SELECT (SELECT COUNT(*) FROM calendars), (SELECT COUNT(*) FROM calendar_events)")
    finally:
        runner.close()
    assert [tuple(int(v) for v in row) for row in stored] == [(1, 3_000)]
