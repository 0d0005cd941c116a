"""Sources on this machine: a vdir (vdirsyncer's folder of .ics items), a glob of dated exports where the newest
wins, a Downloads folder, unchanged re-syncs, dependency order, meetings re-matched, and invalid rows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import CsmRunner
from tests.sources.conftest import GOOGLE, ICS, events, ok, stamp


def vdir(folder: Path) -> Path:
    """A vdirsyncer collection: one event per .ics file, a displayname, a .tmp item being written."""
    folder.mkdir(parents=True)
    shutil.copy(ICS / "ical__event_all_day.ics", folder / "festival-2007.ics")
    shutil.copy(ICS / "khal__event_dt_partstat.ics", folder / "an-event.ics")
    (folder / "displayname").write_text("Work (CalDAV)\n", encoding="utf-8")
    (folder / "color").write_text("#FF0000", encoding="utf-8")
    (folder / "half-written.ics.tmp").write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")
    return folder


def test_a_vdir_is_one_calendar_of_all_its_items(csm: CsmRunner, tmp_path: Path) -> None:
    folder = vdir(tmp_path / "calendars" / "work")
    (folder / "cut-off.ics").write_bytes((ICS / "ical__event_multi_day.ics").read_bytes()[:200])
    added = ok(csm("source", "add", "calendar", str(folder)))
    assert "Added calendar source 'Work-CalDAV'" in added.out  # the vdir's own display name
    assert f"calendar 'Work-CalDAV': new · 2 events · from {folder}" in added.out
    assert "left out cut-off.ics: not a whole calendar item" in added.err
    assert events(csm, "2007-06-30") == ["Festival International de Jazz de Montreal"]
    assert events(csm, "2014-04-09") == ["An Event"]
    assert ok(csm("sync")).out.strip() == f"calendar 'Work-CalDAV': unchanged · from {folder}"
    os.utime(folder / "an-event.ics")  # touched, same bytes: read again, found unchanged by its hash
    assert "unchanged" in ok(csm("sync")).out
    (folder / "an-event.ics").unlink()  # vdirsyncer deleted the event on the server's word
    shutil.copy(ICS / "ical__recurring_with_single_change.ics", folder / "series.ics")
    assert "calendar 'Work-CalDAV': updated" in ok(csm("sync")).out
    assert events(csm, "2014-04-09") == []
    assert events(csm, "2007-06-30") == ["Festival International de Jazz de Montreal"]


def test_a_vdir_root_names_its_collections(csm: CsmRunner, tmp_path: Path) -> None:
    vdir(tmp_path / "calendars" / "work")
    vdir(tmp_path / "calendars" / "home")
    run = csm("source", "add", "calendar", str(tmp_path / "calendars"))
    assert run.code == 1
    assert "holds no .ics files, but its folders home, work do" in run.out
    assert "add each as its own source" in run.out


def accounts_export(path: Path, rows: list[str], mtime: float) -> Path:
    path.write_text("name,account_id,arr\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def test_a_glob_takes_the_newest_export_and_says_which(csm: CsmRunner, tmp_path: Path) -> None:
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    accounts_export(downloads / "accounts-2027-02-28.csv", ["Acme Corp,A-1,2000", "Globex,G-1,500"], 2_000_000_000)
    accounts_export(downloads / "accounts-2027-02-27.csv", ["Acme Corp,A-1,1000"], 1_900_000_000)
    (downloads / "accounts-2027-03-01.csv.crdownload").write_text("name\nHalf Downloaded\n", encoding="utf-8")
    pattern = str(downloads / "accounts-*.csv*")
    added = ok(csm("source", "add", "accounts", pattern))
    assert "Added accounts source 'accounts'" in added.out
    assert f"accounts 'accounts': new · 2 accounts · from {downloads / 'accounts-2027-02-28.csv'}" in added.out
    listed = {a["name"]: a["arr"] for a in ok(csm("account", "list", "--format", "json")).json()}
    assert listed == {"Acme Corp": 2000.0, "Globex": 500.0}
    assert (
        ok(csm("sync")).out.strip() == f"accounts 'accounts': unchanged · from {downloads / 'accounts-2027-02-28.csv'}"
    )
    accounts_export(downloads / "accounts-2027-03-01.csv", ["Acme Corp,A-1,2500", "Globex,G-1,500"], 2_100_000_000)
    run = ok(csm("sync"))
    newest = downloads / "accounts-2027-03-01.csv"
    assert run.out.strip() == f"accounts 'accounts': updated · 2 accounts (1 updated, 1 unchanged) · from {newest}"
    assert ok(csm("source", "list", "--format", "json")).json()[0]["item"] == str(downloads / "accounts-2027-03-01.csv")


def test_a_downloads_folder_gives_its_newest_csv(csm: CsmRunner, tmp_path: Path) -> None:
    downloads = tmp_path / "exports"
    downloads.mkdir()
    accounts_export(downloads / "old.csv", ["Old Co,O-1,10"], 1_900_000_000)
    accounts_export(downloads / "new.csv", ["New Co,N-1,20"], 2_000_000_000)
    (downloads / "notes.txt").write_text("not an export", encoding="utf-8")
    ok(csm("source", "add", "accounts", str(downloads), "--name", "crm"))
    assert [a["name"] for a in ok(csm("account", "list", "--format", "json")).json()] == ["New Co"]
    empty = tmp_path / "empty"
    empty.mkdir()
    run = csm("source", "add", "accounts", str(empty), "--name", "nothing")
    assert run.code == 1 and "holds no .csv file yet" in run.out


def test_sources_sync_in_dependency_order_whatever_their_names(csm: CsmRunner, tmp_path: Path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("name,account,email,role\nJane Roe,Acme Corp,jane@acme.example,champion\n", encoding="utf-8")
    accounts = accounts_export(tmp_path / "accounts.csv", ["Acme Corp,A-1,1000"], 2_000_000_000)
    ok(csm("source", "add", "contacts", str(contacts), "--name", "a-contacts", "--no-sync"))
    ok(csm("source", "add", "accounts", str(accounts), "--name", "b-accounts", "--no-sync"))
    lines = ok(csm("sync")).out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["accounts 'b-accounts'", "contacts 'a-contacts'"]
    shown = ok(csm("contact", "list", "--format", "json")).json()
    assert [(c["name"], c["account"]) for c in shown] == [("Jane Roe", "Acme Corp")]


def test_meetings_are_matched_again_when_a_sync_brings_their_account(csm: CsmRunner, tmp_path: Path) -> None:
    calendar = tmp_path / "work.ics"
    shutil.copy(GOOGLE, calendar)
    ok(csm("source", "add", "calendar", str(calendar), "--name", "work"))
    agenda = ok(csm("today", "--format", "json", "--no-sync")).json()["agenda"]
    assert [item["account"] for item in agenda if item["title"] == "Müller Logistik check-in"] == [None]
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("name,account,email\nLena Hoffmann,Mueller Logistik GmbH,lena.hoffmann@mueller-logistik.de\n",
                        encoding="utf-8")  # fmt: skip
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,account_id,arr\nMueller Logistik GmbH,ML-1,90000\n", encoding="utf-8")
    ok(csm("source", "add", "accounts", str(accounts), "--no-sync"))
    ok(csm("source", "add", "contacts", str(contacts), "--no-sync"))
    run = ok(csm("sync"))
    assert "calendar 'work': unchanged" in run.out  # not imported again, yet matched again
    agenda = ok(csm("today", "--format", "json", "--no-sync")).json()["agenda"]
    assert [item["account"] for item in agenda if item["title"] == "Müller Logistik check-in"] == [
        "Mueller Logistik GmbH"
    ]


def test_an_export_with_invalid_rows_fails_whole_and_keeps_the_last_data(csm: CsmRunner, tmp_path: Path) -> None:
    accounts = accounts_export(tmp_path / "accounts.csv", ["Acme Corp,A-1,1000"], 1_900_000_000)
    ok(csm("source", "add", "accounts", str(accounts)))
    accounts_export(accounts, ["Acme Corp,A-1,5000", "Globex,G-1,lots"], 2_000_000_000)
    run = csm("sync")
    assert run.code == 1
    assert f"{accounts}, line 3, column 'arr'" in run.err
    assert "accounts 'accounts': failed: 1 invalid row in " in run.out
    assert "add the source again with --skip-invalid --replace" in run.out
    assert {a["name"]: a["arr"] for a in ok(csm("account", "list", "--format", "json")).json()} == {"Acme Corp": 1000.0}
    ok(csm("source", "add", "accounts", str(accounts), "--name", "accounts", "--replace", "--skip-invalid"))
    assert {a["name"]: a["arr"] for a in ok(csm("account", "list", "--format", "json")).json()} == {"Acme Corp": 5000.0}


def test_a_missing_file_is_refused_when_added_and_a_moved_one_fails_its_sync(csm: CsmRunner, tmp_path: Path) -> None:
    run = csm("source", "add", "accounts", str(tmp_path / "nowhere.csv"))
    assert run.code == 1 and "there is no file or folder" in run.err
    accounts = accounts_export(tmp_path / "accounts.csv", ["Acme Corp,A-1,1000"], 1_900_000_000)
    ok(csm("source", "add", "accounts", str(accounts)))
    accounts.unlink()
    run = csm("sync")
    assert run.code == 1 and f"accounts 'accounts': failed: there is no file {accounts} (moved or renamed?)" in run.out
    assert csm("sync", "acounts").code == 1
    assert "no source named 'acounts'; did you mean 'accounts'?" in csm("sync", "acounts").err


def test_the_same_export_added_twice_is_refused_and_an_unchanged_sync_imports_nothing(
    csm: CsmRunner, tmp_path: Path
) -> None:
    accounts = accounts_export(tmp_path / "accounts.csv", ["Acme Corp,A-1,1000"], 1_900_000_000)
    ok(csm("source", "add", "accounts", str(accounts), "--name", "crm"))
    run = csm("source", "add", "accounts", str(accounts))
    assert run.code == 1
    assert f"the accounts source 'crm' reads {accounts} already; 'csm sync crm' refreshes it" in run.err
    assert [s["name"] for s in ok(csm("source", "list", "--format", "json")).json()] == ["crm"]
    ok(csm("source", "add", "contacts", str(accounts), "--name", "people", "--no-sync"))  # another kind may
    (synced,) = ok(csm("sync", "crm", "--format", "json")).json()["sources"]
    assert (synced["outcome"], synced["counts"]) == ("unchanged", None)  # this sync imported nothing
    assert ok(csm("source", "list", "--format", "json")).json()[0]["counts"]["new"] == 1  # what the last import did


def test_in_a_team_book_a_csm_refreshes_their_own_sources_and_those_of_no_one(
    csm: CsmRunner, env: dict[str, str], tmp_path: Path
) -> None:
    config = Path(env["CSM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('owner = "Maya@Brightwater.example"\n', encoding="utf-8")
    mayas = accounts_export(tmp_path / "maya.csv", ["Acme Corp,A-1,1000"], 1_900_000_000)
    ok(csm("source", "add", "accounts", str(mayas), "--name", "maya-crm"))
    config.write_text("", encoding="utf-8")  # added with no owner: everyone's
    shared = tmp_path / "shared.ics"
    shutil.copy(GOOGLE, shared)
    ok(csm("source", "add", "calendar", str(shared), "--name", "team"))
    listed = {s["name"]: s["owner"] for s in ok(csm("source", "list", "--format", "json")).json()}
    assert listed == {"maya-crm": "maya@brightwater.example", "team": None}
    config.write_text('owner = "sam@brightwater.example"\n[sync]\nmax_age_minutes = 0\n', encoding="utf-8")
    mayas.unlink()  # Maya's export is on her machine, not Sam's
    run = ok(csm("sync"))
    assert run.out.splitlines() == [
        "Left out 1 source other CSMs added (maya-crm); 'csm sync NAME' syncs one.",
        "calendar 'team': unchanged",  # a file names itself: no 'from'
    ]
    assert ok(csm("sync", "--format", "json")).json()["left_out"] == ["maya-crm"]
    report = ok(csm("today", "--format", "json")).json()
    assert [(s["name"], s["outcome"]) for s in report["sources"]] == [("team", "unchanged")]
    named = csm("sync", "maya-crm")  # by name, any source
    assert named.code == 1 and "accounts 'maya-crm': failed: there is no file" in named.out
    config.write_text('owner = "maya@brightwater.example"\n', encoding="utf-8")
    assert [s["name"] for s in ok(csm("today", "--format", "json", "--no-sync")).json()["sources"]] == [
        "maya-crm", "team"
    ]  # fmt: skip


def test_a_source_keeps_how_its_file_is_written_and_each_sync_reads_it_so(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    """A Polish CRM's export: Windows-1250, '|' between columns, dates day first that no value proves (03/04 is
    3 April). Said once to `source add`, every morning's sync reads it so, with no manual step."""
    import json
    import sqlite3

    export = tmp_path / "konta.csv"

    def write(*rows: str) -> None:
        export.write_bytes(("Nazwa|ARR|Odnowienie\n" + "".join(f"{row}\n" for row in rows)).encode("cp1250"))

    write("Łódź Meble Sp. z o.o.|120000|03/04/2027", "Gdańsk Żegluga S.A.|80000|05/06/2027")
    maps = ("--map", "Nazwa=name", "--map", "Odnowienie=renewal_date")
    added = ok(csm("source", "add", "accounts", str(export), *maps, "--encoding", "CP1250", "--delimiter", "pipe",
                   "--date-order", "dmy"))  # fmt: skip
    assert "accounts 'accounts': new · 2 accounts" in added.out

    def stored() -> list[tuple[str, str]]:
        with sqlite3.connect(book_path) as connection:
            return connection.execute("SELECT name, renewal_date FROM accounts ORDER BY name").fetchall()

    assert stored() == [("Gdańsk Żegluga S.A.", "2027-06-05"), ("Łódź Meble Sp. z o.o.", "2027-04-03")]
    (listed,) = json.loads(ok(csm("source", "list", "--format", "json")).out)
    assert (listed["encoding"], listed["delimiter"], listed["date_order"]) == ("cp1250", "|", "dmy")
    write(
        "Łódź Meble Sp. z o.o.|125000|03/04/2027",
        "Gdańsk Żegluga S.A.|80000|05/06/2027",
        "Kraków Stal|50000|01/02/2027",
    )
    synced = ok(csm("sync"))
    assert "accounts 'accounts': updated · 3 accounts (1 new, 1 updated, 1 unchanged)" in synced.out
    assert "--encoding says" not in synced.err and "--date-order says" not in synced.err  # the CSM's own word
    assert ("Kraków Stal", "2027-02-01") in stored()


def test_a_source_refuses_a_reading_it_could_not_use_and_keeps_nothing(
    csm: CsmRunner, tmp_path: Path, book_path: Path
) -> None:
    export = accounts_export(tmp_path / "accounts.csv", ["Acme,A-1,1000"], stamp(60))
    bad = csm("source", "add", "accounts", str(export), "--encoding", "klingon")
    assert bad.code == 1 and "--encoding 'klingon' is not an encoding Python knows" in bad.err
    wide = csm("source", "add", "accounts", str(export), "--delimiter", "ab")
    assert wide.code == 1 and "--delimiter 'ab': give one character" in wide.err
    calendar = csm("source", "add", "calendar", str(GOOGLE), "--date-order", "dmy")
    assert calendar.code == 1 and "are for CSV exports; a calendar says its own" in calendar.err
    assert not book_path.exists()  # refused before a book was made for it
