"""Where the book lives and how it is opened: a private SQLite file by default, any SQLAlchemy URL for a team.

Opening a book checks its schema revision with one query and migrates it (after a backup
of a SQLite file) only when it is behind. The SQLite read path needs nothing but sqlite3.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csm.db import HEAD_REVISION, REVISIONS
from csm.errors import BookError, ForeignFileError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class BookLocation:
    """A book: a SQLite file (`path`) or a server database (`url`)."""

    url: str
    path: Path | None = None
    explicit: bool = False  # named by --db or CSM_DB (a typo must not silently start a new book)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def default_book_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("csm")) / "book.db"


def locate_book(db: str | None = None) -> BookLocation:
    """--db, else CSM_DB, else book.db in the platform's data folder; a path means SQLite, a URL anything."""
    chosen = db or os.environ.get("CSM_DB") or ""
    if "://" in chosen:
        if chosen.startswith("sqlite:"):
            raw = chosen.removeprefix("sqlite:").removeprefix("///")  # sqlite:///relative, sqlite:////absolute
            if raw in ("", "//", ":memory:"):
                raise BookError("an in-memory SQLite book would be lost at exit; give a file path instead")
            return _sqlite_location(Path(raw), explicit=True)
        return BookLocation(url=chosen, explicit=True)
    if chosen:
        return _sqlite_location(Path(chosen).expanduser(), explicit=True)
    return _sqlite_location(default_book_path(), explicit=False)


def _sqlite_location(path: Path, *, explicit: bool) -> BookLocation:
    path = path.absolute()
    return BookLocation(url=f"sqlite:///{path}", path=path, explicit=explicit)


@dataclass
class Book:
    """An open, migrated book. ORM sessions are created lazily so read-only commands stay light."""

    location: BookLocation
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.location)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        A transaction that wrote anything also gives the book a new revision: a random number, so that no
        later state of the book (a restored copy written to again, say) can take an earlier state's
        revision, and a cache keyed on it can never answer for the wrong book.
        """
        import secrets

        from sqlalchemy import text
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            session.connection().info.pop(WROTE, None)  # a pooled connection may carry an old flag
            try:
                yield session
                session.flush()
                if session.connection().info.pop(WROTE, False):
                    session.execute(text("UPDATE book_state SET revision = :new"), {"new": secrets.randbits(31)})
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def open_book(location: BookLocation, *, create: bool = True, create_folder: bool | None = None) -> Book:
    """Open the book, creating (when `create`) and migrating it as needed; every failure is a BookError in words.

    A missing folder is created for the default book; for a book named by --db / CSM_DB only when
    asked (`csm init`, `csm demo`), so that a mistyped path is an error rather than a new, empty book.
    A command that only reads passes create=False: a missing book is then an error, never a new one.
    """
    if location.path is not None:
        folder_ok = create_folder if create_folder is not None else not location.explicit
        prepare_sqlite_file(location.path, create=create, create_folder=folder_ok)
    engine = create_engine(location) if location.path is None else None  # one server connection pool, kept
    revision = current_revision(location, engine)
    if revision != HEAD_REVISION:
        if revision is None and not create:
            raise no_book(location)
        if revision is not None and revision not in REVISIONS:
            raise BookError(
                f"the book {location.describe()} was written by a newer csm (schema {revision}); "
                "upgrade csm to use it. The book was not changed."
            )
        from csm.db.migrate import upgrade

        if location.path is not None:
            from csm.db.upgrade import make_ready_for_upgrade

            make_ready_for_upgrade(location.path, revision)
        upgrade(location)
    return Book(location, _engine=engine)


def no_book(location: BookLocation) -> BookError:
    return BookError(f"no book at {location.describe()}; `csm init` creates one")


BOOK_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def prepare_sqlite_file(path: Path, *, create: bool, create_folder: bool = True) -> None:
    """Make sure the file is a SQLite book we may write, creating it (and its folder) private."""
    if path.is_symlink() and not path.exists():
        raise BookError(
            f"the book {path} is a symbolic link to {os.readlink(path)}, which does not exist; "
            "fix the link, or point --db / CSM_DB at the book itself"
        )
    if path.exists():
        if path.is_dir():
            raise BookError(f"{path} is a folder, not a book file")
        if not path.is_file():
            raise BookError(f"{path} is not a regular file (a device or a pipe?), so not a book; it was left untouched")
        if path.stat().st_size == 0 and path.suffix.lower() not in BOOK_SUFFIXES:
            raise BookError(f"{path} is an empty file that is not a book (.db); it was left untouched")
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # SQLite must write beside the book (its WAL files) even to read it
            raise BookError(
                f"the book {path} is read-only: its file, folder or disk cannot be written, and csm needs to. "
                "Check the permissions, or copy the file somewhere writable and point --db at the copy"
            )
        try:
            with path.open("rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise BookError(f"cannot read the book {path}: {exc.strerror}") from exc
        if head and head != SQLITE_MAGIC:
            raise ForeignFileError(f"{path} is not a SQLite database (not a csm book); it was left untouched")
        return
    if not create:
        raise no_book(_sqlite_location(path, explicit=True))
    folder = path.parent
    if not folder.exists() and not create_folder:
        raise BookError(
            f"there is no folder {folder} for the book {path.name}; check the path, or create the book "
            "there with 'csm init'"
        )
    try:
        if not folder.exists():
            from csm.files import private_folder

            private_folder(folder)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(descriptor)
    except OSError as exc:
        raise BookError(f"cannot create the book {path}: {exc.strerror}") from exc


def current_revision(location: BookLocation, engine: Engine | None = None) -> str | None:
    """The schema revision stamped in the book, or None for an empty one; one query, no Alembic."""
    if location.path is not None:
        try:
            revision = sqlite_revision(location.path)
            if revision is None:
                refuse_foreign_sqlite(location.path)
            return revision
        except sqlite3.OperationalError as exc:
            raise BookError(f"cannot read the book {location.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            explained = explain_database_error(exc)
            if explained:
                raise BookError(f"{location.path}: {explained}") from exc
            raise BookError(f"{location.path} is not a SQLite database ({exc}); it was left untouched") from exc
    from sqlalchemy import text
    from sqlalchemy.exc import ProgrammingError, SQLAlchemyError

    server_engine = engine or create_engine(location)
    try:
        with server_engine.connect() as server:
            try:
                value = server.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except ProgrammingError:  # no such table: a database csm has not set up yet
                return None
            return str(value) if value else None
    except SQLAlchemyError as exc:
        explained = explain_database_error(exc)
        raise BookError(
            f"cannot open the book {location.describe()}: {explained or f'{exc.__class__.__name__}: {exc}'}"
        ) from exc
    finally:
        if engine is None:
            server_engine.dispose()


def sqlite_revision(path: Path) -> str | None:
    """The revision stamped in a SQLite file, read-only; None when it has no schema yet (sqlite3 errors pass)."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    finally:
        connection.close()
    return str(row[0]) if row else None


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy with SQLite's online backup API (safe while another csm writes)."""
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def sqlite_tables(path: Path) -> list[str]:
    """The tables of a SQLite file (SQLite's own left out), read-only."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name"
        ).fetchall()
    finally:
        connection.close()
    return [str(row[0]) for row in rows]


def refuse_foreign_sqlite(path: Path) -> None:
    """A SQLite file with tables but no csm revision is another program's database: never take it over.

    The one exception is a book an older csm began to create and was interrupted in (its own tables,
    all empty): `csm init` finishes that one.
    """
    tables = sqlite_tables(path)
    if not tables:
        return
    from csm.db.upgrade import is_unfinished_book

    if is_unfinished_book(path, tables):
        return
    shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
    raise ForeignFileError(
        f"{path} is a SQLite database of another program, not a csm book (its tables: {shown}); "
        "it was left untouched. Point --db at your book, or at a new file for a new one"
    )


WROTE = "csm_wrote"  # a connection.info flag: this transaction changed data


def create_engine(location: BookLocation) -> Engine:
    from sqlalchemy import create_engine as sa_create_engine
    from sqlalchemy import event

    if location.path is None:
        try:
            engine = sa_create_engine(location.url, pool_pre_ping=True)
        except Exception as exc:  # unknown dialect, missing driver
            raise BookError(f"cannot use the database URL {location.describe()}: {exc}") from exc
    else:
        engine = sa_create_engine(sqlite_url(location.path), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            configure_sqlite(dbapi_connection)

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            connection.info[WROTE] = True

    @event.listens_for(engine, "rollback")
    def _forget_writes(connection: Any) -> None:
        connection.info.pop(WROTE, None)

    return engine


def sqlite_url(path: Path) -> Any:
    """The SQLAlchemy URL of a SQLite file, built rather than parsed: a '?' or '#' in the path is part of the
    file's name, not a query string (which would open another file)."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path))


CACHE_SIZE = -65_536  # KiB: at most 64 MB, taken only as pages are read


def configure_sqlite(connection: Any, *, foreign_keys: bool = True) -> None:
    """WAL for concurrent readers, enforced foreign keys, a wait instead of 'database is locked', and a page cache
    large enough for a big import's index updates (SQLite's 2 MB default makes 100,000 inserts half as fast)."""
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA cache_size = {CACHE_SIZE}")
    cursor.close()


DATABASE_FAILURES = (
    ("database or disk is full", "the disk holding the book is full; the last change was rolled back, nothing "
     "half-written. Free some space and run the command again"),
    ("readonly", "the book cannot be written: its file or folder is read-only. Check the permissions"),
    ("read-only", "the book cannot be written: its file or folder is read-only. Check the permissions"),
    ("unable to open database file", "the book cannot be opened: its folder is missing or unreadable"),
    ("disk image is malformed", "the book is damaged. Restore your last copy with 'csm restore FILE' "
     "(the damaged file is left as it is)"),
    ("database is locked", "the book is busy: another csm has been writing to it for a while. Try again"),
    ("could not connect", "the database server cannot be reached"),
    ("connection refused", "the database server cannot be reached"),
)  # fmt: skip


def explain_database_error(exc: BaseException) -> str | None:
    """A database failure (from sqlite3, SQLAlchemy or psycopg) in words a CSM can act on, or None."""
    if not any(kind in type(exc).__name__ for kind in ("OperationalError", "DatabaseError", "InterfaceError")):
        return None
    text = str(exc).lower()
    for clue, meaning in DATABASE_FAILURES:
        if clue in text:
            return f"{meaning} ({str(exc).splitlines()[0][:200]})"
    return None
