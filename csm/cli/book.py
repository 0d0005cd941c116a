"""`csm init`, `csm demo` and `csm config`: the book and the settings."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from csm.cli.options import Format, OutputFormat
from csm.cli.state import state
from csm.render.listing import to_json

config_app = typer.Typer(help="Show the effective config and where it lives.", no_args_is_help=True)


def init() -> None:
    """Create the book (or bring an older one up to date). Safe to run again."""
    app_state = state()
    location = app_state.location
    from csm.db.book import current_revision

    before = current_revision(location) if location.path is None or location.path.exists() else None
    app_state.create_book(folder=True)
    from csm.db import HEAD_REVISION

    if before == HEAD_REVISION:
        typer.echo(f"The book at {location.describe()} is up to date.")
    elif before is None:
        typer.echo(f"Created a new book at {location.describe()}.")
    else:
        typer.echo(f"Upgraded the book at {location.describe()} from {before} to {HEAD_REVISION}.")
    if before is not None:
        from csm.db.calendars import rematch_in

        with app_state.book.session() as session:
            changed = rematch_in(session, app_state.config)  # who you are and your colleagues' domains may be new
        if changed:
            typer.echo(f"Read {changed} calendar meeting{'s' if changed != 1 else ''} again with your config.")
    typer.echo("Next: 'csm account add NAME' or 'csm import accounts FILE'; 'csm demo' shows an example book.")


def demo(output_format: Format = OutputFormat.table) -> None:
    """Build the example book (42 accounts in real export formats) and show `csm today` for its date, 2027-03-01.

    It goes into the book that --db / CSM_DB names if that book is empty, else into a throwaway one.
    """
    from csm.cli.demo import run_demo

    run_demo(state(), output_format.value)


@config_app.command("show")
def config_show(output_format: Format = OutputFormat.table) -> None:
    """Print the effective config: your file's values over the defaults."""
    from csm.config import as_dict

    data = as_dict(state().config)
    if output_format == OutputFormat.json:
        typer.echo(to_json(data))
        return
    import tomli_w

    text = tomli_w.dumps(data)
    typer.echo(f"```toml\n{text}```" if output_format == OutputFormat.md else text.rstrip("\n"))


@config_app.command("path")
def config_path_command() -> None:
    """Print where the config file lives (it need not exist: every value has a default)."""
    from csm.config import config_path

    typer.echo(str(config_path(state().config_file)))


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.", metavar="FILE")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Copy the book to FILE (safe while csm runs); a server book is backed up with pg_dump."""
    from csm.db.backup import backup_book

    app_state = state()
    app_state.book  # noqa: B018  (a book that cannot be opened is reported before anything is written)
    written = backup_book(app_state.location, file, overwrite=force)
    typer.echo(f"Backed up {app_state.location.describe()} to {written}.")


def restore(file: Annotated[Path, typer.Argument(help="A backup made by 'csm backup'.", metavar="FILE")]) -> None:
    """Put a backup back in place of the book; the book as it was is kept beside it first."""
    from csm.db.backup import restore_book

    app_state = state()
    kept = restore_book(app_state.location, file)
    before = f"; the book before the restore is at {kept}" if kept else ""
    typer.echo(f"Restored {file} into {app_state.location.describe()}{before}.")
    app_state.book  # noqa: B018  (an older backup is migrated now, after its own backup copy)


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def export(
    folder: Annotated[
        Path, typer.Argument(help="The folder to create (or an empty one); its parent must exist.", metavar="DIR")
    ],
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv: one file per import kind, in csm's own columns; json: every table."),
    ] = ExportFormat.csv,
    force: Annotated[bool, typer.Option("--force", help="Replace an earlier export in DIR.")] = False,
) -> None:
    """Write the book out as files: CSV that 'csm import' reads back, or JSON of every table.

    The folder appears complete or not at all, private to you, with a manifest.json of its files and
    their row counts. Text a spreadsheet would run as a formula (starting =, +, -, @) is written with a
    leading apostrophe.
    """
    from csm.db.export import export_csv, export_json
    from csm.db.sources import all_sources

    runner = state().runner
    write = export_csv if output_format == ExportFormat.csv else export_json
    written = write(runner, folder, replace=force)
    typer.echo(f"Wrote {len(written)} files to {folder}: " + ", ".join(f"{n} {name}" for name, n in written.items()))
    sources = len(all_sources(runner))
    if sources:
        typer.echo(f"Your {sources} source{'s are' if sources != 1 else ' is'} not exported (an address can hold a "
                   "secret): 'csm source list' shows them, to add again where this export is imported.")  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(demo)
    app.add_typer(config_app, name="config")
    app.command()(backup)
    app.command()(export)
    app.command()(restore)
