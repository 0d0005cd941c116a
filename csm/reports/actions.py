"""What the CSM does about a to-do or risk: done, defer, dismiss, resolve, snooze.

A number names what the CSM wrote down (a row of its own); letters name what a rule raised, and the
decision about it is stored by its rule key (csm.db.decisions), found in the worklist of the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from csm.domain.decisions import RISK, TODO, is_derived_id, match_derived
from csm.errors import InputError
from csm.reports.items import RiskItem, TodoItem

if TYPE_CHECKING:
    from csm.cli.state import AppState


@dataclass(frozen=True)
class Outcome:
    title: str
    deferrals: int = 0
    until: date | None = None


def item_number(text: str, what: str) -> int | None:
    """The number of a hand-written item, None for a rule's letters; anything else is refused in words."""
    value = text.strip()
    if value.isdigit():
        if len(value) > 18:
            raise InputError(f"{what} {value} does not exist: that number is far beyond any id")
        return int(value)
    if is_derived_id(value.lower()):
        return None
    raise InputError(f"{text!r} is not a {what} id: ids are numbers (yours) or letters (a rule's), as listed")


def _rule_item(app_state: AppState, text: str, day: date, *, risks: bool) -> TodoItem | RiskItem:
    """The rule's to-do (or risk) of the day with this id: among the CSM's own accounts first, then the book's."""
    from csm.errors import NotFoundError
    from csm.reports.cache import cached_worklist

    scopes = (None, False) if app_state.config.owner is not None else (None,)
    for n, mine in enumerate(scopes):
        worklist = cached_worklist(
            app_state.runner, app_state.location, app_state.scope(mine=mine), day, app_state.zone, app_state.config
        )
        items: dict[str, TodoItem | RiskItem] = {
            i.rule_key: i for i in (worklist.risks if risks else worklist.todos) if i.rule_key
        }
        what, listing = ("risk", "csm risk list") if risks else ("to-do", "csm todo list")
        try:
            return items[match_derived(text, items, what=what, listing=listing)]
        except NotFoundError:
            if n == len(scopes) - 1:
                raise
    raise AssertionError("a scope always answers or raises")


def decide_todo(
    app_state: AppState, text: str, status: str, *, until: date | None = None, reason: str | None = None
) -> Outcome:
    """Mark a to-do done, defer it to a later day (counted), or dismiss it; returns what it says now."""
    from csm.db import activity
    from csm.db.decisions import decide

    day = app_state.today()
    if until is not None and until <= day:
        raise InputError(f"--until {until} is not after today ({day}); defer to a later day")
    number = item_number(text, "to-do")
    if number is not None:
        with app_state.book.session() as session:
            task = activity.decide_task(session, number, status, until=until, reason=reason, today=day)
            return Outcome(task.title, task.deferrals, task.deferred_until)
    todo = _rule_item(app_state, text, day, risks=False)
    assert isinstance(todo, TodoItem)
    with app_state.book.session() as session:
        decision = decide(
            session, subject=TODO, rule_key=str(todo.rule_key), account_id=todo.account_id, status=status, on=day,
            title=todo.title, until=until, reason=reason,
        )  # fmt: skip
    return Outcome(todo.title, decision.deferrals, decision.until)


def decide_risk(app_state: AppState, text: str, status: str, *, until: date | None = None) -> Outcome:
    """Resolve a risk, or snooze it until a later day."""
    from csm.db import plans
    from csm.db.decisions import decide

    day = app_state.today()
    if until is not None and until <= day:
        raise InputError(f"--until {until} is not after today ({day})")
    number = item_number(text, "risk")
    if number is not None:
        with app_state.book.session() as session:
            risk = plans.resolve_risk(session, number, today=day) if status == "resolved" else plans.snooze_risk(
                session, number, until=until or day, today=day)  # fmt: skip
            return Outcome(risk.evidence, until=risk.snoozed_until)
    risk_item = _rule_item(app_state, text, day, risks=True)
    assert isinstance(risk_item, RiskItem)
    with app_state.book.session() as session:
        decide(
            session, subject=RISK, rule_key=str(risk_item.rule_key), account_id=risk_item.account_id, status=status,
            on=day, title=risk_item.evidence, until=until,
        )  # fmt: skip
    return Outcome(risk_item.evidence, until=until)
