"""Every export carries its evidence: the format the file's name says, the size asked for
exactly, every cited source in the picture (a PDF continues on further pages; a PNG or SVG
lists what it holds and says how many more), no count badge a reader cannot open, labels
inside the picture, and sources that would read alike told apart."""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from explorer.cli import main
from explorer.domain.dates import PartialDate
from explorer.domain.filters import FilterState
from explorer.domain.model import Source
from explorer.domain.view import ViewState
from explorer.export.picture import PictureData, fitted_window, snapshot_of
from explorer.render import page as render_picture
from explorer.render import painter as tp
from explorer.render.page import ensure_gui_app
from explorer.render.picture import ViewTimeline
from explorer.render.snapshot import cited_sources
from explorer.storage.library import Library
from explorer.storage.query import SqlQuery
from explorer.storage.store import EventStore

pytestmark = pytest.mark.usefixtures("qapp")  # one QApplication for the session, made first


def _urls(store: Path) -> list[str]:
    with EventStore(store) as s:
        return [src.url for src in s.sources().values() if src.url]


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "".join(el.text or "" for el in root.iter() if el.tag.endswith("}text"))


def _listed_sources(text: str) -> tuple[int, set[int], int]:
    """A picture's sources: how many it cites, the numbers it lists, how many it leaves out
    ("… and N more sources: export as PDF or Markdown for all")."""
    heading = re.search(r"Cited by the events shown: (\d+) sources?", text)
    assert heading is not None
    total = int(heading.group(1))
    listed = {int(n) for n in re.findall(r"(?<![\d.,])(\d+)\. [“\w\[]", text)}
    more = re.search(r"… and (\d+) more sources: export as PDF or Markdown for all", text)
    return total, {n for n in listed if n <= total}, int(more.group(1)) if more else 0


def _png_size(path: Path) -> tuple[int, int]:
    w, h = struct.unpack(">II", path.read_bytes()[16:24])
    return w, h


# ----------------------------------------------------------------- the format from the name


@pytest.mark.parametrize(
    ("name", "magic"),
    [
        ("view.pdf", b"%PDF"),
        ("view.png", b"\x89PNG"),
        ("view.svg", b"<?xml"),
        ("events.json", b"{"),
        ("events.csv", b"\xef\xbb\xbf"),  # UTF-8 with a BOM
        ("events.markdown", b"# "),
        ("EVENTS.MD", b"# "),
    ],
)
def test_the_format_comes_from_the_suffix(
    mini_store: Path, tmp_path: Path, name: str, magic: bytes
) -> None:
    out = tmp_path / name
    assert main(["export", "--db", str(mini_store), "-o", str(out)]) == 0
    assert out.read_bytes().startswith(magic)


@pytest.mark.parametrize(
    ("name", "flags", "words"),
    [
        ("x.pdf", ["--format", "json"], "means pdf, but --format is json"),
        ("x.txt", [], "names no format"),
        ("x", [], "no suffix"),
    ],
)
def test_a_suffix_that_disagrees_or_says_nothing_is_refused_in_one_line(
    mini_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    flags: list[str],
    words: str,
) -> None:
    out = tmp_path / name
    assert main(["export", "--db", str(mini_store), "-o", str(out), *flags]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
    assert not out.exists()


def test_a_format_flag_names_a_file_without_a_known_suffix(
    mini_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.txt"
    assert main(["export", "--db", str(mini_store), "--format", "csv", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_help_says_how_the_format_is_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "output's suffix" in out and ".markdown" in out


# ----------------------------------------------------------------- the asked size, exactly


@pytest.mark.parametrize(
    ("flags", "size"),
    [
        (["--width", "1600", "--height", "900", "--scale", "2"], (3200, 1800)),
        (["--width", "1366", "--height", "768", "--scale", "2", "--lanes", "agency"], (2732, 1536)),
        (["--width", "900", "--height", "300"], (900, 300)),
    ],
)
def test_a_png_has_exactly_the_asked_size(
    curated_store: Path, tmp_path: Path, flags: list[str], size: tuple[int, int]
) -> None:
    out = tmp_path / "view.png"
    assert main(["export", "--db", str(curated_store), "-o", str(out), *flags]) == 0
    assert _png_size(out) == size


@pytest.mark.parametrize("lanes", ["country", "agency"])
def test_an_svg_has_exactly_the_asked_size(curated_store: Path, tmp_path: Path, lanes: str) -> None:
    out = tmp_path / "view.svg"
    flags = ["--width", "1366", "--height", "768", "--lanes", lanes]
    assert main(["export", "--db", str(curated_store), "-o", str(out), *flags]) == 0
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("1366px", "768px")
    assert root.get("viewBox") == "0 0 1366 768"


@pytest.mark.parametrize(("page", "size"), [("a4", (842, 595)), ("letter", (792, 612))])
def test_every_pdf_page_has_the_asked_size(
    curated_store: Path, tmp_path: Path, page: str, size: tuple[int, int]
) -> None:
    out = tmp_path / "view.pdf"
    flags = ["--page", page, "--lanes", "agency"]
    assert main(["export", "--db", str(curated_store), "-o", str(out), *flags]) == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    for p in reader.pages:
        assert (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == size


# ----------------------------------------------------------------- every source, or how many not


def test_a_short_png_keeps_its_size_and_says_how_many_sources_it_leaves_out(
    mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "short.png"
    flags = ["--height", "300", "--width", "900"]
    assert main(["export", "--db", str(mini_store), "-o", str(out), *flags]) == 0
    assert _png_size(out) == (900, 300)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cited sources" in err and "export as PDF" in err


def test_a_short_svg_lists_what_fits_and_says_how_many_more(
    mini_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "short.svg"
    flags = ["--height", "300", "--width", "900"]
    assert main(["export", "--db", str(mini_store), "-o", str(out), *flags]) == 0
    text = _svg_text(out)
    total, listed, left = _listed_sources(text)
    assert left > 0 and total == 3
    assert listed == set(range(1, total - left + 1))
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("900px", "300px")


def test_a_png_with_room_keeps_its_size_and_says_nothing(
    mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "view.png"
    assert main(["export", "--db", str(mini_store), "-o", str(out)]) == 0
    assert _png_size(out) == (1600, 900)
    assert capsys.readouterr().err == ""


def test_the_curated_svg_lists_its_sources_or_says_how_many_more(
    curated_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "curated.svg"
    flags = ["--width", "1366", "--height", "768"]
    assert main(["export", "--db", str(curated_store), "-o", str(out), *flags]) == 0
    total, listed, left = _listed_sources(_svg_text(out))
    assert total == 32
    assert listed == set(range(1, total - left + 1))


def test_the_curated_pdf_lists_every_source_over_its_pages(
    curated_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "curated.pdf"
    assert main(["export", "--db", str(curated_store), "-o", str(out)]) == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())  # a URL wider than a column wraps
    for url in _urls(curated_store):
        assert url in flat
    assert "more sources: export" not in text


# ----------------------------------------------------------------- the curated fitted view


def test_the_curated_fitted_view_shows_every_event_with_no_badge(curated_store: Path) -> None:
    """At 1600x900 every event has its own mark, no badge, and every label lies inside the
    plot (none cut at the right edge); the window spans the events, not years more."""
    ensure_gui_app()
    library = Library([EventStore(curated_store)])
    query = SqlQuery(library)
    first, last = fitted_window(query, 1600)
    data = PictureData(query, ViewState(FilterState()), first, last)
    events = data.timeline.events
    assert events is not None
    timeline = ViewTimeline(data.timeline)
    snap = snapshot_of(query, data, width=1600)
    plan = render_picture._plan_page(
        QRectF(0, 0, 1600, 900), snap, timeline, text_scale=None, paged=False, least_px=9.0
    )
    rect = QRectF(0, 0, plan.inner.width(), plan.timeline_h)
    layout = timeline.fit(rect).layout
    assert layout is not None
    assert layout.badges == []
    assert sorted(m.event.id for m in layout.marks) == sorted(e.id for e in events)
    assert len(layout.labelled & {e.id for e in events}) >= len(events) * 3 // 4
    for r in layout.label_rects:
        assert layout.plot.left() - 0.5 <= r.left() and r.right() <= layout.plot.right() + 0.5
    a = min(e.start_day for e in events)
    b = max(e.end_day for e in events)
    assert last - first <= (b - a + 1) * 1.1


# ----------------------------------------------------------------- alike sources


def test_two_records_of_one_article_are_told_apart_by_their_notes() -> None:
    url = "https://example.org/article/1"
    common: dict[str, Any] = dict(title="One article", outlet="Daily", language="en", url=url)
    a = Source(
        key="a",
        published=PartialDate(2024, 5),
        note="The article itself; quotes were read on the outlet's own page at this URL.",
        **common,
    )
    b = Source(
        key="b",
        published=PartialDate(2024, 5),
        note="The same article; text read from a republished copy at https://copy.example "
        "(a mirror), because the page was cut short.",
        **common,
    )
    c = Source(key="c", published=None, title="Other", outlet="Daily", language="en", note="x")
    listed, _ = cited_sources([a, b, c])
    assert len(listed) == 3 and len({s.line for s in listed}) == 3
    words = sorted(s.distinction for s in listed if s.title == "One article")
    assert words == [
        "quotes were read on the outlet's own page at this URL",
        "text read from a republished copy at https://copy.example",
    ]
    assert all(s.distinction == "" for s in listed if s.title == "Other")


def test_status_marks_are_told_apart_at_export_size() -> None:
    """Announced, in force and reported marks differ in their pixels, not only in words."""
    ensure_gui_app()
    painter = tp.TimelinePainter(tp.Theme.light())
    pictures = []
    for status in ("announced", "in_force", "reported"):
        image = QImage(24, 24, QImage.Format.Format_RGB32)
        image.fill(0xFFFFFFFF)
        p = QPainter(image)
        painter._draw_shape(p, "announcement", status, 12, 12, tp.MARK)
        p.end()
        pictures.append(bytes(image.constBits()))
    a, f, r = pictures

    def differ(x: bytes, y: bytes) -> int:
        return sum(
            1 for i in range(0, len(x), 4) if abs(x[i] - y[i]) + abs(x[i + 1] - y[i + 1]) > 60
        )

    assert differ(a, f) >= 20 and differ(a, r) >= 20 and differ(f, r) >= 20
