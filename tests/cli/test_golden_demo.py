"""The judge agrees with the engine it replaced on the demo book for 2027-03-01, everywhere but where the old one
was wrong or stored what is now derived. tests/golden/demo-2027-03-01.json holds what the old engine said.

The differences, by name:
- ids: a rule's to-do or risk is named by letters from its rule key (the old engine numbered stored rows);
- `new`: the old engine called every risk new on the day it first judged a book; now a risk is new on the day
  its situation began (`raised_on`, read from the facts);
- support scores are floats (70.0, not 70): every component is;
- `changes --since` judges both days (tested in tests/test_judge.py), where the old one listed every stored row;
- the monthly 1:1 to-do (`one_on_one`) is new: the old engine raised none.
"""

from __future__ import annotations

import json
from typing import Any

from tests.cli.conftest import ok
from tests.conftest import REPO, CsmRunner

GOLDEN = json.loads((REPO / "tests" / "golden" / "demo-2027-03-01.json").read_text(encoding="utf-8"))


def pick(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: item[key] for key in keys}


def test_every_rule_todo_is_the_old_engines_in_the_same_order(demo: CsmRunner) -> None:
    todos = ok(demo("todo", "list", "--format", "json")).json()
    keys = ("account", "kind", "title", "due", "urgency", "deferrals", "reason")
    (one_on_one,) = [t for t in todos if t["kind"] == "one_on_one"]
    assert one_on_one["rule_key"] == "one_on_one:maya.okafor@brightwater.example:2027-03"
    assert [pick(t, keys) for t in todos if t is not one_on_one] == GOLDEN["todos"]
    assert all(isinstance(t["id"], str) and t["id"].isalpha() for t in todos if t["rule_key"])


def test_every_risk_is_the_old_engines_in_the_same_order(demo: CsmRunner) -> None:
    risks = ok(demo("risk", "--format", "json")).json()
    keys = ("account", "category", "severity", "rule", "evidence", "first_response", "escalation")
    assert [pick(r, keys) for r in risks] == GOLDEN["risks"]
    (spike,) = [r for r in risks if r["rule"] == "ticket_spike"]
    assert spike["raised_on"] and spike["raised_on"] < "2027-03-01" and not spike["new"]


def test_every_health_score_and_component_is_the_old_engines(demo: CsmRunner) -> None:
    health = ok(demo("health", "--format", "json")).json()
    shown = [
        {
            "account": h["account"],
            "score": h["score"],
            "band": h["band"],
            "confidence": h["confidence"],
            "components": [pick(c, ("name", "score", "inputs", "why")) for c in h["components"]],
        }
        for h in health
    ]
    assert shown == GOLDEN["health"]  # 70.0 == 70: the float scores compare equal
