"""What playbook runs read of the book beside the risks: each account's segment, main contact and own people, and
the CSM's decisions on the steps of a run that is no longer open (a risk's history). Runs themselves are derived
(csm.domain.playbooks)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from csm.db.facts import read_day
from csm.db.findings import chunks, in_list
from csm.db.runner import Runner
from csm.db.sheet import SHEET
from csm.domain.decisions import ASSIGNED
from csm.domain.playbooks import STEP_PREFIX, parse_step_key

if TYPE_CHECKING:
    from sqlmodel import Session

ROLE_COLUMNS = {"ae": "ae", "support": "support_lead", "manager": "manager", "exec": "executive"}
# the account's main contact: its champion, else its executive sponsor, else a decision maker, else anyone active
CONTACT_ORDER = """CASE c.role WHEN 'champion' THEN 0 WHEN 'exec_sponsor' THEN 1 WHEN 'decision_maker' THEN 2
                   ELSE 3 END"""


def run_context(runner: Runner, account_ids: list[int], p: dict[str, Any]) -> dict[int, tuple[Any, ...]]:
    """For accounts of the fact sheet: (segment, main contact, ae, support_lead, manager, executive)."""
    found: dict[int, tuple[Any, ...]] = {}
    for names in chunks(sorted(set(account_ids))):
        for account_id, *row in runner.tuples(
            f"""SELECT s.id, s.segment,
                       (SELECT c.name FROM contacts c
                        WHERE c.account_id = s.id AND (c.left_on IS NULL OR c.left_on > :as_of)
                        ORDER BY {CONTACT_ORDER}, c.id LIMIT 1),
                       a.ae, a.support_lead, a.manager, a.executive
                FROM {SHEET} s JOIN accounts a ON a.id = s.id
                WHERE s.id IN ({in_list(names)})""",
            {"as_of": p["as_of"], **names},
        ):
            found[int(account_id)] = tuple(row)
    return found


def step_history(runner: Runner, risk_key: str) -> list[tuple[str, str, date, str | None]]:
    """The CSM's decisions on every run's steps of one risk: (step key, status, decided on, title)."""
    rows = runner.tuples(
        """SELECT rule_key, status, decided_on, title FROM decisions
           WHERE subject = 'todo' AND rule_key LIKE :prefix ESCAPE '!' ORDER BY rule_key""",
        {"prefix": STEP_PREFIX + "%:" + _like(risk_key) + "@%"},
    )
    found = []
    for key, status, decided_on, title in rows:
        day = read_day(decided_on)
        assert day is not None
        found.append((str(key), str(status), day, title))
    return found


def risk_decision(runner: Runner, risk_key: str) -> tuple[str, date, str | None, date | None] | None:
    """What the CSM decided about a rule's risk: (status, decided on, its evidence then, snoozed until)."""
    rows = runner.tuples(
        "SELECT status, decided_on, title, until FROM decisions WHERE subject = 'risk' AND rule_key = :key",
        {"key": risk_key},
    )
    if not rows:
        return None
    day = read_day(rows[0][1])
    assert day is not None
    return str(rows[0][0]), day, rows[0][2], read_day(rows[0][3])


def past_risk_keys(runner: Runner, scope_where: str, params: dict[str, Any]) -> set[str]:
    """The rule keys of the risks the CSM decided about, or about one of whose playbook steps (a risk no longer open
    is found by them)."""
    keys = {
        str(key)
        for (key,) in runner.tuples(
            f"SELECT rule_key FROM decisions d WHERE subject = 'risk' AND ({scope_where})", params
        )
    }
    for (key,) in runner.tuples(
        f"SELECT rule_key FROM decisions d WHERE subject = 'todo' AND rule_key LIKE 'playbook:%' AND ({scope_where})",
        params,
    ):
        parsed = parse_step_key(str(key))
        if parsed is not None:
            keys.add(parsed[2])
    return keys


def logged_risk(runner: Runner, risk_id: int) -> tuple[Any, ...] | None:
    """A risk logged by hand, whatever its status: account id, account, category, severity, evidence, status,
    raised on, resolved on."""
    rows = runner.tuples(
        """SELECT r.account_id, a.name, r.category, r.severity, r.evidence, r.status, r.raised_on, r.resolved_on
           FROM risks r JOIN accounts a ON a.id = r.account_id WHERE r.id = :id""",
        {"id": risk_id},
    )
    return rows[0] if rows else None


def _like(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


ASSIGN = """INSERT INTO decisions (subject, rule_key, account_id, status, until, deferrals, reason, title, decided_on,
                                   assignee, assigned_on)
            VALUES ('todo', :rule_key, :account_id, :status, NULL, 0, NULL, :title, :on, :assignee, :on)
            ON CONFLICT (subject, rule_key) DO UPDATE SET
                assignee = excluded.assignee, assigned_on = excluded.assigned_on, title = excluded.title"""


def assign(session: Session, *, rule_key: str, account_id: int | None, assignee: str, title: str, on: date) -> None:
    """Hand a rule's to-do (a playbook step) to someone: one row per rule key, whatever else was decided about it
    (a deferral stays a deferral)."""
    from sqlalchemy import text

    session.execute(
        text(ASSIGN),
        {"rule_key": rule_key, "account_id": account_id, "status": ASSIGNED, "title": title, "on": on,
         "assignee": assignee},
    )  # fmt: skip


def account_person(session: Session, account_id: int, role: str) -> str | None:
    """Who an account names for a role (ae, support, manager, exec), if it names anyone."""
    from csm.db.models import Account

    account = session.get(Account, account_id)
    value = getattr(account, ROLE_COLUMNS[role], None) if account is not None and role in ROLE_COLUMNS else None
    return str(value) if value else None


def account_name(runner: Runner, account_id: int) -> str | None:
    rows = runner.tuples("SELECT name FROM accounts WHERE id = :id", {"id": account_id})
    return str(rows[0][0]) if rows else None
