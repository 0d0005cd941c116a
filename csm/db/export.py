"""`csm export`: the book as files. CSV in csm's own import format (one file per kind, so a book
round-trips through `csm import`), or JSON with every table as it is stored."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from csm.db.runner import Row, Runner
from csm.errors import InputError
from csm.files import check_readable, create_private, staged_folder

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# the account a row belongs to: its CRM id where it has one, its name always
_ACCOUNT = """(SELECT MIN(k.external_id) FROM account_keys k WHERE k.account_id = a.id) AS account_id,
              a.name AS account"""

KIND_QUERIES: dict[str, str] = {
    "accounts": f"""SELECT a.name, {_ACCOUNT.split(",", 1)[0]},
            (SELECT GROUP_CONCAT(d.domain, ';') FROM account_domains d WHERE d.account_id = a.id) AS domains,
            a.segment, a.arr, a.currency, a.lifecycle_stage, a.contract_start, a.renewal_date, a.licences, a.owner,
            a.ebr_cadence_months, a.renewal_sentiment AS would_renew, a.first_value_on
        FROM accounts a ORDER BY a.id""",
    "contacts": f"""SELECT c.name, c.external_id AS contact_id, {_ACCOUNT}, c.email, c.phone, c.title, c.role,
            c.influence, COALESCE(m.email, m.name) AS reports_to, c.left_on
        FROM contacts c JOIN accounts a ON a.id = c.account_id LEFT JOIN contacts m ON m.id = c.reports_to_id
        ORDER BY c.reports_to_id IS NOT NULL, c.id""",
    "opportunities": f"""SELECT o.name, o.external_id AS opportunity_id, {_ACCOUNT}, o.kind, o.amount, o.currency, o.stage,
            o.close_date, o.forecast_category, o.is_closed, o.is_won
        FROM opportunities o JOIN accounts a ON a.id = o.account_id ORDER BY o.id""",
    "tickets": f"""SELECT t.external_id AS ticket_id, t.created_at, {_ACCOUNT}, t.requester_email, t.subject,
            t.status, t.priority, t.solved_at
        FROM tickets t JOIN accounts a ON a.id = t.account_id ORDER BY t.id""",
    "surveys": f"""SELECT s.score, s.responded_on, s.external_id AS response_id, {_ACCOUNT},
            c.email AS contact_email, s.survey, s.survey_type, s.comment
        FROM survey_responses s JOIN accounts a ON a.id = s.account_id LEFT JOIN contacts c ON c.id = s.contact_id
        ORDER BY s.id""",
    "usage": f"""SELECT u.measured_on, {_ACCOUNT}, u.active_users, u.licensed_seats, u.feature_breadth
        FROM usage_snapshots u JOIN accounts a ON a.id = u.account_id ORDER BY u.id""",
    "requests": f"""SELECT r.feature, r.external_id AS request_id, {_ACCOUNT}, r.requested_on, r.notes
        FROM feature_requests r JOIN accounts a ON a.id = r.account_id ORDER BY r.id""",
    "plans": f"""SELECT g.title AS goal, {_ACCOUNT}, g.value_type, g.metric, g.unit, g.baseline, g.target,
            g.current, g.due, g.status, g.customer_confirmed, g.confirmed_by, g.evidence
        FROM goals g JOIN accounts a ON a.id = g.account_id ORDER BY g.id""",
    "interactions": f"""SELECT i.summary, i.occurred_on, {_ACCOUNT}, i.kind, i.next_steps,
            (SELECT GROUP_CONCAT(c.email, ';') FROM interaction_contacts ic JOIN contacts c ON c.id = ic.contact_id
              WHERE ic.interaction_id = i.id) AS attendees, i.sentiment,
            CASE WHEN i.shared THEN 'yes' ELSE 'no' END AS shared
        FROM interactions i JOIN accounts a ON a.id = i.account_id ORDER BY i.id""",
}
TABLES = (
    "accounts", "account_keys", "account_domains", "contacts", "contact_changes", "interactions",
    "interaction_contacts", "tasks", "opportunities", "arr_changes", "tickets", "survey_responses",
    "usage_snapshots", "goals", "milestones", "risks", "feature_requests", "calendars", "calendar_events",
    "health_snapshots", "health_overrides", "ebr_notes", "decisions",
)  # fmt: skip


def safe_cell(value: Any) -> Any:
    """A text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


MANIFEST = "manifest.json"


def export_csv(runner: Runner, folder: Path, *, replace: bool = False) -> dict[str, int]:
    """One `<kind>.csv` per import kind, in csm's own columns; returns the rows written per file."""
    with export_folder(folder, "csv", replace=replace) as (built, written):
        for kind, sql in KIND_QUERIES.items():
            rows = runner.rows(_portable(runner, sql))
            name = f"{kind}.csv"
            with open(create_private(built / name), "w", encoding="utf-8", newline="") as handle:
                columns = list(rows[0]) if rows else runner.columns(_portable(runner, sql))
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([safe_cell(row[column]) for column in columns])
            written[name] = len(rows)
    return written


def export_json(runner: Runner, folder: Path, *, replace: bool = False) -> dict[str, int]:
    """Every table as `<table>.json`, rows as stored."""
    with export_folder(folder, "json", replace=replace) as (built, written):
        for table in TABLES:
            rows = runner.rows(f"SELECT * FROM {table} ORDER BY 1")  # table names are constants, never input
            name = f"{table}.json"
            with open(create_private(built / name), "w", encoding="utf-8") as handle:
                json.dump(list(_plain(rows)), handle, ensure_ascii=False, indent=1, default=str)
            written[name] = len(rows)
    return written


@contextmanager
def export_folder(folder: Path, kind: str, *, replace: bool) -> Iterator[tuple[Path, dict[str, int]]]:
    """The export is built in a private folder beside `folder` and renamed into place complete, with a
    manifest of its files and their row counts: a reader sees the whole export or none of it.

    Only an earlier csm export is replaced (with --force); a folder holding anything else is refused.
    """
    if replace and folder.is_dir() and not folder.is_symlink() and any(folder.iterdir()):
        earlier = read_manifest(folder)
        strangers = sorted(p.name for p in folder.iterdir() if earlier is None or p.name not in {*earlier, MANIFEST})
        if strangers:
            raise InputError(
                f"{folder} holds files csm did not export ({', '.join(strangers[:3])}); "
                "--force replaces only an earlier export, so choose a new folder"
            )
    written: dict[str, int] = {}
    with staged_folder(folder, replace=replace) as built:
        yield built, written
        from csm import __version__
        from csm.clock import now_utc

        manifest = {"csm": __version__, "format": kind, "exported_at": now_utc().isoformat(), "files": written}
        with open(create_private(built / MANIFEST), "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1)


def read_manifest(folder: Path) -> dict[str, int] | None:
    """The files of an export and their row counts, from its manifest; None without a (readable) one."""
    path = folder / MANIFEST
    try:
        check_readable(path, 16 * 1024**2, "manifest")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, InputError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(n, int) for n in files.values()):
        return None
    return {str(name): int(rows) for name, rows in files.items()}


def _plain(rows: list[Row]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in row.items()}


def _portable(runner: Runner, sql: str) -> str:
    """GROUP_CONCAT is SQLite's spelling of PostgreSQL's STRING_AGG."""
    if runner.dialect == "sqlite":
        return sql
    return sql.replace("GROUP_CONCAT(d.domain, ';')", "STRING_AGG(d.domain, ';')").replace(
        "GROUP_CONCAT(c.email, ';')", "STRING_AGG(c.email, ';')"
    )
