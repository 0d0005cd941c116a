"""A Zendesk export by an agent whose Zendesk speaks German (or French, or Spanish): its headers, statuses and
priorities read as csm's own, so a solved ticket is not counted as open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import CsmRunner

GERMAN = (
    "Ticket-ID;Betreff;Status;Priorität;E-Mail des Anfragenden;Organisation;Erstellt am;Gelöst am\n"
    "1;Login geht nicht;Gelöst;Hoch;anna@mueller.de;Müller GmbH;2027-02-20 10:00;2027-02-21 10:00\n"
    "2;Export fehlt;Offen;Dringend;anna@mueller.de;Müller GmbH;2027-02-25 10:00;\n"
    "3;Frage zur Rechnung;Wartend;Niedrig;ben@mueller.de;Müller GmbH;2027-02-26 10:00;\n"
    "4;Alte Anfrage;Geschlossen;Normal;ben@mueller.de;Müller GmbH;2027-01-05 10:00;2027-01-06 09:00\n"
)


def _tickets(book: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(book) as connection:
        return connection.execute(
            "SELECT external_id, subject, status, priority, requester_email, solved_at FROM tickets ORDER BY id"
        ).fetchall()


def test_a_german_zendesk_export_reads_its_headers_statuses_and_priorities(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,domains\nMüller GmbH,mueller.de\n")
    assert csm("import", "accounts", str(accounts)).code == 0
    export = tmp_path / "tickets.csv"
    export.write_text(GERMAN, encoding="utf-8")
    run = csm("import", "tickets", str(export))
    assert run.code == 0, run.err
    assert "not used" not in run.err
    assert _tickets(book_path) == [
        ("1", "Login geht nicht", "solved", "high", "anna@mueller.de", "2027-02-21 10:00:00.000000"),
        ("2", "Export fehlt", "open", "urgent", "anna@mueller.de", None),
        ("3", "Frage zur Rechnung", "pending", "low", "ben@mueller.de", None),
        ("4", "Alte Anfrage", "closed", "normal", "ben@mueller.de", "2027-01-06 09:00:00.000000"),
    ]
    prep = csm("prep", "Müller GmbH", "--format", "json").json()
    assert prep["support"]["open"] == 2, prep["support"]


def test_french_and_spanish_statuses_are_read_on_the_row_path_too(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,domains\nAcme,acme.example\n")
    csm("import", "accounts", str(accounts))
    export = tmp_path / "tickets.csv"
    export.write_text(  # a row with no id, which the column path leaves to the row path
        "Id,Subject,Status,Priority,Requester email,Created at\n"
        "1,a,Résolu,Élevée,x@acme.example,2027-02-20T10:00:00Z\n"
        "2,b,En attente,Urgente,x@acme.example,2027-02-21T10:00:00Z\n"
        "3,c,Resuelto,Alta,x@acme.example,2027-02-22T10:00:00Z\n"
        "4,d,En espera,Baja,x@acme.example,2027-02-23T10:00:00Z\n"
        ",e,Cerrado,Normal,x@acme.example,2027-02-24T10:00:00Z\n",
        encoding="utf-8",
    )
    run = csm("import", "tickets", str(export), "--skip-invalid")
    assert run.code == 0, run.err
    assert [(t[0], t[2], t[3]) for t in _tickets(book_path)] == [
        ("1", "solved", "high"), ("2", "pending", "urgent"), ("3", "solved", "high"), ("4", "hold", "low"),
    ]  # fmt: skip


def _export_with_custom_statuses(tmp_path: Path, *, with_gap: bool) -> Path:
    """A help desk's own words (Freshdesk's, Italian Zendesk's) and a custom status nobody mapped; `with_gap`
    adds a row with no id, which sends the file down the row path."""
    export = tmp_path / "tickets.csv"
    export.write_text(
        "Id,Subject,Status,Priority,Requester email,Created at\n"
        "1,a,Resolved,Highest,x@acme.example,2027-02-20T10:00:00Z\n"
        "2,b,Risolto,P2,x@acme.example,2027-02-21T10:00:00Z\n"
        "3,c,Waiting on Customer,Low,x@acme.example,2027-02-22T10:00:00Z\n"
        "4,d,Waiting on Engineering,Low,x@acme.example,2027-02-23T10:00:00Z\n"
        "5,e,Waiting on Engineering,Low,x@acme.example,2027-02-24T10:00:00Z\n"
        + (",f,Closed,Low,x@acme.example,2027-02-24T10:00:00Z\n" if with_gap else ""),
        encoding="utf-8",
    )
    return export


def test_a_status_csm_does_not_know_is_kept_counted_open_and_named_in_the_report(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,domains\nAcme,acme.example\n")
    csm("import", "accounts", str(accounts))
    for with_gap in (False, True):  # the column path, then the row path over the same tickets
        run = csm("import", "tickets", str(_export_with_custom_statuses(tmp_path, with_gap=with_gap)), "--skip-invalid")
        assert run.code == 0, run.err
        assert "ticket status 'waiting on engineering' is not one csm knows" in run.err, run.err
        assert "count as open unless they have a solved time (2 rows)" in run.err, run.err
        assert "resolved" not in run.err and "risolto" not in run.err
        assert [(t[0], t[2], t[3]) for t in _tickets(book_path)] == [
            ("1", "solved", "urgent"), ("2", "solved", "high"), ("3", "pending", "low"),
            ("4", "waiting on engineering", "low"), ("5", "waiting on engineering", "low"),
        ]  # fmt: skip
    prep = csm("prep", "Acme", "--format", "json").json()
    assert prep["support"]["open"] == 3, prep["support"]
