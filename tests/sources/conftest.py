"""A real HTTP server on 127.0.0.1 (http.server in a thread) serving calendars and exports the way calendar services
and CRMs do: ETag and Last-Modified with 304s, redirects, errors, sign-in pages, slow and oversized answers, gzip.
Nothing here, nor in the tests, ever talks to anything but loopback."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SHARED, CsmRunner, Run

ICS = SHARED / "corpus" / "ics"
GOOGLE = REPO / "tests" / "corpus" / "google_calendar.ics"  # events on Monday 2027-03-01, the tests' today
OUTLOOK = REPO / "tests" / "corpus" / "outlook_floating.ics"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/calendar; charset=utf-8"
    etag: str | None = None
    last_modified: float | None = None  # a time stamp, sent as Last-Modified
    location: str | None = None  # a redirect's target
    delay: float = 0.0  # seconds before answering (a slow server)
    declared_length: int | None = None  # a Content-Length that is not the body's
    gzip: bool = True  # compressed when the client accepts gzip
    gzipped: bool = False  # the body is gzip already: sent as it is, marked so


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class Server:
    """Routes by path; every request is logged with its headers."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    certificate: Path | None = None  # an https server's own (self-signed) certificate

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | Path, **options: Any) -> str:
        data = body.read_bytes() if isinstance(body, Path) else body
        self.routes[path] = Route(body=data, **options)
        return self.url(path)

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path.split("?")[0] == path]


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def do_GET(self) -> None:
            server.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                server.release.wait(route.delay)
            if route.location is not None:
                self.send_response(route.status or 302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            modified = formatdate(route.last_modified, usegmt=True) if route.last_modified else None
            if route.status == 200 and (
                (route.etag and self.headers.get("If-None-Match") == route.etag)
                or (modified and not route.etag and self.headers.get("If-Modified-Since") == modified)
            ):
                self.send_response(304)
                self.end_headers()
                return
            body = route.body
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.etag:
                self.send_header("ETag", route.etag)
            if modified:
                self.send_header("Last-Modified", modified)
            if route.gzipped or (route.gzip and "gzip" in self.headers.get("Accept-Encoding", "")):
                body = body if route.gzipped else gzip.compress(body, compresslevel=6)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(route.declared_length or len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped: a size limit
                self.wfile.write(body)

    return Handler


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for proxy in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)  # loopback only, whatever the machine's environment says
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()  # slow answers end now
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ok(run: Run) -> Run:
    assert run.code == 0, (run.out, run.err)
    return run


def events(csm: CsmRunner, day: str = "2027-03-01") -> list[str]:
    """The agenda's titles on `day`, read without syncing."""
    return [item["title"] for item in ok(csm("today", "--as-of", day, "--format", "json")).json()["agenda"]]


def config(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def stamp(seconds_ago: float) -> float:
    return time.time() - seconds_ago


@pytest.fixture
def tls_server(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same routes over https on 127.0.0.1, with a self-signed certificate no one trusts (made by openssl)."""
    import os
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is not installed: CI must run the TLS tests (.ci/run installs it)")
        pytest.skip("no openssl to make a certificate with")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    state = Server(routes=server.routes, seen=server.seen, certificate=cert)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
