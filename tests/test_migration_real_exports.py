"""Migration 0005 on a book an older csm wrote: new columns empty, names and domains re-normalised."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from csm.db import HEAD_REVISION
from csm.db.book import current_revision, locate_book, open_book
from csm.db.migrate import upgrade

ACCOUNTS = [
    ("Initech S.p.A.", "initech s p a"),
    ("Kestrel Analytics LLP", "kestrel analytics llp"),
    ("Acme K.K.", "acme k k"),
]
DOMAINS = [
    (1, "initech.it"),
    (2, "eu.app.kestrel.co.uk"),
    (2, "kestrel.co.uk"),
    (3, "www.acme.co.jp"),
    (1, "mail.acme.co.jp"),
]


def test_an_older_book_upgrades_renormalising_names_and_domains(book_url: str) -> None:
    location = locate_book(book_url)
    upgrade(location, "0003_stored_evaluation")
    engine = create_engine(location.url)
    with engine.begin() as connection:
        for name, norm in ACCOUNTS:
            connection.execute(
                text("INSERT INTO accounts (name, name_norm, created_at, updated_at) VALUES (:n, :m, :t, :t)"),
                {"n": name, "m": norm, "t": "2027-01-01 00:00:00"},
            )
        for account_id, domain in DOMAINS:
            connection.execute(
                text("INSERT INTO account_domains (account_id, domain) VALUES (:a, :d)"), {"a": account_id, "d": domain}
            )
        connection.execute(
            text(
                "INSERT INTO feature_requests (account_id, feature, feature_norm, requested_on) "
                "VALUES (1, 'SSO for the SA team', 'sso for the', '2027-01-01')"
            )
        )
    open_book(location).close()
    assert current_revision(location) == HEAD_REVISION
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name_norm FROM accounts ORDER BY id")).all() == [
            ("initech",),
            ("kestrel analytics",),
            ("acme",),
        ]
        # one row per registrable domain: the account that already stored it that way keeps it
        assert connection.execute(text("SELECT account_id, domain FROM account_domains ORDER BY domain")).all() == [
            (3, "acme.co.jp"),
            (1, "initech.it"),
            (2, "kestrel.co.uk"),
        ]
        assert connection.execute(text("SELECT feature_norm FROM feature_requests")).all() == [("sso for the sa team",)]
        assert connection.execute(text("SELECT count(*) FROM accounts WHERE company_revenue IS NOT NULL")).scalar() == 0
    columns = inspect(engine)
    assert {"company_revenue", "contract_value", "last_activity_on"} <= {
        c["name"] for c in columns.get_columns("accounts")
    }
    assert {"last_activity_on", "crm_roles"} <= {c["name"] for c in columns.get_columns("contacts")}
    assert "series" in {c["name"] for c in columns.get_columns("calendars")}
    engine.dispose()
