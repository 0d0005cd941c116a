"""What a meeting is to the CSM: which account it is with, what kind of meeting it is, and whether they go.

Pure rules over what a calendar says of a meeting (its attendees and their answers, its organizer, its title)
and over the book's contacts, domains and names. The calendar import reads every occurrence with them, and
csm.db.calendars reads the stored meetings again whenever accounts or contacts change, so a meeting is
matched to the account a new contact or domain makes it with, without a new import.

- The CSM is the config's `owner` and every `owner_aliases` entry that is an e-mail address. Their own
  answer (PARTSTAT) decides whether the meeting happens for them: a declined meeting is left out of the
  agenda and never counts as a touch; a tentative or unanswered one is marked. The organizer has accepted.
  Where no ATTENDEE line is theirs (Outlook's exports list none), Outlook's busy status TENTATIVE is their answer.
- Colleagues are the addresses on the config's `internal_domains` (unset: the CSM's own work domain).
- Kinds: `customer` (matched to an account), `internal` (every other attendee a colleague), `external`
  (someone from outside whom no account claims: a prospect, a partner) and `personal` (nobody else).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from csm.domain.matching import (
    FREE_MAIL_DOMAINS,
    email_domain,
    normalise_email,
    normalise_phrase,
    registrable_domain,
)

if TYPE_CHECKING:
    from csm.config import Config

CUSTOMER, INTERNAL, EXTERNAL, PERSONAL = "customer", "internal", "external", "personal"
# RFC 5545 PARTSTAT values of an event, as csm stores and shows them
ANSWERS = {
    "ACCEPTED": "accepted",
    "TENTATIVE": "tentative",
    "DECLINED": "declined",
    "NEEDS-ACTION": "needs-action",
    "DELEGATED": "delegated",
}
DECLINED = "declined"
# Outlook and Exchange exports seldom list the calendar's owner among the attendees: their tentative answer shows
# only as the event's busy status (X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE). It is kept among the answers under this
# key, which is never an address, and counts where no address of the CSM's answered.
CALENDAR_OWNER = "calendar-owner"
UNSETTLED = ("tentative", "needs-action")  # marked on the agenda: the CSM has not said yes
# when the CSM's addresses gave different answers (an invitation sent to two of them), the one that says most
_ANSWER_ORDER = ("accepted", "tentative", "delegated", "needs-action", "declined")
# the to-dos that show a scheduled meeting with the account beside them ("covered by today's 13:00 QBR")
COVERED_KINDS = frozenset({"renewal_outreach", "renewal_reminder", "renewal_overdue", "ebr_due"})
REVIEW_KINDS = frozenset({"ebr_due"})  # covered only by a review meeting (`is_review`), not by any meeting
_REVIEW_TITLE = re.compile(r"\b(?:ebr|qbr|business review|executive review|quarterly review)s?\b", re.IGNORECASE)


def is_review(title: str) -> bool:
    """A meeting whose title says it is a business review: "Q1 EBR", "QBR with Acme", "Executive Business Review"
    (a check-in or a ticket review is not)."""
    return _REVIEW_TITLE.search(title) is not None


def answer_word(answer: str | None) -> str:
    """How prep shows an attendee's RSVP: accepted, tentative, declined, no answer; '—' where the calendar does
    not say (an export without PARTSTAT, a meeting imported before csm kept them)."""
    if answer is None:
        return "—"
    return "no answer" if answer == "needs-action" else answer


class Reading(NamedTuple):
    """What csm stores of a meeting beside the calendar's own words."""

    account_id: int | None
    kind: str
    rsvp: str | None  # the CSM's own answer; None when the calendar does not say (read as accepted)


@dataclass(frozen=True)
class Me:
    """The CSM's addresses and their colleagues' domains, from the config."""

    addresses: frozenset[str]
    named_domains: tuple[str, ...] = ()  # the config's internal_domains, as written

    @classmethod
    def of(cls, config: Config) -> Me:
        addresses = {normalise_email(a) for a in (config.owner, *config.owner_aliases)}
        return cls(frozenset(a for a in addresses if a), tuple(config.internal_domains))

    @cached_property
    def internal_domains(self) -> frozenset[str]:
        """Worked out on first use: it reads the public suffix list, which a view of stored meetings seldom needs."""
        if self.named_domains:
            return frozenset(registrable_domain(d) for d in self.named_domains)
        # unset: the CSM's own (work) domain is their colleagues'
        return frozenset(d for a in self.addresses if (d := email_domain(a)) and d not in FREE_MAIL_DOMAINS)

    def others(self, attendees: Sequence[str], organizer: str | None) -> list[str]:
        """Everyone on the meeting but the CSM, once each, in file order (the organizer last)."""
        people = dict.fromkeys((*attendees, *([organizer] if organizer else [])))
        return [a for a in people if a not in self.addresses]

    def is_colleague(self, address: str) -> bool:
        return email_domain(address) in self.internal_domains

    def external(self, attendees: Sequence[str], organizer: str | None = None) -> list[str]:
        return [a for a in self.others(attendees, organizer) if not self.is_colleague(a)]

    def answer(self, answers: Mapping[str, str], organizer: str | None) -> str | None:
        """The CSM's own answer: what their ATTENDEE line says, else the calendar owner's busy status; an organizer
        has accepted their own meeting."""
        given = [answers[a] for a in self.addresses if a in answers]
        if not given and CALENDAR_OWNER in answers:
            given = [answers[CALENDAR_OWNER]]
        found = min(given, key=_ANSWER_ORDER.index) if given else None
        if organizer in self.addresses and found in (None, "needs-action"):
            return "accepted"
        return found

    def kind(self, attendees: Sequence[str], organizer: str | None, account_id: int | None) -> str:
        """customer, internal, external or personal (see the module's docstring).

        A meeting with nobody else is personal unless its title names an account: calendar exports often leave
        out the attendees of one's own meetings ("Renewal call Initech"), so the title is all there is. A meeting
        of colleagues that names an account stays internal: talking about a customer is not talking to them."""
        others = self.others(attendees, organizer)
        if not others:
            return CUSTOMER if account_id is not None else PERSONAL
        if all(self.is_colleague(a) for a in others):
            return INTERNAL
        return CUSTOMER if account_id is not None else EXTERNAL

    def outside_domain(self, attendees: Sequence[str], organizer: str | None) -> str | None:
        """The domain most of the outside attendees come from: 'external: globex.example'."""
        domains = Counter(d for a in self.external(attendees, organizer) if (d := email_domain(a)))
        return domains.most_common(1)[0][0] if domains else None

    def label(self, kind: str, attendees: Sequence[str], organizer: str | None) -> str:
        if kind == EXTERNAL:
            domain = self.outside_domain(attendees, organizer)
            return f"external: {domain}" if domain else EXTERNAL
        return kind


@dataclass
class AccountMatcher:
    """Which account a meeting is with: attendee contact, then attendee domain, then name in the title.

    The CSM's own addresses and attendees on internal domains never count.
    """

    contacts: dict[str, int]
    domains: dict[str, int]
    names: dict[str, tuple[int, int]]  # normalised name: (its place in longest-first order, account id)
    longest: int  # words in the longest name
    me: Me

    @classmethod
    def from_facts(
        cls,
        emails: Iterable[tuple[str, int]],
        domains: Iterable[tuple[str, int]],
        names: Iterable[tuple[int, str]],
        config: Config,
    ) -> AccountMatcher:
        by_email: dict[str, set[int]] = defaultdict(set)
        for email, account_id in emails:
            cleaned = normalise_email(email)
            if cleaned:
                by_email[cleaned].add(account_id)
        ordered = sorted(((n, i) for i, n in sorted(names) if len(n) > 1), key=lambda pair: -len(pair[0]))
        by_name: dict[str, tuple[int, int]] = {}
        for place, (name, account_id) in enumerate(ordered):
            by_name.setdefault(name, (place, account_id))
        return cls(
            contacts={e: next(iter(ids)) for e, ids in by_email.items() if len(ids) == 1},  # a shared inbox decides nothing
            domains={d.lower(): a for d, a in domains},
            names=by_name,
            longest=max((name.count(" ") + 1 for name in by_name), default=0),
            me=Me.of(config),
        )  # fmt: skip

    def match(self, attendees: Sequence[str], title: str) -> int | None:
        external = self.me.external(attendees)
        by_contact = [self.contacts[a] for a in external if a in self.contacts]
        if by_contact:
            return Counter(by_contact).most_common(1)[0][0]
        by_domain = [
            self.domains[d] for a in external if (d := email_domain(a)) in self.domains and d not in FREE_MAIL_DOMAINS
        ]
        if by_domain:
            return Counter(by_domain).most_common(1)[0][0]
        return self.match_title(title)

    def match_title(self, title: str) -> int | None:
        """The longest account name that appears in the title as whole words: each run of the title's words is
        looked up, so the cost is the title's length, not the book's."""
        words = normalise_phrase(title).split()
        found = [
            self.names[phrase]
            for start in range(len(words))
            for end in range(start + 1, min(len(words), start + self.longest) + 1)
            if (phrase := " ".join(words[start:end])) in self.names
        ]
        return min(found)[1] if found else None

    def read(self, attendees: Sequence[str], organizer: str | None, title: str, answers: Mapping[str, str]) -> Reading:
        """A meeting's account, kind and the CSM's answer."""
        account_id = self.match(attendees, title)
        return Reading(account_id, self.me.kind(attendees, organizer, account_id), self.me.answer(answers, organizer))


# the CSM's own answer to a meeting they have not accepted, as a view words it
UNACCEPTED = {"tentative": "tentative", "needs-action": "not answered", "delegated": "delegated"}


class Scheduled(NamedTuple):
    """An account's next meeting from the day looked from: its title, local start (a date when all day) and the
    CSM's answer (None where the calendar does not say, as for a meeting they organise)."""

    account_id: int
    title: str
    start: datetime | date
    rsvp: str | None = None

    @property
    def accepted(self) -> bool:
        """A meeting the CSM may count on: one they are tentative about, have not answered or handed on may not
        happen with them, so it covers nothing and is only the next chance."""
        return self.rsvp not in UNACCEPTED


def covers(kind: str, meeting: Scheduled) -> bool:
    """Whether the meeting is the one to do the to-do in: an accepted review meeting for an EBR, and for a renewal
    an accepted review or meeting about the renewal; any other meeting is only the next chance to raise it."""
    about = is_review(meeting.title) or (kind not in REVIEW_KINDS and "renew" in meeting.title.lower())
    return about and meeting.accepted


def covered_words(meeting: Scheduled, as_of: date, *, covering: bool = True) -> str:
    """'covered by today's 13:00 QBR', 'covered by tomorrow's 10:00 QBR', 'covered by Thu 4 Mar 10:00 QBR'; when the
    meeting is not about the to-do (`covering=False`), 'next meeting: tomorrow's 15:00 urgent ticket review'."""
    timed = isinstance(meeting.start, datetime)
    day = meeting.start.date() if isinstance(meeting.start, datetime) else meeting.start
    clock = f" {meeting.start:%H:%M}" if timed else ""
    if day == as_of:
        when = f"today's{clock}"
    elif day == as_of + timedelta(days=1):
        when = f"tomorrow's{clock}"
    else:
        year = "" if day.year == as_of.year else f" {day.year}"  # a review planned into next year says so
        when = f"{day:%a} {day.day} {day:%b}{year}{clock}"
    answer = "" if meeting.accepted else f" ({UNACCEPTED[meeting.rsvp or '']})"
    return f"{'covered by' if covering else 'next meeting:'} {when} {meeting.title}{answer}"
