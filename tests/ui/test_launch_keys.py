"""The timeline's keys from launch: real key events wherever no text field has the focus.

A new user presses `+`, `-`, `F`, `L` before clicking anything: the list has the focus then, and
the keys must still zoom, fit and switch lanes; from the detail pane too. Typing the same
characters into the search box, a date field or a facet's filter must stay typing.
"""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from explorer.qt.workspace import Workspace
from explorer.ui.main_window import MainWindow
from explorer.ui.timeline_view import ZOOM_STEP


@pytest.fixture
def launched(qtbot: QtBot, mini_workspace: Workspace) -> MainWindow:
    """The window as `run_app` opens it: shown, activated, the first event selected, and the
    focus where the window itself put it (nothing clicked)."""
    win = MainWindow(mini_workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.activateWindow()  # (run_app also raises it: the offscreen platform cannot)
    mini_workspace.select_first()
    qtbot.waitExposed(win)
    qtbot.waitUntil(win.isActiveWindow)
    model = win.timeline.model
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=10_000)
    return win


def test_the_list_has_the_focus_at_launch_and_the_view_keys_work(
    qtbot: QtBot, launched: MainWindow
) -> None:
    win = launched
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.event_list)
    model = win.timeline.model
    span = model.scale.span
    target = win.event_list
    qtbot.keyClick(target, Qt.Key.Key_Plus)
    assert model.scale.span == pytest.approx(span / ZOOM_STEP)  # once, not twice
    qtbot.keyClick(target, Qt.Key.Key_Equal)
    assert model.scale.span == pytest.approx(span / ZOOM_STEP**2)
    qtbot.keyClick(target, Qt.Key.Key_Minus)
    assert model.scale.span == pytest.approx(span / ZOOM_STEP)
    start = model.scale.start
    qtbot.keyClick(target, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert model.scale.start == pytest.approx(start + model.scale.span / 4)
    qtbot.keyClick(target, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert model.scale.start == pytest.approx(start)
    qtbot.keyClick(target, Qt.Key.Key_F)
    assert model.scale.span == pytest.approx(span)  # fitted again
    mode = model.mode
    qtbot.keyClick(target, Qt.Key.Key_L)
    assert model.mode != mode and win.workspace.lane_mode == model.mode
    qtbot.keyClick(target, Qt.Key.Key_L)
    assert model.mode == mode
    # the list keeps its own arrows: Down selects the next event
    first = win.workspace.selected_id
    qtbot.keyClick(target, Qt.Key.Key_Down)
    assert win.workspace.selected_id != first
    assert QApplication.focusWidget() is win.event_list  # nothing moved the focus


def test_the_view_keys_and_left_right_work_from_the_detail_pane(
    qtbot: QtBot, launched: MainWindow
) -> None:
    win, ws = launched, launched.workspace
    model = win.timeline.model
    qtbot.keyClick(win.event_list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(win.detail.hasFocus)
    span = model.scale.span
    qtbot.keyClick(win.detail, Qt.Key.Key_Plus)
    assert model.scale.span == pytest.approx(span / ZOOM_STEP)
    qtbot.keyClick(win.detail, Qt.Key.Key_F)
    assert model.scale.span == pytest.approx(span)
    mode = model.mode
    qtbot.keyClick(win.detail, Qt.Key.Key_L)
    assert model.mode != mode
    # Left / Right step through events in time, as the README's table says
    events = [e.id for e in ws.events]
    ws.select(events[0])
    qtbot.keyClick(win.detail, Qt.Key.Key_Right)
    assert ws.selected_id == events[1]
    qtbot.keyClick(win.detail, Qt.Key.Key_Left)
    assert ws.selected_id == events[0]
    # Up / Down scroll the text: they do not change the event
    qtbot.keyClick(win.detail, Qt.Key.Key_Down)
    assert ws.selected_id == events[0]
    assert win.detail.hasFocus()


def _assert_typing_stays_typing(qtbot: QtBot, win: MainWindow, edit: QLineEdit) -> None:
    model = win.timeline.model
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.clear()
    span, mode, start = model.scale.span, model.mode, model.scale.start
    qtbot.keyClicks(edit, "F+-=L")
    assert edit.text() == "F+-=L"
    qtbot.keyClick(edit, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert edit.selectedText() == "L"  # Shift+Left selected a character, did not pan
    assert (model.scale.span, model.mode, model.scale.start) == (span, mode, start)
    edit.clear()


def test_typing_into_the_search_box_and_the_date_fields_is_never_taken(
    qtbot: QtBot, launched: MainWindow
) -> None:
    win = launched
    panel = win.filter_ui.panel
    search = win.filter_ui.search
    qtbot.keyClick(win.event_list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(search.hasFocus)
    _assert_typing_stays_typing(qtbot, win, search)
    search.apply()
    for edit in (panel.from_edit, panel.to_edit):
        _assert_typing_stays_typing(qtbot, win, edit)


def test_typing_into_any_line_edit_of_the_window_is_never_taken(
    qtbot: QtBot, launched: MainWindow
) -> None:
    win = launched
    edits = [e for e in win.findChildren(QLineEdit) if e.isEnabled()]
    assert len(edits) >= 3  # search, from, to (the facets' filter boxes when shown)
    for edit in edits:
        edit.setVisible(True)  # a facet's filter box is shown only for a long facet
        _assert_typing_stays_typing(qtbot, win, edit)
