"""Report models of playbook runs: `csm risk show`, `csm playbook list`, and the steps prep and the EBR show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from csm.reports.models import RiskOut


@dataclass(eq=False)
class StepOut:
    """A playbook step as reports show it."""

    id: str | None  # its to-do id while it is open (`csm todo done ID`); None while it waits or once it is closed
    number: int
    title: str
    owner: str  # "you", or who it is handed to ("AE: Dana Lee")
    due: date | None
    state: str  # open, waiting, deferred, done, dismissed, retired
    after: int | None = None  # the step it waits for
    decided_on: date | None = None  # done, dismissed or deferred on
    deferred_until: date | None = None
    why: str | None = None  # why it is retired ("risk resolved", "risk cleared"), or what it waits for


@dataclass(eq=False)
class RunOut:
    """One playbook run: the playbook a risk opened and each step's state."""

    playbook: str
    risk_id: int | str
    account: str
    risk: str  # the risk in a few words: "critical support: 1 critical ticket open"
    raised_on: date | None
    steps: list[StepOut]
    status: str = "open"  # open; resolved or cleared for a run of a risk no longer open
    # the day its steps are dated from: the day raised (moved on by a snooze), or the day the account came into the
    # book when that was later (a fresh book's runs start fresh)
    dated_from: date | None = None
    dated_why: str | None = None  # when it is dated from later than it was raised, why ("dated from ..., when ...")


@dataclass(eq=False)
class RiskDetail:
    """`csm risk show ID`: the risk, its evidence and response, its playbook run, and the runs before it."""

    risk: RiskOut | None  # None: the risk is not open on the day (its past runs say what became of it)
    status: str  # open, resolved, snoozed or cleared
    why: str  # the rule and its numbers, in words
    run: RunOut | None
    history: list[RunOut] = field(default_factory=list)
    account: str | None = None


@dataclass(eq=False)
class PlaybookOut:
    """`csm playbook list`: a playbook of the config, when it opens, and how many of its runs are open."""

    name: str
    when: str
    steps: int
    owners: list[str]
    open_runs: int
    open_steps: int
    late_steps: int
    default: bool  # csm's own default (not in your config file)
