"""Options and argument types shared by the command groups, and the default-subcommand group."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


_RELATIVE = re.compile(r"^\+?(\d+)\s*([dwm])$")
_RELATIVE_SIGNED = re.compile(r"^([+-])(\d+)\s*([dwm])$")


def parse_day(text: str, *, today: date) -> date:
    """YYYY-MM-DD, or relative to today: 'today', 'tomorrow', '+3d', '2w', '1m'."""
    value = text.strip().lower()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    match = _RELATIVE.match(value)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        return today + timedelta(days=count * {"d": 1, "w": 7, "m": 30}[unit])
    raise typer.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD (or today, tomorrow, +3d, +2w)")


def iso_day(text: str | None) -> date | None:
    """--as-of and --since: YYYY-MM-DD, or a day relative to today (yesterday, tomorrow, +3d, -2w)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    from csm.cli.state import state

    today = state().today()
    value = text.strip().lower()
    if value == "yesterday":
        return today - timedelta(days=1)
    match = _RELATIVE_SIGNED.match(value)
    if match:
        count = int(match.group(2)) * {"d": 1, "w": 7, "m": 30}[match.group(3)]
        return today - timedelta(days=count) if match.group(1) == "-" else today + timedelta(days=count)
    return parse_day(text, today=today)


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Compute as if today were this date (YYYY-MM-DD).", metavar="DATE"),
]
Format = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table (Rich), json (for scripts) or md (Markdown).")
]


class DefaultCommandGroup(TyperGroup):
    """A group that runs `default_command` when no subcommand is named: `csm risk Acme` = `csm risk list Acme`."""

    default_command = "list"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args[:1] not in (["--help"], ["-h"]) and (not args or args[0] not in self.commands):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def default_group(default: str) -> type[DefaultCommandGroup]:
    return type(f"Default{default.title()}Group", (DefaultCommandGroup,), {"default_command": default})


def choice_help(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def check_choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    """Validate a free-text option against the domain's words (accepting '-' for '_' and any case)."""
    if value is None:
        return None
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(allowed)}", param_hint=option)
    return cleaned
