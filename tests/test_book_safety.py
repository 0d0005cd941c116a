"""A book is never created by accident, never taken over, and never left half-migrated."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade
from csm.errors import BookError
from tests.conftest import POSTGRES, CsmRunner, server_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(path: Path, *statements: str) -> None:
    """Run statements on a SQLite file and close it (a closed connection leaves no WAL behind)."""
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def old_book(path: Path, revision: str = REVISIONS[0], *, accounts: int = 3) -> Path:
    """A book at an older revision with a few accounts in it, made the way that csm made it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    upgrade(locate_book(str(path)), revision)
    sql(path, *(f"INSERT INTO accounts (name, name_norm, created_at, updated_at) "
                f"VALUES ('Account {n}', 'account {n}', '2027-01-01', '2027-01-01')" for n in range(accounts)))  # fmt: skip
    return path


def tables_of(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows if not row[0].startswith("sqlite_")]


def account_names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM accounts ORDER BY id")]
    finally:
        connection.close()


READING_COMMANDS = [
    ("today",),
    ("risk",),
    ("health",),
    ("renewals",),
    ("gaps",),
    ("account", "list"),
    ("account", "show", "Acme"),
    ("todo", "list"),
    ("contact", "list"),
    ("prep", "Acme"),
    ("ebr", "Acme"),
    ("backup", "copy.db"),
    ("export", "out"),
    ("todo", "done", "1"),
    ("log", "Acme", "--summary", "hello"),
]


@pytest.mark.parametrize("args", READING_COMMANDS, ids=lambda args: " ".join(args))
def test_a_command_that_only_reads_never_creates_a_book(
    csm: CsmRunner, book_path: Path, tmp_path: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = csm(*args)
    assert run.code == 1, run.out
    assert run.err.strip() == f"csm: error: no book at {book_path}; `csm init` creates one"
    assert not book_path.exists()
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "out").exists()


def test_the_default_book_is_not_created_by_a_report_either(
    csm: CsmRunner, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CSM_DB")
    del env["CSM_DB"]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    from csm.db.book import default_book_path

    run = csm("today")
    assert run.code == 1 and f"no book at {default_book_path()}; `csm init` creates one" in run.err
    assert not (tmp_path / "xdg").exists()
    assert csm("init").code == 0
    assert stat.S_IMODE(default_book_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(default_book_path().parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "args",
    [("init",), ("account", "add", "Acme Corp"), ("import", "accounts", "accounts.csv")],
    ids=lambda args: " ".join(args),
)
def test_a_command_that_adds_data_creates_a_private_book(
    csm: CsmRunner, book_path: Path, tmp_path: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.csv").write_text("name\nAcme Corp\n")
    run = csm(*args)
    assert run.code == 0, run.err
    assert current_revision(locate_book(str(book_path))) == HEAD_REVISION
    assert stat.S_IMODE(book_path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "args",
    [
        ("import", "accounts", "accounts.csv"),
        ("import", "tickets", "accounts.csv"),
        ("account", "add", "Acme Corp", "--renewal", "2027-02-30"),
        ("source", "add", "accounts", "accounts.csv", "--name", "my accounts"),
    ],
    ids=lambda args: " ".join(args),
)
def test_a_refused_first_write_leaves_no_book_behind(
    csm: CsmRunner, book_path: Path, tmp_path: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first import with a bad row makes no empty book that the next command would then find and read."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.csv").write_text("name,arr\nAcme Corp,abc\n")
    run = csm(*args)
    assert run.code in (1, 2), run.out
    assert "Traceback" not in run.err
    assert sorted(p.name for p in book_path.parent.iterdir() if p.name.startswith(book_path.name)) == []
    assert csm("today").err.strip() == f"csm: error: no book at {book_path}; `csm init` creates one"
    (tmp_path / "accounts.csv").write_text("name,arr\nAcme Corp,1200\n")
    assert csm("import", "accounts", "accounts.csv").code == 0
    assert csm("account", "show", "Acme Corp", "--format", "json").json()["arr"] == 1200


def test_restore_into_a_missing_book_creates_it_private(csm: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    assert csm("account", "add", "Acme Corp").code == 0
    assert csm("backup", str(tmp_path / "copy.db")).code == 0
    for leftover in book_path.parent.iterdir():
        leftover.unlink()
    run = csm("restore", str(tmp_path / "copy.db"))
    assert run.code == 0, run.err
    assert "before the restore" not in run.out
    assert account_names(book_path) == ["Acme Corp"]
    assert stat.S_IMODE(book_path.stat().st_mode) == 0o600


@pytest.mark.skipif(not POSTGRES and not os.environ.get("CI"), reason="no PostgreSQL server")
def test_an_empty_server_database_is_not_made_a_book_by_a_report(csm: CsmRunner) -> None:
    import psycopg

    for url in server_database():
        run = csm("--db", url, "today")
        assert run.code == 1 and "no book at" in run.err and "`csm init` creates one" in run.err
        assert "@" not in run.err.split("no book at")[1].split(";")[0] or "postgres@" in run.err  # no password
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
            tables = connection.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
            assert tables.fetchone() == (0,)
        assert csm("--db", url, "init").code == 0
        assert csm("--db", url, "today", "--format", "json").code == 0


def another_programs_database(path: Path) -> Path:
    sql(path, "CREATE TABLE songs (title TEXT)", "INSERT INTO songs VALUES ('Blue in Green')")
    return path


@pytest.mark.parametrize(
    "args",
    [("init",), ("today",), ("account", "add", "Acme"), ("import", "accounts", "accounts.csv"), ("backup", "x.db")],
    ids=lambda args: " ".join(args),
)
def test_another_programs_sqlite_file_is_refused_untouched(
    csm: CsmRunner, tmp_path: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.csv").write_text("name\nAcme Corp\n")
    music = another_programs_database(tmp_path / "music.db")
    before = digest(music)
    run = csm("--db", str(music), *args)
    assert run.code == 1
    assert "another program" in run.err and "songs" in run.err and "left untouched" in run.err
    assert digest(music) == before
    assert tables_of(music) == ["songs"]
    assert not Path(f"{music}-wal").exists()
    connection = sqlite3.connect(music)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    connection.close()


def test_restore_refuses_to_overwrite_another_programs_database(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("account", "add", "Acme Corp").code == 0
    assert csm("backup", str(tmp_path / "copy.db")).code == 0
    music = another_programs_database(tmp_path / "music.db")
    before = digest(music)
    run = csm("--db", str(music), "restore", str(tmp_path / "copy.db"))
    assert run.code == 1 and "another program" in run.err
    assert digest(music) == before


def test_a_dangling_book_link_is_named_as_such(csm: CsmRunner, tmp_path: Path) -> None:
    link = tmp_path / "book.db"
    link.symlink_to(tmp_path / "moved" / "book.db")
    for args in (("today",), ("init",), ("account", "add", "Acme")):
        run = csm("--db", str(link), *args)
        assert run.code == 1
        assert "symbolic link" in run.err and "does not exist" in run.err and str(tmp_path / "moved") in run.err
        assert "File exists" not in run.err
    assert not (tmp_path / "moved").exists()


def test_a_failed_migration_leaves_the_book_at_its_old_revision_in_one_line(csm: CsmRunner, tmp_path: Path) -> None:
    """0003 creates book_state, then evaluations; a view already named evaluations makes the second step
    fail. In one transaction the first step is undone too, so the book is exactly as it was."""
    book = old_book(tmp_path / "old" / "book.db", REVISIONS[1])
    sql(book, "CREATE VIEW evaluations AS SELECT 1 AS x")
    tables = tables_of(book)
    for _attempt in range(3):
        run = csm("--db", str(book), "account", "list")
        assert run.code == 1
        assert len(run.err.strip().splitlines()) == 1, run.err
        assert "cannot migrate the book" in run.err and "evaluations already exists" in run.err
        assert "the book was not changed" in run.err and "CREATE" not in run.err
        assert current_revision(locate_book(str(book))) == REVISIONS[1]
        assert tables_of(book) == tables  # no book_state: the first step was rolled back
    backups = sorted(p.name for p in book.parent.glob("book.db.*.bak"))
    assert len(backups) == 1 and backups[0].endswith(f".{REVISIONS[1]}.bak"), backups  # one per revision
    assert not list(book.parent.glob(".*partial"))


def half_migrate_the_old_way(book: Path) -> None:
    """What an older csm did: pysqlite committed each CREATE TABLE of 0002 on its own, and it was killed
    before the revision was stamped."""
    sql(
        book,
        "CREATE TABLE contact_changes (id INTEGER NOT NULL, contact_id INTEGER NOT NULL, field VARCHAR NOT NULL, "
        "old_value VARCHAR, new_value VARCHAR, changed_on DATE NOT NULL, source VARCHAR, PRIMARY KEY (id), "
        "FOREIGN KEY(contact_id) REFERENCES contacts (id) ON DELETE CASCADE)",
    )


def test_a_book_an_older_csm_left_half_migrated_is_recovered_from_its_backup(csm: CsmRunner, tmp_path: Path) -> None:
    book = old_book(tmp_path / "old" / "book.db", REVISIONS[0])
    good = book.with_name("book.db.20260101T090000Z.0001_initial.bak")
    shutil.copyfile(book, good)
    half_migrate_the_old_way(book)
    # every retry of the older csm copied the broken book again
    shutil.copyfile(book, book.with_name("book.db.20260101T090500Z.0001_initial.bak"))
    shutil.copyfile(book, book.with_name("book.db.20260101T091000Z.0001_initial.bak"))

    run = csm("--db", str(book), "account", "list", "--format", "json")

    assert run.code == 0, run.err
    assert "half-migrated" in run.err and good.name in run.err
    assert [a["name"] for a in run.json()] == ["Account 0", "Account 1", "Account 2"]
    assert current_revision(locate_book(str(book))) == HEAD_REVISION
    kept = list(book.parent.glob("book.db.*.half-migrated"))
    assert len(kept) == 1 and "contact_changes" in tables_of(kept[0])
    assert len(list(book.parent.glob("book.db.*.0001_initial.bak"))) == 1  # one backup for the revision
    again = csm("--db", str(book), "account", "list")
    assert again.code == 0 and "half-migrated" not in again.err


def test_a_half_migrated_book_without_a_sound_backup_is_refused_in_words(csm: CsmRunner, tmp_path: Path) -> None:
    book = old_book(tmp_path / "old" / "book.db", REVISIONS[0])
    half_migrate_the_old_way(book)
    before = digest(book)
    run = csm("--db", str(book), "today")
    assert run.code == 1
    assert "half-migrated" in run.err and "csm restore" in run.err and "Traceback" not in run.err
    assert digest(book) == before


def test_a_book_an_older_csm_began_to_create_is_finished_by_init(csm: CsmRunner, tmp_path: Path) -> None:
    book = tmp_path / "new" / "book.db"
    book.parent.mkdir()
    sql(  # what a kill left: the revision table and a few empty tables
        book,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name VARCHAR)",
        "CREATE TABLE calendars (id INTEGER PRIMARY KEY)",
    )
    today = csm("--db", str(book), "today")
    assert today.code == 1 and "no book at" in today.err
    run = csm("--db", str(book), "init")
    assert run.code == 0, run.err
    assert current_revision(locate_book(str(book))) == HEAD_REVISION
    assert csm("--db", str(book), "account", "add", "Acme Corp").code == 0


def test_an_unstamped_book_with_rows_is_not_mistaken_for_an_unfinished_one(tmp_path: Path) -> None:
    book = tmp_path / "book.db"
    sql(
        book,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name VARCHAR)",
        "INSERT INTO accounts (name) VALUES ('Acme Corp')",
    )
    before = digest(book)
    with pytest.raises(BookError, match="another program"):
        open_book(locate_book(str(book)))
    assert digest(book) == before


def test_a_question_mark_or_hash_in_the_book_path_is_part_of_its_name(csm: CsmRunner, tmp_path: Path) -> None:
    """SQLAlchemy would read '?...' as a query string and open (and create) another file."""
    folder = tmp_path / "we?ird#folder"
    folder.mkdir()
    book = folder / "my book?.db"
    assert csm("--db", str(book), "init").code == 0
    assert csm("--db", str(book), "account", "add", "Acme Corp").code == 0
    assert account_names(book) == ["Acme Corp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "we?ird#folder"]  # nothing at tmp/we
    assert stat.S_IMODE(book.stat().st_mode) == 0o600
