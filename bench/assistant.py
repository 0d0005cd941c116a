"""Benchmark `csm mcp` (issue 18) on a bench book: is the server as quick as the command line, and responsive?

One server is started over stdio with the SDK's own client. Each tool call is timed against the same report as
a whole `csm ... --format json` process, round-robin (so a noisy minute hits both alike), and every figure is
also a ratio to a bare Typer+Rich program (`python -c "import typer, rich.table, sqlite3, json"`) timed in the
same run. "cold" cases move the book's revision before each run (as any import or edit does), so the judge runs
in full. "answer during" is the latency of a cheap request (prompts/list) sent while a cold `today` of the whole
book is being judged: the server answers the protocol while a tool works. Start-up is spawn to the answer of `initialize`.

Targets: every tool call at most the time of the same command as a process (ratio <= 1.0: the server pays no
interpreter, import or book-opening cost per call); an answer during a cold judgement <= the floor.

Run: python bench/assistant.py [--size 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books import AS_OF, account_name, ensure_book
from mcp import Client, StdioServerParameters
from today import CSM, PYTHON, bump_revision, configs

FLOOR = [PYTHON, "-c", "import typer, rich.table, sqlite3, json"]


@dataclass
class Case:
    name: str
    tool: str | None  # None: the protocol alone (resources/list)
    arguments: dict[str, Any]
    argv: list[str]  # the same report as a command
    cold: bool = False
    tool_times: list[float] = field(default_factory=list)
    cli_times: list[float] = field(default_factory=list)
    size: int = 0  # bytes of structured content (or of the listing)


def process_time(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def build_cases(size: int) -> list[Case]:
    other_day, account = "2027-04-15", account_name(size // 2)
    return [
        Case("today (warm)", "today", {}, ["today", "-f", "json"]),
        Case("today (cold)", "today", {}, ["today", "-f", "json"], cold=True),
        Case("today --as-of another day", "today", {"as_of": other_day}, ["today", "--as-of", other_day, "-f", "json"]),
        Case("today, every item (cold)", "today", {"limit": None}, ["today", "-f", "json"], cold=True),
        Case("risk (cold)", "risk", {}, ["risk", "-f", "json"], cold=True),
        Case("todo_list (cold)", "todo_list", {}, ["todo", "list", "-f", "json"], cold=True),
        Case("health, the book (cold)", "health", {}, ["health", "-f", "json"], cold=True),
        Case("renewals (cold)", "renewals", {"within": 90}, ["renewals", "--within", "90", "-f", "json"], cold=True),
        Case("prep one account", "prep", {"account": account}, ["prep", account, "-f", "json"]),
        Case("ebr one account", "ebr", {"account": account}, ["ebr", account, "-f", "json"]),
        Case("account_search", "account_search", {"text": "Globex"}, ["account", "search", "Globex", "-f", "json"]),
        Case("resources/list", None, {}, ["account", "list", "-f", "json"]),
    ]


async def serve_and_measure(cases: list[Case], env: dict[str, str], book: str, runs: int) -> dict[str, Any]:
    floor: list[float] = []
    pings: list[float] = []
    started = time.perf_counter()
    params = StdioServerParameters(command=PYTHON, args=[*CSM[1:], "mcp"], env=env)
    async with Client(params, read_timeout_seconds=600) as client:
        start_up = time.perf_counter() - started
        bump = bump_revision(book)
        for round_ in range(runs + 1):  # round 0 warms the page cache, the .pyc files and the worklist cache
            floor.append(process_time(FLOOR, env))
            for case in cases:
                if case.cold:
                    bump()
                else:  # both sides read the day's cached worklist, as every run after the first of a day does
                    process_time([*CSM, *case.argv], env)
                took = time.perf_counter()
                if case.tool is None:
                    listed = await client.list_resources()
                    took = time.perf_counter() - took
                    case.size = len(listed.model_dump_json())
                else:
                    result = await client.call_tool(case.tool, case.arguments)
                    took = time.perf_counter() - took
                    if result.is_error:
                        raise SystemExit(f"{case.name}: {result.content}")
                    case.size = len(result.model_dump_json())
                if case.cold:
                    bump()
                cli = process_time([*CSM, *case.argv], env)
                if round_:
                    case.tool_times.append(took)
                    case.cli_times.append(cli)
            bump()
            judging = asyncio.create_task(client.call_tool("today", {"limit": None}))
            await asyncio.sleep(0.2)  # the judgement is under way on the server's worker thread
            sent = time.perf_counter()
            await client.list_prompts()  # a cheap request (2026-07-28 has no ping)
            if round_:
                pings.append(time.perf_counter() - sent)
            await judging
    return {"floor": floor[1:], "start_up": start_up, "pings": pings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="accounts in the bench book")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (medians reported)")
    args = parser.parse_args()
    source = ensure_book(args.size)
    book = str(source.with_name(source.stem + "-mcp.db"))
    shutil.copyfile(source, book)
    everyone, _mine = configs()
    env = {**os.environ, "CSM_DB": book, "CSM_CONFIG": str(everyone), "CSM_AS_OF": AS_OF.isoformat(),
           "CSM_TIMEZONE": "America/New_York", "NO_COLOR": "1"}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cases = build_cases(args.size)
    figures = asyncio.run(serve_and_measure(cases, env, book, args.runs))
    floor = median_ms(figures["floor"])
    print(f"\ncsm mcp on {args.size:,} accounts, book day {AS_OF}  ·  Python {platform.python_version()}  ·  "
          f"{os.cpu_count()} CPUs  ·  load {os.getloadavg()[0]:.2f}  ·  floor {floor:,.0f} ms")  # fmt: skip
    print(
        f"start-up (spawn to initialize): {figures['start_up'] * 1000:,.0f} ms ({figures['start_up'] * 1000 / floor:.1f}x floor)"
    )
    print(f"{'case':<28} {'tool ms':>9} {'x floor':>8} {'command ms':>11} {'tool/command':>13} {'answer KB':>10}")
    checks: list[tuple[str, bool, str]] = []
    for case in cases:
        tool, cli = median_ms(case.tool_times), median_ms(case.cli_times)
        print(f"{case.name:<28} {tool:>9,.0f} {tool / floor:>8.2f} {cli:>11,.0f} {tool / cli:>13.2f} "
              f"{case.size / 1024:>10,.0f}")  # fmt: skip
        checks.append((f"{case.name} <= its command", tool <= cli, f"{tool / cli:.2f}"))
    ping = median_ms(figures["pings"])
    print(f"{'answer during a cold today':<28} {ping:>9,.1f} {ping / floor:>8.2f}")
    checks.append(("an answer during a judgement <= floor", ping <= floor, f"{ping:.1f} ms"))
    print("\ntargets (issue 18)")
    for label, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<44} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
