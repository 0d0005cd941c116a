"""`csm prep`: the meeting prep sheet, section by section, on the demo book and on small books built by hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli.conftest import ok
from tests.conftest import CsmRunner


def prep_json(csm: CsmRunner, *args: str) -> dict[str, Any]:
    return ok(csm("prep", *args, "--format", "json")).json()  # type: ignore[no-any-return]


def test_prep_json_is_one_object_with_the_account_and_every_section(demo: CsmRunner) -> None:
    sheet = prep_json(demo, "Halvorsen Freight")
    assert sheet["account"] == "Halvorsen Freight"
    for section in ("facts", "meeting", "upcoming_meetings", "stakeholders", "health", "surveys", "support",
                    "success_plan", "risks", "action_items", "notes", "questions", "discovery"):  # fmt: skip
        assert section in sheet


def test_account_facts_show_segment_arr_stage_renewal_licences_owner(demo: CsmRunner) -> None:
    facts = prep_json(demo, "Halvorsen Freight")["facts"]
    assert facts["segment"] == "enterprise"
    assert facts["arr"] == 240000
    assert facts["lifecycle_stage"] == "adoption"
    assert (facts["renewal_date"], facts["days_to_renewal"]) == ("2027-09-30", 213)
    assert facts["licences"] == 400
    assert facts["owner"] == "Maya Okafor"


def test_next_meeting_lists_attendees_with_role_influence_and_last_contact(demo: CsmRunner) -> None:
    meeting = prep_json(demo, "Halvorsen Freight")["meeting"]
    assert "ticket spike review" in meeting["title"]
    assert meeting["start"].startswith("2027-03-01T10:30")
    people = {a["name"]: a for a in meeting["attendees"]}
    assert set(people) == {"Magnus Eriksen", "Sofie Lund", "Ingrid Solberg"}
    assert (people["Ingrid Solberg"]["role"], people["Ingrid Solberg"]["influence"]) == ("exec_sponsor", "high")
    assert people["Magnus Eriksen"]["last_contact"] == "2027-02-22"
    assert people["Sofie Lund"]["days_since_contact"] == 13


def test_meeting_option_picks_by_number_or_by_title(demo: CsmRunner) -> None:
    second = prep_json(demo, "Halvorsen Freight", "--meeting", "2")["meeting"]
    assert second["number"] == 2
    assert second["start"].startswith("2027-03-16")
    by_title = prep_json(demo, "Halvorsen Freight", "--meeting", "BI-WEEKLY")["meeting"]
    assert "bi-weekly" in by_title["title"]
    assert by_title["start"].startswith("2027-03-16")


def test_meeting_option_that_matches_nothing_exits_1_listing_the_meetings(demo: CsmRunner) -> None:
    for wanted in ("99", "board dinner"):
        run = demo("prep", "Halvorsen Freight", "--meeting", wanted)
        assert run.code == 1
        assert "1: 2027-03-01 10:30 Halvorsen Freight / Brightwater check-in" in run.err
        assert "Traceback" not in run.err


def test_stakeholder_map_shows_reporting_lines(demo: CsmRunner) -> None:
    chart = prep_json(demo, "Halvorsen Freight")["stakeholders"]["org_chart"]
    assert chart[0].startswith("Ingrid Solberg (exec sponsor")
    assert chart[1].startswith("  └ Magnus Eriksen (champion")
    assert any(line.startswith("    └ Sofie Lund (admin") for line in chart)


def test_gaps_name_a_champion_who_left(demo: CsmRunner) -> None:
    gaps = prep_json(demo, "Ferncliff Health Partners")["stakeholders"]["gaps"]
    assert any(g.startswith("Champion Priya Nandakumar left on 2027-02-12") for g in gaps)


def test_gaps_name_single_threaded_and_no_exec_sponsor(demo: CsmRunner) -> None:
    gaps = prep_json(demo, "Ostrava Tooling")["stakeholders"]["gaps"]
    assert any(g.startswith("Single-threaded: 1 active contact (Jana Dvořáková)") for g in gaps)
    assert any(g.startswith("No executive sponsor") for g in gaps)


def test_health_now_trend_and_the_components_that_moved(demo: CsmRunner) -> None:
    health = prep_json(demo, "Halvorsen Freight")["health"]
    assert health["band"] == "yellow"
    assert health["trend"] < -10
    assert health["compared_with"] == "2027-02-01"
    assert health["compared_source"] == "recomputed"  # the demo book keeps no snapshots
    support = next(m for m in health["moved"] if m["name"] == "support")
    assert (support["before"], support["now"]) == (100, 15)


def test_health_compares_with_a_stored_snapshot_when_there_is_one(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme Corp", "--arr", "50000", "--renewal", "2027-06-30"))
    ok(csm("health", "snapshot", "--as-of", "2027-01-30"))
    health = prep_json(csm, "Acme")["health"]
    assert (health["compared_source"], health["compared_with"]) == ("snapshot", "2027-01-30")


def test_surveys_show_the_latest_answers_and_advise_a_root_cause_follow_up(demo: CsmRunner) -> None:
    surveys = prep_json(demo, "Halvorsen Freight")["surveys"]
    latest = {s["survey"]: s for s in surveys["surveys"]}
    assert (latest["nps"]["latest_score"], latest["nps"]["latest_on"]) == (8, "2026-11-20")
    assert latest["csat"]["latest_score"] == 2
    assert any("CSAT" in a and "root cause" in a for a in surveys["advice"])
    assert any("NPS (relationship): last answered 2026-11-20" in line for line in surveys["answered_latest"])


def test_surveys_advise_congratulations_on_a_rising_score(csm: CsmRunner, tmp_path: Path) -> None:
    ok(csm("account", "add", "Acme Corp", "--arr", "50000"))
    answers = tmp_path / "surveys.csv"
    answers.write_text("response_id,account,score,responded_on,survey\n"
                       "s1,Acme Corp,6,2026-09-01,nps\ns2,Acme Corp,10,2027-02-01,nps\n")  # fmt: skip
    ok(csm("import", "surveys", str(answers), "--source", "csm"))
    advice = prep_json(csm, "Acme")["surveys"]["advice"]
    assert len(advice) == 1 and "rose to 10/10" in advice[0] and "congratulate" in advice[0]


def test_support_compares_four_weeks_and_phrases_a_talking_point(demo: CsmRunner) -> None:
    support = prep_json(demo, "Halvorsen Freight")["support"]
    assert (support["last_4_weeks"], support["previous_4_weeks"]) == (14, 5)
    assert support["weekly_average"] == 3.5
    assert support["open_critical"] == 1
    assert support["critical"][0]["subject"] == "EDI feed down for all depots"
    assert support["talking_point"].startswith("I noticed your tickets went up: 14 in the last 4 weeks against 5")
    assert "find the root cause together" in support["talking_point"]


def test_success_plan_shows_progress_and_what_is_due(demo: CsmRunner) -> None:
    plan = prep_json(demo, "Halvorsen Freight")["success_plan"]
    goal = plan["goals"][0]
    assert goal["title"] == "Real-time shipment visibility for every depot"
    assert (goal["baseline"], goal["current"], goal["target"], goal["progress"]) == (0, 9, 12, 0.75)
    assert plan["due_next"][0].endswith("due 2027-03-12 (in 11 days)")


def test_open_risks_action_items_and_last_notes(demo: CsmRunner) -> None:
    sheet = prep_json(demo, "Halvorsen Freight")
    assert {r["rule"] for r in sheet["risks"]} >= {"critical_ticket_open", "ticket_volume"}
    steps = [a for a in sheet["action_items"] if a["source"] == "next step from the call of 2027-02-22"]
    assert steps[0]["title"] == "Share Support's root-cause analysis with Magnus by 2027-03-03"
    assert sheet["notes"][0]["on"] == "2027-02-22"
    assert sheet["notes"][0]["summary"].startswith("Escalation call about the ticket surge")


def test_the_four_questions_come_with_hints_from_the_book(demo: CsmRunner) -> None:
    questions = prep_json(demo, "Halvorsen Freight")["questions"]
    assert [q["question"] for q in questions] == [
        "What does the customer need and expect from this meeting?",
        "Who will attend, and are the roles right?",
        "What can I send ahead to save their time?",
        "How will we measure this meeting's success?",
    ]
    assert any("Ingrid Solberg: exec sponsor" in h for h in questions[1]["hints"])
    assert any("root-cause analysis" in h for h in questions[2]["hints"])


def test_discovery_questions_only_where_the_account_is_not_well_understood(demo: CsmRunner) -> None:
    assert prep_json(demo, "Halvorsen Freight")["discovery"] is None
    discovery = prep_json(demo, "Bluestem Accounting")["discovery"]
    assert "no success-plan goals recorded" in discovery["reasons"]
    assert len(discovery["questions"]) == 5


def test_a_bare_account_still_gets_a_sheet(csm: CsmRunner) -> None:
    ok(csm("account", "add", "Acme Corp"))
    sheet = prep_json(csm, "Acme")
    assert sheet["meeting"] is None and sheet["health"]["score"] is None
    assert sheet["discovery"]["reasons"][0] == "no interaction logged in the last 180 days"
    assert "Prepared" in ok(csm("prep", "Acme")).out


def test_table_and_markdown_show_every_section(demo: CsmRunner) -> None:
    table = ok(demo("prep", "Halvorsen Freight")).out
    markdown = ok(demo("prep", "Halvorsen Freight", "--format", "md")).out
    for heading in ("Account", "Next meeting", "Stakeholders", "Health", "Surveys", "Support", "Success plan",
                    "Open risks", "Action items", "Last notes", "Before the meeting"):  # fmt: skip
        assert heading in table
        assert f"## {heading}" in markdown
    assert "I noticed your tickets went up" in table
    assert "| Ingrid Solberg | exec sponsor | high | 2027-02-22 |" in markdown


def test_out_writes_the_sheet_to_a_file(demo: CsmRunner, tmp_path: Path) -> None:
    target = tmp_path / "notes" / "halvorsen.md"
    target.parent.mkdir()
    run = ok(demo("prep", "Halvorsen Freight", "--out", str(target)))
    assert run.out == ""
    assert f"Wrote {target}" in run.err
    assert target.read_text(encoding="utf-8").startswith("# Prep: Halvorsen Freight")
    ok(demo("prep", "Halvorsen Freight", "--format", "json", "--out", str(tmp_path / "h.json")))
    assert '"account": "Halvorsen Freight"' in (tmp_path / "h.json").read_text(encoding="utf-8")


def test_unknown_account_exits_1_with_did_you_mean(demo: CsmRunner) -> None:
    run = demo("prep", "Halvorsen Frieght")
    assert run.code == 1
    assert "did you mean 'Halvorsen Freight'" in run.err
    assert "Traceback" not in run.err


def test_a_markdown_template_in_templates_dir_replaces_the_packaged_one(
    demo: CsmRunner, config_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "my-templates"
    folder.mkdir()
    (folder / "prep.md.j2").write_text("{{ prep.account }}: {{ prep.support.last_4_weeks }} tickets\n")
    config_path.write_text(config_path.read_text() + f'templates_dir = "{folder}"\n')
    assert ok(demo("prep", "Halvorsen Freight", "--format", "md")).out == "Halvorsen Freight: 14 tickets\n"


def test_prep_loads_neither_the_orm_nor_jinja2_for_table_and_json(demo: CsmRunner, env: dict[str, str]) -> None:
    probe = (
        "import sys\n"
        "from csm.cli import build_app\n"
        "for fmt in ('json', 'table'):\n"
        "    argv = ['prep', 'Halvorsen Freight', '--format', fmt]\n"
        "    try:\n        build_app(argv)(argv)\n    except SystemExit as exit:\n        assert not exit.code, exit.code\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'jinja2', 'icalendar', 'rapidfuzz', 'dateutil')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, **env}, check=True
    )
    assert result.stderr.strip().splitlines()[-1] == "[]"
