"""`csm ebr` as a document: Markdown or self-contained HTML (inline CSS and SVG charts) through Jinja2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csm.config import HealthRules
from csm.render.charts import Band, Series, bar_chart, line_chart
from csm.render.documents import render_document
from csm.render.listing import plain
from csm.reports.ebr import EbrReport


def charts(report: EbrReport, bands: HealthRules) -> dict[str, str]:
    """The three trend charts as SVG text (escaped inside; safe to place in HTML as-is); the health chart shades
    the config's bands."""
    trends = report.trends
    recomputed = "recomputed" in trends.health_source
    green, yellow = bands.green_min, bands.yellow_min
    return {
        "health": line_chart(
            "Health score by month",
            trends.months,
            [Series("health", trends.health, "#2b6cb0")],
            y_max=100,
            bands=[Band(green, 100, "#2f855a"), Band(yellow, green, "#d69e2e"), Band(0, yellow, "#c53030")],
            note=f"bands: green ≥ {green}, yellow {yellow}-{green - 1}, red < {yellow}"
            + ("; months without a snapshot recomputed from the book" if recomputed else ""),
        ),
        "adoption": line_chart(
            "Adoption: active users against licensed seats",
            trends.months,
            [
                Series("active users", [float(v) if v is not None else None for v in trends.active_users], "#2f855a"),
                Series(
                    "licensed seats",
                    [float(v) if v is not None else None for v in trends.licensed_seats],
                    "#718096",
                    dashed=True,
                ),
            ],
            note="latest usage snapshot of each month",
        ),
        "tickets": bar_chart(
            "Support tickets opened per month", trends.months, [float(v) for v in trends.tickets], color="#c05621"
        ),
    }


def ebr_document(
    report: EbrReport,
    output_format: str,
    bands: HealthRules,
    *,
    template: Path | None = None,
    templates_dir: str | None = None,
    time_limit: float = 10.0,
) -> str:
    """The EBR pack as Markdown ('md') or HTML ('html')."""
    context: dict[str, Any] = {"ebr": plain(report)}
    if output_format == "html":
        from markupsafe import Markup

        context["charts"] = {name: Markup(svg) for name, svg in charts(report, bands).items()}
    return render_document(f"ebr.{output_format}.j2", context, html=output_format == "html", template=template,
                           templates_dir=templates_dir, time_limit=time_limit)  # fmt: skip
