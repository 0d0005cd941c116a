"""Migration 0012_ticket_index on a book an older csm wrote, on both backends: the redundant single-column index on
tickets.account_id goes, the tickets stay, and a look-up by account is still led by an index."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from csm.db import HEAD_REVISION, REVISIONS
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade


def test_an_older_book_loses_the_redundant_ticket_index_and_keeps_its_tickets(book_url: str) -> None:
    location = locate_book(book_url)
    upgrade(location, REVISIONS[REVISIONS.index("0012_ticket_index") - 1])
    engine = create_engine(location.url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO accounts (id, name, name_norm, arr, created_at, updated_at) "
                                "VALUES (7, 'Acme', 'acme', 1000, '2027-01-04 09:00:00', '2027-01-04 09:00:00')"))  # fmt: skip
        connection.execute(text("INSERT INTO tickets (account_id, source, external_id, status, created_at) "
                                "VALUES (7, 'zendesk', '1001', 'open', '2027-02-01 10:00:00')"))  # fmt: skip
    assert "ix_tickets_account_id" in {index["name"] for index in inspect(engine).get_indexes("tickets")}
    book = open_book(location)
    assert current_revision(location) == HEAD_REVISION
    indexes = {index["name"]: index["column_names"] for index in inspect(engine).get_indexes("tickets")}
    assert "ix_tickets_account_id" not in indexes
    assert indexes["ix_tickets_account_created"] == ["account_id", "created_at"]
    with engine.begin() as connection:
        assert connection.execute(text("SELECT external_id, status FROM tickets WHERE account_id = 7")).all() == [
            ("1001", "open")
        ]
        if connection.dialect.name == "sqlite":
            plan = connection.execute(text("EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE account_id = 7")).all()
            assert "ix_tickets_account_created" in " ".join(str(step[-1]) for step in plan)
    with book.session() as session:  # the book's own connection: foreign keys enforced on SQLite too
        session.execute(text("DELETE FROM accounts WHERE id = 7"))  # the cascade needs no index of its own
    with book.session() as session:
        assert session.execute(text("SELECT COUNT(*) FROM tickets")).scalar() == 0
    book.close()
    engine.dispose()
