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
from csm.db import findings as sheet_rows
from csm.db.decisions import decisions_for
from csm.db.facts import LocalDays, read_day, sheet_facts
from csm.db.health import health_before
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.db.sheet import fact_sheet
from csm.db.worklist import open_risks, open_tasks
from csm.domain import risks as risk_rules
from csm.domain import triggers
from csm.domain.decisions import RISK, TODO, risk_hidden, short_ids, todo_state
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.health import Health, explained, health_from
from csm.domain.meetings import COVERED_KINDS, Scheduled, covered_words
from csm.domain.risks import SEVERITY_ORDER, WINDOWED_RULES, RiskFinding, windowed_history_start, windowed_since
from csm.domain.triggers import Person, Todo
from csm.domain.urgency import UrgencyInputs, urgency_value
from csm.reports.items import RiskItem, TodoItem


@dataclass(frozen=True, slots=True)
class AccountLine:
    """What the worklist shows beside an account's items, for every account of the scope."""

    id: int
    name: str
    owner: str | None
    arr: float | None
    renewal_date: date | None
    churned: bool


@dataclass
class Judgement:
    as_of: date
    accounts: dict[int, AccountLine]
    health: dict[int, Health]
    trend: dict[int, float]
    todos: list[TodoItem]  # every open to-do (deferred ones too), the most urgent first
    risks: list[RiskItem]  # open risks, the most severe first
    book: BookFacts = field(default_factory=BookFacts)  # every account's facts, when asked for (`facts=True`)

    _facts: dict[int, AccountFacts] = field(default_factory=dict, repr=False)
    _risks_by_account: dict[int, list[RiskItem]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._facts = {a.id: a for a in self.book.accounts}
        for risk in self.risks:
            self._risks_by_account.setdefault(risk.account_id, []).append(risk)

    def account(self, account_id: int) -> AccountFacts | None:
        return self._facts.get(account_id)

    def open_risks(self, account_id: int) -> list[RiskItem]:
        return self._risks_by_account.get(account_id, [])


def judge(
    runner: Runner,
    scope: Scope,
    as_of: date,
    zone: ZoneInfo,
    config: Config,
    *,
    facts: bool = False,
    risks: bool = True,
    todos: bool = True,
) -> Judgement:
    """Judge the scope's accounts on `as_of`: facts, rules, the CSM's decisions, urgency. Writes nothing.

    With `facts`, the judgement also carries every account's facts whole, and health explained from them
    (the prep sheet, the EBR, `health`, `renewals`). A view that shows no to-dos leaves them out (`todos=False`),
    one that shows no risks leaves those out too (`risks=False`; to-dos always weigh the risks): what is judged
    is the same either way, only less of it."""
    from csm.importers.expansion import expanded_for

    touch = config.cadence.touch_days
    touches_from = as_of - timedelta(days=max(touch.enterprise, touch.mid_market, touch.smb))
    covers_until = as_of + timedelta(days=config.cadence.meeting_covers_touch_days)
    with (
        paused_gc(),
        expanded_for(runner, touches_from, covers_until, zone, config),  # meetings are touches, or cover them
        fact_sheet(runner, scope, as_of, zone, config) as params,
    ):
        return _judge(runner, scope, params, zone, config, facts=facts, risks=risks or todos, todos=todos)


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


def _judge(
    runner: Runner,
    scope: Scope,
    params: dict[str, Any],
    zone: ZoneInfo,
    config: Config,
    *,
    facts: bool,
    risks: bool,
    todos: bool,
) -> Judgement:
    as_of: date = params["as_of"]
    accounts: dict[int, AccountLine] = {}
    health: dict[int, Health] = {}
    for account_id, name, owner, arr, renewal, churned, *raw in sheet_rows.accounts(runner):
        accounts[account_id] = AccountLine(account_id, name, owner, arr, read_day(renewal), bool(churned))
        health[account_id] = health_from(raw, config)
    book = sheet_facts(runner, params, zone, config) if facts else BookFacts()
    if facts:
        health = {a.id: explained(health[a.id], a, book, as_of, config) for a in book.accounts}
    people = list(sheet_rows.people(runner, params, LocalDays(zone))) if risks else []
    decisions = decisions_for(runner, scope) if risks else {}
    found_risks: list[RiskItem] = []
    if risks:
        found = _rule_findings(runner, params, people, zone, config, health)
        found_risks = _rule_risks(found, decisions, accounts, as_of, config) + _manual_risks(runner, scope, as_of)
        found_risks.sort(key=lambda r: (-SEVERITY_ORDER.get(r.severity, 0), r.account, r.rule, str(r.id)))
    found_todos: list[TodoItem] = []
    if todos:
        candidates = _rule_candidates(runner, params, people, config)
        if scope.account_id is None and accounts:  # the CSM's monthly 1:1, on a view of a book (not of one account)
            candidates.append(triggers.one_on_one(as_of, config, config.owner))
        meetings = sheet_rows.meetings_ahead(runner, params, zone)
        candidates = _uncovered(candidates, meetings)
        found_todos = _rule_todos(candidates, decisions, accounts, as_of) + _manual_todos(runner, scope, as_of)
        _covered_by(found_todos, meetings, as_of)
        _score(found_todos, accounts, health, found_risks, as_of, config)
        found_todos.sort(key=lambda t: (-t.urgency, t.effective_due or date.max, t.title, str(t.id)))
    return Judgement(
        as_of=as_of, accounts=accounts, health=health, trend=_trend(runner, scope, health, as_of, config),
        todos=found_todos, risks=found_risks, book=book,
    )  # fmt: skip


def _rule_candidates(runner: Runner, p: dict[str, Any], people: list[tuple[Person, int]], config: Config) -> list[Todo]:
    """Every to-do the date rules raise on the day, each rule asked about the accounts its facts put in play."""
    as_of: date = p["as_of"]
    rows = sheet_rows.date_rows(runner, p)
    raised: list[Todo | None] = [triggers.renewal_todo(row, as_of, config) for row in rows.renewals]
    raised += [triggers.ebr_due(row, as_of, config) for row in rows.reviews]
    raised += [triggers.touch_overdue(row, as_of, config) for row in rows.touches]
    raised += [triggers.onboarding(row, as_of, config) for row in rows.onboardings]
    raised += [triggers.milestone_due(item, as_of, config) for item in sheet_rows.plan_items(runner, p)]
    found = [todo for todo in raised if todo is not None]
    for person, _successors in people:
        found += triggers.stakeholder_todos(person, as_of, config)
    return found


def _uncovered(candidates: list[Todo], meetings: dict[int, Scheduled]) -> list[Todo]:
    """A customer meeting scheduled from today to the horizon covers the account's touch: no touch to-do."""
    return [t for t in candidates if not (t.kind == "touch_overdue" and t.account_id in meetings)]


def _covered_by(todos: list[TodoItem], meetings: dict[int, Scheduled], as_of: date) -> None:
    """Renewal and EBR to-dos show the account's scheduled meeting beside them ("covered by today's 13:00 QBR")."""
    for todo in todos:
        if todo.kind in COVERED_KINDS and todo.rule_key is not None and todo.account_id in meetings:
            todo.covered_by = covered_words(meetings[todo.account_id], as_of)


def _rule_findings(
    runner: Runner,
    p: dict[str, Any],
    people: list[tuple[Person, int]],
    zone: ZoneInfo,
    config: Config,
    health: dict[int, Health],
) -> list[RiskFinding]:
    """Every risk the rules raise on the day, the renewal rule weighing the others (and the health score) last."""
    as_of: date = p["as_of"]
    days = LocalDays(zone)
    has_tickets, first_ticket = sheet_rows.book_flags(runner, zone)
    rows = sheet_rows.risk_rows(runner, p, days, has_tickets)
    limits = (config.support.open_max, config.support.open_critical_max, config.support.open_high_max)
    over = {
        row.account_id: row.support
        for row in rows.support
        if row.support is not None
        and any(
            count > limit > 0
            for count, limit in zip(
                (row.support.open, row.support.open_critical, row.support.open_high), limits, strict=True
            )
        )
    }
    sheet_rows.over_limit_since(runner, over, p, limits, days)
    found: list[RiskFinding] = []
    for support in rows.support:
        found += risk_rules.support_risks(support, first_ticket, as_of, config)
    for sentiment in rows.sentiments:
        found += risk_rules.sentiment_risks(sentiment, as_of, config)
    for person, successors in people:
        left = risk_rules.champion_left(person, successors, as_of)
        if left is not None:
            found.append(left)
    for thread in rows.threads:
        found += risk_rules.thread_risks(thread, as_of, config)
    for implementation in rows.implementations:
        found += risk_rules.implementation_risks(implementation, as_of, config)
    for gap in rows.gaps:
        found += risk_rules.product_risks(gap, as_of, config)
    found = _dated_windows(runner, found, p, zone, config)
    by_account: dict[int, list[RiskFinding]] = {}
    for finding in found:
        by_account.setdefault(finding.account_id, []).append(finding)
    for row in rows.renewing:
        renewal = risk_rules.renewal_risk(
            row, by_account.get(row.account_id, []), health[row.account_id].score, as_of, config
        )
        if renewal is not None:
            found.append(renewal)
    return found


def _dated_windows(
    runner: Runner, findings: list[RiskFinding], p: dict[str, Any], zone: ZoneInfo, config: Config
) -> list[RiskFinding]:
    """Fill in `since` for the windowed support rules from the firing accounts' tickets, day by day."""
    from dataclasses import replace

    windowed = [f.account_id for f in findings if f.rule in WINDOWED_RULES]
    if not windowed:
        return findings
    as_of: date = p["as_of"]
    days = sheet_rows.ticket_days(runner, windowed, windowed_history_start(as_of, config), p, zone)
    return [
        replace(f, since=windowed_since(f.rule, days.get(f.account_id, []), as_of, config))
        if f.rule in WINDOWED_RULES
        else f
        for f in findings
    ]


def _rule_todos(
    candidates: list[Todo], decisions: dict[Any, Any], accounts: dict[int, AccountLine], as_of: date
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
                accounts[todo.account_id].name if todo.account_id in accounts else None, todo.due, state.deferrals,
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
    accounts: dict[int, AccountLine],
    as_of: date,
    config: Config,
) -> list[RiskItem]:
    ids = short_ids(f.rule_key for f in findings)
    items = []
    for finding in findings:
        if risk_hidden(decisions.get((RISK, finding.rule_key)), finding.since, as_of):
            continue
        playbook = config.playbook(finding.category)
        account = accounts[finding.account_id]
        items.append(
            RiskItem(
                ids[finding.rule_key], finding.account_id, account.name, finding.category, finding.severity,
                finding.rule, finding.evidence, playbook.first_response, playbook.escalation,
                account.owner or config.owner, finding.since, finding.rule_key,
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
    accounts: dict[int, AccountLine],
    health: dict[int, Health],
    risks: list[RiskItem],
    as_of: date,
    config: Config,
) -> None:
    """Each to-do's urgency, taskwarrior-style: a sum of published terms (see csm.domain.urgency)."""
    worst: dict[int, str] = {}
    for risk in risks:  # most severe first
        worst.setdefault(risk.account_id, risk.severity)
    for todo in todos:
        account = accounts.get(todo.account_id) if todo.account_id is not None else None
        if account is None:
            todo.inputs = UrgencyInputs(todo.kind, todo.effective_due, todo.deferrals)
        else:
            renewal = account.renewal_date
            todo.inputs = UrgencyInputs(
                todo.kind, todo.effective_due, todo.deferrals, account.arr,
                (renewal - as_of).days if renewal else None, health[account.id].band, worst.get(account.id),
            )  # fmt: skip
        todo.urgency = urgency_value(todo.inputs, as_of, config)


def _trend(runner: Runner, scope: Scope, health: dict[int, Health], as_of: date, config: Config) -> dict[int, float]:
    then = health_before(runner, scope, as_of - timedelta(days=config.health.trend_days))
    trend: dict[int, float] = {}
    for account_id, (_day, score) in then.items():
        now = health[account_id].score if account_id in health else None
        if score is not None and now is not None:
            trend[account_id] = round(now - score, 1)
    return trend


def account_health(runner: Runner, account_id: int, as_of: date, zone: ZoneInfo, config: Config) -> Health | None:
    """One account's health on a day (its component scores, unexplained): what the prep sheet and the EBR compare
    with today's, for a day no snapshot was kept of."""
    with fact_sheet(runner, Scope(account_id=account_id), as_of, zone, config):
        rows = sheet_rows.accounts(runner)
    return health_from(rows[0][6:], config) if rows else None
