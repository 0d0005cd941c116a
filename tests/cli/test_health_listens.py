"""Health that listens (issue 13): open risks move the score, the CSM's override stands beside it, a call's
sentiment counts, and the trend is one answer everywhere, labelled with where it came from. On the demo book,
2027-03-01."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.cli.conftest import ok
from tests.conftest import CsmRunner


def health(csm: CsmRunner, account: str, *args: str) -> dict[str, Any]:
    return ok(csm("health", account, "--format", "json", *args)).json()  # type: ignore[no-any-return]


def component(shown: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in shown["components"] if c["name"] == name)


def risks_of(csm: CsmRunner, account: str, *args: str) -> list[dict[str, Any]]:
    return [r for r in ok(csm("risk", "--format", "json", *args)).json() if r["account"] == account]


def test_an_open_critical_risk_caps_health_below_green(demo: CsmRunner, tmp_path: Path) -> None:
    """Greenhollow is green; a critical risk logged by hand holds it at the cap (69), said in --explain."""
    before = health(demo, "Greenhollow")
    assert before["band"] == "green" and before["score"] > 69 and before["adjustment"] is None
    ok(demo("risk", "add", "Greenhollow", "--category", "company", "--severity", "critical",
            "--evidence", "Their sponsor told us they are moving to a competitor"))  # fmt: skip
    after = health(demo, "Greenhollow")
    assert after["score"] == 69 and after["band"] == "yellow"
    assert after["computed"] == before["score"]
    assert after["adjustment"].startswith(f"capped at 69 from {before['score']:g}: an open critical risk")
    explained = ok(demo("health", "Greenhollow", "--explain")).out
    assert "capped at 69" in explained and "moving to a competitor" in explained


def test_the_cap_is_configurable(demo: CsmRunner, config_path: Path) -> None:
    config_path.write_text(config_path.read_text(encoding="utf-8") + "\n[health]\ncritical_risk_cap = 50\n")
    ok(demo("risk", "add", "Greenhollow", "--category", "product", "--severity", "critical", "--evidence", "outage"))
    assert health(demo, "Greenhollow")["score"] == 50


def test_an_open_high_risk_lowers_the_score(demo: CsmRunner) -> None:
    """Ostrava's high feature-gap risk takes 10 points off 78.6; the renewal risk weighs the score before that."""
    shown = health(demo, "Ostrava Tooling")
    assert shown["computed"] == 78.6 and shown["score"] == 68.6 and shown["band"] == "yellow"
    assert shown["adjustment"] == "10 points off 78.6: an open high risk (open feature requests)"
    (renewal,) = [r for r in risks_of(demo, "Ostrava Tooling") if r["rule"] == "renewal_at_risk"]
    assert renewal["severity"] == "high" and "health" not in renewal["evidence"]


def test_an_override_stands_beside_the_score_and_expires(demo: CsmRunner, book_path: Path) -> None:
    said = ok(demo("health", "set", "Ostrava", "--band", "red", "--reason", "VP evaluating a competitor",
                   "--until", "2027-03-10")).out  # fmt: skip
    assert said.strip() == (
        "Ostrava Tooling's health is red by your call until 2027-03-10: VP evaluating a competitor "
        "(the score gives 68.6, yellow)."
    )
    with sqlite3.connect(book_path) as db:
        stored = db.execute("SELECT band, reason, set_on, until FROM health_overrides").fetchall()
    db.close()
    assert stored == [("red", "VP evaluating a competitor", "2027-03-01", "2027-03-10")]
    shown = health(demo, "Ostrava Tooling")
    assert shown["band"] == "red" and shown["score"] == 68.6 and shown["score_band"] == "yellow"
    assert shown["override"] == {
        "band": "red", "reason": "VP evaluating a competitor", "set_on": "2027-03-01", "until": "2027-03-10"
    }  # fmt: skip
    card = ok(demo("health", "Ostrava Tooling")).out
    assert "red, your call on 2027-03-01, until 2027-03-10: VP evaluating a competitor (the score gives yellow)" in card
    assert "68.6" in card
    assert "by your call: VP evaluating a competitor (the score gives yellow)" in ok(demo("prep", "Ostrava")).out
    # the renewal risk takes the CSM's call on the band
    (renewal,) = [r for r in risks_of(demo, "Ostrava Tooling") if r["rule"] == "renewal_at_risk"]
    assert renewal["severity"] == "critical" and "health red by your call" in renewal["evidence"]
    # another day: before it was set, and after it ended, the score's band holds
    assert health(demo, "Ostrava Tooling", "--as-of", "2027-02-28")["override"] is None
    assert health(demo, "Ostrava Tooling", "--as-of", "2027-03-10")["band"] == "red"
    assert health(demo, "Ostrava Tooling", "--as-of", "2027-03-11")["override"] is None


def test_an_override_defaults_to_30_days_and_clears(demo: CsmRunner) -> None:
    ok(demo("health", "set", "Greenhollow", "--band", "yellow", "--reason", "champion on leave"))
    assert health(demo, "Greenhollow")["override"]["until"] == "2027-03-31"
    said = ok(demo("health", "set", "Greenhollow", "--clear")).out
    assert said.startswith("Cleared your yellow call on Greenhollow Energy's health (set 2027-03-01); the score gives")
    assert health(demo, "Greenhollow")["override"] is None and health(demo, "Greenhollow")["band"] == "green"


def test_bad_overrides_are_refused_and_nothing_is_written(demo: CsmRunner, book_path: Path) -> None:
    refused = [
        demo("health", "set", "Greenhollow", "--band", "red"),  # no reason
        demo("health", "set", "Greenhollow", "--band", "purple", "--reason", "x"),
        demo("health", "set", "Greenhollow", "--clear"),  # nothing to clear
        demo("health", "set", "Greenhollow", "--band", "red", "--reason", "x", "--until", "2027-02-01"),
        demo("health", "set", "No Such Account", "--band", "red", "--reason", "x"),
        demo("health", "set", "Greenhollow"),
    ]
    assert [r.code for r in refused] == [2, 2, 1, 1, 1, 2]
    assert "no health override in force" in refused[2].err and "Traceback" not in refused[2].err
    assert "--until 2027-02-01 is before the day it is set (2027-03-01)" in refused[3].err
    with sqlite3.connect(book_path) as db:
        assert db.execute("SELECT COUNT(*) FROM health_overrides").fetchone() == (0,)
    db.close()


def test_a_negative_call_caps_sentiment_and_a_positive_one_counts(demo: CsmRunner, book_path: Path) -> None:
    before = component(health(demo, "Ostrava Tooling"), "sentiment")
    assert before["score"] == 90  # their last NPS answer, 9
    ok(demo("log", "Ostrava", "--kind", "call", "--summary", "Jana upset about the roadmap", "--sentiment", "negative"))
    with sqlite3.connect(book_path) as db:
        assert db.execute("SELECT sentiment FROM interactions WHERE summary LIKE 'Jana upset%'").fetchone() == (
            "negative",
        )
    db.close()
    after = component(health(demo, "Ostrava Tooling"), "sentiment")
    assert after["score"] == 20 and after["inputs"]["last_call"] == "negative"
    assert after["inputs"]["last_call_on"] == "2027-03-01"
    # the day before, the call had not happened
    assert component(health(demo, "Ostrava Tooling", "--as-of", "2027-02-28"), "sentiment")["score"] == 90
    ok(demo("log", "Greenhollow", "--kind", "call", "--summary", "Great QBR prep", "--sentiment", "positive"))
    green = component(health(demo, "Greenhollow"), "sentiment")
    assert green["inputs"]["last_call"] == "positive"


def test_a_call_on_the_day_a_risk_was_raised_does_not_lift_sentiment(demo: CsmRunner) -> None:
    ok(demo("log", "Ostrava", "--kind", "call", "--summary", "Friendly chat", "--sentiment", "positive"))
    lifted = component(health(demo, "Ostrava Tooling"), "sentiment")["score"]
    assert lifted > 90
    ok(demo("risk", "add", "Ostrava", "--category", "sentiment", "--severity", "medium",
            "--evidence", "Jana hinted at budget cuts"))  # fmt: skip
    held = component(health(demo, "Ostrava Tooling", "--explain"), "sentiment")
    assert held["score"] == 20
    explained = ok(demo("health", "Ostrava Tooling", "--explain")).out
    assert "counts as negative, as you raised a risk that day" in " ".join(explained.split())


def test_a_bad_sentiment_is_refused(demo: CsmRunner) -> None:
    refused = demo("log", "Ostrava", "--kind", "call", "--summary", "x", "--sentiment", "great")
    assert refused.code != 0 and "--sentiment" in refused.err and "Traceback" not in refused.err


def test_one_trend_answer_in_health_and_prep_labelled_by_its_source(demo: CsmRunner) -> None:
    recomputed = health(demo, "Halvorsen Freight")
    assert recomputed["trend_source"] == "recomputed" and recomputed["trend_since"] == "2027-02-01"
    moved = f"{'up' if recomputed['trend'] > 0 else 'down'} {abs(recomputed['trend']):g} since 2027-02-01"
    assert f"{moved} (recomputed for that day)" in ok(demo("health", "Halvorsen Freight")).out
    assert f"{moved} (recomputed for that day)" in " ".join(ok(demo("prep", "Halvorsen Freight")).out.split())
    # a snapshot stored then is the answer once there is one, in both places
    ok(demo("health", "snapshot", "--as-of", "2027-02-01"))
    stored = health(demo, "Halvorsen Freight")
    assert stored["trend_source"] == "snapshot" and stored["trend"] == recomputed["trend"]
    assert "(the snapshot stored then)" in ok(demo("health", "Halvorsen Freight")).out
    assert "(the snapshot stored then)" in " ".join(ok(demo("prep", "Halvorsen Freight")).out.split())
