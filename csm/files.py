"""Files csm writes, written the way SQLite and git write theirs: private, atomic, never through a link;
and the files it reads whole (a config, a template), refused when they are a device or too big to be one.

A file is built in a private staging folder (0700) beside its target, flushed to disk, made 0600,
then renamed into place, so a reader (or a crash) sees the old file or the whole new one and never
a part. A folder of files is built aside the same way and renamed whole. Nothing is written through a
symbolic link: a link where the file should go is refused, and the staging folder is csm's own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from csm.errors import InputError

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_STAGING = ".partial"
_STAGE_PID = re.compile(r"\.(\d+)-\w+\.partial$")


def check_readable(path: Path, limit: int, what: str = "file", *, hint: str = "") -> None:
    """Refuse, by what it is and its size, a file that no reader should start on: a device (/dev/zero reads
    forever), a pipe or socket, or more bytes than a `what` ever holds. A missing file passes (the reader
    says so in its own words)."""
    import stat

    try:
        info = path.stat()
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        return
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        raise InputError(f"{path} is a device, not a {what}{hint}")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path} is not a regular file (a pipe or a socket?), so not a {what}{hint}")
    if info.st_size > limit:
        raise InputError(
            f"{path} is {info.st_size / 1024**2:,.1f} MB; csm reads a {what} of up to {limit // 1024**2:,} MB"
        )


def private_folder(folder: Path) -> Path:
    """Create `folder` and any missing parents, each private (0700) whatever the umask."""
    missing = []
    for level in (folder, *folder.parents):
        if os.path.lexists(level):
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue
        os.chmod(level, PRIVATE_FOLDER)
    return folder


def check_target(path: Path, *, overwrite: bool, what: str = "file") -> None:
    """Refuse a target csm must not write: a link, a folder, a file that exists (unless `overwrite`),
    or one whose folder is missing (csm never creates a folder for it by accident)."""
    if path.is_symlink():
        raise InputError(
            f"{path} is a symbolic link; csm does not write through links. Remove it or choose another name"
        )
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a {what} name inside it, such as {path / ('csm-' + what)}")
    if path.exists() and not overwrite:
        raise InputError(f"{path} already exists; choose another name or pass --force to replace it")
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"there is no folder {folder} for {path.name}; create it first or choose another place")


@contextmanager
def staged_file(path: Path, *, overwrite: bool) -> Iterator[Path]:
    """A path to write the new file at; when the block ends it is flushed, made 0600 and renamed to `path`.

    On any error the partial file is removed and `path` is as it was.
    """
    check_target(path, overwrite=overwrite)
    with _staging(path) as stage:
        staged = stage / path.name
        yield staged
        if not staged.exists():
            raise InputError(f"nothing was written for {path}")
        os.chmod(staged, PRIVATE_FILE)
        _fsync(staged)
        _publish(staged, path, overwrite=overwrite)


def write_private(path: Path, data: str | bytes, *, overwrite: bool = False) -> None:
    """Write `data` (UTF-8 if text) to `path` atomically, private to its owner."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with staged_file(path, overwrite=overwrite) as staged:
            descriptor = create_private(staged)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(payload)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def create_private(path: Path) -> int:
    """A new, empty file opened for writing: O_EXCL and O_NOFOLLOW, mode 0600 whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, PRIVATE_FILE)
    with contextlib.suppress(OSError):  # not every filesystem keeps modes (a FAT stick)
        os.fchmod(descriptor, PRIVATE_FILE)
    return descriptor


@contextmanager
def staged_folder(path: Path, *, replace: bool = False) -> Iterator[Path]:
    """A private folder to fill; when the block ends it is renamed to `path` whole.

    An empty folder at `path` is replaced; a full one only when `replace` says so (its old content is
    removed once the new folder is in place).
    """
    if path.is_symlink():
        raise InputError(
            f"{path} is a symbolic link; csm does not write through links. Remove it or choose another name"
        )
    if path.exists() and not path.is_dir():
        raise InputError(f"{path} is a file, not a folder; give the name of a folder to write into")
    if not path.parent.is_dir():
        raise InputError(f"there is no folder {path.parent} for {path.name}; create it first or choose another place")
    full = path.is_dir() and any(path.iterdir())
    if full and not replace:
        raise InputError(f"{path} already holds files; choose a new folder or pass --force to replace it")
    with _staging(path) as stage:
        built = stage / "new"
        built.mkdir(mode=PRIVATE_FOLDER)
        os.chmod(built, PRIVATE_FOLDER)
        yield built
        for item in built.iterdir():
            _fsync(item)
        _fsync(built)
        old = stage / "old"
        if path.is_dir():
            if not replace and any(path.iterdir()):  # another writer filled it meanwhile: never clobber
                raise InputError(f"{path} already holds files; choose a new folder or pass --force to replace it")
            os.rename(path, old)  # an empty or replaced folder steps aside first: rename cannot replace a full one
        try:
            os.rename(built, path)
        except OSError:
            if old.exists():
                os.rename(old, path)
            raise
        _fsync(path.parent)


@contextmanager
def _staging(path: Path) -> Iterator[Path]:
    """A private folder beside `path` (same filesystem, so the final rename is atomic), removed afterwards."""
    folder = path.parent
    remove_abandoned_staging(folder, path.name)
    stage = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}-", suffix=_STAGING, dir=folder))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def remove_abandoned_staging(folder: Path, name: str) -> None:
    """A csm killed while writing a file named `name...` left its staging folder: remove those whose
    process is gone (a backup's name changes with its time stamp, so its book's name is given)."""
    for stage in folder.glob(f".{glob_escape(name)}*{_STAGING}"):
        found = _STAGE_PID.search(stage.name)
        if not found or stage.is_symlink() or not stage.is_dir() or not _ours(stage):
            continue
        if not _alive(int(found.group(1))):
            shutil.rmtree(stage, ignore_errors=True)


def _ours(path: Path) -> bool:
    """Only a folder this user owns is ever removed (a shared /tmp holds other people's)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or path.lstat().st_uid == getuid()


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: not ours to judge
    return True


def _publish(staged: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(staged, path)
    else:
        try:
            os.link(staged, path)  # fails if something appeared at `path` meanwhile: never clobber
        except FileExistsError:
            raise InputError(f"{path} already exists; choose another name or pass --force to replace it") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            if os.path.lexists(path):  # a filesystem without hard links: check, then rename
                raise InputError(f"{path} already exists; choose another name or pass --force") from None
            os.rename(staged, path)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk (a folder's entry is what makes a rename durable)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # folders cannot be flushed on every platform
    finally:
        os.close(descriptor)
