"""One account's judgement (a prep sheet, an EBR) reads that account's rows, not the book's: its cost does not grow
with the rest of the book. Counted in SQLite virtual-machine steps, which do not depend on the machine's speed."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from csm.config import Config
from csm.db.runner import SqliteRunner
from csm.db.scope import Scope
from csm.reports.judge import judge
from tests.domain.real_book import ZONE, RealBook, stamp, template

AS_OF = date(2027, 3, 1)


def book_with(folder: Path, accounts: int) -> str:
    path = folder / f"book-{accounts}.db"
    shutil.copyfile(template(folder), path)
    real = RealBook(path, AS_OF)
    for n in range(1, accounts + 1):
        real.add("accounts", id=n, name=f"Account {n}", name_norm=f"account {n}", arr=50_000.0,
                 renewal_date=(AS_OF + timedelta(days=n % 300)).isoformat(), contract_start="2025-01-01",
                 created_at=stamp(date(2025, 1, 1)), updated_at=stamp(date(2025, 1, 1)))  # fmt: skip
        for c in range(3):
            contact = real.add("contacts", account_id=n, name=f"P{n}-{c}", role="champion" if c == 0 else "user",
                               created_at=stamp(date(2025, 1, 1)), updated_at=stamp(date(2025, 1, 1)))  # fmt: skip
            talk = real.add("interactions", account_id=n, kind="call", occurred_on=(AS_OF - timedelta(days=c * 20)).isoformat(),
                            summary="call", created_at=stamp(AS_OF))  # fmt: skip
            real.add("interaction_contacts", interaction_id=talk, contact_id=contact)
        for t in range(20):
            real.add("tickets", account_id=n, source="t", external_id=f"{n}-{t}", status="open" if t % 5 == 0 else "solved",
                     priority="high" if t % 7 == 0 else "normal", created_at=stamp(AS_OF - timedelta(days=t * 9)))  # fmt: skip
    real.write()
    return str(path)


def steps_to_judge_account_one(book: str) -> int:
    runner = SqliteRunner(book)
    count = [0]

    def step() -> int:
        count[0] += 1
        return 0

    runner.connection.set_progress_handler(step, 100)
    try:
        judge(runner, Scope(account_id=1), AS_OF, ZONE, Config(), facts=True)
    finally:
        runner.close()
    return count[0]


def test_one_accounts_judgement_does_not_grow_with_the_book(tmp_path: Path) -> None:
    small = steps_to_judge_account_one(book_with(tmp_path, 1))
    large = steps_to_judge_account_one(book_with(tmp_path, 300))
    assert large < 3 * small, (small, large)  # the same account; 300 times the rest of the book


def test_the_whole_books_judgement_does_grow_with_it(tmp_path: Path) -> None:
    """The counter measures what it should: judging everyone costs more with more accounts."""

    def steps(book: str) -> int:
        runner = SqliteRunner(book)
        count = [0]
        runner.connection.set_progress_handler(lambda: count.__setitem__(0, count[0] + 1) or 0, 100)
        judge(runner, Scope(), AS_OF, ZONE, Config())
        runner.close()
        return count[0]

    assert steps(book_with(tmp_path, 300)) > 50 * steps(book_with(tmp_path, 1))


def test_a_view_of_renewals_judges_the_accounts_renewing_as_the_whole_book_does(tmp_path: Path) -> None:
    runner = SqliteRunner(book_with(tmp_path, 60))
    by = AS_OF + timedelta(days=30)
    try:
        whole = judge(runner, Scope(), AS_OF, ZONE, Config(), facts=True, todos=False)
        narrowed = judge(runner, Scope(renewing_by=by), AS_OF, ZONE, Config(), facts=True, todos=False)
    finally:
        runner.close()
    renewing = {a.id for a in whole.book.accounts if a.renewal_date is not None and a.renewal_date <= by}
    assert 0 < len(renewing) < 60
    assert {a.id for a in narrowed.book.accounts} == renewing
    assert {a: (h.score, h.band) for a, h in narrowed.health.items()} == {
        a: (whole.health[a].score, whole.health[a].band) for a in renewing
    }
    assert sorted((r.account_id, r.rule_key, r.severity) for r in narrowed.risks) == sorted(
        (r.account_id, r.rule_key, r.severity) for r in whole.risks if r.account_id in renewing
    )
    assert any(r.account_id in renewing for r in whole.risks)


def test_a_narrowed_judgement_keeps_the_to_dos_written_down_for_its_accounts_only(tmp_path: Path) -> None:
    book = book_with(tmp_path, 60)
    runner = SqliteRunner(book)
    by = AS_OF + timedelta(days=30)
    try:
        runner.execute(
            "INSERT INTO tasks (title, account_id, kind, status, deferrals, created_on) VALUES "
            "('Call about the renewal', 10, 'manual', 'open', 0, :at), ('Check usage', 50, 'manual', 'open', 0, :at), "
            "('Team offsite notes', NULL, 'manual', 'open', 0, :at)",
            {"at": AS_OF - timedelta(days=1)},
        )
        narrowed = judge(runner, Scope(renewing_by=by), AS_OF, ZONE, Config())
    finally:
        runner.close()
    written = sorted((t.title, t.account_id) for t in narrowed.todos if t.rule_key is None)
    assert written == [("Call about the renewal", 10), ("Team offsite notes", None)]  # account 50 renews later
