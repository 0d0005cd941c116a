"""Tickets read column by column (csm.importers.columnar) and row by row (records.tickets) give the same book.

The column import takes a file it can read without a doubt; anything else is read row by row, which words
every problem on its line. Each test imports the same files into two books, one each way, on both backends."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csm.importers.columnar as columnar
import csm.importers.load as load
from csm.db.book import Book, locate_book, open_book
from csm.errors import InputError
from csm.importers.load import import_csv
from csm.importers.report import ImportReport
from tests.conftest import POSTGRES, server_database

DAY = date(2027, 3, 1)
ACCOUNTS = "name,account_id,domains\nAcme,A1,acme.example\nGlobex,A2,globex.example\nInitech,A3,initech.example\n"
HEADER = "Id,Subject,Status,Priority,Requester email,Created at,Solved at,Organization\n"
STATUSES = ("Solved", "open", "On-hold", "Pending", "closed", "new")
PRIORITIES = ("Normal", "critical", "", "Medium", "High", "urgent")


def zendesk_export(rows: int) -> str:
    """Tickets as Zendesk writes them: its zone names, mixed-case statuses, empty priorities and solve times,
    subjects with commas, quotes and accents, an address in capitals, a cell with a space at its end."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i in range(rows):
        domain = ("acme.example", "globex.example", "initech.example")[i % 3]
        subject = ("Can't log in, again {}", "Rechnung für März {}", 'Export "CSV" fails {}', "SSO  {} ")[i % 4]
        solved = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T18:00:00Z" if i % 6 in (0, 4) else ""
        email = f"User{i % 9}@{domain.upper()}" if i % 10 == 0 else f"user{i % 9}@{domain}"
        created = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d} Pacific Time (US & Canada)"
        writer.writerow([1000 + i, subject.format(i), STATUSES[i % 6], PRIORITIES[i % 5], email, created, solved, ""])
    return HEADER + out.getvalue()


@pytest.fixture(params=["sqlite", "postgres"])
def two_books(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Book, Book]]:
    """A book to import column by column and one to import row by row, on one backend."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([str(tmp_path / "columns.db"), str(tmp_path / "rows.db")])
        books = [open_book(locate_book(next(urls))) for _ in range(2)]
        yield books[0], books[1]
        for book in books:
            book.close()
        return
    if not POSTGRES:
        pytest.skip("no PostgreSQL server: set CSM_TEST_POSTGRES_URL to run the team-book half")
    first, second = server_database(), server_database()
    books = [open_book(locate_book(next(first))), open_book(locate_book(next(second)))]
    yield books[0], books[1]
    for book in books:
        book.close()
    for database in (first, second):
        next(database, None)


class Imports:
    """Imports into a book, each in its own transaction, row by row or column by column, counting the files
    the column import wrote (the rest it left to the row import)."""

    def __init__(self, book: Book, monkeypatch: pytest.MonkeyPatch, *, by_columns: bool) -> None:
        self.book, self.monkeypatch, self.by_columns, self.written = book, monkeypatch, by_columns, 0

    def __call__(self, path: Path, *, skip_invalid: bool = False) -> ImportReport:
        write = columnar._write

        def counted(*args: Any) -> None:
            self.written += 1
            write(*args)

        with self.monkeypatch.context() as patch:
            patch.setattr(load, "COLUMN_IMPORTS", columnar.COLUMN_IMPORTS if self.by_columns else {})
            patch.setattr(columnar, "_write", counted)
            with self.book.session() as session:
                return import_csv(session, path, kind="tickets", today=DAY, skip_invalid=skip_invalid)


def stored(book: Book) -> list[tuple[Any, ...]]:
    """Every ticket as the ORM reads it, without its id (the two imports number the rows differently)."""
    from sqlalchemy import text

    with book.engine.connect() as connection:
        found = connection.execute(text(
            "SELECT t.source, t.external_id, a.name, t.subject, t.status, t.priority, t.requester_email, "
            "t.created_at, t.solved_at FROM tickets t JOIN accounts a ON a.id = t.account_id ORDER BY t.external_id"
        )).all()  # fmt: skip
    return [(*row[:7], _utc(row[7]), _utc(row[8])) for row in found]


def _utc(moment: Any) -> str | None:
    from datetime import UTC, datetime

    if moment is None:
        return None
    value = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def summary(report: ImportReport) -> tuple[Any, ...]:
    return (report.new, report.updated, report.unchanged, report.skipped,
            [(p.line, p.column, p.reason) for p in report.problems], report.warnings)  # fmt: skip


def both(tmp_path: Path, books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch) -> tuple[Imports, Imports]:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS)
    for book in books:
        with book.session() as session:
            assert import_csv(session, accounts, kind="accounts", today=DAY).new == 3
    return Imports(books[0], monkeypatch, by_columns=True), Imports(books[1], monkeypatch, by_columns=False)


def test_an_export_and_its_changed_re_export_store_the_same_tickets_either_way(
    tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    export = tmp_path / "tickets.csv"
    export.write_text(zendesk_export(1_500))  # more than ONE_BY_ONE: the source's stored tickets read in one query
    first = [summary(by_columns(export)), summary(by_rows(export))]
    assert first[0] == first[1] == (1_500, 0, 0, 0, [], [])
    tickets = stored(two_books[0])
    assert tickets == stored(two_books[1])
    # what Zendesk wrote, in the book: ticket 1002 is "On-hold", priority empty, created 09:02 Pacific (UTC-8 in
    # March), never solved; 1010 was sent by User1@GLOBEX.EXAMPLE
    by_id = {row[1]: row for row in tickets}
    assert by_id["1002"] == ("zendesk", "1002", "Initech", 'Export "CSV" fails 2', "hold", None,
                             "user2@initech.example", "2026-03-03T17:02:00+00:00", None)  # fmt: skip
    assert by_id["1001"][3:6] == ("Rechnung für März 1", "open", "urgent")  # "critical" is Zendesk's urgent
    assert by_id["1010"][6] == "user1@globex.example"
    assert by_id["1003"][3] == "SSO  3"  # the cell's inner spaces kept: only its ends are trimmed

    # a re-export: 1000 solved again later, 1001 solved with its subject left empty (which erases nothing), 9000 new
    lines = export.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace(",2026-01-01T18:00:00Z,", ",2027-02-27T10:00:00Z,")
    lines[2] = "1001,,solved,critical,user1@globex.example,2026-02-02 09:01 Pacific Time (US & Canada),,\n"
    lines[4] = "1003,," + lines[4].split(",", 2)[2]  # an empty subject, and nothing else: unchanged
    lines.append("9000,Brand new,new,low,user5@acme.example,2027-02-28T08:00:00Z,,\n")
    export.write_text("".join(lines))
    again = [summary(by_columns(export)), summary(by_rows(export))]
    assert again[0] == again[1] == (1, 2, 1_498, 0, [], [])
    tickets = stored(two_books[0])
    assert tickets == stored(two_books[1])
    by_id = {row[1]: row for row in tickets}
    assert by_id["1000"][8] == "2027-02-27T10:00:00+00:00"
    assert by_id["1001"][3:5] == ("Rechnung für März 1", "solved")
    assert by_id["9000"][2:6] == ("Acme", "Brand new", "new", "low")
    assert by_id["1003"][3] == "SSO  3"

    # a morning's few rows (looked up by id, not the whole table): one changed, one as it was
    morning = tmp_path / "morning.csv"
    morning.write_text(HEADER + lines[1].replace(",Solved,", ",closed,") + lines[3])
    assert summary(by_columns(morning)) == summary(by_rows(morning)) == (0, 1, 1, 0, [], [])
    assert stored(two_books[0]) == stored(two_books[1])
    assert (by_columns.written, by_rows.written) == (3, 0)  # every file above was read column by column


IRREGULAR = {
    "a ticket id missing": "1,Login,open,normal,ann@acme.example,2027-01-04,,\n,No id,open,normal,bob@acme.example,2027-01-04,,\n",
    "a ticket id twice": "1,Login,open,normal,ann@acme.example,2027-01-04,,\n1,Again,open,normal,bob@acme.example,2027-01-05,,\n",
    "an unknown domain": "1,Login,open,normal,ann@acme.example,2027-01-04,,\n2,Who,open,normal,cy@umbrella.example,2027-01-04,,\n",
    "no creation time": "1,Login,open,normal,ann@acme.example,2027-01-04,,\n2,When,open,normal,bob@acme.example,,,\n",
    "a day-first date": "1,Login,open,normal,ann@acme.example,15/03/2027 09:00,,\n2,Later,open,normal,bob@acme.example,03/04/2027 10:00,,\n",
    "a date that is no date": "1,Login,open,normal,ann@acme.example,2027-13-45,,\n",
    "a deleted ticket": "1,Login,open,normal,ann@acme.example,2027-01-04,,\n2,Spam,deleted,normal,bob@acme.example,2027-01-04,,\n",
    "a blank line": "1,Login,open,normal,ann@acme.example,2027-01-04,,\n\n2,Later,open,normal,bob@acme.example,2027-01-05,,\n",
    "a row too wide": "1,Login,open,normal,ann@acme.example,2027-01-04,,,extra\n",
    "a quote never closed": '1,"Login,open,normal,ann@acme.example,2027-01-04,,\n',
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(IRREGULAR))
def test_a_file_with_anything_to_word_is_read_row_by_row_as_before(
    case: str, tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    export = tmp_path / "tickets.csv"
    export.write_text(HEADER + IRREGULAR[case])
    outcomes = []
    for imports in (by_columns, by_rows):
        try:
            outcomes.append(summary(imports(export, skip_invalid=True)))
        except Exception as exc:  # an InputError refusing the whole file, worded alike
            outcomes.append((type(exc).__name__, str(exc)))
    assert outcomes[0] == outcomes[1]
    assert stored(two_books[0]) == stored(two_books[1])
    assert by_columns.written == 0
    if case == "a day-first date":  # 15/03 proves the column day-first: 03/04/2027 is 3 April
        assert [row[7] for row in stored(two_books[0])] == ["2027-03-15T09:00:00+00:00", "2027-04-03T10:00:00+00:00"]
    if case == "a ticket id twice":
        assert outcomes[0][4] == [
            (3, "Id", "ticket id '1' is also on line 2; each record may appear only once in a file")
        ]  # type: ignore[index]


def test_addresses_that_are_no_addresses_are_set_aside_and_counted_either_way(
    tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hashed requester column (as some exports write it) links by the organisation instead, and the report
    counts the values set aside, reading column by column still."""
    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    export = tmp_path / "tickets.csv"
    export.write_text(
        "Id,Subject,Status,Requester email,Created at,Organization\n"
        "1,Login,open,5f4dcc3b5aa765d61d8327deb882cf99,2027-01-04T09:00:00Z,Acme\n"
        "2,Invoice,open,ann@globex.example,2027-01-04T10:00:00Z,\n"
        "3,SSO,open,5f4dcc3b5aa765d61d8327deb882cf99,2027-01-05T09:00:00Z,Initech\n"
    )
    reports = [summary(by_columns(export)), summary(by_rows(export))]
    assert reports[0] == reports[1]
    assert reports[0][:5] == (3, 0, 0, 0, [])
    assert reports[0][5] == ["2 values in column 'Requester email' are not e-mail addresses (hashed?); ignored"]
    assert [(row[1], row[2], row[6]) for row in stored(two_books[0])] == [
        ("1", "Acme", None), ("2", "Globex", "ann@globex.example"), ("3", "Initech", None)
    ]  # fmt: skip
    assert by_columns.written == 1


SUBJECTS = st.text(alphabet=st.sampled_from("ab ,\"'é\u00a0\u3000="), min_size=1, max_size=6)
PLAIN = {  # what a file read column by column holds
    "status": ["", "Open", "SOLVED", "on-hold", "Pending", "closed"],
    "priority": ["", "Low", "critical", "Medium", "URGENT"],
    "email": ["", "ann@acme.example", "ANN@Acme.Example", "bob@globex.example", "5f4dcc3b5aa7"],
    "created": ["2027-01-04T09:00:00Z", "2027-01-04 09:00 Pacific Time (US & Canada)", "2027-07-04 23:30"],
    "solved": ["", "2027-01-05T10:00:00Z", "2027-01-05"],
    "organization": ["Acme", "Initech"],
}
ODD = {  # and what only the row import words: deleted, unknown, missing, not ISO, not a date
    "status": ["deleted"], "priority": [], "email": ["cy@nowhere.example"], "created": ["", "04/01/2027", "2027-02-30"],
    "solved": ["tomorrow"], "organization": ["", "Nobody"],
}  # fmt: skip


def ticket_rows(odd: bool) -> st.SearchStrategy[list[tuple[Any, ...]]]:
    def cell(name: str) -> st.SearchStrategy[str]:
        return st.sampled_from(PLAIN[name] + (ODD[name] if odd else []))

    subject = st.one_of(st.just(""), SUBJECTS) if odd else SUBJECTS  # spaces at the ends, formula-like text
    row = st.tuples(st.integers(1, 40), subject, *(cell(name) for name in PLAIN))
    return st.lists(row, min_size=1, max_size=12, unique_by=None if odd else (lambda r: r[0]))


TICKET_ROWS = st.one_of(ticket_rows(odd=False), ticket_rows(odd=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=TICKET_ROWS, second=TICKET_ROWS)
def test_any_export_and_re_export_give_the_same_book_and_report_either_way(
    first: list[tuple[Any, ...]], second: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the rows (read column by column when nothing needs wording, else row by row), both imports
    store the same tickets and say the same, for a first export and for the one that follows it."""
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        books = (open_book(locate_book(str(where / "columns.db"))), open_book(locate_book(str(where / "rows.db"))))
        try:
            by_columns, by_rows = both(where, books, monkeypatch)
            for number, rows in enumerate((first, second)):
                export = where / f"tickets-{number}.csv"
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(rows)
                export.write_text(HEADER + out.getvalue())
                outcomes = []
                for imports in (by_columns, by_rows):
                    try:
                        outcomes.append(summary(imports(export, skip_invalid=True)))
                    except InputError as exc:
                        outcomes.append(("refused", str(exc)))
                assert outcomes[0] == outcomes[1]
                assert stored(books[0]) == stored(books[1])
        finally:
            for book in books:
                book.close()


def test_a_team_server_in_another_time_zone_stores_utc_and_re_imports_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL server whose TimeZone is Europe/Berlin (initdb takes the host's) read the naive UTC times the
    bulk writes sent as Berlin times: 09:00Z was stored as 08:00Z, and each re-import 'updated' every ticket."""
    if not POSTGRES:
        pytest.skip("no PostgreSQL server: set CSM_TEST_POSTGRES_URL to run the team-book half")
    databases = [server_database(), server_database()]
    berlin = "?options=-c%20TimeZone%3DEurope%2FBerlin"
    books = tuple(open_book(locate_book(next(database) + berlin)) for database in databases)
    try:
        by_columns, by_rows = both(tmp_path, (books[0], books[1]), monkeypatch)
        export = tmp_path / "tickets.csv"
        export.write_text(HEADER + "1,Login,solved,normal,ann@acme.example,2027-01-04T09:00:00Z,2027-01-04 17:30 Pacific Time (US & Canada),\n")  # fmt: skip
        for imports in (by_columns, by_rows):
            assert summary(imports(export))[:3] == (1, 0, 0)
            assert summary(imports(export))[:3] == (0, 0, 1)
        assert [row[7:] for row in stored(books[0])] == [("2027-01-04T09:00:00+00:00", "2027-01-05T01:30:00+00:00")]
        assert stored(books[0]) == stored(books[1])
        assert by_columns.written == 2
    finally:
        for book in books:
            book.close()
        for database in databases:
            next(database, None)


def test_a_time_stored_in_another_text_form_is_the_same_time(
    tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A book edited by another tool may hold '2027-01-04 09:00:00' where csm writes '…09:00:00.000000': the
    re-import finds the ticket unchanged, as the row import does."""
    from sqlalchemy import text

    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    export = tmp_path / "tickets.csv"
    export.write_text(HEADER + "1,Login,open,normal,ann@acme.example,2027-01-04T09:00:00Z,,\n")
    for imports, book in zip((by_columns, by_rows), two_books, strict=True):
        assert imports(export).new == 1
        if book.engine.dialect.name == "sqlite":
            with book.engine.begin() as connection:
                connection.execute(text("UPDATE tickets SET created_at = substr(created_at, 1, 19)"))
        assert summary(imports(export))[:3] == (0, 0, 1)
    assert by_columns.written == 2


def test_what_the_header_said_is_said_whichever_way_the_file_is_read(
    tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column named twice is reported by the import that reads the file, also when the column import hands
    it to the row import (a row to word) or a date needs its column surveyed first."""
    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    twice = "Id,Subject,Subject,Status,Requester email,Created at\n"
    warning = "column 'Subject' appears twice in the header; the later one is ignored"
    files = {
        "plain": twice + "1,Login,x,open,ann@acme.example,2027-01-04T09:00:00Z\n",
        "a row to word": twice + "2,Login,x,open,ann@acme.example,2027-01-04T09:00:00Z\n,No id,x,open,ann@acme.example,2027-01-04\n",
        "a column to survey": twice + "3,Login,x,open,ann@acme.example,03/04/2027 09:00\n4,Later,x,open,ann@acme.example,15/04/2027 09:00\n",
    }  # fmt: skip
    for case, content in files.items():
        export = tmp_path / f"{case}.csv"
        export.write_text(content)
        reports = [summary(imports(export, skip_invalid=True)) for imports in (by_columns, by_rows)]
        assert reports[0] == reports[1], case
        assert reports[0][5][0] == warning, case
    assert stored(two_books[0]) == stored(two_books[1])


def test_the_first_problem_in_the_file_is_the_one_reported(
    tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row too wide on line 2 and a NUL byte below it, in a file read line by line (one line is Windows-1252):
    the row too wide is named, as a reading line by line meets it first, though the column import reads ahead
    (its first rows hold both)."""
    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    long = "x" * 120  # the NUL beyond the first megabyte, which is checked before the file is read
    rows = "".join(f"{n},Login {long},open,normal,ann@acme.example,2027-01-04T09:00:00Z,,\n" for n in range(3, 10_000))
    wide = "1,Z\u00fcrich,open,normal,ann@acme.example,2027-01-04,,,extra\n".encode("cp1252")
    export = tmp_path / "tickets.csv"
    export.write_bytes(HEADER.encode() + wide + rows.encode() + b"9\x00,x\n")
    errors = []
    for imports in (by_columns, by_rows):
        with pytest.raises(InputError) as refused:
            imports(export)
        errors.append(str(refused.value))
    assert errors[0] == errors[1]
    assert "line 2: 9 cells but the header has 8 columns" in errors[0]


def test_a_file_too_big_to_hold_is_read_row_by_row(
    tmp_path: Path, two_books: tuple[Book, Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_ROWS (500,000 rows, some 750 MB held) the column import hands the file to the row import, which
    streams it: here with the limit at 40 rows, a file of 60 imports the same either way."""
    monkeypatch.setattr(columnar, "MAX_ROWS", 40)
    monkeypatch.setattr(columnar, "CHUNK_ROWS", 25)
    by_columns, by_rows = both(tmp_path, two_books, monkeypatch)
    export = tmp_path / "tickets.csv"
    export.write_text(zendesk_export(60))
    assert summary(by_columns(export)) == summary(by_rows(export)) == (60, 0, 0, 0, [], [])
    assert stored(two_books[0]) == stored(two_books[1])
    assert by_columns.written == 0
    export.write_text(zendesk_export(40))
    assert summary(by_columns(export))[:3] == (0, 0, 40)
    assert by_columns.written == 1
