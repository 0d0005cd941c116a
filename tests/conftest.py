"""Shared fixtures: a private temporary book and config, a fixed 'today', and the real CLI."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from csm.cli import app

TODAY = "2027-03-01"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@dataclass
class Run:
    """One CLI run: exit code, stdout and stderr kept apart."""

    result: Result

    @property
    def code(self) -> int:
        return self.result.exit_code

    @property
    def out(self) -> str:
        return self.result.stdout

    @property
    def err(self) -> str:
        return self.result.stderr

    def json(self) -> Any:
        return json.loads(self.out)


CsmRunner = Callable[..., Run]


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """The test's book; its (private) folder exists, as it does for a book named with --db in real use."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    return folder / "book.db"


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


@pytest.fixture
def env(book_path: Path, config_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "CSM_DB": str(book_path),
        "CSM_CONFIG": str(config_path),
        "CSM_AS_OF": TODAY,
        "CSM_TIMEZONE": "America/New_York",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "CSM_CACHE_DIR": str(book_path.parent.parent / "cache"),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
def csm(env: dict[str, str]) -> CsmRunner:
    """Run the real `csm` command line in-process against the temporary book."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        return Run(runner.invoke(app, list(args), input=input, env=env))

    return run


CORPUS_NAMES = ("CORPUS", "CRM", "corpus")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that read ../shared/corpus are skipped where it is absent; CI has it beside the repository."""
    if CORPUS.exists() or os.environ.get("CI"):
        return
    import inspect

    skip = pytest.mark.skip(reason=f"the conformance corpus is not at {CORPUS} (it sits beside the repository)")
    for item in items:
        function = getattr(item, "function", None)
        try:
            source = inspect.getsource(function) if function is not None else ""
        except (OSError, TypeError):
            continue
        # corpus files are named <source>__<original name>, e.g. khal__event_dt_floating.ics
        if any(name in source for name in CORPUS_NAMES) or re.search(r"\w__[\w.-]+\.(?:ics|csv)", source):
            item.add_marker(skip)


POSTGRES = os.environ.get("CSM_TEST_POSTGRES_URL")


def server_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    base = POSTGRES or ""
    plain = base.replace("postgresql+psycopg://", "postgresql://")
    name = f"csm_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def book_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "book.db")
        return
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("CSM_TEST_POSTGRES_URL is not set: CI must run the PostgreSQL half")
        pytest.skip("no PostgreSQL server: set CSM_TEST_POSTGRES_URL to run the team-book half")
    yield from server_database()
