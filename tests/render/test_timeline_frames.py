"""The painter's stacked frames (the window's): lanes as tall as their rows, scrolled under a
fixed axis, names kept in their lane; imported lists as listings; count marks that say what
they hold. Painted into an image, checked by where things went."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from explorer.domain.timescale import TimeScale
from explorer.render.painter import (
    COLLAPSED_H,
    LANE_MIN,
    ROW_H,
    Badge,
    FrameData,
    FrameLayout,
    TimelinePainter,
    badge_tooltip,
    listing_label,
    short_date,
    short_list_name,
)
from explorer.storage.timeline import Lane, Listing, WindowEvent

D0 = date(2024, 1, 1).toordinal()


def ev(
    gid: int, day: int, lane: tuple[int, str], title: str, kind: str = "announcement"
) -> WindowEvent:
    d = date.fromordinal(D0 + day).isoformat()
    return WindowEvent(gid, D0 + day, D0 + day, lane, kind, "announced", "day", title, d)


def paint(frame: FrameData, w: int = 1200, h: int = 400) -> FrameLayout:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    p = QPainter(image)
    try:
        return TimelinePainter().paint(p, QRectF(0, 0, w, h), frame)
    finally:
        p.end()


def scale(days: int = 365, width: float = 1050) -> TimeScale:
    return TimeScale(D0 - 5, days + 10, width)


def test_short_names_dates_and_listing_labels() -> None:
    assert short_list_name("Specially Designated Nationals (SDN)") == (
        "SDN · Specially Designated Nationals"
    )
    assert short_list_name("Regulation 269/2014, Annex I.PERSONS (Asset freeze)") == (
        "Annex I.PERSONS · Reg. 269/2014 (Asset freeze)"
    )
    assert short_list_name("Entity List") == "Entity List"
    assert short_date("2020-12-18", 0) == "18 Dec 2020"
    assert short_date("2020-12", 0) == "Dec 2020"
    assert short_date("2022", 0) == "2022"
    e = WindowEvent(1, 0, 0, (1, "bis"), "sanction_listing", "announced", "day", "t", "2020-12-18")
    assert listing_label(e, Listing("Entity List", 50, 77, "entities")) == (
        "Entity List · 18 Dec 2020 · 77 entities"
    )
    assert listing_label(e, Listing("Entity List", 1, 1, "entities")) == (
        "Entity List · 18 Dec 2020 · 1 entity"
    )
    assert listing_label(e, Listing("Entity List", 3, 3, "entities", ending=True)) == (
        "Entity List · 18 Dec 2020 · 3 entities leave"
    )


def test_stacked_lanes_take_their_rows_and_scroll_under_the_axis(qapp: object) -> None:
    busy, quiet = (0, "CN"), (0, "US")
    events = [ev(i, 100 + i, busy, f"A long enough title number {i}") for i in range(6)]
    events.append(ev(99, 200, quiet, "Alone"))
    lanes = [Lane(busy, "China", 6, False), Lane(quiet, "United States", 1, False)]
    frame = FrameData(scale(), "country", lanes, events=events, stacked=True)
    lay = paint(frame, h=200)
    tall, short = lay.lane_rects[busy], lay.lane_rects[quiet]
    assert tall.height() >= 3 * ROW_H  # rows for its labels (either side of the marks)
    assert LANE_MIN <= short.height() < tall.height()
    assert tall.bottom() == pytest.approx(short.top())
    assert lay.content_height == pytest.approx(tall.height() + short.height())
    assert lay.labelled == {e.id for e in events}  # every event's label, whole
    # scrolled: the lanes move up under the fixed axis; the busy lane's name stays in view
    frame.scroll = 60
    lay2 = paint(frame, h=200)
    assert lay2.lane_rects[busy].top() == pytest.approx(tall.top() - 60)
    assert lay2.plot.top() == pytest.approx(lay.plot.top())
    name = next(s for s in lay2.gutter if s.toggles and s.lane == busy)
    assert name.rect.top() == pytest.approx(lay2.plot.top())
    for spot in (s for s in lay2.gutter if s.toggles):
        lane = lay2.lane_rects[spot.lane]
        assert lane.top() - 0.5 <= spot.rect.top() and spot.rect.bottom() <= lane.bottom() + 0.5
    # marks scrolled above the axis are not drawn (nor hit)
    assert all(m.rect.bottom() > lay2.plot.top() for m in lay2.marks)
    assert len(lay2.marks) < len(lay.marks)


def test_a_collapsed_lane_is_one_row(qapp: object) -> None:
    key = (0, "CN")
    events = [ev(i, 100 + i, key, f"Title {i}") for i in range(6)]
    frame = FrameData(
        scale(),
        "country",
        [Lane(key, "China", 6, False)],
        events=events,
        stacked=True,
        collapsed=frozenset({key}),
    )
    lay = paint(frame)
    assert lay.lane_rects[key].height() == pytest.approx(COLLAPSED_H)
    rows = {round(m.center.y()) for m in lay.marks} | {
        round(b.rect.center().y()) for b in lay.badges
    }
    assert len(rows) == 1


def test_imported_lists_read_as_listings_with_a_row_each(qapp: object) -> None:
    key = (1, "US")
    # an SDN file: one event per programme, all on one day; an Entity List with two tranches
    sdn = [
        ev(10 + i, 50, key, f"OFAC SDN list: {i + 1} entries under P{i}", "sanction_listing")
        for i in range(5)
    ]
    el = [ev(30, 20, key, "BIS adds 77 entities", "sanction_listing")]
    el.append(ev(31, 300, key, "BIS adds 12 entities", "sanction_listing"))
    events = sorted(sdn + el, key=lambda e: (e.start_day, e.id))
    listings = {e.id: Listing("Specially Designated Nationals (SDN)", 3, 9, "entries") for e in sdn}
    listings[30] = Listing("Entity List", 77, 77, "entities")
    listings[31] = Listing("Entity List", 12, 12, "entities")
    lane = Lane(key, "Imported · United States", len(events), True)
    frame = FrameData(scale(), "country", [lane], events=events, stacked=True, listings=listings)
    lay = paint(frame)
    sdn_marks = [m for m in lay.marks if m.members]
    assert len(sdn_marks) == 1  # one mark for the day, never a column of badges
    assert {e.id for e in sdn_marks[0].members} == {e.id for e in sdn}
    assert sdn_marks[0].label == "SDN · Specially Designated Nationals · 20 Feb 2024 · 9 entries"
    el_marks = [m for m in lay.marks if m.event.id in (30, 31)]
    assert [m.label for m in el_marks] == [
        "Entity List · 21 Jan 2024 · 77 entities",
        "Entity List · 27 Oct 2024 · 12 entities",
    ]
    # one list's tranches share a row; each list has its own, named in the gutter
    assert el_marks[0].center.y() == el_marks[1].center.y() != sdn_marks[0].center.y()
    names = [s.tooltip.split("\n")[0] for s in lay.gutter if not s.toggles]
    assert names == ["Entity List", "Specially Designated Nationals (SDN)"]
    assert lay.labelled >= {e.id for e in events}
    assert not lay.badges


def test_a_count_mark_says_how_many_of_which_kinds() -> None:
    e = ev(1, 1, (0, "CN"), "x")
    badge = Badge(
        QRectF(),
        [1, 2, 3],
        0,
        1,
        [(e, "a"), (e, "b"), (e, "c")],
        {"statement": 1, "announcement": 2},
    )
    assert badge_tooltip(badge) == "3 events: 2 announcements, 1 statement"
