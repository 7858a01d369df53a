"""The results list: the matching events (search hits with their snippet), in date order.

It follows the workspace's selection and Enter (or a double click) jumps to the chosen result
on the timeline and in the detail pane.

Without a search, the results are the first events the workspace shows for the filters, read
through its page cache (one query for the page), so it is rebuilt when the shown events change
(which, for a large library, is after the filter's result arrives). With one, they are the
search's hits that pass the other filters.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from explorer.domain.dates import from_day_number
from explorer.qt.workspace import Workspace
from explorer.storage.search import SearchResult

MAX_ROWS = 200
ID_ROLE = Qt.ItemDataRole.UserRole
EMPTY_HINT = (
    "Search (Ctrl+F) or choose filters: the matching events are listed here. "
    "Enter jumps to the selected one."
)
NO_MATCH_HINT = "No event matches the search and filters. Esc clears them."
_COLUMN_WORDS = {
    "summary": "in the summary",
    "quotes": "in a quote",
    "names": "in a name",
    "items": "in an item",
}


def _marked(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(html.escape(text[pos:s]))
        out.append(f"<b>{html.escape(text[s:e])}</b>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


class ResultsList(QListWidget):
    """The first results of the current filters and search.

    Args:
        workspace: The filters whose results are listed, and the selection to follow and set.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsList")
        self.setAccessibleName("Search and filter results")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self._workspace = workspace
        self.itemActivated.connect(self._jump)
        workspace.selectionChanged.connect(self._follow)
        workspace.searchChanged.connect(lambda _s: self._rebuild())
        workspace.eventsChanged.connect(self._rebuild)
        self._rebuild()

    def ids(self) -> list[int]:
        """The library ids listed, in order."""
        return [int(self.item(i).data(ID_ROLE)) for i in range(self.count())]

    def _rebuild(self) -> None:
        self.blockSignals(True)
        self.clear()
        w = self._workspace
        search: SearchResult | None = w.search_result
        query = w.query
        if search is not None and w.filters.search_terms():
            for hit in search.hits:
                if not query.contains(hit.id):
                    continue
                summary = w.summary(hit.id)
                day = (
                    summary.start.display()
                    if summary is not None
                    else from_day_number(hit.start_day).strftime("%d %b %Y")
                )
                text = f"{day}  {hit.title}"
                if hit.column != "title":
                    where = _COLUMN_WORDS.get(hit.column, hit.column)
                    text += f"\n   {where}: {hit.snippet}"
                item = QListWidgetItem(text)
                item.setData(ID_ROLE, hit.id)
                item.setToolTip(
                    f"<p>{_marked(hit.title, hit.title_spans)}</p>"
                    f"<p><i>{hit.column}</i>: {_marked(hit.snippet, hit.spans)}</p>"
                )
                self.addItem(item)
        elif w.filters == w.shown_filters and not w.filters.is_empty:
            # (once the workspace shows these filters' events, not the previous ones)
            for pos in range(min(MAX_ROWS, w.event_count)):
                summary = w.summary_at(pos)
                if summary is None:
                    continue
                item = QListWidgetItem(f"{summary.start.display()}  {summary.title}")
                item.setData(ID_ROLE, summary.id)
                self.addItem(item)
        self.blockSignals(False)
        self._follow(w.selected_id)

    def hint(self) -> str:
        """What the empty list says: how to fill it, or that nothing matches."""
        if self.count():
            return ""
        if not self._workspace.filters.is_empty:
            return NO_MATCH_HINT
        return EMPTY_HINT

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        hint = self.hint()
        if hint:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                | int(Qt.TextFlag.TextWordWrap),
                hint,
            )
            painter.end()

    def _follow(self, gid: int) -> None:
        for i in range(self.count()):
            if self.item(i).data(ID_ROLE) == gid:
                self.blockSignals(True)
                self.setCurrentRow(i)
                self.blockSignals(False)
                return

    def _jump(self, item: QListWidgetItem) -> None:
        self._workspace.select(int(item.data(ID_ROLE)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            if item is not None:
                self._jump(item)
            return
        super().keyPressEvent(event)
