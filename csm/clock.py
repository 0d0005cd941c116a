"""The record-keeping clock: the wall clock, unless "today" is pinned (CSM_AS_OF, the demo's date).

Rules never read it (they take `as_of`); it stamps when csm first saw a record, and those stamps
must agree with the pinned day or "new contact" and "new executive" would drift with real time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

_pinned: date | None = None


def pin(day: date | None) -> None:
    global _pinned
    _pinned = day


def now_utc() -> datetime:
    if _pinned is not None:
        return datetime.combine(_pinned, time(12), tzinfo=UTC)
    return datetime.now(UTC)
