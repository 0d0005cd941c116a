"""Hypothesis: for random ARR histories written through the book's own path (csm.db.arr, the SQL of csm metrics),
GRR <= NRR, GRR <= 1, every ratio is between 0 and what the figures say, and the per-owner figures sum to the
book's."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from csm.config import Config
from csm.db.arr import NewChange, record_change
from csm.db.book import locate_book, open_book
from csm.db.runner import SqliteRunner
from csm.db.scope import Scope
from csm.domain.retention import Period
from csm.reports.retention import metrics

OWNERS = ("ana@vendor.example", "ben@vendor.example", None)
ACCOUNTS = 6
BASE = date(2026, 1, 1)

change = st.tuples(
    st.integers(0, 540),  # days after BASE
    st.sampled_from(["value", "value", "value", "churn", "correction"]),
    st.integers(0, 40).map(lambda n: n * 2_500.0),
)
history = st.lists(change, min_size=1, max_size=6)
book = st.lists(history, min_size=ACCOUNTS, max_size=ACCOUNTS)
period = st.tuples(st.integers(0, 500), st.integers(0, 200))


@pytest.fixture(scope="module")
def engine_and_runner(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("retention") / "book.db"
    opened = open_book(locate_book(str(path)), create_folder=True)
    with opened.engine.begin() as connection:
        for n in range(ACCOUNTS):
            connection.execute(
                text(
                    "INSERT INTO accounts (id, name, name_norm, owner, created_at, updated_at) "
                    "VALUES (:id, :name, :name, :owner, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"id": n + 1, "name": f"account {n}", "owner": OWNERS[n % len(OWNERS)]},
            )
    runner = SqliteRunner(str(path))
    yield opened.engine, runner
    runner.close()
    opened.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=book, chosen=period)
def test_grr_never_exceeds_nrr_or_one_and_owners_sum_to_the_book(engine_and_runner, histories, chosen) -> None:  # type: ignore[no-untyped-def]
    engine, runner = engine_and_runner
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM arr_changes"))
        for account, changes in enumerate(histories, start=1):
            for days, kind, value in changes:
                on = BASE + timedelta(days=days)
                after = 0.0 if kind == "churn" else value
                record_change(
                    connection,
                    NewChange(account, on, after, {"value": None, "churn": "churn", "correction": "correction"}[kind]),
                )
    start = BASE + timedelta(days=chosen[0])
    span = Period("p", start, start + timedelta(days=chosen[1]))
    as_of = date(2027, 12, 31)
    total = metrics(runner, Scope(), span, as_of, Config(), by="owner")
    if total.cohort:
        assert total.grr is not None and total.nrr is not None and total.logo_retention is not None
        assert 0 <= total.grr <= total.nrr
        assert total.grr <= 1
        assert 0 <= total.logo_retention <= 1
        assert total.ending_arr == pytest.approx(total.starting_arr - total.contraction - total.churn + total.expansion)
    else:
        assert total.grr is None and total.nrr is None
    for key in ("cohort", "starting_arr", "expansion", "contraction", "churn", "churned", "ending_arr", "new_logos",
                "new_logo_arr", "reactivated", "reactivated_arr", "entered", "entered_arr"):  # fmt: skip
        assert sum(getattr(g, key) for g in total.groups) == pytest.approx(getattr(total, key)), key
    for group in total.groups:
        if group.cohort:
            assert group.grr is not None and group.nrr is not None and group.grr <= group.nrr and group.grr <= 1
    # one owner's own metrics are that owner's row
    ana = metrics(runner, Scope(owners=(OWNERS[0],)), span, as_of, Config())
    row = next((g for g in total.groups if g.group == OWNERS[0]), None)
    assert ana.starting_arr == (row.starting_arr if row else 0.0)
    assert ana.grr == (row.grr if row else None)
