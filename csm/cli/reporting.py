"""What the reporting commands share: resolve the day and the scope, judge the book, print report models."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from csm.cli.options import iso_day
from csm.cli.state import AppState, state
from csm.render.listing import Column, Listing, emit, plain, write_json

if TYPE_CHECKING:
    from csm.db.scope import Scope
    from csm.reports.judge import Judgement


def judge_book(
    as_of: str | None,
    *,
    mine: bool | None = None,
    owner: str | None = None,
    account: str | None = None,
    account_id: int | None = None,
    facts: bool = True,
    explain: bool = True,
    risks: bool = True,
    todos: bool = True,
    trend: bool = False,
    runs: bool = False,
    renewing_by: Callable[[date], date] | None = None,
    app_state: AppState | None = None,
) -> tuple[Judgement, Scope]:
    """The judgement of the day (--as-of, else today) over the chosen accounts, by default with every account's
    facts whole (what the reports beyond `today`, `todo list` and `risk` show); a report that shows no to-dos or
    no risks says so, and they are left out. Nothing is written."""
    from csm.db.lookup import find_account
    from csm.reports.judge import judge

    app_state = app_state or state()
    day = app_state.today(iso_day(as_of))
    runner = app_state.runner
    if account:
        account_id = find_account(runner, account)[0]
    scope = app_state.scope(mine=False if account_id else mine, owner=owner, account_id=account_id)
    if renewing_by is not None:  # a view of renewals judges only the accounts renewing by then
        scope = replace(scope, renewing_by=renewing_by(day))
    judgement = judge(runner, scope, day, app_state.zone, app_state.config, facts=facts, explain=explain, risks=risks,
                      todos=todos, trend=trend, runs=runs)  # fmt: skip
    return judgement, scope


def emit_models(
    items: Sequence[Any],
    output_format: str,
    *,
    title: str,
    columns: list[Column],
    empty: str,
    show_all: bool = False,
    row: Callable[[Any], object] | None = None,
    total: int | None = None,
) -> None:
    """A list of report models: JSON as the models are, a table or Markdown through the shared listing, each item
    shown as `row` makes it (worded only for the rows printed: a table of a big book prints a screenful). `total`:
    how many there are in all, when `items` holds only the first of them (those a screen shows)."""
    if output_format == "json":
        write_json_list(items)
        return
    if output_format == "table" and not show_all:
        from csm.render.listing import screen_rows

        shown = screen_rows()  # the rest are only counted: a terminal never sees thousands of rows
        rows = [row(item) for item in items[:shown]] if row else list(items[:shown])
        listing = Listing(
            title, columns, plain(rows), empty, more=max(0, (len(items) if total is None else total) - shown)
        )
        emit(listing, output_format)
        return
    rows = [row(item) for item in items] if row else list(items)
    emit(Listing(title=title, columns=columns, rows=plain(rows), empty=empty), output_format, show_all=show_all)


def write_json_list(items: Sequence[object]) -> None:
    """A JSON array of report models, one per line."""
    write_json(list(items), sys.stdout)


def emit_model(item: object) -> None:
    write_json(item, sys.stdout)
