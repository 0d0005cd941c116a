"""Lists and record cards as a Rich table, JSON or Markdown: one shape, three renderings."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Literal, TextIO

Justify = Literal["left", "right", "center"]
Value = str | int | float | bool | None | date | datetime | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a listing: the model's field it shows, its header, and how its values are set out."""

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
    more: int = 0  # rows left out of `rows` (the terminal shows what fits; --all shows them)


@dataclass
class Card:
    """One record: its fields, then any lists that belong to it."""

    title: str
    fields: dict[str, Any]  # keyed as JSON has them; the table and Markdown show each key's label
    sections: list[Listing] = field(default_factory=list)
    currency: str | None = None  # the money fields' currency (the account's), where known


def card_fields(card: Card) -> list[tuple[str, str, str]]:
    """Each field as (key, label, text): labels and values in a CSM's words (csm.domain.words)."""
    from csm.domain.words import field_label, field_value, is_plain_field

    return [
        (key, field_label(key), cell(value) if value is None or is_plain_field(key, value) else
         field_value(key, value, card.currency))
        for key, value in card.fields.items()
    ]  # fmt: skip


def row_cell(column: Column, row: dict[str, Any]) -> str:
    """A listing's cell in a CSM's words: `mid-market`, `decision maker`, money in the row's currency."""
    from csm.domain.words import field_value, is_plain_field, shown_in

    value = row.get(column.key)
    if column.money and isinstance(value, int | float) and row.get("currency"):
        return shown_in(cell(value, money=True), str(row["currency"]))
    if value is None or column.money or is_plain_field(column.key, value):
        return cell(value, money=column.money)
    return field_value(column.key, value)


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


def to_json(value: Any, *, compact: bool = False) -> str:
    """One JSON document, valid always (a non-finite number, which no input should let in, is null) and inert on a
    terminal; `compact` is one line. The C encoder writes it: fast for books of any size."""
    from csm.render.safe import json_text

    return json_text(_encoded(value, indent=None if compact else 2))


def _encoded(value: Any, *, indent: int | None = None) -> str:
    try:
        if indent is None:
            return _compact_encoder()(value)
        return json.dumps(value, default=_json_default, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:  # a non-finite float: written as null (walking the value only then)
        return _encoded(_finite(value), indent=indent)


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


_COMPACT: list[Callable[[Any], str]] = []


def _compact_encoder() -> Callable[[Any], str]:
    """One compact encoder for every part, built once: JSONEncoder.encode builds the C encoder anew on every call,
    which costs more than encoding a to-do (a JSON list of a big book's items is tens of thousands of parts). No
    report model refers to itself, so nothing is checked for cycles."""
    if not _COMPACT:
        encoder = json.JSONEncoder(default=_json_default, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
        make = getattr(json.encoder, "c_make_encoder", None)  # None without CPython's accelerator
        if make is None:
            _COMPACT.append(encoder.encode)
        else:
            encode = make(None, _json_default, json.encoder.encode_basestring, None, ": ", ", ", False, False, False)
            _COMPACT.append(lambda value: "".join(encode(value, 0)))
    return _COMPACT[0]


def json_document(value: Any) -> str:
    """JSON for scripts that a person can still read: an object's keys one per line, a list's items one per line,
    each part written compact by the C encoder (an indented dump goes through Python's encoder: seconds for the
    lists of a big book); valid and inert as `to_json` is."""
    return "".join(json_parts(value))


def write_json(value: Any, stream: TextIO) -> None:
    """`json_document(value)` and a newline written to `stream` as it is made: a big book's JSON (hundreds of MB at
    100,000 accounts) is never held whole, let alone twice."""
    batch: list[str] = []
    for part in json_parts(value):
        batch.append(part)
        if len(batch) >= 1000:
            stream.write("".join(batch))
            batch.clear()
    batch.append("\n")
    stream.write("".join(batch))


def json_parts(value: Any) -> Iterator[str]:
    """The pieces of `json_document(value)` in order, each inert (safe.json_text escapes character by character, so
    a piece cut at an item's edge is escaped as the whole would be)."""
    from csm.render.safe import json_text

    value = _shallow(value)
    if not (isinstance(value, dict) and value):
        yield from (json_text(part) for part in _block(value, indent=""))
        return
    yield "{\n"
    for n, (key, item) in enumerate(value.items()):
        name = _encoded(key if isinstance(key, str) else str(key))
        yield json_text(f",\n  {name}: " if n else f"  {name}: ")
        yield from (json_text(part) for part in _block(item))
    yield "\n}"


def _block(value: Any, *, indent: str = "  ") -> Iterator[str]:
    value = _shallow(value)
    if isinstance(value, list | tuple) and value:
        inner = indent + "  "
        yield "[\n"
        for n, item in enumerate(value):
            yield f",\n{inner}" if n else inner
            yield _encoded(item)
        yield f"\n{indent}]"
    else:
        yield _encoded(value)


def _shallow(value: Any) -> Any:
    names = _field_names(value)
    return value if names is None else dict(zip(names, _FIELD_GETTERS[type(value)](value), strict=True))


def _json_default(value: Any) -> Any:
    getter = _FIELD_GETTERS.get(type(value))
    if getter is not None:  # one level: the encoder calls back for the dataclasses inside
        return dict(zip(_FIELD_NAMES[type(value)], getter(value), strict=True))  # type: ignore[arg-type]
    if isinstance(value, date | datetime):
        return value.isoformat()
    names = _field_names(value)
    if names is not None:
        return dict(zip(names, _FIELD_GETTERS[type(value)](value), strict=True))
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
_FIELD_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_SCALARS = (str, int, float, bool, type(None), date, datetime)


def _field_names(value: Any) -> tuple[str, ...] | None:
    """A dataclass instance's field names (None for anything else), looked up once per class."""
    kind = type(value)
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        names = tuple(f.name for f in fields(value)) if is_dataclass(value) and not isinstance(value, type) else None
        if names is not None:
            getter = attrgetter(*names)
            _FIELD_GETTERS[kind] = getter if len(names) > 1 else lambda item: (getter(item),)
        _FIELD_NAMES[kind] = names
        return names


def plain(value: Any) -> Any:
    """A report model (dataclasses all the way down) as dicts and lists, dates kept as dates."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _field_names(value)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def emit(item: Listing | Card, output_format: str, *, show_all: bool = False) -> None:
    """Print a listing or card in the chosen format on stdout.

    The terminal table shows what fits a screen and says how many more `--all` prints; `show_all` prints every
    row as plain aligned text (a Rich table of thousands of rows takes seconds). JSON and Markdown are whole."""
    if output_format == "json":
        payload: Any = item.rows if isinstance(item, Listing) else _card_json(item)
        write_json(payload, sys.stdout)
    elif output_format == "md":
        sys.stdout.write(markdown(item))
    elif show_all:
        sys.stdout.write(aligned_text(item) if isinstance(item, Listing) else card_text(item))
    else:
        from csm.render.console import print_item

        print_item(item)


def screen_rows() -> int:
    """How many rows of a listing fit the terminal (never fewer than 15)."""
    import shutil

    return max(15, shutil.get_terminal_size((80, 24)).lines - 8)


def aligned_text(listing: Listing) -> str:
    """Every row as plain text in aligned columns (a last column of words unpadded): fast for any number of rows."""
    if not listing.rows:
        return f"{listing.title}\n{listing.empty}\n"
    cells = [[c.header for c in listing.columns]]
    cells += [[row_cell(c, row).replace("\n", " ") for c in listing.columns] for row in listing.rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(listing.columns))]
    justify = [c.justify for c in listing.columns]
    lines = [listing.title]
    for line in cells:
        parts = [
            text.rjust(width) if how == "right" else text.ljust(width)
            for text, width, how in zip(line, widths, justify, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def card_text(card: Card) -> str:
    """A card as plain text: its fields, then every row of every section in aligned columns."""
    shown = card_fields(card)
    width = max((len(label) for _key, label, _text in shown), default=0)
    lines = [card.title, *(f"{label.ljust(width)}  {text}" for _key, label, text in shown)]
    return "\n".join(lines) + "\n" + "".join("\n" + aligned_text(section) for section in card.sections)


def _card_json(card: Card) -> dict[str, Any]:
    data: dict[str, Any] = dict(card.fields)
    for section in card.sections:
        data[section.title.lower().replace(" ", "_").replace("-", "_")] = section.rows
    return data


def markdown(item: Listing | Card) -> str:
    if isinstance(item, Card):
        lines = [f"# {_md(item.title)}", ""]
        lines += [f"- **{_md(label)}**: {_md(text)}" for _key, label, text in card_fields(item)]
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
        lines.append("| " + " | ".join(_md(row_cell(c, row)) for c in listing.columns) + " |")
    return "\n".join(lines) + "\n\n"


def _md(text: str) -> str:
    from csm.render.safe import markdown_text

    return markdown_text(text)
