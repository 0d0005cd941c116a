"""Retention on both backends: a book worked out by hand with every figure asserted, period edges, and the same
outcomes imported from an opportunities file.

The hand-worked book, quarter 2027Q1 (2027-01-01 .. 2027-03-31), all accounts entered on 2026-10-01:

    Acme    $100,000, renewal 2027-02-15   renewed 2027-02-10 at $110,000 (up, on time)
    Bolt     $50,000, renewal 2027-03-20   renewed 2027-03-25 at  $40,000 (down, late)
    Cobalt   $30,000, renewal 2027-03-01   churned 2027-02-20, competitor
    Echo     $60,000, renewal 2027-06-30   renews after the quarter
    Dune     $20,000, a new logo on 2027-01-15

    cohort 4, starting ARR 240,000; expansion 10,000 (Acme); contraction 10,000 (Bolt); churn 30,000 (Cobalt)
    GRR = (240,000 - 10,000 - 30,000) / 240,000 = 0.8333     NRR = (200,000 + 10,000) / 240,000 = 0.875
    logo retention = 3 / 4 = 0.75; new logos 1 ($20,000), not in the ratios
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csm.cli import app

Run = Callable[..., Any]

ACCOUNTS = [
    ("Acme", 100_000, "2027-02-15", "2026-02-15"),
    ("Bolt", 50_000, "2027-03-20", "2026-03-20"),
    ("Cobalt", 30_000, "2027-03-01", "2026-03-01"),
    ("Echo", 60_000, "2027-06-30", "2026-06-30"),
]


@pytest.fixture
def csm_on(book_url: str, tmp_path: Path) -> Run:
    """Run csm on the test's book (SQLite or PostgreSQL) as if today were `day`; returns stdout, or the run itself
    with `check=False`."""
    config = tmp_path / "config.toml"
    config.write_text('timezone = "America/New_York"\n')
    runner = CliRunner()

    def run(day: str, *args: str, check: bool = True) -> Any:
        env = {
            "CSM_DB": book_url, "CSM_CONFIG": str(config), "CSM_AS_OF": day, "CSM_TIMEZONE": "America/New_York",
            "CSM_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "200",
        }  # fmt: skip
        result = runner.invoke(app, list(args), env=env)
        if not check:
            return result
        assert result.exit_code == 0, result.stderr or result.stdout
        return result.stdout

    return run


def metrics(run: Run, day: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run(day, "metrics", "--format", "json", *args))
    return data


def hand_worked_book(run: Run) -> None:
    for name, arr, renewal, start in ACCOUNTS:
        run("2026-10-01", "account", "add", name, "--arr", str(arr), "--renewal", renewal, "--contract-start", start)
    run("2027-01-15", "account", "add", "Dune", "--arr", "20000", "--renewal", "2028-01-15")
    run("2027-02-10", "renew", "Acme", "--arr", "110000")
    run("2027-02-20", "churn", "Cobalt", "--reason", "competitor", "--note", "moved to a cheaper tool")
    run("2027-03-25", "renew", "Bolt", "--arr", "40000")


EXPECTED_Q1 = {
    "cohort": 4,
    "starting_arr": 240_000.0,
    "expansion": 10_000.0,
    "contraction": 10_000.0,
    "churn": 30_000.0,
    "churned": 1,
    "ending_arr": 210_000.0,
    "grr": 0.8333,
    "nrr": 0.875,
    "logo_retention": 0.75,
    "new_logos": 1,
    "new_logo_arr": 20_000.0,
    "reactivated": 0,
    "entered": 0,
}


def test_a_hand_worked_quarter_has_exact_figures(csm_on: Run) -> None:
    hand_worked_book(csm_on)
    report = metrics(csm_on, "2027-04-15", "--period", "2027Q1")
    assert {key: report[key] for key in EXPECTED_Q1} == EXPECTED_Q1
    assert report["period"] == {
        "label": "2027Q1", "start": "2027-01-01", "end": "2027-03-31", "through": "2027-03-31", "running": False,
    }  # fmt: skip
    assert report["history_starts"] == "2026-10-01"
    assert report["renewals"] == {
        "due": 3, "due_arr": 180_000.0, "renewed_on_time": 1, "renewed_late": 1, "renewed_arr_before": 150_000.0,
        "renewed_arr_after": 150_000.0, "renewed_unknown_before": 0, "renewed_arr": 150_000.0, "churned": 1,
        "churned_arr": 30_000.0, "open": 0, "open_overdue": 0, "open_arr": 0.0,
    }  # fmt: skip
    assert report["churn_reasons"] == [{"reason": "competitor", "accounts": 1, "arr": 30_000.0, "names": ["Cobalt"]}]


def test_a_running_quarter_shows_figures_to_date_and_says_so(csm_on: Run) -> None:
    hand_worked_book(csm_on)
    report = metrics(csm_on, "2027-03-01")  # the default period: this quarter
    assert report["period"]["label"] == "2027Q1" and report["period"]["running"] is True
    assert report["period"]["through"] == "2027-03-01"
    # Bolt renews on 2027-03-25, after the day looked from: still open then, with no contraction yet
    assert (report["expansion"], report["contraction"], report["churn"]) == (10_000.0, 0.0, 30_000.0)
    assert (report["grr"], report["nrr"]) == (0.875, 0.9167)
    assert (report["renewals"]["open"], report["renewals"]["open_overdue"], report["renewals"]["churned"]) == (1, 0, 1)
    assert any("still running" in note for note in report["notes"])
    table = csm_on("2027-03-01", "metrics")
    assert "GRR" in table and "87.5%" in table and "to date" in table


def test_renew_rolls_the_date_forward_and_closes_the_renewals_to_dos(csm_on: Run) -> None:
    hand_worked_book(csm_on)
    accounts = {a["name"]: a for a in json.loads(csm_on("2027-04-15", "account", "list", "--format", "json"))}
    assert (accounts["Acme"]["renewal_date"], accounts["Acme"]["arr"]) == ("2028-02-15", 110_000.0)
    assert (accounts["Bolt"]["renewal_date"], accounts["Bolt"]["arr"]) == ("2028-03-20", 40_000.0)
    assert (accounts["Cobalt"]["lifecycle_stage"], accounts["Cobalt"]["arr"]) == ("churned", 0.0)
    todos = json.loads(csm_on("2027-03-25", "todo", "list", "--format", "json"))
    assert not [t for t in todos if t["kind"].startswith("renewal") and t["account"] in ("Acme", "Bolt", "Cobalt")]
    # the renewal to-dos open on the renewal's day were recorded as done: a look back at that day (the renewal
    # date now moved) shows none of them, and moving the date back keeps them closed
    csm_on("2027-04-15", "account", "edit", "Bolt", "--renewal", "2027-03-20")
    todos = json.loads(csm_on("2027-04-15", "todo", "list", "--format", "json"))
    assert not [t for t in todos if t["account"] == "Bolt" and t["kind"] == "renewal_overdue"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--period", "2027Q5"), "is not a period"),
        (("--period", "2027-13"), "is not a period"),
        (("--period", "2027Q1", "--from", "2027-01-01"), "not both"),
        (("--to", "2027-02-01"), "--to needs --from"),
        (("--from", "2027-03-01", "--to", "2027-02-01"), "ends (2027-02-01) before it starts"),
        (("--period", "2027Q3"), "starts after 2027-04-15"),
    ],
)
def test_a_bad_period_is_one_line_and_exit_1(csm_on: Run, args: tuple[str, ...], words: str) -> None:
    csm_on("2027-04-15", "account", "add", "Acme", "--arr", "1000")
    result = csm_on("2027-04-15", "metrics", *args, check=False)
    assert result.exit_code == 1 and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_bad_day_in_from_or_to_is_a_usage_error_naming_the_option(csm_on: Run) -> None:
    csm_on("2027-04-15", "account", "add", "Acme", "--arr", "1000")
    for option in ("--from", "--to"):
        args = ("--from", "2027-03-01", "--to", "2027-02-30") if option == "--to" else ("--from", "2027-02-30")
        result = csm_on("2027-04-15", "metrics", *args, check=False)
        assert result.exit_code == 2 and f"Invalid value for {option}: '2027-02-30' is not a date" in result.stderr


def test_from_and_to_take_the_relative_grammar_from_the_as_of_day(csm_on: Run) -> None:
    csm_on("2027-04-15", "account", "add", "Acme", "--arr", "1000")
    report = json.loads(
        csm_on("2027-04-15", "metrics", "--from", "last month", "--to", "yesterday", "--format", "json")
    )
    assert (report["period"]["start"], report["period"]["end"]) == ("2027-03-15", "2027-04-14")


def test_period_edges_churn_on_the_first_and_last_day_a_reactivation_and_a_correction(csm_on: Run) -> None:
    run = csm_on
    for name, arr in (("First", 10_000), ("Last", 20_000), ("Lapsed", 5_000), ("Typo", 10_000), ("Steady", 40_000)):
        run("2026-10-01", "account", "add", name, "--arr", str(arr))
    run("2026-11-01", "churn", "Lapsed", "--reason", "budget")
    run("2027-03-31", "churn", "Last", "--reason", "budget")  # the quarter's last day: Q1's churn
    run("2027-04-01", "churn", "First", "--reason", "product_fit")  # Q2's first day: Q2's churn, not Q1's
    run("2027-02-01", "account", "edit", "Lapsed", "--arr", "8000")  # it came back
    run("2027-02-05", "account", "edit", "Typo", "--arr", "100000", "--correct")  # the typo was 10,000

    q1 = metrics(run, "2027-04-15", "--period", "2027Q1")
    assert (q1["cohort"], q1["starting_arr"], q1["churned"], q1["churn"]) == (4, 170_000.0, 1, 20_000.0)
    assert (q1["expansion"], q1["contraction"]) == (0.0, 0.0)  # the correction is not growth
    assert (q1["reactivated"], q1["reactivated_arr"]) == (1, 8_000.0)
    assert (q1["grr"], q1["nrr"], q1["logo_retention"]) == (0.8824, 0.8824, 0.75)
    q2 = metrics(run, "2027-04-15", "--period", "2027Q2")
    # cohort on 2027-04-01: First (churned that day), Typo, Steady, Lapsed (back); Last was lost in Q1
    assert (q2["cohort"], q2["starting_arr"], q2["churned"], q2["churn"]) == (4, 158_000.0, 1, 10_000.0)
    march = metrics(run, "2027-04-15", "--period", "2027-03")
    assert (march["churned"], march["churn"]) == (1, 20_000.0)
    # before the correction was made, the book said 10,000: a look at that day is what the book knew then
    early = metrics(run, "2027-02-01", "--from", "2027-01-01", "--to", "2027-01-31")
    assert early["starting_arr"] == 80_000.0
    assert metrics(run, "2027-04-15", "--from", "2027-01-01", "--to", "2027-01-31")["starting_arr"] == 170_000.0


def test_a_book_imported_today_says_its_history_starts_today(csm_on: Run, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,arr,renewal_date\nAcme,100000,2027-06-29\nBolt,50000,2027-09-30\n")
    csm_on("2027-03-01", "import", "accounts", str(accounts))
    quarter = metrics(csm_on, "2027-03-01")
    assert (quarter["cohort"], quarter["grr"], quarter["nrr"], quarter["new_logos"]) == (0, None, None, 0)
    assert (quarter["entered"], quarter["entered_arr"]) == (2, 150_000.0)
    assert any("history starts on 2027-03-01" in note and "--from 2027-03-01" in note for note in quarter["notes"])
    since = metrics(csm_on, "2027-03-01", "--from", "2027-03-01")
    assert (since["cohort"], since["starting_arr"], since["grr"], since["nrr"]) == (2, 150_000.0, 1.0, 1.0)
    assert "n/a" in csm_on("2027-03-01", "metrics")


OPPORTUNITIES = """Opportunity ID,Opportunity Name,Account Name,Type,Stage,Amount,Close Date,Loss Reason
006A,Acme - Renewal FY28,Acme,Renewal,Closed Won,"$110,000.00",02/10/2027,
006B,Bolt - Renewal FY28,Bolt,Renewal,Closed Won,"$40,000.00",03/25/2027,
006C,Cobalt - Renewal FY28,Cobalt,Renewal,Closed Lost,"$30,000.00",02/20/2027,Lost to Competitor
006D,Dune - New Business,Dune,New Business,Closed Won,"$20,000.00",01/15/2027,
006E,Echo - Renewal FY28,Echo,Renewal,Prospecting,"$60,000.00",06/30/2027,
"""


def test_outcomes_imported_from_opportunities_give_the_same_metrics_as_the_commands(
    csm_on: Run, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts.csv"
    rows = "".join(f"{name},{arr},{renewal},{start}\n" for name, arr, renewal, start in ACCOUNTS)
    accounts.write_text("name,arr,renewal_date,contract_start\n" + rows)
    csm_on("2026-10-01", "import", "accounts", str(accounts))
    with_dune = tmp_path / "accounts-2.csv"
    with_dune.write_text(accounts.read_text() + "Dune,20000,2028-01-15,2027-01-15\n")
    csm_on("2027-04-15", "import", "accounts", str(with_dune))
    deals = tmp_path / "opportunities.csv"
    deals.write_text(OPPORTUNITIES)
    csm_on("2027-04-15", "import", "opportunities", str(deals), "--source", "salesforce")
    imported = metrics(csm_on, "2027-04-15", "--period", "2027Q1")
    assert {key: imported[key] for key in EXPECTED_Q1} == EXPECTED_Q1
    assert imported["churn_reasons"][0]["reason"] == "competitor"
    assert (imported["renewals"]["renewed_on_time"], imported["renewals"]["renewed_late"]) == (1, 1)
    again = csm_on("2027-04-16", "import", "opportunities", str(deals), "--source", "salesforce")
    assert re.search(r"salesforce\s+0\s+0\s+5\s", again)  # new, updated, unchanged: nothing recorded twice
    assert metrics(csm_on, "2027-04-15", "--period", "2027Q1") == imported
    listed = {a["name"]: a for a in json.loads(csm_on("2027-04-15", "account", "list", "--format", "json"))}
    assert listed["Acme"]["renewal_date"] == "2028-02-15" and listed["Bolt"]["renewal_date"] == "2028-03-20"
    assert listed["Cobalt"]["lifecycle_stage"] == "churned" and listed["Echo"]["renewal_date"] == "2027-06-30"


def test_a_deal_won_in_another_currency_than_its_account_is_no_arr_change(csm_on: Run, tmp_path: Path) -> None:
    """A euro account's renewal closed won in euros renews it; one in dollars is not taken as euros (csm never
    converts) and the import says so; a renewal lost in dollars is still a churn (a loss takes no amount)."""
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "name,arr,currency,renewal_date,contract_start\n"
        "Berlin,100000,EUR,2027-02-15,2026-02-15\nMunich,50000,EUR,2027-03-20,2026-03-20\n"
        "Hamburg,30000,EUR,2027-02-20,2026-02-20\n"
    )
    csm_on("2026-10-01", "import", "accounts", str(accounts))
    deals = tmp_path / "opportunities.csv"
    deals.write_text(
        "Opportunity ID,Opportunity Name,Account Name,Type,Stage,Amount,Opportunity Currency,Close Date,Loss Reason\n"
        "006A,Berlin - Renewal,Berlin,Renewal,Closed Won,110000,EUR,2027-02-10,\n"
        '006B,Munich - Renewal,Munich,Renewal,Closed Won,"$60,000.00",,2027-03-15,\n'
        "006C,Hamburg - Renewal,Hamburg,Renewal,Closed Lost,40000,USD,2027-02-20,Budget cuts\n"
    )
    run = csm_on("2027-04-15", "import", "opportunities", str(deals), "--source", "salesforce", check=False)
    assert run.exit_code == 0, run.output
    said = " ".join(run.stderr.split())
    assert "closed deals in another currency than their account's are not recorded as ARR changes" in said
    assert "(1 row)" in said
    quarter = metrics(csm_on, "2027-04-15", "--period", "2027Q1")
    assert (quarter["currency"], quarter["starting_arr"], quarter["expansion"], quarter["churn"]) == (
        "EUR", 180_000.0, 10_000.0, 30_000.0
    )  # fmt: skip
    listed = {a["name"]: a for a in json.loads(csm_on("2027-04-15", "account", "list", "--format", "json"))}
    assert (listed["Berlin"]["arr"], listed["Munich"]["arr"]) == (110_000.0, 50_000.0)
    assert listed["Hamburg"]["lifecycle_stage"] == "churned"


def test_metrics_by_segment_sum_to_the_book(csm_on: Run) -> None:
    hand_worked_book(csm_on)
    report = metrics(csm_on, "2027-04-15", "--period", "2027Q1", "--by", "segment")
    enterprise, mid_market = report["groups"]
    assert (enterprise["group"], enterprise["cohort"], enterprise["expansion"]) == ("enterprise", 1, 10_000.0)
    assert (mid_market["group"], mid_market["cohort"], mid_market["churn"]) == ("mid_market", 3, 30_000.0)
    assert (mid_market["new_logos"], mid_market["grr"]) == (1, round((140_000 - 10_000 - 30_000) / 140_000, 4))
    for key in ("starting_arr", "expansion", "contraction", "churn", "cohort", "new_logos"):
        assert enterprise[key] + mid_market[key] == report[key]
    table = csm_on("2027-04-15", "metrics", "--period", "2027Q1", "--by", "segment", "--format", "md")
    assert "## By segment" in table and "| mid_market |" in table


def test_an_account_that_entered_and_churned_in_the_period_says_why_outside_the_ratios(csm_on: Run) -> None:
    csm_on("2026-12-01", "account", "add", "Old", "--arr", "50000")
    csm_on("2027-01-10", "account", "add", "Brno", "--arr", "12000")
    csm_on("2027-03-25", "churn", "Brno", "--reason", "budget")
    quarter = metrics(csm_on, "2027-03-31", "--period", "2027Q1")
    assert (quarter["cohort"], quarter["churn"], quarter["grr"], quarter["new_logos"]) == (1, 0.0, 1.0, 1)
    assert [(c["reason"], c["accounts"], c["arr"], c["names"]) for c in quarter["churn_reasons"]] == [
        ("budget", 1, 12_000.0, ["Brno"])
    ]
    assert (
        "Brno churned in the period after entering the book in it: in the churn reasons, not in the ratios."
        in (quarter["notes"])
    )


def test_an_old_customer_added_on_a_later_day_enters_the_book_and_is_no_new_logo(csm_on: Run) -> None:
    """A book built over days, or an account handed over: a contract that started long before, or a renewal already
    come, says the customer is not new; a contract signed in the last 30 days, or none known, is a new logo."""
    csm_on("2026-12-01", "account", "add", "First", "--arr", "50000")
    handed = csm_on("2027-01-10", "account", "add", "Handed", "--arr", "30000", "--contract-start", "2025-06-01")
    assert "ARR history: entered the book 2027-01-10 at $30k." in handed
    overdue = csm_on("2027-01-10", "account", "add", "Brno", "--arr", "12000", "--renewal", "2027-01-05")
    assert "entered the book 2027-01-10" in overdue
    signed = csm_on("2027-01-10", "account", "add", "Fresh", "--arr", "20000", "--contract-start", "2026-12-20")
    assert "ARR history: new logo 2027-01-10 at $20k." in signed
    quarter = metrics(csm_on, "2027-03-31", "--period", "2027Q1")
    assert (quarter["new_logos"], quarter["new_logo_arr"], quarter["entered"], quarter["entered_arr"]) == (
        1, 20_000.0, 2, 42_000.0
    )  # fmt: skip


def test_an_export_on_a_later_day_opens_old_contracts_and_counts_new_ones_as_new_logos(
    csm_on: Run, tmp_path: Path
) -> None:
    first = tmp_path / "accounts.csv"
    first.write_text("name,arr,contract_start\nFirst,50000,2025-01-01\n")
    csm_on("2026-12-01", "import", "accounts", str(first))
    later = tmp_path / "accounts-2.csv"
    later.write_text(first.read_text() + "Handed,30000,2025-06-01\nFresh,20000,2027-01-05\n")
    csm_on("2027-01-10", "import", "accounts", str(later))
    quarter = metrics(csm_on, "2027-03-31", "--period", "2027Q1")
    assert (quarter["cohort"], quarter["new_logos"], quarter["new_logo_arr"], quarter["entered"]) == (1, 1, 20_000.0, 1)
    assert quarter["entered_arr"] == 30_000.0
