"""Calendar subscriptions over HTTP, against a real server on 127.0.0.1: the corpus calendars served, changed and
taken down; 304s by ETag and by Last-Modified; redirects (limited, never down to http); 401/403/404 of an expired
secret link; a sign-in page; a slow server; oversized and gzip-bomb bodies; gzip; TLS verified (a self-signed server
refused until SSL_CERT_FILE names its authority) and https never followed down to http."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from tests.conftest import CsmRunner
from tests.sources.conftest import GOOGLE, ICS, OUTLOOK, Route, Server, closed_port, config, events, ok

MONDAY = ["Working from Lisbon", "Müller Logistik check-in", "Weekly sync"]  # tests/corpus/google_calendar.ics


def test_a_calendar_address_is_imported_then_unchanged_by_etag_then_updated(csm: CsmRunner, server: Server) -> None:
    url = server.serve("/work.ics", GOOGLE, etag='"v1"')
    added = ok(csm("source", "add", "calendar", url, "--name", "work"))
    assert "calendar 'work': new" in added.out
    assert events(csm) == MONDAY
    again = ok(csm("sync"))
    assert again.out.strip() == "calendar 'work': unchanged"
    assert server.requests_to("/work.ics")[-1].headers["if-none-match"] == '"v1"'
    changed = GOOGLE.read_bytes().replace(
        b"SUMMARY:M\xc3\xbcller Logistik check-in", b"SUMMARY:Renewal with M\xc3\xbcller"
    )
    server.serve("/work.ics", changed, etag='"v2"')
    updated = ok(csm("sync", "work"))
    assert updated.out.startswith("calendar 'work': updated")
    assert events(csm) == ["Working from Lisbon", "Renewal with Müller", "Weekly sync"]
    listed = ok(csm("source", "list", "--format", "json")).json()
    assert [(s["name"], s["kind"], s["outcome"], s["fresh"], s["form"]) for s in listed] == [
        ("work", "calendar", "updated", True, "url")
    ]
    assert listed[0]["synced_at"] == "2027-03-01T12:00:00+00:00"  # the CLI's clock (CSM_AS_OF), not the wall's


def test_last_modified_alone_makes_an_unchanged_answer_a_304(csm: CsmRunner, server: Server) -> None:
    url = server.serve("/home.ics", OUTLOOK, last_modified=time.time() - 3600)
    ok(csm("source", "add", "calendar", url, "--name", "home"))
    assert ok(csm("sync", "home")).out.strip() == "calendar 'home': unchanged"
    assert "if-modified-since" in server.requests_to("/home.ics")[-1].headers
    assert "if-none-match" not in server.requests_to("/home.ics")[-1].headers


def test_an_unchanged_body_without_validators_is_unchanged_by_its_hash(csm: CsmRunner, server: Server) -> None:
    url = server.serve("/plain.ics", OUTLOOK)
    ok(csm("source", "add", "calendar", url, "--name", "plain"))
    assert ok(csm("sync")).out.strip() == "calendar 'plain': unchanged"
    assert events(csm) == ["Stand-up Bäckerei Süß"]


def test_webcal_is_http_for_a_server_on_this_machine_and_gzip_is_asked_for(csm: CsmRunner, server: Server) -> None:
    server.serve("/apple.ics", ICS / "ical__apple_ical.ics")
    ok(csm("source", "add", "calendar", server.url("/apple.ics", "webcal"), "--name", "icloud"))
    request = server.requests_to("/apple.ics")[0]
    assert "gzip" in request.headers["accept-encoding"]
    assert request.headers["user-agent"].startswith("csm/")
    assert "text/calendar" in request.headers["accept"]
    listed = ok(csm("source", "list", "--format", "json")).json()
    assert listed[0]["location"].startswith("webcal://127.0.0.1:")
    assert listed[0]["counts"]["new"] > 0


def test_redirects_are_followed_up_to_five(csm: CsmRunner, server: Server) -> None:
    server.serve("/cal.ics", ICS / "ical__event_all_day.ics")
    server.routes["/moved"] = Route(status=301, location="/cal.ics")
    ok(csm("source", "add", "calendar", server.url("/moved"), "--name", "moved"))
    assert events(csm, "2007-06-30") == ["Festival International de Jazz de Montreal"]
    for hop in range(7):
        server.routes[f"/loop{hop}"] = Route(status=302, location=f"/loop{hop + 1}")
    looped = csm("source", "add", "calendar", server.url("/loop0"), "--name", "loop")
    assert looped.code == 1
    assert "calendar 'loop': failed: the address redirects more than 5 times" in looped.out
    assert len(server.requests_to("/loop0")) == 1 and not server.requests_to("/loop6")


def test_an_expired_secret_link_fails_clearly_and_keeps_the_last_data(csm: CsmRunner, server: Server) -> None:
    url = server.serve("/work.ics", GOOGLE)
    ok(csm("source", "add", "calendar", url, "--name", "work"))
    for status, words in ((404, "nothing at that address (404 Not Found)"), (403, "refused it (403 Forbidden)"),
                          (401, "asks for a sign-in (401 Unauthorized)"), (410, "gone (410 Gone)"),
                          (503, "the server failed (503 Service Unavailable)")):  # fmt: skip
        server.serve("/work.ics", b"", status=status)
        run = csm("sync")
        assert run.code == 1
        assert "calendar 'work': failed: " in run.out and words in run.out, run.out
        assert "1 of 1 sources failed: work" in run.err
        assert events(csm) == MONDAY  # the last good data stays
    listed = ok(csm("source", "list", "--format", "json")).json()[0]
    assert listed["outcome"] == "failed" and "503" in listed["error"] and listed["fresh"] is False


def test_a_sign_in_page_where_a_calendar_was_expected_is_named(csm: CsmRunner, server: Server) -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Sign in - Google Accounts</title></head><body>...</body></html>"
    url = server.serve("/calendar/embed", page, content_type="text/html; charset=UTF-8")
    run = csm("source", "add", "calendar", url, "--name", "work")
    assert run.code == 1
    assert "gave a web page (HTML), not a calendar" in run.out
    assert "iCal" in run.out
    assert "the source 'work' is kept, but its first sync failed" in run.err
    assert events(csm) == []


def test_a_slow_server_is_given_up_on_after_the_timeout(csm: CsmRunner, server: Server, env: dict[str, str]) -> None:
    config(Path(env["CSM_CONFIG"]), "[sync]\ntimeout_seconds = 0.5\n")
    url = server.serve("/slow.ics", GOOGLE, delay=30)
    started = time.monotonic()
    run = csm("source", "add", "calendar", url, "--name", "slow")
    assert time.monotonic() - started < 10  # not the server's 30 s
    assert run.code == 1
    assert "calendar 'slow': failed: no answer within 0.5 s" in run.out


def test_an_oversized_answer_is_refused_by_its_length_and_a_gzip_bomb_by_what_it_unpacks(
    csm: CsmRunner, server: Server
) -> None:
    url = server.serve("/big.ics", b"BEGIN:VCALENDAR\r\n", declared_length=65 * 1024**2, gzip=False)
    run = csm("source", "add", "calendar", url, "--name", "big")
    assert run.code == 1
    assert "the calendar is 65 MB; csm reads a calendar of up to 64 MB" in run.out
    bomb = gzip.compress(b"BEGIN:VCALENDAR\r\n" + b" " * (65 * 1024**2))
    server.serve("/bomb.ics", bomb, gzipped=True)
    assert len(bomb) < 1024**2
    run = csm("source", "add", "calendar", server.url("/bomb.ics"), "--name", "bomb", "--replace")
    assert run.code == 1
    assert "the calendar is over 64 MB" in run.out
    assert events(csm) == []


def test_a_server_that_is_down_fails_and_the_others_are_still_imported(csm: CsmRunner, server: Server) -> None:
    server.serve("/work.ics", GOOGLE)
    ok(csm("source", "add", "calendar", server.url("/work.ics"), "--name", "work", "--no-sync"))
    down = f"http://127.0.0.1:{closed_port()}/home.ics"
    ok(csm("source", "add", "calendar", down, "--name", "home", "--no-sync"))
    run = csm("sync")
    assert run.code == 1
    assert "calendar 'home': failed: connection refused" in run.out
    assert "calendar 'work': new" in run.out
    assert "1 of 2 sources failed: home" in run.err
    assert events(csm) == MONDAY


def test_calendars_from_two_sources_live_side_by_side(csm: CsmRunner, server: Server) -> None:
    ok(csm("source", "add", "calendar", server.serve("/work.ics", GOOGLE, etag='"1"'), "--name", "work"))
    ok(csm("source", "add", "calendar", server.serve("/home.ics", OUTLOOK, etag='"1"'), "--name", "home"))
    assert sorted(events(csm)) == sorted([*MONDAY, "Stand-up Bäckerei Süß"])
    server.serve("/home.ics", OUTLOOK.read_bytes().replace("Bäckerei".encode(), b"Bakery"), etag='"2"')
    run = ok(csm("sync", "--format", "json")).json()
    assert {s["name"]: s["outcome"] for s in run["sources"]} == {"home": "updated", "work": "unchanged"}
    assert sorted(events(csm)) == sorted([*MONDAY, "Stand-up Bakery Süß"])  # only home's occurrences were replaced
    home = next(s for s in ok(csm("source", "list", "--format", "json")).json() if s["name"] == "home")
    stored = home["counts"]["new"] + home["counts"]["unchanged"]
    assert ok(csm("source", "remove", "home")).out.strip() == f"Removed calendar source 'home' and its {stored} events."
    assert events(csm) == MONDAY


def test_tls_is_verified_and_https_is_never_followed_down_to_http(
    csm: CsmRunner, server: Server, tls_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(variable, raising=False)  # httpx's own authorities (certifi's): none signed this one
    tls_server.serve("/work.ics", GOOGLE)
    untrusted = csm("source", "add", "calendar", tls_server.url("/work.ics", "https"), "--name", "work")
    assert untrusted.code == 1
    assert "calendar 'work': failed: the server's certificate could not be verified (" in untrusted.out
    assert events(csm) == []  # nothing taken from a server csm could not trust
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.certificate))  # the authority a company (or mkcert) adds
    assert ok(csm("sync", "work")).out.startswith("calendar 'work': new · ")
    assert events(csm) == MONDAY
    tls_server.routes["/down"] = Route(status=302, location=server.url("/work.ics"))
    down = csm("source", "add", "calendar", tls_server.url("/down", "https"), "--name", "down")
    assert down.code == 1
    assert "calendar 'down': failed: the server redirects to an unencrypted http:// address" in down.out
    plain = f"127.0.0.1:{server.port}"
    assert [s.path for s in server.seen if s.headers["host"] == plain] == []  # never followed
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.certificate.parent / "missing.pem"))
    missing = csm("sync", "work")
    assert missing.code == 1
    assert "calendar 'work': failed: cannot read the certificate authorities that SSL_CERT_FILE name (" in missing.out
    assert events(csm) == MONDAY  # the last good data stays
