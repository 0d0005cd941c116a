"""Where an import's bytes come from: a regular file, or a pipe (`csm import KIND -`, /dev/stdin, `<(...)`)
copied to a private temporary file first. Devices and endless streams are refused by size before any
importer reads them, so `csm import accounts /dev/zero` is an error, not a hang."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from csm.errors import CsmError, InputError

STDIN = "<stdin>"
MAX_FILE_BYTES = 2 * 1024**3  # a CSV export (csm.importers.reading refuses beyond it too)
MAX_PIPED_BYTES = 256 * 1024**2  # what a pipe may bring; a bigger export is saved as a file and named
MAX_CALENDAR_BYTES = 64 * 1024**2  # csm.importers.calendar parses the whole file in memory
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Source:
    path: Path  # what the importer reads: a regular file
    shown: Path  # how messages name it: the file, or <stdin>
    piped: bool


@contextmanager
def import_source(file: Path, *, calendar: bool = False) -> Iterator[Source]:
    """The regular file to import: `file` itself, or what a pipe held, copied aside (and removed afterwards).

    Errors from inside name the pipe as given (<stdin> for '-') rather than the temporary copy.
    """
    limit = MAX_CALENDAR_BYTES if calendar else MAX_FILE_BYTES
    piped = _pipe(file)
    if piped is None:
        check_regular_file(file, limit)
        yield Source(file, file, piped=False)
        return
    shown = STDIN if str(file) in ("-", "/dev/stdin") else str(file)
    with tempfile.TemporaryDirectory(prefix="csm-stdin-") as folder:  # private (0700)
        copy = Path(folder) / ("stdin.ics" if calendar else "stdin.csv")
        _spool(piped, copy, shown, min(limit, MAX_PIPED_BYTES))
        try:
            yield Source(copy, Path(shown), piped=True)
        except CsmError as exc:
            raise type(exc)(str(exc).replace(str(copy), shown)) from None


def check_regular_file(file: Path, limit: int) -> None:
    """Refuse, by what the file is and its size, what no importer should start reading."""
    from csm.files import check_readable

    check_readable(file, limit, "file", hint="; give the export's file (or '-' to read a pipe)")


def _pipe(file: Path) -> BinaryIO | None:
    """The stream to copy when `file` is '-' or names a pipe (/dev/stdin, /dev/fd/N); None for anything else."""
    if str(file) == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("standard input is a terminal; pipe the export in: csm import KIND - < FILE")
        return sys.stdin.buffer
    try:
        info = file.stat()
    except OSError:
        return None
    if not stat.S_ISFIFO(info.st_mode):
        return None
    try:
        return file.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None


def _spool(stream: BinaryIO, copy: Path, shown: str, limit: int) -> None:
    """Copy the pipe into a private file, refusing it as soon as it passes `limit` (an endless stream)."""
    from csm.files import create_private

    written = 0
    try:
        with os.fdopen(create_private(copy), "wb") as target:
            while chunk := stream.read(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise InputError(
                        f"{shown} holds more than {limit // 1024**2:,} MB; save the export to a file and import that"
                    )
                target.write(chunk)
    except OSError as exc:
        raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
