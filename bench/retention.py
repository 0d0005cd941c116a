"""Benchmark retention (issue 16): `csm metrics`, `csm metrics --by owner`, `csm team` and one owner's 1:1 page on
the bench books, as whole processes, against the bare Typer+Rich floor timed in the same run.

Every case runs on a book whose revision has just moved (as any import or edit moves it), so no cache helps. The
bench books (bench/books.py) give each account an ARR history: opened when it entered the book, a renewal up,
flat or down, a few expansions, and one account in thirty lost in the last quarter. Target: at 10,000 accounts
`csm metrics` and `csm team` well under 2 s.

Run: python bench/retention.py [--sizes 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, MY_OWNER, ensure_book
from judge import Case, measure
from today import CSM, PYTHON, configs

TARGET_MS = 2000.0


def build_cases(sizes: list[int]) -> list[Case]:
    everyone, _mine = configs()
    cases = [Case("floor: typer+rich", [PYTHON, "-c", "import typer, rich.table, sqlite3, json"])]
    for size in sizes:
        book = str(ensure_book(size))
        cold = str(Path(book).with_name(Path(book).stem + "-retention.db"))
        shutil.copyfile(book, cold)
        label = f"{size // 1000}k"
        env = {"CSM_DB": cold, "CSM_CONFIG": str(everyone), "CSM_AS_OF": AS_OF.isoformat()}
        cases += [
            Case(f"metrics {label}", [*CSM, "metrics"], env, cold_book=cold),
            Case(f"metrics json {label}", [*CSM, "metrics", "-f", "json"], env, cold_book=cold),
            Case(
                f"metrics 2026 by owner {label}",
                [*CSM, "metrics", "--period", "2026", "--by", "owner"],
                env,
                cold_book=cold,
            ),
            Case(f"team {label}", [*CSM, "team"], env, cold_book=cold),
            Case(f"team --owner md {label}", [*CSM, "team", "--owner", MY_OWNER, "-f", "md"], env, cold_book=cold),
            Case(f"renewals {label}", [*CSM, "renewals"], env, cold_book=cold),
        ]
    return cases


def report(cases: list[Case]) -> bool:
    floor = next(c for c in cases if c.name.startswith("floor")).median_ms or 1.0
    print(f"\nretention, book day {AS_OF}  ·  Python {platform.python_version()}  ·  {os.cpu_count()} CPUs  ·  "
          f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{'case':<28} {'median ms':>10} {'x floor':>8} {'peak MB':>8}")
    passed = True
    for case in cases:
        median = case.median_ms
        print(f"{case.name:<28} {'-' if median is None else f'{median:,.0f}':>10} "
              f"{'-' if median is None else f'{median / floor:.2f}':>8} {case.peak_mb:>8.0f}")  # fmt: skip
        if case.error:
            print(f"    error: {case.error}")
        if case.name.endswith(" 10k") and case.name.startswith(("metrics", "team")):
            passed = passed and median is not None and median < TARGET_MS
    print(
        f"\ntarget: metrics and team at 10,000 accounts under {TARGET_MS / 1000:.0f} s: {'PASS' if passed else 'FAIL'}"
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="comma-separated account counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported)")
    args = parser.parse_args()
    cases = build_cases([int(s) for s in args.sizes.split(",") if s])
    measure(cases, args.runs)
    return 0 if report(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
