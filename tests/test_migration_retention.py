"""Migration 0006 on a book an older csm wrote: each account's ARR opens its history on the day it entered the book,
a known churn is kept on its day, and nothing earlier is invented."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from csm.db import HEAD_REVISION
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade

ACCOUNTS = [
    # name, arr, created, churned_on, stage
    ("Acme", 120_000.0, "2026-05-04 15:00:00", None, "adoption"),
    ("Globex", 30_000.0, "2026-06-01 09:00:00", "2026-12-15", "churned"),
    ("Initech", None, "2026-07-01 09:00:00", None, None),
    ("Umbrella", 8_000.0, "2026-08-01 09:00:00", None, "churned"),  # lost before the book knew when
]


def test_an_older_book_opens_each_accounts_history_on_the_day_it_entered(book_url: str) -> None:
    location = locate_book(book_url)
    upgrade(location, "0005_real_exports")
    engine = create_engine(location.url)
    with engine.begin() as connection:
        for name, arr, created, churned, stage in ACCOUNTS:
            connection.execute(
                text(
                    "INSERT INTO accounts (name, name_norm, arr, churned_on, lifecycle_stage, created_at, updated_at) "
                    "VALUES (:n, :m, :arr, :churned, :stage, :t, :t)"
                ),
                {"n": name, "m": name.lower(), "arr": arr, "churned": churned, "stage": stage, "t": created},
            )
    open_book(location).close()
    assert current_revision(location) == HEAD_REVISION
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT a.name, c.changed_on, c.kind, c.arr_before, c.arr_after, c.opening, c.reason, c.source "
                "FROM arr_changes c JOIN accounts a ON a.id = c.account_id ORDER BY a.name, c.changed_on, c.id"
            )
        ).all()
    engine.dispose()
    got = [(n, str(on)[:10], kind, before, after, bool(opening), reason, source)
           for n, on, kind, before, after, opening, reason, source in rows]  # fmt: skip
    assert got == [
        ("Acme", "2026-05-04", "new", None, 120_000.0, True, None, "migration"),
        ("Globex", "2026-06-01", "new", None, 30_000.0, True, None, "migration"),
        ("Globex", "2026-12-15", "churn", 30_000.0, 0.0, False, "other", "migration"),
    ]
