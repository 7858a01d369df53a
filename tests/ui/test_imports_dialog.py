"""File → Imports…: the imports of the user store listed, and one taken back with a
confirmation; every view follows at once, and the curated store's bytes never change."""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store
from explorer.ui.imports_dialog import EMPTY_TEXT, ImportsDialog
from explorer.ui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def user_store(tmp_path: Path) -> Path:
    store = ensure_user_store(tmp_path / "user.sqlite")
    for name in ("os_dod_1260h.csv", "csl_old.csv"):
        import_file(FIXTURES / name, store, ImportOptions())
    return store


@pytest.fixture
def window(qtbot: QtBot, mini_store: Path, user_store: Path) -> Iterator[MainWindow]:
    from explorer.qt.workspace import Workspace

    lib = Library([EventStore(mini_store), EventStore(user_store)])
    win = MainWindow(Workspace(lib, settings=QSettings(), user_store=user_store))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    lib.close()


def test_file_imports_lists_the_imports_and_takes_one_back(
    qtbot: QtBot, window: MainWindow, mini_store: Path
) -> None:
    ws = window.workspace
    curated = _sha(mini_store)
    assert ws.select_key(ANNOUNCED)
    before = ws.total_count
    action = window.action_registry.action("file.imports")
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    action.trigger()
    dialog = window.import_actions.imports_dialog
    assert isinstance(dialog, ImportsDialog) and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 2
    assert table.item(0, 0).text() == "os_dod_1260h.csv"
    assert [table.item(r, 1).text() for r in range(2)] == ["opensanctions", "csl"]
    assert not dialog.remove_button.isEnabled()  # nothing selected yet
    table.selectRow(0)
    assert dialog.remove_button.isEnabled()
    events = int(table.item(0, 3).text().replace(",", ""))
    # the user says no: nothing happens
    asked: list[str] = []
    dialog._confirm = lambda text: asked.append(text) is not None and False
    assert dialog.remove_selected() is False
    assert "os_dod_1260h.csv" in asked[0] and "curated history is not touched" in asked[0]
    assert ws.total_count == before
    # the user says yes: the import leaves every view, the selection stays
    dialog._confirm = lambda text: True
    with qtbot.waitSignal(ws.importRemoved, timeout=10_000):
        assert dialog.remove_selected()
    qtbot.waitUntil(lambda: ws.total_count == before - events, timeout=5_000)
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5_000)
    assert table.item(0, 0).text() == "csl_old.csv"
    assert "Removed the import of os_dod_1260h.csv" in dialog.status.text()
    qtbot.waitUntil(lambda: not ws.busy, timeout=5_000)
    assert ws.view.selection == ANNOUNCED and ws.current_event is not None
    assert not any(e.key.startswith("imp-dod") for e in ws.events)
    assert _sha(mini_store) == curated
    # and the last one: the list says how to start again
    table.selectRow(0)
    with qtbot.waitSignal(ws.importRemoved, timeout=10_000):
        dialog.remove_selected()
    qtbot.waitUntil(lambda: table.rowCount() == 0, timeout=5_000)
    dialog.status.setText("")
    dialog.refresh()
    assert dialog.status.text() == EMPTY_TEXT


def test_a_failed_removal_says_why_in_one_line(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    window.import_actions.open_imports()
    dialog = window.import_actions.imports_dialog
    assert dialog is not None
    with qtbot.waitSignal(window.workspace.importFailed, timeout=10_000):
        window.workspace.remove_import(999)
    assert warnings and "999" in warnings[0] and "\n" not in warnings[0]
    assert dialog.status.text().startswith("Not removed:")
