"""One account's records beyond the rule facts, in portable SQL: what a prep sheet or an EBR pack shows.

Every function reads one account (by id) with a fixed number of queries, through the light Runner,
so `csm prep` and `csm ebr` never import the ORM.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.db.runner import Row, Runner, as_date, as_datetime
from csm.db.sheet import held_with_customer, last_contact_sql

CLOSED_TICKET = "('solved', 'closed', 'deleted')"


def account_record(runner: Runner, account_id: int) -> Row:
    """The account's own columns that the rule facts leave out: licences, currency, notes, the company's revenue."""
    return runner.rows(
        "SELECT id, name, licences, currency, notes, renewal_sentiment_on, company_revenue FROM accounts WHERE id = :id",
        {"id": account_id},
    )[0]


def contacts(runner: Runner, account_id: int, as_of: date) -> list[Row]:
    """The account's people with role, influence, reporting line and their last contact (csm.db.sheet.last_contact_sql)."""
    return runner.rows(
        f"""SELECT c.id, c.name, c.email, c.title, c.role, c.crm_roles, c.influence, c.reports_to_id, c.left_on,
                   c.left_to, {last_contact_sql()} AS last_contact
            FROM contacts c WHERE c.account_id = :id ORDER BY c.name""",
        {"id": account_id, "as_of": as_of},
    )


def all_feature_requests(runner: Runner) -> list[Row]:
    """Every feature request of the book, the oldest first (the product gaps report groups them)."""
    return runner.rows(
        "SELECT account_id, feature, feature_norm, requested_on FROM feature_requests ORDER BY requested_on, id"
    )


def key_people_of(runner: Runner, account_ids: list[int], as_of: date) -> dict[int, list[str]]:
    """Each account's champions and executive sponsors still there on `as_of`, by name (who to ask for a
    reference), in a few queries."""
    from csm.db.findings import chunks, in_list

    found: dict[int, list[str]] = {account_id: [] for account_id in account_ids}
    for names in chunks(account_ids):
        for account_id, name in runner.tuples(
            f"""SELECT account_id, name FROM contacts WHERE account_id IN ({in_list(names)})
                AND (left_on IS NULL OR left_on > :as_of)
                AND role IN ('champion', 'exec_sponsor') ORDER BY account_id, name""",
            {**names, "as_of": as_of},
        ):
            found[account_id].append(str(name))
    return found


def recent_interactions(runner: Runner, account_id: int, as_of: date, limit: int = 12) -> list[Row]:
    return runner.rows(
        """SELECT id, kind, occurred_on, summary, next_steps, attendees, shared FROM interactions
           WHERE account_id = :id AND occurred_on <= :as_of
           ORDER BY occurred_on DESC, id DESC LIMIT :limit""",
        {"id": account_id, "as_of": as_of, "limit": limit},
    )


def shared_interactions(runner: Runner, account_id: int, since: date, as_of: date, limit: int = 3) -> list[Row]:
    """The latest interactions the CSM shared (`csm log --share`), newest first: what a customer document may say
    was done. The to-do each next step became gives its due date."""
    return runner.rows(
        """SELECT i.kind, i.occurred_on, i.summary, i.next_steps,
                  (SELECT MIN(t.due) FROM tasks t WHERE t.interaction_id = i.id) AS next_due
           FROM interactions i
           WHERE i.account_id = :id AND i.shared = :shared AND i.occurred_on >= :since AND i.occurred_on <= :as_of
           ORDER BY i.occurred_on DESC, i.id DESC LIMIT :limit""",
        {"id": account_id, "shared": True, "since": since, "as_of": as_of, "limit": limit},
    )


def activity_days(runner: Runner, account_id: int, first: date, last: date) -> list[date]:
    """The days the book holds anything dated for the account (an interaction, a survey answer, a usage figure):
    a month without any is a month the book knows nothing of."""
    rows = runner.tuples(
        """SELECT occurred_on FROM interactions WHERE account_id = :id AND occurred_on >= :first AND occurred_on <= :last
           UNION SELECT responded_on FROM survey_responses
            WHERE account_id = :id AND responded_on >= :first AND responded_on <= :last
           UNION SELECT measured_on FROM usage_snapshots
            WHERE account_id = :id AND measured_on >= :first AND measured_on <= :last""",
        {"id": account_id, "first": first, "last": last},
    )
    return [day for (value,) in rows if (day := as_date(value)) is not None]


def interaction_count(runner: Runner, account_id: int, since: date, as_of: date) -> int:
    row = runner.rows(
        """SELECT COUNT(*) AS n FROM interactions
           WHERE account_id = :id AND occurred_on > :since AND occurred_on <= :as_of""",
        {"id": account_id, "since": since, "as_of": as_of},
    )[0]
    return int(row["n"] or 0)


def survey_answers(runner: Runner, account_id: int, as_of: date) -> list[Row]:
    """Every survey answer of the past year (NPS, CSAT, ...), oldest first, with who answered."""
    return runner.rows(
        """SELECT s.survey, s.survey_type, s.responded_on, s.score, s.comment, c.name AS contact
           FROM survey_responses s LEFT JOIN contacts c ON c.id = s.contact_id
           WHERE s.account_id = :id AND s.responded_on <= :as_of AND s.responded_on > :year_ago
           ORDER BY s.responded_on, s.id""",
        {"id": account_id, "as_of": as_of, "year_ago": as_of - timedelta(days=365)},
    )


def open_tickets(runner: Runner, account_id: int, as_of: date, zone: ZoneInfo) -> list[Row]:
    """Tickets open at the end of the as-of day, oldest first."""
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return runner.rows(
        f"""SELECT external_id, subject, priority, status, created_at FROM tickets
            WHERE account_id = :id AND created_at < :end AND status <> 'deleted'
              AND ((solved_at IS NULL AND status NOT IN {CLOSED_TICKET}) OR solved_at >= :end)
            ORDER BY created_at""",
        {"id": account_id, "end": end},
    )


def recent_subjects(runner: Runner, account_id: int, since: datetime, end: datetime, limit: int = 3) -> list[Row]:
    """What the recent tickets are about: the most frequent subjects."""
    return runner.rows(
        """SELECT subject, COUNT(*) AS n FROM tickets
           WHERE account_id = :id AND created_at >= :since AND created_at < :end AND status <> 'deleted'
             AND subject IS NOT NULL
           GROUP BY subject ORDER BY COUNT(*) DESC, subject LIMIT :limit""",
        {"id": account_id, "since": since, "end": end, "limit": limit},
    )


def goals(runner: Runner, account_id: int) -> list[Row]:
    return runner.rows(
        """SELECT id, title, value_type, metric, unit, baseline, target, current, due, status, customer_confirmed,
                  confirmed_by, confirmed_on, evidence
           FROM goals WHERE account_id = :id ORDER BY id""",
        {"id": account_id},
    )


def milestones(runner: Runner, account_id: int) -> list[Row]:
    return runner.rows(
        """SELECT m.id, m.goal_id, m.title, m.due, m.status, m.done_on FROM milestones m
           JOIN goals g ON g.id = m.goal_id WHERE g.account_id = :id ORDER BY m.due, m.id""",
        {"id": account_id},
    )


def feature_requests(runner: Runner, account_id: int) -> list[Row]:
    """The account's requests, each with how many other accounts ask for the same thing and their ARR."""
    return runner.rows(
        """SELECT f.feature, f.feature_norm, f.requested_on, f.notes,
                  (SELECT COUNT(DISTINCT o.account_id) FROM feature_requests o
                    WHERE o.feature_norm = f.feature_norm AND o.account_id <> f.account_id) AS others,
                  (SELECT COALESCE(SUM(a.arr), 0) FROM accounts a WHERE a.id IN
                     (SELECT o.account_id FROM feature_requests o
                       WHERE o.feature_norm = f.feature_norm)) AS arr_asking
           FROM feature_requests f WHERE f.account_id = :id ORDER BY f.requested_on, f.id""",
        {"id": account_id},
    )


@dataclass(frozen=True)
class Meeting:
    start: datetime | date
    end: datetime | date | None
    all_day: bool
    title: str
    location: str | None
    attendees: list[str]
    answers: dict[str, str] = field(default_factory=dict)  # attendee address: their RSVP, where the calendar says
    rsvp: str | None = None  # the CSM's own answer (None: the calendar does not say; read as accepted)


def upcoming_meetings(runner: Runner, account_id: int, as_of: date, zone: ZoneInfo, *, days: int) -> list[Meeting]:
    """The account's meetings with the customer from the as-of day on, in start order: cancelled ones, the ones
    the CSM declined and colleagues' meetings about the account left out."""
    rows = runner.rows(
        f"""SELECT title, location, all_day, floating, starts_at, ends_at, start_date, end_date, attendees, answers,
                   rsvp
            FROM calendar_events
            WHERE account_id = :id AND start_date >= :first AND start_date <= :last AND {held_with_customer()}
            ORDER BY start_date, starts_at, title""",
        {"id": account_id, "first": as_of, "last": as_of + timedelta(days=days)},
    )
    found = []
    for row in rows:
        attendees = [str(a).lower() for a in json.loads(str(row["attendees"] or "[]"))]
        start: datetime | date | None
        end: datetime | date | None
        if row["all_day"]:
            start, end = as_date(row["start_date"]), as_date(row["end_date"])
        else:
            start, end = as_datetime(row["starts_at"]), as_datetime(row["ends_at"])
            if row["floating"]:
                start = start.replace(tzinfo=zone) if start else None
                end = end.replace(tzinfo=zone) if end else None
            else:
                start = start.astimezone(zone) if start else None
                end = end.astimezone(zone) if end else None
        if start is None:
            continue
        answers = json.loads(str(row["answers"])) if row["answers"] else {}
        found.append(Meeting(
            start, end, bool(row["all_day"]), str(row["title"]), row["location"], attendees, answers, row["rsvp"]
        ))  # fmt: skip
    found.sort(key=lambda m: m.start if isinstance(m.start, datetime) else datetime.combine(m.start, time(0), zone))
    return found


def declined_meetings(runner: Runner, account_id: int, as_of: date, *, days: int) -> list[tuple[str, date, int]]:
    """The account's meetings ahead that the CSM declined, one per title: its next day and how many times."""
    rows = runner.rows(
        """SELECT title, MIN(start_date) AS next_on, COUNT(*) AS times FROM calendar_events
           WHERE account_id = :id AND start_date >= :first AND start_date <= :last AND rsvp = 'declined'
             AND (status IS NULL OR upper(status) <> 'CANCELLED') AND (kind IS NULL OR kind = 'customer')
           GROUP BY title ORDER BY MIN(start_date), title""",
        {"id": account_id, "first": as_of, "last": as_of + timedelta(days=days)},
    )
    return [(str(r["title"]), as_date(r["next_on"]) or as_of, int(r["times"])) for r in rows]


def health_snapshot_before(runner: Runner, account_id: int, day: date) -> Row | None:
    """The latest stored health snapshot on or before `day`, with its components (JSON decoded)."""
    rows = runner.rows(
        """SELECT taken_on, score, band, components FROM health_snapshots
           WHERE account_id = :id AND taken_on <= :day ORDER BY taken_on DESC LIMIT 1""",
        {"id": account_id, "day": day},
    )
    if not rows:
        return None
    row = dict(rows[0])
    row["components"] = json.loads(str(row["components"] or "[]"))
    return row


def health_snapshots(runner: Runner, account_id: int, first: date, last: date) -> list[Row]:
    return runner.rows(
        """SELECT taken_on, score FROM health_snapshots
           WHERE account_id = :id AND taken_on >= :first AND taken_on <= :last ORDER BY taken_on""",
        {"id": account_id, "first": first, "last": last},
    )


def usage_series(runner: Runner, account_id: int, first: date, last: date) -> list[Row]:
    return runner.rows(
        """SELECT measured_on, active_users, licensed_seats, feature_breadth FROM usage_snapshots
           WHERE account_id = :id AND measured_on >= :first AND measured_on <= :last ORDER BY measured_on""",
        {"id": account_id, "first": first, "last": last},
    )


def tickets_per_period(runner: Runner, account_id: int, bounds: list[datetime]) -> list[int]:
    """Tickets created in each [bounds[i], bounds[i+1]) window: one query, one column per window."""
    columns = ", ".join(
        f"SUM(CASE WHEN created_at >= :b{i} AND created_at < :b{i + 1} THEN 1 ELSE 0 END) AS n{i}"
        for i in range(len(bounds) - 1)
    )
    params: dict[str, Any] = {f"b{i}": bound for i, bound in enumerate(bounds)}
    row = runner.rows(
        f"SELECT {columns} FROM tickets WHERE account_id = :id AND status <> 'deleted'", {"id": account_id, **params}
    )[0]
    return [int(row[f"n{i}"] or 0) for i in range(len(bounds) - 1)]


NOTE_FIELDS = ("problem", "impact", "root_cause", "recommendation", "done_and_learned")


def ebr_note(runner: Runner, account_id: int) -> dict[str, str | None]:
    """The CSM's own words for the executive summary (empty where not written)."""
    rows = runner.rows(f"SELECT {', '.join(NOTE_FIELDS)} FROM ebr_notes WHERE account_id = :id", {"id": account_id})
    return {key: (rows[0][key] if rows else None) for key in NOTE_FIELDS}
