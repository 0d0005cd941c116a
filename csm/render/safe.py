"""Data made inert for every output: a name or title from an import is text, never a terminal command,
Rich markup, HTML or Markdown structure.

Calendar invites and CRM exports are shaped by outsiders; an account named "\\x1b]8;;file:///etc/passwd..."
or "Evil [/bold] Co" must print as what it says. Renderers pass data through these functions (or
`inert` a whole report model) and print it as Rich `Text`, never inside markup.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

T = TypeVar("T")

# C0 controls but newline, DEL, C1 controls (8-bit CSI/OSC among them), and the bidirectional overrides
# that make text read differently from what it holds
CONTROL_CHARACTERS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x85]+\s*")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_ESCAPES = {"\\": "\\\\", "`": "\\`", "[": "\\[", "]": "\\]", "|": "\\|", "&": "&amp;", "<": "&lt;",
                     ">": "&gt;", "*": "\\*", "_": "\\_"}  # fmt: skip
# '*' always, and '_' where it could open or close emphasis (not inside a word: snake_case stays as it is)
_MARKDOWN_SPECIAL = re.compile(r"[\\`\[\]|&<>*]|(?<![^\W_])_|_(?![^\W_])")
_MARKDOWN_RULE = re.compile(r"^[-=*_ ]{3,}$")


def terminal_text(value: str) -> str:
    """Text safe to print on a terminal: control characters removed (a tab becomes a space), newlines kept."""
    return CONTROL_CHARACTERS.sub(lambda found: " " if found.group() == "\t" else "", value)


def one_line(value: str) -> str:
    """Terminal text on one line: line breaks become spaces."""
    return _LINE_BREAKS.sub(" ", terminal_text(value.replace("\r\n", "\n").replace("\r", "\n")))


def cell_text(value: object, limit: int = 40) -> str:
    """A value from a file, quoted and cut short, for an error message: never more than `limit` characters
    of it, never a control character."""
    text = one_line(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def message_text(message: str, limit: int = 600) -> str:
    """An error or warning line for the terminal: inert, and never a whole file's worth of data."""
    text = terminal_text(message)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown_text(value: str) -> str:
    """Data as Markdown text: HTML characters as entities, table pipes, brackets (links), backticks and
    emphasis marks escaped, one line, and nothing at its start that would make a heading, a rule or a code fence."""
    text = _MARKDOWN_SPECIAL.sub(lambda found: _MARKDOWN_ESCAPES[found.group()], one_line(value))
    if text.startswith(("#", "~~~", "+", "=")) or _MARKDOWN_RULE.match(text):
        text = "\\" + text
    return text


def markdown_code(value: str) -> str:
    """Data inside a Markdown code span or block: one line, no backtick to close it early."""
    return one_line(value).replace("`", "'")


def json_text(document: str) -> str:
    """A JSON document with DEL, C1 controls, bidirectional overrides and line separators written as \\u
    escapes (json.dumps escapes only C0): the same data, inert on a terminal."""
    if document.isascii() and "\x7f" not in document:  # no character to escape (isascii is immediate in CPython)
        return document
    return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", document)


def inert(value: T) -> T:
    """A copy of a report model (dataclasses, lists, dicts all the way down) with every string terminal text."""
    return _inert(value)  # type: ignore[no-any-return]


def _inert(value: Any) -> Any:
    if isinstance(value, str):
        return terminal_text(value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _inert(getattr(value, f.name)) for f in fields(value) if f.init})
    if isinstance(value, list):
        return [_inert(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_inert(item) for item in value)
    if isinstance(value, dict):
        return {_inert(key): _inert(item) for key, item in value.items()}
    return value


def echo(message: str, *, err: bool = False) -> None:
    """One line for the terminal that carries data (a name, a title): printed inert."""
    import typer

    typer.echo(message_text(message), err=err)
