"""File → Import…: pick a list file, see its format (or map its columns), import it.

The dialog shows the detected format, the first rows of the file and how the listing date of
each would be read (Enter in the path shows them; only the Import button imports); for a file
of no known layout, a combo box per field says which column holds it, and the preview follows.
The import runs in the ImportController's worker thread with a progress bar; Cancel rolls it
back. The summary says how many rows were imported and skipped, and why.

Every control has an accessible name, and the dialog works from the keyboard alone: Alt+F the
path, Alt+B Browse…, Tab through the mapping and the preview, Alt+I (or Tab and Enter) imports.

`explorer.ui.import_action.install_import_action(window)` adds the action (Ctrl+I) to the
window's action registry; this module is imported when the dialog first opens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.domain.date_parse import DateOrder
from explorer.qt.import_controller import ImportController
from explorer.storage.importers import ImportOptions, ImportResult
from explorer.storage.importers.common import FIELDS
from explorer.storage.importers.preview import Preview, date_readings, preview

# The fields offered in the mapping form, in this order.
MAPPED_FIELDS = (
    "start",
    "name",
    "title",
    "aliases",
    "target",
    "agency",
    "issuer",
    "list",
    "program",
    "url",
    "citation",
    "end",
)
NONE = "—"
DATE_COLUMN = "Listing date read as"
ENCODINGS = ("", "utf-8", "gbk", "gb18030", "big5", "cp1252", "latin-1", "utf-16")
FILE_FILTER = "Lists (*.csv *.json *.jsonl *.txt);;All files (*)"
EMPTY_HINT = (
    "Choose a list file with Browse… or type its path above.\n\n"
    "Its first rows will show here, with the listing date each row is read as, before "
    "anything is imported. OFAC SDN, the Consolidated Screening List and OpenSanctions files "
    "are recognised; for any other CSV or JSON you say which column holds what.\n\n"
    "Imports go into your own store, never the bundled history."
)


class ImportDialog(QDialog):
    """The import dialog.

    Args:
        importer: Runs the import in a worker thread.
        parent: The Qt parent (the main window).
    """

    def __init__(self, importer: ImportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import a list")
        self.importer = importer
        self.current: Preview | None = None
        self.last_result: ImportResult | None = None

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setAccessibleName("List file")
        self.path_edit.setAccessibleDescription(
            "Type the file's path and press Enter to see its first rows; Import imports it"
        )
        self.path_edit.setPlaceholderText("A list file: OFAC SDN, CSL, OpenSanctions, CSV, JSON")
        self.path_edit.editingFinished.connect(self._path_edited)
        self.path_label = QLabel("&File:", self)
        self.path_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setObjectName("importBrowse")
        self.browse_button.setAccessibleName("Browse for a list file")
        self.browse_button.clicked.connect(self.browse)
        self.encoding_combo = QComboBox(self)
        self.encoding_combo.setObjectName("importEncoding")
        self.encoding_combo.setAccessibleName("Encoding")
        self.encoding_label = QLabel("E&ncoding:", self)
        self.encoding_label.setBuddy(self.encoding_combo)
        for enc in ENCODINGS:
            self.encoding_combo.addItem(enc or "UTF-8 (detect)", enc)
        self.encoding_combo.currentIndexChanged.connect(self._reload_preview)
        self.format_label = QLabel(self)
        self.format_label.setObjectName("importFormat")
        self.format_label.setAccessibleName("Detected format")
        self.format_label.setWordWrap(True)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("importMessage")
        self.message_label.setAccessibleName("Problem with the file")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mapping_box = QGroupBox("Which column holds what", self)
        self.mapping_box.setObjectName("importMapping")
        self.mapping_box.setAccessibleName("Which column holds what")
        form = QGridLayout(self.mapping_box)
        self.field_combos: dict[str, QComboBox] = {}
        per_row = 3
        for n, name in enumerate(MAPPED_FIELDS):
            combo = QComboBox(self.mapping_box)
            combo.setObjectName(f"map_{name}")
            combo.setAccessibleName(f"Column holding the {name}")
            combo.setAccessibleDescription(FIELDS[name])
            combo.setToolTip(FIELDS[name])
            combo.currentIndexChanged.connect(self._update_dates)
            self.field_combos[name] = combo
            label = QLabel(f"{name}:", self.mapping_box)
            label.setToolTip(FIELDS[name])
            label.setBuddy(combo)
            row, col = divmod(n, per_row)
            form.addWidget(label, row, 2 * col)
            form.addWidget(combo, row, 2 * col + 1)
            form.setColumnStretch(2 * col + 1, 1)
        self.order_combo = QComboBox(self.mapping_box)
        self.order_combo.setObjectName("importDateOrder")
        self.order_combo.setAccessibleName("Slash dates")
        self.order_combo.addItem("refuse 6/7/2021-style dates", DateOrder.UNDECLARED.value)
        self.order_combo.addItem("US: month/day/year", DateOrder.US.value)
        self.order_combo.addItem("day/month/year", DateOrder.DAY_FIRST.value)
        self.order_combo.currentIndexChanged.connect(self._update_dates)
        order_row = (len(MAPPED_FIELDS) + per_row - 1) // per_row
        order_label = QLabel("slash &dates:", self.mapping_box)
        order_label.setBuddy(self.order_combo)
        form.addWidget(order_label, order_row, 0)
        form.addWidget(self.order_combo, order_row, 1, 1, 2 * per_row - 1)

        self.as_of_edit = QLineEdit(self)
        self.as_of_edit.setObjectName("importAsOf")
        self.as_of_edit.setAccessibleName("Day of this copy of the SDN list")
        self.as_of_edit.setPlaceholderText("YYYY-MM-DD: the day of this copy of the SDN list")
        self.as_of_edit.textEdited.connect(self._update_dates)  # the dates follow the day typed
        self.as_of_label = QLabel("SDN copy &of:", self)
        self.as_of_label.setBuddy(self.as_of_edit)

        self.table = QTableWidget(self)
        self.table.setObjectName("importPreview")
        self.table.setAccessibleName("Preview: the first rows and the listing date each is read as")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table: the keyboard reaches Import
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(160)
        # Before a file is chosen the preview's place says what will appear there.
        self.empty_hint = QLabel(EMPTY_HINT, self)
        self.empty_hint.setObjectName("importEmptyHint")
        self.empty_hint.setAccessibleName("No file chosen")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setMinimumHeight(160)
        self.empty_hint.setMargin(24)
        muted = self.empty_hint.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self.empty_hint.setPalette(muted)
        self.preview_stack = QStackedWidget(self)
        self.preview_stack.addWidget(self.empty_hint)
        self.preview_stack.addWidget(self.table)

        self.skip_bad = QCheckBox("Import the &good rows if some are bad (list the bad)", self)
        self.skip_bad.setObjectName("importSkipBad")
        self.skip_bad.setAccessibleName("Import the good rows if some are bad")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName("Import progress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self.progress.setVisible(False)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setAccessibleName("Import result")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importStart")
        self.import_button.setAccessibleName("Import")
        self.cancel_button = self.buttons.addButton(
            "Cancel import", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("importCancel")
        self.cancel_button.setAccessibleName("Cancel import")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("importClose")
        self.close_button.setAccessibleName("Close")
        # No button is the dialog's default (see keyPressEvent): Enter in the path shows the
        # preview, and only the Import button (clicked, Alt+I, Enter or Space on it) imports.
        self._buttons = (
            self.browse_button,
            self.import_button,
            self.cancel_button,
            self.close_button,
        )
        for button in self._buttons:
            button.setAutoDefault(False)
            button.setDefault(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.setEnabled(False)
        self.import_button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(self.path_label)
        top.addWidget(self.path_edit, 1)
        top.addWidget(self.browse_button)
        top.addWidget(self.encoding_label)
        top.addWidget(self.encoding_combo)
        as_of = QHBoxLayout()
        as_of.addWidget(self.as_of_label)
        as_of.addWidget(self.as_of_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.format_label)
        layout.addWidget(self.message_label)
        layout.addLayout(as_of)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.preview_stack, 1)
        layout.addWidget(self.skip_bad)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.buttons)
        self._show_as_of(False)
        self.mapping_box.setVisible(False)
        self.resize(820, 640)

        importer.progress.connect(self._on_progress)
        importer.finished.connect(self._on_finished)
        importer.failed.connect(self._on_failed)
        importer.cancelled.connect(self._on_cancelled)

    # ----------------------------------------------------------------- keys

    def showEvent(self, event: QShowEvent) -> None:
        """Shown with no default button: QDialogButtonBox makes its first accept button
        (Import) the default as it is shown, and QDialog presses the default on Enter wherever
        the focus is."""
        super().showEvent(event)
        for button in self._buttons:
            button.setDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the focused button; in the path it shows the preview (the line edit's
        editingFinished did that); anywhere else it does nothing. It never imports unless the
        Import button has the focus."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton) and focus.isEnabled():
                focus.click()
            elif focus is self.path_edit:
                self._path_edited()
            event.accept()
            return
        super().keyPressEvent(event)

    # ----------------------------------------------------------------- choosing a file

    def browse(self) -> None:
        settings = QSettings()
        folder = str(settings.value("import/folder", "") or "")
        name, _ = QFileDialog.getOpenFileName(self, "Import a list", folder, FILE_FILTER)
        if name:
            settings.setValue("import/folder", str(Path(name).parent))
            self.set_path(Path(name))

    def set_path(self, path: Path) -> None:
        """Show a file: its format, its first rows, and a mapping form when it needs one."""
        self.path_edit.setText(str(path))
        self._reload_preview()

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self._show_empty()
        elif self.current is None or str(self.current.path) != text:
            self._reload_preview()

    def encoding(self) -> str | None:
        value = self.encoding_combo.currentData()
        return str(value) if value else None

    def _reload_preview(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self._show_empty()
            return
        p = preview(Path(text), self.encoding())
        self.current = p
        self.preview_stack.setCurrentWidget(self.table)
        self.summary_label.clear()
        self.progress.setVisible(False)
        if p.error:
            self.format_label.setText("Format: —")
            hint = " (choose it in the encoding box above)" if "--encoding" in p.error else ""
            self.message_label.setText(p.error + hint)
        elif p.needs_mapping:
            self.format_label.setText(
                f"Format: {p.format.upper()} of no known layout — say which column holds what"
            )
            self.message_label.clear()
        else:
            self.format_label.setText(f"Format: {p.format} — {p.layout}")
            self.message_label.clear()
        self.mapping_box.setVisible(p.needs_mapping and not p.error)
        self._show_as_of(p.format == "ofac-sdn")
        self.as_of_edit.setText(p.as_of)
        if p.needs_mapping:
            self._fill_mapping(p)
        self._fill_table(p)
        self.import_button.setEnabled(not p.error)

    def _show_empty(self) -> None:
        """No file: the hint in the preview's place, nothing to import."""
        self.current = None
        self.format_label.clear()
        self.message_label.clear()
        self.mapping_box.setVisible(False)
        self._show_as_of(False)
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.preview_stack.setCurrentWidget(self.empty_hint)
        self.import_button.setEnabled(False)

    def _show_as_of(self, on: bool) -> None:
        self.as_of_label.setVisible(on)
        self.as_of_edit.setVisible(on)

    def _fill_mapping(self, p: Preview) -> None:
        suggested = p.suggested_mapping()
        for name, combo in self.field_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NONE, "")
            for column in p.header:
                combo.addItem(column, column)
            wanted = suggested.get(name, "")
            combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
            combo.blockSignals(False)

    def mapping(self) -> dict[str, str]:
        """Field -> column, as the form says."""
        out = {}
        for name, combo in self.field_combos.items():
            column = combo.currentData()
            if column:
                out[name] = str(column)
        return out

    def date_order(self) -> DateOrder:
        return DateOrder(self.order_combo.currentData())

    def _date_column(self) -> tuple[str, DateOrder]:
        p = self.current
        if p is None:
            return "", DateOrder.UNDECLARED
        if p.needs_mapping:
            return self.mapping().get("start", ""), self.date_order()
        return p.date_column, p.date_order

    def _fill_table(self, p: Preview) -> None:
        self.table.clear()
        # the listing date as it will be read comes first, so it is seen without scrolling
        header = [DATE_COLUMN, *p.header]
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels(header)
        self.table.setRowCount(len(p.rows))
        self.table.setVerticalHeaderLabels([str(n) for n in p.lines])
        for r, row in enumerate(p.rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c + 1, QTableWidgetItem(value))
        self._update_dates()
        self.table.resizeColumnsToContents()

    def _update_dates(self) -> None:
        p = self.current
        if p is None or not p.rows:
            return
        col = 0
        column, order = self._date_column()
        if p.format == "ofac-sdn":
            as_of = self.as_of_edit.text().strip() or "no date: give the day of this copy"
            readings = [f"{as_of} (snapshot)"] * len(p.rows)
        elif column and column in p.header:
            i = p.header.index(column)
            readings = date_readings([row[i] if i < len(row) else "" for row in p.rows], order)
        else:
            readings = ["(no date column chosen)"] * len(p.rows)
        for r, text in enumerate(readings):
            shown = text
            if text.startswith("✗") and "ambiguous" in text:
                shown = "✗ ambiguous: day/month or month/day? Choose under “slash dates”"
            item = QTableWidgetItem(shown)
            item.setToolTip(text)
            if text.startswith("✗"):
                item.setForeground(Qt.GlobalColor.darkRed)
            self.table.setItem(r, col, item)
        self.table.resizeColumnToContents(col)
        self.table.setColumnWidth(col, min(self.table.columnWidth(col), 360))

    # ----------------------------------------------------------------- importing

    def options(self) -> ImportOptions:
        """What to import, as the dialog says."""
        p = self.current
        mapping = self.mapping() if p is not None and p.needs_mapping else {}
        fmt = p.format if p is not None and p.needs_mapping else None
        return ImportOptions(
            format=fmt,
            mapping=mapping,
            date_order=self.date_order() if mapping else DateOrder.UNDECLARED,
            as_of=self.as_of_edit.text().strip() or None,
            skip_bad=self.skip_bad.isChecked(),
            encoding=self.encoding(),
        )

    def start_import(self) -> None:
        p = self.current
        if p is None or p.error or self.importer.is_running():
            return
        self.last_result = None
        self.summary_label.setText("Importing…")
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.progress.setFormat("starting")
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.close_button.setEnabled(False)
        self.importer.start(p.path, self.options())

    def cancel_import(self) -> None:
        if self.importer.is_running():
            self.summary_label.setText("Cancelling…")
            self.importer.cancel()

    def _idle(self) -> None:
        self.import_button.setEnabled(self.current is not None and not self.current.error)
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)

    def _on_progress(self, rows: int, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress.setFormat(f"{rows:,} rows")

    def _on_finished(self, result: ImportResult) -> None:
        self.last_result = result
        self._idle()
        self.progress.setValue(1000)
        self.summary_label.setText(summary_text(result))

    def _on_failed(self, message: str) -> None:
        self._idle()
        self.progress.setVisible(False)
        self.summary_label.setText(f"Not imported: {message}")

    def _on_cancelled(self) -> None:
        self._idle()
        self.progress.setVisible(False)
        self.summary_label.setText("Cancelled: nothing was imported.")

    def reject(self) -> None:
        if self.importer.is_running():
            self.cancel_import()
            return
        super().reject()


def summary_text(r: ImportResult) -> str:
    """The result in a few lines: rows parsed, imported, skipped and why."""
    if r.already_imported:
        return f"Already imported on {r.already_imported}: nothing added."
    if r.errors and not r.committed:
        shown = "\n".join(f"line {e.line}: {e.reason}" for e in r.errors[:8])
        more = f"\n… and {len(r.errors) - 8} more" if len(r.errors) > 8 else ""
        return (
            f"Nothing imported: {len(r.errors):,} of {r.rows:,} rows have errors "
            f"(tick “Import the good rows” to import the others).\n{shown}{more}"
        )
    undated = sum(1 for s in r.skipped if s.reason.startswith("no date"))
    bad = [s for s in r.skipped if not s.reason.startswith("no date")]
    lines = [
        f"{r.rows:,} rows parsed, {r.imported:,} imported, {len(r.skipped):,} skipped; "
        f"{r.events_added:,} events added"
        + (f", {r.events_updated:,} updated" if r.events_updated else "")
        + "."
    ]
    if undated == 1:
        lines.append("1 row has no date and was left out (not an error: nothing to place it on).")
    elif undated:
        lines.append(
            f"{undated:,} rows have no date and were left out "
            "(not errors: nothing to place them on)."
        )
    lines.extend(f"Skipped line {s.line}: {s.reason}" for s in bad[:8])
    if len(bad) > 8:
        lines.append(f"… and {len(bad) - 8} more skipped lines.")
    return "\n".join(lines)
