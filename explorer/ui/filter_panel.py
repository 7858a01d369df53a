"""The filter dock: a checkable list per facet with live counts, and the date range fields.

Each value shows how many events it would give under the other active filters ("China (37)");
values that would give none are greyed but stay, so a student sees what exists. The range is
typed as partial dates ("2023", "2023-07") or taken from the visible window; Shift+drag on the
overview strip sets it too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from explorer.domain.filters import (
    FACET_LABELS,
    FACETS,
    FilterError,
    FilterState,
    bound_of_day,
    parse_bound,
)
from explorer.qt.workspace import Workspace
from explorer.render import palette
from explorer.storage.facets import FacetCounts

VALUE_ROLE = Qt.ItemDataRole.UserRole
_PLURAL = {
    "countries": "Countries",
    "agencies": "Agencies",
    "kinds": "Kinds",
    "statuses": "Statuses",
    "topics": "Topics",
    "items": "Items",
}


class FacetList(QListWidget):
    """The values of one facet as checkable rows with counts."""

    def __init__(self, facet: str, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.facet = facet
        self.setObjectName(f"facet_{facet}")
        self.setAccessibleName(f"Filter by {FACET_LABELS[facet].lower()}")
        self._workspace = workspace
        self._values: list[str] = []
        self.itemChanged.connect(self._on_item_changed)

    def item_for(self, value: str) -> QListWidgetItem | None:
        for i in range(self.count()):
            item = self.item(i)
            if item.data(VALUE_ROLE) == value:
                return item
        return None

    def update_counts(self, counts: dict[str, int], selected: tuple[str, ...]) -> None:
        labels = self._workspace.labels.get(self.facet, {})
        values = set(counts) | set(selected)
        self.blockSignals(True)
        if set(self._values) != values:
            # New values (first count, or after an import): order by how many events each has.
            self.clear()
            self._values = sorted(values, key=lambda v: (-counts.get(v, 0), labels.get(v, v)))
            for v in self._values:
                item = QListWidgetItem()
                item.setData(VALUE_ROLE, v)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.addItem(item)
        grey = QBrush(QColor(palette.EMPTY))
        normal = QBrush(self.palette().text().color())
        for i in range(self.count()):
            item = self.item(i)
            v = str(item.data(VALUE_ROLE))
            n = counts.get(v, 0)
            label = labels.get(
                v, v.replace("_", " ").capitalize() if self.facet in ("kinds", "statuses") else v
            )
            item.setText(f"{label}  ({n:,})")
            item.setCheckState(Qt.CheckState.Checked if v in selected else Qt.CheckState.Unchecked)
            item.setForeground(normal if n or v in selected else grey)
            item.setToolTip(f"{label}: {n:,} event{'' if n == 1 else 's'} with the other filters")
        self.setFixedHeight(min(8, max(1, self.count())) * (self.sizeHintForRow(0) or 18) + 6)
        self.blockSignals(False)

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        chosen = [
            str(self.item(i).data(VALUE_ROLE))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]
        self._workspace.set_values(self.facet, chosen)


class FilterPanel(QDockWidget):
    """The dock with every facet, the date range and the counts.

    Args:
        workspace: The filters shown and changed, and the visible window ("Visible window").
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__("Filters", parent)
        self.setObjectName("filterPanel")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self._workspace = workspace
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        form = QFormLayout()
        self.from_edit = QLineEdit(body)
        self.from_edit.setObjectName("dateFrom")
        self.from_edit.setPlaceholderText("2023, 2023-07, 2023-07-31")
        self.from_edit.setAccessibleName("From date")
        self.to_edit = QLineEdit(body)
        self.to_edit.setObjectName("dateTo")
        self.to_edit.setPlaceholderText("2024, 2024-Q2 …")
        self.to_edit.setAccessibleName("To date")
        form.addRow("From", self.from_edit)
        form.addRow("To", self.to_edit)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.window_button = QPushButton("Visible window", body)
        self.window_button.setToolTip(
            "Use the timeline's visible window as the range (or Shift+drag on the overview strip)"
        )
        self.window_button.setObjectName("useWindow")
        self.window_button.clicked.connect(self.use_window)
        clear = QPushButton("Clear all", body)
        clear.setObjectName("clearFilters")
        clear.setToolTip("Remove every filter (Esc)")
        clear.clicked.connect(workspace.clear)
        row.addWidget(self.window_button)
        row.addWidget(clear)
        layout.addLayout(row)
        self.error_label = QLabel(body)
        self.error_label.setObjectName("filterError")
        self.error_label.setStyleSheet(f"color: {palette.ERROR}")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.from_edit.editingFinished.connect(self._apply_range)
        self.to_edit.editingFinished.connect(self._apply_range)

        self.facets: dict[str, FacetList] = {}
        for facet in FACETS:
            title = QLabel(f"<b>{_PLURAL[facet]}</b>", body)
            layout.addWidget(title)
            lst = FacetList(facet, workspace, body)
            self.facets[facet] = lst
            layout.addWidget(lst)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)
        workspace.countsChanged.connect(self._on_counts)
        workspace.filtersChanged.connect(self._on_state)
        if workspace.counts is not None:
            self._on_counts(workspace.counts)

    def _on_counts(self, counts: FacetCounts) -> None:
        state = self._workspace.filters
        for facet, lst in self.facets.items():
            lst.update_counts(counts.counts.get(facet, {}), state.values(facet))

    def _on_state(self, state: FilterState) -> None:
        for edit, value in ((self.from_edit, state.date_from), (self.to_edit, state.date_to)):
            text = value.iso() if value is not None else ""
            if not edit.hasFocus() and edit.text().strip() != text:
                edit.setText(text)
        if self._workspace.counts is not None:
            for facet, lst in self.facets.items():
                selected = state.values(facet)
                lst.blockSignals(True)
                for i in range(lst.count()):
                    item = lst.item(i)
                    on = item.data(VALUE_ROLE) in selected
                    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                lst.blockSignals(False)

    def _apply_range(self) -> None:
        try:
            a = (
                parse_bound(self.from_edit.text(), "From")
                if self.from_edit.text().strip()
                else None
            )
            b = parse_bound(self.to_edit.text(), "To") if self.to_edit.text().strip() else None
        except FilterError as exc:
            self._show_error(str(exc))
            return
        self._show_error(self._workspace.set_range(a, b))

    def use_window(self) -> None:
        """The timeline's visible window as the date range."""
        window = self._workspace.view.window
        if window is not None:
            start, span = window
            self._show_error(
                self._workspace.set_range(bound_of_day(int(start)), bound_of_day(int(start + span)))
            )

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
