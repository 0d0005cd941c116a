"""Fixtures for the CLI tests that read the example book: built once per module, copied for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.demo_book import build_demo_book, use_demo_book
from tests.conftest import CsmRunner, Run


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_book(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo(demo_file: Path, book_path: Path, config_path: Path, csm: CsmRunner) -> CsmRunner:
    use_demo_book(demo_file, book_path, config_path)
    return csm


def ok(run: Run) -> Run:
    assert run.code == 0, run.err
    return run
