"""The calendars' stored series and the days their occurrences cover, for expansion when a report asks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from csm.db.runner import Runner, as_date, as_datetime


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
    "starts_at", "ends_at", "start_date", "end_date", "attendees", "organizer", "account_id",
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


def meeting_links(runner: Runner) -> list[tuple[int, str, str, int | None]]:
    """Every stored occurrence as (id, attendees JSON, title, account id): what re-matching reads."""
    return [(int(i), str(a or "[]"), str(t), None if c is None else int(c)) for i, a, t, c in runner.tuples(
        "SELECT id, attendees, title, account_id FROM calendar_events ORDER BY id")]  # fmt: skip


def link_meetings(runner: Runner, links: list[dict[str, Any]]) -> None:
    """Set each occurrence's account: dicts of id and account_id."""
    if links:
        runner.execute_many("UPDATE calendar_events SET account_id = :account_id WHERE id = :id", links)


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
