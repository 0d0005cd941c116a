"""What a CSM's own exports held in a trial (2026-12-02): HubSpot's funnel stages, a negative amount, a term that
ends before it starts, a company's revenue in another currency. Each through the real CLI, values read back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import CsmRunner

HUBSPOT_COMPANIES = (
    '"Record ID","Company name","Company Domain Name","Lifecycle Stage","Annual Revenue","Company owner"\n'
    '"9001","Fjord Shipping","fjord.example","Customer","12000000","maya@vendor.example"\n'
    '"9002","Granite Bank","granite.example","Opportunity","","maya@vendor.example"\n'
    '"9003","Harbour Cafe","harbour.example","Marketing Qualified Lead","",""\n'
    '"9004","Iris Labs","iris.example","Onboarding","",""\n'
    '"9005","Juniper Co","juniper.example","Partner","",""\n'
)


def _rows(book: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(book) as connection:
        return connection.execute(sql).fetchall()


def test_a_hubspot_companies_export_imports_whatever_its_lifecycle_stages(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    export = tmp_path / "hubspot-crm-exports-all-companies-2027-03-01.csv"
    export.write_text(HUBSPOT_COMPANIES, encoding="utf-8")
    run = csm("import", "accounts", str(export))
    assert run.code == 0, run.err
    assert _rows(book_path, "SELECT name, lifecycle_stage, arr, company_revenue FROM accounts ORDER BY name") == [
        ("Fjord Shipping", None, None, 12_000_000.0),
        ("Granite Bank", "evaluation", None, None),
        ("Harbour Cafe", "evaluation", None, None),
        ("Iris Labs", "onboarding", None, None),
        ("Juniper Co", None, None, None),
    ]
    err = " ".join(run.err.split())
    assert "lifecycle stage 'Customer' is the CRM's sales funnel, not a stage with us; left empty (1 row)" in err
    assert "lifecycle stage 'Partner' is not one of: evaluation, purchase" in err


def test_a_negative_amount_or_a_term_ending_before_it_starts_is_refused_naming_line_and_column(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    export = tmp_path / "accounts.csv"
    export.write_text(
        "name,arr,contract_start,renewal_date\n"
        "Acme,12000,2026-04-01,2027-03-31\n"
        'Brick Co,"(1,200)",2026-04-01,2027-03-31\n'
        "Cedar Ltd,5000,2027-12-31,2027-01-01\n",
        encoding="utf-8",
    )
    run = csm("import", "accounts", str(export))
    assert run.code == 1
    err = " ".join(run.err.split())
    assert "line 3, column 'arr': '(1,200)' is below 0; ARR cannot be negative" in err, err
    assert (
        "line 4, column 'renewal_date': the renewal date 2027-01-01 is before the contract starts (2027-12-31)" in err
    )
    assert _rows(book_path, "SELECT COUNT(*) FROM accounts") == [(0,)]  # nothing written
    kept = csm("import", "accounts", str(export), "--skip-invalid")
    assert kept.code == 0, kept.err
    assert _rows(book_path, "SELECT name, arr FROM accounts") == [("Acme", 12000.0)]


def test_the_company_revenue_currency_is_not_the_contracts(csm: CsmRunner, tmp_path: Path, book_path: Path) -> None:
    export = tmp_path / "accounts.csv"
    export.write_text("Name;ARR;Jahresumsatz\nZürich Werke AG;10.000,00;CHF 4.000.000,00\n", encoding="utf-8")
    run = csm("import", "accounts", str(export))
    assert run.code == 0, run.err
    assert _rows(book_path, "SELECT arr, currency, company_revenue FROM accounts") == [(10_000.0, None, 4_000_000.0)]
