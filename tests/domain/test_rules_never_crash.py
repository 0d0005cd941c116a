"""No book, however sparse or extreme, makes the judge crash or return something malformed.

Random books are written row by row into a real SQLite file (accounts with any mix of dates, people, tickets,
survey answers, usage, goals, deals and requests) and judged by the real fact sheet and rules on any day.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csm.config import Config
from csm.db.runner import SqliteRunner
from csm.db.scope import Scope
from csm.domain.urgency import UrgencyInputs, stake_value, urgency, urgency_terms, urgency_value
from csm.domain.words import RISK_CATEGORIES, RISK_SEVERITIES, TASK_KINDS
from csm.reports.judge import judge
from tests.domain.real_book import ZONE, RealBook, scratch_folder, stamp, template

CONFIG = Config()
AS_OF = date(2027, 3, 1)
offsets = st.integers(min_value=-3000, max_value=3000)
maybe_offsets = st.none() | offsets
text = st.text(max_size=20)


def day(offset: int | None) -> str | None:
    return None if offset is None else (AS_OF + timedelta(days=offset)).isoformat()


accounts = st.fixed_dictionaries(
    {
        "segment": st.none() | st.sampled_from(["enterprise", "mid_market", "smb"]),
        "arr": st.none() | st.floats(0, 1e10),
        "lifecycle_stage": st.none() | st.sampled_from(["onboarding", "adoption", "renewal", "churned"]),
        "contract_start": maybe_offsets,
        "renewal_date": maybe_offsets,
        "first_value_on": maybe_offsets,
        "churned_on": maybe_offsets,
        "ebr_cadence_months": st.none() | st.integers(1, 36),
        "renewal_sentiment": st.none() | st.sampled_from(["yes", "unsure", "no"]),
        "created": st.integers(-3000, 0),
    }
)
contacts = st.fixed_dictionaries(
    {
        "role": st.none() | st.sampled_from(["champion", "exec_sponsor", "decision_maker", "admin", "user"]),
        "left_on": maybe_offsets,
        "created": st.integers(-3000, 0),
        "talked": st.lists(offsets, max_size=3),
        "changed_title": maybe_offsets,
    }
)
tickets = st.fixed_dictionaries(
    {
        "created": st.integers(-800, 5),
        "solved_after": st.none() | st.integers(0, 400),
        "status": st.sampled_from(["new", "open", "pending", "hold", "solved", "closed", "deleted"]),
        "priority": st.none() | st.sampled_from(["low", "normal", "high", "urgent", "critical", "Odd"]),
    }
)
accounts_with_history = st.tuples(
    accounts,
    st.lists(contacts, max_size=4),
    st.lists(tickets, max_size=25),
    st.lists(st.tuples(offsets, st.integers(0, 10)), max_size=4),  # NPS answers
    st.lists(st.tuples(offsets, st.none() | st.integers(0, 500), st.none() | st.integers(0, 500)), max_size=3),
    st.lists(st.tuples(maybe_offsets, st.sampled_from(["planned", "on_track", "at_risk", "achieved", "missed"])),
             max_size=3),
    st.lists(text, max_size=3),  # feature requests
    st.lists(st.tuples(offsets, st.sampled_from(["call", "email", "ebr", "qbr", "note"])), max_size=4),
)  # fmt: skip


def write_book(books: list[Any]) -> str:
    folder = scratch_folder()
    path = folder / "random.db"
    path.unlink(missing_ok=True)
    shutil.copyfile(template(folder), path)
    real = RealBook(path, AS_OF)
    contact_id = 0
    for n, (account, people, opened, answers, usage, goals, requests, talks) in enumerate(books, 1):
        real.add(
            "accounts", id=n, name=f"Account {n}", name_norm=f"account {n}", segment=account["segment"],
            arr=account["arr"], lifecycle_stage=account["lifecycle_stage"], contract_start=day(account["contract_start"]),
            renewal_date=day(account["renewal_date"]), first_value_on=day(account["first_value_on"]),
            churned_on=day(account["churned_on"]), ebr_cadence_months=account["ebr_cadence_months"],
            renewal_sentiment=account["renewal_sentiment"], created_at=stamp(AS_OF + timedelta(days=account["created"])),
            updated_at=stamp(AS_OF),
        )  # fmt: skip
        for person in people:
            contact_id += 1
            real.add(
                "contacts", id=contact_id, account_id=n, name=f"Person {contact_id}", role=person["role"],
                left_on=day(person["left_on"]), created_at=stamp(AS_OF + timedelta(days=person["created"])),
                updated_at=stamp(AS_OF),
            )  # fmt: skip
            for talked in person["talked"]:
                interaction = real.add("interactions", account_id=n, kind="call", occurred_on=day(talked),
                                       summary="talk", created_at=stamp(AS_OF))  # fmt: skip
                real.add("interaction_contacts", interaction_id=interaction, contact_id=contact_id)
            if person["changed_title"] is not None:
                real.add("contact_changes", contact_id=contact_id, field="title", new_value="New",
                         changed_on=day(person["changed_title"]))  # fmt: skip
        for t, ticket in enumerate(opened):
            created = AS_OF + timedelta(days=ticket["created"])
            solved = None if ticket["solved_after"] is None else stamp(created + timedelta(days=ticket["solved_after"]))
            real.add("tickets", account_id=n, source="t", external_id=f"{n}-{t}", status=ticket["status"],
                     priority=ticket["priority"], created_at=stamp(created), solved_at=solved)  # fmt: skip
        for a, (answered, score) in enumerate(answers):
            real.add("survey_responses", account_id=n, survey="nps", survey_type="relational", responded_on=day(answered),
                     score=score, source="t", external_id=f"{n}-{a}")  # fmt: skip
        for measured, active, seats in {u[0]: u for u in usage}.values():
            real.add("usage_snapshots", account_id=n, measured_on=day(measured), active_users=active,
                     licensed_seats=seats)  # fmt: skip
        for due, status in goals:
            real.add("goals", account_id=n, title="Goal", due=day(due), status=status, customer_confirmed=False,
                     created_on=AS_OF.isoformat())  # fmt: skip
        for r, feature in enumerate(requests):
            real.add("feature_requests", account_id=n, feature=feature or "x", feature_norm=(feature or "x").lower(),
                     requested_on=AS_OF.isoformat(), source="t", external_id=f"{n}-{r}")  # fmt: skip
        for talked, kind in talks:
            real.add("interactions", account_id=n, kind=kind, occurred_on=day(talked), summary="talk",
                     created_at=stamp(AS_OF))  # fmt: skip
    real.write()
    return str(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(books=st.lists(accounts_with_history, min_size=1, max_size=4), as_of=st.integers(-400, 400))
def test_no_book_makes_the_judge_crash(books: list[Any], as_of: int) -> None:
    runner = SqliteRunner(write_book(books))
    try:
        found = judge(runner, Scope(), AS_OF + timedelta(days=as_of), ZONE, CONFIG, facts=True)
    finally:
        runner.close()
    for health in found.health.values():
        assert health.score is None or 0 <= health.score <= 100
        assert 0 <= health.confidence <= 1
        assert health.band == CONFIG.health.band(health.score)
        assert (health.score is None) == (health.confidence == 0)
        assert all(c.score is None or 0 <= c.score <= 100 for c in health.components)
    for risk in found.risks:
        assert risk.category in RISK_CATEGORIES and risk.severity in RISK_SEVERITIES
        assert risk.evidence and risk.rule_key and risk.id
    for todo in found.todos:
        assert todo.kind in TASK_KINDS and todo.title and todo.rule_key and todo.reason and todo.id
        assert todo.urgency >= 0 and todo.urgency == todo.urgency  # finite, not NaN
    assert len({t.id for t in found.todos}) == len(found.todos)
    assert len({r.id for r in found.risks}) == len(found.risks)


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(TASK_KINDS),
    due=st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    deferrals=st.integers(0, 1000),
    arr=st.none() | st.floats(0, 1e12),
    days_to_renewal=st.none() | st.integers(-100_000, 100_000),
    band=st.none() | st.sampled_from(["green", "yellow", "red", "n/a"]),
    risk=st.none() | st.sampled_from(RISK_SEVERITIES),
    as_of=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_urgency_is_finite_and_explained_for_any_todo(
    kind: str,
    due: date | None,
    deferrals: int,
    arr: float | None,
    days_to_renewal: int | None,
    band: str | None,
    risk: str | None,
    as_of: date,
) -> None:
    item = UrgencyInputs(kind, due, deferrals, arr, days_to_renewal, band, risk)
    terms = urgency_terms(item, as_of, CONFIG)
    assert all(t.value == t.value and t.why for t in terms)  # no NaN, every term explained
    assert urgency(item, as_of, CONFIG) == round(sum(t.value for t in terms), 2)
    assert urgency_value(item, as_of, CONFIG) == urgency(item, as_of, CONFIG)  # the judge's sum is --explain's
    # and so is it with the account's stake worked out once beforehand
    assert urgency_value(item, as_of, CONFIG, stake=stake_value(item, CONFIG)) == urgency(item, as_of, CONFIG)
