"""The legend in the window and the words on what each number counts.

The legend is the exports' legend (same entries, swatches drawn by the timeline's painter),
shown by default, switched from View → Legend (listed in Help → Keyboard shortcuts) and
remembered between runs. A lane's count and a facet's count count different things: each
says what in its tooltip, and the chips and the status bar word the total the same way.
"""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from explorer.domain.filters import FilterState
from explorer.render import palette
from explorer.render.snapshot import legend_entries
from explorer.ui.legend import LegendSwatch, lane_tooltip
from explorer.ui.main_window import LEGEND_KEY, MainWindow
from explorer.ui.shortcuts_dialog import ShortcutsDialog


def settle(qtbot: QtBot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.workspace.busy, timeout=10_000)
    qtbot.waitUntil(lambda: win.timeline.model.ready and not win.timeline.model.busy)


def test_the_legend_is_shown_by_default_with_the_exports_entries(window: MainWindow) -> None:
    legend = window.legend
    assert legend.isVisible() and legend.accessibleName() == "Legend"
    assert legend.entries() == list(legend_entries())  # the exports' vocabulary, in order
    groups = {e.group for e in legend.entries()}
    assert groups == {"kind", "status", "form"}
    keys = {e.key for e in legend.entries()}
    assert {"band", "badge", "period", "proposal", "in_force"} <= keys
    assert all(s.accessibleName() == s.entry.label for s in legend.swatches)
    assert "lead country" in legend.note.text() and "any role" in legend.note.text()
    # the legend sits right under the timeline, above the list and the detail pane
    assert window.legend.parentWidget() is window.content_area
    assert window.legend.geometry().bottom() <= window.content_splitter.geometry().top()


def test_each_kind_swatch_is_drawn_in_the_palettes_colour(qtbot: QtBot, window: MainWindow) -> None:
    swatch = next(s for s in window.legend.swatches if s.entry.key == "sanction_listing")
    assert isinstance(swatch, LegendSwatch)
    image: QImage = swatch.grab().toImage()
    want = QColor(palette.KIND_COLOURS[next(iter(palette.KIND_COLOURS))])  # announcement
    colours = {
        image.pixelColor(x, y).name()
        for x in range(min(image.width(), 28))
        for y in range(image.height())
    }
    assert palette.kind_colour("sanction_listing").lower() in colours
    assert want.name() not in colours  # the swatch is the kind's own colour


def test_the_legend_follows_the_lane_mode(qtbot: QtBot, window: MainWindow) -> None:
    window.workspace.set_lane_mode("agency")
    assert "lead agency" in window.legend.note.text()
    window.workspace.set_lane_mode("country")
    assert "lead country" in window.legend.note.text()


def test_view_legend_hides_it_and_the_next_window_remembers(
    qtbot: QtBot, window: MainWindow
) -> None:
    action = window.action_registry.action("view.legend")
    assert action in window.menus["View"].actions()
    assert action.isCheckable() and action.isChecked()
    # Ctrl+Shift+L from the list, as a keyboard user would
    qtbot.keyClick(
        window.event_list,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not window.legend.isVisible() and not action.isChecked()
    assert QSettings().value(LEGEND_KEY, True, type=bool) is False
    second = MainWindow(window.workspace)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert not second.legend.isVisible()
    assert not second.action_registry.action("view.legend").isChecked()
    second.action_registry.trigger("view.legend")  # from the menu
    assert second.legend.isVisible()
    assert QSettings().value(LEGEND_KEY, False, type=bool) is True
    second.close()


def test_the_legend_switch_is_listed_in_help(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.event_list, Qt.Key.Key_F1)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ShortcutsDialog))
    table = dialog.table
    rows = {
        table.item(r, 0).text(): table.item(r, 1).text()  # type: ignore[union-attr]
        for r in range(table.rowCount())
    }
    assert rows["Legend"] == "Ctrl+Shift+L"
    assert rows["Focus the filters"] == "Ctrl+Shift+F"
    dialog.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # (the tooltip's window)
def test_a_lane_names_what_its_count_counts(qtbot: QtBot, window: MainWindow) -> None:
    settle(qtbot, window)
    view = window.timeline.view
    qtbot.waitUntil(lambda: view.layout_ is not None and bool(view.layout_.lane_rects))
    lane = window.timeline.model.lanes[0]
    rect = view.layout_.lane_rects[lane.key]  # type: ignore[union-attr]
    pos = QPoint(20, int(rect.center().y()))
    text = window.lane_tips.text_at(pos)
    assert text.endswith(lane_tooltip(lane.label, lane.count, "country", lane.imported))
    assert f"{lane.count} event" in text and "lead country" in text and "any role" in text
    # Qt's own tooltip event over the gutter shows it
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.mapToGlobal(pos))
    QApplication.sendEvent(view, event)
    assert QToolTip.text() == text
    QToolTip.hideText()
    # over the plot there is no lane tooltip (the marks have their own)
    assert window.lane_tips.text_at(QPoint(view.width() - 5, int(rect.center().y()))) == ""


def test_facet_counts_say_what_they_count(qtbot: QtBot, window: MainWindow) -> None:
    settle(qtbot, window)
    panel = window.filter_ui.panel
    china = panel.facets["countries"].item_for("CN")
    assert china is not None
    tip = china.toolTip()
    assert tip.startswith("China\n") and "any role" in tip and "lane" in tip
    assert "any role" in panel.facet_titles["countries"].toolTip()
    kinds = panel.facets["kinds"].item_for("announcement")
    assert kinds is not None and "of this kind" in kinds.toolTip()


def test_chips_and_status_bar_say_the_same_count(qtbot: QtBot, window: MainWindow) -> None:
    settle(qtbot, window)
    chips, status = window.filter_ui.chips.count_label, window.count_label
    assert chips.text() == status.text() == "6 of 6 events"
    window.workspace.set_filters(FilterState(countries=("CN",)))
    qtbot.waitUntil(lambda: window.workspace.shown_filters == window.workspace.filters)
    settle(qtbot, window)
    n = window.workspace.event_count
    qtbot.waitUntil(lambda: chips.text() == f"{n} of 6 events")  # once the counting is done
    assert status.text() == chips.text()
    assert "each counted once" in status.toolTip() and "Country: China" in status.toolTip()
