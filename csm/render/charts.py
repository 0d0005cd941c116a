"""Small inline SVG charts (monthly lines and bars) for the EBR page: no library, no external asset.

Charts an executive reads at a glance: "nice" ticks (1-2-5 steps), whole numbers for counts, a month without
data left as a gap (never joined across, never drawn as zero), an axis title with the unit, and text sized
for a projected slide. Every text that reaches the SVG is escaped here, so a chart can go into HTML as-is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 560, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 14, 58, 56  # TOP: the title and the legend above the plot
HEADROOM = 1.05
TEXT = 17  # tick labels, legends and value labels (viewBox units: about 13 pt with the chart on half a slide)
TITLE = 19
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    color: str


def nice_ticks(top: float, *, whole: bool, intervals: int = 5) -> list[float]:
    """Ticks from 0 up to at least `top` in steps of 1, 2 or 5 times a power of ten; whole-number steps for a
    count (a bar of 3 sits on a tick of 3, never between 2.4 and 3.6)."""
    top = max(top, 1.0)
    raw = top / intervals
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if whole:
        step = max(1.0, float(round(step)))
    count = math.ceil(top / step - 1e-9)
    return [round(step * i, 10) for i in range(count + 1)]


def tick_label(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value / 1000:,.0f}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _plot_height() -> float:
    return HEIGHT - TOP - BOTTOM


def _x(index: int, count: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * (index + 0.5) / max(count, 1)


def _y(value: float, top: float) -> float:
    share = 0.0 if top == 0 else value / top
    return TOP + _plot_height() * (1 - max(0.0, min(1.0, share)))


def _frame(title: str, labels: Sequence[str], ticks: list[float], axis_title: str) -> list[str]:
    top = ticks[-1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart" font-family="inherit">',
        f"<title>{escape(title)}</title>",
        f'<text x="4" y="{TITLE + 2}" font-size="{TITLE}" font-weight="600" fill="#1a202c">{escape(title)}</text>',
    ]
    for value in ticks:
        y = _y(value, top)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dbe3" '
                     'stroke-width="1"/>')  # fmt: skip
        parts.append(f'<text x="{LEFT - 8}" y="{y + 5:.1f}" font-size="{TEXT}" text-anchor="end" fill="#4a5568">'
                     f"{tick_label(value)}</text>")  # fmt: skip
    middle = TOP + _plot_height() / 2
    parts.append(f'<text x="14" y="{middle:.1f}" font-size="{TEXT}" text-anchor="middle" fill="#4a5568" '
                 f'transform="rotate(-90 14 {middle:.1f})">{escape(axis_title)}</text>')  # fmt: skip
    for i, label in enumerate(labels):
        month, year = _month(label)
        x = _x(i, len(labels))
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 20}" font-size="{TEXT}" text-anchor="middle" '
                     f'fill="#4a5568">{escape(month)}</text>')  # fmt: skip
        if year and (i == 0 or month == "Jan"):
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 38}" font-size="{TEXT}" text-anchor="middle" '
                         f'fill="#4a5568">{escape(year)}</text>')  # fmt: skip
    return parts


def _month(label: str) -> tuple[str, str]:
    try:
        year, month = label.split("-")[:2]
        return MONTH_NAMES[int(month) - 1], year
    except (ValueError, IndexError):
        return label, ""


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    axis_title: str,
    whole: bool = True,
    y_max: float | None = None,
    bands: Sequence[Band] = (),
    note: str = "",
) -> str:
    """One or more monthly lines; a month without a value (None) breaks the line, and a lone value is a dot."""
    known = [v for s in series for v in s.values if v is not None]
    # a line at the very top of the plot hides in its border: 5% headroom (seats at 400 get an axis to 500)
    ticks = nice_ticks(y_max if y_max is not None else max(known, default=1.0) * HEADROOM, whole=whole)
    top = ticks[-1]
    parts = _frame(title, labels, ticks, axis_title)
    for band in bands:
        y_high, y_low = _y(band.high, top), _y(band.low, top)
        parts.insert(3, f'<rect x="{LEFT}" y="{y_high:.1f}" width="{WIDTH - LEFT - RIGHT}" '
                        f'height="{y_low - y_high:.1f}" fill="{band.color}" opacity="0.12"/>')  # fmt: skip
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((_x(i, len(labels)), _y(value, top)))
        dash = ' stroke-dasharray="7 5"' if s.dashed else ""
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline points="{points}" fill="none" stroke="{s.color}" stroke-width="3"{dash}/>')
            for x, y in run:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{s.color}"/>')
    if not known:
        parts.append(_empty("No data for these months"))
    parts += _legend(series, note)
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float | None], *, color: str, axis_title: str, note: str = ""
) -> str:
    """Monthly counts as bars on whole-number ticks, each bar with its number; None is a gap (not known)."""
    ticks = nice_ticks(max((v for v in values if v is not None), default=1.0), whole=True)
    top = ticks[-1]
    parts = _frame(title, labels, ticks, axis_title)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    base = _y(0, top)
    for i, value in enumerate(values):
        if value is None:
            continue
        y = _y(value, top)
        x = _x(i, len(labels)) - slot * 0.32
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.64:.1f}" height="{base - y:.1f}" '
                     f'fill="{color}"/>')  # fmt: skip
        if value:
            parts.append(f'<text x="{_x(i, len(labels)):.1f}" y="{y - 5:.1f}" font-size="{TEXT}" '
                         f'text-anchor="middle" fill="#1a202c">{value:g}</text>')  # fmt: skip
    parts += _legend([], note)
    parts.append("</svg>")
    return "\n".join(parts)


def _empty(text: str) -> str:
    return (f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{TOP + _plot_height() / 2:.1f}" font-size="{TEXT}" '
            f'text-anchor="middle" fill="#718096">{escape(text)}</text>')  # fmt: skip


def _legend(series: Sequence[Series], note: str) -> list[str]:
    parts = []
    x = float(WIDTH - RIGHT)
    for s in reversed(series):
        width = 20 + 0.55 * TEXT * len(s.name)
        x -= width + 12
        parts.append(f'<rect x="{x:.1f}" y="{TITLE + 15}" width="14" height="5" fill="{s.color}"/>')
        parts.append(f'<text x="{x + 19:.1f}" y="{TITLE + 23}" font-size="{TEXT - 1}" fill="#2d3748">'
                     f"{escape(s.name)}</text>")  # fmt: skip
    if note:
        parts.append(f'<text x="{LEFT}" y="{HEIGHT - 2}" font-size="{TEXT - 2}" fill="#718096">{escape(note)}</text>')
    return parts
