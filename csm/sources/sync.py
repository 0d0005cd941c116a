"""`csm sync` and `csm today`'s own refresh: each source fetched (URLs at once, each in its own thread) or read,
skipped when unchanged, else imported by its kind's importer (all or nothing, accounts before contacts, tickets
and calendars), and what happened recorded on the source. A source that cannot be refreshed keeps its last good
data; the others go on. Meetings are matched to accounts again when accounts or contacts changed."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csm.errors import CsmError
from csm.sources.locations import Found, SourceError, find_files, form_of, masked, scrub, shown_path

if TYPE_CHECKING:
    from csm.cli.state import AppState
    from csm.db.runner import Row

KIND_ORDER = (
    "accounts", "contacts", "opportunities", "tickets", "surveys", "usage", "requests", "plans", "interactions",
    "calendar",
)  # fmt: skip
_EMPTY_CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//csm//vdir//EN\r\nEND:VCALENDAR\r\n"


@dataclass
class Outcome:
    """What one source's sync did: new (its first data), updated, unchanged, failed (why), or skipped (not tried:
    the budget was spent)."""

    name: str
    kind: str
    location: str  # masked
    outcome: str
    reason: str | None = None
    counts: dict[str, int] | None = None  # what this sync imported (None when it imported nothing)
    item: str | None = None  # the file a glob or folder gave
    warnings: list[str] = field(default_factory=list)
    synced_at: datetime | None = None  # what the book holds of it is from then

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


@dataclass
class _Content:
    """New bytes to import: the file, its hash, and what the source was seen as."""

    path: Path
    content_hash: str
    shown: Path
    item: str | None = None
    fingerprint: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Same:
    """Nothing new: what the source is seen as now (to remember), or nothing to remember."""

    state: dict[str, Any] = field(default_factory=dict)


def sync_sources(
    app_state: AppState,
    sources: list[Row],
    *,
    timeout: float,
    budget: float | None = None,
    silent: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Refresh `sources` in dependency order. URL sources are fetched at once, each within `timeout`; with a
    `budget`, no import starts after that many seconds (the rest are skipped, still due). `silent` keeps the
    importers' warnings and invalid rows off stderr (csm today)."""
    from csm.clock import now_utc

    now = now_utc()
    started = time.monotonic()
    ordered = sorted(sources, key=lambda s: (KIND_ORDER.index(s["kind"]) if s["kind"] in KIND_ORDER else 99, s["name"]))
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="csm-sync-", ignore_cleanup_errors=True) as folder:
        downloads = {
            s["id"]: _Download(s, Path(folder), timeout) for s in ordered if form_of(str(s["location"])) == "url"
        }
        for source in ordered:
            if budget is not None and time.monotonic() - started > budget:
                outcome = _outcome(
                    source, "skipped", reason=f"not refreshed this time: the sync's {budget:g} s were spent"
                )
            else:
                outcome = _sync_one(app_state, source, downloads.get(source["id"]), Path(folder), now, silent)
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        if any(o.outcome in ("new", "updated") and o.kind != "calendar" for o in outcomes):
            _rematch(app_state)
    return outcomes


def _outcome(source: Row, outcome: str, **details: Any) -> Outcome:
    details.setdefault("synced_at", source.get("synced_at"))
    return Outcome(name=str(source["name"]), kind=str(source["kind"]), location=masked(str(source["location"])),
                   outcome=outcome, **details)  # fmt: skip


def _sync_one(
    app_state: AppState, source: Row, download: _Download | None, folder: Path, now: datetime, silent: bool
) -> Outcome:
    from csm.db.sources import record

    location = str(source["location"])
    try:
        got = download.wait() if download is not None else _read_local(source, folder)
        if isinstance(got, _Same):
            record(app_state.runner, int(source["id"]), checked_at=now, synced_at=now, outcome="unchanged",
                   error=None, **got.state)  # fmt: skip
            return _outcome(source, "unchanged", synced_at=now, item=got.state.get("item", source.get("item")))
        return _import(app_state, source, got, now, silent)
    except SourceError as exc:
        reason = str(exc)
    except CsmError as exc:
        reason = scrub(str(exc), location)
    except Exception as exc:  # one source must never stop the others, nor the morning
        if app_state.debug:
            raise
        from csm.db.migrate import first_line  # the driver's own line: never a statement's parameters (the data)

        reason = scrub(
            f"unexpected error: {exc.__class__.__name__}: {first_line(exc)} (run csm --debug sync for more)", location
        )
    record(app_state.runner, int(source["id"]), checked_at=now, outcome="failed", error=reason)
    return _outcome(source, "failed", reason=reason)


def _import(app_state: AppState, source: Row, content: _Content, now: datetime, silent: bool) -> Outcome:
    """Import new content with the kind's importer, the source's new state in the same transaction."""
    from sqlalchemy import event

    from csm.cli.imports import run_import
    from csm.db.runner import joined_runner, session_runner
    from csm.db.sources import claim, record

    state = {"item": content.item, "fingerprint": content.fingerprint, "etag": content.etag,
             "last_modified": content.last_modified, "content_hash": content.content_hash}  # fmt: skip
    kind = str(source["kind"])
    source_id = int(source["id"])
    try:
        with app_state.book.session() as session:
            # Another sync of this source waits at the claim for this one to end, then finds the data unchanged. An
            # importer that starts its transaction over (a CSV whose dates need a first pass) claims again.
            current = claim(session_runner(session), source_id, now)
            event.listen(session, "after_begin", lambda _s, _t, connection: claim(joined_runner(connection),
                                                                                  source_id, now))  # fmt: skip
            if current is None:
                raise SourceError("the source was removed while it synced")
            if current["content_hash"] == content.content_hash and current["synced_at"] is not None:
                record(session_runner(session), source_id, synced_at=now, outcome="unchanged", error=None, **state)
                return _outcome(source, "unchanged", synced_at=now, item=content.item)
            report = run_import(
                app_state, kind, content.path, source=str(source["tool"]), mapping=list(source["mapping"]),
                skip_invalid=bool(source["skip_invalid"]), name=str(source["name"]) if kind == "calendar" else None,
                quiet=True, shown=content.shown, session=session, silent=silent, encoding=source["encoding"],
                delimiter=source["delimiter"], date_order=source["date_order"],
            )  # fmt: skip
            counts = {"new": report.new, "updated": report.updated, "unchanged": report.unchanged,
                      "skipped": report.skipped, "invalid": len(report.problems)}  # fmt: skip
            outcome = "new" if current["synced_at"] is None else "updated"
            record(session_runner(session), source_id, synced_at=now, outcome=outcome, error=None, counts=counts,
                   **state)  # fmt: skip
    except CsmError as exc:
        text = (
            str(exc)
            .replace(str(content.path), str(content.shown))
            .replace(
                "fix them or use --skip-invalid", "fix them, or add the source again with --skip-invalid --replace"
            )
        )
        raise SourceError(scrub(text, str(source["location"]))) from None
    return _outcome(source, outcome, counts=counts, item=content.item, synced_at=now,
                    warnings=content.warnings + report.warnings)  # fmt: skip


def _read_local(source: Row, folder: Path) -> _Content | _Same:
    """A file, the newest file of a glob or folder, or a vdir's items: unchanged by size and mtime (not read), or
    by content hash; else the bytes to import."""
    found = find_files(str(source["location"]), str(source["kind"]))
    item = shown_path(str(found.item)) if form_of(str(source["location"])) in ("glob", "folder") else None
    seen = {"fingerprint": found.fingerprint, "item": item}
    if found.fingerprint == source["fingerprint"] and source["content_hash"] and source["synced_at"]:
        return _Same(seen)
    path, digest, warnings = _vdir_file(found, folder, int(source["id"])) if found.vdir else (
        found.files[0], _file_hash(found.files[0]), [])  # fmt: skip
    if digest == source["content_hash"] and source["synced_at"] is not None:
        return _Same(seen)
    return _Content(path=path, content_hash=digest, shown=Path(shown_path(str(found.item))), item=item, fingerprint=found.fingerprint,
                    warnings=warnings)  # fmt: skip


def _file_hash(path: Path) -> str:
    from csm.importers.streams import MAX_FILE_BYTES, check_regular_file

    check_regular_file(path, MAX_FILE_BYTES)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise SourceError(f"cannot read {shown_path(str(path))}: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _vdir_file(found: Found, folder: Path, source_id: int) -> tuple[Path, str, list[str]]:
    """A vdir's items as one calendar file (the importer merges the VCALENDARs of one file); an item that is not a
    whole calendar (cut off while being written) is left out and named."""
    from csm.files import create_private
    from csm.importers.streams import MAX_CALENDAR_BYTES

    target = folder / f"{source_id}-vdir.ics"
    digest = hashlib.sha256()
    warnings: list[str] = []
    size = 0
    with os.fdopen(create_private(target), "wb") as out:
        for path in found.files:
            try:
                data = path.read_bytes()
            except OSError as exc:
                warnings.append(f"left out {path.name}: {exc.strerror or exc}")
                continue
            if not data.rstrip().upper().endswith(b"END:VCALENDAR"):
                warnings.append(f"left out {path.name}: not a whole calendar item")
                continue
            size += len(data)
            if size > MAX_CALENDAR_BYTES:
                raise SourceError(
                    f"the folder's .ics files hold over {MAX_CALENDAR_BYTES // 1024**2} MB; csm reads a calendar of "
                    "up to that"
                )
            data = data.rstrip() + b"\r\n"
            digest.update(data)
            out.write(data)
        if size == 0:
            out.write(_EMPTY_CALENDAR)
            digest.update(_EMPTY_CALENDAR)
    return target, digest.hexdigest(), warnings


class _Download:
    """A URL source fetched in a thread of its own, so that every source's wait runs at once; the thread is a
    daemon, so an answer that never ends is left behind rather than waited for."""

    def __init__(self, source: Row, folder: Path, timeout: float) -> None:
        self.source = source
        self.timeout = timeout
        self.started = time.monotonic()
        self.result: _Content | _Same | SourceError | None = None
        self.thread = threading.Thread(target=self._run, args=(folder,), daemon=True)
        self.thread.start()

    def _run(self, folder: Path) -> None:
        from csm.importers.streams import MAX_CALENDAR_BYTES, MAX_PIPED_BYTES
        from csm.sources.fetch import fetch

        source = self.source
        location = str(source["location"])
        calendar = source["kind"] == "calendar"
        known = bool(source["content_hash"]) and source["synced_at"] is not None  # ask "changed?" only then
        try:
            got = fetch(
                location, kind=str(source["kind"]), into=folder / f"{source['id']}.{'ics' if calendar else 'csv'}",
                limit=MAX_CALENDAR_BYTES if calendar else MAX_PIPED_BYTES, timeout=self.timeout,
                etag=source["etag"] if known else None, last_modified=source["last_modified"] if known else None,
            )  # fmt: skip
        except SourceError as exc:
            self.result = exc
            return
        except Exception as exc:  # a thread's failure is reported by the source, never lost
            self.result = SourceError(scrub(f"unexpected error: {exc.__class__.__name__}: {exc}", location))
            return
        if got.path is None or (known and got.content_hash == source["content_hash"]):
            self.result = _Same({"etag": got.etag, "last_modified": got.last_modified})
        else:
            label = f"{source['kind']} source '{source['name']}'"
            self.result = _Content(path=got.path, content_hash=str(got.content_hash), shown=Path(label),
                                   etag=got.etag, last_modified=got.last_modified)  # fmt: skip

    def wait(self) -> _Content | _Same:
        self.thread.join(max(0.0, self.timeout + 0.5 - (time.monotonic() - self.started)))
        result = self.result
        if self.thread.is_alive() or result is None:
            raise SourceError(f"no answer within {self.timeout:g} s")
        if isinstance(result, SourceError):
            raise result
        return result


def _rematch(app_state: AppState) -> None:
    from csm.db.calendars import rematch_in

    with app_state.book.session() as session:
        rematch_in(session, app_state.config)
