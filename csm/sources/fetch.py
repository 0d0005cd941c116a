"""A URL source fetched with httpx (imported only when a URL is synced): TLS verified, every wait bounded by the
timeout and the whole fetch by a deadline, redirects followed up to a limit (never from https to http), the body
streamed to a private file within the size limit (gzip unpacked by httpx, the limit counting what it unpacks),
and 304 Not Modified for an unchanged address. Every failure is a SourceError in words, secrets masked."""

from __future__ import annotations

import hashlib
import os
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csm import __version__
from csm.files import create_private
from csm.importers.kinds import sniff
from csm.sources.locations import SourceError, http_url, is_loopback, scrub

if TYPE_CHECKING:
    import httpx

MAX_REDIRECTS = 5
USER_AGENT = f"csm/{__version__} (csm-cli; calendar and export sync)"
ACCEPT = {"calendar": "text/calendar, text/plain;q=0.5, */*;q=0.1"}
ACCEPT_CSV = "text/csv, text/plain;q=0.5, */*;q=0.1"
STATUS_ADVICE = {
    401: "the server asks for a sign-in (401 Unauthorized): put the user and an app password in the address "
    "(https://USER:PASSWORD@host/...), or copy the calendar's secret address again",
    403: "the server refused it (403 Forbidden): a secret address stops working when it is reset or sharing is "
    "turned off; copy the current one from the calendar's settings",
    404: "nothing at that address (404 Not Found): the link was removed, or its secret reset; copy the current "
    "one from the calendar's settings",
    410: "the address is gone (410 Gone): the link was removed; copy the current one from the calendar's settings",
    429: "the server asks csm to slow down (429 Too Many Requests); the next sync tries again",
}


@dataclass(frozen=True)
class Fetched:
    """What the address answered: new content in `path` (with its hash), or `path` None for not modified."""

    path: Path | None
    content_hash: str | None
    etag: str | None
    last_modified: str | None


def fetch(
    location: str,
    *,
    kind: str,
    into: Path,
    limit: int,
    timeout: float,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET the source's address into the file `into`; conditional on what it was last seen as."""
    import logging

    import httpx

    for name in ("httpx", "httpcore"):  # their request logs name the whole address, secret and all
        logging.getLogger(name).setLevel(logging.WARNING)
    deadline = time.monotonic() + timeout
    url = http_url(location)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT.get(kind, ACCEPT_CSV)}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        host = httpx.URL(url).host
        # a server on this machine is reached directly, never through a proxy the environment names
        with httpx.Client(
            timeout=httpx.Timeout(timeout), headers=headers, verify=_tls_context(), trust_env=not is_loopback(host)
        ) as client:
            request = client.build_request("GET", url)
            hops = 0
            while True:
                response = client.send(request, stream=True)
                try:
                    following = response.next_request
                    if following is None:
                        return _answer(response, kind=kind, into=into, limit=limit, deadline=deadline, timeout=timeout)
                    hops += 1
                    if hops > MAX_REDIRECTS:
                        raise SourceError(f"the address redirects more than {MAX_REDIRECTS} times; give the final one")
                    if request.url.scheme == "https" and following.url.scheme == "http":
                        raise SourceError(
                            "the server redirects to an unencrypted http:// address; csm does not follow it "
                            "(the link's secret would travel in clear)"
                        )
                    request = following
                finally:
                    response.close()
    except SourceError as exc:
        raise SourceError(scrub(str(exc), location)) from None
    except httpx.TimeoutException:
        raise SourceError(f"no answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise SourceError(scrub(_reason(exc), location)) from None
    except ssl.SSLError as exc:
        raise SourceError(scrub(f"a secure connection failed ({exc.reason or exc})", location)) from None
    except OSError as exc:
        raise SourceError(scrub(f"the connection failed ({exc.strerror or exc})", location)) from None


def _tls_context() -> ssl.SSLContext | bool:
    """Certificates verified against httpx's authorities (certifi's), or those SSL_CERT_FILE / SSL_CERT_DIR name (a
    company's TLS-inspecting proxy, a server on this machine with an authority of its own), for every address."""
    cafile, capath = os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None
    if cafile is None and capath is None:
        return True
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ValueError) as exc:
        named = " and ".join(n for n in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.environ.get(n))
        reason = getattr(exc, "strerror", None) or exc
        raise SourceError(f"cannot read the certificate authorities that {named} name ({reason})") from None


def _answer(response: httpx.Response, *, kind: str, into: Path, limit: int, deadline: float, timeout: float) -> Fetched:
    status = response.status_code
    if status == 304:
        return Fetched(None, None, response.headers.get("ETag"), response.headers.get("Last-Modified"))
    if status >= 400:
        advice = STATUS_ADVICE.get(status)
        if advice is None:
            what = "the server failed" if status >= 500 else "the server refused it"
            advice = f"{what} ({status} {response.reason_phrase}); the next sync tries again"
        raise SourceError(advice)
    if status != 200:
        raise SourceError(f"the server answered {status} {response.reason_phrase}, not the file")
    declared = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    if declared and declared.isdigit() and not encoded and int(declared) > limit:
        raise SourceError(_too_big(int(declared), limit, kind))
    digest = hashlib.sha256()
    size = 0
    head = b""
    with os.fdopen(create_private(into), "wb") as target:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise SourceError(_too_big(size, limit, kind, at_least=True))
            if time.monotonic() > deadline:
                raise SourceError(f"the answer took longer than {timeout:g} s")
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
            digest.update(chunk)
            target.write(chunk)
    found = sniff(head)
    if size == 0:
        raise SourceError("the server sent an empty answer, not the file")
    if found == "html" or (found is None and "html" in response.headers.get("Content-Type", "").lower()):
        what = "a calendar" if kind == "calendar" else "an export"
        raise SourceError(
            f"the address gave a web page (HTML), not {what}: a sign-in page, or the page that shows the "
            "calendar rather than its iCal (.ics) address? Copy the secret iCal / ICS link instead"
            if kind == "calendar"
            else f"the address gave a web page (HTML), not {what}: a sign-in page? Use the export file's own link"
        )
    return Fetched(into, digest.hexdigest(), response.headers.get("ETag"), response.headers.get("Last-Modified"))


def _too_big(size: int, limit: int, kind: str, *, at_least: bool = False) -> str:
    what = "calendar" if kind == "calendar" else "export"
    # cut off while unpacking: what was read past the limit is only a chunk's read-ahead, so say the limit
    shown = f"over {limit // 1024**2:,}" if at_least else f"{size / 1024**2:,.0f}"
    return f"the {what} is {shown} MB; csm reads a {what} of up to {limit // 1024**2:,} MB" + (
        " (publish a shorter date range)" if kind == "calendar" else ""
    )


def _reason(exc: httpx.HTTPError) -> str:
    """A network failure in a CSM's words: the innermost cause (connection refused, a certificate, a name)."""
    import socket

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"the server's certificate could not be verified ({cause.verify_message or cause.reason})"
        if isinstance(cause, socket.gaierror):
            return "the host name could not be found (no network, or a typo in the address?)"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()  # connection refused, network is unreachable, ...
        cause = cause.__cause__ or cause.__context__
    text = str(exc).strip()
    lowered = text.lower()
    if "connection refused" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return "the host name could not be found (no network, or a typo in the address?)"
    if "certificate" in lowered:
        return f"the server's certificate could not be verified ({text})"
    kind = type(exc).__name__
    if kind == "RemoteProtocolError":
        return f"the server broke off its answer ({text or kind})"
    if kind == "DecodingError":
        return "the server's compressed answer could not be unpacked"
    if kind in ("UnsupportedProtocol", "InvalidURL", "LocalProtocolError"):
        return f"not an address csm can fetch ({text or kind})"
    return f"the request failed ({kind}{': ' + text if text else ''})"
