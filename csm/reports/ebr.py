"""`csm ebr`: the executive business review pack (DOMAIN.md, "The EBR") for one account.

The executive summary is drafted from the book's facts; wherever the CSM wrote their own words
(`csm ebr note`), those are shown instead.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db import dossier
from csm.db.runner import Row, Runner, as_date
from csm.domain.facts import AccountFacts
from csm.importers.expansion import expanded_for
from csm.reports.dossier import (
    AccountOut,
    ActionItem,
    GoalOut,
    HealthNow,
    PersonOut,
    SuccessPlan,
    SupportSection,
    SurveysSection,
    account_out,
    action_items,
    arr_history,
    health_now,
    number,
    open_risks,
    stakeholder_map,
    success_plan,
    support_section,
    surveys_section,
)
from csm.reports.judge import Judgement as Evaluation
from csm.reports.models import RiskOut

MONTHS = 12
HALF_MONTH = 15
ACTION_DAYS = 14  # drafted action items are due two weeks after the review
HEADLINES = {
    "support": "Product reliability and support load are getting in the way of the value {name} bought",
    "sentiment": "Satisfaction at {name} is slipping",
    "company": "The relationship with {name} depends on too few people",
    "implementation": "The rollout at {name} is behind plan",
    "product": "A product gap blocks part of the value {name} expects",
    "renewal": "The renewal of {name} is at risk",
}


@dataclass
class SummaryPart:
    text: str  # what the pack shows: the CSM's words where written, else the draft
    drafted: str
    edited: bool


@dataclass
class ExecutiveSummary:
    problem: SummaryPart
    impact: SummaryPart
    root_cause: SummaryPart
    recommendation: SummaryPart
    done_and_learned: SummaryPart
    facts: list[str]


@dataclass
class Trends:
    months: list[str]  # YYYY-MM, oldest first
    health: list[float | None]
    health_source: list[str]  # per month: snapshot or recomputed
    active_users: list[int | None]
    licensed_seats: list[int | None]
    tickets: list[int]


@dataclass
class RoadmapItem:
    feature: str
    requested_on: date | None
    notes: str | None
    other_accounts: int
    arr_asking: float


@dataclass
class Renewal:
    date: date | None
    days: int | None
    arr: float | None
    forecast: str | None
    would_renew: str | None


@dataclass
class EbrMeeting:
    start: datetime | date
    title: str
    attendees: list[str]  # contacts of the account in the invitation, by name
    unknown_attendees: list[str]  # customer addresses not in the book


@dataclass
class EbrReport:
    account: str
    as_of: date
    period_from: date
    prepared_by: str | None
    facts: AccountOut
    audience: list[PersonOut]
    meeting: EbrMeeting | None
    last_ebr: date | None
    executive_summary: ExecutiveSummary
    value: list[GoalOut]
    value_summary: list[str]
    health: HealthNow
    trends: Trends
    support: SupportSection
    surveys: SurveysSection
    roadmap: list[RoadmapItem]
    renewal: Renewal
    next_objectives: list[str]
    action_items: list[ActionItem]
    risks: list[RiskOut]


def ebr_report(runner: Runner, evaluation: Evaluation, account_id: int, zone: ZoneInfo, config: Config) -> EbrReport:
    as_of = evaluation.as_of
    facts = evaluation.account(account_id)
    assert facts is not None, "the evaluation covers the account"
    record = dossier.account_record(runner, account_id)
    people = stakeholder_map(facts, dossier.contacts(runner, account_id, as_of), as_of, config)
    plan = success_plan(runner, account_id, as_of)
    support = support_section(runner, facts, as_of, zone, config, has_tickets=evaluation.book.has_tickets)
    risks = open_risks(evaluation, account_id)
    interactions = dossier.recent_interactions(runner, account_id, as_of)
    audience = [
        p for p in people.people if p.left_on is None and p.role in ("exec_sponsor", "decision_maker", "champion")
    ]
    audience.sort(key=lambda p: ("exec_sponsor", "decision_maker", "champion").index(p.role or "champion"))
    summary = executive_summary(
        facts, plan, support, risks, people.gaps, interactions, dossier.ebr_note(runner, account_id)
    )
    trends = monthly_trends(runner, facts, as_of, zone, config)
    return EbrReport(
        account=facts.name,
        as_of=as_of,
        period_from=date.fromisoformat(trends.months[0] + "-01"),
        prepared_by=facts.owner or config.owner,
        facts=account_out(
            facts, record, as_of, arr_history(runner, account_id, as_of, customer=True, currency=record["currency"])
        ),
        audience=audience,
        meeting=ebr_meeting(runner, account_id, as_of, zone, config, people.people),
        last_ebr=facts.last_ebr_on,
        executive_summary=summary,
        value=plan.goals,
        value_summary=plan.value_delivered,
        health=health_now(runner, evaluation, facts, zone, config),
        trends=trends,
        support=support,
        surveys=surveys_section(dossier.survey_answers(runner, account_id, as_of), as_of, config),
        roadmap=[roadmap_item(row) for row in dossier.feature_requests(runner, account_id)],
        renewal=Renewal(
            date=facts.renewal_date,
            days=facts.days_to_renewal(as_of),
            arr=facts.arr,
            forecast=facts.renewal_forecast,
            would_renew=facts.renewal_sentiment,
        ),
        next_objectives=next_objectives(plan),
        action_items=drafted_actions(facts, plan, risks, audience, as_of, config)
        + action_items(evaluation, facts, interactions, config),
        risks=risks,
    )


def off_track(goal: GoalOut) -> bool:
    """At risk, missed, or past its due date without being achieved."""
    late = goal.days_to_due is not None and goal.days_to_due < 0 and goal.status != "achieved"
    return goal.status in ("at_risk", "missed") or late


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


def _part(note: str | None, drafted: str) -> SummaryPart:
    written = (note or "").strip()
    return SummaryPart(text=written or drafted, drafted=drafted, edited=bool(written))


def executive_summary(
    facts: AccountFacts,
    plan: SuccessPlan,
    support: SupportSection,
    risks: list[RiskOut],
    gaps: list[str],
    interactions: list[Row],
    note: dict[str, str | None],
) -> ExecutiveSummary:
    """One page: the problem with its facts, the impact, the root cause, the recommendation, what was done."""
    name = facts.name
    troubled = [g for g in plan.goals if off_track(g)]
    evidence = [f"{r.evidence} ({r.severity})" for r in risks[:3]]
    evidence += [f"'{g.title}' is {g.status.replace('_', ' ')}: {g.measure}, due {g.due}" for g in troubled[:2]]
    if risks:
        problem = HEADLINES.get(risks[0].category, "{name} faces an open risk").format(name=name)
        problem += ". The facts: " + "; ".join(evidence) + "."
    elif troubled:
        problem = f"A success-plan goal of {name} is off track. The facts: " + "; ".join(evidence) + "."
    else:
        problem = (f"No blocking problem: the review is about the value {name} has proven so far and the next "
                   "measurable objectives.")  # fmt: skip
    impact_parts = [
        f"'{g.title}' stays at {number(g.current)} of {number(g.target)}{' ' + g.unit if g.unit else ''}"
        for g in troubled[:2]
    ]
    if support.last_4_weeks > support.previous_4_weeks:
        impact_parts.append(f"{support.last_4_weeks} tickets in 4 weeks (against {support.previous_4_weeks}) cost "
                            "their teams time")  # fmt: skip
    if facts.renewal_date is not None and facts.arr:
        impact_parts.append(f"${facts.arr:,.0f} ARR renews on {facts.renewal_date}")
    impact = ("If nothing changes: " + "; ".join(impact_parts) + ".") if impact_parts and (risks or troubled) else (
        "Keeping the value visible keeps the renewal and expansion on course" + (f" ({'; '.join(impact_parts)})." if impact_parts else ".")
    )  # fmt: skip
    causes = []
    if support.top_subjects and support.last_4_weeks:
        causes.append("most recent tickets are about " + ", ".join(support.top_subjects[:2]))
    causes += [g.evidence for g in troubled if g.evidence][:2]
    causes += [gap.split(":")[0] for gap in gaps[:2]]
    root_cause = _sentence("; ".join(causes) + ".") if causes else "No obstacle recorded."
    responses = list(dict.fromkeys(r.first_response for r in risks if r.first_response))
    steps = responses[:2] + [f"Agree a dated recovery plan for '{g.title}'" for g in troubled[:1]]
    if not steps:
        steps = ["Confirm the value delivered with the executive sponsor and set the next measurable objectives"]
    recommendation = " ".join(s.rstrip(".") + "." for s in steps)
    done = [f"{as_date(r['occurred_on'])}: {r['summary']}" for r in interactions[:2]]
    done += [f"achieved '{g.title}' ({g.measure})" for g in plan.goals if g.status == "achieved"][:2]
    done_text = ("; ".join(done) + ".") if done else "Nothing logged yet."
    return ExecutiveSummary(
        problem=_part(note.get("problem"), problem),
        impact=_part(note.get("impact"), impact),
        root_cause=_part(note.get("root_cause"), root_cause),
        recommendation=_part(note.get("recommendation"), recommendation),
        done_and_learned=_part(note.get("done_and_learned"), done_text),
        facts=evidence,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def monthly_trends(runner: Runner, facts: AccountFacts, as_of: date, zone: ZoneInfo, config: Config) -> Trends:
    """Health, adoption and tickets per month over the last 12 months (the current month from its 15th day).

    Health: the month's latest stored snapshot, else the score the engine gives for the month's last day.
    """
    from csm.reports.judge import account_health

    latest = 0 if as_of.day >= HALF_MONTH else 1  # a month counts once half of it has passed
    starts = [month_start(as_of, back + latest) for back in range(MONTHS - 1, -1, -1)]
    ends = [min(as_of, date(s.year, s.month, calendar.monthrange(s.year, s.month)[1])) for s in starts]
    snapshots: dict[str, float | None] = {}
    for row in dossier.health_snapshots(runner, facts.id, starts[0], ends[-1]):
        taken = as_date(row["taken_on"])
        if taken is not None:
            snapshots[f"{taken:%Y-%m}"] = row["score"]
    health: list[float | None] = []
    sources = []
    for start, end in zip(starts, ends, strict=True):
        key = f"{start:%Y-%m}"
        if key in snapshots:
            health.append(snapshots[key])
            sources.append("snapshot")
            continue
        if end < facts.created_on and end < (facts.contract_start or end):
            health.append(None)
            sources.append("none")
            continue
        then = account_health(runner, facts.id, end, zone, config)
        health.append(then.score if then else None)
        sources.append("recomputed")
    usage: dict[str, Row] = {}
    for row in dossier.usage_series(runner, facts.id, starts[0], ends[-1]):
        measured = as_date(row["measured_on"])
        if measured is not None:
            usage[f"{measured:%Y-%m}"] = row  # rows come oldest first: the month's latest wins
    bounds = [datetime.combine(s, time(0), tzinfo=zone).astimezone(UTC) for s in starts]
    bounds.append(datetime.combine(ends[-1] + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC))
    months = [f"{s:%Y-%m}" for s in starts]
    return Trends(
        months=months,
        health=health,
        health_source=sources,
        active_users=[usage[m]["active_users"] if m in usage else None for m in months],
        licensed_seats=[usage[m]["licensed_seats"] if m in usage else None for m in months],
        tickets=dossier.tickets_per_period(runner, facts.id, bounds),
    )


def roadmap_item(row: Row) -> RoadmapItem:
    return RoadmapItem(
        feature=str(row["feature"]),
        requested_on=as_date(row["requested_on"]),
        notes=row["notes"],
        other_accounts=int(row["others"] or 0),
        arr_asking=float(row["arr_asking"] or 0),
    )


def next_objectives(plan: SuccessPlan) -> list[str]:
    """The measurable objectives for the coming period: open goals to finish, achieved ones to raise."""
    found = []
    for goal in plan.goals:
        unit = f" {goal.unit}" if goal.unit else ""
        if goal.status == "achieved":
            found.append(f"Set the next objective beyond '{goal.title}' (now {number(goal.current)}{unit})")
        elif goal.status != "missed":
            by = f" by {goal.due}" if goal.due else ""
            target = f"reach {number(goal.target)}{unit}" if goal.target is not None else "finish"
            found.append(f"{goal.title}: {target}{by} (now {number(goal.current)}{unit})")
    if not found:
        found.append("Agree the first measurable goal with the executive sponsor: 'csm plan add ACCOUNT GOAL'")
    return found


def drafted_actions(
    facts: AccountFacts, plan: SuccessPlan, risks: list[RiskOut], audience: list[PersonOut], as_of: date, config: Config
) -> list[ActionItem]:
    """Action items the review should agree, each with an owner and a date (they become to-dos with --record)."""
    csm = facts.owner or config.owner or "CSM"
    due = as_of + timedelta(days=ACTION_DAYS)
    sponsor = next((p.name for p in audience if p.role == "exec_sponsor"), None)
    champion = next((p.name for p in audience if p.role == "champion"), None)
    found: list[ActionItem] = []
    for response in dict.fromkeys(r.first_response for r in risks if r.first_response):
        found.append(ActionItem(title=f"{facts.name}: {response.rstrip('.')}", owner=csm, due=due, source="ebr"))
    for goal in plan.goals:
        if off_track(goal):
            found.append(ActionItem(title=f"{facts.name}: recovery plan with dates for '{goal.title}'",
                                    owner=champion or csm, due=due, source="ebr"))  # fmt: skip
        elif goal.status == "achieved" and not goal.confirmed:
            found.append(ActionItem(title=f"{facts.name}: ask {sponsor or 'the sponsor'} to confirm the value of "
                                    f"'{goal.title}'", owner=csm, due=due, source="ebr"))  # fmt: skip
    days = facts.days_to_renewal(as_of)
    if days is not None and 0 <= days <= 180:
        found.append(ActionItem(title=f"{facts.name}: agree the renewal timeline and decision makers",
                                owner=csm, due=min(facts.renewal_date or due, due), source="ebr"))  # fmt: skip
    found.append(ActionItem(title=f"{facts.name}: send the EBR summary and agreed objectives to "
                            f"{sponsor or champion or 'the attendees'}", owner=csm, due=as_of + timedelta(days=2),
                            source="ebr"))  # fmt: skip
    return found
