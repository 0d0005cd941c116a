"""`csm playbook`: the playbooks in force (the config's, then the defaults) and how many runs each has open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from csm.cli.options import AsOf, Format, OutputFormat
from csm.cli.reporting import emit_models, judge_book
from csm.cli.state import state
from csm.render.listing import Column

if TYPE_CHECKING:
    from csm.reports.playbook_models import PlaybookOut

playbook_app = typer.Typer(help="Playbooks: the owned, dated work each risk opens.", no_args_is_help=True)


@playbook_app.command("list")
def playbook_list(
    mine: Annotated[
        bool | None,
        typer.Option("--mine/--all-owners", help="Only your accounts' runs (default when the config names you)."),
    ] = None,
    as_of: AsOf = None,
    output_format: Format = OutputFormat.table,
) -> None:
    """Every playbook in the order risks are matched against them, with the runs open on the day."""
    playbooks = list_playbooks(mine=mine, as_of=as_of)
    emit_models(
        playbooks,
        output_format,
        title=f"Playbooks ({len(playbooks)})",
        columns=[
            Column("name", "Playbook"),
            Column("when", "Opens on"),
            Column("steps", "Steps", "right"),
            Column("owners", "Owners"),
            Column("open_runs", "Open runs", "right"),
            Column("open_steps", "Open steps", "right"),
            Column("late_steps", "Late", "right"),
        ],
        empty="No playbooks.",
        show_all=True,
    )


def list_playbooks(*, mine: bool | None = None, as_of: str | None = None) -> list[PlaybookOut]:
    from csm.reports.playbooks import playbook_list as playbooks_of

    app_state = state()
    judgement, _scope = judge_book(as_of, mine=mine, facts=False, todos=False, runs=True, app_state=app_state)
    return playbooks_of(judgement, app_state.config)


def register(app: typer.Typer) -> None:
    app.add_typer(playbook_app, name="playbook")
