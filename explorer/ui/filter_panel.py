"""The filter dock: a checkable list per facet with live counts, and the date range fields.

Each value shows how many events it would give under the other active filters ("China (37)");
values that would give none are greyed but stay, so a student sees what exists. The range is
typed as partial dates ("2023", "2023-07") or taken from the visible window; Shift+drag on the
overview strip sets it too.

Each facet list is as tall as its rows (up to :data:`MAX_ROWS`, then it scrolls itself), so a
short facet has no scroll bar of its own and the dock scrolls instead; a facet with more than
:data:`FILTER_ABOVE` values gets a filter box above it. A name too long for the dock is cut in
the middle, its count always shown whole at the right, and its tooltip gives the full name, the
count and what the count counts (a country counts every event involving it in any role, which
can be more than the country's lane on the timeline holds).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
from explorer.ui.legend import facet_count_words

VALUE_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # the value's name, as shown
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # its count under the other filters
#: A facet list shows at most this many rows; longer ones scroll inside.
MAX_ROWS = 12
#: Facets with more values than this get a filter box.
FILTER_ABOVE = 12
_Index = QModelIndex | QPersistentModelIndex
_PLURAL = {
    "countries": "Countries",
    "agencies": "Agencies",
    "kinds": "Kinds",
    "statuses": "Statuses",
    "topics": "Topics",
    "items": "Items",
}


class FacetDelegate(QStyledItemDelegate):
    """Draws a facet value as: check box, its name (cut in the middle when it must be), and its
    count right-aligned, so the count is never the part that is cut."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        text_rect: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        name = str(index.data(NAME_ROLE) or opt.text)
        count = index.data(COUNT_ROLE)
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        fm = QFontMetrics(opt.font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role)
        fg = index.data(Qt.ItemDataRole.ForegroundRole)
        if isinstance(fg, QBrush) and not selected:
            colour = fg.color()
        area = text_rect.adjusted(2, 0, -4, 0)
        painter.save()
        try:
            painter.setFont(opt.font)
            right = area.right()
            if count is not None:
                words = f"{int(count):,}"
                width = fm.horizontalAdvance(words)
                muted = QColor(colour)
                if not selected:
                    muted = opt.palette.color(QPalette.ColorRole.PlaceholderText)
                    if isinstance(fg, QBrush):
                        muted = fg.color()
                painter.setPen(muted)
                painter.drawText(
                    QRect(right - width, area.top(), width, area.height()),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    words,
                )
                right -= width + 8
            painter.setPen(colour)
            room = max(0, right - area.left())
            painter.drawText(
                QRect(area.left(), area.top(), room, area.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                fm.elidedText(name, Qt.TextElideMode.ElideMiddle, room),
            )
        finally:
            painter.restore()


class FacetList(QListWidget):
    """The values of one facet as checkable rows with counts.

    It is as tall as its shown rows, up to MAX_ROWS (then it scrolls); `set_filter` hides the
    values whose name does not contain it.
    """

    def __init__(self, facet: str, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.facet = facet
        self.setObjectName(f"facet_{facet}")
        self.setAccessibleName(f"Filter by {FACET_LABELS[facet].lower()}")
        self.setAccessibleDescription(f"Space ticks or unticks a value. {facet_count_words(facet)}")
        self._workspace = workspace
        self._values: list[str] = []
        self._filter = ""
        self._hidden = 0  # rows the filter hides
        self._hay: list[str] | None = None  # each row's name and code, casefolded, for it
        self.setItemDelegate(FacetDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.itemChanged.connect(self._on_item_changed)
        self._fit_height()

    def item_for(self, value: str) -> QListWidgetItem | None:
        for i in range(self.count()):
            item = self.item(i)
            if item.data(VALUE_ROLE) == value:
                return item
        return None

    def shown_rows(self) -> int:
        """How many rows the filter box leaves shown."""
        return self.count() - self._hidden

    def set_filter(self, text: str) -> None:
        """Show only the values whose name (or code) contains `text` (any case)."""
        self._filter = text.strip().casefold()
        self._apply_filter()

    def _apply_filter(self) -> None:
        needle = self._filter
        if needle or self._hidden:
            if self._hay is None:
                self._hay = [
                    f"{self.item(i).data(NAME_ROLE)} {self.item(i).data(VALUE_ROLE)}".casefold()
                    for i in range(self.count())
                ]
            hidden = 0
            for i, hay in enumerate(self._hay):
                hide = bool(needle) and needle not in hay
                self.setRowHidden(i, hide)
                hidden += hide
            self._hidden = hidden
        self._fit_height()

    def _fit_height(self) -> None:
        first = next((i for i in range(self.count()) if not self.isRowHidden(i)), -1)
        # (rows are of one height: the first shown one measures them all)
        row = self.sizeHintForRow(first) if first >= 0 else -1
        if row <= 0:
            row = QFontMetrics(self.font()).height() + 4
        rows = min(MAX_ROWS, max(1, self.count() - self._hidden))
        self.setFixedHeight(rows * row + 2 * self.frameWidth() + 2)

    def sizeHint(self) -> QSize:
        return QSize(180, self.height())

    def update_counts(self, counts: dict[str, int], selected: tuple[str, ...]) -> None:
        labels = self._workspace.labels.get(self.facet, {})
        values = set(counts) | set(selected)
        self.blockSignals(True)
        if set(self._values) != values:
            # New values (first count, or after an import): order by how many events each has.
            self.clear()
            self._hidden = 0
            self._values = sorted(values, key=lambda v: (-counts.get(v, 0), labels.get(v, v)))
            for v in self._values:
                item = QListWidgetItem()
                item.setData(VALUE_ROLE, v)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.addItem(item)
        grey = QBrush(QColor(palette.EMPTY))
        what = facet_count_words(self.facet)
        chosen = set(selected)
        for i, v in enumerate(self._values):
            n = counts.get(v, 0)
            on = v in chosen
            item = self.item(i)
            label = labels.get(
                v, v.replace("_", " ").capitalize() if self.facet in ("kinds", "statuses") else v
            )
            if (
                item.data(COUNT_ROLE) == n
                and (item.checkState() == Qt.CheckState.Checked) == on
                and item.data(NAME_ROLE) == label
            ):
                continue  # unchanged (a long facet has thousands of rows: touch only these)
            self._hay = None
            item.setText(f"{label}  ({n:,})")  # what a screen reader reads, and a search
            item.setData(NAME_ROLE, label)
            item.setData(COUNT_ROLE, n)
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.ForegroundRole, None if n or on else grey)
            noun = "event" if n == 1 else "events"
            item.setToolTip(f"{label}\n{n:,} {noun} with the other filters. {what}")
        self._apply_filter()
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
        self.window_button.setAccessibleName("Use the visible window as the date range")
        self.window_button.clicked.connect(self.use_window)
        clear = QPushButton("Clear all", body)
        clear.setObjectName("clearFilters")
        clear.setAccessibleName("Clear all filters")
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
        self.facet_filters: dict[str, QLineEdit] = {}
        self.facet_titles: dict[str, QLabel] = {}
        for facet in FACETS:
            title = QLabel(f"<b>{_PLURAL[facet]}</b>", body)
            title.setObjectName(f"facetTitle_{facet}")
            title.setToolTip(facet_count_words(facet))
            layout.addWidget(title)
            box = QLineEdit(body)
            box.setObjectName(f"facetFilter_{facet}")
            box.setAccessibleName(f"Find in the {_PLURAL[facet].lower()} list")
            box.setClearButtonEnabled(True)
            box.hide()
            layout.addWidget(box)
            lst = FacetList(facet, workspace, body)
            title.setBuddy(lst)
            box.textChanged.connect(lst.set_filter)
            self.facets[facet] = lst
            self.facet_filters[facet] = box
            self.facet_titles[facet] = title
            layout.addWidget(lst)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("filterScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its controls take the focus, not it
        scroll.setWidget(body)
        self.scroll_area = scroll
        self.setWidget(scroll)
        workspace.countsChanged.connect(self._on_counts)
        workspace.filtersChanged.connect(self._on_state)
        if workspace.counts is not None:
            self._on_counts(workspace.counts)

    def _on_counts(self, counts: FacetCounts) -> None:
        state = self._workspace.filters
        for facet, lst in self.facets.items():
            lst.update_counts(counts.counts.get(facet, {}), state.values(facet))
            box = self.facet_filters[facet]
            long = lst.count() > FILTER_ABOVE
            box.setPlaceholderText(f"Find among {lst.count():,} {_PLURAL[facet].lower()}…")
            if long != box.isVisibleTo(self) and not (box.text() and not long):
                box.setVisible(long)

    def focus_facets(self) -> None:
        """Show the dock and put the keyboard focus in its first facet list."""
        self.show()
        self.raise_()
        first = next(iter(self.facets.values()))
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if first.currentRow() < 0 and first.count():
            first.setCurrentRow(0)
        self.scroll_area.ensureWidgetVisible(first)

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
