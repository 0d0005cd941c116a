"""The day's worklist: the to-dos and risks of a judgement, with what `csm today` shows beside them.

It is what a judgement leaves once the facts are no longer needed: small enough to keep in the
judgement cache (csm.reports.cache), whole enough for `today`, `todo list` and `risk`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from csm.reports.items import RiskItem, TodoItem, risk_out, todo_out, todos_due
from csm.reports.models import RiskOut, TodoOut

if TYPE_CHECKING:
    from csm.reports.judge import Judgement


@dataclass
class Worklist:
    """The day's to-dos and risks, with the accounts' health and renewals beside them."""

    as_of: date
    todos: list[TodoItem]  # every open to-do (deferred ones too), the most urgent first
    risks: list[RiskItem]  # open risks, the most severe first
    health: dict[int, tuple[float | None, str]]  # account id: (score, band)
    renewals: dict[int, date]  # account id: renewal date
    active_accounts: list[tuple[int, float | None, date | None, str | None]]  # not churned: id, ARR, renewal, currency
    risk_counts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.risk_counts = dict(Counter(r.account_id for r in self.risks))

    @classmethod
    def of(cls, judgement: Judgement) -> Worklist:
        accounts = judgement.accounts.values()
        return cls(
            as_of=judgement.as_of,
            todos=judgement.todos,
            risks=judgement.risks,
            health={a: (h.score, h.band) for a, h in judgement.health.items()},
            renewals={a.id: a.renewal_date for a in accounts if a.renewal_date is not None},
            active_accounts=[(a.id, a.arr, a.renewal_date, a.currency) for a in accounts if not a.churned],
        )

    def todos_due(self, *, within: int | None = None) -> list[TodoItem]:
        return todos_due(self.todos, self.as_of, within=within)

    def todo_out(self, todo: TodoItem) -> TodoOut:
        return todo_out(todo, self.as_of)

    def risk_out(self, risk: RiskItem) -> RiskOut:
        return risk_out(risk, self.as_of)
