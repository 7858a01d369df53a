"""The export actions of the main window: File → Export… (Ctrl+E, also on the toolbar) and
Edit → Copy citation (Ctrl+Shift+C).

Copy citation cites the quote selected in the detail pane (the text cursor or selection is in
it), else the event's best source (`explorer.domain.citation.best_source`).

:func:`install_export_actions` defines them in the window's action registry (so they are listed
in Help → Keyboard shortcuts) and adds Export to the toolbar. The exporter and the dialog are
imported when an action is first used, not at start-up: the first frame does not wait for them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QToolBar

from explorer.domain.model import Event, Quote
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
                description="Copy the citation (APA) of the selected quote's source, or of "
                "the event's best source when no quote is selected.",
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
        """Put a citation on the clipboard and return it ("" when there is nothing to cite).

        The selected quote's source (the quote the detail pane's cursor or selection is in),
        or, when no quote is selected, the event's best source (see
        :func:`explorer.domain.citation.best_source`: the issuing government's own record, then
        a wire service or newspaper of record, never a republished copy while another source
        is cited).
        """
        from explorer.domain.citation import best_source, cite

        event = self.window.workspace.current_event
        bar = self.window.statusBar()
        if event is None:
            bar.showMessage("Nothing to cite: select an event first", 5000)
            return ""
        detail = self.window.detail
        cursor = detail.textCursor()
        quote = selected_quote(
            event, detail.toPlainText(), cursor.selectionStart(), cursor.selectionEnd()
        )
        source = quote.source if quote is not None else best_source(event)
        if source is None:
            bar.showMessage("Nothing to cite: this event names no source", 5000)
            return ""
        text = cite(source)
        QGuiApplication.clipboard().setText(text)
        whose = "the selected quote's source" if quote is not None else "the event's best source"
        bar.showMessage(f"Copied {whose}: {text}", 8000)
        return text


def quote_spans(event: Event, plain_text: str) -> list[tuple[int, int, Quote]]:
    """Where each of `event`'s quotes stands in the detail pane's plain text: from its opening
    quotation mark to the end of the lines under it (speaker, then source), in pane order.

    The pane shows each quote as ``“text”``, a line naming the speaker and a line citing the
    source; a long quote is cut (`shown_text`) and its line breaks read as spaces.
    """
    from explorer.qt.detail_html import MAX_ROWS, shown_text

    spans: list[tuple[int, int, Quote]] = []
    # From the Quotes heading on, so a summary that repeats a quote is not taken for it.
    at = max(0, plain_text.find("\nQuotes\n"))
    for q in event.quotes[:MAX_ROWS]:
        words = shown_text(q.text).split()
        if not words:
            continue
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        found = pattern.search(plain_text, at)
        if found is None:
            continue
        start = max(0, found.start() - 1)  # the opening quotation mark
        end = found.end()
        for _ in range(3):  # the rest of the quote's line, the speaker's, the source's
            nl = plain_text.find("\n", end + 1)
            if nl < 0:
                end = len(plain_text)
                break
            end = nl
        spans.append((start, end, q))
        at = found.end()
    return spans


def selected_quote(
    event: Event, plain_text: str, start: int, end: int | None = None
) -> Quote | None:
    """The quote the detail pane's cursor (`start`) or selection (`start` to `end`) is in, or
    None when it is in none of them (on the title, the dates, the agencies ...).

    Args:
        event: The event the pane shows.
        plain_text: The pane's text (`toPlainText()`).
        start: The cursor's position, or where the selection starts.
        end: Where the selection ends (None or `start`: no selection).
    """
    end = start if end is None else max(start, end)
    for lo, hi, quote in quote_spans(event, plain_text):
        inside = lo <= start <= hi if start == end else start < hi and end > lo
        if inside:
            return quote
    return None


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
