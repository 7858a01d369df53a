"""The first window driven like a student drives it: real key events through qtbot."""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.qt.detail_html import PROPOSAL_BADGE
from explorer.qt.event_list_model import EventIdRole
from explorer.qt.workspace import Workspace
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.ui.main_window import MainWindow
from explorer.ui.shortcuts_dialog import ShortcutsDialog

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"
PROPOSAL = "cn-2026-03-cas-draft-63-item-list"


def detail_text(win: MainWindow) -> str:
    return win.detail.toPlainText()


def list_current_id(win: MainWindow) -> int:
    return int(win.event_list.currentIndex().data(EventIdRole))


def test_down_and_up_move_event_to_event_across_year_headings(
    qtbot: QtBot, window: MainWindow
) -> None:
    c = window.workspace
    c.select_first()
    titles = [detail_text(window).splitlines()[0]]
    for _ in range(len(c.events) - 1):
        qtbot.keyClick(window.event_list, Qt.Key.Key_Down)
        assert list_current_id(window) == c.selected_id
        titles.append(detail_text(window).splitlines()[0])
    # every event once, in date order: the year headings were skipped
    assert titles == [e.title for e in c.events]
    qtbot.keyClick(window.event_list, Qt.Key.Key_Down)  # at the end: stays
    assert c.selected_id == c.events[-1].id
    qtbot.keyClick(window.event_list, Qt.Key.Key_Up)
    assert c.selected_id == c.events[-2].id
    assert detail_text(window).startswith(c.events[-2].title)


def test_left_right_home_end(qtbot: QtBot, window: MainWindow) -> None:
    c = window.workspace
    qtbot.keyClick(window.event_list, Qt.Key.Key_End)
    assert c.selected_id == c.events[-1].id
    qtbot.keyClick(window.event_list, Qt.Key.Key_Left)
    assert c.selected_id == c.events[-2].id
    qtbot.keyClick(window.event_list, Qt.Key.Key_Home)
    assert c.selected_id == c.events[0].id
    qtbot.keyClick(window.event_list, Qt.Key.Key_Right)
    assert c.selected_id == c.events[1].id
    assert list_current_id(window) == c.events[1].id


def test_enter_follows_the_related_event(qtbot: QtBot, window: MainWindow) -> None:
    c = window.workspace
    assert c.select_key(IN_FORCE)
    qtbot.keyClick(window.event_list, Qt.Key.Key_Return)
    assert c.current_event is not None and c.current_event.key == ANNOUNCED
    assert list_current_id(window) == c.selected_id
    assert "China announces export controls on aerospace items" in detail_text(window)
    qtbot.keyClick(window.event_list, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert c.current_event is not None and c.current_event.key == IN_FORCE


def test_clicking_a_related_event_link_selects_it(window: MainWindow) -> None:
    c = window.workspace
    c.select_key(IN_FORCE)
    assert f'href="event:{ANNOUNCED}"' in window.detail.toHtml()
    window.detail.anchorClicked.emit(QUrl(f"event:{ANNOUNCED}"))
    assert c.current_event is not None and c.current_event.key == ANNOUNCED


def test_clicking_a_row_selects_the_event(qtbot: QtBot, window: MainWindow) -> None:
    c = window.workspace
    model = window.event_list.list_model
    target = c.events[3]
    index = model.index_for_id(target.id)
    rect = window.event_list.visualRect(index)
    qtbot.mouseClick(window.event_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert c.selected_id == target.id
    assert detail_text(window).startswith(target.title)


def test_clicking_a_year_heading_selects_nothing(qtbot: QtBot, window: MainWindow) -> None:
    c = window.workspace
    c.select_key(ANNOUNCED)
    before = c.selected_id
    heading = window.event_list.list_model.index(0, 0)
    rect = window.event_list.visualRect(heading)
    qtbot.mouseClick(window.event_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert c.selected_id == before


def test_detail_pane_shows_quotes_with_speaker_outlet_and_link(window: MainWindow) -> None:
    window.workspace.select_key(ANNOUNCED)
    text = detail_text(window)
    assert "this action mainly targets the United States and its allies" in text
    assert "Zhu Chao" in text
    assert "South China Morning Post" in text
    assert "30 May 2024" in text
    assert "https://www.malaymail.com/news/money/2024/05/30/" in window.detail.toHtml()


def test_a_proposal_shows_as_a_proposal(window: MainWindow) -> None:
    window.workspace.select_key(PROPOSAL)
    text = detail_text(window)
    assert PROPOSAL_BADGE in text
    assert "March 2026" in text
    window.workspace.select_key(IN_FORCE)
    assert "PROPOSAL" not in detail_text(window)


def test_cjk_names_appear_in_the_pane(window: MainWindow) -> None:
    window.workspace.select_key(ANNOUNCED)
    assert "商务部" in detail_text(window)
    # the author's name as the Japanese report writes it
    window.workspace.select_key(PROPOSAL)
    assert "Fan Guobing (ファン・グオビン)" in detail_text(window)


def test_status_bar_shows_count_and_data_version(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.workspace.busy, timeout=10_000)
    assert window.count_label.text() == "6 of 6 events"
    assert window.count_label.text() == window.filter_ui.chips.count_label.text()
    assert window.version_label.text() == f"Data {window.workspace.data_version}"


def test_ctrl_q_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.event_list, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_f1_lists_every_action_with_its_keys(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.event_list, Qt.Key.Key_F1)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog)]
    assert dialogs and dialogs[0].isVisible()
    table = dialogs[0].table
    rows = {}
    for r in range(table.rowCount()):
        label, keys = table.item(r, 0), table.item(r, 1)
        assert label is not None and keys is not None
        rows[label.text()] = keys.text()
    for spec in window.action_registry.specs():
        assert spec.plain_label in rows
    assert rows["Quit"] == "Ctrl+Q"
    assert rows["Next event"] == "Right"
    assert rows["Follow related event"] == "Return, Enter"
    dialogs[0].close()


def test_menus_hold_the_actions(window: MainWindow) -> None:
    go = [a.objectName() for a in window.menus["Go"].actions()]
    assert go == ["go.next", "go.previous", "go.first", "go.last", "go.follow", "go.back"]
    assert [a.objectName() for a in window.menus["File"].actions()] == [
        "file.quit",
        "file.export",
        "file.import",
        "file.imports",
    ]
    assert [a.objectName() for a in window.menus["Edit"].actions()] == ["edit.copy_citation"]


def test_arrows_in_the_detail_pane_do_not_change_the_selection(
    qtbot: QtBot, window: MainWindow
) -> None:
    c = window.workspace
    c.select_key(ANNOUNCED)
    window.detail.setFocus()
    qtbot.waitUntil(lambda: window.detail.hasFocus())
    qtbot.keyClick(window.detail, Qt.Key.Key_Down)
    assert c.current_event is not None and c.current_event.key == ANNOUNCED


def test_user_store_warning_shows_in_the_status_bar(qtbot: QtBot, mini_store: Path) -> None:
    lib = Library([EventStore(mini_store)])
    try:
        c = Workspace(lib, ["Your own store could not be opened: damaged"])
        win = MainWindow(c)
        qtbot.addWidget(win)
        win.show()
        assert win.warning_label.isVisible()
        assert "could not be opened" in win.warning_label.text()
    finally:
        lib.close()


def test_the_first_run_window_takes_most_of_the_screen() -> None:
    from PySide6.QtCore import QSize

    from explorer.ui.main_window import default_size

    assert default_size(QSize(1600, 1000)) == (1440, 900)
    # small screens still get a usable window; huge ones are capped
    assert default_size(QSize(800, 600)) == (1024, 700)
    assert default_size(QSize(5120, 2880)) == (2400, 1500)
