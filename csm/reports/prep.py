"""`csm prep`: the meeting prep sheet (DOMAIN.md, "Meeting prep") for one account and its next meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db import dossier
from csm.db.dossier import Meeting
from csm.db.runner import Runner
from csm.domain.meetings import UNSETTLED, Me, answer_word
from csm.domain.words import plural
from csm.errors import InputError
from csm.importers.expansion import expanded_for
from csm.reports.dossier import (
    AccountOut,
    ActionItem,
    HealthNow,
    NoteOut,
    PersonOut,
    StakeholderMap,
    SuccessPlan,
    SupportSection,
    SurveysSection,
    account_out,
    action_items,
    arr_history,
    health_now,
    notes_out,
    open_risks,
    role_word,
    stakeholder_map,
    success_plan,
    support_section,
    surveys_section,
)
from csm.reports.judge import Judgement as Evaluation
from csm.reports.models import RiskOut
from csm.reports.playbook_models import StepOut
from csm.reports.playbooks import open_steps

UPCOMING_DAYS = 60
UPCOMING_SHOWN = 10
FEW_INTERACTIONS = 3  # fewer logged interactions than this in 180 days: the account is not well understood
DISCOVERY_QUESTIONS = (
    "Which competitors do you respect, and why?",
    "What are your three most unique strengths?",
    "Who are your most valuable customers, and why do they buy from you?",
    "What are your customers' three most common complaints, and why do customers leave you?",
    "What does the current problem cost you, and what would solving it save?",
)


@dataclass
class AttendeeOut:
    email: str
    name: str | None
    title: str | None
    role: str | None
    influence: str | None
    last_contact: date | None
    days_since_contact: int | None
    known: bool
    rsvp: str | None = None  # accepted, tentative, declined, needs-action, delegated; None: the calendar does not say


@dataclass
class MeetingOut:
    number: int  # its place in the upcoming list: `--meeting N`
    start: datetime | date
    end: datetime | date | None
    all_day: bool
    title: str
    location: str | None
    attendees: list[AttendeeOut]
    rsvp: str | None = None  # the CSM's own answer (None: the calendar does not say; read as accepted)


@dataclass
class DeclinedOut:
    """A meeting with the account ahead that the CSM declined (a series: its next day and how many times)."""

    title: str
    next_on: date
    times: int


@dataclass
class Question:
    question: str
    hints: list[str]


@dataclass
class Discovery:
    reasons: list[str]
    questions: list[str]


@dataclass
class Readiness:
    percent: int
    missing: list[str]
    ready: bool = False  # at or above the config's prep.ready_min_pct


@dataclass
class PrepReport:
    account: str
    as_of: date
    facts: AccountOut
    meeting: MeetingOut | None
    upcoming_meetings: list[MeetingOut]
    declined_meetings: list[DeclinedOut]
    stakeholders: StakeholderMap
    health: HealthNow
    surveys: SurveysSection
    support: SupportSection
    success_plan: SuccessPlan
    risks: list[RiskOut]
    playbook_steps: list[StepOut]  # the open risks' unfinished playbook steps
    action_items: list[ActionItem]
    notes: list[NoteOut]
    account_notes: str | None
    questions: list[Question]
    discovery: Discovery | None
    readiness: Readiness


def prep_report(
    runner: Runner,
    evaluation: Evaluation,
    account_id: int,
    zone: ZoneInfo,
    config: Config,
    *,
    meeting: str | None = None,
) -> PrepReport:
    as_of = evaluation.as_of
    facts = evaluation.account(account_id)
    assert facts is not None, "the evaluation covers the account"
    record = dossier.account_record(runner, account_id)
    people = stakeholder_map(facts, dossier.contacts(runner, account_id, as_of), as_of, config)
    with expanded_for(runner, as_of, as_of + timedelta(days=UPCOMING_DAYS), zone, config):
        meetings = dossier.upcoming_meetings(runner, account_id, as_of, zone, days=UPCOMING_DAYS)
        declined = [
            DeclinedOut(*found) for found in dossier.declined_meetings(runner, account_id, as_of, days=UPCOMING_DAYS)
        ]
    upcoming = [meeting_out(i, m, people.people, config) for i, m in enumerate(meetings[:UPCOMING_SHOWN], 1)]
    chosen = pick_meeting(upcoming, meeting)
    interactions = dossier.recent_interactions(runner, account_id, as_of)
    plan = success_plan(runner, account_id, as_of)
    support = support_section(runner, facts, as_of, zone, config, has_tickets=evaluation.book.has_tickets)
    surveys = surveys_section(dossier.survey_answers(runner, account_id, as_of), as_of, config)
    risks = open_risks(evaluation, account_id)
    recent_count = dossier.interaction_count(runner, account_id, as_of - timedelta(days=180), as_of)
    report = PrepReport(
        account=facts.name,
        as_of=as_of,
        facts=account_out(facts, record, as_of, arr_history(runner, account_id, as_of, currency=record["currency"])),
        meeting=chosen,
        upcoming_meetings=upcoming,
        declined_meetings=declined,
        stakeholders=people,
        health=health_now(runner, evaluation, facts, zone, config),
        surveys=surveys,
        support=support,
        success_plan=plan,
        risks=risks,
        playbook_steps=open_steps(evaluation, account_id),
        action_items=action_items(evaluation, facts, interactions, config),
        notes=notes_out(interactions),
        account_notes=record["notes"],
        questions=[],
        discovery=discovery(recent_count, plan, people),
        readiness=Readiness(0, []),
    )
    report.questions = four_questions(report)
    report.readiness = readiness(report, config.prep.ready_min_pct)
    return report


def meeting_out(number: int, meeting: Meeting, people: list[PersonOut], config: Config) -> MeetingOut:
    """A meeting with each attendee matched to a contact by e-mail, with their RSVP; colleagues (internal domains)
    and the CSM left out."""
    by_email = {p.email.lower(): p for p in people if p.email}
    attendees = []
    for email in Me.of(config).external(meeting.attendees):
        person = by_email.get(email)
        attendees.append(
            AttendeeOut(
                email=email,
                name=person.name if person else None,
                title=person.title if person else None,
                role=person.role if person else None,
                influence=person.influence if person else None,
                last_contact=person.last_contact if person else None,
                days_since_contact=person.days_since_contact if person else None,
                known=person is not None,
                rsvp=meeting.answers.get(email),
            )
        )
    return MeetingOut(
        number=number,
        start=meeting.start,
        end=meeting.end,
        all_day=meeting.all_day,
        title=meeting.title,
        location=meeting.location,
        attendees=attendees,
        rsvp=meeting.rsvp,
    )


def declined_words(declined: DeclinedOut, as_of: date) -> str:
    """'You declined Northwind weekly sync (today, and 8 more times in the next 60 days).'"""
    day = "today" if declined.next_on == as_of else f"{declined.next_on:%a %-d %b}"
    more = declined.times - 1
    again = f", and {more} more {'time' if more == 1 else 'times'} in the next {UPCOMING_DAYS} days" if more else ""
    return f"You declined {declined.title} ({day}{again})."


def pick_meeting(upcoming: list[MeetingOut], wanted: str | None) -> MeetingOut | None:
    """The next meeting, or the one `--meeting` names: its number in the upcoming list, or words of its title."""
    if wanted is None:
        return upcoming[0] if upcoming else None
    text = wanted.strip()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(upcoming):
            return upcoming[number - 1]
        raise InputError(f"--meeting {text}: there are {len(upcoming)} upcoming meetings{_listed(upcoming)}")
    found = [m for m in upcoming if text.lower() in m.title.lower()]
    if not found:
        raise InputError(f"--meeting {text!r}: no upcoming meeting has that in its title{_listed(upcoming)}")
    return found[0]


def _listed(upcoming: list[MeetingOut]) -> str:
    if not upcoming:
        return f" (none in the next {UPCOMING_DAYS} days)"
    return "; " + "; ".join(f"{m.number}: {when(m)} {m.title}" for m in upcoming)


def when(meeting: MeetingOut) -> str:
    if isinstance(meeting.start, datetime):
        return f"{meeting.start:%Y-%m-%d %H:%M}"
    return f"{meeting.start.isoformat()} (all day)"


def discovery(recent_interactions: int, plan: SuccessPlan, people: StakeholderMap) -> Discovery | None:
    """Discovery questions for an account not yet well understood: few conversations, no goals, no champion."""
    reasons = []
    if recent_interactions < FEW_INTERACTIONS:
        reasons.append(
            f"only {plural(recent_interactions, 'interaction')} logged in the last 180 days"
            if recent_interactions
            else "no interaction logged in the last 180 days"
        )
    if not plan.goals:
        reasons.append("no success-plan goals recorded")
    if not [p for p in people.people if p.left_on is None and p.role == "champion"]:
        reasons.append("no active champion")
    return Discovery(reasons=reasons, questions=list(DISCOVERY_QUESTIONS)) if reasons else None


def four_questions(report: PrepReport) -> list[Question]:
    """The four questions to answer before any meeting, each with what the book already suggests."""
    meeting = report.meeting
    need: list[str] = []
    if meeting is not None:
        need.append(f"The invitation says: '{meeting.title}'.")
    for risk in report.risks[:2]:
        need.append(f"Open {risk.severity} {risk.category} risk: {risk.evidence}.")
    need += [f"Success plan: {item}." for item in report.success_plan.due_next[:2]]
    days = report.facts.days_to_renewal
    if days is not None and 0 <= days <= 120:
        need.append(f"Renewal in {days} days ({report.facts.renewal_date}): they will want to see value proven.")
    who: list[str] = []
    if meeting is None:
        who.append("No upcoming meeting with this account in the calendar.")
    else:
        roles = {a.role for a in meeting.attendees if a.known}
        for attendee in meeting.attendees:
            if attendee.known:
                last = f"last contact {attendee.last_contact}" if attendee.last_contact else "never contacted"
                who.append(
                    f"{attendee.name}: {role_word(attendee.role)}"
                    f"{f', influence {attendee.influence}' if attendee.influence else ''}, {last}."
                )
            else:
                who.append(f"{attendee.email} is not in the book: 'csm contact add' with their role.")
        if not roles & {"exec_sponsor", "decision_maker"}:
            who.append("No executive sponsor or decision maker attends: is anyone able to decide?")
        who += unconfirmed(meeting)
    for declined in report.declined_meetings[:2]:
        who.append(declined_words(declined, report.as_of) + " Send someone in your place, or tell them why.")
    who += [g for g in report.stakeholders.gaps if "left" in g or "sponsor" in g.lower()][:2]
    ahead: list[str] = []
    support = report.support
    if support.open_critical:
        ahead.append(f"The status of the {plural(support.open_critical, 'open critical ticket')}, from support.")
    if (
        support.last_4_weeks >= max(support.previous_4_weeks * 3 // 2, 1)
        and support.last_4_weeks > support.previous_4_weeks
    ):
        ahead.append("Support's root-cause analysis of the rise in tickets.")
    if report.success_plan.goals:
        ahead.append("The success-plan progress (goals, measures, what is due next) as a one-pager.")
    if report.action_items:
        ahead.append(f"A recap of the {plural(len(report.action_items), 'open action item')} with owners and dates.")
    ahead.append("An agenda with the decision you need from them.")
    success: list[str] = []
    for item in report.success_plan.due_next[:1]:
        success.append(f"A dated next step agreed on {item.split(':')[0]}.")
    if report.risks:
        success.append(f"An agreed response to the {report.risks[0].category} risk, with an owner.")
    if days is not None and 0 <= days <= 120:
        success.append("The renewal timeline and decision makers confirmed.")
    success.append("Every action item leaves with an owner and a date ('csm log --next').")
    return [
        Question("What does the customer need and expect from this meeting?", need),
        Question("Who will attend, and are the roles right?", who),
        Question("What can I send ahead to save their time?", ahead),
        Question("How will we measure this meeting's success?", success),
    ]


def unconfirmed(meeting: MeetingOut) -> list[str]:
    """Who declined and who has not accepted yet, the CSM included: settle them before the day."""
    found = []
    if meeting.rsvp in UNSETTLED:
        found.append(f"You have not accepted yet ({answer_word(meeting.rsvp)}): confirm or move the meeting.")
    declined = [a.name or a.email for a in meeting.attendees if a.rsvp == "declined"]
    if declined:
        found.append(f"Declined: {', '.join(declined)}. Ask who comes instead, or send them the notes after.")
    pending = [a for a in meeting.attendees if a.rsvp in UNSETTLED]
    if pending:
        names = ", ".join(f"{a.name or a.email} ({answer_word(a.rsvp)})" for a in pending)
        found.append(f"Not confirmed yet: {names}. Confirm they come.")
    return found


def readiness(report: PrepReport, ready_min_pct: int) -> Readiness:
    """How much of the sheet has data behind it: the handbook asks for at least 75% before any meeting."""
    checks = {
        "next meeting in the calendar": report.meeting is not None,
        "attendees known in the book": report.meeting is not None and all(a.known for a in report.meeting.attendees),
        "an executive sponsor": any(p.role == "exec_sponsor" and p.left_on is None for p in report.stakeholders.people),
        "a health score": report.health.score is not None,
        "survey answers": bool(report.surveys.surveys),
        "success-plan goals": bool(report.success_plan.goals),
        "recent notes": bool(report.notes),
        "renewal date": report.facts.renewal_date is not None,
    }
    missing = [name for name, ok in checks.items() if not ok]
    percent = round(100 * (len(checks) - len(missing)) / len(checks))
    return Readiness(percent=percent, missing=missing, ready=percent >= ready_min_pct)
