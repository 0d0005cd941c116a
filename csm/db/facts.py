"""Reading stored values, and each account's facts whole (AccountFacts) from the fact sheet.

The judge reads only the small rows its rules need (csm.db.findings); the reports that show an account's
facts in full (health with its inputs, renewals, the prep sheet, the EBR) read them here, from the same
fact sheet, so both see one set of facts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.runner import Runner
from csm.domain.facts import AccountFacts, BookFacts, GoalFacts, SupportFacts, SurveyFacts, UsageFacts


def read_day(value: Any) -> date | None:
    """A stored date as either backend returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None or value == "":
        return None
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def read_instant(value: Any) -> datetime | None:
    """A stored UTC date-time, aware, whichever backend returned it."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_day(value: Any, zone: ZoneInfo) -> date | None:
    moment = read_instant(value)
    return moment.astimezone(zone).date() if moment else None


class LocalDays:
    """Stored UTC date-times to the user's calendar days, fast: a judgement converts tens of thousands of them.

    For each UTC calendar day the zone's offset is looked up once; when it is the same all day (every day but
    the two a year when clocks change), a time's local day follows from its hour and minute alone."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.offsets: dict[str, tuple[date, int] | None] = {}

    def __call__(self, value: Any) -> date | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) < 16:
            return local_day(value, self.zone)
        utc_day = value[:10]
        known = self.offsets.get(utc_day, _NOT_SEEN)
        if known is _NOT_SEEN:
            known = self.offsets[utc_day] = self._offset(utc_day)
        if known is None:
            return local_day(value, self.zone)
        day: date = known[0]
        minute = int(value[11:13]) * 60 + int(value[14:16]) + known[1]
        return day if 0 <= minute < 1440 else day - ONE_DAY if minute < 0 else day + ONE_DAY

    def _offset(self, utc_day: str) -> tuple[date, int] | None:
        day = date.fromisoformat(utc_day)
        start = datetime.combine(day, time(0), tzinfo=UTC)
        offsets = {
            (moment.astimezone(self.zone).utcoffset() or timedelta(0)) // timedelta(minutes=1)
            for moment in (start, start + timedelta(hours=12), start + timedelta(hours=23, minutes=59))
        }
        return (day, offsets.pop()) if len(offsets) == 1 else None


ONE_DAY = timedelta(days=1)
_NOT_SEEN: Any = object()


def support_facts(
    cells: tuple[Any, ...], end: datetime, limits: tuple[int, int, int], days: LocalDays
) -> SupportFacts | None:
    """An account's support facts from the fact sheet's ticket columns (last_ticket, recent, before_, open_count,
    critical, high, oldest_open, first_critical, first_high); None when it has no ticket. `limits` are the open,
    open-critical and open-high limits: with a limit of 0, the day the first such ticket opened is the day over it."""
    last_ticket, recent, before, open_count, critical, high, oldest, first_critical, first_high = cells
    if last_ticket is None:
        return None
    oldest_at = read_instant(oldest)
    return SupportFacts(
        int(recent), int(before), int(open_count), int(critical), int(high),
        (end - oldest_at).days if oldest_at else None, days(last_ticket),
        days(oldest) if oldest and open_count > limits[0] == 0 else None,
        days(first_critical) if critical > limits[1] == 0 else None,
        days(first_high) if high > limits[2] == 0 else None,
        days(oldest),
    )  # fmt: skip


def sheet_facts(runner: Runner, params: dict[str, Any], zone: ZoneInfo, config: Config) -> BookFacts:
    """Every account of the fact sheet as AccountFacts, with its success plan, statements of work and feature
    names (read inside `csm.db.sheet.fact_sheet`)."""
    from csm.db.findings import book_flags, feature_names, over_limit_since, statements_of_work
    from csm.db.sheet import FACT_COLUMNS, SHEET

    rows = runner.tuples(f"SELECT {', '.join(FACT_COLUMNS)} FROM {SHEET} ORDER BY id")
    days = LocalDays(zone)
    end = params["end"]
    limits = (config.support.open_max, config.support.open_critical_max, config.support.open_high_max)
    accounts: list[AccountFacts] = []
    over: dict[int, SupportFacts] = {}
    with_goals, with_sows, with_features = [], [], []
    for row in rows:
        (account_id, name, segment, arr, owner, stage, contract_start, renewal, first_value, churned_on,
         cadence, sentiment, sentiment_on, created, last_touch, last_ebr, exec_attended,
         active, execs, champions, sole_name, sole_added, last_left, sponsor_left, others_last,
         last_ticket, recent, before, open_count, critical, high, oldest, first_critical, first_high,
         nps_latest, nps_on, nps_earlier, promoters, passives, detractors, logged_mood, mood_on, mood_risk,
         measured_on, active_users, seats, breadth, earlier_users, first_active,
         goals, forecast, upsell, sows, features, first_request, currency) = row  # fmt: skip
        support = support_facts(
            (last_ticket, recent, before, open_count, critical, high, oldest, first_critical, first_high),
            end, limits, days,
        )  # fmt: skip
        if support is not None and any(
            count > limit > 0 for count, limit in zip((open_count, critical, high), limits, strict=True)
        ):
            over[account_id] = support
        facts = AccountFacts(
            account_id, name, segment, arr, owner, stage, read_day(contract_start), read_day(renewal),
            read_day(first_value), read_day(churned_on), cadence, sentiment, days(created) or params["as_of"],
            read_day(last_touch), read_day(last_ebr), read_day(exec_attended), (), support,
            SurveyFacts(nps_latest, read_day(nps_on), nps_earlier, int(promoters), int(passives), int(detractors))
            if nps_latest is not None else None,
            UsageFacts(read_day(measured_on), active_users, seats, breadth, earlier_users, read_day(first_active))  # type: ignore[arg-type]
            if measured_on is not None else None,
            (), (), (), forecast, float(upsell or 0), read_day(sentiment_on), read_day(first_request),
            int(active), int(execs), int(champions), sole_name, days(sole_added), read_day(last_left),
            read_day(sponsor_left), read_day(others_last), logged_mood, read_day(mood_on), bool(mood_risk),
            currency,
        )  # fmt: skip
        accounts.append(facts)
        if goals:
            with_goals.append(account_id)
        if sows:
            with_sows.append(account_id)
        if features:
            with_features.append(account_id)
    by_id = {a.id: a for a in accounts}
    for account_id, items in plan_items(runner, with_goals).items():
        by_id[account_id].plan = tuple(items)
    for account_id, names in statements_of_work(runner, with_sows).items():
        by_id[account_id].open_sows = tuple(names)
    for account_id, names in feature_names(runner, with_features).items():
        by_id[account_id].feature_requests = tuple(names)
    over_limit_since(runner, over, params, limits, days)
    has_tickets, first_ticket = book_flags(runner, zone)
    other = runner.tuples(
        "SELECT EXISTS (SELECT 1 FROM survey_responses), EXISTS (SELECT 1 FROM usage_snapshots), "
        "EXISTS (SELECT 1 FROM interactions)"
    )[0]
    return BookFacts(has_tickets, bool(other[0]), bool(other[1]), bool(other[2]), tuple(accounts), first_ticket)


def plan_items(runner: Runner, account_ids: list[int]) -> dict[int, list[GoalFacts]]:
    """Every goal and milestone of some accounts."""
    from csm.db.findings import chunks, in_list

    found: dict[int, list[GoalFacts]] = defaultdict(list)
    for names in chunks(account_ids):
        rows = runner.tuples(
            f"""SELECT 'goal' AS kind, g.id, g.account_id, g.title, g.due, g.status, g.customer_confirmed,
                       NULL AS goal_title
                FROM goals g WHERE g.account_id IN ({in_list(names)})
                UNION ALL
                SELECT 'milestone' AS kind, m.id, g.account_id, m.title, m.due, m.status, g.customer_confirmed,
                       g.title AS goal_title
                FROM milestones m JOIN goals g ON g.id = m.goal_id WHERE g.account_id IN ({in_list(names)})""",
            names,
        )
        for kind, item_id, account_id, title, due, status, confirmed, goal_title in sorted(
            rows, key=lambda r: (r[0], r[1])
        ):
            found[account_id].append(
                GoalFacts(item_id, title, read_day(due), status, bool(confirmed), kind, goal_title)
            )
    return found
