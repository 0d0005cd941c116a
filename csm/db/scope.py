"""Which accounts a report covers: the whole book, one CSM's accounts in a team book, or one account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scope:
    """Which accounts a report covers: all, one owner's (`--mine`: their e-mail and the names CRMs use), or one."""

    owners: tuple[str, ...] = ()
    account_id: int | None = None

    def _owner_list(self) -> str:
        return ", ".join(f":scope_owner_{i}" for i in range(len(self.owners)))

    def accounts_where(self, alias: str = "a") -> str:
        clauses = []
        if self.owners:
            clauses.append(f"lower({alias}.owner) IN ({self._owner_list()})")
        if self.account_id is not None:
            clauses.append(f"{alias}.id = :scope_account")
        return " AND ".join(clauses) or "1 = 1"

    def rows_where(self, column: str = "account_id") -> str:
        """Restrict a child table's rows to the scope's accounts."""
        if self.account_id is not None:
            return f"{column} = :scope_account"
        if self.owners:
            return f"{column} IN (SELECT id FROM accounts WHERE lower(owner) IN ({self._owner_list()}))"
        return "1 = 1"

    @property
    def narrowed(self) -> bool:
        """Whether the scope is less than the whole book."""
        return bool(self.owners) or self.account_id is not None

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = {f"scope_owner_{i}": owner.lower() for i, owner in enumerate(self.owners)}
        return values | {"scope_account": self.account_id}

    @property
    def key(self) -> str:
        """Names the scope in the stored evaluation's record."""
        return ",".join(self.owners) + f"|{self.account_id or ''}"
