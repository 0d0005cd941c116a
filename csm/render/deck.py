"""`csm ebr --format pptx`: the EBR as a PowerPoint deck the CSM can edit, built with python-pptx (imported
here only, when a deck is made).

The deck follows python-pptx's own model: a starting presentation supplies the theme, master and layouts (the
user's `.pptx` template, or python-pptx's default made widescreen), each slide is added from a layout with a
title placeholder, and the content is real PowerPoint objects (text boxes, tables, native charts whose data
sits in an embedded workbook), so the CSM restyles or edits any of it. Text is sized to fit its box at
16-20 pt (csm.render.deck_fit estimates the lines); what does not fit continues on a second slide rather than
being cut or shrunk. Speaker notes say where the figures come from, and with --internal carry the rehearsal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csm.errors import InputError
from csm.render.charts import HEADROOM, nice_ticks
from csm.render.deck_fit import (
    BODY_PT,
    MIN_PT,
    TABLE_PT,
    Box,
    fitting_size,
    month_labels,
    row_height,
    split_rows,
    split_text,
    table_rows_height,
)
from csm.render.safe import inert
from csm.reports.ebr import EbrReport
from csm.reports.ebr_words import day_words, plural, sentence

MAX_TEMPLATE_BYTES = 100 * 1024**2
WIDE = (12_192_000, 6_858_000)  # 13.333 x 7.5 inches in EMU: PowerPoint's widescreen slide
EMU_PER_INCH = 914_400
MARGIN = 0.5  # inches kept free at the bottom of every slide
TITLE_HEIGHT = 1.0  # inches: the default template's title placeholder, one line at 44 pt
SUMMARY_LABELS = (
    ("problem", "Where we stand"),
    ("impact", "What it costs if nothing changes"),
    ("root_cause", "Root cause and obstacles"),
    ("recommendation", "Our recommendation"),
    ("done_and_learned", "Done and learned"),
)
INTERNAL_BANNER = "INTERNAL REHEARSAL: NOT FOR THE CUSTOMER"
PROPERTY_MAX = 255  # python-pptx refuses a longer core property (the file format's limit)


def _at_most(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ebr_deck(report: EbrReport, *, template: Path | None = None, templates_dir: str | None = None) -> bytes:
    """The EBR pack as the bytes of a .pptx file: 3 to 7 slides for a usual account."""
    deck = Deck(open_template(template, templates_dir), inert(report))
    deck.build()
    deck.describe()
    buffer = io.BytesIO()
    deck.presentation.save(buffer)
    return buffer.getvalue()


def template_path(template: Path | None, templates_dir: str | None) -> Path | None:
    """`--template FILE.pptx`, else `ebr.pptx` in the config's templates_dir, else none (python-pptx's default)."""
    if template is not None:
        if template.suffix.lower() not in (".pptx", ".potx"):
            raise InputError(f"a deck's template is a PowerPoint file (.pptx), not {template}")
        return template
    if templates_dir:
        candidate = Path(templates_dir).expanduser() / "ebr.pptx"
        if candidate.is_file():
            return candidate
    return None


def open_template(template: Path | None, templates_dir: str | None) -> Any:
    """The starting presentation: the user's deck without its slides (its theme, master and layouts stay), or
    python-pptx's default template made 16:9."""
    from pptx import Presentation

    path = template_path(template, templates_dir)
    if path is None:
        presentation = Presentation()
        widescreen(presentation)
        return presentation
    from csm.files import check_readable

    check_readable(path, MAX_TEMPLATE_BYTES, "deck template")
    if not path.exists():
        raise InputError(f"there is no deck template {path}")
    if path.is_dir():
        raise InputError(f"the deck template {path} is a folder, not a PowerPoint .pptx file")
    try:
        presentation = Presentation(str(path))
    except PermissionError:
        raise InputError(f"cannot read the deck template {path}: permission denied") from None
    except Exception:  # python-pptx raises zip, XML and key errors on a file that is no deck
        raise InputError(f"cannot read the deck template {path}: it is not a PowerPoint .pptx file") from None
    slide_ids = presentation.slides._sldIdLst
    for slide_id in list(slide_ids):  # the template's own slides go; what it looks like stays
        presentation.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    if not any(_title_placeholder(layout) is not None for layout in presentation.slide_layouts):
        raise InputError(f"the deck template {path} has no layout with a title placeholder")
    return presentation


def widescreen(presentation: Any) -> None:
    """python-pptx's default template is 4:3: widen the slides, the master and every layout to 16:9, and give the
    master's one-line title 1 inch instead of 1.25 (the room goes to the slides' content)."""
    factor = WIDE[0] / presentation.slide_width
    presentation.slide_width, presentation.slide_height = WIDE
    for holder in [presentation.slide_master, *presentation.slide_layouts]:
        for shape in holder.shapes:
            if getattr(shape._element, "xfrm", None) is None:
                continue  # a placeholder placed by its master: it follows the master's new place
            shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)
    title = _title_placeholder(presentation.slide_master)
    if title is not None:
        title.height = int(TITLE_HEIGHT * EMU_PER_INCH)


def _title_placeholder(layout: Any) -> Any:
    from pptx.enum.shapes import PP_PLACEHOLDER

    for placeholder in layout.placeholders:
        if placeholder.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            return placeholder
    return None


@dataclass
class Layouts:
    title: Any
    content: Any


def choose_layouts(presentation: Any) -> Layouts:
    """The title-slide layout (a centred title), and for content the layout with a title and the fewest other
    placeholders ('Title Only' in PowerPoint's own templates)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    titled = [layout for layout in presentation.slide_layouts if _title_placeholder(layout) is not None]
    kinds = [{p.placeholder_format.type for p in layout.placeholders} for layout in titled]
    centred = [layout for layout, k in zip(titled, kinds, strict=True) if PP_PLACEHOLDER.CENTER_TITLE in k]
    plain = [layout for layout, k in zip(titled, kinds, strict=True) if PP_PLACEHOLDER.TITLE in k] or titled
    ignored = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
    content = min(plain, key=lambda layout: sum(p.placeholder_format.type not in ignored for p in layout.placeholders))
    return Layouts(title=centred[0] if centred else content, content=content)


class Deck:
    """One EBR report made into slides."""

    def __init__(self, presentation: Any, report: EbrReport) -> None:
        self.presentation = presentation
        self.report = report
        self.layouts = choose_layouts(presentation)
        self.width = presentation.slide_width
        self.height = presentation.slide_height

    def describe(self) -> None:
        """The file's own properties say what it is and who made it: python-pptx's blank deck names its author
        ("Steve Canny") and itself ("generated using python-pptx"), which must not travel to a customer."""
        from datetime import datetime, time

        report, properties = self.report, self.presentation.core_properties
        made = datetime.combine(report.as_of, time(0))
        tail = f": executive business review, {day_words(report.as_of)}"
        properties.title = _at_most(report.account, PROPERTY_MAX - len(tail)) + tail
        properties.subject = "Executive business review"
        properties.author = properties.last_modified_by = _at_most(report.prepared_by or "", PROPERTY_MAX)
        properties.comments = properties.keywords = properties.category = ""
        properties.created = properties.modified = made
        properties.revision = 1

    def build(self) -> None:
        self.title_slide()
        self.summary_slides()
        self.value_slides()
        self.trends_slide()
        if self.report.roadmap:
            self.roadmap_slides()
        self.renewal_slides()
        self.action_slides()

    # slides

    def title_slide(self) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER
        from pptx.util import Pt

        report = self.report
        slide = self.presentation.slides.add_slide(self.layouts.title)
        slide.shapes.title.text = report.account
        lines = [f"Executive business review · {day_words(report.as_of)}"]
        if report.audience:
            lines.append("With " + ", ".join(f"{p.name} ({p.title})" if p.title else p.name for p in report.audience))
        if report.prepared_by:
            lines.append(f"Prepared by {report.prepared_by}")
        if report.internal is not None:
            lines.insert(0, INTERNAL_BANNER)
        subtitle = next((p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None)
        if subtitle is None:
            subtitle = slide.shapes.add_textbox(*self.body_box(slide).emu())
        frame = subtitle.text_frame
        frame.word_wrap = True
        size = fitting_size(lines, Box.of(subtitle), sizes=(24, 22, 20, BODY_PT, MIN_PT))
        _fill(frame, [(line, False) for line in lines], size)
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(size)
        self._drop_empty_placeholders(slide)
        self.notes(slide, f"Figures as of {day_words(report.as_of)}, for the period "
                          f"{day_words(report.period_from)} to {day_words(report.as_of)}.",
                   self._rehearsal_overview())  # fmt: skip

    def summary_slides(self) -> None:
        summary = self.report.executive_summary
        blocks = [(label, getattr(summary, key).text) for key, label in SUMMARY_LABELS if getattr(summary, key).text]
        self.text_slides("Executive summary", blocks, note="Each point rests on the figures in the slides that follow.",
                         rehearsal=self._rehearsal_risks())  # fmt: skip

    def value_slides(self) -> None:
        report = self.report
        if not report.value:
            self.text_slides("Value delivered against your goals",
                             [("", "No goals are recorded yet: the first objective of this review is to agree them.")],
                             note="")  # fmt: skip
            return
        rows = []
        for goal in report.value:
            name = goal.title + (f"\n{goal.metric}" if goal.metric else "") + (
                f"\nEvidence: {goal.evidence}" if goal.evidence else "")  # fmt: skip
            measure = goal.measure + (f"\nby {day_words(goal.due)}" if goal.due and goal.status != "achieved" else "")
            status = goal.status_words + (f", {goal.progress:.0%} of the way" if goal.progress is not None
                                          and goal.status != "achieved" else "")  # fmt: skip
            confirmed = ""
            if goal.confirmed:
                confirmed = (goal.confirmed_by or "confirmed") + (
                    f"\n{day_words(goal.confirmed_on)}" if goal.confirmed_on else "")  # fmt: skip
            rows.append([name, measure, status, confirmed])
        unconfirmed = [g.title for g in report.value if g.status == "achieved" and not g.confirmed]
        rehearsal = [f"Achieved but not yet confirmed: {', '.join(unconfirmed)}."] if unconfirmed else []
        if report.internal is not None:
            rehearsal += [f"Evidence not yet confirmed (not on the slide): {e}" for e in report.internal.evidence]
        self.table_slides("Value delivered against your goals", ["Goal", "Measure", "Status", "Confirmed by"],
                          [0.42, 0.22, 0.17, 0.19], rows, bold_first=True,
                          note="Goals, measures and evidence from the success plan; 'confirmed by' is who on your "
                               "side confirmed the result.", rehearsal=rehearsal)  # fmt: skip

    def trends_slide(self) -> None:
        """A native chart for adoption and one for support tickets, each only when there is data to draw (side by
        side, or one across the slide), the trend in words under each; no slide when there is neither."""
        report = self.report
        trends = report.trends
        panels: list[tuple[str, str | None]] = []  # (the words, the chart above them)
        if trends.has_usage:
            panels.append((trends.adoption, "users"))
        if report.support.summary:
            panels.append((report.support.summary, "tickets" if any(trends.tickets) else None))
        if not panels:
            return
        slide = self.new_slide("Adoption and support")
        box = self.body_box(slide)
        gap = 0.3
        width = (box.width - gap * (len(panels) - 1)) / len(panels)
        text_height = max(_text_height(words, width) for words, _ in panels)
        chart_height = box.height - text_height - 0.15
        areas = []
        for index, (_, chart) in enumerate(panels):
            left = box.left + index * (width + gap)
            if chart is None:
                areas.append(Box(left, box.top, width, box.height))
                continue
            self.trend_chart(slide, chart, Box(left, box.top, width, chart_height))
            areas.append(Box(left, box.top + chart_height + 0.15, width, text_height))
        size = min(fitting_size([words], area) for (words, _), area in zip(panels, areas, strict=True))
        for (words, _), area in zip(panels, areas, strict=True):
            if words:
                self.text_box(slide, area, [("", words)], size=size)
        rehearsal = []
        if report.internal is not None:
            rehearsal = [f"Health: {report.internal.health.summary}.", report.internal.talking_point,
                         *report.internal.surveys.advice]  # fmt: skip
        self.notes(slide, "Adoption: the latest usage figure of each month (a month without one is a gap, not a "
                          "zero). Support: tickets opened per calendar month.", rehearsal)  # fmt: skip

    def trend_chart(self, slide: Any, chart: str, area: Box) -> None:
        trends = self.report.trends
        months = month_labels(trends.months)
        if chart == "users":
            users = [float(v) if v is not None else None for v in trends.active_users]
            seats = [float(v) if v is not None else None for v in trends.licensed_seats]
            self.line_chart(slide, area, "Active users against licensed seats", months,
                            [("active users", users), ("licensed seats", seats)], axis_title="users")  # fmt: skip
        else:
            self.column_chart(slide, area, "Support tickets opened per month", months,
                              [float(v) if v is not None else None for v in trends.known_tickets()],
                              axis_title="tickets")  # fmt: skip

    def roadmap_slides(self) -> None:
        rows = [
            [r.feature + (f"\n{r.asked_by}" if r.asked_by else ""),
             day_words(r.requested_on) if r.requested_on else "", r.notes or ""]
            for r in self.report.roadmap
        ]  # fmt: skip
        rehearsal = self.report.internal.roadmap if self.report.internal is not None else []
        self.table_slides("Roadmap items you asked for", ["Request", "Asked", "Why it matters"], [0.38, 0.2, 0.42],
                          rows, bold_first=True, note="The feature requests on record for your account.",
                          rehearsal=rehearsal)  # fmt: skip

    def renewal_slides(self) -> None:
        report = self.report
        renewal = report.renewal
        blocks: list[tuple[str, str]] = []
        if renewal.date is not None:
            if renewal.days is not None and renewal.days < 0:
                blocks.append(("Renewal", f"Your contract came up for renewal on {day_words(renewal.date)}."))
            else:
                when = f", in {plural(renewal.days, 'day')}" if renewal.days is not None else ""
                blocks.append(("Renewal", f"Your contract renews on {day_words(renewal.date)}{when}."))
        if renewal.history:
            blocks.append(("Our history together", sentence("; ".join(renewal.history))))
        blocks.append(("Next measurable objectives", "\n".join(f"• {o}" for o in report.next_objectives)))
        rehearsal = []
        if report.internal is not None:
            forecast = report.internal.renewal_forecast or "not set"
            rehearsal = [
                f"Forecast: {forecast}; would they happily renew? {report.internal.would_renew or 'not asked'}."
            ]
        self.text_slides("Renewal and next objectives", blocks, note="", rehearsal=rehearsal)

    def action_slides(self) -> None:
        rows = [[a.title, a.owner or "", day_words(a.due) if a.due else "to agree"] for a in self.report.action_items]
        rehearsal = []
        if self.report.internal is not None:
            rehearsal = [f"Your own to-do: {t.title}" for t in self.report.internal.todos]
        self.table_slides("Action items", ["Action", "Owner", "Due"], [0.6, 0.22, 0.18], rows,
                          note="Agree an owner and a date for each before the meeting ends.", rehearsal=rehearsal)  # fmt: skip

    # building blocks

    def new_slide(self, title: str) -> Any:
        slide = self.presentation.slides.add_slide(self.layouts.content)
        slide.shapes.title.text = title
        self._drop_empty_placeholders(slide)
        return slide

    def body_box(self, slide: Any) -> Box:
        """The free area under the slide's title, inside the title's left and right edges."""
        title = slide.shapes.title
        inch = EMU_PER_INCH
        left = (title.left if title is not None and title.left is not None else inch // 2) / inch
        width = (title.width if title is not None and title.width is not None else self.width - inch) / inch
        top = ((title.top + title.height) if title is not None and title.top is not None else inch * 1.5) / inch + 0.15
        return Box(left, top, width, self.height / inch - top - MARGIN)

    def text_slides(
        self, title: str, blocks: list[tuple[str, str]], *, note: str, rehearsal: list[str] | None = None
    ) -> None:
        """Labelled paragraphs on as many slides as they need (a second one says 'continued')."""
        probe = self.new_slide(title)
        box = self.body_box(probe)
        pages = split_text(blocks, box)
        for number, page in enumerate(pages):
            slide = probe if number == 0 else self.new_slide(f"{title} (continued)")
            self.text_box(slide, box, page)
            self.notes(slide, note, rehearsal if number == 0 else [])

    def text_box(self, slide: Any, box: Box, blocks: list[tuple[str, str]], *, size: int | None = None) -> None:
        shape = slide.shapes.add_textbox(*box.emu())
        frame = shape.text_frame
        frame.word_wrap = True
        paragraphs: list[tuple[str, bool]] = []
        for label, text in blocks:
            if label:
                paragraphs.append((label, True))
            paragraphs += [(line, False) for line in text.split("\n")]
        labels = sum(1 for _, bold in paragraphs if bold)
        _fill(frame, paragraphs, size or fitting_size([p for p, _ in paragraphs], box, labels=labels))

    def table_slides(
        self, title: str, header: list[str], shares: list[float], rows: list[list[str]], *, note: str,
        rehearsal: list[str] | None = None, bold_first: bool = False,
    ) -> None:  # fmt: skip
        """A table of rows, continued on more slides when the rows do not fit one; a column empty in every row is
        left out (`bold_first`: the first line of the first column is the row's name, in bold)."""
        from pptx.util import Pt

        kept = [0, *(column for column in range(1, len(header)) if any(row[column] for row in rows))]
        if len(kept) < len(header):  # a column with nothing in it (no one confirmed yet, no reasons noted) goes
            header, rows = [header[c] for c in kept], [[row[c] for c in kept] for row in rows]
            total = sum(shares[c] for c in kept)
            shares = [shares[c] / total for c in kept]
        probe = self.new_slide(title)
        box = self.body_box(probe)
        widths = [box.width * share for share in shares]
        pages = split_rows(rows, widths, box.height, header)
        for number, page in enumerate(pages):
            slide = probe if number == 0 else self.new_slide(f"{title} (continued)")
            height = table_rows_height([header, *page], widths)
            frame = slide.shapes.add_table(len(page) + 1, len(header), *Box(box.left, box.top, box.width,
                                                                              height).emu())  # fmt: skip
            table = frame.table
            for index, width in enumerate(widths):
                table.columns[index].width = int(width * EMU_PER_INCH)
            for row_index, cells in enumerate([header, *page]):
                table.rows[row_index].height = int(row_height(cells, widths) * EMU_PER_INCH)
                for column, text in enumerate(cells):
                    cell = table.cell(row_index, column)
                    cell.text_frame.word_wrap = True
                    lines = text.split("\n")
                    bold = [row_index == 0 or (bold_first and column == 0 and line == 0) for line in range(len(lines))]
                    _fill(cell.text_frame, list(zip(lines, bold, strict=True)), TABLE_PT)
                    for paragraph in cell.text_frame.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(TABLE_PT)
            self.notes(slide, note, rehearsal if number == 0 else [])

    def line_chart(
        self, slide: Any, box: Box, title: str, categories: list[str], series: list[tuple[str, list[float | None]]],
        *, axis_title: str,
    ) -> None:  # fmt: skip
        from pptx.enum.chart import XL_CHART_TYPE

        data = _chart_data(categories, series, "#,##0")
        chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box.emu(), data).chart
        known = [v for _, values in series for v in values if v is not None]
        ticks = nice_ticks(max(known, default=1.0) * HEADROOM, whole=True)  # a line on the top edge hides in it
        self._style_chart(chart, title, axis_title, ticks, legend=True)

    def column_chart(
        self, slide: Any, box: Box, title: str, categories: list[str], values: list[float | None], *, axis_title: str
    ) -> None:
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
        from pptx.util import Pt

        data = _chart_data(categories, [(axis_title, list(values))], "0")
        chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, *box.emu(), data).chart
        known = [v for v in values if v is not None]  # None: a month before the ticket history (a gap)
        ticks = nice_ticks(max(known, default=1.0), whole=True)
        if len(ticks) > 1 and max(known, default=0.0) >= ticks[-1]:  # one more step: the top bar's label fits
            ticks.append(ticks[-1] + ticks[1] - ticks[0])
        self._style_chart(chart, title, axis_title, ticks, legend=False)
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.font.size = Pt(14)
        plot.data_labels.number_format = "0;-0;;@"  # a month without tickets has no '0' sitting on the axis
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.gap_width = 60

    def _style_chart(self, chart: Any, title: str, axis_title: str, ticks: list[float], *, legend: bool) -> None:
        """Readable on a projected slide: 14 pt axes, a titled value axis on whole-number ticks from zero."""
        from pptx.enum.chart import XL_LEGEND_POSITION
        from pptx.util import Pt

        chart.font.size = Pt(14)
        chart.has_title = True
        chart.chart_title.text_frame.text = title
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
        axis = chart.value_axis
        axis.minimum_scale = 0
        axis.maximum_scale = ticks[-1]
        axis.major_unit = ticks[1] - ticks[0] if len(ticks) > 1 else 1
        axis.has_major_gridlines = True
        axis.tick_labels.number_format = "#,##0"
        axis.tick_labels.number_format_is_linked = False
        axis.has_title = True
        axis.axis_title.text_frame.text = axis_title
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        chart.category_axis.tick_labels.font.size = Pt(12)
        chart.category_axis.has_major_gridlines = False
        chart.has_legend = legend
        if legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(14)

    def notes(self, slide: Any, note: str, rehearsal: list[str] | None = None) -> None:
        """Speaker notes: where the figures come from; with --internal, the rehearsal points too."""
        lines = [note] if note else []
        if self.report.internal is not None and rehearsal:
            lines += ["", INTERNAL_BANNER, *[line for line in rehearsal if line]]
        if lines:
            slide.notes_slide.notes_text_frame.text = "\n".join(lines)

    def _rehearsal_overview(self) -> list[str]:
        internal = self.report.internal
        if internal is None:
            return []
        return [f"Health: {internal.health.summary}.", *internal.gaps, *internal.notes[:3]]

    def _rehearsal_risks(self) -> list[str]:
        internal = self.report.internal
        if internal is None:
            return []
        lines = [f"Risk ({r.severity} {r.category}): {r.evidence}" + (f". First response: {r.first_response}"
                 if r.first_response else "") for r in internal.risks]  # fmt: skip
        return lines or ["No open risks."]

    @staticmethod
    def _drop_empty_placeholders(slide: Any) -> None:
        """A layout's body placeholders that csm does not fill would show 'Click to add text' in the editor."""
        from pptx.enum.shapes import PP_PLACEHOLDER

        for placeholder in list(slide.placeholders):
            kind = placeholder.placeholder_format.type
            if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE):
                continue
            element = placeholder._element
            element.getparent().remove(element)


def _chart_data(categories: list[str], series: list[tuple[str, list[float | None]]], number_format: str) -> Any:
    """A chart's data (written into the workbook embedded in the deck): None is a month without a value."""
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData(number_format=number_format)  # type: ignore[no-untyped-call]
    data.categories = categories
    for name, values in series:
        data.add_series(name, values)  # type: ignore[no-untyped-call]
    return data


def _text_height(text: str, width: float) -> float:
    from csm.render.deck_fit import text_height

    return text_height([text], width, MIN_PT) if text else 0.0


def _fill(frame: Any, paragraphs: list[tuple[str, bool]], size: int) -> None:
    """Paragraphs into a text frame, each one run at `size` points (bold where asked)."""
    from pptx.util import Pt

    frame.clear()
    for index, (text, bold) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        if bold and index:
            paragraph.space_before = Pt(size * 0.6)
