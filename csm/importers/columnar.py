"""Tickets read column by column: the fast path of the import that comes by the hundred thousand rows.

Read row by row (linking.Row, records.tickets), every cell of every row is a few Python calls. Read column by
column, each distinct value of a column is read once (a day, an e-mail address, an account link repeat
across thousands of tickets), the rows are put together with zip, compared with the stored tickets as
tuples, and the new ones inserted with one executemany per batch.

The fast path takes only a file it can read without a doubt: every row has a ticket id (once in the file)
and a creation time, links to an account, and its times are ISO; and a file it can hold (MAX_ROWS). Anything else (a problem to word on its
line, a date that only its column's other values can decide, a row marked deleted) is the row path's work:
the file is read again row by row, which words every problem as it always has. Both give the same book and
the same report (tests/importers/test_columnar.py holds them side by side).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from csm.domain.matching import normalise_email
from csm.importers.sources import NATIVE_FIELDS
from csm.importers.values import TRIMMED, ValueProblem, clean, parse_datetime

if TYPE_CHECKING:
    from sqlalchemy import Table

    from csm.importers.columns import ColumnReadings
    from csm.importers.load import Importer
    from csm.importers.reading import CsvFile

FIELDS = NATIVE_FIELDS["tickets"]
COMPARED = ("account_id", "subject", "status", "priority", "requester_email", "created_at", "solved_at")
CHUNK_ROWS = 20_000  # rows held at once while their columns are taken: only the columns a ticket uses are kept
MAX_ROWS = 500_000  # a bigger file (about 750 MB held) is read row by row, which streams it
Progress = Callable[[int], None] | None


class Irregular(Exception):
    """The file holds something only the row-by-row import words: read it again that way."""


def import_tickets(imp: Importer, csv_file: CsvFile, readings: ColumnReadings, progress: Progress) -> dict[str, int]:
    """Import a ticket file column by column, counting new, updated and unchanged in imp.report; returns the
    e-mail values that are no address, by column. Raises Irregular, having written nothing, for a file to read
    row by row."""
    from csm.importers.records import KNOWN_TICKET_STATUSES, ticket_priority, ticket_status, unknown_status_warning

    fields = _columns(csv_file, imp.plan.columns, progress)
    ids = fields["ticket_id"]
    if not ids:
        return {}
    deleted = fields["is_deleted"]
    if any(deleted) and any(_read_each(deleted, _deleted_flag)):
        raise Irregular("rows marked deleted")
    if None in ids or len(set(ids)) != len(ids):
        raise Irregular("a ticket id missing or repeated")
    statuses = _read_each(fields["status"], ticket_status)
    if "deleted" in statuses:
        raise Irregular("rows marked deleted")
    for status in sorted(set(statuses) - KNOWN_TICKET_STATUSES):
        imp.tallies[unknown_status_warning(status)] = statuses.count(status)
    priorities = _read_each(fields["priority"], ticket_priority)
    emails, bad_emails = _emails(imp, fields["requester_email"])
    hosts = _read_each(emails, lambda email: email.rpartition("@")[2] if email else None)
    keys = list(zip(fields["account_id"], hosts, fields["requester_domain"], fields["account"], strict=True))
    links = {key: imp.linker.resolve(*key) for key in set(keys)}
    if not all(isinstance(found, int) for found in links.values()):
        raise Irregular("a row that links to no account")
    accounts = list(map(links.__getitem__, keys))
    created = _read_each(fields["created_at"], lambda text: _moment(text, readings.fallback))
    if None in created:
        raise Irregular("a ticket without its creation time")
    solved = _read_each(fields["solved_at"], lambda text: _moment(text, readings.fallback))
    _write(imp, ids, [accounts, fields["subject"], statuses, priorities, emails, created, solved])
    return bad_emails


def _columns(csv_file: CsvFile, plan_columns: dict[str, list[str]], progress: Progress) -> dict[str, list[Any]]:
    """Each field's cleaned text by row (None for an empty cell): the first of its columns with a value wins,
    as in linking.Row."""
    position = {name: i for i, name in enumerate(csv_file.header)}
    used = sorted({position[column] for name in FIELDS for column in plan_columns.get(name, [])})
    cells: dict[int, list[str]] = {i: [] for i in used}
    rows = 0
    for chunk in csv_file.plain_chunks(CHUNK_ROWS):
        if chunk is None:
            raise Irregular("a row that is blank, a footer, or not as wide as the header")
        taken, last_line = chunk
        rows += len(taken)
        if rows > MAX_ROWS:
            raise Irregular(f"more than {MAX_ROWS:,} rows")
        for i in used:
            cells[i].extend(map(operator.itemgetter(i), taken))
        if progress is not None:
            progress(last_line)
    fields: dict[str, list[Any]] = {}
    for name in FIELDS:
        texts: list[Any] | None = None
        for column in plan_columns.get(name, []):
            cleaned = _cleaned(cells[position[column]])
            texts = cleaned if texts is None else [a if a is not None else b for a, b in zip(texts, cleaned, strict=True)]  # fmt: skip
        fields[name] = texts if texts is not None else [None] * rows
    return fields


def _cleaned(texts: list[str]) -> list[Any]:
    """clean() of every cell; a column with no empty cell and nothing to trim at either end (most are) as it is."""
    if "" not in texts:
        edges = set(map(operator.itemgetter(0), texts)) | set(map(operator.itemgetter(-1), texts))
        if edges.isdisjoint(TRIMMED):
            return texts
    return _read_each(texts, clean)


def _read_each(values: Sequence[Any], read: Callable[[Any], Any]) -> list[Any]:
    """`read` of every value, worked out once per distinct value; a value it cannot read makes the file Irregular.
    A column of mostly distinct values (ids, subjects) is read value by value: a table of them would cost more."""
    try:
        distinct = set(values)
        if len(distinct) * 2 > len(values):
            return list(map(read, values))
        seen = {value: read(value) for value in distinct}
    except ValueProblem as exc:
        raise Irregular(str(exc)) from None
    return list(map(seen.__getitem__, values))


def _deleted_flag(text: str | None) -> bool:
    from csm.importers.values import parse_bool

    return text is not None and parse_bool(text)


def _moment(text: str | None, order: str) -> datetime | None:
    """An ISO date-time in UTC (the order-free form, as linking.Row reads it); any other form is Irregular."""
    if text is None:
        return None
    if not (len(text) >= 10 and text[4] == "-" and text[:4].isdigit()):
        raise Irregular("a time that is not ISO")
    moment = parse_datetime(text, zone=UTC, order=order, serials=True)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _emails(imp: Importer, texts: list[str | None]) -> tuple[list[str | None], dict[str, int]]:
    """Each row's e-mail address, or None; a value that is no address (a hash, a name) is set aside and counted."""
    bad: set[str] = set()

    def address(text: str | None) -> str | None:
        if text is None:
            return None
        email = normalise_email(text)
        if email is None or "." not in email.rpartition("@")[2]:
            bad.add(text)
            return None
        return email

    emails = _read_each(texts, address)
    if not bad:
        return emails, {}
    columns = imp.plan.columns.get("requester_email", [])
    if len(columns) > 1:
        raise Irregular("an e-mail column with values that are no address, and another beside it")
    return emails, {columns[0]: sum(1 for text in texts if text in bad)}


def _write(imp: Importer, ids: list[str], columns: list[list[Any]]) -> None:
    """The tickets (each of the COMPARED columns by row, in the ORM's form): new ones inserted in the file's
    order, changed ones updated (an empty cell never erases a value)."""
    from itertools import repeat

    from csm.db.bulk import insert_values, restore_indexes, set_aside_indexes, update_given, writer_of
    from csm.importers.load import BATCH_SIZE

    table = imp.table("tickets")
    writers = [writer_of(imp.connection, table, name) for name in COMPARED]
    stored_form = _stored_form(columns, writers)  # as the backend stores them and its driver reads them back
    new, changed = _sorted_out(imp, table, ids, stored_form, writers)
    report = imp.report
    report.new += len(new)
    report.updated += len(changed)
    report.unchanged += len(ids) - len(new) - len(changed)
    if new:
        set_aside = set_aside_indexes(imp.connection, table, len(new)) if len(new) >= BATCH_SIZE else []
        every_row = len(new) == len(ids)  # a first import: the rows as they come, no picking
        names = ("source", "external_id", *COMPARED)
        for start in range(0, len(new), BATCH_SIZE):
            if every_row:
                end = start + BATCH_SIZE
                batch = list(zip(repeat(imp.source), ids[start:end], *(column[start:end] for column in stored_form)))
            else:
                batch = [(imp.source, ids[row], *(column[row] for column in stored_form))
                         for row in new[start : start + BATCH_SIZE]]  # fmt: skip
            insert_values(imp.connection, table, names, batch)
        restore_indexes(imp.connection, set_aside)
    if changed:
        rows = [(*(column[row] for column in stored_form), stored_id) for row, stored_id in changed]
        update_given(imp.connection, table, COMPARED, rows)


def _sorted_out(
    imp: Importer, table: Table, ids: list[str], stored_form: list[list[Any]], writers: list[Any]
) -> tuple[list[int], list[tuple[int, int]]]:
    """The rows that are new, and the changed ones with their stored ticket's id: a row differs where it gives a
    value the stored ticket does not hold (an empty cell, None, erases nothing). Stored values are compared as the
    driver reads them, and only where the two differ, read as times (a time stored as other text is the same)."""
    from csm.db.bulk import reader_of, stored_rows
    from csm.importers.load import ONE_BY_ONE

    among = ("external_id", ids) if len(ids) <= ONE_BY_ONE else None  # a morning's few tickets: looked up by id
    stored = stored_rows(imp.connection, table, ("external_id", "id", *COMPARED), {"source": imp.source}, among)
    if not stored:  # a first import: every row is new
        return list(range(len(ids))), []
    known = {row[0]: row for row in stored}
    rewrite = [(reader_of(table, name), writer) for name, writer in zip(COMPARED, writers, strict=True)]
    new: list[int] = []
    changed: list[tuple[int, int]] = []
    for row, (ticket_id, values) in enumerate(zip(ids, zip(*stored_form, strict=True), strict=True)):
        found = known.get(ticket_id)
        if found is None:
            new.append(row)
            continue
        held = found[2:]  # found is (external id, stored id, *COMPARED)
        if values == held:  # the common case, at C speed
            continue
        if any(value is not None and value != _canonical(was, pair) for value, was, pair in zip(values, held, rewrite, strict=True)):  # fmt: skip
            changed.append((row, found[1]))
    return new, changed


def _canonical(was: Any, pair: tuple[Any, Any]) -> Any:
    """A stored value as this import would write it (a time stored in another text form, say)."""
    reader, writer = pair
    if was is None or reader is None or writer is None:
        return was
    try:
        return writer(reader(was))
    except ValueError:
        return was


def _stored_form(columns: list[list[Any]], converters: list[Any]) -> list[list[Any]]:
    """Each column's values put through its converter (None: kept as they are), once per distinct value."""
    return [_read_each(column, _or_none(convert)) if convert else column
            for column, convert in zip(columns, converters, strict=True)]  # fmt: skip


def _or_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


COLUMN_IMPORTS = {"tickets": import_tickets}  # the kinds read column by column: those that come by the 100,000
