"""The legend under the timeline, and tooltips that say what the timeline's numbers count.

The legend is the exports' legend: its entries are
:func:`explorer.render.snapshot.legend_entries` (kinds with their colours and shapes, how each
status is drawn, periods, date bands, count badges), each swatch drawn by the timeline's own
painter (:meth:`explorer.render.painter.TimelinePainter.swatch`, colours from the one palette),
so what the window explains is what it draws and what a PNG or PDF explains. The entries flow in
rows as wide as the window allows; the last line says what the numbers count, because a lane
and a filter count different things (a lane: the events it holds, by their lead country or
agency; a country in the filter dock: every event involving that country in any role).

:class:`LaneCountTips` gives the timeline's lane names and counts a tooltip in the same words.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QToolTip,
    QWidget,
)

from explorer.qt.workspace import Workspace
from explorer.render import palette
from explorer.render.painter import Theme, TimelinePainter
from explorer.render.snapshot import LegendEntry, legend_entries
from explorer.storage.query import IMPORTED_PREFIX

#: The legend's groups, in order, with their headings (the exported legend's words).
GROUPS = (("kind", "Kinds"), ("status", "Status"), ("form", "Forms"))

SWATCH = QSize(28, 14)


def lane_count_words(mode: str) -> str:
    """What a lane's count counts, in one sentence, for lanes by `mode`."""
    lead = "lead country" if mode == "country" else "lead agency"
    return f"A lane counts the events whose {lead} it is, under the active filters."


def facet_count_words(facet: str) -> str:
    """What a facet value's count counts, in one sentence (the filter dock's tooltips)."""
    return {
        "countries": (
            "Counts every event involving the country in any role (its lane, an issuer, a "
            "target, a country named) and in any lane, imported ones too, so it can be more "
            "than the country's lane shows."
        ),
        "agencies": (
            "Counts every event the agency leads or issues, so it can be more than the "
            "agency's lane shows."
        ),
        "kinds": "Counts the events of this kind.",
        "statuses": "Counts the events with this status.",
        "topics": "Counts the events on this topic.",
        "items": "Counts the events that list this item.",
    }.get(facet, "Counts the matching events.")


def counts_note(mode: str) -> str:
    """The legend's last line: what the lane and the filter counts count."""
    what = "country" if mode == "country" else "agency"
    lane = "lead country" if mode == "country" else "lead agency"
    return (
        f"Numbers: a lane counts the events whose {lane} it is; a {what} in the Filters "
        f"counts every event involving it, in any role."
    )


class _Flow(QLayout):
    """Lays its items out left to right, wrapping to a new row where the width ends.

    A heading (an item whose widget has the property ``legendHeading``) never ends a row: it
    moves to the next row with the entry after it.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 4, gap: int = 14) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h = spacing
        self._gap = gap  # before a heading
        self.setContentsMargins(8, 3, 8, 3)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_h = area.x(), area.y(), 0
        visible = [i for i in self._items if not i.isEmpty()]
        for n, item in enumerate(visible):
            hint = item.sizeHint()
            heading = _is_heading(item)
            w = hint.width()
            if heading and n + 1 < len(visible):
                w += self._h + visible[n + 1].sizeHint().width()  # stays with its first entry
            if heading and x > area.x():
                x += self._gap
            if x + w > area.right() + 1 and x > area.x():
                x, y, row_h = area.x(), y + row_h + 2, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._h
            row_h = max(row_h, hint.height())
        return y + row_h - rect.y() + m.bottom()


def _is_heading(item: QLayoutItem) -> bool:
    widget = item.widget()
    return widget is not None and bool(widget.property("legendHeading"))


class LegendSwatch(QWidget):
    """One legend entry: its swatch, drawn as the timeline draws the mark, and its words.

    Args:
        entry: The legend entry (group, key, label).
        painter: The timeline's painter (its theme and its way of drawing marks).
        parent: The Qt parent.
    """

    def __init__(
        self, entry: LegendEntry, painter: TimelinePainter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.entry = entry
        self._painter = painter
        self.setObjectName(f"legend_{entry.group}_{entry.key}")
        self.setAccessibleName(entry.label)
        self.setToolTip(entry.label)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        return QSize(
            SWATCH.width() + 5 + fm.horizontalAdvance(self.entry.label) + 2,
            max(SWATCH.height(), fm.height()) + 2,
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            top = (self.height() - SWATCH.height()) / 2
            self._painter.swatch(p, QRectF(0, top, SWATCH.width(), SWATCH.height()), self.entry)
            p.setPen(self.palette().windowText().color())
            p.setFont(self.font())
            p.drawText(
                QRect(SWATCH.width() + 5, 0, self.width() - SWATCH.width() - 5, self.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self.entry.label,
            )
        finally:
            p.end()


class LegendBar(QWidget):
    """The legend strip: kinds, statuses and forms as the timeline draws them, and a note on
    what the counts count.

    Args:
        workspace: Its lane mode decides the note's words (country or agency).
        painter: The timeline's painter, so each swatch is drawn as the marks are (default: a
            painter with the light theme, as the exports use).
        parent: The Qt parent.
    """

    def __init__(
        self,
        workspace: Workspace,
        painter: TimelinePainter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self.setAccessibleName("Legend")
        self.setAccessibleDescription(
            "What the timeline's colours, shapes and forms mean, and what its numbers count."
        )
        self._workspace = workspace
        painter = painter or TimelinePainter(Theme.light())
        small = self.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.92))
        self.setFont(small)
        layout = _Flow(self)
        entries = legend_entries()
        self.swatches: list[LegendSwatch] = []
        for group, heading in GROUPS:
            members = [e for e in entries if e.group == group]
            if not members:
                continue
            title = QLabel(f"<b>{heading}:</b>", self)
            title.setProperty("legendHeading", True)
            layout.addWidget(title)
            for entry in members:
                swatch = LegendSwatch(entry, painter, self)
                layout.addWidget(swatch)
                self.swatches.append(swatch)
        self.note = QLabel(self)
        self.note.setObjectName("legendCounts")
        self.note.setProperty("legendHeading", True)  # starts its own place, never splits
        self.note.setStyleSheet(f"color: {palette.MUTED}")
        layout.addWidget(self.note)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        workspace.laneModeChanged.connect(self._show_note)
        self._show_note(workspace.lane_mode)

    def entries(self) -> list[LegendEntry]:
        """The entries shown, in order."""
        return [s.entry for s in self.swatches]

    def _show_note(self, mode: str) -> None:
        self.note.setText(counts_note(mode))
        self.note.setToolTip(f"{lane_count_words(mode)} {facet_count_words(_facet(mode))}")
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.heightForWidth(width) if layout is not None else 0

    def sizeHint(self) -> QSize:
        width = max(self.width(), 1000)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # one row: the layout gives it the height its width needs (heightForWidth), and a
        # splitter above it must not count the rows of a narrow first layout
        fm = QFontMetrics(self.font())
        return QSize(200, max(SWATCH.height(), fm.height()) + 8)


def _facet(mode: str) -> str:
    return "countries" if mode == "country" else "agencies"


class LaneCountTips(QObject):
    """Tooltips over the timeline's lane names: the lane's count and what it counts.

    Installed as an event filter on the timeline view; reads the lanes the view last painted
    (``view.layout_`` and ``view.model.lanes``) and answers Qt's tooltip event over a lane's
    name. Where the timeline has a tooltip of its own for the name (a gutter spot), that text
    comes first and the sentence on what the count counts follows it.

    Args:
        view: The TimelineView.
    """

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        view.installEventFilter(self)

    def text_at(self, pos: QPoint) -> str:
        """The tooltip at a point of the view ("" outside the lane names)."""
        view = self._view
        layout = getattr(view, "layout_", None)
        model = getattr(view, "model", None)
        gutter = getattr(getattr(getattr(view, "painter", None), "theme", None), "gutter", 0)
        if layout is None or model is None or pos.x() >= gutter:
            return ""
        spot_at = getattr(layout, "gutter_at", None)
        spot = spot_at(QPointF(pos)) if spot_at is not None else None
        if spot is not None and not getattr(spot, "toggles", True):
            return ""  # a list's row inside a lane: the timeline's own words say it
        key = spot.lane if spot is not None else layout.lane_at(float(pos.y()))
        lane = next((ln for ln in model.lanes if ln.key == key), None)
        if lane is None:
            return ""
        words = lane_tooltip(lane.label, lane.count, model.mode, lane.imported)
        if spot is not None and spot.tooltip:
            return f"{spot.tooltip}\n{words}"
        return words

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self.text_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self._view)
                return True
        return False


def lane_tooltip(label: str, count: int, mode: str, imported: bool = False) -> str:
    """A lane's tooltip: its count in words and what it counts.

    Args:
        label: The lane's label ("China", "Imported · China").
        count: The events the lane holds under the filters.
        mode: "country" or "agency".
        imported: The lane holds imported events.
    """
    name = label.removeprefix(IMPORTED_PREFIX)
    noun = "event" if count == 1 else "events"
    lead = "lead country" if mode == "country" else "lead agency"
    which = "imported " if imported else ""
    facet = "Countries" if mode == "country" else "Agencies"
    return (
        f"{label}: {count:,} {which}{noun} whose {lead} is {name} (under the active filters).\n"
        f"“{name}” in the {facet} filter counts every event involving it in any role and "
        f"in any lane (imported ones too), so its number can be larger."
    )
