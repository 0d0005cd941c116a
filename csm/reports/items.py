"""The to-dos and risks of a day's worklist, as the judge makes them and the reports print them.

Light on purpose: `csm today` on an unchanged book reads these from the cache without importing any rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from csm.domain.urgency import Term, UrgencyInputs, urgency_terms
from csm.reports.models import RiskOut, TermOut, TodoOut

if TYPE_CHECKING:
    from csm.config import Config


@dataclass(slots=True)
class TodoItem:
    """An open to-do of the worklist: a rule's, a playbook step's, or one the CSM wrote down."""

    id: int | str  # a number for what the CSM wrote down, letters for what a rule raised
    kind: str
    title: str
    account_id: int | None
    account: str | None
    due: date | None
    deferrals: int
    deferred_until: date | None
    reason: str | None  # why it exists: the rule and its numbers, or where it was written down
    rule_key: str | None  # None for a to-do written down by hand
    owner: str | None = None
    defer_reason: str | None = None
    urgency: float = 0.0
    inputs: UrgencyInputs | None = None
    covered_by: str | None = None  # the account's meeting about it, in words ("covered by today's 13:00 QBR")
    handed_to: str | None = None  # a playbook step someone else does: "AE: Dana Lee"
    mine: bool = True  # the CSM's own to do (a step handed to someone else is not)
    next_meeting: str | None = None  # a meeting about something else ("next meeting: tomorrow's 15:00 ticket review")

    @property
    def effective_due(self) -> date | None:
        return self.deferred_until or self.due

    def terms(self, as_of: date, config: Config) -> list[Term]:
        """Every term of the urgency (taskwarrior's `task info`), built only when asked for."""
        return urgency_terms(self.inputs, as_of, config) if self.inputs else []


@dataclass(slots=True)
class RiskItem:
    """An open risk of the worklist: a rule's, or one the CSM logged by hand."""

    id: int | str
    account_id: int
    account: str
    category: str
    severity: str
    rule: str
    evidence: str
    first_response: str | None
    escalation: str | None
    owner: str | None
    raised_on: date | None  # the day the situation began (None where the facts cannot tell)
    rule_key: str | None = None  # None for a risk logged by hand

    def is_new(self, as_of: date) -> bool:
        return self.raised_on == as_of


def todos_due(todos: list[TodoItem], as_of: date, *, within: int | None = None) -> list[TodoItem]:
    """To-dos to act on by `as_of` (not deferred past it), or due within `within` days of it (undated: always)."""
    last = as_of + timedelta(days=within) if within is not None else None
    return [
        t
        for t in todos
        if not (t.deferred_until is not None and t.deferred_until > as_of)
        and not (last is not None and t.effective_due is not None and t.effective_due > last)
    ]


def waiting_last(todos: list[TodoItem], as_of: date) -> list[TodoItem]:
    """The to-dos to act on (most urgent first, as given), then those deferred past `as_of`, by the day they come
    back: a to-do put off to Wednesday does not lead Monday's list."""
    ready: list[TodoItem] = []
    waiting: list[TodoItem] = []
    for t in todos:
        (waiting if t.deferred_until is not None and t.deferred_until > as_of else ready).append(t)
    return ready + sorted(waiting, key=lambda t: (t.deferred_until or date.max, -t.urgency))


def mine_or_late(todos: list[TodoItem], as_of: date) -> list[TodoItem]:
    """`--mine`: your own to-dos, and the ones you handed out (playbook steps) that are late."""
    return [t for t in todos if t.mine or (t.effective_due is not None and t.effective_due < as_of)]


def todo_out(todo: TodoItem, as_of: date, config: Config | None = None, *, explain: bool = False) -> TodoOut:
    """A to-do as reports show it; with `explain` (and the config) every term of its urgency."""
    due = todo.effective_due
    terms = todo.terms(as_of, config) if explain and config is not None else []
    return TodoOut(
        id=todo.id,
        kind=todo.kind,
        title=todo.title,
        account=todo.account,
        due=due,
        overdue_days=max(0, (as_of - due).days) if due else 0,
        deferrals=todo.deferrals,
        deferred_until=todo.deferred_until,
        urgency=todo.urgency,
        reason=todo.reason,
        terms=[TermOut(name=t.name, coefficient=t.coefficient, factor=t.factor, value=round(t.value, 2), why=t.why)
               for t in terms],
        owner=todo.owner,
        defer_reason=todo.defer_reason,
        rule_key=todo.rule_key,
        covered_by=todo.covered_by,
        next_meeting=todo.next_meeting,
        handed_to=todo.handed_to,
    )  # fmt: skip


def risk_out(risk: RiskItem, as_of: date) -> RiskOut:
    return RiskOut(
        id=risk.id,
        account=risk.account,
        category=risk.category,
        severity=risk.severity,
        rule=risk.rule,
        evidence=risk.evidence,
        first_response=risk.first_response,
        escalation=risk.escalation,
        owner=risk.owner,
        raised_on=risk.raised_on,
        new=risk.is_new(as_of),
    )
