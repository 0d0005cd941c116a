"""A success plan on the terminal, in Markdown or as JSON: its goals, then their milestones."""

from __future__ import annotations

from csm.render.listing import Card, Column, Listing, plain
from csm.reports.plan import PlanView


def plan_card(view: PlanView) -> Card:
    goals = Listing(
        title="Goals",
        columns=[
            Column("id", "ID", "right"),
            Column("title", "Goal"),
            Column("metric", "Metric"),
            Column("baseline", "Baseline", "right"),
            Column("current", "Now", "right"),
            Column("target", "Target", "right"),
            Column("due", "Due"),
            Column("status", "Status"),
            Column("customer_confirmed", "Confirmed"),
        ],
        rows=plain(view.goals),
        empty=f"none yet ('csm plan add \"{view.account}\" GOAL --metric ... --target ...')",
    )
    milestones = Listing(
        title="Milestones",
        columns=[
            Column("id", "ID", "right"),
            Column("goal", "Goal"),
            Column("title", "Milestone"),
            Column("due", "Due"),
            Column("status", "Status"),
        ],
        rows=plain(view.milestones),
        empty="none",
    )
    return Card(title=f"Success plan: {view.account}", fields={"account": view.account}, sections=[goals, milestones])
