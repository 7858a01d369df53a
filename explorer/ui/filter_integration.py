"""Puts filtering, search and saved views into the main window, in one call.

`install_filters(window)` adds the filter dock, the results dock, a toolbar row above the
timeline with the search box, the chips and "37 of 120 events", the Views menu and the
shortcuts (Ctrl+F search, Esc clear filters), and wires the filter controller to the timeline
controller (the list shows only matching events), the timeline (its reader answers for the
matching events), the detail pane (search words highlighted) and the overview strip
(Shift+drag sets the date range).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

from explorer.domain.filters import bound_of_day
from explorer.domain.timescale import TimeScale
from explorer.domain.view_token import SavedView
from explorer.qt.controller import TimelineController
from explorer.qt.filter_controller import FilterController
from explorer.ui.actions import ActionSpec
from explorer.ui.filter_chips import FilterChips
from explorer.ui.filter_panel import FilterPanel
from explorer.ui.overview_strip import OverviewStrip
from explorer.ui.results_list import ResultsList
from explorer.ui.search_box import SearchBox
from explorer.ui.views_menu import ViewsMenu


class StripRangeDrag(QObject):
    """Shift+drag on the overview strip sets the date range filter."""

    def __init__(self, strip: OverviewStrip, filters: FilterController) -> None:
        super().__init__(strip)
        self._strip = strip
        self._filters = filters
        self._anchor: float | None = None
        strip.installEventFilter(self)

    def _day(self, x: float) -> float | None:
        full = self._strip.full_scale()
        if full is None:
            return None
        return float(full.day(x - self._strip.plot_rect().left()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._anchor = self._day(event.position().x())
                return True
        elif kind == QEvent.Type.MouseMove and self._anchor is not None:
            if isinstance(event, QMouseEvent):
                # the range being dragged out shows as a live band on the strip
                self._strip.set_pending_range(self._anchor, self._day(event.position().x()))
            return True
        elif (
            kind == QEvent.Type.MouseButtonRelease
            and self._anchor is not None
            and isinstance(event, QMouseEvent)
        ):
            end = self._day(event.position().x())
            a, self._anchor = self._anchor, None
            self._strip.set_pending_range(None, None)
            if end is not None:
                lo, hi = sorted((a, end))
                self._filters.set_range(bound_of_day(int(lo)), bound_of_day(int(hi)))
            return True
        return False


@dataclass
class FilterUI:
    """What `install_filters` added to the window."""

    filters: FilterController
    panel: FilterPanel
    chips: FilterChips
    search: SearchBox
    results: ResultsList
    results_dock: QDockWidget
    views: ViewsMenu
    toolbar: QToolBar
    clear_action: QAction
    find_action: QAction


def install_filters(window: QMainWindow) -> FilterUI:
    """Add filters, search, results and saved views to the main window."""
    controller: TimelineController = window.controller  # type: ignore[attr-defined]
    filters = FilterController(controller.library, window)

    panel = FilterPanel(filters, window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, panel)
    results = ResultsList(controller, filters, window)
    results_dock = QDockWidget("Results", window)
    results_dock.setObjectName("resultsDock")
    results_dock.setWidget(results)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, results_dock)

    toolbar = QToolBar("Search and filters", window)
    toolbar.setObjectName("filterToolbar")
    toolbar.setMovable(False)
    search = SearchBox(filters, toolbar)
    chips = FilterChips(filters, toolbar)
    toolbar.addWidget(search)
    toolbar.addWidget(chips)
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    def focus_search() -> None:
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    registry = getattr(window, "action_registry", None)
    if registry is not None:
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
            filters.clear,
        )
    else:
        find_action = QAction("Find…", window)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.triggered.connect(lambda _c=False: focus_search())
        clear_action = QAction("Clear filters", window)
        clear_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear_action.triggered.connect(lambda _c=False: filters.clear())
        window.addAction(find_action)
        window.addAction(clear_action)

    timeline = getattr(window, "timeline", None)
    model = getattr(timeline, "model", None)
    shown: list[object] = [None]  # the result the list and timeline show (None: no filter)
    if model is not None:
        model.reader = filters.reader

        def on_timeline_result(result: object) -> None:
            # The first answer with no filter changes nothing: do not restart the first load.
            if result is not None or shown[0] is not None:
                model.reload()

        filters.resultChanged.connect(on_timeline_result)
        # The timeline draws the new result first; the facet counts follow.
        filters.hold_counts = True
        model.overviewLoaded.connect(filters.release_counts)
        strip = getattr(timeline, "strip", None)
        if strip is not None:
            StripRangeDrag(strip, filters)

        def use_window() -> None:
            s = model.scale
            filters.set_range(bound_of_day(int(s.start)), bound_of_day(int(s.end)))

        panel.useWindowRequested.connect(use_window)

    # A view being opened waits for its filters' result: then its event is selected and its
    # window shown, in that order, so following the selection never moves the restored window.
    pending: list[SavedView] = []

    def finish_restore(view: SavedView) -> None:
        if view.selection:
            controller.select_key(view.selection)
        if model is not None and view.window is not None:
            start, span = view.window
            model.set_scale(TimeScale(start, span, model.scale.width))

    def on_result(result: object) -> None:
        # The controller picks the matching events from its order by the result's bitsets
        # (in its worker for a large library); a view being opened is finished after that.
        then = None
        if pending:
            view = pending.pop()
            then = lambda: finish_restore(view)  # noqa: E731
        if result is None and shown[0] is None and then is None:
            return  # still every event
        shown[0] = result
        controller.set_filtered(result, then=then)

    filters.resultChanged.connect(on_result)
    detail = getattr(window, "detail", None)
    if detail is not None:
        filters.filtersChanged.connect(lambda s: detail.set_highlight(s.search_terms()))

    def capture() -> SavedView:
        selected = controller.summary(controller.selected_id)
        window_days = None
        mode = "country"
        if model is not None:
            window_days = (model.scale.start, model.scale.span)
            mode = model.mode
        return SavedView(filters.state, window_days, mode, selected.key if selected else None)

    def restore(view: SavedView) -> None:
        if model is not None:
            model.set_mode(view.lane_mode)
        if view.filters == filters.state and not filters.busy:
            finish_restore(view)
        else:
            pending[:] = [view]
            if view.filters != filters.state:
                filters.set_state(view.filters)

    views = ViewsMenu(capture, restore, parent=window)
    bar = window.menuBar()
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        bar.insertMenu(help_menu, views)
    else:
        bar.addMenu(views)
    return FilterUI(
        filters,
        panel,
        chips,
        search,
        results,
        results_dock,
        views,
        toolbar,
        clear_action,
        find_action,
    )
