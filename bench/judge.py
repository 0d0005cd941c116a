"""Benchmark the judge (issue 10): every reporting command on a changed book, as whole processes, against the floor.

Every case runs in a fresh process of this interpreter, round-robin across the cases (so a noisy minute hits
them alike); the median is reported as a ratio to a bare Typer+Rich program (`python -c "import typer,
rich.table, sqlite3, json"`) timed in the same run. Cases marked "cold" move the book's revision before each
run, as any import or edit does, so no cached worklist can answer: the judge runs in full every time. "facts
alone" times the fact-sheet queries without any rule (the limit the judge can approach), and "warm today" the
morning's usual case, an unchanged book. Peak memory is each process's maximum resident set.

Targets: at 10,000 accounts every cold case <= 6x the floor; warm today at 1,000 <= 2.0x the floor and at
10,000 <= 1.5x the 1,000 figure; at 100,000 every cold case under 3 s and 500 MB.

Run: python bench/judge.py [--sizes 1000,10000,100000] [--runs 5] [--check]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, OUT, ensure_book
from today import CSM, PYTHON, bump_revision, configs

CACHE = OUT / "cache"

TIMEOUT_S = 120.0
FACTS_ALONE = """
import sys
from zoneinfo import ZoneInfo
from datetime import date
from csm.config import Config
from csm.db import findings
from csm.db.facts import LocalDays
from csm.db.runner import SqliteRunner
from csm.db.scope import Scope
from csm.db.sheet import fact_sheet, has_tickets
from csm.reports.judge import paused_gc
runner, zone = SqliteRunner(sys.argv[1]), ZoneInfo("America/New_York")
with paused_gc(), fact_sheet(runner, Scope(), date.fromisoformat(sys.argv[2]), zone, Config()) as params:
    days = LocalDays(zone)
    findings.accounts(runner)
    findings.date_rows(runner, params)
    list(findings.plan_items(runner, params))
    list(findings.people(runner, params, days))
    findings.risk_rows(runner, params, days, has_tickets(runner))
"""


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cold_book: str | None = None  # move this book's revision before each run
    times: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    error: str | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times) * 1000 if self.times else None


def run_once(case: Case) -> None:
    env = {**os.environ, "CSM_TIMEZONE": "America/New_York", "NO_COLOR": "1", "COLUMNS": "80", **case.env}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["CSM_CACHE_DIR"] = str(CACHE)  # the bench's own, emptied at its start: a user's holds a few files
    if case.cold_book:
        bump_revision(case.cold_book)()
    started = time.perf_counter()
    process = subprocess.Popen(case.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watchdog = threading.Timer(TIMEOUT_S, process.kill)
    watchdog.start()
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage: its peak memory
    took = time.perf_counter() - started
    watchdog.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        case.error = f"exit {process.returncode}: {stderr.decode(errors='replace').strip()[-300:]}"
        return
    case.times.append(took)
    case.peak_mb = max(case.peak_mb, usage.ru_maxrss / 1024)  # Linux reports kilobytes


def build_cases(sizes: list[int]) -> list[Case]:
    everyone, _mine = configs()
    day = AS_OF.isoformat()
    other_day = "2027-04-15"
    cases = [Case("floor: typer+rich", [PYTHON, "-c", "import typer, rich.table, sqlite3, json"])]
    for size in sizes:
        book = str(ensure_book(size))
        cold = str(Path(book).with_name(Path(book).stem + "-judge.db"))
        shutil.copyfile(book, cold)
        label = f"{size // 1000}k"
        env = {"CSM_DB": cold, "CSM_CONFIG": str(everyone), "CSM_AS_OF": day}
        warm_env = {"CSM_DB": book, "CSM_CONFIG": str(everyone), "CSM_AS_OF": day}
        cases.append(Case(f"warm today {label}", [*CSM, "today"], warm_env))
        if size == min(sizes) and size < 10_000:
            continue
        cases += [
            Case(f"facts alone {label}", [PYTHON, "-c", FACTS_ALONE, cold, day]),
            Case(f"today, changed {label}", [*CSM, "today"], env, cold_book=cold),
            Case(
                f"today --as-of json {label}", [*CSM, "today", "--as-of", other_day, "-f", "json"], env, cold_book=cold
            ),
            Case(f"risk {label}", [*CSM, "risk"], env, cold_book=cold),
            Case(f"risk json {label}", [*CSM, "risk", "-f", "json"], env, cold_book=cold),
            Case(f"todo list {label}", [*CSM, "todo", "list"], env, cold_book=cold),
            Case(f"health json {label}", [*CSM, "health", "-f", "json"], env, cold_book=cold),
            Case(f"renewals {label}", [*CSM, "renewals"], env, cold_book=cold),
        ]
    return cases


def measure(cases: list[Case], runs: int) -> None:
    shutil.rmtree(CACHE, ignore_errors=True)
    for case in cases:  # warm-up: page cache, .pyc files, migrations
        run_once(case)
        case.times.clear()
    for _ in range(runs):
        for case in cases:
            if not case.error:
                run_once(case)


def report(cases: list[Case]) -> bool:
    floor = next(c for c in cases if c.name.startswith("floor")).median_ms or 1.0
    print(f"\nthe judge, book day {AS_OF}  ·  Python {platform.python_version()}  ·  {os.cpu_count()} CPUs  ·  "
          f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{'case':<28} {'median ms':>10} {'x floor':>8} {'peak MB':>8}")
    for case in cases:
        median = case.median_ms
        shown = "-" if median is None else f"{median:,.0f}"
        ratio = "-" if median is None else f"{median / floor:.2f}"
        print(f"{case.name:<28} {shown:>10} {ratio:>8} {case.peak_mb:>8.0f}")
        if case.error:
            print(f"    error: {case.error}")
    checks: list[tuple[str, bool, str]] = []
    by_name = {c.name: c for c in cases}
    for case in cases:
        median = case.median_ms
        if case.name.endswith(" 10k") and not case.name.startswith(("warm", "facts")):
            checks.append(
                (f"{case.name} <= 6x floor", median is not None and median <= 6 * floor, f"{median or 0:,.0f} ms")
            )
        if case.name.endswith(" 100k") and not case.name.startswith(("warm", "facts")):
            checks.append((f"{case.name} < 3 s", median is not None and median < 3000, f"{median or 0:,.0f} ms"))
    one, ten = by_name.get("warm today 1k"), by_name.get("warm today 10k")
    if one and one.median_ms:
        checks.append(("warm today 1k <= 2.0x floor", one.median_ms <= 2 * floor, f"{one.median_ms:,.0f} ms"))
        if ten and ten.median_ms:
            checks.append(
                ("warm today 10k <= 1.5x 1k", ten.median_ms <= 1.5 * one.median_ms, f"{ten.median_ms:,.0f} ms")
            )
    print("\ntargets (issue 10)")
    for label, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<34} {detail}")
    return all(ok for _, ok, _ in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated account counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    args = parser.parse_args()
    cases = build_cases([int(s) for s in args.sizes.split(",") if s])
    measure(cases, args.runs)
    passed = report(cases)
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
