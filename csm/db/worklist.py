"""The stored to-dos and risks that rules raise, read and written by rule key (portable SQL via a Runner)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from csm.db.runner import Row, Runner
from csm.db.scope import Scope


def _tasks_scope(scope: Scope) -> str:
    if scope.account_id is not None:
        return "t.account_id = :scope_account"
    if scope.owners:
        return f"(t.account_id IS NULL OR {scope.rows_where('t.account_id')})"
    return "1 = 1"


def stored_tasks(runner: Runner, scope: Scope) -> list[Row]:
    """Open to-dos, and every rule-raised one (a done rule to-do keeps its rule quiet)."""
    return runner.rows(
        f"""SELECT t.id, t.title, t.account_id, a.name AS account, t.kind, t.status, t.due, t.rule_key,
                   t.deferrals, t.deferred_until, t.reason, t.created_on
            FROM tasks t LEFT JOIN accounts a ON a.id = t.account_id
            WHERE (t.status = 'open' OR t.rule_key IS NOT NULL) AND {_tasks_scope(scope)}""",
        scope.params(),
    )


def stored_risks(runner: Runner, scope: Scope) -> list[Row]:
    return runner.rows(
        f"""SELECT r.id, r.account_id, a.name AS account, r.category, r.severity, r.rule, r.rule_key, r.evidence,
                   r.owner, r.first_response, r.escalation, r.status, r.snoozed_until, r.raised_on
            FROM risks r JOIN accounts a ON a.id = r.account_id
            WHERE (r.status IN ('open', 'snoozed') OR r.rule_key IS NOT NULL) AND {scope.rows_where("r.account_id")}""",
        scope.params(),
    )


def insert_tasks(runner: Runner, rows: Iterable[dict[str, Any]]) -> None:
    runner.execute_many(
        """INSERT INTO tasks (title, account_id, kind, status, due, rule_key, deferrals, reason, created_on)
           VALUES (:title, :account_id, :kind, 'open', :due, :rule_key, 0, :reason, :created_on)""",
        list(rows),
    )


def update_tasks(runner: Runner, rows: Iterable[dict[str, Any]]) -> None:
    runner.execute_many("UPDATE tasks SET title = :title, due = :due, reason = :reason WHERE id = :id", list(rows))


def dismiss_tasks(runner: Runner, ids: Iterable[int], on: date) -> None:
    runner.execute_many(
        "UPDATE tasks SET status = 'dismissed', done_on = :on WHERE id = :id AND status = 'open'",
        [{"id": task_id, "on": on} for task_id in ids],
    )


def insert_risks(runner: Runner, rows: Iterable[dict[str, Any]]) -> None:
    runner.execute_many(
        """INSERT INTO risks (account_id, category, severity, rule, rule_key, evidence, owner, first_response,
                              escalation, status, raised_on)
           VALUES (:account_id, :category, :severity, :rule, :rule_key, :evidence, :owner, :first_response,
                   :escalation, 'open', :raised_on)""",
        list(rows),
    )


def update_risks(runner: Runner, rows: Iterable[dict[str, Any]]) -> None:
    """Refresh a firing risk's evidence; a snooze that ran out, or a risk that had cleared, opens again."""
    runner.execute_many(
        """UPDATE risks SET severity = :severity, evidence = :evidence, status = :status, raised_on = :raised_on,
                  resolved_on = NULL
           WHERE id = :id""",
        list(rows),
    )


def clear_risks(runner: Runner, rows: Iterable[dict[str, Any]]) -> None:
    """A rule that stopped firing clears its risk ('cleared' lets it open again if the rule fires anew)."""
    runner.execute_many(
        "UPDATE risks SET status = 'cleared', resolved_on = COALESCE(resolved_on, :on) WHERE id = :id", list(rows)
    )


def book_revision(runner: Runner) -> int:
    rows = runner.rows("SELECT revision FROM book_state")
    return int(rows[0]["revision"]) if rows else 0


def evaluation_is_current(runner: Runner, scope: str, *, on: date, stamp: str) -> bool:
    """Whether the stored evaluation of the scope was made today, with this config, at the book's revision."""
    rows = runner.rows(
        """SELECT e.evaluated_on, e.stamp, e.revision = b.revision AS same_revision
           FROM evaluations e, book_state b WHERE e.scope = :scope""",
        {"scope": scope},
    )
    return (
        bool(rows)
        and bool(rows[0]["same_revision"])
        and str(rows[0]["evaluated_on"])[:10] == on.isoformat()
        and rows[0]["stamp"] == stamp
    )


def mark_evaluated(runner: Runner, *, revision: int, on: date, scope: str, stamp: str) -> None:
    record = {"revision": revision, "on": on, "scope": scope, "stamp": stamp}
    if not runner.execute(
        "UPDATE evaluations SET revision = :revision, evaluated_on = :on, stamp = :stamp WHERE scope = :scope", record
    ):
        runner.execute(
            "INSERT INTO evaluations (scope, revision, evaluated_on, stamp) VALUES (:scope, :revision, :on, :stamp)",
            record,
        )


def store_urgency(runner: Runner, urgencies: Iterable[tuple[int, float]]) -> None:
    runner.execute_many(
        "UPDATE tasks SET urgency = :urgency WHERE id = :id", [{"id": i, "urgency": u} for i, u in urgencies]
    )


def ranked_tasks(runner: Runner, scope: Scope, *, as_of: date, due_until: date, limit: int | None = None) -> list[Row]:
    """Open to-dos shown on `as_of` (not deferred past it, due by `due_until` or undated), most urgent first.

    With a `limit` the (status, urgency) index hands over the first rows without sorting the rest."""
    return runner.rows(
        f"""SELECT t.id, t.title, t.account_id, a.name AS account, t.kind, t.due, t.deferrals, t.deferred_until,
                   t.reason, t.urgency
            FROM tasks t LEFT JOIN accounts a ON a.id = t.account_id
            WHERE {_shown_tasks(scope)}
            ORDER BY t.urgency DESC, COALESCE(t.deferred_until, t.due), t.title
            {"LIMIT :limit" if limit is not None else ""}""",
        {"as_of": as_of, "due_until": due_until, "limit": limit, **scope.params()},
    )


def count_tasks(runner: Runner, scope: Scope, *, as_of: date, due_until: date) -> int:
    rows = runner.rows(
        f"SELECT COUNT(*) AS n FROM tasks t WHERE {_shown_tasks(scope)}",
        {"as_of": as_of, "due_until": due_until, **scope.params()},
    )
    return int(rows[0]["n"])


def _shown_tasks(scope: Scope) -> str:
    return f"""t.status = 'open' AND (t.deferred_until IS NULL OR t.deferred_until <= :as_of)
              AND (COALESCE(t.deferred_until, t.due) IS NULL OR COALESCE(t.deferred_until, t.due) <= :due_until)
              AND {_tasks_scope(scope)}"""


SEVERITIES_WORST_FIRST = ("critical", "high", "medium", "low")


def ranked_risks(runner: Runner, scope: Scope, *, limit: int | None = None) -> list[Row]:
    """Open risks, most severe first, the earliest raised first within a severity (snoozes that ran out were
    reopened by the evaluation). One indexed query per severity, so a `limit` stops reading early."""
    found: list[Row] = []
    for severity in SEVERITIES_WORST_FIRST:
        if limit is not None and len(found) >= limit:
            break
        found += runner.rows(
            f"""SELECT r.id, r.account_id, a.name AS account, r.category, r.severity, r.rule, r.rule_key, r.evidence,
                       r.owner, r.first_response, r.escalation, r.raised_on
                FROM risks r JOIN accounts a ON a.id = r.account_id
                WHERE r.status = 'open' AND r.severity = :severity AND {scope.rows_where("r.account_id")}
                ORDER BY r.id
                {"LIMIT :limit" if limit is not None else ""}""",
            {"severity": severity, "limit": None if limit is None else limit - len(found), **scope.params()},
        )
    return found


def count_risks(runner: Runner, scope: Scope) -> int:
    rows = runner.rows(
        f"SELECT COUNT(*) AS n FROM risks r WHERE r.status = 'open' AND {scope.rows_where('r.account_id')}",
        scope.params(),
    )
    return int(rows[0]["n"])
