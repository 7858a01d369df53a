"""The filter dock on a laptop's screen: facets as tall as their rows, long ones with a filter box,
names cut in the middle with the whole name and count in the tooltip, the dock scrolling."""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from explorer.qt.workspace import Workspace
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.ui.filter_panel import FILTER_ABOVE, MAX_ROWS, NAME_ROLE, FacetList
from explorer.ui.main_window import MainWindow


@pytest.fixture(scope="module")
def gen_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    generate(out, 400, seed=3)
    return out


@pytest.fixture
def window(qtbot: QtBot, gen_store: Path) -> Iterator[MainWindow]:
    lib = Library([EventStore(gen_store)])
    ws = Workspace(lib, settings=QSettings())
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: ws.counts is not None and not ws.busy, timeout=10_000)
    yield win
    win.close()
    ws.shutdown()
    lib.close()


def _row_height(lst: FacetList) -> int:
    return lst.sizeHintForRow(0)


def test_a_short_facet_is_as_tall_as_its_rows_without_a_scroll_bar(window: MainWindow) -> None:
    panel = window.filter_ui.panel
    kinds = panel.facets["kinds"]
    assert 0 < kinds.count() <= MAX_ROWS
    assert kinds.viewport().height() >= kinds.count() * _row_height(kinds)
    assert not kinds.verticalScrollBar().isVisible()
    assert not panel.facet_filters["kinds"].isVisibleTo(panel)
    # the dock scrolls instead: its content is taller than a 768-pixel screen leaves it
    assert panel.scroll_area.verticalScrollBar().maximum() > 0


def test_a_long_facet_has_a_filter_box_and_a_capped_height(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.filter_ui.panel
    facet, lst = next((f, lst) for f, lst in panel.facets.items() if lst.count() > FILTER_ABOVE)
    box = panel.facet_filters[facet]
    assert box.isVisibleTo(panel) and box.accessibleName()
    assert str(lst.count()) in box.placeholderText()
    capped = lst.height()
    assert lst.viewport().height() < lst.count() * _row_height(lst)  # it scrolls itself
    assert capped <= (MAX_ROWS + 1) * _row_height(lst)
    # typing narrows the list and the list shrinks to the rows left
    name = str(lst.item(lst.count() - 1).data(NAME_ROLE))
    box.setFocus()
    qtbot.keyClicks(box, name[:6])
    shown = [str(lst.item(i).data(NAME_ROLE)) for i in range(lst.count()) if not lst.isRowHidden(i)]
    assert name in shown and all(name[:6].casefold() in s.casefold() for s in shown)
    assert lst.height() <= capped
    box.clear()
    assert lst.shown_rows() == lst.count()


def test_a_long_name_is_cut_in_the_middle_and_whole_in_its_tooltip(window: MainWindow) -> None:
    panel = window.filter_ui.panel
    lst = panel.facets["agencies"]
    fm = QFontMetrics(lst.font())
    longest = max(
        (lst.item(i) for i in range(lst.count())),
        key=lambda it: fm.horizontalAdvance(str(it.data(NAME_ROLE))),
    )
    name = str(longest.data(NAME_ROLE))
    assert fm.horizontalAdvance(name) > lst.viewport().width() - 40  # too long for the row
    assert longest.toolTip().startswith(name + "\n")
    count = longest.text().rsplit("(", 1)[1].rstrip(")")
    assert f"{count} event" in longest.toolTip()
    # drawn: the row shows the count whole at the right (the name is the part that is cut)
    lst.scrollToItem(longest)
    image = lst.viewport().grab(lst.visualItemRect(longest)).toImage()
    right = image.copy(image.width() - 40, 0, 40, image.height())
    assert any(
        right.pixelColor(x, y).lightness() < 160
        for x in range(right.width())
        for y in range(right.height())
    )  # ink in the count's place
    assert lst.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
