"""The interaction log and the to-do list, as kept by hand."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from csm.clock import now_utc
from csm.db.accounts import resolve_contact
from csm.db.models import Account, Interaction, InteractionContact, Task
from csm.errors import InputError, NotFoundError

NEXT_STEP_DAYS = 7


def log_interaction(
    session: Session,
    account: Account,
    *,
    kind: str,
    summary: str,
    on: date,
    next_steps: str | None,
    next_due: date | None,
    attendees: list[str],
    sentiment: str | None = None,
    shared: bool = False,
) -> tuple[Interaction, Task | None]:
    """Log a call, e-mail, meeting, EBR, QBR or note; its next steps become a to-do. Private unless `shared`."""
    if not summary.strip():
        raise InputError("an interaction needs a --summary")
    assert account.id is not None
    known = [resolve_contact(session, account, name) for name in attendees]
    interaction = Interaction(
        account_id=account.id,
        kind=kind,
        occurred_on=on,
        summary=summary.strip(),
        next_steps=next_steps.strip() if next_steps else None,
        attendees=", ".join(c.name for c in known) or None,
        sentiment=sentiment,
        created_at=now_utc(),
        shared=shared,
    )
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    for contact in {c.id: c for c in known}.values():
        assert contact.id is not None
        session.add(InteractionContact(interaction_id=interaction.id, contact_id=contact.id))
    task = None
    if interaction.next_steps:
        task = Task(
            title=interaction.next_steps,
            account_id=account.id,
            kind="manual",
            due=next_due or on + timedelta(days=NEXT_STEP_DAYS),
            reason=f"next step from the {kind} of {on.isoformat()}",
            interaction_id=interaction.id,
            created_on=on,
        )
        session.add(task)
    return interaction, task


def list_interactions(session: Session, account: Account, limit: int = 20) -> list[Interaction]:
    return list(
        session.exec(
            select(Interaction)
            .where(Interaction.account_id == account.id)
            .order_by(col(Interaction.occurred_on).desc(), col(Interaction.id).desc())
            .limit(limit)
        ).all()
    )


def add_task(session: Session, title: str, *, account: Account | None, due: date | None, today: date) -> Task:
    if not title.strip():
        raise InputError("a to-do needs some text")
    task = Task(
        title=title.strip(),
        account_id=account.id if account else None,
        kind="manual",
        due=due,
        reason="added by hand",
        created_on=today,
    )
    session.add(task)
    session.flush()
    return task


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError(f"no to-do with id {task_id}; 'csm todo list' shows the ids")
    return task


def decide_task(
    session: Session, task_id: int, status: str, *, until: date | None, reason: str | None, today: date
) -> Task:
    """A to-do written down: done, deferred to a later day (every deferral is counted: a to-do deferred often
    says something), or dismissed."""
    task = get_task(session, task_id)
    if task.status != "open":
        raise InputError(
            f"to-do {task_id} is already {task.status}" + (f" (on {task.done_on})" if task.done_on else "")
        )
    if status == "deferred":
        assert until is not None
        task.deferrals += 1
        task.deferred_until = until
        if reason:
            task.defer_reason = reason
    else:
        task.status = status
        task.done_on = today
    session.add(task)
    return task
