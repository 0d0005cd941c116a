"""`csm prep ACCOUNT`: the meeting prep sheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AsOf, OutputFormat
from csm.cli.state import AppState, state

if TYPE_CHECKING:
    from csm.reports.prep import PrepReport

AccountArg = Annotated[str, typer.Argument(help="Account name, external id, or a unique prefix.")]
Out = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file (private, 0600; '-' is standard output).", metavar="FILE"),
]
Force = Annotated[bool, typer.Option("--force", help="With --out: replace the file if it exists.")]
Template = Annotated[
    Path | None, typer.Option("--template", help="Your own Jinja2 template for --format md.", metavar="FILE")
]


def prep(
    account: AccountArg,
    meeting: Annotated[
        str | None,
        typer.Option("--meeting", "-m", help="Which upcoming meeting: its number in the list, or words of its title."),
    ] = None,
    as_of: AsOf = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format", "-f", help="table (Rich; the default), md (Markdown; the default with --out) or json."
        ),
    ] = None,
    out: Out = None,
    force: Force = False,
    template: Template = None,
) -> None:
    """Be 75% prepared: account facts, who attends, stakeholders, health, surveys, support, goals, risks,
    action items, last notes, and the four questions to answer before the meeting."""
    app_state = state()
    report = build_prep(app_state, account, as_of=as_of, meeting=meeting)
    to_file = not to_stdout(out)
    chosen = output_format or (OutputFormat.md if out is not None else OutputFormat.table)
    if chosen == OutputFormat.json:
        from csm.render.listing import json_document

        deliver(json_document(report) + "\n", out, force=force)
    elif chosen == OutputFormat.md:
        from csm.render.documents import render_document
        from csm.render.listing import plain

        config = app_state.config
        text = render_document("prep.md.j2", {"prep": plain(report)}, html=False, template=template,
                               templates_dir=config.templates_dir,
                               time_limit=config.template_time_limit_seconds)  # fmt: skip
        deliver(text, out, force=force)
    else:
        from csm.render.console import console
        from csm.render.prep import render_prep

        if not to_file:
            render_prep(report, console())
            return
        import io

        from rich.console import Console

        buffer = io.StringIO()
        render_prep(report, Console(file=buffer, width=100, no_color=True, highlight=False, emoji=False))
        deliver(buffer.getvalue(), out, force=force)


def build_prep(app_state: AppState, account: str, *, as_of: str | None, meeting: str | None) -> PrepReport:
    """The prep sheet of one account (found as the CLI finds it) for a day, its facts judged whole."""
    from csm.cli.reporting import judge_book
    from csm.db.lookup import find_account
    from csm.reports.prep import prep_report

    account_id, _name = find_account(app_state.runner, account)
    evaluation, _scope = judge_book(as_of, account_id=account_id, app_state=app_state)
    return prep_report(app_state.runner, evaluation, account_id, app_state.zone, app_state.config, meeting=meeting)


def deliver(text: str | bytes, out: Path | None, *, force: bool = False) -> None:
    """A document on stdout (no --out, or '--out -'), or into --out FILE with one line on stderr saying where.

    The file is written atomically and private; an existing file is replaced only with --force, and the book,
    its backups or any other SQLite database never.
    """
    import sys

    if to_stdout(out):
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return
    assert out is not None
    from csm.db.backup import refuse_book_files
    from csm.files import write_private

    refuse_book_files(out, state().location)
    write_private(out, text, overwrite=force)
    typer.echo(f"Wrote {out}", err=True)


def to_stdout(out: Path | None) -> bool:
    """No --out, `--out -` and `--out /dev/stdout` all mean standard output."""
    return out is None or str(out) in ("-", "/dev/stdout")


def register(app: typer.Typer) -> None:
    app.command()(prep)
