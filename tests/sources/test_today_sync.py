"""`csm today` keeps itself fresh: due sources are synced before judging, within the budget, never failing the
morning; a fresh book pays nothing for it (no httpx, no SQLAlchemy, no request)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CsmRunner
from tests.sources.conftest import GOOGLE, OUTLOOK, Server, closed_port, config, ok

MONDAY = ["Working from Lisbon", "Müller Logistik check-in", "Weekly sync"]


def titles(report: dict[str, object]) -> list[str]:
    return [str(item["title"]) for item in report["agenda"]]  # type: ignore[index, union-attr]


def test_today_syncs_every_time_with_max_age_zero(csm: CsmRunner, server: Server, env: dict[str, str]) -> None:
    config(Path(env["CSM_CONFIG"]), "[sync]\nmax_age_minutes = 0\n")
    ok(csm("source", "add", "calendar", server.serve("/work.ics", GOOGLE, etag='"1"'), "--name", "work"))
    server.serve("/work.ics", OUTLOOK, etag='"2"')  # the calendar changed overnight
    report = ok(csm("today", "--format", "json")).json()
    assert titles(report) == ["Stand-up Bäckerei Süß"]
    assert report["sources"] == [
        {"name": "work", "kind": "calendar", "location": server.url("/work.ics"),
         "synced_at": "2027-03-01T12:00:00+00:00", "checked_at": "2027-03-01T12:00:00+00:00", "outcome": "updated",
         "error": None, "age_minutes": 0, "fresh": True, "note": None}
    ]  # fmt: skip
    before = len(server.requests_to("/work.ics"))
    ok(csm("today", "--format", "json"))
    assert len(server.requests_to("/work.ics")) == before + 1  # asked again: 304
    ok(csm("today", "--no-sync"))
    ok(csm("today", "--as-of", "2027-03-02"))  # a look at another day syncs nothing
    assert len(server.requests_to("/work.ics")) == before + 1


def test_a_fresh_source_is_not_asked_again_within_max_age(csm: CsmRunner, server: Server, env: dict[str, str]) -> None:
    ok(csm("source", "add", "calendar", server.serve("/work.ics", GOOGLE), "--name", "work"))
    ok(csm("today"))
    assert len(server.requests_to("/work.ics")) == 1
    env["CSM_AS_OF"] = "2027-03-02"  # the next morning: an hour (and more) later
    report = ok(csm("today", "--format", "json")).json()
    assert len(server.requests_to("/work.ics")) == 2
    assert report["sources"][0]["synced_at"] == "2027-03-02T12:00:00+00:00"


def test_today_answers_from_the_last_good_data_when_the_server_is_down(
    csm: CsmRunner, server: Server, env: dict[str, str]
) -> None:
    ok(csm("source", "add", "calendar", server.serve("/work.ics", GOOGLE), "--name", "work"))
    ok(csm("source", "add", "calendar", f"http://127.0.0.1:{closed_port()}/x.ics", "--name", "gone", "--no-sync"))
    env["CSM_AS_OF"] = "2027-03-02"
    server.serve("/work.ics", b"", status=503)
    report = ok(csm("today", "--format", "json")).json()
    assert {s["name"]: (s["outcome"], s["fresh"]) for s in report["sources"]} == {
        "gone": ("failed", False), "work": ("failed", False)
    }  # fmt: skip
    env["CSM_AS_OF"] = "2027-03-01"
    run = ok(csm("today", "--no-sync"))
    assert titles(ok(csm("today", "--format", "json", "--no-sync")).json()) == MONDAY  # the last good data
    assert "⚠ calendar 'gone' has no data yet: could not refresh (connection refused)" in run.out
    assert "⚠ calendar 'work' is from 07:00 today: could not refresh" in run.out  # noon UTC, in New York
    env["CSM_AS_OF"] = "2027-03-02"
    run = ok(csm("today", "--no-sync"))
    assert "⚠ calendar 'work' is from 07:00 yesterday: could not refresh: the server failed (503" in run.out
    markdown = ok(csm("today", "--no-sync", "--format", "md")).out
    assert "> ⚠ calendar 'gone' has no data yet: could not refresh (connection refused)" in markdown


def test_today_keeps_to_its_budget_when_a_server_hangs(csm: CsmRunner, server: Server, env: dict[str, str]) -> None:
    config(Path(env["CSM_CONFIG"]), "[sync]\nmax_age_minutes = 0\ntimeout_seconds = 1\nbudget_seconds = 2\n")
    ok(csm("source", "add", "calendar", server.serve("/work.ics", GOOGLE), "--name", "work"))
    server.serve("/work.ics", GOOGLE, delay=60)
    started = time.monotonic()
    run = ok(csm("today"))
    assert time.monotonic() - started < 20  # well inside the hanging server's minute
    assert "⚠ calendar 'work' is from 07:00 today: could not refresh (no answer within 1 s)" in run.out
    assert "Müller Logistik check-in" in run.out


def test_a_fresh_morning_imports_no_httpx_nor_sqlalchemy(csm: CsmRunner, server: Server, env: dict[str, str]) -> None:
    ok(csm("source", "add", "calendar", server.serve("/work.ics", GOOGLE), "--name", "work"))
    probe = (
        "import sys\n"
        "from csm.cli import main\n"
        "sys.argv = ['csm', 'today', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('httpx', 'httpcore', 'sqlalchemy', 'sqlmodel', 'alembic', 'icalendar')\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy})), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", "import json\n" + probe], capture_output=True, text=True,
                            env={**os.environ, **env}, check=True)  # fmt: skip
    assert json.loads(result.stdout)["sources"][0]["fresh"] is True
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
    assert len(server.requests_to("/work.ics")) == 1  # only the add's own sync


def test_a_first_morning_with_only_local_sources_due_imports_them_without_httpx(
    csm: CsmRunner, env: dict[str, str], tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "accounts.csv").write_text("name,account_id,arr\nAcme Corp,A-1,1000\n", encoding="utf-8")
    ok(csm("source", "add", "accounts", str(exports), "--name", "crm", "--no-sync"))
    ok(csm("source", "add", "calendar", str(GOOGLE), "--name", "work", "--no-sync"))
    probe = (
        "import json, sys\n"
        "from csm.cli import main\n"
        "sys.argv = ['csm', 'today', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore')})),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, **env},
                            check=True)  # fmt: skip
    report = json.loads(result.stdout)
    assert {s["name"]: (s["outcome"], s["fresh"]) for s in report["sources"]} == {
        "crm": ("new", True), "work": ("new", True)
    }  # fmt: skip
    assert titles(report) == MONDAY
    assert report["summary"]["accounts"] == 1
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
