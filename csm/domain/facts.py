"""What the rules know about an account on a given day: plain values gathered by storage, judged by domain.

Every field is a fact, not an opinion; None means "no data", which lowers confidence, never a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Stakeholder:
    id: int
    name: str
    role: str | None
    title: str | None
    email: str | None
    left_on: date | None
    added_on: date
    last_contact_on: date | None  # last interaction or meeting they took part in
    changed_title_on: date | None = None  # latest title / company change seen between imports
    left_to: str | None = None  # where a departed contact went: a sales lead


@dataclass(frozen=True)
class SupportFacts:
    """Tickets of one account, counted around the as-of day (the windows are the config's)."""

    new_recent: int  # created in the last window (28 days)
    new_before: int  # created in the window before that
    open: int
    open_critical: int
    open_high: int
    longest_wait_days: int | None  # age of the oldest open ticket
    last_ticket_on: date | None
    total: int


@dataclass(frozen=True)
class SurveyFacts:
    latest_score: int | None
    latest_on: date | None
    earlier_average: float | None  # mean of the account's earlier scores in the past year
    promoters: int
    passives: int
    detractors: int


@dataclass(frozen=True)
class UsageFacts:
    measured_on: date
    active_users: int | None
    licensed_seats: int | None
    feature_breadth: float | None
    earlier_active_users: int | None  # about 90 days before the latest snapshot
    first_active_on: date | None  # first snapshot showing first value (config: first_value_seat_share)


@dataclass(frozen=True)
class GoalFacts:
    id: int
    title: str
    due: date | None
    status: str
    customer_confirmed: bool
    kind: str = "goal"  # goal or milestone
    goal_title: str | None = None


@dataclass(frozen=True)
class AccountFacts:
    id: int
    name: str
    segment: str  # effective: set by hand, else from ARR
    arr: float | None
    owner: str | None
    lifecycle_stage: str | None
    contract_start: date | None
    renewal_date: date | None
    first_value_on: date | None
    churned_on: date | None
    ebr_cadence_months: int | None
    renewal_sentiment: str | None
    created_on: date
    last_touch_on: date | None = None
    last_ebr_on: date | None = None
    exec_attended_ebr_on: date | None = None
    stakeholders: tuple[Stakeholder, ...] = ()
    support: SupportFacts | None = None  # None: no tickets for this account in the book
    surveys: SurveyFacts | None = None
    usage: UsageFacts | None = None
    plan: tuple[GoalFacts, ...] = ()
    open_sows: tuple[str, ...] = ()
    feature_requests: tuple[str, ...] = ()
    renewal_forecast: str | None = None
    open_upsell_amount: float = 0.0

    @property
    def active_stakeholders(self) -> tuple[Stakeholder, ...]:
        return tuple(s for s in self.stakeholders if s.left_on is None)

    def days_to_renewal(self, as_of: date) -> int | None:
        return (self.renewal_date - as_of).days if self.renewal_date else None

    @property
    def is_churned(self) -> bool:
        return self.churned_on is not None or self.lifecycle_stage == "churned"


@dataclass(frozen=True)
class BookFacts:
    """Facts about the book as a whole that change what a missing value means."""

    has_tickets: bool = False
    has_surveys: bool = False
    has_usage: bool = False
    has_interactions: bool = False
    accounts: tuple[AccountFacts, ...] = field(default=())
