"""The stories examples/README.md tells come out of the engine when the example book is imported file by file."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from csm.cli import app
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
Csm = Callable[..., Any]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Csm:
    """The example book, imported once per module in book.toml's order; returns a runner giving parsed JSON."""
    manifest = tomllib.loads((EXAMPLES / "book.toml").read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("example-book")
    config = folder / "config.toml"
    config.write_text(
        f"owner = {json.dumps(manifest['owner'])}\n"
        f"owner_aliases = {json.dumps(manifest['owner_aliases'])}\n"
        f"internal_domains = {json.dumps(manifest['internal_domains'])}\n",
        encoding="utf-8",
    )
    env = {
        "CSM_DB": str(folder / "book.db"),
        "CSM_CONFIG": str(config),
        "CSM_AS_OF": manifest["as_of"],
        "CSM_TIMEZONE": manifest["timezone"],
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return json.loads(result.stdout) if "json" in args else result.stdout

    for item in manifest["import"]:
        run("import", item["kind"], str(EXAMPLES / item["file"]))
    return run


def rules_of(risks: list[dict[str, Any]], account: str) -> set[str]:
    return {r["rule"] for r in risks if r["account"] == account}


def kinds_of(todos: list[dict[str, Any]], account: str) -> set[str]:
    return {t["kind"] for t in todos if t["account"] == account}


@pytest.fixture(scope="module")
def risks(example: Csm) -> list[dict[str, Any]]:
    return example("risk", "--all-owners", "--format", "json")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def todos(example: Csm) -> list[dict[str, Any]]:
    return example("todo", "list", "--all-owners", "--format", "json")  # type: ignore[no-any-return]


def test_halvorsen_shows_a_ticket_surge_and_an_open_critical_ticket(risks: list[dict[str, Any]]) -> None:
    assert rules_of(risks, "Halvorsen Freight") == {"critical_ticket_open", "ticket_volume"}
    (surge,) = [r for r in risks if r["account"] == "Halvorsen Freight" and r["rule"] == "ticket_volume"]
    assert surge["evidence"] == "14 new tickets in the last 28 days (limit 10), up from 5 in the 28 days before"


def test_cobaltline_shows_a_support_backlog_a_detractor_and_no_exec_sponsor(risks: list[dict[str, Any]]) -> None:
    found = rules_of(risks, "Cobaltline Logistics")
    assert {"open_tickets", "nps_detractor", "no_exec_sponsor"} <= found
    (backlog,) = [r for r in risks if r["account"] == "Cobaltline Logistics" and r["rule"] == "open_tickets"]
    assert backlog["evidence"] == "7 tickets open at once (limit 5); the oldest has waited 32 days (limit 14)"


def test_quillmark_silence_is_a_warning(risks: list[dict[str, Any]]) -> None:
    (silence,) = [r for r in risks if r["rule"] == "support_silence"]
    assert silence["account"] == "Quillmark Publishing"
    assert "2026-10-22" in silence["evidence"]


def test_ferncliff_champion_left_with_a_successor_logged(
    risks: list[dict[str, Any]], todos: list[dict[str, Any]]
) -> None:
    (left,) = [r for r in risks if r["account"] == "Ferncliff Health Partners" and r["rule"] == "champion_left"]
    assert "Priya Nandakumar left on 2027-02-12" in left["evidence"]
    assert "a new one is logged" in left["evidence"]  # Tomás Ruiz-Delgado, from contacts_updates.csv
    assert "champion_change" in kinds_of(todos, "Ferncliff Health Partners")


def test_marlowe_and_finch_detractor_with_falling_nps(risks: list[dict[str, Any]]) -> None:
    (answer,) = [r for r in risks if r["account"] == "Marlowe & Finch Legal" and r["category"] == "sentiment"]
    assert answer["rule"] == "nps_detractor" and answer["evidence"].endswith("down from an average of 8.7 before")


def test_only_the_story_accounts_raise_support_or_nps_alarms(risks: list[dict[str, Any]]) -> None:
    support = {r["account"] for r in risks if r["category"] == "support"}
    assert support == {"Halvorsen Freight", "Cobaltline Logistics", "Quillmark Publishing"}
    nps = {r["account"] for r in risks if r["rule"] in ("nps_detractor", "nps_falling")}
    assert nps == {"Cobaltline Logistics", "Marlowe & Finch Legal"}


def test_kestrel_renewal_outreach_at_120_days_and_tidewater_at_119(todos: list[dict[str, Any]]) -> None:
    (kestrel,) = [
        t for t in todos if t["account"] == "Kestrel Aerospace Components" and t["kind"] == "renewal_outreach"
    ]
    assert "in 120 days" in kestrel["title"] and kestrel["due"] == "2027-03-01"
    assert "renewal_outreach" in kinds_of(todos, "Tidewater Credit Union")
    assert {"touch_overdue", "ebr_due", "milestone_due"} <= kinds_of(todos, "Kestrel Aerospace Components")


def test_pinecrest_renewal_is_overdue(todos: list[dict[str, Any]]) -> None:
    (overdue,) = [t for t in todos if t["kind"] == "renewal_overdue"]
    assert overdue["account"] == "Pinecrest Dental Group"
    assert "14 days overdue" in overdue["title"]


def test_saltmarsh_onboarding_is_behind(risks: list[dict[str, Any]], todos: list[dict[str, Any]]) -> None:
    implementation = [r for r in risks if r["category"] == "implementation"]
    assert [(r["account"], r["rule"]) for r in implementation] == [("Saltmarsh Robotics", "onboarding_behind")]
    assert "45 days ago" in implementation[0]["evidence"]
    assert "onboarding" in kinds_of(todos, "Saltmarsh Robotics")


def test_ostrava_gets_the_60_day_reminder_and_is_single_threaded(
    risks: list[dict[str, Any]], todos: list[dict[str, Any]]
) -> None:
    assert "renewal_reminder" in kinds_of(todos, "Ostrava Tooling")
    assert "renewal_outreach" not in kinds_of(todos, "Ostrava Tooling")
    assert "single_threaded" in rules_of(risks, "Ostrava Tooling")
    assert "single_threaded" in rules_of(risks, "Pinecrest Dental Group")


def test_touch_overdue_matches_the_segment_cadences(todos: list[dict[str, Any]]) -> None:
    """Tidewater (48 days) is overdue too, but today's 15:30 meeting with it covers the touch; Kestrel's
    internal prep meeting tomorrow does not (colleagues only)."""
    overdue = {t["account"] for t in todos if t["kind"] == "touch_overdue"}
    assert overdue == {
        "Kestrel Aerospace Components", "Pellucid Imaging", "Quillmark Publishing", "Moonrise Bookkeeping",
        "Emberwick Candles",
    }  # fmt: skip


def test_advocates_are_the_four_promoters_with_proven_value(example: Csm) -> None:
    found = example("advocates", "--all-owners", "--format", "json")
    assert {a["account"] for a in found if a["candidate"]} == {
        "Greenhollow Energy", "Lindqvist Bakeries", "Ardent Biosystems", "Glimmerglass Optics",
    }  # fmt: skip


def test_gaps_are_led_by_sso_with_okta_scim(example: Csm) -> None:
    found = example("gaps", "--all-owners", "--format", "json")
    assert [(g["feature"], g["account_count"], g["arr"]) for g in found[:4]] == [
        ("SSO with Okta SCIM", 6, 845_000.0),
        ("Custom report builder", 5, 681_400.0),
        ("Salesforce two-way sync", 4, 383_000.0),
        ("Audit log export to S3", 3, 347_000.0),
    ]
    assert len(found) == 10


def test_renewals_inside_120_days(example: Csm) -> None:
    report = example("renewals", "--within", "120", "--all-owners", "--format", "json")
    days = {r["account"]: r["days"] for r in report["renewals"]}
    assert days["Pinecrest Dental Group"] == -14
    assert days["Ostrava Tooling"] == 60
    assert days["Tidewater Credit Union"] == 119
    assert days["Kestrel Aerospace Components"] == 120
    assert sum(q["arr"] for q in report["by_quarter"]) == report["total_arr"]
    assert sum(m["accounts"] for m in report["by_month"]) == len(report["renewals"])


def test_every_report_runs_on_the_example_book(example: Csm) -> None:
    today = example("today", "--format", "json")
    assert today["todos"] and today["risks"]
    again = example("today", "--format", "json")
    assert [t["id"] for t in again["todos"]] == [t["id"] for t in today["todos"]]
    health = example("health", "Halvorsen Freight", "--format", "json")
    assert health["band"] in ("green", "yellow", "red") and health["confidence"] == 1.0
    assert example("health", "--format", "json")
    assert example("changes", "--since", "2027-02-01", "--format", "json")
    explained = example("todo", "list", "--explain", "--format", "json")
    assert all(t["terms"] for t in explained)
    assert "kind" in example("todo", "list", "--explain")
    for args in (("risk",), ("renewals",), ("gaps",), ("advocates",), ("health",)):
        assert example(*args)  # the table renderings
