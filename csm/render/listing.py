"""Lists and record cards as a Rich table, JSON or Markdown: one shape, three renderings."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any, Literal

Justify = Literal["left", "right", "center"]
Value = str | int | float | bool | None | date | datetime | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    justify: Justify = "left"
    money: bool = False

    @property
    def unbroken(self) -> bool:
        """Numbers, dates, ids and e-mail addresses are never split across lines."""
        return self.justify == "right" or self.key.endswith(("date", "due", "_on", "email", "id", "renewal"))


@dataclass
class Listing:
    """Rows of records; `columns` say what a table shows, JSON carries every key of every row."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    empty: str = "Nothing to show."


@dataclass
class Card:
    """One record: its fields, then any lists that belong to it."""

    title: str
    fields: dict[str, Any]
    sections: list[Listing] = field(default_factory=list)


def cell(value: Value, *, money: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if money and isinstance(value, int | float):
        return f"${value:,.0f}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def to_json(value: Any) -> str:
    """One JSON document: valid JSON always (a non-finite number, which no input should let in, is null) and
    inert on a terminal."""
    from csm.render.safe import json_text

    return json_text(json.dumps(_finite(value), default=_json_default, indent=2, ensure_ascii=False, allow_nan=False))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _finite(plain(value))
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return plain(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def plain(value: Any) -> Any:
    """A report model (dataclasses all the way down) as dicts and lists, dates kept as dates."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def emit(item: Listing | Card, output_format: str) -> None:
    """Print a listing or card in the chosen format on stdout."""
    if output_format == "json":
        payload: Any = item.rows if isinstance(item, Listing) else _card_json(item)
        sys.stdout.write(to_json(payload) + "\n")
    elif output_format == "md":
        sys.stdout.write(markdown(item))
    else:
        from csm.render.console import print_item

        print_item(item)


def _card_json(card: Card) -> dict[str, Any]:
    data: dict[str, Any] = dict(card.fields)
    for section in card.sections:
        data[section.title.lower().replace(" ", "_").replace("-", "_")] = section.rows
    return data


def markdown(item: Listing | Card) -> str:
    if isinstance(item, Card):
        lines = [f"# {_md(item.title)}", ""]
        lines += [f"- **{key}**: {_md(cell(value))}" for key, value in item.fields.items()]
        lines.append("")
        return "\n".join(lines) + "".join(_md_listing(section, level=2) for section in item.sections)
    return _md_listing(item, level=1)


def _md_listing(listing: Listing, *, level: int) -> str:
    lines = [f"{'#' * level} {_md(listing.title)}", ""]
    if not listing.rows:
        return "\n".join([*lines, _md(listing.empty), "", ""])
    lines.append("| " + " | ".join(c.header for c in listing.columns) + " |")
    lines.append("| " + " | ".join("---:" if c.justify == "right" else "---" for c in listing.columns) + " |")
    for row in listing.rows:
        lines.append("| " + " | ".join(_md(cell(row.get(c.key), money=c.money)) for c in listing.columns) + " |")
    return "\n".join(lines) + "\n\n"


def _md(text: str) -> str:
    from csm.render.safe import markdown_text

    return markdown_text(text)
