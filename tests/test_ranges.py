"""Numbers and dates beyond what csm computes with get one clear line, on the command line, in the config and in
reports, never `unexpected error: OverflowError`; inf and nan are never numbers; `true` is not 1."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CsmRunner, Run


def refused_in_words(run: Run, *words: str, code: int = 2) -> None:
    text = run.out + run.err
    assert run.code == code, text
    assert "unexpected" not in text and "Traceback" not in text and "OverflowError" not in text
    errors = [line for line in run.err.splitlines() if "rror" in line]
    assert len(errors) == 1, run.err
    for word in words:
        assert word in errors[0], run.err


@pytest.fixture
def acme(csm: CsmRunner) -> CsmRunner:
    assert csm("account", "add", "Acme Corp", "--arr", "50000", "--renewal", "2027-05-01").code == 0
    assert csm("todo", "add", "Call Acme", "--account", "Acme Corp").code == 0
    return csm


REPORTS = [("today",), ("risk",), ("health",), ("renewals",), ("gaps",), ("todo", "list"), ("prep", "Acme Corp"),
           ("ebr", "Acme Corp"), ("advocates",)]  # fmt: skip


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "+99999999d", "-99999999999999999999d"])
@pytest.mark.parametrize("args", REPORTS, ids=lambda a: " ".join(a))
def test_an_as_of_beyond_the_calendar_is_refused_in_one_line(acme: CsmRunner, args: tuple[str, ...], day: str) -> None:
    refused_in_words(acme(*args, "--as-of", day), "out of range", "1900-01-01", "2999-12-31")


def test_the_edges_of_the_range_still_work(acme: CsmRunner) -> None:
    for day in ("1900-01-01", "2999-12-31"):
        run = acme("today", "--as-of", day, "--format", "json")
        assert run.code == 0, run.err
        assert run.json()["as_of"] == day


def test_csm_as_of_beyond_the_calendar_is_refused(acme: CsmRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from csm.cli import app

    for day in ("9999-12-31", "0001-01-01"):
        monkeypatch.setenv("CSM_AS_OF", day)
        run = Run(CliRunner().invoke(app, ["today"]))
        refused_in_words(run, "CSM_AS_OF", "out of range", code=1)


@pytest.mark.parametrize(
    "args",
    [
        ("todo", "add", "Call", "--due", "+99999999d"),
        ("todo", "add", "Call", "--due", "9999-12-31"),
        ("todo", "defer", "1", "--until", "+99999999999999999999d"),
        ("account", "add", "Globex", "--renewal", "0001-01-01"),
        ("account", "edit", "Acme Corp", "--contract-start", "9999-12-31"),
        ("log", "Acme Corp", "--summary", "x", "--date", "0001-01-01"),
        ("changes", "--since", "0001-01-01"),
    ],
    ids=lambda a: " ".join(a),
)
def test_dates_given_to_commands_are_kept_in_range(acme: CsmRunner, args: tuple[str, ...]) -> None:
    refused_in_words(acme(*args), "out of range")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("plan", "reached", "99999999999999999999"), "range"),
        (("account", "add", "Globex", "--licences", "99999999999999999999"), "range"),
        (("account", "edit", "Acme Corp", "--licences", "99999999999999999999"), "range"),
        (("account", "add", "Globex", "--arr", "1e400"), "out of range"),
        (("account", "add", "Globex", "--arr", "inf"), "out of range"),
        (("account", "add", "Globex", "--arr", "nan"), "out of range"),
        (("account", "add", "Globex", "--arr", "-5"), "below 0"),
        (("account", "add", "Globex", "--ebr-every", "99999999999999"), "range"),
        (("plan", "add", "Acme Corp", "Goal", "--metric", "h", "--baseline", "nan"), "out of range"),
        (("plan", "add", "Acme Corp", "Goal", "--metric", "h", "--target", "-inf"), "out of range"),
        (("renewals", "--within", "99999999999"), "range"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else a,
)
def test_numbers_given_to_commands_are_kept_in_range(acme: CsmRunner, args: tuple[str, ...], words: str) -> None:
    refused_in_words(acme(*args), words)
    assert [a["name"] for a in acme("account", "list", "--format", "json").json()] == ["Acme Corp"]


@pytest.mark.parametrize(
    "args",
    [
        ("todo", "done", "99999999999999999999"),
        ("todo", "defer", "99999999999999999999", "--until", "+1d"),
        ("risk", "resolve", "99999999999999999999"),
    ],
    ids=" ".join,
)
def test_an_id_far_beyond_any_is_named_so(acme: CsmRunner, args: tuple[str, ...]) -> None:
    """To-do and risk ids are numbers or letters (what `todo list` shows): a huge number is no id of this book."""
    refused_in_words(acme(*args), "far beyond any id", code=1)


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ("[cadence.touch_days]\nsmb = 99999999999999999999\n", "cadence.touch_days.smb", "out of range"),
        ("[renewal]\noutreach_days = 999999\n", "renewal.outreach_days", "less than or equal to 36500"),
        ("[health.weights]\nadoption = inf\n", "health.weights.adoption", "out of range"),
        ("[urgency]\ndue = nan\n", "urgency.due", "finite number"),
        ("[urgency.kind]\nmanual = nan\n", "urgency.kind.manual", "finite number"),
        ("[urgency]\ndue = 1e300\n", "urgency.due", "out of range"),
        ("[support]\nwindow_days = true\n", "support.window_days", "valid integer"),
        ("[support]\nspike_increase_pct = true\n", "support.spike_increase_pct", "valid number"),
        ('[support]\nwindow_days = "28"\n', "support.window_days", "valid integer"),
        ("owner = 1979-05-27\n", "owner", "date or time"),
    ],
    ids=lambda v: v.splitlines()[0] if "\n" in v else v,
)
def test_config_values_beyond_range_or_of_the_wrong_kind_are_refused(
    acme: CsmRunner, config_path: Path, toml: str, key: str, words: str
) -> None:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(toml)
    for args in (("today", "--format", "json"), ("todo", "list")):
        run = acme(*args)
        refused_in_words(run, f"'{key}'", words, str(config_path), code=1)


def test_a_config_with_whole_numbers_for_decimals_still_works(acme: CsmRunner, config_path: Path) -> None:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text("[support]\nspike_increase_pct = 40\n[health.weights]\nadoption = 30\n")
    assert acme("today", "--format", "json").code == 0


def test_a_non_finite_number_already_in_a_book_still_gives_valid_json(acme: CsmRunner, book_path: Path) -> None:
    connection = sqlite3.connect(book_path)
    connection.execute("UPDATE accounts SET arr = 1e999")  # what an older csm let in with --arr 1e400
    connection.commit()
    connection.close()
    for args in (("account", "list"), ("today",), ("renewals",)):
        run = acme(*args, "--format", "json")
        assert run.code == 0, run.err
        json.loads(run.out)  # NaN and Infinity are not JSON
        assert "Infinity" not in run.out and "NaN" not in run.out


def test_dates_at_the_edge_of_python_in_a_book_give_one_line_at_worst(acme: CsmRunner, book_path: Path) -> None:
    assert acme("account", "add", "Old Co", "--arr", "100").code == 0
    connection = sqlite3.connect(book_path)
    connection.execute("UPDATE accounts SET renewal_date = '0001-01-02' WHERE name = 'Old Co'")
    connection.execute(
        "UPDATE accounts SET renewal_date = '9999-12-31', contract_start = '0001-01-01', first_value_on = '0001-01-01' "
        "WHERE name = 'Acme Corp'"
    )
    connection.commit()
    connection.close()
    refusals = 0
    for args in (*REPORTS, ("changes", "--since", "2026-01-01"), ("account", "show", "Acme Corp")):
        run = acme(*args)
        if run.code != 0:
            refused_in_words(run, "beyond what csm can compute with", code=1)
            refusals += 1
    assert refusals < len(REPORTS)  # most reports still work around such a date
