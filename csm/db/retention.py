"""Retention's reads over the ARR history: each account's ARR at a period's start and end, churns, renewal outcomes.

One statement places every account of the scope in a period (set work in SQL, window functions SQLite >= 3.25 and
PostgreSQL share); csm.domain.retention does the arithmetic on the small rows it returns.

A correction replaces the value it follows: the changes are cut into segments, each opened by a change that is not
a correction, and a segment's value is its last row's. ARR at the start of a period is the value of the last segment
opened before its first day (an `opening` row counts from the start of its own day: the ARR the account already had
when it entered the book); ARR at the end is the value of the last segment opened by its last day. Only changes
dated up to the day looked from (`as_of`) are read: a later look never changes an earlier one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from csm.db.facts import read_day
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.retention import Position, RenewalEvent


def positions(runner: Runner, scope: Scope, start: date, end: date, as_of: date) -> list[Position]:
    """Every account of the scope with any ARR history up to `as_of`: its ARR at the start and the end of the period
    (None where the book knew none) and how its history began."""
    rows = runner.tuples(
        f"""WITH h AS (
                SELECT c.account_id, c.id, c.changed_on, c.kind, c.arr_after,
                       CASE WHEN c.opening THEN 1 ELSE 0 END AS opening,
                       SUM(CASE WHEN c.kind = 'correction' THEN 0 ELSE 1 END)
                           OVER (PARTITION BY c.account_id ORDER BY c.changed_on, c.id ROWS UNBOUNDED PRECEDING) AS seg,
                       ROW_NUMBER() OVER (PARTITION BY c.account_id ORDER BY c.changed_on, c.id) AS nth
                FROM arr_changes c
                WHERE c.changed_on <= :as_of AND {scope.rows_where("c.account_id")}
            ), ranked AS (
                SELECT account_id, seg, changed_on, opening, arr_after,
                       ROW_NUMBER() OVER (PARTITION BY account_id, seg ORDER BY changed_on DESC, id DESC) AS latest,
                       ROW_NUMBER() OVER (PARTITION BY account_id, seg ORDER BY changed_on, id) AS earliest
                FROM h
            ), segments AS (
                SELECT account_id, seg,
                       MAX(CASE WHEN earliest = 1 THEN changed_on END) AS starts,
                       MAX(CASE WHEN earliest = 1 THEN opening END) AS opening,
                       MAX(CASE WHEN latest = 1 THEN arr_after END) AS arr
                FROM ranked GROUP BY account_id, seg
            ), marks AS (
                SELECT account_id,
                       MAX(CASE WHEN starts < :start OR (opening = 1 AND starts = :start) THEN seg END) AS start_seg,
                       MAX(CASE WHEN starts <= :end THEN seg END) AS end_seg
                FROM segments GROUP BY account_id
            )
            SELECT a.id, a.name, a.owner, a.segment, s.arr, e.arr, f.changed_on, f.kind, f.opening
            FROM marks m
            JOIN accounts a ON a.id = m.account_id
            JOIN h f ON f.account_id = m.account_id AND f.nth = 1
            LEFT JOIN segments s ON s.account_id = m.account_id AND s.seg = m.start_seg
            LEFT JOIN segments e ON e.account_id = m.account_id AND e.seg = m.end_seg
            WHERE {scope.accounts_where("a")}
            ORDER BY a.id""",
        {"start": start, "end": end, "as_of": as_of, **scope.params()},
    )
    return [
        Position(
            account_id,
            name,
            owner,
            segment,
            None if start_arr is None else float(start_arr),
            None if end_arr is None else float(end_arr),
            read_day(first_on),
            first_kind,
            bool(first_opening),
        )
        for account_id, name, owner, segment, start_arr, end_arr, first_on, first_kind, first_opening in rows
    ]


def churns(runner: Runner, scope: Scope, start: date, end: date) -> dict[int, tuple[str | None, str | None]]:
    """The reason and note of each account's last churn in the period."""
    found: dict[int, tuple[str | None, str | None]] = {}
    for account_id, reason, note in runner.tuples(
        f"""SELECT account_id, reason, note FROM arr_changes
            WHERE kind = 'churn' AND changed_on >= :start AND changed_on <= :end AND {scope.rows_where()}
            ORDER BY changed_on, id""",
        {"start": start, "end": end, **scope.params()},
    ):
        found[account_id] = (reason, note)
    return found


def renewal_events(runner: Runner, scope: Scope, start: date, end: date) -> list[RenewalEvent]:
    """Renewals that fell due in the period: the outcomes recorded for them (whenever recorded), then the renewal
    dates still open (accounts not churned whose renewal date is in the period)."""
    params = {"start": start, "end": end, **scope.params()}
    events = [
        RenewalEvent(account_id, read_day(due), kind, read_day(on), _money(before), _money(after))  # type: ignore[arg-type]
        for account_id, due, kind, on, before, after in runner.tuples(
            f"""SELECT account_id, renewal_due, kind, changed_on, arr_before, arr_after FROM arr_changes
                WHERE kind IN ('renewal', 'churn') AND renewal_due >= :start AND renewal_due <= :end
                  AND {scope.rows_where()}
                ORDER BY renewal_due, id""",
            params,
        )
    ]
    events += [
        RenewalEvent(account_id, read_day(due), "open", None, _money(arr), None)  # type: ignore[arg-type]
        for account_id, due, arr in runner.tuples(
            f"""SELECT a.id, a.renewal_date, a.arr FROM accounts a
                WHERE a.renewal_date >= :start AND a.renewal_date <= :end AND a.churned_on IS NULL
                  AND (a.lifecycle_stage IS NULL OR a.lifecycle_stage <> 'churned') AND {scope.accounts_where("a")}
                ORDER BY a.renewal_date, a.id""",
            params,
        )
    ]
    return events


def history_start(runner: Runner, scope: Scope) -> date | None:
    """The first day of the scope's ARR history."""
    rows = runner.tuples(f"SELECT MIN(changed_on) FROM arr_changes WHERE {scope.rows_where()}", scope.params())
    return read_day(rows[0][0]) if rows else None


def _money(value: Any) -> float | None:
    return None if value is None else float(value)
