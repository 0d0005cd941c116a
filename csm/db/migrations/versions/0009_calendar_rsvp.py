"""Calendar semantics: keep every attendee's RSVP (PARTSTAT), and what csm reads of each meeting: its kind
(customer, internal, external, personal) and the CSM's own answer, so that a declined meeting leaves the
agenda and never counts as a touch.

A book from an older csm kept only the attendees' addresses. The answers are read again where the book still
has the file's words, the recurring series kept for expansion on demand (the master's answers for each
occurrence, an override's for its own); a one-off meeting's answers are gone, so it reads as accepted. Kind
and the CSM's answer need the config (who the CSM is, which domains are colleagues): they are read at the next
calendar import, account or contact change, or `csm init`; until then a meeting counts as it did before.

Revision ID: 0009_calendar_rsvp
Revises: 0007_health_overrides
"""

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009_calendar_rsvp"
down_revision: str | None = "0008_interactions_shared"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERS = {
    "ACCEPTED": "accepted",
    "TENTATIVE": "tentative",
    "DECLINED": "declined",
    "NEEDS-ACTION": "needs-action",
    "DELEGATED": "delegated",
}


def upgrade() -> None:
    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("rsvp", sa.String(), nullable=True))
    read_stored_answers(op.get_bind())


def read_stored_answers(connection: sa.Connection) -> None:
    """Each stored occurrence of a kept series gets the answers its series (or its override) gives."""
    calendars = connection.execute(sa.text("SELECT id, series FROM calendars WHERE series IS NOT NULL")).all()
    for calendar_id, series in calendars:
        masters, overrides = _series_answers(str(series))
        if not masters and not overrides:
            continue
        rows = connection.execute(
            sa.text("SELECT id, uid, recurrence_id FROM calendar_events WHERE calendar_id = :id"), {"id": calendar_id}
        ).all()
        updates = []
        for row_id, uid, recurrence_id in rows:
            answers = overrides.get((uid, recurrence_id), masters.get(uid))
            if answers:
                updates.append({"id": row_id, "answers": json.dumps(answers)})
        if updates:
            connection.execute(sa.text("UPDATE calendar_events SET answers = :answers WHERE id = :id"), updates)


def _series_answers(text: str) -> tuple[dict[str, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """(answers by UID of each series' master, answers by (UID, instance key) of each override)."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except Exception:  # stored by an older csm from icalendar's own output; a damaged text keeps no answers
        return {}, {}
    masters: dict[str, dict[str, str]] = {}
    overrides: dict[tuple[str, str], dict[str, str]] = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        answers = _answers(event.get("ATTENDEE"))
        recurrence = getattr(event.get("RECURRENCE-ID"), "dt", None)
        if recurrence is None:
            masters[uid] = answers
        elif (key := _instance_key(recurrence)) is not None:
            overrides[(uid, key)] = answers
    return masters, overrides


def _answers(value: Any) -> dict[str, str]:
    values = value if isinstance(value, list) else [value] if value is not None else []
    found: dict[str, str] = {}
    for item in values:
        address = "".join(str(item).split()).lower().removeprefix("mailto:")
        answer = ANSWERS.get(str((getattr(item, "params", None) or {}).get("PARTSTAT", "")).strip().upper())
        if "@" in address and answer and address not in found:
            found[address] = answer
    return found


def _instance_key(value: object) -> str | None:
    """An occurrence's key as the import stores it (csm.importers.calendar.recurrence_key at 0007)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(value, datetime):
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d") if isinstance(value, date) else None


def downgrade() -> None:
    with op.batch_alter_table("calendar_events", schema=None) as batch_op:
        batch_op.drop_column("rsvp")
        batch_op.drop_column("kind")
        batch_op.drop_column("answers")
