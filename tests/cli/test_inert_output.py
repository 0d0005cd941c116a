"""Hostile data stays inert on every output: escape sequences never reach the terminal, Rich markup in a
name prints as text, and HTML or Markdown structure in data is escaped in documents."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from csm.cli import app
from tests.cli.demo_book import copy_book
from tests.conftest import TODAY, Run

# clear the screen, an OSC 8 hyperlink to a local file, a bell, an 8-bit CSI, a right-to-left override
ESCAPES = "\x1b[2J\x1b]8;;file:///etc/passwd\x07click\x1b]8;;\x07\x9b31m\u202e"
MARKUP = "[link=file:///etc/passwd]x[/link] [blink]B[/blink] [/bold] :pile_of_poo:"
EVIL = f"Evil Co {ESCAPES} {MARKUP} <script>alert(1)</script> | Ltd"
TITLE = f"Kickoff {ESCAPES} {MARKUP} <img src=x onerror=alert(1)>"
SGR = re.compile(r"\x1b\[[0-9;]*m")

Csm = Callable[..., Run]


HOSTILE_STEPS = [
    ("account", "add", EVIL, "--arr", "150000", "--renewal", "2027-04-15", "--domain", "evil.example",
     "--notes", f"notes {ESCAPES}"),
    ("account", "add", f"Evil Twin {ESCAPES}", "--arr", "1000"),
    ("contact", "add", "Evil Co", f"Jane {ESCAPES} {MARKUP}", "--email", "jane@evil.example", "--role",
     "champion", "--title", f"CTO {MARKUP}"),
    ("todo", "add", f"Call {ESCAPES} {MARKUP} <b>now</b>", "--account", "Evil Co", "--due", "2027-03-05"),
    ("log", "Evil Co", "--summary", f"Said {ESCAPES} {MARKUP}", "--next", f"Follow up {MARKUP}"),
    ("plan", "add", "Evil Co", f"Goal {ESCAPES} {MARKUP} <script>x</script>", "--metric", "hours",
     "--baseline", "10", "--target", "2", "--due", "2027-06-30"),
    ("request", "add", "Evil Co", f"Feature {ESCAPES} {MARKUP} <script>y</script>"),
    ("risk", "add", "Evil Co", "--category", "company", "--severity", "high", "--evidence",
     f"Acquired {ESCAPES} {MARKUP}"),
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book whose account, contact, to-do, note, goal, request, risk and meeting all carry hostile text
    (built once; each test reads a copy)."""
    folder = tmp_path_factory.mktemp("hostile")
    book = folder / "book.db"
    env = {"CSM_DB": str(book), "CSM_CONFIG": str(folder / "config.toml"), "CSM_AS_OF": TODAY,
           "CSM_TIMEZONE": "America/New_York", "CSM_CACHE_DIR": str(folder / "cache"), "NO_COLOR": "1"}  # fmt: skip
    runner = CliRunner()
    for step in HOSTILE_STEPS:
        done = runner.invoke(app, list(step), env=env)
        assert done.exit_code == 0, (step, done.stderr)
    calendar = folder / "cal.ics"
    calendar.write_bytes(
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
            "DTSTART:20270301T150000Z\r\nDTEND:20270301T160000Z\r\n"
            f"SUMMARY:{TITLE}\r\nLOCATION:Room {ESCAPES}\r\nATTENDEE:mailto:jane@evil.example\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()
    )
    done = runner.invoke(app, ["import", "calendar", str(calendar)], env=env)
    assert done.exit_code == 0, done.stderr
    return book


@pytest.fixture
def hostile(hostile_book: Path, book_path: Path, env: dict[str, str]) -> Callable[[bool], Csm]:
    """The hostile book (a copy) through the real CLI, without colour or with it forced on."""
    copy_book(hostile_book, book_path)
    runner = CliRunner()

    def with_colour(colour: bool) -> Csm:
        extra = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": None} if colour else {}

        def run(*args: str) -> Run:
            return Run(runner.invoke(app, list(args), env={**env, **extra}))

        return run

    return with_colour


def assert_inert(text: str, *, colour: bool) -> None:
    assert "\x07" not in text and "\x9b" not in text and "\u202e" not in text, repr(text[:300])
    plain = SGR.sub("", text)
    assert "\x1b" not in plain, repr(plain[plain.index("\x1b") - 40 : plain.index("\x1b") + 40])
    if not colour:
        assert "\x1b" not in text
    assert "\x1b[5m" not in text  # [blink] was not taken as markup
    assert "\U0001f4a9" not in text  # nor :pile_of_poo: as an emoji code


TERMINAL = [
    ("today",),
    ("today", "--days", "3"),
    ("prep", "Evil Co"),
    ("account", "list"),
    ("account", "show", "Evil Co"),
    ("contact", "list"),
    ("todo", "list"),
    ("todo", "list", "--explain"),
    ("risk",),
    ("risk", "Evil Co"),
    ("health",),
    ("health", "Evil Co", "--explain"),
    ("renewals",),
    ("gaps",),
    ("plan", "Evil Co"),
    ("changes", "--since", "2027-01-01"),
]


@pytest.mark.parametrize("colour", [False, True], ids=["no colour", "colour"])
@pytest.mark.parametrize("args", TERMINAL, ids=lambda a: " ".join(a))
def test_terminal_output_keeps_hostile_names_and_titles_inert(
    hostile: Callable[[bool], Csm], args: tuple[str, ...], colour: bool
) -> None:
    run = hostile(colour)(*args)
    assert run.code == 0, run.err
    assert_inert(run.out + run.err, colour=colour)
    if "Evil" in run.out and args[0] not in ("health", "renewals", "changes"):
        assert "[blink]" in run.out or "[link=" in run.out or "[/bold]" in run.out, run.out[:500]


def test_the_meeting_title_from_an_invitation_prints_as_text(hostile: Callable[[bool], Csm]) -> None:
    for colour in (False, True):
        run = hostile(colour)("today")
        assert run.code == 0, run.err
        assert "Kickoff" in run.out and "[blink]" in run.out
        assert_inert(run.out, colour=colour)
        assert ("\x1b[1m" in run.out) is colour  # the colour run really is styled


def test_todo_list_explain_survives_a_closing_tag_in_a_name(hostile: Callable[[bool], Csm]) -> None:
    run = hostile(False)("todo", "list", "--explain")
    assert run.code == 0 and "MarkupError" not in run.err
    assert "[/bold]" in run.out


@pytest.mark.parametrize(
    "args",
    [
        ("prep", "Evil Co", "--format", "md"),
        ("ebr", "Evil Co"),
        ("today", "--format", "md"),
        ("account", "list", "--format", "md"),
        ("account", "show", "Evil Co", "--format", "md"),
        ("todo", "list", "--format", "md"),
        ("risk", "--format", "md"),
        ("gaps", "--format", "md"),
    ],
    ids=lambda a: " ".join(a),
)
def test_markdown_carries_no_html_and_no_structure_from_the_data(
    hostile: Callable[[bool], Csm], args: tuple[str, ...]
) -> None:
    run = hostile(False)(*args)
    assert run.code == 0, run.err
    assert_inert(run.out, colour=False)
    text = re.sub(r"`[^`\n]*`", "`code`", run.out)  # a code span is shown as it is, never rendered as HTML
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text or "&lt;b&gt;" in text or "&lt;img" in text
    assert "](file:" not in text.replace("\\]", "")  # no Markdown link made of the data
    for line in text.splitlines():
        if line.startswith("|") and "Ltd" in line:  # a table row: the data's pipe does not add a cell
            assert not re.search(r"(?<!\\)\| Ltd", line) and "\\| Ltd" in line


def test_html_escapes_and_strips_hostile_data(hostile: Callable[[bool], Csm]) -> None:
    run = hostile(False)("ebr", "Evil Co", "--format", "html")
    assert run.code == 0, run.err
    assert_inert(run.out, colour=False)
    assert "<script>alert" not in run.out and "&lt;script&gt;alert(1)&lt;/script&gt;" in run.out


@pytest.mark.parametrize(
    "args",
    [("today",), ("prep", "Evil Co"), ("ebr", "Evil Co"), ("account", "list"), ("todo", "list"), ("risk",)],
    ids=lambda a: " ".join(a),
)
def test_json_escapes_control_characters_and_keeps_the_data_exact(
    hostile: Callable[[bool], Csm], args: tuple[str, ...]
) -> None:
    run = hostile(False)(*args, "--format", "json")
    assert run.code == 0, run.err
    assert "\x1b" not in run.out and "\x9b" not in run.out and "\u202e" not in run.out and "\x07" not in run.out
    assert any(EVIL in text for text in strings(json.loads(run.out)))


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


def test_errors_that_name_accounts_print_them_inert(hostile: Callable[[bool], Csm]) -> None:
    csm = hostile(False)
    ambiguous = csm("account", "show", "Evil")
    assert ambiguous.code == 1 and "matches several accounts" in ambiguous.err
    unknown = csm("prep", "Evil Cp")
    assert unknown.code == 1 and "did you mean" in unknown.err
    logged = csm("log", "Evil Co", "--summary", "again")
    for run in (ambiguous, unknown, logged):
        assert_inert(run.out + run.err, colour=False)


def test_json_text_escapes_del_in_an_ascii_document_and_the_rest_in_any() -> None:
    from csm.render.safe import json_text

    assert json_text('{"a": "x\x7fy"}') == '{"a": "x\\u007fy"}'  # ASCII, yet DEL is a control
    assert json_text('{"a": "Zürich\x9b\u2028"}') == '{"a": "Zürich\\u009b\\u2028"}'
    plain = '{"a": "nothing to escape"}'
    assert json_text(plain) is plain


def test_json_written_as_it_is_made_is_the_document_whole() -> None:
    import io
    import json

    from csm.render.listing import json_document, write_json

    values = [
        {"todos": [{"title": f"Call Zürich\u202e {n}", "n": n} for n in range(2500)], "empty": [], "total": 2500},
        [{"a": 1}, {"b": "\x9b"}],
        [],
        {},
        "a line\u2028",
    ]
    for value in values:
        stream = io.StringIO()
        write_json(value, stream)
        assert stream.getvalue() == json_document(value) + "\n"
        assert json.loads(stream.getvalue()) == value
        assert "\u202e" not in stream.getvalue() and "\x9b" not in stream.getvalue()


def test_markdown_text_escapes_emphasis_but_leaves_words_joined_by_underscores() -> None:
    from csm.render.safe import markdown_text

    assert (
        markdown_text("*Portal* rollout, __bold__ and _lead_")
        == "\\*Portal\\* rollout, \\_\\_bold\\_\\_ and \\_lead\\_"
    )
    assert markdown_text("acme_corp_ltd 5 * 3") == "acme_corp_ltd 5 \\* 3"
