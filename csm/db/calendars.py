"""The calendars' stored series and the days their occurrences cover, for expansion when a report asks; and the
stored meetings read again when the accounts and contacts they are matched by change."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from csm.db.findings import chunks, in_list
from csm.db.runner import Runner, as_date, as_datetime

if TYPE_CHECKING:
    from sqlmodel import Session

    from csm.config import Config


def calendar_windows(runner: Runner) -> list[dict[str, Any]]:
    """Each calendar: its id, name, the days its occurrences were expanded for, and whether it keeps series."""
    rows = runner.rows(
        "SELECT id, name, expanded_from, expanded_until, series IS NOT NULL AS has_series FROM calendars ORDER BY id"
    )
    return [
        row | {"expanded_from": as_date(row["expanded_from"]), "expanded_until": as_date(row["expanded_until"])}
        for row in rows
    ]


def coverage(runner: Runner) -> tuple[date, date] | None:
    """The days every calendar's recurring events are expanded for (None when the book has no calendar)."""
    windows = calendar_windows(runner)
    starts = [w["expanded_from"] for w in windows if w["expanded_from"]]
    ends = [w["expanded_until"] for w in windows if w["expanded_until"]]
    return (max(starts), min(ends)) if starts and ends else None


def series_of(runner: Runner, calendar_id: int) -> str | None:
    rows = runner.rows("SELECT series FROM calendars WHERE id = :id", {"id": calendar_id})
    return str(rows[0]["series"]) if rows and rows[0]["series"] is not None else None


def occurrence_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two imports of an occurrence the same: its event, its instance, when and what it is."""
    starts = row.get("starts_at")
    instant = starts.astimezone(UTC).replace(tzinfo=None) if isinstance(starts, datetime) and starts.tzinfo else starts
    return (row["uid"], row.get("recurrence_id"), instant, row["start_date"], row["title"])


def occurrence_content(row: dict[str, Any]) -> tuple[Any, ...]:
    """What an import of a known occurrence may change: its end, place, status, people and their answers (an
    RSVP changed from tentative to accepted is an update)."""
    ends = row.get("ends_at")
    instant = ends.astimezone(UTC).replace(tzinfo=None) if isinstance(ends, datetime) and ends.tzinfo else ends
    return (instant, row.get("end_date"), row.get("location"), row.get("status"), row.get("attendees"),
            row.get("organizer"), row.get("answers"), row.get("rsvp"))  # fmt: skip


def stored_keys(runner: Runner, calendar_id: int) -> set[tuple[Any, ...]]:
    """The keys of a calendar's stored occurrences."""
    rows = runner.rows(
        "SELECT uid, recurrence_id, starts_at, start_date, title FROM calendar_events WHERE calendar_id = :id",
        {"id": calendar_id},
    )
    return {
        occurrence_key(row | {"starts_at": as_datetime(row["starts_at"]), "start_date": as_date(row["start_date"])})
        for row in rows
    }


def other_calendars(runner: Runner, name: str) -> dict[str, tuple[set[str], dict[tuple[Any, ...], int]]]:
    """Every calendar but `name`, with its events' UIDs and each occurrence's id by its key (a CSM's calendars hold
    thousands of occurrences at most: read whole)."""
    rows = runner.rows(
        """SELECT c.name, e.id, e.uid, e.recurrence_id, e.starts_at, e.start_date, e.title
           FROM calendar_events e JOIN calendars c ON c.id = e.calendar_id WHERE c.name <> :name""",
        {"name": name},
    )
    found: dict[str, tuple[set[str], dict[tuple[Any, ...], int]]] = {}
    for row in rows:
        uids, keys = found.setdefault(str(row["name"]), (set(), {}))
        uids.add(str(row["uid"]))
        day = {"starts_at": as_datetime(row["starts_at"]), "start_date": as_date(row["start_date"])}
        keys[occurrence_key(row | day)] = int(row["id"])
    return found


def drop_calendar(session: Session, name: str) -> None:
    """Delete the calendar `name`, its occurrences and its series, in the session's transaction."""
    from sqlalchemy import text

    where = {"name": name}
    session.execute(
        text("DELETE FROM calendar_events WHERE calendar_id IN (SELECT id FROM calendars WHERE name = :name)"), where
    )
    session.execute(text("DELETE FROM calendars WHERE name = :name"), where)


def remove_occurrences(session: Session, ids: list[int]) -> None:
    """Delete these occurrences in the session's transaction (an import's: all or nothing)."""
    from sqlalchemy import text

    for names in chunks(ids):
        session.execute(text(f"DELETE FROM calendar_events WHERE id IN ({in_list(names)})"), names)


def matching_facts(runner: Runner) -> tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[int, str]]]:
    """Contact e-mails, account domains and normalised names: what meetings are matched to accounts by."""
    emails = [(str(r["email"]), int(r["account_id"])) for r in runner.rows(
        "SELECT email, account_id FROM contacts WHERE email IS NOT NULL")]  # fmt: skip
    domains = [(str(r["domain"]), int(r["account_id"])) for r in runner.rows(
        "SELECT domain, account_id FROM account_domains")]  # fmt: skip
    names = [(int(r["id"]), str(r["name_norm"])) for r in runner.rows("SELECT id, name_norm FROM accounts")]
    return emails, domains, names


EVENT_COLUMNS = (
    "calendar_id", "uid", "recurrence_id", "rrule", "title", "location", "status", "all_day", "floating",
    "starts_at", "ends_at", "start_date", "end_date", "attendees", "organizer", "answers", "account_id", "kind",
    "rsvp",
)  # fmt: skip


def add_occurrences(runner: Runner, calendar_id: int, rows: list[dict[str, Any]], first: date, last: date) -> None:
    """Store occurrences expanded for more days, and widen the calendar's window to [first, last]."""
    if rows:
        names = ", ".join(EVENT_COLUMNS)
        values = ", ".join(f":{column}" for column in EVENT_COLUMNS)
        runner.execute_many(
            f"INSERT INTO calendar_events ({names}) VALUES ({values})",
            [
                {column: _stored(row.get(column)) for column in EVENT_COLUMNS} | {"calendar_id": calendar_id}
                for row in rows
            ],
        )
    runner.execute(
        "UPDATE calendars SET expanded_from = :first, expanded_until = :last WHERE id = :id",
        {"first": first, "last": last, "id": calendar_id},
    )


def _stored(value: Any) -> Any:
    """UTC date-times are stored without their zone on both backends, as the ORM writes them."""
    return value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value


def remove_calendar(runner: Runner, name: str) -> int:
    """Delete the calendar `name` and its occurrences; returns how many occurrences went."""
    found = runner.rows(
        "SELECT COUNT(e.id) AS n FROM calendars c LEFT JOIN calendar_events e ON e.calendar_id = c.id "
        "WHERE c.name = :name",
        {"name": name},
    )
    runner.execute(
        "DELETE FROM calendar_events WHERE calendar_id IN (SELECT id FROM calendars WHERE name = :name)", {"name": name}
    )
    runner.execute("DELETE FROM calendars WHERE name = :name", {"name": name})
    return int(found[0]["n"]) if found else 0


READINGS = "meeting_readings"


def rematch(runner: Runner, config: Config) -> int:
    """Read every stored meeting again against the book's accounts, contacts and domains and the config: its
    account, kind and the CSM's answer (csm.domain.meetings). Returns how many meetings changed.

    Set-based: each distinct meeting (attendees, organizer, title, answers: a series repeats them) is read once,
    from one grouped query; the ones whose reading changed go to a temporary table, and one UPDATE moves every
    occurrence. Runs inside the caller's transaction, after any change to accounts, contacts or domains."""
    from csm.domain.meetings import AccountMatcher

    groups = runner.tuples(
        """SELECT attendees, COALESCE(organizer, ''), title, COALESCE(answers, ''), account_id, kind, rsvp, COUNT(*)
           FROM calendar_events
           GROUP BY attendees, COALESCE(organizer, ''), title, COALESCE(answers, ''), account_id, kind, rsvp"""
    )
    if not groups:
        return 0
    matcher = AccountMatcher.from_facts(*matching_facts(runner), config)
    readings: dict[tuple[str, str, str, str], tuple[Any, ...]] = {}
    changed: dict[tuple[str, str, str, str], int] = {}
    for attendees, organizer, title, answers, account_id, kind, rsvp, count in groups:
        key = (attendees, organizer, title, answers)
        if key not in readings:
            readings[key] = tuple(matcher.read(
                json.loads(attendees or "[]"), organizer or None, title, json.loads(answers) if answers else {}
            ))  # fmt: skip
        if readings[key] != (account_id, kind, rsvp):
            changed[key] = changed.get(key, 0) + int(count)
    if not changed:
        return 0
    runner.execute(f"DROP TABLE IF EXISTS {READINGS}")
    runner.execute(
        f"""CREATE TEMPORARY TABLE {READINGS} (attendees TEXT NOT NULL, organizer TEXT NOT NULL, title TEXT NOT NULL,
            answers TEXT NOT NULL, account_id INTEGER, kind TEXT, rsvp TEXT)"""
    )
    runner.execute(f"CREATE INDEX ix_{READINGS}_title ON {READINGS} (title)")
    runner.execute_many(
        f"INSERT INTO {READINGS} VALUES (:attendees, :organizer, :title, :answers, :account_id, :kind, :rsvp)",
        [
            dict(zip(("attendees", "organizer", "title", "answers"), key, strict=True))
            | dict(zip(("account_id", "kind", "rsvp"), readings[key], strict=True))
            for key in changed
        ],
    )
    same = """r.title = calendar_events.title AND r.attendees = calendar_events.attendees
               AND r.organizer = COALESCE(calendar_events.organizer, '')
               AND r.answers = COALESCE(calendar_events.answers, '')"""
    runner.execute(
        f"""UPDATE calendar_events SET
                account_id = (SELECT r.account_id FROM {READINGS} r WHERE {same}),
                kind = (SELECT r.kind FROM {READINGS} r WHERE {same}),
                rsvp = (SELECT r.rsvp FROM {READINGS} r WHERE {same})
            WHERE EXISTS (SELECT 1 FROM {READINGS} r WHERE {same})"""
    )
    runner.execute(f"DROP TABLE {READINGS}")
    return sum(changed.values())


def rematch_in(session: Session, config: Config) -> int:
    """`rematch` inside an ORM session's transaction, after its changes to accounts, contacts or domains."""
    from csm.db.runner import session_runner

    session.flush()
    return rematch(session_runner(session), config)
