"""Health snapshots: the day's scores kept so that trends can be shown later."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

from csm.db.runner import Runner
from csm.domain.health import Health


def store_snapshots(runner: Runner, taken_on: date, scores: Mapping[int, Health]) -> int:
    """Store (or replace) each account's score for the day, inside the caller's transaction."""
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
    runner.execute_many(
        "DELETE FROM health_snapshots WHERE account_id = :account_id AND taken_on = :taken_on",
        [{"account_id": r["account_id"], "taken_on": r["taken_on"]} for r in rows],
    )
    runner.execute_many(
        """INSERT INTO health_snapshots (account_id, taken_on, score, band, confidence, components)
           VALUES (:account_id, :taken_on, :score, :band, :confidence, :components)""",
        rows,
    )
    return len(rows)
