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
class Logged:
    """An interaction as it was logged, and the to-do its next step became."""

    account: str
    kind: str
    on: date
    summary: str
    attendees: str | None
    todo: LoggedTodo | None


@dataclass(frozen=True)
class LoggedRisk:
    id: int
    account: str
    category: str
    severity: str
    evidence: str
    owner: str | None
    first_response: str | None
