"""`csm ebr ACCOUNT`: the executive business review pack; `csm ebr note`: the summary in your own words."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AsOf, default_group
from csm.cli.prep import AccountArg, Force, Out, deliver, to_stdout
from csm.cli.state import AppState, state
from csm.errors import InputError
from csm.render.safe import echo

if TYPE_CHECKING:
    from csm.reports.ebr import EbrReport

ebr_app = typer.Typer(
    cls=default_group("show"),
    help="The executive business review pack (the default), and your own words for its summary.",
)


class EbrFormat(StrEnum):
    md = "md"
    html = "html"
    json = "json"
    pptx = "pptx"


@ebr_app.command("show")
def ebr_show(
    account: AccountArg,
    as_of: AsOf = None,
    output_format: Annotated[
        EbrFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md (the default), html (print it to PDF), pptx (an editable PowerPoint deck) or json; "
            "with --out, taken from the file's extension.",
        ),
    ] = None,
    out: Out = None,
    force: Force = False,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Your own Jinja2 template (md, html; rendered in a sandbox) or, for pptx, a .pptx deck whose theme "
            "and layouts the deck uses.",
            metavar="FILE",
        ),
    ] = None,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="Your own rehearsal view: health, risks, talking points, private notes and to-dos beside the "
            "customer's pack. Never send it to the customer.",
        ),
    ] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Log the EBR as held today and turn its action items into to-dos.")
    ] = False,
    attendees: Annotated[
        list[str] | None,
        typer.Option("--with", help="With --record: a contact who attended (repeatable; default: the invitation's)."),
    ] = None,
) -> None:
    """The customer's pack, in their words: the executive summary, value delivered against the success plan
    (and who confirmed it), adoption and support trends, the roadmap items they asked for, the renewal and next
    objectives, and action items for both sides with owners and dates."""
    from csm.db.lookup import find_account

    app_state = state()
    account_id, _name = find_account(app_state.runner, account)
    chosen = _format_of(out, output_format)
    if chosen == EbrFormat.pptx and to_stdout(out) and sys.stdout.isatty():
        raise InputError("a deck is a binary file: give it a name with --out deck.pptx")
    report = build_ebr(app_state, account_id, as_of=as_of, internal=internal)
    config = app_state.config
    document: str | bytes
    if chosen == EbrFormat.json:
        from csm.render.listing import json_document

        document = json_document(report) + "\n"
    elif chosen == EbrFormat.pptx:
        from csm.render.deck import ebr_deck

        document = ebr_deck(report, template=template, templates_dir=config.templates_dir)
    else:
        from csm.render.ebr import ebr_document

        document = ebr_document(report, chosen.value, config.health, template=template,
                                templates_dir=config.templates_dir, time_limit=config.template_time_limit_seconds)  # fmt: skip
    if out is not None and not to_stdout(out):
        from csm.db.backup import refuse_book_files
        from csm.files import check_target

        refuse_book_files(out, app_state.location)
        check_target(out, overwrite=force)  # refused before --record writes anything
    if record:
        _record(account_id, report, attendees)
    deliver(document, out, force=force)


def build_ebr(app_state: AppState, account_id: int, *, as_of: str | None, internal: bool = False) -> EbrReport:
    """The EBR pack of one account for a day, its facts judged whole (what `--format json` prints): the
    customer's voice, and with `internal` the CSM's rehearsal beside it."""
    from csm.cli.reporting import judge_book
    from csm.reports.ebr import ebr_report

    evaluation, _scope = judge_book(as_of, account_id=account_id, app_state=app_state)
    return ebr_report(app_state.runner, evaluation, account_id, app_state.zone, app_state.config, internal=internal)


def _format_of(out: Path | None, chosen: EbrFormat | None) -> EbrFormat:
    """--format, else the --out file's suffix (Markdown for any other); a suffix csm cannot write is refused
    before anything is built."""
    suffix = out.suffix.lower().lstrip(".") if out is not None and not to_stdout(out) else ""
    if suffix in ("pdf", "ppt", "key", "odp", "doc", "docx", "odt", "rtf"):
        raise InputError(f"csm writes the EBR as .md, .html, .pptx or .json, not {out}: write .pptx (PowerPoint, "
                         "Keynote and LibreOffice open it) or .html and print it to PDF")  # fmt: skip
    formats = {"html": EbrFormat.html, "htm": EbrFormat.html, "json": EbrFormat.json, "pptx": EbrFormat.pptx}
    return chosen or formats.get(suffix, EbrFormat.md)


def _record(account_id: int, report: object, attendees: list[str] | None) -> None:
    from csm.db.ebr import PlannedAction, record_ebr
    from csm.db.models import Account
    from csm.reports.ebr import EbrReport

    assert isinstance(report, EbrReport)
    day = report.as_of
    meeting = report.meeting
    names = attendees if attendees else (meeting.attendees if meeting and _day(meeting.start) == day else [])
    summary = f"Executive business review. {report.executive_summary.recommendation.text}"
    actions = [PlannedAction(a.title, a.owner, a.due) for a in report.action_items if a.source == "ebr"]
    with state().book.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        recorded = record_ebr(session, account, on=day, summary=summary, attendees=names, actions=actions)
        logged = recorded.interaction
        if logged is None:
            echo(f"An EBR with {account.name} is already logged on {day}; not logged again.", err=True)
        else:
            who = f" with {logged.attendees}" if logged.attendees else ""
            echo(f"Logged the EBR with {account.name} on {day}{who}.", err=True)
        skipped = f" ({recorded.skipped} already on your list)" if recorded.skipped else ""
        added = len(recorded.tasks)
        typer.echo(f"Added {added} {'to-do' if added == 1 else 'to-dos'} from its action items{skipped}.", err=True)


def _day(value: object) -> date | None:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@ebr_app.command("note")
def ebr_note(
    account: AccountArg,
    problem: Annotated[str | None, typer.Option("--problem", help="The problem, with the facts that prove it.")] = None,
    impact: Annotated[str | None, typer.Option("--impact", help="The impact of not solving it.")] = None,
    root_cause: Annotated[str | None, typer.Option("--root-cause", help="Its root cause and the obstacles.")] = None,
    recommendation: Annotated[str | None, typer.Option("--recommendation", help="What you recommend.")] = None,
    learned: Annotated[
        str | None, typer.Option("--learned", help="What was already done, and what was learned or gained.")
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Forget every field first (back to the drafted text).")
    ] = False,
) -> None:
    """Write the EBR's executive summary in your own words; a field you set replaces the drafted text."""
    from csm.db.accounts import resolve_account
    from csm.db.ebr import NOTE_FIELDS, save_ebr_note

    values = {"problem": problem, "impact": impact, "root_cause": root_cause, "recommendation": recommendation,
              "done_and_learned": learned}  # fmt: skip
    if not clear and all(v is None for v in values.values()):
        raise typer.BadParameter("give at least one of --problem, --impact, --root-cause, --recommendation, --learned")
    with state().book.session() as session:
        found = resolve_account(session, account)
        note = save_ebr_note(session, found, values, clear=clear)
        kept = [name.replace("_", " ") for name in NOTE_FIELDS if getattr(note, name)]
    echo(f"EBR note for {found.name}: {', '.join(kept) if kept else 'empty (the drafted text is shown)'}.")


def register(app: typer.Typer) -> None:
    app.add_typer(ebr_app, name="ebr")
