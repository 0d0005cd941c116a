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
from csm.domain.words import currency_code


def positions(runner: Runner, scope: Scope, start: date, end: date, as_of: date) -> list[Position]:
    """Every account of the scope with any ARR history up to `as_of`: its ARR at the start and the end of the period
    (None where the book knew none) and how its history began."""
    rows = runner.tuples(
        f"""WITH h AS (
                SELECT account_id, id, changed_on, kind, arr_after, CASE WHEN opening THEN 1 ELSE 0 END AS opening,
                       SUM(CASE WHEN kind = 'correction' THEN 0 ELSE 1 END)
                           OVER (PARTITION BY account_id ORDER BY changed_on, id ROWS UNBOUNDED PRECEDING) AS seg,
                       ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY changed_on, id) AS nth
                FROM arr_changes WHERE changed_on <= :as_of AND {scope.rows_where()}
            ), segmented AS (
                SELECT account_id, seg, nth, changed_on, kind, opening,
                       FIRST_VALUE(changed_on) OVER w AS starts, FIRST_VALUE(opening) OVER w AS opens,
                       LAST_VALUE(arr_after) OVER w AS arr
                FROM h
                WINDOW w AS (PARTITION BY account_id, seg ORDER BY changed_on, id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ), placed AS (
                SELECT segmented.*,
                       MAX(CASE WHEN starts < :start OR (opens = 1 AND starts = :start) THEN seg END)
                           OVER (PARTITION BY account_id) AS start_seg,
                       MAX(CASE WHEN starts <= :end THEN seg END) OVER (PARTITION BY account_id) AS end_seg
                FROM segmented
            ), positions AS (
                SELECT account_id,
                       MAX(CASE WHEN seg = start_seg THEN arr END) AS start_arr,
                       MAX(CASE WHEN seg = end_seg THEN arr END) AS end_arr,
                       MAX(CASE WHEN nth = 1 THEN changed_on END) AS first_on,
                       MAX(CASE WHEN nth = 1 THEN kind END) AS first_kind,
                       MAX(CASE WHEN nth = 1 THEN opening END) AS first_opening
                FROM placed GROUP BY account_id
            )
            SELECT a.id, a.name, a.owner, a.segment, p.start_arr, p.end_arr, p.first_on, p.first_kind, p.first_opening,
                   a.currency
            FROM positions p JOIN accounts a ON a.id = p.account_id
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
            currency_code(currency),
        )
        for account_id, name, owner, segment, start_arr, end_arr, first_on, first_kind, first_opening, currency in rows
    ]


def churns(runner: Runner, scope: Scope, start: date, end: date) -> dict[int, tuple[str | None, str | None, float]]:
    """The reason, note and ARR lost of each account's last churn in the period."""
    found: dict[int, tuple[str | None, str | None, float]] = {}
    for account_id, reason, note, before in runner.tuples(
        f"""SELECT account_id, reason, note, arr_before FROM arr_changes
            WHERE kind = 'churn' AND changed_on >= :start AND changed_on <= :end AND {scope.rows_where()}
            ORDER BY changed_on, id""",
        {"start": start, "end": end, **scope.params()},
    ):
        found[account_id] = (reason, note, float(before or 0.0))
    return found


def renewal_events(runner: Runner, scope: Scope, start: date, end: date) -> list[RenewalEvent]:
    """Renewals that fell due in the period: the outcomes recorded for them (whenever recorded), then the renewal
    dates still open (accounts not churned whose renewal date is in the period)."""
    params = {"start": start, "end": end, **scope.params()}
    events = [
        RenewalEvent(account_id, read_day(due), kind, read_day(on), _money(before), _money(after),  # type: ignore[arg-type]
                     currency_code(currency))
        for account_id, due, kind, on, before, after, currency in runner.tuples(
            f"""SELECT c.account_id, c.renewal_due, c.kind, c.changed_on, c.arr_before, c.arr_after, a.currency
                FROM arr_changes c JOIN accounts a ON a.id = c.account_id
                WHERE c.kind IN ('renewal', 'churn') AND c.renewal_due >= :start AND c.renewal_due <= :end
                  AND {scope.rows_where("c.account_id")}
                ORDER BY c.renewal_due, c.id""",
            params,
        )
    ]  # fmt: skip
    events += [
        RenewalEvent(account_id, read_day(due), "open", None, _money(arr), None, currency_code(currency))  # type: ignore[arg-type]
        for account_id, due, arr, currency in runner.tuples(
            f"""SELECT a.id, a.renewal_date, a.arr, a.currency FROM accounts a
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
