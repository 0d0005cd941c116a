"""What every command shares: the chosen book and config, the time zone, and "today"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from pathlib import Path

    from csm.config import Config
    from csm.db.book import Book, BookLocation
    from csm.db.runner import Runner
    from csm.db.scope import Scope


@dataclass
class AppState:
    """What one run of the command line knows: the global options, and the book, config and day it opened."""

    db: str | None = None
    config_file: str | None = None
    debug: bool = False
    pinned_today: date | None = None  # the demo's fixed date
    unowned_left_out: int = 0  # accounts with no owner a team book's --mine scope left out
    others_left_out: int = 0  # accounts of other owners the --mine scope left out
    _config: Config | None = field(default=None, repr=False)
    _book: Book | None = field(default=None, repr=False)
    _runner: Runner | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            from csm.config import config_path, load_config

            self._config = load_config(config_path(self.config_file))
        return self._config

    @property
    def location(self) -> BookLocation:
        from csm.db.book import locate_book

        return locate_book(self.db)

    @property
    def book(self) -> Book:
        """The book, migrated on first use; a missing book is an error (commands that only read never make one)."""
        if self._book is None:
            from csm.db.book import open_book

            self._book = open_book(self.location, create=False)
        return self._book

    @contextmanager
    def book_to_add_to(self, *, dry_run: bool) -> Iterator[Book]:
        """The book an import adds to, made if missing; a dry run on a SQLite book not made yet counts against an
        empty book aside instead (removed after), so that "nothing written" leaves no new file either."""
        location = self.location
        missing = location.path is not None and not location.path.exists() and location.path.parent.is_dir()
        if not (dry_run and missing):  # (a mistyped folder is refused by create_book, dry run or not)
            with self.adding() as book:
                yield book
            return
        import tempfile
        from pathlib import Path

        from csm.db.book import BookLocation, open_book

        with tempfile.TemporaryDirectory(prefix="csm-dry-run-") as folder:
            path = Path(folder) / "book.db"
            aside = open_book(BookLocation(url=f"sqlite:///{path}", path=path), create=True)
            self._book = aside
            try:
                yield aside
            finally:
                self._book = None
                aside.close()

    @contextmanager
    def adding(self) -> Iterator[Book]:
        """The book to add to, made if missing; if what is added is refused, a book made for it is removed again,
        so a failed first import or `account add` leaves no empty book behind to be found the next time."""
        path = self.location.path
        made = path is not None and not path.exists()
        book = self.create_book()
        try:
            yield book
        except BaseException:
            if made and path is not None:
                self._discard(path)
            raise

    def _discard(self, path: Path) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        for part in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
            part.unlink(missing_ok=True)

    def create_book(self, *, folder: bool = False) -> Book:
        """The book, created if missing: for the commands that add data (init, demo, import, restore, account
        add). `folder` creates a missing folder too (`csm init`, `csm demo`); others refuse a mistyped one."""
        if self._book is None:
            from csm.db.book import open_book

            self._book = open_book(self.location, create=True, create_folder=True if folder else None)
        return self._book

    @property
    def runner(self) -> Runner:
        """The light SQL runner for reports: stdlib sqlite3 on a SQLite book (no SQLAlchemy import)."""
        if self._runner is None:
            from csm.db.runner import open_runner

            self._runner = open_runner(self.location)
        return self._runner

    def scope(self, *, mine: bool | None = None, owner: str | None = None, account_id: int | None = None) -> Scope:
        """Which accounts a report covers: --owner, else --mine (the default when the config names you), else all.

        Your accounts are those the config's owner and aliases hold; in a personal book (no other owner in it) the
        accounts with no owner are yours too. In a team book they are no one's: `unowned_left_out` counts them."""
        from csm.db.scope import Scope, owner_counts

        config = self.config
        if owner is not None:
            return Scope(owners=(owner.lower(),), account_id=account_id)
        if config.owner is not None and (mine if mine is not None else True):
            owners = (config.owner, *config.owner_aliases)
            if account_id is not None:
                return Scope(owners=owners, account_id=account_id, unowned=True)
            others, unowned = owner_counts(self.runner, owners)
            self.unowned_left_out = unowned if others else 0
            self.others_left_out = others
            return Scope(owners=owners, unowned=others == 0)
        return Scope(account_id=account_id)

    @property
    def zone(self) -> ZoneInfo:
        name = self.config.timezone or _system_zone_name()
        try:
            return ZoneInfo(name)
        except Exception:
            return ZoneInfo("UTC")

    def today(self, as_of: date | None = None) -> date:
        """--as-of if given, else CSM_AS_OF, else today's date in the configured zone (the only read of the clock)."""
        if as_of is not None:
            return as_of
        if self.pinned_today is not None:
            return self.pinned_today
        pinned = os.environ.get("CSM_AS_OF")
        if pinned:
            from csm.errors import InputError
            from csm.limits import FIRST_DAY, LAST_DAY

            try:
                day = date.fromisoformat(pinned.strip())
            except ValueError:
                raise InputError(f"CSM_AS_OF={pinned!r} is not a date; use YYYY-MM-DD") from None
            if not FIRST_DAY <= day <= LAST_DAY:
                raise InputError(
                    f"CSM_AS_OF={pinned!r} is out of range; csm takes dates from {FIRST_DAY} to {LAST_DAY}"
                )
            self.pinned_today = day
            return self.pinned_today
        return datetime.now(self.zone).date()

    def pin_today(self, day: date) -> None:
        """Treat `day` as today everywhere, record stamps included (the demo's fixed date)."""
        from csm import clock

        self.pinned_today = day
        clock.pin(day)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None
        if self._book is not None:
            self._book.close()
            self._book = None


def _system_zone_name() -> str:
    """The system's time zone as tzlocal finds it (TZ, /etc/timezone, /etc/localtime, the Windows registry)."""
    import warnings

    from tzlocal import get_localzone_name

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tzlocal warns when TZ and the system disagree: TZ wins, as it should
            return get_localzone_name() or "UTC"
    except Exception:  # no zone can be found at all (a bare container): UTC, as the clock itself is
        return "UTC"


_current = AppState()


def set_state(new: AppState) -> None:
    """Called once per invocation by the top-level callback with the global options."""
    from csm import clock

    global _current
    _current = new
    pinned = os.environ.get("CSM_AS_OF", "").strip()
    try:
        day = date.fromisoformat(pinned) if pinned else None
    except ValueError:
        day = None  # today() reports the bad value when a command needs the date
    from csm.limits import day_in_range

    clock.pin(day if day is not None and day_in_range(day) else None)


def state() -> AppState:
    """The AppState of the running command."""
    return _current
