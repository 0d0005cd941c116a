"""`csm import KIND -` and /dev/stdin read a pipe (real processes); devices and endless streams are refused
before anything reads them; `import book` names a bad cell in a line, never whole rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CsmRunner
from tests.test_faults import environment

ACCOUNTS = "name,account_id,arr\nPiped Co,P-1,1000\nStdin Ltd,P-2,2000\n"


def csm_process(env: dict[str, str], *args: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "csm", *args], env=env, capture_output=True, text=True,
                          timeout=120, **options)  # type: ignore[call-overload]  # fmt: skip


def names(env: dict[str, str]) -> list[str]:
    done = csm_process(env, "account", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    return sorted(account["name"] for account in json.loads(done.stdout))


@pytest.fixture
def piped_env(tmp_path: Path) -> dict[str, str]:
    from csm.db.book import locate_book, open_book

    open_book(locate_book(str(tmp_path / "book.db"))).close()
    return environment(tmp_path, tmp_path / "book.db")


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_import_reads_a_pipe(piped_env: dict[str, str], name: str) -> None:
    piped = csm_process(piped_env, "import", "accounts", name, "--format", "json", input=ACCOUNTS)
    assert piped.returncode == 0, piped.stderr
    summary = json.loads(piped.stdout)
    assert (summary["file"], summary["new"]) == ("<stdin>", 2)
    assert names(piped_env) == ["Piped Co", "Stdin Ltd"]
    again = csm_process(piped_env, "import", "accounts", name, "--format", "json", input=ACCOUNTS)
    assert json.loads(again.stdout)["unchanged"] == 2


def test_a_bad_row_from_a_pipe_is_named_as_stdin_with_its_line(piped_env: dict[str, str]) -> None:
    done = csm_process(piped_env, "import", "accounts", "-", input="name,arr\nGood Co,10\nBad Co,lots\n")
    assert done.returncode == 1
    assert "<stdin>, line 3, column 'arr'" in done.stderr and "nothing was imported" in done.stderr
    assert "csm-stdin-" not in done.stderr and "None" not in done.stderr
    assert names(piped_env) == []


def test_a_calendar_reads_a_pipe_too(piped_env: dict[str, str]) -> None:
    calendar = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20270301T150000Z\r\n"
                "DTEND:20270301T160000Z\r\nSUMMARY:Piped kickoff\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")  # fmt: skip
    done = csm_process(piped_env, "import", "calendar", "-", "--format", "json", input=calendar)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 1
    today = json.loads(csm_process(piped_env, "today", "--format", "json").stdout)
    assert [item["title"] for item in today["agenda"]] == ["Piped kickoff"]


def test_process_substitution_reads_the_pipe_and_names_it(piped_env: dict[str, str], tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"name,arr\nFd Co,1\nBad,x\n")
    os.close(write_end)
    done = csm_process(piped_env, "import", "accounts", f"/dev/fd/{read_end}", pass_fds=(read_end,))
    os.close(read_end)
    assert done.returncode == 1 and f"/dev/fd/{read_end}, line 3, column 'arr'" in done.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("kind", ["accounts", "calendar"])
def test_a_device_is_refused_before_it_is_read(piped_env: dict[str, str], device: str, kind: str) -> None:
    done = csm_process(piped_env, "import", kind, device)  # /dev/zero used to hang the line counter
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"csm: error: {device} is a device, not a file; give the export's file (or '-' to read a pipe)"
    )


def test_an_endless_pipe_is_refused_by_size(piped_env: dict[str, str]) -> None:
    endless = subprocess.Popen(["yes", "Acme Corp,1"], stdout=subprocess.PIPE)
    done = subprocess.run([sys.executable, "-m", "csm", "import", "accounts", "-"], env=piped_env, stdin=endless.stdout,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    endless.kill()
    endless.wait()
    assert done.returncode == 1
    assert "<stdin> holds more than 256 MB" in done.stderr
    assert names(piped_env) == []


def test_standard_input_from_a_terminal_is_refused_with_advice(piped_env: dict[str, str]) -> None:
    import pty

    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "csm", "import", "accounts", "-"], env=piped_env, stdin=follower,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    os.close(follower)
    os.close(leader)
    assert done.returncode == 1 and "standard input is a terminal" in done.stderr


def export_json(csm: CsmRunner, folder: Path) -> None:
    assert csm("account", "add", "Acme Corp", "--arr", "1000").code == 0
    assert csm("todo", "add", "Call Acme", "--account", "Acme Corp").code == 0
    assert csm("export", str(folder), "--format", "json").code == 0


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("tasks", "account_id", "abc" * 200, "expected a whole number"),
        ("tasks", "title", {"nested": ["y" * 500]}, "expected text"),
        ("accounts", "created_at", "x" * 300, "expected an ISO date and time"),
        ("accounts", "arr", "1e400", "expected a number"),
        ("tasks", "due", "\x1b[2J" + "9" * 300, "expected an ISO date"),
    ],
)
def test_import_book_names_a_bad_cell_in_one_short_line(
    csm: CsmRunner, tmp_path: Path, table: str, column: str, value: object, expected: str
) -> None:
    folder = tmp_path / "json"
    export_json(csm, folder)
    rows = json.loads((folder / f"{table}.json").read_text())
    rows[0][column] = value
    (folder / f"{table}.json").write_text(json.dumps(rows))
    run = csm("--db", str(tmp_path / "copy.db"), "import", "book", str(folder))
    assert run.code == 1
    (line,) = run.err.strip().splitlines()
    assert f"{table}.json, row 1, column '{column}': {expected}, not '" in line
    assert len(line) < 300 + len(str(folder)) and "\x1b" not in line and "[parameters" not in line


def test_import_book_refuses_rows_the_book_cannot_hold_without_printing_them(csm: CsmRunner, tmp_path: Path) -> None:
    folder = tmp_path / "json"
    export_json(csm, folder)
    rows = json.loads((folder / "tasks.json").read_text())
    rows[0]["account_id"] = 424242  # no such account: the foreign key fails at insert
    rows[0]["title"] = "secret " * 100
    (folder / "tasks.json").write_text(json.dumps(rows))
    run = csm("--db", str(tmp_path / "copy.db"), "import", "book", str(folder))
    assert run.code == 1
    assert "tasks.json: its rows do not fit the book (FOREIGN KEY constraint failed)" in run.err
    assert "secret" not in run.err and "INSERT" not in run.err and len(run.err.splitlines()) == 1


def test_files_read_whole_are_refused_when_a_device_or_a_pipe(csm: CsmRunner, tmp_path: Path) -> None:
    """A config, a template or a file of a JSON export that is /dev/zero or a FIFO would read forever."""
    assert csm("account", "add", "Acme Corp").code == 0
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    for config in ("/dev/zero", str(fifo)):
        run = csm("--config", config, "today")
        assert run.code == 1 and f"{config} is" in run.err and "config file" in run.err
    template = csm("prep", "Acme Corp", "--format", "md", "--template", "/dev/zero")
    assert template.code == 1 and "/dev/zero is a device, not a template" in template.err
    folder = tmp_path / "json"
    assert csm("export", str(folder), "--format", "json").code == 0
    (folder / "tasks.json").unlink()
    (folder / "tasks.json").symlink_to("/dev/zero")
    book = csm("--db", str(tmp_path / "copy.db"), "import", "book", str(folder))
    assert book.code == 1 and "tasks.json is a device" in book.err
