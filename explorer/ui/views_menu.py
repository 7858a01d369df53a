"""The Views menu: save the current view by name, reopen or delete one, copy or paste a token.

A view is the filters, the visible window, the lane mode and the selected event; it is kept in
the user store (never the bundled one) and its token is short text a student can send to a
classmate.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from explorer.domain.view_token import ViewTokenError, decode, encode
from explorer.qt.workspace import Workspace
from explorer.storage.errors import StoreError
from explorer.storage.views import ViewStore


class ViewsMenu(QMenu):
    """Save / Open / Delete / Copy token / Paste token.

    Args:
        workspace: Whose view is saved and shown.
        store: Where views are saved (None: the user store, opened on first use).
        parent: The Qt parent.
    """

    def __init__(
        self,
        workspace: Workspace,
        store: Callable[[], ViewStore] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("&Views", parent)
        self.setObjectName("menuViews")
        self._workspace = workspace
        self._store_factory = store or ViewStore
        self._store: ViewStore | None = None
        self.save_action = self._add("Save view…", self.save_dialog, "viewSave")
        self.open_menu = self.addMenu("Open view")
        self.delete_menu = self.addMenu("Delete view")
        self.addSeparator()
        self.copy_action = self._add("Copy view token", self.copy_token, "viewCopyToken")
        self.paste_action = self._add("Paste view token…", self.paste_dialog, "viewPasteToken")
        self.aboutToShow.connect(self.refresh)

    def _add(self, text: str, slot: Callable[[], object], name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.triggered.connect(lambda _c=False: slot())
        self.addAction(action)
        return action

    def store(self) -> ViewStore:
        if self._store is None:
            self._store = self._store_factory()
        return self._store

    def refresh(self) -> None:
        """List the saved views in the Open and Delete submenus."""
        self.open_menu.clear()
        self.delete_menu.clear()
        try:
            names = self.store().names()
        except StoreError as exc:
            names = []
            self.open_menu.addAction(f"(cannot read views: {exc})").setEnabled(False)
        for name in names:
            self.open_menu.addAction(name).triggered.connect(
                lambda _c=False, n=name: self.open_view(n)
            )
            self.delete_menu.addAction(name).triggered.connect(
                lambda _c=False, n=name: self.delete_view(n)
            )
        if not names:
            self.open_menu.addAction("(no saved views)").setEnabled(False)
            self.delete_menu.addAction("(no saved views)").setEnabled(False)

    # ----------------------------------------------------------------- actions

    def save_view(self, name: str) -> str:
        """Save the current view under a name (replacing one of that name)."""
        return self.store().save(name, self._workspace.view)

    def open_view(self, name: str) -> None:
        """Show a saved view; a damaged or missing one is said in a message."""
        try:
            view = self.store().load(name)
        except StoreError as exc:
            QMessageBox.warning(self.parentWidget(), "Open view", str(exc))
            return
        self._workspace.set_view(view)

    def delete_view(self, name: str) -> None:
        self.store().delete(name)

    def token(self) -> str:
        return encode(self._workspace.view)

    def copy_token(self) -> str:
        """Put the current view's token on the clipboard; returns it."""
        token = self.token()
        QGuiApplication.clipboard().setText(token)
        return token

    def apply_token(self, text: str) -> None:
        """Show the view a token holds.

        Raises:
            ViewTokenError: the text is not a usable token.
        """
        self._workspace.set_view(decode(text))

    def save_dialog(self) -> None:
        name, ok = QInputDialog.getText(self.parentWidget(), "Save view", "Name of this view:")
        if ok and name.strip():
            try:
                self.save_view(name)
            except StoreError as exc:
                QMessageBox.warning(self.parentWidget(), "Save view", str(exc))

    def paste_dialog(self) -> None:
        text, ok = QInputDialog.getText(
            self.parentWidget(),
            "Paste view token",
            "Token (PTV1.…):",
            text=QGuiApplication.clipboard().text().strip()[:2000],
        )
        if ok and text.strip():
            try:
                self.apply_token(text)
            except ViewTokenError as exc:
                QMessageBox.warning(self.parentWidget(), "Paste view token", str(exc))
