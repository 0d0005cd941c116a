"""CSV rows → book records: one transaction per import, all-or-nothing unless told to skip invalid rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csm.domain.words import plural
from csm.errors import InputError
from csm.importers.columnar import COLUMN_IMPORTS, Irregular
from csm.importers.columns import ColumnReadings, NeedSurvey
from csm.importers.linking import Linker, Row, RowInvalid
from csm.importers.reading import CsvFile, open_csv
from csm.importers.report import ImportReport, RowProblem
from csm.importers.sources import DATE_FIELDS, NUMBER_FIELDS, ColumnPlan, plan_columns
from csm.importers.values import parse_bool, shown

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Index, Table
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

PROGRESS_EVERY = 500
BATCH_SIZE = 5_000
ONE_BY_ONE = 1_000  # rows looked up one by one before a table's whole index is loaded (fewer than a batch)
Handler = Callable[["Importer", Row], str]
ColumnImport = Callable[["Importer", CsvFile, ColumnReadings, Callable[[int], None] | None], dict[str, int]]


@dataclass
class Importer:
    """What every row of one import shares: the connection, the account links, and the keys seen so far."""

    connection: Connection
    plan: ColumnPlan
    linker: Linker
    report: ImportReport
    today: date
    seen: dict[tuple[Any, ...], int] = field(default_factory=dict)
    after: list[Callable[[], None]] = field(default_factory=list)
    tallies: dict[str, int] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # what a kind's handler keeps across rows
    _finds: dict[tuple[str, tuple[str, ...]], Any] = field(default_factory=dict, repr=False)
    _indexes: dict[tuple[Any, ...], dict[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict, repr=False)
    _tables: dict[str, Table] = field(default_factory=dict, repr=False)
    _pending: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    _set_aside: dict[str, list[Index]] = field(default_factory=dict, repr=False)  # indexes rebuilt at the end
    _asked: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False)  # lookups made one by one

    @property
    def source(self) -> str:
        return self.plan.source

    def tally(self, warning: str) -> None:
        """A warning that may hold for many rows, reported once with its count."""
        self.tallies[warning] = self.tallies.get(warning, 0) + 1

    def table(self, name: str) -> Table:
        found = self._tables.get(name)
        if found is None:
            from sqlmodel import SQLModel

            import csm.db.models  # noqa: F401  (registers the tables)

            found = self._tables[name] = SQLModel.metadata.tables[name]
        return found

    def once(self, key: tuple[Any, ...], row: Row, column: str | None, what: str, value: str | None = None) -> None:
        """Refuse a second row with the same key, naming both lines (and the cell, as `what` followed by `value`
        quoted and cut short: worded only when it is needed)."""
        first = self.seen.setdefault(key, row.line)
        if first != row.line:
            named = what if value is None else f"{what} {shown(value)}"
            raise RowInvalid(column, f"{named} is also on line {first}; each record may appear only once in a file")

    def find(self, table: Table, *where: ColumnElement[bool]) -> dict[str, Any] | None:
        from sqlalchemy import select

        found = self.connection.execute(select(table).where(*where).limit(1)).mappings().first()
        return dict(found) if found is not None else None

    def find_by(self, table: Table, **equals: Any) -> dict[str, Any] | None:
        """The record whose columns equal these values; the statement is built once per import and shape."""
        from sqlalchemy import bindparam, select

        shape = (table.name, tuple(equals))
        statement = self._finds.get(shape)
        if statement is None:
            where = [table.c[name] == bindparam(f"key_{name}") for name in equals]
            statement = self._finds[shape] = select(table).where(*where).limit(1)
        parameters = {f"key_{name}": value for name, value in equals.items()}
        found = self.connection.execute(statement, parameters).mappings().first()
        return dict(found) if found is not None else None

    def known(self, table: Table, fixed: dict[str, Any] | None = None, **key: Any) -> dict[str, Any] | None:
        """The record with this key (among rows matching `fixed`): looked up by itself for a file's first
        ONE_BY_ONE rows, then from an index of the table loaded in one query. For kinds whose key appears once
        per file (the caller's once() guarantees it), so a record written during the import is never looked up
        again; the index is loaded before the first batch of inserts is sent."""
        shape = (table.name, tuple(fixed.items()) if fixed else (), tuple(key))
        index = self._indexes.get(shape)
        if index is None:
            from csm.db.bulk import find_one, load_index

            # a file's first rows are looked up one by one (a morning's few new tickets in a book of a million);
            # past ONE_BY_ONE, the whole index is loaded once
            asked = self._asked[shape] = self._asked.get(shape, 0) + 1
            if asked <= ONE_BY_ONE:
                return find_one(self.connection, table, fixed or {}, key)
            index = self._indexes[shape] = load_index(self.connection, table, fixed or {}, tuple(key))
        return index.get(tuple(key.values()))  # the index's own record: read it, never change it

    def flush(self) -> None:
        """Send the batched inserts (one executemany per table and set of columns).

        A table that the import's first full batch outgrows has its indexes set aside until finish(), if the
        import reads that table only from its index in memory (known()): a table it also queries row by row
        (an account's ARR history) keeps its indexes, or each query would read the whole table."""
        from csm.db.bulk import insert_rows, set_aside_indexes

        for (name, columns), batch in self._pending.items():
            if not batch:
                continue
            table = self.table(name)
            if name not in self._set_aside:
                read_in_memory = any(shape[0] == name for shape in self._indexes)
                big = len(batch) >= BATCH_SIZE and read_in_memory
                self._set_aside[name] = set_aside_indexes(self.connection, table, len(batch)) if big else []
            insert_rows(self.connection, table, sorted(columns), batch)
        self._pending.clear()

    def finish(self) -> None:
        """The last batches sent and every index set aside built again, before anything reads the tables."""
        from csm.db.bulk import restore_indexes

        self.flush()
        for indexes in self._set_aside.values():
            restore_indexes(self.connection, indexes)
        self._set_aside.clear()

    def write(
        self,
        table: Table,
        existing: dict[str, Any] | None,
        values: dict[str, Any],
        *,
        on_insert: dict[str, Any] | None = None,
        on_update: dict[str, Any] | None = None,
        batched: bool = False,
    ) -> tuple[str, int]:
        """Insert, or update the fields that differ (an empty cell never erases a value): new / updated / unchanged.

        A batched insert returns id 0: use it for records nothing else in the import refers to."""
        if existing is None:
            # empty cells are left to the table's defaults
            row = {**(on_insert or {}), **{k: v for k, v in values.items() if v is not None}}
            if batched:
                batch = self._pending.setdefault((table.name, tuple(row)), [])
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    self.flush()
                return "new", 0
            from sqlalchemy import insert

            result = self.connection.execute(insert(table).values(**row))
            assert result.inserted_primary_key is not None
            return "new", int(result.inserted_primary_key[0])
        changes = {k: v for k, v in values.items() if v is not None and existing.get(k) != v}
        if not changes:
            return "unchanged", int(existing["id"])
        from sqlalchemy import update

        self.connection.execute(
            update(table).where(table.c.id == existing["id"]).values(**changes, **(on_update or {}))
        )
        return "updated", int(existing["id"])


def import_csv(
    session: Session,
    path: Path,
    *,
    kind: str,
    today: date,
    source: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
    reading: Reading | None = None,
    churn_reasons: tuple[str, ...] = ("other",),
) -> ImportReport:
    """Import one CSV file of `kind`. Writes go through `session`'s transaction; when nothing may be kept
    (a dry run, or invalid rows without skip_invalid) the session is rolled back, so give each import its own."""

    how = reading or Reading()
    with open_csv(path, encoding=how.encoding, delimiter=how.delimiter) as csv_file:
        plan = plan_columns(kind, csv_file.header, source=source, mapping=mapping)
        # one pass when the file's dates and numbers read one way only (ISO dates: the common case); a first
        # pass over the whole file when a value such as 03/04/2027 needs its column decided first
        readings = ColumnReadings.learnt(path, how.date_order, how.default_date_order)

        def read(file: CsvFile, readings: ColumnReadings, by_columns: ColumnImport | None = None) -> ImportReport:
            return _import_rows(session, file, plan, readings, today, dry_run, progress, churn_reasons, by_columns)

        try:
            report = _read_by_columns(read, csv_file, readings, COLUMN_IMPORTS.get(plan.kind), session)
            if report is None:  # the file holds something to word on its line: read again, row by row
                with csv_file.again() as second_pass:
                    report = read(second_pass, readings)
        except NeedSurvey:
            session.rollback()
            readings = survey_columns(csv_file, plan, how)
            with csv_file.again() as second_pass:
                report = read(second_pass, readings)
        report.warnings[len(csv_file.warnings) : len(csv_file.warnings)] = readings.final_notes()
    if dry_run or (report.problems and not skip_invalid):
        session.rollback()
    return report


def _read_by_columns(
    read: Callable[[CsvFile, ColumnReadings, ColumnImport | None], ImportReport],
    csv_file: CsvFile,
    readings: ColumnReadings,
    by_columns: ColumnImport | None,
    session: Session,
) -> ImportReport | None:
    """The import of a kind read column by column (columnar.py), row by row for the others; None when the file
    must be read row by row, with nothing written (the columns it held are let go before that second read)."""
    try:
        return read(csv_file, readings, by_columns)
    except Irregular:
        session.rollback()
        return None


def _import_rows(
    session: Session,
    csv_file: CsvFile,
    plan: ColumnPlan,
    readings: ColumnReadings,
    today: date,
    dry_run: bool,
    progress: Callable[[int], None] | None,
    churn_reasons: tuple[str, ...] = ("other",),
    by_columns: ColumnImport | None = None,
) -> ImportReport:
    from csm.importers.records import HANDLERS

    report = ImportReport(kind=plan.kind, source=plan.source, file=csv_file.path, dry_run=dry_run)
    report.warnings.extend(csv_file.warnings)
    if plan.kind == "accounts" and not plan.has("arr"):
        report.warnings.append(_no_arr(plan))
    if plan.unused:
        shown = ", ".join(plan.unused[:8]) + (f" and {len(plan.unused) - 8} more" if len(plan.unused) > 8 else "")
        report.warnings.append(f"columns not used: {shown}")
    from csm.db.bulk import hold_for_import

    connection = session.connection()
    hold_for_import(connection)
    importer = Importer(connection, plan, Linker(connection, plan.source), report, today)
    importer.memo["churn_reasons"] = churn_reasons
    handler = HANDLERS[plan.kind]
    bad_emails: dict[str, int] = {}
    if by_columns is not None:  # the whole file, read column by column (or Irregular, with nothing written)
        bad_emails = by_columns(importer, csv_file, readings, progress)
    records = csv_file.records() if by_columns is None else iter(())
    for count, record in enumerate(records, start=1):
        row = Row(record, plan, readings)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(record.line)
        try:
            if _is_deleted(row):
                report.skipped += 1
                continue
            outcome = handler(importer, row)
        except RowInvalid as exc:
            report.problems.append(RowProblem(row.line, exc.column, exc.reason))
            continue
        finally:
            for column in row.bad_emails:
                bad_emails[column] = bad_emails.get(column, 0) + 1
        _count(report, outcome)
    importer.finish()
    for finish in importer.after:
        finish()
    for warning, number in importer.tallies.items():
        report.warnings.append(f"{warning} ({number} row{'s' if number != 1 else ''})")
    report.warnings.extend(csv_file.late_warnings())
    for column, number in bad_emails.items():
        report.warnings.append(
            f"{plural(number, 'value')} in column '{column}' {'is' if number == 1 else 'are'} not e-mail addresses (hashed?); ignored"
        )
    if report.skipped:
        report.warnings.append(
            f"{plural(report.skipped, 'row')} marked deleted {'was' if report.skipped == 1 else 'were'} skipped"
        )
    if not report.rows and not report.problems:
        report.warnings.append("the file holds no rows after its header: nothing was imported")
    return report


@dataclass(frozen=True)
class Reading:
    """How the user said the file is written (--encoding, --delimiter, --date-order, the config's date_order)."""

    encoding: str | None = None
    delimiter: str | None = None
    date_order: str | None = None
    default_date_order: str = "mdy"


def survey_columns(csv_file: CsvFile, plan: ColumnPlan, how: Reading) -> ColumnReadings:
    """A first pass over the file's date and number columns, deciding how each is written."""
    from csm.importers.columns import survey

    dates = plan.columns_of(DATE_FIELDS)
    numbers = plan.columns_of(NUMBER_FIELDS)
    if not dates and not numbers:
        return ColumnReadings()
    with csv_file.again() as first_pass:
        return survey(
            csv_file.path,
            first_pass.records(),
            date_columns=dates,
            number_columns=numbers,
            order=how.date_order,
            default_order=how.default_date_order,
            delimiter=csv_file.delimiter,
        )


def _no_arr(plan: ColumnPlan) -> str:
    why = []
    if plan.has("company_revenue"):
        why.append(
            f"'{plan.columns['company_revenue'][0]}' is the company's own revenue, kept as the company's revenue (shown in prep), not ARR"
        )
    if plan.has("contract_value"):
        why.append(
            f"'{plan.columns['contract_value'][0]}' is a contract's total value, made ARR by its term where the row "
            "gives its start and end"
        )
    detail = f" ({'; '.join(why)})" if why else ""
    keep = "other accounts" if plan.has("contract_value") else "accounts"
    return (
        f"the file gives no ARR column{detail}; {keep} keep the ARR they have. Name the ARR column with "
        '--map "COLUMN=arr" if the file has one'
    )


def _is_deleted(row: Row) -> bool:
    return bool(row.value("is_deleted", parse_bool)) or (
        row.plan.kind == "tickets" and (row.text("status") or "").lower() == "deleted"
    )


def _count(report: ImportReport, outcome: str) -> None:
    if outcome == "new":
        report.new += 1
    elif outcome == "updated":
        report.updated += 1
    else:
        report.unchanged += 1


def as_utc(moment: datetime) -> datetime:
    """The book stores UTC (the column type insists on aware values)."""
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def refuse(report: ImportReport) -> InputError:
    """The error that ends an import whose invalid rows were reported and nothing written."""
    count = len(report.problems)
    return InputError(
        f"{count} invalid row{'s' if count != 1 else ''} in {report.file}; nothing was imported; "
        "fix them or use --skip-invalid"
    )
