"""The fact sheet: one row per account of a scope on a day, built once in SQL as a temporary table.

Every per-account fact the rules and the health score read is aggregated here in one statement (touches,
people, tickets, surveys, usage, plans, deals, requests), with each health component's raw score beside
them. The rules are then plain SELECTs over this table (csm.db.findings), each returning only the
accounts where it fires. The table is temporary: private to the connection, in SQLite's temp store or
PostgreSQL's temp schema, never in the book, and dropped when the judgement is done.

Dates are compared with parameters computed in Python (portable); the only arithmetic on dates (days since
the last touch) goes through `Dialect.days`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.dates import add_months

SHEET = "judge_sheet"
CLOSED_TICKET = "('solved', 'closed', 'deleted')"
CRITICAL_PRIORITY = "('urgent', 'critical')"
KEY_ROLES = "('champion', 'exec_sponsor', 'decision_maker')"
# a contact's departure as known on the as-of day: a day they leave after it has not come yet
LEFT_BY = "(CASE WHEN c.left_on <= :as_of THEN c.left_on END)"
STAYING = "(c.left_on IS NULL OR c.left_on > :as_of)"


def held_with_customer(event: str = "calendar_events") -> str:
    """A calendar meeting that is a touch (when past) or covers one (when ahead): with the customer, not cancelled,
    and not declined by the CSM (csm.domain.meetings; a book from before 0007 has neither kind nor answer until its
    meetings are read again)."""
    return f"""(({event}.status IS NULL OR upper({event}.status) <> 'CANCELLED')
               AND ({event}.kind IS NULL OR {event}.kind = 'customer')
               AND ({event}.rsvp IS NULL OR {event}.rsvp <> 'declined'))"""


def last_contact_sql(contact: str = "c") -> str:
    """A contact's last contact by the as-of day: the last interaction they took part in, or the CRM's Last
    Activity Date of them where that is later."""
    logged = f"""(SELECT MAX(i.occurred_on) FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
                  WHERE ic.contact_id = {contact}.id AND i.occurred_on <= :as_of)"""
    crm = f"(CASE WHEN {contact}.last_activity_on <= :as_of THEN {contact}.last_activity_on END)"
    return f"(CASE WHEN {crm} IS NULL OR {crm} <= {logged} THEN {logged} ELSE {crm} END)"


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Midnight of `day` in the user's zone, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Dialect:
    name: str

    def day(self, instant: str) -> str:
        """The (UTC) calendar day of a stored date-time, comparable with stored dates."""
        if self.name == "sqlite":
            return f"substr({instant}, 1, 10)"
        return f"CAST({instant} AS DATE)"

    def days(self, later: str, earlier: str) -> str:
        """Whole days from one date expression to another."""
        if self.name == "sqlite":
            return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


def sheet_params(scope: Scope, as_of: date, zone: ZoneInfo, config: Config) -> dict[str, Any]:
    """Every day, instant and threshold the sheet and the rules compare with, worked out once in Python."""
    support, renewal, cadence = config.support, config.renewal, config.cadence
    window = support.window_days
    params: dict[str, Any] = {
        "as_of": as_of,
        "end": day_start(as_of + timedelta(days=1), zone),
        "recent_from": day_start(as_of - timedelta(days=window - 1), zone),
        "before_from": day_start(as_of - timedelta(days=2 * window - 1), zone),
        "long_wait_before": day_start(as_of + timedelta(days=1), zone) - timedelta(days=support.long_wait_days + 1),
        "silent_before": day_start(as_of - timedelta(days=support.silent_days - 1), zone),
        "silent_contract_after": as_of - timedelta(days=support.silent_days),
        "key_recent": as_of - timedelta(days=90),
        "quiet_since": as_of - timedelta(days=config.stakeholders.champion_absent_days),
        "new_exec_from": day_start(as_of - timedelta(days=31), zone),
        "year_ago": as_of - timedelta(days=365),
        "mood_from": as_of - timedelta(days=90),
        "negative_call_cap": config.health.negative_call_cap,
        "usage_earlier": as_of - timedelta(days=90),
        "exec_recent_from": as_of - timedelta(days=180),
        "seat_share": config.onboarding.first_value_seat_share,
        "promoter_min": config.sentiment.promoter_min,
        "passive_min": config.sentiment.passive_min,
        "enterprise_min_arr": config.segments.enterprise_min_arr,
        "mid_market_min_arr": config.segments.mid_market_min_arr,
        "reminder_days": renewal.reminder_days,
        "reminder_until": as_of + timedelta(days=renewal.reminder_days),
        "outreach_until": as_of + timedelta(days=renewal.outreach_days),
        "risk_window_until": as_of + timedelta(days=renewal.risk_window_days),
        "first_value_from": as_of - timedelta(days=config.onboarding.first_value_days),
        "activation_from": as_of - timedelta(days=config.onboarding.activation_days),
        "onboarding_until": as_of - timedelta(days=2 * config.onboarding.activation_days),
        "spike_min": support.spike_min_tickets,
        "spike_pct": support.spike_increase_pct,
        "new_tickets_max": support.new_tickets_max,
        "open_max": support.open_max,
        "open_critical_max": support.open_critical_max,
        "open_high_max": support.open_high_max,
        "milestone_until": as_of + timedelta(days=config.plan.milestone_due_days),
        "ebr_base_any": as_of + timedelta(days=cadence.ebr_prep_days) - timedelta(days=28),
        "covers_until": as_of + timedelta(days=cadence.meeting_covers_touch_days),
        "reviews_until": as_of + timedelta(days=cadence.review_planned_days),
        **scope.params(),
    }
    for segment in ("enterprise", "mid_market", "smb"):
        params[f"touch_{segment}"] = cadence.touch_days.of(segment)
        params[f"touch_before_{segment}"] = as_of - timedelta(days=cadence.touch_days.of(segment))
        # an EBR is due from `prep` days before base + cadence: only bases up to then (plus month-end slack) qualify
        months = cadence.ebr_months.of(segment)
        params[f"ebr_base_{segment}"] = add_months(as_of + timedelta(days=cadence.ebr_prep_days), -months) + timedelta(
            days=3
        )
    return params


def _segment() -> str:
    return """COALESCE(a.segment, CASE WHEN a.arr >= :enterprise_min_arr THEN 'enterprise'
                                     WHEN a.arr >= :mid_market_min_arr THEN 'mid_market' ELSE 'smb' END)"""


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


# The sheet's columns that make an account's facts whole, in the order csm.db.facts.sheet_facts reads them.
FACT_COLUMNS = (
    "id", "name", "segment", "arr", "owner", "lifecycle_stage", "contract_start", "renewal_date", "first_value_on",
    "churned_on", "ebr_cadence_months", "renewal_sentiment", "renewal_sentiment_on", "created_at",
    "last_touch", "last_ebr", "exec_attended",
    "active", "execs", "champions", "sole_name", "sole_added", "last_left", "sponsor_left", "others_last",
    "last_ticket", "recent", "before_", "open_count", "critical", "high", "oldest_open", "first_critical", "first_high",
    "nps_latest", "nps_on", "nps_earlier", "promoters", "passives", "detractors", "logged_mood", "mood_on", "mood_risk",
    "measured_on", "active_users", "licensed_seats", "feature_breadth", "earlier_users", "first_active",
    "goals", "forecast", "upsell", "sows", "features", "first_request", "currency",
)  # fmt: skip


def _sheet_select(scope: Scope, dialect: Dialect, has_tickets: bool) -> str:
    rows = scope.rows_where
    in_scope_contacts = (
        f"AND ch.contact_id IN (SELECT s.id FROM contacts s WHERE {rows('s.account_id')})" if scope.narrowed else ""
    )
    facts = f"""
WITH touch AS (
    SELECT account_id, MAX(touched_on) AS last_touch, MIN(touched_on) AS first_touch FROM (
        SELECT account_id, occurred_on AS touched_on FROM interactions WHERE occurred_on <= :as_of AND {rows()}
        UNION ALL
        SELECT id, last_activity_on FROM accounts WHERE last_activity_on <= :as_of AND {rows("id")}
        UNION ALL
        SELECT account_id, last_activity_on FROM contacts WHERE last_activity_on <= :as_of AND {rows()}
        UNION ALL
        SELECT account_id, start_date FROM calendar_events
        WHERE account_id IS NOT NULL AND start_date < :as_of AND {held_with_customer()} AND {rows()}
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
    WHERE i.occurred_on >= :quiet_since AND i.occurred_on <= :as_of AND {STAYING}
      AND (c.role IS NULL OR c.role <> 'champion') AND {rows("i.account_id")}
    GROUP BY i.account_id
), changed AS (
    SELECT ch.contact_id, MAX(ch.changed_on) AS changed_on FROM contact_changes ch
    WHERE ch.field IN ('title', 'account') AND ch.changed_on <= :as_of {in_scope_contacts}
    GROUP BY ch.contact_id
), people AS (
    SELECT c.account_id,
           SUM(CASE WHEN {STAYING} THEN 1 ELSE 0 END) AS active,
           SUM(CASE WHEN {STAYING} AND c.role = 'exec_sponsor' THEN 1 ELSE 0 END) AS execs,
           SUM(CASE WHEN {STAYING} AND c.role = 'champion' THEN 1 ELSE 0 END) AS champions,
           MAX(CASE WHEN {STAYING} THEN c.name END) AS any_name,
           MAX(CASE WHEN {STAYING} THEN c.created_at END) AS any_added,
           MAX({LEFT_BY}) AS last_left,
           MAX(CASE WHEN c.role = 'exec_sponsor' THEN {LEFT_BY} END) AS sponsor_left,
           SUM(CASE WHEN (c.role IN {KEY_ROLES} AND {LEFT_BY} >= :key_recent)
                      OR (c.role IN {KEY_ROLES} AND {STAYING} AND ch.changed_on >= :key_recent)
                      OR (c.role = 'exec_sponsor' AND {STAYING} AND c.created_at >= :new_exec_from)
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
), moods AS (
    SELECT account_id, sentiment, occurred_on,
           ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY occurred_on DESC, id DESC) AS newest
    FROM interactions
    WHERE sentiment IS NOT NULL AND occurred_on <= :as_of AND occurred_on > :mood_from AND {rows()}
), mood AS (
    SELECT m.account_id, m.occurred_on AS mood_on,
           -- a call on the day the CSM raised a risk by hand does not lift sentiment: it counts as negative
           CASE WHEN EXISTS (SELECT 1 FROM risks r WHERE r.account_id = m.account_id AND r.raised_on = m.occurred_on)
                THEN 'negative' ELSE m.sentiment END AS logged_mood,
           CASE WHEN m.sentiment <> 'negative' AND EXISTS (
                SELECT 1 FROM risks r WHERE r.account_id = m.account_id AND r.raised_on = m.occurred_on)
                THEN 1 ELSE 0 END AS mood_risk
    FROM moods m WHERE m.newest = 1
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
    SELECT account_id, COUNT(*) AS goals,
           AVG(CASE WHEN status NOT IN ('achieved', 'missed') AND due IS NOT NULL AND due < :as_of THEN 20.0
                    WHEN status = 'achieved' THEN 100.0 WHEN status = 'on_track' THEN 90.0
                    WHEN status = 'at_risk' THEN 35.0 WHEN status = 'missed' THEN 0.0 ELSE 70.0 END) AS goal_score
    FROM goals WHERE {rows()} GROUP BY account_id
), renewal_deals AS (
    SELECT account_id, forecast_category,
           ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY close_date, id) AS first_deal
    FROM opportunities
    WHERE NOT is_closed AND kind = 'renewal' AND forecast_category IS NOT NULL AND {rows()}
), deals AS (
    SELECT o.account_id,
           -- an expansion in another currency than its account's is not summed at face value (csm never converts)
           SUM(CASE WHEN o.kind IN ('upsell', 'cross_sell')
                     AND (o.currency IS NULL OR o.currency = COALESCE(oa.currency, 'USD'))
                    THEN COALESCE(o.amount, 0) ELSE 0 END) AS upsell,
           SUM(CASE WHEN lower(o.name) LIKE '%sow%' OR lower(o.name) LIKE '%statement of work%' THEN 1 ELSE 0 END)
               AS sows
    FROM opportunities o JOIN accounts oa ON oa.id = o.account_id
    WHERE NOT o.is_closed AND {rows("o.account_id")} GROUP BY o.account_id
), requests AS (
    SELECT account_id, COUNT(*) AS features, MIN(requested_on) AS first_request FROM feature_requests
    WHERE {rows()} GROUP BY account_id
), sheet AS (
SELECT a.id, a.name, {_segment()} AS segment, a.arr, a.currency, a.owner, a.lifecycle_stage, a.contract_start,
       a.renewal_date,
       a.first_value_on, a.churned_on,
       CASE WHEN a.churned_on IS NOT NULL OR a.lifecycle_stage = 'churned' THEN 1 ELSE 0 END AS churned,
       a.ebr_cadence_months, a.renewal_sentiment, a.renewal_sentiment_on, a.created_at,
       t.last_touch, v.last_ebr, x.attended AS exec_attended,
       CASE WHEN t.first_touch < {dialect.day("a.created_at")} THEN t.first_touch
            ELSE {dialect.day("a.created_at")} END AS record_from,
       COALESCE(p.active, 0) AS active, COALESCE(p.execs, 0) AS execs, COALESCE(p.champions, 0) AS champions,
       CASE WHEN p.active = 1 THEN p.any_name END AS sole_name,
       CASE WHEN p.active = 1 THEN p.any_added END AS sole_added,
       p.last_left, p.sponsor_left, o.last_contact AS others_last,
       CASE WHEN p.changed_people > 0 OR (p.champions > 0 AND o.last_contact IS NOT NULL) THEN 1 ELSE 0 END
           AS people_changed,
       (SELECT MAX(k.created_at) FROM tickets k WHERE k.account_id = a.id AND k.created_at < :end) AS last_ticket,
       COALESCE(w.recent, 0) AS recent, COALESCE(w.both_windows, 0) - COALESCE(w.recent, 0) AS before_,
       COALESCE(l.open_count, 0) AS open_count, COALESCE(l.critical, 0) AS critical, COALESCE(l.high, 0) AS high,
       l.oldest AS oldest_open, l.first_critical, l.first_high,
       n.latest AS nps_latest, n.latest_on AS nps_on, n.earlier AS nps_earlier, n.promoters, n.passives, n.detractors,
       md.logged_mood, md.mood_on, COALESCE(md.mood_risk, 0) AS mood_risk,
       u.measured_on, u.active_users, u.licensed_seats, u.feature_breadth, ut.active_users AS earlier_users,
       u.first_active,
       COALESCE(g.goals, 0) AS goals, g.goal_score, rd.forecast_category AS forecast, COALESCE(d.upsell, 0) AS upsell,
       COALESCE(d.sows, 0) AS sows, COALESCE(r.features, 0) AS features, r.first_request,
       CASE WHEN u.licensed_seats > 0 THEN
            CASE WHEN COALESCE(u.active_users, 0) >= u.licensed_seats THEN 1.0
                 ELSE COALESCE(u.active_users, 0) * 1.0 / u.licensed_seats END END AS utilisation,
       {dialect.days(":as_of", "t.last_touch")} AS touch_age,
       CASE {_segment()} WHEN 'enterprise' THEN :touch_enterprise WHEN 'mid_market' THEN :touch_mid_market
            ELSE :touch_smb END AS touch_cadence
FROM accounts a
LEFT JOIN touch t ON t.account_id = a.id
LEFT JOIN reviews v ON v.account_id = a.id
LEFT JOIN exec_ebr x ON x.account_id = a.id
LEFT JOIN people p ON p.account_id = a.id
LEFT JOIN others_seen o ON o.account_id = a.id
LEFT JOIN windows w ON w.account_id = a.id
LEFT JOIN loads l ON l.account_id = a.id
LEFT JOIN nps n ON n.account_id = a.id
LEFT JOIN mood md ON md.account_id = a.id
LEFT JOIN usage_now u ON u.account_id = a.id
LEFT JOIN usage_then ut ON ut.account_id = a.id
LEFT JOIN plans g ON g.account_id = a.id
LEFT JOIN renewal_deals rd ON rd.account_id = a.id AND rd.first_deal = 1
LEFT JOIN deals d ON d.account_id = a.id
LEFT JOIN requests r ON r.account_id = a.id
WHERE {scope.accounts_where()}
)"""
    return facts + f"\nSELECT s.*, {_health_components(has_tickets)} FROM sheet s"


def _health_components(has_tickets: bool) -> str:
    """Each health component's score before rounding (NULL where it has no data); csm.domain.health rounds,
    weighs and explains them. DOMAIN.md "Health score"; the numbers are the ones domain/health.py documents."""
    adoption = """CASE WHEN s.measured_on IS NULL OR (s.active_users IS NULL AND s.feature_breadth IS NULL) THEN NULL
                        WHEN s.utilisation IS NULL AND s.feature_breadth IS NULL THEN NULL
                        ELSE (CASE WHEN s.utilisation IS NOT NULL AND s.feature_breadth IS NOT NULL
                                   THEN 100 * (0.7 * s.utilisation + 0.3 * s.feature_breadth)
                                   ELSE 100 * COALESCE(s.utilisation, s.feature_breadth) END)
                             - (CASE WHEN s.earlier_users > 0 AND s.active_users IS NOT NULL
                                      AND (s.active_users - s.earlier_users) * 1.0 / s.earlier_users <= -0.2
                                     THEN 15 ELSE 0 END) END"""
    judged = "CASE s.renewal_sentiment WHEN 'yes' THEN 100.0 WHEN 'unsure' THEN 50.0 WHEN 'no' THEN 0.0 END"
    logged = "CASE s.logged_mood WHEN 'positive' THEN 100.0 WHEN 'neutral' THEN 50.0 WHEN 'negative' THEN 0.0 END"
    signals = f"(CASE WHEN s.nps_latest IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN ({judged}) IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN ({logged}) IS NOT NULL THEN 1 ELSE 0 END)"
    mean = f"""(COALESCE(s.nps_latest * 10.0, 0) + COALESCE({judged}, 0) + COALESCE({logged}, 0)) / {signals}"""
    sentiment = f"""CASE WHEN {signals} = 0 THEN NULL
                         WHEN s.logged_mood = 'negative' AND {mean} > :negative_call_cap THEN :negative_call_cap
                         ELSE {mean} END"""
    spike = """(CASE WHEN s.before_ = 0 THEN s.recent >= :spike_min
                     ELSE s.recent >= :spike_min AND (s.recent - s.before_) * 100 >= :spike_pct * s.before_ END)"""
    penalties = f"""(CASE WHEN s.critical > :open_critical_max THEN 40 ELSE 0 END)
                  + (CASE WHEN s.high > :open_high_max THEN 15 ELSE 0 END)
                  + (CASE WHEN s.recent > :new_tickets_max THEN 20 ELSE 0 END)
                  + (CASE WHEN s.open_count > :open_max THEN 15 ELSE 0 END)
                  + (CASE WHEN s.oldest_open <= :long_wait_before THEN 15 ELSE 0 END)
                  + (CASE WHEN {spike} THEN 25 ELSE 0 END)"""
    support = (
        f"""CASE WHEN s.last_ticket IS NULL OR s.last_ticket < :silent_before THEN
                      CASE WHEN s.contract_start > :silent_contract_after THEN 100.0 ELSE 60.0 END
                 ELSE 100.0 - ({penalties}) END"""  # the floor at 0 is csm.domain.health's
        if has_tickets
        else "NULL"
    )
    recency = """CASE WHEN s.last_touch IS NULL THEN 0.0 WHEN s.touch_age <= s.touch_cadence THEN 100.0
                      ELSE 100 * (1 - (s.touch_age - s.touch_cadence) * 1.0 / (2 * s.touch_cadence)) END"""
    engagement = f"""CASE WHEN s.active = 0 AND s.last_touch IS NULL THEN NULL ELSE
                        0.5 * (CASE WHEN ({recency}) < 0 THEN 0.0 WHEN ({recency}) > 100 THEN 100.0 ELSE ({recency}) END)
                      + 0.3 * (CASE s.active WHEN 0 THEN 0.0 WHEN 1 THEN 30.0 WHEN 2 THEN 70.0 ELSE 100.0 END)
                      + 0.2 * (CASE WHEN s.exec_attended >= :exec_recent_from THEN 100.0
                                    WHEN s.execs > 0 THEN 60.0 ELSE 0.0 END) END"""
    financial = """CASE WHEN s.renewal_date IS NULL THEN NULL ELSE
                       (CASE WHEN s.renewal_date < :as_of THEN 20.0
                             WHEN s.renewal_date <= :reminder_until THEN
                                  CASE WHEN lower(s.forecast) IN ('commit', 'closed') THEN 90.0 ELSE 60.0 END
                             ELSE 85.0 END)
                     + (CASE WHEN s.upsell > 0 THEN 10.0 ELSE 0.0 END) END"""
    return f"""({adoption}) AS h_adoption, ({sentiment}) AS h_sentiment, ({support}) AS h_support,
               ({engagement}) AS h_engagement, s.goal_score AS h_success_plan, ({financial}) AS h_financial"""


def has_tickets(runner: Runner) -> bool:
    return bool(runner.tuples("SELECT EXISTS (SELECT 1 FROM tickets)")[0][0])


@contextmanager
def fact_sheet(runner: Runner, scope: Scope, as_of: date, zone: ZoneInfo, config: Config) -> Iterator[dict[str, Any]]:
    """The scope's fact sheet on `as_of` as the temporary table SHEET, for the block; yields the parameters every
    query over it binds."""
    params = sheet_params(scope, as_of, zone, config)
    runner.execute(f"DROP TABLE IF EXISTS {SHEET}")
    select = _sheet_select(scope, Dialect(runner.dialect), has_tickets(runner))
    runner.execute(f"CREATE TEMPORARY TABLE {SHEET} AS {select}", params)
    try:
        # the queries over the sheet ask for accounts by id (IN lists, joins): unindexed, each would scan it whole
        runner.execute(f"CREATE UNIQUE INDEX {SHEET}_id ON {SHEET} (id)")
        yield params
    finally:
        runner.execute(f"DROP TABLE IF EXISTS {SHEET}")
