"""`csm demo`: the example book, built from examples/ in real export formats."""

from __future__ import annotations

import typer

from csm.cli.state import AppState


def run_demo(app_state: AppState) -> None:
    typer.echo("No example book yet: the importers that build it from examples/ are not part of this version.")
