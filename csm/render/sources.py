"""Sources in words: one line per sync outcome, and the rows of `csm source list`."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from csm.domain.words import moment_words

NOUNS = {
    "accounts": "accounts", "contacts": "contacts", "opportunities": "opportunities", "tickets": "tickets",
    "surveys": "survey answers", "usage": "usage rows", "requests": "requests", "plans": "goals",
    "interactions": "interactions", "calendar": "events",
}  # fmt: skip


def label(kind: str, name: str) -> str:
    return f"{kind} '{name}'"


def counts_words(kind: str, counts: dict[str, Any] | None) -> str:
    """'42 accounts (1 updated, 41 unchanged)'; a calendar, replaced whole, says how many of its events are new."""
    if not counts:
        return ""
    total = sum(int(counts.get(key) or 0) for key in ("new", "updated", "unchanged"))
    noun = NOUNS.get(kind, "rows")
    if kind == "calendar":
        new = int(counts.get("new") or 0)
        parts = [f"{new:,} new"] if 0 < new < total else []
    else:
        parts = [f"{counts[key]:,} {key}" for key in ("new", "updated", "unchanged") if counts.get(key)]
        parts = [] if parts == [f"{total:,} new"] else parts
    if counts.get("skipped"):
        parts.append(f"{counts['skipped']:,} skipped")
    if counts.get("invalid"):
        parts.append(f"{counts['invalid']:,} invalid rows left out")
    return f"{total:,} {noun}" + (f" ({', '.join(parts)})" if parts else "")


def outcome_line(outcome: Any) -> str:
    """`csm sync`'s line for a source: new, updated, unchanged, or failed and why."""
    head = label(outcome.kind, outcome.name)
    if outcome.outcome == "failed":
        return f"{head}: failed: {outcome.reason}"
    if outcome.outcome == "skipped":
        return f"{head}: {outcome.reason}"
    parts = [outcome.outcome]
    if outcome.outcome != "unchanged" and (counted := counts_words(outcome.kind, outcome.counts)):
        parts.append(counted)
    if outcome.item:
        parts.append(f"from {outcome.item}")
    return f"{head}: " + " · ".join(parts)


def source_rows(sources: list[dict[str, Any]], now: datetime, zone: tzinfo) -> list[dict[str, Any]]:
    """`csm source list`'s rows: what the table shows beside what JSON carries."""
    rows = []
    for source in sources:
        if source["outcome"] == "failed":
            status = f"failed: {source['error']}"
        elif source["outcome"] in ("new", "updated"):
            status = " · ".join([source["outcome"], counts_words(source["kind"], source["counts"])])
        else:
            status = source["outcome"] or "not synced yet"
        rows.append({**source, "last_good": moment_words(source["synced_at"], now, zone), "status": status})
    return rows
