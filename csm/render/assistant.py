"""Reports as an AI assistant is shown them over MCP: data made inert, and a short plain-text reading of each.

The whole report travels as the tool's structured content (the `--format json` document); the text here is
the few lines a person reads first. Every data string passes through `data_text`, in both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from csm.domain.meetings import UNSETTLED, answer_word
from csm.domain.words import deferred_words, field_value, logged_words, plural
from csm.render.documents import money
from csm.render.portfolio import coming_words
from csm.render.safe import CONTROL_CHARACTERS, terminal_text
from csm.render.today import money_words
from csm.reports.dossier import HealthNow
from csm.reports.ebr import EbrReport
from csm.reports.logged import Logged, LoggedRisk
from csm.reports.models import RiskOut, TodoOut
from csm.reports.portfolio_models import GapOut, HealthOut, RenewalsReport
from csm.reports.prep import PrepReport, declined_words
from csm.reports.search import AccountSearch
from csm.reports.today import AgendaItem, TodayReport

SHOWN = 10  # items of a list read out in the text; the structured content carries them all


def data_text(value: str) -> str:
    """A string from the book as inert text: control characters removed (a tab becomes a space), newlines kept."""
    return terminal_text(value)


# what a control character looks like inside a JSON string: an escape (the encoder writes C0 controls so)
_ESCAPED_CONTROL = re.compile(r"\\(?:u00[01]|u007f|[tbfr])", re.IGNORECASE)


def inert_json(document: str) -> Any:
    """A JSON document read back with every string made inert; a document with no control character in it (the
    usual case, found by two scans in C) is not walked string by string."""
    data = json.loads(document)
    if CONTROL_CHARACTERS.search(document) or _ESCAPED_CONTROL.search(document):
        return inert(data)
    return data


def inert(value: Any) -> Any:
    """A JSON value (dicts, lists, scalars) with every string, keys too, made inert."""
    if isinstance(value, str):
        return data_text(value)
    if isinstance(value, dict):
        return {data_text(str(k)): inert(v) for k, v in value.items()}
    if isinstance(value, list):
        return [inert(v) for v in value]
    return value


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else value.isoformat()


def _more(shown: int, total: int, what: str) -> list[str]:
    return [f"… and {total - shown} more {what} in the structured content"] if total > shown else []


def todo_line(todo: TodoOut) -> str:
    account = f" · {todo.account}" if todo.account else ""
    due = f" · due {todo.due}" if todo.due else ""
    deferred = f" · {deferred_words(todo.deferrals, todo.defer_reason)}" if todo.deferrals else ""
    meeting = f" · {todo.meeting_note}" if todo.meeting_note else ""
    return f"- [{todo.id}] {todo.title}{account}{due}{deferred}{meeting} · urgency {todo.urgency:g} ({todo.kind})"


def risk_line(risk: RiskOut) -> str:
    new = " · new today" if risk.new else ""
    return f"- [{risk.id}] {risk.severity} {risk.category} · {risk.account}: {risk.evidence}{new}"


def todo_lines(todos: Sequence[TodoOut], total: int) -> list[str]:
    shown = list(todos[:SHOWN])
    return [todo_line(t) for t in shown] + _more(len(shown), total, "to-dos")


def risk_lines(risks: Sequence[RiskOut], total: int) -> list[str]:
    shown = list(risks[:SHOWN])
    return [risk_line(r) for r in shown] + _more(len(shown), total, "risks")


def _meeting(item: AgendaItem) -> str:
    when = f"{item.start:%Y-%m-%d %H:%M}" if isinstance(item.start, datetime) and not item.all_day else f"{item.day}"
    who = item.account if item.kind == "customer" and item.account else item.label
    if item.kind != "customer" and item.account:
        who += f" about {item.account}"
    if item.rsvp in ("tentative", "needs-action"):
        who += " · you have not accepted" if item.rsvp == "needs-action" else " · you are tentative"
    brief = ""
    if item.brief is not None:
        health = item.brief.band if item.brief.health is None else f"{item.brief.band} {item.brief.health:.0f}"
        days = item.brief.days_to_renewal
        renewal = "" if days is None else f", renews in {days} days" if days >= 0 else f", renewal {-days} days overdue"
        brief = f" ({health}{renewal}, {plural(item.brief.open_risks, 'open risk')})"
    return f"- {when}{' all day' if item.all_day else ''} {item.title} · {who}{brief}"


def today_text(report: TodayReport) -> str:
    days = (
        ""
        if report.days <= 1
        else " and the next day"
        if report.days == 2
        else f" and the {report.days - 1} days after"
    )
    s = report.summary
    lines = [
        f"csm today for {report.as_of}{days} ({report.timezone})",
        f"{s.accounts} accounts · {money_words(s)}",
        f"Meetings ({len(report.agenda)}):",
        *([_meeting(m) for m in report.agenda] or ["- none"]),
        f"To-dos ({report.todos_total}), the most urgent first:",
        *(todo_lines(report.todos, report.todos_total) or ["- none"]),
        *([f"Coming up this week ({report.this_week_total}), the soonest first:"] if report.this_week else []),
        *todo_lines(report.this_week, report.this_week_total),
        f"Risks ({report.risks_total}), the most severe first:",
        *(risk_lines(report.risks, report.risks_total) or ["- none"]),
        *report.hints,
    ]
    return "\n".join(lines)


def _health(health: HealthNow | HealthOut) -> str:
    score = "n/a" if health.score is None else f"{health.score:g}"
    trend = f", {health.trend:+g} since the last snapshot" if health.trend is not None else ""
    return f"health {score} ({health.band}, confidence {health.confidence:.0%}{trend})"


def prep_text(report: PrepReport) -> str:
    f = report.facts
    renewal = f"renews {f.renewal_date} (in {f.days_to_renewal} days)" if f.renewal_date else "no renewal date"
    meeting = (
        f"Meeting: {report.meeting.title} at {_day(report.meeting.start)}, {plural(len(report.meeting.attendees), 'attendee')}"
        if report.meeting
        else "No upcoming meeting in the calendar."
    )
    if report.meeting and report.meeting.rsvp in UNSETTLED:
        meeting += f" (you: {answer_word(report.meeting.rsvp)})"
    lines = [
        f"Prep sheet for {report.account} ({report.as_of}), {report.readiness.percent}% prepared",
        meeting,
        *(declined_words(d, report.as_of) for d in report.declined_meetings[:2]),
        f"{field_value('segment', f.segment)} · ARR {money(f.arr)} · {renewal} · {_health(report.health)}",
        f"Stakeholder gaps: {'; '.join(report.stakeholders.gaps) or 'none'}",
        f"Open risks ({len(report.risks)}):",
        *(risk_lines(report.risks, len(report.risks)) or ["- none"]),
        f"Open playbook steps: {len(report.playbook_steps)}",
        *(
            f"- {s.title} ({s.owner}, {s.why if s.state == 'waiting' else f'due {s.due}'})"
            for s in report.playbook_steps
        ),
        f"Open action items: {len(report.action_items)}",
        "Before the meeting:",
        *(f"- {q.question}" for q in report.questions),
    ]
    return "\n".join(lines)


def risks_text(risks: Sequence[RiskOut], total: int) -> str:
    return "\n".join([f"Open risks ({total}), the most severe first:", *(risk_lines(risks, total) or ["- none"])])


def todos_text(todos: Sequence[TodoOut], total: int) -> str:
    lines = [f"Open to-dos ({total}), the most urgent first:", *(todo_lines(todos, total) or ["- none"])]
    explained = [t for t in todos[:SHOWN] if t.terms]
    for todo in explained:
        terms = ", ".join(f"{term.name} {term.value:.2f}" for term in todo.terms)
        lines.append(f"  [{todo.id}] urgency {todo.urgency:g} = {terms}; why: {todo.reason or '—'}")
    return "\n".join(lines)


def health_text(report: HealthOut, *, explain: bool) -> str:
    lines = [f"{report.account}: {_health(report)}"]
    for c in report.components:
        score = "n/a" if c.score is None else f"{c.score:g}"
        line = f"- {c.name} {score} (weight {c.weight:g})"
        if explain:
            inputs = ", ".join(f"{k}={v}" for k, v in c.inputs.items() if v is not None)
            line += f": {c.why}" + (f" [{inputs}]" if inputs else "")
        lines.append(line)
    return "\n".join(lines)


def health_list_text(reports: Sequence[HealthOut], total: int) -> str:
    shown = list(reports[:SHOWN])
    lines = [f"Health of {total} accounts:", *(f"- {r.account}: {_health(r)}" for r in shown)]
    return "\n".join(lines + _more(len(shown), total, "accounts"))


def renewals_text(report: RenewalsReport) -> str:
    shown = report.renewals[:SHOWN]
    lines = [f"Renewals within {report.within_days} days of {report.as_of} ({len(report.renewals)}, "
             f"ARR {money(report.total_arr)}):"]  # fmt: skip
    for r in shown:
        when = f"in {r.days} days" if r.days >= 0 else f"{-r.days} days overdue"
        health = "n/a" if r.health is None else f"{r.health:g}"
        lines.append(f"- {r.account} · {r.renewal_date} ({when}) · ARR {money(r.arr)} · health {health} ({r.band})"
                     f" · {plural(r.open_risks, 'open risk')}")  # fmt: skip
    return "\n".join(lines + _more(len(shown), len(report.renewals), "renewals"))


def gaps_text(gaps: Sequence[GapOut]) -> str:
    shown = list(gaps[:SHOWN])
    lines = [f"Product gaps ({len(gaps)} features), by the ARR asking for them:"]
    lines += [f"- {g.feature} · {g.account_count} accounts · ARR {money(g.arr)} · renewing in {g.window_days} days "
              f"{money(g.arr_renewing)}" + (f" · coming due: {'; '.join(coming_words(g))}"
                                            if g.coming_due else "") for g in shown]  # fmt: skip
    return "\n".join(lines + _more(len(shown), len(gaps), "features"))


def search_text(found: AccountSearch) -> str:
    lines = [f"{found.query!r} names {found.resolves_to!r} in every csm command." if found.resolves_to
             else f"{found.query!r} names no single account: {found.problem}"]  # fmt: skip
    lines += [f"- {m.name} ({', '.join(k.id for k in m.external_ids) or 'no external id'})" for m in found.matches]
    if found.more:
        lines.append("… more accounts hold these words: give more of the name")
    if found.did_you_mean:
        lines.append(f"Did you mean: {', '.join(found.did_you_mean)}?")
    return "\n".join(lines)


def ebr_text(report: EbrReport) -> str:
    summary = report.executive_summary
    renewal = f"renews {report.renewal.date} (in {report.renewal.days} days)" if report.renewal.date else "no renewal"
    return "\n".join(
        [
            f"EBR pack for {report.account}, {report.period_from} to {report.as_of} · {renewal}",
            f"Problem: {summary.problem.text}",
            f"Impact: {summary.impact.text}",
            f"Recommendation: {summary.recommendation.text}",
            f"Goals with value shown: {len(report.value)} · action items: {len(report.action_items)}",
        ]
    )


def logged_text(logged: Logged) -> str:
    lines = [f"Logged {logged_words(logged.kind, logged.account, logged.on)}."]
    if logged.todo is not None:
        lines.append(f"To-do {logged.todo.id}: {logged.todo.title} (due {logged.todo.due})")
    if logged.open_steps:
        lines.append(f"Playbook steps still open for {logged.account}; if this did one, todo_done it:")
        lines += [f"- {step.id}: {step.title} (due {step.due})" for step in logged.open_steps]
        lines += [f"- … and {logged.more_steps} more: todo_list"] if logged.more_steps else []
    return "\n".join(lines)


def logged_risk_text(risk: LoggedRisk) -> str:
    return (
        f"Logged risk {risk.id} ({risk.severity} {risk.category}) for {risk.account}.\n"
        f"First response: {risk.first_response or '—'}"
    )
