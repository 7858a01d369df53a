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

from explorer.ui.actions import ActionSpec

if TYPE_CHECKING:
    from explorer.ui.export_dialog import ExportDialog


class ExportActions(QObject):
    """Export and Copy citation for a main window.

    Args:
        window: The main window (its workspace, detail pane and action registry).
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

    # ----------------------------------------------------------------- export

    def make_dialog(self) -> ExportDialog:
        from explorer.ui.export_dialog import ExportDialog

        return ExportDialog(self.window.workspace.lane_mode, "timeline", self.window)

    def export(self, dialog: ExportDialog | None = None) -> str:
        """Ask what to export (or take `dialog`'s choices) and write it; returns the message."""
        from explorer.export.api import ExportOptions, export_view
        from explorer.storage.errors import StoreError

        dialog = dialog or self.make_dialog()
        if dialog.result() != dialog.DialogCode.Accepted and not dialog.exec():
            return ""
        dialog.remember()
        req = dialog.request()
        workspace = self.window.workspace
        # the view the window shows, with the lanes the dialog asks for, through the one
        # export path (as `explorer export` takes it)
        view = workspace.view.with_lane_mode(req.lanes)
        options = ExportOptions(
            title=req.title, width=req.width, height=req.height, scale=req.scale, page=req.page
        )
        try:
            done = export_view(
                workspace.library, view, req.fmt, req.path, options, query=workspace.query
            )
            message = f"Exported {done.words()} to {req.path}"
        except StoreError as exc:
            message = f"Export failed: {exc}"
            QMessageBox.warning(self.window, "Export failed", str(exc))
        self.last_message = message
        self.window.statusBar().showMessage(message, 10000)
        return message

    # ----------------------------------------------------------------- citation

    def copy_citation(self) -> str:
        """Put the selected quote's source citation on the clipboard; returns it ("" if none)."""
        from explorer.domain.citation import cite
        from explorer.qt.detail_html import quote_at

        event = self.window.workspace.current_event
        if event is None or not event.quotes:
            self.window.statusBar().showMessage("No quote to cite: select an event first", 5000)
            return ""
        detail = self.window.detail
        quote = quote_at(event, detail.toPlainText(), detail.textCursor().position())
        if quote is None:
            return ""
        text = cite(quote.source)
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
