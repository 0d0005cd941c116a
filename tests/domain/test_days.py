"""The one grammar every date option reads (csm.domain.days), counted from a fixed day: Wednesday 3 March 2027."""

from __future__ import annotations

from datetime import date

import pytest

from csm.domain.days import NotADay, parse_day

WEDNESDAY = date(2027, 3, 3)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2027-03-19", "2027-03-19"),
        (" 2027-03-19 ", "2027-03-19"),
        ("today", "2027-03-03"),
        ("Tomorrow", "2027-03-04"),
        ("yesterday", "2027-03-02"),
        ("+3d", "2027-03-06"),
        ("-3d", "2027-02-28"),
        ("3d", "2027-03-06"),
        ("+2w", "2027-03-17"),
        ("-1w", "2027-02-24"),
        ("+1m", "2027-04-03"),
        ("-1y", "2026-03-03"),
        ("+10 days", "2027-03-13"),
        ("in 2 weeks", "2027-03-17"),
        ("in a week", "2027-03-10"),
        ("in  3   days", "2027-03-06"),
        ("3 days ago", "2027-02-28"),
        ("a month ago", "2027-02-03"),
        ("2 weeks from now", "2027-03-17"),
        ("next friday", "2027-03-05"),  # the first Friday after today, as GNU date reads it
        ("next Wednesday", "2027-03-10"),  # not today: the next one
        ("last friday", "2027-02-26"),
        ("last wednesday", "2027-02-24"),
        ("friday", "2027-03-05"),
        ("this fri", "2027-03-05"),
        ("wed", "2027-03-03"),  # a bare weekday is today when today is that day
        ("last week", "2027-02-24"),
        ("next week", "2027-03-10"),
        ("next month", "2027-04-03"),
        ("last year", "2026-03-03"),
    ],
)
def test_a_day_is_read_from_the_commands_today(text: str, day: str) -> None:
    assert parse_day(text, today=WEDNESDAY) == date.fromisoformat(day)


def test_a_month_on_from_the_31st_is_the_months_last_day() -> None:
    assert parse_day("+1m", today=date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_day("in 1 month", today=date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_day("1 month ago", today=date(2027, 3, 31)) == date(2027, 2, 28)


def test_weekdays_count_from_any_day_of_the_week() -> None:
    friday = date(2027, 3, 5)
    assert parse_day("next friday", today=friday) == date(2027, 3, 12)
    assert parse_day("last friday", today=friday) == date(2027, 2, 26)
    assert parse_day("friday", today=friday) == friday
    assert parse_day("next monday", today=date(2027, 3, 7)) == date(2027, 3, 8)  # from a Sunday


@pytest.mark.parametrize("text", ["31/02/2027", "2027-02-30", "next blue", "this week", "3", "+3x", "", "soon"])
def test_what_is_not_a_day_says_so_and_shows_the_grammar(text: str) -> None:
    with pytest.raises(NotADay) as refused:
        parse_day(text, today=WEDNESDAY)
    assert str(refused.value) == (
        f"{text!r} is not a date; use YYYY-MM-DD, today, tomorrow, yesterday, +3d, -2w, in 2 weeks, 3 days ago, "
        "next friday, last week"
    )


@pytest.mark.parametrize("text", ["9999-12-31", "1899-12-31", "+99999999d", "-99999999999999999999d", "in 5000 years"])
def test_a_day_beyond_csms_range_is_refused_in_words(text: str) -> None:
    with pytest.raises(NotADay, match="is out of range; csm takes dates from 1900-01-01 to 2999-12-31"):
        parse_day(text, today=WEDNESDAY)
