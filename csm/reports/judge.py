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
from csm.db.health import health_before, overrides_on
from csm.db.playbooks import run_context
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.db.sheet import fact_sheet
from csm.db.worklist import open_risks, open_tasks
from csm.domain import risks as risk_rules
from csm.domain import triggers
from csm.domain.decisions import (
    ID_LENGTH,
    RISK,
    TODO,
    Decision,
    full_id,
    risk_hidden,
    risk_resolved,
    short_ids,
    todo_state,
)
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.health import Health, HealthOverride, explained, health_from, with_override, with_risks
from csm.domain.meetings import COVERED_KINDS, REVIEW_KINDS, Scheduled, covered_words, covers
from csm.domain.playbooks import (
    MANUAL_RISK_PREFIX,
    Run,
    RunRisk,
    Step,
    dated_words,
    display_name,
    ended_runs,
    filled,
    first_day,
    is_mine,
    playbook_for,
    run_of,
    title_fields,
)
from csm.domain.responses import first_response
from csm.domain.risks import (
    SEVERITY_ORDER,
    WINDOWED_RULES,
    Renewing,
    RiskFinding,
    windowed_history_start,
    windowed_since,
)
from csm.domain.triggers import Person, Todo
from csm.domain.urgency import UrgencyInputs, stake_value, urgency_value
from csm.domain.words import rule_label
from csm.reports.items import RiskItem, TodoItem

PEOPLE_ROLES = ("ae", "support", "manager", "exec")  # in the order csm.db.playbooks.run_context reads them


@dataclass(slots=True)  # not frozen, for speed: docs/engine.md, "Where the time goes"
class AccountLine:
    """What the worklist shows beside an account's items, for every account of the scope."""

    id: int
    name: str
    owner: str | None
    arr: float | None
    renewal_date: date | None
    churned: bool
    added_on: date | None = None  # the day the account came into the book (by hand or by an import)
    currency: str | None = None  # the ISO code of its money, where an export gave one


@dataclass
class Judgement:
    as_of: date
    accounts: dict[int, AccountLine]
    health: dict[int, Health]
    trend: dict[int, Trend]  # filled in when asked for (`trend=True`)
    todos: list[TodoItem]  # every open to-do (deferred ones too), the most urgent first
    risks: list[RiskItem]  # open risks, the most severe first
    book: BookFacts = field(default_factory=BookFacts)  # every account's facts, when asked for (`facts=True`)
    runs: list[Run] = field(default_factory=list)  # the open risks' playbook runs (with to-dos, or `runs=True`)

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

    def runs_of(self, account_id: int) -> list[Run]:
        return [run for run in self.runs if run.risk.account_id == account_id]


def judge(
    runner: Runner,
    scope: Scope,
    as_of: date,
    zone: ZoneInfo,
    config: Config,
    *,
    facts: bool = False,
    explain: bool = True,
    risks: bool = True,
    todos: bool = True,
    trend: bool = False,
    runs: bool = False,
) -> Judgement:
    """Judge the scope's accounts on `as_of`: facts, rules, the CSM's decisions, urgency. Writes nothing.

    With `facts`, the judgement also carries every account's facts whole, and health explained from them
    (the prep sheet, the EBR, `health`), unless `explain` is False (`renewals` reads the facts but shows only
    each score and band). A view that shows no to-dos leaves them out (`todos=False`);
    one that shows neither health nor risks leaves the risks out too (`risks=False`: health listens to the open
    risks, and to-dos weigh them). With `trend`, each account's health trend (`trend_of`). What is judged is the
    same either way, only less of it."""
    from csm.importers.expansion import expanded_for

    touch = config.cadence.touch_days
    touches_from = as_of - timedelta(days=max(touch.enterprise, touch.mid_market, touch.smb))
    covers_until = as_of + timedelta(days=config.cadence.meeting_covers_touch_days)
    with (
        paused_gc(),
        expanded_for(runner, touches_from, covers_until, zone, config),  # meetings are touches, or cover them
        fact_sheet(runner, scope, as_of, zone, config) as params,
    ):
        judged = _judge(
            runner, scope, params, zone, config, facts=facts, explain=explain, risks=risks or todos or runs,
            todos=todos, runs=runs,
        )  # fmt: skip
    if trend:
        judged.trend = trend_of(runner, scope, judged.health, as_of, zone, config)
    return judged


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
    runs: bool = False,
    explain: bool = True,
) -> Judgement:
    as_of: date = params["as_of"]
    accounts: dict[int, AccountLine] = {}
    health: dict[int, Health] = {}
    for account_id, name, owner, arr, renewal, churned, added, currency, *raw in sheet_rows.accounts(runner):
        accounts[account_id] = AccountLine(
            account_id, name, owner, arr, read_day(renewal), bool(churned), read_day(added), currency
        )
        health[account_id] = health_from(raw, config)
    book = sheet_facts(runner, params, zone, config) if facts else BookFacts()
    if facts and explain:
        health = {a.id: explained(health[a.id], a, book, as_of, config) for a in book.accounts}
    people = list(sheet_rows.people(runner, params, LocalDays(zone))) if risks else []
    decisions = decisions_for(runner, scope) if risks else {}
    found_risks: list[RiskItem] = []
    if risks:
        found, renewing = _rule_findings(runner, params, people, zone, config)
        manual = _manual_risks(runner, scope, accounts, as_of, config)
        unresolved = [f for f in found if not risk_resolved(decisions.get((RISK, f.rule_key)), f.since, as_of)]
        snoozed = {
            f.rule_key: decision.until
            for f in unresolved
            if (decision := decisions.get((RISK, f.rule_key))) is not None and decision.until is not None
            and risk_hidden(decision, f.since, as_of)
        }  # fmt: skip
        health = _listening(health, unresolved, manual, overrides_on(runner, scope, as_of), config, snoozed)
        found += _renewal_findings(renewing, found, health, as_of, config)
        found_risks = _rule_risks(found, decisions, accounts, as_of, config) + manual
        found_risks.sort(key=lambda r: (-SEVERITY_ORDER.get(r.severity, 0), -_arr(accounts, r.account_id), r.account,
                                        r.rule, str(r.id)))  # fmt: skip
    playbook_runs = _runs(runner, params, found_risks, decisions, accounts, config) if todos or runs else []
    found_todos: list[TodoItem] = []
    if todos:
        candidates = _rule_candidates(runner, params, people, config)
        if scope.account_id is None and accounts:  # the CSM's monthly 1:1, on a view of a book (not of one account)
            candidates.append(triggers.one_on_one(as_of, config, config.owner))
        meetings = sheet_rows.meetings_ahead(runner, params, zone)
        asking_reviews = any(t.kind in REVIEW_KINDS for t in candidates)
        reviews = sheet_rows.meetings_ahead(runner, params, zone, reviews=True) if asking_reviews else {}
        candidates = _uncovered(candidates, meetings)
        ended = _ended_runs(runner, params, decisions, playbook_runs, accounts, config)
        steps = [(run, step) for run in (*playbook_runs, *ended) for step in run.open_steps]
        ids = short_ids([*(t.rule_key for t in candidates), *(step.key for _run, step in steps)])
        found_todos = (
            _rule_todos(candidates, decisions, accounts, as_of, ids)
            + _step_todos(steps, ids)
            + _manual_todos(runner, scope, as_of, config)
        )
        _meeting_notes(found_todos, meetings, reviews, as_of)
        _score(found_todos, accounts, health, found_risks, as_of, config)
        found_todos.sort(key=lambda t: (-t.urgency, t.effective_due or date.max, t.title, str(t.id)))
    return Judgement(
        as_of=as_of, accounts=accounts, health=health, trend={}, todos=found_todos, risks=found_risks, book=book,
        runs=playbook_runs,
    )  # fmt: skip


def _runs(
    runner: Runner,
    p: dict[str, Any],
    risks: list[RiskItem],
    decisions: dict[Any, Any],
    accounts: dict[int, AccountLine],
    config: Config,
) -> list[Run]:
    """Each open risk's playbook run on the day: the first playbook its `when` fits, dated from its `since`.
    Two risks of one account that open the same playbook (a ticket surge and a critical ticket: one support
    problem) share one run, the most severe risk's (`risks` come most severe first)."""
    as_of: date = p["as_of"]
    context = run_context(runner, [r.account_id for r in risks], p) if risks else {}
    found = []
    opened: set[tuple[int, str]] = set()
    for risk in risks:
        segment, contact, *own = context.get(risk.account_id, ("smb", None, None, None, None, None))
        people = {role: named or config.people.of(role) for role, named in zip(PEOPLE_ROLES, own, strict=True)}
        key = risk.rule_key or f"{MANUAL_RISK_PREFIX}{risk.id}"
        line = accounts.get(risk.account_id)
        run_risk = RunRisk(
            key, risk.id, risk.account_id, risk.account, risk.category, risk.severity, risk.rule, risk.evidence,
            risk.raised_on, line.renewal_date if line else None, segment or "smb", contact, people,
            _paused_days(decisions.get((RISK, key)) if risk.rule_key else None, risk.raised_on, as_of),
            line.added_on if line else None,
        )  # fmt: skip
        playbook = playbook_for(run_risk, config)
        if playbook is not None and (risk.account_id, playbook.name) not in opened:
            opened.add((risk.account_id, playbook.name))
            found.append(run_of(run_risk, playbook, decisions, as_of, config))
    return found


def _ended_runs(
    runner: Runner,
    p: dict[str, Any],
    decisions: dict[Any, Any],
    open_runs: list[Run],
    accounts: dict[int, AccountLine],
    config: Config,
) -> list[Run]:
    """The runs the CSM began whose risk is gone, holding only their steps that outlive it (`ended_runs`)."""
    as_of: date = p["as_of"]
    gone = [e for e in ended_runs(decisions, open_runs, as_of, config) if e.account_id in accounts]
    if not gone:
        return []
    context = run_context(runner, sorted({e.account_id for e in gone}), p)
    found = []
    for e in gone:
        segment, contact, *own = context.get(e.account_id, ("smb", None, None, None, None, None))
        people = {role: named or config.people.of(role) for role, named in zip(PEOPLE_ROLES, own, strict=True)}
        line = accounts[e.account_id]
        risk = RunRisk(
            e.risk_key, full_id(e.risk_key)[:ID_LENGTH], e.account_id, line.name, e.playbook.when.category or "", "",
            e.risk_key.partition(":")[0], "", e.since, line.renewal_date, segment or "smb", contact, people, 0,
            line.added_on,
        )  # fmt: skip
        found.append(run_of(risk, e.playbook, decisions, as_of, config, ended=e.ended))
    return found


def _paused_days(decision: Decision | None, since: date | None, as_of: date) -> int:
    """How long a snooze that has ended held the risk in its present situation (its steps move on by as much)."""
    if decision is None or decision.status != "snoozed" or decision.until is None or decision.until > as_of:
        return 0
    if since is not None and decision.decided_on < since:
        return 0
    return max(0, (decision.until - decision.decided_on).days)


def _step_todos(steps: list[tuple[Run, Step]], ids: dict[str, str]) -> list[TodoItem]:
    """Each open step as a to-do; what its words take from the run is worked out once per run (steps come run by
    run)."""
    items = []
    last: Run | None = None
    for run, step in steps:
        if run is not last:
            last, risk, fields = run, run.risk, title_fields(run.risk)
            dated = f"; {run.dated_why}" if run.dated_why else ""
            raised = risk.since or "on a day the book cannot tell"
            tail = (
                f" of the {run.playbook} playbook, opened by risk {risk.risk_id} ({risk.severity} {risk.category}) "
                f"raised {raised}{dated}"
                if run.ended is None
                else f" of the {run.playbook} playbook, the follow-up of risk {risk.risk_id} ({risk.category}, raised "
                f"{raised}), which {'has cleared' if run.ended == 'cleared' else 'you resolved'}{dated}"
            )
        items.append(
            TodoItem(
                ids[step.key], "playbook", filled(step.template, fields), risk.account_id, risk.account, step.due,
                step.deferrals, step.deferred_until, f"step {step.number}{tail}", step.key,
                step.person if not step.mine else None, step.defer_reason, handed_to=step.handed_to, mine=step.mine,
            )
        )  # fmt: skip
    return items


def _arr(accounts: dict[int, AccountLine], account_id: int) -> float:
    line = accounts.get(account_id)
    return (line.arr or 0.0) if line is not None else 0.0


def _listening(
    health: dict[int, Health],
    findings: list[RiskFinding],
    manual: list[RiskItem],
    overrides: dict[int, HealthOverride],
    config: Config,
    snoozed: dict[str, date] | None = None,
) -> dict[int, Health]:
    """Health as the open risks and the CSM leave it: the worst risk of an account that is not resolved moves its
    score (a snoozed one too: the snooze hides it from the list, not from the account's health; the renewal rule's
    own risks aside: they come from health), and an override the CSM set holds its band."""
    worst: dict[int, tuple[int, str]] = {}  # account: (severity rank, what the risk is)
    for finding in findings:
        rank = SEVERITY_ORDER[finding.severity]
        if rank > worst.get(finding.account_id, (-1, ""))[0]:
            until = (snoozed or {}).get(finding.rule_key)
            label = rule_label(finding.rule)
            worst[finding.account_id] = (rank, f"{label}, snoozed until {until}" if until else label)
    for risk in manual:
        rank = SEVERITY_ORDER.get(risk.severity, 0)
        if rank > worst.get(risk.account_id, (-1, ""))[0]:
            worst[risk.account_id] = (rank, f"logged by you: {' '.join(risk.evidence.split())[:60]}")
    severities = {rank: name for name, rank in SEVERITY_ORDER.items()}
    listened = {}
    for account_id, judged in health.items():
        rank, cause = worst.get(account_id, (-1, ""))
        if rank >= SEVERITY_ORDER["high"]:
            judged = with_risks(judged, severities[rank], cause, config)
        listened[account_id] = with_override(judged, overrides.get(account_id))
    return listened


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
    for person, successors in people:
        found += triggers.stakeholder_todos(person, as_of, config, successors)
    return found


def _uncovered(candidates: list[Todo], meetings: dict[int, Scheduled]) -> list[Todo]:
    """A customer meeting the CSM has accepted, from today to the horizon, covers the account's touch: no touch
    to-do (one they are tentative about leaves it, with the meeting beside it as the next chance)."""
    return [t for t in candidates if not (t.kind == "touch_overdue" and _accepted(meetings, t.account_id))]


def _accepted(meetings: dict[int, Scheduled], account_id: int | None) -> bool:
    meeting = meetings.get(account_id) if account_id is not None else None
    return meeting is not None and meeting.accepted


def _meeting_notes(
    todos: list[TodoItem], meetings: dict[int, Scheduled], reviews: dict[int, Scheduled], as_of: date
) -> None:
    """Renewal to-dos show the account's next meeting beside them: `covered_by` for one about the renewal ("covered
    by today's 13:00 renewal check-in"), `next_meeting` for one about something else ("next meeting: tomorrow's
    15:00 ticket review"); an EBR to-do its next review meeting only ("covered by Mon 14 Dec 10:00 Executive
    Business Review"): a ticket review is no EBR. A touch to-do left by a meeting the CSM has not accepted shows
    it as the next chance ("next meeting: Wed 3 Mar 10:00 QBR (tentative)")."""
    for todo in todos:
        noted = todo.kind in COVERED_KINDS or todo.kind == "touch_overdue"
        if not noted or todo.rule_key is None or todo.account_id is None:
            continue
        scheduled = (reviews if todo.kind in REVIEW_KINDS else meetings).get(todo.account_id)
        if scheduled is None:
            continue
        if todo.kind != "touch_overdue" and covers(todo.kind, scheduled):
            todo.covered_by = covered_words(scheduled, as_of)
        else:
            todo.next_meeting = covered_words(scheduled, as_of, covering=False)


def _rule_findings(
    runner: Runner,
    p: dict[str, Any],
    people: list[tuple[Person, int]],
    zone: ZoneInfo,
    config: Config,
) -> tuple[list[RiskFinding], list[Renewing]]:
    """Every risk the rules raise on the day but the renewal rule's, and the accounts it is to weigh once health
    has listened to the others (`_renewal_findings`)."""
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
    # a passed renewal date is a fact of its own, not of health: health listens to it like to any other risk
    for renewing in rows.renewing:
        if renewing.renewal_date < as_of:
            overdue = risk_rules.renewal_risk(renewing, [], None, "", as_of, config)
            found += [overdue] if overdue is not None else []
    return _dated_windows(runner, found, p, zone, config), [r for r in rows.renewing if r.renewal_date >= as_of]


def _renewal_findings(
    renewing: list[Renewing], found: list[RiskFinding], health: dict[int, Health], as_of: date, config: Config
) -> list[RiskFinding]:
    """The renewal rule, last: it weighs the account's other risks and its health."""
    by_account: dict[int, list[RiskFinding]] = {}
    for finding in found:
        by_account.setdefault(finding.account_id, []).append(finding)
    raised = []
    for row in renewing:
        judged = health[row.account_id]
        # The score before the open risks moved it: those risks are counted as risks, not a second time as health.
        score = judged.computed if judged.computed is not None else judged.score
        band = judged.band if judged.override is not None or score is None else config.health.band(score)
        if judged.override is None and judged.confidence < config.renewal.risk_min_confidence:
            score, band = None, ""  # too little data to say the renewal is at risk for its health
        renewal = risk_rules.renewal_risk(
            row, by_account.get(row.account_id, []), score, band, as_of, config, shown_score=judged.score
        )
        if renewal is not None:
            raised.append(renewal)
    return raised


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


# Rule to-dos whose day comes from a contract date the book may have learned long after it passed.
LEARNED_LATE = ("renewal_outreach", "renewal_reminder", "onboarding")


def _rule_todos(
    candidates: list[Todo],
    decisions: dict[Any, Any],
    accounts: dict[int, AccountLine],
    as_of: date,
    ids: dict[str, str],
) -> list[TodoItem]:
    items = []
    for todo in candidates:
        state = todo_state(decisions.get((TODO, todo.rule_key)), as_of)
        if state.hidden:
            continue
        account = accounts.get(todo.account_id) if todo.account_id is not None else None
        due, reason = todo.due, todo.reason
        known = account.added_on if account is not None else None
        first = first_day(known, as_of)
        if todo.kind in LEARNED_LATE and due is not None and known is not None and first is not None and due < first:
            # the book could not have asked for it before it had the account: late from then, not from the rule's day
            due, reason = first, f"{reason}; {dated_words(known, first, what='due')}"
        items.append(
            TodoItem(
                ids[todo.rule_key], todo.kind, todo.title, todo.account_id,
                account.name if account is not None else None, due, state.deferrals,
                state.deferred_until, reason, todo.rule_key, defer_reason=state.defer_reason,
            )
        )  # fmt: skip
    return items


def _manual_todos(runner: Runner, scope: Scope, as_of: date, config: Config) -> list[TodoItem]:
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
        mine = is_mine(owner, config)
        items.append(
            TodoItem(
                int(task_id), "deferred" if kind == "manual" and count else kind, title, account_id, account,
                read_day(due), count, read_day(deferred_until), reason, None, owner, defer_reason,
                handed_to=None if mine else display_name(owner), mine=mine,
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
        account = accounts[finding.account_id]
        first, escalation = first_response(finding.rule, finding.category, account.renewal_date, as_of, config)
        items.append(
            RiskItem(
                ids[finding.rule_key], finding.account_id, account.name, finding.category, finding.severity,
                finding.rule, finding.evidence, first, escalation, account.owner or config.owner,
                # never after the day asked (a look back at a day before the book knew a record)
                min(finding.since, as_of) if finding.since is not None else None, finding.rule_key,
            )
        )  # fmt: skip
    return items


def _manual_risks(
    runner: Runner, scope: Scope, accounts: dict[int, AccountLine], as_of: date, config: Config
) -> list[RiskItem]:
    """The risks the CSM logged by hand, each with the response that fits it today (the renewal's state moves)."""
    items = []
    for risk_id, account_id, account, category, severity, rule, evidence, owner, _first, _esc, raised_on in open_risks(
        runner, scope, as_of
    ):
        line = accounts.get(account_id)
        first, escalation = first_response(rule, category, line.renewal_date if line else None, as_of, config)
        items.append(
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
        )
    return items


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
    stakes: dict[int, float] = {}  # each account's stake term, worked out once
    for todo in todos:
        account = accounts.get(todo.account_id) if todo.account_id is not None else None
        if account is None:
            todo.inputs = UrgencyInputs(todo.kind, todo.effective_due, todo.deferrals, handed_out=not todo.mine)
            todo.urgency = urgency_value(todo.inputs, as_of, config)
            continue
        renewal = account.renewal_date
        todo.inputs = inputs = UrgencyInputs(
            todo.kind, todo.effective_due, todo.deferrals, account.arr,
            (renewal - as_of).days if renewal else None, health[account.id].band, worst.get(account.id),
            not todo.mine, account.currency,
        )  # fmt: skip
        stake = stakes.get(account.id)
        if stake is None:
            stake = stakes[account.id] = stake_value(inputs, config)
        todo.urgency = urgency_value(inputs, as_of, config, stake=stake)


@dataclass(frozen=True, slots=True)
class Trend:
    """How an account's health moved: against the snapshot stored for the trend's first day (or the latest one
    before it), else against the score the book gives for that day, recomputed; `source` says which."""

    change: float
    compared_on: date
    source: str  # "snapshot" or "recomputed"
    then: Health | None = None  # the recomputed health of that day (its components), when not a snapshot


def trend_of(
    runner: Runner, scope: Scope, health: dict[int, Health], as_of: date, zone: ZoneInfo, config: Config
) -> dict[int, Trend]:
    """Each account's trend over [health] trend_days: one answer for every view (health, prep, changes)."""
    then = as_of - timedelta(days=config.health.trend_days)
    snapshots = health_before(runner, scope, then)
    missing = [a for a, h in health.items() if h.score is not None and a not in snapshots]
    recomputed = judge(runner, scope, then, zone, config, facts=False, todos=False).health if missing else {}
    trends: dict[int, Trend] = {}
    for account_id, now in health.items():
        if now.score is None:
            continue
        if account_id in snapshots:
            day, score = snapshots[account_id]
            source = "snapshot"
        elif account_id in recomputed:
            day, score, source = then, recomputed[account_id].score, "recomputed"
        else:
            continue
        if score is not None:
            trends[account_id] = Trend(round(now.score - score, 1), day, source, recomputed.get(account_id))
    return trends


def account_health(runner: Runner, account_id: int, as_of: date, zone: ZoneInfo, config: Config) -> Health | None:
    """One account's health on a day, as every view gives it (its open risks heard, the CSM's override held):
    what the prep sheet and the EBR compare with today's, for a day no snapshot was kept of."""
    return judge(runner, Scope(account_id=account_id), as_of, zone, config, todos=False).health.get(account_id)
