"""How much text a slide holds: line estimates from characters per line and font size, so that the deck's
text fits its boxes at 16 pt or more and what does not fit goes on a continuation slide (never cut).

The estimate is deliberately wide (an average character at 0.55 em, where Calibri and Arial set body text at
about 0.47 em, and lines at 1.2 em), so a real renderer wraps no later than it predicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BODY_PT = 18
MIN_PT = 16
TABLE_PT = 16
SIZES = (20, BODY_PT, 17, MIN_PT)  # tried in order: the largest that fits wins
CHAR_EM = 0.55  # the width of an average character, in em
LINE_EM = 1.2
LABEL_SPACE_EM = 0.6  # the space before a bold label
TEXT_INSET = 0.1  # inches: python-pptx's (and PowerPoint's) default left/right inset of a text box
TEXT_INSET_V = 0.05
CELL_INSET = 0.1
CELL_INSET_V = 0.05
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SENTENCE = re.compile(r"(?<=[.;])\s+")


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide, in inches."""

    left: float
    top: float
    width: float
    height: float

    def emu(self) -> tuple[int, int, int, int]:
        inch = 914_400
        return (round(self.left * inch), round(self.top * inch), round(self.width * inch), round(self.height * inch))

    @staticmethod
    def of(shape: object) -> Box:
        inch = 914_400
        return Box(
            getattr(shape, "left", 0) / inch,
            getattr(shape, "top", 0) / inch,
            getattr(shape, "width", 0) / inch,
            getattr(shape, "height", 0) / inch,
        )


def chars_per_line(width: float, size: float) -> int:
    """How many average characters a line of `width` inches holds at `size` points."""
    return max(1, int(width * 72 / (size * CHAR_EM)))


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines a paragraph takes when wrapped at word boundaries (a word longer than a line breaks)."""
    lines, used = 1, 0
    for word in text.split():
        length = len(word)
        while length > per_line:  # an unbreakable run of characters (a URL, a ticket id) breaks anywhere
            if used:
                lines, used = lines + 1, 0
            length -= per_line
            lines += 1
        needed = length if used == 0 else used + 1 + length
        if needed > per_line:
            lines, used = lines + 1, length
        else:
            used = needed
    return lines


def text_height(paragraphs: list[str], width: float, size: float, *, labels: int = 0) -> float:
    """Inches that `paragraphs` take in a text box `width` inches wide at `size` points."""
    per_line = chars_per_line(width - 2 * TEXT_INSET, size)
    lines = sum(wrapped_lines(p, per_line) for p in paragraphs)
    return (lines * LINE_EM + labels * LABEL_SPACE_EM) * size / 72 + 2 * TEXT_INSET_V


def fitting_size(paragraphs: list[str], box: Box, sizes: tuple[int, ...] = SIZES, *, labels: int = 0) -> int:
    """The largest of `sizes` at which the paragraphs (`labels` of them bold labels) fit the box (the smallest
    if none does)."""
    for size in sizes:
        if text_height(paragraphs, box.width, size, labels=labels) <= box.height:
            return size
    return sizes[-1]


def _block_lines(block: tuple[str, str]) -> list[str]:
    label, text = block
    return ([label] if label else []) + text.split("\n")


def split_text(blocks: list[tuple[str, str]], box: Box) -> list[list[tuple[str, str]]]:
    """Labelled paragraphs packed onto as few slides as fit them at 16 pt; a block too long for one slide is
    split between sentences."""
    pieces: list[tuple[str, str]] = []
    for label, text in blocks:
        if _fits([(label, text)], box):
            pieces.append((label, text))
            continue
        chunk: list[str] = []
        for part in _SENTENCE.split(text):
            if chunk and not _fits([(label, " ".join([*chunk, part]))], box):
                pieces.append((label, " ".join(chunk)))
                label, chunk = "", []
            chunk.append(part)
        if chunk:
            pieces.append((label, " ".join(chunk)))
    pages: list[list[tuple[str, str]]] = [[]]
    for piece in pieces:
        if pages[-1] and not _fits([*pages[-1], piece], box):
            pages.append([])
        pages[-1].append(piece)
    return pages


def _fits(blocks: list[tuple[str, str]], box: Box) -> bool:
    lines = [line for block in blocks for line in _block_lines(block)]
    return text_height(lines, box.width, MIN_PT, labels=sum(1 for label, _ in blocks if label)) <= box.height


def row_height(cells: list[str], widths: list[float], size: float = TABLE_PT) -> float:
    """Inches a table row takes: its tallest cell, each cell's paragraphs wrapped to the column's width."""
    tallest = 1
    for text, width in zip(cells, widths, strict=True):
        per_line = chars_per_line(width - 2 * CELL_INSET, size)
        tallest = max(tallest, sum(wrapped_lines(p, per_line) for p in text.split("\n")))
    return tallest * LINE_EM * size / 72 + 2 * CELL_INSET_V


def table_rows_height(rows: list[list[str]], widths: list[float]) -> float:
    return sum(row_height(row, widths) for row in rows)


def split_rows(rows: list[list[str]], widths: list[float], height: float, header: list[str]) -> list[list[list[str]]]:
    """Rows on as few slides as hold them under a repeated header row (at least one row a slide)."""
    pages: list[list[list[str]]] = [[]]
    used = row_height(header, widths)
    for row in rows:
        needed = row_height(row, widths)
        if pages[-1] and used + needed > height:
            pages.append([])
            used = row_height(header, widths)
        pages[-1].append(row)
        used += needed
    return pages


def month_labels(months: list[str]) -> list[str]:
    """Chart categories: 'Mar ’26', 'Apr', ..., 'Jan ’27': the year on the first month and where it changes."""
    found = []
    for index, month in enumerate(months):
        try:
            year, number = month.split("-")[:2]
            name = MONTHS[int(number) - 1]
        except (ValueError, IndexError):
            found.append(month)
            continue
        found.append(f"{name} \u2019{year[2:]}" if index == 0 or name == "Jan" else name)
    return found
