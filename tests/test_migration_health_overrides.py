"""Migration 0007 on a book an older csm wrote: its interactions keep every row with no sentiment, an empty
health_overrides table takes the CSM's calls, and both are what the judge reads (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, inspect, text

from csm.config import Config
from csm.db import HEAD_REVISION
from csm.db.book import current_revision, locate_book, open_book
from csm.db.health import overrides_on, set_override
from csm.db.migrate import upgrade
from csm.db.runner import ConnectionRunner
from csm.db.scope import Scope
from csm.domain.health import HealthOverride


def test_an_older_book_gains_sentiment_and_overrides(book_url: str) -> None:
    location = locate_book(book_url)
    upgrade(location, "0006_retention")
    engine = create_engine(location.url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (name, name_norm, arr, created_at, updated_at) "
                "VALUES ('Acme', 'acme', 1000, '2026-05-04 15:00:00', '2026-05-04 15:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO interactions (account_id, kind, occurred_on, summary, created_at) "
                "VALUES (1, 'call', '2026-06-01', 'Kickoff', '2026-06-01 10:00:00')"
            )
        )
    book = open_book(location)
    assert current_revision(location) == HEAD_REVISION
    columns = {c["name"] for c in inspect(engine).get_columns("interactions")}
    assert "sentiment" in columns
    indexes = {i["name"] for i in inspect(engine).get_indexes("health_overrides")}
    assert "ix_health_overrides_account_set" in indexes
    with engine.connect() as connection:
        assert connection.execute(text("SELECT summary, sentiment FROM interactions")).all() == [("Kickoff", None)]
    with book.session() as session:
        set_override(session, 1, band="red", reason="sponsor left", on=date(2026, 7, 1), until=date(2026, 7, 31),
                     by=Config().owner or "")  # fmt: skip
    with book.session() as session:
        runner = ConnectionRunner(session.connection())
        assert overrides_on(runner, Scope(), date(2026, 7, 15)) == {
            1: HealthOverride("red", "sponsor left", date(2026, 7, 1), date(2026, 7, 31))
        }
        assert overrides_on(runner, Scope(), date(2026, 6, 30)) == {}
        assert overrides_on(runner, Scope(), date(2026, 8, 1)) == {}
    book.close()
    engine.dispose()
