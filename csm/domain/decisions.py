"""What the CSM decided about a rule's to-do or risk, and how long a decision holds (pure rules, no I/O).

The rules' to-dos and risks are derived from the book on each day; a decision is the only thing kept
about them. It is keyed by the rule key, which names the facts the rule fired on (the renewal date, the
contact, the survey answer), so a decision lasts while those facts hold. It counts from the day it was
made on: a look at an earlier day sees the to-do as it was then. A resolved or snoozed risk also ends
when its situation does: if the rule stops firing and fires again later (a new `since`), it comes back.

Derived to-dos and risks are named by a short id made of letters, read from a hash of the rule key
(`csm todo done kqvzt`); what the CSM writes by hand keeps its number (`csm todo done 12`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

TODO = "todo"
RISK = "risk"
TODO_STATUSES = ("done", "deferred", "dismissed")
ASSIGNED = "assigned"  # the status of a decision that only hands a to-do to someone
RISK_STATUSES = ("resolved", "snoozed")
ID_LETTERS = "abcdefghjkmnpqrstuvwxyz"  # no i, l or o: they read as digits
ID_LENGTH = 5
FULL_ID_LENGTH = 16


@dataclass(frozen=True, slots=True)
class Decision:
    subject: str  # todo or risk
    rule_key: str
    status: str
    until: date | None
    deferrals: int
    reason: str | None
    decided_on: date
    assignee: str | None = None  # who a to-do was handed to (`csm todo assign`)
    assigned_on: date | None = None
    account_id: int | None = None


@dataclass(frozen=True, slots=True)
class TodoState:
    """How a decision leaves a rule to-do on a day: hidden, or shown with its deferral history."""

    hidden: bool
    deferrals: int = 0
    deferred_until: date | None = None
    defer_reason: str | None = None


SHOWN = TodoState(hidden=False)
HIDDEN = TodoState(hidden=True)


def todo_state(decision: Decision | None, as_of: date) -> TodoState:
    """Done or dismissed hides the to-do while its facts hold; a deferral hides it until its day and is
    counted ever after; nothing decided before `as_of` leaves it as the rule raised it."""
    if decision is None or decision.decided_on > as_of:
        return SHOWN
    if decision.status in ("done", "dismissed"):
        return HIDDEN
    if decision.status == ASSIGNED:
        return SHOWN
    return TodoState(False, decision.deferrals, decision.until, decision.reason)


def risk_hidden(decision: Decision | None, since: date | None, as_of: date) -> bool:
    """A resolved risk stays quiet while the situation it was resolved in lasts; a snoozed one until its day.

    `since` is the day the firing situation began: one that began after the decision is a new situation."""
    if decision is None or decision.decided_on > as_of:
        return False
    if since is not None and since > decision.decided_on:
        return False
    if decision.status == "resolved":
        return True
    return decision.until is not None and decision.until > as_of


def risk_resolved(decision: Decision | None, since: date | None, as_of: date) -> bool:
    """Resolved in the situation that still fires: the CSM says it is handled. A snooze is no such word (the
    situation is still there, only out of the list until its day), so health keeps listening to a snoozed risk."""
    return decision is not None and decision.status == "resolved" and risk_hidden(decision, since, as_of)


_LETTER_OF_BYTE = bytes(ord(ID_LETTERS[b % len(ID_LETTERS)]) for b in range(256))


def full_id(rule_key: str) -> str:
    """The letters a derived item is named by (one per byte of a hash of its rule key); the id shown is the
    shortest unique prefix of them."""
    digest = hashlib.blake2b(rule_key.encode(), digest_size=FULL_ID_LENGTH).digest()
    return digest.translate(_LETTER_OF_BYTE).decode()


def short_ids(keys: Iterable[str]) -> dict[str, str]:
    """Each rule key's id: ID_LENGTH letters, longer where two keys would share them (as git abbreviates)."""
    full = {key: full_id(key) for key in keys}
    by_prefix: dict[str, list[str]] = {}
    for key, letters in full.items():
        by_prefix.setdefault(letters[:ID_LENGTH], []).append(key)
    shown = {}
    for prefix, same in by_prefix.items():
        if len(same) == 1:
            shown[same[0]] = prefix
            continue
        length = ID_LENGTH + 1
        while length < FULL_ID_LENGTH and len({full[k][:length] for k in same}) < len(same):
            length += 1
        for key in same:
            shown[key] = full[key][:length]
    return shown


def lasting_id(rule_key: str, shown: str) -> str:
    """The id of an item shown apart from its list (`csm log` names a step of one account): two letters longer
    than a list's ids (23**7 ids: unique across any book), since `csm todo done` looks it up among every item of
    the CSM's accounts, where the shortest unique prefix within one account may be taken twice."""
    longer = full_id(rule_key)[: ID_LENGTH + 2]
    return shown if len(shown) > len(longer) else longer


def is_derived_id(text: str) -> bool:
    return bool(text) and all(letter in ID_LETTERS for letter in text)


def match_derived(text: str, keys: Iterable[str], *, what: str, listing: str) -> str:
    """The one rule key whose id starts with `text` (the id as shown, or any longer or shorter unique part)."""
    from csm.errors import AmbiguousError, NotFoundError

    wanted = text.strip().lower()
    found = [key for key in keys if full_id(key).startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if found:
        shown = short_ids(found)
        listed = ", ".join(sorted(shown[k] for k in found)[:5])
        raise AmbiguousError(f"{text!r} matches {len(found)} {what}s ({listed}); type more of its id")
    raise NotFoundError(f"no open {what} has the id {text!r} on this day; '{listing}' shows the ids")
