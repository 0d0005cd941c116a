"""The small words of the customer's voice in an EBR: counts with their plurals, dates and months as people
write them, amounts without noise, a goal's measure with nothing missing shown, ticket themes merged.

Every function takes facts and returns words; a value the book does not hold is left out, never shown as `?`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
STATUS_WORDS = {
    "planned": "planned",
    "on_track": "on track",
    "at_risk": "behind plan",
    "achieved": "achieved",
    "missed": "not met",
}
VALUE_WORDS = {"save_time": "time saved", "save_money": "money saved", "make_money": "revenue gained"}
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
# "(2)", "#123", "[4]", "- 2" at the end of a ticket subject: the same theme filed again
_THEME_SUFFIX = re.compile(r"(\s*(\(\s*\d+\s*\)|\[\s*\d+\s*\]|#\s*\d+|[-–:]\s*\d+))+\s*$")
_SPACES = re.compile(r"\s+")


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 ticket', '3 tickets', '2 other customers'."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def day_words(day: date) -> str:
    """'12 March 2027'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_words(month: str) -> str:
    """'2027-02' → 'February 2027'."""
    year, number = month.split("-")[:2]
    return f"{MONTHS[int(number) - 1]} {year}"


def amount(value: float) -> str:
    """A measured value as written in a sentence: 1,200, 4.2, 1.5 (no trailing zeros)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def unit_words(value: float, unit: str | None) -> str:
    """The unit after a value: ' hours', ' hour' after a 1 ('1 day', '1 bakery'), '%' without a space."""
    unit = (unit or "").strip()
    if not unit:
        return ""
    if unit in ("%", "‰"):
        return unit
    if value == 1 and unit.islower() and unit.isalpha() and len(unit) > 3 and unit.endswith("s"):
        if unit.endswith("ies"):
            unit = unit[:-3] + "y"
        elif not unit.endswith("ss"):
            unit = unit[:-1]
    return " " + unit


def with_unit(value: float, unit: str | None) -> str:
    """'8 hours', '5.8%', '1 day'; a goal counted in a currency reads as money: '$1.05M', '$0.35'."""
    code = (unit or "").strip()
    if code in CURRENCY_SIGNS:
        if abs(value) >= 10_000:
            return money_words(value, code)
        return CURRENCY_SIGNS[code] + (f"{value:,.0f}" if value == int(value) else f"{value:,.2f}")
    return amount(value) + unit_words(value, unit)


def money_words(value: float, currency: str | None, *, decimals: int = 0) -> str:
    """'$420k', '€1.2M', 'CHF 95k': the account's own currency, short (thousands with `decimals`)."""
    code = (currency or "USD").upper()
    sign = CURRENCY_SIGNS.get(code)
    if abs(value) >= 1_000_000:
        number = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    elif abs(value) >= 10_000:
        number = f"{value / 1_000:.{decimals}f}k"
    else:
        number = f"{value:,.0f}"
    return f"{sign}{number}" if sign else f"{code} {number}"


def money_pair(before: float, after: float, currency: str | None) -> tuple[str, str]:
    """Two amounts as money_words writes them, with a decimal more where they would read the same ('$14.0k' and
    '$14.4k', not '$14k' and '$14k')."""
    then, now = money_words(before, currency), money_words(after, currency)
    if then != now or not 10_000 <= max(abs(before), abs(after)) < 1_000_000:
        return then, now
    return money_words(before, currency, decimals=1), money_words(after, currency, decimals=1)


def sentence(text: str) -> str:
    """Capitalised and ending with one full stop (or the question or exclamation mark it has)."""
    text = text.strip()
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def quoted(title: str) -> str:
    """A goal or feature named inside a sentence: “Cut reporting time”."""
    return f"\u201c{title}\u201d"


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def measure_words(baseline: float | None, current: float | None, target: float | None, unit: str | None) -> str:
    """A goal's measure with only what is known: '40 → 8 hours (target 10)', '8 hours (target 10)', 'still 0 teams
    (target 4)' when nothing moved, 'from 40 hours, target 10', or '' when the goal has no numbers."""
    money = (unit or "").strip() in CURRENCY_SIGNS

    def bare(value: float) -> str:  # the unit is said once, after the current value; money always has its sign
        return with_unit(value, unit) if money else amount(value)

    if current is not None:
        start = "" if baseline is None else "still " if baseline == current else f"{bare(baseline)} → "
        aim = f" (target {bare(target)})" if target is not None else ""
        return f"{start}{with_unit(current, unit)}{aim}"
    if baseline is not None:
        return f"from {with_unit(baseline, unit)}" + (f", target {bare(target)}" if target is not None else "")
    return f"target {with_unit(target, unit)}" if target is not None else ""


def shortfall(baseline: float | None, current: float | None, target: float | None, unit: str | None) -> str:
    """How far a goal still is from its target, the right way round for a goal that goes down ('2 hours')."""
    if current is None or target is None:
        return ""
    downward = baseline is not None and target < baseline
    gap = current - target if downward else target - current
    return with_unit(gap, unit) if gap > 0 else ""


@dataclass(frozen=True)
class Theme:
    subject: str
    tickets: int


def theme_key(subject: str) -> str:
    return _SPACES.sub(" ", _THEME_SUFFIX.sub("", subject)).strip().casefold()


def merge_themes(subjects: Iterable[tuple[str, int]]) -> list[Theme]:
    """Ticket subjects as themes: the same subject filed again ('Export incomplete (2)', 'export incomplete')
    is one theme with the tickets added up; the most frequent first, each named as first written."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for subject, tickets in subjects:
        shown = _SPACES.sub(" ", _THEME_SUFFIX.sub("", subject)).strip()
        if not shown:
            continue
        key = shown.casefold()
        names.setdefault(key, shown)
        counts[key] = counts.get(key, 0) + int(tickets)
    ordered = sorted(counts, key=lambda key: (-counts[key], key))
    return [Theme(names[key], counts[key]) for key in ordered]


def themes_words(themes: list[Theme], limit: int = 2) -> str:
    """'Shipment sync delayed (6 tickets) and EDI feed failing (4 tickets)'."""
    return join_words([f"{t.subject} ({plural(t.tickets, 'ticket')})" for t in themes[:limit]])


def unique(items: Iterable[str]) -> list[str]:
    """Each text once (compared without case or extra spaces), in first-seen order."""
    seen: set[str] = set()
    found = []
    for item in items:
        key = _SPACES.sub(" ", item).strip().casefold()
        if key and key not in seen:
            seen.add(key)
            found.append(item.strip())
    return found
