"""The judge: what the rules raise on a day, combined with what the CSM decided, for every report.

    facts (csm.db.facts)  →  rules (csm.domain)  →  decisions (csm.db.decisions)  →  the worklist

A judgement is a pure function of the book and the day: nothing here writes, so any command, on any
day, in any order, gives the same answer, and looking at another day cannot change this one. The rule
to-dos and risks carry short ids made from their rule keys; hand-written ones keep their numbers.
See docs/engine.md for the design.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.decisions import decisions_for
from csm.db.facts import book_facts, read_day, ticket_days
from csm.db.health import health_before
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.db.worklist import open_risks, open_tasks
from csm.domain.decisions import RISK, TODO, risk_hidden, short_ids, todo_state
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.health import Health, health_of
from csm.domain.risks import (
    SEVERITY_ORDER,
    WINDOWED_RULES,
    RiskFinding,
    risks_for,
    windowed_history_start,
    windowed_since,
)
from csm.domain.triggers import Todo, todos_for
from csm.domain.urgency import UrgencyInputs, urgency_value
from csm.reports.items import RiskItem, TodoItem


@dataclass
class Judgement:
    as_of: date
    book: BookFacts
    health: dict[int, Health]
    trend: dict[int, float]
    todos: list[TodoItem]  # every open to-do (deferred ones too), the most urgent first
    risks: list[RiskItem]  # open risks, the most severe first

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


def judge(
    runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config, *, explain: bool = False
) -> Judgement:
    """Judge the scope's accounts on `as_of`: facts, rules, the CSM's decisions, urgency. Writes nothing.

    With `explain`, each health score comes with its components' inputs (a prep sheet, `health --explain`)."""
    with paused_gc():
        return _judge(runner, scope, as_of, zone, config, explain=explain)


@contextmanager
def paused_gc() -> Iterator[None]:
    """The judge makes a few objects per account and no reference cycles; Python's cycle collector would
    walk all of them again and again as they pile up (a third of the time on a large book)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _judge(runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config, *, explain: bool) -> Judgement:
    book = book_facts(runner, scope, as_of, zone, config)
    health = {a.id: health_of(a, book, as_of, config, explain=explain) for a in book.accounts}
    findings: list[RiskFinding] = []
    candidates: list[Todo] = []
    for account in book.accounts:
        candidates += todos_for(account, as_of, config)
        if not account.is_churned:
            findings += risks_for(account, book, as_of, config, health[account.id].score)
    findings = _dated_windows(runner, findings, as_of, zone, config)
    decisions = decisions_for(runner, scope)
    names = {a.id: a.name for a in book.accounts}
    owners = {a.id: a.owner for a in book.accounts}
    risks = _rule_risks(findings, decisions, names, owners, as_of, config) + _manual_risks(runner, scope, as_of)
    risks.sort(key=lambda r: (-SEVERITY_ORDER.get(r.severity, 0), r.account, r.rule, str(r.id)))
    todos = _rule_todos(candidates, decisions, names, as_of) + _manual_todos(runner, scope, as_of)
    _score(todos, book, health, risks, as_of, config)
    todos.sort(key=lambda t: (-t.urgency, t.effective_due or date.max, t.title, str(t.id)))
    return Judgement(
        as_of=as_of, book=book, health=health, trend=_trend(runner, scope, health, as_of, config), todos=todos,
        risks=risks,
    )  # fmt: skip


def _dated_windows(
    runner: Runner, findings: list[RiskFinding], as_of: date, zone: ZoneInfo, config: Config
) -> list[RiskFinding]:
    """Fill in `since` for the windowed support rules from the firing accounts' tickets, day by day."""
    from dataclasses import replace

    windowed = {f.account_id for f in findings if f.rule in WINDOWED_RULES}
    if not windowed:
        return findings
    days = ticket_days(runner, windowed, windowed_history_start(as_of, config), as_of, zone)
    return [
        replace(f, since=windowed_since(f.rule, days.get(f.account_id, []), as_of, config))
        if f.rule in WINDOWED_RULES
        else f
        for f in findings
    ]


def _rule_todos(
    candidates: list[Todo], decisions: dict[Any, Any], names: dict[int, str], as_of: date
) -> list[TodoItem]:
    ids = short_ids(t.rule_key for t in candidates)
    items = []
    for todo in candidates:
        state = todo_state(decisions.get((TODO, todo.rule_key)), as_of)
        if state.hidden:
            continue
        items.append(
            TodoItem(
                ids[todo.rule_key], todo.kind, todo.title, todo.account_id,
                names.get(todo.account_id) if todo.account_id else None, todo.due, state.deferrals,
                state.deferred_until, todo.reason, todo.rule_key, defer_reason=state.defer_reason,
            )
        )  # fmt: skip
    return items


def _manual_todos(runner: Runner, scope: Scope, as_of: date) -> list[TodoItem]:
    items = []
    for (
        task_id,
        title,
        account_id,
        account,
        kind,
        due,
        deferrals,
        deferred_until,
        reason,
        owner,
        defer_reason,
    ) in open_tasks(runner, scope, as_of):
        count = int(deferrals or 0)
        items.append(
            TodoItem(
                int(task_id), "deferred" if kind == "manual" and count else kind, title, account_id, account,
                read_day(due), count, read_day(deferred_until), reason, None, owner, defer_reason,
            )
        )  # fmt: skip
    return items


def _rule_risks(
    findings: list[RiskFinding],
    decisions: dict[Any, Any],
    names: dict[int, str],
    owners: dict[int, str | None],
    as_of: date,
    config: Config,
) -> list[RiskItem]:
    ids = short_ids(f.rule_key for f in findings)
    items = []
    for finding in findings:
        if risk_hidden(decisions.get((RISK, finding.rule_key)), finding.since, as_of):
            continue
        playbook = config.playbook(finding.category)
        items.append(
            RiskItem(
                ids[finding.rule_key], finding.account_id, names.get(finding.account_id, "?"), finding.category,
                finding.severity, finding.rule, finding.evidence, playbook.first_response, playbook.escalation,
                owners.get(finding.account_id) or config.owner, finding.since, finding.rule_key,
            )
        )  # fmt: skip
    return items


def _manual_risks(runner: Runner, scope: Scope, as_of: date) -> list[RiskItem]:
    return [
        RiskItem(
            int(risk_id),
            account_id,
            account,
            category,
            severity,
            rule,
            evidence,
            first,
            escalation,
            owner,
            read_day(raised_on),
        )
        for risk_id, account_id, account, category, severity, rule, evidence, owner, first, escalation, raised_on in (
            open_risks(runner, scope, as_of)
        )
    ]


def _score(
    todos: list[TodoItem],
    book: BookFacts,
    health: dict[int, Health],
    risks: list[RiskItem],
    as_of: date,
    config: Config,
) -> None:
    """Each to-do's urgency, taskwarrior-style: a sum of published terms (see csm.domain.urgency)."""
    worst: dict[int, str] = {}
    for risk in risks:  # most severe first
        worst.setdefault(risk.account_id, risk.severity)
    accounts = {a.id: a for a in book.accounts}
    for todo in todos:
        account = accounts.get(todo.account_id) if todo.account_id is not None else None
        todo.inputs = UrgencyInputs(
            kind=todo.kind,
            due=todo.effective_due,
            deferrals=todo.deferrals,
            arr=account.arr if account else None,
            days_to_renewal=account.days_to_renewal(as_of) if account else None,
            health_band=health[account.id].band if account else None,
            worst_risk=worst.get(account.id) if account else None,
        )
        todo.urgency = urgency_value(todo.inputs, as_of, config)


def _trend(runner: Runner, scope: Scope, health: dict[int, Health], as_of: date, config: Config) -> dict[int, float]:
    then = health_before(runner, scope, as_of - timedelta(days=config.health.trend_days))
    trend: dict[int, float] = {}
    for account_id, (_day, score) in then.items():
        now = health[account_id].score if account_id in health else None
        if score is not None and now is not None:
            trend[account_id] = round(now - score, 1)
    return trend
