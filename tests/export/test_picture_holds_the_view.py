"""Pictures hold what the view holds: every mark has its label or a number its key explains,
no event of the view is dropped (the 2026 ones included), imported listings are cited by list
file, and the title names the filtered range."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QRectF

from explorer.cli import main
from explorer.domain.dates import PartialDate, day_number
from explorer.domain.filters import FilterState, parse_bound
from explorer.domain.view import ViewState
from explorer.export.picture import (
    PictureData,
    fit_width,
    range_words,
    snapshot_of,
    window_of,
)
from explorer.render import page as pages
from explorer.render.page import ensure_gui_app
from explorer.render.picture import Numbered, TimelinePicture, ViewTimeline, gathered
from explorer.render.snapshot import Snapshot
from explorer.storage.library import Library
from explorer.storage.query import view_query
from explorer.storage.store import EventStore
from explorer.storage.timeline import Lane, WindowEvent

pytestmark = pytest.mark.usefixtures("qapp")  # one QApplication for the session, made first

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
#: The picture sizes a student uses: slides (1600x900, 1366x768) and printed pages.
PICTURES = [
    ("png", 1600, 900, "a4"),
    ("png", 1366, 768, "a4"),
    ("pdf", 1600, 900, "a4"),
    ("pdf", 1600, 900, "letter"),
]


@dataclass
class Laid:
    """A picture of a view as the export lays it out."""

    events: list[WindowEvent]  # the events the view shows
    snapshot: Snapshot
    plan: pages._Plan
    labelled: set[int]
    numbered: list[Numbered]


def _lay_out(
    store: Path,
    fmt: str,
    width: int,
    height: int,
    page: str,
    lanes: str,
    filters: FilterState | None = None,
) -> Laid:
    """Lay a picture out as render_picture does, and say what its timeline labels and
    numbers."""
    ensure_gui_app()
    library = Library([EventStore(store)])
    try:
        query = view_query(library, filters)
        view = ViewState(filters or FilterState(), lane_mode=lanes)
        first, last = window_of(query, view, fit_width(fmt, width, page))
        data = PictureData(query, view, first, last)
        snap = snapshot_of(query, data, width=width, view=view)
        timeline = ViewTimeline(data.timeline)
        if fmt == "pdf":
            w, h = pages.page_size(page)
            rect = QRectF(0, 0, w, h)
            plan = pages._plan_page(
                rect, snap, timeline, text_scale=1.0, paged=True, least_px=pages.MIN_PDF_PX
            )
        else:
            rect = QRectF(0, 0, width, height)
            plan = pages._plan_page(
                rect, snap, timeline, text_scale=None, paged=False, least_px=pages.MIN_PICTURE_PX
            )
        drawn = QRectF(0, 0, plan.inner.width(), plan.timeline_h)
        layout = timeline.fit(drawn).layout
        assert layout is not None
        return Laid(
            data.timeline.visible(), snap, plan, set(layout.labelled), timeline.numbered(drawn)
        )
    finally:
        library.close()


@pytest.mark.parametrize("lanes", ["country", "agency"])
@pytest.mark.parametrize(("fmt", "width", "height", "page"), PICTURES)
def test_every_curated_event_has_its_label_or_a_number_its_key_explains(
    curated_store: Path, fmt: str, width: int, height: int, page: str, lanes: str
) -> None:
    laid = _lay_out(curated_store, fmt, width, height, page, lanes)
    assert len(laid.events) == 33
    numbered = {i for n in laid.numbered for i in n.ids}
    unexplained = [e.title for e in laid.events if e.id not in laid.labelled | numbered]
    assert unexplained == []
    # each number is drawn beside its mark, and the key on the page lists every number
    assert all(n.rect is not None for n in laid.numbered)
    assert [n.entry.number for n in laid.numbered] == list(range(1, len(laid.numbered) + 1))
    assert laid.plan.key == [n.entry for n in laid.numbered]
    assert laid.plan.key_left == []
    # the timeline labels most of them: numbers are the exception
    assert len(laid.numbered) <= len(laid.events) // 3


@pytest.mark.parametrize("lanes", ["country", "agency"])
@pytest.mark.parametrize(("fmt", "width", "height", "page"), PICTURES)
def test_the_2026_events_are_drawn_and_read(
    curated_store: Path, fmt: str, width: int, height: int, page: str, lanes: str
) -> None:
    laid = _lay_out(curated_store, fmt, width, height, page, lanes)
    year = day_number(date(2026, 1, 1))
    late = [e for e in laid.events if e.start_day >= year]
    assert len(late) == 4
    numbered = {i for n in laid.numbered for i in n.ids}
    assert all(e.id in laid.labelled | numbered for e in late)
    first, last = laid.snapshot.window
    assert all(first <= e.start_day and e.end_day < last for e in late)


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return "".join(el.text or "" for el in root.iter() if el.tag.endswith("}text"))


def test_a_crowded_view_numbers_its_marks_and_keys_them_in_the_picture(
    curated_store: Path, tmp_path: Path
) -> None:
    """A small picture of the curated agencies: the marks it cannot label carry numbers that
    its key, in the SVG's searchable text, explains."""
    laid = _lay_out(curated_store, "png", 1000, 560, "a4", "agency")
    assert laid.numbered, "expected a picture too small to label every mark"
    out = tmp_path / "small.svg"
    flags = ["--width", "1000", "--height", "560", "--lanes", "agency"]
    assert main(["export", "--db", str(curated_store), "-o", str(out), *flags]) == 0
    text = _svg_text(out)
    assert "the timeline had no room to label" in text
    shown = laid.numbered[: len(laid.numbered) - len(laid.plan.key_left)]
    for n in shown:
        assert f"{n.entry.number} · {n.entry.when}" in text


def test_a_lane_too_many_is_drawn_with_others_and_keeps_its_events() -> None:
    picture, events = _many_lanes()
    few = gathered(picture, 4)
    assert len(few.lanes) == 4
    assert few.lanes[-1].label == "11 more agencies"
    assert sum(lane.count for lane in few.lanes) == sum(lane.count for lane in picture.lanes)
    assert few.events is not None
    assert sorted(e.id for e in few.events) == sorted(e.id for e in events)
    keys = {lane.key for lane in few.lanes}
    assert all(e.lane in keys for e in few.events)


def _many_lanes() -> tuple[TimelinePicture, list[WindowEvent]]:
    start = day_number(date(2024, 1, 1))
    lanes = [Lane((0, f"a{i}"), f"Agency {i}", 14 - i, False) for i in range(14)]
    events = [
        WindowEvent(
            i * 4,
            start + i,
            start + i,
            lanes[i % 14].key,
            "announcement",
            "announced",
            "day",
            f"Event {i}",
            f"2024-01-{1 + i % 28:02d}",
        )
        for i in range(14)
    ]
    return TimelinePicture(start - 5, start + 40, "agency", lanes, events), events


def test_lanes_get_rows_where_their_marks_need_them(curated_store: Path) -> None:
    """A lane of one event keeps one row; the busy lanes share the rest."""
    ensure_gui_app()
    library = Library([EventStore(curated_store)])
    try:
        query = view_query(library)
        view = ViewState(lane_mode="agency")
        first, last = window_of(query, view, 1600)
        timeline = ViewTimeline(PictureData(query, view, first, last).timeline)
        rows = timeline.lane_rows(QRectF(0, 0, 1500, 900))
        assert rows is not None
        need = timeline.rows_needed(1500)
        quiet = [k for k, (_, full) in need.items() if full == 1]
        assert quiet and all(rows[k] == 1 for k in quiet)
        assert rows[(0, "mofcom")] > 2
    finally:
        library.close()


# ----------------------------------------------------------------- listings cited by list


def test_imported_listings_are_cited_once_per_list_file(mini_store: Path, tmp_path: Path) -> None:
    files = ["sdn_2024-01-02.csv", "os_fr_notices.csv", "os_cn_sanctions.csv"]
    for name in files:
        assert main(["import", str(FIXTURES / name)]) == 0
    out = tmp_path / "lists.pdf"
    assert main(["export", "--db", str(mini_store), "-o", str(out)]) == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    heading = re.search(r"Cited by the events shown: (\d+) sources \((\d+) of them imported", text)
    assert heading is not None, text[:2000]
    assert int(heading.group(2)) == len(files)
    assert int(heading.group(1)) == 3 + len(files)  # the mini store's three, one per file
    for name in files:
        assert text.count(f"“{name}”") == 1
    assert re.search(r"“sdn_2024-01-02\.csv”, imported [^:]+: \d+ listings?, \d+ entit", text)
    # the notices each Federal Register listing cites are counted on its file's line
    assert re.search(r"“os_fr_notices\.csv”.{0,200}citing \d+ records? of its own", text)
    assert "(imported list file)" not in text  # never one line per record or entity


# ----------------------------------------------------------------- the title's range


@pytest.mark.parametrize(
    ("flags", "title"),
    [
        (["--from", "2024"], "US–China export controls, from 1 January 2024"),
        (["--from", "2024", "--to", "2025"], "US–China export controls, 2024 – 2025"),
        (["--to", "2023-06"], "US–China export controls, until 30 June 2023"),
        ([], "US–China export controls, September 2020 – June 2026"),
    ],
)
def test_the_title_names_the_filtered_range(
    curated_store: Path, tmp_path: Path, flags: list[str], title: str
) -> None:
    out = tmp_path / "range.svg"
    assert main(["export", "--db", str(curated_store), "-o", str(out), *flags]) == 0
    text = _svg_text(out)
    assert title in text
    if flags:
        assert "Events shown: " in text  # the span of the events, beside the counts


def test_a_filtered_window_starts_at_the_filter_not_at_an_older_span(
    curated_store: Path,
) -> None:
    """The 2023 sanctions period touches 2024: it is drawn from the window's edge, and the
    window (and the span said) start in 2024, not in January 2023."""
    laid = _lay_out(
        curated_store, "png", 1600, 900, "a4", "country", FilterState(date_from=parse_bound("2024"))
    )
    first, _ = laid.snapshot.window
    assert first >= day_number(date(2023, 11, 1))
    assert laid.snapshot.span_text.startswith("January 2024")
    assert laid.snapshot.range_text == "from 1 January 2024"


def test_range_words_within_a_saved_window() -> None:
    f = FilterState(date_from=parse_bound("2024"))
    assert range_words(f, None) == "from 1 January 2024"
    assert range_words(FilterState(date_to=PartialDate(2025)), None) == "until 31 December 2025"
    assert range_words(FilterState(), None) == ""
    may = float(day_number(date(2024, 5, 1)))
    assert range_words(f, (may, may + 92)) == "May 2024 – July 2024"
