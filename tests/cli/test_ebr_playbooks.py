"""The EBR's internal view (--internal) carries the open playbook steps (who does what by when); the customer's
pack never shows them, in any format."""

from __future__ import annotations

from tests.cli.conftest import ok
from tests.conftest import CsmRunner


def test_the_internal_view_lists_the_open_steps_and_the_customer_pack_never_does(demo: CsmRunner) -> None:
    assert ok(demo("ebr", "Halvorsen Freight", "--format", "json")).json()["internal"] is None
    data = ok(demo("ebr", "Halvorsen Freight", "--internal", "--format", "json")).json()
    steps = data["internal"]["playbook_steps"]
    assert [s["due"] for s in steps] == sorted(s["due"] for s in steps) and len(steps) == 2
    assert steps[0]["title"].startswith("Review Halvorsen Freight's open tickets with support: 1 critical ticket open")
    assert {s["owner"] for s in steps} == {"you", "Support: Priya Raman"}
    assert all(s["state"] == "open" and s["id"] for s in steps)
    for shown in ("md", "html"):
        pack = ok(demo("ebr", "Halvorsen Freight", "--format", shown)).out
        assert "playbook" not in pack.lower() and "Priya Raman" not in pack
        assert not any(s["title"] in pack for s in steps)
        rehearsal = ok(demo("ebr", "Halvorsen Freight", "--internal", "--format", shown)).out
        assert "Open playbook steps on the account" in rehearsal and "Priya Raman" in rehearsal
