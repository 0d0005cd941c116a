"""What a write prints back: the interaction, to-do or risk as it was logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LoggedTodo:
    id: int
    title: str
    due: date | None


@dataclass(frozen=True)
class OpenStep:
    """A playbook step of the CSM's own still open for the account, due within a week: the interaction just logged
    may be what it asked for, and only the CSM can say so (`csm todo done ID`)."""

    id: str
    title: str
    due: date | None


@dataclass(frozen=True)
class Logged:
    """An interaction as it was logged, the to-do its next step became, and the account's playbook steps still open."""

    account: str
    kind: str
    on: date
    summary: str
    attendees: str | None
    todo: LoggedTodo | None
    open_steps: tuple[OpenStep, ...] = ()  # the first few, the soonest first
    more_steps: int = 0  # how many more there are (`csm todo list`)


@dataclass(frozen=True)
class LoggedRisk:
    id: int
    account: str
    category: str
    severity: str
    evidence: str
    owner: str | None
    first_response: str | None
