"""The window with a store holding rows it cannot show: a large user store, examined after the
window is up, leaves the library with a warning in the status bar; nothing crashes."""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from explorer.storage import library
from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.library import Library
from explorer.storage.userstore import ensure_user_store
from explorer.ui.main_window import MainWindow
from tests.storage.test_health import damage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _window(
    qtbot: QtBot, main: Path, user: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, Library]:
    from explorer.qt.workspace import Workspace
    from explorer.storage import paths

    monkeypatch.setattr(library, "VERIFY_NOW_BELOW", 0)  # "large": examined after the window
    monkeypatch.setattr(paths, "user_store_path", lambda: user)
    lib, warnings = library.open_library(main)
    assert [s.path for s in lib.stores] == [main] and lib.deferred == [user]
    workspace = Workspace(lib, warnings, QSettings(), user_store=user)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    return win, lib


@pytest.fixture
def stores(mini_store: Path, tmp_path: Path) -> tuple[Path, Path]:
    user = ensure_user_store(tmp_path / "user.sqlite")
    import_file(FIXTURES / "os_dod_1260h.csv", user, ImportOptions())
    main = shutil.copyfile(mini_store, tmp_path / "main.sqlite")
    return main, user


def test_a_large_user_store_joins_once_examined(
    qtbot: QtBot, stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    main, user = stores
    win, lib = _window(qtbot, main, user, monkeypatch)
    workspace = win.workspace
    qtbot.waitUntil(lambda: len(workspace.library.stores) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: not workspace.busy and workspace.total_count > 6, timeout=10_000)
    assert not win.warning_label.isVisible()
    win.close()
    workspace.shutdown()
    lib.close()


def test_a_large_damaged_user_store_stays_out_with_a_warning(
    qtbot: QtBot, stores: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    main, user = stores
    damage(user, "UPDATE events SET kind = 'bogus' WHERE id = (SELECT min(id) FROM events)")
    win, lib = _window(qtbot, main, user, monkeypatch)
    workspace = win.workspace
    qtbot.waitUntil(lambda: win.warning_label.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: not workspace.busy, timeout=10_000)
    assert len(workspace.library.stores) == 1 and workspace.total_count == 6
    label = win.warning_label
    assert "Your own store was left out" in label.text() and "kind 'bogus'" in label.text()
    assert str(user) in label.toolTip()
    win.close()
    workspace.shutdown()
    lib.close()
