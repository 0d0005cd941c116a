"""Benchmark: import 100,000 Zendesk-style ticket rows into a fresh book (target: under 30 s, flat memory).

Run: python bench/import_tickets.py [ROWS]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from csm.db.book import locate_book, open_book
from csm.importers.load import import_csv


def main(rows: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="csm-bench-"))
    accounts = folder / "accounts.csv"
    accounts.write_text("name,account_id,domains\n" + "".join(f"Account {i},A{i},a{i}.example\n" for i in range(200)))
    tickets = folder / "tickets.csv"
    with tickets.open("w") as handle:
        handle.write("Id,Subject,Status,Priority,Requester email,Created at,Solved at,Organization\n")
        for i in range(rows):
            handle.write(
                f'{i},"Ticket {i}, about login",solved,normal,user{i % 50}@a{i % 200}.example,'
                f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d} Pacific Time (US & Canada),"
                f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T18:00:00Z,\n"
            )
    book = open_book(locate_book(str(folder / "book.db")))
    with book.session() as session:
        import_csv(session, accounts, kind="accounts", today=date(2027, 3, 1))
    started = time.perf_counter()
    with book.session() as session:
        report = import_csv(session, tickets, kind="tickets", today=date(2027, 3, 1))
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{report.new} new tickets from {rows} rows in {took:.1f} s ({rows / took:,.0f} rows/s); peak RSS {peak:.0f} MB"
    )
    print(f"problems: {len(report.problems)}; source: {report.source}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
