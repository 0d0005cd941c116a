"""Health snapshots: the day's scores kept so that trends can be shown later."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from csm.db.facts import read_day
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.health import Health, HealthOverride

if TYPE_CHECKING:
    from sqlmodel import Session


def store_snapshots(session: Session, taken_on: date, scores: Mapping[int, Health]) -> int:
    """Store (or replace) each account's score for the day, inside the session's transaction."""
    from sqlalchemy import text

    rows = []
    for account_id, health in scores.items():
        components = [
            {"name": c.name, "score": c.score, "weight": c.weight, "inputs": c.inputs} for c in health.components
        ]
        rows.append(
            {
                "account_id": account_id,
                "taken_on": taken_on,
                "score": health.score,
                "band": health.band,
                "confidence": health.confidence,
                "components": json.dumps(components, default=str),
            }
        )
    if not rows:
        return 0
    session.execute(
        text("DELETE FROM health_snapshots WHERE account_id = :account_id AND taken_on = :taken_on"),
        [{"account_id": r["account_id"], "taken_on": r["taken_on"]} for r in rows],
    )
    session.execute(
        text(
            """INSERT INTO health_snapshots (account_id, taken_on, score, band, confidence, components)
               VALUES (:account_id, :taken_on, :score, :band, :confidence, :components)"""
        ),
        rows,
    )
    return len(rows)


def health_before(runner: Runner, scope: Scope, day: date) -> dict[int, tuple[date, float | None]]:
    """Each account's latest stored health score on or before `day` (for trends)."""
    rows = runner.tuples(
        f"""SELECT h.account_id, h.taken_on, h.score FROM health_snapshots h
            JOIN (SELECT account_id, MAX(taken_on) AS taken_on FROM health_snapshots
                  WHERE taken_on <= :day AND {scope.rows_where()} GROUP BY account_id) latest
              ON latest.account_id = h.account_id AND latest.taken_on = h.taken_on""",
        {"day": day, **scope.params()},
    )
    found = {}
    for account_id, taken_on, score in rows:
        taken = read_day(taken_on)
        assert taken is not None
        found[account_id] = (taken, score)
    return found


def overrides_on(runner: Runner, scope: Scope, day: date) -> dict[int, HealthOverride]:
    """Each account's health override in force on `day`: the latest set on or before it, unless cleared or past."""
    rows = runner.tuples(
        f"""SELECT account_id, band, reason, set_on, until FROM (
                SELECT account_id, band, reason, set_on, until,
                       ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY set_on DESC, id DESC) AS newest
                FROM health_overrides WHERE set_on <= :day AND {scope.rows_where()}) latest
            WHERE newest = 1""",
        {"day": day, **scope.params()},
    )
    found = {}
    for account_id, band, reason, set_on, until in rows:
        ends, began = read_day(until), read_day(set_on)
        if band is None or began is None or (ends is not None and ends < day):
            continue
        found[account_id] = HealthOverride(band, reason or "", began, ends)
    return found


def set_override(
    session: Session, account_id: int, *, band: str | None, reason: str | None, on: date, until: date | None, by: str
) -> None:
    """Record the CSM's call on an account's band from `on` (band None clears the one in force), kept as history."""
    from csm.clock import now_utc
    from csm.db.models import HealthOverride as OverrideRow

    session.add(
        OverrideRow(
            account_id=account_id, band=band, reason=reason, set_on=on, until=until, set_by=by, recorded_at=now_utc()
        )
    )
