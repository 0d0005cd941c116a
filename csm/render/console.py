"""Rich rendering for the terminal: tables that read at 80 columns and honour NO_COLOR."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from csm.domain.words import deferred_words, field_value
from csm.render.listing import Card, Listing, card_fields, row_cell, screen_rows
from csm.render.safe import inert, terminal_text

if TYPE_CHECKING:
    from csm.reports.models import TodoOut

BAND_STYLES = {"green": "green", "yellow": "yellow", "red": "bold red", "n/a": "dim"}


def meeting_note(covered_by: str | None, next_meeting: str | None = None, indent: str = "") -> Text | None:
    """A to-do's meeting, as a view shows it: green for one about it ("covered by ..."), dim for the account's
    next meeting about something else ("next meeting: ...")."""
    if covered_by:
        return Text(f"{indent}{covered_by}", style="green")
    return Text(f"{indent}{next_meeting}", style="dim") if next_meeting else None


SEVERITY_STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def console(stderr: bool = False) -> Console:
    """The terminal: no highlighting and no :emoji: codes, which would turn text from the data into pictures."""
    return Console(stderr=stderr, highlight=False, emoji=False)


def styled(key: str, text: str) -> Text:
    """Colour the words that carry a judgement: health bands and risk severities."""
    style = (BAND_STYLES if key in ("band", "health") else SEVERITY_STYLES if key == "severity" else {}).get(text)
    return Text(terminal_text(text), style=style or "")


def bold(text: str) -> Text:
    """A title that may hold data (an account's name): Text, never markup."""
    return Text(terminal_text(text), style="bold")


def listing_table(listing: Listing, *, title: bool = True, limit: int | None = None) -> Table:
    table = Table(title=bold(listing.title) if title else None, title_justify="left", header_style="bold", box=None)
    for column in listing.columns:
        table.add_column(Text(column.header), justify=column.justify, overflow="fold", no_wrap=column.unbroken)
    for row in listing.rows[:limit]:
        table.add_row(*(styled(c.key, row_cell(c, row)) for c in listing.columns))
    return table


def print_item(item: Listing | Card) -> None:
    out = console()
    if isinstance(item, Listing):
        _print_listing(out, item, inline_empty=False)
        return
    out.print(bold(item.title))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column(overflow="fold")
    for key, label, text in card_fields(item):
        facts.add_row(Text(label), styled(key, text))
    out.print(facts)
    for section in item.sections:
        out.print()
        _print_listing(out, section, inline_empty=True)


def _print_listing(out: Console, listing: Listing, *, inline_empty: bool) -> None:
    """A table of what fits the screen, then how many rows are left for --all."""
    if not listing.rows:
        empty = Text(terminal_text(listing.empty))
        if inline_empty:
            out.print(bold(listing.title).append(": ").append(empty))
        else:
            out.print(bold(listing.title))
            out.print(empty)
        return
    shown = screen_rows()
    out.print(listing_table(listing, limit=shown))
    more = listing.more + max(0, len(listing.rows) - shown)
    if more:
        out.print(Text(f"… and {more} more: --all shows every row", style="dim"))


def print_urgency(todos: Sequence[TodoOut], *, more: int = 0) -> None:
    """`csm todo list --explain`: every to-do with the terms of its urgency, as taskwarrior's `task info` shows them."""
    out = console()
    if not todos:
        out.print("Nothing to do.")
    for todo in inert(list(todos)):
        heading = Text(f"{todo.id or '—'}", style="bold")
        heading.append(f"  {todo.title}  ")
        deferred = f", {deferred_words(todo.deferrals, todo.defer_reason)}" if todo.deferrals else ""
        heading.append(f"({field_value('kind', todo.kind)}, due {todo.due or '—'}{deferred})", style="dim")
        out.print(heading)
        terms = Table(box=None, show_header=False, padding=(0, 1))
        for column in ("term", "coefficient", "factor", "value", "why"):
            terms.add_column(column, justify="right" if column in ("coefficient", "factor", "value") else "left")
        for term in todo.terms:
            terms.add_row(
                Text(term.name), f"{term.coefficient:g}", f"× {term.factor:g}", f"= {term.value:.2f}", Text(term.why)
            )
        terms.add_row("urgency", "", "", Text(f"{todo.urgency:.2f}", style="bold"), "")
        out.print(terms)
        if todo.reason:
            out.print(Text(f"  why it exists: {todo.reason}", style="dim"))
        if (note := meeting_note(todo.covered_by, todo.next_meeting, "  ")) is not None:
            out.print(note)
        out.print()
    if more:
        out.print(Text(f"… and {more} more: --all explains every to-do", style="dim"))
