"""What the reporting commands share: resolve the day and the scope, run the engine, print report models."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from csm.cli.options import iso_day
from csm.cli.state import state
from csm.render.listing import Column, Listing, emit, plain, to_json

if TYPE_CHECKING:
    from csm.db.scope import Scope
    from csm.reports.engine import Evaluation


def evaluate_book(
    as_of: str | None,
    *,
    mine: bool | None = None,
    owner: str | None = None,
    account: str | None = None,
    account_id: int | None = None,
) -> tuple[Evaluation, Scope]:
    """Run the engine for the day (--as-of, else today) over the chosen accounts; store results only for today."""
    from csm.db.lookup import find_account
    from csm.reports.engine import evaluate

    app_state = state()
    day = app_state.today(iso_day(as_of))
    runner = app_state.runner
    if account:
        account_id = find_account(runner, account)[0]
    scope = app_state.scope(mine=False if account_id else mine, owner=owner, account_id=account_id)
    evaluation = evaluate(runner, scope, day, app_state.zone, app_state.config, persist=app_state.persists(day))
    return evaluation, scope


def emit_models(items: Sequence[object], output_format: str, *, title: str, columns: list[Column], empty: str) -> None:
    """A list of report models: JSON as the models are, a table or Markdown through the shared listing."""
    if output_format == "json":
        sys.stdout.write(to_json(plain(list(items))) + "\n")
        return
    emit(Listing(title=title, columns=columns, rows=plain(list(items)), empty=empty), output_format)


def emit_model(item: object) -> None:
    sys.stdout.write(to_json(plain(item)) + "\n")
