"""The event list over a generated store: real keys across year headings, filtering, loading.

The controller never holds every summary: these tests check that the list's rows, the
controller's positions and the selection stay one and the same as the user moves through a few
thousand events, filters them, and while a large library's order is still being read.
"""
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.domain.filters import FilterState
from explorer.qt.event_list_model import EventIdRole, EventListModel, IsHeaderRole, YearRole
from explorer.qt.workspace import Workspace
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.ui.main_window import MainWindow

N = 3000


@pytest.fixture(scope="module")
def gen_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    generate(out, N, seed=7)
    return out


@pytest.fixture
def library(gen_store: Path) -> Iterator[Library]:
    lib = Library([EventStore(gen_store)])
    yield lib
    lib.close()


def open_window(qtbot: QtBot, controller: Workspace) -> MainWindow:
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    win.event_list.setFocus()
    qtbot.waitUntil(lambda: win.event_list.hasFocus())
    return win


@pytest.fixture
def window(qtbot: QtBot, library: Library) -> MainWindow:
    return open_window(qtbot, Workspace(library))


def current_row(win: MainWindow) -> int:
    return win.event_list.currentIndex().row()


def consistent(win: MainWindow) -> bool:
    """The list's current row shows the controller's selection, at its position."""
    c, model = win.workspace, win.event_list.list_model
    gid = c.selected_id
    row = current_row(win)
    pos = c.row_of(gid)
    return (
        pos is not None
        and c.id_at(pos) == gid
        and model.row_for_id(gid) == row
        and model.position_of_row(row) == pos
        and win.event_list.currentIndex().data(EventIdRole) == gid
    )


def test_rows_are_the_events_under_their_year_headings(
    qtmodeltester: ModelTester, window: MainWindow, library: Library
) -> None:
    model = window.event_list.list_model
    summaries = library.summaries()
    years = sorted({s.start.year for s in summaries})
    assert model.rowCount() == N + len(years)
    assert [model.index(r, 0).data(YearRole) for r in model.year_rows()] == years
    # every row: a heading, or the next event in date order, under its year's heading
    year = None
    pos = 0
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(IsHeaderRole):
            year = index.data(YearRole)
            continue
        assert index.data(EventIdRole) == summaries[pos].id
        assert summaries[pos].start.year == year
        pos += 1
    assert pos == N
    qtmodeltester.check(model)


def test_down_and_up_cross_year_headings(qtbot: QtBot, window: MainWindow) -> None:
    c, model, lst = window.workspace, window.event_list.list_model, window.event_list
    heading = model.year_rows()[5]
    last_of_year = model.index(heading - 1, 0).data(EventIdRole)
    c.select(last_of_year)
    qtbot.waitUntil(lambda: current_row(window) == heading - 1)
    qtbot.keyClick(lst, Qt.Key.Key_Down)
    # the heading is skipped: the first event of the next year is selected
    assert current_row(window) == heading + 1
    assert c.selected_id == model.index(heading + 1, 0).data(EventIdRole)
    assert consistent(window)
    assert window.detail.toPlainText().startswith(c.summary(c.selected_id).title)  # type: ignore[union-attr]
    qtbot.keyClick(lst, Qt.Key.Key_Up)
    assert c.selected_id == last_of_year and current_row(window) == heading - 1
    assert consistent(window)


def test_page_down_end_and_home_keep_list_and_selection_together(
    qtbot: QtBot, window: MainWindow
) -> None:
    c, lst = window.workspace, window.event_list
    qtbot.keyClick(lst, Qt.Key.Key_Home)
    assert c.selected_id == c.id_at(0) and consistent(window)
    seen = [c.selected_id]
    for _ in range(5):
        qtbot.keyClick(lst, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda: c.selected_id != seen[-1])
        assert consistent(window)
        assert c.row_of(c.selected_id) > c.row_of(seen[-1])  # type: ignore[operator]
        seen.append(c.selected_id)
    # the selected row is on screen
    rect = lst.visualRect(lst.currentIndex())
    assert lst.viewport().rect().intersects(rect)
    qtbot.keyClick(lst, Qt.Key.Key_End)
    assert c.selected_id == c.id_at(c.event_count - 1) and consistent(window)
    assert current_row(window) == window.event_list.list_model.rowCount() - 1
    qtbot.keyClick(lst, Qt.Key.Key_Down)  # at the end: stays
    assert c.selected_id == c.id_at(N - 1)


def test_filtering_reduces_the_list_and_keeps_the_mapping(
    qtbot: QtBot, window: MainWindow, library: Library
) -> None:
    c, model, lst = window.workspace, window.event_list.list_model, window.event_list
    filters = window.workspace
    filters.set_filters(FilterState(kinds=("proposal",)))
    qtbot.waitUntil(lambda: not c.shown_filters.is_empty, timeout=10_000)
    want = [s for s in library.summaries() if s.kind.value == "proposal"]
    assert 0 < c.event_count == len(want) < N
    years = sorted({s.start.year for s in want})
    assert model.rowCount() == len(want) + len(years)
    # the status bar words the count as the chips do, from the same numbers
    qtbot.waitUntil(lambda: not c.busy, timeout=10_000)
    assert window.count_label.text() == f"{len(want):,} of {N:,} events"
    assert window.count_label.text() == window.filter_ui.chips.count_label.text()
    shown = [model.index(r, 0).data(EventIdRole) for r in range(model.rowCount())]
    assert [g for g in shown if g != -1] == [s.id for s in want]
    # stepping walks the matching events only, across headings
    qtbot.keyClick(lst, Qt.Key.Key_Home)
    for s in want[1:8]:
        qtbot.keyClick(lst, Qt.Key.Key_Down)
        assert c.selected_id == s.id and consistent(window)
    # an event the filter hides cannot be selected; clearing shows every event again
    hidden = next(s for s in library.summaries() if s.kind.value != "proposal")
    c.select(hidden.id)
    assert c.selected_id == want[7].id
    qtbot.keyClick(lst, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: c.shown_filters.is_empty and c.event_count == N, timeout=10_000)
    assert c.selected_id == want[7].id and consistent(window)


def test_a_large_library_lists_its_events_once_read(qtbot: QtBot, library: Library) -> None:
    # As at a million events: the order is read in the worker after the window shows.
    c = Workspace(library, sync_limit=0)
    assert c.loading and c.total_count == N and c.event_count == 0
    model = EventListModel(c)
    assert model.rowCount() == 1 and model.loading
    assert model.index(0, 0).data() == f"Loading {N:,} events…"
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert c.select_first() is False  # done once the order is read
    with qtbot.waitSignal(c.loadingChanged, timeout=10_000):
        pass
    assert not c.loading and c.event_count == N
    assert model.rowCount() > N and not model.loading
    assert c.selected_id == c.id_at(0)
    assert model.row_for_id(c.selected_id) == 1  # under the first year's heading
    c.shutdown()


def test_a_large_library_filters_in_the_worker(qtbot: QtBot, library: Library) -> None:
    c = Workspace(library, sync_limit=0)
    win = open_window(qtbot, c)
    qtbot.waitUntil(lambda: not c.loading, timeout=10_000)
    assert win.event_list.list_model.rowCount() > N
    qtbot.keyClick(win.event_list, Qt.Key.Key_Home)
    qtbot.keyClick(win.event_list, Qt.Key.Key_Down)
    assert consistent(win) and c.row_of(c.selected_id) == 1
    win.workspace.set_filters(FilterState(kinds=("report",)))
    qtbot.waitUntil(lambda: not c.shown_filters.is_empty, timeout=10_000)
    want = [s.id for s in library.summaries() if s.kind.value == "report"]
    assert c.event_count == len(want) > 0
    assert [c.id_at(p) for p in range(c.event_count)] == want
    qtbot.keyClick(win.event_list, Qt.Key.Key_End)
    assert c.selected_id == want[-1] and consistent(win)
