"""The `csm` command line: global options, error handling, and the command groups."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csm import __version__
from csm.cli.state import AppState, set_state, state
from csm.errors import CsmError


class CsmGroup(TyperGroup):
    """Turns a CsmError into one line on stderr and exit code 1; no traceback unless --debug."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CsmError as exc:
            if state().debug:
                raise
            _fail(str(exc))
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except Exception as exc:
            if state().debug:
                raise
            _fail(f"unexpected error: {exc.__class__.__name__}: {exc} (run with --debug for the traceback)")
        finally:
            state().close()


def _fail(message: str) -> None:
    typer.echo(f"csm: error: {message}", err=True)
    raise typer.Exit(1)


app = typer.Typer(
    name="csm",
    cls=CsmGroup,
    help="A Customer Success Manager's day: today's meetings, to-dos and risks over your book of business.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CSM_DB",
            help="The book: a SQLite file path or a database URL.",
            metavar="PATH_OR_URL",
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option("--config", envvar="CSM_CONFIG", help="The config file (TOML).", metavar="PATH"),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    set_state(AppState(db=db, config_file=config, debug=debug))


def _register() -> None:
    from csm.cli import accounts, activity, book, imports, plans, portfolio, risks, today

    today.register(app)
    book.register(app)
    imports.register(app)
    accounts.register(app)
    activity.register(app)
    plans.register(app)
    risks.register(app)
    portfolio.register(app)


_register()


def main() -> None:
    app(prog_name="csm")
