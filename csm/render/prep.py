"""`csm prep` on the terminal: the prep sheet, section by section, readable at 80 columns."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from csm.domain.meetings import UNSETTLED, answer_word
from csm.domain.words import days_away, deferred_words, described, field_label, plural
from csm.render.console import BAND_STYLES, SEVERITY_STYLES, meeting_note
from csm.render.documents import money
from csm.render.safe import inert
from csm.reports.dossier import role_word
from csm.reports.prep import MeetingOut, PrepReport, declined_words


def say(console: Console, *items: object) -> None:
    """Print without Rich markup: account data is text, never markup."""
    console.print(*items, markup=False, highlight=False, emoji=False)


def _rule(console: Console, title: str) -> None:
    say(console, Rule(title, align="left", style="dim"))


def _grid() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(overflow="fold")
    return table


def meeting_when(meeting: MeetingOut) -> str:
    if isinstance(meeting.start, datetime):
        end = f"–{meeting.end:%H:%M}" if isinstance(meeting.end, datetime) else ""
        return f"{meeting.start:%a %-d %b %H:%M}{end}"
    return f"{meeting.start:%a %-d %b} (all day)"


RSVP_STYLES = {"accepted": "green", "tentative": "yellow", "needs-action": "yellow", "declined": "red"}
HISTORY_SHOWN = 3  # the latest changes: the renewal before and what moved since


def render_prep(report: PrepReport, console: Console) -> None:
    report = inert(report)  # imported names and titles print as text, never as terminal commands
    f = report.facts
    ready = report.readiness
    say(console, Text(f"csm prep · {report.account} · {report.as_of:%A %-d %B %Y}", style="bold"))
    style = "green" if ready.ready else "yellow"
    line = Text(f"Prepared: {ready.percent}%", style=style)
    if ready.missing:
        line.append(f" (missing: {', '.join(ready.missing)})", style="dim")
    say(console, line)

    _rule(console, "Account")
    grid = _grid()
    renewal = "—"
    if f.renewal_date is not None and f.days_to_renewal is not None:
        days = f.days_to_renewal
        renewal = f"{f.renewal_date} ({days_away(days)})"
    grid.add_row(
        "segment",
        Text(f"{f.segment.replace('_', '-')} · ARR {money(f.arr, f.currency)} · stage {f.lifecycle_stage or '—'}"),
    )
    grid.add_row("renewal", Text(renewal + (f" · forecast {f.renewal_forecast}" if f.renewal_forecast else "")))
    if f.arr_history:
        grid.add_row("ARR history", Text("; ".join(f.arr_history[-HISTORY_SHOWN:])))
    grid.add_row("licences", "—" if f.licences is None else str(f.licences))
    adoption = next((c for c in report.health.components if c.name == "adoption"), None)
    if adoption is not None and adoption.score is not None:
        grid.add_row("adoption", Text(described(adoption.inputs)))
    grid.add_row("owner", Text(f.owner or "—"))
    if f.company_revenue is not None:
        grid.add_row("company", Text(f"annual revenue {money(f.company_revenue, f.currency)} (their own, not ARR)"))
    say(console, grid)

    _rule(console, "Next meeting")
    meeting = report.meeting
    if meeting is None:
        say(console, "No upcoming meeting with this account in the calendar.")
    else:
        heading = Text(f"{meeting_when(meeting)}  {meeting.title}", style="bold")
        if meeting.rsvp in UNSETTLED:
            heading.append(f"  (you: {answer_word(meeting.rsvp)})", style="yellow")
        say(console, heading)
        people = Table(box=None, padding=(0, 1), header_style="dim")
        for column in ("attendee", "role", "influence", "last contact", "RSVP"):
            people.add_column(column)
        for a in meeting.attendees:
            last = "never" if a.known and a.last_contact is None else str(a.last_contact or "—")
            if a.days_since_contact is not None:
                last += f" ({a.days_since_contact}d ago)"
            name = Text(a.name or a.email, style="" if a.known else "yellow")
            answer = Text(answer_word(a.rsvp), style=RSVP_STYLES.get(a.rsvp or "", ""))
            people.add_row(
                name, Text(role_word(a.role) if a.known else "not in the book"), Text(a.influence or "—"), Text(last),
                answer,
            )  # fmt: skip
        say(console, people)
    others = [m for m in report.upcoming_meetings if meeting is None or m.number != meeting.number]
    if others:
        say(console, Text("Later: " + "; ".join(f"{m.number}. {meeting_when(m)} {m.title}" for m in others[:3])
                           + (" …" if len(others) > 3 else "") + "  (--meeting N)", style="dim"))  # fmt: skip
    for declined in report.declined_meetings[:2]:
        say(console, Text(declined_words(declined, report.as_of), style="dim"))

    _rule(console, "Stakeholders")
    for chart_line in report.stakeholders.org_chart:
        say(console, chart_line)
    for gap in report.stakeholders.gaps:
        say(console, Text(f"! {gap}", style="yellow"))

    _rule(console, "Health")
    health = report.health
    say(console, Text(health.summary, style=BAND_STYLES.get(health.band, "")))
    for moved in health.moved:
        label = field_label(moved.name)
        if moved.change is not None:
            by = f"{moved.change:+g} ({moved.before or 0:g} → {moved.now or 0:g})"
        else:
            by = "now scored" if moved.before is None else "no data now"
        say(console, Text(f"  {label}: {by}; {moved.why}" if moved.why else f"  {label}: {by}", style="dim"))

    _rule(console, "Surveys")
    for line_text in report.surveys.answered_latest:
        say(console, line_text)
    for advice in report.surveys.advice:
        say(console, Text(f"→ {advice}", style="cyan"))

    _rule(console, "Support")
    s = report.support
    wait = f"longest wait {plural(s.longest_wait_days, 'day')}" if s.longest_wait_days is not None else "none waiting"
    say(console, f"{plural(s.last_4_weeks, 'ticket')} in the last 4 weeks ({s.weekly_average:g}/week) vs "
                  f"{s.previous_4_weeks} before ({s.weekly_average_before:g}/week) · {s.open} open, "
                  f"{s.open_critical} critical · {wait}")  # fmt: skip
    say(console, Text(f"→ {s.talking_point}", style="cyan"))

    _rule(console, "Success plan")
    plan = report.success_plan
    if not plan.goals:
        say(console, "No goals recorded: 'csm plan add ACCOUNT GOAL --metric ... --baseline ... --target ...'.")
    for goal in plan.goals:
        progress = f" · {goal.progress:.0%} of the way" if goal.progress is not None else ""
        confirmed = " · confirmed" if goal.confirmed else ""
        say(console, Text(f"{goal.title} [{goal.status.replace('_', ' ')}]", style="bold"))
        say(console, f"  {goal.measure}{progress}{confirmed} · due {goal.due or '—'}")
    for item in plan.due_next[:4]:
        say(console, Text(f"  due: {item}", style="dim"))

    _rule(console, f"Open risks ({len(report.risks)})")
    for risk in report.risks:
        what = Text(f"{risk.category}: {risk.evidence}")
        what.append(f"  → {risk.first_response}" if risk.first_response else "", style="dim")
        say(console, Text(f"{risk.severity:>8} ", style=SEVERITY_STYLES.get(risk.severity, "")) + what)
    if not report.risks:
        say(console, "No open risks.")

    _rule(console, f"Playbook steps ({len(report.playbook_steps)})")
    for step in report.playbook_steps:
        when = step.why if step.state == "waiting" else f"due {step.deferred_until or step.due}" if step.due else ""
        owner = "" if step.owner == "you" else f" → {step.owner}"
        tag = f"  #{step.id}" if step.id else ""
        say(console, Text(f"[ ] {step.title}{owner}") + Text(f"  {when}{tag}", style="dim"))
    if not report.playbook_steps:
        say(console, "None open.")

    _rule(console, f"Action items ({len(report.action_items)})")
    for action in report.action_items:
        due = f" (due {action.due})" if action.due and f"(due {action.due})" not in action.title else ""
        deferred = f", {deferred_words(action.deferrals, action.defer_reason)}" if action.deferrals else ""
        say(console, Text(f"[ ] {action.title}{due}") + Text(f"  {action.source}{deferred}", style="dim"))
        if (covering := meeting_note(action.covered_by, indent="    ")) is not None:
            say(console, covering)
    if not report.action_items:
        say(console, "None open.")

    _rule(console, "Last notes")
    for note in report.notes:
        say(console, Text(f"{note.on} {note.kind}: ", style="dim") + Text(note.summary))
    if report.account_notes:
        say(console, Text(f"Account notes: {report.account_notes}", style="dim"))
    if not report.notes:
        say(console, "Nothing logged yet.")

    _rule(console, "Before the meeting")
    for number, question in enumerate(report.questions, 1):
        say(console, Text(f"{number}. {question.question}", style="bold"))
        for hint in question.hints:
            say(console, f"   · {hint}")
    if report.discovery is not None:
        _rule(console, "Discovery questions")
        say(console, Text(f"Not yet well understood: {'; '.join(report.discovery.reasons)}.", style="dim"))
        for question_text in report.discovery.questions:
            say(console, f"· {question_text}")
