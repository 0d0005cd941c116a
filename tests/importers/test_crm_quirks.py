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
    assert not book_path.exists()  # nothing written: a refused first import leaves no book
    kept = csm("import", "accounts", str(export), "--skip-invalid")
    assert kept.code == 0, kept.err
    assert _rows(book_path, "SELECT name, arr FROM accounts") == [("Acme", 12000.0)]


def test_the_company_revenue_currency_is_not_the_contracts(csm: CsmRunner, tmp_path: Path, book_path: Path) -> None:
    export = tmp_path / "accounts.csv"
    export.write_text("Name;ARR;Jahresumsatz\nZürich Werke AG;10.000,00;CHF 4.000.000,00\n", encoding="utf-8")
    run = csm("import", "accounts", str(export))
    assert run.code == 0, run.err
    assert _rows(book_path, "SELECT arr, currency, company_revenue FROM accounts") == [(10_000.0, None, 4_000_000.0)]


SALESFORCE_DE_ACCOUNTS_AND_CONTACTS = (
    '"Accountname";"Account-ID";"Accountinhaber";"Jahresumsatz";"ARR";"Vertragsbeginn";"Vertragsende";"Website";"Vorname";"Nachname";"E-Mail";"Kontaktrolle";"Letzte Aktivität"\n'
    '"Müller Logistik GmbH";"001Dn00000AAAAAIA1";"Jana Weiß";"EUR 1.234.567,89";"EUR 120.000,00";"01.01.2026";"31.12.2027";"www.mueller-logistik.de";"Lena";"Hoffmann";"lena.hoffmann@mueller-logistik.de";"Champion";"24.02.2027"\n'
    '"Müller Logistik GmbH";"001Dn00000AAAAAIA1";"Jana Weiß";"EUR 1.234.567,89";"EUR 120.000,00";"01.01.2026";"31.12.2027";"www.mueller-logistik.de";"Tobias";"Brandt";"tobias.brandt@mueller-logistik.de";"Entscheider";"12.01.2027"\n'
    '"Bäckerei Süß AG";"001Dn00000AAAABIA1";"Jana Weiß";"";"EUR 45.500,50";"01.04.2026";"31.03.2027";"baeckerei-suess.de";"Ute";"Lang";"ute.lang@baeckerei-suess.de";"";""\n'
    '"Zürcher Versicherung AG";"001Dn00000AAAACIA1";"Max Muster";"CHF 2.500.000,00";"1.200";"15.06.2026";"14.06.2027";"https://zuercher.ch/de";"Peter";"Keller";"p.keller@zuercher.ch";"";"01.03.2027"\n'
    "\n"
    '"Gesamtsummen (4 Datensätze)";"";"";"";"";"";"";"";"";"";"";"";""\n'
    '"Copyright (c) 2000-2027 salesforce.com, inc. Alle Rechte vorbehalten."\n'
    '"Vertrauliche Informationen – Nicht weitergeben"\n'
    '"Erstellt von: Jana Weiß  01.03.2027 09:00"\n'
)


def test_a_german_accounts_and_contacts_report_gives_the_accounts_once_and_every_contact(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    export = tmp_path / "report.csv"
    export.write_text(SALESFORCE_DE_ACCOUNTS_AND_CONTACTS, encoding="utf-8-sig")  # with the BOM Salesforce writes
    accounts = csm("import", "accounts", str(export))
    assert accounts.code == 0, accounts.err
    assert "rows repeating an account exactly" in " ".join(accounts.err.split())
    assert _rows(book_path, "SELECT name, arr, currency, contract_start, renewal_date FROM accounts ORDER BY id") == [
        ("Müller Logistik GmbH", 120_000.0, "EUR", "2026-01-01", "2027-12-31"),  # Vertragsende: the renewal
        ("Bäckerei Süß AG", 45_500.5, "EUR", "2026-04-01", "2027-03-31"),
        ("Zürcher Versicherung AG", 1_200.0, None, "2026-06-15", "2027-06-14"),
    ]
    contacts = csm("import", "contacts", str(export))
    assert contacts.code == 0, contacts.err
    assert _rows(
        book_path,
        "SELECT c.name, c.email, c.role, c.last_activity_on, a.name FROM contacts c "
        "JOIN accounts a ON a.id = c.account_id ORDER BY c.id",
    ) == [
        ("Lena Hoffmann", "lena.hoffmann@mueller-logistik.de", "champion", "2027-02-24", "Müller Logistik GmbH"),
        ("Tobias Brandt", "tobias.brandt@mueller-logistik.de", "decision_maker", "2027-01-12", "Müller Logistik GmbH"),
        ("Ute Lang", "ute.lang@baeckerei-suess.de", None, None, "Bäckerei Süß AG"),
        ("Peter Keller", "p.keller@zuercher.ch", None, "2027-03-01", "Zürcher Versicherung AG"),
    ]


def test_the_same_account_with_other_values_on_two_lines_is_still_refused(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    export = tmp_path / "accounts.csv"
    export.write_text("account_id,name,arr\nA1,Acme,1000\nA1,Acme,2000\n", encoding="utf-8")
    run = csm("import", "accounts", str(export))
    assert run.code == 1
    assert "line 3, column 'account_id': account id 'A1' is also on line 2" in " ".join(run.err.split())


UK_ACCOUNTS = (
    '"Account Name","ARR","Renewal Date","Contract Start","Last Activity"\n'
    '"Thistle & Rose Ltd","£45,500.00","03/04/2027","03/04/2026","22/02/2027"\n'
    '"Kestrel Analytics LLP","£18,000.00","05/06/2027","15/06/2026","01/02/2027"\n'
    '"Harbour Lights plc","£96,000.00","01/12/2027","01/12/2026",""\n'
)


def test_a_date_column_that_proves_nothing_is_read_as_the_files_other_columns_prove(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    export = tmp_path / "uk.csv"
    export.write_text(UK_ACCOUNTS, encoding="utf-8")
    run = csm("import", "accounts", str(export))
    assert run.code == 0, run.err
    assert _rows(
        book_path, "SELECT name, renewal_date, contract_start, last_activity_on FROM accounts ORDER BY id"
    ) == [
        ("Thistle & Rose Ltd", "2027-04-03", "2026-04-03", "2027-02-22"),
        ("Kestrel Analytics LLP", "2027-06-05", "2026-06-15", "2027-02-01"),
        ("Harbour Lights plc", "2027-12-01", "2026-12-01", None),  # not 12 January: 48 days overdue
    ]
    err = " ".join(run.err.split())
    assert (
        "column 'Renewal Date': no value proves the date order, so dates such as '03/04/2027' (line 2) were read as "
        "day/month/year, as column 'Last Activity' proves on line 2 ('22/02/2027')"
    ) in err, err
    said = csm("import", "accounts", str(export), "--date-order", "mdy")  # what the CSM says wins where nothing proves
    assert said.code == 0, said.err
    assert _rows(book_path, "SELECT renewal_date, contract_start FROM accounts ORDER BY id")[0] == (
        "2027-03-04",
        "2026-04-03",
    )  # fmt: skip  (Contract Start proves itself day-first whatever is said)


def test_a_file_of_only_a_header_says_it_held_nothing(csm: CsmRunner, tmp_path: Path) -> None:
    export = tmp_path / "accounts.csv"
    export.write_text("name,arr,renewal_date\n", encoding="utf-8")
    run = csm("import", "accounts", str(export))
    assert run.code == 0
    assert "the file holds no rows after its header: nothing was imported" in " ".join(run.err.split())


def test_an_export_of_another_kind_is_refused_naming_the_import_to_use(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    companies = tmp_path / "churnzero.csv"
    companies.write_text(
        "accountExternalId,Name,NextRenewalDate,TotalContractAmount,StartDate,EndDate\n"
        "CZ-1,Fjord Shipping,2027-06-30,90000,2026-07-01,2027-06-30\n",
        encoding="utf-8",
    )
    run = csm("import", "contacts", str(companies))
    assert run.code == 1
    err = " ".join(run.err.split())
    assert "this looks like an export of accounts, not contacts" in err and "'csm import accounts FILE'" in err
    assert "Traceback" not in err
    people = tmp_path / "hubspot-contacts.csv"
    people.write_text(
        '"Record ID","First Name","Last Name","Email","Job Title","Company Name"\n'
        '"1","Lena","Hoffmann","lena@mueller.example","CMO","Müller GmbH"\n',
        encoding="utf-8",
    )
    run = csm("import", "accounts", str(people))
    assert run.code == 1 and "this looks like an export of contacts, not accounts" in " ".join(run.err.split())
    assert not book_path.exists()  # nothing written: a refused first import leaves no book


def test_renewal_totals_are_in_the_books_one_currency(csm: CsmRunner, tmp_path: Path) -> None:
    export = tmp_path / "report.csv"
    export.write_text(SALESFORCE_DE_ACCOUNTS_AND_CONTACTS, encoding="utf-8-sig")
    assert csm("import", "accounts", str(export)).code == 0
    euros = tmp_path / "euros.csv"  # the Swiss account's ARR in euros too: one currency in the book
    euros.write_text("account_id,name,currency\n001Dn00000AAAACIA1,Zürcher Versicherung AG,EUR\n", encoding="utf-8")
    assert csm("import", "accounts", str(euros)).code == 0
    table = csm("renewals", "--all-owners", "--as-of", "2027-03-01").out
    assert "$" not in table, table
    assert " €45,500" in table.split("by forecast")[1] and " €1,200" in table.split("By month")[1]


def test_two_companies_alike_but_for_their_legal_form_are_told_apart_by_their_exact_names(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_text("account_id,name,domains\nA1,Acme Inc.,acme.example\nA2,Acme GmbH,acme.example.de\n")
    assert csm("import", "accounts", str(first)).code == 0
    again = tmp_path / "again.csv"  # no ids: the names alone
    again.write_text("name,arr\nAcme GmbH,50000\n")
    run = csm("import", "accounts", str(again))
    assert run.code == 0, run.err
    assert _rows(book_path, "SELECT name, arr FROM accounts ORDER BY id") == [
        ("Acme Inc.", None),
        ("Acme GmbH", 50000.0),
    ]
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Id,Subject,Status,Requester email,Organization,Created at\n"
        "1,a,open,x@gmail.com,Acme GmbH,2027-02-20T10:00:00Z\n"
        '2,b,open,x@gmail.com,"ACME, Inc",2027-02-20T10:00:00Z\n'
    )
    run = csm("import", "tickets", str(tickets), "--skip-invalid")
    assert run.code == 0, run.err
    assert _rows(book_path, "SELECT t.external_id, a.name FROM tickets t JOIN accounts a ON a.id = t.account_id") == [
        ("1", "Acme GmbH")
    ]
    err = " ".join(run.err.split())
    assert "'ACME, Inc' is as near to 'Acme GmbH' and 'Acme Inc.' (legal forms aside); give an account id" in err, err
    added = csm("account", "add", "ACME GmbH & Co. KG")
    assert added.code == 1
    assert "'ACME GmbH & Co. KG' is the same name but for its legal form" in " ".join(added.err.split())


def test_another_legal_entity_of_the_same_name_is_added_only_when_said_so(csm: CsmRunner, book_path: Path) -> None:
    """Acme GmbH beside Acme Inc.: refused as the same company, added with --separate; each is then found by its
    own name, and a contact naming one links to it, never the other."""
    assert csm("account", "add", "Acme Inc.", "--arr", "300000").code == 0
    refused = csm("account", "add", "Acme GmbH", "--arr", "50000", "--currency", "EUR")
    assert refused.code == 1
    assert "or add 'Acme GmbH' as another legal entity with --separate" in " ".join(refused.err.split())
    assert _rows(book_path, "SELECT name FROM accounts") == [("Acme Inc.",)]
    added = csm("account", "add", "Acme GmbH", "--arr", "50000", "--currency", "EUR", "--separate")
    assert added.code == 0, added.err
    assert "ARR history: entered the book 2027-03-01 at €50k." in added.out
    again = csm("account", "add", "ACME GMBH", "--separate")  # the same name as written is the same account
    assert again.code == 1 and "an account named 'Acme GmbH' already exists;" in again.err
    contacts = Path(str(book_path.parent / "contacts.csv"))
    contacts.write_text("name,email,account\nHans Weber,hans@acme.de,Acme GmbH\n")
    assert csm("import", "contacts", str(contacts)).code == 0
    assert _rows(book_path, "SELECT c.name, a.name FROM contacts c JOIN accounts a ON a.id = c.account_id") == [
        ("Hans Weber", "Acme GmbH")
    ]
    assert csm("account", "show", "Acme GmbH", "--format", "json").json()["currency"] == "EUR"
