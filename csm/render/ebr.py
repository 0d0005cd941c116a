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
    """The trend charts as SVG text (escaped inside; safe to place in HTML as-is): adoption and tickets for the
    customer, each '' when there is nothing to draw (no usage figure; no ticket in the year, or none in the book),
    and with --internal the health score on the config's bands."""
    trends = report.trends
    tickets = [float(v) if v is not None else None for v in trends.known_tickets()]
    found = {
        "adoption": line_chart(
            "Active users against licensed seats",
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
            axis_title="users",
            note="the latest usage figure of each month; a gap is a month without one",
        )
        if trends.has_usage
        else "",
        "tickets": bar_chart(
            "Support tickets opened per month",
            trends.months,
            tickets,
            color="#c05621",
            axis_title="tickets",
            note="a gap is a month before the ticket history starts" if None in tickets else "",
        )
        if trends.has_tickets and any(tickets)
        else "",
    }
    if report.internal is not None:
        green, yellow = bands.green_min, bands.yellow_min
        found["health"] = line_chart(
            "Health score by month (internal)",
            trends.months,
            [Series("health", report.internal.health_by_month, "#2b6cb0")],
            axis_title="score",
            y_max=100,
            bands=[Band(green, 100, "#2f855a"), Band(yellow, green, "#d69e2e"), Band(0, yellow, "#c53030")],
            note=f"bands: green ≥ {green}, yellow {yellow}-{green - 1}, red < {yellow}; a gap: no data that month",
        )
    return found


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
    trends = report.trends  # the table's shape, worked out here: the template reads plain data
    context: dict[str, Any] = {"ebr": plain(report), "ticket_column": trends.shows_tickets,
                               "first_month": trends.first_shown, "tickets": trends.known_tickets()}  # fmt: skip
    if output_format == "html":
        from markupsafe import Markup

        context["charts"] = {name: Markup(svg) for name, svg in charts(report, bands).items()}
    return render_document(f"ebr.{output_format}.j2", context, html=output_format == "html", template=template,
                           templates_dir=templates_dir, time_limit=time_limit)  # fmt: skip
