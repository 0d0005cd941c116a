"""The calendar as stored (one row per occurrence, as khal keeps it) and what the book holds, for `csm today`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csm.db.runner import Row, Runner


def agenda_rows(runner: Runner, first: date, last: date, zone: ZoneInfo) -> list[Row]:
    """Occurrences touching [first, last] in the user's zone: one indexed range query, no .ics parsing. Declined
    meetings are in it (the agenda leaves them out and says how many); cancelled ones are not."""
    utc_start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    utc_end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    wall_start = datetime.combine(first, time(0), tzinfo=UTC)  # floating times are stored as wall time
    wall_end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
    return runner.rows(
        """SELECT e.title, e.location, e.all_day, e.floating, e.starts_at, e.ends_at, e.start_date, e.end_date,
                  e.attendees, e.organizer, e.kind, e.rsvp, e.account_id, a.name AS account
           FROM calendar_events e LEFT JOIN accounts a ON a.id = e.account_id
           WHERE (e.status IS NULL OR upper(e.status) <> 'CANCELLED')
             AND ((e.all_day AND e.start_date <= :last AND e.end_date >= :first)
               OR (e.floating AND e.starts_at < :wall_end AND (e.starts_at >= :wall_start OR e.ends_at > :wall_start))
               OR (NOT e.all_day AND NOT e.floating AND e.starts_at < :utc_end
                   AND (e.starts_at >= :utc_start OR e.ends_at > :utc_start)))
           ORDER BY e.all_day DESC, e.starts_at, e.title""",
        {"first": first, "last": last, "utc_start": utc_start, "utc_end": utc_end, "wall_start": wall_start,
         "wall_end": wall_end},
    )  # fmt: skip


def book_contents(runner: Runner) -> dict[str, bool]:
    """Which kinds of record the book holds at all (what `csm today` suggests importing next)."""
    row = runner.rows(
        """SELECT EXISTS (SELECT 1 FROM calendars) AS calendar, EXISTS (SELECT 1 FROM accounts) AS accounts,
                  EXISTS (SELECT 1 FROM tickets) AS tickets, EXISTS (SELECT 1 FROM survey_responses) AS surveys,
                  EXISTS (SELECT 1 FROM usage_snapshots) AS usage"""
    )[0]
    return {key: bool(value) for key, value in row.items()}
