"""The facts the rules judge, gathered for a whole scope at once: one fact sheet row per account.

`book_facts` runs one wide query (per-account aggregates joined onto the accounts: touches, people,
tickets, surveys, usage, plans, deals, requests), then a few small queries for the details only some
accounts need (the people a stakeholder rule may speak of, success-plan items, statements of work,
feature names, and since when an open-ticket count has been over its limit). Rows come back as plain
tuples and become the slotted classes of `csm.domain.facts` positionally: a book of 100,000 accounts is
judged in seconds, and the time goes into SQL, not into Python objects. A `Scope` narrows every part
to some accounts with the same constant SQL and bound parameters; nothing here judges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.facts import (
    AccountFacts,
    BookFacts,
    GoalFacts,
    Stakeholder,
    SupportFacts,
    SurveyFacts,
    UsageFacts,
)

CLOSED_TICKET = "('solved', 'closed', 'deleted')"
CRITICAL_PRIORITY = "('urgent', 'critical')"
KEY_ROLES = "('champion', 'exec_sponsor', 'decision_maker')"
IN_LIST_CHUNK = 500  # bound parameters per IN (...) list: well inside SQLite's and PostgreSQL's limits


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Midnight of `day` in the user's zone, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


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
    """Stored UTC date-times to the user's calendar days, remembered by the minute (zone offsets change only
    on whole minutes, and an import stamps thousands of rows alike)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.known: dict[Any, date | None] = {}

    def __call__(self, value: Any) -> date | None:
        if value is None or value == "":
            return None
        key = value[:16] if isinstance(value, str) else value.replace(second=0, microsecond=0)
        day = self.known.get(key, _NOT_SEEN)
        if day is _NOT_SEEN:
            day = self.known[key] = local_day(value, self.zone)
        return day


_NOT_SEEN = date.min


def _open_tickets(scope: Scope) -> str:
    """Tickets open at the end of the as-of day (solved later counts as open then), with their priority class.

    Two parts, each led by the index on solved_at: still unsolved, and solved after the day (few; asked for by id
    so that no planner walks every account's tickets to find them)."""
    classes = f"""CASE WHEN lower(priority) IN {CRITICAL_PRIORITY} THEN 1 ELSE 0 END AS is_critical,
                  CASE WHEN lower(priority) = 'high' THEN 1 ELSE 0 END AS is_high"""
    return f"""SELECT id, account_id, created_at, {classes} FROM tickets
               WHERE solved_at IS NULL AND status NOT IN {CLOSED_TICKET} AND created_at < :end AND {scope.rows_where()}
               UNION ALL
               SELECT id, account_id, created_at, {classes} FROM tickets
               WHERE id IN (SELECT s.id FROM tickets s WHERE s.solved_at >= :end)
                 AND created_at < :end AND status <> 'deleted' AND {scope.rows_where()}"""


def _sheet_sql(scope: Scope) -> str:
    """One row per account of the scope: its columns, then each aggregate the rules and health read."""
    rows = scope.rows_where
    in_scope_contacts = (
        f"AND ch.contact_id IN (SELECT s.id FROM contacts s WHERE {rows('s.account_id')})" if scope.narrowed else ""
    )
    return f"""
WITH touch AS (
    SELECT account_id, MAX(touched_on) AS last_touch FROM (
        SELECT account_id, occurred_on AS touched_on FROM interactions WHERE occurred_on <= :as_of AND {rows()}
        UNION ALL
        SELECT account_id, start_date FROM calendar_events
        WHERE account_id IS NOT NULL AND start_date < :as_of AND (status IS NULL OR upper(status) <> 'CANCELLED')
          AND {rows()}
    ) touches GROUP BY account_id
), reviews AS (
    SELECT account_id, MAX(occurred_on) AS last_ebr FROM interactions
    WHERE kind IN ('ebr', 'qbr') AND occurred_on <= :as_of AND {rows()} GROUP BY account_id
), exec_ebr AS (
    SELECT i.account_id, MAX(i.occurred_on) AS attended
    FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id JOIN contacts c ON c.id = ic.contact_id
    WHERE i.kind IN ('ebr', 'qbr') AND c.role = 'exec_sponsor' AND i.occurred_on <= :as_of AND {rows("i.account_id")}
    GROUP BY i.account_id
), others_seen AS (
    SELECT i.account_id, MAX(i.occurred_on) AS last_contact
    FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id JOIN contacts c ON c.id = ic.contact_id
    WHERE i.occurred_on >= :quiet_since AND i.occurred_on <= :as_of AND c.left_on IS NULL
      AND (c.role IS NULL OR c.role <> 'champion') AND {rows("i.account_id")}
    GROUP BY i.account_id
), changed AS (
    SELECT ch.contact_id, MAX(ch.changed_on) AS changed_on FROM contact_changes ch
    WHERE ch.field IN ('title', 'account') AND ch.changed_on <= :as_of {in_scope_contacts}
    GROUP BY ch.contact_id
), people AS (
    SELECT c.account_id,
           SUM(CASE WHEN c.left_on IS NULL THEN 1 ELSE 0 END) AS active,
           SUM(CASE WHEN c.left_on IS NULL AND c.role = 'exec_sponsor' THEN 1 ELSE 0 END) AS execs,
           SUM(CASE WHEN c.left_on IS NULL AND c.role = 'champion' THEN 1 ELSE 0 END) AS champions,
           MAX(CASE WHEN c.left_on IS NULL THEN c.name END) AS any_name,
           MAX(CASE WHEN c.left_on IS NULL THEN c.created_at END) AS any_added,
           MAX(c.left_on) AS last_left,
           MAX(CASE WHEN c.role = 'exec_sponsor' THEN c.left_on END) AS sponsor_left,
           SUM(CASE WHEN (c.role IN {KEY_ROLES} AND c.left_on >= :key_recent)
                      OR (c.role IN {KEY_ROLES} AND c.left_on IS NULL AND ch.changed_on >= :key_recent)
                      OR (c.role = 'exec_sponsor' AND c.left_on IS NULL AND c.created_at >= :new_exec_from)
                    THEN 1 ELSE 0 END) AS changed_people
    FROM contacts c LEFT JOIN changed ch ON ch.contact_id = c.id
    WHERE {rows("c.account_id")} GROUP BY c.account_id
), windows AS (
    SELECT account_id, SUM(CASE WHEN created_at >= :recent_from THEN 1 ELSE 0 END) AS recent, COUNT(*) AS both_windows
    FROM tickets WHERE created_at >= :before_from AND created_at < :end AND status <> 'deleted' AND {rows()}
    GROUP BY account_id
), loads AS (
    SELECT account_id, COUNT(*) AS open_count, SUM(is_critical) AS critical, SUM(is_high) AS high,
           MIN(created_at) AS oldest, MIN(CASE WHEN is_critical = 1 THEN created_at END) AS first_critical,
           MIN(CASE WHEN is_high = 1 THEN created_at END) AS first_high
    FROM ({_open_tickets(scope)}) open_tickets GROUP BY account_id
), answers AS (
    SELECT account_id, score, responded_on,
           ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY responded_on DESC, id DESC) AS newest
    FROM survey_responses
    WHERE lower(survey) = 'nps' AND responded_on <= :as_of AND responded_on > :year_ago AND {rows()}
), nps AS (
    SELECT account_id, MAX(CASE WHEN newest = 1 THEN score END) AS latest,
           MAX(CASE WHEN newest = 1 THEN responded_on END) AS latest_on,
           AVG(CASE WHEN newest > 1 THEN CAST(score AS DOUBLE PRECISION) END) AS earlier,
           SUM(CASE WHEN score >= :promoter_min THEN 1 ELSE 0 END) AS promoters,
           SUM(CASE WHEN score >= :passive_min AND score < :promoter_min THEN 1 ELSE 0 END) AS passives,
           SUM(CASE WHEN score < :passive_min THEN 1 ELSE 0 END) AS detractors
    FROM answers GROUP BY account_id
), measured AS (
    SELECT account_id, measured_on, active_users, licensed_seats, feature_breadth,
           ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY measured_on DESC) AS newest
    FROM usage_snapshots WHERE measured_on <= :as_of AND {rows()}
), usage_now AS (
    SELECT account_id,
           MAX(CASE WHEN newest = 1 THEN measured_on END) AS measured_on,
           MAX(CASE WHEN newest = 1 THEN active_users END) AS active_users,
           MAX(CASE WHEN newest = 1 THEN licensed_seats END) AS licensed_seats,
           MAX(CASE WHEN newest = 1 THEN feature_breadth END) AS feature_breadth,
           MIN(CASE WHEN active_users > 0
                     AND (COALESCE(licensed_seats, 0) = 0 OR active_users >= :seat_share * licensed_seats)
                    THEN measured_on END) AS first_active
    FROM measured GROUP BY account_id
), usage_then AS (
    SELECT account_id, active_users FROM (
        SELECT account_id, active_users, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY measured_on DESC) AS newest
        FROM measured WHERE measured_on <= :usage_earlier) earlier
    WHERE newest = 1
), plans AS (
    SELECT account_id, COUNT(*) AS goals FROM goals WHERE {rows()} GROUP BY account_id
), renewal_deals AS (
    SELECT account_id, forecast_category,
           ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY close_date, id) AS first_deal
    FROM opportunities
    WHERE NOT is_closed AND kind = 'renewal' AND forecast_category IS NOT NULL AND {rows()}
), deals AS (
    SELECT account_id,
           SUM(CASE WHEN kind IN ('upsell', 'cross_sell') THEN COALESCE(amount, 0) ELSE 0 END) AS upsell,
           SUM(CASE WHEN lower(name) LIKE '%sow%' OR lower(name) LIKE '%statement of work%' THEN 1 ELSE 0 END) AS sows
    FROM opportunities WHERE NOT is_closed AND {rows()} GROUP BY account_id
), requests AS (
    SELECT account_id, COUNT(*) AS features, MIN(requested_on) AS first_request FROM feature_requests
    WHERE {rows()} GROUP BY account_id
)
SELECT a.id, a.name, a.segment, a.arr, a.owner, a.lifecycle_stage, a.contract_start, a.renewal_date,
       a.first_value_on, a.churned_on, a.ebr_cadence_months, a.renewal_sentiment, a.created_at,
       a.renewal_sentiment_on,
       t.last_touch, v.last_ebr, x.attended,
       p.active, p.execs, p.champions, p.any_name, p.any_added, p.last_left, p.sponsor_left, o.last_contact,
       CASE WHEN p.changed_people > 0 OR (p.champions > 0 AND o.last_contact IS NOT NULL) THEN 1 ELSE 0 END,
       (SELECT MAX(k.created_at) FROM tickets k WHERE k.account_id = a.id AND k.created_at < :end),
       w.recent, w.both_windows, l.open_count, l.critical, l.high, l.oldest, l.first_critical, l.first_high,
       n.latest, n.latest_on, n.earlier, n.promoters, n.passives, n.detractors,
       u.measured_on, u.active_users, u.licensed_seats, u.feature_breadth, ut.active_users, u.first_active,
       g.goals, rd.forecast_category, d.upsell, d.sows, r.features, r.first_request
FROM accounts a
LEFT JOIN touch t ON t.account_id = a.id
LEFT JOIN reviews v ON v.account_id = a.id
LEFT JOIN exec_ebr x ON x.account_id = a.id
LEFT JOIN people p ON p.account_id = a.id
LEFT JOIN others_seen o ON o.account_id = a.id
LEFT JOIN windows w ON w.account_id = a.id
LEFT JOIN loads l ON l.account_id = a.id
LEFT JOIN nps n ON n.account_id = a.id
LEFT JOIN usage_now u ON u.account_id = a.id
LEFT JOIN usage_then ut ON ut.account_id = a.id
LEFT JOIN plans g ON g.account_id = a.id
LEFT JOIN renewal_deals rd ON rd.account_id = a.id AND rd.first_deal = 1
LEFT JOIN deals d ON d.account_id = a.id
LEFT JOIN requests r ON r.account_id = a.id
WHERE {scope.accounts_where()}
ORDER BY a.id"""


def book_facts(runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config) -> BookFacts:
    """Everything the rules need about the scope's accounts on `as_of`, in a fixed number of queries."""
    window = config.support.window_days
    end = day_start(as_of + timedelta(days=1), zone)
    params: dict[str, Any] = {
        "as_of": as_of,
        "end": end,
        "recent_from": day_start(as_of - timedelta(days=window - 1), zone),
        "before_from": day_start(as_of - timedelta(days=2 * window - 1), zone),
        "key_recent": as_of - timedelta(days=90),
        "quiet_since": as_of - timedelta(days=config.stakeholders.champion_absent_days),
        "new_exec_from": day_start(as_of - timedelta(days=31), zone),
        "year_ago": as_of - timedelta(days=365),
        "usage_earlier": as_of - timedelta(days=90),
        "seat_share": config.onboarding.first_value_seat_share,
        "promoter_min": config.sentiment.promoter_min,
        "passive_min": config.sentiment.passive_min,
        **scope.params(),
    }
    sheet = runner.tuples(_sheet_sql(scope), params)
    days = LocalDays(zone)
    segment_for = config.segments.segment_for
    limits = (config.support.open_max, config.support.open_critical_max, config.support.open_high_max)
    accounts: list[AccountFacts] = []
    over_limit: dict[int, AccountFacts] = {}
    wanted: dict[str, list[int]] = {"people": [], "plans": [], "sows": [], "features": []}
    for row in sheet:
        (account_id, name, segment, arr, owner, stage, contract_start, renewal, first_value, churned, cadence,
         sentiment, created, sentiment_on,
         last_touch, last_ebr, exec_attended,
         active, execs, champions, any_name, any_added, last_left, sponsor_left, others_last, changed_people,
         last_ticket, recent, both_windows, open_count, critical, high, oldest, first_critical, first_high,
         nps_latest, nps_on, nps_earlier, promoters, passives, detractors,
         measured_on, active_users, seats, breadth, earlier_users, first_active,
         goals, forecast, upsell, sows, features, first_request) = row  # fmt: skip
        support = None
        if last_ticket is not None:
            oldest_at = read_instant(oldest)
            support = SupportFacts(
                int(recent or 0),
                int(both_windows or 0) - int(recent or 0),
                int(open_count or 0),
                int(critical or 0),
                int(high or 0),
                (end - oldest_at).days if oldest_at else None,
                local_day(last_ticket, zone),
                oldest_at.astimezone(zone).date() if oldest_at and (open_count or 0) > limits[0] == 0 else None,
                days(first_critical) if (critical or 0) > limits[1] == 0 else None,
                days(first_high) if (high or 0) > limits[2] == 0 else None,
                oldest_at.astimezone(zone).date() if oldest_at else None,
            )
        facts = AccountFacts(
            account_id,
            name,
            segment or segment_for(arr),
            arr,
            owner,
            stage,
            read_day(contract_start),
            read_day(renewal),
            read_day(first_value),
            read_day(churned),
            cadence,
            sentiment,
            days(created) or as_of,
            read_day(last_touch),
            read_day(last_ebr),
            read_day(exec_attended),
            (),
            support,
            SurveyFacts(nps_latest, read_day(nps_on), nps_earlier, int(promoters), int(passives), int(detractors))
            if nps_latest is not None
            else None,
            UsageFacts(read_day(measured_on), active_users, seats, breadth, earlier_users, read_day(first_active))  # type: ignore[arg-type]
            if measured_on is not None
            else None,
            (),
            (),
            (),
            forecast,
            float(upsell or 0),
            read_day(sentiment_on),
            read_day(first_request),
            int(active or 0),
            int(execs or 0),
            int(champions or 0),
            any_name if active == 1 else None,
            days(any_added) if active == 1 else None,
            read_day(last_left),
            read_day(sponsor_left),
            read_day(others_last),
        )
        accounts.append(facts)
        if changed_people:
            wanted["people"].append(account_id)
        if goals:
            wanted["plans"].append(account_id)
        if sows:
            wanted["sows"].append(account_id)
        if features:
            wanted["features"].append(account_id)
        if support is not None and any(
            count > limit > 0 for count, limit in zip((support.open, critical or 0, high or 0), limits, strict=True)
        ):
            over_limit[account_id] = facts
    by_id = {a.id: a for a in accounts}
    for account_id, people in _stakeholders(runner, wanted["people"], params, days).items():
        by_id[account_id].stakeholders = tuple(people)
    for account_id, items in _plan_items(runner, wanted["plans"]).items():
        by_id[account_id].plan = tuple(items)
    for account_id, names in _statements_of_work(runner, wanted["sows"]).items():
        by_id[account_id].open_sows = tuple(names)
    for account_id, names in _feature_names(runner, wanted["features"]).items():
        by_id[account_id].feature_requests = tuple(names)
    _date_over_limits(runner, scope, over_limit, params, days, limits)
    return BookFacts(accounts=tuple(accounts), **_book_flags(runner, zone))


def _chunks(ids: list[int]) -> Iterator[dict[str, int]]:
    for start in range(0, len(ids), IN_LIST_CHUNK):
        yield {f"id{n}": account_id for n, account_id in enumerate(ids[start : start + IN_LIST_CHUNK])}


def _in_list(names: dict[str, int]) -> str:
    return ", ".join(":" + name for name in names)


def _stakeholders(
    runner: Runner, account_ids: list[int], params: dict[str, Any], days: LocalDays
) -> dict[int, list[Stakeholder]]:
    """The people a stakeholder rule may speak of, with the last interaction each took part in."""
    found: dict[int, list[Stakeholder]] = defaultdict(list)
    for names in _chunks(account_ids):
        rows = runner.tuples(
            f"""SELECT c.id, c.account_id, c.name, c.role, c.title, c.email, c.left_on, c.left_to, c.created_at,
                       (SELECT MAX(i.occurred_on) FROM interaction_contacts ic
                        JOIN interactions i ON i.id = ic.interaction_id
                        WHERE ic.contact_id = c.id AND i.occurred_on <= :as_of) AS last_contact,
                       (SELECT MAX(ch.changed_on) FROM contact_changes ch
                        WHERE ch.contact_id = c.id AND ch.field IN ('title', 'account') AND ch.changed_on <= :as_of)
                           AS changed_on
                FROM contacts c WHERE c.account_id IN ({_in_list(names)}) ORDER BY c.account_id, c.id""",
            {**params, **names},
        )
        quiet_since, key_recent = params["quiet_since"], params["key_recent"]
        new_from = params["as_of"] - timedelta(days=31)
        for cid, account_id, name, role, title, email, left_on, left_to, created, last_contact, changed in rows:
            person = Stakeholder(
                cid, name, role, title, email, read_day(left_on), days(created) or params["as_of"],
                read_day(last_contact), read_day(changed), left_to,
            )  # fmt: skip
            key_role = role in ("champion", "exec_sponsor", "decision_maker")
            if (
                (key_role and person.left_on is not None and person.left_on >= key_recent)
                or (key_role and person.left_on is None and person.changed_title_on and person.changed_title_on >= key_recent)
                or (role == "champion" and person.left_on is None and person.last_contact_on and person.last_contact_on < quiet_since)
                or (role == "exec_sponsor" and person.left_on is None and person.added_on >= new_from)
            ):  # fmt: skip
                found[account_id].append(person)
    return found


def _plan_items(runner: Runner, account_ids: list[int]) -> dict[int, list[GoalFacts]]:
    found: dict[int, list[GoalFacts]] = defaultdict(list)
    for names in _chunks(account_ids):
        rows = runner.tuples(
            f"""SELECT 'goal' AS kind, g.id, g.account_id, g.title, g.due, g.status, g.customer_confirmed,
                       NULL AS goal_title
                FROM goals g WHERE g.account_id IN ({_in_list(names)})
                UNION ALL
                SELECT 'milestone' AS kind, m.id, g.account_id, m.title, m.due, m.status, g.customer_confirmed,
                       g.title AS goal_title
                FROM milestones m JOIN goals g ON g.id = m.goal_id WHERE g.account_id IN ({_in_list(names)})""",
            names,
        )
        for kind, item_id, account_id, title, due, status, confirmed, goal_title in sorted(
            rows, key=lambda r: (r[0], r[1])
        ):
            found[account_id].append(
                GoalFacts(item_id, title, read_day(due), status, bool(confirmed), kind, goal_title)
            )
    return found


def _statements_of_work(runner: Runner, account_ids: list[int]) -> dict[int, list[str]]:
    """Open opportunities that are statements of work (a name with the word SOW, or saying so)."""
    found: dict[int, list[str]] = defaultdict(list)
    for names in _chunks(account_ids):
        for account_id, name in runner.tuples(
            f"""SELECT account_id, name FROM opportunities WHERE NOT is_closed AND account_id IN ({_in_list(names)})
                ORDER BY account_id, close_date, id""",
            names,
        ):
            text = (name or "").lower()
            if "sow" in text.split() or "statement of work" in text:
                found[account_id].append(name)
    return found


def _feature_names(runner: Runner, account_ids: list[int]) -> dict[int, list[str]]:
    """Each account's requested features, one per distinct feature."""
    found: dict[int, list[str]] = defaultdict(list)
    for names in _chunks(account_ids):
        for account_id, feature in runner.tuples(
            f"""SELECT account_id, MIN(feature) FROM feature_requests WHERE account_id IN ({_in_list(names)})
                GROUP BY account_id, feature_norm ORDER BY account_id, MIN(feature)""",
            names,
        ):
            found[account_id].append(feature)
    return found


def _date_over_limits(
    runner: Runner,
    scope: Scope,
    accounts: dict[int, AccountFacts],
    params: dict[str, Any],
    days: LocalDays,
    limits: tuple[int, int, int],
) -> None:
    """For accounts over a limit above zero: the creation day of the open ticket that took each count (all open,
    critical, high) one past its limit, i.e. since when the count has been over it."""
    for names in _chunks(sorted(accounts)):
        opened: dict[int, list[tuple[Any, int, int]]] = defaultdict(list)
        for account_id, created, is_critical, is_high in runner.tuples(
            f"""SELECT account_id, created_at, is_critical, is_high FROM ({_open_tickets(scope)}) open_tickets
                WHERE account_id IN ({_in_list(names)}) ORDER BY account_id, created_at, id""",
            {**params, **names},
        ):
            opened[account_id].append((created, is_critical, is_high))
        for account_id in names.values():
            support = accounts[account_id].support
            assert support is not None
            tickets = opened.get(account_id, [])
            classes = (tickets, [t for t in tickets if t[1]], [t for t in tickets if t[2]])
            over = [
                days(chosen[limit][0]) if len(chosen) > limit else None
                for chosen, limit in zip(classes, limits, strict=True)
            ]
            if limits[0]:
                support.open_over_since = over[0]
            if limits[1]:
                support.critical_over_since = over[1]
            if limits[2]:
                support.high_over_since = over[2]


def _book_flags(runner: Runner, zone: ZoneInfo) -> dict[str, Any]:
    row = runner.tuples(
        """SELECT EXISTS (SELECT 1 FROM tickets), EXISTS (SELECT 1 FROM survey_responses),
                  EXISTS (SELECT 1 FROM usage_snapshots), EXISTS (SELECT 1 FROM interactions),
                  (SELECT MIN(created_at) FROM tickets)"""
    )[0]
    return {
        "has_tickets": bool(row[0]),
        "has_surveys": bool(row[1]),
        "has_usage": bool(row[2]),
        "has_interactions": bool(row[3]),
        "first_ticket_on": local_day(row[4], zone),
    }


def ticket_days(
    runner: Runner, account_ids: Iterable[int], first: date, as_of: date, zone: ZoneInfo
) -> dict[int, list[date]]:
    """The local creation day of every ticket of some accounts from `first` to `as_of`, oldest first: what a
    windowed rule (volume, spike) needs to tell since when it has fired."""
    found: dict[int, list[date]] = defaultdict(list)
    days = LocalDays(zone)
    for names in _chunks(sorted(set(account_ids))):
        for account_id, created in runner.tuples(
            f"""SELECT account_id, created_at FROM tickets
                WHERE account_id IN ({_in_list(names)})
                  AND created_at >= :first AND created_at < :end AND status <> 'deleted'
                ORDER BY account_id, created_at""",
            {"first": day_start(first, zone), "end": day_start(as_of + timedelta(days=1), zone), **names},
        ):
            day = days(created)
            if day is not None:
                found[account_id].append(day)
    return found
