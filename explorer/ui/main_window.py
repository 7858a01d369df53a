"""The main window: menus from the action table, the event list beside the detail pane.

Layout, so other views slot in with a one-line edit::

    central: QSplitter(Vertical)            self.main_splitter
      ├─ TimelinePanel                      self.timeline
      └─ QWidget                            self.content_area
           ├─ LegendBar                     self.legend (View → Legend)
           └─ QSplitter(Horizontal)         self.content_splitter
                ├─ EventListView            self.event_list
                └─ DetailPane               self.detail

The timeline (``self.timeline``, over ``self.timeline_model``) sits above the legend, the list
and the detail pane; the filter dock, the results dock and the search row come from
:func:`explorer.ui.filter_integration.install_filters`. Every part reads the window's
:class:`~explorer.qt.workspace.Workspace` and changes the view through it. Window geometry,
splitter sizes and whether the legend is shown persist in QSettings.

Keys: the timeline's zoom, fit, pan and lane keys work from launch wherever the focus is except
in a text field (their scope is ``OUTSIDE_TEXT`` in :mod:`explorer.ui.actions`); the list and the
detail pane share Left, Right and Back.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__
from explorer.qt.timeline_model import TimelineModel
from explorer.qt.workspace import Workspace
from explorer.render.painter import TimelinePainter
from explorer.ui.actions import MENUS, ActionRegistry, install_standard_actions
from explorer.ui.detail_pane import DetailPane
from explorer.ui.event_list import EventListView
from explorer.ui.export_actions import install_export_actions
from explorer.ui.filter_chips import connect_count, count_tooltip, count_words
from explorer.ui.filter_integration import install_filters
from explorer.ui.import_action import install_import_action
from explorer.ui.legend import LaneCountTips, LegendBar
from explorer.ui.shortcuts_dialog import ShortcutsDialog
from explorer.ui.timeline_view import TimelinePanel

APP_TITLE = "Policy Timeline Explorer"
#: QSettings key: whether the legend is shown (it is, until the user hides it).
LEGEND_KEY = "main_window/legend"


def default_size(available: QSize) -> tuple[int, int]:
    """The first-run window size: most of the screen, since the timeline wants width."""
    return (
        max(1024, min(available.width() * 9 // 10, 2400)),
        max(700, min(available.height() * 9 // 10, 1500)),
    )


class MainWindow(QMainWindow):
    """The app's window.

    Args:
        workspace: The view and the library every part of the window shows and changes.
        parent: The Qt parent (None for a top-level window).
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.workspace = workspace
        title = workspace.library.meta().get("title") or APP_TITLE
        self.setWindowTitle(title)

        self.event_list = EventListView(workspace, self)
        self.detail = DetailPane(workspace, self)
        self.content_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.content_splitter.setObjectName("contentSplitter")
        self.content_splitter.addWidget(self.event_list)
        self.content_splitter.addWidget(self.detail)
        self.content_splitter.setStretchFactor(0, 2)
        self.content_splitter.setStretchFactor(1, 3)
        self.content_splitter.setChildrenCollapsible(False)
        self.main_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.content_area = QWidget(self)
        self.content_area.setObjectName("contentArea")
        area = QVBoxLayout(self.content_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.setSpacing(0)
        self.main_splitter.addWidget(self.content_area)
        self.setCentralWidget(self.main_splitter)
        # The timeline (with its overview strip) is the main view, above the list and detail.
        self.timeline_model = TimelineModel(workspace, self)
        self.timeline = TimelinePanel(self.timeline_model, self)
        # The legend right under it: the exports' legend, drawn by the timeline's painter.
        self.legend = LegendBar(
            workspace, TimelinePainter(self.timeline.view.painter.theme), self.content_area
        )
        area.addWidget(self.legend)
        area.addWidget(self.content_splitter, 1)
        self.lane_tips = LaneCountTips(self.timeline.view)
        # A new filter's result is drawn first; the list's order and the facet counts follow.
        self.timeline.pace(workspace)
        self.main_splitter.insertWidget(0, self.timeline)
        self.main_splitter.setStretchFactor(0, 7)
        self.main_splitter.setStretchFactor(1, 3)
        self.addToolBar(self.timeline.make_toolbar(self))

        self.action_registry = ActionRegistry(self)
        install_standard_actions(
            self.action_registry,
            workspace,
            quit_app=self.close,
            show_shortcuts=self.show_shortcuts,
            show_about=self.show_about,
            focus_list=self.event_list.setFocus,
            focus_detail=self.detail.setFocus,
            focus_filters=lambda: self.filter_ui.panel.focus_facets(),
            toggle_legend=self._legend_toggled,
        )
        self.action_registry.attach_navigation(self.event_list)
        # Left / Right step through events and Back returns from the detail pane too (Up, Down,
        # Home, End and Enter keep scrolling the text and following the focused link there).
        self.action_registry.attach_navigation(self.detail, ("go.next", "go.previous", "go.back"))
        self.export_actions = install_export_actions(self)  # File → Export…, Copy citation
        self.import_actions = install_import_action(self)  # File → Import…
        self._build_menus()
        self._build_status_bar()
        # Filter dock, results, search box, chips, Views menu, Ctrl+F and Esc.
        self.filter_ui = install_filters(self, workspace, self.action_registry)
        connect_count(workspace, self._update_counts)
        self._restore_settings()
        self.event_list.setFocus()
        self._shortcuts_dialog: ShortcutsDialog | None = None

    # ----------------------------------------------------------------- building

    def _build_menus(self) -> None:
        bar = self.menuBar()
        menus = {name: bar.addMenu(f"&{name}") for name in MENUS}
        for spec in self.action_registry.specs():
            if spec.menu:
                menus[spec.menu].addAction(self.action_registry.action(spec.id))
        for name, menu in menus.items():
            menu.setObjectName(f"menu{name}")
            if menu.isEmpty():
                menu.menuAction().setVisible(False)
        self.menus = menus

    def _show_warnings(self) -> None:
        warnings = self.workspace.warnings
        self.warning_label.setVisible(bool(warnings))
        self.warning_label.setText(" · ".join(warnings))
        self.warning_label.setToolTip("\n".join(warnings))

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("statusWarning")
        self.warning_label.setAccessibleName("Warnings")
        status.addWidget(self.warning_label, 1)
        self._show_warnings()
        self.workspace.warningsChanged.connect(self._show_warnings)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("statusCount")
        self.count_label.setAccessibleName("Events shown")
        status.addPermanentWidget(self.count_label)
        self.version_label = QLabel(self)
        self.version_label.setObjectName("statusVersion")
        status.addPermanentWidget(self.version_label)
        self._update_counts()

    def _update_counts(self) -> None:
        # the chips' words, from the same numbers: the two never disagree
        self.count_label.setText(count_words(self.workspace))
        self.count_label.setToolTip(count_tooltip(self.workspace))
        version = self.workspace.data_version
        self.version_label.setText(f"Data {version}" if version else "")
        self.version_label.setVisible(bool(version))

    # ----------------------------------------------------------------- actions

    def show_legend(self, shown: bool) -> None:
        """Show or hide the legend (View → Legend), and remember it for the next run."""
        action = self.action_registry.action("view.legend")
        if action.isChecked() != shown:
            action.setChecked(shown)
        self.legend.setVisible(shown)
        QSettings().setValue(LEGEND_KEY, shown)

    def _legend_toggled(self) -> None:
        self.show_legend(self.action_registry.action("view.legend").isChecked())

    def show_shortcuts(self) -> ShortcutsDialog:
        """Open (or raise) Help → Keyboard shortcuts."""
        if self._shortcuts_dialog is None:
            self._shortcuts_dialog = ShortcutsDialog(self.action_registry, self)
        if self._shortcuts_dialog.isVisible():
            self._shortcuts_dialog.raise_()
            self._shortcuts_dialog.activateWindow()
        else:
            self._shortcuts_dialog.show()
        return self._shortcuts_dialog

    def show_about(self) -> None:
        version = self.workspace.data_version or "unknown"
        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<h3>{APP_TITLE} {__version__}</h3>"
            "<p>The US–China export-control contest as a timeline, with the sources behind "
            f"every event.</p><p>Curated data version {version}.</p>",
        )

    # ----------------------------------------------------------------- settings

    def _restore_settings(self) -> None:
        settings = QSettings()
        shown = settings.value(LEGEND_KEY, True, type=bool)
        self.action_registry.action("view.legend").setChecked(bool(shown))
        self.legend.setVisible(bool(shown))
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*default_size(self.screen().availableGeometry().size()))
            self.content_splitter.setSizes([self.width() * 2 // 5, self.width() * 3 // 5])
            # the timeline first: room for its lanes' names and counts on a laptop's screen
            # the timeline first: on a 768-pixel laptop screen it shows twice the lanes
            self.main_splitter.setSizes([self.height() * 7 // 10, self.height() * 3 // 10])
        for name, splitter in (
            ("content", self.content_splitter),
            ("main", self.main_splitter),
        ):
            state = settings.value(f"main_window/{name}_splitter")
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        # the filters get two thirds of the left column: the results list is short until a
        # search fills it, and the facets want their rows
        ui = self.filter_ui
        height = max(self.height(), 600)
        width = max(270, min(360, self.width() // 5))
        self.resizeDocks([ui.panel], [width], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [ui.panel, ui.results_dock], [height * 2 // 3, height // 3], Qt.Orientation.Vertical
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/content_splitter", self.content_splitter.saveState())
        settings.setValue("main_window/main_splitter", self.main_splitter.saveState())
        self.timeline.shutdown()
        self.import_actions.shutdown()
        self.workspace.shutdown()
        super().closeEvent(event)
