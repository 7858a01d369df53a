"""The timeline a student reads on a laptop: labels first, lanes as tall as their rows, a lane
area that scrolls under a fixed time axis, lanes that collapse, imported lists as listings.

The label counts run on the real window at 1366x768 over the curated store, at fit-all, in
both lane modes, and count what a student can read by scrolling the lanes: events whose label
is drawn, whole or shortened to no less than about twelve characters.
"""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.qt.timeline_model import TimelineModel
from explorer.qt.workspace import Workspace
from explorer.render.painter import COLLAPSED_H, MIN_LABEL, ROW_H
from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store
from explorer.ui.main_window import MainWindow
from explorer.ui.timeline_view import SCROLL_STEP, TimelinePanel, TimelineView

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def settle(qtbot: QtBot, model: TimelineModel) -> None:
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=10_000)
    QApplication.processEvents()


def repaint(qtbot: QtBot, view: TimelineView) -> TimelineView:
    settle(qtbot, view.model)
    view.repaint()
    return view


def wheel_at(view: TimelineView, pos: QPointF, dy: int) -> None:
    QApplication.sendEvent(
        view,
        QWheelEvent(
            pos,
            view.mapToGlobal(pos),
            QPoint(0, 0),
            QPoint(0, dy),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )


@pytest.fixture
def laptop(qtbot: QtBot, curated_store: Path) -> Iterator[MainWindow]:
    """The real window over the curated store on a 1366x768 laptop screen."""
    lib = Library([EventStore(curated_store)])
    workspace = Workspace(lib, settings=QSettings())
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot, win.timeline.model)
    yield win
    win.close()
    workspace.shutdown()
    lib.close()


def labelled_by_scrolling(qtbot: QtBot, view: TimelineView) -> tuple[set[int], set[int]]:
    """Scroll the lanes from top to bottom, a page at a time: the events whose label was
    drawn readable on the way, and every event drawn."""
    view.set_scroll(0)
    labelled: set[int] = set()
    drawn: set[int] = set()
    while True:
        lay = repaint(qtbot, view).layout_
        assert lay is not None and lay.detail
        for m in lay.marks:
            drawn.add(m.event.id)
        # every drawn label is readable: whole, or at least about twelve characters
        for r in lay.label_rects:
            assert r.width() >= MIN_LABEL - 14
            assert lay.plot.left() - 0.5 <= r.left() and r.right() <= lay.plot.right() + 0.5
        labelled |= lay.labelled
        content, page = view.scroll_range()
        if view.scroll_offset >= content - page - 0.5:
            return labelled, drawn
        view.set_scroll(view.scroll_offset + page * 0.8)


@pytest.mark.parametrize("mode", ["country", "agency"])
def test_at_fit_all_on_a_laptop_nine_events_in_ten_carry_a_label(
    qtbot: QtBot, laptop: MainWindow, mode: str
) -> None:
    model, view = laptop.timeline.model, laptop.timeline.view
    laptop.workspace.set_lane_mode(mode)
    settle(qtbot, model)
    model.fit_all()
    settle(qtbot, model)
    events = {e.id for e in laptop.workspace.events}  # type: ignore[attr-defined]
    assert len(events) == 33
    labelled, drawn = labelled_by_scrolling(qtbot, view)
    assert drawn == events  # every lane can be reached
    print(f"{mode}: {len(labelled & events)} of {len(events)} events labelled")
    assert len(labelled & events) >= 0.9 * len(events), sorted(events - labelled)
    lay = view.layout_
    assert lay is not None and not lay.badges  # no count mark in the curated history at fit-all


def test_lane_names_never_run_into_the_next_lane_and_stay_in_view(
    qtbot: QtBot, laptop: MainWindow
) -> None:
    model, view = laptop.timeline.model, laptop.timeline.view
    laptop.workspace.set_lane_mode("agency")  # 17 lanes, names of two lines
    settle(qtbot, model)
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    for spot in (s for s in lay.gutter if s.toggles):
        lane = lay.lane_rects[spot.lane]
        assert lane.top() - 0.5 <= spot.rect.top() and spot.rect.bottom() <= lane.bottom() + 0.5
        assert spot.rect.right() <= view.plot_left() + 0.5
    # scrolled into the middle of a tall lane, its name stays at the top of the lane area
    key, span = max(lay.lane_spans.items(), key=lambda kv: kv[1][1] - kv[1][0])
    view.set_scroll(span[0] + 30)
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    spot = next(s for s in lay.gutter if s.toggles and s.lane == key)
    assert spot.rect.top() == pytest.approx(lay.plot.top())


def test_the_lanes_scroll_under_a_fixed_time_axis(qtbot: QtBot, laptop: MainWindow) -> None:
    panel, model, view = laptop.timeline, laptop.timeline.model, laptop.timeline.view
    laptop.workspace.set_lane_mode("agency")
    settle(qtbot, model)
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    content, page = view.scroll_range()
    assert content > page  # more lanes than the laptop shows at once
    bar = panel.scroll_bar
    assert bar.objectName() == "timelineScrollBar"
    qtbot.waitUntil(lambda: bar.isEnabled() and abs(bar.maximum() - (content - page)) <= 1)
    last = list(lay.lane_rects)[-1]
    assert lay.lane_rects[last].top() > lay.plot.bottom()  # below the fold
    span = model.scale.span
    # the wheel over the lane names scrolls the lanes (over the plot it zooms)
    wheel_at(view, QPointF(40, lay.plot.top() + 40), -120)
    assert view.scroll_offset == pytest.approx(SCROLL_STEP)
    assert model.scale.span == pytest.approx(span)
    assert bar.value() == round(SCROLL_STEP)
    bar.setValue(bar.maximum())
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    r = lay.lane_rects[last]
    assert lay.plot.top() <= r.top() and r.bottom() <= lay.plot.bottom() + 1
    assert lay.plot.top() == pytest.approx(view.painter.theme.header)  # the axis stays put


def test_selecting_an_event_scrolls_its_lane_into_view(qtbot: QtBot, laptop: MainWindow) -> None:
    model, view = laptop.timeline.model, laptop.timeline.view
    laptop.workspace.set_lane_mode("agency")
    settle(qtbot, model)
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    last = list(lay.lane_rects)[-1]
    gid = model.query.nearest_in_lane("agency", last, 0)
    assert gid is not None
    laptop.workspace.select(gid)
    qtbot.waitUntil(lambda: view.scroll_offset > 0, timeout=5000)
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    mark = lay.mark_of(gid)
    assert mark is not None and lay.plot.contains(mark.rect.center())


def test_a_click_on_a_lane_name_collapses_it_and_it_is_remembered(
    qtbot: QtBot, laptop: MainWindow
) -> None:
    model, view = laptop.timeline.model, laptop.timeline.view
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    china = next(s for s in lay.gutter if s.toggles and s.lane == (0, "CN"))
    tall = lay.lane_rects[(0, "CN")].height()
    assert tall > 3 * ROW_H
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=china.rect.center().toPoint())
    assert model.is_collapsed((0, "CN"))
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    assert lay.lane_rects[(0, "CN")].height() == pytest.approx(COLLAPSED_H)
    assert all(m.rect.height() <= ROW_H for m in lay.marks if m.event.lane == (0, "CN"))
    # remembered in the settings: a new model over them starts with it collapsed
    again = TimelineModel(laptop.workspace)
    settle(qtbot, again)
    assert again.is_collapsed((0, "CN"))
    again.shutdown()
    china = next(s for s in lay.gutter if s.toggles and s.lane == (0, "CN"))
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=china.rect.center().toPoint())
    assert not model.is_collapsed((0, "CN"))
    lay = repaint(qtbot, view).layout_
    assert lay is not None and lay.lane_rects[(0, "CN")].height() == pytest.approx(tall)


# ----------------------------------------------------------------- imported lists


@pytest.fixture
def imported(qtbot: QtBot, mini_store: Path, tmp_path: Path) -> Iterator[TimelinePanel]:
    """The mini store with two imported lists: an OFAC SDN file (one event per programme, all
    on the file's day) and an EU annex with two tranches."""
    user = ensure_user_store(tmp_path / "user.sqlite")
    import_file(FIXTURES / "sdn_2024-01-02.csv", into=user)
    import_file(FIXTURES / "os_eu_annex.csv", into=user, options=ImportOptions(skip_bad=True))
    lib = Library([EventStore(mini_store), EventStore(user)])
    workspace = Workspace(lib, settings=QSettings())
    workspace.set_lane_mode("agency")
    panel = TimelinePanel(TimelineModel(workspace))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitExposed(panel)
    settle(qtbot, panel.model)
    yield panel
    panel.shutdown()
    panel.close()
    workspace.shutdown()
    lib.close()


# a popup list on the offscreen platform: it cannot be raised nor grab the keyboard
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_one_lists_entries_of_one_day_are_one_mark_that_says_list_date_and_count(
    qtbot: QtBot, imported: TimelinePanel
) -> None:
    view, model = imported.view, imported.model
    listings = model.window_listings()
    sdn = [gid for gid, lst in listings.items() if lst.list_name.endswith("(SDN)")]
    assert len(sdn) >= 3  # one event per programme
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    marks = [m for m in lay.marks if m.event.id in sdn or any(e.id in sdn for e in m.members)]
    assert len(marks) == 1  # never a column of badges
    mark = marks[0]
    assert {e.id for e in mark.members} == set(sdn)
    assert mark.label == "SDN · Specially Designated Nationals · 2 Jan 2024 · 4 entries"
    assert set(sdn) <= lay.labelled
    # one click lists the day's events to pick one
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=mark.center.toPoint())
    menu = view.group_menu
    assert menu is not None
    assert sorted(a.data() for a in menu.actions() if a.data() is not None) == sorted(sdn)
    menu.close()


def test_each_list_has_a_row_of_its_own_and_an_issuer_collapses_to_one(
    qtbot: QtBot, imported: TimelinePanel
) -> None:
    view, model = imported.view, imported.model
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    eu = next(ln.key for ln in model.lanes if ln.imported and "European Union" in ln.label)
    rows = [s for s in lay.gutter if s.lane == eu and not s.toggles]
    assert rows and all("Annex" in s.tooltip for s in rows)
    # one list's tranches share its row
    annex_iv = next(s for s in rows if "Annex IV" in s.tooltip)
    iv = [m for m in lay.marks if "Annex IV" in m.label]
    assert len(iv) == 2 and all(annex_iv.rect.contains(0, m.center.y()) for m in iv)
    assert iv[0].label == "Annex IV · Reg. 833/2014 (Export control) · 12 Sep 2014 · 2 entities"
    tall = lay.lane_rects[eu].height()
    model.set_collapsed(eu, True)
    lay = repaint(qtbot, view).layout_
    assert lay is not None
    assert lay.lane_rects[eu].height() == pytest.approx(COLLAPSED_H)
    assert tall > COLLAPSED_H
    assert not [s for s in lay.gutter if s.lane == eu and not s.toggles]
    # collapsed, every listing is still a mark of its own in the one row
    assert len([m for m in lay.marks if m.event.lane == eu]) >= 2
