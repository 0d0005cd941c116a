"""`csm today`: the morning routine."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat
from csm.cli.reporting import emit_model, evaluate_book
from csm.cli.state import AppState, state


def today(
    days: Annotated[
        int,
        typer.Option(
            "--days", "-d", help="Look ahead N days: agenda by day, to-dos due within N days.", min=1, max=366
        ),
    ] = 1,
    mine: Annotated[
        bool | None, typer.Option("--mine/--all-owners", help="Only your accounts (default when the config names you).")
    ] = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Your morning: today's meetings matched to accounts, then the to-do list, then the risks, then a summary."""
    show_today(state(), as_of=as_of, days=days, mine=mine, output_format=output_format)


def show_today(app_state: AppState, *, as_of: str | None, days: int, mine: bool | None, output_format: str) -> None:
    from csm.reports.today import today_report

    evaluation, _scope = evaluate_book(as_of, mine=mine)
    report = today_report(app_state.runner, evaluation, app_state.zone, app_state.config, days=days)
    if output_format == OutputFormat.json:
        emit_model(report)
    elif output_format == OutputFormat.md:
        from csm.render.today import today_markdown

        sys.stdout.write(today_markdown(report))
    else:
        from csm.render.console import console
        from csm.render.today import render_today

        render_today(report, console())


def register(app: typer.Typer) -> None:
    app.command()(today)
