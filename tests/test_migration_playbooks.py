"""Migration 0011 on a book an older csm wrote: its decisions and accounts are kept as they were, each account names
no people of its own (the config's [people] stand behind its steps), and no decision hands a to-do to anyone."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from csm.db import HEAD_REVISION
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade


def test_an_older_book_keeps_its_decisions_and_gains_the_playbook_columns(book_url: str) -> None:
    location = locate_book(book_url)
    upgrade(location, "0007_health_overrides")
    engine = create_engine(location.url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (name, name_norm, arr, created_at, updated_at) "
                "VALUES ('Acme', 'acme', 120000, '2026-05-04 15:00:00', '2026-05-04 15:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO decisions (subject, rule_key, account_id, status, deferrals, title, decided_on) "
                "VALUES ('todo', 'touch_overdue:1:2027-02-01', 1, 'done', 0, 'Call Acme', '2027-02-02')"
            )
        )
    open_book(location).close()
    assert current_revision(location) == HEAD_REVISION
    columns = {c["name"] for c in inspect(engine).get_columns("accounts")}
    assert {"ae", "support_lead", "manager", "executive"} <= columns
    with engine.connect() as connection:
        accounts = connection.execute(text("SELECT name, ae, support_lead, manager, executive FROM accounts")).all()
        decisions = connection.execute(
            text("SELECT rule_key, status, decided_on, assignee, assigned_on FROM decisions")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in accounts] == [("Acme", None, None, None, None)]
    assert [(k, s, str(d)[:10], a, o) for k, s, d, a, o in decisions] == [
        ("touch_overdue:1:2027-02-01", "done", "2027-02-02", None, None)
    ]
