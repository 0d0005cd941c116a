"""Money is never converted: a book whose accounts are in more than one currency says each figure per currency in
the morning's summary, and `csm team` says where it added currencies at face value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CsmRunner

ACCOUNTS = """\
Account Name,Annual Recurring Revenue,Account Currency,Renewal Date,Account Owner
Berlin Werke GmbH,"120,000.00",EUR,2027-04-20,dana@vendor.example
Acme Inc,"300,000.00",USD,2027-05-10,dana@vendor.example
London Ltd,"50,000.00",GBP,2027-02-20,sam@vendor.example
Boston Co,"80,000.00",USD,2027-12-01,lee@vendor.example
"""


@pytest.fixture
def mixed(csm: CsmRunner, tmp_path: Path) -> CsmRunner:
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNTS)
    assert csm("import", "accounts", str(path), "--map", "Annual Recurring Revenue=arr").code == 0
    return csm


def test_the_morning_summary_says_each_currency_and_never_adds_them(mixed: CsmRunner) -> None:
    summary = mixed("today", "--format", "json").json()["summary"]
    assert [
        (m["currency"], m["arr"], m["arr_renewing_90d"], m["arr_renewal_overdue"]) for m in summary["by_currency"]
    ] == [
        ("EUR", 120000, 120000, 0),
        ("GBP", 50000, 0, 50000),
        ("USD", 380000, 300000, 0),
    ]
    assert summary["arr"] == 550000  # the interface's figure adds them at face value, and by_currency says so
    line = " ".join(mixed("today", "--no-sync").out.split())
    assert "ARR €120k + £50k + $380k · renewing in 90 days €120k + $300k (+£50k overdue)" in line
    assert "$550k" not in line
    markdown = mixed("today", "--no-sync", "--format", "md").out
    assert "ARR €120k + £50k + $380k" in markdown


def test_a_book_in_one_currency_other_than_dollars_shows_it(csm: CsmRunner) -> None:
    assert csm("account", "add", "Berlin Werke", "--arr", "120000", "--renewal", "2027-04-20").code == 0
    assert csm("account", "edit", "Berlin Werke", "--currency", "eur").code == 0
    line = " ".join(csm("today", "--no-sync").out.split())
    assert "ARR €120k · renewing in 90 days €120k · at risk €0" in line


def test_team_shows_an_owner_in_one_currency_in_it_and_says_where_it_added_two(mixed: CsmRunner) -> None:
    rows = {r["owner"]: r for r in mixed("team", "--format", "json").json()["owners"]}
    assert rows["dana@vendor.example"]["currencies"] == ["EUR", "USD"]
    assert rows["sam@vendor.example"]["currencies"] == ["GBP"]
    table = mixed("team").out
    owners = table.split("Longest without a touch")[0]
    lines = [
        line.split() for line in owners.splitlines() if "@vendor.example" in line or line.strip().startswith("in ")
    ]
    # dana's accounts are in EUR and USD: a line for her, then one per currency, never added
    dana = next(i for i, line in enumerate(lines) if line[0] == "dana@vendor.example")
    assert lines[dana][1:4] == ["2", "—", "—"]
    assert lines[dana + 1][:5] == ["in", "EUR", "1", "€120k", "€120k"]
    assert lines[dana + 2][:5] == ["in", "USD", "1", "$300k", "$300k"]
    assert next(line for line in lines if line[0] == "sam@vendor.example")[1:4] == ["1", "£50k", "£50k"]
    assert next(line for line in lines if line[0] == "lee@vendor.example")[1:4] == ["1", "$80k", "$0"]
    assert "420k" not in table
    dana_row = rows["dana@vendor.example"]
    assert [(m["currency"], m["arr"], m["renewing_arr"]) for m in dana_row["by_currency"]] == [
        ("EUR", 120000.0, 120000.0), ("USD", 300000.0, 300000.0)
    ]  # fmt: skip
    page = " ".join(mixed("team", "--owner", "dana@vendor.example").out.split())
    assert "2 (€120k + $300k ARR)" in page and "420k" not in page


def test_renewals_total_each_currency_and_never_show_euros_as_dollars(mixed: CsmRunner) -> None:
    report = mixed("renewals", "--format", "json").json()
    assert [(t["currency"], t["arr"]) for t in report["arr_by_currency"]] == [
        ("EUR", 120000.0),
        ("GBP", 50000.0),
        ("USD", 300000.0),
    ]  # fmt: skip (Boston's renewal in December is beyond the 180 days)
    assert [(t["period"], t["currency"], t["arr"]) for t in report["by_quarter"]] == [
        ("2027-Q1", "GBP", 50000.0), ("2027-Q2", "EUR", 120000.0), ("2027-Q2", "USD", 300000.0)
    ]  # fmt: skip
    table = " ".join(mixed("renewals").out.split())
    assert "ARR €120,000 + £50,000 + $300,000)" in table and "2027-04 1 €120,000" in table
    assert "face value" not in table and "$550,000" not in table


def test_a_currency_that_is_not_a_code_is_refused_and_nothing_is_added(csm: CsmRunner) -> None:
    csm("account", "add", "Keeper", "--arr", "1000")
    refused = csm("account", "add", "Berlin Werke", "--arr", "120000", "--currency", "euro")
    assert refused.code == 1
    assert "--currency: 'euro' is not a currency code such as USD, EUR or GBP" in refused.err
    assert [a["name"] for a in csm("account", "list", "--format", "json").json()] == ["Keeper"]


def test_a_look_back_before_an_account_entered_the_book_counts_no_negative_days(mixed: CsmRunner) -> None:
    rows = mixed("team", "--as-of", "2026-12-03", "--format", "json").json()["owners"]
    assert {r["stalest_days"] for r in rows} == {0}  # they entered on 2027-03-01, after the day looked at


def test_a_currency_column_takes_codes_and_signs_and_refuses_anything_else_naming_line_and_column(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text('name,arr,currency\nEvil,1000,[blink]\nEsc,2000,"\x1b[31mred"\nFine,5,USD\n')
    refused = csm("import", "accounts", str(hostile))
    assert refused.code == 1
    assert "hostile.csv, line 2, column 'currency': '[blink]' is not a currency code such as USD, EUR or GBP" in (
        refused.err
    )
    assert "hostile.csv, line 3, column 'currency': '\\x1b[31mred' is not a currency code" in refused.err
    assert not book_path.exists()  # nothing written: a refused first import leaves no book
    plain = tmp_path / "plain.csv"
    plain.write_text("name,arr,currency\nA,1000,eur\nB,2000,€\nC,5,\n")
    assert csm("import", "accounts", str(plain)).code == 0
    stored = {a["name"]: a["currency"] for a in csm("account", "list", "--format", "json").json()}
    assert stored == {"A": "EUR", "B": "EUR", "C": None}
    line = " ".join(csm("today", "--no-sync").out.split())
    assert "ARR €3,000 + $5 · renewing in 90 days €0 · at risk €0" in line


def test_a_stored_currency_that_is_no_code_is_shown_as_no_currency_never_as_markup() -> None:
    from csm.domain.words import currency_code, money

    assert [currency_code(c) for c in (None, "eur", " GBP ", "[/]", "\x1b[31m", "EURO")] == [
        "USD", "EUR", "GBP", "XXX", "XXX", "XXX",
    ]  # fmt: skip
    assert money(42_000, "[/]") == "XXX 42k"


def test_retention_is_measured_in_each_currency_and_never_across_them(mixed: CsmRunner, env: dict[str, str]) -> None:
    """Berlin (EUR) renews at €132k, London (GBP) churns, Acme's (USD) renewal is still open: each currency has its
    own GRR and NRR, since a ratio over euros and dollars added at face value means nothing."""
    env["CSM_AS_OF"] = "2027-05-31"
    churned = mixed("churn", "London Ltd", "--reason", "Budget", "--on", "2027-03-10")  # as the config lists it
    assert "Recorded London Ltd as churned on 2027-03-10 (£50k ARR lost): budget." in churned.out
    renewed = mixed("renew", "Berlin Werke GmbH", "--arr", "132000", "--on", "2027-04-15")
    assert "for Berlin Werke GmbH on 2027-04-15 at €132k (+10% on €120k)" in renewed.out
    run = mixed("metrics", "--from", "2027-03-01", "--to", "2027-05-31", "--format", "json")
    assert run.code == 0, run.err
    report = run.json()
    assert report["currencies"] == ["EUR", "GBP", "USD"] and "grr" not in report
    assert [
        (r["currency"], r["cohort"], r["starting_arr"], r["expansion"], r["churn"], r["grr"], r["nrr"])
        for r in report["by_currency"]
    ] == [
        ("EUR", 1, 120000.0, 12000.0, 0.0, 1.0, 1.1),
        ("GBP", 1, 50000.0, 0.0, 50000.0, 0.0, 0.0),
        ("USD", 2, 380000.0, 0.0, 0.0, 1.0, 1.0),
    ]
    due = {r["currency"]: r["renewals"] for r in report["by_currency"]}
    assert (due["EUR"]["renewed_on_time"], due["EUR"]["renewed_arr_after"]) == (1, 132000.0)
    assert (due["USD"]["open"], due["USD"]["open_overdue"], due["USD"]["open_arr"]) == (1, 1, 300000.0)
    assert [(c["reason"], c["arr"]) for c in report["by_currency"][1]["churn_reasons"]] == [("budget", 50000.0)]
    table = " ".join(mixed("metrics", "--from", "2027-03-01", "--to", "2027-05-31").out.split())
    assert (
        "Retention 2027-03-01..2027-05-31 as of 2027-05-31 · accounts in EUR (of EUR, GBP and USD: never added" in table
    )
    assert "starting ARR €120k" in table and "starting ARR £50k" in table and "starting ARR $380k" in table
    assert "$550k" not in table and "$430k" not in table
    page = " ".join(mixed("team", "--owner", "dana@vendor.example").out.split())  # EUR and USD: each apart
    assert "GRR 100.0%, NRR 110.0% on €120k (expansion €12k," in page
    assert "GRR 100.0%, NRR 100.0% on $300k (expansion $0," in page
    owners = {r["owner"]: r for r in mixed("team", "--format", "json").json()["owners"]}
    assert (owners["dana@vendor.example"]["qtd_grr"], owners["lee@vendor.example"]["qtd_grr"]) == (None, 1.0)
    dana = " ".join(mixed("team").out.split()).split("dana@vendor.example", 1)[1]
    assert "in EUR 1 €132k €0 €0 — — 100.0% 110.0% in USD 1 $300k $300k $300k — — 100.0% 100.0%" in dana


def test_retention_of_a_book_in_one_currency_is_one_report_in_it(csm: CsmRunner, env: dict[str, str]) -> None:
    assert (
        csm("account", "add", "Berlin Werke", "--arr", "120000", "--renewal", "2027-04-20", "--currency", "EUR").code
        == 0
    )
    env["CSM_AS_OF"] = "2027-05-31"
    report = csm("metrics", "--from", "2027-03-01", "--to", "2027-05-31", "--format", "json").json()
    assert (report["currency"], report["cohort"], report["starting_arr"], report["grr"]) == ("EUR", 1, 120000.0, 1.0)
    table = " ".join(csm("metrics", "--from", "2027-03-01", "--to", "2027-05-31").out.split())
    assert "starting ARR €120k" in table and "never added" not in table and "$" not in table


OPPORTUNITIES = """\
Opportunity ID,Opportunity Name,Account Name,Type,Amount,Opportunity Currency,Stage,Close Date
006A,Acme seats,Acme Inc,Upsell,"40,000.00",USD,Proposal,2027-06-01
006B,Acme Berlin office,Acme Inc,Upsell,"25,000.00",EUR,Proposal,2027-06-15
006C,Acme training,Acme Inc,Cross-Sell,"€5,000.00",,Proposal,2027-07-01
"""


def test_an_opportunity_keeps_its_currency_and_another_currency_is_not_summed_into_the_expansion(
    mixed: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    import sqlite3

    path = tmp_path / "opportunities.csv"
    path.write_text(OPPORTUNITIES)
    assert mixed("import", "opportunities", str(path), "--source", "salesforce").code == 0
    with sqlite3.connect(book_path) as connection:
        stored = connection.execute("SELECT external_id, amount, currency FROM opportunities ORDER BY 1").fetchall()
    assert stored == [("006A", 40000.0, "USD"), ("006B", 25000.0, "EUR"), ("006C", 5000.0, "EUR")]
    (acme,) = [h for h in mixed("health", "--format", "json").json() if h["account"] == "Acme Inc"]
    (financial,) = [c for c in acme["components"] if c["name"] == "financial"]
    assert financial["inputs"]["open_expansion"] == 40000.0  # the dollars only: euros are not dollars
    exported = tmp_path / "export"
    assert mixed("export", str(exported), "--format", "csv").code == 0
    assert "currency" in (exported / "opportunities.csv").read_text().splitlines()[0].split(",")


def test_team_counts_an_account_never_touched_from_the_day_its_touch_to_do_counts_from(
    csm: CsmRunner, tmp_path: Path, env: dict[str, str]
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("name,arr,renewal_date,contract_start,owner\nFresh Co,20000,2027-09-01,2026-09-01,ann@v.example\n")
    env["CSM_AS_OF"] = "2027-01-10"
    assert csm("import", "accounts", str(path)).code == 0
    env["CSM_AS_OF"] = "2027-03-01"
    (row,) = csm("team", "--format", "json").json()["owners"]
    assert (row["stalest_account"], row["stalest_last_touch"], row["stalest_days"], row["stalest_counted_from"]) == (
        "Fresh Co", None, 50, "2027-01-10"
    )  # fmt: skip
    assert "none on record since 2027-01-10" in csm("team").out
    (touch,) = [
        t for t in csm("todo", "list", "--all-owners", "--format", "json").json() if t["kind"] == "touch_overdue"
    ]
    assert touch["title"] == "Check in with Fresh Co: no touch on record since 2027-01-10"
