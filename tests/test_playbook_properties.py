"""Hypothesis: one playbook run per risk, never duplicated, whatever the days and commands run.

A random sequence of days and commands (looks at any day, steps done, deferred and handed out, risks resolved and
snoozed, the ticket files that clear a risk and raise it again) runs on a real book of each backend. On every day
looked at, afterwards: each open risk has exactly one run, every step of it once, dated from the day the risk was
raised, and nothing else; asking again, cache or no cache, gives the same answer.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csm.cli import app
from tests.conftest import POSTGRES, server_database
from tests.domain.real_book import scratch_folder
from tests.test_backends import ACCOUNTS_CSV, TICKETS_CSV
from tests.test_playbooks import CONFIG, LATER_TICKETS

AS_OF = date(2027, 3, 1)
days = st.integers(-10, 40).map(lambda n: (AS_OF + timedelta(days=n)).isoformat())
commands = st.one_of(
    st.tuples(st.just("look"), days),
    st.tuples(st.just("done"), days, st.integers(0, 8)),
    st.tuples(st.just("defer"), days, st.integers(0, 8), st.integers(1, 20)),
    st.tuples(st.just("assign"), days, st.integers(0, 8), st.sampled_from(("ae", "support", "me", "x@vendor.example"))),
    st.tuples(st.just("resolve"), days, st.integers(0, 8)),
    st.tuples(st.just("snooze"), days, st.integers(0, 8), st.integers(1, 20)),
    st.tuples(st.just("later_tickets"), days),
)


class Book:
    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        (folder / "config.toml").write_text(CONFIG)

    def run(self, day: str, *args: str, cache: str = "cache") -> Any:
        env = {"CSM_DB": self.url, "CSM_CONFIG": str(self.folder / "config.toml"), "CSM_AS_OF": day,
               "CSM_TIMEZONE": "America/New_York", "CSM_CACHE_DIR": str(self.folder / cache), "NO_COLOR": "1"}  # fmt: skip
        result = CliRunner().invoke(app, list(args), env=env)
        assert result.exit_code == 0, (args, result.stderr)
        return json.loads(result.stdout) if "json" in args else result.stdout

    def load(self, name: str, text: str) -> None:
        path = self.folder / f"{name}-{abs(hash(text))}.csv"
        path.write_text(text)
        self.run(AS_OF.isoformat(), "import", "accounts" if name == "accounts" else "tickets", str(path))

    def steps(self, day: str, cache: str = "cache") -> list[dict[str, Any]]:
        todos = self.run(day, "todo", "list", "--all-owners", "--format", "json", cache=cache)
        return [t for t in todos if t["kind"] == "playbook"]

    def risks(self, day: str, cache: str = "cache") -> list[dict[str, Any]]:
        return self.run(day, "risk", "--all-owners", "--format", "json", cache=cache)  # type: ignore[no-any-return]


def apply(book: Book, command: tuple[Any, ...]) -> None:
    kind, day, *rest = command
    if kind == "look":
        book.steps(day)
    elif kind == "later_tickets":
        book.load("tickets", LATER_TICKETS)
    elif kind in ("done", "defer", "assign"):
        open_steps = [s for s in book.steps(day) if not (s["deferred_until"] and s["deferred_until"] > day)]
        if not open_steps:
            return
        step = open_steps[rest[0] % len(open_steps)]
        if kind == "done":
            book.run(day, "todo", "done", step["id"])
        elif kind == "defer":
            until = (date.fromisoformat(day) + timedelta(days=rest[1])).isoformat()
            book.run(day, "todo", "defer", step["id"], "--until", until)
        else:
            book.run(day, "todo", "assign", step["id"], "--to", rest[1])
    else:
        risks = book.risks(day)
        if not risks:
            return
        risk = risks[rest[0] % len(risks)]
        if kind == "resolve":
            book.run(day, "risk", "resolve", str(risk["id"]))
        else:
            until = (date.fromisoformat(day) + timedelta(days=rest[1])).isoformat()
            book.run(day, "risk", "snooze", str(risk["id"]), "--until", until)


def check_one_run_per_risk(book: Book, day: str) -> Any:
    """Every step of the day belongs to one open risk's one run, dated from that risk's day; returns the answer."""
    risks = {str(r["id"]): r for r in book.risks(day)}
    runs: dict[str, set[str]] = defaultdict(set)
    keys = []
    for step in book.steps(day):
        risk_id = step["reason"].split("opened by risk ", 1)[1].split(" ", 1)[0]
        assert risk_id in risks, (day, step["reason"])  # no step of a risk that is not open
        _prefix, playbook, number, run_key = step["rule_key"].split(":", 3)
        runs[risk_id].add(f"{playbook}|{run_key}")
        keys.append((playbook, number, run_key))
        since = run_key.rpartition("@")[2]
        assert since == (risks[risk_id]["raised_on"] or "undated"), (day, step["rule_key"], risks[risk_id])
    assert all(len(found) == 1 for found in runs.values()), runs  # one run per risk
    assert len(keys) == len(set(keys))  # every step once
    listed = book.run(day, "playbook", "list", "--all-owners", "--format", "json")
    assert sum(p["open_runs"] for p in listed) == len(risks)  # every open risk has its run, and only one
    return sorted(json.dumps(s, sort_keys=True) for s in book.steps(day))


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES:
        pytest.skip("no PostgreSQL server: set CSM_TEST_POSTGRES_URL")
    return str(request.param)


def fresh_book(backend: str) -> Iterator[Book]:
    folder = scratch_folder() / f"playbook-runs-{backend}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    urls = server_database() if backend == "postgres" else iter([str(folder / "book.db")])
    for url in urls:
        book = Book(url, folder)
        book.load("accounts", ACCOUNTS_CSV)
        book.load("tickets", TICKETS_CSV)
        yield book


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(sequence=st.lists(commands, min_size=1, max_size=7), looked=st.lists(days, min_size=1, max_size=3))
def test_one_run_per_risk_whatever_the_days_and_commands(
    backend: str, sequence: list[tuple[Any, ...]], looked: list[str]
) -> None:
    for book in fresh_book(backend):
        for command in sequence:
            apply(book, command)
            check_one_run_per_risk(book, command[1])
        for day in looked:
            first = check_one_run_per_risk(book, day)
            assert first == sorted(json.dumps(s, sort_keys=True) for s in book.steps(day, cache="fresh"))
