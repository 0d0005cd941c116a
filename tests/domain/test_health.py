"""Explainable health (DOMAIN.md, "Health score"): each component's score from its inputs; missing data lowers
confidence, never the score."""

from __future__ import annotations

import pytest

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.health import Component, Health
from tests.domain.conftest import (
    AS_OF,
    account,
    bare_account,
    book,
    config_from,
    days_ago,
    days_ahead,
    goal,
    health_of,
    nps,
    person,
    tickets,
    usage,
)

CONFIG = Config()
BOOK = book()
NO_DATA_BOOK = BookFacts()


def health(facts: AccountFacts, the_book: BookFacts = BOOK, config: Config = CONFIG) -> Health:
    return health_of(facts, the_book, AS_OF, config)


def component(name: str, facts: AccountFacts, the_book: BookFacts = BOOK) -> Component:
    return next(c for c in health(facts, the_book).components if c.name == name)


def test_an_account_with_no_data_at_all_has_no_score_and_no_confidence() -> None:
    result = health(bare_account(last_touch_on=None), NO_DATA_BOOK)
    assert result.score is None
    assert result.band == "n/a"
    assert result.confidence == 0
    assert [c.name for c in result.components] == [
        "adoption", "sentiment", "support", "engagement", "success_plan", "financial",
    ]  # fmt: skip
    assert all(c.score is None and c.why for c in result.components)


def test_missing_data_lowers_confidence_not_the_score() -> None:
    only_sentiment = bare_account(last_touch_on=None, renewal_sentiment="yes")
    result = health(only_sentiment, NO_DATA_BOOK)
    assert result.score == 100.0
    assert result.band == "green"
    assert result.confidence == 0.2  # sentiment's 20 of the 100 weight


def test_the_score_is_the_weighted_mean_of_the_components_with_data() -> None:
    facts = bare_account(last_touch_on=None, renewal_sentiment="unsure", renewal_date=days_ahead(200))
    result = health(facts, NO_DATA_BOOK)  # sentiment 50 (weight 20), financial 85 (weight 10)
    assert result.score == pytest.approx((50 * 20 + 85 * 10) / 30, abs=0.05)
    assert result.confidence == 0.3


def test_weights_come_from_the_config() -> None:
    facts = bare_account(last_touch_on=None, renewal_sentiment="unsure", renewal_date=days_ahead(200))
    config = config_from({"health": {"weights": {"sentiment": 10, "financial": 30}}})
    result = health(facts, NO_DATA_BOOK, config)
    assert result.score == pytest.approx((50 * 10 + 85 * 30) / 40, abs=0.05)
    assert {c.name: c.weight for c in result.components}["financial"] == 30


@pytest.mark.parametrize(
    ("score", "band"), [(70.0, "green"), (69.9, "yellow"), (40.0, "yellow"), (39.9, "red"), (None, "n/a")]
)
def test_bands_change_at_70_and_40(score: float | None, band: str) -> None:
    assert CONFIG.health.band(score) == band


def test_band_edges_come_from_the_config() -> None:
    config = config_from({"health": {"green_min": 80, "yellow_min": 50}})
    assert config.health.band(79.9) == "yellow"
    assert config.health.band(49.9) == "red"


def test_the_overall_band_follows_the_score() -> None:
    yellow = health(bare_account(last_touch_on=None, renewal_sentiment="unsure"), NO_DATA_BOOK)
    red = health(bare_account(last_touch_on=None, renewal_sentiment="no"), NO_DATA_BOOK)
    assert (yellow.score, yellow.band) == (50.0, "yellow")
    assert (red.score, red.band) == (0.0, "red")


# Adoption


def test_adoption_without_usage_is_unknown() -> None:
    assert component("adoption", account()).score is None
    assert component("adoption", account(usage=usage(active=None, breadth=None))).score is None


def test_adoption_weighs_seat_utilisation_and_feature_breadth() -> None:
    found = component("adoption", account(usage=usage(active=40, seats=50, breadth=0.5)))
    assert found.score == pytest.approx(100 * (0.7 * 0.8 + 0.3 * 0.5), abs=0.05)
    assert found.inputs["utilisation"] == 0.8
    assert found.inputs["feature_breadth"] == 0.5


def test_adoption_uses_what_usage_it_has() -> None:
    assert component("adoption", account(usage=usage(active=25, seats=50, breadth=None))).score == 50.0
    assert component("adoption", account(usage=usage(active=None, seats=None, breadth=0.6))).score == 60.0


def test_adoption_falling_by_a_fifth_in_90_days_costs_15_points() -> None:
    steady = component("adoption", account(usage=usage(active=40, seats=50, breadth=0.5, earlier=45)))
    falling = component("adoption", account(usage=usage(active=40, seats=50, breadth=0.5, earlier=50)))
    assert steady.score is not None and falling.score is not None
    assert steady.score - falling.score == pytest.approx(15)
    assert falling.inputs["active_users_trend"] == -0.2


# Sentiment


def test_sentiment_averages_the_latest_nps_answer_and_the_csm_judgement() -> None:
    assert component("sentiment", account(surveys=nps(8))).score == 80.0
    assert component("sentiment", account(surveys=nps(8), renewal_sentiment="no")).score == 40.0
    assert component("sentiment", account(renewal_sentiment="yes")).score == 100.0
    assert component("sentiment", account()).score is None


# Support


def test_support_is_unknown_when_the_book_has_no_tickets() -> None:
    assert component("support", account(support=None), book(tickets=False)).score is None


def test_quiet_support_scores_100() -> None:
    found = component("support", account(support=tickets()))
    assert found.score == 100
    assert found.inputs["penalties"] == {}


def test_each_support_threshold_costs_its_penalty() -> None:
    loaded = tickets(new_recent=11, new_before=11, open=6, open_critical=1, open_high=3, longest_wait_days=15)
    found = component("support", account(support=loaded))
    assert found.inputs["penalties"] == {
        "critical_open": 40, "high_open": 15, "volume": 20, "open_load": 15, "long_wait": 15,
    }  # fmt: skip
    assert found.score == 0
    spiking = component("support", account(support=tickets(new_recent=6, new_before=4)))
    assert spiking.score == 75


def test_support_silence_for_90_days_counts_against() -> None:
    assert component("support", account(support=None)).score == 60.0
    assert component("support", account(support=tickets(last_ticket_on=days_ago(90), open=0))).score == 60.0
    assert component("support", account(support=None, contract_start=days_ago(30))).score == 100.0


# Engagement


def test_engagement_without_contacts_or_touches_is_unknown() -> None:
    assert component("engagement", account(last_touch_on=None)).score is None


def test_engagement_rewards_recent_touches_threads_and_executives_at_reviews() -> None:
    people = (
        person(10, "Jane Roe", "champion"),
        person(11, "Sam Poe", "exec_sponsor"),
        person(12, "Kim Lee", "admin"),
    )
    full = account(last_touch_on=days_ago(5), stakeholders=people, exec_attended_ebr_on=days_ago(30))
    assert component("engagement", full).score == 100.0
    no_exec_at_ebr = account(last_touch_on=days_ago(5), stakeholders=people)
    assert component("engagement", no_exec_at_ebr).score == pytest.approx(50 + 30 + 0.2 * 60)
    single = account(last_touch_on=days_ago(5), stakeholders=(person(),))
    assert component("engagement", single).score == pytest.approx(50 + 0.3 * 30)


def test_engagement_touch_recency_decays_after_the_cadence() -> None:
    on_cadence = component("engagement", account(last_touch_on=days_ago(30)))  # mid-market: 30 days
    late = component("engagement", account(last_touch_on=days_ago(60)))  # half the way to zero
    gone = component("engagement", account(last_touch_on=days_ago(90)))
    assert on_cadence.score == 50.0
    assert late.score == 25.0
    assert gone.score == 0.0


# Success plan


def test_success_plan_without_goals_is_unknown() -> None:
    assert component("success_plan", account()).score is None


def test_a_late_milestone_does_not_pull_the_plan_down_only_goals_count() -> None:
    with_milestones = account(
        plan=(
            goal(1, due=days_ahead(30), status="on_track"),
            goal(2, due=days_ago(5), kind="milestone", status="planned"),  # late, but a milestone of an on-track goal
        )
    )
    found = component("success_plan", with_milestones)
    assert found.score == 90.0 and found.inputs == {"goals": 2, "achieved": 0, "customer_confirmed": 0, "late": 0}


def test_success_plan_scores_goal_status_and_lateness() -> None:
    plan = (
        goal(1, due=days_ago(30), status="achieved", confirmed=True),
        goal(2, due=days_ahead(30), status="on_track"),
        goal(3, due=days_ago(1), status="on_track"),  # late
    )
    found = component("success_plan", account(plan=plan))
    assert found.score == pytest.approx((100 + 90 + 20) / 3, abs=0.05)
    assert found.inputs == {"goals": 3, "achieved": 1, "customer_confirmed": 1, "late": 1}


# Financial


def test_financial_without_a_renewal_date_is_unknown() -> None:
    assert component("financial", account()).score is None


def test_financial_reflects_how_near_and_secure_the_renewal_is() -> None:
    assert component("financial", account(renewal_date=days_ahead(61))).score == 85.0
    assert component("financial", account(renewal_date=days_ahead(60))).score == 60.0
    assert component("financial", account(renewal_date=days_ahead(60), renewal_forecast="Commit")).score == 90.0
    assert component("financial", account(renewal_date=days_ago(1))).score == 20.0
    assert component("financial", account(renewal_date=days_ahead(200), open_upsell_amount=5000.0)).score == 95.0


def test_active_users_without_licensed_seats_or_breadth_leave_adoption_unknown() -> None:
    found = component("adoption", account(usage=usage(active=0, seats=None, breadth=None)))
    assert found.score is None and found.why
    assert component("adoption", account(usage=usage(active=12, seats=0, breadth=None))).score is None
