"""`csm today`: the handbook's morning order — the calendar first, then the to-dos, then the risks — and a summary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from csm.db.agenda import agenda_rows, book_contents
from csm.db.runner import Runner, as_date, as_datetime
from csm.domain.dates import quarter_end as end_of_quarter
from csm.domain.meetings import DECLINED, INTERNAL, Me
from csm.domain.words import currency_code
from csm.reports.items import TodoItem, mine_or_late
from csm.reports.models import RiskOut, TodoOut
from csm.reports.worklist import Worklist

if TYPE_CHECKING:
    from csm.config import Config


@dataclass(eq=False)
class AccountBrief:
    """What the morning shows beside an account's meeting: health, renewal, open risks."""

    band: str
    health: float | None
    days_to_renewal: int | None
    open_risks: int


@dataclass(eq=False)
class AgendaItem:
    """A calendar event of the day, matched to its account where one is."""

    start: datetime | date
    end: datetime | date | None
    all_day: bool
    title: str
    account: str | None
    attendees: list[str]
    location: str | None
    day: date
    internal: bool  # every other attendee a colleague
    brief: AccountBrief | None
    prep: str | None
    kind: str = "customer"  # customer, internal, external, personal (csm.domain.meetings)
    label: str = "customer"  # the kind in words: "external: globex.example"
    rsvp: str | None = None  # the CSM's own answer; None when the calendar does not say (read as accepted)


@dataclass(eq=False)
class Money:
    """The summary's figures in one currency: money is never converted, so a book in two is summed per currency."""

    currency: str  # ISO code; USD where an account names none
    arr: float = 0.0
    arr_renewing_90d: float = 0.0
    arr_renewing_this_quarter: float = 0.0
    arr_at_risk: float = 0.0
    arr_renewal_overdue: float = 0.0


@dataclass(eq=False)
class Summary:
    """The morning's last lines: the book's accounts, ARR, renewals and what is open. The figures add every
    currency at face value; `by_currency` holds them per currency (one entry for a book in one)."""

    accounts: int
    arr: float
    arr_renewing_90d: float
    arr_renewing_this_quarter: float
    arr_at_risk: float
    open_risks: int
    todos: int
    others_left_out: int = 0  # accounts of other owners --mine left out of the day
    arr_renewal_overdue: float = 0.0  # renewal date passed, neither renewed nor churned: not in arr_renewing_90d
    by_currency: list[Money] = field(default_factory=list)  # the currencies in ISO order


@dataclass(eq=False)
class TodayReport:
    """`csm today`: the calendar, the to-dos, the risks and the summary of a day."""

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
    # what falls due in the week after the days shown (up to 7 days after today), the soonest first
    this_week: list[TodoOut] = field(default_factory=list)
    this_week_total: int = 0
    sources: list[SourceFreshness] = field(default_factory=list)
    declined: int = 0  # meetings of the days shown that the CSM declined: left out of the agenda


@dataclass(eq=False)
class SourceFreshness:
    """How fresh a source's data is: from when (`synced_at`), whether its last sync failed and why (secrets masked),
    and `fresh` when its last sync succeeded within [sync] max_age_minutes."""

    name: str
    kind: str
    location: str
    synced_at: datetime | None
    checked_at: datetime | None
    outcome: str | None
    error: str | None
    age_minutes: int | None
    fresh: bool
    note: str | None = None  # for a source that is not fresh: how old its data is, and why


def agenda(
    runner: Runner, worklist: Worklist, days: int, zone: ZoneInfo, config: Config
) -> tuple[list[AgendaItem], int]:
    """The days' meetings, each with its kind, the CSM's answer and its account's brief; and how many meetings
    the CSM declined (left out)."""
    from csm.importers.expansion import expanded_for

    first = worklist.as_of
    last = first + timedelta(days=days - 1)
    with expanded_for(runner, first, last, zone, config):
        rows = agenda_rows(runner, first, last, zone)
    declined = {(r["title"], str(r["starts_at"] or r["start_date"])) for r in rows if r["rsvp"] == DECLINED}
    rows = [r for r in rows if r["rsvp"] != DECLINED]
    briefs = {}
    for account_id in {r["account_id"] for r in rows if isinstance(r["account_id"], int)}:
        briefs[account_id] = account_brief(worklist, account_id)
    me = Me.of(config)
    items: list[AgendaItem] = []
    for row in rows:
        attendees = json.loads(str(row["attendees"] or "[]"))
        account_id = row["account_id"]
        brief = briefs.get(account_id) if isinstance(account_id, int) else None
        account = str(row["account"]) if row["account"] else None
        organizer = str(row["organizer"]) if row["organizer"] else None
        kind = str(row["kind"] or me.kind(attendees, organizer, account_id if isinstance(account_id, int) else None))
        meeting = (kind, me.label(kind, attendees, organizer), row["rsvp"])
        if row["all_day"]:
            start_day = as_date(row["start_date"]) or first
            end_day = as_date(row["end_date"]) or start_day
            for offset in range((min(end_day, last) - max(start_day, first)).days + 1):
                day = max(start_day, first) + timedelta(days=offset)
                items.append(_item(row, day, day, None, True, account, attendees, brief, meeting))
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
            items.append(_item(row, day, start, end, False, account, attendees, brief, meeting))
            day += timedelta(days=1)
    items.sort(
        key=lambda i: (i.day, not i.all_day, i.start if isinstance(i.start, datetime) else i.day.isoformat(), i.title)
    )
    return items, len(declined)


def account_brief(worklist: Worklist, account_id: int) -> AccountBrief:
    """Health of the day, days to renewal and open risks of an account on the agenda."""
    score, band = worklist.health.get(account_id, (None, "n/a"))
    renewal = worklist.renewals.get(account_id)
    return AccountBrief(
        band=band,
        health=score,
        days_to_renewal=(renewal - worklist.as_of).days if renewal else None,
        open_risks=worklist.risk_counts.get(account_id, 0),
    )


def _item(
    row: dict[str, object],
    day: date,
    start: datetime | date,
    end: datetime | date | None,
    all_day: bool,
    account: str | None,
    attendees: list[str],
    brief: AccountBrief | None,
    meeting: tuple[str, str, str | None],
) -> AgendaItem:
    kind, label, rsvp = meeting
    return AgendaItem(
        start=start,
        end=end,
        all_day=all_day,
        title=str(row["title"]),
        account=account,
        attendees=attendees,
        location=str(row["location"]) if row["location"] else None,
        day=day,
        internal=kind == INTERNAL,
        brief=brief,
        prep=f'csm prep "{account}"' if account else None,
        kind=kind,
        label=label,
        rsvp=str(rsvp) if rsvp else None,
    )


def summary(worklist: Worklist, *, todos: int) -> Summary:
    """Accounts, ARR, ARR renewing in 90 days and this quarter, ARR whose renewal date passed with neither a renewal
    nor a churn recorded, and ARR with an open high or critical risk: per currency, and added at face value."""
    as_of = worklist.as_of
    in_90, quarter_end = as_of + timedelta(days=90), end_of_quarter(as_of)
    at_risk = {r.account_id for r in worklist.risks if r.severity in ("high", "critical")}
    sums: dict[str, Money] = {}
    for account_id, value, renewal, currency in worklist.active_accounts:
        code = currency_code(currency)
        if code not in sums:
            sums[code] = Money(code)
        totals, money = sums[code], value or 0.0
        totals.arr += money
        if renewal is not None and renewal < as_of:  # passed, and neither renewed nor churned: still to win
            totals.arr_renewal_overdue += money
        if renewal is not None and as_of <= renewal <= in_90:
            totals.arr_renewing_90d += money
        if renewal is not None and as_of <= renewal <= quarter_end:
            totals.arr_renewing_this_quarter += money
        if account_id in at_risk:
            totals.arr_at_risk += money
    by_currency = [sums[code] for code in sorted(sums)]

    def added(figure: str) -> float:
        return sum((getattr(m, figure) for m in by_currency), 0.0)

    return Summary(
        accounts=len(worklist.active_accounts),
        arr=added("arr"),
        arr_renewing_90d=added("arr_renewing_90d"),
        arr_renewing_this_quarter=added("arr_renewing_this_quarter"),
        arr_at_risk=added("arr_at_risk"),
        open_risks=len(worklist.risks),
        todos=todos,
        arr_renewal_overdue=added("arr_renewal_overdue"),
        by_currency=by_currency,
    )


WEEK = 7  # the "this week" tail: what falls due in the days after today, up to a week ahead


def this_week(worklist: Worklist, days: int) -> list[TodoItem]:
    """Open to-dos that fall due (or come back from a deferral) after the days shown and within a week of today,
    the soonest first, the most urgent first on a day."""
    after, last = worklist.as_of + timedelta(days=days - 1), worklist.as_of + timedelta(days=WEEK)
    ahead = [t for t in worklist.todos if t.effective_due is not None and after < t.effective_due <= last]
    return sorted(ahead, key=lambda t: (t.effective_due, -t.urgency))


def hints(runner: Runner) -> list[str]:
    """What to run next when the book is empty or partial: a blank screen teaches nothing."""
    flags = book_contents(runner)
    found = []
    if not flags["accounts"]:
        found.append("No accounts yet: 'csm import accounts FILE' (Salesforce, HubSpot, ChurnZero or csm CSV) "
                     "or 'csm account add NAME'; 'csm demo' shows a full example book.")  # fmt: skip
    if not flags["calendar"]:
        found.append(
            "No calendar imported: 'csm source add calendar ADDRESS' (your calendar's secret iCal link, or a vdir) "
            "puts your meetings first every morning, 'csm import calendar FILE.ics' once; see the README's "
            "'Set up your mornings'."
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


def _unowned_hint(count: int) -> list[str]:
    if not count:
        return []
    accounts = "1 account has" if count == 1 else f"{count} accounts have"
    return [
        f"{accounts} no owner in this team book and {'is' if count == 1 else 'are'} left out of your day: "
        "'csm today --all-owners' shows every account; 'csm account edit NAME --owner EMAIL' gives one an owner."
    ]


def source_freshness(
    runner: Runner, config: Config, zone: ZoneInfo, *, owners: tuple[str, ...] | None
) -> list[SourceFreshness]:
    """Each source's freshness (of these owners; None: all), as the clock says now."""
    from csm.clock import now_utc
    from csm.db.sources import all_sources, owned_by
    from csm.sources.locations import masked

    now = now_utc()
    found = []
    for source in all_sources(runner):
        if not owned_by(source, owners):
            continue
        synced = source["synced_at"]
        age = max(0, int((now - synced).total_seconds() // 60)) if synced is not None else None
        fresh = source["outcome"] != "failed" and age is not None and age <= config.sync.max_age_minutes
        item = SourceFreshness(
            name=str(source["name"]), kind=str(source["kind"]), location=masked(str(source["location"])),
            synced_at=synced, checked_at=source["checked_at"], outcome=source["outcome"], error=source["error"],
            age_minutes=age, fresh=fresh,
        )  # fmt: skip
        item.note = None if fresh else stale_note(item, now, zone)
        found.append(item)
    return found


def stale_note(source: SourceFreshness, now: datetime, zone: ZoneInfo) -> str:
    """'calendar 'work' is from 07:10 yesterday: could not refresh (connection refused)'."""
    from csm.domain.words import moment_words

    head = f"{source.kind} '{source.name}'"
    start = f"{head} has no data yet" if source.synced_at is None else (
        f"{head} is from {moment_words(source.synced_at, now, zone)}")  # fmt: skip
    if source.outcome == "failed" and source.error:
        reason = source.error
        return (
            f"{start}: could not refresh ({reason})" if len(reason) <= 60 else f"{start}: could not refresh: {reason}"
        )
    return f"{start}: not refreshed since ('csm sync {source.name}' refreshes it)"


def today_report(
    runner: Runner,
    worklist: Worklist,
    zone: ZoneInfo,
    config: Config,
    *,
    days: int,
    limit: int | None = None,
    unowned_left_out: int = 0,
    mine: bool = False,
) -> TodayReport:
    """The morning read of the day's worklist: to-dos due by the last day shown, what falls due in the week after
    (`this_week`), risks, agenda and summary.

    `limit` keeps only the most urgent to-dos and most severe risks (what fits a screen); totals count them all.
    `unowned_left_out` is how many accounts with no owner a team book's --mine left out (a hint says so). With
    `mine` (an explicit --mine), the playbook steps handed to others show only once they are late.
    """
    due = worklist.todos_due(within=days - 1)
    ahead = this_week(worklist, days)
    if mine:
        due, ahead = mine_or_late(due, worklist.as_of), mine_or_late(ahead, worklist.as_of)
    meetings, declined = agenda(runner, worklist, days, zone, config)
    return TodayReport(
        as_of=worklist.as_of,
        timezone=str(zone.key),
        days=days,
        agenda=meetings,
        todos=[worklist.todo_out(t) for t in due[:limit]],
        risks=[worklist.risk_out(r) for r in worklist.risks[:limit]],
        summary=summary(worklist, todos=len(due)),
        hints=hints(runner) + _unowned_hint(unowned_left_out),
        todos_total=len(due),
        risks_total=len(worklist.risks),
        this_week=[worklist.todo_out(t) for t in ahead[:limit]],
        this_week_total=len(ahead),
        declined=declined,
    )
