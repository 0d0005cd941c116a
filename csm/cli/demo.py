"""`csm demo`: build the example book from the packaged examples/ and show `csm today` for its own date."""

from __future__ import annotations

import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib.resources import as_file, files
from pathlib import Path

import typer

from csm.cli.state import AppState
from csm.errors import InputError


@dataclass(frozen=True)
class Manifest:
    as_of: date
    settings: dict[str, object]
    imports: list[tuple[str, str]]


def read_manifest(folder: Path) -> Manifest:
    data = tomllib.loads((folder / "book.toml").read_text(encoding="utf-8"))
    settings: dict[str, object] = {
        key: data[key] for key in ("timezone", "owner", "owner_aliases", "internal_domains", "people") if key in data
    }
    return Manifest(
        as_of=date.fromisoformat(str(data["as_of"])),
        settings=settings,
        imports=[(str(item["kind"]), str(item["file"])) for item in data["import"]],
    )


def run_demo(app_state: AppState, output_format: str) -> None:
    """Import every example file in the manifest's order, then print today for the example's date."""
    from csm.cli.imports import run_import
    from csm.config import validate_config

    if not app_state.location.explicit:  # neither --db nor CSM_DB: a throwaway book
        folder = Path(tempfile.mkdtemp(prefix="csm-demo-"))
        app_state.db = str(folder / "book.db")
    app_state.create_book(folder=True)
    if _has_accounts(app_state):
        raise InputError(f"the book {app_state.location.describe()} already holds accounts; demo needs an empty book")
    with as_file(files("csm.examples")) as examples:
        manifest = read_manifest(examples)
        app_state.pin_today(manifest.as_of)
        app_state._config = validate_config(manifest.settings, "book.toml")
        counts = []
        for kind, name in manifest.imports:
            report = run_import(app_state, kind, examples / name, quiet=True)
            counts.append(f"{report.new + report.updated} {kind} from {name}")
    typer.echo(f"Built the example book at {app_state.location.describe()}: " + "; ".join(counts) + ".", err=True)
    from csm.cli.today import show_today

    show_today(app_state, as_of=None, days=1, mine=None, output_format=output_format)
    config = write_demo_config(app_state, manifest)
    typer.echo(
        f"\nExplore it as its CSM: export CSM_DB={app_state.location.describe()} CSM_CONFIG={config} "
        f'CSM_AS_OF={manifest.as_of}; then try csm prep "Halvorsen Freight", csm risk, '
        'csm health "Halvorsen Freight" --explain, csm renewals, csm metrics, csm team, csm gaps, '
        "csm ebr greenhollow --out ebr.html.",
        err=True,
    )


def write_demo_config(app_state: AppState, manifest: Manifest) -> Path:
    """The example CSM's settings (her e-mail, the name the CRM uses for her, the vendor's domain), beside a
    SQLite demo book, so that exploring it afterwards shows what the demo showed."""
    import tomli_w

    from csm.files import write_private

    folder = app_state.location.path.parent if app_state.location.path is not None else Path(tempfile.mkdtemp())
    path = folder / "demo-config.toml"
    write_private(path, tomli_w.dumps(manifest.settings), overwrite=True)
    return path


def _has_accounts(app_state: AppState) -> bool:
    from csm.db.agenda import book_contents

    return book_contents(app_state.runner)["accounts"]
