"""`csm metrics`: GRR, NRR and logo retention for a period, with new logos apart, the renewals that fell due and
why customers left (DOMAIN.md, "Retention"; the formulas are csm.domain.retention's)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from csm.config import Config
from csm.db import retention as reads
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.retention import Figures, Period, Position, RenewalEvent, RenewalsDue, figures, renewals_due
from csm.domain.words import listed, money, plural
from csm.errors import InputError

NO_OWNER = "(no owner)"


@dataclass(eq=False)
class PeriodOut:
    label: str
    start: date
    end: date
    through: date  # the last day the figures cover: the period's end, or the day looked from while it runs
    running: bool


@dataclass(eq=False)
class GroupOut:
    group: str
    cohort: int
    starting_arr: float
    expansion: float
    contraction: float
    churn: float
    churned: int
    ending_arr: float
    grr: float | None
    nrr: float | None
    logo_retention: float | None
    new_logos: int
    new_logo_arr: float
    reactivated: int
    reactivated_arr: float
    entered: int
    entered_arr: float
    currency: str = "USD"  # of its money: a group's figures are in one currency


@dataclass(eq=False)
class ChurnReasonOut:
    reason: str
    accounts: int
    arr: float
    names: list[str]


@dataclass(eq=False)
class MetricsReport:
    as_of: date
    period: PeriodOut
    by: str | None
    history_starts: date | None  # the first day of the book's ARR history (None: no history yet)
    cohort: int
    starting_arr: float
    expansion: float
    contraction: float
    churn: float
    churned: int
    ending_arr: float
    grr: float | None
    nrr: float | None
    logo_retention: float | None
    new_logos: int
    new_logo_arr: float
    reactivated: int
    reactivated_arr: float
    entered: int
    entered_arr: float
    renewals: RenewalsDue
    churn_reasons: list[ChurnReasonOut]
    groups: list[GroupOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    currency: str = "USD"  # every amount of the report is in it (ISO code)


@dataclass(eq=False)
class MetricsByCurrency:
    """Retention of a scope whose accounts hold ARR in more than one currency: a report per currency, since csm
    never converts and a ratio over two currencies added at face value would mean nothing."""

    as_of: date
    period: PeriodOut
    currencies: list[str]
    by_currency: list[MetricsReport]
    notes: list[str] = field(default_factory=list)


def group_out(name: str, f: Figures, currency: str) -> GroupOut:
    return GroupOut(
        name, f.cohort, f.starting_arr, f.expansion, f.contraction, f.churn, f.churned, f.ending_arr, f.grr, f.nrr,
        f.logo_retention, f.new_logos, f.new_logo_arr, f.reactivated, f.reactivated_arr, f.entered, f.entered_arr,
        currency,
    )  # fmt: skip


def check_period(period: Period, as_of: date) -> None:
    if period.end < period.start:
        raise InputError(f"the period ends ({period.end}) before it starts ({period.start})")
    if period.start > as_of:
        raise InputError(f"the period {period.label} starts after {as_of}: there is nothing to measure yet")


def owner_key(owner: str | None) -> str:
    """One key for one owner however a CRM wrote the name: case, and accents composed or not (Mac tools decompose)."""
    return unicodedata.normalize("NFC", owner.strip()).lower() if owner and owner.strip() else NO_OWNER


def segment_of(p: Position, config: Config) -> str:
    """Set by hand, else by the ARR the account had on the first day (its ARR at the end if it had none)."""
    return p.segment or config.segments.segment_for(p.start if p.in_cohort else p.end)


def grouped(found: list[Position], by: str, config: Config, currency: str) -> list[GroupOut]:
    groups: dict[str, list[Position]] = defaultdict(list)
    shown: dict[str, str] = {}
    for p in found:
        key = owner_key(p.owner) if by == "owner" else segment_of(p, config)
        groups[key].append(p)
        shown.setdefault(key, (p.owner or NO_OWNER).strip() if by == "owner" else key)
    order = ("enterprise", "mid_market", "smb")
    keys = sorted(groups, key=lambda k: (order.index(k) if k in order else 9, k)) if by == "segment" else sorted(groups)
    return [group_out(shown[k], figures(groups[k]), currency) for k in keys]


def metrics(
    runner: Runner, scope: Scope, period: Period, as_of: date, config: Config, *, by: str | None = None
) -> MetricsReport | MetricsByCurrency:
    """Retention over `period` as the book knows it on `as_of` (a period still running: to date): one report, or
    one per currency where the scope's accounts are in more than one."""
    found = in_each_currency(runner, scope, period, as_of, config, by=by)
    if len(found) == 1:
        return found[0]
    first = found[0]
    return MetricsByCurrency(
        as_of, first.period, [r.currency for r in found], found,
        [f"The accounts' ARR is in {listed([r.currency for r in found])}: csm never converts, so retention is "
         "measured in each currency apart."],
    )  # fmt: skip


def in_each_currency(
    runner: Runner, scope: Scope, period: Period, as_of: date, config: Config, *, by: str | None = None
) -> list[MetricsReport]:
    """A retention report per currency of the scope's accounts, in ISO order (one for a book in one currency), from
    one read of the book."""
    check_period(period, as_of)
    through = min(period.end, as_of)
    found = reads.positions(runner, scope, period.start, through, as_of)
    events = reads.renewal_events(runner, scope, period.start, period.end)
    reasons = reads.churns(runner, scope, period.start, through)
    starts = reads.history_start(runner, scope)
    measured = {p.currency for p in found if p.standing != "none"} | {e.currency for e in events}
    codes = sorted(measured) or sorted({p.currency for p in found})[:1] or ["USD"]
    span = PeriodOut(period.label, period.start, period.end, through, through < period.end)
    return [
        _report(
            [p for p in found if p.currency == code], [e for e in events if e.currency == code], reasons, starts,
            span, as_of, config, by, code,
        )
        for code in codes
    ]  # fmt: skip


def _report(
    found: list[Position],
    events: list[RenewalEvent],
    reasons: dict[int, tuple[str | None, str | None, float]],
    starts: date | None,
    period: PeriodOut,
    as_of: date,
    config: Config,
    by: str | None,
    currency: str,
) -> MetricsReport:
    total = figures(found)
    # every churn of the period says why, a cohort account's with the ARR it started with, one that entered the
    # book during the period (outside the ratios) with the ARR it had when it left
    by_reason: dict[str, list[tuple[Position, float]]] = defaultdict(list)
    for p in found:
        churn = reasons.get(p.account_id)
        if p.churned or (churn is not None and not p.in_cohort):
            lost = (p.start or 0.0) if p.churned else churn[2] if churn else 0.0
            by_reason[(churn[0] if churn else None) or "not recorded"].append((p, lost))
    churn_reasons = sorted(
        (
            ChurnReasonOut(reason, len(ps), round(sum(lost for _p, lost in ps), 2), sorted(p.name for p, _ in ps))
            for reason, ps in by_reason.items()
        ),
        key=lambda r: (-r.arr, r.reason),
    )
    due = renewals_due(events, as_of)
    report = MetricsReport(
        as_of, period, by, starts,
        total.cohort, total.starting_arr, total.expansion, total.contraction, total.churn, total.churned,
        total.ending_arr, total.grr, total.nrr, total.logo_retention, total.new_logos, total.new_logo_arr,
        total.reactivated, total.reactivated_arr, total.entered, total.entered_arr, due, churn_reasons,
        grouped(found, by, config, currency) if by else [], currency=currency,
    )  # fmt: skip
    report.notes = notes(report)
    outside = sorted(p.name for p in found if not p.in_cohort and p.account_id in reasons)
    if outside:
        report.notes.append(
            f"{listed(outside)} churned in the period after entering the book in it: in the churn reasons, not "
            "in the ratios."
        )
    return report


def notes(report: MetricsReport) -> list[str]:
    """What a reader must know to trust the figures: a running period, where the history starts, who is left out."""
    found = []
    period = report.period
    if period.running:
        found.append(f"{period.label} is still running: the figures are to date, through {period.through}.")
    if report.history_starts is None:
        found.append(
            "The book holds no ARR history yet: ARR is recorded by 'csm account add/edit --arr', 'csm renew', "
            "'csm churn' and imports."
        )
        return found
    if report.cohort == 0 and report.history_starts > period.start:
        found.append(
            f"The book's ARR history starts on {report.history_starts}: no account had a known ARR on "
            f"{period.start}, the period's first day, so there are no retention ratios for it "
            f"(try --from {report.history_starts})."
        )
    elif report.history_starts > period.start:
        found.append(f"The book's ARR history starts on {report.history_starts}.")
    if report.entered:
        found.append(
            f"{plural(report.entered, 'account')} ({money(report.entered_arr, report.currency)}) entered the book during the period with "
            "no earlier ARR history: they are left out of the ratios, and count from the day they entered."
        )
    if report.new_logos or report.reactivated:
        found.append("New logos and reactivations are shown apart and never in the ratios.")
    return found
