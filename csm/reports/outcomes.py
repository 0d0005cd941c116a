"""What the CSM records about a renewal: renewed (at what ARR, for what term) or lost (and why), and ARR that moved.

A renewal moves the account's renewal date, so the rules' renewal to-dos and risks of the old date stop firing on
their own (their rule keys name the date); the ones open on the renewal's day are also marked done / resolved, so
the history says how they ended even if the date is ever moved back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from csm.errors import InputError

if TYPE_CHECKING:
    from sqlmodel import Session

    from csm.cli.state import AppState
    from csm.db.arr import Outcome

RENEWAL_TODOS = ("renewal_outreach", "renewal_reminder", "renewal_overdue")
RENEWAL_RISKS = ("renewal_overdue", "renewal_at_risk")


@dataclass(frozen=True)
class Recorded:
    account: str
    outcome: Outcome
    closed: list[str]  # the to-dos and risks of the renewal marked done / resolved
    currency: str | None = None  # the account's, for its money
    reason: str | None = None  # a churn's, as the config's list names it


def _day(app_state: AppState, on: date | None, what: str) -> date:
    today = app_state.today()
    day = on or today
    if day > today:
        raise InputError(f"{what} is recorded on the day it happened: {day} is after today ({today})")
    return day


def _close_renewal_items(
    app_state: AppState, session: Session, account_id: int, due: date | None, day: date, why: str
) -> list[str]:
    """Mark done / resolved the renewal's rule to-dos and risks (of the renewal date `due`) open on `day`."""
    from csm.db.decisions import decide
    from csm.db.scope import Scope
    from csm.domain.decisions import RISK, TODO
    from csm.reports.judge import judge

    if due is None:
        return []
    judged = judge(app_state.runner, Scope(account_id=account_id), day, app_state.zone, app_state.config)
    suffix = f":{account_id}:{due}"
    closed = []
    for todo in judged.todos:
        if todo.kind in RENEWAL_TODOS and todo.rule_key and todo.rule_key.endswith(suffix):
            decide(session, subject=TODO, rule_key=todo.rule_key, account_id=account_id, status="done", on=day,
                   title=todo.title, reason=why)  # fmt: skip
            closed.append(todo.title)
    for risk in judged.risks:
        if risk.rule in RENEWAL_RISKS and risk.rule_key and risk.rule_key.endswith(suffix):
            decide(session, subject=RISK, rule_key=risk.rule_key, account_id=account_id, status="resolved", on=day,
                   title=risk.evidence, reason=why)  # fmt: skip
            closed.append(risk.evidence)
    return closed


def record_renewal(
    app_state: AppState,
    query: str,
    *,
    on: date | None,
    arr: float | None,
    term_months: int | None,
    until: date | None,
    note: str | None,
) -> Recorded:
    from csm.db.accounts import resolve_account
    from csm.db.arr import account_state, is_churned, renew_account

    day = _day(app_state, on, "a renewal")
    with app_state.book.session() as session:
        account = resolve_account(session, query)
        assert account.id is not None
        state = account_state(session.connection(), account.id)
        if is_churned(state):
            raise InputError(
                f"{account.name} churned{' on ' + str(state['churned_on']) if state['churned_on'] else ''}; if it "
                f"came back, record its ARR with 'csm account edit {account.name!r} --arr N' (a reactivation)"
            )
        if arr is not None and arr <= 0:
            raise InputError("a renewal at no ARR is a loss: record it with 'csm churn ACCOUNT --reason R'")
        if until is not None and until <= (state["renewal_date"] or day):
            raise InputError(f"--until {until} must come after the renewal date ({state['renewal_date'] or day})")
        closed = _close_renewal_items(app_state, session, account.id, state["renewal_date"], day, f"renewed on {day}")
        outcome = renew_account(
            session.connection(), account.id, on=day, arr=arr, term_months=term_months, until=until, note=note
        )
        return Recorded(account.name, outcome, closed, account.currency)


def check_reason(reason: str, allowed: list[str]) -> str:
    cleaned = reason.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        raise InputError(
            f"{reason!r} is not a churn reason; use one of: {', '.join(allowed)} (the config's "
            "retention.churn_reasons), with your own words in --note"
        )
    return cleaned


def record_churn(app_state: AppState, query: str, *, on: date | None, reason: str, note: str | None) -> Recorded:
    from csm.db.accounts import resolve_account
    from csm.db.arr import account_state, churn_account, history, is_churned

    day = _day(app_state, on, "a churn")
    cleaned = check_reason(reason, app_state.config.retention.churn_reasons)
    with app_state.book.session() as session:
        account = resolve_account(session, query)
        assert account.id is not None
        state = account_state(session.connection(), account.id)
        if is_churned(state):
            when = f" on {state['churned_on']}" if state["churned_on"] else ""
            raise InputError(f"{account.name} is already recorded as churned{when}")
        changes = history(session.connection(), account.id)
        if changes and day < changes[-1].on:
            raise InputError(
                f"{account.name}'s ARR last changed on {changes[-1].on}, after {day}: a churn is its last change, "
                f"so record it on or after {changes[-1].on}"
            )
        closed = _close_renewal_items(app_state, session, account.id, state["renewal_date"], day, f"churned on {day}")
        outcome = churn_account(session.connection(), account.id, on=day, reason=cleaned, note=note)
        return Recorded(account.name, outcome, closed, account.currency, cleaned)


@dataclass(frozen=True)
class ArrMoved:
    kind: str | None  # None: the ARR was already that
    before: float | None
    after: float
    on: date
    opening: bool = False


def record_arr(session: Session, account_id: int, arr: float, *, on: date, correct: bool, today: date) -> ArrMoved:
    """`csm account add/edit --arr`: a dated change read from the values (new, expansion, contraction, reactivation),
    or with `correct` a correction that fixes a typo without counting as either."""
    from csm.db.arr import NewChange, account_state, history_began_before, record_change, value_before
    from csm.domain.arr import was_customer_already

    if on > today:
        raise InputError(f"ARR changes are recorded on the day they happen: {on} is after today ({today})")
    connection = session.connection()
    before = value_before(connection, account_id, on)
    if before is not None and round(before, 2) == round(arr, 2):
        return ArrMoved(None, before, arr, on)
    state = account_state(connection, account_id)
    customer = was_customer_already(state["contract_start"], state["renewal_date"], on)
    opening = before is None and (customer or not history_began_before(connection, on))
    stored = record_change(
        connection, NewChange(account_id, on, arr, "correction" if correct else None, opening=opening)
    )
    return ArrMoved(stored.kind if stored else None, before, arr, on, stored.opening if stored else False)
