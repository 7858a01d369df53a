"""Help → Keyboard shortcuts: every action of the registry with its keys, built from the table."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.actions import NAVIGATION, ActionRegistry

_WHERE = {NAVIGATION: "In the event list", "window": "Anywhere"}


class ShortcutsDialog(QDialog):
    """A read-only table: action, keys, where the keys work, what it does.

    Args:
        registry: The actions to list (all of them, in definition order).
        parent: The main window.
    """

    def __init__(self, registry: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        specs = registry.specs()
        self.table = QTableWidget(len(specs), 4, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Action", "Keys", "Where", "What it does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        for row, spec in enumerate(specs):
            cells = (
                spec.plain_label,
                spec.shortcut_text() or "—",
                spec.where or _WHERE.get(spec.scope, spec.scope),
                spec.description,
            )
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        note = QLabel(
            "The timeline's zoom, fit, pan and lane keys work wherever the focus is, except "
            "while you type in a text field (the search box, the dates, a facet's filter). "
            "In the detail pane, Tab walks its links and Enter follows the focused one; "
            "a related-event link selects that event, a source link opens in your browser."
        )
        note.setObjectName("shortcutsNote")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close the keyboard shortcuts")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(860, 480)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # wrapped descriptions need their heights measured at the laid-out column width
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()
