"""Benchmark: `csm import tickets` of N Zendesk rows, and its unchanged re-import, as ratios to a floor.

The floor is the least any importer can do with the same file in the same run: csv.reader over it and one
executemany of its rows into a table of the same columns (sqlite3 on SQLite, psycopg on PostgreSQL),
committed. Target (issue 12): both imports within 3x the floor.

Run: python bench/import_floor.py [ROWS] [--postgres URL]   (CSM_TEST_POSTGRES_URL is used when set)
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from csm.db.book import locate_book, open_book
from csm.importers.load import import_csv

TODAY = date(2027, 3, 1)
HEADER = "Id,Subject,Status,Priority,Requester email,Created at,Solved at,Organization\n"


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    accounts = folder / "accounts.csv"
    accounts.write_text("name,account_id,domains\n" + "".join(f"Account {i},A{i},a{i}.example\n" for i in range(200)))
    tickets = folder / "tickets.csv"
    with tickets.open("w") as handle:
        handle.write(HEADER)
        for i in range(rows):
            handle.write(
                f'{i},"Ticket {i}, about login",solved,normal,user{i % 50}@a{i % 200}.example,'
                f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d} Pacific Time (US & Canada),"
                f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T18:00:00Z,\n"
            )
    return accounts, tickets


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def sqlite_floor(tickets: Path, folder: Path) -> float:
    database = folder / f"floor-{uuid.uuid4().hex[:6]}.db"

    def run() -> None:
        connection = sqlite3.connect(database)
        connection.execute("CREATE TABLE t (id TEXT, subject TEXT, status TEXT, priority TEXT, email TEXT, "
                           "created TEXT, solved TEXT, org TEXT)")  # fmt: skip
        with tickets.open(newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)", reader)
        connection.commit()
        connection.close()

    return timed(run)


def postgres_floor(tickets: Path, url: str) -> float:
    import psycopg

    with database(url) as plain:

        def run() -> None:
            with psycopg.connect(plain) as connection:
                connection.execute("CREATE TABLE t (id TEXT, subject TEXT, status TEXT, priority TEXT, email TEXT, "
                                   "created TEXT, solved TEXT, org TEXT)")  # fmt: skip
                with tickets.open(newline="") as handle, connection.cursor() as cursor:
                    reader = csv.reader(handle)
                    next(reader)
                    cursor.executemany("INSERT INTO t VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", list(reader))
                connection.commit()

        return timed(run)


@contextmanager
def database(url: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one measurement, dropped afterwards (plain libpq URL)."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = f"csm_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield plain.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def csm_imports(book_url: str, accounts: Path, tickets: Path) -> tuple[float, float, str]:
    book = open_book(locate_book(book_url))
    with book.session() as session:
        import_csv(session, accounts, kind="accounts", today=TODAY)
    reports = []

    def once() -> None:
        with book.session() as session:
            reports.append(import_csv(session, tickets, kind="tickets", today=TODAY))

    fresh = timed(once)
    again = timed(once)
    book.close()
    first, second = reports
    counts = f"{first.new} new, then {second.unchanged} unchanged ({len(first.problems)} problems)"
    return fresh, again, counts


def report(backend: str, floor: float, fresh: float, again: float, counts: str) -> None:
    print(
        f"{backend:<10} floor {floor:5.2f} s | import {fresh:5.2f} s = {fresh / floor:4.1f}x | "
        f"unchanged re-import {again:5.2f} s = {again / floor:4.1f}x | {counts}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("CSM_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    gc.disable()  # as csm.cli.main does for every command: `csm import` runs without the cyclic collector
    folder = Path(tempfile.mkdtemp(prefix="csm-bench-"))
    accounts, tickets = write_files(folder, args.rows)
    print(f"{args.rows:,} ticket rows ({tickets.stat().st_size / 1024**2:.1f} MB); target: imports within 3x the floor")
    floor = min(sqlite_floor(tickets, folder) for _ in range(3))
    fresh, again, counts = csm_imports(str(folder / "book.db"), accounts, tickets)
    report("SQLite", floor, fresh, again, counts)
    if args.postgres:
        floor = min(postgres_floor(tickets, args.postgres) for _ in range(2))
        with database(args.postgres) as plain:
            url = plain.replace("postgresql://", "postgresql+psycopg://")
            fresh, again, counts = csm_imports(url, accounts, tickets)
        report("PostgreSQL", floor, fresh, again, counts)


if __name__ == "__main__":
    main()
