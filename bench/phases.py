"""Where a reporting command spends its time on a bench book: the judge's phases, each SQL statement, imports.

Runs the real command in-process (the Typer app, stdout to /dev/null) on a copy of a bench book whose revision
has just moved (so no cached worklist answers), with timers wrapped around the judge's phases and the SQLite
runner's statements, patched in this process only (csm/ is not edited). Phases nest: a phase's time includes
the phases it calls.

Run: python bench/phases.py [--size 10000] [--cprofile 30] [--explain] [--] [COMMAND ...]   (default: today)
     python bench/phases.py --imports     (import-time top list and the heavy-module check)
e.g. python bench/phases.py --size 100000 -- health --format json
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import importlib
import io
import os
import pstats
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, OUT, ensure_book
from today import bump_revision

HEAVY = ("pydantic", "sqlalchemy", "sqlmodel", "alembic", "jinja2", "icalendar", "rapidfuzz", "dateutil",
         "recurring_ical_events", "platformdirs")  # fmt: skip
# module: the functions to time, looked up where they are called (a module's own globals)
PHASES = {
    "csm.reports.judge": ["judge", "_judge", "trend_of", "sheet_facts", "explained", "decisions_for", "_rule_findings",
                          "_dated_windows", "_manual_risks", "_listening", "_renewal_findings", "_rule_risks", "_runs",
                          "_rule_candidates", "_uncovered", "short_ids", "_rule_todos", "_step_todos",
                          "_manual_todos", "_meeting_notes", "_score", "health_from", "expanded_for"],
    "csm.reports.cache": ["cached_worklist", "load", "save", "_freeze", "_thaw"],
}  # fmt: skip

totals: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
statements: list[tuple[str, str, dict[str, Any], float]] = []  # caller, sql, params, seconds


def timed(name: str, function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - started
            calls[name] += 1

    return wrapper


def instrument() -> None:
    for module_name, names in PHASES.items():
        module = importlib.import_module(module_name)
        for name in names:
            if callable(getattr(module, name, None)):
                setattr(module, name, timed(f"{module_name.split('.')[-1]}.{name}", getattr(module, name)))
    from csm.db.runner import SqliteRunner

    for method in ("rows", "tuples", "execute"):
        original = getattr(SqliteRunner, method)

        def statement(self: Any, sql: str, params: Any = None, _original: Any = original) -> Any:
            started = time.perf_counter()
            try:
                return _original(self, sql, params)
            finally:
                frame = sys._getframe(1)
                caller = f"{frame.f_globals.get('__name__', '?').split('.')[-1]}.{frame.f_code.co_name}"
                statements.append((caller, sql, dict(params or {}), time.perf_counter() - started))

        setattr(SqliteRunner, method, statement)


def run(size: int, argv: list[str], profile_top: int) -> float:
    book = OUT / f"phases-{size}.db"
    for left in (book.with_name(f"{book.name}-wal"), book.with_name(f"{book.name}-shm")):
        left.unlink(missing_ok=True)  # an earlier run's, which SQLite would replay onto the fresh copy
    shutil.copyfile(ensure_book(size), book)
    bump_revision(str(book))()
    config = OUT / "config-all.toml"
    config.write_text("# bench: defaults only\n")
    os.environ.update(CSM_DB=str(book), CSM_CONFIG=str(config), CSM_TIMEZONE="America/New_York", NO_COLOR="1",
                      CSM_AS_OF=AS_OF.isoformat(), CSM_CACHE_DIR=str(OUT / "phases-cache"), COLUMNS="80")  # fmt: skip
    shutil.rmtree(OUT / "phases-cache", ignore_errors=True)
    from csm.cli import build_app

    app = build_app(argv)  # as csm.cli.main builds it: only the named command's module
    gc.disable()  # as csm.cli.main does for every command
    profiler = cProfile.Profile() if profile_top else None
    real_stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        app(argv, prog_name="csm", standalone_mode=False)
    finally:
        if profiler:
            profiler.disable()
        took = time.perf_counter() - started
        sys.stdout.close()
        sys.stdout = real_stdout
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(profile_top)
        print("\ncProfile, by own time (profiler overhead inflates Python loops ~2x):")
        print("\n".join(line[:160] for line in out.getvalue().splitlines() if line.strip()))
    return took


def explain(book: Path) -> None:
    """Each statement that returns rows, re-run bare through sqlite3 for its pure SQL time, with its plan."""
    import sqlite3

    from csm.db.runner import _sqlite_value

    connection = sqlite3.connect(book)
    print("\nQuery plans (pure SQL time: the statement re-run with plain tuples)")
    for caller, sql, params, _seconds in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        values = {k: _sqlite_value(v) for k, v in params.items()}
        try:
            started = time.perf_counter()
            connection.execute(sql, values).fetchall()
        except sqlite3.Error:  # a statement over the judgement's temporary sheet, gone by now
            continue
        print(f"\n-- {caller}: {(time.perf_counter() - started) * 1000:,.1f} ms bare")
        for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", values):
            print(f"   {'  ' * (row[1] and 1)}{row[3]}")
    connection.close()


def imports_report() -> None:
    """`-X importtime` of a real run at 1k: the top 15 by cumulative time, and any heavy module loaded."""
    book = ensure_book(1000)
    env = {**os.environ, "CSM_DB": str(book), "CSM_CONFIG": str(OUT / "config-all.toml"),
           "CSM_TIMEZONE": "America/New_York", "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(OUT / "pycache")}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (OUT / "config-all.toml").write_text("# bench: defaults only\n")
    argv = ["today", "--as-of", AS_OF.isoformat()]
    probe = (
        "import sys\nfrom csm.cli import app\n"
        f"try:\n    app({argv!r}, prog_name='csm', standalone_mode=False)\n"
        "finally:\n    sys.stdout = sys.__stderr__\n"
        "    print('LOADED', ' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
    )
    subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, check=False)  # warm the pyc cache
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", probe], env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    rows = []
    loaded: set[str] = set()
    for line in done.stderr.splitlines():
        if line.startswith("LOADED"):
            loaded = set(line.split()[1:])
        elif line.startswith("import time:") and "|" in line and "cumulative" not in line:
            own, cumulative, name = line.removeprefix("import time:").split("|")
            rows.append((int(cumulative), int(own), name.rstrip()))
    print("import time, top 15 by cumulative (µs; -X importtime adds its own overhead):")
    for cumulative, own, name in sorted(rows, reverse=True)[:15]:
        print(f"  {cumulative:>8,} {own:>8,}  {name}")
    print(f"total of top-level imports: {sum(c for c, _, n in rows if not n.startswith('  ')) / 1000:,.0f} ms")
    heavy = sorted(m for m in HEAVY if m in loaded)
    print(f"heavy modules loaded by `csm today`: {', '.join(heavy) if heavy else 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN QUERY PLAN and bare SQL time per statement")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N")
    parser.add_argument("--imports", action="store_true", help="only the import-time report")
    parser.add_argument("command", nargs="*", default=["today"], help="the csm command and its options")
    args = parser.parse_args()
    if args.imports:
        imports_report()
        return
    instrument()
    took = run(args.size, args.command, args.cprofile)
    print(f"\ncsm {' '.join(args.command)} at {args.size:,} accounts: {took * 1000:,.0f} ms in-process "
          f"(after imports of csm.cli){' [cProfile on]' if args.cprofile else ''}")  # fmt: skip
    print("\nphases (ms, nested: a phase includes those it calls)")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {seconds * 1000:>9,.1f}  {calls[name]:>7,}x  {name}")
    print("\nSQL through the runner (the statement and its rows)")
    by_caller: dict[str, list[float]] = defaultdict(list)
    for caller, _sql, _params, seconds in statements:
        by_caller[caller].append(seconds)
    for caller, times in sorted(by_caller.items(), key=lambda item: -sum(item[1])):
        print(f"  {sum(times) * 1000:>9,.1f}  {len(times):>5}x  {caller}")
    print(f"  {sum(s[3] for s in statements) * 1000:>9,.1f}  total in {len(statements)} statements")
    if args.explain:
        explain(OUT / f"phases-{args.size}.db")


if __name__ == "__main__":
    main()
