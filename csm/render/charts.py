"""Small inline SVG charts (monthly lines and bars) for the EBR page: no library, no external asset.

Every text that reaches the SVG is escaped here, so a chart can be inserted into HTML as-is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 34


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


def _frame(title: str, labels: Sequence[str], y_min: float, y_max: float) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="16" class="chart-title" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for step in range(5):
        value = y_min + (y_max - y_min) * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#666">'
                     f"{_tick(value)}</text>")  # fmt: skip
    for i, label in enumerate(labels):
        parts.append(f'<text x="{_x(i, len(labels)):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" '
                     f'text-anchor="middle" fill="#666">{escape(_month(label))}</text>')  # fmt: skip
    return parts


def _tick(value: float) -> str:
    return f"{value / 1000:.0f}k" if abs(value) >= 10_000 else f"{value:.0f}"


def _month(label: str) -> str:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    try:
        year, month = label.split("-")[:2]
        return f"{months[int(month) - 1]}" + (f" {year[2:]}" if month == "01" else "")
    except (ValueError, IndexError):
        return label


def _x(index: int, count: int) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    return LEFT + plot_w * (index + 0.5) / max(count, 1)


def _y(value: float, y_min: float, y_max: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    share = 0.0 if y_max == y_min else (value - y_min) / (y_max - y_min)
    return TOP + plot_h - plot_h * max(0.0, min(1.0, share))


def _nice_max(values: Sequence[float | None], floor: float = 1.0) -> float:
    top = max([v for v in values if v is not None] + [floor])
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if top <= step * 4:
            return float(step * 4) if top > step * 2 else float(step * 2) if top > step else float(step)
    return float(top)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float | None = None,
    bands: Sequence[Band] = (),
    note: str = "",
) -> str:
    """One or more monthly lines; gaps (None) break a line; optional coloured value bands behind it."""
    top = y_max if y_max is not None else _nice_max([v for s in series for v in s.values])
    parts = _frame(title, labels, 0.0, top)
    for band in bands:
        y_high, y_low = _y(band.high, 0, top), _y(band.low, 0, top)
        parts.insert(3, f'<rect x="{LEFT}" y="{y_high:.1f}" width="{WIDTH - LEFT - RIGHT}" '
                        f'height="{y_low - y_high:.1f}" fill="{band.color}" opacity="0.12"/>')  # fmt: skip
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((_x(i, len(labels)), _y(value, 0, top)))
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline points="{points}" fill="none" stroke="{s.color}" stroke-width="2.5"{dash}/>')
            for x, y in run:
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.color}"/>')
    parts += _legend(series, note)
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *, color: str, note: str = "") -> str:
    top = _nice_max(values)
    parts = _frame(title, labels, 0.0, top)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    base = _y(0, 0, top)
    for i, value in enumerate(values):
        y = _y(value, 0, top)
        x = _x(i, len(labels)) - slot * 0.3
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{base - y:.1f}" fill="{color}"/>')
        if value:
            parts.append(f'<text x="{_x(i, len(labels)):.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle" '
                         f'fill="#333">{value:g}</text>')  # fmt: skip
    parts += _legend([], note)
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(series: Sequence[Series], note: str) -> list[str]:
    parts = []
    x = float(WIDTH - RIGHT)
    for s in reversed(series):
        width = 14 + 6.2 * len(s.name)
        x -= width + 10
        parts.append(f'<rect x="{x:.1f}" y="8" width="10" height="10" fill="{s.color}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="17" font-size="11" fill="#333">{escape(s.name)}</text>')
    if note:
        parts.append(f'<text x="{LEFT}" y="{HEIGHT - 4}" font-size="9" fill="#888">{escape(note)}</text>')
    return parts
