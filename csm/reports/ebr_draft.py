"""The EBR in the customer's voice (DOMAIN.md, "Two voices"), drafted from the facts: goals and their numbers,
tickets and their themes, seats in use, the features asked for, the renewal date.

The rules decide what matters first (an open support risk puts support in the summary), but no rule's words,
threshold, severity or coaching reaches the customer: every sentence here is written from numbers, dates, goals,
what was delivered and what we will do. The CSM's own words (`csm ebr note`) replace any part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from csm.reports.dossier import ActionItem, GoalOut
from csm.reports.ebr_words import (
    STATUS_WORDS,
    Theme,
    day_words,
    join_words,
    measure_words,
    month_words,
    plural,
    quoted,
    sentence,
    shortfall,
    themes_words,
    unique,
    with_unit,
)

ACTION_DAYS = 14  # drafted action items are due two weeks after the review
SUMMARY_DAYS = 2  # the summary goes out within two days
URGENT_DAYS = 7  # a date for an urgent ticket within a week
STATUS_WORDS_LATE = "past its date"
FIRST_GOALS = "Agree the first measurable goals for the coming period"
RENEWAL_ACTION_DAYS = 180  # the renewal timeline is an action item from six months before it
SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}
# which open risks make an area of the summary come first (their words never reach it)
SUPPORT_VOLUME = 3  # tickets in the window from which the summary speaks of support taking the customer's time
AREA_CATEGORIES = {"goals": ("implementation",), "support": ("support",), "adoption": ("implementation",),
                   "product": ("product",), "renewal": ("renewal",)}  # fmt: skip


@dataclass
class ValueItem:
    """One success-plan goal as the customer reads it: what was measured, how far it went, who confirmed it."""

    title: str
    value_type: str | None
    metric: str | None
    unit: str | None
    baseline: float | None
    current: float | None
    target: float | None
    progress: float | None  # share of the way from baseline to target, 0..1
    due: date | None
    status: str
    status_words: str  # achieved, on track, behind plan, not met, planned, past its date
    measure: str  # '40 → 8 hours (target 10)'; '' when the goal has no numbers
    evidence: str | None  # only once the customer confirmed the value
    confirmed: bool
    confirmed_by: str | None
    confirmed_on: date | None


@dataclass
class SupportSummary:
    """Support in plain words: tickets in the last window against the one before, what they were about, what is open."""

    window_days: int
    last_window: int
    previous_window: int
    open: int
    open_urgent: int
    open_high: int
    longest_wait_days: int | None
    themes: list[Theme]
    urgent: list[OpenTicket]
    summary: str  # '' when the book holds no tickets at all


@dataclass
class OpenTicket:
    id: str
    subject: str | None
    open_days: int

    def words(self) -> str:
        """'EDI feed down for all depots (ticket 4512, open 4 days)'."""
        return f"{self.subject or 'ticket ' + self.id} ({'ticket ' + self.id + ', ' if self.subject else ''}" \
               f"open {plural(self.open_days, 'day')})"  # fmt: skip


@dataclass
class SummaryPart:
    text: str  # what the pack shows: the CSM's words where written, else the draft ('' leaves the part out)
    drafted: str
    edited: bool


@dataclass
class ExecutiveSummary:
    problem: SummaryPart
    impact: SummaryPart
    root_cause: SummaryPart
    recommendation: SummaryPart
    done_and_learned: SummaryPart
    facts: list[str]  # the facts behind the problem, in the customer's words


@dataclass
class Concern:
    """One thing in the way of the value the customer bought, in their words."""

    area: str
    headline: str
    facts: list[str]
    impact: str = ""
    cause: str = ""
    recommendation: str = ""
    rank: int = 0  # the severity of the open risks in its area (0: none)


@dataclass
class Facts:
    """What the draft is written from."""

    as_of: date
    value: list[ValueItem]
    support: SupportSummary
    adoption: str
    unused_seats: int | None
    requested: list[str]  # features the customer asked for
    risk_rank: dict[str, int]  # risk category → highest open severity (1-4)
    renewal_date: date | None
    csm: str
    sponsor: str | None
    champion: str | None
    done: list[str] = field(default_factory=list)  # shared interactions: '22 February 2027: escalation call ...'


def off_track(goal: GoalOut | ValueItem, as_of: date) -> bool:
    """Behind plan, missed, or past its due date without being achieved."""
    late = goal.due is not None and goal.due < as_of and goal.status != "achieved"
    return goal.status in ("at_risk", "missed") or late


def value_item(goal: GoalOut, as_of: date) -> ValueItem:
    late = goal.due is not None and goal.due < as_of and goal.status not in ("achieved", "missed")
    return ValueItem(
        title=goal.title,
        value_type=goal.value_type,
        metric=goal.metric,
        unit=goal.unit,
        baseline=goal.baseline,
        current=goal.current,
        target=goal.target,
        progress=goal.progress,
        due=goal.due,
        status=goal.status,
        status_words=STATUS_WORDS_LATE if late else STATUS_WORDS.get(goal.status, goal.status.replace("_", " ")),
        measure=measure_words(goal.baseline, goal.current, goal.target, goal.unit),
        # evidence is the CSM's claim until the customer confirms the value: only then is it theirs to read
        evidence=goal.evidence if goal.confirmed else None,
        confirmed=goal.confirmed,
        confirmed_by=goal.confirmed_by,
        confirmed_on=goal.confirmed_on,
    )


def theme_share(themes: list[Theme], tickets: int) -> str:
    """How much of `tickets` the two themes a sentence names cover: 'all', 'most' (half or more), or 'some'; 'few'
    when no theme comes back (one ticket each: nothing is "most often")."""
    covered = sum(t.tickets for t in themes[:2])
    if covered >= tickets:
        return "all"
    if not themes or themes[0].tickets < 2:
        return "few"
    return "most" if 2 * covered >= tickets else "some"


def theme_lead(themes: list[Theme], tickets: int) -> str:
    """'about', 'most about', 'most often about', or 'among them' (themes of one ticket each)."""
    return {"all": "about", "most": "most about", "some": "most often about", "few": "among them"}[
        theme_share(themes, tickets)
    ]


def window_words(days: int) -> str:
    return plural(days // 7, "week") if days % 7 == 0 else plural(days, "day")


def support_words(
    window_days: int, recent: int, before: int, open_count: int, urgent: list[OpenTicket], themes: list[Theme],
    longest_wait: int | None,
) -> str:  # fmt: skip
    """'14 tickets opened in the last 4 weeks, up from 5 in the 4 weeks before, most about ...; 5 open, 1 urgent.'"""
    window = window_words(window_days)
    if recent == 0 and before == 0:
        text = f"No tickets opened in the last {window_words(2 * window_days)}"
    else:
        change = "up from" if recent > before else "down from" if recent < before else "the same as"
        text = f"{plural(recent, 'ticket')} opened in the last {window}, {change} {before} in the {window} before"
        if themes and recent:
            text += f", {theme_lead(themes, recent)} {themes_words(themes)}"
    parts = [sentence(text)]
    if open_count:
        wait = f", the oldest open for {plural(longest_wait, 'day')}" if longest_wait else ""
        shown = f" ({len(urgent)} urgent)" if urgent else ""
        parts.append(sentence(f"{open_count} still open{shown}{wait}"))
    elif recent or before:
        parts.append("No ticket is open now.")
    return " ".join(parts)


def adoption_words(months: list[str], active: list[int | None], seats: list[int | None]) -> tuple[str, int | None]:
    """('163 of 180 licensed users active in February 2027, up from 105 in March 2026.', unused seats) from the
    months that have a usage figure; ('', None) when none has."""
    known = [(m, a, s) for m, a, s in zip(months, active, seats, strict=True) if a is not None]
    if not known:
        return "", None
    month, users, licensed = known[-1]
    assert users is not None
    text = f"{users:,} of {plural(licensed, 'licensed user')} active" if licensed else plural(users, "active user")
    text += f" in {month_words(month)}"
    first_month, first_users, _ = known[0]
    if first_month != month and first_users is not None:
        change = "up from" if users > first_users else "down from" if users < first_users else "steady since"
        text += f", {change} {first_users:,} in {month_words(first_month)}" if change != "steady since" else (
            f", steady since {month_words(first_month)}"
        )  # fmt: skip
    unused = licensed - users if licensed and licensed > users else None
    return sentence(text), unused


def concerns(facts: Facts) -> list[Concern]:
    """What stands in the way of the value, most pressing first (at most two reach the summary)."""
    found: list[Concern] = []
    behind = [g for g in facts.value if off_track(g, facts.as_of)]
    if behind:
        first = behind[0]
        headline = (f"{quoted(first.title)} is {first.status_words}" if len(behind) == 1
                    else f"{len(behind)} goals of the success plan are behind plan")  # fmt: skip
        goal_facts = [fact for g in behind[:2] if (fact := _goal_fact(g, named=len(behind) > 1))]
        gaps = [(g, shortfall(g.baseline, g.current, g.target, g.unit)) for g in behind[:2]]
        impact = "; ".join(f"{quoted(g.title)} stays {gap} short of its target" for g, gap in gaps if gap)
        causes = [f"{g.title}: {g.evidence}" for g in behind[:2] if g.evidence]
        found.append(Concern("goals", headline, goal_facts, impact, "; ".join(causes),
                             f"Agree a recovery plan with dates for {quoted(first.title)}"))  # fmt: skip
    support = facts.support
    if facts.risk_rank.get("support") and (support.last_window or support.open):
        support_facts = [f"{plural(support.last_window, 'ticket')} in the last {window_words(support.window_days)}"
                         f" (against {support.previous_window} before)"]  # fmt: skip
        if support.urgent:
            support_facts.append(
                f"{plural(len(support.urgent), 'urgent ticket')} open: {'; '.join(t.words() for t in support.urgent[:2])}"
            )
        elif support.open_high:
            support_facts.append(f"{plural(support.open_high, 'high-priority ticket')} open")
        lead = {"all": "The recent tickets are about", "most": "Most recent tickets are about",
                "some": "The recent tickets are most often about",
                "few": "Among the recent tickets:"}[theme_share(support.themes, support.last_window)]  # fmt: skip
        cause = f"{lead} {themes_words(support.themes)}" if support.themes else ""
        many = support.last_window >= SUPPORT_VOLUME  # a ticket or two is no drain on their teams' time
        if many:
            headline = "Support issues are taking your teams' time"
        elif support.open:
            headline = "Open support tickets are waiting for a fix" if support.open > 1 else (
                "An open support ticket is waiting for a fix")  # fmt: skip
        else:
            headline = f"{plural(support.last_window, 'recent support ticket')} to review together"
        impact = (f"your teams keep losing time to {plural(support.last_window, 'ticket')} in "
                  f"{window_words(support.window_days)}") if many else ""  # fmt: skip
        found.append(Concern("support", headline, support_facts, impact, cause,
                             "Review the root-cause analysis of the recent tickets together and agree dated fixes"))  # fmt: skip
    if facts.risk_rank.get("implementation") and facts.adoption:
        unused = f"{plural(facts.unused_seats, 'licensed seat')} stay unused" if facts.unused_seats else ""
        found.append(Concern("adoption", "Fewer of your people use the product than planned",
                             [facts.adoption.rstrip(".")], unused, "",
                             "Plan enablement for the people who are not using it yet"))  # fmt: skip
    if facts.risk_rank.get("product") and facts.requested:
        features = join_words(facts.requested[:2])
        stand = "stands" if len(facts.requested) == 1 else "stand"
        found.append(Concern("product", f"{plural(len(facts.requested), 'capability', 'capabilities')} you asked for "
                             f"{'is' if len(facts.requested) == 1 else 'are'} not available yet",
                             [f"requested: {join_words(facts.requested[:3])}"],
                             f"the work that needs {features} waits", "",
                             f"Review where {features} {stand} on our roadmap and agree a workaround meanwhile"))  # fmt: skip
    if facts.renewal_date is not None and facts.renewal_date < facts.as_of:  # passed, and no outcome recorded
        found.append(Concern("renewal", f"Your contract came up for renewal on {day_words(facts.renewal_date)} and "
                             "its renewal is not agreed yet", [], "", "",
                             "Agree the renewal and its terms in this review"))  # fmt: skip
    order = {area: index for index, area in enumerate(AREA_CATEGORIES)}
    for concern in found:
        concern.rank = max((facts.risk_rank.get(c, 0) for c in AREA_CATEGORIES[concern.area]), default=0)
    found.sort(key=lambda c: (-c.rank, order[c.area]))
    return found


def _goal_fact(goal: ValueItem, *, named: bool) -> str:
    """'110 → 108 hours (target 125), due 30 June 2027', after a headline that names the goal; with `named`,
    'Capture more billable time behind plan: 110 → ...'."""
    due = f"due {day_words(goal.due)}" if goal.due else ""
    numbers = ", ".join(part for part in (goal.measure, due) if part)
    if not named:
        return numbers
    return f"{quoted(goal.title)} {goal.status_words}" + (f": {numbers}" if numbers else "")


def _part(note: str | None, drafted: str) -> SummaryPart:
    written = (note or "").strip()
    return SummaryPart(text=written or drafted, drafted=drafted, edited=bool(written))


def executive_summary(facts: Facts, note: dict[str, str | None]) -> ExecutiveSummary:
    """Problem with its facts, impact, root cause, recommendation, and what was done: one page, their words."""
    found = concerns(facts)[:2]
    evidence = unique(f for c in found for f in c.facts)
    if found:
        problem = " ".join(part for part in (sentence(found[0].headline), sentence("; ".join(found[0].facts))) if part)
        if len(found) > 1:
            problem += " " + sentence(f"Also: {found[1].headline}")
        impacts = [c.impact for c in found if c.impact]
        impact = sentence("; ".join(impacts)) if impacts else ""  # its heading says "if nothing changes"
        causes = [c.cause for c in found if c.cause]
        root_cause = " ".join(sentence(c) for c in causes) or "To be confirmed together in this review."
        recommendation = " ".join(sentence(c.recommendation) for c in found)
    elif facts.value:
        problem = "Nothing is blocking progress: this review is about the value delivered so far and the next " \
                  "measurable objectives."  # fmt: skip
        impact = ""
        root_cause = ""
        recommendation = "Confirm the value delivered so far and set the next measurable objectives."
    else:
        problem = "Nothing is blocking progress: this review is about how your teams use the product and the " \
                  "first measurable goals to agree."  # fmt: skip
        impact = ""
        root_cause = ""
        recommendation = f"{FIRST_GOALS}, with a number and a date for each."
    done = list(facts.done)
    for goal in facts.value:
        if goal.status == "achieved":
            measure = f": {goal.measure}" if goal.measure else ""
            who = f", confirmed by {goal.confirmed_by}" if goal.confirmed and goal.confirmed_by else ""
            done.append(f"Achieved {quoted(goal.title)}{measure}{who}")
    return ExecutiveSummary(
        problem=_part(note.get("problem"), problem),
        impact=_part(note.get("impact"), impact),
        root_cause=_part(note.get("root_cause"), root_cause),
        recommendation=_part(note.get("recommendation"), recommendation),
        done_and_learned=_part(note.get("done_and_learned"), " ".join(sentence(d) for d in unique(done))),
        facts=evidence,
    )


def next_objectives(value: list[ValueItem]) -> list[str]:
    """The measurable objectives for the coming period: open goals to finish, achieved ones to raise."""
    found = []
    for goal in value:
        now = f" (now {with_unit(goal.current, goal.unit)})" if goal.current is not None else ""
        if goal.status == "achieved":
            found.append(f"Set the next objective beyond {quoted(goal.title)}{now}")
        elif goal.status != "missed":
            target = f"reach {with_unit(goal.target, goal.unit)}" if goal.target is not None else "complete"
            late = goal.status_words == STATUS_WORDS_LATE
            by = ", by a new date to agree" if late else f" by {day_words(goal.due)}" if goal.due else ""
            found.append(f"{goal.title}: {target}{by}{now}")
    return unique(found) or [FIRST_GOALS]


def drafted_actions(facts: Facts, found: list[Concern], next_steps: list[ActionItem]) -> list[ActionItem]:
    """The action items the review should agree, for both sides, each with an owner and a date (with --record
    they become to-dos)."""
    due = facts.as_of + timedelta(days=ACTION_DAYS)
    theirs = facts.champion or facts.sponsor
    items: list[ActionItem] = []

    def add(title: str, owner: str | None, on: date | None) -> None:
        items.append(ActionItem(title=title, owner=owner, due=on, source="ebr"))

    areas = {c.area for c in found}
    agreed = " ".join(step.title.casefold() for step in next_steps)  # what a shared call already set
    if "support" in areas and "root-cause" not in agreed and "root cause" not in agreed:
        add("Share the root-cause analysis of the recent tickets", facts.csm, due)
    for ticket in facts.support.urgent[:3]:
        add(f"Give a resolution date for ticket {ticket.id}" + (f" ({ticket.subject})" if ticket.subject else ""),
            facts.csm,
            facts.as_of + timedelta(days=URGENT_DAYS))  # fmt: skip
    for goal in facts.value:
        if off_track(goal, facts.as_of):
            add(f"Agree a recovery plan with dates for {quoted(goal.title)}", theirs or facts.csm, due)
        elif goal.status == "achieved" and not goal.confirmed:
            measure = f" ({goal.measure})" if goal.measure else ""
            add(f"Confirm the result of {quoted(goal.title)}{measure}", facts.sponsor or theirs or facts.csm, due)
        if goal.status == "achieved":
            add(f"Agree the next objective beyond {quoted(goal.title)}", facts.sponsor or theirs or facts.csm, due)
    if not facts.value:
        add(FIRST_GOALS, facts.sponsor or theirs or facts.csm, due)
    if "adoption" in areas:
        add("Plan enablement for the people who are not using the product yet", theirs or facts.csm, due)
    if "product" in areas:
        stand = "stands" if len(facts.requested) == 1 else "stand"
        add(f"Share where {join_words(facts.requested[:2])} {stand} on the roadmap", facts.csm, due)
    days = (facts.renewal_date - facts.as_of).days if facts.renewal_date else None
    if facts.renewal_date is not None and days is not None and 0 <= days <= RENEWAL_ACTION_DAYS:
        add(f"Agree the renewal timeline (the contract renews on {day_words(facts.renewal_date)})", facts.csm,
            min(facts.renewal_date, due))  # fmt: skip
    elif facts.renewal_date is not None and days is not None and days < 0:
        add(f"Agree the renewal and its terms (the contract came up for renewal on {day_words(facts.renewal_date)})",
            facts.csm, facts.as_of + timedelta(days=SUMMARY_DAYS))  # fmt: skip
    to = facts.sponsor or facts.champion
    add(f"Send the review summary and the agreed objectives{' to ' + to if to else ''}", facts.csm,
        facts.as_of + timedelta(days=SUMMARY_DAYS))  # fmt: skip
    titles = {item.title.casefold() for item in items}
    items += [step for step in next_steps if step.title.casefold() not in titles]
    return items


def risk_ranks(categories_and_severities: list[tuple[str, str]]) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for category, severity in categories_and_severities:
        ranks[category] = max(ranks.get(category, 0), SEVERITY_RANK.get(severity, 1))
    return ranks


def done_words(day: date, summary: str) -> str:
    return f"{day_words(day)}: {summary.strip().rstrip('.')}"
