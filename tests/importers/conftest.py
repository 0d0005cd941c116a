"""Helpers for the CSV import tests: a book in tmp_path, the conformance corpus, one import per transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from csm.db.book import Book, locate_book, open_book
from csm.importers.load import import_csv
from csm.importers.report import ImportReport

CRM = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "crm"
IMPORT_DAY = date(2027, 3, 1)


@pytest.fixture
def csv_book(tmp_path: Path) -> Iterator[Book]:
    opened = open_book(locate_book(str(tmp_path / "csv-book.db")))
    yield opened
    opened.close()


def run_import(
    book: Book,
    kind: str,
    path: Path,
    *,
    source: str = "auto",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date = IMPORT_DAY,
) -> ImportReport:
    """One import in its own transaction, as `csm import` does it."""
    with book.session() as session:
        return import_csv(
            session,
            path,
            kind=kind,
            today=today,
            source=source,
            mapping=mapping,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
        )


def count(book: Book, table: str, where: str = "1=1") -> int:
    from sqlalchemy import text

    with book.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar_one())


def rows(book: Book, sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text

    with book.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
