"""The engine: gather facts, apply the rules, and reconcile what they raise with what the book already holds.

Rule-raised to-dos and risks are stored by rule key: a rule firing again updates its record, a
done to-do or resolved risk stays quiet while its facts hold, and a rule that stops firing
retires its record. Evaluating a day other than today changes nothing in the book.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config, config_stamp
from csm.db import worklist
from csm.db.health import store_snapshots
from csm.db.queries import book_facts, health_before
from csm.db.runner import Row, Runner, as_date
from csm.db.scope import Scope
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.health import Health, health_of
from csm.domain.risks import SEVERITY_ORDER, RiskFinding, risks_for
from csm.domain.triggers import Todo, todos_for
from csm.domain.urgency import Term, UrgencyInputs, urgency_terms

KEEP_UNTIL_DONE = ("champion_change",)  # a stakeholder change matters until the CSM acts on it


@dataclass
class TodoItem:
    id: int | None
    kind: str
    title: str
    account_id: int | None
    account: str | None
    due: date | None
    deferrals: int
    deferred_until: date | None
    reason: str | None
    rule_key: str | None
    urgency: float = 0.0
    terms: list[Term] = field(default_factory=list)

    @property
    def effective_due(self) -> date | None:
        return self.deferred_until or self.due


@dataclass
class RiskItem:
    id: int | None
    account_id: int
    account: str
    category: str
    severity: str
    rule: str
    evidence: str
    first_response: str | None
    escalation: str | None
    owner: str | None
    raised_on: date
    rule_key: str | None = None
    status: str = "open"

    def is_new(self, as_of: date) -> bool:
        return self.raised_on == as_of


@dataclass
class Evaluation:
    as_of: date
    book: BookFacts
    health: dict[int, Health]
    trend: dict[int, float]
    todos: list[TodoItem]
    risks: list[RiskItem]

    _accounts: dict[int, AccountFacts] = field(default_factory=dict, repr=False)
    _risks_by_account: dict[int, list[RiskItem]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._accounts = {a.id: a for a in self.book.accounts}
        for risk in self.risks:
            self._risks_by_account.setdefault(risk.account_id, []).append(risk)

    def account(self, account_id: int) -> AccountFacts | None:
        return self._accounts.get(account_id)

    def open_risks(self, account_id: int) -> list[RiskItem]:
        return self._risks_by_account.get(account_id, [])


def evaluate(runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config, *, persist: bool) -> Evaluation:
    """Judge the scope's accounts on `as_of`; with `persist`, store what changed in one transaction.

    A persisted evaluation of a whole book (or one owner's part of it) is recorded in `evaluations`
    with the health scores of the day, so `csm today` can read it back until the book changes.
    """
    revision = worklist.book_revision(runner) if persist else None
    book = book_facts(runner, scope, as_of, zone, config)
    health = {a.id: health_of(a, book, as_of, config) for a in book.accounts}
    then = health_before(runner, scope, as_of - timedelta(days=config.health.trend_days))
    trend: dict[int, float] = {}
    for account_id, (_day, score) in then.items():
        now = health[account_id].score if account_id in health else None
        if score is not None and now is not None:
            trend[account_id] = round(now - score, 1)
    findings = [
        f for a in book.accounts if not a.is_churned for f in risks_for(a, book, as_of, config, health[a.id].score)
    ]
    candidates = [t for a in book.accounts for t in todos_for(a, as_of, config)]
    names = {a.id: a.name for a in book.accounts}
    owners = {a.id: a.owner for a in book.accounts}
    with runner.transaction() if persist else nullcontext():
        risks = reconcile_risks(runner, scope, findings, names, owners, as_of, config, write=persist)
        todos = reconcile_todos(runner, scope, candidates, names, as_of, write=persist)
        risks.sort(key=lambda r: (-SEVERITY_ORDER.get(r.severity, 0), r.account, r.rule))
        facts_by_id = {a.id: a for a in book.accounts}
        worst: dict[int, str] = {}
        for risk in risks:
            if SEVERITY_ORDER[risk.severity] > SEVERITY_ORDER.get(worst.get(risk.account_id, ""), -1):
                worst[risk.account_id] = risk.severity
        for todo in todos:
            account = facts_by_id.get(todo.account_id or -1)
            score_todo(todo, account, health, worst.get(account.id) if account else None, as_of, config)
        if persist:
            worklist.store_urgency(runner, [(t.id, t.urgency) for t in todos if t.id is not None])
            if scope.account_id is None and revision is not None:
                store_snapshots(runner, as_of, health)
                worklist.mark_evaluated(
                    runner, revision=revision, on=as_of, scope=scope.key, stamp=config_stamp(config)
                )
    todos.sort(key=lambda t: (-t.urgency, t.effective_due or date.max, t.title))
    return Evaluation(as_of=as_of, book=book, health=health, trend=trend, todos=todos, risks=risks)


def reconcile_todos(
    runner: Runner, scope: Scope, candidates: list[Todo], names: dict[int, str], as_of: date, *, write: bool
) -> list[TodoItem]:
    stored = worklist.stored_tasks(runner, scope)
    by_key = {row["rule_key"]: row for row in stored if row["rule_key"]}
    fresh = {todo.rule_key: todo for todo in candidates}
    inserts, updates, dismissals = [], [], []
    items: list[TodoItem] = []
    for key, todo in fresh.items():
        row = by_key.get(key)
        if row is None:
            inserts.append(todo)
            items.append(_todo_item(None, todo, names, deferrals=0, deferred_until=None))
        elif row["status"] == "open":
            if (row["title"], as_date(row["due"]), row["reason"]) != (todo.title, todo.due, todo.reason):
                updates.append({"id": row["id"], "title": todo.title, "due": todo.due, "reason": todo.reason})
            items.append(_todo_item(row["id"], todo, names, row["deferrals"], as_date(row["deferred_until"])))
    for row in stored:
        key = row["rule_key"]
        if row["status"] != "open":
            continue
        if key is None:
            items.append(_stored_item(row))
        elif key not in fresh:
            if row["kind"] in KEEP_UNTIL_DONE:
                items.append(_stored_item(row))
            else:
                dismissals.append(row["id"])
    if write:
        worklist.insert_tasks(
            runner,
            [
                {"title": t.title, "account_id": t.account_id, "kind": t.kind, "due": t.due, "rule_key": t.rule_key,
                 "reason": t.reason, "created_on": as_of}
                for t in inserts
            ],
        )  # fmt: skip
        worklist.update_tasks(runner, updates)
        worklist.dismiss_tasks(runner, dismissals, as_of)
        if inserts:
            ids = {row["rule_key"]: row["id"] for row in worklist.stored_tasks(runner, scope) if row["rule_key"]}
            for item in items:
                if item.id is None and item.rule_key:
                    item.id = ids.get(item.rule_key)
    return items


def _todo_item(
    task_id: int | None, todo: Todo, names: dict[int, str], deferrals: int, deferred_until: date | None
) -> TodoItem:
    return TodoItem(
        id=task_id,
        kind=todo.kind,
        title=todo.title,
        account_id=todo.account_id,
        account=names.get(todo.account_id) if todo.account_id else None,
        due=todo.due,
        deferrals=deferrals,
        deferred_until=deferred_until,
        reason=todo.reason,
        rule_key=todo.rule_key,
    )


def _stored_item(row: Row) -> TodoItem:
    return TodoItem(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        account_id=row["account_id"],
        account=row["account"],
        due=as_date(row["due"]),
        deferrals=int(row["deferrals"] or 0),
        deferred_until=as_date(row["deferred_until"]),
        reason=row["reason"],
        rule_key=row["rule_key"],
    )


def reconcile_risks(
    runner: Runner,
    scope: Scope,
    findings: list[RiskFinding],
    names: dict[int, str],
    owners: dict[int, str | None],
    as_of: date,
    config: Config,
    *,
    write: bool,
) -> list[RiskItem]:
    stored = worklist.stored_risks(runner, scope)
    by_key = {row["rule_key"]: row for row in stored if row["rule_key"]}
    fresh = {f.rule_key: f for f in findings}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    clears: list[dict[str, Any]] = []
    items: list[RiskItem] = []
    for key, finding in fresh.items():
        row = by_key.get(key)
        playbook = config.playbook(finding.category)
        if row is None:
            record = {
                "account_id": finding.account_id, "category": finding.category, "severity": finding.severity,
                "rule": finding.rule, "rule_key": key, "evidence": finding.evidence,
                "owner": owners.get(finding.account_id) or config.owner,
                "first_response": playbook.first_response, "escalation": playbook.escalation, "raised_on": as_of,
            }  # fmt: skip
            inserts.append(record)
            items.append(_risk_item(None, record, names, "open"))
            continue
        status = row["status"]
        snoozed_until = as_date(row["snoozed_until"])
        if status == "resolved" or (status == "snoozed" and snoozed_until and snoozed_until > as_of):
            continue  # the CSM dealt with it; quiet while the rule keeps firing
        reopened = status in ("cleared", "snoozed")
        raised_on = as_of if reopened else as_date(row["raised_on"]) or as_of
        if reopened or (row["severity"], row["evidence"]) != (finding.severity, finding.evidence):
            updates.append({"id": row["id"], "severity": finding.severity, "evidence": finding.evidence,
                            "status": "open", "raised_on": raised_on})  # fmt: skip
        record = {**row, "severity": finding.severity, "evidence": finding.evidence, "raised_on": raised_on}
        items.append(_risk_item(row["id"], record, names, "open"))
    for row in stored:
        key = row["rule_key"]
        if key is None:
            if row["status"] == "open" or (
                row["status"] == "snoozed" and (as_date(row["snoozed_until"]) or as_of) <= as_of
            ):
                items.append(_risk_item(row["id"], row, names, "open"))
        elif key not in fresh and row["status"] in ("open", "snoozed", "resolved"):
            clears.append({"id": row["id"], "on": as_of})
    if write:
        worklist.insert_risks(runner, inserts)
        worklist.update_risks(runner, updates)
        worklist.clear_risks(runner, clears)
        if inserts:
            ids = {row["rule_key"]: row["id"] for row in worklist.stored_risks(runner, scope) if row["rule_key"]}
            for item in items:
                if item.id is None and item.rule_key:
                    item.id = ids.get(item.rule_key)
    return items


def _risk_item(risk_id: int | None, record: dict[str, Any], names: dict[int, str], status: str) -> RiskItem:
    return RiskItem(
        id=risk_id,
        account_id=record["account_id"],
        account=record.get("account") or names.get(record["account_id"], "?"),
        category=record["category"],
        severity=record["severity"],
        rule=record["rule"],
        evidence=record["evidence"],
        first_response=record.get("first_response"),
        escalation=record.get("escalation"),
        owner=record.get("owner"),
        raised_on=as_date(record["raised_on"]) or date.min,
        rule_key=record.get("rule_key"),
        status=status,
    )


def score_todo(
    todo: TodoItem,
    account: AccountFacts | None,
    health: dict[int, Health],
    worst: str | None,
    as_of: date,
    config: Config,
) -> None:
    """Attach the urgency and its terms (taskwarrior-style) to a to-do; `worst` is the account's worst open risk."""
    kind = "deferred" if todo.kind == "manual" and todo.deferrals else todo.kind
    inputs = UrgencyInputs(
        kind=kind,
        due=todo.effective_due,
        deferrals=todo.deferrals,
        arr=account.arr if account else None,
        days_to_renewal=account.days_to_renewal(as_of) if account else None,
        health_band=health[account.id].band if account else None,
        worst_risk=worst,
    )
    todo.terms = urgency_terms(inputs, as_of, config)
    todo.urgency = round(sum(t.value for t in todo.terms), 2)
