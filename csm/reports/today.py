"""`csm today`: the handbook's morning order — the calendar first, then the to-dos, then the risks — and a summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.runner import Runner, as_date, as_datetime
from csm.reports.engine import Evaluation
from csm.reports.models import RiskOut, TodoOut
from csm.reports.portfolio import quarter_end as end_of_quarter
from csm.reports.portfolio import risk_out, todo_out, visible_todos


@dataclass
class AccountBrief:
    band: str
    health: float | None
    days_to_renewal: int | None
    open_risks: int


@dataclass
class AgendaItem:
    start: datetime | date
    end: datetime | date | None
    all_day: bool
    title: str
    account: str | None
    attendees: list[str]
    location: str | None
    day: date
    internal: bool
    brief: AccountBrief | None
    prep: str | None


@dataclass
class Summary:
    accounts: int
    arr: float
    arr_renewing_90d: float
    arr_renewing_this_quarter: float
    arr_at_risk: float
    open_risks: int
    todos: int


@dataclass
class TodayReport:
    as_of: date
    timezone: str
    days: int
    agenda: list[AgendaItem]
    todos: list[TodoOut]
    risks: list[RiskOut]
    summary: Summary
    hints: list[str]


def agenda_rows(runner: Runner, first: date, last: date, zone: ZoneInfo) -> list[dict[str, object]]:
    """Occurrences touching [first, last] in the user's zone: one indexed range query, no .ics parsing."""
    utc_start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
    utc_end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    wall_start = datetime.combine(first, time(0), tzinfo=UTC)  # floating times are stored as wall time
    wall_end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
    return runner.rows(
        """SELECT e.title, e.location, e.all_day, e.floating, e.starts_at, e.ends_at, e.start_date, e.end_date,
                  e.attendees, e.account_id, a.name AS account
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


def agenda(runner: Runner, evaluation: Evaluation, days: int, zone: ZoneInfo) -> list[AgendaItem]:
    first = evaluation.as_of
    last = first + timedelta(days=days - 1)
    items: list[AgendaItem] = []
    for row in agenda_rows(runner, first, last, zone):
        attendees = json.loads(str(row["attendees"] or "[]"))
        account_id = row["account_id"]
        brief = None
        if isinstance(account_id, int):
            facts = evaluation.account(account_id)
            health = evaluation.health.get(account_id)
            if facts is not None and health is not None:
                brief = AccountBrief(
                    band=health.band,
                    health=health.score,
                    days_to_renewal=facts.days_to_renewal(evaluation.as_of),
                    open_risks=len(evaluation.open_risks(account_id)),
                )
        account = str(row["account"]) if row["account"] else None
        if row["all_day"]:
            start_day = as_date(row["start_date"]) or first
            end_day = as_date(row["end_date"]) or start_day
            for offset in range((min(end_day, last) - max(start_day, first)).days + 1):
                day = max(start_day, first) + timedelta(days=offset)
                items.append(_item(row, day, day, None, True, account, attendees, brief))
            continue
        start = as_datetime(row["starts_at"])
        end = as_datetime(row["ends_at"])
        assert start is not None
        if row["floating"]:
            start = start.replace(tzinfo=zone)
            end = end.replace(tzinfo=zone) if end else None
        else:
            start = start.astimezone(zone)
            end = end.astimezone(zone) if end else None
        # a meeting running over midnight shows on each day it touches
        day = max(start.date(), first)
        final = min((end - timedelta(microseconds=1)).date() if end and end > start else start.date(), last)
        while day <= final:
            items.append(_item(row, day, start, end, False, account, attendees, brief))
            day += timedelta(days=1)
    items.sort(
        key=lambda i: (i.day, not i.all_day, i.start if isinstance(i.start, datetime) else i.day.isoformat(), i.title)
    )
    return items


def _item(
    row: dict[str, object],
    day: date,
    start: datetime | date,
    end: datetime | date | None,
    all_day: bool,
    account: str | None,
    attendees: list[str],
    brief: AccountBrief | None,
) -> AgendaItem:
    return AgendaItem(
        start=start,
        end=end,
        all_day=all_day,
        title=str(row["title"]),
        account=account,
        attendees=attendees,
        location=str(row["location"]) if row["location"] else None,
        day=day,
        internal=account is None,
        brief=brief,
        prep=f'csm prep "{account}"' if account else None,
    )


def summary(evaluation: Evaluation, todos: int) -> Summary:
    as_of = evaluation.as_of
    accounts = [a for a in evaluation.book.accounts if not a.is_churned]
    quarter_end = end_of_quarter(as_of)
    at_risk_ids = {r.account_id for r in evaluation.risks if r.severity in ("high", "critical")}

    def renewing_by(day: date) -> float:
        return sum(a.arr or 0 for a in accounts if a.renewal_date and as_of <= a.renewal_date <= day)

    return Summary(
        accounts=len(accounts),
        arr=sum(a.arr or 0 for a in accounts),
        arr_renewing_90d=renewing_by(as_of + timedelta(days=90)),
        arr_renewing_this_quarter=renewing_by(quarter_end),
        arr_at_risk=sum(a.arr or 0 for a in accounts if a.id in at_risk_ids),
        open_risks=len(evaluation.risks),
        todos=todos,
    )


def hints(runner: Runner, evaluation: Evaluation) -> list[str]:
    """What to run next when the book is empty or partial: a blank screen teaches nothing."""
    flags = runner.rows(
        "SELECT EXISTS (SELECT 1 FROM calendars) AS calendar, EXISTS (SELECT 1 FROM accounts) AS accounts"
    )[0]
    found = []
    if not flags["accounts"]:
        found.append("No accounts yet: 'csm import accounts FILE' (Salesforce, HubSpot, ChurnZero or csm CSV) "
                     "or 'csm account add NAME'; 'csm demo' shows a full example book.")  # fmt: skip
    if not flags["calendar"]:
        found.append(
            "No calendar imported: 'csm import calendar FILE.ics' (Google, Outlook or Apple) puts your meetings first."
        )
    book = evaluation.book
    if flags["accounts"] and not book.has_tickets:
        found.append(
            "No support tickets imported: 'csm import tickets FILE' (Zendesk export) turns on the support risk rules."
        )
    if flags["accounts"] and not book.has_surveys:
        found.append("No survey answers imported: 'csm import surveys FILE' adds NPS to health and sentiment risks.")
    if flags["accounts"] and not book.has_usage:
        found.append("No usage data: 'csm import usage FILE' adds adoption to the health score.")
    return found


def today_report(runner: Runner, evaluation: Evaluation, zone: ZoneInfo, config: Config, *, days: int) -> TodayReport:
    todos = visible_todos(evaluation, due_within=days - 1)
    return TodayReport(
        as_of=evaluation.as_of,
        timezone=str(zone.key),
        days=days,
        agenda=agenda(runner, evaluation, days, zone),
        todos=[todo_out(t, evaluation.as_of) for t in todos],
        risks=[risk_out(r, evaluation.as_of) for r in evaluation.risks],
        summary=summary(evaluation, len(todos)),
        hints=hints(runner, evaluation),
    )
