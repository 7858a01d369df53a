"""File → Import…: the dialog detects the format, maps columns with a date preview, imports in
a worker thread with a progress bar, cancels with a rollback, and the library reloads."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.qt.import_controller import ImportController
from explorer.qt.workspace import Workspace
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store
from explorer.ui.import_dialog import ImportDialog
from explorer.ui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


@pytest.fixture(scope="session")
def empty_user_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_user_store(tmp_path_factory.mktemp("user") / "user.sqlite")


@pytest.fixture
def user_store(tmp_path: Path, empty_user_store: Path) -> Path:
    out = tmp_path / "user.sqlite"
    shutil.copyfile(empty_user_store, out)
    return out


@pytest.fixture
def controller(qapp: object, mini_store: Path, user_store: Path) -> Iterator[Workspace]:
    lib = Library([EventStore(mini_store), EventStore(user_store)])
    ws = Workspace(lib)
    yield ws
    ws.shutdown()  # no background job may still read the library it closes
    lib.close()


@pytest.fixture
def dialog(qtbot: QtBot, controller: Workspace, user_store: Path) -> Iterator[ImportDialog]:
    importer = ImportController(controller, into=user_store)
    dlg = ImportDialog(importer)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    importer.shutdown()


def _column(dlg: ImportDialog, title: str) -> list[str]:
    table = dlg.table
    col = next(
        c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == title
    )
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_before_a_file_is_chosen_the_preview_says_what_to_do(
    qtbot: QtBot, dialog: ImportDialog
) -> None:
    # Not a blank area: the preview's place explains how to start and what will appear.
    assert dialog.preview_stack.currentWidget() is dialog.empty_hint
    assert dialog.empty_hint.isVisible() and not dialog.table.isVisible()
    assert "Browse" in dialog.empty_hint.text() and "CSV" in dialog.empty_hint.text()
    assert not dialog.import_button.isEnabled()
    dialog.set_path(FIXTURES / "mapped.csv")
    assert dialog.table.isVisible() and not dialog.empty_hint.isVisible()
    dialog.path_edit.clear()
    dialog.path_edit.editingFinished.emit()
    assert dialog.empty_hint.isVisible() and not dialog.import_button.isEnabled()


def test_known_format_is_shown_with_its_dates_and_imports(
    qtbot: QtBot, dialog: ImportDialog, controller: Workspace
) -> None:
    before = len(controller.events)
    dialog.set_path(FIXTURES / "os_cn_sanctions.csv")
    assert "opensanctions" in dialog.format_label.text()
    assert "cn_sanctions" in dialog.format_label.text()
    assert not dialog.mapping_box.isVisible()
    dates = _column(dialog, "Listing date read as")
    assert dates[0] == "2 January 2025 (day-first)"
    assert dates[3] == "13 July 2020 (day-first, two-digit year)"
    assert dates[4] == "no date (row left out)"
    with qtbot.waitSignal(controller.eventsChanged, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "6 rows parsed, 5 imported, 1 skipped; 4 events added" in dialog.summary_label.text()
    assert "1 row has no date and was left out (not an error" in dialog.summary_label.text()
    # the library reloaded: the new events are there, in their own lanes
    assert len(controller.events) == before + 4
    imported = [e for e in controller.events if e.agency == "mofcom" and e.start.year == 2025]
    assert imported and imported[0].title.startswith("MOFCOM adds 3 entities")
    # and the detail of one of them, with its agency actor, loads
    controller.select(imported[0].id)
    assert controller.current_event is not None
    assert controller.current_event.provenance is not None
    assert controller.current_event.provenance.file.endswith("os_cn_sanctions.csv")


def test_generic_csv_mapping_previews_each_date(
    qtbot: QtBot, dialog: ImportDialog, controller: Workspace
) -> None:
    dialog.set_path(FIXTURES / "mapped.csv")
    assert dialog.mapping_box.isVisible()
    assert dialog.mapping()["start"] == "Date" and dialog.mapping()["name"] == "Entity"
    # 6/28/2016 is refused until the order is declared, never guessed
    assert _column(dialog, "Listing date read as")[0].startswith("✗")
    assert "ambiguous" in _column(dialog, "Listing date read as")[0]
    assert "'6/28/2016'" in dialog.table.item(0, 0).toolTip()
    dialog.order_combo.setCurrentIndex(dialog.order_combo.findData("us"))
    assert _column(dialog, "Listing date read as") == [
        "28 June 2016 (us)",
        "28 June 2016 (us)",
        "1 December 2017 (us)",
    ]
    with qtbot.waitSignal(dialog.importer.finished, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.committed and result.imported == 3
    assert any(e.title.startswith("MOFCOM adds 2 entities") for e in controller.events)


def test_errors_keep_the_file_out_until_skipping_is_allowed(
    qtbot: QtBot, dialog: ImportDialog
) -> None:
    dialog.set_path(FIXTURES / "ragged.csv")
    with qtbot.waitSignal(dialog.importer.finished, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    text = dialog.summary_label.text()
    assert "Nothing imported: 1 of 3 rows have errors" in text and "line 3:" in text
    dialog.skip_bad.setChecked(True)
    with qtbot.waitSignal(dialog.importer.finished, timeout=20000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "2 imported" in dialog.summary_label.text()
    assert "Skipped line 3" in dialog.summary_label.text()


def test_wrong_encoding_is_explained_and_can_be_chosen(dialog: ImportDialog) -> None:
    dialog.set_path(FIXTURES / "gbk.csv")
    assert "--encoding gbk" in dialog.message_label.text()
    assert not dialog.import_button.isEnabled()
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("gbk"))
    assert dialog.message_label.text() == ""
    assert dialog.mapping_box.isVisible()
    assert dialog.table.item(0, 2).text() == "试验公司"
    assert dialog.import_button.isEnabled()


def test_sdn_asks_for_the_snapshot_day(dialog: ImportDialog) -> None:
    dialog.set_path(FIXTURES / "sdn_2024-01-02.csv")
    assert "ofac-sdn" in dialog.format_label.text()
    assert dialog.as_of_edit.isVisible() and dialog.as_of_edit.text() == "2024-01-02"
    dialog.set_path(FIXTURES / "sdn_undated.csv")
    assert dialog.as_of_edit.text() == ""
    assert _column(dialog, "Listing date read as")[0].startswith("no date")


def test_cancel_rolls_back_and_the_window_stays_responsive(
    qtbot: QtBot, dialog: ImportDialog, user_store: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Date,Entity\n")
        for i in range(60000):
            fh.write(f"2021-03-{1 + i % 28:02d},Example entity {i}\n")
    with EventStore(user_store) as s:
        before = s.count()
    dialog.set_path(big)
    steps: list[int] = []
    dialog.importer.progress.connect(lambda rows, _f: steps.append(rows))
    # cancel as soon as the first progress arrives: the GUI thread handles it while the
    # worker is still writing
    dialog.importer.progress.connect(lambda *_: dialog.cancel_import())
    with qtbot.waitSignal(dialog.importer.cancelled, timeout=30000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isEnabled() and not dialog.import_button.isEnabled()
    assert steps and steps[0] == 2000
    assert "Cancelled: nothing was imported" in dialog.summary_label.text()
    assert dialog.import_button.isEnabled()
    with EventStore(user_store) as s:
        assert s.count() == before


def test_main_window_file_import_opens_the_dialog(qtbot: QtBot, controller: Workspace) -> None:
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    action = win.action_registry.action("file.import")
    assert action.shortcut().toString() == "Ctrl+I"
    assert action in win.menus["File"].actions()
    action.trigger()
    dlg = win.import_actions.dialog
    assert dlg is not None and dlg.isVisible()
    dlg.close()


# --------------------------------------------------------------------------- keys, names


def _press(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the keyboard focus is, as a user's key would go."""
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def _active(qtbot: QtBot, dlg: ImportDialog) -> None:
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.path_edit, timeout=5000)


def test_enter_in_the_path_shows_the_preview_and_only_import_imports(
    qtbot: QtBot, dialog: ImportDialog, user_store: Path
) -> None:
    _active(qtbot, dialog)
    with EventStore(user_store) as s:
        before = s.count()
    started: list[object] = []
    dialog.importer.progress.connect(lambda *_: started.append(1))
    dialog.importer.finished.connect(lambda *_: started.append(1))
    qtbot.keyClicks(dialog.path_edit, str(FIXTURES / "os_cn_sanctions.csv"))
    _press(qtbot, Qt.Key.Key_Return)
    # the preview, and nothing imported: Import is offered, not pressed
    assert dialog.table.isVisible() and "opensanctions" in dialog.format_label.text()
    assert _column(dialog, "Listing date read as")[0] == "2 January 2025 (day-first)"
    assert dialog.import_button.isEnabled() and not dialog.import_button.isDefault()
    _press(qtbot, Qt.Key.Key_Return)  # again, and on the keypad
    _press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.wait(200)
    assert not dialog.importer.is_running() and not started
    assert dialog.summary_label.text() == "" and dialog.isVisible()
    with EventStore(user_store) as s:
        assert s.count() == before
    # Enter on a combo box or the check box does not import either
    dialog.skip_bad.setFocus()
    _press(qtbot, Qt.Key.Key_Return)
    assert not dialog.importer.is_running() and not started
    # Tab to the Import button and press Enter: now it imports
    for _ in range(20):
        if dialog.import_button.hasFocus():
            break
        _press(qtbot, Qt.Key.Key_Tab)
    assert dialog.import_button.hasFocus()
    with qtbot.waitSignal(dialog.importer.finished, timeout=20000):
        _press(qtbot, Qt.Key.Key_Return)
    assert "5 imported" in dialog.summary_label.text()


def test_every_control_of_the_import_dialog_has_an_accessible_name(
    qtbot: QtBot, dialog: ImportDialog
) -> None:
    from tests.ui.test_export_dialog import mnemonic_clashes, unnamed_controls

    assert unnamed_controls(dialog) == []
    dialog.set_path(FIXTURES / "mapped.csv")  # the mapping form's combo boxes
    assert unnamed_controls(dialog) == []
    assert dialog.field_combos["start"].accessibleName() == "Column holding the start"
    assert mnemonic_clashes(dialog) == []


def test_a_keyboard_only_user_imports_a_file_that_needs_a_mapping(
    qtbot: QtBot, controller: Workspace
) -> None:
    """Ctrl+I, the path typed, Enter for the preview, Alt+D to the slash-date order, Down to
    "US", Alt+I to import: the file's three rows are in the library."""
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dlg = win.import_actions.dialog
    assert dlg is not None and dlg.isVisible()
    _active(qtbot, dlg)
    qtbot.keyClicks(dlg.path_edit, str(FIXTURES / "mapped.csv"))
    _press(qtbot, Qt.Key.Key_Return)
    assert dlg.mapping_box.isVisible() and dlg.summary_label.text() == ""
    assert _column(dlg, "Listing date read as")[0].startswith("✗")  # 6/28/2016: which order?
    _press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # slash &dates
    assert dlg.order_combo.hasFocus()
    _press(qtbot, Qt.Key.Key_Down)
    assert dlg.date_order().value == "us"
    assert _column(dlg, "Listing date read as")[0] == "28 June 2016 (us)"
    with qtbot.waitSignal(controller.eventsChanged, timeout=20000):
        _press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Import
    assert "3 imported" in dlg.summary_label.text()
    assert dlg.last_result is not None and dlg.last_result.committed
    # Escape closes the dialog
    _press(qtbot, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    win.import_actions.shutdown()


def test_the_sdn_dates_follow_the_day_typed(qtbot: QtBot, dialog: ImportDialog) -> None:
    dialog.set_path(FIXTURES / "sdn_undated.csv")
    assert _column(dialog, "Listing date read as")[0].startswith("no date")
    qtbot.keyClicks(dialog.as_of_edit, "2024-03-04")
    assert _column(dialog, "Listing date read as")[0] == "2024-03-04 (snapshot)"
