"""Date-driven triggers (DOMAIN.md, "Date-driven triggers"): the to-dos that dates raise.

Each rule returns at most a few Todo values with a rule key that names the fact behind it
(the renewal date, the EBR date, the contact), so a rule firing again updates its to-do and
a changed fact raises a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from csm.config import Config
from csm.domain.dates import add_months
from csm.domain.facts import AccountFacts, Stakeholder

KEY_ROLES = ("champion", "exec_sponsor", "decision_maker")


@dataclass(frozen=True)
class Todo:
    kind: str
    title: str
    account_id: int | None
    due: date | None
    rule_key: str
    reason: str  # the rule and the numbers behind it


Trigger = Callable[[AccountFacts, date, Config], Iterable[Todo]]


def renewal_outreach(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """Renewal outreach: at least 120 days before the renewal date, start the renewal conversation."""
    days = account.days_to_renewal(as_of)
    window = config.renewal.outreach_days
    if days is None or account.is_churned or not (config.renewal.reminder_days < days <= window):
        return
    assert account.renewal_date is not None
    yield Todo(
        kind="renewal_outreach",
        title=f"Start the renewal conversation with {account.name} (renews {account.renewal_date}, in {days} days)",
        account_id=account.id,
        due=account.renewal_date - timedelta(days=window),
        rule_key=f"renewal_outreach:{account.id}:{account.renewal_date}",
        reason=f"renewal in {days} days is inside the {window}-day outreach window",
    )


def renewal_reminder(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """Renewal reminder: 60 days before contract end the customer gets a reminder."""
    days = account.days_to_renewal(as_of)
    window = config.renewal.reminder_days
    if days is None or account.is_churned or not (0 <= days <= window):
        return
    assert account.renewal_date is not None
    yield Todo(
        kind="renewal_reminder",
        title=f"Send {account.name} the renewal reminder (renews {account.renewal_date}, in {days} days)",
        account_id=account.id,
        due=account.renewal_date - timedelta(days=window),
        rule_key=f"renewal_reminder:{account.id}:{account.renewal_date}",
        reason=f"renewal in {days} days is inside the {window}-day reminder window",
    )


def renewal_overdue(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """Renewal overdue: the renewal date passed and the account is not marked renewed or churned."""
    days = account.days_to_renewal(as_of)
    if days is None or days >= 0 or account.is_churned:
        return
    assert account.renewal_date is not None
    yield Todo(
        kind="renewal_overdue",
        title=f"Renewal of {account.name} is {-days} days overdue: close it, or record the new date or the churn",
        account_id=account.id,
        due=account.renewal_date,
        rule_key=f"renewal_overdue:{account.id}:{account.renewal_date}",
        reason=f"renewal date {account.renewal_date} passed {-days} days ago with no new date",
    )


def next_ebr_date(account: AccountFacts, config: Config) -> tuple[date, int] | None:
    """When the next EBR falls due: the last EBR (or the contract start) plus the segment's cadence."""
    months = account.ebr_cadence_months or config.cadence.ebr_months.of(account.segment)  # type: ignore[arg-type]
    base = account.last_ebr_on or account.contract_start
    if base is None:
        return None
    return add_months(base, months), months


def ebr_due(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """EBR due by segment cadence (enterprise quarterly, mid-market half-yearly, SMB yearly); prepare 2 weeks ahead."""
    if account.is_churned:
        return
    found = next_ebr_date(account, config)
    if found is None:
        return
    next_ebr, months = found
    prepare_from = next_ebr - timedelta(days=config.cadence.ebr_prep_days)
    if as_of < prepare_from:
        return
    since = f"last EBR {account.last_ebr_on}" if account.last_ebr_on else f"contract start {account.contract_start}"
    late = f", {(as_of - next_ebr).days} days late" if as_of > next_ebr else ""
    yield Todo(
        kind="ebr_due",
        title=f"Prepare the EBR with {account.name} (due {next_ebr}{late})",
        account_id=account.id,
        due=next_ebr,
        rule_key=f"ebr_due:{account.id}:{next_ebr}",
        reason=f"{since} + {months}-month {account.segment} cadence = {next_ebr}; shown from {prepare_from}, "
        f"{config.cadence.ebr_prep_days} days ahead, to prepare",
    )


def touch_overdue(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """Touch overdue: no logged interaction within the segment's cadence (enterprise 14, mid-market 30, SMB 90 days)."""
    if account.is_churned:
        return
    cadence = config.cadence.touch_days.of(account.segment)  # type: ignore[arg-type]
    base = account.last_touch_on or account.contract_start
    due = base + timedelta(days=cadence) if base else None
    if due is not None and as_of <= due:
        return
    last = f"last touch {account.last_touch_on}" if account.last_touch_on else "no interaction logged yet"
    yield Todo(
        kind="touch_overdue",
        title=f"Check in with {account.name}: {last}",
        account_id=account.id,
        due=due,
        rule_key=f"touch_overdue:{account.id}:{base or 'never'}",
        reason=f"{last}; the {account.segment} cadence is a touch every {cadence} days"
        + (f", so one was due {due}" if due else ""),
    )


def milestone_due(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """Success-plan milestone: a goal or milestone due within 14 days, or past due and not achieved."""
    horizon = as_of + timedelta(days=config.plan.milestone_due_days)
    for item in account.plan:
        if item.due is None or item.status in ("achieved", "missed") or item.due > horizon:
            continue
        late = item.due < as_of
        what = f"{item.kind} '{item.title}'" + (f" (goal '{item.goal_title}')" if item.goal_title else "")
        yield Todo(
            kind="milestone_due",
            title=f"{account.name}: {what} is {'late since' if late else 'due'} {item.due}",
            account_id=account.id,
            due=item.due,
            rule_key=f"milestone_due:{item.kind}:{item.id}:{item.due}",
            reason=f"{what} {'was due' if late else 'is due'} {item.due}, status {item.status}"
            + ("" if late else f"; within the {config.plan.milestone_due_days}-day horizon"),
        )


def onboarding(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """Onboarding: no first value / first login within 30 days of signing; not activated in 90 is severe."""
    start = account.contract_start
    if start is None or account.first_value_on is not None or account.is_churned:
        return
    if account.usage is not None and account.usage.first_active_on is not None:
        return
    age = (as_of - start).days
    first = config.onboarding.first_value_days
    if age <= first or age > 2 * config.onboarding.activation_days:
        return
    severe = age > config.onboarding.activation_days
    yield Todo(
        kind="onboarding",
        title=f"{account.name} has seen no first value {age} days after signing"
        + (": not activated, escalate now" if severe else ": get them to first value"),
        account_id=account.id,
        due=start + timedelta(days=config.onboarding.activation_days if severe else first),
        rule_key=f"onboarding:{account.id}:{start}:{'activation' if severe else 'first_value'}",
        reason=f"signed {start}, {age} days ago; no first-value date and under "
        f"{config.onboarding.first_value_seat_share:.0%} of seats active "
        f"(limit {config.onboarding.activation_days if severe else first} days)",
    )


def champion_change(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """New champion / exec sponsor: a key contact left, changed title or company, went quiet, or a new exec appeared."""
    recent = as_of - timedelta(days=90)
    for person in account.stakeholders:
        role = (person.role or "").replace("_", " ")
        if person.role in KEY_ROLES and person.left_on is not None and person.left_on >= recent:
            went = f" ({person.left_to}, a sales lead)" if person.left_to else ""
            yield _champion_todo(
                account,
                person,
                f"champion_change:{person.id}",
                f"{role} {person.name} left on {person.left_on}",
                "left",
                person.left_on,
                extra=f"; find out where they went{went}",
            )
        elif (
            person.role in KEY_ROLES
            and person.changed_title_on is not None
            and person.changed_title_on >= recent
            and person.left_on is None
        ):
            yield _champion_todo(
                account,
                person,
                f"champion_change:title:{person.id}:{person.changed_title_on}",
                f"{role} {person.name}'s title or company changed on {person.changed_title_on} (now {person.title})",
                "changed role",
                person.changed_title_on,
            )
    yield from champion_absent(account, as_of, config)


def champion_absent(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """The champion, once engaged, missed every meeting and interaction for 60 days while others attended."""
    quiet_since = as_of - timedelta(days=config.stakeholders.champion_absent_days)
    others = account.others_last_contact_on
    if others is None or others < quiet_since:
        return
    for person in account.stakeholders:
        if person.role != "champion" or person.left_on is not None or person.added_on > quiet_since:
            continue
        if person.last_contact_on is not None and person.last_contact_on < quiet_since:
            last = person.last_contact_on
            yield _champion_todo(
                account,
                person,
                f"champion_change:absent:{person.id}:{person.last_contact_on}",
                f"champion {person.name} absent from every interaction since {last} "
                f"({config.stakeholders.champion_absent_days}+ days) while others attended",
                "has gone quiet",
                (person.last_contact_on or person.added_on) + timedelta(days=config.stakeholders.champion_absent_days),
            )


def _champion_todo(
    account: AccountFacts, person: Stakeholder, rule_key: str, reason: str, what: str, due: date | None, extra: str = ""
) -> Todo:
    role = (person.role or "contact").replace("_", " ")
    return Todo(
        kind="champion_change",
        title=f"{account.name}: {role} {person.name} {what}: call now, find and log the new {role}{extra}",
        account_id=account.id,
        due=due,
        rule_key=rule_key,
        reason=reason,
    )


def new_executive(account: AccountFacts, as_of: date, config: Config) -> Iterable[Todo]:
    """A new executive appeared among the account's contacts: introduce yourself and re-establish the relationship."""
    since = as_of - timedelta(days=30)
    for person in account.stakeholders:
        if (
            person.role == "exec_sponsor"
            and person.left_on is None
            and since <= person.added_on <= as_of
            and person.added_on > account.created_on
        ):
            yield Todo(
                kind="champion_change",
                title=f"{account.name}: new executive {person.name} ({person.title or 'exec sponsor'}): introduce yourself",
                account_id=account.id,
                due=person.added_on + timedelta(days=7),
                rule_key=f"champion_change:new_exec:{person.id}",
                reason=f"exec sponsor {person.name} first seen {person.added_on}",
            )


TRIGGERS: tuple[Trigger, ...] = (
    renewal_outreach,
    renewal_reminder,
    renewal_overdue,
    ebr_due,
    touch_overdue,
    milestone_due,
    onboarding,
    champion_change,
    new_executive,
)


def todos_for(account: AccountFacts, as_of: date, config: Config) -> list[Todo]:
    """Every to-do the date rules raise for one account on `as_of`."""
    return [todo for trigger in TRIGGERS for todo in trigger(account, as_of, config)]
