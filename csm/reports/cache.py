"""A cache of the day's worklist, so that `csm today` on an unchanged book reads it instead of judging again.

It is only ever a cache: a pure function of its key (the book and its revision, the day, the scope,
the config, the code), so dropping it at any moment changes no result, only speed. It lives in the
user's cache folder, one private file per book, scope and day the CSM is in (marshal: plain values, no
code), written atomically; files unused for a week are removed. A cache that cannot be read or written
costs speed only.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import time
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from csm.domain.urgency import UrgencyInputs
from csm.reports.items import RiskItem, TodoItem
from csm.reports.worklist import Worklist

if TYPE_CHECKING:
    from csm.config import Config
    from csm.db.book import BookLocation
    from csm.db.runner import Runner
    from csm.db.scope import Scope

FORMAT = 5  # bump when the stored shape changes
KEEP_SECONDS = 7 * 86_400


def cache_folder() -> Path:
    folder = os.environ.get("CSM_CACHE_DIR")
    if folder:
        return Path(folder) / "judged"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("csm")) / "judged"


def code_stamp() -> str:
    """Which csm judged: its version and when its source last changed (an edited rule must not read old results)."""
    from csm import __version__

    package = Path(__file__).resolve().parent.parent
    newest = 0.0
    for folder in (package, package / "db", package / "domain", package / "reports"):
        try:
            with os.scandir(folder) as entries:
                newest = max([newest, *(e.stat().st_mtime for e in entries if e.name.endswith(".py"))])
        except OSError:
            continue
    return f"{__version__}:{newest}:{sys.version_info[:2]}"


def cache_key(*, book: str, revision: int, day: date, scope: str, config: str) -> str:
    text = "\0".join((str(FORMAT), book, str(revision), day.isoformat(), scope, config, code_stamp()))
    return hashlib.sha256(text.encode()).hexdigest()


def _prefix(book: str, scope: str, day: date) -> str:
    return hashlib.sha256(f"{book}\0{scope}\0{day.isoformat()}".encode()).hexdigest()[:24]


def _path(key: str, book: str, scope: str, day: date) -> Path:
    """One file per book, scope and day, named with its key too: a stale entry is never even read."""
    return cache_folder() / f"{_prefix(book, scope, day)}-{key[:24]}.worklist"


def load(key: str, *, book: str, scope: str, day: date) -> Worklist | None:
    """The cached worklist for exactly this key, or None."""
    try:
        stored_key, payload = marshal.loads(_path(key, book, scope, day).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if stored_key != key:
        return None
    try:
        return _thaw(payload)
    except Exception:  # a damaged file of the right key (marshal reads back whatever it was given): judge again
        return None


def save(key: str, worklist: Worklist, *, book: str, scope: str, day: date) -> None:
    """Keep the worklist under its key: a private file, written whole or not at all."""
    path = _path(key, book, scope, day)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(marshal.dumps((key, _freeze(worklist))))
        os.replace(partial, path)
        _prune(path.parent, keep=path, stale=_prefix(book, scope, day))
    except (OSError, ValueError):
        with contextlib.suppress(OSError, UnboundLocalError):
            partial.unlink(missing_ok=True)


def _prune(folder: Path, *, keep: Path, stale: str) -> None:
    """Remove the other entries of this book, scope and day (older revisions), and any unused for a week."""
    cutoff = time.time() - KEEP_SECONDS
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".worklist") or entry.path == str(keep):
                continue
            if entry.name.startswith(stale) or entry.stat().st_mtime < cutoff:
                Path(entry.path).unlink(missing_ok=True)


def _day(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


# A worklist's to-dos are kept column by column (a tuple of each field, days as ordinals): a book's tens of
# thousands of to-dos are frozen and thawed by C loops (attrgetter, zip, map) rather than one by one.
_TODO_FIELDS = ("id", "kind", "title", "account_id", "account", "due", "deferrals", "deferred_until", "reason",
                "rule_key", "owner", "defer_reason", "urgency", "covered_by", "handed_to", "mine",
                "next_meeting")  # fmt: skip
_TODO_DAYS = (_TODO_FIELDS.index("due"), _TODO_FIELDS.index("deferred_until"))  # kept as ordinals
_NO_INPUTS = (None,) * len(UrgencyInputs._fields)


def _freeze(worklist: Worklist) -> tuple[Any, ...]:
    todos = worklist.todos
    columns = [list(column) for column in zip(*map(attrgetter(*_TODO_FIELDS), todos), strict=True)] if todos else []
    for at in _TODO_DAYS if todos else ():
        columns[at] = [_day(value) for value in columns[at]]
    inputs = [list(column) for column in zip(*(t.inputs or _NO_INPUTS for t in todos), strict=True)] if todos else []
    if inputs:
        inputs[1] = [_day(value) for value in inputs[1]]
    scored = [t.inputs is not None for t in todos]
    risks = [
        (r.id, r.account_id, r.account, r.category, r.severity, r.rule, r.evidence, r.first_response, r.escalation,
         r.owner, _day(r.raised_on), r.rule_key)
        for r in worklist.risks
    ]  # fmt: skip
    return (
        worklist.as_of.toordinal(),
        (len(todos), columns, inputs, scored),
        risks,
        worklist.health,
        {account: day.toordinal() for account, day in worklist.renewals.items()},
        [(account, arr, _day(renewal), currency) for account, arr, renewal, currency in worklist.active_accounts],
    )


class _Days(dict[int | None, date | None]):
    """Ordinals read back as days, each made once (a book's to-dos fall on a few hundred days); None stays None."""

    def __missing__(self, ordinal: int | None) -> date | None:
        day = self[ordinal] = None if ordinal is None else date.fromordinal(ordinal)
        return day


def _thaw(payload: tuple[Any, ...]) -> Worklist:
    as_of, (count, columns, inputs, scored), risks, health, renewals, active = payload
    days = _Days()
    todos: list[TodoItem] = []
    if count:
        (tid, kind, title, account_id, account, due, deferrals, deferred_until, reason, rule_key, owner,
         defer_reason, urgency, covered_by, handed_to, mine, next_meeting) = columns  # fmt: skip
        due, deferred_until = [days[o] for o in due], [days[o] for o in deferred_until]
        ikind, idue, *account_terms = inputs
        urgency_inputs = [
            found if kept else None
            for found, kept in zip(
                map(UrgencyInputs, ikind, [days[o] for o in idue], *account_terms), scored, strict=True
            )
        ]
        todos = list(
            map(
                TodoItem, tid, kind, title, account_id, account, due, deferrals, deferred_until, reason, rule_key,
                owner, defer_reason, urgency, urgency_inputs, covered_by, handed_to, mine, next_meeting,
            )
        )  # fmt: skip
        if len(todos) != count:
            raise ValueError("a damaged worklist")
    return Worklist(
        as_of=date.fromordinal(as_of),
        todos=todos,
        risks=[_risk(row, days) for row in risks],
        health=health,  # marshal keeps the int keys and the (score, band) tuples as they were
        renewals={account: day for account, ordinal in renewals.items() if (day := days[ordinal]) is not None},
        active_accounts=[(a, arr, days[renewal], currency) for a, arr, renewal, currency in active],
    )


def _risk(row: tuple[Any, ...], days: _Days) -> RiskItem:
    rid, account_id, account, category, severity, rule, evidence, first, escalation, owner, raised, rule_key = row
    return RiskItem(
        rid, account_id, account, category, severity, rule, evidence, first, escalation, owner, days[raised], rule_key
    )


def book_identity(location: BookLocation) -> str:
    """Names the book in cache keys: its file (a restored copy is a new file) or its server URL."""
    if location.path is not None:
        try:
            info = location.path.stat()
        except OSError:
            return str(location.path)
        return f"{location.path}:{info.st_dev}:{info.st_ino}"
    return location.describe()


def cached_worklist(
    runner: Runner,
    location: BookLocation,
    scope: Scope,
    day: date,
    zone: ZoneInfo,
    config: Config,
    *,
    todos: bool = True,
    keep: bool = True,
) -> Worklist:
    """The day's worklist: from the cache when the book, day, scope, config and code are as they were, else judged
    (and kept for next time). A view of the risks alone (`todos=False`) reads a kept worklist but, judging, leaves
    the to-dos out and keeps nothing (a worklist without its to-dos is not the day's). A look at another day than
    the one the CSM is in (`keep=False`: --as-of) keeps nothing either: the morning comes back to its own day, and a
    script looking at a hundred days would leave a hundred files of the whole book's to-dos."""
    from csm.config import config_stamp
    from csm.db.worklist import book_revision

    book = book_identity(location)
    key = cache_key(book=book, revision=book_revision(runner), day=day, scope=scope.key, config=config_stamp(config))
    found = load(key, book=book, scope=scope.key, day=day)
    if found is not None:
        return found
    from csm.reports.judge import judge

    worklist = Worklist.of(judge(runner, scope, day, zone, config, todos=todos))
    if todos and keep:
        save(key, worklist, book=book, scope=scope.key, day=day)
    return worklist
