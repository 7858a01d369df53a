"""File → Export…: the format, the file, and the picture's size, scale, lanes and page.

The dialog remembers the last folder and format between runs (QSettings) and proposes a file
name that follows the format, in a folder that exists: the last one used while it is there, else
the platform's documents or pictures folder, else the home folder. A file whose folder does not
exist keeps the dialog open with a line saying so. Every control has an accessible name, and
the dialog works from the keyboard alone (Tab, the underlined letters, Enter to export).

It only gathers choices: :class:`ExportRequest` is handed to
:func:`explorer.export.api.export_view`, which writes the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

#: (format, label, file suffix), in the order the dialog lists them.
FORMATS = (
    ("png", "PNG picture (slides, documents)", "png"),
    ("svg", "SVG picture (vector, searchable text)", "svg"),
    ("pdf", "PDF page (vector, fonts embedded, for print)", "pdf"),
    ("csv", "CSV table (spreadsheets)", "csv"),
    ("json", "JSON (other tools)", "json"),
    ("md", "Markdown chronology with footnotes", "md"),
)
PICTURES = ("png", "svg", "pdf")
SETTINGS_FOLDER = "export/folder"
SETTINGS_FORMAT = "export/format"


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked to export, and where."""

    fmt: str
    path: Path
    width: int = 1600
    height: int = 900
    scale: float = 1.0
    lanes: str = "country"
    page: str = "a4"
    title: str = ""


def _suffix(fmt: str) -> str:
    return next(s for f, _, s in FORMATS if f == fmt)


def default_folder() -> Path:
    """The folder an export goes to when none is remembered: the platform's documents folder,
    else its pictures folder, else the home folder: the first of them that exists (a fresh
    account may have no ~/Documents, and an export into a missing folder fails)."""
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.PicturesLocation,
    ):
        for folder in QStandardPaths.standardLocations(location):
            if folder and Path(folder).is_dir():
                return Path(folder)
    return Path.home()


def remembered_folder(settings: QSettings) -> Path:
    """The folder of the last export (QSettings `export/folder`) while it exists, else
    `default_folder()`."""
    folder = str(settings.value(SETTINGS_FOLDER, "") or "")
    if folder and Path(folder).is_dir():
        return Path(folder)
    return default_folder()


class ExportDialog(QDialog):
    """Choose what to export.

    Args:
        lane_mode: The window's lane mode, the default for pictures.
        base_name: The proposed file name without its suffix.
        parent: The Qt parent.
    """

    def __init__(
        self,
        lane_mode: str = "country",
        base_name: str = "timeline",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        settings = QSettings()
        folder = remembered_folder(settings)
        fmt = str(settings.value(SETTINGS_FORMAT, "png") or "png")
        if fmt not in {f for f, _, _ in FORMATS}:
            fmt = "png"

        self.format_box = QComboBox(self)
        self.format_box.setObjectName("exportFormat")
        self.format_box.setAccessibleName("Format")
        for key, label, _ in FORMATS:
            self.format_box.addItem(label, key)
        self.path_edit = QLineEdit(str(Path(folder) / f"{base_name}.{_suffix(fmt)}"), self)
        self.path_edit.setObjectName("exportPath")
        self.path_edit.setAccessibleName("File")
        self.path_edit.setAccessibleDescription("The file to write; its folder must exist")
        browse = QPushButton("&Browse…", self)
        browse.setObjectName("exportBrowse")
        browse.setAccessibleName("Browse for the file")
        browse.clicked.connect(self._browse)
        self.browse_button = browse
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("exportTitle")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("Default: the subject and the dates shown")
        self.width_box = self._spin(200, 10000, 1600, " px")
        self.height_box = self._spin(150, 10000, 900, " px")
        self.width_box.setObjectName("exportWidth")
        self.height_box.setObjectName("exportHeight")
        self.width_box.setAccessibleName("Width")
        self.height_box.setAccessibleName("Height")
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(self.height_box)
        self.scale_box = QComboBox(self)
        self.scale_box.setObjectName("exportScale")
        self.scale_box.setAccessibleName("Scale")
        self.scale_box.addItem("1× (screen)", 1.0)
        self.scale_box.addItem("2× (slides, high-density screens)", 2.0)
        self.lanes_box = QComboBox(self)
        self.lanes_box.setObjectName("exportLanes")
        self.lanes_box.setAccessibleName("Lanes")
        self.lanes_box.addItem("By country", "country")
        self.lanes_box.addItem("By agency", "agency")
        self.lanes_box.setCurrentIndex(max(0, self.lanes_box.findData(lane_mode)))
        self.page_box = QComboBox(self)
        self.page_box.setObjectName("exportPage")
        self.page_box.setAccessibleName("Page")
        self.page_box.addItem("A4, landscape", "a4")
        self.page_box.addItem("US Letter, landscape", "letter")

        form = QFormLayout()
        # Each label is the buddy of its field, so its mnemonic renders underlined and moves
        # the focus there. (QFormLayout only does that itself for a widget, not for the
        # layouts of the file and size rows, where "&File:" showed literally.)
        for text, field, buddy in (
            ("&Format:", self.format_box, self.format_box),
            ("F&ile:", path_row, self.path_edit),
            ("&Title:", self.title_edit, self.title_edit),
            ("&Size:", size_row, self.width_box),
            ("S&cale:", self.scale_box, self.scale_box),
            ("&Lanes:", self.lanes_box, self.lanes_box),
            ("&Page:", self.page_box, self.page_box),
        ):
            caption = QLabel(text, self)
            caption.setBuddy(buddy)
            form.addRow(caption, field)
        self._form = form
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.export_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("Export")
        self.export_button.setObjectName("exportStart")
        self.export_button.setAccessibleName("Export")
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Says why the dialog stays open (a folder that does not exist), in words a screen
        # reader reads out.
        self.error_label = QLabel(self)
        self.error_label.setObjectName("exportError")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.path_edit.textChanged.connect(lambda _text: self.error_label.setVisible(False))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.format_box.setCurrentIndex(max(0, self.format_box.findData(fmt)))
        self._format_changed()

    def _spin(self, lo: int, hi: int, value: int, suffix: str) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(lo, hi)
        box.setValue(value)
        box.setSuffix(suffix)
        return box

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def _format_changed(self) -> None:
        fmt = self.fmt
        picture = fmt in PICTURES
        for widget, shown in (
            (self.title_edit, picture or fmt == "md"),
            (self.width_box, fmt in ("png", "svg")),
            (self.height_box, fmt in ("png", "svg")),
            (self.scale_box, fmt == "png"),
            (self.lanes_box, picture),
            (self.page_box, fmt == "pdf"),
        ):
            widget.setEnabled(shown)
        # The file name follows the format.
        path = Path(self.path_edit.text().strip() or f"timeline.{_suffix(fmt)}")
        self.path_edit.setText(str(path.with_suffix(f".{_suffix(fmt)}")))

    def _browse(self) -> None:
        fmt = self.fmt
        label = next(lab for f, lab, _ in FORMATS if f == fmt)
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), f"{label} (*.{_suffix(fmt)})"
        )
        if name:
            self.path_edit.setText(name)

    def problem(self) -> str:
        """Why the chosen file cannot be written ("" when it can be tried)."""
        text = self.path_edit.text().strip()
        if not text:
            return "Give the file to export to."
        folder = Path(text).expanduser().parent
        if not folder.is_dir():
            return f"The folder {folder} does not exist: choose another with Browse…"
        return ""

    def accept(self) -> None:
        """Close with Export, unless the file's folder does not exist: then say so and stay."""
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            self.error_label.setVisible(True)
            self.path_edit.setFocus()
            return
        super().accept()

    def request(self) -> ExportRequest:
        """The choices as a request (call after the dialog is accepted)."""
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.suffix:
            path = path.with_suffix(f".{_suffix(self.fmt)}")
        return ExportRequest(
            fmt=self.fmt,
            path=path,
            width=self.width_box.value(),
            height=self.height_box.value(),
            scale=float(self.scale_box.currentData()),
            lanes=str(self.lanes_box.currentData()),
            page=str(self.page_box.currentData()),
            title=self.title_edit.text().strip(),
        )

    def remember(self) -> None:
        """Keep the folder and format for the next export."""
        req = self.request()
        settings = QSettings()
        settings.setValue(SETTINGS_FOLDER, str(req.path.parent))
        settings.setValue(SETTINGS_FORMAT, req.fmt)
