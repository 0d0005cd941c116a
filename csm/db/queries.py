"""Named report queries in portable SQL: set work (counts, windows, joins) done in the database.

Each function takes a Runner and plain parameters and returns plain values; `book_facts` assembles
the per-account facts the domain rules judge. A `Scope` narrows every query to some accounts
(one account, or one owner's) with the same constant SQL fragment and bound parameters.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.runner import Row, Runner, as_date, as_datetime
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


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Midnight of `day` in the user's zone, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def account_rows(runner: Runner, scope: Scope) -> list[Row]:
    return runner.rows(
        f"""SELECT a.id, a.name, a.segment, a.arr, a.owner, a.lifecycle_stage, a.contract_start, a.renewal_date,
                   a.first_value_on, a.churned_on, a.ebr_cadence_months, a.renewal_sentiment, a.created_at
            FROM accounts a WHERE {scope.accounts_where()} ORDER BY a.name""",
        scope.params(),
    )


def last_touches(runner: Runner, scope: Scope, as_of: date) -> dict[int, tuple[date | None, date | None]]:
    """Last interaction (or customer meeting before today: one later today has not happened yet) and last
    EBR/QBR, per account."""
    rows = runner.rows(
        f"""SELECT account_id, MAX(touched_on) AS last_touch, MAX(ebr_on) AS last_ebr FROM (
                SELECT account_id, occurred_on AS touched_on,
                       CASE WHEN kind IN ('ebr', 'qbr') THEN occurred_on END AS ebr_on
                FROM interactions WHERE occurred_on <= :as_of AND {scope.rows_where()}
                UNION ALL
                SELECT account_id, start_date AS touched_on, NULL AS ebr_on
                FROM calendar_events
                WHERE account_id IS NOT NULL AND start_date < :as_of
                  AND (status IS NULL OR status <> 'CANCELLED') AND {scope.rows_where()}
            ) touches GROUP BY account_id""",
        {"as_of": as_of, **scope.params()},
    )
    return {r["account_id"]: (as_date(r["last_touch"]), as_date(r["last_ebr"])) for r in rows}


def exec_at_ebr(runner: Runner, scope: Scope, as_of: date) -> dict[int, date | None]:
    rows = runner.rows(
        f"""SELECT i.account_id, MAX(i.occurred_on) AS attended
            FROM interactions i
            JOIN interaction_contacts ic ON ic.interaction_id = i.id
            JOIN contacts c ON c.id = ic.contact_id
            WHERE i.kind IN ('ebr', 'qbr') AND c.role = 'exec_sponsor' AND i.occurred_on <= :as_of
              AND {scope.rows_where("i.account_id")}
            GROUP BY i.account_id""",
        {"as_of": as_of, **scope.params()},
    )
    return {r["account_id"]: as_date(r["attended"]) for r in rows}


def stakeholders(runner: Runner, scope: Scope, as_of: date) -> dict[int, list[Stakeholder]]:
    rows = runner.rows(
        f"""SELECT c.id, c.account_id, c.name, c.role, c.title, c.email, c.left_on, c.left_to, c.created_at,
                   seen.last_contact, changed.changed_on
            FROM contacts c
            LEFT JOIN (SELECT ic.contact_id, MAX(i.occurred_on) AS last_contact
                       FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
                       WHERE i.occurred_on <= :as_of GROUP BY ic.contact_id) seen ON seen.contact_id = c.id
            LEFT JOIN (SELECT contact_id, MAX(changed_on) AS changed_on FROM contact_changes
                       WHERE field IN ('title', 'account') AND changed_on <= :as_of
                       GROUP BY contact_id) changed ON changed.contact_id = c.id
            WHERE {scope.rows_where("c.account_id")}
            ORDER BY c.account_id, c.name""",
        {"as_of": as_of, **scope.params()},
    )
    found: dict[int, list[Stakeholder]] = defaultdict(list)
    for r in rows:
        created = as_datetime(r["created_at"])
        found[r["account_id"]].append(
            Stakeholder(
                id=r["id"],
                name=r["name"],
                role=r["role"],
                title=r["title"],
                email=r["email"],
                left_on=as_date(r["left_on"]),
                added_on=created.date() if created else as_of,
                last_contact_on=as_date(r["last_contact"]),
                changed_title_on=as_date(r["changed_on"]),
                left_to=r["left_to"],
            )
        )
    return found


def support_counts(
    runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config
) -> dict[int, SupportFacts]:
    """Ticket counts per account around the as-of day: two windows, open load, and the oldest open ticket."""
    window = config.support.window_days
    end = day_start(as_of + timedelta(days=1), zone)
    open_now = f"""(solved_at IS NULL AND status NOT IN {CLOSED_TICKET}) OR solved_at >= :end"""
    rows = runner.rows(
        f"""SELECT account_id,
                   SUM(CASE WHEN created_at >= :recent_from THEN 1 ELSE 0 END) AS new_recent,
                   SUM(CASE WHEN created_at >= :before_from AND created_at < :recent_from THEN 1 ELSE 0 END)
                       AS new_before,
                   SUM(CASE WHEN {open_now} THEN 1 ELSE 0 END) AS open_count,
                   SUM(CASE WHEN ({open_now}) AND lower(priority) IN {CRITICAL_PRIORITY} THEN 1 ELSE 0 END)
                       AS open_critical,
                   SUM(CASE WHEN ({open_now}) AND lower(priority) = 'high' THEN 1 ELSE 0 END) AS open_high,
                   MIN(CASE WHEN {open_now} THEN created_at END) AS oldest_open,
                   MAX(created_at) AS last_ticket,
                   COUNT(*) AS total
            FROM tickets
            WHERE created_at < :end AND status <> 'deleted' AND {scope.rows_where()}
            GROUP BY account_id""",
        {
            "end": end,
            "recent_from": day_start(as_of - timedelta(days=window - 1), zone),
            "before_from": day_start(as_of - timedelta(days=2 * window - 1), zone),
            **scope.params(),
        },
    )
    facts = {}
    for r in rows:
        oldest = as_datetime(r["oldest_open"])
        last = as_datetime(r["last_ticket"])
        facts[r["account_id"]] = SupportFacts(
            new_recent=int(r["new_recent"] or 0),
            new_before=int(r["new_before"] or 0),
            open=int(r["open_count"] or 0),
            open_critical=int(r["open_critical"] or 0),
            open_high=int(r["open_high"] or 0),
            longest_wait_days=(end - oldest).days if oldest else None,
            last_ticket_on=last.astimezone(zone).date() if last else None,
            total=int(r["total"] or 0),
        )
    return facts


def survey_facts(runner: Runner, scope: Scope, as_of: date, config: Config) -> dict[int, SurveyFacts]:
    """NPS answers of the past year per account: the latest, the average before it, and the mix."""
    rows = runner.rows(
        f"""SELECT account_id, responded_on, score FROM survey_responses
            WHERE lower(survey) = 'nps' AND responded_on <= :as_of AND responded_on > :year_ago
              AND {scope.rows_where()}
            ORDER BY account_id, responded_on, id""",
        {"as_of": as_of, "year_ago": as_of - timedelta(days=365), **scope.params()},
    )
    answers: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for r in rows:
        day = as_date(r["responded_on"])
        if day is not None:
            answers[r["account_id"]].append((day, int(r["score"])))
    rules = config.sentiment
    facts = {}
    for account_id, scores in answers.items():
        latest_on, latest = scores[-1]
        earlier = [s for _, s in scores[:-1]]
        facts[account_id] = SurveyFacts(
            latest_score=latest,
            latest_on=latest_on,
            earlier_average=sum(earlier) / len(earlier) if earlier else None,
            promoters=sum(s >= rules.promoter_min for _, s in scores),
            passives=sum(rules.passive_min <= s < rules.promoter_min for _, s in scores),
            detractors=sum(s < rules.passive_min for _, s in scores),
        )
    return facts


def usage_facts(runner: Runner, scope: Scope, as_of: date, config: Config) -> dict[int, UsageFacts]:
    """The latest usage snapshot, the one about 90 days before it, and the first day usage showed first value
    (enough of the licensed seats active; any active user where seats are unknown)."""
    rows = runner.rows(
        f"""SELECT u.account_id, u.measured_on, u.active_users, u.licensed_seats, u.feature_breadth,
                   (SELECT e.active_users FROM usage_snapshots e
                     WHERE e.account_id = u.account_id AND e.measured_on <= :earlier
                     ORDER BY e.measured_on DESC LIMIT 1) AS earlier_active,
                   firsts.first_active
            FROM usage_snapshots u
            JOIN (SELECT account_id, MAX(measured_on) AS latest FROM usage_snapshots
                  WHERE measured_on <= :as_of AND {scope.rows_where()} GROUP BY account_id) last
              ON last.account_id = u.account_id AND last.latest = u.measured_on
            LEFT JOIN (SELECT account_id, MIN(measured_on) AS first_active FROM usage_snapshots
                       WHERE active_users > 0 AND measured_on <= :as_of
                         AND (COALESCE(licensed_seats, 0) = 0 OR active_users >= :seat_share * licensed_seats)
                       GROUP BY account_id) firsts
              ON firsts.account_id = u.account_id""",
        {
            "as_of": as_of,
            "earlier": as_of - timedelta(days=90),
            "seat_share": config.onboarding.first_value_seat_share,
            **scope.params(),
        },
    )
    facts = {}
    for r in rows:
        measured = as_date(r["measured_on"])
        assert measured is not None
        facts[r["account_id"]] = UsageFacts(
            measured_on=measured,
            active_users=r["active_users"],
            licensed_seats=r["licensed_seats"],
            feature_breadth=r["feature_breadth"],
            earlier_active_users=r["earlier_active"],
            first_active_on=as_date(r["first_active"]),
        )
    return facts


def plan_items(runner: Runner, scope: Scope) -> dict[int, list[GoalFacts]]:
    rows = runner.rows(
        f"""SELECT 'goal' AS kind, g.id, g.account_id, g.title, g.due, g.status, g.customer_confirmed,
                   NULL AS goal_title
            FROM goals g WHERE {scope.rows_where("g.account_id")}
            UNION ALL
            SELECT 'milestone' AS kind, m.id, g.account_id, m.title, m.due, m.status, g.customer_confirmed,
                   g.title AS goal_title
            FROM milestones m JOIN goals g ON g.id = m.goal_id WHERE {scope.rows_where("g.account_id")}""",
        scope.params(),
    )
    found: dict[int, list[GoalFacts]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r["kind"], r["id"])):
        found[r["account_id"]].append(
            GoalFacts(
                id=r["id"],
                title=r["title"],
                due=as_date(r["due"]),
                status=r["status"],
                customer_confirmed=bool(r["customer_confirmed"]),
                kind=r["kind"],
                goal_title=r["goal_title"],
            )
        )
    return found


def pipeline(runner: Runner, scope: Scope) -> dict[int, dict[str, Any]]:
    """Open SOWs, the renewal's forecast category and open expansion, per account."""
    rows = runner.rows(
        f"""SELECT account_id, name, kind, amount, forecast_category, close_date FROM opportunities
            WHERE NOT is_closed AND {scope.rows_where()} ORDER BY account_id, close_date""",
        scope.params(),
    )
    found: dict[int, dict[str, Any]] = defaultdict(lambda: {"sows": [], "forecast": None, "upsell": 0.0})
    for r in rows:
        entry = found[r["account_id"]]
        name = r["name"] or ""
        if "sow" in name.lower().split() or "statement of work" in name.lower():
            entry["sows"].append(name)
        if r["kind"] == "renewal" and entry["forecast"] is None:
            entry["forecast"] = r["forecast_category"]
        if r["kind"] in ("upsell", "cross_sell"):
            entry["upsell"] += float(r["amount"] or 0)
    return found


def requested_features(runner: Runner, scope: Scope) -> dict[int, list[str]]:
    rows = runner.rows(
        f"""SELECT account_id, MIN(feature) AS feature FROM feature_requests WHERE {scope.rows_where()}
            GROUP BY account_id, feature_norm ORDER BY account_id, MIN(feature)""",
        scope.params(),
    )
    found: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        found[r["account_id"]].append(r["feature"])
    return found


def book_flags(runner: Runner) -> dict[str, bool]:
    row = runner.rows(
        """SELECT EXISTS (SELECT 1 FROM tickets) AS has_tickets,
                  EXISTS (SELECT 1 FROM survey_responses) AS has_surveys,
                  EXISTS (SELECT 1 FROM usage_snapshots) AS has_usage,
                  EXISTS (SELECT 1 FROM interactions) AS has_interactions"""
    )[0]
    return {key: bool(value) for key, value in row.items()}


def book_facts(runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config) -> BookFacts:
    """Everything the rules need about the scope's accounts on `as_of`, in a fixed number of queries."""
    touches = last_touches(runner, scope, as_of)
    execs = exec_at_ebr(runner, scope, as_of)
    people = stakeholders(runner, scope, as_of)
    support = support_counts(runner, scope, as_of, zone, config)
    surveys = survey_facts(runner, scope, as_of, config)
    usage = usage_facts(runner, scope, as_of, config)
    plans = plan_items(runner, scope)
    deals = pipeline(runner, scope)
    features = requested_features(runner, scope)
    accounts = []
    for r in account_rows(runner, scope):
        account_id = r["id"]
        created = as_datetime(r["created_at"])
        last_touch, last_ebr = touches.get(account_id, (None, None))
        deal = deals.get(account_id, {"sows": [], "forecast": None, "upsell": 0.0})
        accounts.append(
            AccountFacts(
                id=account_id,
                name=r["name"],
                segment=r["segment"] or config.segments.segment_for(r["arr"]),
                arr=r["arr"],
                owner=r["owner"],
                lifecycle_stage=r["lifecycle_stage"],
                contract_start=as_date(r["contract_start"]),
                renewal_date=as_date(r["renewal_date"]),
                first_value_on=as_date(r["first_value_on"]),
                churned_on=as_date(r["churned_on"]),
                ebr_cadence_months=r["ebr_cadence_months"],
                renewal_sentiment=r["renewal_sentiment"],
                created_on=created.astimezone(zone).date() if created else as_of,
                last_touch_on=last_touch,
                last_ebr_on=last_ebr,
                exec_attended_ebr_on=execs.get(account_id),
                stakeholders=tuple(people.get(account_id, ())),
                support=support.get(account_id),
                surveys=surveys.get(account_id),
                usage=usage.get(account_id),
                plan=tuple(plans.get(account_id, ())),
                open_sows=tuple(deal["sows"]),
                feature_requests=tuple(features.get(account_id, ())),
                renewal_forecast=deal["forecast"],
                open_upsell_amount=deal["upsell"],
            )
        )
    flags = book_flags(runner)
    return BookFacts(accounts=tuple(accounts), **flags)


def health_before(runner: Runner, scope: Scope, day: date) -> dict[int, tuple[date, float | None]]:
    """Each account's latest stored health score on or before `day` (for trends)."""
    rows = runner.rows(
        f"""SELECT h.account_id, h.taken_on, h.score FROM health_snapshots h
            JOIN (SELECT account_id, MAX(taken_on) AS taken_on FROM health_snapshots
                  WHERE taken_on <= :day AND {scope.rows_where()} GROUP BY account_id) latest
              ON latest.account_id = h.account_id AND latest.taken_on = h.taken_on""",
        {"day": day, **scope.params()},
    )
    found = {}
    for r in rows:
        taken = as_date(r["taken_on"])
        assert taken is not None
        found[r["account_id"]] = (taken, r["score"])
    return found
