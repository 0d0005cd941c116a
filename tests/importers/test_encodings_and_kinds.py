"""Files as they arrive: other code pages, two encodings in one file, odd delimiters, and the wrong kind of file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CsmRunner

from .conftest import CRM


def names(book: Path) -> list[str]:
    with sqlite3.connect(book) as connection:
        return [name for (name,) in connection.execute("SELECT name FROM accounts ORDER BY id")]


def test_a_shift_jis_file_is_read_as_japanese(csm: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes("name,arr\n株式会社トヨタ,120000\nソニー株式会社,45000\n".encode("shift_jis"))
    run = csm("import", "accounts", str(path))
    assert run.code == 0, run.err
    assert names(book_path) == ["株式会社トヨタ", "ソニー株式会社"]
    assert "Shift-JIS" in run.err


def test_a_polish_cp1250_file_is_not_misread_as_cp1252(csm: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    text = "name;city\nZakład Usług Łódź;Łódź\nPrzedsiębiorstwo Świętokrzyskie;Kielce\n"
    path.write_bytes(text.encode("cp1250"))
    run = csm("import", "accounts", str(path))
    assert run.code == 0, run.err
    assert names(book_path) == ["Zakład Usług Łódź", "Przedsiębiorstwo Świętokrzyskie"]
    assert "Windows-1250" in run.err


def test_encoding_can_be_named(csm: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes("name\nPoznań Sp. z o.o.\n".encode("cp1250"))  # too short to tell by itself
    run = csm("import", "accounts", str(path), "--encoding", "cp1250")
    assert run.code == 0, run.err
    assert names(book_path) == ["Poznań Sp. z o.o."]
    bad = csm("import", "accounts", str(path), "--encoding", "klingon")
    assert bad.code == 1 and "--encoding 'klingon'" in bad.err and "Traceback" not in bad.err


def test_a_named_encoding_that_does_not_fit_names_the_line(csm: CsmRunner, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"name\nAcme\nZ\xfcrich AG\n")
    run = csm("import", "accounts", str(path), "--encoding", "utf-8")
    assert run.code == 1
    assert f"{path}, line 3: cannot be read as utf-8" in run.err


def test_a_mostly_utf8_file_with_one_cp1252_line_is_read_per_line_and_said(
    csm: CsmRunner, book_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(
        "name,city\nMüller GmbH,Zürich\n".encode()
        + "Café Olé,Paris\n".encode("cp1252")
        + "Ørsted,Fredericia\n".encode()
    )
    run = csm("import", "accounts", str(path))
    assert run.code == 0, run.err
    assert names(book_path) == ["Müller GmbH", "Café Olé", "Ørsted"]  # no 'MÃ¼ller'
    assert "mixed encodings: line(s) 3 are not UTF-8" in run.err


def test_delimiter_can_be_named(csm: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "accounts.txt"
    path.write_text("name|arr|renewal_date\nAcme, Inc.|1200|2027-06-30\n")
    assert csm("import", "accounts", str(path), "--delimiter", "|").code == 0
    assert names(book_path) == ["Acme, Inc."]
    tabbed = tmp_path / "tabbed.tsv"
    tabbed.write_text("name\tarr\nGlobex\t5\n")
    assert csm("import", "accounts", str(tabbed), "--delimiter", "tab").code == 0
    assert names(book_path) == ["Acme, Inc.", "Globex"]
    bad = csm("import", "accounts", str(path), "--delimiter", "ab")
    assert bad.code == 1 and "--delimiter 'ab'" in bad.err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "csm import calendar"),
        (b"<!DOCTYPE html><html><head><title>Sign in - Google Accounts</title>", "web page (HTML)"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b'[{"name": "Acme"}]', "csm import book"),
        (b"%PDF-1.7\n", "PDF"),
    ],
)
def test_a_file_of_another_kind_given_as_csv_says_which_import_reads_it(
    csm: CsmRunner, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    run = csm("import", "accounts", str(path))
    assert run.code == 1
    assert words in run.err and "Traceback" not in run.err
    assert "Columns found" not in run.err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"name,arr\nAcme,100\n", "csm import KIND"),
        (b"<!DOCTYPE html>\n<html><body>Sign in</body></html>", "sign-in or error page"),
        (b"PK\x03\x04", "Excel workbook"),
    ],
)
def test_a_file_of_another_kind_given_as_calendar_says_so(
    csm: CsmRunner, tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_bytes(content)
    run = csm("import", "calendar", str(path))
    assert run.code == 1
    assert words in run.err and "not a valid parameter string" not in run.err


def test_columns_found_shows_a_few_short_escaped_cells_only(csm: CsmRunner, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    secret = "root:$6$saltsaltsalt$" + "x" * 80
    path.write_text(f"{secret},\x1b[2Jcleared,{','.join(f'c{i}' for i in range(30))}\nA,B\n")
    run = csm("import", "contacts", str(path))
    assert run.code == 1
    assert "Columns found" in run.err
    assert secret not in run.err and "\x1b" not in run.err
    assert "\\x1b[2Jcleared" in run.err and "and 20 more" in run.err


def test_the_data_loader_file_still_reads_as_windows_1252(csm: CsmRunner, book_path: Path) -> None:
    run = csm("import", "accounts", str(CRM / "sfdataloader__accountData.csv"))
    assert run.code == 0, run.err
    with sqlite3.connect(book_path) as connection:
        streets = [s for (s,) in connection.execute("SELECT name FROM accounts WHERE name LIKE '%º%'")]
    assert "Windows-1252" in run.err
    assert all("Âº" not in street for street in streets)


def test_a_long_bad_cell_is_echoed_short_and_escaped(csm: CsmRunner, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("name,arr\nAcme,\x1b]8;;file:///etc/passwd\x07" + "9" * 500 + "x\n")
    run = csm("import", "accounts", str(path))
    assert run.code == 1
    assert f"{path}, line 2, column 'arr':" in run.err
    assert "\x1b" not in run.err and "9" * 60 not in run.err and "…" in run.err


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'name,arr\rAcme,100\r"Multi\rline",200\rBad,abc\r', 5),  # old Mac line ends, a cell across two lines
        (b'\xef\xbb\xbfname,arr\r\n"Two\r\nlines",5\r\nBad,abc\r\n', 4),  # Excel's CSV UTF-8: a byte-order mark
        (b"\n\nname,arr\nAcme,100\nBad,abc\n", 5),  # blank lines above the header
    ],
)
def test_a_utf8_file_read_as_one_stream_names_the_physical_line(
    csm: CsmRunner, book_path: Path, tmp_path: Path, data: bytes, line: int
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(data)
    run = csm("import", "accounts", str(path))
    assert run.code == 1
    assert f"accounts.csv, line {line}, column 'arr': 'abc' is not an amount of money" in run.err
    assert not book_path.exists()  # nothing written: a refused first import leaves no book


def test_a_file_cut_short_in_a_character_is_refused_naming_its_last_line(
    csm: CsmRunner, book_path: Path, tmp_path: Path
) -> None:
    for name, data in (("plain.csv", b""), ("marked.csv", b"\xef\xbb\xbf")):
        path = tmp_path / name
        path.write_bytes(data + "name,arr\nZürich AG,100\n".encode() + b"Caf\xc3")  # the last letter is cut in two
        run = csm("import", "accounts", str(path))
        assert run.code == 1
        assert (
            f"{name}, line 3: cannot be read as text (it ends in the middle of a character: is the file cut " in run.err
        )
        assert not book_path.exists()  # nothing written: a refused first import leaves no book


def test_a_file_replaced_while_it_is_imported_is_read_as_it_was_opened(
    csm: CsmRunner, book_path: Path, tmp_path: Path
) -> None:
    """The encoding is found on the open file the rows are then read from: a NUL in the file that replaced it
    (a sync client rewriting the export) never reaches the book."""
    from csm.importers.reading import open_csv

    path = tmp_path / "accounts.csv"
    path.write_bytes(b"name,arr\nAcme,100\nGlobex,200\n")
    with open_csv(path) as opened:
        swapped = tmp_path / "swapped.csv"
        swapped.write_bytes(b"name,arr\nAc\x00me,100\nGlobex,200\n")
        swapped.replace(path)
        assert [record.cells["name"] for record in opened.records()] == ["Acme", "Globex"]
    run = csm("import", "accounts", str(path))
    assert run.code == 1 and "accounts.csv holds NUL bytes" in run.err


def test_a_nul_written_into_the_file_while_it_is_read_is_refused_by_line(tmp_path: Path) -> None:
    from csm.errors import InputError
    from csm.importers.reading import open_csv

    path = tmp_path / "accounts.csv"
    rows = [f"Account {i},100\n" for i in range(20_000)]  # far more than any read-ahead buffer
    path.write_text("name,arr\n" + "".join(rows))
    with open_csv(path) as opened:
        with path.open("r+b") as same_file:  # rewritten in place, after the file was found to be UTF-8 throughout
            same_file.seek(len("name,arr\n" + "".join(rows[:19_000])) + 2)
            same_file.write(b"\x00")
        with pytest.raises(InputError, match=r"accounts.csv, line 19002 holds a NUL byte"):
            list(opened.records())
