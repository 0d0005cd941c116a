"""What the CSM did and what changed among the people between two days (for `csm changes`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from csm.db.facts import read_day, read_instant
from csm.db.runner import Runner
from csm.db.scope import Scope


def decisions_between(runner: Runner, scope: Scope, since: date, as_of: date) -> dict[str, date]:
    """Risks resolved after `since` and by `as_of`: a rule risk by its rule key, a hand-logged one by its id."""
    params = {"since": since, "as_of": as_of, **scope.params()}
    found: dict[str, date] = {}
    for key, day in runner.tuples(
        f"""SELECT rule_key, decided_on FROM decisions d
            WHERE subject = 'risk' AND status = 'resolved' AND decided_on > :since AND decided_on <= :as_of
              AND {scope.rows_where("d.account_id")}""",
        params,
    ):
        found[str(key)] = read_day(day) or as_of
    for risk_id, day in runner.tuples(
        f"""SELECT id, resolved_on FROM risks r
            WHERE status = 'resolved' AND resolved_on > :since AND resolved_on <= :as_of
              AND {scope.rows_where("r.account_id")}""",
        params,
    ):
        found[str(risk_id)] = read_day(day) or as_of
    return found


@dataclass(frozen=True)
class PersonChange:
    account_id: int
    name: str
    role: str | None
    field: str | None  # None: the person is new, or left (see left_on)
    old_value: str | None
    new_value: str | None
    left_on: date | None
    on: date | None


def contact_changes(runner: Runner, scope: Scope, since: date, as_of: date) -> list[PersonChange]:
    """People who changed title, company or role, left, or were first seen after `since` and by `as_of`.

    The people an account's contacts arrived with (its first import, or the day it was first given any) are
    its baseline, not news: only someone who arrived later is a new contact."""
    rows = runner.tuples(
        f"""SELECT c.account_id, c.name, c.role, c.left_on, c.created_at, ch.field, ch.old_value, ch.new_value,
                   ch.changed_on,
                   (SELECT MIN(first.created_at) FROM contacts first WHERE first.account_id = c.account_id)
            FROM contacts c LEFT JOIN contact_changes ch
              ON ch.contact_id = c.id AND ch.changed_on > :since AND ch.changed_on <= :as_of
            WHERE {scope.rows_where("c.account_id")}
              AND ((c.left_on > :since AND c.left_on <= :as_of) OR ch.id IS NOT NULL OR c.created_at > :since_start)""",
        {"since": since, "as_of": as_of, "since_start": read_instant(f"{since + timedelta(days=1)}T00:00:00"),
         **scope.params()},
    )  # fmt: skip
    found = []
    for account_id, name, role, left_on, created_at, field, old, new, changed_on, baseline in rows:
        left = read_day(left_on)
        if field and field != "left_on":
            found.append(PersonChange(account_id, name, role, field, old, new, None, read_day(changed_on)))
        elif left is not None and since < left <= as_of:
            found.append(PersonChange(account_id, name, role, None, None, None, left, left))
        else:
            created, first = read_instant(created_at), read_instant(baseline)
            if created is None or (first is not None and created.date() == first.date()):
                continue  # arrived with the account's first contacts: the baseline
            found.append(PersonChange(account_id, name, role, None, None, None, None, created.date()))
    return found


@dataclass(frozen=True)
class ArrMove:
    """One recorded change of an account's ARR (a renewal, churn, expansion ...), as `csm changes` words it."""

    account_id: int
    on: date
    kind: str
    before: float | None
    after: float
    reason: str | None
    renewal_due: date | None
    renewed_until: date | None
    currency: str | None


def arr_moves(runner: Runner, scope: Scope, since: date, as_of: date) -> list[ArrMove]:
    """The ARR changes dated after `since` and by `as_of`, but an account's opening ARR (it came into the book
    with it: that is no change)."""
    rows = runner.tuples(
        f"""SELECT c.account_id, c.changed_on, c.kind, c.arr_before, c.arr_after, c.reason, c.renewal_due,
                   c.renewed_until, a.currency
            FROM arr_changes c JOIN accounts a ON a.id = c.account_id
            WHERE c.changed_on > :since AND c.changed_on <= :as_of AND NOT c.opening
              AND {scope.rows_where("c.account_id")}
            ORDER BY c.changed_on, c.id""",
        {"since": since, "as_of": as_of, **scope.params()},
    )
    found = []
    for account_id, on, kind, before, after, reason, due, until, currency in rows:
        day = read_day(on)
        assert day is not None
        found.append(
            ArrMove(int(account_id), day, str(kind), None if before is None else float(before), float(after), reason,
                    read_day(due), read_day(until), currency)
        )  # fmt: skip
    return found
