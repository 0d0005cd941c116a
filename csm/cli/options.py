"""Options and argument types shared by the command groups, and the default-subcommand group."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csm.limits import FIRST_DAY, LAST_DAY, MAX_AMOUNT, MAX_ID, day_in_range


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


_RELATIVE = re.compile(r"^\+?(\d+)\s*([dwm])$")
_RELATIVE_SIGNED = re.compile(r"^([+-])(\d+)\s*([dwm])$")


def parse_day(text: str, *, today: date) -> date:
    """YYYY-MM-DD, or relative to today: 'today', 'tomorrow', '+3d', '2w', '1m'."""
    value = text.strip().lower()
    exact = iso_date(value)
    if exact is not None:
        return exact
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    match = _RELATIVE.match(value)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        return shifted(today, count * {"d": 1, "w": 7, "m": 30}[unit], text)
    raise typer.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD (or today, tomorrow, +3d, +2w)")


def in_range(day: date, text: str) -> date:
    """A date csm can compute with (windows and cadences reach years either side of it)."""
    if not day_in_range(day):
        raise typer.BadParameter(f"{text!r} is out of range; csm takes dates from {FIRST_DAY} to {LAST_DAY}")
    return day


def shifted(today: date, days: int, text: str) -> date:
    if abs(days) > (LAST_DAY - FIRST_DAY).days:
        raise typer.BadParameter(f"{text!r} is out of range; csm takes dates from {FIRST_DAY} to {LAST_DAY}")
    return in_range(today + timedelta(days=days), text)


def iso_date(text: str) -> date | None:
    """YYYY-MM-DD within csm's range, or None when the text is not written that way."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return in_range(day, text)


def iso_day(text: str | None) -> date | None:
    """--as-of and --since: YYYY-MM-DD, or a day relative to today (yesterday, tomorrow, +3d, -2w)."""
    if text is None:
        return None
    exact = iso_date(text)
    if exact is not None:
        return exact
    from csm.cli.state import state

    today = state().today()
    value = text.strip().lower()
    if value == "yesterday":
        return shifted(today, -1, text)
    match = _RELATIVE_SIGNED.match(value)
    if match:
        count = int(match.group(2)) * {"d": 1, "w": 7, "m": 30}[match.group(3)]
        return shifted(today, -count if match.group(1) == "-" else count, text)
    return parse_day(text, today=today)


def finite_number(minimum: float | None = None, maximum: float = MAX_AMOUNT) -> Callable[[str], float]:
    """A parser for a number that is a number: inf and nan refused, and within csm's range."""

    def parse(value: str) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise typer.BadParameter(f"{value!r} is not a number") from None
        if not math.isfinite(number) or abs(number) > maximum:
            raise typer.BadParameter(f"{value!r} is out of range; csm takes numbers up to {maximum:,.0f}")
        if minimum is not None and number < minimum:
            raise typer.BadParameter(f"{value!r} is below {minimum:g}")
        return number

    return parse


def id_argument(help: str) -> Any:
    """A record's id: a positive whole number SQLite can hold."""
    return typer.Argument(help=help, min=1, max=MAX_ID)


ColumnMaps = Annotated[
    list[str] | None,
    typer.Option("--map", help='Read a column as a csm field: "CSV column=field" (repeatable).', metavar="COL=FIELD"),
]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", help="Import the valid rows and report the rest (default: all or nothing).")
]
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
