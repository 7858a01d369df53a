"""The search box (Ctrl+F): searches as you type, a moment after the last key.

A text longer than a search may be (`explorer.domain.filters.MAX_SEARCH_CHARS`) is not
searched for: the status bar says so in one line, and the view keeps its search.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QMainWindow, QWidget

from explorer.qt.workspace import Workspace

DEBOUNCE_MS = 150
#: How long the status bar shows why a search was refused.
MESSAGE_MS = 10_000


class SearchBox(QLineEdit):
    """A line edit bound to the workspace's search text.

    Args:
        workspace: The filters whose search it shows and sets.
        parent: The Qt parent.
    """

    #: "" when the text was searched for, else the one-line reason it was not.
    refused = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setAccessibleName("Search events")
        self.setPlaceholderText("Search titles, quotes, names, items… (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self._filters = workspace
        self._message = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self.apply)
        workspace.filtersChanged.connect(self._sync)

    @property
    def message(self) -> str:
        """Why the text in the box is not searched for ("" when it is)."""
        return self._message

    def apply(self) -> None:
        """Search for the text now (or say in the status bar why it cannot be)."""
        self._timer.stop()
        self._show_message(self._filters.set_search(self.text()))

    def _show_message(self, text: str) -> None:
        before, self._message = self._message, text
        self.setToolTip(f"Not searched: {text}" if text else "")
        window = self.window()
        bar = window.statusBar() if isinstance(window, QMainWindow) else None
        if text:
            if bar is not None:
                bar.showMessage(f"Not searched: {text}", MESSAGE_MS)
        elif before and bar is not None and bar.currentMessage() == f"Not searched: {before}":
            bar.clearMessage()
        if text or before:
            self.refused.emit(text)

    def _sync(self, state: object) -> None:
        search = getattr(state, "search", "")
        if not self._timer.isActive() and " ".join(self.text().split()) != search:
            self.setText(search)
            if self._message:
                self._show_message("")  # the search was set from elsewhere (a chip, a view)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            # Down moves into the results, as in a browser's address bar.
            self.apply()
            self.focusNextChild()
            return
        super().keyPressEvent(event)
