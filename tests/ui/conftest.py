"""Fixtures for the widgets: a main window over the fixture store, settings in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from explorer.qt.workspace import Workspace
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    """QSettings in this test's folder, so window geometry never leaks between tests or users."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def mini_workspace(qapp: object, mini_store: Path) -> Iterator[Workspace]:
    lib = Library([EventStore(mini_store)])
    ws = Workspace(lib, settings=QSettings())
    yield ws
    ws.shutdown()
    lib.close()


@pytest.fixture
def window(qtbot: QtBot, mini_workspace: Workspace) -> MainWindow:
    """The main window, shown and active, with the keyboard focus in the event list."""
    win = MainWindow(mini_workspace)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    win.event_list.setFocus()
    qtbot.waitUntil(lambda: win.event_list.hasFocus())
    return win
