"""The events in date order, as a flat list with a year header row before each year.

Flat rows rather than a tree: with years as parents, Up/Down in a view would stop on collapsed
or expanded year nodes and Left/Right would fold them. Here a year header is a row with no item
flags (neither enabled nor selectable), which QListView's cursor moves skip, so the arrows go
from event to event across years, and screen readers still hear the year when they reach it.

Nothing per row is stored: the rows are the workspace's order (an array of keys) with one
header per year, found by bisecting the order at each 1 January. Row and position convert by
prefix arithmetic over the headers (a bisect in a list of a few dozen), and a row's summary is
read through the workspace's page cache only when a view asks for it, so a million events
cost nothing here beyond the workspace's 8 MB array. While the workspace is still reading the
order, the model has one row that says so.
"""

from __future__ import annotations

import bisect
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
from explorer.qt.workspace import Workspace

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
    """A one-column list model over the workspace's shown events, with year headers.

    Args:
        workspace: Supplies the events; the model resets when its events change.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._years: list[int] = []
        self._first_pos: list[int] = []  # position of each year's first event
        self._header_rows: list[int] = []  # row of each year's header
        self._count = 0
        self._loading = False
        self._rebuild()
        # Also when the order has been read: `loading` is False by then.
        workspace.eventsChanged.connect(self._on_events_changed)

    # ----------------------------------------------------------------- lookups

    @property
    def loading(self) -> bool:
        """Whether the only row says the events are still being read."""
        return self._loading

    def row_for_id(self, gid: int) -> int | None:
        """The model row of a library id, or None."""
        pos = self._workspace.row_of(gid)
        return None if pos is None or self._loading else self.row_of_position(pos)

    def row_of_position(self, pos: int) -> int:
        """The model row of a position in the workspace's order."""
        return pos + bisect.bisect_right(self._first_pos, pos)

    def position_of_row(self, row: int) -> int | None:
        """The position in the workspace's order shown in a row (None: a header)."""
        if self._loading or not 0 <= row < self._count:
            return None
        h = bisect.bisect_right(self._header_rows, row) - 1
        if h >= 0 and self._header_rows[h] == row:
            return None
        return row - h - 1

    def index_for_id(self, gid: int) -> QModelIndex:
        """The index of a library id (invalid when it is not listed)."""
        row = self.row_for_id(gid)
        return QModelIndex() if row is None else self.index(row, 0)

    def summary_at(self, row: int) -> EventSummary | None:
        """The event shown in a row, or None for a year header or out of range."""
        pos = self.position_of_row(row)
        return None if pos is None else self._workspace.summary_at(pos)

    def year_rows(self) -> list[int]:
        """The rows of the year headers."""
        return list(self._header_rows)

    # ----------------------------------------------------------------- model

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or column != 0 or not 0 <= row < self._count:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._count > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or self.position_of_row(index.row()) is None:
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or index.column() != 0 or not 0 <= row < self._count:
            return None
        if self._loading:
            return self._loading_data(role)
        pos = self.position_of_row(row)
        if pos is None:
            h = bisect.bisect_right(self._header_rows, row) - 1
            return self._header_data(self._years[h], role)
        summary = self._workspace.summary_at(pos)
        return None if summary is None else self._event_data(summary, role)

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

    def _loading_data(self, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"Loading {self._workspace.total_count:,} events…"
        if role == IsHeaderRole:
            return True
        if role == EventIdRole:
            return -1
        return None

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
        c = self._workspace
        self._loading = c.loading and c.total_count > 0
        if self._loading:
            self._years, self._first_pos, self._header_rows = [], [], []
            self._count = 1
            return
        years = c.order.years()
        self._years = [y for y, _ in years]
        self._first_pos = [p for _, p in years]
        self._header_rows = [p + h for h, (_, p) in enumerate(years)]
        self._count = len(c.order) + len(years)

    def _on_events_changed(self) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()
