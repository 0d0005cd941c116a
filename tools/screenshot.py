"""Regenerate the README's screenshots: `csm today` and `csm prep "Halvorsen Freight"` on the demo book, as SVG.

    python tools/screenshot.py

Builds the example book in a temporary folder with `csm demo`, then renders the views with a
recording Rich console, exactly as the terminal shows them at 100 columns.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "examples"  # beside the README that shows them


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="csm-shots-"))
    book = folder / "book.db"
    env = {**os.environ, "CSM_CACHE_DIR": str(folder / "cache"), "NO_COLOR": ""}
    subprocess.run([sys.executable, "-m", "csm", "--db", str(book), "demo", "--format", "json"],
                   check=True, env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    os.environ.update({"CSM_DB": str(book), "CSM_AS_OF": "2027-03-01", "CSM_TIMEZONE": "America/New_York",
                       "CSM_CONFIG": str(folder / "config.toml"), "CSM_CACHE_DIR": str(folder / "cache")})  # fmt: skip
    (folder / "config.toml").write_text(
        'owner = "maya.okafor@brightwater.example"\nowner_aliases = ["Maya Okafor"]\n'
        'internal_domains = ["brightwater.example"]\n'
    )
    from rich.console import Console

    from csm.cli.prep import build_prep
    from csm.cli.state import AppState, set_state
    from csm.cli.today import build_today
    from csm.render.today import render_today

    app_state = AppState()
    set_state(app_state)
    report = build_today(app_state, as_of=None, days=1, mine=None)
    console = Console(record=True, width=100, force_terminal=True, color_system="truecolor", highlight=False,
                      file=io.StringIO())  # fmt: skip
    render_today(report, console)
    (HERE / "today.svg").write_text(console.export_svg(title="csm today"), encoding="utf-8")
    print(f"wrote {HERE / 'today.svg'}")

    from csm.render.prep import render_prep

    sheet = build_prep(app_state, "Halvorsen Freight", as_of=None, meeting=None)
    console = Console(record=True, width=100, force_terminal=True, color_system="truecolor", highlight=False,
                      file=io.StringIO())  # fmt: skip
    render_prep(sheet, console)
    (HERE / "prep.svg").write_text(console.export_svg(title='csm prep "Halvorsen Freight"'), encoding="utf-8")
    print(f"wrote {HERE / 'prep.svg'}")


if __name__ == "__main__":
    main()
