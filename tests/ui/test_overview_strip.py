"""The overview strip: always the whole span, the filtered density over it, Shift+drag ranges."""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from explorer.ui.main_window import MainWindow
from explorer.ui.overview_strip import OverviewStrip


def settle(qtbot: QtBot, window: MainWindow) -> None:
    model = window.timeline.model
    filters = window.workspace
    qtbot.waitUntil(lambda: model.ready and not model.busy and not filters.busy, timeout=10_000)


def x_of(strip: OverviewStrip, day: float) -> int:
    full = strip.full_scale()
    assert full is not None
    return round(strip.plot_rect().left() + full.x(day))


def test_shift_drag_sets_the_date_range_and_the_strip_keeps_the_whole_span(
    qtbot: QtBot, window: MainWindow
) -> None:
    settle(qtbot, window)
    strip = window.timeline.strip
    model = window.timeline.model
    full_before = strip.full_scale()
    every = model.extent
    assert full_before is not None and every is not None
    # from a third of the span to two thirds, dragged right to left
    a = every[0] + (every[1] - every[0]) // 3
    b = every[0] + 2 * (every[1] - every[0]) // 3
    y = strip.height() // 2
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(strip, Qt.MouseButton.LeftButton, shift, QPoint(x_of(strip, b), y))
    qtbot.mouseMove(strip, QPoint(x_of(strip, (a + b) / 2), y))
    qtbot.mouseRelease(strip, Qt.MouseButton.LeftButton, shift, QPoint(x_of(strip, a), y))
    state = window.workspace.filters
    assert state.from_day is not None and state.to_day is not None
    assert abs(state.from_day - a) <= 2 and abs(state.to_day - b) <= 2
    settle(qtbot, window)
    # the timeline shows the filtered events; the strip still spans every event
    assert model.extent != every
    assert model.full_extent == every
    full_after = strip.full_scale()
    assert full_after is not None
    assert (full_after.start, full_after.span) == (full_before.start, full_before.span)
    assert model.density is not model.full_density


def test_a_pending_range_shows_as_a_band_until_cleared(qtbot: QtBot, window: MainWindow) -> None:
    settle(qtbot, window)
    strip = window.timeline.strip
    every = window.timeline.model.extent
    assert every is not None
    a, b = every[0] + 10, every[0] + (every[1] - every[0]) // 2
    probe = QPoint(x_of(strip, (a + b) / 2), strip.height() - 6)
    plain = QColor(strip.grab().toImage().pixel(probe))
    strip.set_pending_range(b, a)  # either order
    assert strip.pending_range() == (a, b)
    band = strip.pending_rect()
    assert band is not None and band.contains(probe.toPointF())
    tinted = QColor(strip.grab().toImage().pixel(probe))
    assert tinted.red() > tinted.blue() + 20  # orange over the grey/blue strip
    assert tinted != plain
    strip.set_pending_range(None, None)
    assert strip.pending_rect() is None
    assert QColor(strip.grab().toImage().pixel(probe)) == plain


def test_shift_drag_shows_the_range_as_a_live_band_until_released(
    qtbot: QtBot, window: MainWindow
) -> None:
    settle(qtbot, window)
    strip = window.timeline.strip
    every = window.timeline.model.extent
    assert every is not None
    a = every[0] + (every[1] - every[0]) // 4
    b = every[0] + 3 * (every[1] - every[0]) // 4
    mid = (a + b) // 2
    y = strip.height() // 2
    probe = QPoint(x_of(strip, (a + mid) / 2), strip.height() - 6)
    plain = QColor(strip.grab().toImage().pixel(probe))
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(strip, Qt.MouseButton.LeftButton, shift, QPoint(x_of(strip, a), y))
    assert strip.pending_range() is None  # nothing dragged yet
    qtbot.mouseMove(strip, QPoint(x_of(strip, mid), y))
    # while the button is held, the band covers the days dragged over so far
    pending = strip.pending_range()
    assert pending is not None
    assert abs(pending[0] - a) <= 2 and abs(pending[1] - mid) <= 2, (pending, a, mid)
    band = strip.pending_rect()
    assert band is not None and band.contains(probe.toPointF())
    tinted = QColor(strip.grab().toImage().pixel(probe))
    assert tinted.red() > tinted.blue() + 20 and tinted != plain
    assert window.workspace.filters.from_day is None  # not applied before the release
    qtbot.mouseMove(strip, QPoint(x_of(strip, b), y))
    pending = strip.pending_range()
    assert pending is not None and abs(pending[1] - b) <= 2
    qtbot.mouseRelease(strip, Qt.MouseButton.LeftButton, shift, QPoint(x_of(strip, b), y))
    # released: the range becomes the filter and the band goes
    assert strip.pending_range() is None and strip.pending_rect() is None
    state = window.workspace.filters
    assert state.from_day is not None and state.to_day is not None
    assert abs(state.from_day - a) <= 2 and abs(state.to_day - b) <= 2
    settle(qtbot, window)
