"""The export actions of the main window: File → Export… (Ctrl+E, also on the toolbar) and
Edit → Copy citation (Ctrl+Shift+C).

:func:`install_export_actions` defines them in the window's action registry (so they are listed
in Help → Keyboard shortcuts) and adds Export to the toolbar. The exporter and the dialog are
imported when an action is first used, not at start-up: the first frame does not wait for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QToolBar

from explorer.domain.filters import FilterState
from explorer.ui.actions import ActionSpec

if TYPE_CHECKING:
    from explorer.qt.exporter import CurrentView
    from explorer.ui.export_dialog import ExportDialog


class ExportActions(QObject):
    """Export and Copy citation for a main window.

    Args:
        window: The main window (its controller, timeline, detail pane and action registry).
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        registry = window.action_registry
        self.export_action = registry.define(
            ActionSpec(
                "file.export",
                "&Export…",
                ("Ctrl+E",),
                "File",
                description="Save the view as PNG, SVG or PDF, or the filtered events as CSV, "
                "JSON or Markdown, with their sources.",
            ),
            self.export,
        )
        self.citation_action = registry.define(
            ActionSpec(
                "edit.copy_citation",
                "Copy &citation",
                ("Ctrl+Shift+C",),
                "Edit",
                description="Copy the citation of the selected quote's source (the first "
                "quote's when none is selected).",
            ),
            self.copy_citation,
        )
        self.last_message = ""

    # ----------------------------------------------------------------- the view

    def current_view(self) -> CurrentView:
        """What the window shows now."""
        from explorer.qt.exporter import CurrentView

        controller = self.window.controller
        # The filter panel's controller (explorer.ui.filter_integration), when the window has one.
        filters = getattr(getattr(self.window, "filter_ui", None), "filters", None)
        state = getattr(filters, "state", None)
        if not isinstance(state, FilterState):
            state = FilterState()
        model = self.window.timeline.model
        scale = model.scale
        return CurrentView(
            library=controller.library,
            state=state,
            first=scale.start,
            last=scale.end,
            lane_mode=model.mode,
            selected=controller.selected_id,
        )

    # ----------------------------------------------------------------- export

    def make_dialog(self) -> ExportDialog:
        from explorer.ui.export_dialog import ExportDialog

        return ExportDialog(self.window.timeline.model.mode, "timeline", self.window)

    def export(self, dialog: ExportDialog | None = None) -> str:
        """Ask what to export (or take `dialog`'s choices) and write it; returns the message."""
        from explorer.export.atomic import ExportError
        from explorer.qt.exporter import export_to

        dialog = dialog or self.make_dialog()
        if dialog.result() != dialog.DialogCode.Accepted and not dialog.exec():
            return ""
        dialog.remember()
        req = dialog.request()
        try:
            message = export_to(
                self.current_view(),
                req.fmt,
                req.path,
                title=req.title,
                width=req.width,
                height=req.height,
                scale=req.scale,
                page=req.page,
                lanes=req.lanes,
            )
        except ExportError as exc:
            message = f"Export failed: {exc}"
            QMessageBox.warning(self.window, "Export failed", str(exc))
        self.last_message = message
        self.window.statusBar().showMessage(message, 10000)
        return message

    # ----------------------------------------------------------------- citation

    def copy_citation(self) -> str:
        """Put the selected quote's source citation on the clipboard; returns it ("" if none)."""
        from explorer.qt.exporter import quote_at, quote_citation

        event = self.window.controller.current_event
        if event is None or not event.quotes:
            self.window.statusBar().showMessage("No quote to cite: select an event first", 5000)
            return ""
        detail = self.window.detail
        quote = quote_at(event, detail.toPlainText(), detail.textCursor().position())
        if quote is None:
            return ""
        text = quote_citation(quote)
        QGuiApplication.clipboard().setText(text)
        self.window.statusBar().showMessage(f"Copied: {text}", 8000)
        return text


def install_export_actions(window: Any) -> ExportActions:
    """Define the export actions in `window` and put Export on its toolbar.

    Call it before the window builds its menus from the registry (the actions name their menu).
    """
    actions = ExportActions(window)
    toolbars = window.findChildren(QToolBar)
    toolbar: QToolBar = toolbars[0] if toolbars else window.addToolBar("Export")
    toolbar.addSeparator()
    toolbar.addAction(actions.export_action)
    return actions
