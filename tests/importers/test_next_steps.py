"""An imported interaction's next step becomes a to-do, as `csm log --next` makes one: due on the day its words
name, else a week after it, or on the import's day if that has gone by; an old one stays history; a re-import adds
none twice."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CsmRunner

ACCOUNTS = "name,account_id,domains\nAcme Corp,A-1,acme.example\nGlobex,A-2,globex.example\n"
INTERACTIONS = """\
account_id,occurred_on,kind,summary,next_steps
A-1,2027-02-26,call,Renewal call with Jane,Send Jane the renewal quote by 2027-03-10
A-1,2027-02-10,meeting,Workshop on dashboards,Share the dashboard templates
A-2,2026-06-01,call,Kick-off,Book the onboarding sessions
A-2,2027-02-27,email,Sent the usage report,
"""


def test_imported_next_steps_become_to_dos_once_and_old_ones_stay_history(
    csm: CsmRunner, tmp_path: Path, env: dict[str, str]
) -> None:
    env["CSM_AS_OF"] = "2027-03-01"
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "interactions.csv").write_text(INTERACTIONS)
    assert csm("import", "accounts", str(tmp_path / "accounts.csv")).code == 0
    dry = csm("import", "interactions", str(tmp_path / "interactions.csv"), "--dry-run")
    assert dry.code == 0 and not [t for t in csm("todo", "list", "--format", "json").json() if t["kind"] == "manual"]
    first = csm("import", "interactions", str(tmp_path / "interactions.csv"))
    assert first.code == 0
    assert "next steps of interactions made to-dos ('csm todo list') (2 rows)" in first.err
    assert "kept as history, not made to-dos (1 row)" in first.err
    todos = [t for t in csm("todo", "list", "--format", "json").json() if t["kind"] == "manual"]
    assert sorted((t["account"], t["title"], t["due"], t["reason"]) for t in todos) == [
        ("Acme Corp", "Send Jane the renewal quote by 2027-03-10", "2027-03-10",  # the day its words name
         "next step from the call of 2027-02-26, imported from csm"),
        ("Acme Corp", "Share the dashboard templates", "2027-03-01",  # its week had gone by: due the day it came in
         "next step from the meeting of 2027-02-10, imported from csm"),
    ]  # fmt: skip
    again = csm("import", "interactions", str(tmp_path / "interactions.csv"))
    assert again.code == 0 and "made to-dos" not in again.err
    assert len([t for t in csm("todo", "list", "--format", "json").json() if t["kind"] == "manual"]) == 2
    done = next(t for t in todos if t["title"].startswith("Send Jane the renewal quote"))
    assert csm("todo", "done", str(done["id"])).code == 0
    assert [t["title"] for t in csm("todo", "list", "--format", "json").json() if t["kind"] == "manual"] == [
        "Share the dashboard templates"
    ]
