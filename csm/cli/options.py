"""Options and argument types shared by the command groups, and the default-subcommand group."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csm.limits import MAX_AMOUNT, MAX_ID


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


def parse_day(text: str, *, option: str, today: date) -> date:
    """A date option's value (csm.domain.days' one grammar: YYYY-MM-DD, today, +3d, next friday, 3 days ago, ...),
    counted from the command's today; a usage error naming the option when it is not a day."""
    from csm.domain.days import NotADay
    from csm.domain.days import parse_day as read_day

    try:
        return read_day(text, today=today)
    except NotADay as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def iso_day(text: str | None, option: str = "--as-of") -> date | None:
    """--as-of: a day in the same grammar, counted from CSM_AS_OF (else today in the configured time zone)."""
    if text is None:
        return None
    from csm.cli.state import state

    return parse_day(text, option=option, today=state().today())


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
    typer.Option(
        "--as-of",
        help="Compute as if today were this day (YYYY-MM-DD, yesterday, -1w, last friday...).",
        metavar="DATE",
    ),
]
Format = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table (Rich), json (for scripts) or md (Markdown).")
]


AccountFilter = Annotated[
    str | None,
    typer.Option(
        "--account", "-a", help="Only this account (its name, external id, or a unique prefix).", metavar="ACCOUNT"
    ),
]


def one_account(argument: str | None, option: str | None) -> str | None:
    """The account a list command is narrowed to: its ACCOUNT argument or -a/--account (the same one if both)."""
    if argument is not None and option is not None and argument.strip().lower() != option.strip().lower():
        raise typer.BadParameter(f"name one account, not {argument!r} and {option!r}", param_hint="--account")
    return argument if argument is not None else option


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
