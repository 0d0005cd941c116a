"""Importing CSV exports into a book: the corpus facts, linking, idempotency, dry runs and all-or-nothing."""

from __future__ import annotations

from pathlib import Path

from csm.db.book import Book

from .conftest import CRM, count, rows, run_import, write


def test_data_loader_accounts_import_all_423_with_their_salesforce_ids(csv_book: Book) -> None:
    report = run_import(csv_book, "accounts", CRM / "sfdataloader__accountData.csv")
    assert (report.source, report.new, report.problems) == ("salesforce", 423, [])
    assert count(csv_book, "accounts") == 423
    assert count(csv_book, "account_keys", "source = 'salesforce' AND external_id = '001x0000002xLCVAA2'") == 1
    # ANNUALREVENUE is the customer company's own revenue: firmographics, never ARR
    assert count(csv_book, "accounts", "arr IS NOT NULL") == 0
    assert rows(csv_book, "SELECT company_revenue FROM accounts WHERE company_revenue IS NOT NULL ORDER BY 1") == [
        (6.0e7,),
        (8.48e10,),
    ]
    assert any("gives no ARR" in warning and "ANNUALREVENUE" in warning for warning in report.warnings)
    assert count(csv_book, "account_domains", "domain = 'acme.com'") == 1


def test_reimporting_the_same_file_changes_nothing(csv_book: Book) -> None:
    run_import(csv_book, "accounts", CRM / "sfdataloader__accountData.csv")
    again = run_import(csv_book, "accounts", CRM / "sfdataloader__accountData.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 423)
    assert count(csv_book, "accounts") == 423


def test_opportunities_link_by_account_id_and_keep_every_amount(csv_book: Book) -> None:
    run_import(csv_book, "accounts", CRM / "sfdataloader__accountData.csv")
    report = run_import(csv_book, "opportunities", CRM / "sfdataloader__opportunityData.csv")
    assert (report.new, report.problems) == (38, [])
    assert rows(
        csv_book, "SELECT count(*), sum(amount), sum(is_won), count(DISTINCT account_id) FROM opportunities"
    ) == [(38, 6_270_000.0, 8, 7)]
    stages = dict(rows(csv_book, "SELECT stage, count(*) FROM opportunities GROUP BY stage"))
    assert stages["Prospecting"] == 9 and stages["Closed Won"] == 8
    names = [name for (name,) in rows(csv_book, "SELECT name FROM opportunities")]
    assert "Acme - 1,200 Widgets" in names


def test_opportunities_before_their_accounts_are_all_invalid_and_nothing_is_written(csv_book: Book) -> None:
    report = run_import(csv_book, "opportunities", CRM / "sfdataloader__opportunityData.csv")
    assert len(report.problems) == 38
    assert report.problems[0].line == 2
    assert report.problems[0].column == "ACCOUNTID"
    assert "not in the book" in report.problems[0].reason
    assert count(csv_book, "opportunities") == 0


def test_soft_deleted_salesforce_rows_are_skipped_and_counted(csv_book: Book) -> None:
    report = run_import(csv_book, "accounts", CRM / "fivetran_sf__sf_account_data.csv")
    assert (report.new, report.skipped) == (1, 9)
    assert rows(csv_book, "SELECT name FROM accounts") == [("Eric's Test",)]


def test_warehouse_contacts_link_by_salesforce_account_id(csv_book: Book, tmp_path: Path) -> None:
    accounts = write(tmp_path, "accounts.csv", "name,account_id\nFederal Reserve,0011G00000eM9wvQAC\n")
    run_import(csv_book, "accounts", accounts)
    report = run_import(csv_book, "contacts", CRM / "fivetran_sf__sf_contact_data.csv", skip_invalid=True)
    assert report.new == 1
    assert len(report.problems) == 3  # a row with no name, and two accounts that are not in the book
    assert rows(csv_book, "SELECT name, phone, source, external_id FROM contacts") == [
        ("Janet Yellen", "(555) 555-5555", "salesforce", "0031G00000q9jPQAQ")
    ]


def test_hubspot_hashed_emails_degrade_to_name_linking(csv_book: Book, tmp_path: Path) -> None:
    companies = run_import(csv_book, "accounts", CRM / "fivetran_hubspot__company_data.csv")
    assert (companies.source, companies.new) == ("hubspot", 24)
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name\nSampleCompany\n"))
    report = run_import(csv_book, "contacts", CRM / "fivetran_hubspot__contact_data.csv", skip_invalid=True)
    assert any("not e-mail addresses" in warning for warning in report.warnings)
    linked = count(csv_book, "contacts")
    assert linked == report.new > 0
    assert len(report.problems) == 22 - linked
    assert count(csv_book, "contacts", "email IS NOT NULL") == 0


def test_zendesk_tickets_with_unknown_organizations_are_invalid_rows_not_a_crash(csv_book: Book) -> None:
    orgs = run_import(csv_book, "accounts", CRM / "fivetran_zendesk__organization_data.csv")
    assert (orgs.source, orgs.new) == ("zendesk", 10)
    report = run_import(csv_book, "tickets", CRM / "fivetran_zendesk__ticket_data.csv")
    assert report.source == "zendesk"
    assert report.skipped == 3  # status "deleted"
    assert len(report.problems) == 7
    assert all(p.column == "organization_id" for p in report.problems)
    assert count(csv_book, "tickets") == 0


def test_date_only_column_reads_the_same_day_and_z_with_offset_is_refused(csv_book: Book) -> None:
    path = CRM / "sfdataloader__dateWithTimeZone.csv"
    good = run_import(csv_book, "accounts", path, mapping={"DATE_ONLY": "contract_start"})
    assert good.new == 2
    assert rows(csv_book, "SELECT DISTINCT contract_start FROM accounts") == [("2010-10-14",)]
    bad = run_import(csv_book, "accounts", path, mapping={"DATE": "renewal_date"})
    assert [(p.line, p.column) for p in bad.problems] == [(2, "DATE"), (3, "DATE")]
    assert count(csv_book, "accounts", "renewal_date IS NOT NULL") == 0


def test_another_crms_contacts_import_with_map(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,domains\nAcme,doe.example\n"))
    report = run_import(
        csv_book,
        "contacts",
        CRM / "atomiccrm__contacts_export.csv",
        mapping={"company": "account", "email_work": "email"},
    )
    assert (report.new, report.problems) == (2, [])
    assert rows(csv_book, "SELECT name, email, title FROM contacts ORDER BY name") == [
        ("Jane Doe", None, "Designer"),
        ("John Doe", "john@doe.example", "Sales Executive"),
    ]


def test_dry_run_counts_new_updated_unchanged_and_writes_nothing(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,arr\nAcme,100\nGlobex,200\n"))
    path = write(tmp_path, "b.csv", "name,arr\nAcme,100\nGlobex,250\nInitech,300\n")
    report = run_import(csv_book, "accounts", path, dry_run=True)
    assert (report.new, report.updated, report.unchanged) == (1, 1, 1)
    assert count(csv_book, "accounts") == 2
    assert rows(csv_book, "SELECT arr FROM accounts WHERE name = 'Globex'") == [(200.0,)]


def test_one_invalid_row_means_nothing_is_written_unless_skip_invalid(csv_book: Book, tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.csv", "name,arr,renewal_date\nAcme,100,2027-06-01\nGlobex,lots,2027-07-01\nInitech,5,soon\n"
    )
    report = run_import(csv_book, "accounts", path)
    assert [(p.line, p.column) for p in report.problems] == [(3, "arr"), (4, "renewal_date")]
    assert count(csv_book, "accounts") == 0
    skipped = run_import(csv_book, "accounts", path, skip_invalid=True)
    assert skipped.new == 1
    assert rows(csv_book, "SELECT name FROM accounts") == [("Acme",)]


def test_duplicate_ids_in_one_file_are_refused_naming_both_lines(csv_book: Book, tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "name,account_id\nAcme,A1\nGlobex,A2\nAcme Two,A1\n")
    report = run_import(csv_book, "accounts", path)
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.line, problem.column) == (4, "account_id")
    assert "also on line 2" in problem.reason


def test_same_name_with_different_ids_stays_two_accounts(csv_book: Book, tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Id,Name\n001A,Blue Test\n001B,Blue Test\n")
    report = run_import(csv_book, "accounts", path, source="salesforce")
    assert report.new == 2
    assert count(csv_book, "accounts") == 2


def test_an_id_from_another_tool_attaches_to_the_account_of_the_same_name(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "sf.csv", "Id,Name\n001A,Acme Inc.\n"), source="salesforce")
    report = run_import(csv_book, "accounts", write(tmp_path, "cz.csv", "accountExternalId,Name\ncz-9,ACME\n"))
    assert (report.source, report.new, report.updated) == ("churnzero", 0, 1)
    assert rows(csv_book, "SELECT source, external_id FROM account_keys ORDER BY source") == [
        ("churnzero", "cz-9"),
        ("salesforce", "001A"),
    ]


def test_one_email_shared_by_two_people_is_never_merged(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,domains\nAcme,acme.com\n"))
    contacts = write(tmp_path, "c.csv", "name,email\nAnn Lee,team@acme.com\nBob Ray,team@acme.com\n")
    report = run_import(csv_book, "contacts", contacts)
    assert [(p.line, p.column) for p in report.problems] == [(3, "email")]
    assert "also on line 2" in report.problems[0].reason
    run_import(csv_book, "contacts", write(tmp_path, "c1.csv", "name,email\nAnn Lee,team@acme.com\n"))
    later = run_import(csv_book, "contacts", write(tmp_path, "c2.csv", "name,email\nBob Ray,team@acme.com\n"))
    assert "belongs to Ann Lee" in later.problems[0].reason
    assert rows(csv_book, "SELECT name FROM contacts") == [("Ann Lee",)]


def test_contact_title_and_company_changes_are_recorded(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,account_id\nAcme,A1\nGlobex,G1\n"))
    first = write(tmp_path, "c1.csv", "contact_id,name,account_id,title\nC1,Ann Lee,A1,Director\n")
    run_import(csv_book, "contacts", first)
    moved = write(tmp_path, "c2.csv", "contact_id,name,account_id,title\nC1,Ann Lee,G1,VP Operations\n")
    report = run_import(csv_book, "contacts", moved)
    assert report.updated == 1
    assert rows(
        csv_book, "SELECT field, old_value, new_value, changed_on, source FROM contact_changes ORDER BY field"
    ) == [
        ("account", "Acme", "Globex", "2027-03-01", "csm"),
        ("title", "Director", "VP Operations", "2027-03-01", "csm"),
    ]
    again = run_import(csv_book, "contacts", moved)
    assert again.unchanged == 1
    assert count(csv_book, "contact_changes") == 2


def test_contacts_link_by_email_domain_and_reports_to(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,domains\nAcme,acme.com;acme.io\n"))
    path = write(
        tmp_path,
        "c.csv",
        "first_name,last_name,email,role,reports_to\nAnn,Lee,ann@ACME.io,champion,bob@acme.com\nBob,Ray,bob@acme.com,exec_sponsor,\n",
    )
    report = run_import(csv_book, "contacts", path)
    assert (report.new, report.problems) == (2, [])
    assert rows(
        csv_book, "SELECT c.name, m.name FROM contacts c LEFT JOIN contacts m ON m.id = c.reports_to_id ORDER BY c.name"
    ) == [("Ann Lee", "Bob Ray"), ("Bob Ray", None)]


def test_zendesk_ui_export_links_by_requester_email_and_reads_rails_zones(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,domains\nAcme,acme.com\nGlobex,globex.com\n"))
    export = write(
        tmp_path,
        "zd.csv",
        "Summation column,Id,Requester,Requester email,Requester domain,Subject,Status,Priority,Created at,Organization,Solved at,Plan [list]\n"
        "1,101,Ann,ann@acme.com,acme.com,Login broken,Solved,Urgent,2027-02-01 09:00 Pacific Time (US & Canada),,2027-02-02 10:00 Pacific Time (US & Canada),gold\n"
        "1,102,Bob,bob@gmail.com,gmail.com,Invoice,Open,Normal,2027-02-03 10:00 Pacific Time (US & Canada),Globex,,\n",
    )
    report = run_import(csv_book, "tickets", export)
    assert (report.source, report.new, report.problems) == ("zendesk", 2, [])
    assert rows(
        csv_book,
        "SELECT t.external_id, a.name, t.status, t.priority, t.created_at FROM tickets t JOIN accounts a ON a.id = t.account_id ORDER BY 1",
    ) == [
        ("101", "Acme", "solved", "urgent", "2027-02-01 17:00:00.000000"),
        ("102", "Globex", "open", "normal", "2027-02-03 18:00:00.000000"),
    ]


def test_native_surveys_usage_requests_plans_and_interactions(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name,account_id,domains\nAcme,A1,acme.com\n"))
    run_import(csv_book, "contacts", write(tmp_path, "c.csv", "name,email\nAnn Lee,ann@acme.com\n"))
    files = {
        "surveys": "score,responded_on,contact_email,survey,comment\n9,2027-01-10,ann@acme.com,nps,Great\n3,01/20/2027,ann@acme.com,nps,\n",
        "usage": "account_id,measured_on,active_users,licensed_seats,feature_breadth\nA1,2027-01-01,40,50,45%\nA1,2027-02-01,42,50,0.5\n",
        "requests": "account,feature,requested_on\nAcme,SSO  login,2027-01-05\nAcme,Audit log,\n",
        "plans": "account,goal,value_type,target,status,customer_confirmed,confirmed_on\n"
        "Acme,Cut onboarding time,save_time,30,on_track,yes,\nAcme,Cut churn,save_money,5,achieved,yes,15/01/2027\n",
        "interactions": "account,occurred_on,kind,summary,attendees\nAcme,2027-02-10,qbr,Reviewed Q4,ann@acme.com;cfo@acme.com\n",
    }
    for kind, text in files.items():
        report = run_import(csv_book, kind, write(tmp_path, f"{kind}.csv", text))
        assert report.problems == [], kind
        again = run_import(csv_book, kind, write(tmp_path, f"{kind}.csv", text))
        assert again.new == again.updated == 0, kind
    assert rows(csv_book, "SELECT score, contact_id IS NOT NULL FROM survey_responses ORDER BY score") == [
        (3, 1),
        (9, 1),
    ]
    assert rows(csv_book, "SELECT feature_breadth FROM usage_snapshots ORDER BY measured_on") == [(0.45,), (0.5,)]
    assert rows(csv_book, "SELECT feature, requested_on FROM feature_requests ORDER BY feature") == [
        ("Audit log", "2027-03-01"),
        ("SSO login", "2027-01-05"),
    ]
    # a confirmation with no date in the file keeps none: the day of the import is not when the customer said so
    assert rows(csv_book, "SELECT status, customer_confirmed, target, confirmed_on FROM goals ORDER BY id") == [
        ("on_track", 1, 30.0, None),
        ("achieved", 1, 5.0, "2027-01-15"),
    ]
    assert count(csv_book, "interaction_contacts") == 1


def test_native_choices_are_checked(csv_book: Book, tmp_path: Path) -> None:
    run_import(csv_book, "accounts", write(tmp_path, "a.csv", "name\nAcme\n"))
    report = run_import(
        csv_book,
        "opportunities",
        write(tmp_path, "o.csv", "account,name,kind,amount\nAcme,Renewal 2027,renewal,$1200\nAcme,X,bogus,1\n"),
    )
    assert [(p.line, p.column) for p in report.problems] == [(3, "kind")]
    score = run_import(
        csv_book, "surveys", write(tmp_path, "s.csv", "account,score,responded_on\nAcme,11,2027-01-01\n")
    )
    assert score.problems[0].column == "score"


def test_hubspot_ui_exports_link_contacts_through_associated_company_ids(csv_book: Book, tmp_path: Path) -> None:
    companies = write(
        tmp_path,
        "hubspot-crm-exports-companies-2027-03-01.csv",
        '"Record ID","Company name","Company owner","Company Domain Name","Annual Revenue"\n'
        '"222","Acme Corp","Jane CSM","acme.com","$120,000"\n',
    )
    assert run_import(csv_book, "accounts", companies).source == "hubspot"
    contacts = write(
        tmp_path,
        "hubspot-crm-exports-contacts-2027-03-01.csv",
        "Record ID,First Name,Last Name,Email,Job Title,Associated Company IDs\n"
        "9001,Ann,Lee,ann@gmail.com,CTO,111;222\n",
    )
    report = run_import(csv_book, "contacts", contacts)
    assert (report.source, report.new, report.problems) == ("hubspot", 1, [])
    assert rows(csv_book, "SELECT c.name, a.name, c.title FROM contacts c JOIN accounts a ON a.id = c.account_id") == [
        ("Ann Lee", "Acme Corp", "CTO")
    ]
    deals = write(
        tmp_path,
        "deals.csv",
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Company IDs,Deal Type\n"
        "77,Acme renewal 2027,closedwon,120000,2027-05-01 10:00,222,existingbusiness\n",
    )
    report = run_import(csv_book, "opportunities", deals)
    assert (report.source, report.new) == ("hubspot", 1)
    assert rows(csv_book, "SELECT kind, is_closed, is_won, close_date FROM opportunities") == [
        ("renewal", 1, 1, "2027-05-01")
    ]


def test_churnzero_account_template(csv_book: Book, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "churnzero.csv",
        "accountExternalId,Name,NextRenewalDate,TotalContractAmount,IsActive,StartDate,LicenseCount,OwnerUserAccount,cf_Tier\n"
        'cz-1,Acme,2027-06-30,"48,000",TRUE,2026-07-01,50,Jane@Vendor.com,Gold\n'
        "cz-2,Globex,,1200,FALSE,,,,\n",
    )
    report = run_import(csv_book, "accounts", path)
    assert (report.source, report.new, report.problems) == ("churnzero", 2, [])
    # TotalContractAmount is the contract's total: ARR only where the term says it is one year
    assert rows(
        csv_book,
        "SELECT name, arr, contract_value, renewal_date, licences, owner, lifecycle_stage FROM accounts ORDER BY name",
    ) == [
        ("Acme", 48000.0, 48000.0, "2027-06-30", 50, "jane@vendor.com", None),
        ("Globex", None, 1200.0, None, None, None, "churned"),
    ]
    assert any("(TCV), not ARR" in warning and "(1 row)" in warning for warning in report.warnings)


def test_a_contract_of_under_six_months_is_not_scaled_to_a_year(csv_book: Book, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "churnzero.csv",
        "accountExternalId,Name,NextRenewalDate,TotalContractAmount,StartDate,EndDate\n"
        "cz-1,Pilot Co,2027-03-01,10000,2027-01-01,2027-02-28\n"  # two months: 12/2 would make it $60k
        "cz-2,Trial Co,2027-01-17,5000,2027-01-01,2027-01-16\n"  # half a month
        "cz-3,Half Year Co,2027-07-01,30000,2027-01-01,2027-06-30\n"  # six months: the total per year is twice it
        "cz-4,Tiny Co,2027-01-11,900,2027-01-01,2027-01-10\n",  # ten days
    )
    report = run_import(csv_book, "accounts", path)
    assert (report.new, report.problems) == (4, [])
    assert rows(csv_book, "SELECT name, arr, contract_value FROM accounts ORDER BY id") == [
        ("Pilot Co", None, 10000.0),
        ("Trial Co", None, 5000.0),
        ("Half Year Co", 60000.0, 30000.0),
        ("Tiny Co", None, 900.0),
    ]
    warnings = " ".join(report.warnings)
    assert "a term under 6 months (a pilot or a trial) is not made ARR" in warnings and "(3 rows)" in warnings
    assert "without both term dates" not in warnings
