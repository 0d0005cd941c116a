"""Success plans (goals and milestones), hand-logged risks and feature requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from csm.config import Response
from csm.db.models import Account, FeatureRequest, Goal, Milestone, Risk
from csm.domain.matching import normalise_phrase
from csm.errors import InputError, NotFoundError


@dataclass(frozen=True)
class GoalFields:
    """A goal's measurable parts; None leaves a field as it is."""

    metric: str | None = None
    unit: str | None = None
    value_type: str | None = None
    baseline: float | None = None
    target: float | None = None
    current: float | None = None
    due: date | None = None
    status: str | None = None
    evidence: str | None = None


def add_goal(session: Session, account: Account, title: str, fields: GoalFields, *, today: date) -> Goal:
    if not title.strip():
        raise InputError("a goal needs a title")
    assert account.id is not None
    goal = Goal(account_id=account.id, title=title.strip(), created_on=today)
    _apply_goal(goal, fields)
    session.add(goal)
    session.flush()
    return goal


def get_goal(session: Session, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFoundError(f"no success-plan goal with id {goal_id}; 'csm plan ACCOUNT' lists them")
    return goal


def update_goal(
    session: Session,
    goal_id: int,
    fields: GoalFields,
    *,
    confirmed_by: str | None,
    title: str | None,
    today: date,
) -> Goal:
    """Record progress; `confirmed_by` marks the value as proven (the customer acknowledged it)."""
    goal = get_goal(session, goal_id)
    _apply_goal(goal, fields)
    if title:
        goal.title = title.strip()
    if confirmed_by:
        goal.customer_confirmed = True
        goal.confirmed_by = confirmed_by.strip()
        goal.confirmed_on = today
    session.add(goal)
    return goal


def _apply_goal(goal: Goal, fields: GoalFields) -> None:
    for key, value in vars(fields).items():
        if value is not None:
            setattr(goal, key, value)


def add_milestone(session: Session, goal_id: int, title: str, *, due: date | None) -> Milestone:
    goal = get_goal(session, goal_id)
    assert goal.id is not None
    milestone = Milestone(goal_id=goal.id, title=title.strip(), due=due)
    session.add(milestone)
    session.flush()
    return milestone


def complete_milestone(session: Session, milestone_id: int, *, today: date) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFoundError(f"no milestone with id {milestone_id}")
    milestone.status = "achieved"
    milestone.done_on = today
    session.add(milestone)
    return milestone


def account_plan(session: Session, account: Account) -> list[tuple[Goal, list[Milestone]]]:
    goals = list(
        session.exec(
            select(Goal)
            .where(Goal.account_id == account.id)
            .order_by(col(Goal.due).is_(None), col(Goal.due), col(Goal.id))
        ).all()
    )
    ids = [g.id for g in goals]
    milestones = (
        list(session.exec(select(Milestone).where(col(Milestone.goal_id).in_(ids)).order_by(col(Milestone.due))).all())
        if ids
        else []
    )
    return [(goal, [m for m in milestones if m.goal_id == goal.id]) for goal in goals]


def add_risk(
    session: Session,
    account: Account,
    *,
    category: str,
    severity: str,
    evidence: str,
    owner: str | None,
    playbook: Response,
    today: date,
) -> Risk:
    """A risk the CSM saw that no rule would: it carries the category's playbook unless told otherwise."""
    if not evidence.strip():
        raise InputError("a risk needs --evidence: what you saw, in words and numbers")
    assert account.id is not None
    risk = Risk(
        account_id=account.id,
        category=category,
        severity=severity,
        rule="manual",
        evidence=evidence.strip(),
        owner=owner,
        first_response=playbook.first_response,
        escalation=playbook.escalation,
        raised_on=today,
    )
    session.add(risk)
    session.flush()
    return risk


def get_risk(session: Session, risk_id: int) -> Risk:
    risk = session.get(Risk, risk_id)
    if risk is None:
        raise NotFoundError(f"no risk with id {risk_id}; 'csm risk list' shows the ids")
    return risk


def resolve_risk(session: Session, risk_id: int, *, today: date) -> Risk:
    risk = get_risk(session, risk_id)
    risk.status = "resolved"
    risk.resolved_on = today
    session.add(risk)
    return risk


def snooze_risk(session: Session, risk_id: int, *, until: date, today: date) -> Risk:
    if until <= today:
        raise InputError(f"--until {until} is not after today ({today})")
    risk = get_risk(session, risk_id)
    risk.status = "snoozed"
    risk.snoozed_until = until
    session.add(risk)
    return risk


def list_risks(
    session: Session, *, account: Account | None, include_closed: bool, today: date
) -> list[tuple[Risk, str]]:
    """Stored risks: open ones, and snoozed ones whose snooze has run out, most severe first."""
    query = select(Risk, Account.name).join(Account, col(Account.id) == Risk.account_id)
    if account is not None:
        query = query.where(Risk.account_id == account.id)
    if not include_closed:
        query = query.where(
            (col(Risk.status) == "open") | ((col(Risk.status) == "snoozed") & (col(Risk.snoozed_until) <= today))
        )
    rows = [(risk, name) for risk, name in session.exec(query.order_by(func.lower(Account.name), col(Risk.id)))]
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    return sorted(rows, key=lambda row: order.get(row[0].severity, 4))


def add_request(session: Session, account: Account, feature: str, *, on: date, notes: str | None) -> FeatureRequest:
    """A feature the customer asked for; requests for the same feature group across the book."""
    clean = " ".join(feature.split())
    if not clean:
        raise InputError("a feature request needs the feature's name")
    assert account.id is not None
    request = FeatureRequest(
        account_id=account.id, feature=clean, feature_norm=normalise_phrase(clean), requested_on=on, notes=notes
    )
    session.add(request)
    session.flush()
    return request


def list_requests(session: Session, account: Account | None) -> list[tuple[FeatureRequest, str]]:
    query = select(FeatureRequest, Account.name).join(Account, col(Account.id) == FeatureRequest.account_id)
    if account is not None:
        query = query.where(FeatureRequest.account_id == account.id)
    query = query.order_by(FeatureRequest.feature_norm, col(FeatureRequest.requested_on).desc())
    return [(request, name) for request, name in session.exec(query)]
