"""Which accounts a report covers: the whole book, one CSM's accounts in a team book, or one account."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csm.db.runner import Runner


@dataclass(frozen=True)
class Scope:
    """Which accounts a report covers: all, one owner's (`--mine`: their e-mail and the names CRMs use), or one.

    `unowned` adds the accounts with no owner: in a personal book they are the CSM's. `renewing_by` keeps the
    accounts whose renewal date is on or before that day (overdue ones too): what `renewals` shows."""

    owners: tuple[str, ...] = ()
    account_id: int | None = None
    unowned: bool = False
    renewing_by: date | None = None

    def _owner_forms(self) -> list[str]:
        return owner_forms(self.owners)

    def _owner_list(self) -> str:
        return ", ".join(f":scope_owner_{i}" for i in range(len(self._owner_forms())))

    def _owned(self, column: str) -> str:
        listed = f"lower({column}) IN ({self._owner_list()})"
        return f"({listed} OR {column} IS NULL OR {column} = '')" if self.unowned else listed

    def accounts_where(self, alias: str = "a") -> str:
        clauses = []
        if self.owners:
            clauses.append(self._owned(f"{alias}.owner"))
        if self.account_id is not None:
            clauses.append(f"{alias}.id = :scope_account")
        if self.renewing_by is not None:
            clauses.append(f"{alias}.renewal_date <= :scope_renewing_by")
        return " AND ".join(clauses) or "1 = 1"

    def rows_where(self, column: str = "account_id") -> str:
        """Restrict a child table's rows to the scope's accounts."""
        if self.account_id is not None:
            return f"{column} = :scope_account"
        if self.owners or self.renewing_by is not None:
            return f"{column} IN (SELECT scoped.id FROM accounts scoped WHERE {self.accounts_where('scoped')})"
        return "1 = 1"

    @property
    def narrowed(self) -> bool:
        """Whether the scope is less than the whole book."""
        return bool(self.owners) or self.account_id is not None or self.renewing_by is not None

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = {f"scope_owner_{i}": form for i, form in enumerate(self._owner_forms())}
        return values | {"scope_account": self.account_id, "scope_renewing_by": self.renewing_by}

    @property
    def key(self) -> str:
        """Names the scope in the stored evaluation's record."""
        renewing = f"|renewing by {self.renewing_by}" if self.renewing_by else ""
        return ",".join(self.owners) + ("+unowned" if self.unowned else "") + f"|{self.account_id or ''}" + renewing


def owner_forms(owners: Sequence[str]) -> list[str]:
    """What `lower(owner)` is for an account of any of `owners`, however its CRM wrote the name (case, accents)."""
    from csm.domain.matching import lowered_forms

    return list(dict.fromkeys(form for owner in owners for form in lowered_forms(owner)))


def owner_counts(runner: Runner, owners: tuple[str, ...]) -> tuple[int, int]:
    """How many accounts other owners hold, and how many have no owner (what tells a team book from a personal one)."""
    forms = owner_forms(owners)
    listed = ", ".join(f":owner_{i}" for i in range(len(forms))) or "NULL"
    row = runner.tuples(
        f"""SELECT COALESCE(SUM(CASE WHEN owner IS NOT NULL AND owner <> '' AND lower(owner) NOT IN ({listed})
                                  THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN owner IS NULL OR owner = '' THEN 1 ELSE 0 END), 0)
            FROM accounts""",
        {f"owner_{i}": form for i, form in enumerate(forms)},
    )[0]
    return int(row[0]), int(row[1])


def holds(runner: Runner, scope: Scope) -> bool:
    """Whether any account is in the scope: for one account's scope with owners, whether it is theirs."""
    row = runner.tuples(f"SELECT EXISTS (SELECT 1 FROM accounts a WHERE {scope.accounts_where()})", scope.params())
    return bool(row[0][0])
