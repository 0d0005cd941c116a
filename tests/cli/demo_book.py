"""The demo book built once per test module with `csm --db PATH demo`, copied for each test that writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from csm.cli import app
from tests.conftest import TODAY

DEMO_CONFIG = (
    'owner = "maya.okafor@brightwater.example"\nowner_aliases = ["Maya Okafor"]\n'
    'internal_domains = ["brightwater.example"]\n'
    'people = { ae = "Dana Lee <dana.lee@brightwater.example>", '
    'support = "Priya Raman <priya.raman@brightwater.example>", '
    'manager = "Tom Becker <tom.becker@brightwater.example>", exec = "Elena Voss <elena.voss@brightwater.example>" }\n'
)  # what `csm demo` writes beside the book (examples/book.toml)


def build_demo_book(folder: Path) -> Path:
    book = folder / "book.db"
    env = {"CSM_CONFIG": str(folder / "config.toml"), "CSM_AS_OF": TODAY, "CSM_TIMEZONE": "America/New_York",
           "NO_COLOR": "1"}  # fmt: skip
    result = CliRunner().invoke(app, ["--db", str(book), "demo", "--format", "json"], env=env)
    assert result.exit_code == 0, result.stderr
    return book


def copy_book(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def use_demo_book(source: Path, book_path: Path, config_path: Path) -> None:
    """A private copy of the demo book, with the demo CSM's config (her name, her company's domain)."""
    copy_book(source, book_path)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(DEMO_CONFIG, encoding="utf-8")
