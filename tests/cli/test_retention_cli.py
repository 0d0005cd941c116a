"""Renewal outcomes, ARR history, the forecast, the team roll-up and the 1:1 as a CSM and a CS manager use them:
on the example book and on small books made by hand and by imports, with the values stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import ok
from tests.conftest import CsmRunner


def history(csm: CsmRunner, account: str) -> list[str]:
    prep = ok(csm("prep", account, "--format", "json")).json()
    words: list[str] = prep["facts"]["arr_history"]
    return words


def test_renew_and_churn_refuse_what_cannot_be_true(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme", "--arr", "100000", "--renewal", "2027-04-01"))
    ok(csm("account", "add", "Gone", "--arr", "5000"))
    ok(csm("churn", "Gone", "--reason", "budget"))
    for args, words in (
        (("renew", "Gone"), "Gone churned on 2027-03-01"),
        (("renew", "Acme", "--on", "2027-03-02"), "after today"),
        (("renew", "Acme", "--arr", "0"), "record it with 'csm churn"),
        (("renew", "Acme", "--until", "2027-03-15"), "must come after the renewal date"),
        (("churn", "Acme", "--reason", "vibes"), "is not a churn reason; use one of: budget, competitor"),
        (("churn", "Gone", "--reason", "budget"), "already recorded as churned on 2027-03-01"),
        (("churn", "Acme", "--reason", "budget", "--on", "2027-02-01"), "record it on or after 2027-03-01"),
        (("account", "edit", "Acme", "--correct"), "give it with --arr"),
        (("account", "edit", "Acme", "--stage", "churned"), "csm churn ACCOUNT --reason R"),
    ):
        run = csm(*args)
        assert run.code == 1 and words in run.err, (args, run.err)
        assert len(run.err.strip().splitlines()) == 1
    both = csm("renew", "Acme", "--term", "12", "--until", "2028-04-01")
    assert both.code == 2 and "not both" in both.err
    account = ok(csm("account", "show", "Acme", "--format", "json")).json()
    assert (account["arr"], account["renewal_date"]) == (100000.0, "2027-04-01")  # nothing was written


def test_renew_keeps_the_term_and_says_what_it_recorded(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme", "--arr", "100000", "--renewal", "2027-03-15", "--contract-start", "2025-03-15",
           "--would-renew", "no"))  # fmt: skip
    said = ok(csm("renew", "Acme", "--arr", "115000")).out
    assert "the renewal of 2027-03-15 for Acme on 2027-03-01 at $115k (+15% on $100k)" in said
    assert "renews next on 2029-03-15 (24 months)" in said  # the contract's own length
    assert "Closed 2 renewal to-dos and risks: Send Acme the renewal reminder" in said  # open today
    account = ok(csm("account", "show", "Acme", "--format", "json")).json()
    assert (account["arr"], account["renewal_date"], account["contract_start"]) == (
        115000.0, "2029-03-15", "2027-03-15",
    )  # fmt: skip
    assert history(csm, "Acme")[-1] == "renewed 2027-03-01 at $115k (+15%) until 2029-03-15"


def test_account_edit_arr_is_dated_history_never_an_overwrite(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme", "--arr", "100000", "--on", "2026-06-01"))
    said = ok(csm("account", "edit", "Acme", "--arr", "120000", "--on", "2027-01-10")).out
    assert "expanded 2027-01-10 to $120k (+20%)" in said
    assert "ARR unchanged" in ok(csm("account", "edit", "Acme", "--arr", "120000")).out
    ok(csm("account", "edit", "Acme", "--arr", "125000", "--correct"))
    assert history(csm, "Acme") == [
        "expanded 2027-01-10 to $120k (+20%)",
        "ARR corrected 2027-03-01 to $125k (was $120k)",
    ]  # the opening ARR says nothing and is left out
    q1 = ok(csm("metrics", "--period", "2027Q1", "--format", "json")).json()
    assert (q1["starting_arr"], q1["expansion"]) == (100000.0, 25000.0)  # the correction replaced the 120,000


def test_accounts_imports_date_arr_changes_churns_and_returns(
    csm: CsmRunner, tmp_path: Path, env: dict[str, str]
) -> None:
    file = tmp_path / "accounts.csv"
    file.write_text("name,arr,lifecycle_stage\nAcme,100000,adoption\nGlobex,40000,adoption\n")
    env["CSM_AS_OF"] = "2027-01-04"
    ok(csm("import", "accounts", str(file)))
    ok(csm("import", "accounts", str(file)))  # the same file again: nothing new
    file.write_text("name,arr,lifecycle_stage\nAcme,90000,adoption\nGlobex,40000,churned\n")
    env["CSM_AS_OF"] = "2027-02-01"
    ok(csm("import", "accounts", str(file)))
    ok(csm("import", "accounts", str(file)))
    env["CSM_AS_OF"] = "2027-03-01"
    assert history(csm, "Acme") == ["contracted 2027-02-01 to $90k (-10%)"]
    assert history(csm, "Globex") == ["churned 2027-02-01 ($40k ARR lost): other"]
    globex = ok(csm("account", "show", "Globex", "--format", "json")).json()
    assert (globex["arr"], globex["lifecycle_stage"]) == (0.0, "churned")
    file.write_text("name,arr,lifecycle_stage\nAcme,90000,adoption\nGlobex,45000,adoption\n")
    ok(csm("import", "accounts", str(file)))
    assert history(csm, "Globex")[-1] == "came back 2027-03-01 at $45k"
    since = ok(csm("metrics", "--from", "2027-01-04", "--format", "json")).json()  # the book's first day
    assert (since["cohort"], since["churned"], since["contraction"], since["expansion"]) == (2, 0, 10000.0, 5000.0)
    assert since["churn_reasons"] == []  # Globex was back by the end: not churned over the period
    january = ok(csm("metrics", "--from", "2027-01-04", "--to", "2027-02-15", "--format", "json")).json()
    assert (january["churned"], january["churn"], january["churn_reasons"][0]["reason"]) == (1, 40000.0, "other")


def test_the_example_books_quarter_to_date(demo: CsmRunner) -> None:
    q1 = ok(demo("metrics", "--format", "json")).json()
    assert (q1["cohort"], q1["starting_arr"], q1["expansion"], q1["churn"]) == (38, 2190600.0, 400.0, 0.0)
    assert (q1["grr"], q1["nrr"], q1["new_logos"], q1["new_logo_arr"]) == (1.0, 1.0002, 1, 55000.0)
    renewals = q1["renewals"]
    assert (renewals["renewed_on_time"], renewals["open"], renewals["open_overdue"]) == (1, 3, 1)  # Pinecrest
    year = ok(demo("metrics", "--period", "2026", "--format", "json")).json()
    assert year["cohort"] == 17 and year["contraction"] > 0 and year["expansion"] > year["contraction"]
    assert year["grr"] < 1 < year["nrr"] and year["entered"] == 21
    everyone = ok(demo("metrics", "--all-owners", "--format", "json")).json()
    assert everyone["cohort"] == 41  # Daniel Reyes's three accounts too


def test_renewals_forecast_each_renewal_and_explain_it(demo: CsmRunner) -> None:
    report = ok(demo("renewals", "--within", "120", "--format", "json")).json()
    by_name = {r["account"]: r for r in report["renewals"]}
    pinecrest = by_name["Pinecrest Dental Group"]
    assert pinecrest["outlook"] == "at_risk" and pinecrest["forecast"] == "Commit"
    assert "the renewal date passed 14 days ago" in pinecrest["outlook_why"]
    assert "though the CRM forecast is Commit" in pinecrest["outlook_why"]
    assert by_name["Copperleaf Coffee Roasters"]["outlook"] == "commit"
    assert by_name["Ostrava Tooling"]["outlook"] == "at_risk"
    assert by_name["Ardent Biosystems"]["outlook"] == "likely"
    quarter = {t["period"]: (t["accounts"], t["arr"]) for t in report["by_outlook"]}
    assert report["forecast_quarter"] == "2027-Q1"
    assert quarter == {"commit": (2, 39500.0), "likely": (0, 0.0), "at_risk": (1, 12000.0), "lost": (0, 0.0)}
    explained = ok(demo("renewals", "--within", "120", "--explain", "--all")).out
    assert "the CRM forecast is Commit" in explained and "2027-Q1 by forecast" in explained


def test_team_has_one_row_per_owner_and_the_1_1_page(demo: CsmRunner) -> None:
    team = ok(demo("team", "--format", "json")).json()
    rows = {r["owner"]: r for r in team["owners"]}
    assert set(rows) == {"Daniel Reyes", "Maya Okafor"}
    maya = rows["Maya Okafor"]
    assert (maya["accounts"], maya["arr"], maya["renewing_arr"], maya["renewing_at_risk_arr"]) == (
        39, 2246000.0, 239900.0, 54000.0,
    )  # fmt: skip
    assert (maya["critical_high_risks"], maya["qtd_grr"], maya["stalest_account"]) == (8, 1.0, "Emberwick Candles")
    assert rows["Daniel Reyes"]["accounts"] == 3
    page = ok(demo("team", "--owner", "Maya Okafor", "--format", "md")).out
    assert page.startswith("# 1:1 with Maya Okafor, 2027-03-01")
    for section in ("## Renewals in the next 90 days", "## Open critical and high risks", "## Overdue to-dos",
                    "## Longest without a touch"):  # fmt: skip
        assert section in page
    assert "| 2027-02-15 | Pinecrest Dental Group | $12,000 | yellow | at risk |" in page  # the passed date weighs
    same = ok(demo("team", "--owner", "maya.okafor@brightwater.example", "--format", "json")).json()
    assert same["summary"]["accounts"] == 39  # her e-mail and the name the CRM uses are one owner
    nobody = demo("team", "--owner", "nobody@example.com")
    assert nobody.code == 1 and "no account in the book is owned by" in nobody.err


def test_the_monthly_1_1_to_do_names_its_month_and_stays_done(demo: CsmRunner, env: dict[str, str]) -> None:
    todos = ok(demo("todo", "list", "--format", "json")).json()
    (march,) = [t for t in todos if t["kind"] == "one_on_one"]
    assert march["rule_key"] == "one_on_one:maya.okafor@brightwater.example:2027-03"
    assert march["due"] == "2027-03-01" and "csm team --owner maya.okafor@brightwater.example" in march["title"]
    ok(demo("todo", "done", march["id"]))
    env["CSM_AS_OF"] = "2027-03-20"
    assert not [t for t in ok(demo("todo", "list", "--format", "json")).json() if t["kind"] == "one_on_one"]
    env["CSM_AS_OF"] = "2027-04-01"
    (april,) = [t for t in ok(demo("todo", "list", "--format", "json")).json() if t["kind"] == "one_on_one"]
    assert april["rule_key"].endswith(":2027-04") and april["title"].startswith("Prepare your April 2027 1:1")
    prep = ok(demo("prep", "kestrel", "--format", "json")).json()
    assert not [t for t in prep.get("action_items", []) if "1:1" in str(t)]  # one account's view has no 1:1


@pytest.mark.parametrize(
    ("account", "words"),
    [
        ("kestrel", "renewed 2026-06-29 at $310k (+6%) until 2027-06-29"),
        ("velvetine", "renewed 2027-01-31 at $9,000 (+5%) until 2028-01-31"),
    ],
)
def test_prep_shows_the_accounts_arr_history(demo: CsmRunner, account: str, words: str) -> None:
    assert words in ok(demo("prep", account)).out


def test_the_ebr_tells_the_customer_its_renewals_and_growth(demo: CsmRunner) -> None:
    md = ok(demo("ebr", "greenhollow", "--format", "md")).out
    assert (
        "Our history together: Renewed on 31 December 2024 at $324k a year, until 31 December 2027; grew on "
        "30 November 2026 to $420k a year (up 30% from $324k)." in md
    )
    data = ok(demo("ebr", "greenhollow", "--format", "json")).json()
    # the customer's pack says it in their words (the account's facts are the CSM's, under --internal's rehearsal)
    assert data["renewal"]["history"][-1] == "grew on 30 November 2026 to $420k a year (up 30% from $324k)"
    # two amounts that round alike are written a decimal finer
    bluestem = ok(demo("ebr", "bluestem", "--format", "json")).json()["renewal"]["history"]
    assert bluestem[-1] == "renewed on 1 October 2026 at $14.4k a year (up 3% from $14.0k), until 1 October 2027"


def test_a_churned_account_counts_no_days_to_a_renewal_and_its_reason_reads_as_listed(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme", "--arr", "100000", "--renewal", "2027-02-01"))
    churned = ok(csm("churn", "Acme", "--reason", "Product-Fit"))
    assert "Recorded Acme as churned on 2027-03-01 ($100k ARR lost): product fit." in churned.out
    shown = ok(csm("account", "show", "Acme", "--format", "json")).json()
    assert (shown["renewal_date"], shown["days_to_renewal"]) == ("2027-02-01", None)


def test_a_look_at_several_days_names_the_last_one(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme", "--arr", "100000"))
    assert "Monday 1 March 2027 to Wednesday 3 March 2027" in ok(csm("today", "--days", "3")).out
    assert "+ 2 days" not in ok(csm("today", "--days", "3")).out
