"""Finding accounts by words: what a name resolves to by the CLI's rules, the names that hold the words, and the
closest names ("did you mean"); nothing is guessed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csm.config import Config
from csm.db.lookup import account_names, closest_names, find_account, search_accounts
from csm.db.runner import Runner, as_date
from csm.errors import AmbiguousError, InputError, NotFoundError


@dataclass(eq=False)
class ExternalId:
    source: str
    id: str


@dataclass(eq=False)
class AccountMatch:
    id: int
    name: str
    external_ids: list[ExternalId]
    segment: str
    arr: float | None
    renewal_date: date | None
    lifecycle_stage: str | None
    owner: str | None


@dataclass(eq=False)
class AccountSearch:
    query: str
    resolves_to: str | None  # the account that ACCOUNT means to every command (exact name, external id, prefix)
    problem: str | None  # why the words name no single account, as a command would say it
    matches: list[AccountMatch]
    more: bool  # more accounts hold the words than `matches` shows
    did_you_mean: list[str]  # the closest names by fuzzy score: suggestions, never picked


def account_search(runner: Runner, text: str, config: Config, *, limit: int = 20) -> AccountSearch:
    if not text.strip():
        raise InputError("give a name, part of a name, or an external id to search for")
    try:
        resolves_to: str | None = find_account(runner, text)[1]
        problem = None
    except (AmbiguousError, NotFoundError) as exc:
        resolves_to, problem = None, str(exc)
    rows = search_accounts(runner, text, limit=limit + 1)
    matches = [
        AccountMatch(
            id=int(row["id"]),
            name=row["name"],
            external_ids=[ExternalId(key["source"], key["id"]) for key in row["external_ids"]],
            segment=row["segment"] or config.segments.segment_for(row["arr"]),
            arr=row["arr"],
            renewal_date=as_date(row["renewal_date"]),
            lifecycle_stage=row["lifecycle_stage"],
            owner=row["owner"],
        )
        for row in rows[:limit]
    ]
    # suggestions only where the words name no single account, and never a name already matched
    shown = {m.name for m in matches}
    suggestions = (
        []
        if resolves_to
        else [n for n in closest_names(text.strip(), account_names(runner), limit=5) if n not in shown]
    )
    return AccountSearch(
        query=text.strip(),
        resolves_to=resolves_to,
        problem=problem,
        matches=matches,
        more=len(rows) > limit,
        did_you_mean=suggestions[:3],
    )
