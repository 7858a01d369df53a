"""The detail pane: everything about the selected event, with working links.

An ``event:KEY`` link selects that event through the controller; an http(s) link opens in the
user's browser (QDesktopServices); nothing navigates the pane itself away from the event.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.domain.model import Event
from explorer.qt.controller import TimelineController
from explorer.qt.detail_html import event_html, key_from_href
from explorer.ui.fonts import with_resolved_first_family

# QTextDocument's CSS subset: element and class selectors, colours, margins, font sizes.
DETAIL_CSS = """
h1 { font-size: x-large; font-weight: 600; color: #1d2430; margin-top: 4px; margin-bottom: 2px; }
h3 { font-size: medium; font-weight: 600; color: #3a4a5e; margin-top: 14px; margin-bottom: 2px; }
p.date { margin-top: 6px; }
p.summary { margin-top: 8px; color: #222; }
.muted { color: #6b7280; }
.how { color: #4b5563; font-size: small; }
.alias { color: #4b5563; }
ul { margin-top: 0px; margin-bottom: 0px; }
p.group { font-weight: 600; color: #1f2937; margin-top: 4px; margin-bottom: 0px; }
p.tier { color: #7a4d00; font-weight: 600; margin-top: 4px; margin-bottom: 0px; margin-left: 8px; }
blockquote { margin-left: 10px; margin-right: 6px; margin-top: 6px; margin-bottom: 8px; }
p.quote { font-style: italic; color: #1f2937; margin-bottom: 2px; }
p.cite { font-size: small; color: #4b5563; margin-top: 0px; }
a { color: #1f5fbf; text-decoration: none; }
"""

EMPTY_HTML = (
    '<p class="muted" style="margin-top:24px">Select an event in the list to read its date, '
    "actors, items, related events and the quotes it rests on.</p>"
)


class DetailPane(QTextBrowser):
    """Shows the controller's current event.

    Args:
        controller: The selection to follow and the place related-event links go back to.
        parent: The Qt parent.
    """

    def __init__(self, controller: TimelineController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Event details")
        self._controller = controller
        self._highlight: tuple[str, ...] = ()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(DETAIL_CSS)
        # Latin text (and its curly quotes) in the platform's font, not a CJK fallback's.
        self.document().setDefaultFont(with_resolved_first_family(self.font()))
        self.document().setDocumentMargin(14)
        self.anchorClicked.connect(self._on_anchor)
        controller.eventLoaded.connect(self.show_event)
        self.show_event(controller.current_event)

    def set_highlight(self, terms: Sequence[str]) -> None:
        """Mark these search terms in the shown event (the search box calls this)."""
        self._highlight = tuple(terms)
        self.show_event(self._controller.current_event)

    def show_event(self, event: Event | None) -> None:
        """Render an event (None: the empty state) and scroll to its top."""
        if event is None:
            self.setHtml(EMPTY_HTML)
            return
        self.setHtml(event_html(event, self._controller.countries, self._highlight))
        self.verticalScrollBar().setValue(0)

    def _on_anchor(self, url: QUrl) -> None:
        key = key_from_href(url.toString())
        if key is not None:
            self._controller.follow_relation(key)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
