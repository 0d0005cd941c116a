"""Files csm writes (--out documents, exports, backups, config caches) are private, atomic, never written
through a planted link, never written over an existing file by accident, and never over the book."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CsmRunner
from tests.test_faults import environment


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def acme(csm: CsmRunner) -> CsmRunner:
    assert csm("account", "add", "Acme Corp", "--arr", "120000", "--renewal", "2027-06-29").code == 0
    assert csm("todo", "add", "Send the rollout plan", "--account", "Acme Corp").code == 0
    return csm


DOCUMENTS = [("prep", "Acme Corp"), ("ebr", "Acme Corp"), ("ebr", "Acme Corp", "--format", "html")]


@pytest.mark.parametrize("command", DOCUMENTS, ids=lambda c: " ".join(c))
def test_out_refuses_an_existing_file_unless_forced(acme: CsmRunner, tmp_path: Path, command: tuple[str, ...]) -> None:
    target = tmp_path / "notes.md"
    target.write_text("my own notes")
    run = acme(*command, "--out", str(target))
    assert run.code == 1 and "already exists" in run.err and "--force" in run.err
    assert target.read_text() == "my own notes"
    forced = acme(*command, "--out", str(target), "--force")
    assert forced.code == 0, forced.err
    assert "Acme Corp" in target.read_text() and mode(target) == 0o600


@pytest.mark.parametrize("command", DOCUMENTS, ids=lambda c: " ".join(c))
def test_out_never_writes_over_the_book_or_a_backup(
    acme: CsmRunner, book_path: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    assert acme("backup", str(tmp_path / "copy.db")).code == 0
    before = digest(tmp_path / "copy.db")
    for victim in (book_path, tmp_path / "copy.db", Path(f"{book_path}-wal"), Path(f"{book_path}-shm")):
        run = acme(*command, "--out", str(victim), "--force")
        assert run.code == 1, victim
        assert "the book itself" in run.err or "SQLite database" in run.err
    assert digest(tmp_path / "copy.db") == before
    assert book_path.read_bytes().startswith(b"SQLite format 3")
    assert [a["name"] for a in acme("account", "list", "--format", "json").json()] == ["Acme Corp"]


def test_out_refuses_a_missing_folder_and_names_it(acme: CsmRunner, tmp_path: Path) -> None:
    run = acme("prep", "Acme Corp", "--out", str(tmp_path / "no" / "such" / "prep.md"))
    assert run.code == 1 and f"there is no folder {tmp_path / 'no' / 'such'}" in run.err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", DOCUMENTS, ids=lambda c: " ".join(c))
def test_out_never_writes_through_a_planted_link(acme: CsmRunner, tmp_path: Path, command: tuple[str, ...]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for name in ("link.md", "dangling.md"):
        link = tmp_path / name
        link.symlink_to(victim if name == "link.md" else tmp_path / "nowhere.txt")
        for force in ((), ("--force",)):
            run = acme(*command, "--out", str(link), *force)
            assert run.code == 1 and "symbolic link" in run.err
            assert link.is_symlink()
    assert victim.read_text() == "precious" and not (tmp_path / "nowhere.txt").exists()


def test_out_dash_writes_to_standard_output(acme: CsmRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    prep = acme("prep", "Acme Corp", "--out", "-")
    assert prep.code == 0 and prep.out.startswith("# Prep: Acme Corp") and "Wrote" not in prep.err
    ebr = acme("ebr", "Acme Corp", "--out", "-", "--format", "json")
    assert ebr.code == 0 and json.loads(ebr.out)["account"] == "Acme Corp"
    assert not (tmp_path / "-").exists()
    device = acme("prep", "Acme Corp", "--out", "/dev/stdout")
    assert device.code == 0 and device.out.startswith("# Prep: Acme Corp")


def test_backup_refuses_a_link_and_the_book_itself(acme: CsmRunner, book_path: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "copy.db"
    link.symlink_to(victim)
    for force in ((), ("--force",)):
        run = acme("backup", str(link), *force)
        assert run.code == 1 and "symbolic link" in run.err
        book = acme("backup", str(book_path), *force)
        assert book.code == 1 and "the book itself" in book.err
    assert victim.read_text() == "precious"
    assert [a["name"] for a in acme("account", "list", "--format", "json").json()] == ["Acme Corp"]


def rows_in(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_text(encoding="utf-8")))
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.mark.parametrize("output_format", ["csv", "json"])
def test_export_writes_a_private_folder_with_a_manifest_of_row_counts(
    acme: CsmRunner, tmp_path: Path, output_format: str
) -> None:
    folder = tmp_path / "export"
    run = acme("export", str(folder), "--format", output_format)
    assert run.code == 0, run.err
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == output_format
    assert sorted(manifest["files"]) == sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
    for name, count in manifest["files"].items():
        assert rows_in(folder / name) == count, name
    assert manifest["files"]["accounts." + output_format] == 1
    assert mode(folder) == 0o700
    assert {mode(p) for p in folder.iterdir()} == {0o600}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_never_clobbers_and_replaces_only_an_earlier_export(acme: CsmRunner, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    assert acme("export", str(folder)).code == 0
    again = acme("export", str(folder))
    assert again.code == 1 and "already holds files" in again.err and "--force" in again.err
    assert acme("account", "add", "Globex").code == 0
    forced = acme("export", str(folder), "--force")
    assert forced.code == 0, forced.err
    assert rows_in(folder / "accounts.csv") == 2
    (folder / "my-notes.txt").write_text("mine")
    refused = acme("export", str(folder), "--force")
    assert refused.code == 1 and "did not export" in refused.err and "my-notes.txt" in refused.err
    assert (folder / "my-notes.txt").read_text() == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert acme("export", str(empty)).code == 0 and (empty / "manifest.json").exists()


def test_export_refuses_a_file_a_link_and_a_missing_parent(acme: CsmRunner, tmp_path: Path) -> None:
    a_file = tmp_path / "export.csv"
    a_file.write_text("keep")
    run = acme("export", str(a_file))
    assert run.code == 1 and "is a file, not a folder" in run.err and "unexpected" not in run.err
    assert a_file.read_text() == "keep"
    victim = tmp_path / "victim"
    victim.mkdir()
    (tmp_path / "link").symlink_to(victim)
    for force in ((), ("--force",)):
        linked = acme("export", str(tmp_path / "link"), *force)
        assert linked.code == 1 and "symbolic link" in linked.err
    assert list(victim.iterdir()) == []
    missing = acme("export", str(tmp_path / "no" / "export"))
    assert missing.code == 1 and f"there is no folder {tmp_path / 'no'}" in missing.err


def test_a_json_export_cut_short_is_refused_by_import_book(acme: CsmRunner, tmp_path: Path) -> None:
    folder = tmp_path / "json"
    assert acme("export", str(folder), "--format", "json").code == 0
    tasks = json.loads((folder / "tasks.json").read_text())
    (folder / "tasks.json").write_text(json.dumps(tasks[:-1]))
    run = acme("--db", str(tmp_path / "copy.db"), "import", "book", str(folder))
    assert run.code == 1 and "tasks.json" in run.err and "manifest" in run.err


def umask_env(tmp_path: Path, book: Path) -> dict[str, str]:
    return {**environment(tmp_path, book), "CSM_CACHE_DIR": str(tmp_path / "cache" / "deep")}


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_every_file_csm_writes_is_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    book = tmp_path / "data" / "book.db"
    env = umask_env(tmp_path, book)
    (tmp_path / "config.toml").write_text('owner = "me@example.com"\n')

    def csm(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "csm", *args], env=env, capture_output=True, text=True,
                              preexec_fn=lambda: os.umask(umask))  # fmt: skip
        assert done.returncode == 0, (args, done.stderr)

    csm("--db", str(book), "init")
    csm("account", "add", "Acme Corp")
    csm("prep", "Acme Corp", "--out", str(tmp_path / "prep.md"))
    csm("ebr", "Acme Corp", "--out", str(tmp_path / "ebr.html"))
    csm("export", str(tmp_path / "export"))
    csm("backup", str(tmp_path / "copy.db"))
    files = [book, tmp_path / "prep.md", tmp_path / "ebr.html", tmp_path / "copy.db",
             *(tmp_path / "export").iterdir(), *(tmp_path / "cache").rglob("*.json")]  # fmt: skip
    folders = [book.parent, tmp_path / "export", tmp_path / "cache", tmp_path / "cache" / "deep"]
    if umask == 0:  # the demo writes a book and its config too (once: it is the slowest command)
        csm("--db", str(tmp_path / "demo" / "book.db"), "demo")
        files += [tmp_path / "demo" / "demo-config.toml", tmp_path / "demo" / "book.db"]
        folders.append(tmp_path / "demo")
    assert (tmp_path / "cache").exists()
    assert {str(p): mode(p) for p in files} == {str(p): 0o600 for p in files}
    assert {str(p): mode(p) for p in folders} == {str(p): 0o700 for p in folders}


def test_an_export_killed_midway_leaves_all_of_it_or_none(tmp_path: Path) -> None:
    from tests.cli.demo_book import build_demo_book

    book = build_demo_book(tmp_path / "demo")
    env = environment(tmp_path, book)
    moments = random.Random(1111)
    for attempt in range(8):
        folder = tmp_path / f"export{attempt}"
        process = subprocess.Popen([sys.executable, "-m", "csm", "export", str(folder), "--format", "json"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        while process.poll() is None and not any(p.name.startswith(f".{folder.name}") for p in tmp_path.iterdir()):
            time.sleep(0.001)
        time.sleep(moments.uniform(0, 0.05))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
        if folder.exists():
            manifest = json.loads((folder / "manifest.json").read_text())
            for name, count in manifest["files"].items():
                assert rows_in(folder / name) == count, (attempt, name)
