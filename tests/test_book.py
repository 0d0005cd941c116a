"""The book: created private, opened with WAL and foreign keys, migrated with a backup, refused when foreign."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import script_revisions, upgrade
from csm.errors import BookError
from tests.conftest import CsmRunner


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_use_creates_a_private_book_in_a_private_folder(csm: CsmRunner, tmp_path: Path) -> None:
    book = tmp_path / "new" / "folder" / "book.db"
    run = csm("--db", str(book), "init")
    assert run.code == 0, run.err
    assert "Created a new book" in run.out
    assert stat.S_IMODE(book.stat().st_mode) == 0o600
    assert stat.S_IMODE(book.parent.stat().st_mode) == 0o700
    assert current_revision(locate_book(str(book))) == HEAD_REVISION


def test_a_mistyped_book_folder_is_an_error_not_a_new_empty_book(csm: CsmRunner, tmp_path: Path) -> None:
    run = csm("--db", str(tmp_path / "typo" / "book.db"), "today")
    assert run.code == 1
    assert f"no book at {tmp_path / 'typo' / 'book.db'}; `csm init` creates one" in run.err
    assert not (tmp_path / "typo").exists()
    added = csm("--db", str(tmp_path / "typo" / "book.db"), "account", "add", "Acme Corp")
    assert added.code == 1 and "no folder" in added.err and "csm init" in added.err
    assert not (tmp_path / "typo").exists()


def test_an_empty_file_that_is_not_a_book_is_left_alone(csm: CsmRunner, tmp_path: Path) -> None:
    empty = tmp_path / "export.csv"
    empty.write_bytes(b"")
    run = csm("--db", str(empty), "today")
    assert run.code == 1
    assert empty.read_bytes() == b""


def test_init_twice_changes_nothing(csm: CsmRunner) -> None:
    assert csm("init").code == 0
    again = csm("init")
    assert again.code == 0
    assert "up to date" in again.out


def test_sqlite_book_runs_in_wal_mode_with_foreign_keys(book_path: Path) -> None:
    book = open_book(locate_book(str(book_path)))
    with book.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    book.close()


def test_revision_list_matches_the_migration_scripts() -> None:
    assert list(REVISIONS) == script_revisions()


def test_book_at_the_first_revision_is_backed_up_then_upgraded_keeping_its_data(book_path: Path) -> None:
    location = locate_book(str(book_path))
    book_path.parent.mkdir(parents=True, exist_ok=True)
    upgrade(location, REVISIONS[0])
    with sqlite3.connect(book_path) as connection:
        connection.execute(
            "INSERT INTO accounts (name, name_norm, created_at, updated_at) "
            "VALUES ('Acme Corp', 'acme', '2027-01-01 00:00:00', '2027-01-01 00:00:00')"
        )
    assert current_revision(location) == REVISIONS[0]

    open_book(location).close()

    assert current_revision(location) == HEAD_REVISION
    with sqlite3.connect(book_path) as connection:
        assert connection.execute("SELECT name FROM accounts").fetchall() == [("Acme Corp",)]
        assert connection.execute("SELECT count(*) FROM contact_changes").fetchone() == (0,)
    backups = list(book_path.parent.glob("book.db.*.0001_initial.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (REVISIONS[0],)


def test_opening_a_current_book_does_not_import_alembic_or_sqlalchemy(csm: CsmRunner, book_path: Path) -> None:
    assert csm("init").code == 0
    probe = (
        "import sys; from csm.db.book import locate_book, open_book; "
        f"open_book(locate_book({str(book_path)!r})); "
        "print(sorted(m for m in ('alembic', 'sqlalchemy', 'sqlmodel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_book_from_a_newer_csm_is_refused_and_left_untouched(csm: CsmRunner, book_path: Path) -> None:
    assert csm("init").code == 0
    with sqlite3.connect(book_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    before = digest(book_path)
    run = csm("account", "list")
    assert run.code == 1
    assert "newer csm" in run.err and "0099_from_the_future" in run.err
    assert "Traceback" not in run.err
    assert digest(book_path) == before


def test_a_file_that_is_not_sqlite_is_refused_and_never_overwritten(csm: CsmRunner, book_path: Path) -> None:
    book_path.parent.mkdir(parents=True, exist_ok=True)
    book_path.write_text("name,arr\nAcme,100\n")
    run = csm("init")
    assert run.code == 1
    assert "not a SQLite database" in run.err
    assert book_path.read_text() == "name,arr\nAcme,100\n"


def test_a_book_in_a_folder_that_cannot_be_created_gets_a_clear_error(tmp_path: Path, csm: CsmRunner) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    run = csm("--db", str(blocker / "book.db"), "init")
    assert run.code == 1
    assert "cannot create the book" in run.err


def test_in_memory_sqlite_url_is_refused() -> None:
    with pytest.raises(BookError, match="in-memory"):
        locate_book("sqlite:///:memory:")


def test_sqlite_urls_and_paths_name_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "x.db"
    assert locate_book(f"sqlite:///{target}").path == target
    assert locate_book(str(target)).path == target
    assert not locate_book("postgresql+psycopg://u:secret@localhost/csm").is_sqlite
    assert "secret" not in locate_book("postgresql+psycopg://u:secret@localhost/csm").describe()


def test_a_damaged_book_gets_a_clear_message_and_is_left_alone(csm: CsmRunner, book_path: Path) -> None:
    assert csm("account", "add", "Acme Corp").code == 0
    data = bytearray(book_path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # keep SQLite's header page, ruin everything after it
    book_path.write_bytes(bytes(data))
    before = digest(book_path)
    run = csm("account", "list")
    assert run.code == 1
    assert "damaged" in run.err and "csm restore" in run.err
    assert "Traceback" not in run.err
    assert digest(book_path) == before


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("database or disk is full", "disk holding the book is full"),
        ("attempt to write a readonly database", "read-only"),
        ("unable to open database file", "folder is missing or unreadable"),
    ],
)
def test_database_failures_are_explained(message: str, words: str) -> None:
    from csm.db.book import explain_database_error

    explained = explain_database_error(sqlite3.OperationalError(message))
    assert explained is not None and words in explained
    assert explain_database_error(ValueError(message)) is None
