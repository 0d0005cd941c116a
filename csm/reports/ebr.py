"""`csm ebr`: the executive business review pack (DOMAIN.md, "The EBR") for one account.

The pack is the customer's document (DOMAIN.md, "Two voices"): every section speaks to them, drafted from the
facts in csm.reports.ebr_draft; wherever the CSM wrote their own words (`csm ebr note`), those are shown
instead. `internal=True` adds the CSM's rehearsal (`Rehearsal`): health, risks in the rules' words, talking
points, private notes and open to-dos. Nothing of it is in the customer's sections.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db import dossier
from csm.db.runner import Row, Runner, as_date, as_datetime
from csm.domain.facts import AccountFacts
from csm.importers.expansion import expanded_for
from csm.reports.dossier import (
    ActionItem,
    HealthNow,
    PersonOut,
    SurveysSection,
    action_items,
    health_now,
    open_risks,
    stakeholder_map,
    success_plan,
    support_section,
    surveys_section,
)
from csm.reports.ebr_draft import (
    ExecutiveSummary,
    Facts,
    OpenTicket,
    SupportSummary,
    ValueItem,
    adoption_words,
    concerns,
    done_words,
    drafted_actions,
    executive_summary,
    next_objectives,
    risk_ranks,
    support_words,
    value_item,
)
from csm.reports.ebr_words import day_words, merge_themes, money_pair, money_words, plural, unique
from csm.reports.judge import Judgement as Evaluation
from csm.reports.models import RiskOut
from csm.reports.playbook_models import StepOut
from csm.reports.playbooks import open_steps

MONTHS = 12
HALF_MONTH = 15
NEXT_STEP_DAYS = 60  # a shared next step older than this is history, not an action item
URGENT_PRIORITIES = ("urgent", "critical")
SUBJECTS = 50  # ticket subjects read to find the themes of the window
SHARED_DONE = 2  # the latest shared interactions that the summary's 'done and learned' names
AUDIENCE_ROLES = ("exec_sponsor", "decision_maker", "champion")


@dataclass
class Attendee:
    name: str
    title: str | None


@dataclass
class Trends:
    months: list[str]  # YYYY-MM, oldest first
    active_users: list[int | None]  # None: no usage figure that month (a gap, never a zero)
    licensed_seats: list[int | None]
    tickets: list[int]  # all 0 when the book holds no tickets at all: see has_tickets
    adoption: str  # '163 of 180 licensed users active in February 2027, up from 105 in March 2026.'
    has_usage: bool  # a usage figure in at least one month: else there is no adoption chart
    has_tickets: bool  # the book holds tickets (of any account), so a month's 0 is a real zero
    # the first month (YYYY-MM) whose ticket count is known: the months before it ended before the book's ticket
    # history starts, so their 0 is unknown, not zero (None: every month is known)
    tickets_from: str | None = None

    def known_tickets(self) -> list[int | None]:
        """The ticket counts, None for a month before `tickets_from` (a gap in a table or chart)."""
        start = self.tickets_from
        return [
            None if start is not None and month < start else n
            for month, n in zip(self.months, self.tickets, strict=True)
        ]

    @property
    def shows_tickets(self) -> bool:
        """A column of ticket counts is worth showing: the book has tickets, and this account had some."""
        return self.has_tickets and sum(self.tickets) > 0

    @property
    def first_shown(self) -> int:
        """The first month with something to show (a usage figure, or a known ticket count where they are shown):
        a table starts there rather than with empty rows."""
        tickets = self.known_tickets() if self.shows_tickets else [None] * len(self.months)
        known = [n for n, (users, count) in enumerate(zip(self.active_users, tickets, strict=True))
                 if users is not None or count is not None]  # fmt: skip
        return known[0] if known else len(self.months)


@dataclass
class RoadmapItem:
    feature: str
    requested_on: date | None
    notes: str | None
    other_customers: int
    asked_by: str  # 'also asked by 4 other customers'; '' when no one else asked


@dataclass
class Renewal:
    date: date | None
    days: int | None
    arr: float | None
    currency: str | None
    history: list[str]  # 'renewed on 20 May 2026 at $128k a year (up 4% from $123k), until 20 May 2027'


@dataclass
class EbrMeeting:
    start: datetime | date
    title: str
    attendees: list[str]  # contacts of the account in the invitation, by name
    unknown_attendees: list[str]  # customer addresses not in the book


@dataclass
class Rehearsal:
    """The CSM's own view of the account before the review (`--internal`): never shown to the customer."""

    health: HealthNow
    health_by_month: list[float | None]  # None: no snapshot, and nothing in the book that month
    health_source: list[str]  # snapshot, recomputed or none
    risks: list[RiskOut]
    talking_point: str
    surveys: SurveysSection
    gaps: list[str]
    roadmap: list[str]  # 'Custom report builder: 5 accounts, $1.2M ARR asking'
    evidence: list[str]  # goals' evidence not yet confirmed by the customer (left out of their pack)
    renewal_forecast: str | None
    would_renew: str | None
    notes: list[str]  # the latest interactions, private ones marked
    todos: list[ActionItem]  # open to-dos and next steps not already among the action items
    # the open risks' open playbook steps, who does each and by when
    playbook_steps: list[StepOut] = field(default_factory=list)


@dataclass
class EbrReport:
    account: str
    as_of: date
    period_from: date
    prepared_by: str | None
    audience: list[Attendee]
    meeting: EbrMeeting | None
    last_ebr: date | None
    executive_summary: ExecutiveSummary
    value: list[ValueItem]
    trends: Trends
    support: SupportSummary
    roadmap: list[RoadmapItem]
    renewal: Renewal
    next_objectives: list[str]
    action_items: list[ActionItem]
    internal: Rehearsal | None = None


def ebr_report(
    runner: Runner, evaluation: Evaluation, account_id: int, zone: ZoneInfo, config: Config, *, internal: bool = False
) -> EbrReport:
    as_of = evaluation.as_of
    facts = evaluation.account(account_id)
    assert facts is not None, "the evaluation covers the account"
    record = dossier.account_record(runner, account_id)
    people = stakeholder_map(facts, dossier.contacts(runner, account_id, as_of), as_of, config)
    plan = success_plan(runner, account_id, as_of)
    risks = open_risks(evaluation, account_id)
    audience = [p for p in people.people if p.left_on is None and p.role in AUDIENCE_ROLES]
    audience.sort(key=lambda p: AUDIENCE_ROLES.index(p.role or "champion"))
    book = evaluation.book
    trends = monthly_trends(runner, facts, as_of, zone, has_tickets=book.has_tickets, tickets_from=book.first_ticket_on)
    period_from = date.fromisoformat(trends.months[0] + "-01")
    csm = csm_name(facts.owner, config) or "your CSM"
    value = [value_item(goal, as_of) for goal in plan.goals]
    support = support_summary(runner, facts, as_of, zone, config, has_tickets=evaluation.book.has_tickets)
    roadmap = roadmap_items(dossier.feature_requests(runner, account_id))
    shared = dossier.shared_interactions(runner, account_id, period_from, as_of, limit=SHARED_DONE)
    adoption, unused = adoption_words(trends.months, trends.active_users, trends.licensed_seats)
    draft = Facts(
        as_of=as_of,
        value=value,
        support=support,
        adoption=adoption,
        unused_seats=unused,
        requested=[r.feature for r in roadmap],
        risk_rank=risk_ranks([(r.category, r.severity) for r in risks]),
        renewal_date=facts.renewal_date,
        csm=csm,
        sponsor=next((p.name for p in audience if p.role == "exec_sponsor"), None),
        champion=next((p.name for p in audience if p.role == "champion"), None),
        done=[done_words(day, str(row["summary"])) for row in shared if (day := as_date(row["occurred_on"]))],
    )
    actions = drafted_actions(draft, concerns(draft), shared_next_steps(shared, as_of, csm))
    report = EbrReport(
        account=facts.name,
        as_of=as_of,
        period_from=period_from,
        prepared_by=csm_name(facts.owner, config),
        audience=[Attendee(p.name, p.title) for p in audience],
        meeting=ebr_meeting(runner, account_id, as_of, zone, config, people.people),
        last_ebr=facts.last_ebr_on,
        executive_summary=executive_summary(draft, dossier.ebr_note(runner, account_id)),
        value=value,
        trends=trends,
        support=support,
        roadmap=roadmap,
        renewal=Renewal(
            date=facts.renewal_date,
            days=facts.days_to_renewal(as_of),
            arr=facts.arr,
            currency=record["currency"],
            history=history_words(runner, account_id, as_of, record["currency"]),
        ),
        next_objectives=next_objectives(value),
        action_items=actions,
    )
    if internal:
        report.internal = rehearsal(runner, evaluation, facts, report, risks, people.gaps, zone, config)
    return report


def csm_name(owner: str | None, config: Config) -> str | None:
    """The CSM as the customer knows them: by name, not by address (an owner that is the config's own address
    reads as its first alias that is not one)."""
    name = owner or config.owner
    mine = {config.owner, *config.owner_aliases}
    if name and "@" in name and name in mine:
        alias = next((alias for alias in config.owner_aliases if "@" not in alias), None)
        # the config keeps aliases lower-cased for matching: a name for people is capitalised again
        return (alias.title() if alias.islower() else alias) if alias else name
    return name


EBR_WORDS = ("ebr", "qbr", "business review", "executive review")
MEETING_DAYS = 30


def ebr_meeting(
    runner: Runner, account_id: int, as_of: date, zone: ZoneInfo, config: Config, people: list[PersonOut]
) -> EbrMeeting | None:
    """The review in the calendar: the account's first meeting within 30 days with EBR/QBR in its title."""
    with expanded_for(runner, as_of, as_of + timedelta(days=MEETING_DAYS), zone, config):
        meetings = dossier.upcoming_meetings(runner, account_id, as_of, zone, days=MEETING_DAYS)
    for meeting in meetings:
        if any(word in meeting.title.lower() for word in EBR_WORDS):
            by_email = {p.email.lower(): p.name for p in people if p.email}
            customer = [e for e in meeting.attendees if e.split("@")[-1] not in config.internal_domains
                        and e != config.owner]  # fmt: skip
            return EbrMeeting(
                start=meeting.start,
                title=meeting.title,
                attendees=[by_email[e] for e in customer if e in by_email],
                unknown_attendees=[e for e in customer if e not in by_email],
            )
    return None


def support_summary(
    runner: Runner, facts: AccountFacts, as_of: date, zone: ZoneInfo, config: Config, *, has_tickets: bool
) -> SupportSummary:
    """Tickets in the last window against the one before, their themes (repeats merged), what is open."""
    window = config.support.window_days
    support = facts.support
    recent = support.new_recent if support else 0
    before = support.new_before if support else 0
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    rows = dossier.recent_subjects(runner, facts.id, end - timedelta(days=window), end, limit=SUBJECTS)
    themes = merge_themes((str(row["subject"]), int(row["n"])) for row in rows)
    urgent = []
    for row in dossier.open_tickets(runner, facts.id, as_of, zone):
        if (row["priority"] or "").lower() in URGENT_PRIORITIES:
            created = as_datetime(row["created_at"]) or end
            urgent.append(OpenTicket(str(row["external_id"]), row["subject"], (end - created).days))
    open_count = support.open if support else 0
    longest = support.longest_wait_days if support else None
    summary = support_words(window, recent, before, open_count, urgent, themes, longest) if has_tickets else ""
    return SupportSummary(
        window_days=window,
        last_window=recent,
        previous_window=before,
        open=open_count,
        open_urgent=len(urgent),
        open_high=support.open_high if support else 0,
        longest_wait_days=longest,
        themes=themes,
        urgent=urgent,
        summary=summary,
    )


def roadmap_items(rows: list[Row]) -> list[RoadmapItem]:
    """The account's feature requests, each feature once (its first request), with how many others ask for it."""
    found: dict[str, RoadmapItem] = {}
    for row in rows:
        key = str(row["feature_norm"] or row["feature"]).casefold()
        if key in found:
            continue
        others = int(row["others"] or 0)
        found[key] = RoadmapItem(
            feature=str(row["feature"]),
            requested_on=as_date(row["requested_on"]),
            notes=row["notes"],
            other_customers=others,
            asked_by=f"also asked by {plural(others, 'other customer')}" if others else "",
        )
    return list(found.values())


def shared_next_steps(rows: list[Row], as_of: date, csm: str) -> list[ActionItem]:
    """The next steps of recent shared interactions: agreed with the customer, so theirs to read. A step's date is
    its to-do's, else the one its words give ("... by 2027-03-03", written as the pack writes dates)."""
    found = []
    for row in rows:
        on = as_date(row["occurred_on"]) or as_of
        step = (row["next_steps"] or "").strip()
        if step and (as_of - on).days <= NEXT_STEP_DAYS:
            step, written = _dated_words(step, on)
            found.append(ActionItem(title=step, owner=csm, due=as_date(row["next_due"]) or written,
                                    source=f"next step from the {row['kind']} of {on}"))  # fmt: skip
    return found


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _dated_words(text: str, on: date) -> tuple[str, date | None]:
    """The text with its ISO dates in words, and the first of them on or after `on` (its due date)."""
    due: date | None = None

    def words(found: re.Match[str]) -> str:
        nonlocal due
        try:
            day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            return found.group()
        if due is None and day >= on:
            due = day
        return day_words(day)

    return _ISO_DAY.sub(words, text), due


CUSTOMER_CHANGES = ("new", "renewal", "expansion", "reactivation")


def history_words(runner: Runner, account_id: int, as_of: date, currency: str | None) -> list[str]:
    """The contract's history as the customer knows it: signed, renewed, grown (never an opening balance,
    a correction, a contraction or a churn)."""
    from csm.db.arr import account_changes

    found = []
    for on, kind, before, after, opening, _reason, _note, until in account_changes(runner, account_id, as_of):
        day = as_date(on)
        if opening or kind not in CUSTOMER_CHANGES or day is None or not after:
            continue
        money = money_words(float(after), currency)
        change = ""
        if before and float(before) > 0 and abs(float(after) - float(before)) >= 0.5:
            then, money = money_pair(float(before), float(after), currency)
            share = (float(after) - float(before)) / float(before)
            percent = f"{abs(share):.0%}" if abs(share) >= 0.01 else f"{abs(share):.1%}"  # never "up 0%"
            change = f" ({'up' if share > 0 else 'down'} {percent} from {then})"
        renewed_until = as_date(until)
        ends = f", until {day_words(renewed_until)}" if renewed_until else ""
        if kind == "renewal":
            found.append(f"renewed on {day_words(day)} at {money} a year{change}{ends}")
        elif kind == "expansion":
            found.append(f"grew on {day_words(day)} to {money} a year{change}")
        elif kind == "reactivation":
            found.append(f"restarted on {day_words(day)} at {money} a year")
        else:
            found.append(f"signed on {day_words(day)} at {money} a year")
    return found


def month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def month_windows(as_of: date) -> tuple[list[date], list[date]]:
    """The 12 months of the trends (the current month from its 15th day): their first and last days."""
    latest = 0 if as_of.day >= HALF_MONTH else 1  # a month counts once half of it has passed
    starts = [month_start(as_of, back + latest) for back in range(MONTHS - 1, -1, -1)]
    ends = [min(as_of, date(s.year, s.month, calendar.monthrange(s.year, s.month)[1])) for s in starts]
    return starts, ends


def monthly_trends(
    runner: Runner,
    facts: AccountFacts,
    as_of: date,
    zone: ZoneInfo,
    *,
    has_tickets: bool,
    tickets_from: date | None = None,
) -> Trends:
    """Adoption and tickets per month over the last 12 months: a month without a usage figure is a gap, and so is
    a month that ended before `tickets_from` (where the book's ticket history starts: an export of the last four
    months says nothing of the eight before)."""
    starts, ends = month_windows(as_of)
    usage: dict[str, Row] = {}
    for row in dossier.usage_series(runner, facts.id, starts[0], ends[-1]):
        measured = as_date(row["measured_on"])
        if measured is not None:
            usage[f"{measured:%Y-%m}"] = row  # rows come oldest first: the month's latest wins
    bounds = [datetime.combine(s, time(0), tzinfo=zone).astimezone(UTC) for s in starts]
    bounds.append(datetime.combine(ends[-1] + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC))
    months = [f"{s:%Y-%m}" for s in starts]
    active = [usage[m]["active_users"] if m in usage else None for m in months]
    seats = [usage[m]["licensed_seats"] if m in usage else None for m in months]
    known = [month for month, end in zip(months, ends, strict=True) if tickets_from is None or end >= tickets_from]
    return Trends(
        months=months,
        active_users=active,
        licensed_seats=seats,
        tickets=dossier.tickets_per_period(runner, facts.id, bounds),
        adoption=adoption_words(months, active, seats)[0],
        has_usage=any(v is not None for v in active),
        has_tickets=has_tickets,
        tickets_from=None if len(known) == len(months) else (known[0] if known else None),
    )


def monthly_health(
    runner: Runner, facts: AccountFacts, trends: Trends, as_of: date, zone: ZoneInfo, config: Config
) -> tuple[list[float | None], list[str]]:
    """Health per month: the month's latest stored snapshot, else the engine's score for the month's last day, but
    only for a month in which the book holds something of the account (else a gap, never a flat line)."""
    from csm.reports.judge import account_health

    starts, ends = month_windows(as_of)
    snapshots: dict[str, float | None] = {}
    for row in dossier.health_snapshots(runner, facts.id, starts[0], ends[-1]):
        taken = as_date(row["taken_on"])
        if taken is not None:
            snapshots[f"{taken:%Y-%m}"] = row["score"]
    active = {f"{day:%Y-%m}" for day in dossier.activity_days(runner, facts.id, starts[0], ends[-1])}
    active |= {m for m, n in zip(trends.months, trends.tickets, strict=True) if n}
    health: list[float | None] = []
    sources = []
    for month, end in zip(trends.months, ends, strict=True):
        if month in snapshots:
            health.append(snapshots[month])
            sources.append("snapshot")
        elif month in active and not (end < facts.created_on and end < (facts.contract_start or end)):
            then = account_health(runner, facts.id, end, zone, config)
            health.append(then.score if then else None)
            sources.append("recomputed" if then and then.score is not None else "none")
        else:
            health.append(None)
            sources.append("none")
    return health, sources


def rehearsal(
    runner: Runner,
    evaluation: Evaluation,
    facts: AccountFacts,
    report: EbrReport,
    risks: list[RiskOut],
    gaps: list[str],
    zone: ZoneInfo,
    config: Config,
) -> Rehearsal:
    """What the CSM rehearses with: the rules' words, the health score, private notes and their own to-dos."""
    as_of = evaluation.as_of
    health, sources = monthly_health(runner, facts, report.trends, as_of, zone, config)
    interactions = dossier.recent_interactions(runner, facts.id, as_of)
    support = support_section(runner, facts, as_of, zone, config, has_tickets=evaluation.book.has_tickets)
    titles = {a.title.casefold() for a in report.action_items}
    todos = [a for a in action_items(evaluation, facts, interactions, config) if a.title.casefold() not in titles]
    asking = {
        str(row["feature"]): (int(row["others"] or 0), float(row["arr_asking"] or 0))
        for row in dossier.feature_requests(runner, facts.id)
    }
    notes = []
    for row in interactions[:6]:
        private = "" if row["shared"] else ", private"
        notes.append(f"{as_date(row['occurred_on'])} ({row['kind']}{private}): {row['summary']}")
    return Rehearsal(
        health=health_now(runner, evaluation, facts, zone, config),
        health_by_month=health,
        health_source=sources,
        risks=risks,
        talking_point=support.talking_point,
        surveys=surveys_section(dossier.survey_answers(runner, facts.id, as_of), as_of, config),
        gaps=gaps,
        roadmap=unique(
            f"{feature}: {plural(others + 1, 'account')} asking, {money_words(arr, None)} ARR"
            for feature, (others, arr) in asking.items()
        ),
        evidence=[
            f"{g.title}: {g.evidence}"
            for g in success_plan(runner, facts.id, as_of).goals
            if g.evidence and not g.confirmed
        ],
        renewal_forecast=facts.renewal_forecast,
        would_renew=facts.renewal_sentiment,
        notes=notes,
        todos=todos,
        playbook_steps=open_steps(evaluation, facts.id),
    )
