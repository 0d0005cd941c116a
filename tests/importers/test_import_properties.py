"""Random and hostile files never crash an import with a traceback and never leave a partial write."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csm.db.book import Book
from csm.errors import CsmError

from .conftest import IMPORT_DAY, count, run_import, write

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\u3000",
        "Acme",
        "acme",
        "A1",
        "ann@acme.com",
        "not-an-email",
        "@",
        "2027-03-01",
        "03/01/2027",
        "2027-02-30",
        "2010-10-14T12:00:00.000Z-0300",
        "$1,200.50",
        "1.200,50",
        "1e309",
        "-0",
        "NaN",
        "true",
        "yes",
        "nps",
        "renewal",
        "45%",
        "=cmd|' /C calc'!A0",
        '"quoted"',
        "line\nbreak",
        "semi;colon",
        "Grand Totals (3 records)",
        "\ufeff",
        "ℌ𝔢𝔩𝔩𝔬",
        "x" * 300,
    ]
)
CELL = st.one_of(HOSTILE, st.text(max_size=20))
KIND_HEADERS = {
    "accounts": ["name", "account_id", "arr", "renewal_date", "domains", "segment", "licences"],
    "contacts": ["name", "email", "account", "account_id", "title", "role", "reports_to", "contact_id"],
    "tickets": ["ticket_id", "created_at", "account", "requester_email", "status", "priority", "solved_at"],
    "surveys": ["score", "responded_on", "account", "contact_email", "survey", "response_id"],
    "usage": ["measured_on", "account", "active_users", "feature_breadth"],
    "opportunities": ["name", "account", "amount", "kind", "close_date", "opportunity_id"],
    "requests": ["feature", "account", "requested_on", "request_id"],
    "plans": ["goal", "account", "target", "status", "customer_confirmed"],
    "interactions": ["summary", "occurred_on", "account", "kind", "attendees"],
}


def snapshot(book: Book) -> list[str]:
    assert book.location.path is not None
    connection = sqlite3.connect(book.location.path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def seed(book: Book, tmp_path: Path) -> None:
    run_import(book, "accounts", write(tmp_path, "seed.csv", "name,account_id,domains\nAcme,A1,acme.com\n"))


def check_import(book: Book, kind: str, path: Path, *, dry_run: bool, skip_invalid: bool) -> None:
    before = snapshot(book)
    try:
        report = run_import(book, kind, path, dry_run=dry_run, skip_invalid=skip_invalid, today=IMPORT_DAY)
    except CsmError:
        assert snapshot(book) == before
        return
    if dry_run or (report.problems and not skip_invalid):
        assert snapshot(book) == before
    for problem in report.problems:
        assert problem.reason


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(KIND_HEADERS)),
    cells=st.lists(st.lists(CELL, min_size=0, max_size=9), min_size=1, max_size=6),
    dry_run=st.booleans(),
    skip_invalid=st.booleans(),
)
def test_hostile_rows_never_crash_or_write_partially(
    csv_book: Book, tmp_path: Path, kind: str, cells: list[list[str]], dry_run: bool, skip_invalid: bool
) -> None:
    if count(csv_book, "accounts") == 0:
        seed(csv_book, tmp_path)
    header = KIND_HEADERS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in cells:
        writer.writerow(row[: len(header)])
    path = write(tmp_path, "hostile.csv", buffer.getvalue())
    check_import(csv_book, kind, path, dry_run=dry_run, skip_invalid=skip_invalid)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(alphabet='name,arr;"\r\n\t\x00Acme1', max_size=200).map(str.encode),
    ),
    kind=st.sampled_from(["accounts", "contacts", "tickets"]),
)
def test_random_bytes_never_crash_an_import(csv_book: Book, tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    check_import(csv_book, kind, path, dry_run=False, skip_invalid=False)
