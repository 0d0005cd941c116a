"""Urgency of a to-do (taskwarrior-style): each published term, and the total for a known case."""

from __future__ import annotations

import pytest

from csm.config import Config
from csm.domain.urgency import Term, UrgencyInputs, due_factor, urgency, urgency_terms
from tests.domain.conftest import AS_OF, config_from, days_ago, days_ahead

CONFIG = Config()


def terms(item: UrgencyInputs, config: Config = CONFIG) -> dict[str, Term]:
    return {t.name: t for t in urgency_terms(item, AS_OF, config)}


def test_due_factor_is_full_when_due_and_fades_to_a_fifth_at_14_days() -> None:
    assert due_factor(AS_OF, AS_OF) == 1.0
    assert due_factor(days_ago(5), AS_OF) == 1.0
    assert due_factor(days_ahead(7), AS_OF) == pytest.approx(0.6)
    assert due_factor(days_ahead(14), AS_OF) == pytest.approx(0.2)
    assert due_factor(days_ahead(60), AS_OF) == 0.2
    assert due_factor(None, AS_OF) == 0.0


def test_a_manual_todo_without_a_due_date_scores_only_its_kind() -> None:
    found = terms(UrgencyInputs(kind="manual", due=None, deferrals=0))
    assert list(found) == ["kind"]
    assert urgency(UrgencyInputs(kind="manual", due=None, deferrals=0), AS_OF, CONFIG) == 2.0


def test_overdue_days_add_a_quarter_point_each_up_to_3() -> None:
    assert terms(UrgencyInputs(kind="manual", due=days_ago(4), deferrals=0))["overdue"].value == 1.0
    assert terms(UrgencyInputs(kind="manual", due=days_ago(12), deferrals=0))["overdue"].value == 3.0
    assert terms(UrgencyInputs(kind="manual", due=days_ago(900), deferrals=0))["overdue"].value == 3.0
    assert "overdue" not in terms(UrgencyInputs(kind="manual", due=AS_OF, deferrals=0))


def stake(arr: float, *, days_to_renewal: int | None = None, worst_risk: str | None = None) -> float:
    item = UrgencyInputs("manual", None, 0, arr=arr, days_to_renewal=days_to_renewal, worst_risk=worst_risk)
    return terms(item)["stake"].value


def test_the_stake_is_arr_on_a_square_root_scale_times_what_presses_on_it() -> None:
    assert stake(500_000, days_to_renewal=60) == 30.0
    assert stake(2_000_000, days_to_renewal=60) == 30.0  # the weight is at most 1
    assert stake(125_000, days_to_renewal=60) == 15.0  # a quarter of the ARR: half the weight
    assert stake(125_000) == pytest.approx(3.0)  # nothing presses: a fifth
    assert "stake" not in terms(UrgencyInputs("manual", None, 0, arr=0.0))


def test_the_renewal_presses_fully_inside_the_reminder_window_and_from_0_4_at_the_outreach_start() -> None:
    assert stake(500_000, days_to_renewal=-10) == pytest.approx(36.0)  # overdue: 1.2
    assert stake(500_000, days_to_renewal=0) == pytest.approx(36.0)
    assert stake(500_000, days_to_renewal=30) == pytest.approx(33.0)  # the nearer renewal presses more
    assert stake(500_000, days_to_renewal=60) == 30.0
    assert stake(500_000, days_to_renewal=90) == pytest.approx(21.0)
    assert stake(500_000, days_to_renewal=120) == pytest.approx(12.0)
    assert stake(500_000, days_to_renewal=121) == pytest.approx(6.0)  # beyond the window: the quiet 0.2


@pytest.mark.parametrize(("risk", "value"), [("critical", 30.0), ("high", 21.0), ("medium", 12.0), ("low", 6.0)])
def test_an_open_risk_presses_on_the_arr_by_its_severity(risk: str, value: float) -> None:
    assert stake(500_000, worst_risk=risk) == pytest.approx(value)
    assert stake(500_000, days_to_renewal=60, worst_risk=risk) == 30.0  # the stronger of the two presses


def test_dollars_lead_a_large_renewal_outranks_a_small_accounts_long_late_check_in() -> None:
    """Issue 13: a $12.5k SMB check-in 655 days late against a $420k renewal in 61 days with a high risk."""
    check_in = UrgencyInputs("touch_overdue", days_ago(655), 0, arr=12_500, days_to_renewal=200)
    renewal = UrgencyInputs(
        "renewal_outreach", days_ago(59), 0, arr=420_000, days_to_renewal=61, health_band="yellow", worst_risk="high"
    )
    assert urgency(check_in, AS_OF, CONFIG) == pytest.approx(15.96)  # due 10, overdue 3, stake 0.96, kind 2
    assert urgency(renewal, AS_OF, CONFIG) > 3 * urgency(check_in, AS_OF, CONFIG)
    why = terms(renewal)["stake"].why
    assert why == "ARR $420,000 (0.917 of $500,000, square-root scale) × 0.99 (renewal in 61 days)"


@pytest.mark.parametrize(("band", "value"), [("red", 5.0), ("yellow", 2.0), ("green", 0.0), ("n/a", 0.0)])
def test_health_band_term(band: str, value: float) -> None:
    found = terms(UrgencyInputs(kind="manual", due=None, deferrals=0, health_band=band))
    assert (found["health"].value if "health" in found else 0.0) == value


@pytest.mark.parametrize(("risk", "value"), [("critical", 6.0), ("high", 4.0), ("medium", 2.0), ("low", 0.0)])
def test_worst_open_risk_term(risk: str, value: float) -> None:
    found = terms(UrgencyInputs(kind="manual", due=None, deferrals=0, worst_risk=risk))
    assert (found["risk"].value if "risk" in found else 0.0) == value


def test_each_deferral_adds_a_point_up_to_five() -> None:
    assert terms(UrgencyInputs(kind="deferred", due=None, deferrals=2))["deferrals"].value == 2.0
    assert terms(UrgencyInputs(kind="deferred", due=None, deferrals=9))["deferrals"].value == 5.0


@pytest.mark.parametrize(
    ("kind", "value"),
    [("renewal_overdue", 8.0), ("champion_change", 6.0), ("renewal_outreach", 4.0), ("touch_overdue", 2.0)],
)
def test_kind_term(kind: str, value: float) -> None:
    assert terms(UrgencyInputs(kind=kind, due=None, deferrals=0))["kind"].value == value


def test_the_total_for_a_known_case() -> None:
    item = UrgencyInputs(
        kind="renewal_outreach",
        due=days_ago(4),
        deferrals=1,
        arr=125_000,
        days_to_renewal=60,
        health_band="yellow",
        worst_risk="high",
    )
    found = terms(item)
    assert {name: t.value for name, t in found.items()} == {
        "due": 10.0,
        "overdue": 1.0,
        "stake": 15.0,
        "health": 2.0,
        "risk": 4.0,
        "deferrals": 1.0,
        "kind": 4.0,
    }
    assert urgency(item, AS_OF, CONFIG) == 37.0
    assert all(t.why for t in found.values())


def test_coefficients_come_from_the_config() -> None:
    config = config_from({"urgency": {"due": 1.0, "overdue_per_day": 1.0, "overdue_max": 3.0, "kind": {"manual": 7.0}}})
    item = UrgencyInputs(kind="manual", due=days_ago(10), deferrals=0)
    found = terms(item, config)
    assert found["due"].value == 1.0
    assert found["overdue"].value == 3.0
    assert found["kind"].value == 7.0
    assert urgency(item, AS_OF, config) == 11.0


def test_a_step_handed_to_someone_else_weighs_less_until_it_is_late() -> None:
    """The AE's step due in two days loses 30% of its urgency to the CSM's own work; once late it is the CSM's to
    chase, at full weight; a small one never goes below zero."""
    own = UrgencyInputs("playbook", days_ahead(2), 0, arr=240_000, worst_risk="high")
    handed = own._replace(handed_out=True)
    whole = urgency(own, AS_OF, CONFIG)
    term = terms(handed)["handed out"]
    assert (term.coefficient, term.factor) == (-0.3, whole) and "handed out" not in terms(own)
    assert urgency(handed, AS_OF, CONFIG) == pytest.approx(whole * 0.7, abs=0.01)
    assert sum(t.value for t in terms(handed).values()) == pytest.approx(urgency(handed, AS_OF, CONFIG), abs=0.01)
    late = handed._replace(due=days_ago(1))
    assert "handed out" not in terms(late)
    assert urgency(late, AS_OF, CONFIG) == urgency(own._replace(due=days_ago(1)), AS_OF, CONFIG)
    small = UrgencyInputs("playbook", days_ahead(30), 0, handed_out=True)
    assert urgency(small, AS_OF, config_from({"urgency": {"handed_out": -5}})) == 0.0  # at most all of it


def test_the_stake_says_the_accounts_money_in_its_currency() -> None:
    euros = UrgencyInputs("renewal_outreach", AS_OF, 0, arr=420_000, days_to_renewal=61, currency="EUR")
    assert (
        terms(euros)["stake"].why == "ARR €420,000 (0.917 of €500,000, square-root scale) × 0.99 (renewal in 61 days)"
    )
