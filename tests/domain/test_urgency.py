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


def test_overdue_days_add_half_a_point_each_up_to_10() -> None:
    assert terms(UrgencyInputs(kind="manual", due=days_ago(4), deferrals=0))["overdue"].value == 2.0
    assert terms(UrgencyInputs(kind="manual", due=days_ago(20), deferrals=0))["overdue"].value == 10.0
    assert terms(UrgencyInputs(kind="manual", due=days_ago(200), deferrals=0))["overdue"].value == 10.0
    assert "overdue" not in terms(UrgencyInputs(kind="manual", due=AS_OF, deferrals=0))


def test_arr_counts_up_to_the_enterprise_line() -> None:
    assert terms(UrgencyInputs(kind="manual", due=None, deferrals=0, arr=50_000))["arr"].value == 2.0
    assert terms(UrgencyInputs(kind="manual", due=None, deferrals=0, arr=500_000))["arr"].value == 4.0


def test_renewal_term_grows_as_the_renewal_nears() -> None:
    def renewal(days: int) -> float:
        found = terms(UrgencyInputs(kind="manual", due=None, deferrals=0, days_to_renewal=days))
        return found["renewal"].value if "renewal" in found else 0.0

    assert renewal(121) == 0.0
    assert renewal(120) == 0.0  # the window's edge: factor 0
    assert renewal(60) == pytest.approx(3.0)
    assert renewal(0) == 6.0
    assert renewal(-10) == 6.0


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
        arr=150_000,
        days_to_renewal=60,
        health_band="yellow",
        worst_risk="high",
    )
    found = terms(item)
    assert {name: t.value for name, t in found.items()} == {
        "due": 12.0,
        "overdue": 2.0,
        "arr": 4.0,
        "renewal": pytest.approx(3.0),
        "health": 2.0,
        "risk": 4.0,
        "deferrals": 1.0,
        "kind": 4.0,
    }
    assert urgency(item, AS_OF, CONFIG) == 32.0
    assert all(t.why for t in found.values())


def test_coefficients_come_from_the_config() -> None:
    config = config_from({"urgency": {"due": 1.0, "overdue_per_day": 1.0, "overdue_max": 3.0, "kind": {"manual": 7.0}}})
    item = UrgencyInputs(kind="manual", due=days_ago(10), deferrals=0)
    found = terms(item, config)
    assert found["due"].value == 1.0
    assert found["overdue"].value == 3.0
    assert found["kind"].value == 7.0
    assert urgency(item, AS_OF, config) == 11.0
