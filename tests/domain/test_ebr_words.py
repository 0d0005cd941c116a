"""The small words of the EBR's customer voice and the charts' ticks: plurals, measures without missing values,
ticket themes merged, 1-2-5 ticks on whole numbers for counts."""

from __future__ import annotations

import pytest

from csm.render.charts import nice_ticks
from csm.render.deck_fit import month_labels, wrapped_lines
from csm.reports.ebr_draft import support_words
from csm.reports.ebr_words import Theme, measure_words, merge_themes, money_words, plural, shortfall, with_unit


def test_counts_are_pluralised() -> None:
    assert [plural(0, "ticket"), plural(1, "ticket"), plural(4, "other customer")] == [
        "0 tickets", "1 ticket", "4 other customers"]  # fmt: skip
    assert plural(2, "capability", "capabilities") == "2 capabilities"


@pytest.mark.parametrize(
    ("baseline", "current", "target", "words"),
    [
        (40, 8, 10, "40 → 8 hours (target 10)"),
        (None, 8, 10, "8 hours (target 10)"),
        (40, None, 10, "from 40 hours, target 10"),
        (None, None, 10, "target 10 hours"),
        (None, 4.25, None, "4.25 hours"),
        (None, None, None, ""),
    ],
)
def test_a_measure_leaves_out_what_the_book_does_not_know(
    baseline: float | None, current: float | None, target: float | None, words: str
) -> None:
    assert measure_words(baseline, current, target, "hours") == words
    assert "?" not in measure_words(baseline, current, target, None)


def test_the_shortfall_goes_the_right_way_for_a_goal_that_goes_down() -> None:
    assert shortfall(0, 9, 12, "depots") == "3 depots"
    assert shortfall(40, 12, 10, "hours") == "2 hours"
    assert shortfall(40, 8, 10, "hours") == ""  # past its target: no shortfall
    assert shortfall(None, None, 10, None) == ""


def test_the_same_ticket_subject_filed_again_is_one_theme() -> None:
    themes = merge_themes([("GxP audit trail export incomplete (1)", 1), ("GxP audit trail export incomplete (2)", 1),
                           ("gxp audit trail export incomplete", 1), ("Login slow #4411", 2), ("  ", 3)])  # fmt: skip
    assert themes == [Theme("GxP audit trail export incomplete", 3), Theme("Login slow", 2)]


def test_money_is_in_the_accounts_currency() -> None:
    assert [money_words(420_000, None), money_words(1_250_000, "EUR"), money_words(95_000, "CHF")] == [
        "$420k", "€1.25M", "CHF 95k"]  # fmt: skip


def test_support_in_plain_words() -> None:
    assert support_words(28, 0, 0, 0, [], [], None) == "No tickets opened in the last 8 weeks."
    assert support_words(28, 1, 3, 0, [], [Theme("Export fails", 1)], None) == (
        "1 ticket opened in the last 4 weeks, down from 3 in the 4 weeks before, about Export fails "
        "(1 ticket). No ticket is open now.")  # fmt: skip
    three = [Theme("Export fails", 3), Theme("Login slow", 2), Theme("Typo", 1)]
    assert support_words(28, 6, 6, 2, [], three, 9) == (
        "6 tickets opened in the last 4 weeks, the same as 6 in the 4 weeks before, most about Export fails "
        "(3 tickets) and Login slow (2 tickets). 2 still open, the oldest open for 9 days.")  # fmt: skip
    spread = [Theme("Duplicate records", 2), Theme("EDI feed failing", 1)]  # 3 of 7 tickets: not 'most'
    assert support_words(28, 7, 6, 0, [], spread, None).startswith(
        "7 tickets opened in the last 4 weeks, up from 6 in the 4 weeks before, most often about Duplicate records "
        "(2 tickets) and EDI feed failing (1 ticket).")  # fmt: skip
    ones = [Theme("Alert ingestion stopped", 1), Theme("API rate limit too low", 1)]  # 6 tickets, none the same
    assert support_words(28, 6, 0, 4, [], ones, 13).startswith(
        "6 tickets opened in the last 4 weeks, up from 0 in the 4 weeks before, among them Alert ingestion stopped "
        "(1 ticket) and API rate limit too low (1 ticket).")  # fmt: skip


@pytest.mark.parametrize(
    ("top", "whole", "ticks"),
    [
        (5, True, [0, 1, 2, 3, 4, 5]),  # a bar of 3 sits on the tick of 3
        (3, True, [0, 1, 2, 3]),
        (14, True, [0, 5, 10, 15]),
        (0, True, [0, 1]),
        (588, True, [0, 200, 400, 600]),
        (100, False, [0, 20, 40, 60, 80, 100]),
        (0.7, False, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_ticks_step_by_1_2_5_and_counts_by_whole_numbers(top: float, whole: bool, ticks: list[float]) -> None:
    assert nice_ticks(top, whole=whole) == ticks


def test_chart_months_show_the_year_where_it_changes() -> None:
    assert month_labels(["2026-11", "2026-12", "2027-01", "2027-02"]) == ["Nov ’26", "Dec", "Jan ’27", "Feb"]


def test_lines_wrap_at_words() -> None:
    assert wrapped_lines("aaa bbb ccc", 7) == 2
    assert wrapped_lines("a" * 25, 10) == 3


def test_a_goals_measure_reads_as_a_person_writes_it() -> None:
    assert measure_words(40, 8, 10, "hours") == "40 → 8 hours (target 10)"
    assert measure_words(5, 1, 1, "days") == "5 → 1 day (target 1)"  # one day, not 'days'
    assert measure_words(3, 1, 14, "bakeries") == "3 → 1 bakery (target 14)"
    assert measure_words(9.5, 5.8, 6, "%") == "9.5 → 5.8% (target 6)"
    assert measure_words(0, 0, 4, "teams") == "still 0 teams (target 4)"  # nothing moved: no '0 → 0'
    assert measure_words(1_200_000, 1_050_000, 800_000, "USD") == "$1.2M → $1.05M (target $800k)"
    assert measure_words(1.8, 1.55, 1.2, "USD") == "$1.80 → $1.55 (target $1.20)"
    assert measure_words(None, None, 2, "days") == "target 2 days"
    assert measure_words(None, None, None, None) == ""
    assert with_unit(1, "class") == "1 class" and with_unit(1, "hrs") == "1 hrs"  # only plain plurals are cut
