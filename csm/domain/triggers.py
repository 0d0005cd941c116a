"""Date-driven triggers (DOMAIN.md, "Date-driven triggers"): the to-dos that dates raise.

The fact sheet (csm.db.findings) hands each trigger only the accounts its dates put in play, as a small
row; the trigger decides exactly and words the to-do. Each to-do carries a rule key that names the fact
behind it (the renewal date, the EBR date, the contact), so a decision about it lasts while that fact
holds and a changed fact raises a new to-do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from csm.config import Config
from csm.domain.dates import add_months
from csm.domain.words import field_value, plural

KEY_ROLES = ("champion", "exec_sponsor", "decision_maker")


@dataclass(slots=True)  # not frozen, for speed: docs/engine.md, "Where the time goes"
class Todo:
    kind: str
    title: str
    account_id: int | None
    due: date | None
    rule_key: str
    reason: str  # the rule and the numbers behind it


class Renewal(NamedTuple):
    account_id: int
    name: str
    renewal_date: date


def renewal_todo(row: Renewal, as_of: date, config: Config) -> Todo | None:
    """Renewal outreach at least 120 days before the renewal date (start the conversation), the reminder 60 days
    before contract end, and the renewal overdue once the date passed without a renewal or churn recorded."""
    days = (row.renewal_date - as_of).days
    outreach, reminder = config.renewal.outreach_days, config.renewal.reminder_days
    name, renewal, account = row.name, row.renewal_date, row.account_id
    if reminder < days <= outreach:
        return Todo(
            "renewal_outreach",
            f"Start the renewal conversation with {name} (renews {renewal}, in {days} days)",
            account,
            renewal - timedelta(days=outreach),
            f"renewal_outreach:{account}:{renewal}",
            f"renewal in {days} days is inside the {outreach}-day outreach window",
        )
    if 0 <= days <= reminder:
        return Todo(
            "renewal_reminder",
            f"Send {name} the renewal reminder (renews {renewal}, in {days} days)",
            account,
            renewal - timedelta(days=reminder),
            f"renewal_reminder:{account}:{renewal}",
            f"renewal in {days} days is inside the {reminder}-day reminder window",
        )
    if days < 0:
        return Todo(
            "renewal_overdue",
            f"Renewal of {name} is {-days} days overdue: close it, or record the new date or the churn",
            account,
            renewal,
            f"renewal_overdue:{account}:{renewal}",
            f"renewal date {renewal} passed {-days} days ago with no new date",
        )
    return None


class Reviews(NamedTuple):
    account_id: int
    name: str
    segment: str
    ebr_cadence_months: int | None
    last_ebr_on: date | None
    contract_start: date | None
    record_from: date  # the first day the book knows of the account: its first touch, or the day it was added


def cadence_base(last: date | None, contract_start: date | None, record_from: date) -> date | None:
    """What a cadence counts from: the last event on record; with none, the contract start if the book's record
    of the account reaches back that far, else the day its record begins. None: the contract began before the
    record did, so when the last event was is not known (missing history is unknown, not late)."""
    if last is not None:
        return last
    if contract_start is None:
        return record_from
    return contract_start if contract_start >= record_from else None


def ebr_months(row: Reviews, config: Config) -> int:
    return row.ebr_cadence_months or config.cadence.ebr_months.of(row.segment)  # type: ignore[arg-type]


def next_ebr_date(row: Reviews, config: Config) -> tuple[date, int] | None:
    """When the next EBR falls due: what the cadence counts from (`cadence_base`) plus the segment's months;
    None when the book cannot tell."""
    months = ebr_months(row, config)
    base = cadence_base(row.last_ebr_on, row.contract_start, row.record_from)
    return None if base is None else (add_months(base, months), months)


def ebr_due(row: Reviews, as_of: date, config: Config) -> Todo | None:
    """EBR due by segment cadence (enterprise quarterly, mid-market half-yearly, SMB yearly); prepare 2 weeks ahead.

    With no EBR on record for an account whose contract began before the book's record of it, one to-do asks for
    the last one (or a plan), due now and never late: the book cannot know how late it is."""
    found = next_ebr_date(row, config)
    if found is None:
        return _unrecorded_ebr(row, as_of, config)
    next_ebr, months = found
    prepare_from = next_ebr - timedelta(days=config.cadence.ebr_prep_days)
    if as_of < prepare_from:
        return None
    if row.last_ebr_on:
        since = f"last EBR {row.last_ebr_on}"
    elif row.contract_start:
        since = f"contract start {row.contract_start}"
    else:
        since = f"no EBR on record since the account was added on {row.record_from}"
    late = f", {(as_of - next_ebr).days} days late" if as_of > next_ebr else ""
    return Todo(
        "ebr_due",
        f"Prepare the EBR with {row.name} (due {next_ebr}{late})",
        row.account_id,
        next_ebr,
        f"ebr_due:{row.account_id}:{next_ebr}",
        f"{since} + {months}-month {field_value('segment', row.segment)} cadence = {next_ebr}; shown from {prepare_from}, "
        f"{config.cadence.ebr_prep_days} days ahead, to prepare",
    )


def _unrecorded_ebr(row: Reviews, as_of: date, config: Config) -> Todo | None:
    assert row.contract_start is not None
    months = ebr_months(row, config)
    prepare_from = add_months(row.contract_start, months) - timedelta(days=config.cadence.ebr_prep_days)
    if as_of < prepare_from or as_of < row.record_from:
        return None
    return Todo(
        "ebr_due",
        f'No EBR on record with {row.name}: log the last one (csm log "{row.name}" --kind ebr --date …) or plan one',
        row.account_id,
        as_of,
        f"ebr_due:{row.account_id}:unrecorded",
        f"the contract began {row.contract_start}, before the book's record of the account ({row.record_from}), "
        f"and no EBR is on record: the {months}-month {field_value('segment', row.segment)} cadence cannot tell when the next is due",
    )


class Touches(NamedTuple):
    account_id: int
    name: str
    segment: str
    last_touch_on: date | None
    contract_start: date | None
    record_from: date  # as for Reviews


def touch_overdue(row: Touches, as_of: date, config: Config) -> Todo | None:
    """Touch overdue: no logged interaction within the segment's cadence (enterprise 14, mid-market 30, SMB 90 days),
    counted from the last touch, else from when the book's record of the account begins (never from a contract
    start years before it)."""
    cadence = config.cadence.touch_days.of(row.segment)  # type: ignore[arg-type]
    base = row.last_touch_on or max(row.contract_start or row.record_from, row.record_from)
    due = base + timedelta(days=cadence)
    if as_of <= due:
        return None
    last = f"last touch {row.last_touch_on}" if row.last_touch_on else f"no touch on record since {base}"
    return Todo(
        "touch_overdue",
        f"Check in with {row.name}: {last}",
        row.account_id,
        due,
        f"touch_overdue:{row.account_id}:{base}",
        f"{last}; the {field_value('segment', row.segment)} cadence is a touch every {cadence} days, so one was due {due}",
    )


class PlanItem(NamedTuple):
    account_id: int
    name: str  # the account's
    kind: str  # goal or milestone
    item_id: int
    title: str
    due: date
    status: str
    goal_title: str | None


def milestone_due(item: PlanItem, as_of: date, config: Config) -> Todo | None:
    """Success-plan milestone: a goal or milestone due within 14 days, or past due and not achieved."""
    horizon = as_of + timedelta(days=config.plan.milestone_due_days)
    if item.status in ("achieved", "missed") or item.due > horizon:
        return None
    late = item.due < as_of
    what = f"{item.kind} '{item.title}'" + (f" (goal '{item.goal_title}')" if item.goal_title else "")
    return Todo(
        "milestone_due",
        f"{item.name}: {what} is {'late since' if late else 'due'} {item.due}",
        item.account_id,
        item.due,
        f"milestone_due:{item.kind}:{item.item_id}:{item.due}",
        f"{what} {'was due' if late else 'is due'} {item.due}, status {field_value('status', item.status)}"
        + ("" if late else f"; within the {config.plan.milestone_due_days}-day horizon"),
    )


class Onboarding(NamedTuple):
    account_id: int
    name: str
    contract_start: date


def onboarding(row: Onboarding, as_of: date, config: Config) -> Todo | None:
    """Onboarding: no first value / first login within 30 days of signing; not activated in 90 is severe.

    The fact sheet passes only accounts with no first-value date and no usage showing first value."""
    start = row.contract_start
    age = (as_of - start).days
    rules = config.onboarding
    first = rules.first_value_days
    if age <= first or age > 2 * rules.activation_days:
        return None
    severe = age > rules.activation_days
    return Todo(
        "onboarding",
        f"{row.name} has seen no first value {age} days after signing"
        + (": not activated, escalate now" if severe else ": get them to first value"),
        row.account_id,
        start + timedelta(days=rules.activation_days if severe else first),
        f"onboarding:{row.account_id}:{start}:{'activation' if severe else 'first_value'}",
        f"signed {start}, {age} days ago; no first-value date and under {rules.first_value_seat_share:.0%} of seats "
        f"active (limit {rules.activation_days if severe else first} days)",
    )


class Person(NamedTuple):
    """A person a stakeholder rule may speak of, with what the rules need of their account."""

    id: int
    account_id: int
    account: str  # the account's name
    account_added_on: date  # the day the account entered the book
    others_last_contact_on: date | None  # the latest interaction with an active non-champion (absence window)
    name: str
    role: str | None
    title: str | None
    left_on: date | None
    left_to: str | None  # where a departed contact went: a sales lead
    added_on: date
    last_contact_on: date | None
    changed_title_on: date | None  # latest title / company change seen between imports


def stakeholder_todos(person: Person, as_of: date, config: Config, successors: int = 0) -> list[Todo]:
    """New champion / exec sponsor: a key contact left, changed title or company, went quiet, or a new exec appeared.
    `successors`: how many active contacts of the account hold the role of the one who left."""
    found = [champion_change(person, as_of, config, successors), champion_absent(person, as_of, config),
             new_executive(person, as_of, config)]  # fmt: skip
    return [todo for todo in found if todo is not None]


def champion_change(person: Person, as_of: date, config: Config, successors: int = 0) -> Todo | None:
    """A key contact left, or changed title or company, in the last 90 days. Once a successor in the role is
    logged, the work is to meet them, not to find them (the same rule key: a decision on it holds)."""
    recent = as_of - timedelta(days=90)
    role = (person.role or "").replace("_", " ")
    if person.role in KEY_ROLES and person.left_on is not None and person.left_on >= recent:
        went = f" ({person.left_to}, a sales lead)" if person.left_to else ""
        if successors:
            return Todo(
                "champion_change",
                f"{person.account}: {role} {person.name} left on {person.left_on}; a new {role} is logged: "
                "meet them and re-establish the relationship",
                person.account_id, person.left_on, f"champion_change:{person.id}",
                f"{role} {person.name} left on {person.left_on}; {plural(successors, 'successor')} in the role logged",
            )  # fmt: skip
        return _champion_todo(
            person, f"champion_change:{person.id}", f"{role} {person.name} left on {person.left_on}", "left",
            person.left_on, extra=f"; find out where they went{went}",
        )  # fmt: skip
    if (
        person.role in KEY_ROLES
        and person.changed_title_on is not None
        and person.changed_title_on >= recent
        and person.left_on is None
    ):
        return _champion_todo(
            person,
            f"champion_change:title:{person.id}:{person.changed_title_on}",
            f"{role} {person.name}'s title or company changed on {person.changed_title_on} (now {person.title})",
            "changed role",
            person.changed_title_on,
        )
    return None


def champion_absent(person: Person, as_of: date, config: Config) -> Todo | None:
    """The champion, once engaged, missed every meeting and interaction for 60 days while others attended."""
    days = config.stakeholders.champion_absent_days
    quiet_since = as_of - timedelta(days=days)
    others = person.others_last_contact_on
    if others is None or others < quiet_since or person.role != "champion" or person.left_on is not None:
        return None
    last = person.last_contact_on
    if person.added_on > quiet_since or last is None or last >= quiet_since:
        return None
    return _champion_todo(
        person,
        f"champion_change:absent:{person.id}:{last}",
        f"champion {person.name} absent from every interaction since {last} ({days}+ days) while others attended",
        "has gone quiet",
        last + timedelta(days=days),
    )


def _champion_todo(person: Person, rule_key: str, reason: str, what: str, due: date | None, extra: str = "") -> Todo:
    role = (person.role or "contact").replace("_", " ")
    return Todo(
        "champion_change",
        f"{person.account}: {role} {person.name} {what}: call now, find and log the new {role}{extra}",
        person.account_id,
        due,
        rule_key,
        reason,
    )


def new_executive(person: Person, as_of: date, config: Config) -> Todo | None:
    """A new executive appeared among the account's contacts: introduce yourself and re-establish the relationship."""
    since = as_of - timedelta(days=30)
    if (
        person.role != "exec_sponsor"
        or person.left_on is not None
        or not (since <= person.added_on <= as_of)
        or person.added_on <= person.account_added_on
    ):
        return None
    return Todo(
        "champion_change",
        f"{person.account}: new executive {person.name} ({person.title or 'exec sponsor'}): introduce yourself",
        person.account_id,
        person.added_on + timedelta(days=7),
        f"champion_change:new_exec:{person.id}",
        f"exec sponsor {person.name} first seen {person.added_on}",
    )


def one_on_one(as_of: date, config: Config, owner: str | None) -> Todo:
    """1:1 with manager, monthly (DOMAIN.md, "Date-driven triggers"): prepare it from the first day of each period of
    `cadence.manager_one_on_one_days` (30: every calendar month) with `csm team --owner` as the page to bring."""
    days = config.cadence.manager_one_on_one_days
    months = max(1, round(days / 30))
    index = (as_of.year * 12 + as_of.month - 1) // months * months
    start = date(index // 12, index % 12 + 1, 1)
    page = f"csm team --owner {owner} --format md" if owner else "csm team --format md"
    return Todo(
        "one_on_one",
        f"Prepare your {start:%B %Y} 1:1 with your manager ({page})",
        None,
        start,
        f"one_on_one:{owner or 'me'}:{start:%Y-%m}",
        f"a 1:1 with your manager every {days} days (cadence.manager_one_on_one_days), from {start}",
    )
