"""Playbook runs on a terminal or in Markdown: `csm risk show` as a card, its steps as a listing."""

from __future__ import annotations

from typing import Any

from csm.render.listing import Card, Column, Listing
from csm.reports.playbook_models import RiskDetail, RunOut, StepOut

STEP_COLUMNS = [
    Column("number", "#", "right"),
    Column("state", "State"),
    Column("due", "Due"),
    Column("owner", "Owner"),
    Column("title", "Step"),
    Column("id", "ID"),
]


def step_rows(steps: list[StepOut]) -> list[dict[str, Any]]:
    return [
        {
            "number": s.number,
            "state": _state_words(s),
            "due": s.deferred_until or s.due,
            "owner": s.owner,
            "title": s.title,
            "id": s.id,
        }
        for s in steps
    ]


def _state_words(step: StepOut) -> str:
    if step.state in ("done", "dismissed") and step.decided_on:
        return f"{step.state} {step.decided_on}"
    if step.state == "deferred" and step.deferred_until:
        return f"deferred to {step.deferred_until}"
    if step.why:
        return f"{step.state} ({step.why})"
    return step.state


def run_listing(run: RunOut, title: str) -> Listing:
    return Listing(title=title, columns=STEP_COLUMNS, rows=step_rows(run.steps), empty="no steps")


def risk_card(detail: RiskDetail) -> Card:
    fields: dict[str, Any] = {"account": detail.account, "status": detail.status, "why": detail.why}
    risk = detail.risk
    if risk is not None:
        fields = {
            "account": risk.account, "severity": risk.severity, "category": risk.category, "rule": risk.rule,
            "evidence": risk.evidence, "raised_on": risk.raised_on, "owner": risk.owner, **fields,
            "first_response": risk.first_response, "escalation": risk.escalation,
        }  # fmt: skip
    sections = []
    if detail.run is not None:
        fields["playbook"] = detail.run.playbook
        run = detail.run
        dated = f" (steps {run.dated_why})" if run.dated_why else ""
        sections.append(run_listing(run, f"Playbook: {run.playbook}{dated}"))
    elif risk is not None:
        fields["playbook"] = None
    for run in detail.history:
        since = f" (raised {run.raised_on})" if run.raised_on else ""
        sections.append(run_listing(run, f"Earlier run: {run.playbook}{since}, {run.status}"))
    hidden = detail.status if detail.status in ("snoozed", "resolved") else "no longer open"
    title = f"Risk {risk.id}: {risk.account}" if risk is not None else f"Risk of {detail.account}, {hidden}"
    return Card(title=title, fields=fields, sections=sections)
