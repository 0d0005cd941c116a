"""Hypothesis: for random books and random sequences of commands and days, the answer for a day depends only on
the book and the decisions made by that day. Reading (any command, any day, cached or not) changes nothing; a
decision made on a day changes no earlier day."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csm.cli import app
from tests.domain.real_book import scratch_folder
from tests.domain.test_rules_never_crash import accounts_with_history, write_book

AS_OF = date(2027, 3, 1)
READS = (("today",), ("risk",), ("todo", "list"), ("health",), ("renewals",), ("changes", "--since", "2027-01-01"))
days = st.integers(-200, 200).map(lambda n: (AS_OF + timedelta(days=n)).isoformat())


def cli(book: str, cache: Path, day: str, *args: str) -> Any:
    env = {"CSM_DB": book, "CSM_CONFIG": str(cache / "none.toml"), "CSM_AS_OF": day,
           "CSM_TIMEZONE": "America/New_York", "CSM_CACHE_DIR": str(cache), "NO_COLOR": "1"}  # fmt: skip
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, (args, result.stderr)
    return json.loads(result.stdout) if "json" in args else result.stdout


def answers(book: str, cache: Path, day: str) -> Any:
    return [
        cli(book, cache, day, *command, "--format", "json") for command in (("today",), ("risk",), ("todo", "list"))
    ]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    books=st.lists(accounts_with_history, min_size=1, max_size=3),
    reads=st.lists(st.tuples(days, st.sampled_from(READS)), min_size=1, max_size=6),
    asked=st.lists(days, min_size=1, max_size=3),
)
def test_reading_any_day_in_any_order_changes_no_answer(books: list[Any], reads: list[Any], asked: list[str]) -> None:
    folder = scratch_folder() / "property"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    book = write_book(books)
    pristine = str(folder / "pristine.db")
    shutil.copyfile(book, pristine)
    for day, command in reads:
        cli(book, folder / "cache", day, *command)
    for day in asked:
        assert answers(book, folder / "cache", day) == answers(pristine, folder / "fresh", day)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    books=st.lists(accounts_with_history, min_size=1, max_size=3),
    decided=st.integers(0, 60),
    pick=st.integers(0, 1000),
    action=st.sampled_from(["done", "dismiss", "defer", "resolve", "snooze"]),
)
def test_a_decision_changes_no_day_before_it(books: list[Any], decided: int, pick: int, action: str) -> None:
    folder = scratch_folder() / "decisions"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    book = write_book(books)
    day = (AS_OF + timedelta(days=decided)).isoformat()
    earlier = [(AS_OF + timedelta(days=decided - back)).isoformat() for back in (1, 30)]
    before = [answers(book, folder / "cache", d) for d in earlier]
    items = cli(book, folder / "cache", day, "risk" if action in ("resolve", "snooze") else "todo", *(
        () if action in ("resolve", "snooze") else ("list",)), "--format", "json")  # fmt: skip
    if not items:
        return
    chosen = items[pick % len(items)]
    until = (AS_OF + timedelta(days=decided + 7)).isoformat()
    command = {
        "done": ("todo", "done", str(chosen["id"])),
        "dismiss": ("todo", "dismiss", str(chosen["id"])),
        "defer": ("todo", "defer", str(chosen["id"]), "--until", until),
        "resolve": ("risk", "resolve", str(chosen["id"])),
        "snooze": ("risk", "snooze", str(chosen["id"]), "--until", until),
    }[action]
    cli(book, folder / "cache", day, *command)
    assert [answers(book, folder / "cache", d) for d in earlier] == before
    after = cli(
        book, folder / "cache", day, *command[:1], *(() if command[0] == "risk" else ("list",)), "--format", "json"
    )
    shown = [item for item in after if item["id"] == chosen["id"]]
    if action == "defer":
        assert shown and shown[0]["deferrals"] == chosen["deferrals"] + 1 and shown[0]["deferred_until"] == until
    else:
        assert not shown


def test_a_champion_leaving_tomorrow_is_still_there_today() -> None:
    """Found by the decision property: a departure dated after the day looked at has not happened on that day."""
    folder = scratch_folder() / "leaving"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    account = {"arr": None, "churned_on": None, "contract_start": None, "created": 0, "ebr_cadence_months": None,
               "first_value_on": None, "lifecycle_stage": None, "renewal_date": None, "renewal_sentiment": None,
               "segment": None}  # fmt: skip
    champion = {"changed_title": None, "created": 0, "left_on": 1, "role": "champion", "talked": []}
    book = write_book([(account, [champion], [], [], [], [], [], [])])

    def rules(day: str) -> list[str]:
        return [risk["rule"] for risk in cli(book, folder / "cache", day, "risk", "--format", "json")]

    assert rules("2027-03-01") == ["single_threaded"]  # the one relationship, not yet gone
    assert rules("2027-03-02") == ["champion_left"]
