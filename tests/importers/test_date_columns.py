"""Dates and numbers decided per column: the order proved by the column's own values, else the user's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from csm.db.book import Book, locate_book, open_book
from csm.errors import InputError
from csm.importers.load import Reading, import_csv
from csm.importers.values import ValueProblem, date_evidence, parse_date, parse_money

from .conftest import IMPORT_DAY


@pytest.fixture(scope="module")
def shared_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    book = open_book(locate_book(str(tmp_path_factory.mktemp("dates") / "book.db")))
    yield book
    book.close()


def written(day: date, order: str, separator: str, padded: bool) -> str:
    parts = {"d": f"{day.day:02d}" if padded else str(day.day), "m": f"{day.month:02d}" if padded else str(day.month)}
    if order == "ymd":
        return separator.join([str(day.year), parts["m"], parts["d"]])
    first, second = (parts["d"], parts["m"]) if order == "dmy" else (parts["m"], parts["d"])
    return separator.join([first, second, str(day.year)])


def read_back(book: Book, path: Path, reading: Reading) -> tuple[list[date], list[str]]:
    """Import in a transaction that is rolled back, returning the stored dates and the warnings."""
    with book.session() as session:
        try:
            report = import_csv(session, path, kind="accounts", today=IMPORT_DAY, reading=reading)
            stored = [
                date.fromisoformat(str(value)[:10])
                for (value,) in session.execute(text("SELECT renewal_date FROM accounts ORDER BY id"))
            ]
            return stored, report.warnings
        finally:
            session.rollback()


DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(DAYS, min_size=1, max_size=12),
    order=st.sampled_from(["mdy", "dmy", "ymd"]),
    separator=st.sampled_from(["/", "-", "."]),
    padded=st.booleans(),
    fallback=st.sampled_from(["mdy", "dmy", "ymd"]),
    given_order=st.booleans(),
)
def test_a_date_column_in_any_order_reads_back_right_or_says_which_column_was_assumed(
    shared_book: Book,
    tmp_path: Path,
    days: list[date],
    order: str,
    separator: str,
    padded: bool,
    fallback: str,
    given_order: bool,
) -> None:
    if separator == "." and order == "mdy":
        separator = "/"  # nobody writes dotted dates month first; dotted means day-first
    path = tmp_path / "dates.csv"
    path.write_text(
        "name,renewal_date\n" + "".join(f"A{i},{written(d, order, separator, padded)}\n" for i, d in enumerate(days))
    )
    reading = Reading(date_order=fallback if given_order else None, default_date_order=fallback)
    stored, warnings = read_back(shared_book, path, reading)
    proved = order == "ymd" or separator == "." or any(d.day > 12 and d.day != d.month for d in days)
    if proved or fallback == order or all(d.day == d.month or d.day > 12 for d in days):
        assert stored == days
    else:
        assert all(s.year == d.year for s, d in zip(stored, days, strict=True))
        assert any("column 'renewal_date'" in w and "no value proves the date order" in w for w in warnings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(DAYS, min_size=1, max_size=8), at=st.integers(min_value=0, max_value=8))
def test_a_column_mixing_both_orders_is_refused_naming_the_column(
    shared_book: Book, tmp_path: Path, days: list[date], at: int
) -> None:
    rows = [written(d, "dmy", "/", True) for d in days]
    rows.insert(min(at, len(rows)), "12/25/2027")  # month-first beyond doubt
    rows.insert(0, "25/12/2027")  # day-first beyond doubt
    path = tmp_path / "mixed.csv"
    path.write_text("name,renewal_date\n" + "".join(f"A{i},{value}\n" for i, value in enumerate(rows)))
    with pytest.raises(InputError, match="column 'renewal_date': the dates contradict each other"):
        read_back(shared_book, path, Reading())


@pytest.mark.parametrize(
    ("value", "evidence"),
    [("15/03/2027", "dmy"), ("03/15/2027", "mdy"), ("03/04/2027", "ambiguous"), ("01.04.2027", "dmy"),
     ("2027-04-01", "fixed"), ("15-Mar-24", "fixed"), ("46478", "serial"), ("soon", None)],
)  # fmt: skip
def test_what_one_value_proves_about_its_column(value: str, evidence: str | None) -> None:
    assert date_evidence(value) == evidence


def test_excel_month_names_and_serials() -> None:
    assert parse_date("15-Mar-24") == date(2024, 3, 15)  # not 2015-03-24
    assert parse_date("46478", serials=True) == date(2027, 4, 1)
    with pytest.raises(ValueProblem, match="use YYYY-MM-DD"):
        parse_date("46478")  # a serial counts only in a date column
    with pytest.raises(ValueProblem, match="out of range"):
        parse_date("9999-12-31")


@pytest.mark.parametrize(
    ("text", "decimal", "amount"),
    [("120.000,00", None, 120000.0), ("45 500,50", None, 45500.5), ("1'200.50", None, 1200.5),
     ("(1,200)", None, -1200.0), ("1.2E5", None, 120000.0), ("1.200", ",", 1200.0), ("1,200", ",", 1.2),
     ("CHF 1'250.00", None, 1250.0), ("R$ 1.234,56", None, 1234.56)],
)  # fmt: skip
def test_locale_numbers(text: str, decimal: str | None, amount: float) -> None:
    assert parse_money(text, decimal)[0] == amount


def test_a_number_column_mixing_decimal_marks_is_refused(shared_book: Book, tmp_path: Path) -> None:
    path = tmp_path / "money.csv"
    path.write_text('name,arr\nA,"1.200,50"\nB,"1,200.50"\n')
    with pytest.raises(InputError, match="column 'arr': the numbers contradict each other"):
        read_back(shared_book, path, Reading())


def test_a_huge_count_is_one_clear_message_with_line_and_column(shared_book: Book, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("name,licences\nA,99999999999999999999\n")
    with shared_book.session() as session:
        report = import_csv(session, path, kind="accounts", today=IMPORT_DAY)
        session.rollback()
    assert [(p.line, p.column) for p in report.problems] == [(2, "licences")]
    assert "out of range" in report.problems[0].reason
