"""ARR history (DOMAIN.md, "Retention"): what kind of change a dated value is, how a renewal rolls the
contract forward, and how a history reads. Pure: rows in, rows and words out.

A history is an account's changes in (day, id) order. Four kinds are read from the values — `new` (the first
ARR the book knows), `expansion`, `contraction`, and `reactivation` (ARR again after a churn) — so when a
change is recorded on an earlier day than others (an old deal imported late), `rechained` re-reads the ones
after it. The other three are what someone said: `renewal`, `churn` (with its reason) and `correction` (a
typo fixed: its value replaces the value it follows, back to that value's day, and is never growth).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from csm.domain.dates import add_months, months_between
from csm.domain.words import money

KINDS = ("new", "expansion", "contraction", "renewal", "churn", "reactivation", "correction")
READ_FROM_VALUES = ("new", "expansion", "contraction", "reactivation")
DEFAULT_TERM_MONTHS = 12
# a closed renewal renews the account's current renewal date when that date is no more than this after it was
# closed (an early renewal); a later date is a renewal already rolled forward (by the CRM's own export)
EARLY_RENEWAL_DAYS = 183


@dataclass(frozen=True, slots=True)
class ArrRow:
    """One stored change, as the rules read it."""

    id: int
    on: date
    kind: str
    before: float | None
    after: float
    opening: bool = False


def same_money(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and round(a, 2) == round(b, 2)


def kind_from_values(before: float | None, after: float, *, had_arr: bool) -> str | None:
    """new / expansion / contraction / reactivation from the value before and after; None when nothing changed."""
    if before is None:
        return "new"
    if same_money(before, after):
        return None
    if before <= 0 < after:
        return "reactivation" if had_arr else "new"
    return "expansion" if after > before else "contraction"


def rechained(rows: Sequence[ArrRow]) -> tuple[list[ArrRow], list[int]]:
    """The rows of one history (in day, id order) whose `before`, kind or opening mark no longer read true, as
    they should read; and the ids of rows read from values that no longer change anything (to delete)."""
    changed: list[ArrRow] = []
    gone: list[int] = []
    before: float | None = None
    had_arr = False
    for row in rows:
        kind = row.kind
        if kind in READ_FROM_VALUES:
            found = kind_from_values(before, row.after, had_arr=had_arr)
            if found is None:
                gone.append(row.id)
                continue
            kind = found
        opening = row.opening and before is None
        wanted = replace(row, kind=kind, before=before, opening=opening)
        if wanted != row:
            changed.append(wanted)
        before = row.after
        had_arr = had_arr or row.after > 0
    return changed, gone


def value_on(rows: Sequence[ArrRow], day: date) -> float | None:
    """The ARR a history shows at the end of `day` (None: the book knew none yet)."""
    value = None
    for row in rows:
        if row.on > day:
            break
        value = row.after
    return value


@dataclass(frozen=True, slots=True)
class RenewalTerm:
    """What a renewal closes and opens: the renewal date it closes (None if the account had none), the new renewal
    date, the new term in months and the new contract's start."""

    due: date | None
    until: date
    months: int
    starts: date


def renewal_term(
    renewal_date: date | None,
    contract_start: date | None,
    on: date,
    *,
    term_months: int | None = None,
    until: date | None = None,
) -> RenewalTerm:
    """Roll the contract forward: the new term runs from the renewal date (the day of the renewal when the account
    had none) for `term_months`, else to `until`, else for the contract's own length, else 12 months."""
    starts = renewal_date or on
    if until is not None:
        return RenewalTerm(renewal_date, until, max(1, months_between(starts, until)), starts)
    months = term_months or (
        months_between(contract_start, renewal_date)
        if contract_start is not None and renewal_date is not None and renewal_date > contract_start
        else None
    )
    months = months if months and months > 0 else DEFAULT_TERM_MONTHS
    return RenewalTerm(renewal_date, add_months(starts, months), months, starts)


# a contract that started up to this many days before its account entered the book is a new sale being set up
NEW_LOGO_GRACE_DAYS = 30


def was_customer_already(contract_start: date | None, renewal_date: date | None, entered: date) -> bool:
    """Whether an account entering the book on `entered` was a customer before: its contract started more than
    NEW_LOGO_GRACE_DAYS earlier, or its renewal date has already come. Its first ARR is then the ARR it had (its
    history's opening), not a new logo, whenever it came in (a book built over days, an account handed over)."""
    started_before = contract_start is not None and (entered - contract_start).days > NEW_LOGO_GRACE_DAYS
    return started_before or (renewal_date is not None and renewal_date <= entered)


def renews_current(renewal_date: date | None, closed_on: date) -> bool:
    """Whether a renewal closed on `closed_on` is the one the account's renewal date names (on time, late or
    early), rather than one its renewal date has already moved past."""
    return renewal_date is not None and (renewal_date - closed_on).days <= EARLY_RENEWAL_DAYS


def change_words(
    kind: str,
    on: date,
    before: float | None,
    after: float,
    *,
    opening: bool = False,
    reason: str | None = None,
    renewed_until: date | None = None,
    currency: str | None = None,
) -> str:
    """A change as a CSM says it: "renewed 2026-02-15 at $110k (+10%)", in the account's currency."""

    def short_money(value: float | None) -> str:
        return money(value, currency)

    delta = ""
    if before is not None and before > 0 and not same_money(before, after) and after > 0:
        delta = f" ({(after - before) / before:+.0%})"
    if kind == "renewal":
        until = f" until {renewed_until}" if renewed_until else ""
        flat = " (flat)" if same_money(before, after) else delta
        return f"renewed {on} at {short_money(after)}{flat}{until}"
    if kind == "churn":
        lost = f" ({short_money(before)} ARR lost)" if before else ""
        return f"churned {on}{lost}" + (f": {reason.replace('_', ' ')}" if reason else "")
    if kind == "new":
        return f"entered the book {on} at {short_money(after)}" if opening else f"new logo {on} at {short_money(after)}"
    if kind == "reactivation":
        return f"came back {on} at {short_money(after)}"
    if kind == "correction":
        return f"ARR corrected {on} to {short_money(after)}" + (f" (was {short_money(before)})" if before else "")
    verb = "expanded" if kind == "expansion" else "contracted"
    return f"{verb} {on} to {short_money(after)}{delta}"


def churn_reason_of(text: str | None, reasons: Sequence[str]) -> str:
    """The churn reason of the list that a CRM's loss reason names ("Lost to Competitor" is competitor), else other."""
    if not text:
        return "other"
    word = re.sub(r"[^a-z]+", "_", text.lower()).strip("_")
    if word in reasons:
        return word
    for reason in reasons:
        if reason != "other" and (reason in word or reason.replace("_", "") in word.replace("_", "")):
            return reason
    return "other"
