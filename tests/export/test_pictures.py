"""PNG, SVG and PDF exports, checked for what a student relies on: size, a drawn timeline, titles
and sources as searchable text, every font embedded, CJK names intact."""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from explorer.cli import main
from explorer.domain.dates import PartialDate
from explorer.domain.model import Source
from explorer.export.render_picture import render_pdf
from explorer.export.snapshot import make_snapshot
from explorer.storage import build
from explorer.storage.store import EventStore

pytestmark = pytest.mark.usefixtures("qapp")  # one QApplication for the session, made first

CJK_TITLE = "商务部 announces export controls on aerospace items"
CJK_SPEAKER = "ファン・グオビン"


@pytest.fixture(scope="module")
def cjk_store(tmp_path_factory: pytest.TempPathFactory, mini_data: Path, seeds_dir: Path) -> Path:
    """The mini fixture with a Chinese title and a Japanese actor name (test values)."""
    folder = tmp_path_factory.mktemp("cjk-data")
    for f in mini_data.iterdir():
        if f.is_file():
            shutil.copy(f, folder / f.name)
    events = json.loads((folder / "events.json").read_text(encoding="utf-8"))
    events[0]["title"] = CJK_TITLE
    (folder / "events.json").write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("cjk") / "cjk.sqlite"
    build.build(folder, out, seeds_dir)
    return out


def _titles(store: Path) -> list[str]:
    with EventStore(store) as s:
        return [e.title for e in s.summaries()]


def _urls(store: Path) -> list[str]:
    with EventStore(store) as s:
        return [src.url for src in s.sources().values() if src.url]


def _export(store: Path, out: Path, fmt: str, *extra: str) -> Path:
    assert main(["export", "--db", str(store), "--format", fmt, "-o", str(out), *extra]) == 0
    return out


def _svg_text(path: Path) -> str:
    """All text of an SVG in document order (Qt splits runs where the font changes)."""
    root = ET.parse(path).getroot()
    return "".join(el.text or "" for el in root.iter() if el.tag.endswith("}text"))


def _pdf_text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _fonts(reader: pypdf.PdfReader) -> dict[str, list[str]]:
    """Font name -> the FontFile keys of its descriptor (empty: not embedded)."""
    out: dict[str, list[str]] = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            keys = [k for k in (desc.get_object() if desc else {}) if k.startswith("/FontFile")]
            out[str(font["/BaseFont"])] = keys
    return out


# ----------------------------------------------------------------- PNG


def _timeline_variance(image: QImage) -> tuple[int, float]:
    """Distinct colours and the share of non-white pixels in the page's middle band (the
    timeline: below the title block, above the legend and sources)."""
    w, h = image.width(), image.height()
    colours: set[int] = set()
    ink = total = 0
    for y in range(int(h * 0.15), int(h * 0.6), 3):
        for x in range(int(w * 0.03), int(w * 0.97), 3):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            total += 1
            ink += rgb != 0xFFFFFF
    return len(colours), ink / total


def test_png_has_the_asked_size_and_a_drawn_timeline(mini_store: Path, tmp_path: Path) -> None:
    out = _export(mini_store, tmp_path / "view.png", "png", "--width", "1200", "--height", "700")
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 700)
    colours, ink = _timeline_variance(image)
    assert colours > 8  # lanes, marks in their kinds' colours, axis, labels
    assert 0.01 < ink < 0.9


def test_png_scale_2_doubles_every_side_for_slides(mini_store: Path, tmp_path: Path) -> None:
    out = _export(mini_store, tmp_path / "slide.png", "png", "--scale", "2")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (3200, 1800)
    assert round(image.dotsPerMeterX() * 0.0254) == 192
    assert _timeline_variance(image)[0] > 8


# ----------------------------------------------------------------- SVG


def test_svg_keeps_titles_filters_and_sources_as_text(mini_store: Path, tmp_path: Path) -> None:
    out = _export(mini_store, tmp_path / "view.svg", "svg")
    raw = out.read_text(encoding="utf-8")
    assert raw.count("<text") > 20 and "<path" not in raw.split("<text", 1)[0][-200:]
    assert re.search(r'<svg width="1600px" height="900px"', raw)
    text = _svg_text(out)
    for title in _titles(mini_store):
        assert title in text
    for url in _urls(mini_store):
        assert url in text
    assert "Filters: none (every event)" in text
    assert "Data version fixture-mini-1" in text


def test_svg_with_chinese_and_japanese_names(cjk_store: Path, tmp_path: Path) -> None:
    out = _export(cjk_store, tmp_path / "cjk.svg", "svg", "--lanes", "agency")
    assert CJK_TITLE in _svg_text(out)
    assert "lanes by agency" in _svg_text(out)


# ----------------------------------------------------------------- PDF


def test_pdf_is_a_landscape_page_with_titles_urls_and_embedded_fonts(
    mini_store: Path, tmp_path: Path
) -> None:
    out = _export(mini_store, tmp_path / "view.pdf", "pdf")
    reader = pypdf.PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = _pdf_text(reader)
    for title in _titles(mini_store):
        assert title in text
    for url in _urls(mini_store):
        assert url in text
    assert "Cited by the events shown: 3 sources" in text
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    # vector: the timeline is drawn, not pasted in as a picture
    assert b"/Subtype /Image" not in out.read_bytes()


def test_pdf_letter_page(mini_store: Path, tmp_path: Path) -> None:
    out = _export(mini_store, tmp_path / "view.pdf", "pdf", "--page", "letter")
    box = pypdf.PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)


def test_pdf_with_cjk_embeds_the_cjk_font_and_its_text_searches(
    cjk_store: Path, tmp_path: Path
) -> None:
    out = _export(cjk_store, tmp_path / "cjk.pdf", "pdf")
    reader = pypdf.PdfReader(out)
    text = _pdf_text(reader)
    assert "商务部" in text
    fonts = _fonts(reader)
    assert any("CJK" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_pdf_lists_every_source_continuing_on_further_pages() -> None:
    sources = [
        Source(
            f"s{i}",
            f"Report {i} 出口管制",
            "Outlet",
            "en",
            PartialDate(2020 + i % 5, 1 + i % 12),
            f"https://example.org/report/{i:03d}",
        )
        for i in range(150)
    ]
    snap = make_snapshot(
        window=(738000.0, 738500.0),
        range_text="2021",
        lane_mode="country",
        shown=150,
        total=150,
        sources=sources,
        exported=date(2026, 1, 1),
    )

    def timeline(p: QPainter, r: QRectF) -> None:
        p.fillRect(r.adjusted(20, 20, -20, -20), QColor("#1f77b4"))

    reader = pypdf.PdfReader(io.BytesIO(render_pdf(snap, timeline, "a4")))
    assert len(reader.pages) >= 2
    text = _pdf_text(reader)
    for i in range(150):
        assert text.count(f"https://example.org/report/{i:03d}") == 1
    assert "出口管制" in text  # not the look-alike Kangxi radical ⼝
    assert "⼝" not in text


def test_an_empty_selection_still_exports_a_picture_that_says_so(
    mini_store: Path, tmp_path: Path
) -> None:
    # Filters come from issue 4's flags; an impossible date range is the simplest empty view.
    out = _export(mini_store, tmp_path / "none.svg", "svg", "--width", "800", "--height", "600")
    assert "6 of 6 events" in _svg_text(out)
