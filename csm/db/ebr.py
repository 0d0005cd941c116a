"""The EBR's records: the CSM's own executive-summary words, and a held review logged with its to-dos."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from csm.clock import now_utc
from csm.db.activity import add_task, log_interaction
from csm.db.models import Account, EbrNote, Interaction, Task

NOTE_FIELDS = ("problem", "impact", "root_cause", "recommendation", "done_and_learned")


def save_ebr_note(session: Session, account: Account, values: dict[str, str | None], *, clear: bool) -> EbrNote:
    """Set the fields given (an empty text clears one); `clear` empties the whole note first."""
    note = session.exec(select(EbrNote).where(EbrNote.account_id == account.id)).first()
    if note is None:
        assert account.id is not None
        note = EbrNote(account_id=account.id, updated_at=now_utc())
    if clear:
        for name in NOTE_FIELDS:
            setattr(note, name, None)
    for name, value in values.items():
        if value is not None:
            setattr(note, name, value.strip() or None)
    note.updated_at = now_utc()
    session.add(note)
    session.flush()
    return note


@dataclass(frozen=True)
class PlannedAction:
    title: str
    owner: str | None
    due: date | None


@dataclass
class RecordedEbr:
    interaction: Interaction | None  # None: an EBR was already logged that day
    tasks: list[Task]
    skipped: int  # action items already open as to-dos


def record_ebr(
    session: Session,
    account: Account,
    *,
    on: date,
    summary: str,
    attendees: Sequence[str],
    actions: Sequence[PlannedAction],
) -> RecordedEbr:
    """Log the review as an interaction (kind ebr) and its action items as to-dos; a second run the same day
    adds nothing twice."""
    logged = session.exec(
        select(Interaction).where(
            Interaction.account_id == account.id, Interaction.kind == "ebr", Interaction.occurred_on == on
        )
    ).first()
    interaction = None
    if logged is None:
        interaction, _task = log_interaction(
            session, account, kind="ebr", summary=summary, on=on, next_steps=None, next_due=None,
            attendees=list(attendees),
        )  # fmt: skip
    linked = interaction or logged
    reason = f"action item from the EBR of {on.isoformat()}"
    # an action item already on the list (open), or already recorded from this day's review (whatever it became
    # since: a to-do marked done is not added back by a second run)
    open_titles = {
        t.title.lower()
        for t in session.exec(select(Task).where(Task.account_id == account.id)).all()
        if t.status == "open" or t.reason == reason
    }
    tasks = []
    skipped = 0
    for action in actions:
        if action.title.lower() in open_titles:
            skipped += 1
            continue
        task = add_task(session, action.title, account=account, due=action.due, today=on)
        task.owner = action.owner
        task.reason = reason
        task.interaction_id = linked.id if linked else None
        session.add(task)
        open_titles.add(action.title.lower())
        tasks.append(task)
    session.flush()
    return RecordedEbr(interaction=interaction, tasks=tasks, skipped=skipped)
