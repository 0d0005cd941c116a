"""`csm backup` and `csm restore`: a copy taken with SQLite's online backup API, put back without loss."""

from __future__ import annotations

import re
import sqlite3
import stat
from pathlib import Path

import pytest

from csm.db.backup import backup_book
from csm.db.book import BookLocation
from csm.errors import BookError
from tests.conftest import CsmRunner


def names(csm: CsmRunner) -> list[str]:
    return [row["name"] for row in csm("account", "list", "--format", "json").json()]


def test_backup_then_restore_brings_the_book_back(csm: CsmRunner, tmp_path: Path) -> None:
    for name in ("Acme Corp", "Globex"):
        assert csm("account", "add", name, "--arr", "1000").code == 0
    copy = tmp_path / "backup.db"
    run = csm("backup", str(copy))
    assert run.code == 0, run.err
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert csm("account", "add", "Initech").code == 0
    assert csm("contact", "add", "Acme Corp", "Jane Roe").code == 0

    restored = csm("restore", str(copy))
    assert restored.code == 0, restored.err
    assert names(csm) == ["Acme Corp", "Globex"]
    kept = re.search(r"the book before the restore is at (\S+)\.$", restored.out.strip())
    assert kept is not None
    with sqlite3.connect(kept.group(1)) as connection:
        assert connection.execute("SELECT COUNT(*) FROM accounts").fetchone() == (3,)


def test_backup_does_not_overwrite_without_force(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("init").code == 0
    copy = tmp_path / "backup.db"
    copy.write_text("precious")
    run = csm("backup", str(copy))
    assert run.code == 1 and "already exists" in run.err
    assert copy.read_text() == "precious"
    assert csm("backup", str(copy), "--force").code == 0


def test_restore_refuses_what_is_not_a_csm_book(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("account", "add", "Acme Corp").code == 0
    text = tmp_path / "notes.txt"
    text.write_text("not a book")
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    for bad, reason in (
        (text, "not a SQLite database"),
        (plain, "not a csm book"),
        (tmp_path / "nope.db", "no backup"),
    ):
        run = csm("restore", str(bad))
        assert run.code == 1 and reason in run.err, run.err
    assert names(csm) == ["Acme Corp"]


def test_a_backup_from_a_newer_csm_is_refused(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("init").code == 0
    copy = tmp_path / "backup.db"
    assert csm("backup", str(copy)).code == 0
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_future'")
    run = csm("restore", str(copy))
    assert run.code == 1 and "newer csm" in run.err


def test_a_server_book_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="pg_dump"):
        backup_book(BookLocation(url="postgresql+psycopg://csm@localhost/csm"), tmp_path / "x.db")
