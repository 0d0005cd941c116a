"""Real processes against one book: concurrent writers lose nothing, and a killed import leaves no trace."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def environment(tmp_path: Path, book: Path | str) -> dict[str, str]:
    return {
        **os.environ,
        "CSM_DB": str(book),
        "CSM_CONFIG": str(tmp_path / "config.toml"),
        "CSM_CACHE_DIR": str(tmp_path / "cache"),
        "CSM_AS_OF": "2027-03-01",
        "CSM_TIMEZONE": "America/New_York",
    }


def csm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csm", *args], env=env, capture_output=True, text=True)


def count(book: str, sql: str) -> int:
    from csm.db.book import locate_book
    from csm.db.runner import open_runner

    runner = open_runner(locate_book(book))
    try:
        return int(runner.rows(sql)[0]["n"])
    finally:
        runner.close()


def test_processes_importing_logging_and_reading_at_once_lose_nothing(tmp_path: Path, book_url: str) -> None:
    """Both backends (`book_url`: a SQLite file, or a fresh PostgreSQL database)."""
    env = environment(tmp_path, book_url)
    assert csm(env, "account", "add", "Acme Corp", "--arr", "50000", "--renewal", "2027-05-01").returncode == 0
    script = (
        "import subprocess, sys\n"
        "for n in range(12):\n"
        "    done = subprocess.run([sys.executable, '-m', 'csm', *sys.argv[1:], f'call {n}'],"
        " capture_output=True, text=True)\n"
        "    if done.returncode:\n"
        "        print(done.stderr, file=sys.stderr); sys.exit(1)\n"
    )
    for n in range(12):  # one small accounts export per run of the importing process
        (tmp_path / f"call {n}").write_text(f"name,account_id\nImported {n},I-{n}\n")
    writers = [
        subprocess.Popen([sys.executable, "-c", script, "log", "Acme Corp", "--kind", "call", "--summary"], env=env,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen([sys.executable, "-c", script, "import", "accounts"], env=env, cwd=tmp_path,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen([sys.executable, "-c", script, "todo", "add", "--account", "Acme Corp"], env=env,
                         stderr=subprocess.PIPE, text=True),
    ]  # fmt: skip
    readers = [csm(env, "today", "--format", "json") for _ in range(4)]  # the engine writes its results too
    errors = [writer.communicate(timeout=300)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0], errors
    assert all(reader.returncode == 0 for reader in readers), [r.stderr for r in readers]
    assert not any("locked" in text for text in errors)
    assert count(book_url, "SELECT COUNT(*) AS n FROM interactions") == 12
    assert count(book_url, "SELECT COUNT(*) AS n FROM accounts") == 13
    assert count(book_url, "SELECT COUNT(*) AS n FROM tasks WHERE kind = 'manual'") == 12


def one_account_and_many_tickets(tmp_path: Path, env: dict[str, str], *, count: int, subject: str) -> Path:
    """Acme Corp in the book, and a tickets export for it of `count` rows, written but not imported."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,account_id\nAcme Corp,A-1\n")
    assert csm(env, "import", "accounts", str(accounts)).returncode == 0
    tickets = tmp_path / "tickets.csv"
    with tickets.open("w") as handle:
        handle.write("ticket_id,account_id,subject,status,priority,created_at\n")
        for n in range(count):
            handle.write(f"T-{n},A-1,{subject} {n},open,normal,2027-01-{n % 28 + 1:02d}T10:00:00Z\n")
    return tickets


def test_an_import_killed_midway_leaves_the_book_as_it_was(tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    env = environment(tmp_path, book)
    tickets = one_account_and_many_tickets(tmp_path, env, count=60_000, subject="Ticket")
    before = book.read_bytes()
    importer = subprocess.Popen(
        [sys.executable, "-m", "csm", "import", "tickets", str(tickets)], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wal = Path(f"{book}-wal")
    while importer.poll() is None and (not wal.exists() or wal.stat().st_size < 1024**2):
        time.sleep(0.001)  # until the import's transaction has written a megabyte: well inside it
    if importer.poll() is not None:
        pytest.skip("the import finished before it could be killed on this machine")
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    with sqlite3.connect(book) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (stored,) = connection.execute("SELECT COUNT(*) FROM tickets").fetchone()
        assert stored in (0, 60_000)  # all or nothing
        if stored:
            pytest.skip("the import had committed just before the kill on this machine")
        assert connection.execute("SELECT name FROM accounts").fetchall() == [("Acme Corp",)]
    assert len(book.read_bytes()) >= len(before) // 2  # the file is still the book, not truncated
    finished = csm(env, "import", "tickets", str(tickets), "--format", "json")
    assert finished.returncode == 0, finished.stderr
    with sqlite3.connect(book) as connection:
        assert connection.execute("SELECT COUNT(*) FROM tickets").fetchone() == (60_000,)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB filesystem of its own (tmpfs), for a full disk and a read-only one; needs root (CI runs as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI could not mount a tmpfs for the disk tests: {done.stderr!r}")
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_gets_a_clear_message_and_loses_nothing(tmp_path: Path, small_disk: Path) -> None:
    book = small_disk / "book.db"
    env = environment(tmp_path, book)
    tickets = one_account_and_many_tickets(tmp_path, env, count=30_000, subject="A long subject line " * 4)
    run = csm(env, "import", "tickets", str(tickets))
    assert run.returncode == 1
    assert "disk holding the book is full" in run.stderr and "Traceback" not in run.stderr
    with sqlite3.connect(book) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT COUNT(*) FROM tickets").fetchone() == (0,)
        assert connection.execute("SELECT name FROM accounts").fetchall() == [("Acme Corp",)]


def test_a_read_only_book_gets_a_clear_message(tmp_path: Path, small_disk: Path) -> None:
    book = small_disk / "book.db"
    env = environment(tmp_path, book)
    assert csm(env, "account", "add", "Acme Corp").returncode == 0
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True)
    assert remount.returncode == 0, remount.stderr
    run = csm(env, "account", "add", "Globex")
    assert run.returncode == 1
    assert "is read-only" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
