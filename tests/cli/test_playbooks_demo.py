"""Playbooks on the example book, as its CSM meets them: Halvorsen Freight's critical support risk opens the support
playbook, a playbook of her own for high sentiment risks brings in an executive, and a config that gets a playbook
wrong is refused with the key named."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from csm.config import DEFAULT_PLAYBOOKS, load_config
from csm.errors import ConfigError
from tests.cli.conftest import ok
from tests.cli.demo_book import DEMO_CONFIG
from tests.conftest import CsmRunner

EXEC_SAVE = """
[[playbooks]]
name = "exec-save"
when = { category = "sentiment", severity = "high" }

[[playbooks.steps]]
title = "Call {contact} at {account} and hear them out: {evidence}"
due_days = 1

[[playbooks.steps]]
title = "Executive call with {account}'s sponsor"
owner = "exec"
due_days = 7
after = 1
"""


def halvorsen_critical(demo: CsmRunner) -> dict[str, Any]:
    (risk,) = [
        r for r in ok(demo("risk", "halvorsen", "--format", "json")).json() if r["rule"] == "critical_ticket_open"
    ]
    return risk  # type: ignore[no-any-return]


def test_halvorsens_critical_support_risk_opens_the_support_playbook_and_resolving_it_retires_the_steps(
    demo: CsmRunner,
) -> None:
    risk = halvorsen_critical(demo)
    assert risk["severity"] == "critical" and risk["raised_on"] == "2027-02-25"
    shown = ok(demo("risk", "show", risk["id"], "--format", "json")).json()
    run = shown["run"]
    assert run["playbook"] == "support" and run["raised_on"] == "2027-02-25"
    assert run["dated_from"] == "2027-03-01"  # the day the demo's accounts came into the book
    start = date(2027, 3, 1)
    defaults = next(p for p in DEFAULT_PLAYBOOKS if p.name == "support")
    assert [s["due"] for s in run["steps"]] == [
        (start + timedelta(days=step.due_days)).isoformat() for step in defaults.steps
    ]
    assert [s["state"] for s in run["steps"]] == ["open", "waiting", "waiting", "waiting", "open"]
    assert run["steps"][2]["title"] == "Tell Magnus Eriksen at Halvorsen Freight what the root-cause analysis found"
    open_ids = [s["id"] for s in run["steps"] if s["id"]]
    todos = {t["id"]: t for t in ok(demo("todo", "list", "--format", "json")).json()}
    assert all(todos[i]["kind"] == "playbook" for i in open_ids)
    assert todos[open_ids[1]]["handed_to"] == "Support: Priya Raman"
    table = ok(demo("risk", "show", risk["id"])).out
    assert "Playbook: support" in table and "waiting (waits for step 1)" in table
    prep = ok(demo("prep", "Halvorsen Freight", "--format", "json")).json()
    assert set(open_ids) <= {s["id"] for s in prep["playbook_steps"]}
    assert "Playbook steps (2)" in ok(demo("prep", "Halvorsen Freight")).out  # the surge shares the critical run

    ok(demo("todo", "done", open_ids[0]))
    ok(demo("risk", "resolve", risk["id"]))
    left = {t["id"] for t in ok(demo("todo", "list", "--format", "json")).json()}
    assert not left & set(open_ids)
    assert not any(s["id"] in open_ids for s in ok(demo("prep", "Halvorsen Freight", "--format", "json")).json()[
        "playbook_steps"])  # fmt: skip
    after = ok(demo("risk", "show", risk["id"], "--format", "json")).json()
    assert after["status"] == "resolved"
    assert [s["state"] for s in after["history"][0]["steps"]] == ["done"] + ["retired"] * 4


def test_a_playbook_of_her_own_for_high_sentiment_risks_brings_in_the_executive(
    demo: CsmRunner, config_path: Path
) -> None:
    config_path.write_text(DEMO_CONFIG + EXEC_SAVE, encoding="utf-8")
    risks = ok(demo("risk", "--format", "json")).json()
    detractor = next(r for r in risks if r["account"] == "Marlowe & Finch Legal" and r["rule"] == "nps_detractor")
    assert detractor["severity"] == "high"
    run = ok(demo("risk", "show", detractor["id"], "--format", "json")).json()["run"]
    assert run["playbook"] == "exec-save"
    first, second = run["steps"]
    assert first["title"].startswith("Call Charlotte Reid at Marlowe & Finch Legal and hear them out: latest NPS")
    assert run["dated_from"] == max(run["raised_on"], "2027-03-01")  # raised, or when the account came in
    assert first["due"] == (date.fromisoformat(run["dated_from"]) + timedelta(days=1)).isoformat()
    assert second["owner"] == "Exec: Elena Voss" and second["state"] == "waiting"
    ok(demo("todo", "done", first["id"]))
    handed = next(t for t in ok(demo("todo", "list", "--format", "json")).json() if t["title"].startswith("Executive"))
    assert (
        handed["handed_to"] == "Exec: Elena Voss"
        and handed["title"] == "Executive call with Marlowe & Finch Legal's sponsor"
    )
    # a lower sentiment risk keeps the default sentiment playbook; playbook list shows hers first
    listed = ok(demo("playbook", "list", "--format", "json")).json()
    assert [p["name"] for p in listed][:2] == ["exec-save", "implementation"]
    assert listed[0]["default"] is False and listed[0]["open_runs"] >= 1
    shown = ok(demo("config", "show", "--format", "json")).json()
    assert [p["name"] for p in shown["playbooks"]] == ["exec-save", *(p.name for p in DEFAULT_PLAYBOOKS)]
    assert shown["people"]["exec"] == "Elena Voss <elena.voss@brightwater.example>"
    assert 'name = "exec-save"' in ok(demo("config", "show")).out


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[[playbooks]]\nname = "x"\n[[playbooks.steps]]\ntitle = "Call {acount}"\n', "playbooks.0.steps.0.title",
         "{acount} is not a field"),
        ('[[playbooks]]\nname = "x"\n[[playbooks.steps]]\ntitle = "Call"\nowner = "boss"\n',
         "playbooks.0.steps.0.owner", "'boss' is neither"),
        ('[[playbooks]]\nname = "x"\n[[playbooks.steps]]\ntitle = "A"\n[[playbooks.steps]]\ntitle = "B"\nafter = 2\n',
         "playbooks.0.steps.1.after", "step 2 waits for step 2"),
        ('[[playbooks]]\nname = "x"\nwhen = { severity = "huge" }\n[[playbooks.steps]]\ntitle = "A"\n',
         "playbooks.0.when.severity", "'critical'"),
        ('[[playbooks]]\nname = "x"\nwhen = { rule = "nps_detracter" }\n[[playbooks.steps]]\ntitle = "A"\n',
         "playbooks.0.when.rule", "no rule is named 'nps_detracter'"),
        ('[[playbooks]]\nname = "x"\n[[playbooks.steps]]\ntitel = "A"\n', "playbooks.0.steps.0.titel", "unknown key"),
        ('[[playbooks]]\nname = "x"\nsteps = []\n', "playbooks.0.steps", "has no steps"),
        ('[[playbooks]]\nname = "a:b"\n[[playbooks.steps]]\ntitle = "A"\n', "playbooks.0.name", "cannot hold"),
        ('[[playbooks]]\nname = "x"\n[[playbooks.steps]]\ntitle = "A"\ndue_days = -1\n',
         "playbooks.0.steps.0.due_days", ""),
        ('[people]\nboss = "a@b.example"\n', "people.boss", "unknown key"),
    ],
)  # fmt: skip
def test_a_wrong_playbook_is_refused_naming_the_key(
    demo: CsmRunner, config_path: Path, text: str, key: str, words: str
) -> None:
    config_path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config_path)
    assert f"'{key}'" in str(raised.value) and words in str(raised.value) and str(config_path) in str(raised.value)
    refused = demo("today")
    assert refused.code == 1 and f"'{key}'" in refused.err and "Traceback" not in refused.err


def test_a_config_written_before_playbooks_had_steps_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[playbooks.support]\nfirst_response = "Call support."\nescalation = "Call the VP."\n')
    config = load_config(path)
    assert config.response("support").first_response == "Call support."
    assert config.response("renewal").first_response.startswith("Start the renewal conversation")
    assert [p.name for p in config.playbooks] == [p.name for p in DEFAULT_PLAYBOOKS]


def test_the_account_names_its_own_people(demo: CsmRunner) -> None:
    ok(demo("account", "edit", "Ostrava Tooling", "--exec", "Sam Ortiz <sam.ortiz@brightwater.example>",
            "--ae", "jo.park@brightwater.example"))  # fmt: skip
    shown = ok(demo("account", "show", "Ostrava Tooling", "--format", "json")).json()
    assert (shown["executive"], shown["ae"]) == (
        "Sam Ortiz <sam.ortiz@brightwater.example>",
        "jo.park@brightwater.example",
    )
    handed = [
        t for t in ok(demo("todo", "list", "--format", "json")).json() if (t["handed_to"] or "").startswith("Exec")
    ]
    ostrava = [t["handed_to"] for t in handed if t["account"] == "Ostrava Tooling"]
    others = {t["handed_to"] for t in handed if t["account"] != "Ostrava Tooling"}
    assert ostrava == ["Exec: Sam Ortiz"] and others == {"Exec: Elena Voss"}
    ok(demo("account", "edit", "Ostrava Tooling", "--exec", ""))
    assert "executive" not in ok(demo("account", "show", "Ostrava Tooling", "--format", "json")).json()
    refused = demo("account", "edit", "Ostrava Tooling", "--manager", "Tom")
    assert refused.code == 1 and "--manager 'Tom' is not an e-mail address" in refused.err


def test_a_snoozed_risk_shows_what_it_said_and_until_when(demo: CsmRunner) -> None:
    risk = next(r for r in ok(demo("risk", "--format", "json")).json() if r["account"] == "Halvorsen Freight")
    ok(demo("risk", "snooze", risk["id"], "--until", "2027-03-10"))
    shown = ok(demo("risk", "show", risk["id"], "--format", "json")).json()
    assert shown["status"] == "snoozed" and shown["risk"] is None
    assert shown["why"].endswith(f": {risk['evidence']}; snoozed until 2027-03-10"), shown["why"]
    table = " ".join(ok(demo("risk", "show", risk["id"])).out.split())
    assert table.startswith("Risk of Halvorsen Freight, snoozed") and "snoozed until 2027-03-10" in table
