"""`csm import book DIR`: a whole book back from `csm export --format json DIR`, every table, ids kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csm.db.export import TABLES, read_manifest
from csm.errors import InputError
from csm.files import check_readable
from csm.importers.report import ImportReport
from csm.importers.streams import MAX_FILE_BYTES
from csm.limits import MAX_ID

if TYPE_CHECKING:
    from sqlmodel import Session


def import_book(session: Session, folder: Path, *, dry_run: bool) -> ImportReport:
    """Load every table's JSON into an empty book in one transaction; only the schema's own columns are read."""
    from sqlalchemy import func, insert, select, text
    from sqlmodel import SQLModel

    import csm.db.models  # noqa: F401  (registers the tables)

    report = ImportReport(kind="book", source="csm-json", file=folder, dry_run=dry_run)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; give the folder 'csm export --format json' wrote")
    tables = SQLModel.metadata.tables
    manifest = read_manifest(folder)
    if session.execute(select(func.count()).select_from(tables["accounts"])).scalar():
        raise InputError("the book already holds accounts; a whole book is imported into an empty one ('csm init')")
    unopened = False
    for name in TABLES:
        path = folder / f"{name}.json"
        if name in OPTIONAL and not path.exists():
            unopened = name == "arr_changes"  # an export from before csm kept ARR history: opened below
            continue
        if not path.exists():
            raise InputError(f"{path} is missing; 'csm export --format json' writes one file per table")
        check_readable(path, MAX_FILE_BYTES, "JSON export")
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path} is not a JSON export: {exc}") from exc
        if not isinstance(rows, list):
            raise InputError(f"{path}: expected a list of rows")
        expected = manifest.get(path.name) if manifest is not None else None
        if expected is not None and expected != len(rows):
            raise InputError(
                f"{path} holds {len(rows)} rows but the export's manifest says {expected}: the export is incomplete "
                "or was edited; export the book again"
            )
        table = tables[name]
        kinds = {column.name: column.type for column in table.columns}
        records = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or set(row) - set(kinds):
                from csm.render.safe import cell_text

                unknown = sorted(set(row) - set(kinds)) if isinstance(row, dict) else []
                shown = ", ".join(cell_text(name) for name in unknown[:3]) + (", ..." if len(unknown) > 3 else "")
                raise InputError(
                    f"{path}, row {number}: not a row of {name}" + (f" (unknown {shown})" if shown else "")
                )
            records.append({key: _value(kinds[key], value, path, number, key) for key, value in row.items()})
        if records and not dry_run:
            insert_rows(session, insert(table), records, path)
        report.new += len(records)
    if not dry_run and session.get_bind().dialect.name == "postgresql":
        for name in TABLES:  # ids came from the export: move each sequence past them
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1)) FROM {name}")
            )
    if unopened and not dry_run:
        from csm.db.arr import open_histories

        open_histories(session.connection())  # as migration 0006 opens an older book's histories
    if dry_run:
        session.rollback()
    return report


OPTIONAL = ("arr_changes", "decisions", "health_overrides")  # tables a JSON export from an older csm does not have


def insert_rows(session: Session, statement: Any, records: list[dict[str, Any]], path: Path) -> None:
    """The rows of one file into the book; a row the book refuses is named in a line, never echoed whole."""
    from sqlalchemy.exc import SQLAlchemyError

    from csm.db.migrate import first_line

    try:
        session.execute(statement, records)
    except SQLAlchemyError as exc:
        raise InputError(f"{path}: its rows do not fit the book ({first_line(exc)}); nothing was imported") from None


def _value(kind: Any, value: Any, path: Path, number: int, key: str) -> Any:
    """A JSON value as the column's type, or an error naming the file, row and column with a short cell."""
    import math

    from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String

    kind = getattr(kind, "impl", kind)  # a TypeDecorator (SQLModel's UTCDateTime) is read as what it wraps
    if value is None:
        return None

    def refused(what: str) -> InputError:
        from csm.render.safe import cell_text

        return InputError(f"{path}, row {number}, column '{key}': expected {what}, not {cell_text(value)}")

    if isinstance(kind, Boolean):
        if isinstance(value, bool) or value in (0, 1):
            return bool(value)
        raise refused("true or false")
    if isinstance(kind, Integer):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_ID:
            return value
        raise refused("a whole number")
    if isinstance(kind, Float):
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return value
        raise refused("a number")
    if isinstance(kind, DateTime | Date):
        try:
            if isinstance(kind, DateTime):
                parsed = datetime.fromisoformat(str(value))
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise refused("an ISO date" if isinstance(kind, Date) else "an ISO date and time") from None
    if isinstance(kind, String) and not isinstance(value, str):
        raise refused("text")
    return value
