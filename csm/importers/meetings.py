"""Meetings matched to accounts again, after new accounts or contacts arrived: a calendar import matches its own
meetings, but a contacts export synced later must reach the meetings already in the book."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csm.config import Config
    from csm.db.runner import Runner


def rematch_meetings(runner: Runner, config: Config) -> int:
    """Match every stored meeting to its account as an import would now; returns how many changed account."""
    from csm.db.calendars import link_meetings, matching_facts, meeting_links
    from csm.importers.calendar import AccountMatcher

    matcher = AccountMatcher.from_facts(*matching_facts(runner), config)
    matched: dict[tuple[str, str], int | None] = {}  # a series repeats its attendees and title
    changed = []
    for event_id, attendees, title, account_id in meeting_links(runner):
        key = (attendees, title)
        if key not in matched:
            matched[key] = matcher.match(tuple(json.loads(attendees)), title)
        if matched[key] != account_id:
            changed.append({"id": event_id, "account_id": matched[key]})
    link_meetings(runner, changed)
    return len(changed)
