"""Migration 0010_sources on a book an older csm wrote, on both backends: the sources table arrives empty, everything else
stays, and a source can be added and synced at once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade


def test_an_older_book_gains_an_empty_sources_table_and_keeps_its_data(book_url: str, tmp_path: Path) -> None:
    location = locate_book(book_url)
    upgrade(location, REVISIONS[REVISIONS.index("0010_sources") - 1])  # the book just before sources arrived
    engine = create_engine(location.url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (name, name_norm, arr, created_at, updated_at) "
                                "VALUES ('Acme', 'acme', 1000, '2027-01-04 09:00:00', '2027-01-04 09:00:00')"))  # fmt: skip
    open_book(location).close()
    assert current_revision(location) == HEAD_REVISION
    with engine.begin() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM sources")).scalar() == 0
        assert connection.execute(text("SELECT name, arr FROM accounts")).all() == [("Acme", 1000.0)]
        connection.execute(text(
            "INSERT INTO sources (name, kind, location, tool, mapping, skip_invalid, added_at) "
            "VALUES ('work', 'calendar', 'https://example.com/a.ics', 'auto', '[]', false, '2027-03-01 12:00:00')"))  # fmt: skip
        duplicate = None
        try:
            with connection.begin_nested():
                connection.execute(text(
                    "INSERT INTO sources (name, kind, location, tool, mapping, skip_invalid, added_at) "
                    "VALUES ('work', 'accounts', '/tmp/a.csv', 'auto', '[]', false, '2027-03-01 12:00:00')"))  # fmt: skip
        except Exception as exc:  # the name is unique
            duplicate = exc
        assert duplicate is not None
    engine.dispose()
