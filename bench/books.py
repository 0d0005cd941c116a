"""Benchmark books: N accounts with 2 contacts, 20 tickets, a few interactions each, and a week of calendar.

The schema comes from `csm init` (so it is exactly what migrations create); the rows are bulk-inserted
with stdlib sqlite3 in one transaction, in the storage formats SQLAlchemy writes on SQLite (dates
'YYYY-MM-DD', UTC date-times 'YYYY-MM-DD HH:MM:SS.ffffff', booleans 0/1). Books are cached under
bench/out/ by size and generator version, so reruns start at once.

Run: python bench/books.py [SIZE ...]   (default 1000 10000 100000)
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from csm.domain.matching import normalise_name

AS_OF = date(2027, 3, 1)  # a Monday
ZONE = ZoneInfo("America/New_York")
OWNERS = [f"csm{i:02d}@vendor.example" for i in range(20)]
MY_OWNER = OWNERS[0]
OUT = Path(__file__).resolve().parent / "out"
GENERATOR_VERSION = 3  # bump when the rows change, so cached books are rebuilt
SEED = 20270301

TICKETS_PER_ACCOUNT = 20
INTERACTIONS_PER_ACCOUNT = 3
EVENTS_PER_WEEKDAY = 8

_WORDS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
    "Vandelay",
    "Wonka",
    "Aperture",
    "Massive",
    "Dynamic",
    "Nimbus",
    "Vertex",
    "Summit",
    "Harbor",
    "Pioneer",
    "Quantum",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Litware",
    "Adatum",
    "Proseware",
    "Wingtip",
    "Fourth",
    "Coffee",
    "Lucerne",
    "Margie",
    "Trey",
    "Woodgrove",
    "Alpine",
    "Blue",
    "Yonder",
    "Bluebird",
    "Cascade",
]
_KINDS = ("Robotics", "Logistics", "Health", "Bank", "Foods", "Media", "Energy", "Software", "Labs", "Retail")
_SUFFIXES = ("Inc", "Ltd", "GmbH", "LLC", "SA", "plc", "")
_FIRST = [
    "Maya",
    "Liam",
    "Ana",
    "Omar",
    "Chen",
    "Priya",
    "Lucas",
    "Sofia",
    "Noah",
    "Amara",
    "Ivan",
    "Zoe",
    "Kenji",
    "Lea",
    "Tom",
    "Nia",
]
_LAST = [
    "Okafor",
    "Smith",
    "Garcia",
    "Müller",
    "Chen",
    "Patel",
    "Rossi",
    "Kim",
    "Novak",
    "Silva",
    "Berg",
    "Haddad",
    "Ito",
    "Dubois",
    "Walsh",
    "Costa",
]
_STATUSES_RECENT = ("new", "open", "open", "pending", "hold", "solved", "solved", "closed")
_PRIORITIES = ("low",) * 4 + ("normal",) * 12 + ("high",) * 3 + ("urgent",)
_MEETINGS = ("Weekly sync", "Onboarding check-in", "Roadmap review", "QBR", "Renewal call", "Escalation review")
_INTERNAL = ("Team stand-up", "1:1 with manager", "Pipeline review", "Support sync", "Lunch & learn")


def stamp(moment: datetime) -> str:
    """A UTC date-time as SQLAlchemy stores it on SQLite."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def book_path(size: int) -> Path:
    return OUT / f"book-{size}-v{GENERATOR_VERSION}.db"


def ensure_book(size: int, *, rebuild: bool = False, quiet: bool = False) -> Path:
    """The cached book of `size` accounts, generated first if missing (or `rebuild`)."""
    path = book_path(size)
    for backup in OUT.glob(f"{path.name}.*.bak"):
        backup.unlink()  # csm backs a book up before migrating it; here that is only a disk hog
    if path.exists() and not rebuild:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.db")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), path):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    env = {**os.environ, "CSM_DB": str(partial), "CSM_CONFIG": str(OUT / "no-config.toml")}
    csm = Path(sys.executable).with_name("csm")
    command = [sys.executable, str(csm)] if csm.exists() else [sys.executable, "-m", "csm"]
    subprocess.run([*command, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    counts = fill(partial, size)
    partial.rename(path)
    if not quiet:
        took = time.perf_counter() - started
        rows = ", ".join(f"{n:,} {table}" for table, n in counts.items())
        print(f"generated {path.name} in {took:.1f} s: {rows}", file=sys.stderr)
    return path


def fill(path: Path, size: int) -> dict[str, int]:
    rng = random.Random(SEED + size)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA cache_size = -262144")  # 256 MB: index builds stay in memory
    connection.execute("PRAGMA temp_store = MEMORY")
    counts: dict[str, int] = {}
    connection.execute("BEGIN")
    accounts = list(account_rows(rng, size))
    changes = list(arr_change_rows(rng, accounts))
    counts["accounts"] = insert(connection, "accounts", accounts)
    counts["arr_changes"] = insert(connection, "arr_changes", changes)
    counts["contacts"] = insert(connection, "contacts", contact_rows(rng, size))
    counts["tickets"] = insert(connection, "tickets", ticket_rows(rng, size))
    counts["interactions"] = insert(connection, "interactions", interaction_rows(rng, size))
    counts["interaction_contacts"] = insert(connection, "interaction_contacts", interaction_contact_rows(size))
    counts["calendars"] = insert(connection, "calendars", [calendar_row()])
    counts["calendar_events"] = insert(connection, "calendar_events", event_rows(rng, size))
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return counts


def insert(
    connection: sqlite3.Connection, table: str, rows: Iterator[dict[str, object]] | list[dict[str, object]]
) -> int:
    """executemany in batches of 50,000 rows (one transaction around all of them)."""
    total = 0
    batch: list[tuple[object, ...]] = []
    columns: list[str] | None = None
    sql = ""
    for row in rows:
        if columns is None:
            columns = list(row)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        batch.append(tuple(row.values()))
        if len(batch) >= 50_000:
            connection.executemany(sql, batch)
            total += len(batch)
            batch.clear()
    if batch:
        connection.executemany(sql, batch)
        total += len(batch)
    return total


def account_name(i: int) -> str:
    word = _WORDS[i % len(_WORDS)]
    kind = _KINDS[(i // len(_WORDS)) % len(_KINDS)]
    suffix = _SUFFIXES[i % len(_SUFFIXES)]
    return f"{word} {kind} {i:06d}" + (f" {suffix}" if suffix else "")


def account_arr(rng: random.Random) -> float:
    """Roughly 10% enterprise (>= $100k), 30% mid-market ($20k-100k), 60% SMB."""
    roll = rng.random()
    if roll < 0.10:
        return round(rng.uniform(100_000, 900_000), -2)
    if roll < 0.40:
        return round(rng.uniform(20_000, 99_000), -2)
    return round(rng.uniform(3_000, 19_900), -2)


def account_rows(rng: random.Random, size: int) -> Iterator[dict[str, object]]:
    for i in range(size):
        name = account_name(i)
        renewal = AS_OF + timedelta(days=rng.randint(1, 730))
        years = rng.choice((1, 1, 2, 3))
        contract_start = (
            renewal.replace(year=renewal.year - years)
            if (renewal.month, renewal.day) != (2, 29)
            else (renewal - timedelta(days=365 * years))
        )
        created = datetime.combine(contract_start - timedelta(days=rng.randint(0, 30)), clock(14, 0)) + timedelta(
            seconds=rng.randint(0, 36_000), microseconds=rng.randint(0, 999_999)
        )
        updated = created + timedelta(days=rng.randint(0, 200))
        first_value = contract_start + timedelta(days=rng.randint(5, 45))
        activated = rng.random() < 0.95 and first_value < AS_OF
        yield {
            "id": i + 1,
            "name": name,
            "name_norm": normalise_name(name),
            "segment": None,
            "arr": account_arr(rng),
            "currency": "USD",
            "lifecycle_stage": "onboarding" if years == 1 and rng.random() < 0.1 else "adopted",
            "contract_start": contract_start.isoformat(),
            "renewal_date": renewal.isoformat(),
            "licences": rng.choice((10, 25, 50, 100, 250, 1000)),
            "owner": OWNERS[i * len(OWNERS) // size],
            "first_value_on": first_value.isoformat() if activated else None,
            "churned_on": None,
            "created_at": stamp(created),
            "updated_at": stamp(min(updated, datetime(2027, 2, 28, 12))),
        }


def arr_change_rows(rng: random.Random, accounts: list[dict[str, object]]) -> Iterator[dict[str, object]]:
    """Each account's ARR history: opened on the day it entered the book at an earlier ARR, renewed up, flat or down
    at its last contract start (when that was after it entered), a few expansions since, and one in thirty lost in
    the last quarter (its ARR 0, its stage churned: the account rows are updated to match)."""
    number = 0
    for account in accounts:
        arr = float(account["arr"])  # type: ignore[arg-type]
        entered = date.fromisoformat(str(account["created_at"])[:10])
        start = date.fromisoformat(str(account["contract_start"]))
        steps: list[tuple[date, str, float]] = []
        if start > entered and start <= AS_OF:
            before = round(arr / rng.choice((0.9, 1.0, 1.03, 1.05, 1.08)), -2)
            steps = [(entered, "new", before), (start, "renewal", arr)]
        else:
            steps = [(entered, "new", arr)]
        if rng.random() < 0.1:
            day = AS_OF - timedelta(days=rng.randint(1, 200))
            if day > steps[-1][0]:
                arr = round(arr * rng.uniform(1.05, 1.3), -2)
                steps.append((day, "expansion", arr))
        if rng.random() < 1 / 30:
            day = AS_OF - timedelta(days=rng.randint(1, 90))
            if day > steps[-1][0]:
                steps.append((day, "churn", 0.0))
                account.update(lifecycle_stage="churned", churned_on=day.isoformat())
        account["arr"] = steps[-1][2]
        before_value: float | None = None
        for day, kind, value in steps:
            number += 1
            yield {
                "id": number, "account_id": account["id"], "changed_on": day.isoformat(), "kind": kind,
                "arr_before": before_value, "arr_after": value, "opening": 1 if before_value is None else 0,
                "reason": "budget" if kind == "churn" else None, "note": None,
                "renewal_due": day.isoformat() if kind in ("renewal", "churn") else None,
                "renewed_until": account["renewal_date"] if kind == "renewal" else None,
                "term_months": None, "source": "bench", "opportunity_id": None,
                "recorded_at": stamp(datetime.combine(day, clock(12))),
            }  # fmt: skip
            before_value = value


def account_domain(i: int) -> str:
    return f"{_WORDS[i % len(_WORDS)].lower()}{i:06d}.example"


def contact_rows(rng: random.Random, size: int) -> Iterator[dict[str, object]]:
    created = stamp(datetime(2025, 6, 1, 12))
    for i in range(size):
        domain = account_domain(i)
        for n, role in enumerate(("champion", rng.choice(("exec_sponsor", "user")))):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            yield {
                "id": 2 * i + n + 1,
                "account_id": i + 1,
                "name": f"{first} {last}",
                "email": f"{first}.{last}{n}@{domain}".lower(),
                "title": "VP Operations" if role == "exec_sponsor" else "Operations Manager",
                "role": role,
                "created_at": created,
                "updated_at": created,
            }


def ticket_rows(rng: random.Random, size: int) -> Iterator[dict[str, object]]:
    """20 tickets per account over the past year: recent ones often open, older ones mostly solved."""
    end = datetime.combine(AS_OF, clock(0), tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)
    year = 365 * 86_400
    number = 0
    for i in range(size):
        domain = account_domain(i)
        for _ in range(TICKETS_PER_ACCOUNT):
            number += 1
            age = rng.randint(0, year)
            created = end - timedelta(seconds=age, microseconds=rng.randint(0, 999_999))
            if age < 30 * 86_400:
                status = rng.choice(_STATUSES_RECENT)
            else:
                status = "open" if rng.random() < 0.02 else rng.choice(("solved", "closed"))
            solved = stamp(created + timedelta(hours=rng.randint(1, 240))) if status in ("solved", "closed") else None
            yield {
                "account_id": i + 1,
                "source": "zendesk",
                "external_id": str(100_000 + number),
                "subject": f"Ticket {number}: cannot export report",
                "status": status,
                "priority": rng.choice(_PRIORITIES),
                "requester_email": f"user{number % 7}@{domain}",
                "created_at": stamp(created),
                "solved_at": solved,
            }


def interaction_rows(rng: random.Random, size: int) -> Iterator[dict[str, object]]:
    """A few logged touches per account over the past six months; one in eight accounts had an EBR."""
    number = 0
    for i in range(size):
        for n in range(INTERACTIONS_PER_ACCOUNT):
            number += 1
            day = AS_OF - timedelta(days=rng.randint(1, 180))
            kind = "ebr" if n == 0 and i % 8 == 0 else rng.choice(("call", "email", "meeting"))
            yield {
                "id": number,
                "account_id": i + 1,
                "kind": kind,
                "occurred_on": day.isoformat(),
                "summary": f"{kind} about adoption and next quarter's goals",
                "next_steps": None,
                "attendees": None,
                "created_at": stamp(datetime.combine(day, clock(16, 30))),
            }


def interaction_contact_rows(size: int) -> Iterator[dict[str, object]]:
    """Each interaction had the champion; the EBR also had the second contact."""
    number = 0
    for i in range(size):
        for n in range(INTERACTIONS_PER_ACCOUNT):
            number += 1
            yield {"interaction_id": number, "contact_id": 2 * i + 1}
            if n == 0 and i % 8 == 0:
                yield {"interaction_id": number, "contact_id": 2 * i + 2}


def calendar_row() -> dict[str, object]:
    return {
        "id": 1,
        "name": "work.ics",
        "imported_at": stamp(datetime(2027, 2, 28, 18, 0, tzinfo=UTC)),
        "expanded_from": (AS_OF - timedelta(days=30)).isoformat(),
        "expanded_until": (AS_OF + timedelta(days=365)).isoformat(),
    }


def event_rows(rng: random.Random, size: int) -> Iterator[dict[str, object]]:
    """A week around the as-of day: ~8 meetings a weekday (5 with my accounts, 3 internal), one all-day event."""
    mine = max(1, size // len(OWNERS))  # accounts 1..mine belong to MY_OWNER
    number = 0
    for offset in range(-3, 5):
        day = AS_OF + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for slot in range(EVENTS_PER_WEEKDAY):
            number += 1
            start = datetime.combine(day, clock(9 + slot, 0 if slot % 2 else 30), tzinfo=ZONE)
            end = start + timedelta(minutes=30 if slot % 3 else 60)
            internal = slot % 8 in (0, 3, 6)
            account = None if internal else rng.randint(1, mine)
            attendees = [MY_OWNER] + ([] if internal else [f"champion{slot}@{account_domain((account or 1) - 1)}"])
            title = (
                rng.choice(_INTERNAL) if internal else f"{rng.choice(_MEETINGS)}: {account_name((account or 1) - 1)}"
            )
            yield event(number, title, start, end, day, account, attendees)
    day = AS_OF + timedelta(days=2)
    yield {
        **event(number + 1, "Company kick-off", None, None, day, None, []),
        "all_day": 1,
        "end_date": (day + timedelta(days=1)).isoformat(),
    }


def event(
    number: int,
    title: str,
    start: datetime | None,
    end: datetime | None,
    day: date,
    account: int | None,
    attendees: list[str],
) -> dict[str, object]:
    return {
        "calendar_id": 1,
        "uid": f"event-{number}@bench.example",
        "recurrence_id": None,
        "rrule": None,
        "title": title,
        "location": None,
        "status": "CONFIRMED",
        "all_day": 0,
        "floating": 0,
        "starts_at": stamp(start) if start else None,
        "ends_at": stamp(end) if end else None,
        "start_date": day.isoformat(),
        "end_date": day.isoformat(),
        "attendees": json.dumps(attendees),
        "organizer": MY_OWNER,
        "account_id": account,
        # as a calendar import reads them (csm.domain.meetings): with an account, else nobody but the CSM
        "kind": "customer" if account is not None else "personal",
        "rsvp": "accepted",
    }


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["1000", "10000", "100000"]:
        ensure_book(int(arg), rebuild=True)
