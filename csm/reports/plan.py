"""`csm plan ACCOUNT`: an account's success plan as recorded, goals first, each milestone with its goal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csm.db import dossier
from csm.db.runner import Runner, as_date


@dataclass
class GoalRow:
    id: int
    title: str
    value_type: str | None
    metric: str | None
    unit: str | None
    baseline: float | None
    current: float | None
    target: float | None
    due: date | None
    status: str
    customer_confirmed: bool
    confirmed_by: str | None
    evidence: str | None


@dataclass
class MilestoneRow:
    id: int
    goal_id: int
    goal: str
    title: str
    due: date | None
    status: str


@dataclass
class PlanView:
    account: str
    goals: list[GoalRow]
    milestones: list[MilestoneRow]


def plan_view(runner: Runner, account_id: int, account: str) -> PlanView:
    goals = [
        GoalRow(
            int(g["id"]),
            str(g["title"]),
            g["value_type"],
            g["metric"],
            g["unit"],
            g["baseline"],
            g["current"],
            g["target"],
            as_date(g["due"]),
            str(g["status"]),
            bool(g["customer_confirmed"]),
            g["confirmed_by"],
            g["evidence"],
        )
        for g in dossier.goals(runner, account_id)
    ]
    titles = {g.id: g.title for g in goals}
    milestones = [
        MilestoneRow(
            int(m["id"]),
            int(m["goal_id"]),
            titles.get(int(m["goal_id"]), ""),
            str(m["title"]),
            as_date(m["due"]),
            str(m["status"]),
        )
        for m in dossier.milestones(runner, account_id)
    ]
    return PlanView(account, goals, milestones)
