"""The CSM's decisions about rule to-dos and risks: read for a scope, written as single-row upserts.

One portable statement (`INSERT ... ON CONFLICT ... DO UPDATE`, SQLite 3.24+ and PostgreSQL) writes a
decision, so two csm processes deciding about the same rule key at once leave one row, never a
constraint error; a deferral adds one to the stored count in the same statement.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from csm.db.facts import read_day
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.decisions import Decision

if TYPE_CHECKING:
    from sqlmodel import Session


def decisions_for(runner: Runner, scope: Scope) -> dict[tuple[str, str], Decision]:
    """Every decision about the scope's accounts, by (subject, rule key)."""
    rows = runner.tuples(
        f"""SELECT subject, rule_key, status, until, deferrals, reason, decided_on, assignee, assigned_on, account_id
            FROM decisions d
            WHERE {scope.rows_where("d.account_id")} OR d.account_id IS NULL""",
        scope.params(),
    )
    found = {}
    for subject, key, status, until, deferrals, reason, decided_on, assignee, assigned_on, account_id in rows:
        decided = read_day(decided_on)
        assert decided is not None
        found[(subject, key)] = Decision(
            subject, key, status, read_day(until), int(deferrals or 0), reason, decided, assignee,
            read_day(assigned_on), account_id,
        )  # fmt: skip
    return found


def snoozed_risks(runner: Runner, scope: Scope, as_of: date) -> dict[str, tuple[int | None, str]]:
    """The rule risks snoozed past `as_of` (out of the day's list), by rule key: their account and their words."""
    rows = runner.tuples(
        f"""SELECT rule_key, account_id, title FROM decisions d
            WHERE subject = 'risk' AND status = 'snoozed' AND until > :as_of AND decided_on <= :as_of
              AND ({scope.rows_where("d.account_id")})""",
        {**scope.params(), "as_of": as_of},
    )
    return {key: (account_id, title or "") for key, account_id, title in rows}


UPSERT = """INSERT INTO decisions (subject, rule_key, account_id, status, until, deferrals, reason, title, decided_on)
            VALUES (:subject, :rule_key, :account_id, :status, :until, :deferred, :reason, :title, :decided_on)
            ON CONFLICT (subject, rule_key) DO UPDATE SET
                status = excluded.status, until = excluded.until, account_id = excluded.account_id,
                deferrals = decisions.deferrals + excluded.deferrals,
                reason = COALESCE(excluded.reason, decisions.reason),
                title = excluded.title, decided_on = excluded.decided_on"""


def decide(
    session: Session,
    *,
    subject: str,
    rule_key: str,
    account_id: int | None,
    status: str,
    on: date,
    title: str,
    until: date | None = None,
    reason: str | None = None,
) -> Decision:
    """Record (or change) the decision about one rule key in the session's transaction; a deferral counts once
    more each time. Returns the decision as stored."""
    from sqlalchemy import text

    session.execute(
        text(UPSERT),
        {
            "subject": subject,
            "rule_key": rule_key,
            "account_id": account_id,
            "status": status,
            "until": until,
            "deferred": 1 if status == "deferred" else 0,
            "reason": reason,
            "title": title,
            "decided_on": on,
        },
    )
    row = session.execute(
        text(
            "SELECT status, until, deferrals, reason, decided_on FROM decisions "
            "WHERE subject = :subject AND rule_key = :rule_key"
        ),
        {"subject": subject, "rule_key": rule_key},
    ).one()
    decided = read_day(row[4])
    assert decided is not None
    return Decision(subject, rule_key, row[0], read_day(row[1]), int(row[2] or 0), row[3], decided)
