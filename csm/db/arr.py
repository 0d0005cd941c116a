"""ARR history in the book: record a dated change, keep the history after it true, and keep the account in step.

Every writer of ARR comes through `record_change`: `csm account add/edit --arr`, `csm renew`, `csm churn`, an
accounts import whose ARR moved, and closed deals from an opportunities import. The account's own `arr`,
`churned_on` and churned stage always follow the latest change (see `sync_account`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from csm.db.facts import read_day
from csm.domain.arr import READ_FROM_VALUES, ArrRow, rechained

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

    from csm.db.runner import Runner


@dataclass(frozen=True)
class NewChange:
    """A change to record. `kind` None (or one read from values) is read from the history: new, expansion,
    contraction or reactivation."""

    account_id: int
    on: date
    after: float
    kind: str | None = None
    reason: str | None = None
    note: str | None = None
    renewal_due: date | None = None
    renewed_until: date | None = None
    term_months: int | None = None
    source: str = "csm"
    opportunity_id: int | None = None
    opening: bool = False


def _table() -> Table:
    from csm.db.models import ArrChange

    return ArrChange.__table__  # type: ignore[attr-defined,no-any-return]


def history(connection: Connection, account_id: int) -> list[ArrRow]:
    """One account's changes in (day, id) order."""
    from sqlalchemy import select

    table = _table()
    rows = connection.execute(
        select(table.c.id, table.c.changed_on, table.c.kind, table.c.arr_before, table.c.arr_after, table.c.opening)
        .where(table.c.account_id == account_id)
        .order_by(table.c.changed_on, table.c.id)
    ).all()
    return [ArrRow(r[0], r[1], r[2], r[3], float(r[4]), bool(r[5])) for r in rows]


def record_change(connection: Connection, change: NewChange) -> ArrRow | None:
    """Store one change and re-read the history after it; None when it changes nothing (the same value again).
    Writes in the caller's transaction."""
    from sqlalchemy import insert

    from csm.clock import now_utc

    values: dict[str, Any] = {
        "account_id": change.account_id,
        "changed_on": change.on,
        "kind": change.kind or "new",
        "arr_before": None,
        "arr_after": float(change.after),
        "opening": change.opening,
        "reason": change.reason,
        "note": change.note,
        "renewal_due": change.renewal_due,
        "renewed_until": change.renewed_until,
        "term_months": change.term_months,
        "source": change.source,
        "opportunity_id": change.opportunity_id,
        "recorded_at": now_utc(),
    }
    key = connection.execute(insert(_table()).values(**values)).inserted_primary_key
    assert key is not None
    return rechain(connection, change.account_id, int(key[0]))


def rechain(connection: Connection, account_id: int, wanted: int | None = None) -> ArrRow | None:
    """Make the account's history read true (before values, kinds read from values) and the account follow its
    latest change; returns row `wanted` as it now stands (None if it was dropped as no change)."""
    from sqlalchemy import delete, update

    table = _table()
    rows = history(connection, account_id)
    changed, gone = rechained(rows)
    for row in changed:
        connection.execute(
            update(table).where(table.c.id == row.id).values(arr_before=row.before, kind=row.kind, opening=row.opening)
        )
    if gone:
        connection.execute(delete(table).where(table.c.id.in_(gone)))
    sync_account(connection, account_id)
    now = {row.id: row for row in rows} | {row.id: row for row in changed}
    return None if wanted is None or wanted in gone else now.get(wanted)


def sync_account(connection: Connection, account_id: int) -> None:
    """The account's ARR is its latest change's; a churn as the latest change churns it on that day, and ARR after a
    churn brings it back (stage `adoption`)."""
    from sqlalchemy import text

    latest = connection.execute(
        text(
            "SELECT changed_on, kind, arr_after FROM arr_changes WHERE account_id = :id "
            "ORDER BY changed_on DESC, id DESC LIMIT 1"
        ),
        {"id": account_id},
    ).first()
    if latest is None:
        return
    on, kind, after = read_day(latest[0]), latest[1], float(latest[2])
    account = connection.execute(
        text("SELECT arr, churned_on, lifecycle_stage FROM accounts WHERE id = :id"), {"id": account_id}
    ).one()
    values: dict[str, Any] = {}
    if account[0] is None or round(float(account[0]), 2) != round(after, 2):
        values["arr"] = after
    if kind == "churn":
        if read_day(account[1]) != on:
            values["churned_on"] = on
        if account[2] != "churned":
            values["lifecycle_stage"] = "churned"
    elif after > 0 and (account[1] is not None or account[2] == "churned"):
        values["churned_on"] = None
        if account[2] == "churned":
            values["lifecycle_stage"] = "adoption"
    if values:
        from sqlalchemy import update

        from csm.clock import now_utc
        from csm.db.models import Account

        accounts: Table = Account.__table__  # type: ignore[attr-defined]
        connection.execute(update(accounts).where(accounts.c.id == account_id).values(**values, updated_at=now_utc()))


def history_began_before(connection: Connection, day: date) -> bool:
    """Whether the book knew any account's ARR before `day`: until then, accounts entering it are its opening
    book (the ARR they already had), after it they are new logos."""
    from sqlalchemy import text

    return connection.execute(
        text("SELECT EXISTS (SELECT 1 FROM arr_changes WHERE changed_on < :day)"), {"day": day}
    ).scalar() in (True, 1)


def change_of_deal(connection: Connection, opportunity_id: int) -> dict[str, Any] | None:
    """The change a closed deal recorded on an earlier import, if any."""
    from sqlalchemy import text

    row = (
        connection.execute(
            text(
                "SELECT id, account_id, changed_on, kind, arr_after, reason, note FROM arr_changes "
                "WHERE opportunity_id = :id"
            ),
            {"id": opportunity_id},
        )
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


def update_change(connection: Connection, change_id: int, account_id: int, **values: Any) -> None:
    """Change a recorded change's day or values (a deal re-imported with another amount or close date)."""
    from sqlalchemy import update

    table = _table()
    connection.execute(update(table).where(table.c.id == change_id).values(**values))
    rechain(connection, account_id)


def delete_change(connection: Connection, change_id: int, account_id: int) -> None:
    from sqlalchemy import delete

    table = _table()
    connection.execute(delete(table).where(table.c.id == change_id))
    rechain(connection, account_id)


def account_changes(runner: Runner, account_id: int, as_of: date) -> list[tuple[Any, ...]]:
    """One account's changes up to `as_of`, oldest first, for the prep sheet and the EBR: day, kind, before, after,
    opening, reason, note, renewed until."""
    return runner.tuples(
        """SELECT changed_on, kind, arr_before, arr_after, opening, reason, note, renewed_until FROM arr_changes
           WHERE account_id = :account AND changed_on <= :as_of ORDER BY changed_on, id""",
        {"account": account_id, "as_of": as_of},
    )


def is_read_from_values(kind: str | None) -> bool:
    return kind is None or kind in READ_FROM_VALUES


@dataclass(frozen=True)
class Outcome:
    """What `csm renew` or `csm churn` recorded, for the message that confirms it."""

    account_id: int
    on: date
    before: float | None
    after: float
    renewal_due: date | None
    renewed_until: date | None
    term_months: int | None


def _account(connection: Connection, account_id: int) -> dict[str, Any]:
    from sqlalchemy import text

    row = (
        connection.execute(
            text(
                "SELECT id, name, arr, currency, renewal_date, contract_start, churned_on, lifecycle_stage FROM accounts "
                "WHERE id = :id"
            ),
            {"id": account_id},
        )
        .mappings()
        .one()
    )
    found = dict(row)
    for key in ("renewal_date", "contract_start", "churned_on"):
        found[key] = read_day(found[key])
    return found


def value_before(connection: Connection, account_id: int, on: date) -> float | None:
    """The account's ARR at the end of `on` as its history shows it, else its ARR field (a book without history)."""
    from csm.domain.arr import value_on

    rows = history(connection, account_id)
    if rows:
        return value_on(rows, on)
    account = _account(connection, account_id)
    return float(account["arr"]) if account["arr"] is not None else None


def is_churned(account: dict[str, Any]) -> bool:
    return account["churned_on"] is not None or account["lifecycle_stage"] == "churned"


def renew_account(
    connection: Connection,
    account_id: int,
    *,
    on: date,
    arr: float | None = None,
    term_months: int | None = None,
    until: date | None = None,
    note: str | None = None,
    source: str = "csm",
    opportunity_id: int | None = None,
    roll: bool = True,
) -> Outcome:
    """Record a renewal on `on` at `arr` (else the ARR it had) and, with `roll`, move the account's renewal date
    forward by the new term (`term_months`, else to `until`, else the contract's own length, else 12 months).
    Without `roll` (a renewal its renewal date has already moved past) the term is counted from `on`."""
    from sqlalchemy import text

    from csm.domain.arr import renewal_term
    from csm.domain.dates import months_between
    from csm.errors import InputError

    account = _account(connection, account_id)
    before = value_before(connection, account_id, on)
    after = arr if arr is not None else before
    if after is None:
        raise InputError(f"{account['name']} has no ARR on record; give the renewal's ARR with --arr")
    if not roll:  # a renewal of the past: its term is known only when it started the contract running now
        started_current = account["contract_start"] == on and account["renewal_date"] is not None
        until_then = account["renewal_date"] if started_current else None
        months = months_between(on, until_then) if until_then else None
        record_change(
            connection,
            NewChange(account_id, on, after, "renewal", note=note, renewal_due=on, renewed_until=until_then,
                      term_months=months, source=source, opportunity_id=opportunity_id),
        )  # fmt: skip
        return Outcome(account_id, on, before, after, on, until_then, months)
    term = renewal_term(account["renewal_date"], account["contract_start"], on, term_months=term_months, until=until)
    if term.until <= on:
        raise InputError(f"the new renewal date {term.until} must come after the renewal on {on}")
    record_change(
        connection,
        NewChange(
            account_id, on, after, "renewal", note=note, renewal_due=term.due, renewed_until=term.until,
            term_months=term.months, source=source, opportunity_id=opportunity_id,
        ),
    )  # fmt: skip
    connection.execute(
        text("UPDATE accounts SET renewal_date = :until, contract_start = :starts WHERE id = :id"),
        {"until": term.until, "starts": term.starts, "id": account_id},
    )
    return Outcome(account_id, on, before, after, term.due, term.until, term.months)


def churn_account(
    connection: Connection,
    account_id: int,
    *,
    on: date,
    reason: str,
    note: str | None = None,
    source: str = "csm",
    opportunity_id: int | None = None,
) -> Outcome:
    """Record the loss of an account on `on`: its ARR goes to 0 and its stage to churned, with the reason."""
    account = _account(connection, account_id)
    before = value_before(connection, account_id, on)
    record_change(
        connection,
        NewChange(
            account_id, on, 0.0, "churn", reason=reason, note=note, renewal_due=account["renewal_date"],
            source=source, opportunity_id=opportunity_id,
        ),
    )  # fmt: skip
    return Outcome(account_id, on, before, 0.0, account["renewal_date"], None, None)


def account_state(connection: Connection, account_id: int) -> dict[str, Any]:
    """The account's ARR and its currency, renewal date, contract start and churn as stored (name included)."""
    return _account(connection, account_id)


def open_histories(connection: Connection) -> None:
    """A book without ARR history (an export from before csm kept it): each account's ARR opens its history on the
    day it entered the book, a known churn on its day (what migration 0006 does to an older book)."""
    from sqlalchemy import text

    rows = connection.execute(
        text("SELECT id, arr, created_at, churned_on, lifecycle_stage FROM accounts ORDER BY id")
    ).all()
    for account_id, arr, created_at, churned_on, stage in rows:
        entered, churned = read_day(created_at), read_day(churned_on)
        lost = churned is not None or stage == "churned"
        if not arr or arr <= 0 or entered is None or (lost and (churned is None or churned < entered)):
            continue
        record_change(connection, NewChange(account_id, entered, float(arr), opening=True, source="migration"))
        if churned is not None:
            record_change(connection, NewChange(account_id, churned, 0.0, "churn", reason="other", source="migration",
                                                note="churned before csm kept ARR history"))  # fmt: skip
