"""`csm ebr --format pptx`: a real PowerPoint deck, read back with python-pptx (slides, the account, the value the
customer confirmed and who confirmed it, native charts, text that fits its boxes), written like every --out
file, built on the user's own template, and opened by a real presentation program (LibreOffice) to PDF."""

from __future__ import annotations

import math
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Emu

from tests.cli.conftest import ok
from tests.cli.ebr_books import add_risky_account, build_messy_book
from tests.conftest import CsmRunner

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# an independent estimate of the space text needs: an average character 0.5 em wide, lines 1.2 em apart
CHAR_EM, LINE_EM = 0.5, 1.2


def deck(csm: CsmRunner, account: str, folder: Path, *args: str) -> Any:
    path = folder / "deck.pptx"
    run = ok(csm("ebr", account, "--out", str(path), "--force", *args))
    assert f"Wrote {path}" in run.err and run.out == ""
    return Presentation(str(path))


def texts(slide: Any) -> str:
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(found)


def overflowing(slide: Any, width: int) -> list[str]:
    """Text boxes and tables whose text, wrapped at its font size, needs more height than the shape has (or
    shapes that run off the slide)."""
    problems = []
    for shape in slide.shapes:
        if shape.left + shape.width > width + Emu(9144):
            problems.append(f"{shape.name} runs off the slide")
        if shape.has_text_frame and not shape.is_placeholder:
            needed = _height(shape.text_frame.paragraphs, shape.width - Emu(182880))
            if needed > shape.height:
                problems.append(f"{shape.name}: needs {needed / 914400:.2f} in, has {shape.height / 914400:.2f} in")
        if shape.has_table:
            table = shape.table
            for row in table.rows:
                for cell, column in zip(row.cells, table.columns, strict=True):
                    needed = _height(cell.text_frame.paragraphs, column.width - Emu(182880)) + Emu(91440)
                    if needed > row.height + Emu(9144):
                        problems.append(f"table cell {cell.text[:40]!r} needs {needed} EMU, row has {row.height}")
    return problems


def _height(paragraphs: Any, width: int) -> int:
    total = 0.0
    for paragraph in paragraphs:
        size = max((run.font.size.pt for run in paragraph.runs if run.font.size), default=18.0)
        assert size >= 16, f"{paragraph.text[:40]!r} at {size} pt"  # readable on a projected slide
        per_line = max(1, int(width / 12700 / (size * CHAR_EM)))
        lines = max(1, math.ceil(len(paragraph.text) / per_line)) if paragraph.text else 1
        total += lines * size * LINE_EM
    return int(total * 12700)


def test_the_deck_reads_back_with_its_slides_value_and_native_charts(demo: CsmRunner, tmp_path: Path) -> None:
    presentation = deck(demo, "Greenhollow Energy", tmp_path)
    slides = list(presentation.slides)
    assert 3 <= len(slides) <= 7
    assert (presentation.slide_width, presentation.slide_height) == (12_192_000, 6_858_000)  # 16:9
    assert slides[0].shapes.title.text == "Greenhollow Energy"
    properties = presentation.core_properties  # the file says what it is and who made it, not python-pptx
    assert properties.title == "Greenhollow Energy: executive business review, 1 March 2027"
    assert properties.author == properties.last_modified_by != "Steve Canny"
    assert "python-pptx" not in (properties.comments or "") + (properties.author or "")
    titles = [s.shapes.title.text for s in slides]
    assert titles == ["Greenhollow Energy", "Executive summary", "Value delivered against your goals",
                      "Adoption and support", "Roadmap items you asked for", "Renewal and next objectives",
                      "Action items"]  # fmt: skip
    value = texts(slides[2])
    assert "Cut turbine inspection reporting time" in value and "40 → 8 hours (target 10)" in value
    assert "Rebecca Thornton (SVP Operations)" in value  # the value is proven: who confirmed it
    charts = [shape.chart for shape in slides[3].shapes if shape.has_chart]
    assert len(charts) == 2  # native, editable charts, not pictures
    assert not any(shape.shape_type == 13 for s in slides for shape in s.shapes)  # 13: a picture
    users, tickets = charts
    assert [s.name for s in users.plots[0].series] == ["active users", "licensed seats"]
    assert list(users.plots[0].categories)[:2] == ["Mar ’26", "Apr"]
    assert tickets.value_axis.major_unit == int(tickets.value_axis.major_unit)  # whole tickets on the axis
    assert tickets.value_axis.axis_title.text_frame.text == "tickets"
    # room above the highest bar for its label, and above the seats line so it is not lost in the plot's edge
    assert tickets.value_axis.maximum_scale > max(tickets.plots[0].series[0].values)
    assert users.value_axis.maximum_scale > max(v for v in users.plots[0].series[1].values if v is not None)
    for slide in slides:
        assert not overflowing(slide, presentation.slide_width), (slide.shapes.title.text, overflowing(slide, 0))


def test_a_month_without_usage_is_a_gap_in_the_chart(csm: CsmRunner, tmp_path: Path) -> None:
    ok(csm("account", "add", "Gapco", "--arr", "50000"))
    usage = tmp_path / "usage.csv"
    usage.write_text("measured_on,account,active_users,licensed_seats\n2026-10-15,Gapco,40,100\n"
                     "2027-02-15,Gapco,61,100\n", encoding="utf-8")  # fmt: skip
    ok(csm("import", "usage", str(usage)))
    slide = list(deck(csm, "Gapco", tmp_path).slides)[3]
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    values = list(chart.plots[0].series[0].values)
    assert values[7] == 40 and values[11] == 61 and values[8:11] == [None, None, None]  # no point, not zero
    assert chart._chartSpace.xpath(".//c:dispBlanksAs/@val") == ["gap"]


def test_every_slide_of_a_risky_and_a_messy_deck_fits(demo: CsmRunner, tmp_path: Path) -> None:
    add_risky_account(demo, tmp_path)
    long_words = "The audit export blocks the GxP validation of every new study; " * 12
    ok(demo("ebr", "note", "Contoso Pharma", "--problem", long_words, "--recommendation", long_words))
    for account in ("Contoso Pharma", "Halvorsen Freight", "Kestrel Aerospace Components"):
        presentation = deck(demo, account, tmp_path)
        for slide in presentation.slides:
            assert not overflowing(slide, presentation.slide_width), (account, slide.shapes.title.text)
    titles = [s.shapes.title.text for s in deck(demo, "Contoso Pharma", tmp_path).slides]
    assert "Executive summary (continued)" in titles  # the CSM's long words go on, never cut


@pytest.mark.parametrize("account", ["Halvorsen Freight", "Kestrel Aerospace Components", "Cobaltline Logistics"])
def test_a_busy_accounts_deck_keeps_to_seven_slides(demo: CsmRunner, tmp_path: Path, account: str) -> None:
    titles = [s.shapes.title.text for s in deck(demo, account, tmp_path).slides]
    assert 3 <= len(titles) <= 7 and not any("(continued)" in t for t in titles), titles


def test_a_messy_book_makes_a_deck(csm: CsmRunner, tmp_path: Path) -> None:
    for account in build_messy_book(csm):
        presentation = deck(csm, account.split(" ")[0], tmp_path)
        assert 3 <= len(presentation.slides) <= 7
        assert presentation.slides[0].shapes.title.text == account
        for slide in presentation.slides:
            assert not overflowing(slide, presentation.slide_width)
        # no usage and no ticket in the book: no slide of empty charts
        assert "Adoption and support" not in [s.shapes.title.text for s in presentation.slides]


def test_a_deck_shows_only_the_charts_and_columns_with_data(demo: CsmRunner, tmp_path: Path) -> None:
    add_risky_account(demo, tmp_path)  # tickets, but no usage figure, no note on the request, nothing confirmed
    slides = {s.shapes.title.text: s for s in deck(demo, "Contoso Pharma", tmp_path).slides}
    charts = [shape.chart for shape in slides["Adoption and support"].shapes if shape.has_chart]
    assert [c.chart_title.text_frame.text for c in charts] == ["Support tickets opened per month"]
    assert charts[0].plots[0].data_labels.number_format == "0;-0;;@"  # a month of 0 tickets has no label on the axis
    headers = {title: [cell.text for cell in next(s for s in slide.shapes if s.has_table).table.rows[0].cells]
               for title, slide in slides.items() if any(shape.has_table for shape in slide.shapes)}  # fmt: skip
    assert headers["Roadmap items you asked for"] == ["Request", "Asked"]
    assert headers["Value delivered against your goals"] == ["Goal", "Measure", "Status"]
    green = {s.shapes.title.text: s for s in deck(demo, "Greenhollow Energy", tmp_path).slides}
    table = next(s for s in green["Roadmap items you asked for"].shapes if s.has_table).table
    assert [cell.text for cell in table.rows[0].cells] == ["Request", "Asked", "Why it matters"]


def test_the_deck_is_written_like_every_out_file(demo: CsmRunner, tmp_path: Path) -> None:
    target = tmp_path / "deck.pptx"
    ok(demo("ebr", "Halvorsen Freight", "--out", str(target)))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = demo("ebr", "Halvorsen Freight", "--out", str(target))
    assert again.code == 1 and "already exists" in again.err and "--force" in again.err
    assert demo("ebr", "Halvorsen Freight", "--format", "pptx", "--out", str(tmp_path / "x.bin")).code == 0
    assert (tmp_path / "x.bin").read_bytes()[:2] == b"PK"  # --format wins over the extension
    for name in ("deck.ppt", "deck.docx"):
        refused = demo("ebr", "Halvorsen Freight", "--out", str(tmp_path / name))
        assert refused.code == 1 and ".pptx" in refused.err and not (tmp_path / name).exists()


def test_a_users_template_supplies_the_theme_and_layouts(demo: CsmRunner, tmp_path: Path) -> None:
    from pptx.util import Inches

    template = Presentation()
    template.slide_width, template.slide_height = Inches(13.333), Inches(7.5)
    template.slide_layouts[5].name = "Our title only"
    sample = template.slides.add_slide(template.slide_layouts[0])  # a template often keeps a sample slide
    sample.shapes.title.text = "SAMPLE SLIDE"
    path = tmp_path / "brand.pptx"
    template.save(str(path))
    presentation = deck(demo, "Halvorsen Freight", tmp_path, "--template", str(path))
    titles = [s.shapes.title.text for s in presentation.slides]
    assert "SAMPLE SLIDE" not in titles and titles[0] == "Halvorsen Freight"
    assert {s.slide_layout.name for s in list(presentation.slides)[1:]} == {"Our title only"}
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(path, folder / "ebr.pptx")
    config = Path(os.environ["CSM_CONFIG"])
    config.write_text(config.read_text(encoding="utf-8") + f'templates_dir = "{folder}"\n', encoding="utf-8")
    assert {s.slide_layout.name for s in list(deck(demo, "Halvorsen Freight", tmp_path).slides)[1:]} == {
        "Our title only"
    }
    broken = tmp_path / "broken.pptx"
    broken.write_text("not a deck", encoding="utf-8")
    run = demo("ebr", "Halvorsen Freight", "--out", str(tmp_path / "b.pptx"), "--template", str(broken))
    assert run.code == 1 and "Traceback" not in run.err
    assert f"cannot read the deck template {broken}: it is not a PowerPoint .pptx file" in run.err
    missing = demo(
        "ebr", "Halvorsen Freight", "--out", str(tmp_path / "c.pptx"), "--template", str(tmp_path / "no.pptx")
    )
    assert missing.code == 1 and f"there is no deck template {tmp_path / 'no.pptx'}" in missing.err
    assert not (tmp_path / "b.pptx").exists() and not (tmp_path / "c.pptx").exists()


def test_libreoffice_opens_the_deck_and_prints_one_page_a_slide(demo: CsmRunner, tmp_path: Path) -> None:
    if SOFFICE is None:
        message = "LibreOffice is missing: install Debian's libreoffice-impress to open the deck in a real program"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run it")
        pytest.skip(message)
    path = tmp_path / "deck.pptx"
    ok(demo("ebr", "Halvorsen Freight", "--out", str(path)))
    slides = len(Presentation(str(path)).slides)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists(), "LibreOffice could not open the deck"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {slides}" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Halvorsen Freight" in text and "Action items" in text and "Shipment sync delayed by hours" in text
