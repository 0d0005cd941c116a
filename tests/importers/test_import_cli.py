"""`csm import KIND FILE` as a CSM runs it: summaries, exit codes, and every bad row on stderr."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CsmRunner

from .conftest import CRM, write


def test_import_prints_a_summary_and_reimport_changes_nothing(csm: CsmRunner) -> None:
    first = csm("import", "accounts", str(CRM / "sfdataloader__accountData.csv"))
    assert first.code == 0, first.err
    assert "423" in first.out and "salesforce" in first.out
    again = csm("import", "accounts", str(CRM / "sfdataloader__accountData.csv"), "--format", "json")
    assert again.code == 0
    assert {k: again.json()[k] for k in ("new", "updated", "unchanged")} == {"new": 0, "updated": 0, "unchanged": 423}


def test_dry_run_reports_counts_as_json_and_writes_nothing(csm: CsmRunner, book_path: Path) -> None:
    run = csm("import", "accounts", str(CRM / "fivetran_sf__sf_account_data.csv"), "--dry-run", "--format", "json")
    assert run.code == 0, run.err
    summary = run.json()
    assert (summary["dry_run"], summary["new"], summary["skipped"]) == (True, 1, 9)
    assert not book_path.exists()  # not even an empty book: the dry run counted against one aside
    assert csm("import", "accounts", str(CRM / "sfdataloader__accountData.csv")).code == 0
    again = csm("import", "accounts", str(CRM / "fivetran_sf__sf_account_data.csv"), "--dry-run", "--format", "json")
    assert again.json()["new"] == 1
    assert len(csm("account", "list", "--all", "--format", "json").json()) == 423


def test_invalid_rows_exit_1_each_reported_with_file_line_and_column(csm: CsmRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "accounts.csv", "name,arr\nAcme,100\nGlobex,lots\n,5\n")
    run = csm("import", "accounts", str(path))
    assert run.code == 1
    assert f"{path}, line 3, column 'arr': 'lots' is not an amount of money" in run.err
    assert f"{path}, line 4, column 'name'" in run.err
    assert "csm: error: 2 invalid rows" in run.err and "--skip-invalid" in run.err
    assert "Traceback" not in run.err
    listed = csm("account", "list", "--format", "json")  # nothing written: a refused first import leaves no book
    assert listed.code == 1 and "no book at" in listed.err


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest(csm: CsmRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "accounts.csv", "name,arr\nAcme,100\nGlobex,lots\n")
    run = csm("import", "accounts", str(path), "--skip-invalid")
    assert run.code == 0
    assert "line 3, column 'arr'" in run.err
    assert [a["name"] for a in csm("account", "list", "--format", "json").json()] == ["Acme"]


def test_missing_required_column_exits_1_with_the_map_that_fixes_it(csm: CsmRunner) -> None:
    run = csm("import", "contacts", str(CRM / "atomiccrm__contacts_export.csv"))
    assert run.code == 1
    assert "Columns found: first_name, last_name" in run.err
    assert '--map "company=account"' in run.err


def test_map_option_is_repeatable(csm: CsmRunner, tmp_path: Path) -> None:
    csm("import", "accounts", str(write(tmp_path, "a.csv", "name,domains\nAcme,doe.example\n")))
    run = csm(
        "import",
        "contacts",
        str(CRM / "atomiccrm__contacts_export.csv"),
        "--map",
        "company=account",
        "--map",
        "email_work=email",
    )
    assert run.code == 0, run.err
    assert "2" in run.out


def test_zendesk_orphan_tickets_fail_cleanly(csm: CsmRunner) -> None:
    csm("import", "accounts", str(CRM / "fivetran_zendesk__organization_data.csv"))
    run = csm("import", "tickets", str(CRM / "fivetran_zendesk__ticket_data.csv"))
    assert run.code == 1
    assert run.err.count("column 'organization_id'") == 7
    assert "7 invalid rows" in run.err


def test_unknown_kind_is_a_usage_error(csm: CsmRunner, tmp_path: Path) -> None:
    assert csm("import", "leads", str(write(tmp_path, "x.csv", "a\n1\n"))).code == 2


def test_missing_file_and_binary_file_exit_1(csm: CsmRunner, tmp_path: Path) -> None:
    assert "no file at" in csm("import", "accounts", str(tmp_path / "none.csv")).err
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(b"PK\x03\x04rest")
    run = csm("import", "accounts", str(workbook))
    assert run.code == 1 and "Excel" in run.err


def test_forced_source_and_large_files_show_progress_without_polluting_stdout(csm: CsmRunner, tmp_path: Path) -> None:
    lines = ["Id,Name"] + [f"001{i:06d},Account {i}" for i in range(6000)]
    path = write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    run = csm("import", "accounts", str(path), "--source", "salesforce", "--format", "json")
    assert run.code == 0, run.err
    assert run.json()["new"] == 6000


def test_a_ticket_linking_to_no_account_says_each_thing_tried_once(csm: CsmRunner, tmp_path: Path) -> None:
    csm("import", "accounts", str(write(tmp_path, "accounts.csv", "name,account_id,domains\nAcme,A1,acme.com\n")))
    tickets = write(
        tmp_path,
        "tickets.csv",
        "Id,Subject,Status,Priority,Requester email,Requester domain,Created at,Organization\n"
        "7,Login,open,normal,bo@initech.example,initech.example,2027-02-01 09:00,Initech\n",
    )
    run = csm("import", "tickets", str(tickets))
    assert run.code == 1
    assert "links to no account: no account has the domain initech.example; no account is named 'Initech'" in run.err
    assert run.err.count("initech.example") == 1


def test_a_calendar_import_says_its_counts_are_meetings_of_how_many_recurring_events(
    csm: CsmRunner, tmp_path: Path
) -> None:
    from tests.test_judge import WEEKLY_SYNC

    calendar = tmp_path / "work.ics"
    calendar.write_text(WEEKLY_SYNC, newline="")
    run = csm("import", "calendar", str(calendar), "--format", "json")
    assert run.code == 0, run.err
    new = run.json()["new"]
    assert new > 100  # one weekly series, some three years of Mondays
    assert f"1 recurring event expanded into {new} meetings from " in " ".join(run.err.split())


def test_a_calendar_whose_series_ended_long_ago_does_not_say_zero_recurring_events(
    csm: CsmRunner, tmp_path: Path
) -> None:
    from tests.test_judge import WEEKLY_SYNC

    calendar = tmp_path / "old.ics"
    calendar.write_text(WEEKLY_SYNC.replace("RRULE:FREQ=WEEKLY;BYDAY=MO", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3")
                        .replace("DTSTART:20270104", "DTSTART:20200106").replace("DTEND:20270104", "DTEND:20200106"),
                        newline="")  # fmt: skip
    run = csm("import", "calendar", str(calendar), "--format", "json")
    said = " ".join(run.err.split())
    assert "0 recurring events" not in said
    assert "recurring events expanded (none has a meeting then) from " in said
    assert "no event of the file falls between" in said
