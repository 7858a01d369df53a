"""The search box (Ctrl+F): searches as you type, a moment after the last key."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from explorer.qt.workspace import Workspace

DEBOUNCE_MS = 150


class SearchBox(QLineEdit):
    """A line edit bound to the workspace's search text.

    Args:
        workspace: The filters whose search it shows and sets.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setAccessibleName("Search events")
        self.setPlaceholderText("Search titles, quotes, names, items… (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self._filters = workspace
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self.apply)
        workspace.filtersChanged.connect(self._sync)

    def apply(self) -> None:
        """Search for the text now."""
        self._timer.stop()
        self._filters.set_search(self.text())

    def _sync(self, state: object) -> None:
        search = getattr(state, "search", "")
        if not self._timer.isActive() and " ".join(self.text().split()) != search:
            self.setText(search)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            # Down moves into the results, as in a browser's address bar.
            self.apply()
            self.focusNextChild()
            return
        super().keyPressEvent(event)
