"""`csm mcp`: serve the book to the CSM's AI assistant over the Model Context Protocol."""

from __future__ import annotations

from typing import Annotated

import typer

from csm.cli.state import state
from csm.errors import InputError


def mcp(
    allow_writes: Annotated[
        bool,
        typer.Option("--allow-writes", help="Also offer the tools that write: log, todo_done, todo_defer, risk_add."),
    ] = False,
    http: Annotated[
        bool, typer.Option("--http", help="Serve streamable HTTP on 127.0.0.1 (loopback only) instead of stdio.")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="The loopback port for --http.", min=1, max=65535)] = 8000,
) -> None:
    """Serve your book to your AI assistant (Claude Desktop, Claude Code, an IDE) over the Model Context Protocol:
    the reports as read-only tools returning the same JSON as --format json, the accounts as resources, and
    prompts for your day and your next meeting. Nothing is written unless --allow-writes is given."""
    try:
        from csm.assistant.server import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "mcp":
            raise
        raise InputError("csm mcp needs the MCP Python SDK: python -m pip install 'csm-cli[mcp]'") from None
    serve(state(), allow_writes=allow_writes, http_port=port if http else None)


def register(app: typer.Typer) -> None:
    app.command()(mcp)
