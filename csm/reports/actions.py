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
    from sqlmodel import Session

    from csm.cli.state import AppState


@dataclass(frozen=True)
class Outcome:
    title: str
    deferrals: int = 0
    until: date | None = None
    handed_to: str | None = None


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


def steps_due_soon(app_state: AppState, account_id: int, day: date) -> list[TodoItem]:
    """The account's open playbook steps of the CSM's own that fall due within a week of `day`, the soonest first:
    what a call or e-mail just logged may have done (csm cannot tell from its words; the CSM marks it done). None on
    another owner's account: the scope is the CSM's, as `today` and `todo list` judge it."""
    from datetime import timedelta

    from csm.db.scope import holds
    from csm.reports.cache import cached_worklist
    from csm.reports.today import WEEK

    scope = app_state.scope(account_id=account_id)
    if not holds(app_state.runner, scope):  # a colleague's account: its "me" steps are theirs
        return []
    worklist = cached_worklist(
        app_state.runner, app_state.location, scope, day, app_state.zone, app_state.config, keep=False
    )
    last = day + timedelta(days=WEEK)
    steps = [t for t in worklist.todos if t.kind == "playbook" and t.mine and (t.effective_due or day) <= last]
    return sorted(steps, key=lambda t: (t.effective_due or day, -t.urgency))


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
    from csm.db.decisions import decide, snoozed_risks
    from csm.errors import NotFoundError

    day = app_state.today()
    if until is not None and until <= day:
        raise InputError(f"--until {until} is not after today ({day})")
    number = item_number(text, "risk")
    if number is not None:
        with app_state.book.session() as session:
            risk = plans.resolve_risk(session, number, today=day) if status == "resolved" else plans.snooze_risk(
                session, number, until=until or day, today=day)  # fmt: skip
            return Outcome(risk.evidence, until=risk.snoozed_until)
    try:
        risk_item = _rule_item(app_state, text, day, risks=True)
        assert isinstance(risk_item, RiskItem)
        key, title = str(risk_item.rule_key), risk_item.evidence
        account_id: int | None = risk_item.account_id
    except NotFoundError:
        # a snoozed risk is out of the day's list, yet the CSM may resolve it, or snooze it again, before its day
        snoozed = snoozed_risks(app_state.runner, app_state.scope(mine=False), day)
        key = match_derived(text, snoozed, what="risk", listing="csm risk list")
        account_id, title = snoozed[key]
    with app_state.book.session() as session:
        decide(
            session, subject=RISK, rule_key=key, account_id=account_id, status=status, on=day, title=title,
            until=until,
        )  # fmt: skip
    return Outcome(title, until=until)


def assign_todo(app_state: AppState, text: str, to: str) -> Outcome:
    """Hand a to-do to someone (`csm todo assign ID --to OWNER`): a playbook step keeps the role it is given (the
    person behind it is read each day from the account or the config), a to-do written down records the person."""
    from csm.config import ROLE_NAMES
    from csm.db import activity
    from csm.db.playbooks import assign
    from csm.domain.playbooks import assignee, display_name, is_step_key

    day = app_state.today()
    owner = assignee(to)
    number = item_number(text, "to-do")
    if number is not None:
        with app_state.book.session() as session:
            task = activity.get_task(session, number)
            person = _person(app_state, session, owner, task.account_id)
            task.owner = person.lower() if person and "<" not in person else person
            session.add(task)
            return Outcome(task.title, handed_to=None if owner == "me" else display_name(person or ""))
    todo = _rule_item(app_state, text, day, risks=False)
    assert isinstance(todo, TodoItem)
    if not is_step_key(todo.rule_key):
        raise InputError(
            f"to-do {text} is one a rule raised for you ({todo.kind.replace('_', ' ')}); only playbook steps and "
            "to-dos you wrote down can be handed to someone"
        )
    with app_state.book.session() as session:
        assign(session, rule_key=str(todo.rule_key), account_id=todo.account_id, assignee=owner, title=todo.title,
               on=day)  # fmt: skip
    return Outcome(todo.title, handed_to=None if owner == "me" else ROLE_NAMES.get(owner, owner))


def _person(app_state: AppState, session: Session, owner: str, account_id: int | None) -> str | None:
    """The person a role names for an account (its own, else the config's [people]); None for the CSM."""
    from csm.db.playbooks import account_person

    if owner == "me":
        return app_state.config.owner
    if "@" in owner:
        return owner
    person = account_person(session, account_id, owner) if account_id is not None else None
    person = person or app_state.config.people.of(owner)
    if not person:
        raise InputError(
            f"no one is named as {owner}: set [people] {owner} in the config, or 'csm account edit ACCOUNT "
            f"--{owner} EMAIL'"
        )
    return person
