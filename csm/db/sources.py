"""The sources table: where each morning's imports come from and what their last sync found.

Reads go through the light runner (`csm today` asks which sources are due without SQLAlchemy). A sync's own
bookkeeping (when it looked, what it found) is written through the runner too: it changes no judgement, so it
moves no revision and a fresh day's cache stays valid. An import a sync makes goes through `Book.session()`,
with the source's new state recorded in the same transaction.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from csm.db.runner import Row, Runner, as_datetime

COLUMNS = (
    "id", "name", "kind", "location", "tool", "mapping", "skip_invalid", "encoding", "delimiter", "date_order",
    "owner", "added_at", "checked_at",
    "synced_at", "outcome", "error", "item", "counts", "etag", "last_modified", "fingerprint", "content_hash",
)  # fmt: skip
STATE = ("checked_at", "synced_at", "outcome", "error", "item", "counts", "etag", "last_modified", "fingerprint",
         "content_hash")  # fmt: skip
_TIMES = ("added_at", "checked_at", "synced_at")


def _read(row: Row) -> Row:
    out = dict(row)
    for column in _TIMES:
        out[column] = as_datetime(out[column])
    out["skip_invalid"] = bool(out["skip_invalid"])
    out["mapping"] = json.loads(out["mapping"] or "[]")
    out["counts"] = json.loads(out["counts"]) if out["counts"] else None
    return out


def all_sources(runner: Runner) -> list[Row]:
    return [_read(r) for r in runner.rows(f"SELECT {', '.join(COLUMNS)} FROM sources ORDER BY name")]


def source_named(runner: Runner, name: str) -> Row | None:
    rows = runner.rows(f"SELECT {', '.join(COLUMNS)} FROM sources WHERE name = :name", {"name": name})
    return _read(rows[0]) if rows else None


def due_sources(runner: Runner, now: datetime, max_age_minutes: int, owners: tuple[str, ...] | None) -> list[Row]:
    """The sources not looked at for max_age_minutes (never looked at counts), of these owners (None: any);
    a source nobody added in particular is everyone's."""
    cutoff = now - timedelta(minutes=max_age_minutes)
    rows = [_read(r) for r in runner.rows(
        f"SELECT {', '.join(COLUMNS)} FROM sources WHERE checked_at IS NULL OR checked_at <= :cutoff ORDER BY name",
        {"cutoff": cutoff},
    )]  # fmt: skip
    return [r for r in rows if owned_by(r, owners)]


def owned_by(source: Row, owners: tuple[str, ...] | None) -> bool:
    """Whether a source is one of these owners' (lower-case; None: anyone's); one added without an owner is
    everyone's."""
    return owners is None or source["owner"] is None or str(source["owner"]).lower() in owners


def has_sources(runner: Runner) -> bool:
    return bool(runner.rows("SELECT EXISTS (SELECT 1 FROM sources) AS found")[0]["found"])


def add_source(runner: Runner, values: dict[str, Any]) -> None:
    """A new source (or one replacing the source of its name, whose sync state starts over)."""
    row = {**values, "mapping": json.dumps(values.get("mapping") or [])}
    runner.execute("DELETE FROM sources WHERE name = :name", {"name": row["name"]})
    names = ("name", "kind", "location", "tool", "mapping", "skip_invalid", "encoding", "delimiter", "date_order",
             "owner", "added_at")  # fmt: skip
    runner.execute(
        f"INSERT INTO sources ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})",
        {n: row.get(n) for n in names},
    )


def remove_source(runner: Runner, name: str) -> None:
    runner.execute("DELETE FROM sources WHERE name = :name", {"name": name})


def claim(runner: Runner, source_id: int, now: datetime) -> Row | None:
    """Take the source for a sync, inside the caller's transaction: the write comes first, so the transaction holds
    the book's write lock (SQLite) or the source's row (PostgreSQL) until it ends, and two syncs of one source take
    turns; returns the source's state as the other one left it."""
    runner.execute("UPDATE sources SET checked_at = :now WHERE id = :id", {"now": now, "id": source_id})
    rows = runner.rows(f"SELECT {', '.join(COLUMNS)} FROM sources WHERE id = :id", {"id": source_id})
    return _read(rows[0]) if rows else None


def record(runner: Runner, source_id: int, **state: Any) -> None:
    """What a sync found: any of the STATE columns."""
    unknown = set(state) - set(STATE)
    if unknown:
        raise ValueError(f"not a source state column: {sorted(unknown)}")
    if "counts" in state and state["counts"] is not None:
        state["counts"] = json.dumps(state["counts"])
    assignments = ", ".join(f"{column} = :{column}" for column in state)
    runner.execute(f"UPDATE sources SET {assignments} WHERE id = :id", {**state, "id": source_id})
