"""`csm import book DIR`: a whole book back from `csm export --format json DIR`, every table, ids kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csm.db.export import TABLES
from csm.errors import InputError
from csm.importers.report import ImportReport

if TYPE_CHECKING:
    from sqlmodel import Session


def import_book(session: Session, folder: Path, *, dry_run: bool) -> ImportReport:
    """Load every table's JSON into an empty book in one transaction; only the schema's own columns are read."""
    from sqlalchemy import Boolean, Date, DateTime, func, insert, select, text
    from sqlmodel import SQLModel

    import csm.db.models  # noqa: F401  (registers the tables)

    report = ImportReport(kind="book", source="csm-json", file=folder, dry_run=dry_run)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; give the folder 'csm export --format json' wrote")
    tables = SQLModel.metadata.tables
    if session.execute(select(func.count()).select_from(tables["accounts"])).scalar():
        raise InputError("the book already holds accounts; a whole book is imported into an empty one ('csm init')")
    unopened = False
    for name in TABLES:
        path = folder / f"{name}.json"
        if name in OPTIONAL and not path.exists():
            unopened = True  # an export from before csm kept ARR history: opened below, as a migration would
            continue
        if not path.exists():
            raise InputError(f"{path} is missing; 'csm export --format json' writes one file per table")
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path} is not a JSON export: {exc}") from exc
        if not isinstance(rows, list):
            raise InputError(f"{path}: expected a list of rows")
        table = tables[name]
        kinds = {column.name: column.type for column in table.columns}
        records = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or set(row) - set(kinds):
                unknown = sorted(set(row) - set(kinds)) if isinstance(row, dict) else []
                raise InputError(
                    f"{path}, row {number}: not a row of {name}" + (f" (unknown {unknown})" if unknown else "")
                )
            records.append({key: _value(kinds[key], value, path, number, key, Boolean, Date, DateTime)
                            for key, value in row.items()})  # fmt: skip
        if records and not dry_run:
            session.execute(insert(table), records)
        report.new += len(records)
    if not dry_run and session.get_bind().dialect.name == "postgresql":
        for name in TABLES:  # ids came from the export: move each sequence past them
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(id), 1)) FROM {name}")
            )
    if unopened and not dry_run:
        from csm.db.arr import open_histories

        open_histories(session.connection())
    if dry_run:
        session.rollback()
    return report


OPTIONAL = ("arr_changes",)  # tables a JSON export from an older csm does not have


def _value(kind: Any, value: Any, path: Path, number: int, key: str, *types: Any) -> Any:
    boolean, day, moment = types
    kind = getattr(kind, "impl", kind)  # a TypeDecorator (SQLModel's UTCDateTime) is read as what it wraps
    if value is None:
        return None
    try:
        if isinstance(kind, boolean):
            return bool(value)
        if isinstance(kind, moment):
            parsed = datetime.fromisoformat(str(value))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if isinstance(kind, day):
            return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InputError(f"{path}, row {number}, column '{key}': {exc}") from None
    return value
