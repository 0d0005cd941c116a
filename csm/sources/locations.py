"""A source's LOCATION: a file, a glob (its newest file), a folder (a vdir of .ics files, or the newest CSV in
it) or an http(s)/webcal URL; how it is shown with its secrets masked; and the local files it names now."""

from __future__ import annotations

import glob
import hashlib
import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from csm.errors import InputError

URL_SCHEMES = ("http", "https", "webcal", "webcals")
MASK = "***"
# a path segment that carries a key rather than a name: long, and digits in it (or mixed case, for base64)
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-.~%+=]+")
_PARTIAL_DOWNLOADS = (".crdownload", ".part", ".partial", ".download", ".tmp")


class SourceError(Exception):
    """Why a source could not be read this time, in words (secrets already masked); its last data stays."""


def is_url(location: str) -> bool:
    return urlsplit(location.strip()).scheme.lower() in URL_SCHEMES and "://" in location


def form_of(location: str) -> str:
    """'url', 'glob', 'folder' or 'file'."""
    if is_url(location):
        return "url"
    if glob.has_magic(location) and not os.path.lexists(location):
        return "glob"
    return "folder" if os.path.isdir(location) else "file"


def stored_location(text: str) -> str:
    """LOCATION as a source keeps it: a URL as given (checked), a path made absolute (~ expanded)."""
    text = text.strip()
    if not text:
        raise InputError("LOCATION is empty; give a file, a glob, a folder or an http(s):// or webcal:// address")
    if "://" in text:
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018  (a port that is not a number raises here, not at every sync)
        except ValueError:  # neither the address nor the reason is shown: a secret could be in either
            raise InputError(
                "LOCATION is not an address csm can read (its host or port is malformed); check how it was copied"
            ) from None
        if any(c.isspace() or ord(c) < 32 for c in text):
            raise InputError(f"{masked(text)} holds spaces or control characters; check how it was copied")
        if parts.scheme.lower() not in URL_SCHEMES:
            raise InputError(
                f"{masked(text)}: csm reads http://, https:// and webcal:// addresses (not {parts.scheme}://)"
            )
        if not parts.hostname:
            raise InputError(f"{masked(text)} names no host")
        return text
    path = Path(os.path.expanduser(text))
    absolute = path if path.is_absolute() else Path.cwd() / path
    location = os.path.normpath(absolute)
    form = form_of(location)
    if form == "glob":
        base = Path(location)
        while glob.has_magic(str(base)):
            base = base.parent
        if not base.is_dir():
            raise InputError(f"there is no folder {shown_path(str(base))} for the pattern {shown_path(location)}")
    elif not os.path.exists(location):
        raise InputError(
            f"there is no file or folder {shown_path(location)}; check the path (a pattern such as "
            "'~/Downloads/report-*.csv' takes the newest file that matches)"
        )
    return location


def http_url(location: str) -> str:
    """The address to fetch: webcal:// is https:// (http:// for a server on this machine)."""
    parts = urlsplit(location.strip())
    scheme = parts.scheme.lower()
    if scheme == "webcals":
        scheme = "https"
    elif scheme == "webcal":
        scheme = "http" if is_loopback(parts.hostname) else "https"
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment))


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Showing a location --------------------------------------------------------------------------------


def masked(location: str) -> str:
    """The location as every output shows it: user:password, query values, a fragment and path segments that
    look like keys (Google's `private-…`, iCloud's and Outlook's tokens) replaced by ***; a home folder as ~."""
    if "://" not in location:
        return shown_path(location)
    parts = urlsplit(location)
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{MASK}@{host}" if "@" in parts.netloc else host
    path = "/".join(_masked_segment(segment) for segment in parts.path.split("/"))
    pairs = [pair.partition("=") for pair in parts.query.split("&") if pair]
    query = "&".join(f"{key}={MASK}" if value else key + sep for key, sep, value in pairs)
    return urlunsplit((parts.scheme, netloc, path, query, MASK if parts.fragment else ""))


def secrets(location: str) -> list[str]:
    """The parts of a location that must never be shown (to scrub them from any message), longest first."""
    if "://" not in location:
        return []
    parts = urlsplit(location)
    found: list[str] = []
    if "@" in parts.netloc:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        found += [userinfo, unquote(userinfo), *[unquote(p) for p in userinfo.split(":", 1)]]
    for segment in parts.path.split("/"):
        if _masked_segment(segment) != segment:
            found += [segment, unquote(segment)]
    for _key, value in parse_qsl(parts.query, keep_blank_values=True):
        if value:
            found += [value, quote(value, safe="")]
    if parts.fragment:
        found.append(parts.fragment)
    return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)  # shorter ones say nothing


def scrub(text: str, location: str) -> str:
    """`text` with the location and each of its secrets replaced by their masked forms."""
    for raw in {location, http_url(location)} if "://" in location else set():
        text = text.replace(raw, masked(location))
    for secret in secrets(location):
        text = text.replace(secret, MASK)
    return text


def shown_path(path: str) -> str:
    home = os.path.expanduser("~")
    if home not in ("", "/") and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home) :]
    return path


def _masked_segment(segment: str) -> str:
    text = unquote(segment)
    if text.lower().startswith("private-") and len(text) > len("private-"):
        return "private-" + MASK  # Google Calendar's secret address
    if "@" in text:  # an address (Outlook's mailbox, Google's calendar id): its local part may be a key
        local, _, domain = text.rpartition("@")
        return f"{MASK}@{domain}" if _looks_like_key(local) else segment
    return MASK if _looks_like_key(text) else segment


def _looks_like_key(text: str) -> bool:
    if len(text) < 16 or not _TOKEN_CHARS.fullmatch(text):
        return False
    digits = sum(c.isdigit() for c in text)
    mixed = any(c.isupper() for c in text) and any(c.islower() for c in text)
    return digits >= 2 or (mixed and len(text) >= 24)


# What a local location names now ----------------------------------------------------------------------


@dataclass
class Found:
    """The local files a source names now: one file, or a vdir's items; what they were seen as."""

    item: Path  # what messages name: the file, or the folder
    files: list[Path]
    fingerprint: str  # size and mtime of each file: equal means unchanged, without reading them
    vdir: bool = False
    skipped: list[str] = field(default_factory=list)


def find_files(location: str, kind: str) -> Found:
    """The file (or a vdir's files) to import from a local location; SourceError when there is none."""
    form = form_of(location)
    suffix = ".ics" if kind == "calendar" else ".csv"
    if form == "glob":
        matches = [Path(p) for p in glob.glob(location) if _is_export(Path(p))]
        if not matches:
            raise SourceError(f"no file matches {shown_path(location)}")
        return _single(_newest(matches))
    if form == "folder":
        folder = Path(location)
        try:
            entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
        except OSError as exc:
            raise SourceError(f"cannot read the folder {shown_path(location)}: {exc.strerror or exc}") from None
        wanted = [p for p in entries if p.suffix.lower() == suffix and _is_export(p)]
        if kind == "calendar":
            return _vdir(folder, wanted, entries)
        if not wanted:
            raise SourceError(f"the folder {shown_path(location)} holds no {suffix} file yet")
        return _single(_newest(wanted))
    path = Path(location)
    if not path.exists():
        raise SourceError(f"there is no file {shown_path(location)} (moved or renamed?)")
    if path.is_dir():
        raise SourceError(f"{shown_path(location)} is now a folder, not a file")
    return _single(path)


def _is_export(path: Path) -> bool:
    """A finished regular file: not a browser's download in progress, not a vdir's temporary item."""
    return not path.name.lower().endswith(_PARTIAL_DOWNLOADS) and path.is_file()


def _newest(paths: list[Path]) -> Path:
    return max(paths, key=lambda p: (_stat(p).st_mtime_ns, p.name))


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as exc:
        raise SourceError(f"cannot read {shown_path(str(path))}: {exc.strerror or exc}") from None


def _single(path: Path) -> Found:
    info = _stat(path)
    return Found(item=path, files=[path], fingerprint=f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}")


def _vdir(folder: Path, items: list[Path], entries: list[Path]) -> Found:
    """A vdir (vdirsyncer, khal): one event per .ics file; the folder is one calendar."""
    if not items:
        collections = sorted(p.name for p in entries if p.is_dir() and any(p.glob("*.ics")))
        if collections:
            shown = ", ".join(collections[:3]) + (", ..." if len(collections) > 3 else "")
            raise SourceError(
                f"the folder {shown_path(str(folder))} holds no .ics files, but its folders {shown} do: each is "
                "one calendar (a vdirsyncer collection); add each as its own source"
            )
        raise SourceError(f"the folder {shown_path(str(folder))} holds no .ics files (has vdirsyncer synced it yet?)")
    listing = hashlib.sha256()
    for path in sorted(items):
        info = _stat(path)
        listing.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\n".encode())
    return Found(item=folder, files=sorted(items), fingerprint="vdir:" + listing.hexdigest(), vdir=True)


def display_name(folder: Path) -> str | None:
    """A vdir's own label (its `displayname` file), if it has one."""
    try:
        text = (folder / "displayname").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    return text.splitlines()[0][:64] if text else None
