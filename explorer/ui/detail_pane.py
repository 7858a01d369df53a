"""The detail pane: everything about the selected event, with working links.

An ``event:KEY`` link selects that event through the workspace; an http(s) link opens in the
user's browser (QDesktopServices); nothing navigates the pane itself away from the event.

Long texts and lists are shown cut (see `explorer.qt.detail_html`): their "show all N
characters" link opens the whole text in a `FullTextDialog`, a plain-text viewer that lays out
only the lines on screen, so selecting an event whose imported name runs to hundreds of
thousands of characters takes milliseconds, not seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer.domain.model import Event
from explorer.qt.detail_html import event_document, key_from_href, more_index
from explorer.qt.workspace import Workspace
from explorer.render import palette
from explorer.ui.fonts import with_resolved_first_family

# QTextDocument's CSS subset: element and class selectors, colours, margins, font sizes.
DETAIL_CSS = f"""
h1 {{ font-size: x-large; font-weight: 600; color: {palette.INK}; margin-top: 4px;
     margin-bottom: 2px; }}
h3 {{ font-size: medium; font-weight: 600; color: #3a4a5e; margin-top: 14px;
     margin-bottom: 2px; }}
p.date {{ margin-top: 6px; }}
p.summary {{ margin-top: 8px; color: #222; }}
.muted {{ color: {palette.MUTED}; }}
.how {{ color: {palette.MUTED}; font-size: small; }}
.alias {{ color: {palette.MUTED}; }}
ul {{ margin-top: 0px; margin-bottom: 0px; }}
p.group {{ font-weight: 600; color: {palette.INK}; margin-top: 4px; margin-bottom: 0px; }}
p.tier {{ color: {palette.PROPOSAL_TAG[1]}; font-weight: 600; margin-top: 4px; margin-bottom: 0px;
     margin-left: 8px; }}
blockquote {{ margin-left: 10px; margin-right: 6px; margin-top: 6px; margin-bottom: 8px; }}
p.quote {{ font-style: italic; color: {palette.INK}; margin-bottom: 2px; }}
p.cite {{ font-size: small; color: {palette.MUTED}; margin-top: 0px; }}
a {{ color: {palette.LINK}; text-decoration: none; }}
"""

EMPTY_HTML = (
    '<p class="muted" style="margin-top:24px">Select an event in the list to read its date, '
    "actors, items, related events and the quotes it rests on.</p>"
)


# Qt looks for a word boundary before breaking a line anywhere, which takes time growing with
# the square of an unbroken run's length (ten seconds for 300,000 characters): a text with long
# runs is broken anywhere instead (a tenth of a second).
_LONG_RUN = re.compile(r"\S{400}")


class FullTextDialog(QDialog):
    """The whole of a text the detail pane shows cut, read-only, to read, select and copy.

    Args:
        what: What the text is ("Item", "Quote", "Items" ...), for the title.
        text: The whole text.
        parent: The Qt parent.
    """

    def __init__(self, what: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullTextDialog")
        self.setWindowTitle(f"{what} — {len(text):,} characters")
        self.text_view = QPlainTextEdit(self)
        self.text_view.setObjectName("fullText")
        self.text_view.setAccessibleName(f"Full text: {what}")
        self.text_view.setReadOnly(True)
        if _LONG_RUN.search(text):
            self.text_view.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.text_view.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_view)
        layout.addWidget(buttons)
        self.resize(720, 520)


class DetailPane(QTextBrowser):
    """Shows the workspace's current event, with the search words marked.

    Args:
        workspace: The selection to follow, where related-event links go, and the search.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Event details")
        self._workspace = workspace
        self._highlight: tuple[str, ...] = workspace.filters.search_terms()
        self._whole: list[tuple[str, str]] = []
        #: The dialog of the last "show all" link followed (None before one is).
        self.full_text_dialog: FullTextDialog | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(DETAIL_CSS)
        # Latin text (and its curly quotes) in the platform's font, not a CJK fallback's.
        self.document().setDefaultFont(with_resolved_first_family(self.font()))
        self.document().setDocumentMargin(14)
        self.anchorClicked.connect(self._on_anchor)
        workspace.eventLoaded.connect(self.show_event)
        workspace.filtersChanged.connect(lambda f: self.set_highlight(f.search_terms()))
        self.show_event(workspace.current_event)

    def set_highlight(self, terms: Sequence[str]) -> None:
        """Mark these search terms in the shown event (the search follows the filters)."""
        terms = tuple(terms)
        if terms != self._highlight:
            self._highlight = terms
            self.show_event(self._workspace.current_event)

    def show_event(self, event: Event | None) -> None:
        """Render an event (None: the empty state) and scroll to its top."""
        if event is None:
            self._whole = []
            self.setHtml(EMPTY_HTML)
            return
        doc = event_document(event, self._workspace.countries, self._highlight)
        self._whole = doc.whole
        self.setHtml(doc.html)
        self.verticalScrollBar().setValue(0)

    def show_whole(self, index: int) -> FullTextDialog | None:
        """Open the whole of the shown event's `index`-th cut text (its "show all" link)."""
        if not 0 <= index < len(self._whole):
            return None
        what, text = self._whole[index]
        if self.full_text_dialog is not None:
            self.full_text_dialog.close()
            self.full_text_dialog.deleteLater()
        self.full_text_dialog = FullTextDialog(what, text, self)
        self.full_text_dialog.show()
        return self.full_text_dialog

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        key = key_from_href(href)
        index = more_index(href)
        if key is not None:
            self._workspace.follow_relation(key)
        elif index is not None:
            self.show_whole(index)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
