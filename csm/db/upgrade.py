"""Getting a SQLite book ready for a migration without losing it: its schema checked against its revision,
one backup per revision, and a book an older csm left half-migrated recovered from its backup.

Only the migration path comes here; opening a current book costs one query (csm.db.book).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from csm.db import REVISIONS
from csm.db.book import copy_sqlite, sqlite_revision
from csm.errors import BookError

BACKUP_SUFFIX = ".bak"


def sqlite_schema(path: Path) -> frozenset[str]:
    """Every table with its columns, and every index, of a SQLite file (read-only), as comparable lines."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        items = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ).fetchall()
        lines = set()
        for kind, name in items:
            if kind == "table":
                columns = sorted(row[1] for row in connection.execute(f'PRAGMA table_info("{name}")'))
                lines.add(f"table {name}: {', '.join(columns)}")
            else:
                lines.add(f"index {name}")
        return frozenset(lines)
    finally:
        connection.close()


def is_unfinished_book(path: Path, tables: list[str]) -> bool:
    """A book an older csm began to create and was stopped in: an empty revision table, only csm's own
    tables (or Alembic's temporary ones), and not one row in any of them."""
    from csm.db.migrate import revision_schemas

    if "alembic_version" not in tables:
        return False
    known = {line.split(":")[0].removeprefix("table ") for lines in revision_schemas().values() for line in lines}
    known.add("alembic_version")
    if any(name not in known and not name.startswith("_alembic_tmp_") for name in tables):
        return False
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return not any(connection.execute(f'SELECT EXISTS (SELECT 1 FROM "{name}")').fetchone()[0] for name in tables)
    finally:
        connection.close()


def make_ready_for_upgrade(path: Path, revision: str | None) -> None:
    """Before migrating a book at `revision`: recover it if an older csm left it half-migrated, then back it up."""
    if revision is None:
        return  # a new (or unfinished new) book holds nothing to keep
    if later_parts(path, revision):
        revision = recover_from_backup(path, revision)
    backup_before_migration(path, revision)


def later_parts(path: Path, revision: str) -> set[str]:
    """What a book stamped `revision` holds of a later revision's schema (or of Alembic's half-done table
    rebuilds): the marks of a migration that an older csm committed statement by statement and never finished."""
    from csm.db.migrate import revision_schemas

    schemas = revision_schemas()
    later = set().union(*(schemas[name] for name in REVISIONS[REVISIONS.index(revision) + 1 :]))
    found = sqlite_schema(path)
    return set((found & later) - schemas[revision]) | {line for line in found if line.startswith("table _alembic_tmp_")}


def backups_of(path: Path) -> list[tuple[str, Path]]:
    """The copies kept beside the book (`book.db.STAMP.WHAT.bak`), newest first, with their stamps."""
    from csm.files import glob_escape

    found = []
    for candidate in path.parent.glob(f"{glob_escape(path.name)}.*{BACKUP_SUFFIX}"):
        parts = candidate.name[len(path.name) + 1 :].split(".")
        if len(parts) >= 3 and candidate.is_file() and not candidate.is_symlink():
            found.append((parts[0], candidate))
    return sorted(found, reverse=True)


def backup_before_migration(path: Path, revision: str) -> Path:
    """Copy the book aside with SQLite's online backup before its schema changes.

    One backup per revision: a retry replaces the earlier copy (the book did not change in between,
    as a migration is all or nothing) instead of adding another full-size file.
    """
    from csm.files import create_private, remove_abandoned_staging, staged_file

    remove_abandoned_staging(path.parent, f"{path.name}.")  # copies begun by a csm killed while backing up
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{stamp}.{revision}{BACKUP_SUFFIX}")
    if not target.exists():
        try:
            with staged_file(target, overwrite=False) as staged:
                os.close(create_private(staged))
                copy_sqlite(path, staged)
        except (OSError, sqlite3.Error) as exc:
            raise BookError(f"cannot back up {path} before migrating it ({exc}); the book was not changed") from exc
    for older_stamp, older in backups_of(path):
        if older_stamp < stamp and older.name.endswith(f".{revision}{BACKUP_SUFFIX}"):
            older.unlink(missing_ok=True)
    return target


def recover_from_backup(path: Path, revision: str) -> str:
    """Put back the newest sound backup of a book that an older csm left half-migrated; returns its revision.

    Sound means it holds nothing of a revision later than its own (an older csm also copied the broken
    book on every retry: those copies are passed over). The half-migrated file is kept aside, never deleted.
    """
    order = {name: index for index, name in enumerate(REVISIONS)}
    for _stamp, candidate in backups_of(path):
        try:
            kept = sqlite_revision(candidate)
            if kept is None or kept not in order or order[kept] > order[revision] or later_parts(candidate, kept):
                continue
        except sqlite3.Error:
            continue
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = path.with_name(f"{path.name}.{stamp}.half-migrated")
        try:
            keep_aside(path, aside)
            copy_sqlite(candidate, path)  # one transaction on the book: it is the backup, or as it was
        except (OSError, sqlite3.Error) as exc:
            raise BookError(f"cannot recover the half-migrated book {path} from {candidate}: {exc}") from exc
        sys.stderr.write(
            f"csm: the book {path} had been left half-migrated by an earlier csm (schema {revision} with parts "
            f"of a later one); it was recovered from its backup {candidate.name} and will now be migrated. "
            f"The half-migrated file is kept at {aside}.\n"
        )
        return kept
    raise BookError(
        f"the book {path} was left half-migrated by an earlier csm (schema {revision} with parts of a later one) "
        "and no sound backup of it is beside it; restore your last copy with 'csm restore FILE'. "
        "The book was not changed"
    )


def keep_aside(path: Path, aside: Path) -> None:
    from csm.files import create_private

    os.close(create_private(aside))
    copy_sqlite(path, aside)
