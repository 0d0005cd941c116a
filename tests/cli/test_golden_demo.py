"""The demo book's whole judgement for 2027-03-01 (every rule to-do, risk and health score) against the record in
tests/golden/demo-2027-03-01.json, so that no change to a rule moves the demo's answer unnoticed.

The record was first the answer of the stored-evaluation engine the judge replaced (commit 035a471); the judge
agreed with it everywhere but in these, by name:
- ids: a rule's to-do or risk is named by letters from its rule key (the old engine numbered stored rows);
- `new`: the old engine called every risk new on the day it first judged a book; now a risk is new on the day
  its situation began (`raised_on`, read from the facts);
- support scores are floats (70.0, not 70): every component is;
- `changes --since` judges both days (tested in tests/test_judge.py), where the old one listed every stored row.

A change of the rules on purpose rewrites the record (`python -m tests.cli.test_golden_demo --write`) and says
why here; the file's diff in that commit is the change of answer, to read item by item:
- issue 13, dollars lead: urgency is due + overdue (a quarter point a day, at most 3) + stake (ARR, on a square-root
  scale, times its renewal's or its worst risk's pressure) + health + risk + deferrals + kind; every urgency and
  so the order of the to-dos moved;
- issue 13, missing history is unknown: six EBRs the old rules called 14-152 days late counted from contract
  starts that predate the book's record of those accounts; each is now one "No EBR on record" to-do, due now;
- issue 13, one problem one risk: Halvorsen's ticket volume and spike (the same 14 tickets) are one risk,
  Cobaltline's open tickets and their long wait one, Marlowe & Finch's NPS answer one; a renewal risk names its
  causes; first responses fit the rule and the renewal's state (Pinecrest's passed renewal: record the outcome);
- issue 13, health that listens: an open high risk takes 10 points off the score (Cobaltline's and
  Marlowe & Finch's detractors, Ostrava's feature requests, Saltmarsh's onboarding behind), which moves
  Ostrava to yellow and its to-dos up; a renewal risk weighs the score before risks moved it (no double count);
  each sentiment's inputs name the last logged call;
- issue 13, plain words: reasons say "mid-market" and "at risk", not `mid_market` and `at_risk`;
- issue 13, late from when the book knew: renewal outreach and reminders and onboarding to-dos whose window
  opened before the account came into the book (the demo's accounts all came in on 2027-03-01) are due from
  that day, not 14-40 days late; inside the reminder window the nearer renewal presses more (1 to 1.2);
- issue 13, an overdue renewal is a high risk health listens to (Pinecrest 71.5 → 61.5, yellow); risks of one
  severity are listed by the account's ARR, the biggest first;
- issue 13, a champion's successor is logged (Ferncliff): the to-do is to meet them, not to find them;
- issue 16, the monthly 1:1 to-do (`one_on_one`, from `manager_one_on_one_days`) is new;
- issue 13, a meeting is a meeting: today's 15:30 meeting with Tidewater Credit Union covers its touch, so "Check
  in with Tidewater Credit Union" is gone; the renewal and EBR to-dos of accounts with a customer meeting in the
  next 7 days carry it (`covered_by`, recorded only where set: Ostrava Tooling's and Tidewater's meetings today,
  Marlowe & Finch's "tomorrow's 14:00 NPS follow-up with Charlotte");
- issue 17, playbooks: every open risk opens its playbook, whose open steps are to-dos of kind `playbook` (45 of
  them on the demo's day, two risks of one account opening one playbook sharing its run, each dated from the day its risk was raised, a step waiting on another left out); they
  take part in urgency (kind 3), so they stand among the rule to-dos and move some of those down. No rule to-do,
  risk or health score changed.
- late from when the book knew, for playbooks too: a run whose risk was raised before its account came into the
  book (the demo's accounts all came in on 2027-03-01) is dated from that day, its steps keeping their spacing
  ("dated from 2027-03-01, when the account came into the book"): Halvorsen's ticket review is due today, not
  4 days late, a step due 2027-01-03 is due 2027-03-04. Only playbook to-dos moved (due, urgency, reason, place);
  no rule to-do, risk or health score changed.
- a meeting covers what it is about: an EBR to-do shows only a review meeting (none in the demo's week), so
  Ostrava's "Renewal discussion", Marlowe & Finch's "NPS follow-up" and Tidewater's "Member portal rollout
  planning" no longer cover their EBRs; a renewal to-do beside a meeting about something else says "next
  meeting:" (Tidewater's rollout planning), not "covered by". Only covered_by changed.
- a next meeting is not a cover: "next meeting: today's 15:30 Member portal rollout planning" beside Tidewater's
  renewal moved from `covered_by` to a field of its own, `next_meeting` (recorded only where set), so a script
  reading `covered_by` finds only meetings about the to-do. Nothing else changed.
- a small account's one thread is no case for our executives: the company playbook opens for a company risk of
  medium or above, or an enterprise account with no sponsor; the ten low single-threaded risks (small accounts)
  open none, so their twenty steps ("Ask ... to introduce you to two more people", "Escalation: one of our
  executives reaches out") are gone. The risks stay; nothing else changed.
- a step handed to someone else weighs less until it is late (`handed out`: 30% of its urgency off): the
  support manager's escalations and the AE's and manager's steps of the demo's playbooks moved down; no other
  urgency changed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.cli.conftest import ok
from tests.conftest import REPO, CsmRunner

RECORD = REPO / "tests" / "golden" / "demo-2027-03-01.json"
GOLDEN = json.loads(RECORD.read_text(encoding="utf-8"))
TODO_KEYS = ("account", "kind", "title", "due", "urgency", "deferrals", "reason")
RISK_KEYS = ("account", "category", "severity", "rule", "evidence", "first_response", "escalation")


def pick(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: item[key] for key in keys}


def todo_record(todo: dict[str, Any]) -> dict[str, Any]:
    """A to-do as the record holds it: its keys, and the meeting that covers it, or the next one, where there is."""
    return pick(todo, TODO_KEYS) | {key: todo[key] for key in ("covered_by", "next_meeting") if todo.get(key)}


def shown_health(health: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "account": h["account"],
            "score": h["score"],
            "band": h["band"],
            "confidence": h["confidence"],
            "components": [pick(c, ("name", "score", "inputs", "why")) for c in h["components"]],
        }
        for h in health
    ]


def test_every_rule_todo_is_the_records_in_the_same_order(demo: CsmRunner) -> None:
    todos = ok(demo("todo", "list", "--format", "json")).json()
    assert [todo_record(t) for t in todos] == GOLDEN["todos"]
    assert all(isinstance(t["id"], str) and t["id"].isalpha() for t in todos if t["rule_key"])


def test_every_risk_is_the_records_in_the_same_order(demo: CsmRunner) -> None:
    risks = ok(demo("risk", "--format", "json")).json()
    assert [pick(r, RISK_KEYS) for r in risks] == GOLDEN["risks"]
    (surge,) = [r for r in risks if r["rule"] == "ticket_volume"]
    assert surge["raised_on"] and surge["raised_on"] < "2027-03-01" and not surge["new"]


def test_every_health_score_and_component_is_the_records(demo: CsmRunner) -> None:
    health = ok(demo("health", "--format", "json")).json()
    shown = shown_health(health)
    assert shown == GOLDEN["health"]  # 70.0 == 70: the float scores compare equal


def write_record() -> None:
    """Rewrite the record from the demo book as this checkout judges it."""
    import os

    from typer.testing import CliRunner

    from csm.cli import app
    from tests.cli.demo_book import DEMO_CONFIG, build_demo_book
    from tests.conftest import TODAY

    folder = Path(tempfile.mkdtemp(prefix="csm-golden-"))
    book = build_demo_book(folder)
    config = folder / "demo.toml"
    config.write_text(DEMO_CONFIG, encoding="utf-8")
    env = {"CSM_DB": str(book), "CSM_CONFIG": str(config), "CSM_AS_OF": TODAY, "CSM_TIMEZONE": "America/New_York",
           "CSM_CACHE_DIR": str(folder / "cache"), "NO_COLOR": "1"}  # fmt: skip
    os.environ.update(env)

    def judged(*args: str) -> Any:
        result = CliRunner().invoke(app, [*args, "--format", "json"], env=env)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    record = {
        "_about": GOLDEN["_about"],
        "todos": [todo_record(t) for t in judged("todo", "list")],
        "risks": [pick(r, RISK_KEYS) for r in judged("risk")],
        "health": shown_health(judged("health")),
    }
    RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RECORD}")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    write_record()
