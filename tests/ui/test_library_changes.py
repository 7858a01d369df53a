"""A change of the library reaches every view at once: an import from the window, and an
`explorer import` run in another process while the window is open, show in the timeline, the
facets, the search, the counts and the list within two seconds, without a restart and without
losing the selection or the visible window."""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from explorer.domain.filters import FilterState
from explorer.qt.import_controller import ImportController
from explorer.qt.workspace import Workspace
from explorer.storage.importers import ImportOptions
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store
from explorer.ui.main_window import MainWindow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
ENTITY = "Example Test Optics"  # a listed entity of os_dod_1260h.csv


@pytest.fixture
def user_store(tmp_path: Path) -> Path:
    return ensure_user_store(tmp_path / "user.sqlite")


@pytest.fixture
def window(qtbot: QtBot, mini_store: Path, user_store: Path) -> Iterator[MainWindow]:
    lib = Library([EventStore(mini_store), EventStore(user_store)])
    workspace = Workspace(lib, settings=QSettings(), watch=True, user_store=user_store)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot, win)
    yield win
    win.close()
    lib.close()


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.workspace.busy and not win.timeline.model.busy, timeout=10_000)


def prepare(qtbot: QtBot, win: MainWindow) -> tuple[int, tuple[float, float]]:
    """A selection and a zoomed window that a reload must keep."""
    ws = win.workspace
    assert ws.select_key(ANNOUNCED)
    win.timeline.model.zoom(1.7, 300.0)
    settle(qtbot, win)
    window = ws.view.window
    assert window is not None
    return ws.selected_id, window


def shows_the_import(win: MainWindow) -> bool:
    """Every view has the imported events: lanes, facets, counts, the list."""
    ws = win.workspace
    model = win.timeline.model
    counts = ws.counts
    return (
        ws.total_count > 6
        and ws.event_count > 6
        and win.event_list.list_model.rowCount() > 6 + 3
        and any(ln.imported for ln in model.lanes)
        and counts is not None
        and counts.total > 6
        and "Imported" in " ".join(ln.label for ln in model.lanes)
        and any(v.startswith("dod") or "dod" in v for v in counts.counts["agencies"])
    )


def check_kept(win: MainWindow, selected: int, window: tuple[float, float]) -> None:
    ws = win.workspace
    assert ws.selected_id == selected
    assert ws.current_event is not None and ws.current_event.key == ANNOUNCED
    assert ws.view.window == pytest.approx(window)
    assert ws.view.selection == ANNOUNCED


def test_an_import_from_the_window_shows_everywhere_at_once(
    qtbot: QtBot, window: MainWindow, user_store: Path
) -> None:
    win = window
    selected, visible = prepare(qtbot, win)
    importer = ImportController(win.workspace, into=user_store)
    started = time.perf_counter()
    with qtbot.waitSignal(importer.finished, timeout=10_000):
        importer.start(FIXTURES / "os_dod_1260h.csv", ImportOptions())
    qtbot.waitUntil(lambda: shows_the_import(win), timeout=2_000)
    assert time.perf_counter() - started < 2.0
    check_kept(win, selected, visible)
    # the search finds the imported entity by its name, and the list and count follow
    win.workspace.set_filters(FilterState(search=ENTITY))
    qtbot.waitUntil(lambda: win.workspace.event_count >= 1, timeout=5_000)
    settle(qtbot, win)
    assert any(ENTITY in e.title or e.key.startswith("imp-") for e in win.workspace.events)
    assert win.filter_ui.results.count() >= 1
    assert win.filter_ui.chips.count_label.text().startswith(f"{win.workspace.event_count} of")
    importer.shutdown()


def test_an_import_in_another_process_shows_within_two_seconds(
    qtbot: QtBot, window: MainWindow, user_store: Path, tmp_path: Path
) -> None:
    win = window
    selected, visible = prepare(qtbot, win)
    listing = tmp_path / "os_dod_1260h.csv"
    shutil.copyfile(FIXTURES / "os_dod_1260h.csv", listing)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "import", str(listing), "--into", str(user_store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    done = time.perf_counter()
    qtbot.waitUntil(lambda: shows_the_import(win), timeout=2_500)
    assert time.perf_counter() - done < 2.5  # two looks at the file, then the reload
    check_kept(win, selected, visible)


def test_a_selection_the_import_does_not_touch_survives_a_filter_too(
    qtbot: QtBot, window: MainWindow, user_store: Path
) -> None:
    win, ws = window, window.workspace
    ws.set_filters(FilterState(countries=("CN",)))
    settle(qtbot, win)
    assert ws.select_key(ANNOUNCED)
    importer = ImportController(ws, into=user_store)
    with qtbot.waitSignal(importer.finished, timeout=10_000):
        importer.start(FIXTURES / "os_dod_1260h.csv", ImportOptions())
    qtbot.waitUntil(lambda: ws.total_count > 6 and not ws.busy, timeout=5_000)
    settle(qtbot, win)
    # the filters stay, the imported Chinese listings join them, the selection is kept
    assert ws.filters == FilterState(countries=("CN",))
    assert ws.view.selection == ANNOUNCED and ws.current_event is not None
    assert any(e.key.startswith("imp-") for e in ws.events)
    importer.shutdown()


def test_a_removal_in_another_process_leaves_every_view_within_two_seconds(
    qtbot: QtBot, window: MainWindow, user_store: Path
) -> None:
    win, ws = window, window.workspace
    importer = ImportController(ws, into=user_store)
    with qtbot.waitSignal(importer.finished, timeout=10_000):
        importer.start(FIXTURES / "os_dod_1260h.csv", ImportOptions())
    qtbot.waitUntil(lambda: shows_the_import(win), timeout=5_000)
    importer.shutdown()
    settle(qtbot, win)
    selected, visible = prepare(qtbot, win)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "imports", "remove", "1", "--store", str(user_store)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("removed import 1 (os_dod_1260h.csv")
    done = time.perf_counter()
    qtbot.waitUntil(
        lambda: ws.total_count == 6 and not any(ln.imported for ln in win.timeline.model.lanes),
        timeout=2_500,
    )
    assert time.perf_counter() - done < 2.5
    settle(qtbot, win)
    assert ws.counts is not None and ws.counts.total == 6
    assert not any(e.key.startswith("imp-") for e in ws.events)
    assert win.event_list.list_model.rowCount() <= 6 + 3
    check_kept(win, selected, visible)
