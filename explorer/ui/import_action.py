"""File → Import… (Ctrl+I) and File → Imports… (Ctrl+Shift+I) on the main window, loading the
import machinery only when used.

The action is defined at start-up (menus and Help → Keyboard shortcuts list it), but the
dialog, the importers and their worker are imported and built the first time the user opens
it: they are a tenth of a second of start-up that the first frame should not wait for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from explorer.ui.actions import ActionSpec

if TYPE_CHECKING:
    from explorer.qt.import_controller import ImportController
    from explorer.ui.import_dialog import ImportDialog
    from explorer.ui.imports_dialog import ImportsDialog


class ImportActions:
    """File → Import… (Ctrl+I) for a main window.

    Args:
        window: The main window (its workspace and action registry).
    """

    def __init__(self, window: Any) -> None:
        self.window = window
        self._importer: ImportController | None = None
        self.dialog: ImportDialog | None = None
        self.action = window.action_registry.define(
            ActionSpec(
                "file.import",
                "&Import…",
                ("Ctrl+I",),
                "File",
                description="Import an official list (OFAC SDN, the Consolidated Screening "
                "List, OpenSanctions, any CSV or JSON) into your own store.",
            ),
            self.open,
        )
        self.imports_dialog: ImportsDialog | None = None
        self.imports_action = window.action_registry.define(
            ActionSpec(
                "file.imports",
                "Imp&orts…",
                ("Ctrl+Shift+I",),
                "File",
                description="List the lists imported into your store, and take one back "
                "(its events and entities leave; the curated history is not touched).",
            ),
            self.open_imports,
        )

    @property
    def importer(self) -> ImportController:
        """The worker that runs imports (made on first use)."""
        if self._importer is None:
            from explorer.qt.import_controller import ImportController

            self._importer = ImportController(self.window.workspace, parent=self.window)
        return self._importer

    def open(self) -> ImportDialog:
        """Show the import dialog (one per window)."""
        if self.dialog is None:
            from explorer.ui.import_dialog import ImportDialog

            self.dialog = ImportDialog(self.importer, self.window)
        if self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            self.dialog.show()
        return self.dialog

    def open_imports(self) -> ImportsDialog:
        """Show File → Imports… (one per window)."""
        if self.imports_dialog is None:
            from explorer.ui.imports_dialog import ImportsDialog

            self.imports_dialog = ImportsDialog(self.window.workspace, self.window)
        else:
            self.imports_dialog.refresh()
        if self.imports_dialog.isVisible():
            self.imports_dialog.raise_()
            self.imports_dialog.activateWindow()
        else:
            self.imports_dialog.show()
        return self.imports_dialog

    def shutdown(self) -> None:
        """Cancel a running import and wait for its thread (before the window closes)."""
        if self._importer is not None:
            self._importer.shutdown()


def install_import_action(window: Any) -> ImportActions:
    """Define File → Import… on a main window (before its menus are built)."""
    return ImportActions(window)
