"""The timeline's keys: one table, listed in Help → Keyboard shortcuts, each acting once."""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.ui.actions import OUTSIDE_TEXT, TIMELINE, TIMELINE_ACTIONS
from explorer.ui.main_window import MainWindow
from explorer.ui.shortcuts_dialog import ShortcutsDialog
from explorer.ui.timeline_view import ZOOM_STEP


def focus_timeline(qtbot: QtBot, window: MainWindow) -> None:
    model = window.timeline.model
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=10_000)
    window.timeline.view.setFocus()
    qtbot.waitUntil(lambda: window.timeline.view.hasFocus())


def test_every_timeline_key_is_in_the_shortcuts_dialog(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.event_list, Qt.Key.Key_F1)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog)]
    assert dialogs and dialogs[0].isVisible()
    table = dialogs[0].table
    rows = {}
    for r in range(table.rowCount()):
        cells = [table.item(r, c) for c in range(3)]
        assert all(c is not None for c in cells)
        rows[cells[0].text()] = (cells[1].text(), cells[2].text())  # type: ignore[union-attr]
    for spec, _ in TIMELINE_ACTIONS:
        assert rows[spec.plain_label] == (spec.shortcut_text(), spec.scope)
        assert spec.scope in (TIMELINE, OUTSIDE_TEXT)
    keys = {rows[spec.plain_label][0] for spec, _ in TIMELINE_ACTIONS}
    for expected in ("+, =", "-", "F", "Home", "End", "Left", "Right", "Up", "Down", "L"):
        assert expected in keys
    assert "Shift+Left" in keys and "Shift+Right" in keys
    dialogs[0].close()


@pytest.mark.parametrize("key", [Qt.Key.Key_Plus, Qt.Key.Key_Equal])
def test_a_zoom_key_zooms_once(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    focus_timeline(qtbot, window)
    model = window.timeline.model
    span = model.scale.span
    qtbot.keyClick(window.timeline.view, key)
    assert model.scale.span == pytest.approx(span / ZOOM_STEP)  # not twice: 1 / 1.25²
    qtbot.keyClick(window.timeline.view, Qt.Key.Key_Minus)
    assert model.scale.span == pytest.approx(span)


def test_lane_key_and_shift_arrows_act_once(qtbot: QtBot, window: MainWindow) -> None:
    focus_timeline(qtbot, window)
    model = window.timeline.model
    mode = model.mode
    qtbot.keyClick(window.timeline.view, Qt.Key.Key_L)
    assert model.mode != mode  # switched once (twice would be back)
    qtbot.keyClick(window.timeline.view, Qt.Key.Key_L)
    assert model.mode == mode
    start = model.scale.start
    qtbot.keyClick(window.timeline.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    quarter = model.scale.span / 4
    assert model.scale.start == pytest.approx(start + quarter)


def test_the_view_menu_zooms_and_keys_elsewhere_keep_their_meaning(
    qtbot: QtBot, window: MainWindow
) -> None:
    focus_timeline(qtbot, window)
    model = window.timeline.model
    view_menu = [a.objectName() for a in window.menus["View"].actions()]
    assert {"timeline.zoom_in", "timeline.zoom_out", "timeline.fit", "timeline.lanes"} <= set(
        view_menu
    )
    span = model.scale.span
    window.action_registry.trigger("timeline.zoom_in")
    assert model.scale.span == pytest.approx(span / ZOOM_STEP)
    window.action_registry.trigger("timeline.fit")
    assert model.scale.span == pytest.approx(span)
    # typed into the search box, L is a letter, not a lane switch
    mode = model.mode
    search = window.filter_ui.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "l")
    assert model.mode == mode
    assert "l" in search.text()
