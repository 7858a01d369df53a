"""File → Imports…: the lists imported into your store, and taking one back.

Each import is a row (file, format, when, events, entities). Remove… asks first, says what
will go (the events and entities only that import brought; what another import also lists
stays), then takes it back off the GUI thread in one transaction; the timeline, facets, search,
counts and list follow at once. The curated history is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.qt.workspace import Workspace
from explorer.storage.errors import StoreError

if TYPE_CHECKING:
    from explorer.storage.imports import ImportInfo, RemovalResult

COLUMNS = ("File", "Format", "Imported", "Events", "Entities")
ID_ROLE = Qt.ItemDataRole.UserRole
EMPTY_TEXT = "No imports yet: File → Import… adds an official list to your store."


class ImportsDialog(QDialog):
    """The imports of the user store, with Remove….

    Args:
        workspace: Lists and removes the imports; reloads the library after a removal.
        parent: The Qt parent.
        confirm: Asks whether to remove (the message box; tests answer for the user).
    """

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        confirm: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importsDialog")
        self.setWindowTitle("Imports")
        self.setAccessibleName("Imports in your store")
        self._workspace = workspace
        self._confirm = confirm or self._ask
        self._infos: dict[int, ImportInfo] = {}
        box = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("importsTable")
        self.table.setAccessibleName("Imported lists")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        box.addWidget(self.table)
        self.status = QLabel(self)
        self.status.setObjectName("importsStatus")
        self.status.setWordWrap(True)
        box.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.remove_button = QPushButton("&Remove…", self)
        self.remove_button.setObjectName("removeImport")
        self.remove_button.setAccessibleName("Remove the selected import")
        self.remove_button.setToolTip(
            "Take the selected import back: the events and entities only it brought leave your "
            "store"
        )
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        workspace.importRemoved.connect(self._on_removed)
        workspace.importFailed.connect(self._on_failed)
        workspace.libraryChanged.connect(self.refresh)
        self.resize(760, 360)
        self.refresh()

    # ----------------------------------------------------------------- the list

    def refresh(self) -> None:
        """List the imports again (after an import or a removal, here or elsewhere)."""
        try:
            infos = self._workspace.imports()
        except StoreError as exc:
            infos = []
            self.status.setText(f"Your store cannot be read: {exc}")
        self._infos = {i.id: i for i in infos}
        self.table.setRowCount(len(infos))
        for row, info in enumerate(infos):
            name = info.file.replace("\\", "/").rsplit("/", 1)[-1]
            cells = (
                name,
                info.format,
                info.imported_at.replace("T", " ").replace("+00:00", " UTC"),
                f"{info.events:,}",
                f"{info.entities:,}",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, info.id)
                if col == 0:
                    item.setToolTip(f"{info.file}\n{info.importer}\nsha256 {info.sha256}")
                if col >= 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        if not infos and not self.status.text():
            self.status.setText(EMPTY_TEXT)
        elif infos and self.status.text() == EMPTY_TEXT:
            self.status.setText("")
        self._update_buttons()

    def selected_id(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(ID_ROLE)) if items else None

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected_id() is not None)

    # ----------------------------------------------------------------- removing

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Remove import",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def remove_selected(self) -> bool:
        """Ask, then take the selected import back; returns whether it was asked for."""
        import_id = self.selected_id()
        info = self._infos.get(import_id) if import_id is not None else None
        if info is None:
            return False
        name = info.file.replace("\\", "/").rsplit("/", 1)[-1]
        text = (
            f"Remove the import of {name} ({info.imported_at[:10]})?\n\n"
            f"Its events ({info.events:,}) and entities ({info.entities:,}) leave your store, "
            "except those another import also lists. The curated history is not touched."
        )
        if not self._confirm(text):
            return False
        self.remove_button.setEnabled(False)
        self.status.setText(f"Removing the import of {name}…")
        self._workspace.remove_import(info.id)
        return True

    def _on_removed(self, result: RemovalResult) -> None:
        removed = result.removed
        name = removed.file.replace("\\", "/").rsplit("/", 1)[-1]
        self.status.setText(
            f"Removed the import of {name}: {result.events_removed:,} events and "
            f"{result.entities_removed:,} entities left your store"
            + (
                f"; {result.events_kept:,} events another import also lists stay."
                if result.events_kept
                else "."
            )
        )
        self.refresh()

    def _on_failed(self, message: str) -> None:
        self.status.setText(f"Not removed: {message}")
        self._update_buttons()
        QMessageBox.warning(self, "Remove import", message)
