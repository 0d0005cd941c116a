"""Alembic, driven from code: the migration scripts ship inside the package.

On SQLite every upgrade, the first creation of a book included, runs in one real transaction:
pysqlite would otherwise commit each CREATE TABLE on its own, and a kill midway would leave a
book at no revision at all. SQLAlchemy's documented pysqlite recipe: the driver's own transaction
handling off, and BEGIN IMMEDIATE (the write lock, taken up front) emitted by us.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csm.errors import BookError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig
    from sqlalchemy.engine import Connection, Engine

    from csm.db.book import BookLocation

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(location: BookLocation, revision: str = "head") -> None:
    """Bring the book's schema to `revision` in one transaction: all of it, or none of it."""
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    engine = migration_engine(location)
    config = alembic_config()
    try:
        with engine.begin() as connection, warnings.catch_warnings():
            # batch mode on SQLite reflects the tables it rebuilds; it cannot reflect the expression index
            # on lower(owner) (left untouched), and says so on stderr
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
            if connection.dialect.name == "sqlite":
                discard_unfinished_creation(connection)
            else:
                take_migration_lock(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if connection.dialect.name == "sqlite":
                check_foreign_keys(connection)
    except SQLAlchemyError as exc:
        from csm.db.book import explain_database_error

        reason = explain_database_error(exc) or first_line(exc)
        raise BookError(f"cannot migrate the book {location.describe()}: {reason}; the book was not changed") from exc
    finally:
        engine.dispose()


def migration_engine(location: BookLocation) -> Engine:
    from sqlalchemy import create_engine, event

    from csm.db.book import BUSY_TIMEOUT_MS, configure_sqlite, sqlite_url
    from csm.db.book import create_engine as book_engine

    if location.path is None:
        return book_engine(location)  # PostgreSQL runs DDL inside its transactions already
    engine = create_engine(sqlite_url(location.path), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit transactions (and commits) from pysqlite
        configure_sqlite(dbapi_connection, foreign_keys=False)  # a table rebuilt in batch mode must not cascade

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


# Any fixed number: every csm upgrading a PostgreSQL book asks for the same lock.
MIGRATION_LOCK = 0x63736D  # "csm"


def take_migration_lock(connection: Connection) -> None:
    """On PostgreSQL, one csm at a time migrates a book: a team that upgrades csm runs its first commands at
    once, and each found the old revision and ran the same DDL (one failed on a duplicate type). The lock is
    the transaction's, so it is let go at commit or rollback; the next csm then reads the new revision and
    Alembic has nothing left to run. (On SQLite BEGIN IMMEDIATE does the same.)"""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def discard_unfinished_creation(connection: Connection) -> None:
    """Tables an older csm left when it was stopped while creating the book (no revision stamped, no rows,
    checked by csm.db.upgrade before we get here) are dropped, so the creation starts over."""
    names = [
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    ]
    if not names or "alembic_version" not in names:
        return
    if connection.exec_driver_sql("SELECT COUNT(*) FROM alembic_version").scalar():
        return
    for name in names:  # names read from the book's own catalogue
        if connection.exec_driver_sql(f'SELECT EXISTS (SELECT 1 FROM "{name}")').scalar():
            raise BookError(f"the book has no schema revision but its table {name} holds rows; it was left untouched")
    for name in names:
        connection.exec_driver_sql(f'DROP TABLE "{name}"')


def check_foreign_keys(connection: Connection) -> None:
    """Foreign keys are off while tables are rebuilt; the result must still hold them all."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        from sqlalchemy.exc import IntegrityError

        raise IntegrityError("PRAGMA foreign_key_check", None, Exception(f"{len(broken)} rows lost their parent"))


def first_line(exc: BaseException) -> str:
    """A database error in one line: the driver's own message, without the SQL or its parameters."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return (text[0] if text else type(original).__name__)[:200]


@cache
def revision_schemas() -> dict[str, frozenset[str]]:
    """The tables, columns and indexes a SQLite book has at each revision: the migrations, run step by
    step on a scratch file."""
    import tempfile

    from csm.db import REVISIONS
    from csm.db.book import BookLocation
    from csm.db.upgrade import sqlite_schema

    schemas = {}
    with tempfile.TemporaryDirectory(prefix="csm-schema-") as folder:
        path = Path(folder) / "schema.db"
        for revision in REVISIONS:
            upgrade(BookLocation(url=f"sqlite:///{path}", path=path), revision)
            schemas[revision] = sqlite_schema(path)
    return schemas


def script_revisions() -> list[str]:
    """Every revision in the scripts, oldest first (for the test that guards csm.db.REVISIONS)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]
