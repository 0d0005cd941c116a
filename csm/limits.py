"""The ranges csm computes within: a value beyond them is refused where it comes in (an option, a config key,
a cell), in one line, instead of overflowing somewhere later."""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)  # a century of cadences and windows to spare before Python's year 9999
MAX_DAYS = 36_500  # any span of days csm is given: a hundred years
MAX_MONTHS = 1_200
MAX_ID = 2**63 - 1  # SQLite's largest integer
MAX_COUNT = 1_000_000_000  # seats, users, tickets: far beyond any account
MAX_AMOUNT = 1e15  # money, plan metrics, config weights and coefficients


def day_in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY
