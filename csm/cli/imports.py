"""`csm import KIND FILE`: bring CRM, support, survey and calendar exports into the book."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from csm.cli.options import ColumnMaps, SkipInvalid
from csm.cli.state import AppState, state
from csm.render.safe import echo

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlmodel import Session

    from csm.importers.report import ImportReport

PROGRESS_MIN_ROWS = 5_000
MATCHED_BY = ("accounts", "contacts")  # the imports that change whom a meeting is with


class Kind(StrEnum):
    accounts = "accounts"
    contacts = "contacts"
    opportunities = "opportunities"
    tickets = "tickets"
    surveys = "surveys"
    usage = "usage"
    requests = "requests"
    plans = "plans"
    interactions = "interactions"
    calendar = "calendar"
    book = "book"


class Source(StrEnum):
    auto = "auto"
    salesforce = "salesforce"
    hubspot = "hubspot"
    zendesk = "zendesk"
    churnzero = "churnzero"
    csm = "csm"


class DateOrder(StrEnum):
    mdy = "mdy"
    dmy = "dmy"
    ymd = "ymd"


Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="The file's text encoding (utf-8, cp1252, cp1250, shift_jis, ...); detected by default.",
        metavar="CODEC",
    ),
]
Delimiter = Annotated[
    str | None,
    typer.Option("--delimiter", help="The CSV delimiter: ',', ';', '|' or 'tab'; detected by default.", metavar="CHAR"),
]
DateOrderOption = Annotated[
    DateOrder | None,
    typer.Option(
        "--date-order",
        help="How to read dates such as 03/04/2027 when no value in the column proves the order "
        "(default: the config's date_order, mdy).",
        case_sensitive=False,
    ),
]


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"


def import_file(
    kind: Annotated[
        Kind,
        typer.Argument(
            help=(
                "What the file holds: accounts, contacts, opportunities, tickets, surveys, usage, requests, plans, "
                "interactions, calendar (.ics), or book (a whole 'csm export --format json' folder)."
            ),
            case_sensitive=False,
            metavar="KIND",
        ),
    ],
    file: Annotated[
        Path, typer.Argument(help="The CSV export (or .ics calendar); '-' reads standard input.", metavar="FILE")
    ],
    source: Annotated[
        Source, typer.Option("--source", help="The tool that wrote the file; auto-detected from the header row.")
    ] = Source.auto,
    maps: ColumnMaps = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count new / updated / unchanged; write nothing.")] = False,
    skip_invalid: SkipInvalid = False,
    name: Annotated[
        str | None, typer.Option("--name", help="Calendars only: the calendar's name (default: the file name).")
    ] = None,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    date_order: DateOrderOption = None,
    output_format: Annotated[
        SummaryFormat, typer.Option("--format", "-f", help="The summary as a table or JSON.")
    ] = SummaryFormat.table,
) -> None:
    """Import a CSV export (Salesforce, HubSpot, Zendesk, ChurnZero or csm's own format) or an .ics calendar.

    All or nothing: if any row is invalid, every bad row is reported and nothing is written.
    Re-importing the same file changes nothing.
    """
    app_state = state()
    report = run_import(
        app_state,
        kind.value,
        file,
        source=source.value,
        mapping=maps or [],
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        name=name,
        encoding=encoding,
        delimiter=delimiter,
        date_order=date_order.value if date_order else None,
    )
    _summary(report, output_format)


def run_import(
    app_state: AppState,
    kind: str,
    file: Path,
    *,
    source: str = "auto",
    mapping: list[str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    name: str | None = None,
    quiet: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    date_order: str | None = None,
    shown: Path | None = None,
    session: Session | None = None,
    silent: bool = False,
) -> ImportReport:
    """One import in its own transaction (or in `session`'s); invalid rows (without skip_invalid) raise after being
    reported (on stderr, unless `silent`). Messages name the file as `shown` (default: FILE as given).

    FILE may be '-' (or /dev/stdin, or any pipe): what it holds is copied aside first, within a size limit.
    """
    today = app_state.today()
    if kind == Kind.book.value:
        from csm.db.calendars import rematch_in
        from csm.importers.book import import_book

        with app_state.book_to_add_to(dry_run=dry_run) as book, book.session() as session:
            report = import_book(session, file, dry_run=dry_run)
            if not dry_run:
                rematch_in(session, app_state.config)  # an export from before 0007 has no meeting kinds
            return report
    from csm.importers.streams import import_source

    # importing adds data: a missing book (in an existing folder) is made, unless this is a dry run
    with (
        import_source(file, calendar=kind == Kind.calendar.value) as readable,
        app_state.book_to_add_to(dry_run=dry_run),
    ):
        return _import_file(
            app_state, kind, readable.path, source=source, mapping=mapping, dry_run=dry_run,
            skip_invalid=skip_invalid, name=name or ("stdin" if readable.piped else None), quiet=quiet, today=today,
            shown=shown or readable.shown, reading=(encoding, delimiter, date_order), session=session, silent=silent,
        )  # fmt: skip


def _import_file(
    app_state: AppState,
    kind: str,
    file: Path,
    *,
    source: str,
    mapping: list[str] | None,
    dry_run: bool,
    skip_invalid: bool,
    name: str | None,
    quiet: bool,
    today: date,
    shown: Path,
    reading: tuple[str | None, str | None, str | None],
    session: Session | None = None,
    silent: bool = False,
) -> ImportReport:
    from contextlib import nullcontext

    transaction = nullcontext(session) if session is not None else app_state.book.session()
    if kind == Kind.calendar.value:
        from csm.importers.calendar import import_calendar

        with transaction as into:
            report = import_calendar(into, file, config=app_state.config, today=today, dry_run=dry_run, name=name)
        report.file = shown
        if not quiet and not silent:
            _problems(report)
        return report
    from csm.importers.load import Reading, import_csv, refuse
    from csm.importers.sources import parse_mapping

    how = Reading(*reading, app_state.config.date_order)

    columns = parse_mapping(mapping or [])
    with transaction as into, _progress(file) as progress:
        report = import_csv(
            into,
            file,
            kind=kind,
            today=today,
            source=source,
            mapping=columns,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=progress,
            reading=how,
            churn_reasons=tuple(app_state.config.retention.churn_reasons),
        )
        report.file = shown
        if not silent and (not quiet or report.problems):
            _problems(report)
        if report.problems and not skip_invalid:
            raise refuse(report)
        if kind in MATCHED_BY and not dry_run:
            from csm.db.calendars import rematch_in

            rematch_in(into, app_state.config)  # meetings follow new accounts, domains and contacts
    return report


def _problems(report: ImportReport) -> None:
    for warning in report.warnings:
        echo(f"csm: warning: {report.file}: {warning}", err=True)
    for problem in report.problems:
        echo(problem.describe(report.file), err=True)


def _summary(report: ImportReport, output_format: SummaryFormat) -> None:
    counts: dict[str, Any] = {
        "kind": report.kind,
        "source": report.source,
        "file": str(report.file),
        "dry_run": report.dry_run,
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "invalid": len(report.problems),
    }
    if output_format == SummaryFormat.json:
        from csm.render.listing import to_json

        problems = [{"line": p.line, "column": p.column, "reason": p.reason} for p in report.problems]
        typer.echo(to_json({**counts, "problems": problems, "warnings": report.warnings}))
        return
    from csm.render.listing import Column, Listing, emit

    title = f"{'Dry run (nothing written)' if report.dry_run else 'Imported'}: {report.file.name}"
    columns = [Column("kind", "Kind"), Column("source", "Source")] + [
        Column(key, key.title(), justify="right") for key in ("new", "updated", "unchanged", "skipped", "invalid")
    ]
    emit(Listing(title, columns, [counts]), "table")


class _Progress:
    """A Rich bar on stderr for long files; physical line numbers are its unit."""

    def __init__(self, file: Path, lines: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        from rich.markup import escape

        from csm.render.safe import one_line

        self.task = self.bar.add_task(f"Importing {escape(one_line(file.name))}", total=lines)

    def advance(self, line: int) -> None:
        self.bar.update(self.task, completed=line)


class _ProgressContext:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.progress: _Progress | None = None

    def __enter__(self) -> Callable[[int], None] | None:
        lines = _count_lines(self.file, stop_after=PROGRESS_MIN_ROWS)
        if lines < PROGRESS_MIN_ROWS:
            return None
        self.progress = _Progress(self.file, _count_lines(self.file))
        self.progress.bar.start()
        return self.progress.advance

    def __exit__(self, *_exc: object) -> None:
        if self.progress is not None:
            self.progress.bar.stop()


def _progress(file: Path) -> _ProgressContext:
    return _ProgressContext(file)


def _count_lines(file: Path, stop_after: int | None = None) -> int:
    count = 0
    try:
        with file.open("rb") as handle:
            for chunk in _chunks(handle):
                count += chunk.count(b"\n")
                if stop_after is not None and count >= stop_after:
                    break
    except OSError:
        return 0  # the importer reports the unreadable file
    return count


def _chunks(handle: Any) -> Iterator[bytes]:
    while chunk := handle.read(1 << 20):
        yield chunk


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)
