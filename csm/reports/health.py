"""The CSM's own call on an account's health band (`csm health set`): kept beside the computed score, never in
place of it, and ending on its day (or when cleared)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from csm.errors import InputError

if TYPE_CHECKING:
    from csm.cli.state import AppState
    from csm.domain.health import HealthOverride

OVERRIDE_DAYS = 30  # how long an override holds when no --until is given


def set_health_override(
    app_state: AppState, query: str, *, band: str | None, reason: str | None, on: date, until: date | None
) -> tuple[str, HealthOverride | None]:
    """Set (band given) or clear (band None) the override in force from `on`: the account's name, and the override
    that held before."""
    from csm.db.accounts import resolve_account
    from csm.db.health import overrides_on, set_override
    from csm.db.runner import ConnectionRunner
    from csm.db.scope import Scope

    if band is not None:
        until = until or on + timedelta(days=OVERRIDE_DAYS)
        if until < on:
            raise InputError(f"--until {until} is before the day it is set ({on})")
    with app_state.book.session() as session:
        account = resolve_account(session, query)
        assert account.id is not None
        held = overrides_on(ConnectionRunner(session.connection()), Scope(account_id=account.id), on).get(account.id)
        if band is None and held is None:
            raise InputError(f"{account.name} has no health override in force on {on}")
        set_override(
            session, account.id, band=band, reason=(reason or "").strip() or None, on=on, until=until,
            by=app_state.config.owner or "",
        )  # fmt: skip
        return account.name, held
