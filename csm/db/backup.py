"""Copies of a SQLite book, taken and put back with SQLite's online backup API (safe while csm runs)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from csm.db import REVISIONS
from csm.db.book import (
    SQLITE_MAGIC,
    BookLocation,
    copy_sqlite,
    current_revision,
    prepare_sqlite_file,
    sqlite_revision,
)
from csm.errors import BookError, ForeignFileError, InputError
from csm.files import create_private, staged_file

SERVER_ADVICE = (
    "a server book is backed up with the server's own tools: "
    "pg_dump --format=custom --file=csm.dump 'postgresql://...' and pg_restore --clean --dbname=... csm.dump"
)


def backup_book(location: BookLocation, target: Path, *, overwrite: bool = False) -> Path:
    """Copy the book to `target` with the online backup API: built aside, private (0600), then renamed in.

    The book itself (and its WAL files) is refused as a target even with --force.
    """
    if location.path is None:
        raise BookError(SERVER_ADVICE)
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name such as {target / 'book-backup.db'}")
    if is_the_book(target, location.path):
        raise InputError(f"{target} is the book itself; give the backup another name")
    try:
        with staged_file(target, overwrite=overwrite) as staged:
            os.close(create_private(staged))
            copy_sqlite(location.path, staged)
    except (OSError, sqlite3.Error) as exc:
        raise BookError(f"cannot write the backup {target}: {exc}") from exc
    return target


def refuse_book_files(path: Path, location: BookLocation) -> None:
    """A document is never written over the book, its WAL files, a backup or any other SQLite database."""
    if location.path is not None and is_the_book(path, location.path):
        raise InputError(f"{path} is the book itself; csm never writes a document over it. Choose another name")
    if not path.is_file():
        return  # nothing there, or nothing a SQLite file (a folder or a pipe is refused by the writer)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return
    if head == SQLITE_MAGIC:
        raise InputError(
            f"{path} is a SQLite database (a book or a backup); csm never writes a document over one. "
            "Choose another name"
        )


def is_the_book(path: Path, book: Path) -> bool:
    """Whether `path` names the book or one of the files SQLite keeps beside it (-wal, -shm, -journal)."""
    candidates = [book, *(book.with_name(book.name + end) for end in ("-wal", "-shm", "-journal"))]
    resolved = path.resolve()
    for candidate in candidates:
        if resolved == candidate.resolve():
            return True
        try:
            if path.exists() and candidate.exists() and os.path.samefile(path, candidate):
                return True
        except OSError:
            continue
    return False


def restore_book(location: BookLocation, source: Path) -> Path | None:
    """Put a backup back in place of the book, after keeping the current book aside; returns that copy
    (None when there was no book yet). Another program's database at the book's path is refused."""
    if location.path is None:
        raise BookError(SERVER_ADVICE)
    revision = backup_revision(source)
    if revision not in REVISIONS:
        raise InputError(f"{source} was written by a newer csm (schema {revision}); upgrade csm to restore it")
    if is_the_book(source, location.path):
        raise InputError(f"{source} is the book itself; give the backup file to restore")
    kept = location.path.with_name(f"{location.path.name}.{datetime.now(UTC):%Y%m%dT%H%M%SZ}.before-restore.bak")
    existed = location.path.exists()
    prepare_sqlite_file(location.path, create=True, create_folder=not location.explicit)
    if existed:
        keep_current_book(location, kept)
    try:
        copy_sqlite(source, location.path)
    except sqlite3.Error as exc:
        where = f"; the book before the restore is at {kept}" if existed else ""
        raise BookError(f"cannot restore {source}: {exc}{where}") from exc
    return kept if existed else None


def keep_current_book(location: BookLocation, kept: Path) -> None:
    """The book as it is, copied aside before a restore; a damaged one (the backup API cannot read it)
    is kept byte for byte, since damage is what a restore is for."""
    assert location.path is not None
    try:
        current_revision(location)
    except ForeignFileError:
        raise
    except BookError:
        pass  # damaged: kept as bytes below
    else:
        backup_book(location, kept)
        return
    with (
        staged_file(kept, overwrite=False) as staged,
        open(create_private(staged), "wb") as copy,
        location.path.open("rb") as original,
    ):
        shutil.copyfileobj(original, copy)


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
