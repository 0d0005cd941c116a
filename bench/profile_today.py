"""Where `csm today` spends its time on a bench book: phases, each SQL query, query plans, imports.

Runs the real command in-process (Typer app, stdout to /dev/null) with timers wrapped around the
engine's phases and around the SQLite runner, patched in this process only (csm/ is not edited).

Run: python bench/profile_today.py [--size 100000] [--mine] [--linear-urgency] [--explain] [--cprofile 30]
     python bench/profile_today.py --imports     (import-time top list and the heavy-module check)

--linear-urgency hands score_todo only the to-do's own account's risks (same result, O(n) instead of
O(todos x risks)), so a book too big for the quadratic loop can still be profiled past it.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import inspect
import io
import os
import pstats
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, MY_OWNER, OUT, ensure_book

HEAVY = ("pydantic", "sqlalchemy", "sqlmodel", "alembic", "jinja2", "icalendar", "rapidfuzz", "dateutil",
         "recurring_ical_events", "platformdirs")  # fmt: skip
PHASES = {
    "csm.reports.engine": ["evaluate", "book_facts", "health_of", "health_before", "risks_for", "todos_for",
                           "reconcile_risks", "reconcile_todos", "score_todo"],
    "csm.db.queries": ["last_touches", "exec_at_ebr", "stakeholders", "support_counts", "survey_facts",
                       "usage_facts", "plan_items", "pipeline", "requested_features", "account_rows", "book_flags"],
    "csm.reports.today": ["today_report", "agenda", "summary", "hints", "todo_out", "risk_out", "visible_todos"],
    "csm.render.today": ["render_today"],
}  # fmt: skip

totals: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
queries: list[tuple[str, str, dict[str, Any], float, int]] = []  # caller, sql, params, seconds, rows


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


def instrument(linear_urgency: bool) -> None:
    for module_name, names in PHASES.items():
        module = importlib.import_module(module_name)
        for name in names:
            if hasattr(module, name):
                setattr(module, name, timed(f"{module_name.split('.')[-1]}.{name}", getattr(module, name)))
    from csm.db.runner import SqliteRunner

    original_rows = SqliteRunner.rows

    def rows(self: Any, sql: str, params: Any = None) -> Any:
        started = time.perf_counter()
        result = original_rows(self, sql, params)
        caller = sys._getframe(1).f_code.co_name
        queries.append((caller, sql, dict(params or {}), time.perf_counter() - started, len(result)))
        return result

    SqliteRunner.rows = rows  # type: ignore[method-assign]
    if linear_urgency:
        engine = importlib.import_module("csm.reports.engine")
        score = engine.score_todo
        if "risks" not in inspect.signature(score).parameters:
            print("note: score_todo no longer takes the risk list: --linear-urgency not needed, not applied")
            return
        by_list: dict[int, dict[int, list[Any]]] = {}

        def score_todo(todo: Any, account: Any, health: Any, risks: list[Any], *rest: Any) -> Any:
            grouped = by_list.get(id(risks))
            if grouped is None:
                grouped = by_list[id(risks)] = defaultdict(list)
                for risk in risks:
                    grouped[risk.account_id].append(risk)
            own = grouped.get(account.id, []) if account is not None else []
            return score(todo, account, health, own, *rest)

        engine.score_todo = score_todo


def run_today(size: int, mine: bool, profile_top: int) -> float:
    book = ensure_book(size)
    config = OUT / ("config-mine.toml" if mine else "config-all.toml")
    config.write_text(f'owner = "{MY_OWNER}"\n' if mine else "# bench: defaults only\n")
    os.environ.update(CSM_DB=str(book), CSM_CONFIG=str(config), CSM_TIMEZONE="America/New_York", NO_COLOR="1")
    from csm.cli import app

    argv = ["today", "--as-of", AS_OF.isoformat(), *(["--mine"] if mine else [])]
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
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(profile_top)
        print("\ncProfile, by own time (profiler overhead inflates Python loops ~2x):")
        print("\n".join(line[:160] for line in out.getvalue().splitlines() if line.strip()))
    return took


def explain(book: Path) -> None:
    """Re-run each captured query bare (tuples, no dicts) for its pure SQL time, and show its plan."""
    import sqlite3

    from csm.db.runner import _sqlite_value

    connection = sqlite3.connect(book)
    print("\nQuery plans (pure SQL time: the query re-run with plain tuples)")
    for caller, sql, params, _seconds, _count in queries:
        values = {k: _sqlite_value(v) for k, v in params.items()}
        started = time.perf_counter()
        connection.execute(sql, values).fetchall()
        bare = (time.perf_counter() - started) * 1000
        print(f"\n-- {caller}: {bare:,.1f} ms bare")
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
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--mine", action="store_true", help="the team-book case: config owner csm00, --mine")
    parser.add_argument("--linear-urgency", action="store_true", help="see the module docstring")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN QUERY PLAN and bare SQL time per query")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N")
    parser.add_argument("--imports", action="store_true", help="only the import-time report")
    args = parser.parse_args()
    if args.imports:
        imports_report()
        return
    instrument(args.linear_urgency)
    took = run_today(args.size, args.mine, args.cprofile)
    print(f"\ncsm today at {args.size:,} accounts{' --mine' if args.mine else ''}: {took * 1000:,.0f} ms in-process "
          f"(after imports of csm.cli){' [cProfile on]' if args.cprofile else ''}")  # fmt: skip
    print("\nphases (ms, nested: a phase includes those it calls)")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {seconds * 1000:>9,.1f}  {calls[name]:>7,}x  {name}")
    print("\nSQL through the runner (execute + sqlite3.Row + dict per row)")
    for caller, _sql, _params, seconds, count in sorted(queries, key=lambda q: -q[3]):
        print(f"  {seconds * 1000:>9,.1f}  {count:>8,} rows  {caller}")
    print(f"  {sum(q[3] for q in queries) * 1000:>9,.1f}  total in {len(queries)} queries")
    if args.explain:
        explain(ensure_book(args.size))


if __name__ == "__main__":
    main()
