"""Migration 0013_source_reading on a book an older csm wrote, on both backends: its sources gain an empty reading
(detected encoding and delimiter, the config's date order), keep their sync state, and still sync."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade


def test_an_older_books_sources_gain_an_empty_reading_and_keep_their_state(book_url: str, tmp_path: Path) -> None:
    location = locate_book(book_url)
    upgrade(location, REVISIONS[REVISIONS.index("0013_source_reading") - 1])
    engine = create_engine(location.url)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO sources (name, kind, location, tool, mapping, skip_invalid, added_at, outcome, "
                 "content_hash) VALUES ('crm', 'accounts', '/tmp/a.csv', 'salesforce', :mapping, true, "
                 "'2027-03-01 12:00:00', 'updated', 'abc123')"),
            {"mapping": '["Nazwa=name"]'},
        )  # fmt: skip
    book = open_book(location)
    assert current_revision(location) == HEAD_REVISION
    with engine.begin() as connection:
        assert connection.execute(text(
            "SELECT name, tool, mapping, skip_invalid, outcome, content_hash, encoding, delimiter, date_order "
            "FROM sources"
        )).all() == [("crm", "salesforce", '["Nazwa=name"]', True, "updated", "abc123", None, None, None)]  # fmt: skip
    book.close()
    engine.dispose()
