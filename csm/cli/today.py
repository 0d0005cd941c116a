"""`csm today`: the morning routine."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat
from csm.cli.reporting import emit_model
from csm.cli.state import AppState, state

if TYPE_CHECKING:
    from csm.reports.today import TodayReport


def today(
    days: Annotated[
        int,
        typer.Option(
            "--days", "-d", help="Look ahead N days: agenda by day, to-dos due within N days.", min=1, max=366
        ),
    ] = 1,
    mine: Annotated[
        bool | None,
        typer.Option(
            "--mine/--all-owners",
            help="Only your accounts (default when the config names you); --mine also leaves out the playbook steps "
            "you handed out, until they are late.",
        ),
    ] = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
    no_sync: Annotated[
        bool, typer.Option("--no-sync", help="Do not refresh the sources first ('csm sync' refreshes them by hand).")
    ] = False,
) -> None:
    """Your morning: today's meetings matched to accounts, then the to-do list and what falls due this week, then
    the risks, then a summary.

    First, the sources not refreshed for [sync] max_age_minutes are synced, within [sync] budget_seconds; one that
    cannot be keeps its last good data, and a line says so. A look at another day (--as-of) syncs nothing."""
    app_state = state()
    if not no_sync and as_of is None:
        refresh_sources(app_state, mine=mine)
    show_today(app_state, as_of=as_of, days=days, mine=mine, output_format=output_format)


def refresh_sources(app_state: AppState, *, mine: bool | None) -> None:
    """Sync your sources that are due; when none is (or the book has none), this is one query and no import."""
    from csm.clock import now_utc
    from csm.db.sources import due_sources

    config = app_state.config
    due = due_sources(app_state.runner, now_utc(), config.sync.max_age_minutes, source_owners(app_state, mine))
    if not due:
        return
    from csm.sources.sync import sync_sources

    try:
        sync_sources(
            app_state, due, timeout=config.sync.timeout_seconds, budget=config.sync.budget_seconds, silent=True
        )
    except Exception:  # the morning goes on with the data the book has; each source's line says how old it is
        if app_state.debug:
            raise


def source_owners(app_state: AppState, mine: bool | None) -> tuple[str, ...] | None:
    """Whose sources a morning refreshes: yours (and those no one added in particular), as --mine scopes."""
    config = app_state.config
    if config.owner is None or mine is False:
        return None
    return (config.owner, *config.owner_aliases)


def build_today(
    app_state: AppState, *, as_of: str | None, days: int, mine: bool | None, limit: int | None = None
) -> TodayReport:
    """The day's worklist (judged, or from the cache when the book has not changed) read as the morning report."""
    from csm.cli.options import iso_day
    from csm.reports.cache import cached_worklist
    from csm.reports.today import source_freshness, today_report

    day = app_state.today(iso_day(as_of))
    runner = app_state.runner
    scope = app_state.scope(mine=mine)
    worklist = cached_worklist(
        runner, app_state.location, scope, day, app_state.zone, app_state.config, keep=day == app_state.today()
    )
    report = today_report(
        runner, worklist, app_state.zone, app_state.config, days=days, limit=limit,
        unowned_left_out=app_state.unowned_left_out, mine=mine is True,
    )  # fmt: skip
    report.summary.others_left_out = app_state.others_left_out
    report.sources = source_freshness(runner, app_state.config, app_state.zone, owners=source_owners(app_state, mine))
    return report


def show_today(app_state: AppState, *, as_of: str | None, days: int, mine: bool | None, output_format: str) -> None:
    from csm.render.today import SHOWN

    # the terminal shows what fits a screen; JSON and Markdown carry everything
    limit = SHOWN if output_format == OutputFormat.table else None
    report = build_today(app_state, as_of=as_of, days=days, mine=mine, limit=limit)
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
