"""`csm today` on the terminal (Rich, 80 columns, NO_COLOR honoured) and as Markdown to paste into notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from csm.domain.meetings import UNACCEPTED
from csm.domain.words import deferred_words, field_value, per_currency, plural, short_money
from csm.render.console import BAND_STYLES, SEVERITY_STYLES, meeting_note
from csm.render.safe import inert, markdown_code, markdown_text
from csm.reports.models import TodoOut
from csm.reports.today import AgendaItem, Summary, TodayReport

TASKS_SHOWN = 12
RISKS_SHOWN = 10
WEEK_SHOWN = 5  # the "this week" tail: a few lines, then how many more
SHOWN = max(TASKS_SHOWN, RISKS_SHOWN)  # rows fetched for the terminal view


def money_words(summary: Summary) -> str:
    """ "ARR $1.24M · renewing in 90 days $228k (+$30k overdue) · at risk $90k"; a book in two currencies says
    each figure per currency ("$1.10M + €140k"), never added."""

    def figure(name: str) -> str:
        if not summary.by_currency:
            return short_money(getattr(summary, name))
        return per_currency([(m.currency, getattr(m, name)) for m in summary.by_currency])

    overdue = f" (+{figure('arr_renewal_overdue')} overdue)" if summary.arr_renewal_overdue else ""
    return (
        f"ARR {figure('arr')} · renewing in 90 days {figure('arr_renewing_90d')}{overdue} · "
        f"at risk {figure('arr_at_risk')}"
    )


def scope_words(summary: Summary) -> str:
    """ "39 accounts", or "39 of your accounts (3 of other owners left out: --all-owners)"."""
    if not summary.others_left_out:
        return plural(summary.accounts, "account")
    return f"{summary.accounts} of your accounts ({summary.others_left_out} of other owners left out: --all-owners)"


def when(item: AgendaItem) -> str:
    if item.all_day:
        return "all day"
    start = item.start if isinstance(item.start, datetime) else None
    end = item.end if isinstance(item.end, datetime) else None
    if start is None:
        return ""
    text = f"{start:%H:%M}"
    if start.date() != item.day:
        text = "(cont.)"
    return text + (f"–{end:%H:%M}" if end and end.date() == item.day else "")


def answer_mark(item: AgendaItem) -> str | None:
    """'tentative', 'not answered' or 'delegated' beside a meeting the CSM has not accepted themselves."""
    return UNACCEPTED.get(item.rsvp or "")


def brief(item: AgendaItem) -> Text:
    if item.kind != "customer" or item.account is None:
        text = Text(item.label, style="yellow" if item.kind == "external" else "dim")
        if item.account is not None:
            text.append(f" · {item.account}", style="dim")
        return text
    text = Text(item.account or "", style="bold")
    if item.brief is not None:
        band = item.brief.band
        text.append("  ")
        text.append(
            band if item.brief.health is None else f"{band} {item.brief.health:.0f}", style=BAND_STYLES.get(band, "")
        )
        if item.brief.days_to_renewal is not None:
            days = item.brief.days_to_renewal
            text.append(f" · renews in {days}d" if days >= 0 else f" · renewal {-days}d overdue")
        if item.brief.open_risks:
            text.append(f" · {item.brief.open_risks} risk{'s' if item.brief.open_risks > 1 else ''}", style="yellow")
    return text


def render_today(report: TodayReport, console: Console) -> None:
    report = inert(report)  # imported names and titles print as text, never as terminal commands
    last = report.as_of + timedelta(days=report.days - 1)
    title = f"{report.as_of:%A %-d %B %Y}" + (f" to {last:%A %-d %B %Y}" if report.days > 1 else "")
    console.print(Text(f"csm today · {title} · {report.timezone}", style="bold"))
    for source in report.sources:
        if source.note:
            console.print(Text(f"⚠ {source.note}", style="yellow"))
    console.print(Rule("Calendar", align="left", style="dim"))
    if not report.agenda:
        console.print("No meetings." if not any("calendar" in h for h in report.hints) else "No calendar imported yet.")
    current: date | None = None
    table = _agenda_table()
    for item in report.agenda:
        if report.days > 1 and item.day != current:
            if current is not None:
                console.print(table)
                table = _agenda_table()
            console.print(Text(f"{item.day:%a %-d %b}", style="bold underline"))
            current = item.day
        meeting = Text(item.title)
        if (mark := answer_mark(item)) is not None:
            meeting.append(f"  ({mark})", style="yellow")
        if item.prep:
            meeting.append(f"\n{item.prep}", style="dim")
        table.add_row(when(item), meeting, brief(item))
    if report.agenda:
        console.print(table)
    if report.declined:
        console.print(Text(declined_words(report.declined), style="dim"))
    console.print(Rule(f"To-dos ({report.todos_total})", align="left", style="dim"))
    if not report.todos:
        console.print("Nothing due. 'csm todo add TEXT' adds one.")
    todos = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    todos.add_column("urgency", justify="right", style="dim", no_wrap=True)
    todos.add_column("due", no_wrap=True)
    todos.add_column("what")
    for todo in report.todos[:TASKS_SHOWN]:
        due = Text("—" if todo.due is None else f"{todo.due:%b %-d}")
        if todo.overdue_days:
            due = Text(f"{todo.overdue_days}d late", style="red")
        todos.add_row(f"{todo.urgency:.1f}", due, _todo_text(todo))
    if report.todos:
        console.print(todos)
    if report.todos_total > TASKS_SHOWN:
        console.print(Text(f"… and {report.todos_total - TASKS_SHOWN} more: csm todo list", style="dim"))
    if report.this_week:
        console.print(Rule(f"This week ({report.this_week_total})", align="left", style="dim"))
        week = Table(box=None, show_header=False, padding=(0, 1), expand=False)
        week.add_column("due", no_wrap=True)
        week.add_column("what")
        for todo in report.this_week[:WEEK_SHOWN]:
            week.add_row("—" if todo.due is None else f"{todo.due:%a %b %-d}", _todo_text(todo))
        console.print(week)
    if report.this_week_total > WEEK_SHOWN:
        more = report.this_week_total - WEEK_SHOWN
        console.print(Text(f"… and {more} more this week: csm today --days 8", style="dim"))
    console.print(Rule(f"Risks ({report.risks_total})", align="left", style="dim"))
    if not report.risks:
        console.print("No open risks.")
    risks = Table(box=None, show_header=False, padding=(0, 1))
    risks.add_column("severity", no_wrap=True)
    risks.add_column("what")
    for risk in report.risks[:RISKS_SHOWN]:
        what = Text(f"{risk.account}", style="bold")
        what.append(f" · {risk.category}{' · new' if risk.new else ''}\n", style="dim")
        what.append(risk.evidence)
        risks.add_row(Text(risk.severity, style=SEVERITY_STYLES.get(risk.severity, "")), what)
    if report.risks:
        console.print(risks)
    if report.risks_total > RISKS_SHOWN:
        console.print(Text(f"… and {report.risks_total - RISKS_SHOWN} more: csm risk", style="dim"))
    s = report.summary
    console.print(Rule(style="dim"))
    console.print(Text(f"{scope_words(s)} · {money_words(s)}"))  # a currency is data: never markup
    for hint in report.hints:
        console.print(Text(f"→ {hint}", style="dim"))


def _todo_text(todo: TodoOut) -> Text:
    """A to-do as the morning lists it: its title, whom it is handed to, its kind and id, and its meeting."""
    what = Text(todo.title)
    if todo.handed_to:
        what.append(f" → {todo.handed_to}", style="cyan")
    tags = [field_value("kind", todo.kind)] + (
        [deferred_words(todo.deferrals, todo.defer_reason)] if todo.deferrals else []
    )
    what.append(f"  [{', '.join(tags)}]" + (f" #{todo.id}" if todo.id else ""), style="dim")
    if (note := meeting_note(todo.covered_by, todo.next_meeting)) is not None:
        what.append("\n").append_text(note)
    return what


def declined_words(count: int) -> str:
    return f"{count} meeting{'s' if count != 1 else ''} you declined {'is' if count == 1 else 'are'} not shown."


def _agenda_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column("when", no_wrap=True, style="cyan")
    table.add_column("meeting", ratio=3)
    table.add_column("account", ratio=2)
    return table


def today_markdown(report: TodayReport) -> str:
    md = markdown_text
    lines = [f"# csm today · {report.as_of:%A %-d %B %Y} ({report.timezone})", ""]
    notes = [f"> ⚠ {md(source.note)}" for source in report.sources if source.note]
    lines += [*notes, ""] if notes else []
    lines += ["## Calendar", ""]
    if not report.agenda:
        lines.append("No meetings.")
    current = None
    for item in report.agenda:
        if report.days > 1 and item.day != current:
            lines += ["", f"### {item.day:%a %-d %b}", ""]
            current = item.day
        if item.kind != "customer" or item.account is None:
            account = md(item.label) + (f" · {md(item.account)}" if item.account else "")
        else:
            account = f"**{md(item.account)}**"
        if (mark := answer_mark(item)) is not None:
            account += f" · *{mark}*"
        if item.brief is not None and item.kind == "customer":
            details = [item.brief.band]
            if item.brief.days_to_renewal is not None:
                details.append(f"renews in {item.brief.days_to_renewal} days")
            if item.brief.open_risks:
                details.append(plural(item.brief.open_risks, "open risk"))
            account += f" ({', '.join(details)}) — `{markdown_code(item.prep or '')}`"
        lines.append(f"- {when(item)} {md(item.title)} — {account}")
    if report.declined:
        lines += ["", declined_words(report.declined)]
    lines += ["", f"## To-dos ({len(report.todos)})", ""]
    for todo in report.todos:
        due = (
            f"{todo.overdue_days} days late" if todo.overdue_days else f"due {todo.due}" if todo.due else "no due date"
        )
        deferred = f", {md(deferred_words(todo.deferrals, todo.defer_reason))}" if todo.deferrals else ""
        kind = field_value("kind", todo.kind)
        handed = f" → {md(todo.handed_to)}" if todo.handed_to else ""
        meeting = f"; {md(todo.meeting_note)}" if todo.meeting_note else ""
        lines.append(f"- [ ] {md(todo.title)}{handed} ({kind}, {due}{deferred}, urgency {todo.urgency:.1f}){meeting}")
    if report.this_week:
        lines += ["", f"## This week ({report.this_week_total})", ""]
    for todo in report.this_week:
        deferred = f", {md(deferred_words(todo.deferrals, todo.defer_reason))}" if todo.deferrals else ""
        due = f"{todo.due:%a %b %-d}" if todo.due else "no due date"
        kind = field_value("kind", todo.kind)
        handed = f" → {md(todo.handed_to)}" if todo.handed_to else ""
        meeting = f"; {md(todo.meeting_note)}" if todo.meeting_note else ""
        lines.append(f"- [ ] {due}: {md(todo.title)}{handed} ({kind}{deferred}, urgency {todo.urgency:.1f}){meeting}")
    lines += ["", f"## Risks ({len(report.risks)})", ""]
    for risk in report.risks:
        lines.append(f"- **{risk.severity}** {md(risk.account)} · {risk.category}: {md(risk.evidence)}")
    s = report.summary
    lines += [
        "",
        f"{scope_words(s)} · {money_words(s)}",
        "",
    ]
    return "\n".join(lines)


def as_listed(todo: TodoOut) -> TodoOut:
    """A to-do as a listing (`todo list`) shows it: the meeting that covers it (or the next one), then whom it is
    handed to, after its title (JSON keeps `covered_by`, `next_meeting` and `handed_to` apart)."""
    title = f"{todo.title}; {todo.meeting_note}" if todo.meeting_note else todo.title
    title = f"{title} → {todo.handed_to}" if todo.handed_to else title
    return replace(todo, title=title) if title != todo.title else todo
