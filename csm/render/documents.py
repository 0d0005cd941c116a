"""Report model → Markdown or HTML through Jinja2 templates: the packaged ones, or the user's own (sandboxed).

Which template: `--template FILE`, else the file of the same name in the config's `templates_dir`,
else the packaged one (`csm.templates`, read with importlib.resources). A user's template renders in
Jinja2's sandbox; HTML is autoescaped whichever template is used. Jinja2 is imported only here, and
only when a document is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from csm.domain.words import deferred_words
from csm.domain.words import money as words_money
from csm.errors import InputError

_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\d{4,}|\*)|\.\d{4,}")


def template_source(name: str, *, template: Path | None, templates_dir: str | None) -> tuple[str, str, bool]:
    """(source, where it came from, whether it is the user's) for the template `name`."""
    user = template
    if user is None and templates_dir:
        candidate = Path(templates_dir).expanduser() / name
        if candidate.is_file():
            user = candidate
    if user is not None:
        from csm.files import check_readable

        check_readable(user, MAX_TEMPLATE_BYTES, "template")
        try:
            return user.read_text(encoding="utf-8"), str(user), True
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise InputError(f"cannot read the template {user}: {reason}") from None
    from importlib.resources import files

    return files("csm.templates").joinpath(name).read_text(encoding="utf-8"), f"csm.templates/{name}", False


MAX_TEMPLATE_BYTES = 1024**2
MAX_DOCUMENT_CHARS = 50_000_000  # a runaway template stops here, long before the memory runs out


class TemplateTooCostly(Exception):
    """A template ran past its time limit or wrote more than a document's worth."""


def render_document(
    name: str,
    context: dict[str, Any],
    *,
    html: bool,
    template: Path | None = None,
    templates_dir: str | None = None,
    time_limit: float = 10.0,
) -> str:
    """Render the template `name` (e.g. 'ebr.html.j2') with the report's plain data as its variables,
    within `time_limit` seconds (the config's template_time_limit_seconds)."""
    import jinja2

    source, origin, users = template_source(name, template=template, templates_dir=templates_dir)
    options: dict[str, Any] = {"autoescape": html, "trim_blocks": True, "lstrip_blocks": True,
                               "keep_trailing_newline": True}  # fmt: skip
    options["finalize"] = _html_data if html else _markdown_data
    env = _strict_sandbox()(**options) if users else jinja2.Environment(**options)
    env.filters.update(money=money, num=num, pct=pct, day=day, words=words, month=month,
                       code=jinja2.pass_environment(code))  # fmt: skip
    env.globals.update(deferred_words=deferred_words)
    try:
        compiled = env.from_string(source)
        with deadline(time_limit):
            return bounded_render(compiled, context, time_limit)
    except TemplateTooCostly as exc:
        raise InputError(f"template {origin} stopped: {exc}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template {origin}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"template {origin} failed: {exc}") from None
    except Exception as exc:
        if not users:
            raise
        raise InputError(f"template {origin} failed: {type(exc).__name__}: {exc}") from None


def bounded_render(compiled: Any, context: dict[str, Any], time_limit: float) -> str:
    """Render chunk by chunk, stopping a template that writes without end or past its time."""
    import time

    ends = time.monotonic() + time_limit
    parts: list[str] = []
    size = 0
    for part in compiled.generate(**context):
        parts.append(part)
        size += len(part)
        if size > MAX_DOCUMENT_CHARS:
            raise TemplateTooCostly(f"it wrote more than {MAX_DOCUMENT_CHARS:,} characters")
        if time.monotonic() > ends:
            raise TemplateTooCostly(f"it ran longer than {time_limit:g} seconds (template_time_limit_seconds)")
    return "".join(parts)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt a loop that writes nothing (the chunk check cannot see it): SIGALRM where there is one."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise TemplateTooCostly(f"it ran longer than {seconds:g} seconds (template_time_limit_seconds)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _markdown_data(value: Any) -> Any:
    """Every value a Markdown template prints is data: HTML and Markdown structure in it are escaped."""
    from markupsafe import Markup

    from csm.render.safe import markdown_text

    if isinstance(value, Markup):
        return str(value)
    return markdown_text(value) if isinstance(value, str) else value


def _html_data(value: Any) -> Any:
    """HTML templates autoescape; control characters are removed as well (the page may go to a terminal)."""
    from markupsafe import Markup

    from csm.render.safe import terminal_text

    if isinstance(value, str) and not isinstance(value, Markup):
        return terminal_text(value)
    return value


def code(environment: Any, value: Any) -> Any:
    """`{{ line | code }}`: data inside a Markdown code block, kept as it is but for backticks and controls
    (in an HTML template it is escaped like any other value)."""
    from markupsafe import Markup

    from csm.render.safe import markdown_code

    text = markdown_code(str(value))
    return text if environment.autoescape else Markup(text)


def _strict_sandbox() -> Any:
    """Jinja2's sandbox, failing at once on any unsafe access (the stock one renders it as an empty value)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class StrictSandbox(SandboxedEnvironment):
        # operators that can build a value too big to interrupt (one C call): checked before they run
        intercepted_binops = frozenset(["*", "**", "%"])

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(f"{attribute!r} of a {type(obj).__name__} is not available to templates")

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > 1_000:
                raise SecurityError(f"a power of {right} is more than a template needs")
            if operator == "*":
                for sized, times in ((left, right), (right, left)):
                    repeated = isinstance(sized, str | list | tuple) and isinstance(times, int)
                    if repeated and len(sized) * times > MAX_DOCUMENT_CHARS:
                        raise SecurityError("a repetition longer than a document")
            if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
                raise SecurityError("a format wider than a page")
            return super().call_binop(context, operator, left, right)

    return StrictSandbox


def money(value: float | None, currency: str | None = None) -> str:
    return words_money(value, currency)


def num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def day(value: date | datetime | str | None, style: str = "long") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return f"{value:%a %-d %b %Y %H:%M}" if style == "long" else f"{value:%Y-%m-%d %H:%M}"
    return f"{value:%-d %B %Y}" if style == "long" else value.isoformat()


def month(value: str | None, style: str = "short") -> str:
    """A month key as people write it: '2027-02' → 'Feb 2027' ('long': 'February 2027')."""
    if not value:
        return ""
    try:
        year, number = str(value).split("-")[:2]
        name = date(int(year), int(number), 1).strftime("%B" if style == "long" else "%b")
    except ValueError:
        return str(value)
    return f"{name} {year}"


def words(value: str | None) -> str:
    """A domain word for people: exec_sponsor → exec sponsor."""
    return "—" if value is None else str(value).replace("_", " ")
