"""Benchmark `csm today` as a whole process against two floors, at 1,000 / 10,000 / 100,000 accounts (issue 5).

Every case runs in a fresh process of this interpreter: one warm-up run, then N timed runs taken
round-robin across the cases (so a noisy minute hits every case alike); the median is reported.
Targets: 1k <= 2.0x the Typer+Rich floor; 10k <= 1.5x the 1k time; 100k < 1000 ms. The team-book
case of issue 7 (`--mine` with the config naming one of 20 owners) is held to the same targets.

Run: python bench/today.py [--sizes 1000,10000,100000] [--runs 7] [--check] [--timeout 60] [--cold]

--cold adds "today Nk cold": before each run the book's revision is moved (as any import or edit
does), so a stored evaluation cannot be reused; the plain cases time a book unchanged since the
warm-up run, the morning routine's usual case.
Exit code 0 (a report), unless --check and a target fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, MY_OWNER, OUT, account_name, ensure_book

PYTHON = sys.executable
CSM_SCRIPT = Path(PYTHON).with_name("csm")
CSM = [PYTHON, str(CSM_SCRIPT)] if CSM_SCRIPT.exists() else [PYTHON, "-m", "csm"]
SLOW_RUN_S = 5.0  # a case whose warm-up takes longer is timed once, not N times


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    error: str | None = None
    timed_out: bool = False
    once: bool = False  # too slow to repeat: timed once
    before: Callable[[], None] | None = None  # run untimed before each run

    @property
    def median_ms(self) -> float | None:
        if self.timed_out:
            return None
        return statistics.median(self.times) * 1000 if self.times else None


def run_once(case: Case, timeout: float) -> None:
    env = {**os.environ, "CSM_TIMEZONE": "America/New_York", "NO_COLOR": "1", "COLUMNS": "80", **case.env}
    # Users run with cached bytecode: without it every edited module is compiled on each run. The cache goes
    # under bench/out so the measurement leaves the source tree as it was.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    if case.before is not None:
        case.before()
    started = time.perf_counter()
    try:
        done = subprocess.run(
            case.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        case.timed_out = True
        return
    took = time.perf_counter() - started
    if done.returncode != 0:
        case.error = f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()[-300:]}"
        return
    case.times.append(took)


def configs() -> tuple[Path, Path]:
    """An empty config (all owners, no user config leaking in) and one naming csm00 (the team-book case)."""
    OUT.mkdir(parents=True, exist_ok=True)
    everyone = OUT / "config-all.toml"
    everyone.write_text("# bench: defaults only\n")
    mine = OUT / "config-mine.toml"
    mine.write_text(f'owner = "{MY_OWNER}"\n')
    return everyone, mine


def bump_revision(book: str) -> Callable[[], None]:
    """What any change to the book does: move book_state.revision, so a stored evaluation is stale."""

    def bump() -> None:
        connection = sqlite3.connect(book)
        try:
            connection.execute("UPDATE book_state SET revision = revision + 1")
            connection.commit()
        except sqlite3.OperationalError:
            pass  # no book_state yet: nothing is cached
        finally:
            connection.close()

    return bump


def build_cases(sizes: list[int], rebuild: bool, cold: bool) -> list[Case]:
    everyone, mine = configs()
    day = AS_OF.isoformat()
    cases = [
        Case("python -c pass", [PYTHON, "-c", "pass"]),
        Case("floor: typer+rich", [PYTHON, "-c", "import typer, rich.table, sqlite3, json"]),
    ]
    for size in sizes:
        book = str(ensure_book(size, rebuild=rebuild))
        cases.append(
            Case(
                f"today {size // 1000}k",
                [*CSM, "today"],
                {"CSM_DB": book, "CSM_CONFIG": str(everyone), "CSM_AS_OF": day},
            )
        )
        cases.append(
            Case(
                f"today {size // 1000}k --mine",
                [*CSM, "today", "--mine"],
                {"CSM_DB": book, "CSM_CONFIG": str(mine), "CSM_AS_OF": day},
            )
        )
        if cold:
            # its own copy of the book: moving the revision would make the other cases cold too
            cold_book = str(Path(book).with_name(Path(book).stem + "-cold.db"))
            shutil.copyfile(book, cold_book)
            cases.append(
                Case(
                    f"today {size // 1000}k cold",
                    [*CSM, "today"],
                    {"CSM_DB": cold_book, "CSM_CONFIG": str(everyone), "CSM_AS_OF": day},
                    before=bump_revision(cold_book),
                )
            )
        if size == 10_000 and has_prep():
            cases.append(
                Case(
                    "prep 10k",
                    [*CSM, "prep", account_name(1)],
                    {"CSM_DB": book, "CSM_CONFIG": str(everyone), "CSM_AS_OF": day},
                )
            )
    return cases


def has_prep() -> bool:
    done = subprocess.run([*CSM, "prep", "--help"], capture_output=True, check=False)
    if done.returncode != 0:
        print("note: `csm prep --help` failed: no prep command yet, its case is skipped", file=sys.stderr)
    return done.returncode == 0


def measure(cases: list[Case], runs: int, timeout: float) -> None:
    for case in cases:  # warm-up: page cache, .pyc files
        run_once(case, timeout)
        if case.error or case.timed_out:
            continue
        case.once = case.times[0] > SLOW_RUN_S
        case.times.clear()
    for _ in range(runs):
        for case in cases:
            if case.error or case.timed_out or (case.once and case.times):
                continue
            run_once(case, timeout)


def ms(value: float | None, timeout: float) -> str:
    return f">{timeout * 1000:,.0f}" if value is None else f"{value:,.0f}"


def report(cases: list[Case], timeout: float) -> bool:
    by_name = {c.name: c for c in cases}
    floor = by_name["floor: typer+rich"].median_ms
    print(
        f"\ncsm today with CSM_AS_OF={AS_OF} (the book's today; the first run of a day judges the book, later runs read it)  ·  Python {platform.python_version()}  ·  {os.cpu_count()} CPUs"
        f"  ·  load {os.getloadavg()[0]:.2f}  ·  bytecode cache {OUT / 'pycache'}"
    )
    print(f"{'case':<22} {'median ms':>10} {'min ms':>8} {'runs':>5} {'x floor':>8}")
    for case in cases:
        median = case.median_ms
        low = f"{min(case.times) * 1000:,.0f}" if case.times and not case.timed_out else "-"
        ratio = f"{median / floor:.2f}" if median is not None and floor else "-"
        print(f"{case.name:<22} {ms(median, timeout):>10} {low:>8} {len(case.times):>5} {ratio:>8}")
        if case.error:
            print(f"    error: {case.error}")
    print("\ntargets (issue 5; --mine: issue 7)")
    passed = True
    for suffix in ("", " --mine"):
        one, ten, hundred = (by_name.get(f"today {k}k{suffix}") for k in (1, 10, 100))
        checks = []
        if one is not None and floor:
            value = one.median_ms
            checks.append((f"1k{suffix} <= 2.0x floor", value is not None and value <= 2.0 * floor,
                           f"{ms(value, timeout)} ms vs {2.0 * floor:,.0f} ms"))  # fmt: skip
        if one is not None and ten is not None:
            base, value = one.median_ms, ten.median_ms
            ok = base is not None and value is not None and value <= 1.5 * base
            limit = f"{1.5 * base:,.0f}" if base is not None else "?"
            checks.append((f"10k{suffix} <= 1.5x 1k", ok, f"{ms(value, timeout)} ms vs {limit} ms"))
        if hundred is not None:
            value = hundred.median_ms
            checks.append((f"100k{suffix} < 1000 ms", value is not None and value < 1000, f"{ms(value, timeout)} ms"))
        for label, ok, detail in checks:
            passed &= ok
            print(f"  {'PASS' if ok else 'FAIL'}  {label:<24} {detail}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated account counts")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per case (median reported)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run counts as failed")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached books")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="also time each size right after a change to the book (stored evaluation stale)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    cases = build_cases(sizes, args.rebuild, args.cold)
    measure(cases, args.runs, args.timeout)
    passed = report(cases, args.timeout)
    return 1 if args.check and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
