"""Migration 0014_opportunity_currency on a book an older csm wrote, on both backends: its opportunities keep their
amounts and gain an empty currency (read in their account's, as before)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade


def test_an_older_books_opportunities_keep_their_amounts_and_gain_no_currency(book_url: str, tmp_path: Path) -> None:
    location = locate_book(book_url)
    upgrade(location, REVISIONS[REVISIONS.index("0014_opportunity_currency") - 1])
    engine = create_engine(location.url)
    with engine.begin() as connection:
        account_id = connection.execute(
            text("INSERT INTO accounts (name, name_norm, currency, created_at, updated_at) "
                 "VALUES ('Acme', 'acme', 'EUR', '2027-03-01 12:00:00', '2027-03-01 12:00:00') RETURNING id")
        ).scalar_one()  # fmt: skip
        connection.execute(
            text("INSERT INTO opportunities (account_id, name, kind, amount, is_closed, is_won) "
                 "VALUES (:account, 'Acme seats', 'upsell', 40000, false, false)"),
            {"account": account_id},
        )  # fmt: skip
    book = open_book(location)
    assert current_revision(location) == HEAD_REVISION
    with engine.begin() as connection:
        assert connection.execute(text("SELECT name, kind, amount, currency FROM opportunities")).all() == [
            ("Acme seats", "upsell", 40000.0, None)
        ]
    book.close()
    engine.dispose()
