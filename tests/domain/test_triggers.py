"""Date-driven triggers (DOMAIN.md): the to-dos a CSM relies on appearing on the right day, and not the day before."""

from __future__ import annotations

from datetime import date

import pytest

from csm.config import CadenceRules, Config, PerSegment
from csm.domain.triggers import Todo
from tests.domain.conftest import AS_OF, account, config_from, days_ago, days_ahead, goal, person, todos_for, usage

CONFIG = Config()


def kinds(todos: list[Todo]) -> list[str]:
    return sorted(t.kind for t in todos)


def fired(kind: str, **facts: object) -> list[Todo]:
    return [t for t in todos_for(account(**facts), AS_OF, CONFIG) if t.kind == kind]


def test_a_quiet_account_raises_no_todo() -> None:
    assert todos_for(account(), AS_OF, CONFIG) == []


# Renewals


def test_renewal_outreach_fires_at_120_days() -> None:
    (todo,) = fired("renewal_outreach", renewal_date=days_ahead(120))
    assert todo.due == AS_OF
    assert "120 days" in todo.title
    assert "120-day outreach window" in todo.reason


def test_renewal_outreach_fires_at_119_days() -> None:
    assert fired("renewal_outreach", renewal_date=days_ahead(119))


def test_renewal_outreach_waits_at_121_days() -> None:
    assert not fired("renewal_outreach", renewal_date=days_ahead(121))
    assert todos_for(account(renewal_date=days_ahead(121)), AS_OF, CONFIG) == []


def test_at_60_days_the_renewal_reminder_replaces_the_outreach() -> None:
    assert kinds(todos_for(account(renewal_date=days_ahead(60)), AS_OF, CONFIG)) == ["renewal_reminder"]


def test_renewal_reminder_fires_at_60_days_not_61() -> None:
    assert fired("renewal_reminder", renewal_date=days_ahead(60))
    assert not fired("renewal_reminder", renewal_date=days_ahead(61))
    assert fired("renewal_outreach", renewal_date=days_ahead(61))


def test_renewal_reminder_still_shows_on_the_renewal_day() -> None:
    assert kinds(todos_for(account(renewal_date=AS_OF), AS_OF, CONFIG)) == ["renewal_reminder"]


def test_renewal_overdue_fires_the_day_after_the_renewal_date() -> None:
    (todo,) = fired("renewal_overdue", renewal_date=days_ago(1))
    assert todo.due == days_ago(1)
    assert "1 days overdue" in todo.title
    assert not fired("renewal_overdue", renewal_date=AS_OF)


@pytest.mark.parametrize("churn", [{"churned_on": days_ago(10)}, {"lifecycle_stage": "churned"}])
def test_a_churned_account_raises_no_renewal_todos(churn: dict[str, object]) -> None:
    for renewal in (days_ago(1), days_ahead(30), days_ahead(100)):
        assert todos_for(account(renewal_date=renewal, **churn), AS_OF, CONFIG) == []


def test_renewal_windows_come_from_the_config() -> None:
    config = config_from({"renewal": {"outreach_days": 150, "reminder_days": 30}})
    todos = todos_for(account(renewal_date=days_ahead(150)), AS_OF, config)
    assert kinds(todos) == ["renewal_outreach"]
    assert kinds(todos_for(account(renewal_date=days_ahead(31)), AS_OF, config)) == ["renewal_outreach"]


def test_renewal_todo_key_follows_the_renewal_date() -> None:
    first = fired("renewal_outreach", renewal_date=days_ahead(100))[0]
    moved = fired("renewal_outreach", renewal_date=days_ahead(101))[0]
    assert first.rule_key != moved.rule_key
    assert first.rule_key == fired("renewal_outreach", renewal_date=days_ahead(100))[0].rule_key


# EBRs


def test_enterprise_ebr_is_due_a_quarter_after_the_last_one_with_two_weeks_to_prepare() -> None:
    last = date(2026, 12, 15)  # next EBR 2027-03-15, prepare from 2027-03-01
    (todo,) = fired("ebr_due", segment="enterprise", last_ebr_on=last)
    assert todo.due == date(2027, 3, 15)  # the EBR's own date; the to-do shows from two weeks before
    assert "due 2027-03-15" in todo.title
    assert not fired("ebr_due", segment="enterprise", last_ebr_on=date(2026, 12, 16))


@pytest.mark.parametrize(("segment", "months"), [("enterprise", 3), ("mid_market", 6), ("smb", 12)])
def test_ebr_cadence_follows_the_segment(segment: str, months: int) -> None:
    from dateutil.relativedelta import relativedelta

    next_ebr = AS_OF + relativedelta(days=14)
    last = next_ebr - relativedelta(months=months)
    assert fired("ebr_due", segment=segment, last_ebr_on=last)
    assert not fired("ebr_due", segment=segment, last_ebr_on=last + relativedelta(days=1))


def test_ebr_due_counts_from_the_contract_start_before_the_first_ebr() -> None:
    (todo,) = fired("ebr_due", segment="smb", contract_start=date(2026, 3, 10), created_on=days_ago(400))
    assert "contract start 2026-03-10" in todo.reason


def test_missing_ebr_history_is_unknown_not_late() -> None:
    """A fresh import: the contract began years before the book knew the account, and no EBR is on record."""
    fresh = {"contract_start": date(2024, 6, 15), "created_on": AS_OF, "last_touch_on": None}
    (todo,) = fired("ebr_due", segment="enterprise", **fresh)
    assert todo.title == (
        'No EBR on record with Acme Corp: log the last one (csm log "Acme Corp" --kind ebr --date …) or plan one'
    )
    assert todo.due == AS_OF and "late" not in todo.title
    assert todo.rule_key == "ebr_due:1:unrecorded"
    assert not fired("touch_overdue", segment="enterprise", **fresh)  # the touch cadence counts from today
    assert fired("touch_overdue", segment="enterprise", **fresh | {"created_on": days_ago(15)})


def test_a_book_whose_record_reaches_back_counts_from_the_contract_start() -> None:
    """History imported from before the contract: the contract start is a real base, and lateness is real."""
    (todo,) = fired("ebr_due", segment="enterprise", contract_start=date(2026, 6, 1), created_on=date(2026, 1, 1))
    assert "2026-09-01" in todo.title and "days late" in todo.title


def test_a_late_ebr_says_how_late() -> None:
    (todo,) = fired("ebr_due", segment="enterprise", last_ebr_on=date(2026, 10, 20))
    assert "2027-01-20" in todo.title and "40 days late" in todo.title


def test_a_per_account_ebr_cadence_overrides_the_segment() -> None:
    last = date(2026, 9, 15)  # monthly override: long overdue; enterprise quarterly: also; half-yearly: not yet
    assert fired("ebr_due", segment="mid_market", last_ebr_on=last, ebr_cadence_months=3)
    assert not fired("ebr_due", segment="enterprise", last_ebr_on=last, ebr_cadence_months=12)


def test_without_a_contract_start_the_ebr_counts_from_when_the_account_was_added() -> None:
    assert not fired("ebr_due", segment="enterprise")  # added 40 days ago: due in 50
    (todo,) = fired("ebr_due", segment="enterprise", created_on=date(2026, 10, 1))
    assert todo.due == date(2027, 1, 1) and "no EBR on record since the account was added on 2026-10-01" in todo.reason


# Touches


@pytest.mark.parametrize(("segment", "cadence"), [("enterprise", 14), ("mid_market", 30), ("smb", 90)])
def test_touch_overdue_fires_the_day_after_the_segment_cadence(segment: str, cadence: int) -> None:
    (todo,) = fired("touch_overdue", segment=segment, last_touch_on=days_ago(cadence + 1))
    assert f"every {cadence} days" in todo.reason
    assert not fired("touch_overdue", segment=segment, last_touch_on=days_ago(cadence))


def test_touch_cadence_comes_from_the_config() -> None:
    config = Config(cadence=CadenceRules(touch_days=PerSegment(enterprise=7, mid_market=30, smb=90)))
    overdue = account(segment="enterprise", last_touch_on=days_ago(8))
    assert kinds(todos_for(overdue, AS_OF, config)) == ["touch_overdue"]


def test_an_account_never_touched_is_overdue() -> None:
    (todo,) = fired("touch_overdue", last_touch_on=None)
    assert todo.title == f"Check in with Acme Corp: no touch on record since {days_ago(40)}"


# Success plans


def test_milestone_due_within_14_days_fires() -> None:
    (todo,) = fired("milestone_due", plan=(goal(due=days_ahead(14)),))
    assert todo.due == days_ahead(14)
    assert not fired("milestone_due", plan=(goal(due=days_ahead(15)),))


def test_a_late_milestone_fires_until_achieved() -> None:
    (todo,) = fired("milestone_due", plan=(goal(due=days_ago(3), kind="milestone", status="at_risk"),))
    assert "late since" in todo.title and "Faster onboarding" in todo.title
    assert not fired("milestone_due", plan=(goal(due=days_ago(3), status="achieved"),))
    assert not fired("milestone_due", plan=(goal(due=days_ahead(3), status="achieved"),))


def test_a_goal_without_a_due_date_raises_nothing() -> None:
    assert not fired("milestone_due", plan=(goal(due=None),))


# Onboarding


def test_onboarding_waits_for_30_days_and_fires_at_31() -> None:
    assert not fired("onboarding", contract_start=days_ago(30), lifecycle_stage="onboarding")
    (todo,) = fired("onboarding", contract_start=days_ago(31), lifecycle_stage="onboarding")
    assert "first value" in todo.title
    assert "limit 30 days" in todo.reason


def test_onboarding_turns_severe_after_90_days() -> None:
    (at_90,) = fired("onboarding", contract_start=days_ago(90), lifecycle_stage="onboarding")
    (at_91,) = fired("onboarding", contract_start=days_ago(91), lifecycle_stage="onboarding")
    assert "escalate" not in at_90.title
    assert "not activated, escalate now" in at_91.title
    assert at_90.rule_key != at_91.rule_key


def test_onboarding_needs_evidence_usage_or_an_onboarding_stage() -> None:
    """Issue 13: a customer signed 45 days ago with no usage in the book and a stage of adoption is not behind."""
    assert not fired("onboarding", contract_start=days_ago(45))
    assert fired("onboarding", contract_start=days_ago(45), lifecycle_stage="purchase")
    assert fired("onboarding", contract_start=days_ago(45), usage=usage(active=1, seats=40))


def test_onboarding_is_quiet_once_first_value_is_recorded() -> None:
    assert not fired("onboarding", contract_start=days_ago(45), first_value_on=days_ago(10))


def test_onboarding_is_quiet_when_usage_shows_a_first_active_day() -> None:
    active = usage(active=30, seats=60, first_active_on=days_ago(20))
    assert not fired("onboarding", contract_start=days_ago(45), usage=active)


# Champions and sponsors


def test_a_champion_who_left_raises_a_call_now_todo() -> None:
    left = person(left_on=days_ago(10))
    (todo,) = fired("champion_change", stakeholders=(left, person(11, "Sam Poe", "user", last_contact_on=days_ago(2))))
    assert "call now" in todo.title and "left" in todo.title
    assert todo.due == days_ago(10)


def test_a_departure_long_ago_is_not_news() -> None:
    assert not fired("champion_change", stakeholders=(person(left_on=days_ago(91)),))


def test_a_champion_title_change_raises_a_todo() -> None:
    moved = person(title="Chief of Staff", changed_title_on=days_ago(5), last_contact_on=days_ago(5))
    (todo,) = fired("champion_change", stakeholders=(moved,))
    assert "title or company changed" in todo.reason and "Chief of Staff" in todo.reason


def test_a_user_title_change_is_not_a_champion_change() -> None:
    moved = person(role="user", changed_title_on=days_ago(5))
    assert not fired("champion_change", stakeholders=(moved,))


def test_a_champion_absent_60_days_while_others_attend_raises_a_todo() -> None:
    champion = person(last_contact_on=days_ago(61))
    other = person(11, "Sam Poe", "admin", last_contact_on=days_ago(3))
    (todo,) = fired("champion_change", stakeholders=(champion, other))
    assert "gone quiet" in todo.title
    assert not fired("champion_change", stakeholders=(person(last_contact_on=days_ago(60)), other))


def test_a_quiet_champion_is_not_absent_when_nobody_attends() -> None:
    champion = person(last_contact_on=days_ago(100))
    other = person(11, "Sam Poe", "admin", last_contact_on=days_ago(100))
    assert not fired("champion_change", stakeholders=(champion, other))


def test_a_new_executive_raises_an_introduction_todo() -> None:
    exec_sponsor = person(12, "Ada King", "exec_sponsor", added_on=days_ago(5), title="CFO")
    (todo,) = fired("champion_change", stakeholders=(exec_sponsor,))
    assert "new executive Ada King (CFO)" in todo.title
    assert todo.due == days_ahead(2)
    old_exec = person(12, "Ada King", "exec_sponsor", added_on=days_ago(31), last_contact_on=days_ago(2))
    assert not fired("champion_change", stakeholders=(old_exec,))
