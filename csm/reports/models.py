"""Report models: what `--format json` prints, and what the renderers draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(eq=False)
class TermOut:
    name: str
    coefficient: float
    factor: float
    value: float
    why: str


@dataclass(eq=False)
class TodoOut:
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


@dataclass(eq=False)
class ComponentOut:
    name: str
    score: float | None
    weight: float
    contribution: float | None
    inputs: dict[str, Any]
    why: str


@dataclass(eq=False)
class HealthOut:
    account: str
    score: float | None  # the components' score, moved by open risks (`adjustment` says how)
    band: str  # the band in force: the CSM's override where one holds (`override`), else the score's
    components: list[ComponentOut]
    confidence: float
    trend: float | None  # the change since `trend_since`
    trend_days: int
    trend_since: date | None = None
    trend_source: str | None = None  # "snapshot" (stored that day) or "recomputed" (the book's score for that day)
    computed: float | None = None  # the components' score before open risks moved it
    adjustment: str | None = None  # how open risks moved the score, in words
    score_band: str | None = None  # the band of the score alone, beside an override
    override: OverrideOut | None = None


@dataclass(eq=False)
class OverrideOut:
    """The CSM's own call on an account's health band (`csm health set`)."""

    band: str
    reason: str
    set_on: date
    until: date | None


@dataclass(eq=False)
class RenewalOut:
    account: str
    renewal_date: date
    days: int
    arr: float | None
    health: float | None
    band: str
    open_risks: int
    worst_risk: str | None
    forecast: str | None  # the renewal opportunity's forecast category, as the CRM names it
    outlook: str = "likely"  # csm's forecast: commit, likely, at_risk or lost (csm.domain.forecast)
    outlook_why: list[str] = field(default_factory=list)
    currency: str | None = None  # the account's, where known (the figures are never converted)


@dataclass(eq=False)
class PeriodTotal:
    period: str
    accounts: int
    arr: float


@dataclass(eq=False)
class RenewalsReport:
    as_of: date
    within_days: int
    renewals: list[RenewalOut]
    by_month: list[PeriodTotal]
    by_quarter: list[PeriodTotal]
    total_arr: float
    # this quarter's renewals (overdue ones too) by outlook: commit, likely, at_risk, lost
    forecast_quarter: str = ""
    by_outlook: list[PeriodTotal] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)  # of the renewals listed (USD where none is known)


@dataclass(eq=False)
class ComingDue:
    """A renewal or EBR of an account asking for a feature, inside the gaps window (or already late)."""

    account: str
    event: str  # "renewal" or "ebr"
    on: date
    days: int  # from the as-of day; negative when late
    arr: float | None


@dataclass(eq=False)
class GapOut:
    feature: str
    accounts: list[str]
    account_count: int
    arr: float
    arr_renewing_this_quarter: float
    first_requested: date
    last_requested: date
    window_days: int = 90  # `csm gaps --days`
    arr_renewing: float = 0.0  # ARR of the asking accounts renewing within `window_days`
    coming_due: list[ComingDue] = field(default_factory=list)  # their renewals and EBRs in the window, soonest first


@dataclass(eq=False)
class AdvocateOut:
    account: str
    arr: float | None
    health: float | None
    promoters: int
    latest_nps: int | None
    confirmed_goals: int
    contacts: list[str]
    why: str
    candidate: bool = True  # False: a near-candidate, one or two criteria short (`missing` says which)
    missing: list[str] = field(default_factory=list)


@dataclass(eq=False)
class ChangeOut:
    account: str
    area: str
    what: str
    on: date | None


@dataclass(frozen=True)
class LoggedTodo:
    id: int
    title: str
    due: date | None


@dataclass(frozen=True)
class Logged:
    """An interaction as it was logged, and the to-do its next step became."""

    account: str
    kind: str
    on: date
    summary: str
    attendees: str | None
    todo: LoggedTodo | None


@dataclass(frozen=True)
class LoggedRisk:
    id: int
    account: str
    category: str
    severity: str
    evidence: str
    owner: str | None
    first_response: str | None


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
