"""Two `csm sync` runs at once on one book, on both backends, lose nothing: each source is imported once whole (the
other run waits for it, then finds it unchanged), and both runs succeed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from csm.db.book import locate_book
from csm.db.runner import open_runner
from tests.sources.conftest import GOOGLE, Server


def counts(book: str) -> dict[str, int]:
    runner = open_runner(locate_book(book))
    try:
        row = runner.rows(
            """SELECT (SELECT COUNT(*) FROM calendar_events) AS events, (SELECT COUNT(*) FROM calendars) AS calendars,
                      (SELECT COUNT(*) FROM accounts) AS accounts, (SELECT COUNT(*) FROM contacts) AS contacts"""
        )[0]
        return {key: int(value) for key, value in row.items()}
    finally:
        runner.close()


def test_two_syncs_at_once_lose_nothing(tmp_path: Path, book_url: str, server: Server) -> None:
    env = {**os.environ, "CSM_DB": book_url, "CSM_CONFIG": str(tmp_path / "config.toml"),
           "CSM_CACHE_DIR": str(tmp_path / "cache"), "CSM_AS_OF": "2027-03-01", "CSM_TIMEZONE": "America/New_York"}  # fmt: skip
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,account_id,arr\n" + "".join(f"Account {n},A-{n},{1000 + n}\n" for n in range(300)))
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "name,account_id,email\n" + "".join(f"Person {n},A-{n},p{n}@a{n}.example\n" for n in range(300))
    )

    def csm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "csm", *args], env=env, capture_output=True, text=True)

    # the calendar answers after a second, so that both runs hold it at once and reach its import together
    for kind, location in (("calendar", server.serve("/work.ics", GOOGLE, delay=1.0)), ("accounts", str(accounts)),
                           ("contacts", str(contacts))):  # fmt: skip
        assert csm("source", "add", kind, location, "--no-sync").returncode == 0
    runs = [subprocess.Popen([sys.executable, "-m", "csm", "sync"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    done = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], done
    lines = sorted(line for out, _err in done for line in out.splitlines())
    assert sum(": new" in line for line in lines) == 3 and sum(": unchanged" in line for line in lines) == 3, lines
    alone = counts(book_url)
    assert alone["accounts"] == 300 and alone["contacts"] == 300 and alone["calendars"] == 1
    assert csm("source", "remove", "calendar").returncode == 0
    assert csm("source", "add", "calendar", server.url("/work.ics"), "--name", "work").returncode == 0
    assert counts(book_url)["events"] == alone["events"] > 0  # one import's worth, not two
