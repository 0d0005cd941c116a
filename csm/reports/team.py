"""`csm team`: one row per owner for the CS manager, and one owner's page for the monthly 1:1 (DOMAIN.md, "1:1 with
manager"): accounts and ARR, ARR renewing soon and the part at risk, open critical and high risks, overdue to-dos,
quarter-to-date GRR and NRR, and the account longest without a touch. One judgement of the scope, one retention
read: no work per owner."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date

from csm.config import Config
from csm.db.runner import Runner
from csm.db.scope import Scope
from csm.domain.facts import AccountFacts
from csm.domain.retention import quarter
from csm.domain.words import currency_code
from csm.reports.items import risk_out, todo_out
from csm.reports.judge import Judgement
from csm.reports.models import RiskOut, TodoOut
from csm.reports.portfolio import renewal_out
from csm.reports.portfolio_models import RenewalOut
from csm.reports.retention import NO_OWNER, GroupOut, PeriodOut, in_each_currency, owner_key

AT_RISK = ("at_risk", "lost")


@dataclass(eq=False)
class OwnerMoney:
    """An owner's figures in one currency: what the row's sums are made of where the owner's accounts hold two."""

    currency: str
    accounts: int
    arr: float
    renewing_arr: float
    renewing_at_risk_arr: float
    qtd_grr: float | None
    qtd_nrr: float | None


@dataclass(eq=False)
class OwnerRow:
    owner: str
    accounts: int
    arr: float
    renewing_arr: float  # renewal date within the window (overdue ones too)
    renewing_at_risk_arr: float  # of it, forecast at risk or lost
    critical_high_risks: int
    overdue_todos: int
    qtd_grr: float | None
    qtd_nrr: float | None
    stalest_account: str | None
    stalest_last_touch: date | None  # None: never touched in the book
    stalest_days: int | None  # days since that touch, else since the account entered the book
    currencies: list[str] = field(default_factory=list)  # of its money, in ISO order: two are added at face value
    by_currency: list[OwnerMoney] = field(default_factory=list)  # the figures per currency, in ISO order
    stalest_counted_from: date | None = None  # never touched: the day its days are counted from


@dataclass(eq=False)
class StaleOut:
    account: str
    last_touch: date | None
    days: int
    counted_from: date | None = None  # with no touch: the day the touch rule counts from (the account's entry)


@dataclass(eq=False)
class OneOnOne:
    """One owner's page for the monthly 1:1: the row, then what is behind each number."""

    owner: str
    as_of: date
    renewing_days: int
    quarter: PeriodOut
    summary: OwnerRow
    retention: list[GroupOut]  # quarter to date, one per currency of the owner's accounts (none: no ARR history)
    renewals: list[RenewalOut]
    risks: list[RiskOut]
    overdue_todos: list[TodoOut]
    stalest: list[StaleOut]


@dataclass(eq=False)
class TeamReport:
    as_of: date
    renewing_days: int
    quarter: PeriodOut
    owners: list[OwnerRow]
    pages: list[OneOnOne] = field(default_factory=list)  # with --owner: that owner's 1:1 page


def _stale(account: AccountFacts, as_of: date) -> StaleOut:
    """Days since the last touch, else since the day the touch rule counts from (as `touch_overdue` does: the
    account's entry in the book, or a contract that starts later)."""
    entered = account.created_on
    since = account.last_touch_on or max(account.contract_start or entered, entered)
    counted = None if account.last_touch_on else since
    return StaleOut(account.name, account.last_touch_on, max(0, (as_of - since).days), counted)  # a look back: 0


def _in_currency(
    code: str, accounts: list[AccountFacts], renewing: list[RenewalOut], kept: list[GroupOut]
) -> OwnerMoney:
    held = [r for r in renewing if currency_code(r.currency) == code]
    ratios = next((g for g in kept if g.currency == code), None)
    mine = [a for a in accounts if currency_code(a.currency) == code]
    return OwnerMoney(
        code,
        len(mine),
        round(sum((a.arr or 0.0 for a in mine), 0.0), 2),
        round(sum((r.arr or 0.0 for r in held), 0.0), 2),
        round(sum((r.arr or 0.0 for r in held if r.outlook in AT_RISK), 0.0), 2),
        ratios.grr if ratios else None,
        ratios.nrr if ratios else None,
    )


def team(runner: Runner, scope: Scope, judgement: Judgement, config: Config, *, owner: str | None = None) -> TeamReport:
    """The roll-up of a judgement made with facts, risks and to-dos, a row per owner. With `owner`, the scope is
    that one person's accounts, under whichever of their names and addresses the CRMs wrote: one row, and their
    1:1 page."""
    as_of = judgement.as_of
    window = config.retention.renewing_days
    qtd = in_each_currency(runner, scope, quarter(as_of), as_of, config, by=None if owner else "owner")
    person = owner_key(owner)
    retention: dict[str, list[GroupOut]] = defaultdict(list)
    for report in qtd:
        if owner:
            retention[person].append(GroupOut(owner, *(getattr(report, f.name) for f in fields(GroupOut)[1:])))
        for group in report.groups:
            retention[owner_key(group.group if group.group != NO_OWNER else None)].append(group)
    owners: dict[str, list[AccountFacts]] = defaultdict(list)
    shown: dict[str, str] = {}
    key_of: dict[int, str] = {}
    for account in judgement.book.accounts:
        key = person if owner else owner_key(account.owner)
        key_of[account.id] = key
        named = account.owner.strip() if account.owner and account.owner.strip() else NO_OWNER
        if key not in shown or ("@" in shown[key] and "@" not in named):  # a person's name before their address
            shown[key] = named
        owners[key].append(account)
    risks: dict[str, list[RiskOut]] = defaultdict(list)
    for risk in judgement.risks:
        if risk.severity in ("critical", "high") and risk.account_id in key_of:
            risks[key_of[risk.account_id]].append(risk_out(risk, as_of))
    overdue: dict[str, list[TodoOut]] = defaultdict(list)
    for todo in judgement.todos:
        due = todo.effective_due
        whose = key_of.get(todo.account_id) if todo.account_id is not None else None
        if whose is None and todo.owner:
            whose = person if owner else owner_key(todo.owner)
        if due is not None and due < as_of and whose is not None:
            overdue[whose].append(todo_out(todo, as_of))
    rows, found_pages = [], []
    for key in sorted(owners, key=lambda k: (k == NO_OWNER, k)):
        accounts = [a for a in owners[key] if not a.is_churned]
        renewing = [
            r for r in (renewal_out(judgement, a, config) for a in accounts) if r is not None and r.days <= window
        ]
        renewing.sort(key=lambda r: (r.renewal_date, r.account))
        stale = sorted((_stale(a, as_of) for a in accounts), key=lambda s: (-s.days, s.account))
        kept = retention.get(key, [])
        one = kept[0] if len(kept) == 1 else None  # ratios over two currencies mean nothing: each is in by_currency
        codes = sorted({currency_code(a.currency) for a in accounts})
        row = OwnerRow(
            owner=shown[key],
            accounts=len(accounts),
            arr=round(sum((a.arr or 0.0 for a in accounts), 0.0), 2),
            renewing_arr=round(sum((r.arr or 0.0 for r in renewing), 0.0), 2),
            renewing_at_risk_arr=round(sum((r.arr or 0.0 for r in renewing if r.outlook in AT_RISK), 0.0), 2),
            critical_high_risks=len(risks[key]),
            overdue_todos=len(overdue[key]),
            qtd_grr=one.grr if one else None,
            qtd_nrr=one.nrr if one else None,
            stalest_account=stale[0].account if stale else None,
            stalest_last_touch=stale[0].last_touch if stale else None,
            stalest_days=stale[0].days if stale else None,
            stalest_counted_from=stale[0].counted_from if stale else None,
            currencies=codes,
            by_currency=[_in_currency(code, accounts, renewing, kept) for code in codes],
        )
        rows.append(row)
        if owner:
            found_pages.append(
                OneOnOne(
                    row.owner,
                    as_of,
                    window,
                    qtd[0].period,
                    row,
                    kept,
                    renewing,
                    risks[key],
                    sorted(overdue[key], key=lambda t: (-t.urgency, t.title)),
                    stale[:5],
                )
            )
    return TeamReport(as_of, window, qtd[0].period, rows, found_pages)
