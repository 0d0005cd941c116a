"""Bulk reads and writes for imports, in the form each backend stores values.

An import of 100,000 rows spends more in SQLAlchemy's per-value type processing (parsing every stored
date-time back, binding every new one) than in its own work, so the rows an import compares and inserts
in bulk go through plain SQL with the conversions done here, once per value, as the ORM would do them:
UTC date-times as 'YYYY-MM-DD HH:MM:SS.ffffff' text on SQLite and as aware UTC values on PostgreSQL (bound as
timestamptz, whatever the session's TimeZone), dates as ISO text on SQLite, booleans as 0/1 on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Index, Table
    from sqlalchemy.engine import Connection


def _kinds(table: Table) -> dict[str, str]:
    """'moment', 'day', 'flag' or '' for each column, by its SQL type."""
    from sqlalchemy import Boolean, Date, DateTime

    kinds = {}
    for column in table.columns:
        kind = getattr(column.type, "impl", column.type)
        kinds[column.name] = (
            "moment" if isinstance(kind, DateTime) else "day" if isinstance(kind, Date) else
            "flag" if isinstance(kind, Boolean) else ""
        )  # fmt: skip
    return kinds


def load_index(
    connection: Connection, table: Table, fixed: dict[str, Any], key: Sequence[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Every row of `table` matching `fixed`, keyed by its `key` columns, with values as the ORM reads them."""
    names = [column.name for column in table.columns]
    positions = [names.index(name) for name in key]
    return {tuple(row[i] for i in positions): dict(zip(names, row, strict=True))
            for row in _stored(connection, table, fixed)}  # fmt: skip


def find_one(connection: Connection, table: Table, fixed: dict[str, Any], key: dict[str, Any]) -> dict[str, Any] | None:
    """The row of `table` matching `fixed` and `key`, read as load_index reads it: one indexed lookup, for an
    import of a few rows into a big table (loading the whole table's index would cost more than the file)."""
    names = [column.name for column in table.columns]
    found = next(_stored(connection, table, {**fixed, **key}, limit=1), None)
    return dict(zip(names, found, strict=True)) if found is not None else None


def _stored(
    connection: Connection, table: Table, where: dict[str, Any], limit: int | None = None
) -> Iterator[list[Any]]:
    """The rows of `table` whose columns equal `where`, each value as the ORM reads it, one at a time."""
    names = [column.name for column in table.columns]
    kinds = _kinds(table)
    values = {}
    for name, value in where.items():
        write = writer_of(connection, table, name)
        values[name] = write(value) if write is not None and value is not None else value
    stored = stored_rows(connection, table, names, values, limit=limit)
    readers = [(i, _READERS[kinds[name]]) for i, name in enumerate(names) if kinds[name]]
    for raw in stored:
        row = list(raw)
        for i, read in readers:
            if row[i] is not None:
                row[i] = read(row[i])
        yield row


def insert_rows(connection: Connection, table: Table, columns: Iterable[str], rows: list[dict[str, Any]]) -> None:
    """One executemany of rows that all set the same columns."""
    names = list(columns)
    defaults = {  # what the ORM fills in for a column a row leaves out
        column.name: getattr(column.default, "arg", None)
        for column in table.columns
        if column.name not in names and column.default is not None and getattr(column.default, "is_scalar", False)
    }
    if defaults:
        rows = [row | defaults for row in rows]
        names += list(defaults)
    converted = [(i, write) for i, name in enumerate(names) if (write := writer_of(connection, table, name))]
    cursor_rows = []
    for row in rows:
        values = [row[name] for name in names]
        for i, write in converted:
            if values[i] is not None:
                values[i] = write(values[i])
        cursor_rows.append(tuple(values))
    insert_values(connection, table, names, cursor_rows)


IMPORT_LOCK = 0x63736D  # the PostgreSQL advisory lock imports take turns on ("csm")


def hold_for_import(connection: Connection) -> None:
    """Take turns with any other import of the book, before the first read: two imports of one file at once
    would both find its records missing and both insert them. SQLite: the write lock, taken up front (BEGIN
    IMMEDIATE waits for the other writer, up to the busy timeout); PostgreSQL: an advisory lock held until the
    transaction ends. Neither is a write, so an import that changes nothing leaves the book's revision alone."""
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            # sqlite3 opens a transaction before an INSERT, never before a read or DDL
            driver.execute("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (IMPORT_LOCK,))


def set_aside_indexes(connection: Connection, table: Table, adding: int) -> list[Index]:
    """Drop `table`'s secondary indexes when an import is about to add more rows than the table holds, so
    they are built once at the end (sorting every row once) rather than grown row by row (a random write per
    row and index): a 100,000-row import of tickets takes half the time. SQLite only, where DROP and CREATE
    INDEX are part of the import's transaction and a reader keeps seeing the book as it was; on PostgreSQL
    dropping an index would lock the table against the team's readers until the import ends."""
    from sqlalchemy import text

    if connection.dialect.name != "sqlite" or not table.indexes:
        return []
    held = connection.execute(text(f"SELECT COUNT(*) FROM {table.name}")).scalar_one()
    if held >= adding:
        return []
    indexes = sorted(table.indexes, key=lambda index: str(index.name))
    hold_for_import(connection)  # in a transaction, so that a refused import takes the drop back with its rows
    for index in indexes:
        index.drop(connection)
    return indexes


def restore_indexes(connection: Connection, indexes: list[Index]) -> None:
    for index in indexes:
        index.create(connection)


def _read_moment(value: Any) -> datetime:
    if isinstance(value, str):
        try:  # SQLite's naive UTC text, read as UTC in one step (datetime.replace costs more than the parse)
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read_day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _aware_utc(value: datetime) -> datetime:
    """An aware UTC time, which the driver binds as timestamptz: a naive one would be read in the session's
    TimeZone (a team server set to Europe/Berlin would store 09:00Z as 08:00Z)."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


_READERS: dict[str, Any] = {"moment": _read_moment, "day": _read_day, "flag": bool}


def _sqlite_moment(value: datetime) -> str:
    """'YYYY-MM-DD HH:MM:SS.ffffff' in UTC, as the ORM stores it (an aware value's '+00:00' cut off)."""
    if value.tzinfo is None:
        return value.isoformat(sep=" ", timespec="microseconds")
    return value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds")[:-6]


_SQLITE_WRITERS: dict[str, Any] = {
    "moment": _sqlite_moment,
    "day": lambda v: v.isoformat(),
    "flag": int,
}
_SERVER_WRITERS: dict[str, Any] = {"moment": _aware_utc, "flag": bool}


# Column by column (csm.importers.columnar): rows as tuples in the driver's form, each value converted once.


def reader_of(table: Table, name: str) -> Any:
    """How a stored value of this column is read into the form the ORM gives (None: as the driver gives it)."""
    return _READERS.get(_kinds(table)[name])


def writer_of(connection: Connection, table: Table, name: str) -> Any:
    """How a value of this column is put in the form this backend stores (None: as it is)."""
    writers = _SQLITE_WRITERS if connection.dialect.name == "sqlite" else _SERVER_WRITERS
    return writers.get(_kinds(table)[name])


def stored_rows(
    connection: Connection,
    table: Table,
    names: Sequence[str],
    where: dict[str, Any],
    among: tuple[str, Sequence[Any]] | None = None,
    chunk: int = 500,
    limit: int | None = None,
) -> list[tuple[Any, ...]]:
    """The `names` columns of the rows of `table` whose columns equal `where` (values in the backend's form; the
    rows as the driver reads them), and whose `among[0]` column is one of `among[1]` when given (looked up by the
    index, `chunk` at a time). Through the driver's own cursor, in the caller's transaction: SQLAlchemy's row
    objects cost more than the query."""
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    condition = " AND ".join(f"{name} = {mark}" for name in where) or "1 = 1"
    statement = f"SELECT {', '.join(names)} FROM {table.name} WHERE {condition}"
    cursor = connection.connection.cursor()
    try:
        if among is None:
            cursor.execute(statement + (f" LIMIT {int(limit)}" if limit else ""), tuple(where.values()))
            return list(cursor.fetchall())
        column, values = among
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(values), chunk):
            part = tuple(values[start : start + chunk])
            cursor.execute(f"{statement} AND {column} IN ({', '.join(mark for _ in part)})", (*where.values(), *part))
            found.extend(cursor.fetchall())
        return found
    finally:
        cursor.close()


def insert_values(connection: Connection, table: Table, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """One executemany of rows already in the backend's form (writer_of)."""
    marks = ", ".join("?" if connection.dialect.name == "sqlite" else "%s" for _ in names)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows)


def update_given(connection: Connection, table: Table, names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Each row's values (in the backend's form) set on the record whose id ends the row; a None leaves the
    stored value alone, as an empty cell never erases one."""
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    sets = ", ".join(f"{name} = COALESCE({mark}, {name})" for name in names)
    connection.exec_driver_sql(f"UPDATE {table.name} SET {sets} WHERE id = {mark}", rows)
