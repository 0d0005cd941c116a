"""Sources in words: one line per sync outcome, and the rows of `csm source list`."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from csm.domain.words import moment_words

WHAT = {"calendar": "events"}


def label(kind: str, name: str) -> str:
    return f"{kind} '{name}'"


def counts_words(kind: str, counts: dict[str, Any] | None) -> str:
    """'3 new, 1 updated, 400 unchanged' (a calendar counts its events); nothing counted says so."""
    if not counts:
        return ""
    parts = [f"{counts.get(key, 0):,} {key}" for key in ("new", "updated", "unchanged") if counts.get(key)]
    if counts.get("skipped"):
        parts.append(f"{counts['skipped']:,} skipped")
    if counts.get("invalid"):
        parts.append(f"{counts['invalid']:,} invalid rows left out")
    total = sum(int(counts.get(key) or 0) for key in ("new", "updated", "unchanged"))
    if kind in WHAT:
        return f"{total:,} {WHAT[kind]}" + (f" ({', '.join(parts)})" if parts else "")
    return ", ".join(parts) or "no rows"


def outcome_line(outcome: Any) -> str:
    """`csm sync`'s line for a source: new, updated, unchanged, or failed and why."""
    head = label(outcome.kind, outcome.name)
    if outcome.outcome == "failed":
        return f"{head}: failed: {outcome.reason}"
    if outcome.outcome == "skipped":
        return f"{head}: {outcome.reason}"
    where = f" from {outcome.item}" if outcome.item else ""
    if outcome.outcome == "unchanged":
        return f"{head}: unchanged{where}"
    counted = counts_words(outcome.kind, outcome.counts)
    return f"{head}: {outcome.outcome}{where}" + (f": {counted}" if counted else "")


def source_rows(sources: list[dict[str, Any]], now: datetime, zone: tzinfo) -> list[dict[str, Any]]:
    """`csm source list`'s rows: what the table shows beside what JSON carries."""
    rows = []
    for source in sources:
        if source["outcome"] == "failed":
            status = f"failed: {source['error']}"
        elif source["outcome"]:
            status = source["outcome"] + (
                f": {counted}" if (counted := counts_words(source["kind"], source["counts"])) else ""
            )
        else:
            status = "not synced yet"
        rows.append({**source, "last_good": moment_words(source["synced_at"], now, zone), "status": status})
    return rows
