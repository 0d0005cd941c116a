"""Time `csm today --mine` on a PostgreSQL team book (issue 7): the bench's SQLite book copied into a server.

Run: python bench/postgres_book.py postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--size 100000]

It creates a database `csm_bench_<size>` on that server (dropping an old one), lets `csm init` create the
schema, copies every table from bench/out/book-<size>-v1.db with COPY, then times `csm today --mine` as the
owner of one twentieth of the accounts: one cold run (the day's evaluation) and 7 warm runs (median).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, MY_OWNER, OUT, ensure_book

CSM = [sys.executable, "-m", "csm"]
ORDER = (
    "accounts", "account_keys", "account_domains", "contacts", "contact_changes", "interactions",
    "interaction_contacts", "tasks", "opportunities", "tickets", "survey_responses", "usage_snapshots", "goals",
    "milestones", "risks", "feature_requests", "calendars", "calendar_events", "health_snapshots", "ebr_notes",
)  # fmt: skip


def copy_book(source: Path, server: str, database: str) -> str:
    import psycopg

    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')
    url = server.rsplit("/", 1)[0] + "/" + database
    subprocess.run([*CSM, "--db", url, "init"], check=True, capture_output=True)
    lite = sqlite3.connect(source)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as pg:
        booleans = {
            (table, column)
            for table, column in pg.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'boolean'"
            )
        }
        for table in ORDER:
            columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            flags = [(table, column) in booleans for column in columns]
            with pg.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row(
                        [bool(v) if flag and v is not None else v for v, flag in zip(row, flags, strict=True)]
                    )
            if "id" in columns:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
        pg.commit()
    return url


def timed(url: str, config: Path) -> float:
    env = {**os.environ, "CSM_DB": url, "CSM_CONFIG": str(config), "CSM_AS_OF": AS_OF.isoformat(),
           "CSM_TIMEZONE": "America/New_York", "NO_COLOR": "1", "CSM_CACHE_DIR": str(OUT / "cache")}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    subprocess.run([*CSM, "today", "--mine"], env=env, check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", help="a PostgreSQL URL whose user may create databases")
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    source = ensure_book(args.size)
    started = time.perf_counter()
    url = copy_book(source, args.server, f"csm_bench_{args.size}")
    print(f"copied {source.name} into PostgreSQL in {time.perf_counter() - started:.0f} s")
    config = OUT / "config-mine.toml"
    config.write_text(f'owner = "{MY_OWNER}"\n')
    print(f"csm today --mine, first run of the day (judges {args.size // 20:,} accounts): {timed(url, config):,.0f} ms")
    warm = [timed(url, config) for _ in range(7)]
    print(f"csm today --mine, later runs: median {statistics.median(warm):,.0f} ms (min {min(warm):,.0f})")


if __name__ == "__main__":
    main()
