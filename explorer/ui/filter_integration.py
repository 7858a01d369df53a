"""Puts filtering, search and saved views into the main window, in one call.

`install_filters(window)` adds the filter dock, the results dock, a toolbar row above the
timeline with the search box, the chips and "37 of 120 events", the Views menu and the
shortcuts (Ctrl+F search, Esc clear filters). Every one of them reads the window's workspace
and changes the filters through it; the list, the timeline, the detail pane (search words
marked) and the overview strip (Shift+drag sets the date range) follow the workspace on their
own, so nothing here ties one widget to another.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar, QWidget

from explorer.qt.workspace import Workspace
from explorer.ui.actions import ActionRegistry, ActionSpec
from explorer.ui.filter_chips import FilterChips
from explorer.ui.filter_panel import FilterPanel
from explorer.ui.results_list import ResultsList
from explorer.ui.search_box import SearchBox
from explorer.ui.views_menu import ViewsMenu


@dataclass
class FilterUI:
    """What `install_filters` added to the window."""

    panel: FilterPanel
    chips: FilterChips
    search: SearchBox
    results: ResultsList
    results_dock: QDockWidget
    views: ViewsMenu
    toolbar: QToolBar
    clear_action: QAction
    find_action: QAction


def install_filters(
    window: QMainWindow, workspace: Workspace, registry: ActionRegistry
) -> FilterUI:
    """Add filters, search, results and saved views to the main window.

    Args:
        window: The main window (docks, toolbar row, Views menu before Help).
        workspace: The filters, the search and the views they show and change.
        registry: The window's action table (Ctrl+F and Esc are listed in Help).
    """
    panel = FilterPanel(workspace, window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, panel)
    results = ResultsList(workspace, window)
    results_dock = QDockWidget("Results", window)
    results_dock.setObjectName("resultsDock")
    results_dock.setWidget(results)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, results_dock)

    toolbar = QToolBar("Search and filters", window)
    toolbar.setObjectName("filterToolbar")
    toolbar.setMovable(False)
    search = SearchBox(workspace, toolbar)
    chips = FilterChips(workspace, toolbar)
    toolbar.addWidget(search)
    toolbar.addWidget(chips)
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    # Tab (and Down, as in a browser's address bar) from the search box goes to its results
    QWidget.setTabOrder(search, results)

    def focus_search() -> None:
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    # Defined once in the window's action table, so Help → Keyboard shortcuts lists them.
    find_action = registry.define(
        ActionSpec(
            "filter.find",
            "&Find…",
            ("Ctrl+F",),
            "",
            description="Search titles, summaries, quotes, names and items",
        ),
        focus_search,
    )
    clear_action = registry.define(
        ActionSpec(
            "filter.clear",
            "&Clear filters",
            ("Escape",),
            "",
            description="Remove every filter and the search",
        ),
        workspace.clear,
    )

    views = ViewsMenu(workspace, parent=window)
    bar = window.menuBar()
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, views)
    else:
        bar.addMenu(views)
    return FilterUI(
        panel, chips, search, results, results_dock, views, toolbar, clear_action, find_action
    )
