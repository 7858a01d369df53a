"""Every control can be named by a screen reader, and the window can be used with keys alone.

The walk covers every focusable widget of the main window (docks, toolbars, chips, the facet
lists and their filter boxes included): each has an accessible name, or a label whose buddy it
is. The keyboard-only test filters, searches, selects, follows a relation, exports and imports
with key events only (qtbot), as a student without a mouse would.
"""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from explorer.domain.filters import FilterState
from explorer.ui.export_dialog import ExportDialog
from explorer.ui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.workspace.busy, timeout=10_000)
    qtbot.waitUntil(lambda: not win.timeline.model.busy, timeout=10_000)


def unnamed_controls(root: QWidget) -> list[str]:
    """The focusable widgets under `root` with neither an accessible name nor a label buddy."""
    buddies = {id(lbl.buddy()) for lbl in root.findChildren(QLabel) if lbl.buddy() is not None}
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isEnabled():
            continue
        if w.window() is not root.window() or isinstance(w.parent(), QAbstractSpinBox):
            continue  # a combo box's popup list, a spin box's own line edit: parts of a control
        if w.accessibleName().strip() or id(w) in buddies:
            continue
        out.append(f"{type(w).__name__} {w.objectName()!r} (parent {w.parent()!r})")
    return out


def test_every_focusable_control_of_the_window_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    settle(qtbot, window)
    # chips and the facets' filter boxes exist only with filters and long facets: make them
    window.workspace.set_filters(FilterState(kinds=("proposal",), search="list"))
    settle(qtbot, window)
    for box in window.filter_ui.panel.facet_filters.values():
        box.show()
    assert window.filter_ui.chips.chips
    assert unnamed_controls(window) == []


def test_the_dialogs_controls_have_names(qtbot: QtBot, window: MainWindow) -> None:
    shortcuts = window.show_shortcuts()
    assert unnamed_controls(shortcuts) == []
    shortcuts.close()
    export = window.export_actions.make_dialog()
    qtbot.addWidget(export)
    assert unnamed_controls(export) == []
    importer = window.import_actions.open()
    assert unnamed_controls(importer) == []
    importer.close()


def _focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_a_keyboard_only_user_filters_searches_selects_follows_exports_and_imports(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    win, ws = window, window.workspace
    settle(qtbot, win)
    key = qtbot.keyClick

    # filter: to the facets, pick a value with the arrows, tick it with Space
    key(
        win.event_list,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    countries = win.filter_ui.panel.facets["countries"]
    qtbot.waitUntil(countries.hasFocus)
    cn_row = next(
        r
        for r in range(countries.count())
        if countries.item(r).data(Qt.ItemDataRole.UserRole) == "CN"
    )
    while countries.currentRow() != cn_row:
        key(countries, Qt.Key.Key_Down)
    key(countries, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: ws.filters.countries == ("CN",), timeout=5000)
    settle(qtbot, win)
    assert "China" in win.filter_ui.chips.count_label.toolTip()
    # Esc clears every filter, wherever the focus is
    key(countries, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ws.filters.is_empty, timeout=5000)

    # search: Ctrl+F, type, Down into the results, Enter jumps to the chosen one
    key(countries, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = win.filter_ui.search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "aero")
    qtbot.waitUntil(lambda: len(ws.events) == 2, timeout=5000)
    settle(qtbot, win)
    results = win.filter_ui.results
    qtbot.waitUntil(lambda: results.count() == 2, timeout=5000)
    key(search, Qt.Key.Key_Down)
    qtbot.waitUntil(results.hasFocus)
    key(results, Qt.Key.Key_End)
    key(results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.current_event is not None and ws.current_event.key == IN_FORCE)

    # select: Ctrl+L to the list, Up to the earlier event and Down back
    key(results, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(win.event_list.hasFocus)
    key(win.event_list, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: ws.current_event is not None and ws.current_event.key == ANNOUNCED)
    key(win.event_list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: ws.current_event is not None and ws.current_event.key == IN_FORCE)

    # follow its relation ("takes effect" of the announcement) with Enter, back with Backspace
    key(win.event_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ws.current_event is not None and ws.current_event.key == ANNOUNCED)
    key(win.event_list, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: ws.current_event is not None and ws.current_event.key == IN_FORCE)
    key(win.event_list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ws.filters.is_empty, timeout=5000)
    settle(qtbot, win)

    # export: Ctrl+E, Alt+F to the format, C for CSV, Tab to the file, type it, Enter exports
    out = tmp_path / "keys.csv"

    problems: list[str] = []

    def fill_export() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(50, fill_export)  # not open yet
            return
        try:
            # "&Format:" and "&File:" share Alt+F (it reaches the format only): Tab on from it
            key(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
            combo = _focused()
            if combo is not dialog.format_box:
                raise AssertionError(f"Alt+F focused {combo!r}, not the format")
            key(combo, Qt.Key.Key_C)  # "CSV table (spreadsheets)"
            if dialog.fmt != "csv":
                raise AssertionError(f"C chose {dialog.fmt!r}")
            key(combo, Qt.Key.Key_Tab)
            edit = _focused()
            if edit is not dialog.path_edit:
                raise AssertionError(f"Alt+F focused {edit!r}, not the file field")
            key(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(edit, str(out))
            key(edit, Qt.Key.Key_Return)
        except AssertionError as exc:
            problems.append(str(exc))
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(200, fill_export)
    key(win.event_list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert problems == []
    qtbot.waitUntil(out.exists, timeout=10_000)
    assert "Exported" in win.export_actions.last_message
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a CSV, UTF-8 with its BOM

    # import: Ctrl+I, type the file's path, Tab (the preview reads it), Alt+I imports
    win.activateWindow()  # (a window manager gives it back when the dialog closes)
    qtbot.waitUntil(win.isActiveWindow)
    key(win.event_list, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = win.import_actions.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(dialog.path_edit.hasFocus)
    qtbot.keyClicks(dialog.path_edit, str(FIXTURES / "os_cn_sanctions.csv"))
    key(dialog.path_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    key(_focused() or dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "imported" in dialog.summary_label.text(), timeout=20_000)
    assert "4 events added" in dialog.summary_label.text()
    key(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
