"""Copies of a SQLite book, taken and put back with SQLite's online backup API (safe while csm runs)."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from csm.db import REVISIONS
from csm.db.book import SQLITE_MAGIC, BookLocation, copy_sqlite, sqlite_revision
from csm.errors import BookError, InputError

SERVER_ADVICE = (
    "a server book is backed up with the server's own tools: "
    "pg_dump --format=custom --file=csm.dump 'postgresql://...' and pg_restore --clean --dbname=... csm.dump"
)


def backup_book(location: BookLocation, target: Path, *, overwrite: bool = False) -> Path:
    """Copy the book to `target` (created private, 0600) with the online backup API."""
    if location.path is None:
        raise BookError(SERVER_ADVICE)
    if target.exists() and not overwrite:
        raise InputError(f"{target} already exists; choose another name or pass --force")
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name such as {target / 'book-backup.db'}")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        descriptor = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        os.close(descriptor)
        copy_sqlite(location.path, partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BookError(f"cannot write the backup {target}: {exc}") from exc
    return target


def restore_book(location: BookLocation, source: Path) -> Path:
    """Put a backup back in place of the book, after keeping the current book aside; returns that copy."""
    if location.path is None:
        raise BookError(SERVER_ADVICE)
    revision = backup_revision(source)
    if revision not in REVISIONS:
        raise InputError(f"{source} was written by a newer csm (schema {revision}); upgrade csm to restore it")
    kept = location.path.with_name(f"{location.path.name}.{datetime.now(UTC):%Y%m%dT%H%M%SZ}.before-restore.bak")
    if location.path.exists():
        backup_book(location, kept)
    try:
        copy_sqlite(source, location.path)
    except sqlite3.Error as exc:
        raise BookError(f"cannot restore {source}: {exc}; the book before the restore is at {kept}") from exc
    return kept


def backup_revision(source: Path) -> str:
    """The schema revision of a backup file, refusing anything that is not a csm book."""
    if not source.is_file():
        raise InputError(f"no backup file at {source}")
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise InputError(f"{source} is not a SQLite database, so not a csm backup")
    try:
        revision = sqlite_revision(source)
    except sqlite3.Error as exc:
        raise InputError(f"{source} is not a csm book ({exc})") from exc
    if revision is None:
        raise InputError(f"{source} is not a csm book (no schema revision)")
    return revision
