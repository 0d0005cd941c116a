"""Report models of the portfolio views: health, renewals, gaps, advocates, changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


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
    currency: str = "USD"  # a period of a book in two currencies has a total in each, never added


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
    arr_by_currency: list[PeriodTotal] = field(default_factory=list)  # the renewals listed, per currency


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
