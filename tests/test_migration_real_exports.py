"""Migration 0005 on a book an older csm wrote: new columns empty, names and domains re-normalised."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from csm.db import HEAD_REVISION
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade


def test_an_older_book_upgrades_renormalising_names_and_domains(book_path: Path) -> None:
    location = locate_book(str(book_path))
    upgrade(location, "0003_stored_evaluation")
    stamp = "'2027-01-01 00:00:00'"
    with sqlite3.connect(book_path) as connection:
        for name, norm in [("Initech S.p.A.", "initech s p a"), ("Kestrel Analytics LLP", "kestrel analytics llp"),
                           ("Acme K.K.", "acme k k")]:  # fmt: skip
            connection.execute(
                f"INSERT INTO accounts (name, name_norm, created_at, updated_at) VALUES (?, ?, {stamp}, {stamp})",
                (name, norm),
            )
        connection.executemany(
            "INSERT INTO account_domains (account_id, domain) VALUES (?, ?)",
            [
                (1, "initech.it"),
                (2, "eu.app.kestrel.co.uk"),
                (2, "kestrel.co.uk"),
                (3, "www.acme.co.jp"),
                (1, "mail.acme.co.jp"),
            ],
        )
        connection.execute(
            "INSERT INTO feature_requests (account_id, feature, feature_norm, requested_on) "
            "VALUES (1, 'SSO for the SA team', 'sso for the', '2027-01-01')"
        )
    open_book(location).close()
    assert current_revision(location) == HEAD_REVISION
    with sqlite3.connect(book_path) as connection:
        assert connection.execute("SELECT name_norm FROM accounts ORDER BY id").fetchall() == [
            ("initech",),
            ("kestrel analytics",),
            ("acme",),
        ]
        # one row per registrable domain: the account that already stored it that way keeps it
        assert connection.execute("SELECT account_id, domain FROM account_domains ORDER BY domain").fetchall() == [
            (3, "acme.co.jp"),
            (1, "initech.it"),
            (2, "kestrel.co.uk"),
        ]
        assert connection.execute("SELECT feature_norm FROM feature_requests").fetchall() == [("sso for the sa team",)]
        columns = {row[1] for row in connection.execute("PRAGMA table_info(accounts)")}
        assert {"company_revenue", "contract_value", "last_activity_on"} <= columns
        contact_columns = {row[1] for row in connection.execute("PRAGMA table_info(contacts)")}
        assert {"last_activity_on", "crm_roles"} <= contact_columns
        assert connection.execute("SELECT count(*) FROM accounts WHERE company_revenue IS NOT NULL").fetchone() == (0,)
