"""Playbooks: the owned, dated work an open risk opens (DOMAIN.md, "Playbooks"). Pure rules, no I/O.

A playbook run is derived, like every rule to-do: an open risk, on a day, opens the first playbook of the config
whose `when` it meets, and the run's steps are read from the playbook, the risk's key and its `since` (the day its
situation began). Nothing about a run is stored but what the CSM decided about each step, keyed by the step key

    playbook:<playbook>:<step number>:<risk key>@<since>

so there is one run per risk situation whatever days and commands are run: a risk that is resolved or clears
by itself takes its open steps with it (done ones stay done in the decisions), and one that fires again later
has a new `since`, hence a fresh run with fresh keys. A snoozed risk is hidden, so are its steps: they come back
when the snooze ends, their due dates moved on by the snooze's length.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import parseaddr
from functools import lru_cache

from csm.config import ROLE_NAMES, Config, Playbook, PlaybookStep
from csm.domain.decisions import Decision, risk_hidden
from csm.domain.words import possessive

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
STEP_PREFIX = "playbook:"
MANUAL_RISK_PREFIX = "risk#"  # the key of a risk logged by hand: risk#12


@dataclass(slots=True)  # not frozen, for speed: docs/engine.md, "Where the time goes"
class RunRisk:
    """What a playbook run needs of an open risk and its account."""

    key: str  # the risk's rule key, or risk#<id> for one logged by hand
    risk_id: int | str  # as the CSM names it (`csm risk show ID`)
    account_id: int
    account: str
    category: str
    severity: str
    rule: str
    evidence: str
    since: date | None  # the day the risk's situation began; None where the facts cannot tell
    renewal_date: date | None
    segment: str
    contact: str | None  # the account's main contact, for the titles
    people: dict[str, str | None]  # ae, support, manager, exec: the account's own, else the config's [people]
    paused_days: int = 0  # how long a snooze held the risk (its steps' due dates move on by it)
    known_from: date | None = None  # the day the account came into the book: no step of it is due before then


@dataclass(slots=True)  # not frozen, for speed: docs/engine.md, "Where the time goes"
class Step:
    key: str
    number: int
    template: str  # the playbook's title, filled in from the risk only when read (`title`)
    risk: RunRisk
    role: str  # me, ae, support, manager, exec, or "email" for a step given to an address
    person: str | None  # who does it, as the config or `todo assign` names them; None for the CSM
    mine: bool  # the CSM's own (`--mine`)
    due: date | None
    after: int | None
    state: str  # open, waiting (on step `after`), deferred, done, dismissed
    decided_on: date | None = None  # when it was done, dismissed or deferred
    deferrals: int = 0
    deferred_until: date | None = None
    defer_reason: str | None = None

    @property
    def title(self) -> str:
        return filled(self.template, title_fields(self.risk))

    @property
    def handed_to(self) -> str | None:
        """Who the step is handed to, as the worklist shows it ("AE: Dana Lee"); None when it is the CSM's own."""
        if self.mine:
            return None
        label = ROLE_NAMES.get(self.role)
        name = display_name(self.person) if self.person else None
        if label is None:
            return name
        return f"{label}: {name}" if name else f"{label} (no one named: [people] {self.role})"

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "deferred")


@dataclass(slots=True)
class Run:
    """One playbook run: the steps an open risk's situation opened, each in its state on the day."""

    playbook: str
    risk: RunRisk
    steps: list[Step] = field(default_factory=list)
    dated_from: date | None = None  # the day its steps are dated from (`run_start`)
    ended: str | None = None  # "cleared" or "resolved": a run whose risk is gone, kept for its follow-up steps

    @property
    def dated_why(self) -> str | None:
        """Why its steps are dated from later than the day its risk was raised, in words; None when they are not."""
        known = self.risk.known_from
        if known is None or self.dated_from is None or self.dated_from == _raised(self.risk):
            return None
        return dated_words(known, self.dated_from)

    @property
    def open_steps(self) -> list[Step]:
        """Steps to act on: open or deferred (a step waiting on another is not yet to act on)."""
        return [s for s in self.steps if s.is_open]

    @property
    def unfinished(self) -> list[Step]:
        return [s for s in self.steps if s.state in ("open", "deferred", "waiting")]


def matches(playbook: Playbook, risk: RunRisk) -> bool:
    when = playbook.when
    if when.category is not None and when.category != risk.category:
        return False
    if when.rule is not None and when.rule != risk.rule:
        return False
    if when.severity is not None and SEVERITY_RANK.get(risk.severity, 0) < SEVERITY_RANK[when.severity]:
        return False
    if when.segment is not None and when.segment != risk.segment:
        return False
    if when.days_to_renewal_under is not None:
        # counted from the day the risk was raised, so a run never switches playbook as the days pass
        if risk.renewal_date is None or risk.since is None:
            return False
        return (risk.renewal_date - risk.since).days < when.days_to_renewal_under
    return True


def playbook_for(risk: RunRisk, config: Config) -> Playbook | None:
    """The first playbook (the config's own, then the defaults) whose `when` the risk meets."""
    return next((p for p in config.playbooks if matches(p, risk)), None)


def run_key(risk: RunRisk) -> str:
    return f"{risk.key}@{risk.since.isoformat() if risk.since else 'undated'}"


def step_key(playbook: str, number: int, risk: RunRisk, run: str | None = None) -> str:
    return f"{STEP_PREFIX}{playbook}:{number}:{run or run_key(risk)}"


def parse_step_key(key: str) -> tuple[str, int, str, date | None] | None:
    """A step key's playbook, step number, risk key and the risk's since (None: undated)."""
    parts = key.split(":", 3)
    if len(parts) != 4 or parts[0] + ":" != STEP_PREFIX or not parts[2].isdigit():
        return None
    risk_key, _at, since = parts[3].rpartition("@")
    try:
        day = None if since == "undated" else date.fromisoformat(since)
    except ValueError:
        return None
    return parts[1], int(parts[2]), risk_key, day


def is_step_key(rule_key: str | None) -> bool:
    return rule_key is not None and rule_key.startswith(STEP_PREFIX)


def assignee(text: str) -> str:
    """What `--to` may name: me, ae, support, manager, exec, an e-mail, or "Name <e-mail>"; anything else is refused."""
    from csm.errors import InputError

    value = " ".join(text.split())
    if value.lower() in ROLE_NAMES:
        return value.lower()
    if address_of(value) is not None and "@" in value and "." in value.rpartition("@")[2]:
        return value
    raise InputError(f'--to {text!r}: name one of {", ".join(ROLE_NAMES)}, an e-mail address, or "Name <e-mail>"')


def person(text: str, option: str) -> str:
    """An internal person as `--ae` and the like take them: an e-mail, or "Name <e-mail>" ("" clears it)."""
    from csm.errors import InputError

    value = " ".join(text.split())
    if not value:
        return ""
    address = address_of(value)
    if address is None or "." not in address.rpartition("@")[2]:
        raise InputError(f'{option} {text!r} is not an e-mail address, or "Name <e-mail>"')
    return value if "<" in value else address


def is_mine(person: str | None, config: Config) -> bool:
    """Whether an owner's text names the CSM: the config's owner, or one of its aliases."""
    if not person:
        return True
    return _names_me(person, config.owner, tuple(config.owner_aliases))


@lru_cache(maxsize=1024)  # a judgement asks about the same few people for each of thousands of playbook steps
def _names_me(person: str, owner: str | None, aliases: tuple[str, ...]) -> bool:
    me = {a for a in (owner, *aliases) if a}
    return (address_of(person) or " ".join(person.split()).lower()) in me or person.strip().lower() in me


@lru_cache(maxsize=256)
def display_name(person: str) -> str:
    """'Dana Lee <dana.lee@x.com>' reads as Dana Lee; an address or a bare name as itself."""
    name, address = parseaddr(person)
    return name or address or person


@lru_cache(maxsize=256)
def address_of(person: str | None) -> str | None:
    if not person:
        return None
    _name, address = parseaddr(person)
    return address.lower() if "@" in address else None


def run_of(
    risk: RunRisk,
    playbook: Playbook,
    decisions: dict[tuple[str, str], Decision],
    as_of: date,
    config: Config,
    *,
    ended: str | None = None,
) -> Run:
    """The risk's run of `playbook` on `as_of`: each step dated from the run's start (`run_start`) and in the state
    the CSM's decisions (counted from their day) leave it; a step waits while the one it follows is neither done nor
    dismissed. A run whose risk has `ended` ("cleared", "resolved") holds only the steps that outlive it, and they
    wait for nothing: what they waited on was the fix."""
    start = run_start(risk, as_of)
    run = Run(playbook.name, risk, dated_from=start, ended=ended)
    settled: set[int] = set()
    this_run = run_key(risk)
    for number, step in enumerate(playbook.steps, start=1):
        if ended is not None and not step.outlives_risk:
            continue
        key = step_key(playbook.name, number, risk, this_run)
        decision = decisions.get(("todo", key))
        if decision is not None and decision.decided_on > as_of:
            decision = None
        role, person = _owner(step, risk, decision, as_of)
        mine = role == "me" or (person is not None and is_mine(person, config))
        due = _due(step, risk, start)
        state, deferrals, until, reason = "open", 0, None, None
        if decision is not None and decision.status in ("done", "dismissed"):
            state = decision.status
            settled.add(number)
        elif decision is not None and decision.status == "deferred":
            state, deferrals, until, reason = "deferred", decision.deferrals, decision.until, decision.reason
        if state in ("open", "deferred") and step.after is not None and step.after not in settled and ended is None:
            state = "waiting"
        run.steps.append(
            Step(key, number, step.title, risk, role, person, mine, due, step.after, state,
                 decision.decided_on if decision is not None and decision.status != "assigned" else None,
                 deferrals, until, reason)
        )  # fmt: skip
    return run


@dataclass(frozen=True, slots=True)
class EndedRun:
    """A run whose risk no longer shows (it cleared, or the CSM resolved it) but whose follow-up steps are still due."""

    playbook: Playbook
    risk_key: str
    since: date | None
    account_id: int
    ended: str  # cleared or resolved


def ended_runs(
    decisions: dict[tuple[str, str], Decision], open_runs: list[Run], as_of: date, config: Config
) -> list[EndedRun]:
    """The runs the CSM began (a step of theirs done by `as_of`) whose risk is gone from the day's list, for a
    playbook with a step that outlives its risk ("confirm the fix held", three weeks on): that step stays a to-do
    until it is done or dismissed. Not while the risk is snoozed (its steps are paused), nor once the account has a
    new run of the same playbook (it has its own follow-up)."""
    first: dict[str, Playbook] = {}
    for playbook in config.playbooks:  # a name is known by its first playbook, as a step key names it
        first.setdefault(playbook.name, playbook)
    following = {name: p for name, p in first.items() if any(s.outlives_risk for s in p.steps)}
    if not following:
        return []
    running = {run_key(r.risk) for r in open_runs}
    opened = {(r.risk.account_id, r.playbook) for r in open_runs}
    found: dict[str, EndedRun] = {}
    for (subject, key), decision in decisions.items():
        if subject != "todo" or decision.status != "done" or decision.decided_on > as_of:
            continue
        parsed = parse_step_key(key)
        if parsed is None:
            continue
        name, _number, risk_key, started = parsed
        run = key.split(":", 3)[3]
        followed = following.get(name)
        if followed is None or decision.account_id is None or run in running or run in found:
            continue
        if (decision.account_id, name) in opened:
            continue
        on_risk = decisions.get(("risk", risk_key))
        if (started is not None and started > as_of) or (
            on_risk is not None and on_risk.status == "snoozed" and risk_hidden(on_risk, started, as_of)
        ):
            continue
        resolved = on_risk is not None and on_risk.status == "resolved" and on_risk.decided_on <= as_of
        found[run] = EndedRun(followed, risk_key, started, decision.account_id, "resolved" if resolved else "cleared")
    return list(found.values())


def _owner(step: PlaybookStep, risk: RunRisk, decision: Decision | None, as_of: date) -> tuple[str, str | None]:
    """Who does the step: the one it was handed to (`csm todo assign --to`), else its playbook's owner."""
    owner = step.owner
    if decision is not None and decision.assignee and (decision.assigned_on or decision.decided_on) <= as_of:
        owner = decision.assignee
    if owner == "me":
        return "me", None
    if owner in ROLE_NAMES:
        return owner, risk.people.get(owner)
    return "email", owner


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:  # the config's titles are checked; a cached old one never breaks
        return "{" + key + "}"


def title_of(
    template: str,
    account: str,
    *,
    contact: str | None = None,
    evidence: str = "its evidence",
    severity: str = "",
    category: str = "",
    renewal_date: date | None = None,
) -> str:
    """A step's title with the account's fields filled in (the config's templates are checked when it is read)."""
    return filled(template, _title_fields(account, contact, evidence, severity, category, renewal_date))


def title_fields(risk: RunRisk) -> Mapping[str, str]:
    """What a step's title is filled in from: the same for every step of a run (work it out once per run)."""
    return _title_fields(risk.account, risk.contact, risk.evidence, risk.severity, risk.category, risk.renewal_date)


def _title_fields(
    account: str, contact: str | None, evidence: str, severity: str, category: str, renewal_date: date | None
) -> Mapping[str, str]:
    return _Fields(
        account=account,
        account_possessive=possessive(account),
        contact=contact or "your contact",
        evidence=evidence,
        severity=severity,
        category=category,
        renewal_date=renewal_date.isoformat() if renewal_date else "the renewal",
    )


def filled(template: str, fields: Mapping[str, str]) -> str:
    try:
        return template.replace("{account}'s", "{account_possessive}").format_map(fields)
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def run_start(risk: RunRisk, as_of: date) -> date | None:
    """The day a run's steps are dated from: the day the risk was raised (moved on by a snooze), or the day the
    account came into the book if that was later: the book could not have asked for a step before it had the
    account, so a fresh book's runs start fresh rather than months late (as rule to-dos do). A look at a day
    before the account came in sees that day as the first (`first_day`)."""
    start = _raised(risk)
    first = first_day(risk.known_from, as_of)
    return first if start is not None and first is not None and start < first else start


def first_day(known_from: date | None, as_of: date) -> date | None:
    """The first day the book could ask anything of an account: the day it came into the book, or the day looked
    at when that is earlier (a look back at a day before the book had it is that day's first look)."""
    return None if known_from is None else min(known_from, as_of)


def dated_words(known_from: date, start: date, *, what: str = "dated") -> str:
    """Why a run (or a to-do) starts late: "dated from 2027-03-01, when the account came into the book"."""
    if start == known_from:
        return f"{what} from {start}, when the account came into the book"
    return f"{what} from {start}, the day looked at (the account came into the book on {known_from})"


def _raised(risk: RunRisk) -> date | None:
    return None if risk.since is None else risk.since + timedelta(days=risk.paused_days)


def _due(step: PlaybookStep, risk: RunRisk, start: date | None) -> date | None:
    """`due_days` after the run's start, or `before_renewal_days` before the renewal (never before the start)."""
    if start is None:
        return None
    if step.before_renewal_days is not None and risk.renewal_date is not None:
        return max(start, risk.renewal_date - timedelta(days=step.before_renewal_days))
    return start + timedelta(days=step.due_days)
