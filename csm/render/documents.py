"""Report model → Markdown or HTML through Jinja2 templates: the packaged ones, or the user's own (sandboxed).

Which template: `--template FILE`, else the file of the same name in the config's `templates_dir`,
else the packaged one (`csm.templates`, read with importlib.resources). A user's template renders in
Jinja2's sandbox; HTML is autoescaped whichever template is used. Jinja2 is imported only here, and
only when a document is rendered.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from csm.domain.words import short_money
from csm.errors import InputError


def template_source(name: str, *, template: Path | None, templates_dir: str | None) -> tuple[str, str, bool]:
    """(source, where it came from, whether it is the user's) for the template `name`."""
    user = template
    if user is None and templates_dir:
        candidate = Path(templates_dir).expanduser() / name
        if candidate.is_file():
            user = candidate
    if user is not None:
        try:
            return user.read_text(encoding="utf-8"), str(user), True
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise InputError(f"cannot read the template {user}: {reason}") from None
    from importlib.resources import files

    return files("csm.templates").joinpath(name).read_text(encoding="utf-8"), f"csm.templates/{name}", False


def render_document(
    name: str, context: dict[str, Any], *, html: bool, template: Path | None = None, templates_dir: str | None = None
) -> str:
    """Render the template `name` (e.g. 'ebr.html.j2') with the report's plain data as its variables."""
    import jinja2

    source, origin, users = template_source(name, template=template, templates_dir=templates_dir)
    options: dict[str, Any] = {"autoescape": html, "trim_blocks": True, "lstrip_blocks": True,
                               "keep_trailing_newline": True}  # fmt: skip
    env = _strict_sandbox()(**options) if users else jinja2.Environment(**options)
    env.filters.update(money=money, num=num, pct=pct, day=day, words=words)
    try:
        return env.from_string(source).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template {origin}, line {exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"template {origin} failed: {exc}") from None
    except Exception as exc:
        if not users:
            raise
        raise InputError(f"template {origin} failed: {type(exc).__name__}: {exc}") from None


def _strict_sandbox() -> Any:
    """Jinja2's sandbox, failing at once on any unsafe access (the stock one renders it as an empty value)."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class StrictSandbox(SandboxedEnvironment):
        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            raise SecurityError(f"{attribute!r} of a {type(obj).__name__} is not available to templates")

    return StrictSandbox


def money(value: float | None) -> str:
    return short_money(value)


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


def words(value: str | None) -> str:
    """A domain word for people: exec_sponsor → exec sponsor."""
    return "—" if value is None else str(value).replace("_", " ")
