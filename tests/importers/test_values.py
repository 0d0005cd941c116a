"""Cell values as Salesforce, HubSpot, Zendesk and Excel write them."""

from __future__ import annotations

import time
import warnings
from datetime import UTC, date, datetime

import pytest

from csm.importers.values import (
    ValueProblem,
    clean,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_fraction,
    parse_int,
    parse_money,
    split_list,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-01", date(2027, 3, 1)),
        ("03/01/2027", date(2027, 3, 1)),  # US tools write month first
        ("3/1/27", date(2027, 3, 1)),
        ("2006-04-15T03:23:15.000Z", date(2006, 4, 15)),
        ("2010-10-14T00:00:00.000", date(2010, 10, 14)),
        ("2027-03-01 09:30", date(2027, 3, 1)),
        ("March 1, 2027", date(2027, 3, 1)),
    ],
)
def test_dates_in_the_forms_crms_write(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2006-04-15T03:23:15.000Z", datetime(2006, 4, 15, 3, 23, 15, tzinfo=UTC)),
        ("2024-07-01T11:54:49.95+00:00", datetime(2024, 7, 1, 11, 54, 49, 950000, tzinfo=UTC)),
        ("2019-01-15 10:23:45 -0800", datetime(2019, 1, 15, 18, 23, 45, tzinfo=UTC)),
        ("2027-03-01 09:00 Pacific Time (US & Canada)", datetime(2027, 3, 1, 17, 0, tzinfo=UTC)),
        ("2027-07-01 09:00 Eastern Time (US & Canada)", datetime(2027, 7, 1, 13, 0, tzinfo=UTC)),
        ("2020-12-30 3:15:52", datetime(2020, 12, 30, 3, 15, 52, tzinfo=UTC)),  # HubSpot: hour not padded
        ("03/01/2027 14:05", datetime(2027, 3, 1, 14, 5, tzinfo=UTC)),
        # zone abbreviations of one offset each, and a form of its own read whole, time and all
        ("2026-01-05 10:00:00 CET", datetime(2026, 1, 5, 9, 0, tzinfo=UTC)),
        ("2027-07-01 09:00 CEST", datetime(2027, 7, 1, 7, 0, tzinfo=UTC)),
        ("03/04/2027 2:05 PM EST", datetime(2027, 3, 4, 19, 5, tzinfo=UTC)),
        ("2027-03-01 09:00 PST", datetime(2027, 3, 1, 17, 0, tzinfo=UTC)),
        ("Mon, 01 Mar 2027 09:00:00 GMT", datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),  # RFC 2822, as e-mail writes it
        ("Monday 1 March 2027 9am", datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),
    ],
)
def test_date_times_with_and_without_offsets_become_utc(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("machine_zone", ["UTC", "Europe/Berlin", "America/New_York"])
def test_a_date_time_reads_the_same_on_a_machine_in_any_zone(
    machine_zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dateutil places a zone name the machine's own zone shares (CET in Berlin) at the machine's offset, and one
    it does not at none: csm reads each as written, wherever it runs. GMT+1 is one hour east, as people mean it
    (POSIX would read it as one hour west)."""
    monkeypatch.setenv("TZ", machine_zone)
    time.tzset()
    try:
        assert [parse_datetime(text) for text in (
            "Thu Jul 01 09:00:00 CET 2027", "Mon Mar 01 09:00:00 EST 2027", "2027-03-01 09:00 UTC+01:00",
            "Mar 1 2027 9:00 GMT+1", "2027-03-01 09:00 (GMT-08:00)",
        )] == [datetime(2027, 7, 1, 8, tzinfo=UTC), datetime(2027, 3, 1, 14, tzinfo=UTC),
               datetime(2027, 3, 1, 8, tzinfo=UTC), datetime(2027, 3, 1, 8, tzinfo=UTC),
               datetime(2027, 3, 1, 17, tzinfo=UTC)]  # fmt: skip
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("text", ["09:00", "2027", "March 2027", "Tuesday 9am"])
def test_a_value_without_its_year_month_or_day_is_refused_not_completed_from_the_wall_clock(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_datetime(text)
    with pytest.raises(ValueProblem):
        parse_date(text)


@pytest.mark.parametrize("text", ["2027-03-01 09:00 IST", "2027-03-01 09:00 CST", "2027-03-01 09:00 XYZT",
                                  "Thu Jul 01 09:00:00 IST 2027"])  # fmt: skip
def test_a_zone_abbreviation_of_two_offsets_or_none_is_refused_not_dropped(text: str) -> None:
    """IST is India's, Israel's or Ireland's, CST the US's or China's: reading either as the file's own zone
    (as dateutil does, with a warning on the terminal) would misplace the time by hours."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning reaches the terminal either
        with pytest.raises(ValueProblem, match="write the offset instead"):
            parse_datetime(text)


def test_a_date_time_with_both_z_and_an_offset_is_refused_not_guessed() -> None:
    with pytest.raises(ValueProblem, match="both 'Z'"):
        parse_datetime("2010-10-14T12:00:00.000Z-0300")
    with pytest.raises(ValueProblem):
        parse_date("2010-10-14T12:00:00.000Z-0300")


@pytest.mark.parametrize("text", ["2027-02-30", "13/45/2027", "soon", "99999999999999999999"])
def test_impossible_dates_are_problems_not_crashes(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$1,200.50", 1200.5, "USD"),
        ("USD 1200", 1200.0, "USD"),
        ("1.200,50", 1200.5, None),
        ("1 200,50 €", 1200.5, "EUR"),
        ("€ 1.000.000", 1_000_000.0, "EUR"),
        ("£99", 99.0, "GBP"),
        ("12 EUR", 12.0, "EUR"),
        ("500000.0", 500_000.0, None),
        ("6.0E7", 60_000_000.0, None),  # Data Loader writes large numbers in E notation
        ("(300)", -300.0, None),
        ("-1,500", -1500.0, None),
        ("$ -  ", 0.0, "USD"),  # Excel's accounting format writes zero as a dash
        ("€ –", 0.0, "EUR"),
    ],
)
def test_money_as_people_type_it(text: str, amount: float, currency: str | None) -> None:
    assert parse_money(text) == (amount, currency)


@pytest.mark.parametrize("text", ["lots", "1.2.3,4,5", "$", "12abc"])
def test_text_that_is_not_money_is_a_problem(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_money(text)


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("FALSE", False), ("Yes", True), ("0", False)])
def test_booleans(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


def test_a_word_that_is_not_yes_or_no_is_a_problem() -> None:
    with pytest.raises(ValueProblem):
        parse_bool("maybe")


def test_unicode_whitespace_is_trimmed_and_empty_cells_are_none() -> None:
    assert clean("\u3000Acme\u00a0") == "Acme"
    assert clean("\ufeff Acme \u200b") == "Acme"
    assert clean("   ") is None
    assert clean("\u3000") is None
    assert clean(None) is None


def test_shares_and_whole_numbers() -> None:
    assert parse_fraction("45%") == pytest.approx(0.45)
    assert parse_fraction("0.5") == 0.5
    with pytest.raises(ValueProblem):
        parse_fraction("150%")
    assert parse_int("1,200") == 1200
    with pytest.raises(ValueProblem):
        parse_int("1.5")


def test_lists_in_one_cell_are_split_on_semicolons() -> None:
    assert split_list("123; 456;;789 ") == ["123", "456", "789"]


@pytest.mark.parametrize("text", ["$", "USD", " - ", "()"])
def test_a_currency_or_a_dash_alone_is_no_amount(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_money(text)
