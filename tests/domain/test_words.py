"""The words a CSM reads for days, deferrals, scores and a renewal's outlook."""

from __future__ import annotations

import pytest

from csm.config import Config
from csm.domain.forecast import Signals, renewal_outlook
from csm.domain.words import days_away, deferred_words, score_words


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "today"), (1, "tomorrow"), (11, "in 11 days"), (-1, "1 day overdue"), (-14, "14 days overdue")],
)
def test_a_day_is_said_as_a_csm_says_it(days: int, words: str) -> None:
    assert days_away(days) == words


def test_deferrals_are_counted_in_words() -> None:
    assert [deferred_words(n, None) for n in (1, 2, 3)] == ["deferred once", "deferred twice", "deferred 3 times"]
    assert deferred_words(2, " Tom on vacation ") == "deferred twice: Tom on vacation"


def test_a_score_keeps_its_decimal_where_rounding_would_mislead() -> None:
    assert [score_words(s) for s in (69.74, 70.0, 57.25, -12.66)] == ["69.7", "70", "57.2", "-12.7"]


def test_a_renewals_outlook_names_the_risk_in_words_not_its_rule() -> None:
    signals = Signals(30, 69.7, "yellow", "high", "feature_gap_renewal", None, None, None)
    assert renewal_outlook(signals, Config()).why[0] == "a high risk is open (open feature requests)"
    by_hand = Signals(30, 35.2, "red", "critical", None, None, None, None)
    assert renewal_outlook(by_hand, Config()).why[:2] == [
        "a critical risk is open (raised by hand)",
        "health 35.2 (red)",
    ]
