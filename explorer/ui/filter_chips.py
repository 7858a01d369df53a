"""The active filters as removable chips above the timeline, with "37 of 120 events"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from explorer.qt.workspace import Workspace


class FilterChips(QWidget):
    """One chip per active filter (click to remove it), and the count always in view.

    Args:
        workspace: The filters shown as chips and removed through it.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self._filters = workspace
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 0, 4, 0)
        self._layout.setSpacing(4)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("filterCount")
        self.count_label.setAccessibleName("Events shown")
        self._chips: list[QToolButton] = []
        self._layout.addStretch(1)
        self._layout.addWidget(self.count_label)
        workspace.filtersChanged.connect(lambda _s: self._rebuild())
        workspace.countsChanged.connect(lambda _c: self._update_count())
        workspace.busyChanged.connect(lambda _b: self._update_count())
        self._rebuild()
        self._update_count()

    @property
    def chips(self) -> list[QToolButton]:
        """The chip buttons, in order."""
        return list(self._chips)

    def _rebuild(self) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for i, (facet, value, text) in enumerate(self._filters.chips()):
            chip = QToolButton(self)
            chip.setObjectName("filterChip")
            chip.setText(f"{text}  ✕")
            chip.setToolTip(f"Remove this filter ({text})")
            chip.setAccessibleName(f"Remove filter {text}")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _c=False, f=facet, v=value: self._filters.remove(f, v))
            self._layout.insertWidget(i, chip)
            self._chips.append(chip)
        self._update_count()

    def _update_count(self) -> None:
        text = self._filters.count_text()
        if self._filters.busy:
            text += " (counting…)"
        self.count_label.setText(text)
        self.count_label.setToolTip(self._filters.describe())
