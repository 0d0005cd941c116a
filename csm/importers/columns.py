"""How one file writes its dates and numbers, decided once per column from all of that column's values.

A value decides nothing alone: 03/04/2027 is 4 March or 3 April, 1.200 is 1.2 or 1200. So a first pass
over the file reads every date and number column, and each column gets one reading:
- dates: a value whose first part is over 12 proves day-first, one whose second part is over 12 proves
  month-first, dotted dates are day-first, ISO and month names are order-free; a column that proves both
  orders is refused, naming a line of each; a column that proves neither is read in the order the user
  gave (--date-order), else in the order the file's other date columns prove (one locale wrote the file),
  else in the config's date_order (mdy by default), and the report says so;
- numbers: a value with both marks (1.200,50) or a decimal tail that is not three digits (1,5) proves the
  decimal mark; 1.200 alone proves nothing, and is read by the file's other values, else by its
  delimiter (';' is what European Excel writes, with a decimal comma).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csm.domain.words import plural
from csm.errors import InputError
from csm.importers.reading import Record
from csm.importers.values import DATE_ORDERS, clean, date_evidence, excel_serial, number_evidence

ORDER_WORDS = {"mdy": "month/day/year", "dmy": "day/month/year", "ymd": "year/month/day"}
_MARK_WORDS = {",": "decimal comma", ".": "decimal point"}


@dataclass
class _DateTally:
    proofs: dict[str, tuple[int, str]] = field(default_factory=dict)  # order → first line proving it
    ambiguous: tuple[int, str] | None = None
    serials: int = 0
    serial_example: str | None = None


@dataclass
class _NumberTally:
    proofs: dict[str, tuple[int, str]] = field(default_factory=dict)  # decimal mark → first line proving it
    ambiguous: tuple[int, str] | None = None


class NeedSurvey(Exception):
    """A value such as 03/04/2027 met before anything decided its column: the whole column must be read first."""


@dataclass
class ColumnReadings:
    """Each date column's order and each number column's decimal mark, and what the report should say.

    Decided by survey() from a first pass over the file, or learnt while importing (`learning`): every
    value is still checked, a contradiction is still refused, and a value that only the whole column can
    decide raises NeedSurvey, so the import starts again after a survey."""

    date_orders: dict[str, str] = field(default_factory=dict)
    decimals: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fallback: str = "mdy"
    learning: bool = False
    path: Path = Path()
    given: str | None = None
    parsed: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)  # text read this way → value
    _dates: dict[str, _DateTally] = field(default_factory=dict, repr=False)
    _numbers: dict[str, _NumberTally] = field(default_factory=dict, repr=False)

    @classmethod
    def learnt(cls, path: Path, order: str | None, default_order: str) -> ColumnReadings:
        """Readings learnt while importing, for a file not yet surveyed."""
        fallback = order or default_order
        if fallback not in DATE_ORDERS:
            raise InputError(f"date order {fallback!r}: use one of {', '.join(DATE_ORDERS)}")
        return cls(fallback=fallback, learning=True, path=path, given=order)

    def order(self, column: str | None, text: str = "", line: int = 0) -> str:
        """The order to read `text` of `column` in (learning: checked against the column's other values)."""
        if not self.learning:
            return self.date_orders.get(column or "", self.fallback)
        if len(text) >= 10 and text[4] == "-" and text[:4].isdigit():
            return self.fallback  # ISO: order-free
        tally = self._dates.setdefault(column or "", _DateTally())
        _note_date(tally, line, text)
        if len(tally.proofs) > 1:
            _decide_order(self.path, column or "", tally, self.fallback, [], given=self.given)
        evidence = date_evidence(text)
        if evidence == "ambiguous":
            if not tally.proofs:
                raise NeedSurvey(column)
            return next(iter(tally.proofs))
        return evidence if evidence in ("dmy", "mdy") else self.fallback

    def decimal(self, column: str | None, text: str = "", line: int = 0) -> str | None:
        if not self.learning:
            return self.decimals.get(column or "")
        if "," not in text and "." not in text:
            return None
        tally = self._numbers.setdefault(column or "", _NumberTally())
        _note_number(tally, line, text)
        if len(tally.proofs) > 1:
            _decide_decimal(self.path, column or "", tally, None, [])
        evidence = number_evidence(text)
        if evidence == "ambiguous":
            if not tally.proofs:
                raise NeedSurvey(column)  # 1.200 or 1,200: the column's other values decide
            return next(iter(tally.proofs))
        return evidence if evidence in (",", ".") else None

    def final_notes(self) -> list[str]:
        """What the report says about the columns (a learning pass adds what it learnt at the end)."""
        if not self.learning:
            return self.notes
        notes: list[str] = []
        for column, tally in self._dates.items():
            _serial_note(column, tally, notes)
            _override_note(column, tally, notes, self.given)
        return notes


def survey(
    path: Path,
    records: Iterable[Record],
    *,
    date_columns: Iterable[str],
    number_columns: Iterable[str],
    order: str | None,
    default_order: str,
    delimiter: str,
) -> ColumnReadings:
    """Read every value of the date and number columns once and decide how each column is written.

    `order` is the user's --date-order (None when not given); `default_order` the config's date_order."""
    dates = {column: _DateTally() for column in dict.fromkeys(date_columns)}
    numbers = {column: _NumberTally() for column in dict.fromkeys(number_columns) if column not in dates}
    for record in records:
        cells = record.cells
        for column, tally in dates.items():
            value = cells.get(column)
            if value:
                _note_date(tally, record.line, value)
        for column, number_tally in numbers.items():
            value = cells.get(column)
            if value:
                _note_number(number_tally, record.line, value)
    readings = ColumnReadings.learnt(path, order, default_order)
    readings.learning = False
    fallback = readings.fallback
    # one locale wrote the whole file: a column that proves nothing is read as the file's other columns prove
    proven = {(proof, column, *where) for column, tally in dates.items() for proof, where in tally.proofs.items()}
    by_file = min(proven, key=lambda p: (p[2], p[1])) if order is None and len({p[0] for p in proven}) == 1 else None
    for column, tally in dates.items():
        readings.date_orders[column] = _decide_order(
            path, column, tally, by_file[0] if by_file else fallback, readings.notes, given=order, by_file=by_file
        )
    european = ";" if delimiter == ";" else None
    for column, number_tally in numbers.items():
        decided = _decide_decimal(path, column, number_tally, european, readings.notes)
        if decided is not None:
            readings.decimals[column] = decided
    return readings


def _note_date(tally: _DateTally, line: int, text: str) -> None:
    value = clean(text)
    if value is None or (len(value) >= 10 and value[4] == "-" and value[:4].isdigit()):
        return  # ISO: the common case, order-free
    evidence = date_evidence(value)
    if evidence in ("dmy", "mdy"):
        tally.proofs.setdefault(evidence, (line, value))
    elif evidence == "ambiguous" and tally.ambiguous is None:
        tally.ambiguous = (line, value)
    elif evidence == "serial":
        tally.serials += 1
        tally.serial_example = tally.serial_example or value


def _note_number(tally: _NumberTally, line: int, text: str) -> None:
    value = clean(text)
    if value is None or ("," not in value and "." not in value):
        return
    evidence = number_evidence(value)
    if evidence in (",", "."):
        tally.proofs.setdefault(evidence, (line, value))
    elif evidence == "ambiguous" and tally.ambiguous is None:
        tally.ambiguous = (line, value)


def _decide_order(
    path: Path,
    column: str,
    tally: _DateTally,
    fallback: str,
    notes: list[str],
    *,
    given: str | None,
    by_file: tuple[str, str, int, str] | None = None,
) -> str:
    if "dmy" in tally.proofs and "mdy" in tally.proofs:
        (day_line, day_value), (month_line, month_value) = tally.proofs["dmy"], tally.proofs["mdy"]
        raise InputError(
            f"{path}, column '{column}': the dates contradict each other: line {day_line} ({day_value!r}) is "
            f"day-first and line {month_line} ({month_value!r}) is month-first; a column is written one way, "
            "so fix the file and import it again"
        )
    _serial_note(column, tally, notes)
    if tally.proofs:
        _override_note(column, tally, notes, given)
        return next(iter(tally.proofs))
    if tally.ambiguous is not None:
        line, value = tally.ambiguous
        how = "as --date-order says" if given else "as the config's date_order says (mdy unless set)"
        if by_file is not None:
            _order, proving, proof_line, proof = by_file
            how = f"as column '{proving}' proves on line {proof_line} ({proof!r})"
        other = "dmy" if fallback != "dmy" else "mdy"
        notes.append(
            f"column '{column}': no value proves the date order, so dates such as {value!r} (line {line}) were "
            f"read as {ORDER_WORDS[fallback]}, {how}; if that is wrong, import again with --date-order {other} "
            f"(a source: add it again with --date-order {other} --replace)"
        )
    return fallback


def _serial_note(column: str, tally: _DateTally, notes: list[str]) -> None:
    if not tally.serials:
        return
    example = tally.serial_example or ""
    try:
        shown = f", e.g. {example} = {excel_serial(example, example).date().isoformat()}"
    except ValueError:
        shown = ""
    notes.append(
        f"column '{column}': {plural(tally.serials, 'value')} read as Excel serial dates (the 1900 date system){shown}"
    )


def _override_note(column: str, tally: _DateTally, notes: list[str], given: str | None) -> None:
    if not tally.proofs or tally.ambiguous is None or given is None:
        return
    proved, (line, value) = next(iter(tally.proofs.items()))
    if given != proved:
        notes.append(
            f"column '{column}': read as {ORDER_WORDS[proved]}, as line {line} ({value!r}) proves, "
            f"not as --date-order {given} says"
        )


def _decide_decimal(path: Path, column: str, tally: _NumberTally, hint: str | None, notes: list[str]) -> str | None:
    if "," in tally.proofs and "." in tally.proofs:
        (comma_line, comma_value), (point_line, point_value) = tally.proofs[","], tally.proofs["."]
        raise InputError(
            f"{path}, column '{column}': the numbers contradict each other: line {comma_line} ({comma_value!r}) "
            f"has a decimal comma and line {point_line} ({point_value!r}) a decimal point; fix the file"
        )
    if tally.proofs:
        return next(iter(tally.proofs))
    if tally.ambiguous is not None and hint is not None:
        line, value = tally.ambiguous
        notes.append(
            f"column '{column}': numbers such as {value!r} (line {line}) were read with a {_MARK_WORDS[',']} "
            "(thousands grouped by '.'), as the file's ';' delimiter suggests"
        )
        return ","
    return None
