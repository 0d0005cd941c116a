"""One set of portable SQL, two thin runners: stdlib sqlite3 for a SQLite book, SQLAlchemy text() for a server.

The report path (`csm today`, `prep`, ...) goes through a Runner so that a SQLite book never
imports SQLAlchemy. Parameters are named (:as_of); dates are computed in Python and passed in.
Results are plain dicts; `as_date` / `as_datetime` read a value the way either backend returns it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from csm.db import HEAD_REVISION
from csm.db.book import BUSY_TIMEOUT_MS, CACHE_SIZE, BookLocation, open_book
from csm.errors import BookError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

Row = dict[str, Any]
Params = Mapping[str, Any]


class Runner(Protocol):
    dialect: str

    def rows(self, sql: str, params: Params | None = None) -> list[Row]: ...

    def tuples(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]: ...

    def columns(self, sql: str) -> list[str]: ...

    def execute(self, sql: str, params: Params | None = None) -> int: ...

    def execute_many(self, sql: str, params: Sequence[Params]) -> None: ...

    def transaction(self) -> Any: ...

    def scratch(self) -> Any: ...

    @property
    def in_transaction(self) -> bool: ...

    def close(self) -> None: ...


def _sqlite_value(value: Any) -> Any:
    """sqlite3 stores what SQLAlchemy wrote: ISO dates, and UTC date-times as 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


class SqliteRunner:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        try:
            self.connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise BookError(f"cannot open the book {path}: {exc}") from exc
        self.connection.row_factory = sqlite3.Row
        self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.execute(f"PRAGMA cache_size = {CACHE_SIZE}")
        self._depth = 0

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        values = {k: _sqlite_value(v) for k, v in (params or {}).items()}
        return [dict(row) for row in self.connection.execute(sql, values)]

    def tuples(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: the judge reads whole books, and a dict per row costs more than the query."""
        cursor = self.connection.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, {k: _sqlite_value(v) for k, v in (params or {}).items()}).fetchall()

    def columns(self, sql: str) -> list[str]:
        """The column names a query returns (even when it returns no row)."""
        return [item[0] for item in self.connection.execute(f"SELECT * FROM ({sql}) LIMIT 0").description]

    def execute(self, sql: str, params: Params | None = None) -> int:
        values = {k: _sqlite_value(v) for k, v in (params or {}).items()}
        return self.connection.execute(sql, values).rowcount

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        self.connection.executemany(sql, [{k: _sqlite_value(v) for k, v in p.items()} for p in params])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction taken up front (BEGIN IMMEDIATE), so a busy book waits instead of failing midway;
        inside another transaction it simply joins it."""
        if self.connection.in_transaction:
            yield
            return
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        return self.connection.in_transaction

    @contextmanager
    def scratch(self) -> Iterator[None]:
        """Writes that are always undone (recurring meetings expanded for a report's days)."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            self.connection.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()


class ServerTransactions:
    """Transactions on a server connection (SQLAlchemy's or psycopg's): both begin one implicitly on the
    first statement, so writes outside `transaction()` commit at once and reads simply end theirs."""

    connection: Any
    _in_transaction: bool = False

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction

    def _commit_unless_in_transaction(self) -> None:
        if not self._in_transaction:
            self.connection.commit()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self.connection.rollback()  # end the read transaction begun implicitly
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.connection.rollback()
            raise
        finally:
            self._in_transaction = False
        self.connection.commit()

    @contextmanager
    def scratch(self) -> Iterator[None]:
        """Writes that are always undone (recurring meetings expanded for a report's days)."""
        self.connection.rollback()
        self._in_transaction = True
        try:
            yield
        finally:
            self._in_transaction = False
            self.connection.rollback()


class ConnectionRunner(ServerTransactions):
    """Portable SQL over a SQLAlchemy connection: a server database, or an ORM session's own connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self._in_transaction = False

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        from sqlalchemy import text

        return [dict(row) for row in self.connection.execute(text(sql), dict(params or {})).mappings()]

    def tuples(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        from sqlalchemy import text

        return [tuple(row) for row in self.connection.execute(text(sql), dict(params or {}))]

    def columns(self, sql: str) -> list[str]:
        from sqlalchemy import text

        return list(self.connection.execute(text(f"SELECT * FROM ({sql}) AS q LIMIT 0")).keys())

    def execute(self, sql: str, params: Params | None = None) -> int:
        from sqlalchemy import text

        count = self.connection.execute(text(sql), dict(params or {})).rowcount
        self._commit_unless_in_transaction()
        return int(count)

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        from sqlalchemy import text

        if params:
            self.connection.execute(text(sql), [dict(p) for p in params])
        self._commit_unless_in_transaction()

    def close(self) -> None:
        self.connection.close()


class ServerRunner(ConnectionRunner):
    def __init__(self, engine: Engine) -> None:
        super().__init__(engine.connect())
        self.engine = engine

    def close(self) -> None:
        super().close()
        self.engine.dispose()


class PsycopgRunner(ServerTransactions):
    """Portable SQL straight through psycopg for a PostgreSQL book: `csm today` on a team book pays for
    neither SQLAlchemy nor its dialect (the ORM and migrations still use them)."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.rows import dict_row

        try:
            self.connection = psycopg.connect(libpq_url(url), row_factory=dict_row)
        except psycopg.Error as exc:
            raise BookError(f"cannot open the book {url.split('@')[-1]}: {exc}") from exc
        self._in_transaction = False

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        return list(self.connection.execute(pyformat(sql), dict(params or {})).fetchall())

    def tuples(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        from psycopg.rows import tuple_row

        with self.connection.cursor(row_factory=tuple_row) as cursor:
            found: list[tuple[Any, ...]] = cursor.execute(pyformat(sql), dict(params or {})).fetchall()
            return found

    def columns(self, sql: str) -> list[str]:
        description = self.connection.execute(pyformat(f"SELECT * FROM ({sql}) AS q LIMIT 0")).description
        return [column.name for column in description or ()]

    def execute(self, sql: str, params: Params | None = None) -> int:
        count = self.connection.execute(pyformat(sql), dict(params or {})).rowcount
        self._commit_unless_in_transaction()
        return int(count)

    def execute_many(self, sql: str, params: Sequence[Params]) -> None:
        if params:
            with self.connection.cursor() as cursor:
                cursor.executemany(pyformat(sql), [dict(p) for p in params])
        self._commit_unless_in_transaction()

    def close(self) -> None:
        self.connection.close()


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def pyformat(sql: str) -> str:
    """`:name` (the portable style) → `%(name)s` (psycopg's); a literal % is doubled first."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def libpq_url(url: str) -> str:
    """postgresql+psycopg://... (SQLAlchemy's spelling) → postgresql://... (libpq's)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def open_runner(location: BookLocation, *, create: bool = False) -> Runner:
    """Open (migrating if needed) the book and return the light runner for reports; a missing book is an
    error unless `create` (a report never makes a book by accident)."""
    if location.path is not None:
        open_book(location, create=create)
        return SqliteRunner(str(location.path))
    if location.url.startswith(("postgresql+psycopg://", "postgresql://", "postgres://")):
        runner = PsycopgRunner(location.url)
        if server_revision(runner) != HEAD_REVISION:
            runner.close()
            open_book(location, create=create).close()  # migrate through SQLAlchemy and Alembic, then read fast
            runner = PsycopgRunner(location.url)
        return runner
    return ServerRunner(open_book(location, create=create).engine)


def server_revision(runner: PsycopgRunner) -> str | None:
    import psycopg

    try:
        rows = runner.rows("SELECT version_num FROM alembic_version")
    except psycopg.errors.UndefinedTable:
        runner.connection.rollback()
        return None
    return str(rows[0]["version_num"]) if rows else None


def as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime | None:
    """A stored UTC date-time, aware, whichever backend returned it."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def session_runner(session: Any) -> ConnectionRunner:
    """Portable SQL inside an ORM session's transaction: its writes commit or roll back with the session's."""
    return joined_runner(session.connection())


def joined_runner(connection: Connection) -> ConnectionRunner:
    """Portable SQL inside the transaction a SQLAlchemy connection is in, never committing it."""
    runner = ConnectionRunner(connection)
    runner._in_transaction = True
    return runner
