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
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from explorer.cli import main
from explorer.domain.dates import PartialDate
from explorer.domain.filters import FilterState
from explorer.domain.model import Source
from explorer.domain.view_token import SavedView
from explorer.render.page import render_pdf
from explorer.render.snapshot import make_snapshot
from explorer.storage import build
from explorer.storage.store import EventStore
from explorer.storage.views import ViewStore

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
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font: Any = ref.get_object()
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
    out = _export(mini_store, tmp_path / "none.svg", "svg", "--from", "2030", "--width", "800")
    text = _svg_text(out)
    assert "0 of 6 events" in text and "No events match the filters" in text
    assert "From 2030" in text


# ----------------------------------------------------------------- saved views and picture flags

AERO_IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"


def _save_aero_view(name: str) -> None:
    # May to July 2024, lanes by agency, the rule taking effect selected (a saved window is
    # its first day and its span)
    ViewStore().save(
        name,
        SavedView(
            FilterState(),
            window=(float(date(2024, 5, 1).toordinal()), 92.0),
            lane_mode="agency",
            selection=AERO_IN_FORCE,
        ),
    )


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_a_saved_view_reopens_its_window_lanes_and_selection(
    fmt: str, mini_store: Path, tmp_path: Path
) -> None:
    _save_aero_view("aerospace summer")
    out = _export(mini_store, tmp_path / f"view.{fmt}", fmt, "--view", "aerospace summer")
    if fmt == "png":
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1600, 900)
        return
    text = _svg_text(out) if fmt == "svg" else _pdf_text(pypdf.PdfReader(out))
    assert "May 2024 – July 2024" in text  # the saved window, not the fitted span
    assert "3 of 6 events" in text and "lanes by agency" in text
    assert "China's aerospace export controls take effect" in text
    assert "drone" not in text.lower()  # July 2023: outside the window
    assert "takes effect" in text  # the selection's relation is drawn, with its label


def test_lanes_flag_overrides_the_saved_views_lanes(mini_store: Path, tmp_path: Path) -> None:
    _save_aero_view("aerospace by country")
    out = _export(
        mini_store,
        tmp_path / "v.svg",
        "svg",
        "--view",
        "aerospace by country",
        "--lanes",
        "country",
    )
    text = _svg_text(out)
    assert "lanes by country" in text and "May 2024 – July 2024" in text


def test_svg_width_and_height_set_its_size(mini_store: Path, tmp_path: Path) -> None:
    out = _export(mini_store, tmp_path / "v.svg", "svg", "--width", "1000", "--height", "700")
    assert re.search(r'<svg width="1000px" height="700px"', out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--width", "100"], "argument --width: 100 is outside 200-20000 pixels"),
        (["--height", "wide"], "argument --height: 'wide' is not a number"),
        (["--scale", "9"], "argument --scale: 9 is outside 0.5-4"),
        (["--page", "a3"], "argument --page: invalid choice: 'a3'"),
    ],
)
def test_bad_picture_flags_exit_2_with_one_line(
    flags: list[str],
    message: str,
    mini_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        _export(mini_store, tmp_path / "v.png", "png", *flags)
    assert info.value.code == 2
    assert message in capsys.readouterr().err.splitlines()[-1]
    assert list(tmp_path.iterdir()) == []
