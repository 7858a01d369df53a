"""The timeline through real wheel, key and mouse events: zoom, pan, selection, keyboard, lanes."""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from explorer.qt.timeline_model import TimelineModel
from explorer.qt.workspace import Workspace
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.ui.timeline_view import TimelinePanel, TimelineView


@pytest.fixture(scope="module")
def crowded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crowded") / "gen.sqlite"
    generate(out, 3000, seed=5)
    return out


def make_panel(qtbot: QtBot, store: Path) -> Iterator[TimelinePanel]:
    lib = Library([EventStore(store)])
    workspace = Workspace(lib, settings=QSettings())
    panel = TimelinePanel(TimelineModel(workspace))
    qtbot.addWidget(panel)
    panel.resize(1400, 700)
    panel.show()
    qtbot.waitExposed(panel)
    settle(qtbot, panel.model)
    yield panel
    panel.shutdown()
    panel.close()
    workspace.shutdown()
    lib.close()


@pytest.fixture
def panel(qtbot: QtBot, mini_store: Path) -> Iterator[TimelinePanel]:
    yield from make_panel(qtbot, mini_store)


@pytest.fixture
def crowded(qtbot: QtBot, crowded_store: Path) -> Iterator[TimelinePanel]:
    yield from make_panel(qtbot, crowded_store)


def settle(qtbot: QtBot, model: TimelineModel) -> None:
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
    QApplication.processEvents()


def repaint(qtbot: QtBot, panel: TimelinePanel) -> TimelineView:
    settle(qtbot, panel.model)
    panel.view.repaint()
    return panel.view


def wheel(view: TimelineView, x: float, dy: int = 0, dx: int = 0) -> None:
    pos = QPointF(x, view.height() / 2)
    event = QWheelEvent(
        pos,
        view.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(dx, dy),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, event)


def key(
    qtbot: QtBot,
    view: TimelineView,
    k: Qt.Key,
    mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(view, k, mods)


def mark_point(view: TimelineView, gid: int) -> QPoint:
    assert view.layout_ is not None
    placed = view.layout_.mark_of(gid)
    assert placed is not None, "the event is not drawn as a mark"
    return placed.center.toPoint()


def test_opening_fits_every_event(qtbot: QtBot, panel: TimelinePanel) -> None:
    model = panel.model
    controller = panel.view.workspace
    first, last = model.extent or (0, 0)
    assert model.scale.start < first and model.scale.end > last
    view = repaint(qtbot, panel)
    assert view.layout_ is not None and view.layout_.detail
    assert len(view.layout_.marks) == len(controller.events)  # type: ignore[attr-defined]


def test_wheel_zooms_in_and_out_around_the_cursor(qtbot: QtBot, panel: TimelinePanel) -> None:
    view, model = panel.view, panel.model
    x = view.plot_left() + 300
    day = model.scale.day(300)
    span = model.scale.span
    wheel(view, x, dy=240)
    assert model.scale.span < span / 1.5
    assert model.scale.day(300) == pytest.approx(day, abs=1e-6)
    wheel(view, x, dy=-240)
    assert model.scale.span == pytest.approx(span)


def test_plus_minus_and_f_keys(qtbot: QtBot, panel: TimelinePanel) -> None:
    view, model = panel.view, panel.model
    fitted = model.scale
    key(qtbot, view, Qt.Key.Key_Plus)
    key(qtbot, view, Qt.Key.Key_Plus)
    assert model.scale.span < fitted.span / 1.5
    key(qtbot, view, Qt.Key.Key_Minus)
    assert fitted.span / 1.5 < model.scale.span < fitted.span
    key(qtbot, view, Qt.Key.Key_F)
    assert model.scale.span == pytest.approx(fitted.span)


def test_drag_and_sideways_scroll_pan(qtbot: QtBot, panel: TimelinePanel) -> None:
    view, model = panel.view, panel.model
    key(qtbot, view, Qt.Key.Key_Plus)
    start = model.scale.start
    a = QPoint(int(view.plot_left()) + 400, 20)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(view, a + QPoint(50, 0))
    qtbot.mouseMove(view, a + QPoint(200, 0))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=a + QPoint(200, 0))
    # dragging right shows earlier days, by exactly the dragged distance
    assert model.scale.start == pytest.approx(start - 200 / model.scale.px_per_day)
    before = model.scale.start
    wheel(view, 500, dx=-120)
    assert model.scale.start > before
    key(qtbot, view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert model.scale.start > before


def test_click_selects_and_arrows_reach_related_events(qtbot: QtBot, panel: TimelinePanel) -> None:
    view = panel.view
    controller = view.workspace
    lib = controller.library
    announced = lib.id_for_key("cn-2024-05-30-aerospace-controls-announced")
    in_force = lib.id_for_key("cn-2024-07-01-aerospace-controls-in-force")
    assert announced is not None and in_force is not None
    repaint(qtbot, panel)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=mark_point(view, announced))
    assert controller.selected_id == announced
    view = repaint(qtbot, panel)
    assert {r.kind for r in panel.model.related} == {"takes_effect", "responds_to"}
    assert view.layout_ is not None and len(view.layout_.related_targets) == 2
    target = next(r for r, gid in view.layout_.related_targets if gid == in_force)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=target.center().toPoint())
    assert controller.selected_id == in_force


def test_left_right_home_end_step_through_time(qtbot: QtBot, panel: TimelinePanel) -> None:
    view = panel.view
    controller = view.workspace
    order = [e.id for e in controller.events]  # type: ignore[attr-defined]
    key(qtbot, view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: controller.selected_id == order[0])
    key(qtbot, view, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: controller.selected_id == order[1])
    key(qtbot, view, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: controller.selected_id == order[2])
    key(qtbot, view, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: controller.selected_id == order[1])
    key(qtbot, view, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: controller.selected_id == order[-1])


def test_up_down_change_lane(qtbot: QtBot, panel: TimelinePanel) -> None:
    view, model = panel.view, panel.model
    controller = view.workspace
    lanes = [ln.key for ln in model.lanes]
    gid = controller.library.id_for_key("cn-2024-05-30-aerospace-controls-announced")
    assert gid is not None and lanes[0] == (0, "CN")
    controller.select(gid)
    qtbot.waitUntil(lambda: model.selected_mark is not None and model.selected_mark.id == gid)
    key(qtbot, view, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: model.selected_mark is not None and model.selected_mark.lane == lanes[1]
    )
    assert controller.selected_id != gid
    key(qtbot, view, Qt.Key.Key_Up)
    qtbot.waitUntil(
        lambda: model.selected_mark is not None and model.selected_mark.lane == lanes[0]
    )


def test_keyboard_selection_scrolls_into_view(qtbot: QtBot, panel: TimelinePanel) -> None:
    view, model = panel.view, panel.model
    controller = view.workspace
    for _ in range(12):
        key(qtbot, view, Qt.Key.Key_Plus)
    key(qtbot, view, Qt.Key.Key_End)
    last = controller.events[-1]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: controller.selected_id == last.id)
    qtbot.waitUntil(lambda: model.scale.start <= last.start_day <= model.scale.end)


# the offscreen platform cannot raise the tooltip window; the tooltip itself is shown
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_hover_shows_title_and_date(qtbot: QtBot, panel: TimelinePanel) -> None:
    view = panel.view
    gid = view.workspace.library.id_for_key("hk-2026-06-02-hk01-reports-draft-list")
    assert gid is not None
    repaint(qtbot, panel)
    qtbot.mouseMove(view, mark_point(view, gid))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert "2 June 2026" in QToolTip.text()


def test_lane_mode_switch_is_remembered(qtbot: QtBot, panel: TimelinePanel) -> None:
    model = panel.model
    assert {ln.key for ln in model.lanes} >= {(0, "CN"), (0, "US")}
    by_agency = next(a for a in panel.mode_actions.actions() if a.data() == "agency")
    by_agency.trigger()
    settle(qtbot, model)
    assert model.mode == "agency" and (0, "mofcom") in {ln.key for ln in model.lanes}
    # the workspace remembers it for the next start
    again = Workspace(model.query.library, settings=QSettings())
    assert again.lane_mode == "agency" and TimelineModel(again).mode == "agency"
    again.shutdown()


def zoom_to_busiest(qtbot: QtBot, panel: TimelinePanel) -> TimelineView:
    """A few months of the busiest year: crowds of marks share count marks."""
    model = panel.model
    table = model.density
    assert table is not None
    busiest = max(range(table.first_day, table.last_day, 30), key=lambda d: table.count(d, d + 90))
    model.zoom_to(busiest, busiest + 90)
    return repaint(qtbot, panel)


def test_a_large_count_mark_zooms_in_on_click(
    qtbot: QtBot, crowded: TimelinePanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.ui import timeline_view

    view, model = zoom_to_busiest(qtbot, crowded), crowded.model
    assert view.layout_ is not None and view.layout_.detail and view.layout_.badges
    badge = max(view.layout_.badges, key=lambda b: len(b.ids))
    # a crowd larger than a list one would pick from zooms in
    monkeypatch.setattr(timeline_view, "POPUP_MAX", len(badge.entries) - 1)
    span = model.scale.span
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=badge.rect.center().toPoint())
    assert model.scale.span < span
    assert model.scale.start <= badge.first_day and badge.last_day < model.scale.end


# a popup list on the offscreen platform: it cannot be raised nor grab the keyboard
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_count_mark_is_compact_and_lists_its_events_to_pick_one(
    qtbot: QtBot, crowded: TimelinePanel
) -> None:
    from explorer.domain.lanes import badge_width

    view, model = zoom_to_busiest(qtbot, crowded), crowded.model
    lay = view.layout_
    assert lay is not None and lay.badges
    for b in lay.badges:
        # never a bar over the days its members span: a fixed width by its count's digits
        assert b.rect.width() == pytest.approx(badge_width(len(b.entries)))
        assert sum(b.kinds.values()) == len(b.ids)
    badge = next(b for b in lay.badges if 2 <= len(b.entries) <= 40)
    tip = view.badge_text(badge)
    assert tip.startswith(f"{len(badge.entries)} events: ") and "Click to choose one" in tip
    span = model.scale.span
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=badge.rect.center().toPoint())
    menu = view.group_menu
    assert menu is not None and model.scale.span == span  # a list, not a zoom
    picks = [a for a in menu.actions() if a.data() is not None]
    assert [a.data() for a in picks] == [e.id for e, _ in badge.entries]
    picks[-1].trigger()
    assert view.workspace.selected_id == badge.entries[-1][0].id
    menu.close()


def test_zoomed_out_draws_densities_and_zoomed_in_draws_marks(
    qtbot: QtBot, crowded: TimelinePanel
) -> None:
    view, model = crowded.view, crowded.model
    layout = repaint(qtbot, crowded).layout_
    # 3,000 events over 36 years: too many to draw one by one, so each lane shows its density
    assert layout is not None and not layout.detail and not layout.marks
    for _ in range(6):
        wheel(view, view.plot_left() + 500, dy=360)
    # a fast zoom sends many requests; the model ends with the last window loaded
    layout = repaint(qtbot, crowded).layout_
    assert layout is not None and layout.detail and layout.marks
    events = model.window_events()
    assert events is not None
    shown = {m.event.id for m in layout.marks}
    assert all(model.scale.start - 1 <= m.event.end_day for m in layout.marks)
    assert shown <= {e.id for e in events}


def test_in_the_main_window_the_timeline_and_the_list_stay_in_step(
    qtbot: QtBot, mini_store: Path
) -> None:
    from explorer.ui.main_window import MainWindow

    lib = Library([EventStore(mini_store)])
    controller = Workspace(lib)
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    panel = win.timeline
    assert win.main_splitter.widget(0) is panel
    view = repaint(qtbot, panel)
    gid = lib.id_for_key("cn-2024-07-01-aerospace-controls-in-force")
    assert gid is not None
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=mark_point(view, gid))
    assert win.detail.toPlainText().startswith(controller.summary(gid).title)  # type: ignore[union-attr]
    assert win.event_list.currentIndex().isValid()
    # and the other way round: the list's selection is ringed on the timeline
    controller.select_first()
    qtbot.waitUntil(lambda: panel.model.selected_mark is not None)
    assert panel.model.selected_mark.id == controller.events[0].id  # type: ignore[union-attr]
    win.close()
    lib.close()


def test_overview_strip_drags_the_visible_window(qtbot: QtBot, panel: TimelinePanel) -> None:
    strip, model = panel.strip, panel.model
    for _ in range(6):
        key(qtbot, panel.view, Qt.Key.Key_Plus)
    win = strip.window_rect()
    assert win is not None
    start = model.scale.start
    p = win.center().toPoint()
    qtbot.mousePress(strip, Qt.MouseButton.LeftButton, pos=p)
    qtbot.mouseMove(strip, p - QPoint(100, 0))
    qtbot.mouseRelease(strip, Qt.MouseButton.LeftButton, pos=p - QPoint(100, 0))
    assert model.scale.start < start


def test_relation_words_never_pile_up_on_each_other(qtbot: QtBot, curated_store: Path) -> None:
    """The SCMP report reports on seven events: its arrows' words must stay readable."""
    gen = make_panel(qtbot, curated_store)
    panel = next(gen)
    try:
        view, model = panel.view, panel.model
        controller = view.workspace
        report = controller.library.id_for_key("hk-2024-scmp-reports-military-export-curbs")
        assert report is not None
        controller.select(report)
        qtbot.waitUntil(lambda: len(model.related) >= 5, timeout=5000)
        view = repaint(qtbot, panel)
        assert view.layout_ is not None and len(view.layout_.related_targets) >= 5
        words = view.painter._arrow_labels
        assert words, "at least one arrow keeps its words"
        for i, a in enumerate(words):
            assert not any(a.intersects(b) for b in words[i + 1 :])
            assert not any(a.intersects(r) for r in view.layout_.label_rects)
    finally:
        gen.close()
