"""Every command's help reads in a CSM's words: a value is TEXT, N, DATE or its own name, never Typer's `<str>` or
`<int range>`, and an argument is named in capitals as the README writes it (`csm prep ACCOUNT`)."""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from csm.cli import app


def command_paths() -> list[list[str]]:
    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        commands = getattr(command, "commands", None)
        if commands:
            for name, sub in commands.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(typer.main.get_command(app), [])
    return found


def test_no_help_shows_a_programmers_type_and_arguments_are_in_capitals() -> None:
    runner = CliRunner()
    paths = command_paths()
    assert len(paths) > 40 and ["renew"] in paths
    for path in paths:
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output
        assert shown.startswith("Usage: csm"), (path, shown)
        assert not re.search(r"<(str|int|float|int range|float range|text|integer)>", shown), (path, shown)
        usage = shown.splitlines()[0]
        assert not re.search(r"\{[a-z_]+\}", usage), (path, usage)
    renew = runner.invoke(app, ["renew", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output
    assert "--term N " in renew and "--note TEXT " in renew and "ACCOUNT  Account name" in renew
