"""The rule tests' facts written into a real SQLite book, then judged by the real fact sheet and rules.

A test states an account's facts as csm.domain.facts values (counts, dates, people); `RealBook` writes the
rows that make the fact sheet find exactly those facts: interactions on the touch days, tickets in the
windows and open for as long as said, survey answers averaging what is said, usage snapshots. Where facts a
test states cannot all hold in a real book (six tickets opened three days ago but only two tickets in the
last 28 days), the rows follow the stricter fact (the open tickets and their wait) and the sheet counts what
is really there.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from csm.config import Config
from csm.db.runner import SqliteRunner
from csm.db.scope import Scope
from csm.db.sheet import fact_sheet
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.health import Health, explained, health_from
from csm.domain.risks import RiskFinding
from csm.domain.triggers import Todo

ZONE = ZoneInfo("America/New_York")
OTHER_ACCOUNT = 999_999  # holds the book's tickets when the account under test has none
_template: Path | None = None


def template(folder: Path) -> Path:
    """An empty book at the head revision, made once and copied for each test."""
    global _template
    if _template is None or not _template.exists():
        from csm.db.book import locate_book, open_book

        path = folder / "template.db"
        open_book(locate_book(str(path))).close()
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode = DELETE")
        _template = path
    return _template


def stamp(day: date, hour: int = 12) -> str:
    """A local day's hour as the UTC date-time text SQLAlchemy stores on SQLite."""
    moment = datetime.combine(day, time(hour), tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class RealBook:
    path: Path
    as_of: date
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _ids: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, **values: Any) -> int:
        row_id = values.pop("id", None)
        if row_id is None:
            row_id = self._ids[table] = self._ids.get(table, 100_000) + 1
        self.rows.setdefault(table, []).append({"id": row_id, **values})
        return int(row_id)

    def write(self) -> None:
        with sqlite3.connect(self.path) as db:
            for table, rows in self.rows.items():
                for row in rows:
                    columns = ", ".join(row)
                    marks = ", ".join("?" * len(row))
                    db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
        db.close()


def write_facts(folder: Path, facts: AccountFacts, book: BookFacts, as_of: date) -> Path:
    path = folder / "book.db"
    path.unlink(missing_ok=True)
    shutil.copyfile(template(folder), path)
    real = RealBook(path, as_of)
    account_row(real, facts)
    touches(real, facts)
    people(real, facts)
    tickets(real, facts, book)
    surveys(real, facts)
    usage(real, facts)
    plan(real, facts)
    deals(real, facts)
    real.write()
    return path


def account_row(real: RealBook, facts: AccountFacts, *, account_id: int | None = None, name: str | None = None) -> None:
    real.add(
        "accounts", id=account_id or facts.id, name=name or facts.name, name_norm=(name or facts.name).lower(),
        segment=facts.segment, arr=facts.arr, owner=facts.owner, lifecycle_stage=facts.lifecycle_stage,
        contract_start=_iso(facts.contract_start), renewal_date=_iso(facts.renewal_date),
        first_value_on=_iso(facts.first_value_on), churned_on=_iso(facts.churned_on),
        ebr_cadence_months=facts.ebr_cadence_months, renewal_sentiment=facts.renewal_sentiment,
        renewal_sentiment_on=_iso(facts.renewal_sentiment_on), created_at=stamp(facts.created_on),
        updated_at=stamp(facts.created_on),
    )  # fmt: skip


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def interaction(real: RealBook, account_id: int, day: date, kind: str = "call", contacts: tuple[int, ...] = ()) -> None:
    interaction_id = real.add(
        "interactions", account_id=account_id, kind=kind, occurred_on=day.isoformat(), summary=f"{kind} on {day}",
        created_at=stamp(day),
    )  # fmt: skip
    for contact_id in contacts:
        real.add("interaction_contacts", interaction_id=interaction_id, contact_id=contact_id)


def touches(real: RealBook, facts: AccountFacts) -> None:
    if facts.last_touch_on is not None:
        interaction(real, facts.id, facts.last_touch_on)
    if facts.last_ebr_on is not None:
        interaction(real, facts.id, facts.last_ebr_on, "ebr")


def people(real: RealBook, facts: AccountFacts) -> None:
    sponsor = None
    for person in facts.stakeholders:
        real.add(
            "contacts", id=person.id, account_id=facts.id, name=person.name, email=person.email, title=person.title,
            role=person.role, left_on=_iso(person.left_on), left_to=person.left_to, created_at=stamp(person.added_on),
            updated_at=stamp(person.added_on),
        )  # fmt: skip
        if person.last_contact_on is not None:
            interaction(real, facts.id, person.last_contact_on, contacts=(person.id,))
        if person.changed_title_on is not None:
            real.add("contact_changes", contact_id=person.id, field="title", old_value="before",
                     new_value=person.title, changed_on=person.changed_title_on.isoformat(), source="test")  # fmt: skip
        if person.role == "exec_sponsor" and person.left_on is None:
            sponsor = person.id
    if facts.exec_attended_ebr_on is not None:
        if sponsor is None:
            raise ValueError("an executive at an EBR needs an executive sponsor among the stakeholders")
        interaction(real, facts.id, facts.exec_attended_ebr_on, "ebr", contacts=(sponsor,))


def tickets(real: RealBook, facts: AccountFacts, book: BookFacts) -> None:
    support = facts.support
    as_of = real.as_of
    if support is None:
        if book.has_tickets:
            other = AccountFacts(OTHER_ACCOUNT, "Another Co", "smb", None, None, None, None, None, None, None, None, None,
                                 facts.created_on)  # fmt: skip
            account_row(real, other)
            ticket(real, OTHER_ACCOUNT, book.first_ticket_on or as_of - timedelta(days=3), solved=True)
        return
    if book.first_ticket_on is not None:
        account_row(real, AccountFacts(OTHER_ACCOUNT, "Another Co", "smb", None, None, None, None, None, None, None,
                                       None, None, facts.created_on))  # fmt: skip
        ticket(real, OTHER_ACCOUNT, book.first_ticket_on, solved=True)
    window = 28
    last = support.last_ticket_on or as_of
    opened_on = (
        as_of - timedelta(days=support.longest_wait_days) if support.longest_wait_days is not None else min(last, as_of)
    )
    priorities = ["urgent"] * support.open_critical + ["high"] * support.open_high
    priorities += ["normal"] * max(0, support.open - len(priorities))
    for priority in priorities:
        ticket(real, facts.id, opened_on, priority=priority, solved=False, hour=1)
    recent_from, before_from = as_of - timedelta(days=window - 1), as_of - timedelta(days=2 * window - 1)
    open_recent = len(priorities) if opened_on >= recent_from else 0
    open_before = len(priorities) if before_from <= opened_on < recent_from else 0
    placed_last = opened_on == last
    for count, first, final in (
        (support.new_recent - open_recent, recent_from, as_of),
        (support.new_before - open_before, before_from, recent_from - timedelta(days=1)),
    ):
        if final > last:
            final = last
        for n in range(max(0, count)):
            if first > final:
                break
            day = final if not placed_last else max(first, final - timedelta(days=n % 3))
            placed_last = placed_last or day == last
            ticket(real, facts.id, day, solved=True)
    if not placed_last:
        ticket(real, facts.id, last, solved=True)


def ticket(
    real: RealBook, account_id: int, day: date, *, priority: str = "normal", solved: bool, hour: int = 10
) -> None:
    created = stamp(day, hour)
    real.add(
        "tickets", account_id=account_id, source="test", external_id=f"T{len(real.rows.get('tickets', [])) + 1}",
        status="solved" if solved else "open", priority=priority, created_at=created,
        solved_at=stamp(day, 23) if solved else None,
    )  # fmt: skip


def surveys(real: RealBook, facts: AccountFacts) -> None:
    answers = facts.surveys
    if answers is None or answers.latest_score is None:
        return
    latest_on = answers.latest_on or real.as_of - timedelta(days=20)
    if answers.earlier_average is not None:
        low = int(answers.earlier_average)
        earlier = [low] if answers.earlier_average == low else [low, low + 1]
        for n, score in enumerate(earlier, 1):
            survey(real, facts.id, latest_on - timedelta(days=30 * n), score)
    survey(real, facts.id, latest_on, answers.latest_score)


def survey(real: RealBook, account_id: int, day: date, score: int) -> None:
    real.add("survey_responses", account_id=account_id, survey="nps", survey_type="relational",
             responded_on=day.isoformat(), score=score, source="test",
             external_id=f"S{len(real.rows.get('survey_responses', [])) + 1}")  # fmt: skip


def usage(real: RealBook, facts: AccountFacts) -> None:
    snapshot = facts.usage
    if snapshot is None:
        return
    if snapshot.earlier_active_users is not None:
        real.add("usage_snapshots", account_id=facts.id, measured_on=(real.as_of - timedelta(days=95)).isoformat(),
                 active_users=snapshot.earlier_active_users, licensed_seats=snapshot.licensed_seats,
                 feature_breadth=snapshot.feature_breadth)  # fmt: skip
    if snapshot.first_active_on is not None and snapshot.first_active_on != snapshot.measured_on:
        real.add("usage_snapshots", account_id=facts.id, measured_on=snapshot.first_active_on.isoformat(),
                 active_users=snapshot.licensed_seats or 1, licensed_seats=snapshot.licensed_seats,
                 feature_breadth=snapshot.feature_breadth)  # fmt: skip
    real.add("usage_snapshots", account_id=facts.id, measured_on=snapshot.measured_on.isoformat(),
             active_users=snapshot.active_users, licensed_seats=snapshot.licensed_seats,
             feature_breadth=snapshot.feature_breadth)  # fmt: skip


def plan(real: RealBook, facts: AccountFacts) -> None:
    goals: dict[str, int] = {}
    for item in facts.plan:
        if item.kind == "goal":
            goals[item.title] = real.add(
                "goals", id=item.id, account_id=facts.id, title=item.title, due=_iso(item.due), status=item.status,
                customer_confirmed=item.customer_confirmed, created_on=real.as_of.isoformat(),
            )  # fmt: skip
    for item in facts.plan:
        if item.kind == "milestone":
            title = item.goal_title or "A goal"
            if title not in goals:
                goals[title] = real.add("goals", account_id=facts.id, title=title, status="on_track",
                                        customer_confirmed=False, created_on=real.as_of.isoformat())  # fmt: skip
            real.add("milestones", id=item.id, goal_id=goals[title], title=item.title, due=_iso(item.due),
                     status=item.status)  # fmt: skip


def deals(real: RealBook, facts: AccountFacts) -> None:
    for n, name in enumerate(facts.open_sows):
        real.add("opportunities", account_id=facts.id, name=name, kind="new_business", is_closed=False, is_won=False,
                 source="test", external_id=f"sow{n}")  # fmt: skip
    if facts.renewal_forecast is not None:
        real.add("opportunities", account_id=facts.id, name="Renewal", kind="renewal",
                 forecast_category=facts.renewal_forecast, close_date=_iso(facts.renewal_date), is_closed=False,
                 is_won=False, source="test", external_id="renewal")  # fmt: skip
    if facts.open_upsell_amount:
        real.add("opportunities", account_id=facts.id, name="Upsell", kind="upsell", amount=facts.open_upsell_amount,
                 is_closed=False, is_won=False, source="test", external_id="upsell")  # fmt: skip
    for n, feature in enumerate(facts.feature_requests):
        day = facts.first_request_on or real.as_of - timedelta(days=30)
        real.add("feature_requests", account_id=facts.id, feature=feature, feature_norm=feature.lower(),
                 requested_on=day.isoformat(), source="test", external_id=f"fr{n}")  # fmt: skip


@dataclass
class Judged:
    todos: list[Todo]
    risks: list[RiskFinding]
    health: Health


_folder: Path | None = None


def scratch_folder() -> Path:
    global _folder
    if _folder is None:
        import tempfile

        _folder = Path(tempfile.mkdtemp(prefix="csm-rules-"))
    return _folder


def judged(
    facts: AccountFacts, book: BookFacts, as_of: date, config: Config, *, health: float | str | None = "sheet"
) -> Judged:
    """The account's facts written into a real book and judged: its rule to-dos, its risk findings, its health.

    `health` set to a number (or None) puts that score in place of the sheet's where the renewal rule weighs it."""
    import csm.reports.judge as judge
    from csm.db import findings
    from csm.db.facts import LocalDays, sheet_facts

    path = write_facts(scratch_folder(), facts, book, as_of)
    runner = SqliteRunner(str(path))
    try:
        with fact_sheet(runner, Scope(), as_of, ZONE, config) as params:
            scores = {row[0]: health_from(row[8:], config) for row in findings.accounts(runner)}
            whole = sheet_facts(runner, params, ZONE, config)
            mine = next(a for a in whole.accounts if a.id == facts.id)
            shown = explained(scores[facts.id], mine, whole, as_of, config)
            weighed = scores if health == "sheet" else {facts.id: Health(health, config.health.band(health), 1.0)}  # type: ignore[arg-type]
            people = list(findings.people(runner, params, LocalDays(ZONE)))
            todos = judge._rule_candidates(runner, params, people, config)
            found, renewing = judge._rule_findings(runner, params, people, ZONE, config)
            risks = found + judge._renewal_findings(renewing, found, {**scores, **weighed}, as_of, config)
    finally:
        runner.close()
    return Judged([t for t in todos if t.account_id == facts.id], [r for r in risks if r.account_id == facts.id], shown)
