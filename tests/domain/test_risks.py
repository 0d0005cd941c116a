"""Risk rules in the six categories (DOMAIN.md, "Risks"): each threshold fires just past its line, not on it."""

from __future__ import annotations

import pytest

from csm.config import Config
from csm.domain.facts import AccountFacts, BookFacts
from csm.domain.risks import RiskFinding, is_spike
from tests.domain.conftest import (
    AS_OF,
    account,
    book,
    config_from,
    days_ago,
    days_ahead,
    nps,
    person,
    risks_for,
    tickets,
    usage,
)

CONFIG = Config()
BOOK = book()


def rules(found: list[RiskFinding]) -> list[str]:
    return sorted(f.rule for f in found)


def risks(
    facts: AccountFacts, health: float | None = 80.0, the_book: BookFacts = BOOK, config: Config = CONFIG
) -> list[RiskFinding]:
    return risks_for(facts, the_book, AS_OF, config, health)


def only(rule: str, facts: AccountFacts, health: float | None = 80.0) -> list[RiskFinding]:
    return [f for f in risks(facts, health) if f.rule == rule]


def test_a_quiet_account_has_no_risk() -> None:
    assert risks(account(support=tickets())) == []


# Support


def test_ticket_volume_fires_at_11_new_tickets_in_28_days_not_10() -> None:
    (finding,) = only("ticket_volume", account(support=tickets(new_recent=11, new_before=10)))
    assert finding.category == "support" and finding.severity == "high"
    assert "11 new tickets in the last 28 days (limit 10)" in finding.evidence
    assert not only("ticket_volume", account(support=tickets(new_recent=10, new_before=10)))


def test_open_tickets_fire_at_6_open_not_5() -> None:
    (finding,) = only("open_tickets", account(support=tickets(open=6)))
    assert "6 tickets open at once" in finding.evidence
    assert not only("open_tickets", account(support=tickets(open=5)))


def test_one_open_critical_ticket_is_a_critical_risk() -> None:
    (finding,) = only("critical_ticket_open", account(support=tickets(open=1, open_critical=1)))
    assert finding.severity == "critical"
    assert not only("critical_ticket_open", account(support=tickets(open=1)))


def test_high_priority_tickets_fire_at_3_open_not_2() -> None:
    assert only("high_tickets_open", account(support=tickets(open=3, open_high=3)))
    assert not only("high_tickets_open", account(support=tickets(open=2, open_high=2)))


def test_a_ticket_waiting_15_days_fires_14_does_not() -> None:
    (finding,) = only("long_ticket_wait", account(support=tickets(longest_wait_days=15)))
    assert "waited 15 days (limit 14)" in finding.evidence
    assert not only("long_ticket_wait", account(support=tickets(longest_wait_days=14)))


def test_a_spike_of_exactly_50_percent_fires() -> None:
    (finding,) = only("ticket_spike", account(support=tickets(new_recent=6, new_before=4)))
    assert finding.evidence == "6 new tickets in the last 28 days, up from 4 in the 28 days before"
    assert finding.severity == "medium"  # a rise within the limit


def test_a_rise_just_below_50_percent_is_not_a_spike() -> None:
    assert not only("ticket_spike", account(support=tickets(new_recent=8, new_before=6)))  # +33%
    assert not is_spike(14, 10, CONFIG)  # +40%
    assert is_spike(15, 10, CONFIG)  # +50%
    assert not is_spike(149, 100, CONFIG)  # +49%


def test_a_spike_from_zero_needs_spike_min_tickets() -> None:
    assert not is_spike(3, 0, CONFIG)  # "3 tickets vs 0" is no spike: at least 5 in the recent window
    assert not is_spike(4, 0, CONFIG)
    assert is_spike(5, 0, CONFIG)
    assert not is_spike(4, 1, CONFIG)  # +300%, but only four tickets
    custom = config_from({"support": {"spike_min_tickets": 3}})
    assert not is_spike(2, 0, custom) and is_spike(3, 0, custom)


def test_support_thresholds_come_from_the_config() -> None:
    config = config_from({"support": {"new_tickets_max": 3, "open_max": 1, "long_wait_days": 5}})
    found = risks(account(support=tickets(new_recent=4, new_before=4, open=2, longest_wait_days=6)), config=config)
    assert rules(found) == ["open_tickets", "ticket_volume"]  # the open tickets and their wait: one problem
    (open_load,) = [f for f in found if f.rule == "open_tickets"]
    assert open_load.evidence == "2 tickets open at once (limit 1); the oldest has waited 6 days (limit 5)"


def test_one_ticket_surge_is_one_support_risk_with_all_its_numbers() -> None:
    """Issue 13: the same 14 tickets raised volume, spike and (through them) a renewal risk citing both."""
    found = risks(account(support=tickets(new_recent=14, new_before=5)))
    (surge,) = [f for f in found if f.category == "support"]
    assert (surge.rule, surge.severity) == ("ticket_volume", "high")
    assert surge.evidence == "14 new tickets in the last 28 days (limit 10), up from 5 in the 28 days before"


def test_the_open_tickets_are_one_risk_named_by_their_most_severe_part() -> None:
    found = risks(
        account(support=tickets(new_recent=2, new_before=2, open=7, open_critical=1, open_high=3, longest_wait_days=20))
    )
    (load,) = [f for f in found if f.category == "support" and f.rule not in ("ticket_volume", "ticket_spike")]
    assert (load.rule, load.severity) == ("critical_ticket_open", "critical")
    assert load.evidence == (
        "1 critical ticket open; 3 high-priority tickets open (limit 2); 7 tickets open at once (limit 5); "
        "the oldest has waited 20 days (limit 14)"
    )


def test_no_ticket_for_90_days_is_support_silence() -> None:
    (finding,) = only("support_silence", account(support=tickets(last_ticket_on=days_ago(90), open=0)))
    assert finding.severity == "medium"
    assert "stopped using the product" in finding.evidence
    assert not only("support_silence", account(support=tickets(last_ticket_on=days_ago(89), open=0)))


def test_an_account_with_no_ticket_ever_is_silent_when_the_book_has_tickets() -> None:
    (finding,) = only("support_silence", account(support=None))
    assert "no ticket ever" in finding.evidence


def test_a_book_without_tickets_raises_no_silence() -> None:
    assert risks(account(support=None), the_book=book(tickets=False)) == []


def test_an_account_younger_than_90_days_is_not_silent() -> None:
    assert not only("support_silence", account(support=None, contract_start=days_ago(89)))
    assert only("support_silence", account(support=None, contract_start=days_ago(90)))


def test_a_churned_account_is_not_silent() -> None:
    assert not only("support_silence", account(support=None, churned_on=days_ago(200)))


# Sentiment


def test_an_nps_answer_of_6_is_a_detractor_7_is_not() -> None:
    (finding,) = only("nps_detractor", account(surveys=nps(6)))
    assert finding.category == "sentiment" and finding.severity == "high"
    assert "6/10" in finding.evidence
    assert not only("nps_detractor", account(surveys=nps(7)))


def test_nps_falling_by_2_points_fires_by_1_does_not() -> None:
    (finding,) = only("nps_falling", account(surveys=nps(7, earlier_average=9.0)))
    assert finding.evidence == f"latest NPS answer 7/10 on {days_ago(20)}, down from an average of 9.0 before"
    assert not only("nps_falling", account(surveys=nps(8, earlier_average=9.0)))


def test_one_nps_answer_gives_one_sentiment_finding() -> None:
    found = [f for f in risks(account(surveys=nps(4, earlier_average=9.0))) if f.category == "sentiment"]
    (detractor,) = found
    assert detractor.rule == "nps_detractor" and detractor.evidence.endswith(", down from an average of 9.0 before")


def test_a_single_nps_answer_cannot_be_falling() -> None:
    assert not only("nps_falling", account(surveys=nps(3)))


@pytest.mark.parametrize(("answer", "severity"), [("no", "high"), ("unsure", "medium")])
def test_the_csm_would_not_happily_renew(answer: str, severity: str) -> None:
    (finding,) = only("csm_would_not_renew", account(renewal_sentiment=answer))
    assert finding.severity == severity and f"'{answer}'" in finding.evidence


def test_the_csm_would_happily_renew_raises_nothing() -> None:
    assert not risks(account(renewal_sentiment="yes", support=tickets()))


# Company


def champion_and_admin(**champion: object) -> tuple[object, ...]:
    return (person(**champion), person(11, "Sam Poe", "admin", last_contact_on=days_ago(2)))  # type: ignore[arg-type]


def test_a_champion_who_left_with_no_successor_is_a_high_company_risk() -> None:
    (finding,) = only("champion_left", account(stakeholders=champion_and_admin(left_on=days_ago(10))))
    assert finding.category == "company" and finding.severity == "high"
    assert "no new champion logged" in finding.evidence


def test_a_champion_who_left_and_was_replaced_is_a_medium_risk() -> None:
    people = (*champion_and_admin(left_on=days_ago(10)), person(12, "Tom Ruiz", "champion", added_on=days_ago(400)))
    (finding,) = only("champion_left", account(stakeholders=people))
    assert finding.severity == "medium" and "a new one is logged" in finding.evidence


def test_an_exec_sponsor_who_left_is_a_company_risk() -> None:
    assert only("champion_left", account(stakeholders=(person(role="exec_sponsor", left_on=days_ago(1)),)))


def test_a_single_contact_is_single_threaded() -> None:
    (finding,) = only("single_threaded", account(stakeholders=(person(),)))
    assert finding.severity == "medium"
    (smb,) = only("single_threaded", account(segment="smb", stakeholders=(person(),)))
    assert smb.severity == "low"
    assert not only("single_threaded", account(stakeholders=champion_and_admin()))


def test_no_executive_sponsor_counts_the_contacts_of_an_enterprise_account_in_words() -> None:
    (alone,) = only("no_exec_sponsor", account(segment="enterprise", stakeholders=(person(),)))
    assert (alone.severity, alone.evidence) == (
        "low", "no executive sponsor: the only contact at an enterprise account is not one"
    )  # fmt: skip
    (two,) = only("no_exec_sponsor", account(segment="enterprise", stakeholders=champion_and_admin()))
    assert two.evidence == "no executive sponsor among 2 contacts of an enterprise account"
    assert not only("no_exec_sponsor", account(segment="mid_market", stakeholders=(person(),)))


def test_a_contact_who_left_does_not_count_as_a_thread() -> None:
    people = champion_and_admin(left_on=days_ago(200))
    assert only("single_threaded", account(stakeholders=people))


# Implementation


def test_onboarding_behind_at_31_days_not_activated_at_91() -> None:
    onboarding = "onboarding"
    assert not risks(account(contract_start=days_ago(30), support=tickets(), lifecycle_stage=onboarding))
    (behind,) = only("onboarding_behind", account(contract_start=days_ago(31), lifecycle_stage=onboarding))
    assert behind.category == "implementation" and behind.severity == "high"
    assert not only("not_activated", account(contract_start=days_ago(90), lifecycle_stage=onboarding))
    (severe,) = only("not_activated", account(contract_start=days_ago(91), lifecycle_stage=onboarding))
    assert severe.severity == "critical"
    # no usage in the book and a stage past onboarding: whether it went live is unknown
    assert not only("not_activated", account(contract_start=days_ago(300)))


def test_onboarding_is_not_behind_once_usage_shows_a_first_active_day() -> None:
    active = usage(active=20, seats=40, first_active_on=days_ago(60))
    assert not only("onboarding_behind", account(contract_start=days_ago(45), usage=active))


def test_an_open_sow_is_an_implementation_risk() -> None:
    (finding,) = only("open_sow", account(open_sows=("SOW - SSO configuration",)))
    assert "SOW - SSO configuration" in finding.evidence


# Product


def test_a_feature_gap_on_an_account_renewing_inside_120_days_is_a_product_risk() -> None:
    (finding,) = only("feature_gap_renewal", account(feature_requests=("SSO",), renewal_date=days_ahead(120)))
    assert finding.category == "product" and finding.severity == "medium"
    (near,) = only("feature_gap_renewal", account(feature_requests=("SSO",), renewal_date=days_ahead(60)))
    assert near.severity == "high"
    assert not only("feature_gap_renewal", account(feature_requests=("SSO",), renewal_date=days_ahead(121)))
    assert not only("feature_gap_renewal", account(renewal_date=days_ahead(30)))


# Renewal


def test_a_renewal_inside_120_days_with_health_below_70_is_at_risk() -> None:
    (finding,) = only("renewal_at_risk", account(renewal_date=days_ahead(100)), health=69.0)
    assert finding.category == "renewal" and finding.severity == "high"
    assert "health 69 < 70" in finding.evidence
    assert not only("renewal_at_risk", account(renewal_date=days_ahead(100)), health=70.0)
    assert not only("renewal_at_risk", account(renewal_date=days_ahead(121)), health=20.0)


def test_a_renewal_with_unknown_health_is_not_at_risk_for_health_alone() -> None:
    assert not only("renewal_at_risk", account(renewal_date=days_ahead(100)), health=None)


def test_negative_sentiment_puts_a_renewal_at_risk() -> None:
    (finding,) = only("renewal_at_risk", account(renewal_date=days_ahead(100), renewal_sentiment="no"))
    assert "negative sentiment" in finding.evidence
    assert only("renewal_at_risk", account(renewal_date=days_ahead(100), surveys=nps(5)))


def test_an_open_high_risk_puts_a_renewal_at_risk() -> None:
    (finding,) = only("renewal_at_risk", account(renewal_date=days_ahead(100), support=tickets(open_critical=1)))
    assert finding.evidence.endswith("with 1 serious risk: a critical ticket open")
    assert "critical_ticket_open" not in finding.evidence  # causes by name, never by rule id


def test_a_renewal_at_risk_inside_60_days_with_red_health_is_critical() -> None:
    (red,) = only("renewal_at_risk", account(renewal_date=days_ahead(60)), health=39.0)
    assert red.severity == "critical"
    (yellow,) = only("renewal_at_risk", account(renewal_date=days_ahead(60)), health=40.0)
    assert yellow.severity == "high"
    (two_reasons,) = only("renewal_at_risk", account(renewal_date=days_ahead(60), renewal_sentiment="no"), health=60)
    assert two_reasons.severity == "critical"
    (far,) = only("renewal_at_risk", account(renewal_date=days_ahead(61)), health=10.0)
    assert far.severity == "high"


def test_a_churned_account_has_no_renewal_risk() -> None:
    assert not only("renewal_at_risk", account(renewal_date=days_ahead(30), churned_on=days_ago(1)), health=10)


def test_every_risk_carries_a_rule_key_naming_the_account() -> None:
    facts = account(
        support=tickets(new_recent=20, open=9, open_critical=1), surveys=nps(2), renewal_date=days_ahead(30)
    )
    found = risks(facts, health=30.0)
    assert len({f.rule_key for f in found}) == len(found)
    assert all(f.rule_key.startswith(f"{f.rule}:1") for f in found)


def test_a_renewal_at_risk_for_its_health_names_the_score_every_view_shows_too() -> None:
    """The rule weighs the score before the open risks moved it (they count as risks, not twice); the words say
    both where they differ, so that no screen seems to give one account two healths."""
    from datetime import date

    from csm.domain.risks import Renewing, renewal_risk

    today, row = date(2027, 3, 1), Renewing(1, date(2027, 3, 22), None)
    moved = renewal_risk(row, [], 67.2, "yellow", today, Config(), shown_score=57.2)
    assert moved is not None and "with health 67.2 < 70 before its open risks (57.2 with them)" in moved.evidence
    same = renewal_risk(row, [], 67.2, "yellow", today, Config(), shown_score=67.2)
    assert same is not None and same.evidence == "renewal in 21 days (2027-03-22) with health 67.2 < 70"
    close = renewal_risk(row, [], 69.7, "yellow", today, Config(), shown_score=69.7)  # not "health 70 < 70"
    assert close is not None and close.evidence == "renewal in 21 days (2027-03-22) with health 69.7 < 70"


def test_the_oldest_wait_beside_a_critical_ticket_is_not_the_critical_tickets() -> None:
    """A trial: '1 critical ticket open; the oldest has waited 59 days' read as the critical ticket's wait; it was a
    low-priority ticket on hold, the critical one 4 days old."""
    found = risks(account(support=tickets(open=2, open_critical=1, longest_wait_days=59)))
    (load,) = [f for f in found if f.rule == "critical_ticket_open"]
    assert load.evidence == "1 critical ticket open; the oldest open ticket has waited 59 days (limit 14)"
    (wait,) = [f for f in risks(account(support=tickets(open=2, longest_wait_days=59))) if f.category == "support"]
    assert wait.evidence == "a ticket has waited 59 days (limit 14)"
