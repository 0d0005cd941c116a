"""The `csm` command line: global options, error handling, and the command groups."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from csm import __version__
from csm.cli.state import AppState, set_state, state
from csm.errors import CsmError

# exits, and click's own errors (a bad option value, which click prints as usage), whether Typer bundles
# click and names their base TyperException (0.28) or depends on click (0.26)
PASS_THROUGH: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    KeyboardInterrupt,
    *(kind for kind in typer.BadParameter.__mro__ if kind.__name__ in ("ClickException", "TyperException")),
)


class CsmGroup(TyperGroup):
    """Turns a CsmError into one line on stderr and exit code 1; no traceback unless --debug."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        name_metavars(self)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CsmError as exc:
            if state().debug:
                raise
            _fail(str(exc))
        except PASS_THROUGH:
            raise  # exits, and usage errors that click prints
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except OverflowError as exc:
            if state().debug:
                raise
            _fail(f"a number or date is beyond what csm can compute with ({exc}); check the values given or stored")
        except Exception as exc:
            if state().debug:
                raise
            from csm.db.book import explain_database_error
            from csm.db.migrate import first_line

            explained = explain_database_error(exc)
            # the driver's own first line: a database error's SQL and parameters (the user's data) are left out
            detail = f"{exc.__class__.__name__}: {first_line(exc)}"
            _fail(explained or f"unexpected error: {detail} (run with --debug for the traceback)")
        finally:
            state().close()


TEXT_TYPES = ("str", "text")  # a type's name as Typer's own click (0.28) and click itself write it
WHOLE_NUMBER_TYPES = ("int", "integer", "int range", "integer range")


def name_metavars(command: Any) -> None:
    """Help in a CSM's words: an option's value shown as TEXT or N where no metavar names it (Typer 0.28 writes
    `<str>` and `<int range>`), an argument by its name in capitals (`csm prep ACCOUNT`)."""
    for param in getattr(command, "params", []):
        if param.metavar is not None:
            continue
        if param.param_type_name == "argument":
            param.metavar = (param.name or "").upper()
        elif param.param_type_name == "option" and not param.is_flag and not param.count:
            if param.type.name in TEXT_TYPES:
                param.metavar = "TEXT"
            elif param.type.name in WHOLE_NUMBER_TYPES:
                param.metavar = "N"
    for sub in getattr(command, "commands", {}).values():
        name_metavars(sub)


def _fail(message: str) -> None:
    from csm.render.safe import message_text

    typer.echo(f"csm: error: {message_text(message)}", err=True)  # a name or cell in it prints inert
    raise typer.Exit(1)


def new_app() -> typer.Typer:
    """The root command with its global options; command groups are added by `build_app`."""
    root = typer.Typer(
        name="csm",
        cls=CsmGroup,
        help="A Customer Success Manager's day: today's meetings, to-dos and risks over your book of business.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root.callback()(main_options)
    return root


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csm {__version__}")
        raise typer.Exit()


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


# Which module holds each top-level command: Typer builds every registered command's parameters on
# each run, so a run registers only the module it needs (`csm today` must start fast).
COMMAND_MODULES = {
    "today": "today",
    "init": "book",
    "demo": "book",
    "config": "book",
    "backup": "book",
    "export": "book",
    "restore": "book",
    "import": "imports",
    "account": "accounts",
    "contact": "accounts",
    "log": "activity",
    "todo": "activity",
    "plan": "plans",
    "request": "plans",
    "risk": "risks",
    "playbook": "playbooks",
    "health": "portfolio",
    "renewals": "portfolio",
    "gaps": "portfolio",
    "advocates": "portfolio",
    "changes": "portfolio",
    "prep": "prep",
    "ebr": "ebr",
    "mcp": "assistant",
    "renew": "retention",
    "churn": "retention",
    "metrics": "retention",
    "team": "retention",
    "source": "sources",
    "sync": "sources",
}
OPTIONS_WITH_VALUES = ("--db", "--config")


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The command line; given the arguments, only the module of the command named in them is loaded."""
    import importlib

    root = new_app()
    wanted = _command_module(argv) if argv is not None else None
    modules = [wanted] if wanted else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in modules:
        importlib.import_module(f"csm.cli.{name}").register(root)
    return root


def _command_module(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in OPTIONS_WITH_VALUES:
            skip = True
        elif not arg.startswith("-"):
            return COMMAND_MODULES.get(arg)
    return None


_full_app: typer.Typer | None = None


def __getattr__(name: str) -> typer.Typer:
    """`csm.cli.app`: the app with every command (tests, documentation), built on first use."""
    global _full_app
    if name != "app":
        raise AttributeError(name)
    if _full_app is None:
        _full_app = build_app()
    return _full_app


def main() -> None:
    import gc
    import sys

    # One command, then exit: csm makes no reference cycles worth collecting, and the cycle collector would walk
    # every object a judgement of a large book makes, again and again (seconds at 100,000 accounts).
    gc.disable()
    build_app(sys.argv[1:])(prog_name="csm")
