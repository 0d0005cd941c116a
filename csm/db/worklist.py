"""The to-dos and risks the CSM wrote down by hand, as they stood on a day (portable SQL via a Runner).

Rule to-dos and risks are not stored (see csm.db.decisions); these are the records a CSM keeps:
to-dos typed in, next steps from interactions, EBR action items, and risks no rule would catch.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from csm.db.runner import Runner
from csm.db.scope import Scope


def _tasks_scope(scope: Scope) -> str:
    if scope.account_id is not None:
        return "t.account_id = :scope_account"
    if scope.narrowed:  # an owner's accounts, or the ones renewing by a day; to-dos of no account stay in
        return f"(t.account_id IS NULL OR {scope.rows_where('t.account_id')})"
    return "1 = 1"


def open_tasks(runner: Runner, scope: Scope, as_of: date) -> list[tuple[Any, ...]]:
    """To-dos written down by `as_of` and not done by then: id, title, account_id, account, kind, due, deferrals,
    deferred_until, reason, owner, defer_reason."""
    return runner.tuples(
        f"""SELECT t.id, t.title, t.account_id, a.name, t.kind, t.due, t.deferrals, t.deferred_until, t.reason,
                   t.owner, t.defer_reason
            FROM tasks t LEFT JOIN accounts a ON a.id = t.account_id
            WHERE t.created_on <= :as_of AND (t.status = 'open' OR t.done_on > :as_of) AND {_tasks_scope(scope)}
            ORDER BY t.id""",
        {"as_of": as_of, **scope.params()},
    )


def open_risks(runner: Runner, scope: Scope, as_of: date) -> list[tuple[Any, ...]]:
    """Risks logged by hand that are open on `as_of` (a snooze that ran out opens one again): id, account_id,
    account, category, severity, rule, evidence, owner, first_response, escalation, raised_on."""
    return runner.tuples(
        f"""SELECT r.id, r.account_id, a.name, r.category, r.severity, r.rule, r.evidence, r.owner, r.first_response,
                   r.escalation, r.raised_on
            FROM risks r JOIN accounts a ON a.id = r.account_id
            WHERE r.raised_on <= :as_of AND {scope.rows_where("r.account_id")}
              AND (r.status = 'open'
                   OR (r.status = 'snoozed' AND (r.snoozed_until IS NULL OR r.snoozed_until <= :as_of))
                   OR (r.status = 'resolved' AND r.resolved_on > :as_of))
            ORDER BY r.id""",
        {"as_of": as_of, **scope.params()},
    )


def book_revision(runner: Runner) -> int:
    """The book's revision: a new number after every change (what a cache of judgements is keyed on)."""
    rows = runner.tuples("SELECT revision FROM book_state")
    return int(rows[0][0]) if rows else 0
