"""`csm today`: the handbook's morning order — the calendar first, then the to-dos, then the risks — and a summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csm.config import Config, config_stamp
from csm.db.runner import Runner, as_date, as_datetime
from csm.db.scope import Scope
from csm.db.worklist import count_risks, count_tasks, evaluation_is_current, ranked_risks, ranked_tasks
from csm.domain.dates import quarter_end as end_of_quarter
from csm.reports.models import RiskOut, TodoOut


@dataclass(eq=False)
class AccountBrief:
    band: str
    health: float | None
    days_to_renewal: int | None
    open_risks: int


@dataclass(eq=False)
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


@dataclass(eq=False)
class Summary:
    accounts: int
    arr: float
    arr_renewing_90d: float
    arr_renewing_this_quarter: float
    arr_at_risk: float
    open_risks: int
    todos: int


@dataclass(eq=False)
class TodayReport:
    as_of: date
    timezone: str
    days: int
    agenda: list[AgendaItem]
    todos: list[TodoOut]
    risks: list[RiskOut]
    summary: Summary
    hints: list[str]
    todos_total: int = 0  # `todos` may hold only the first ones (see `limit`)
    risks_total: int = 0


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


def agenda(runner: Runner, as_of: date, days: int, zone: ZoneInfo) -> list[AgendaItem]:
    first = as_of
    last = first + timedelta(days=days - 1)
    rows = agenda_rows(runner, first, last, zone)
    briefs = account_briefs(runner, {r["account_id"] for r in rows if isinstance(r["account_id"], int)}, as_of)
    items: list[AgendaItem] = []
    for row in rows:
        attendees = json.loads(str(row["attendees"] or "[]"))
        account_id = row["account_id"]
        brief = briefs.get(account_id) if isinstance(account_id, int) else None
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


def account_briefs(runner: Runner, account_ids: set[int], as_of: date) -> dict[int, AccountBrief]:
    """Health of the day, days to renewal and open risks of the accounts on the agenda."""
    if not account_ids:
        return {}
    names = {f"a{i}": account_id for i, account_id in enumerate(sorted(account_ids))}
    rows = runner.rows(
        f"""SELECT a.id, a.renewal_date, h.score, h.band,
                   (SELECT COUNT(*) FROM risks r WHERE r.account_id = a.id AND r.status = 'open') AS open_risks
            FROM accounts a LEFT JOIN health_snapshots h ON h.account_id = a.id AND h.taken_on = :as_of
            WHERE a.id IN ({", ".join(":" + name for name in names)})""",
        {"as_of": as_of, **names},
    )
    briefs = {}
    for row in rows:
        renewal = as_date(row["renewal_date"])
        briefs[int(row["id"])] = AccountBrief(
            band=row["band"] or "n/a",
            health=row["score"],
            days_to_renewal=(renewal - as_of).days if renewal else None,
            open_risks=int(row["open_risks"] or 0),
        )
    return briefs


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


def summary(runner: Runner, scope: Scope, as_of: date, *, todos: int, risks: int) -> Summary:
    """Accounts, ARR, ARR renewing in 90 days and this quarter, and ARR with an open high or critical risk."""
    row = runner.rows(
        f"""SELECT COUNT(*) AS accounts, SUM(a.arr) AS arr,
                   SUM(CASE WHEN a.renewal_date BETWEEN :as_of AND :in_90 THEN a.arr ELSE 0 END) AS renewing_90d,
                   SUM(CASE WHEN a.renewal_date BETWEEN :as_of AND :quarter_end THEN a.arr ELSE 0 END) AS renewing_q,
                   SUM(CASE WHEN a.id IN (SELECT r.account_id FROM risks r WHERE r.status = 'open'
                                          AND r.severity IN ('high', 'critical')) THEN a.arr ELSE 0 END) AS at_risk
            FROM accounts a
            WHERE a.churned_on IS NULL AND (a.lifecycle_stage IS NULL OR a.lifecycle_stage <> 'churned')
              AND {scope.accounts_where()}""",
        {"as_of": as_of, "in_90": as_of + timedelta(days=90), "quarter_end": end_of_quarter(as_of), **scope.params()},
    )[0]
    return Summary(
        accounts=int(row["accounts"] or 0),
        arr=float(row["arr"] or 0),
        arr_renewing_90d=float(row["renewing_90d"] or 0),
        arr_renewing_this_quarter=float(row["renewing_q"] or 0),
        arr_at_risk=float(row["at_risk"] or 0),
        open_risks=risks,
        todos=todos,
    )


def hints(runner: Runner) -> list[str]:
    """What to run next when the book is empty or partial: a blank screen teaches nothing."""
    flags = runner.rows(
        """SELECT EXISTS (SELECT 1 FROM calendars) AS calendar, EXISTS (SELECT 1 FROM accounts) AS accounts,
                  EXISTS (SELECT 1 FROM tickets) AS tickets, EXISTS (SELECT 1 FROM survey_responses) AS surveys,
                  EXISTS (SELECT 1 FROM usage_snapshots) AS usage"""
    )[0]
    found = []
    if not flags["accounts"]:
        found.append("No accounts yet: 'csm import accounts FILE' (Salesforce, HubSpot, ChurnZero or csm CSV) "
                     "or 'csm account add NAME'; 'csm demo' shows a full example book.")  # fmt: skip
    if not flags["calendar"]:
        found.append(
            "No calendar imported: 'csm import calendar FILE.ics' (Google, Outlook or Apple) puts your meetings first."
        )
    if flags["accounts"] and not flags["tickets"]:
        found.append(
            "No support tickets imported: 'csm import tickets FILE' (Zendesk export) turns on the support risk rules."
        )
    if flags["accounts"] and not flags["surveys"]:
        found.append("No survey answers imported: 'csm import surveys FILE' adds NPS to health and sentiment risks.")
    if flags["accounts"] and not flags["usage"]:
        found.append("No usage data: 'csm import usage FILE' adds adoption to the health score.")
    return found


def today_report(
    runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, *, days: int, limit: int | None = None
) -> TodayReport:
    """The morning read from the stored evaluation of `as_of` (see `ensure_evaluated`): a handful of indexed queries.

    `limit` keeps only the most urgent to-dos and most severe risks (what fits a screen); totals count them all.
    """
    due_until = as_of + timedelta(days=days - 1)
    todos = [
        stored_todo(row, as_of) for row in ranked_tasks(runner, scope, as_of=as_of, due_until=due_until, limit=limit)
    ]
    risks = [stored_risk(row, as_of) for row in ranked_risks(runner, scope, limit=limit)]
    todos_total = count_tasks(runner, scope, as_of=as_of, due_until=due_until) if limit is not None else len(todos)
    risks_total = count_risks(runner, scope) if limit is not None else len(risks)
    return TodayReport(
        as_of=as_of,
        timezone=str(zone.key),
        days=days,
        agenda=agenda(runner, as_of, days, zone),
        todos=todos,
        risks=risks,
        summary=summary(runner, scope, as_of, todos=todos_total, risks=risks_total),
        hints=hints(runner),
        todos_total=todos_total,
        risks_total=risks_total,
    )


def stored_todo(row: dict[str, object], as_of: date) -> TodoOut:
    due = as_date(row["deferred_until"]) or as_date(row["due"])
    deferrals = int(row["deferrals"] or 0)  # type: ignore[call-overload]
    return TodoOut(
        id=int(row["id"]),  # type: ignore[call-overload]
        kind="deferred" if row["kind"] == "manual" and deferrals else str(row["kind"]),
        title=str(row["title"]),
        account=str(row["account"]) if row["account"] else None,
        due=due,
        overdue_days=max(0, (as_of - due).days) if due else 0,
        deferrals=deferrals,
        deferred_until=as_date(row["deferred_until"]),
        urgency=float(row["urgency"] or 0),  # type: ignore[arg-type]
        reason=str(row["reason"]) if row["reason"] else None,
    )


def stored_risk(row: dict[str, object], as_of: date) -> RiskOut:
    raised = as_date(row["raised_on"]) or as_of
    return RiskOut(
        id=int(row["id"]),  # type: ignore[call-overload]
        account=str(row["account"]),
        category=str(row["category"]),
        severity=str(row["severity"]),
        rule=str(row["rule"]),
        evidence=str(row["evidence"]),
        first_response=str(row["first_response"]) if row["first_response"] else None,
        escalation=str(row["escalation"]) if row["escalation"] else None,
        owner=str(row["owner"]) if row["owner"] else None,
        raised_on=raised,
        new=raised == as_of,
    )


def ensure_evaluated(runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config, *, today: date) -> bool:
    """Make the stored evaluation current for `as_of` and the scope; True when the book had to be judged again.

    Today's evaluation is kept until the book, the config or the day changes. Callers evaluating
    another day (a what-if) wrap this and their reads in `runner.scratch()`, which undoes it all.
    """
    if as_of == today and evaluation_is_current(runner, scope.key, on=as_of, stamp=config_stamp(config)):
        return False
    from csm.reports.engine import evaluate  # the rules are needed only when the book changed

    evaluate(runner, scope, as_of, zone, config, persist=True)
    return True
