"""The rules' predicates as SELECTs over the fact sheet: each returns only the accounts (or people, or plan items)
whose facts put its rule in play, as the small row the rule in csm.domain words.

Where a predicate is exact in SQL it is written here whole (touch cadence, renewal windows, support thresholds);
where it is not (an EBR's date needs month arithmetic, a champion's absence a look at each person), the query
passes a superset and the domain rule decides. Either way the domain rule is the one that speaks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from csm.db.facts import LocalDays, read_day, support_facts
from csm.db.runner import Runner
from csm.db.sheet import KEY_ROLES, LEFT_BY, SHEET, held_with_customer, last_contact_sql
from csm.domain.facts import SupportFacts, SurveyFacts
from csm.domain.meetings import Scheduled
from csm.domain.risks import Gaps, Implementation, Renewing, Sentiment, Support, Threads
from csm.domain.triggers import Onboarding, Person, PlanItem, Renewal, Reviews, Touches

Params = dict[str, Any]


RENEWAL_WINDOW = "renewal_date <= :outreach_until"
REVIEW_DUE = """COALESCE(last_ebr, contract_start, record_from) <=
                CASE WHEN ebr_cadence_months IS NOT NULL THEN :ebr_base_any
                     WHEN segment = 'enterprise' THEN :ebr_base_enterprise
                     WHEN segment = 'mid_market' THEN :ebr_base_mid_market ELSE :ebr_base_smb END"""
TOUCH_DUE = """(COALESCE(last_touch, contract_start, record_from) <
                CASE segment WHEN 'enterprise' THEN :touch_before_enterprise
                             WHEN 'mid_market' THEN :touch_before_mid_market ELSE :touch_before_smb END)"""
# Onboarding is judged on evidence: usage the book has for the account (which shows no first value yet), or a
# stage that says it is onboarding. With neither, whether a customer signed a year ago ever went live is unknown.
IN_ONBOARDING = "(measured_on IS NOT NULL OR lifecycle_stage IN ('purchase', 'onboarding'))"
ONBOARDING = f"""(first_value_on IS NULL AND first_active IS NULL AND {IN_ONBOARDING}
                 AND contract_start < :first_value_from AND contract_start >= :onboarding_until)"""


@dataclass(frozen=True)
class DateRows:
    """The accounts each date rule is to be asked about (not churned)."""

    renewals: list[Renewal]  # inside the outreach window, or past the renewal date
    reviews: list[Reviews]  # the last EBR (or contract start) old enough for the next one to be near
    touches: list[Touches]  # no touch within the segment's cadence, or none ever
    onboardings: list[Onboarding]  # signed 30 days to twice the activation limit ago, no first value yet


def date_rows(runner: Runner, p: Params) -> DateRows:
    """One pass over the sheet for every date rule. The EBR condition is the segment's cadence back from the
    preparation day with a few days' slack for month ends (csm.domain.triggers.ebr_due decides); the others
    are exact."""
    found = DateRows([], [], [], [])
    for (account_id, name, segment, cadence, last_ebr, last_touch, start, record, renewal, renews, review, touch,
         onboard) in runner.tuples(
        f"""SELECT id, name, segment, ebr_cadence_months, last_ebr, last_touch, contract_start, record_from,
                   renewal_date,
                   CASE WHEN {RENEWAL_WINDOW} THEN 1 ELSE 0 END, CASE WHEN {REVIEW_DUE} THEN 1 ELSE 0 END,
                   CASE WHEN {TOUCH_DUE} THEN 1 ELSE 0 END, CASE WHEN {ONBOARDING} THEN 1 ELSE 0 END
            FROM {SHEET}
            WHERE churned = 0 AND ({RENEWAL_WINDOW} OR {REVIEW_DUE} OR {TOUCH_DUE} OR {ONBOARDING})""",
        p,
    ):  # fmt: skip
        started, on_record = read_day(start), read_day(record)
        assert on_record is not None
        if renews:
            found.renewals.append(Renewal(account_id, name, read_day(renewal)))  # type: ignore[arg-type]
        if review:
            found.reviews.append(Reviews(account_id, name, segment, cadence, read_day(last_ebr), started, on_record))
        if touch:
            found.touches.append(Touches(account_id, name, segment, read_day(last_touch), started, on_record))
        if onboard:
            found.onboardings.append(Onboarding(account_id, name, started))  # type: ignore[arg-type]
    return found


def meetings_ahead(runner: Runner, p: Params, zone: ZoneInfo, *, reviews: bool = False) -> dict[int, Scheduled]:
    """Each account's first customer meeting from the as-of day to `covers_until` (not cancelled, not declined by
    the CSM; with the CSM's answer, since one not accepted covers nothing): what covers its touch and shows beside its renewal to-dos. With `reviews`, its first review meeting
    (csm.domain.meetings.is_review) to `reviews_until`: what shows beside its EBR to-do."""
    from csm.db.runner import as_datetime
    from csm.domain.meetings import is_review

    found: dict[int, Scheduled] = {}
    for account_id, title, all_day, floating, starts_at, start_date, rsvp in runner.tuples(
        f"""SELECT e.account_id, e.title, e.all_day, e.floating, e.starts_at, e.start_date, e.rsvp
            FROM calendar_events e JOIN {SHEET} s ON s.id = e.account_id
            WHERE e.start_date >= :as_of AND e.start_date <= {":reviews_until" if reviews else ":covers_until"}
              AND s.churned = 0 AND {held_with_customer("e")}
            ORDER BY e.account_id, e.start_date, e.all_day, e.starts_at, e.title""",
        p,
    ):
        if account_id in found or (reviews and not is_review(str(title))):
            continue
        start: datetime | date | None = read_day(start_date)
        instant = as_datetime(starts_at)
        if not all_day and instant is not None:
            start = instant.replace(tzinfo=zone) if floating else instant.astimezone(zone)
        if start is not None:
            found[account_id] = Scheduled(account_id, str(title), start, rsvp)
    return found


def plan_items(runner: Runner, p: Params) -> Iterator[PlanItem]:
    """Open goals and milestones due within the horizon, or late."""
    for kind, item_id, account_id, name, title, due, status, goal_title in runner.tuples(
        f"""SELECT 'goal', g.id, g.account_id, s.name, g.title, g.due, g.status, NULL
            FROM goals g JOIN {SHEET} s ON s.id = g.account_id
            WHERE g.account_id IN (SELECT id FROM {SHEET} WHERE goals > 0)
              AND g.due <= :milestone_until AND g.status NOT IN ('achieved', 'missed')
            UNION ALL
            SELECT 'milestone', m.id, g.account_id, s.name, m.title, m.due, m.status, g.title
            FROM milestones m JOIN goals g ON g.id = m.goal_id JOIN {SHEET} s ON s.id = g.account_id
            WHERE g.account_id IN (SELECT id FROM {SHEET} WHERE goals > 0)
              AND m.due <= :milestone_until AND m.status NOT IN ('achieved', 'missed')
            ORDER BY 1, 2""",
        p,
    ):
        yield PlanItem(account_id, name, kind, item_id, title, read_day(due), status, goal_title)  # type: ignore[arg-type]


def people(runner: Runner, p: Params, days: LocalDays) -> Iterator[tuple[Person, int]]:
    """The people a stakeholder rule may speak of, each with the number of active successors in their role:
    key contacts who left or changed title in the last 90 days, champions who may have gone quiet while others
    attended, executives who may be new."""
    for (cid, account_id, account, account_created, others, name, role, title, left_on, left_to, created,
         last_contact, changed, champions, execs) in runner.tuples(
        f"""SELECT c.id, c.account_id, s.name, s.created_at, s.others_last, c.name, c.role, c.title, {LEFT_BY},
                   CASE WHEN {LEFT_BY} IS NOT NULL THEN c.left_to END, c.created_at,
                   {last_contact_sql()},
                   (SELECT MAX(ch.changed_on) FROM contact_changes ch
                    WHERE ch.contact_id = c.id AND ch.field IN ('title', 'account') AND ch.changed_on <= :as_of),
                   s.champions, s.execs
            FROM contacts c JOIN {SHEET} s ON s.id = c.account_id
            WHERE c.account_id IN (SELECT id FROM {SHEET} WHERE people_changed = 1) AND c.role IN {KEY_ROLES}
            ORDER BY c.account_id, c.id""",
        p,
    ):  # fmt: skip
        person = Person(
            cid, account_id, account, days(account_created) or p["as_of"], read_day(others), name, role, title,
            read_day(left_on), left_to, days(created) or p["as_of"], read_day(last_contact), read_day(changed),
        )  # fmt: skip
        yield person, int(champions if role == "champion" else execs)


SUPPORT_OVER = """(recent > :new_tickets_max OR open_count > :open_max OR critical > :open_critical_max
                  OR high > :open_high_max OR oldest_open <= :long_wait_before
                  OR (CASE WHEN before_ = 0 THEN recent >= :spike_min
                           ELSE recent >= :spike_min AND (recent - before_) * 100 >= :spike_pct * before_ END))"""
SILENT = """(churned = 0 AND (contract_start IS NULL OR contract_start <= :silent_contract_after)
             AND (last_ticket IS NULL OR last_ticket < :silent_before))"""
DOUBTS = "(nps_latest IS NOT NULL OR renewal_sentiment IN ('no', 'unsure'))"
THIN = "((active = 1 AND churned = 0) OR (segment = 'enterprise' AND active > 0 AND execs = 0))"
NOT_LIVE = f"""((churned = 0 AND contract_start < :first_value_from AND first_value_on IS NULL AND first_active IS NULL
               AND {IN_ONBOARDING})
              OR sows > 0)"""
GAPS = "(features > 0 AND renewal_date >= :as_of AND renewal_date <= :risk_window_until)"
RENEWING = "(churned = 0 AND renewal_date <= :risk_window_until)"


@dataclass(frozen=True)
class RiskRows:
    """The accounts each risk rule family is to be asked about."""

    support: list[Support]  # over a support threshold, spiking, or silent for 90 days
    sentiments: list[Sentiment]  # a survey answer in the past year, or the CSM's doubt about the renewal
    threads: list[Threads]  # one active contact only, or an enterprise account without an executive sponsor
    implementations: list[Implementation]  # signed over 30 days ago and not activated, or a SOW open
    gaps: list[Gaps]  # feature requests with the renewal inside the risk window
    renewing: list[Renewing]  # renewing inside the risk window, or overdue (not churned)


def risk_rows(runner: Runner, p: Params, days: LocalDays, has_tickets: bool) -> RiskRows:
    """One pass over the sheet for every risk rule family (support silence only when the book has tickets)."""
    silent = SILENT if has_tickets else "(1 = 0)"
    found = RiskRows([], [], [], [], [], [])
    rows = runner.tuples(
        f"""SELECT id, segment, churned, contract_start, created_at, renewal_date,
                   last_ticket, recent, before_, open_count, critical, high, oldest_open, first_critical, first_high,
                   nps_latest, nps_on, nps_earlier, promoters, passives, detractors, renewal_sentiment,
                   renewal_sentiment_on, active, execs, sole_name, sole_added, last_left, sponsor_left,
                   COALESCE(first_value_on, first_active), sows, first_request,
                   CASE WHEN {SUPPORT_OVER} OR {silent} THEN 1 ELSE 0 END, CASE WHEN {DOUBTS} THEN 1 ELSE 0 END,
                   CASE WHEN {THIN} THEN 1 ELSE 0 END, CASE WHEN {NOT_LIVE} THEN 1 ELSE 0 END,
                   CASE WHEN {GAPS} THEN 1 ELSE 0 END, CASE WHEN {RENEWING} THEN 1 ELSE 0 END
            FROM {SHEET}
            WHERE {SUPPORT_OVER} OR {silent} OR {DOUBTS} OR {THIN} OR {NOT_LIVE} OR {GAPS} OR {RENEWING}""",
        p,
    )
    sows = statements_of_work(runner, [row[0] for row in rows if row[30] and row[35]])
    features = feature_names(runner, [row[0] for row in rows if row[36]])
    end, limits = p["end"], (p["open_max"], p["open_critical_max"], p["open_high_max"])
    for (account_id, segment, churned, start, created, renewal, last_ticket, recent, before, open_count, critical,
         high, oldest, first_critical, first_high, latest, latest_on, earlier, promoters, passives, detractors,
         answer, answered_on, active, execs, sole, sole_added, last_left, sponsor_left, activated, _sows,
         first_request, supported, doubts, thin, not_live, gapped, renews) in rows:  # fmt: skip
        churned, started, renews_on = bool(churned), read_day(start), read_day(renewal)
        if supported:
            facts = support_facts(
                (last_ticket, recent, before, open_count, critical, high, oldest, first_critical, first_high),
                end, limits, days,
            )  # fmt: skip
            found.support.append(Support(account_id, churned, started, facts))
        if doubts:
            surveys = (
                SurveyFacts(latest, read_day(latest_on), earlier, int(promoters), int(passives), int(detractors))
                if latest is not None
                else None
            )
            found.sentiments.append(Sentiment(account_id, surveys, answer, read_day(answered_on)))
        if thin:
            found.threads.append(Threads(
                account_id, segment, churned, days(created) or p["as_of"], int(active), int(execs), sole,
                days(sole_added), read_day(last_left), read_day(sponsor_left),
            ))  # fmt: skip
        if not_live:
            found.implementations.append(
                Implementation(account_id, churned, started, read_day(activated), tuple(sows.get(account_id, ())))
            )
        if gapped:
            found.gaps.append(Gaps(account_id, renews_on, tuple(features.get(account_id, ())), read_day(first_request)))  # type: ignore[arg-type]
        if renews:
            found.renewing.append(Renewing(account_id, renews_on, answer))  # type: ignore[arg-type]
    return found


def over_limit_since(
    runner: Runner, accounts: dict[int, SupportFacts], p: Params, limits: tuple[int, int, int], days: LocalDays
) -> None:
    """For accounts over a limit above zero: the creation day of the open ticket that took each count (all open,
    critical, high) one past its limit, i.e. since when the count has been over it."""
    for names in chunks(sorted(accounts)):
        opened: dict[int, list[tuple[Any, int, int]]] = defaultdict(list)
        for account_id, created, is_critical, is_high in runner.tuples(
            f"""SELECT account_id, created_at,
                       CASE WHEN lower(priority) IN ('urgent', 'critical') THEN 1 ELSE 0 END,
                       CASE WHEN lower(priority) = 'high' THEN 1 ELSE 0 END
                FROM tickets
                WHERE account_id IN ({in_list(names)}) AND created_at < :end AND status <> 'deleted'
                  AND ((solved_at IS NULL AND status NOT IN ('solved', 'closed', 'deleted')) OR solved_at >= :end)
                ORDER BY account_id, created_at, id""",
            {**p, **names},
        ):
            opened[account_id].append((created, is_critical, is_high))
        for account_id in names.values():
            facts = accounts[account_id]
            tickets = opened.get(account_id, [])
            classes = (tickets, [t for t in tickets if t[1]], [t for t in tickets if t[2]])
            over = [
                days(group[limit][0]) if len(group) > limit else None
                for group, limit in zip(classes, limits, strict=True)
            ]
            if limits[0]:
                facts.open_over_since = over[0]
            if limits[1]:
                facts.critical_over_since = over[1]
            if limits[2]:
                facts.high_over_since = over[2]


def accounts(runner: Runner) -> list[tuple[Any, ...]]:
    """Every account of the sheet with what the worklist shows beside its items: id, name, owner, ARR, renewal date,
    churned, when it was added to the book, its currency, and the six health components' raw scores."""
    return runner.tuples(
        f"""SELECT id, name, owner, arr, renewal_date, churned, created_at, currency, h_adoption, h_sentiment, h_support, h_engagement,
                   h_success_plan, h_financial FROM {SHEET} ORDER BY id"""
    )


IN_LIST_CHUNK = 500  # bound parameters per IN (...) list: well inside SQLite's and PostgreSQL's limits


def chunks(ids: list[int]) -> Iterator[dict[str, int]]:
    for start in range(0, len(ids), IN_LIST_CHUNK):
        yield {f"id{n}": account_id for n, account_id in enumerate(ids[start : start + IN_LIST_CHUNK])}


def in_list(names: dict[str, int]) -> str:
    return ", ".join(":" + name for name in names)


def statements_of_work(runner: Runner, account_ids: list[int]) -> dict[int, list[str]]:
    """Open opportunities that are statements of work (a name with the word SOW, or saying so)."""
    found: dict[int, list[str]] = defaultdict(list)
    for names in chunks(account_ids):
        for account_id, name in runner.tuples(
            f"""SELECT account_id, name FROM opportunities WHERE NOT is_closed AND account_id IN ({in_list(names)})
                ORDER BY account_id, close_date, id""",
            names,
        ):
            text = (name or "").lower()
            if "sow" in text.split() or "statement of work" in text:
                found[account_id].append(name)
    return found


def feature_names(runner: Runner, account_ids: list[int]) -> dict[int, list[str]]:
    """Each account's requested features, one per distinct feature."""
    found: dict[int, list[str]] = defaultdict(list)
    for names in chunks(account_ids):
        for account_id, feature in runner.tuples(
            f"""SELECT account_id, MIN(feature) FROM feature_requests WHERE account_id IN ({in_list(names)})
                GROUP BY account_id, feature_norm ORDER BY account_id, MIN(feature)""",
            names,
        ):
            found[account_id].append(feature)
    return found


def ticket_days(
    runner: Runner, account_ids: list[int], first: date, p: Params, zone: ZoneInfo
) -> dict[int, list[date]]:
    """The local creation day of every ticket of some accounts from `first` to the as-of day, oldest first: what a
    windowed rule (volume, spike) needs to tell since when it has fired."""
    from csm.db.sheet import day_start

    found: dict[int, list[date]] = defaultdict(list)
    days = LocalDays(zone)
    for names in chunks(sorted(set(account_ids))):
        for account_id, created in runner.tuples(
            f"""SELECT account_id, created_at FROM tickets
                WHERE account_id IN ({in_list(names)}) AND created_at >= :first AND created_at < :end
                  AND status <> 'deleted'
                ORDER BY account_id, created_at""",
            {"first": day_start(first, zone), "end": p["end"], **names},
        ):
            day = days(created)
            if day is not None:
                found[account_id].append(day)
    return found


def book_flags(runner: Runner, zone: ZoneInfo) -> tuple[bool, date | None]:
    """Whether the book has any ticket, and the local day its ticket history starts."""
    from csm.db.facts import local_day

    row = runner.tuples("SELECT EXISTS (SELECT 1 FROM tickets), (SELECT MIN(created_at) FROM tickets)")[0]
    return bool(row[0]), local_day(row[1], zone)
