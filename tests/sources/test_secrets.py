"""A secret in a source's address (a query token, user:password, Google's private-... key) is kept in the book to
fetch with, and never shown: not by `source add`, `source list`, `sync`, `today`, their errors, nor `csm export`."""

from __future__ import annotations

from pathlib import Path

import pytest

from csm.sources.locations import masked, scrub
from tests.conftest import CsmRunner
from tests.sources.conftest import GOOGLE, Server, ok

TOKEN = "Zq7Xw3Rt9Yp2Lm5Kd8Vb"
PASSWORD = "hunter2-app-password"
KEY = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        (f"https://calendar.google.com/calendar/ical/jane.doe%40gmail.com/private-{KEY}/basic.ics",
         "https://calendar.google.com/calendar/ical/jane.doe%40gmail.com/private-***/basic.ics"),
        ("https://outlook.office365.com/owa/calendar/0f8fad5bd9cb469fa16570867728950e@contoso.com/"
         "a1b2c3d4e5f60718293a4b5c6d7e8f9012/calendar.ics",
         "https://outlook.office365.com/owa/calendar/***@contoso.com/***/calendar.ics"),
        ("webcal://p52-caldav.icloud.com/published/2/MTg0NjE0NjkxMTg0NjE0NvL-9lRVZabcDEF",
         "webcal://p52-caldav.icloud.com/published/2/***"),
        (f"https://jane:{PASSWORD}@cloud.example.com/remote.php/dav/public-calendars/AbCdEfGh12345678?export",
         "https://***@cloud.example.com/remote.php/dav/public-calendars/***?export"),
        (f"https://example.com/feed.ics?token={TOKEN}&days=30#top", "https://example.com/feed.ics?token=***&days=***#***"),
        ("https://example.com/calendars/team-offsites.ics", "https://example.com/calendars/team-offsites.ics"),
    ],
)  # fmt: skip
def test_every_kind_of_secret_is_masked(address: str, shown: str) -> None:
    assert masked(address) == shown
    assert scrub(f"fetching {address} failed", address) == f"fetching {shown} failed"


def test_no_output_and_no_export_shows_a_secret(csm: CsmRunner, server: Server, tmp_path: Path) -> None:
    server.serve(f"/private-{KEY}/basic.ics", GOOGLE)
    address = f"http://jane:{PASSWORD}@127.0.0.1:{server.port}/private-{KEY}/basic.ics?token={TOKEN}"
    outputs = [ok(csm("source", "add", "calendar", address, "--name", "work"))]
    assert server.requests_to(f"/private-{KEY}/basic.ics")[0].headers["authorization"].startswith("Basic ")
    server.serve(f"/private-{KEY}/basic.ics", b"", status=404)
    outputs += [csm("sync"), csm("sync", "--format", "json"), csm("source", "list"),
                csm("source", "list", "--format", "json"), csm("source", "list", "--format", "md"),
                csm("today", "--format", "json", "--no-sync"), csm("today", "--no-sync"),
                csm("source", "add", "calendar", address, "--name", "work")]  # fmt: skip
    assert "nothing at that address (404 Not Found)" in outputs[1].out
    assert "there is already a source 'work'" in outputs[-1].err
    ok(csm("export", str(tmp_path / "csv")))
    ok(csm("export", "--format", "json", str(tmp_path / "json")))
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "csv").iterdir())
    written += "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "json").iterdir())
    assert "Müller Logistik check-in" in written  # the calendar's data is exported; its address is not
    for text in [written] + [o.out + o.err for o in outputs]:
        for secret in (TOKEN, PASSWORD, KEY, "jane:"):
            assert secret not in text
    assert "private-***" in outputs[3].out.replace("\n", "").replace(" ", "") or "private-***" in outputs[4].out


@pytest.mark.parametrize(
    "address",
    [f"https://jane:{PASSWORD}/x@127.0.0.1/private-{KEY}/basic.ics", f"http://[::1/private-{KEY}?token={TOKEN}"],
)
def test_a_malformed_address_is_refused_without_showing_it(csm: CsmRunner, env: dict[str, str], address: str) -> None:
    run = csm("source", "add", "calendar", address, "--name", "work")
    assert run.code == 1
    assert "csm: error: LOCATION is not an address csm can read (its host or port is malformed)" in run.err
    assert "Traceback" not in run.out + run.err
    for secret in (TOKEN, PASSWORD, KEY, "jane"):
        assert secret not in run.out + run.err
    assert not Path(env["CSM_DB"]).exists()  # refused before anything was written, the book not even created
