"""csm: a Customer Success Manager's day on the command line."""

from __future__ import annotations

try:
    from csm._version import __version__ as __version__  # written by setuptools-scm at build or install
except ImportError:  # a source tree that was never installed
    __version__ = "0.1.0+unknown"


def code_stamp() -> str:
    """What caches are keyed on: the version, and the size and time of every module of this copy of csm,
    so that they move whenever the code does (an editable install changes without a new version)."""
    global _stamp
    if _stamp is None:
        import os

        _stamp = stamp_of(os.path.dirname(__file__), __version__)
    return _stamp


def stamp_of(package: str, version: str) -> str:
    import hashlib
    import os

    digest = hashlib.sha256(version.encode())
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{os.path.relpath(folder, package)}/{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


_stamp: str | None = None
