"""Plain words (issue 13): labels and values in a CSM's words on every surface but JSON, money in the account's
currency, and no rule ids, snake_case keys or Python reprs in text."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.conftest import ok
from tests.conftest import CsmRunner

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
TEXT_COMMANDS = [
    ("today",), ("risk",), ("todo", "list"), ("todo", "list", "--explain"), ("renewals",),
    ("renewals", "--explain"), ("gaps",), ("advocates",), ("health",), ("health", "Halvorsen Freight", "--explain"),
    ("changes", "--since", "2027-02-01"), ("metrics",), ("team",), ("prep", "Halvorsen Freight"),
    ("prep", "Ostrava Tooling"), ("prep", "Cobaltline Logistics"), ("account", "show", "Halvorsen Freight"),
    ("account", "list"), ("contact", "list"), ("plan", "show", "Halvorsen Freight"),
]  # fmt: skip


def test_no_snake_case_or_reprs_in_any_text_output_of_the_demo(demo: CsmRunner) -> None:
    """The words a CSM reads: no `ebr_due`, `mid_market`, `on_track`, `penalties={...}` (csm's commands the
    text suggests, like `csm log ... --kind ebr`, are the exception: they are typed as shown)."""
    wrong = {}
    for command in TEXT_COMMANDS:
        for output_format in ("table", "md"):
            out = ok(demo(*command, "--format", output_format)).out if command[0] != "prep" else ok(demo(*command)).out
            found = sorted(set(SNAKE.findall(out)))
            if found or "={" in out or "{'" in out:
                wrong[(*command, output_format)] = found
    assert wrong == {}


def test_an_account_card_has_labels_and_its_money_in_words(demo: CsmRunner) -> None:
    card = ok(demo("account", "show", "Ostrava Tooling")).out
    lines = {line.split("  ")[0]: line for line in card.splitlines()}
    assert "ARR" in lines and "$42k" in lines["ARR"]
    assert "segment" in lines and "mid-market" in lines["segment"]
    assert "days to renewal" in lines and "stage" in lines
    shown = ok(demo("account", "show", "Ostrava Tooling", "--format", "json")).json()
    assert shown["arr"] == 42000.0 and shown["segment"] == "mid_market" and shown["days_to_renewal"] == 60


def test_money_is_in_the_accounts_currency(csm: CsmRunner, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "name,arr,currency,renewal_date\nMüller Logistik GmbH,120000,EUR,2027-06-30\nTaylor & Sons,9500,GBP,2027-09-01\n"
        "Zurich Re,250000,CHF,2027-12-01\nAcme,48000,,2027-08-01\n",
        encoding="utf-8",
    )
    ok(csm("import", "accounts", str(path)))
    listing = ok(csm("account", "list")).out
    assert "€120,000" in listing and "£9,500" in listing and "CHF 250,000" in listing and "$48,000" in listing
    assert "€120k" in ok(csm("account", "show", "Müller")).out
    assert "ARR €120k" in ok(csm("prep", "Müller")).out
    rows = ok(csm("account", "list", "--format", "json")).json()
    assert {r["name"]: (r["arr"], r["currency"]) for r in rows}["Zurich Re"] == (250000.0, "CHF")


def test_a_health_explanation_reads_as_words(demo: CsmRunner) -> None:
    shown = " ".join(ok(demo("health", "Halvorsen Freight", "--explain")).out.split())
    assert "new tickets in the last 28 days 14, in the 28 days before 5" in shown
    assert "points off for a critical ticket open (40), new tickets over the limit (20), a spike (25)" in shown
    assert "seats in use 89%" in shown and "success plan" in shown
    component = ok(demo("health", "Halvorsen Freight", "--format", "json")).json()["components"][2]
    assert component["name"] == "support" and component["inputs"]["penalties"] == {
        "critical_open": 40, "volume": 20, "spike": 25
    }  # fmt: skip


def test_prep_shows_adoption_in_words(demo: CsmRunner) -> None:
    prep = " ".join(ok(demo("prep", "Halvorsen Freight")).out.split())
    assert "adoption measured on 2027-02-28, active users 354, licensed seats 400, seats in use 89%" in prep
