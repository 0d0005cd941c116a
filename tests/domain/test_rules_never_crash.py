"""No book, however sparse or extreme, makes a rule crash or return something malformed."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts, GoalFacts, Stakeholder, SupportFacts, SurveyFacts, UsageFacts
from csm.domain.health import health_of
from csm.domain.risks import risks_for
from csm.domain.triggers import todos_for
from csm.domain.urgency import UrgencyInputs, urgency, urgency_terms, urgency_value
from csm.domain.words import RISK_CATEGORIES, RISK_SEVERITIES, SEGMENTS, TASK_KINDS

CONFIG = Config()
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
maybe_days = st.none() | days
counts = st.integers(min_value=0, max_value=100_000)
maybe_counts = st.none() | counts
text = st.text(max_size=30)
roles = st.none() | st.sampled_from(["champion", "exec_sponsor", "decision_maker", "admin", "user", "influencer", "?"])

stakeholders = st.builds(
    Stakeholder,
    id=st.integers(1, 50),
    name=text,
    role=roles,
    title=st.none() | text,
    email=st.none() | text,
    left_on=maybe_days,
    added_on=days,
    last_contact_on=maybe_days,
    changed_title_on=maybe_days,
    left_to=st.none() | text,
)
support = st.builds(
    SupportFacts,
    new_recent=counts,
    new_before=counts,
    open=counts,
    open_critical=counts,
    open_high=counts,
    longest_wait_days=maybe_counts,
    last_ticket_on=maybe_days,
    open_over_since=maybe_days,
    critical_over_since=maybe_days,
    high_over_since=maybe_days,
    oldest_open_on=maybe_days,
)
surveys = st.builds(
    SurveyFacts,
    latest_score=st.none() | st.integers(0, 10),
    latest_on=maybe_days,
    earlier_average=st.none() | st.floats(0, 10),
    promoters=counts,
    passives=counts,
    detractors=counts,
)
usage = st.builds(
    UsageFacts,
    measured_on=days,
    active_users=maybe_counts,
    licensed_seats=maybe_counts,
    feature_breadth=st.none() | st.floats(0, 1),
    earlier_active_users=maybe_counts,
    first_active_on=maybe_days,
)
goals = st.builds(
    GoalFacts,
    id=st.integers(1, 50),
    title=text,
    due=maybe_days,
    status=st.sampled_from(["planned", "on_track", "at_risk", "achieved", "missed", "unknown"]),
    customer_confirmed=st.booleans(),
    kind=st.sampled_from(["goal", "milestone"]),
    goal_title=st.none() | text,
)
accounts = st.builds(
    AccountFacts,
    id=st.integers(1, 10_000),
    name=text,
    segment=st.sampled_from(SEGMENTS),
    arr=st.none() | st.floats(0, 1e10),
    owner=st.none() | text,
    lifecycle_stage=st.none() | st.sampled_from(["onboarding", "adoption", "renewal", "churned"]),
    contract_start=maybe_days,
    renewal_date=maybe_days,
    first_value_on=maybe_days,
    churned_on=maybe_days,
    ebr_cadence_months=st.none() | st.integers(1, 36),
    renewal_sentiment=st.none() | st.sampled_from(["yes", "unsure", "no"]),
    created_on=days,
    last_touch_on=maybe_days,
    last_ebr_on=maybe_days,
    exec_attended_ebr_on=maybe_days,
    stakeholders=st.lists(stakeholders, max_size=5).map(tuple),
    support=st.none() | support,
    surveys=st.none() | surveys,
    usage=st.none() | usage,
    plan=st.lists(goals, max_size=4).map(tuple),
    open_sows=st.lists(text, max_size=2).map(tuple),
    feature_requests=st.lists(text, max_size=4).map(tuple),
    renewal_forecast=st.none() | st.sampled_from(["Commit", "Best Case", "Pipeline", "Closed", "odd"]),
    open_upsell_amount=st.floats(0, 1e9),
    renewal_sentiment_on=maybe_days,
    first_request_on=maybe_days,
    active_contacts=st.integers(0, 20),
    active_exec_sponsors=st.integers(0, 5),
    active_champions=st.integers(0, 5),
    sole_contact=st.none() | text,
    sole_contact_added_on=maybe_days,
    last_left_on=maybe_days,
    last_sponsor_left_on=maybe_days,
    others_last_contact_on=maybe_days,
)
books = st.builds(
    BookFacts, has_tickets=st.booleans(), has_surveys=st.booleans(), has_usage=st.booleans(),
    has_interactions=st.booleans(), first_ticket_on=maybe_days,
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(account=accounts, book=books, as_of=days)
def test_no_book_makes_a_rule_crash(account: AccountFacts, book: BookFacts, as_of: date) -> None:
    health = health_of(account, book, as_of, CONFIG, explain=True)
    assert health.score == health_of(account, book, as_of, CONFIG).score  # explaining never changes the score
    assert health.score is None or 0 <= health.score <= 100
    assert 0 <= health.confidence <= 1
    assert health.band == CONFIG.health.band(health.score)
    for component in health.components:
        assert component.score is None or 0 <= component.score <= 100
        assert component.weight >= 0
    assert (health.score is None) == (health.confidence == 0)

    for finding in risks_for(account, book, as_of, CONFIG, health.score):
        assert finding.category in RISK_CATEGORIES
        assert finding.severity in RISK_SEVERITIES
        assert finding.evidence and finding.rule_key and finding.account_id == account.id

    for todo in todos_for(account, as_of, CONFIG):
        assert todo.kind in TASK_KINDS
        assert todo.title and todo.rule_key and todo.reason
        assert todo.account_id == account.id
        score = urgency(
            UrgencyInputs(
                kind=todo.kind,
                due=todo.due,
                deferrals=0,
                arr=account.arr,
                days_to_renewal=account.days_to_renewal(as_of),
                health_band=health.band,
            ),
            as_of,
            CONFIG,
        )
        assert score >= 0


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(TASK_KINDS),
    due=maybe_days,
    deferrals=st.integers(0, 1000),
    arr=st.none() | st.floats(0, 1e12),
    days_to_renewal=st.none() | st.integers(-100_000, 100_000),
    band=st.none() | st.sampled_from(["green", "yellow", "red", "n/a"]),
    risk=st.none() | st.sampled_from(RISK_SEVERITIES),
    as_of=days,
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
