"""Report models: what `--format json` prints, and what the renderers draw: the worklist's to-dos and risks. The
portfolio views' models are in csm.reports.portfolio_models, the playbooks' in csm.reports.playbook_models, what a
write prints back in csm.reports.logged: a command creates only the classes it shows (each costs start-up time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(eq=False)
class TermOut:
    """One term of a to-do's urgency, as `--explain` and JSON show it."""

    name: str
    coefficient: float
    factor: float
    value: float
    why: str


@dataclass(eq=False)
class TodoOut:
    """A to-do as `today`, `todo list` and their JSON show it."""

    id: int | str  # a number for a to-do written down, letters for one a rule raised (`csm todo done ID`)
    kind: str
    title: str
    account: str | None
    due: date | None
    overdue_days: int
    deferrals: int
    deferred_until: date | None
    urgency: float
    reason: str | None
    terms: list[TermOut] = field(default_factory=list)
    owner: str | None = None
    defer_reason: str | None = None
    rule_key: str | None = None  # what the rule fired on; None for a to-do written down
    covered_by: str | None = None  # a scheduled meeting about it, in words: "covered by today's 13:00 QBR"
    # the account's next meeting when it is about something else: "next meeting: tomorrow's 15:00 ticket review"
    next_meeting: str | None = None
    handed_to: str | None = None  # a playbook step someone else does ("AE: Dana Lee"); None for your own

    @property
    def meeting_note(self) -> str | None:
        """The words a view shows beside the to-do: the meeting that covers it, else the account's next one."""
        return self.covered_by or self.next_meeting


@dataclass(eq=False)
class RiskOut:
    """An open risk as `risk`, `today` and their JSON show it."""

    id: int | str  # a number for a risk logged by hand, letters for one a rule raised (`csm risk resolve ID`)
    account: str
    category: str
    severity: str
    rule: str
    evidence: str
    first_response: str | None
    escalation: str | None
    owner: str | None
    raised_on: date | None  # the day its situation began; None where the book cannot tell
    new: bool  # it began on the as-of day
