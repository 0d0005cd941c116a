"""What `csm prep` and `csm ebr` both show about one account: facts, people, health and its change,
surveys, support, success-plan goals and action items, built from one engine evaluation and the
account's own records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db import dossier
from csm.db.runner import Row, Runner, as_date, as_datetime
from csm.domain.facts import AccountFacts
from csm.domain.health import Health
from csm.domain.risks import is_spike
from csm.domain.words import days_away, plural
from csm.reports.items import risk_out, todos_due
from csm.reports.judge import Judgement as Evaluation
from csm.reports.models import RiskOut
from csm.reports.portfolio import health_out
from csm.reports.portfolio_models import ComponentOut

ROLE_WORDS = {
    "exec_sponsor": "exec sponsor",
    "champion": "champion",
    "decision_maker": "decision maker",
    "admin": "admin",
    "user": "user",
    "influencer": "influencer",
}
MOVED_POINTS = 5.0  # a component that moved less than this is noise
SURVEY_SCALES = {"nps": 10, "csat": 5, "ces": 7}
SPONSOR_SILENT_DAYS = 90


@dataclass
class AccountOut:
    name: str
    segment: str
    arr: float | None
    currency: str | None
    lifecycle_stage: str | None
    contract_start: date | None
    renewal_date: date | None
    days_to_renewal: int | None
    licences: int | None
    owner: str | None
    renewal_forecast: str | None
    would_renew: str | None
    company_revenue: float | None = None  # the customer company's own annual revenue (firmographic, never ARR)
    arr_history: list[str] = field(default_factory=list)  # "renewed 2026-02-15 at $110k (+10%)", oldest first


@dataclass
class PersonOut:
    name: str
    title: str | None
    role: str | None
    influence: str | None
    email: str | None
    reports_to: str | None
    last_contact: date | None
    days_since_contact: int | None
    left_on: date | None = None
    left_to: str | None = None
    crm_roles: str | None = None  # every role the CRM gives where it gives more than `role` says ("Blocker; End User")


@dataclass
class StakeholderMap:
    people: list[PersonOut]
    org_chart: list[str]
    gaps: list[str]


@dataclass
class MovedOut:
    name: str
    before: float | None
    now: float | None
    change: float | None
    why: str


@dataclass
class HealthNow:
    score: float | None
    band: str
    confidence: float
    components: list[ComponentOut]
    trend: float | None
    compared_with: date | None
    compared_source: str | None  # "snapshot" (stored) or "recomputed" (the engine on the book as of that day)
    moved: list[MovedOut]
    summary: str


@dataclass
class SurveyOut:
    survey: str
    survey_type: str
    answers: int
    latest_score: int
    latest_on: date
    latest_by: str | None
    comment: str | None
    earlier_average: float | None
    trend: str | None  # up, down, flat; None with a single answer


@dataclass
class SurveysSection:
    surveys: list[SurveyOut]
    answered_latest: list[str]
    advice: list[str]


@dataclass
class TicketOut:
    id: str
    subject: str | None
    priority: str | None
    status: str
    waiting_days: int


@dataclass
class SupportSection:
    last_4_weeks: int
    previous_4_weeks: int
    weekly_average: float
    weekly_average_before: float
    change_pct: float | None
    open: int
    open_critical: int
    open_high: int
    longest_wait_days: int | None
    critical: list[TicketOut]
    long_waits: list[TicketOut]
    top_subjects: list[str]
    talking_point: str


@dataclass
class MilestoneOut:
    title: str
    due: date | None
    status: str


@dataclass
class GoalOut:
    id: int
    title: str
    value_type: str | None
    metric: str | None
    unit: str | None
    baseline: float | None
    current: float | None
    target: float | None
    progress: float | None  # share of the way from baseline to target, 0..1
    due: date | None
    days_to_due: int | None
    status: str
    confirmed: bool
    confirmed_by: str | None
    confirmed_on: date | None
    evidence: str | None
    measure: str  # "40 → 8 hours (target 10)"
    milestones: list[MilestoneOut] = field(default_factory=list)


@dataclass
class SuccessPlan:
    goals: list[GoalOut]
    due_next: list[str]
    value_delivered: list[str]


@dataclass
class ActionItem:
    title: str
    owner: str | None
    due: date | None
    source: str
    deferrals: int = 0
    defer_reason: str | None = None  # why it waited, as the CSM said when deferring it
    # a scheduled meeting about it: "covered by today's 13:00 QBR" (the account's next meeting when it is about
    # something else is not said: the prep sheet is for that meeting, and names it at its top)
    covered_by: str | None = None


@dataclass
class NoteOut:
    on: date
    kind: str
    summary: str
    attendees: str | None
    next_steps: str | None


def role_word(role: str | None) -> str:
    return ROLE_WORDS.get(role or "", role or "no role")


CUSTOMER_KINDS = ("new", "renewal", "expansion", "reactivation")  # what an EBR tells the customer of its history


def arr_history(
    runner: Runner, account_id: int, as_of: date, *, customer: bool = False, currency: str | None = None
) -> list[str]:
    """The account's ARR history in words, up to `as_of`: every change for the CSM (but the ARR it had when it
    entered the book, which says nothing), renewals and growth for the customer's EBR."""
    from csm.db.arr import account_changes
    from csm.domain.arr import change_words

    found = []
    for on, kind, before, after, opening, reason, _note, until in account_changes(runner, account_id, as_of):
        if opening or (customer and kind not in CUSTOMER_KINDS):
            continue
        found.append(
            change_words(
                kind,
                as_date(on) or as_of,
                before,
                float(after),
                reason=reason,
                renewed_until=as_date(until),
                currency=currency,
            )
        )
    return found


def account_out(facts: AccountFacts, record: Row, as_of: date, history: list[str] | None = None) -> AccountOut:
    return AccountOut(
        name=facts.name,
        segment=facts.segment,
        arr=facts.arr,
        currency=record["currency"],
        lifecycle_stage=facts.lifecycle_stage,
        contract_start=facts.contract_start,
        renewal_date=facts.renewal_date,
        days_to_renewal=facts.days_to_renewal(as_of),
        licences=record["licences"],
        owner=facts.owner,
        renewal_forecast=facts.renewal_forecast,
        would_renew=facts.renewal_sentiment,
        company_revenue=record["company_revenue"],
        arr_history=history or [],
    )


def stakeholder_map(facts: AccountFacts, contact_rows: list[Row], as_of: date, config: Config) -> StakeholderMap:
    """Everyone at the account with role, influence and last contact; the reporting lines; and the gaps."""
    names = {row["id"]: row["name"] for row in contact_rows}
    people = []
    for row in contact_rows:
        seen = as_date(row["last_contact"])
        people.append(
            PersonOut(
                name=row["name"],
                title=row["title"],
                role=row["role"],
                influence=row["influence"],
                email=row["email"],
                reports_to=names.get(row["reports_to_id"]),
                last_contact=seen,
                days_since_contact=(as_of - seen).days if seen else None,
                left_on=as_date(row["left_on"]),
                left_to=row["left_to"],
                crm_roles=row["crm_roles"],
            )
        )
    return StakeholderMap(people=people, org_chart=org_chart(contact_rows), gaps=stakeholder_gaps(people, as_of))


def org_chart(contact_rows: list[Row]) -> list[str]:
    """The reporting lines as indented lines, managers first (people whose manager is unknown are roots)."""
    ids = {row["id"] for row in contact_rows}
    children: dict[int | None, list[Row]] = defaultdict(list)
    for row in contact_rows:
        manager = row["reports_to_id"] if row["reports_to_id"] in ids and row["reports_to_id"] != row["id"] else None
        children[manager].append(row)
    lines: list[str] = []
    seen: set[int] = set()

    def walk(manager: int | None, depth: int) -> None:
        for row in children.get(manager, []):
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            left = f", left {row['left_on']}" if row["left_on"] else ""
            title = f", {row['title']}" if row["title"] else ""
            crm = f", CRM: {row['crm_roles']}" if row["crm_roles"] else ""  # a Blocker, kept as an influencer
            lines.append(
                f"{'  ' * depth}{'└ ' if depth else ''}{row['name']} ({role_word(row['role'])}{crm}{title}{left})"
            )
            walk(row["id"], depth + 1)

    walk(None, 0)
    for row in contact_rows:  # a reporting loop has no root: show the rest flat rather than lose them
        if row["id"] not in seen:
            seen.add(row["id"])
            lines.append(f"{row['name']} ({role_word(row['role'])})")
    return lines


def stakeholder_gaps(people: list[PersonOut], as_of: date) -> list[str]:
    active = [p for p in people if p.left_on is None]
    gaps = []
    for person in people:
        if person.left_on is not None and person.role in ("exec_sponsor", "champion"):
            went = f" (went to {person.left_to}: a sales lead)" if person.left_to else ""
            gaps.append(
                f"{role_word(person.role).capitalize()} {person.name} left on {person.left_on}{went}: "
                "find and log the successor, re-introduce the relationship."
            )
    champion = any(p.role == "champion" for p in active)
    if not any(p.role == "exec_sponsor" for p in active):
        ask = "the champion" if champion else "your main contact"
        gaps.append(f"No executive sponsor: ask {ask} who owns the outcome at the executive level.")
    if not champion:
        gaps.append("No champion: find the person who wins when the product succeeds.")
    if len(active) <= 1:
        if active:
            gaps.append(f"Single-threaded: 1 active contact ({active[0].name}); meet at least two more people.")
        else:
            gaps.append("No active contact in the book: find and log the people you work with.")
    for person in active:
        if person.role == "exec_sponsor" and (
            person.days_since_contact is None or person.days_since_contact > SPONSOR_SILENT_DAYS
        ):
            since = f"{person.days_since_contact} days" if person.days_since_contact is not None else "ever"
            gaps.append(f"Executive sponsor {person.name} not contacted in {since}.")
    no_role = [p.name for p in active if not p.role]
    if no_role:
        gaps.append(f"No role recorded for {', '.join(no_role)}: 'csm contact edit' sets it.")
    return gaps


def health_now(
    runner: Runner, evaluation: Evaluation, facts: AccountFacts, zone: ZoneInfo, config: Config
) -> HealthNow:
    """Health today against the latest snapshot ~trend_days before, else the engine's score for that day."""
    from csm.db.scope import Scope
    from csm.domain.health import COMPONENT_NAMES
    from csm.reports.judge import trend_of

    health = evaluation.health[facts.id]
    found = trend_of(runner, Scope(account_id=facts.id), {facts.id: health}, evaluation.as_of, zone, config)
    current = health_out(facts.name, health, found.get(facts.id), config)
    if facts.id not in found:
        return _health(current, health, None, None, None, [])
    trend = found[facts.id]  # the one answer health and changes give too; the components moved beside it
    before: dict[str, float | None]
    if trend.then is not None:
        before = dict(zip(COMPONENT_NAMES, trend.then.scores, strict=True))
    else:
        snapshot = dossier.health_snapshot_before(runner, facts.id, trend.compared_on)
        before = {c["name"]: c.get("score") for c in snapshot["components"]} if snapshot else {}
    moved = []
    for component in health.components:
        old, new = before.get(component.name), component.score
        change = round(new - old, 1) if new is not None and old is not None else None
        if (change is not None and abs(change) >= MOVED_POINTS) or ((old is None) != (new is None)):
            moved.append(MovedOut(component.name, old, new, change, _moved_why(component.name, component.inputs)))
    moved.sort(key=lambda m: -abs(m.change or 0))
    return _health(current, health, trend.change, trend.compared_on, trend.source, moved)


def _one(account_id: int) -> Any:
    from csm.db.scope import Scope

    return Scope(account_id=account_id)


def _health(
    current: Any, health: Health, trend: float | None, compared: date | None, source: str | None, moved: list[MovedOut]
) -> HealthNow:
    score = "n/a" if health.score is None else f"{health.score:.0f}"
    summary = f"{score} ({health.band})"
    if health.override is not None:
        summary += f" by your call: {health.override.reason} (the score gives {health.score_band})"
    if health.adjustment:
        summary += f"; {health.adjustment}"
    if trend is not None and compared is not None:
        label = "the snapshot stored then" if source == "snapshot" else "recomputed for that day"
        change = "unchanged" if trend == 0 else f"{'up' if trend > 0 else 'down'} {abs(trend):g}"
        summary += f", {change} since {compared} ({label})"
    if moved:
        summary += "; moved: " + ", ".join(
            f"{m.name} {m.change:+g}"
            if m.change is not None
            else f"{m.name} ({'new' if m.before is None else 'no data'})"
            for m in moved
        )
    return HealthNow(
        score=health.score,
        band=health.band,
        confidence=health.confidence,
        components=current.components,
        trend=trend,
        compared_with=compared,
        compared_source=source,
        moved=moved,
        summary=summary,
    )


def _moved_why(name: str, inputs: dict[str, Any]) -> str:
    from csm.domain.words import described

    shown = {k: v for k, v in inputs.items() if v not in (None, {}, [])}
    return described(dict(list(shown.items())[:4]))


def surveys_section(answers: list[Row], as_of: date, config: Config) -> SurveysSection:
    """Latest answer per survey, its trend against the earlier answers, and what to do about it."""
    by_survey: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in answers:
        by_survey[(str(row["survey"]).lower(), str(row["survey_type"]))].append(row)
    surveys = []
    advice = []
    answered = []
    for (name, kind), rows in sorted(by_survey.items()):
        latest = rows[-1]
        earlier = [int(r["score"]) for r in rows[:-1]]
        average = round(sum(earlier) / len(earlier), 1) if earlier else None
        scale = SURVEY_SCALES.get(name, max(int(r["score"]) for r in rows) or 1)
        trend = None
        if average is not None:
            delta = (int(latest["score"]) - average) / scale
            trend = "flat" if abs(delta) < 0.1 else "up" if delta > 0 else "down"
        latest_on = as_date(latest["responded_on"]) or as_of
        item = SurveyOut(
            survey=name,
            survey_type=kind,
            answers=len(rows),
            latest_score=int(latest["score"]),
            latest_on=latest_on,
            latest_by=latest["contact"],
            comment=latest["comment"],
            earlier_average=average,
            trend=trend,
        )
        surveys.append(item)
        label = f"{name.upper()} ({'relationship' if kind == 'relational' else kind})"
        who = f" by {item.latest_by}" if item.latest_by else ""
        answered.append(f"{label}: last answered {latest_on}{who}, {(as_of - latest_on).days} days ago")
        low, high = (
            (config.sentiment.passive_min, config.sentiment.promoter_min)
            if name == "nps"
            else (0.6 * scale, 0.9 * scale)
        )
        detractor, promoter = item.latest_score < low, item.latest_score >= high
        said = f' ("{item.comment}")' if item.comment else ""
        score = f"{item.latest_score}/{scale}"
        if trend == "down" or detractor:
            before = f" from an average of {average:g}" if average is not None else ""
            if trend != "down":
                before = f" (earlier average {average:g})" if average is not None else ""
            advice.append(
                f"{label} {'fell to' if trend == 'down' else 'is'} {score}{before}{said}: "
                "plan a follow-up on the root cause and say what you changed."
            )
        elif trend == "up" or promoter:
            advice.append(f"{label} {'rose to' if trend == 'up' else 'is'} {score}{said}: congratulate them and thank "
                          "the people who made it happen.")  # fmt: skip
    if not by_survey:
        answered.append("No survey answers in the past year: ask how they would rate us, and why.")
    return SurveysSection(surveys=surveys, answered_latest=answered, advice=advice)


def support_section(
    runner: Runner, facts: AccountFacts, as_of: date, zone: ZoneInfo, config: Config, *, has_tickets: bool
) -> SupportSection:
    """Tickets in the last 4 weeks against the 4 before, open critical and long waits, and what to say."""
    rules = config.support
    window = rules.window_days
    support = facts.support
    recent = support.new_recent if support else 0
    before = support.new_before if support else 0
    weeks = window / 7
    end = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    open_rows = dossier.open_tickets(runner, facts.id, as_of, zone)
    tickets = [_ticket(row, end) for row in open_rows]
    critical = [t for t in tickets if (t.priority or "").lower() in ("urgent", "critical")]
    long_waits = [t for t in tickets if t.waiting_days > rules.long_wait_days]
    counted = [
        (str(row["subject"]), int(row["n"]))
        for row in dossier.recent_subjects(runner, facts.id, end - timedelta(days=window), end)
    ]
    subjects = [f"{subject} ({n})" for subject, n in counted]
    change = round(100 * (recent - before) / before, 0) if before else None
    parts = []
    about = _subjects_words(counted[:2])
    if not has_tickets:
        parts.append("No tickets imported for the book: ask how support has been for them.")
    elif (
        support is None or support.last_ticket_on is None or (as_of - support.last_ticket_on).days >= rules.silent_days
    ):
        last = f" (last on {support.last_ticket_on})" if support and support.last_ticket_on else ""
        parts.append(f"No tickets for {rules.silent_days}+ days{last}: silence is a warning, not good news; "
                     "check they are still using the product.")  # fmt: skip
    elif is_spike(recent, before, config):
        parts.append(f"I noticed your tickets went up: {recent} in the last 4 weeks against {before} in the 4 before"
                     f"{about}, and I want us to find the root cause together.")  # fmt: skip
    elif recent > before:
        parts.append(f"Tickets a little up: {recent} in the last 4 weeks against {before} in the 4 before{about}.")
    elif recent < before:
        parts.append(f"Tickets went down: {recent} in the last 4 weeks against {before} before{about}; "
                     "check the fixes held.")  # fmt: skip
    else:
        parts.append(f"Ticket volume steady: {recent} in the last 4 weeks, {before} in the 4 before{about}.")
    if critical:
        parts.append(f"{plural(len(critical), 'critical ticket')} open: " + "; ".join(
            f"{t.subject or t.id} ({t.waiting_days} days)" for t in critical[:3]) + ": have the status ready.")  # fmt: skip
    if long_waits:
        parts.append(f"{plural(len(long_waits), 'ticket')} waiting more than {rules.long_wait_days} days: "
                     "bring a date for each.")  # fmt: skip
    return SupportSection(
        last_4_weeks=recent,
        previous_4_weeks=before,
        weekly_average=round(recent / weeks, 1),
        weekly_average_before=round(before / weeks, 1),
        change_pct=change,
        open=support.open if support else 0,
        open_critical=support.open_critical if support else 0,
        open_high=support.open_high if support else 0,
        longest_wait_days=support.longest_wait_days if support else None,
        critical=critical,
        long_waits=long_waits,
        top_subjects=subjects,
        talking_point=" ".join(parts),
    )


def _ticket(row: Row, end: datetime) -> TicketOut:
    created = as_datetime(row["created_at"]) or end
    return TicketOut(
        id=str(row["external_id"]),
        subject=row["subject"],
        priority=row["priority"],
        status=str(row["status"]),
        waiting_days=(end - created).days,
    )


def number(value: float | None) -> str:
    return "?" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def goal_out(row: Row, milestone_rows: list[Row], as_of: date) -> GoalOut:
    baseline, current, target = row["baseline"], row["current"], row["target"]
    progress = None
    if baseline is not None and target is not None and current is not None and target != baseline:
        progress = round(max(0.0, min(1.0, (current - baseline) / (target - baseline))), 2)
    unit = f" {row['unit']}" if row["unit"] else ""
    if baseline is None and current is None and target is None:
        measure = row["metric"] or "no measure recorded"
    else:
        measure = f"{number(baseline)} → {number(current)}{unit} (target {number(target)})"
        if row["metric"]:
            measure = f"{row['metric']}: {measure}"
    due = as_date(row["due"])
    return GoalOut(
        id=int(row["id"]),
        title=str(row["title"]),
        value_type=row["value_type"],
        metric=row["metric"],
        unit=row["unit"],
        baseline=baseline,
        current=current,
        target=target,
        progress=progress,
        due=due,
        days_to_due=(due - as_of).days if due else None,
        status=str(row["status"]),
        confirmed=bool(row["customer_confirmed"]),
        confirmed_by=row["confirmed_by"],
        confirmed_on=as_date(row["confirmed_on"]),
        evidence=row["evidence"],
        measure=measure,
        milestones=[
            MilestoneOut(title=str(m["title"]), due=as_date(m["due"]), status=str(m["status"]))
            for m in milestone_rows
            if m["goal_id"] == row["id"]
        ],
    )


def success_plan(runner: Runner, account_id: int, as_of: date) -> SuccessPlan:
    milestone_rows = dossier.milestones(runner, account_id)
    goals = [goal_out(row, milestone_rows, as_of) for row in dossier.goals(runner, account_id)]
    open_items: list[tuple[date, str]] = []
    for goal in goals:
        if goal.status not in ("achieved", "missed") and goal.due is not None:
            open_items.append((goal.due, f"goal '{goal.title}' ({goal.status.replace('_', ' ')})"))
        for milestone in goal.milestones:
            if milestone.status not in ("achieved", "done") and milestone.due is not None:
                open_items.append((milestone.due, f"milestone '{milestone.title}' of '{goal.title}'"))
    due_next = []
    for day, what in sorted(open_items):
        days = (day - as_of).days
        due_next.append(f"{what}: {days_away(days)} ({day})" if days < 0 else f"{what}: due {day} ({days_away(days)})")
    delivered = []
    for goal in goals:
        if goal.status == "achieved" or (goal.progress or 0) > 0:
            proof = f"confirmed by {goal.confirmed_by or 'the customer'}" if goal.confirmed else "not yet confirmed"
            delivered.append(f"{goal.title}: {goal.measure}, {proof}")
    return SuccessPlan(goals=goals, due_next=due_next, value_delivered=delivered)


def open_risks(evaluation: Evaluation, account_id: int) -> list[RiskOut]:
    return [risk_out(r, evaluation.as_of) for r in evaluation.open_risks(account_id)]


def action_items(evaluation: Evaluation, facts: AccountFacts, notes: list[Row], config: Config) -> list[ActionItem]:
    """Open to-dos for the account, then next steps from recent interactions that no to-do covers yet."""
    as_of = evaluation.as_of
    owner = facts.owner or config.owner
    items = [
        ActionItem(
            title=todo.title,
            owner=owner,
            due=todo.effective_due,
            source=f"to-do #{todo.id}" if todo.id else "to-do",
            deferrals=todo.deferrals,
            defer_reason=todo.defer_reason,
            covered_by=todo.covered_by,
        )
        for todo in todos_due(evaluation.todos, as_of)
        if todo.account_id == facts.id and todo.kind != "playbook"  # the steps are a section of their own
    ]
    titles = {item.title.lower() for item in items}
    for row in notes:
        on = as_date(row["occurred_on"]) or as_of
        step = (row["next_steps"] or "").strip()
        if step and step.lower() not in titles and (as_of - on).days <= 60:
            items.append(
                ActionItem(title=step, owner=owner, due=None, source=f"next step from the {row['kind']} of {on}")
            )
            titles.add(step.lower())
    return items


def notes_out(rows: list[Row], limit: int = 5) -> list[NoteOut]:
    return [
        NoteOut(
            on=as_date(row["occurred_on"]) or date.min,
            kind=str(row["kind"]),
            summary=str(row["summary"]),
            attendees=row["attendees"],
            next_steps=row["next_steps"],
        )
        for row in rows[:limit]
    ]


def _subjects_words(subjects: list[tuple[str, int]]) -> str:
    """' (mostly Login fails (3), Export slow (2))' where a subject comes back; ' (about Login fails, Export slow)'
    where each came once (one ticket each is no "mostly")."""
    if not subjects:
        return ""
    if subjects[0][1] < 2:
        return f" (about {', '.join(subject for subject, _ in subjects)})"
    return f" (mostly {', '.join(f'{subject} ({n})' for subject, n in subjects)})"
