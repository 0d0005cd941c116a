"""What the rules know about an account on a given day: plain values gathered by storage, judged by domain.

Every field is a fact, not an opinion; None means "no data", which lowers confidence, never a score.
The classes are slotted and built positionally by the fact sheet (csm.db.facts): a book of 100,000
accounts makes this many of them on every judgement. Counts over the account's people come ready
made; `stakeholders` holds only the people a rule may speak of (see Stakeholder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Stakeholder:
    """A person a stakeholder rule may speak of: a key contact who left or changed title in the last 90 days,
    a champion who may have gone quiet, an executive who may be new. The fact sheet leaves out the rest."""

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


@dataclass(slots=True)
class SupportFacts:
    """Tickets of one account, counted around the as-of day (the windows are the config's)."""

    new_recent: int  # created in the last window (28 days)
    new_before: int  # created in the window before that
    open: int
    open_critical: int
    open_high: int
    longest_wait_days: int | None  # age of the oldest open ticket
    last_ticket_on: date | None
    # the day each open load went over its limit: the creation day of the open ticket one past the limit
    open_over_since: date | None = None
    critical_over_since: date | None = None
    high_over_since: date | None = None
    oldest_open_on: date | None = None


@dataclass(slots=True)
class SurveyFacts:
    latest_score: int | None
    latest_on: date | None
    earlier_average: float | None  # mean of the account's earlier scores in the past year
    promoters: int
    passives: int
    detractors: int


@dataclass(slots=True)
class UsageFacts:
    measured_on: date
    active_users: int | None
    licensed_seats: int | None
    feature_breadth: float | None
    earlier_active_users: int | None  # about 90 days before the latest snapshot
    first_active_on: date | None  # first snapshot showing first value (config: first_value_seat_share)


@dataclass(slots=True)
class GoalFacts:
    id: int
    title: str
    due: date | None
    status: str
    customer_confirmed: bool
    kind: str = "goal"  # goal or milestone
    goal_title: str | None = None


@dataclass(slots=True)
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
    created_on: date  # the day the account entered the book
    last_touch_on: date | None = None
    last_ebr_on: date | None = None
    exec_attended_ebr_on: date | None = None
    stakeholders: tuple[Stakeholder, ...] = ()  # only the people a rule may speak of
    support: SupportFacts | None = None  # None: no tickets for this account in the book
    surveys: SurveyFacts | None = None
    usage: UsageFacts | None = None
    plan: tuple[GoalFacts, ...] = ()
    open_sows: tuple[str, ...] = ()
    feature_requests: tuple[str, ...] = ()
    renewal_forecast: str | None = None
    open_upsell_amount: float = 0.0
    renewal_sentiment_on: date | None = None
    first_request_on: date | None = None
    # the account's people, counted
    active_contacts: int = 0
    active_exec_sponsors: int = 0
    active_champions: int = 0
    sole_contact: str | None = None  # the one active contact, when there is only one
    sole_contact_added_on: date | None = None
    last_left_on: date | None = None  # the latest day anyone left
    last_sponsor_left_on: date | None = None  # the latest day an executive sponsor left
    # the latest interaction with an active person who is not a champion, within the champion-absence window
    # (config: stakeholders.champion_absent_days); None when there was none in it
    others_last_contact_on: date | None = None
    # how the latest call (or meeting, e-mail) the CSM marked went, within 90 days: positive, neutral or negative
    logged_mood: str | None = None
    logged_mood_on: date | None = None
    logged_mood_risk: bool = False  # the call was marked well, but a risk was raised by hand that day: negative
    currency: str | None = None  # the ISO code of the account's money, where an export gave one

    def days_to_renewal(self, as_of: date) -> int | None:
        return (self.renewal_date - as_of).days if self.renewal_date else None

    @property
    def is_churned(self) -> bool:
        return self.churned_on is not None or self.lifecycle_stage == "churned"


@dataclass(slots=True)
class BookFacts:
    """Facts about the book as a whole that change what a missing value means."""

    has_tickets: bool = False
    has_surveys: bool = False
    has_usage: bool = False
    has_interactions: bool = False
    accounts: tuple[AccountFacts, ...] = field(default=())
    first_ticket_on: date | None = None  # where the book's ticket history starts
