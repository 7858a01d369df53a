"""The events in date order, as a flat list with a year header row before each year.

Flat rows rather than a tree: with years as parents, Up/Down in a view would stop on collapsed
or expanded year nodes and Left/Right would fold them. Here a year header is a row with no item
flags (neither enabled nor selectable), which QListView's cursor moves skip, so the arrows go
from event to event across years, and screen readers still hear the year when they reach it.

Rows are two int lists (no per-row objects), so a million events cost a few megabytes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from explorer.domain.dates import PartialDate, Precision, display_span
from explorer.domain.model import EventSummary, Kind, Status
from explorer.qt.controller import TimelineController

_Index = QModelIndex | QPersistentModelIndex

# Custom roles: what a delegate or a test needs beyond the display text.
EventIdRole = Qt.ItemDataRole.UserRole + 1  # library id (int), -1 for a header
IsHeaderRole = Qt.ItemDataRole.UserRole + 2  # bool
YearRole = Qt.ItemDataRole.UserRole + 3  # int
DateTextRole = Qt.ItemDataRole.UserRole + 4  # "30 May 2024", "July 2023", "Jan – Apr 2024"
KindRole = Qt.ItemDataRole.UserRole + 5  # Kind
StatusRole = Qt.ItemDataRole.UserRole + 6  # Status
TitleRole = Qt.ItemDataRole.UserRole + 7  # str


def _short(d: PartialDate, with_year: bool = True) -> str:
    """A date with its month abbreviated: `1 Jul 2024`, `Jul 2024`, `Q2 2024`, `2024`."""
    year = f" {d.year}" if with_year else ""
    if d.quarter is not None:
        return f"Q{d.quarter}{year}"
    if d.month is None:
        return str(d.year)
    month = _MONTH_ABBR[d.month - 1]
    if d.day is None:
        return f"{month}{year}"
    return f"{d.day} {month}{year}"


_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def list_date(start: PartialDate, end: PartialDate | None) -> str:
    """The date column of the list: a single date in full, a period compactly.

    `30 May 2024`, `July 2023`; periods `1 Jul – 31 Dec 2024`, `Jan – Apr 2024`,
    `2023 – Q2 2024`, so that every row's date fits one narrow column.
    """
    if end is None or end == start:
        return start.display()
    same_year = start.year == end.year and start.precision is not Precision.YEAR
    return f"{_short(start, with_year=not same_year)} – {_short(end)}"


class EventListModel(QAbstractItemModel):
    """A one-column list model over the controller's events, with year headers.

    Args:
        controller: Supplies the events; the model resets when its events change.
        parent: The Qt parent.
    """

    def __init__(self, controller: TimelineController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        # >= 0: index into controller.events; < 0: a header for year -value.
        self._rows: list[int] = []
        self._row_of_event: list[int] = []
        self._rebuild()
        controller.eventsChanged.connect(self._on_events_changed)

    # ----------------------------------------------------------------- lookups

    def row_for_id(self, gid: int) -> int | None:
        """The model row of a library id, or None."""
        pos = self._controller.row_of(gid)
        return None if pos is None else self._row_of_event[pos]

    def index_for_id(self, gid: int) -> QModelIndex:
        """The index of a library id (invalid when it is not listed)."""
        row = self.row_for_id(gid)
        return QModelIndex() if row is None else self.index(row, 0)

    def summary_at(self, row: int) -> EventSummary | None:
        """The event shown in a row, or None for a year header or out of range."""
        if not 0 <= row < len(self._rows) or self._rows[row] < 0:
            return None
        return self._controller.events[self._rows[row]]

    def year_rows(self) -> list[int]:
        """The rows of the year headers."""
        return [r for r, v in enumerate(self._rows) if v < 0]

    # ----------------------------------------------------------------- model

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or column != 0 or not 0 <= row < len(self._rows):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()] < 0:
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0 or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()]
        if value < 0:
            return self._header_data(-value, role)
        return self._event_data(self._controller.events[value], role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (section, orientation, role) == (
            0,
            Qt.Orientation.Horizontal,
            Qt.ItemDataRole.DisplayRole,
        ):
            return "Events"
        return None

    # ----------------------------------------------------------------- internals

    def _header_data(self, year: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return str(year)
        if role == IsHeaderRole:
            return True
        if role == YearRole:
            return year
        if role == EventIdRole:
            return -1
        return None

    def _event_data(self, e: EventSummary, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{list_date(e.start, e.end)} — {e.title}"
        if role == TitleRole:
            return e.title
        if role == DateTextRole:
            return list_date(e.start, e.end)
        if role == EventIdRole:
            return e.id
        if role == IsHeaderRole:
            return False
        if role == YearRole:
            return e.start.year
        if role == KindRole:
            return e.kind
        if role == StatusRole:
            return e.status
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{e.title}\n{display_span(e.start, e.end)} · {e.kind.label} · {e.status.label}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = f"{display_span(e.start, e.end)}, {e.title}, {e.kind.label}"
            if e.kind is Kind.PROPOSAL or e.status is Status.PROPOSED:
                text += ", proposal"
            return text
        return None

    def _rebuild(self) -> None:
        rows: list[int] = []
        row_of_event: list[int] = []
        year: int | None = None
        for i, e in enumerate(self._controller.events):
            if e.start.year != year:
                year = e.start.year
                rows.append(-year)
            row_of_event.append(len(rows))
            rows.append(i)
        self._rows = rows
        self._row_of_event = row_of_event

    def _on_events_changed(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()
