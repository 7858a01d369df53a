"""The Views menu: save the current view by name, reopen or delete one, copy or paste a token.

A view is the filters, the visible window, the lane mode and the selected event; it is kept in
the user store (never the bundled one) and its token is short text a student can send to a
classmate.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from explorer.domain.view_token import MAX_TOKEN_CHARS, ViewTokenError, decode, encode
from explorer.qt.workspace import Workspace
from explorer.storage.errors import StoreError
from explorer.storage.views import MAX_NAME_CHARS, ViewStore

#: The most saved views the Open and Delete submenus list (a menu of thousands is no menu).
MAX_LISTED = 200
#: Names longer than any the store saves (a damaged store's) are cut in the menus; the item's
#: tooltip holds more of them.
MAX_NAME_SHOWN = MAX_NAME_CHARS


def menu_text(name: str) -> str:
    """A saved view's name as a menu item shows it: on one line, cut to MAX_NAME_SHOWN, and
    with `&` kept as text (not a mnemonic)."""
    text = " ".join(name[: MAX_NAME_SHOWN + 1].split())
    if len(text) > MAX_NAME_SHOWN or len(name) > MAX_NAME_SHOWN + 1:
        text = text[:MAX_NAME_SHOWN].rstrip() + "…"
    return text.replace("&", "&&")


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
        more = 0
        try:
            names = self.store().names(MAX_LISTED + 1)
            if len(names) > MAX_LISTED:
                more = self.store().count() - MAX_LISTED
                names = names[:MAX_LISTED]
        except StoreError as exc:
            names = []
            self.open_menu.addAction(f"(cannot read views: {exc})").setEnabled(False)
        for name in names:
            for menu, slot in (
                (self.open_menu, self.open_view),
                (self.delete_menu, self.delete_view),
            ):
                action = menu.addAction(menu_text(name))
                if len(name) > MAX_NAME_SHOWN:
                    action.setToolTip(name[:2000])
                action.triggered.connect(lambda _c=False, n=name, f=slot: f(n))
        if more > 0:
            for menu in (self.open_menu, self.delete_menu):
                menu.addAction(f"({more:,} more saved views not listed)").setEnabled(False)
        if not names:
            self.open_menu.addAction("(no saved views)").setEnabled(False)
            self.delete_menu.addAction("(no saved views)").setEnabled(False)

    # ----------------------------------------------------------------- actions

    def save_view(self, name: str) -> str:
        """Save the current view under a name (replacing one of that name)."""
        return self.store().save(name, self._workspace.view)

    def open_view(self, name: str) -> bool:
        """Show a saved view; a damaged, hostile or missing one is said in a message and the
        view stays as it was. Returns whether the view was shown."""
        try:
            view = self.store().load(name)
        except StoreError as exc:
            QMessageBox.warning(self.parentWidget(), "Open view", str(exc))
            return False
        self._workspace.set_view(view)
        return True

    def delete_view(self, name: str) -> None:
        """Forget a saved view; a store that cannot be changed is said in a message."""
        try:
            self.store().delete(name)
        except StoreError as exc:
            QMessageBox.warning(self.parentWidget(), "Delete view", str(exc))

    def token(self) -> str:
        """The current view's token.

        Raises:
            ViewTokenError: the view is too large for a token.
        """
        return encode(self._workspace.view)

    def copy_token(self) -> str:
        """Put the current view's token on the clipboard; returns it ("" when the view is too
        large for a token, which a message says)."""
        try:
            token = self.token()
        except ViewTokenError as exc:
            QMessageBox.warning(self.parentWidget(), "Copy view token", str(exc))
            return ""
        QGuiApplication.clipboard().setText(token)
        return token

    def apply_token(self, text: str) -> None:
        """Show the view a token holds (nothing changes when it is refused).

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
            # a text far longer than any token is cut here; decoding then says it is too long
            text=QGuiApplication.clipboard().text()[: 2 * MAX_TOKEN_CHARS].strip(),
        )
        if ok and text.strip():
            try:
                self.apply_token(text)
            except ViewTokenError as exc:
                QMessageBox.warning(self.parentWidget(), "Paste view token", str(exc))
