"""Real processes killed with SIGKILL at random moments while they create or migrate a book: every book opens
afterwards, at its old revision with its data or at the new one with the same data, with one backup per revision."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from tests.test_book_safety import old_book, sql, tables_of
from tests.test_faults import environment

SEED = int(os.environ.get("CSM_KILL_SEED", "1105"))


def start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "csm", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def begun(process: subprocess.Popen[bytes], book: Path) -> bool:
    """Whether the process has the book open: it is creating, backing up or migrating it (Linux's /proc)."""
    try:
        links = [os.readlink(entry) for entry in Path(f"/proc/{process.pid}/fd").iterdir()]
    except OSError:
        return False
    return any(link.startswith(str(book)) for link in links)


def window(env: dict[str, str], book: Path, args: tuple[str, ...]) -> float:
    """How long one uninterrupted run works on the book here: it only chooses the moments to kill at."""
    process = start(env, *args)
    reached = None
    while process.poll() is None:
        if reached is None and begun(process, book):
            reached = time.monotonic()
        time.sleep(0.002)
    assert process.returncode == 0
    return time.monotonic() - (reached or time.monotonic())


def kill_while_working(env: dict[str, str], book: Path, args: tuple[str, ...], delay: float) -> bool:
    """Start csm, wait until it works on the book, SIGKILL it `delay` seconds later; False if it had finished."""
    process = start(env, *args)
    while process.poll() is None and not begun(process, book):
        time.sleep(0.001)
    time.sleep(delay)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def in_pairs(trials: list[Callable[[], bool]]) -> int:
    """Run the trials two at a time (each its own book and process); how many killed a running csm."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(pool.map(lambda trial: trial(), trials))


def count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir() and not os.environ.get("CI"), reason="watching a process's files needs /proc"
)


def test_init_killed_at_random_moments_never_leaves_a_stuck_book(tmp_path: Path) -> None:
    moments = random.Random(SEED)
    (tmp_path / "calibration").mkdir()
    span = window(environment(tmp_path, tmp_path / "calibration" / "book.db"), tmp_path / "calibration" / "book.db",
                  ("init",))  # fmt: skip
    books = [tmp_path / f"try{attempt}" / "book.db" for attempt in range(12)]
    for book in books:
        book.parent.mkdir()
    delays = [moments.uniform(0, 1.2) * span for _ in books]
    killed = in_pairs([
        partial(kill_while_working, environment(tmp_path, book), book, ("init",), delay)
        for book, delay in zip(books, delays, strict=True)
    ])  # fmt: skip
    for book, delay in zip(books, delays, strict=True):
        location = locate_book(str(book))
        if book.exists():  # nothing, an empty file, or the whole book: never some of its tables
            revision = current_revision(location)
            assert revision in (None, HEAD_REVISION), (book, delay)
            assert tables_of(book) == [] or revision == HEAD_REVISION, (book, delay, tables_of(book))
        open_book(location).close()  # what `csm init` does
        assert current_revision(location) == HEAD_REVISION
        sql(book, "INSERT INTO accounts (name, name_norm, created_at, updated_at) VALUES ('A', 'a', '2027-01-01', "
                  "'2027-01-01')")  # fmt: skip
    assert killed >= 5, f"only {killed} of {len(books)} runs were caught before they finished"


@pytest.fixture(scope="module")
def large_old_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book at the first revision with 20,000 accounts and 100,000 to-dos: its migration takes a while."""
    book = old_book(tmp_path_factory.mktemp("large") / "book.db", REVISIONS[0], accounts=0)
    connection = sqlite3.connect(book)
    connection.executemany(
        "INSERT INTO accounts (id, name, name_norm, owner, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, '2027-01-01', '2027-01-01')",
        ((n, f"Account {n}", f"account {n}", f"csm{n % 40}@example.com") for n in range(1, 20_001)),
    )
    connection.executemany(
        "INSERT INTO tasks (account_id, kind, title, status, deferrals, created_on) "
        "VALUES (?, 'manual', ?, 'open', 0, '2027-01-01')",
        ((n % 20_000 + 1, f"Call {n} " + "x" * 40) for n in range(100_000)),
    )
    connection.commit()
    connection.close()
    return book


def test_a_migration_killed_at_random_moments_loses_nothing(tmp_path: Path, large_old_book: Path) -> None:
    moments = random.Random(SEED + 1)
    expected = (count(large_old_book, "accounts"), count(large_old_book, "tasks"))
    reading = ("account", "list", "--format", "json")
    (tmp_path / "calibration").mkdir()
    shutil.copyfile(large_old_book, tmp_path / "calibration" / "book.db")
    span = window(environment(tmp_path, tmp_path / "calibration" / "book.db"), tmp_path / "calibration" / "book.db",
                  reading)  # fmt: skip
    books = [tmp_path / f"try{attempt}" / "book.db" for attempt in range(4)]
    for book in books:
        book.parent.mkdir()
        shutil.copyfile(large_old_book, book)
    killed = 0
    for round_ in range(2):  # killed, then killed again while retrying, then left to finish
        delays = [moments.uniform(0, 1.1) * span for _ in books]
        killed += in_pairs([
            partial(kill_while_working, environment(tmp_path, book), book, reading, delay)
            for book, delay in zip(books, delays, strict=True)
        ])  # fmt: skip
        for book, delay in zip(books, delays, strict=True):
            revision = current_revision(locate_book(str(book)))
            assert revision in (REVISIONS[0], HEAD_REVISION), (round_, book, delay)
            if revision == REVISIONS[0]:
                assert "book_state" not in tables_of(book), (round_, book, delay)  # no half-done schema
    for book in books:
        open_book(locate_book(str(book)), create=False).close()
        assert current_revision(locate_book(str(book))) == HEAD_REVISION
        assert (count(book, "accounts"), count(book, "tasks")) == expected, book
        backups = list(book.parent.glob("book.db.*.bak"))
        assert len(backups) <= 1, backups  # one per revision, whatever the retries
        for backup in backups:
            assert (count(backup, "accounts"), count(backup, "tasks")) == expected
        assert [p.name for p in book.parent.iterdir() if p.name.startswith(".")] == []  # no partial copy left
    assert killed >= 3, f"only {killed} of {2 * len(books)} runs were caught before they finished"


def test_a_backup_killed_midway_leaves_nothing_half_written(tmp_path: Path, large_old_book: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    book = folder / "book.db"
    shutil.copyfile(large_old_book, book)
    open_book(locate_book(str(book)), create=False).close()
    env = environment(tmp_path, book)
    copies = tmp_path / "copies"
    copies.mkdir()
    moments = random.Random(SEED + 2)
    for attempt in range(6):
        target = copies / "copy.db"
        process = start(env, "backup", str(target))
        while process.poll() is None and not begun(process, copies):
            time.sleep(0.001)
        time.sleep(moments.uniform(0, 0.02))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
        assert not target.exists() or count(target, "tasks") == count(book, "tasks"), attempt
        target.unlink(missing_ok=True)
    run = subprocess.run([sys.executable, "-m", "csm", "backup", str(copies / "copy.db")], env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in copies.iterdir()) == ["copy.db"]  # the killed runs' partial copies are gone
    assert count(copies / "copy.db", "tasks") == 100_000
