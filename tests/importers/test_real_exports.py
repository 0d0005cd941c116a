"""Exports written the way each tool really writes them (tests/corpus/), imported through the real CLI and
checked value by value in the book: dates, ARR, roles, owners and last contact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CsmRunner

MESSY = Path(__file__).resolve().parents[1] / "corpus"
EXCEL_MAP = [
    *("--map", "Customer=name", "--map", "Customer ID=account_id", "--map", "Renewal=renewal_date"),
    *("--map", "Start=contract_start", "--map", "Seats=licences", "--map", "CSM=owner"),
]


def imported(csm: CsmRunner, kind: str, name: str, *options: str) -> dict[str, object]:
    run = csm("import", kind, str(MESSY / name), "--format", "json", *options)
    assert run.code == 0, run.err
    summary: dict[str, object] = run.json()
    return summary


def query(book: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(book) as connection:
        return connection.execute(sql).fetchall()


ACCOUNT_FACTS = (
    "SELECT name, arr, company_revenue, contract_value, currency, renewal_date, contract_start, licences, owner, "
    "last_activity_on FROM accounts ORDER BY id"
)


def test_german_salesforce_report_reads_dotted_dates_and_decimal_commas(csm: CsmRunner, book_path: Path) -> None:
    summary = imported(csm, "accounts", "salesforce_report_de.csv")
    assert (summary["source"], summary["new"], summary["invalid"]) == ("salesforce", 3, 0)
    assert query(book_path, ACCOUNT_FACTS) == [
        # 01.04.2027 is 1 April, as 15.03.2027 in the same column is 15 March; Jahresumsatz is not ARR
        ("Müller Logistik GmbH", 120000.0, 84860000.0, None, None, "2027-03-15", "2026-03-15", 1200, "Jana Weiß",
         "2027-02-20"),
        ("Bäckerei Süß AG", 45500.5, None, None, None, "2027-04-01", "2026-04-01", 85, "Jana Weiß", "2027-02-03"),
        ("Initech S.p.A.", 9800.0, 1250000.0, None, None, "2027-11-30", "2026-12-01", 12, "Jana Weiß", None),
    ]  # fmt: skip
    assert query(book_path, "SELECT name_norm FROM accounts ORDER BY id") == [
        ("muller logistik",),
        ("backerei suss",),
        ("initech",),
    ]
    warnings = " ".join(str(w) for w in summary["warnings"])  # type: ignore[attr-defined]
    assert "Windows-1252" in warnings and "'Lizenzen'" in warnings and "decimal comma" in warnings


def test_uk_salesforce_report_is_day_first_for_every_row(csm: CsmRunner, book_path: Path) -> None:
    summary = imported(csm, "accounts", "salesforce_report_uk.csv")
    assert (summary["new"], summary["invalid"]) == (3, 0)
    assert query(book_path, ACCOUNT_FACTS) == [
        ("Thistle & Rose Ltd", 45500.0, 12500000.0, None, "GBP", "2027-03-15", "2026-03-15", 40, "Oliver Grant",
         "2027-02-22"),
        # 03/04/2027 is 3 April: line 2's 15/03/2027 proves the column day-first
        ("Kestrel Analytics LLP", 18000.0, None, None, "GBP", "2027-04-03", "2026-04-03", 12, "Oliver Grant",
         "2027-02-01"),
        ("Harbour Lights plc", 96000.0, 3000000.0, None, "GBP", "2027-12-01", "2026-12-01", 150, "Oliver Grant",
         None),
    ]  # fmt: skip
    assert query(book_path, "SELECT domain FROM account_domains ORDER BY account_id") == [
        ("thistlerose.co.uk",),
        ("kestrel-analytics.co.uk",),  # eu.app.kestrel-analytics.co.uk, by its registrable domain
        ("harbourlights.co.uk",),
    ]


def test_excel_saved_csv_reads_serials_month_names_and_currencies(csm: CsmRunner, book_path: Path) -> None:
    summary = imported(csm, "accounts", "excel_saved_accounts.csv", *EXCEL_MAP)
    assert (summary["new"], summary["invalid"]) == (3, 0)
    assert query(book_path, ACCOUNT_FACTS) == [
        ("Café Olé Inc.", 64000.0, None, None, "USD", "2027-04-01", "2026-03-15", 50, "ana@vendor.example", None),
        ("Nordwind Oy", 30000.0, None, None, "USD", "2028-02-29", "2027-03-01", 20, "ana@vendor.example", None),
        ("Acme, Inc.", 1200.0, None, None, "USD", "2028-09-04", "2026-03-19", 5, "ana@vendor.example", None),
    ]  # fmt: skip
    warnings = " ".join(str(w) for w in summary["warnings"])  # type: ignore[attr-defined]
    assert "column 'Renewal': 2 values read as Excel serial dates" in warnings
    assert "46478 = 2027-04-01" in warnings


def test_churnzero_total_contract_amount_is_tcv_and_arr_comes_from_the_term(csm: CsmRunner, book_path: Path) -> None:
    summary = imported(csm, "accounts", "churnzero_accounts.csv")
    assert query(book_path, "SELECT name, arr, contract_value FROM accounts ORDER BY id") == [
        ("Blue Heron Health", 120000.0, 360000.0),  # three years
        ("Copperline Tools", 48000.0, 48000.0),  # one year: the amount is the ARR
        ("Driftwood Media", None, 90000.0),  # no term: not ARR
        ("Ember Foods", 36000.0, 72000.0),  # two years
    ]
    warnings = " ".join(str(w) for w in summary["warnings"])  # type: ignore[attr-defined]
    assert "gives no ARR" in warnings and "TCV" in warnings


def test_hubspot_buying_roles_keep_the_strongest_and_last_activity(csm: CsmRunner, book_path: Path) -> None:
    imported(csm, "accounts", "salesforce_report_de.csv")
    summary = imported(csm, "contacts", "hubspot_contacts.csv")
    assert (summary["new"], summary["invalid"]) == (6, 0)  # no row refused for its role
    assert query(book_path, "SELECT name, role, crm_roles, last_activity_on, account_id FROM contacts ORDER BY id") == [
        ("Lena Hoffmann", "champion", "Champion; Decision Maker", "2027-02-24", 1),
        ("Tobias Brandt", "decision_maker", "Budget Holder", "2027-01-12", 1),
        ("Sven Kral", "influencer", "Blocker; End User", None, 1),
        ("Mira Sato", "exec_sponsor", "Executive Sponsor; Influencer", "2027-02-27", 1),
        ("Paul Engel", None, "Coach", None, 1),
        ("Ute Lang", "influencer", "Legal and Compliance; Other", None, 1),
    ]
    warnings = " ".join(str(w) for w in summary["warnings"])  # type: ignore[attr-defined]
    assert "'Coach' is not one csm knows" in warnings
    prep = csm("prep", "Müller", "--as-of", "2027-03-01", "--format", "json").json()  # a Blocker reads as one
    assert {p["name"]: p["crm_roles"] for p in prep["stakeholders"]["people"]}["Sven Kral"] == "Blocker; End User"
    assert "Sven Kral (influencer, CRM: Blocker; End User, Head of IT)" in prep["stakeholders"]["org_chart"]
    text = " ".join(csm("prep", "Müller", "--as-of", "2027-03-01").out.split())
    assert "Sven Kral (influencer, CRM: Blocker; End User, Head of IT)" in text


def test_last_activity_dates_feed_last_contact_and_touches_and_revenue_shows_in_prep(csm: CsmRunner) -> None:
    imported(csm, "accounts", "salesforce_report_de.csv")
    imported(csm, "contacts", "hubspot_contacts.csv")
    prep = csm("prep", "Müller", "--as-of", "2027-03-01", "--format", "json").json()
    people = {p["name"]: (p["last_contact"], p["days_since_contact"]) for p in prep["stakeholders"]["people"]}
    assert people["Lena Hoffmann"] == ("2027-02-24", 5)  # HubSpot's Last Activity Date: no interaction logged
    assert people["Sven Kral"] == (None, None)
    assert prep["facts"]["arr"] == 120000.0 and prep["facts"]["company_revenue"] == 84860000.0
    assert "annual revenue $84.86M (their own, not ARR)" in csm("prep", "Müller", "--as-of", "2027-03-01").out
    todos = csm("todo", "list", "--as-of", "2027-03-01", "--format", "json").json()
    overdue = {t["account"] for t in todos if t["kind"] == "touch_overdue"}
    # the accounts' Last Activity (20.02 and 03.02) are touches; Initech has none on record
    assert "Müller Logistik GmbH" not in overdue and "Bäckerei Süß AG" not in overdue


def test_google_calendar_export_holidays_partstat_and_a_task(csm: CsmRunner, book_path: Path) -> None:
    imported(csm, "accounts", "salesforce_report_de.csv")
    imported(csm, "accounts", "salesforce_report_uk.csv")
    imported(csm, "contacts", "hubspot_contacts.csv")
    imported(csm, "calendar", "google_calendar.ics")
    events = query(
        book_path,
        "SELECT title, all_day, starts_at, start_date, end_date, account_id FROM calendar_events "
        "WHERE start_date BETWEEN '2027-03-01' AND '2027-05-01' AND title <> 'Weekly sync' ORDER BY start_date, title",
    )
    assert events == [
        ("Müller Logistik check-in", 0, "2027-03-01 09:00:00.000000", "2027-03-01", "2027-03-01", 1),
        ("Working from Lisbon", 1, None, "2027-03-01", "2027-03-01", None),
        # DTSTART;TZID=Europe/Berlin;VALUE=DATE: a holiday, all day, not a midnight meeting
        ("Tag der Arbeit", 1, None, "2027-05-01", "2027-05-01", None),
    ]
    weekly = query(
        book_path,
        "SELECT starts_at, account_id FROM calendar_events WHERE title = 'Weekly sync' AND start_date = '2027-03-01'",
    )
    assert weekly == [("2027-03-01 09:00:00.000000", 5)]  # ops@uk.kestrel-analytics.co.uk: Kestrel's domain
    today = csm("today", "--format", "json").json()
    assert [(item["title"], item["account"]) for item in today["agenda"]] == [
        ("Working from Lisbon", None),
        ("Müller Logistik check-in", "Müller Logistik GmbH"),
        ("Weekly sync", "Kestrel Analytics LLP"),
    ]


def test_outlook_floating_times_are_read_in_the_files_one_time_zone(csm: CsmRunner, book_path: Path) -> None:
    imported(csm, "accounts", "salesforce_report_de.csv")
    imported(csm, "calendar", "outlook_floating.ics")
    assert query(
        book_path, "SELECT title, floating, starts_at, account_id FROM calendar_events ORDER BY starts_at"
    ) == [
        # 09:00 W. Europe Standard Time = 08:00Z; the instance exactly at UNTIL (2027-03-05T08:00Z) is kept
        ("Stand-up Bäckerei Süß", 0, "2027-03-01 08:00:00.000000", 2),
        ("Stand-up Bäckerei Süß", 0, "2027-03-02 08:00:00.000000", 2),
        ("Renewal call Initech", 0, "2027-03-02 13:00:00.000000", 3),
        ("Stand-up Bäckerei Süß", 0, "2027-03-03 08:00:00.000000", 2),
        ("Stand-up Bäckerei Süß", 0, "2027-03-04 08:00:00.000000", 2),
        ("Stand-up Bäckerei Süß", 0, "2027-03-05 08:00:00.000000", 2),
    ]


def test_every_messy_export_reimports_unchanged(csm: CsmRunner) -> None:
    files = [
        ("accounts", "salesforce_report_de.csv", ()),
        ("accounts", "salesforce_report_uk.csv", ()),
        ("accounts", "excel_saved_accounts.csv", tuple(EXCEL_MAP)),
        ("accounts", "churnzero_accounts.csv", ()),
        ("contacts", "hubspot_contacts.csv", ()),
    ]
    for kind, name, options in files:
        imported(csm, kind, name, *options)
    for kind, name, options in files:
        again = imported(csm, kind, name, *options)
        assert (again["new"], again["updated"]) == (0, 0), (name, json.dumps(again))


@pytest.mark.parametrize(
    ("order", "expected"),
    [("dmy", ("2027-04-03", "2027-05-02")), ("mdy", ("2027-03-04", "2027-02-05"))],
)
def test_date_order_decides_a_column_nothing_proves_and_the_report_says_so(
    csm: CsmRunner, book_path: Path, tmp_path: Path, order: str, expected: tuple[str, str]
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("name,renewal_date\nAcme,03/04/2027\nGlobex,02/05/2027\n")
    run = csm("import", "accounts", str(path), "--date-order", order, "--format", "json")
    assert run.code == 0, run.err
    assert tuple(r[0] for r in query(book_path, "SELECT renewal_date FROM accounts ORDER BY id")) == expected
    assert any(
        "no value proves the date order" in w and f"--date-order {'mdy' if order == 'dmy' else 'dmy'}" in w
        for w in run.json()["warnings"]
    )


def test_the_configs_date_order_is_the_default(
    csm: CsmRunner, book_path: Path, tmp_path: Path, config_path: Path
) -> None:
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text('date_order = "dmy"\n')
    path = tmp_path / "accounts.csv"
    path.write_text("name,renewal_date\nAcme,03/04/2027\n")
    assert csm("import", "accounts", str(path)).code == 0
    assert query(book_path, "SELECT renewal_date FROM accounts") == [("2027-04-03",)]


def test_a_column_that_contradicts_itself_is_refused_naming_two_lines(
    csm: CsmRunner, book_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("name,renewal_date\nAcme,15/03/2027\nGlobex,03/04/2027\nInitech,04/25/2027\n")
    run = csm("import", "accounts", str(path), "--skip-invalid")
    assert run.code == 1
    assert f"{path}, column 'renewal_date'" in run.err
    assert "line 2 ('15/03/2027') is day-first and line 4 ('04/25/2027') is month-first" in run.err
    assert not book_path.exists()  # nothing written: a refused first import leaves no book
