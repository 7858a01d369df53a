"""The event list: every event in date order under year headings, synchronised with the selection.

A view of the workspace like every other: a click or a cursor move selects through the
workspace, and the list follows ``selectionChanged`` (from the timeline, a link, a key).
Arrow keys, Home/End and Enter are the registry's NAVIGATION actions attached to this view.

It is a one-column QTableView dressed as a list (no headers, no grid, rows of one fixed height)
rather than a QListView: on every reset QListView (and QTreeView) lays its rows out by asking the
model for the index of each row, a call into Python per row (about 10 s at a million rows),
while QTableView keeps fixed row heights as arithmetic and only asks for the rows it paints.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from explorer.domain.model import Kind, Status
from explorer.qt.event_list_model import (
    DateTextRole,
    EventIdRole,
    EventListModel,
    IsHeaderRole,
    KindRole,
    StatusRole,
    TitleRole,
)
from explorer.qt.workspace import NO_SELECTION, Workspace
from explorer.render.palette import KIND_COLOURS, PROPOSAL_TAG

_Index = QModelIndex | QPersistentModelIndex


class EventDelegate(QStyledItemDelegate):
    """Draws a year heading, or an event as: kind dot, date, title, and a proposal tag."""

    DATE_WIDTH_CHARS = 19  # "30 September 2024", "1 Jul – 31 Dec 2024" fit

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, fm.height() + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        rect: QRect = opt.rect
        palette: QPalette = opt.palette
        font = QFont(opt.font)
        painter.save()
        try:
            if index.data(IsHeaderRole):
                self._paint_header(painter, rect, palette, font, str(index.data()))
            else:
                selected = bool(opt.state & QStyle.StateFlag.State_Selected)
                self._paint_event(painter, rect, palette, font, index, selected)
        finally:
            painter.restore()

    def _paint_header(
        self, painter: QPainter, rect: QRect, palette: QPalette, font: QFont, text: str
    ) -> None:
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(
            rect.adjusted(10, 0, -8, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
            text,
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        fm = QFontMetrics(font)
        x = rect.left() + 10 + fm.horizontalAdvance(text) + 10
        y = rect.bottom() - fm.descent() - fm.ascent() // 3
        if x < rect.right() - 8:
            painter.drawLine(x, y, rect.right() - 8, y)

    def _paint_event(
        self,
        painter: QPainter,
        rect: QRect,
        palette: QPalette,
        font: QFont,
        index: _Index,
        selected: bool,
    ) -> None:
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
            text_colour = palette.color(QPalette.ColorRole.HighlightedText)
            muted = text_colour
        else:
            text_colour = palette.color(QPalette.ColorRole.Text)
            muted = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # str-valued enums come back from QVariant as plain str: rebuild them
        kind = Kind(index.data(KindRole))
        status = Status(index.data(StatusRole))
        fm = QFontMetrics(font)
        x = rect.left() + 12
        cy = rect.center().y()
        # Kind dot; a proposal is a hollow ring (not yet a rule), everything else is filled.
        colour = QColor(KIND_COLOURS.get(kind, "#6b7280"))
        proposal = kind is Kind.PROPOSAL or status is Status.PROPOSED
        painter.setPen(QPen(colour, 2))
        if proposal:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            painter.setBrush(colour)
        painter.drawEllipse(x, cy - 4, 8, 8)
        x += 18
        painter.setFont(font)
        date_width = fm.horizontalAdvance("0" * self.DATE_WIDTH_CHARS)
        painter.setPen(muted)
        painter.drawText(
            QRect(x, rect.top(), date_width, rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(str(index.data(DateTextRole)), Qt.TextElideMode.ElideRight, date_width),
        )
        x += date_width + 8
        right = rect.right() - 8
        if proposal:
            tag_font = QFont(font)
            tag_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.78))
            tag_font.setBold(True)
            tfm = QFontMetrics(tag_font)
            tag = "PROPOSAL"
            tw = tfm.horizontalAdvance(tag) + 10
            tag_rect = QRect(right - tw, cy - tfm.height() // 2 - 1, tw, tfm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(PROPOSAL_TAG[0]) if not selected else QColor("#ffffff"))
            painter.drawRoundedRect(tag_rect, 3, 3)
            painter.setPen(QColor(PROPOSAL_TAG[1]))
            painter.setFont(tag_font)
            painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)
            painter.setFont(font)
            right = tag_rect.left() - 6
        painter.setPen(text_colour)
        title = str(index.data(TitleRole))
        painter.drawText(
            QRect(x, rect.top(), max(0, right - x), rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(title, Qt.TextElideMode.ElideRight, max(0, right - x)),
        )


class EventListView(QTableView):
    """The list of events, keyboard-first.

    Args:
        workspace: Holds the shown events and the selection.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventList")
        self.setAccessibleName("Events in date order")
        self._workspace = workspace
        self._syncing = False
        self._model = EventListModel(workspace, self)
        self.setModel(self._model)
        self.setItemDelegate(EventDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # A list, not a table: one stretched column, no headers, no grid, Tab leaves the view.
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().hide()
        # Every row has the same height, so a million rows cost no measuring at all.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setMinimumSectionSize(1)
        self.verticalHeader().setDefaultSectionSize(QFontMetrics(self.font()).height() + 10)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        workspace.selectionChanged.connect(self._on_selection_changed)
        workspace.eventsChanged.connect(self._after_reset)
        self._on_selection_changed(workspace.selected_id)

    @property
    def list_model(self) -> EventListModel:
        return self._model

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        gid = current.data(EventIdRole)
        if isinstance(gid, int) and gid != NO_SELECTION:
            self._workspace.select(gid)

    def _on_selection_changed(self, gid: int) -> None:
        index = self._model.index_for_id(gid)
        self._syncing = True
        try:
            if index.isValid():
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
                # show the year heading above the first event of a year
                above = self._model.index(index.row() - 1, 0)
                if above.isValid() and above.data(IsHeaderRole):
                    self.scrollTo(above, QAbstractItemView.ScrollHint.EnsureVisible)
                    self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
            else:
                self.selectionModel().clear()
        finally:
            self._syncing = False

    def _after_reset(self) -> None:
        self._on_selection_changed(self._workspace.selected_id)
