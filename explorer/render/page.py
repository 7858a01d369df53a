"""Paint a snapshot page (the timeline with its title, legend, filters and sources) to PNG, SVG
or PDF.

The timeline itself is drawn by a callable that receives the painter and the rectangle to fill
(the timeline painter of the window, so the picture shows the timeline as the user sees it); this
module lays out and paints everything around it. Each renderer returns the file's bytes, so the
caller writes them atomically and a failed render leaves nothing on disk.

Text is always drawn as text, never as paths: QSvgGenerator writes it as `<text>` elements and
QPdfWriter embeds subsets of every font used (CJK included), so the picture stays searchable and
its citations can be copied.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QHashSeed,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QUuid,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtSvg import QSvgGenerator

from explorer.render import palette
from explorer.render.painter import Theme, TimelinePainter
from explorer.render.pdf_text import fix_tounicode
from explorer.render.snapshot import CitedSource, KeyEntry, LegendEntry, Snapshot

#: Draws the timeline into the given rectangle (logical pixels) with the given painter.
TimelineDrawer = Callable[[QPainter, QRectF], None]
#: Draws the legend swatch of one entry into a small square.
SwatchDrawer = Callable[[QPainter, QRectF, LegendEntry], None]

PAGES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
FORMATS = ("png", "svg", "pdf")

# Logical pixels are CSS pixels (96 per inch) in every format, so one layout serves all three.
_CSS_DPI = 96.0
MARGIN = 24.0
#: Qt's PNG quality (80: zlib level 1): fast to encode, see render_png.
PNG_QUALITY = 80
_COL_GAP = 24.0
_INK = QColor(palette.INK)
_MUTED = QColor(palette.MUTED)
_RULE = QColor(palette.RULE)
_app: QGuiApplication | None = None


#: The platform of the Gui application a headless export makes: no window, no display needed.
EXPORT_PLATFORM = "offscreen"


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication (the app's, when File → Export runs), or a new offscreen one.

    Painting text and pictures needs a Gui application, never a window: the command line always
    renders on Qt's offscreen platform, whatever QT_QPA_PLATFORM names, so `explorer export`
    works with no display at all, with a DISPLAY whose server is gone, and with a platform that
    cannot start here (`xcb` without DISPLAY, `eglfs`, a typo), where Qt would abort the
    process. The `-platform` argument overrides the variable, which is left as the user set it.
    """
    global _app
    existing = QGuiApplication.instance()
    if existing is not None:
        return existing  # type: ignore[return-value]
    deterministic_hashes()
    _app = QGuiApplication(["explorer-export", "-platform", EXPORT_PLATFORM])
    return _app


def deterministic_hashes() -> None:
    """Qt's hash tables iterate in the same order in every process: a PDF embeds its font
    subsets in that order, so without this two runs of the same export differ. Call it before
    the application object is made (nothing hashed yet)."""
    QHashSeed.setDeterministicGlobalSeed()


# --------------------------------------------------------------------------- fonts


def ui_font(pixel_size: float, bold: bool = False) -> QFont:
    """The export font: a sans serif with a CJK fallback, sized in logical pixels."""
    font = QFont()
    # Families in order: Qt falls back along the list for glyphs the first one lacks, and
    # Noto Sans CJK covers Chinese and Japanese (fonts-noto-cjk on Debian).
    font.setFamilies(
        ["DejaVu Sans", "Noto Sans", "Helvetica Neue", "Arial", "Noto Sans CJK SC", "sans-serif"]
    )
    font.setPixelSize(max(1, round(pixel_size)))
    font.setBold(bold)
    # Kerning and hinting off: identical advances in PNG, SVG and PDF, so a layout measured once
    # fits every format.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


# --------------------------------------------------------------------------- text blocks


def _layout_lines(text: str, font: QFont, width: float, bold: int = 0) -> QTextLayout:
    """`text` wrapped to `width`; its first `bold` characters in bold."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    # URLs have no spaces: break them anywhere rather than run off the page.
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    if bold:
        strong = QTextCharFormat()
        strong.setFontWeight(QFont.Weight.Bold)
        span = QTextLayout.FormatRange()
        span.start, span.length, span.format = 0, bold, strong
        layout.setFormats([span])
    layout.beginLayout()
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += line.height()
    layout.endLayout()
    return layout


class _Block(Protocol):
    def boundingRect(self) -> QRectF: ...

    def draw(self, painter: QPainter, pos: QPointF) -> None: ...


def _height(layout: QTextLayout | _Block) -> float:
    return layout.boundingRect().height()


class _SourceBlock:
    """One numbered source: its words wrapped at word boundaries, then its URL kept whole.

    The URL goes on the last line when it fits there, else on a line of its own, and is broken
    only when it is wider than the column: a URL copied out of the picture must still work.
    """

    def __init__(self, number: int, source: CitedSource, font: QFont, width: float) -> None:
        words = f"{number}. {source.words}"
        self.text = _layout_lines(words + ("," if source.url else ""), font, width)
        self.url: QTextLayout | None = None
        self.url_pos = QPointF(0, 0)
        if source.url:
            fm = QFontMetricsF(font)
            url_w = fm.horizontalAdvance(source.url)
            last = self.text.lineAt(self.text.lineCount() - 1)
            gap = fm.horizontalAdvance(" ")
            if last.naturalTextWidth() + gap + url_w <= width:
                self.url = _layout_lines(source.url, font, width)
                self.url_pos = QPointF(last.naturalTextWidth() + gap, last.y())
            else:
                self.url = _layout_lines(source.url, font, width)
                self.url_pos = QPointF(0, last.y() + last.height())

    def boundingRect(self) -> QRectF:
        rect = self.text.boundingRect()
        if self.url is not None:
            rect = rect.united(self.url.boundingRect().translated(self.url_pos))
        return rect

    def draw(self, painter: QPainter, pos: QPointF) -> None:
        self.text.draw(painter, pos)
        if self.url is not None:
            self.url.draw(painter, pos + self.url_pos)


class _KeyBlock:
    """One line of the key to numbered marks, its number in bold: `1 · 30 May 2024 · …`, on
    at most `lines` lines (cut with an ellipsis)."""

    def __init__(self, entry: KeyEntry, font: QFont, width: float, lines: int = 2) -> None:
        text = entry.line
        bold = len(str(entry.number))
        self.text = _layout_lines(text, font, width, bold=bold)
        while self.text.lineCount() > lines:
            last = self.text.lineAt(lines - 1)
            cut = max(bold + 3, min(len(text) - 1, last.textStart() + last.textLength() - 2))
            text = text[:cut].rstrip(" ·;,") + "…"
            self.text = _layout_lines(text, font, width, bold=bold)

    def boundingRect(self) -> QRectF:
        return self.text.boundingRect()

    def draw(self, painter: QPainter, pos: QPointF) -> None:
        self.text.draw(painter, pos)


def _draw_text(
    painter: QPainter, text: str, font: QFont, x: float, y: float, width: float, colour: QColor
) -> float:
    """Draw wrapped text with its top-left at (x, y); returns its height."""
    layout = _layout_lines(text, font, width)
    painter.setPen(colour)
    layout.draw(painter, QPointF(x, y))
    return _height(layout)


def _draw_swatch(painter: QPainter, rect: QRectF, entry: LegendEntry) -> None:
    """The legend swatch of an entry, drawn by the timeline's painter (as the marks are)."""
    TimelinePainter(Theme.light()).swatch(painter, rect, entry)


# --------------------------------------------------------------------------- page layout

#: The least text size of the key and the source list: 9 logical pixels in a PNG or SVG, and
#: on a printed page (PDF) 6.75 points (the least legible size is about 6.5).
MIN_PICTURE_PX = 9.0
MIN_PDF_PX = 9.0


@dataclass
class PageResult:
    """What did not fit on a page: the key entries and the sources still to list (a PDF
    continues them on further pages)."""

    sources_left: list[CitedSource]
    key_left: list[KeyEntry] = field(default_factory=list)
    first_source: int = 1


class _Sizes:
    """Font sizes and spacing scaled to the picture, so a small picture is not all text (a page
    keeps its sizes: 10.5 px is 8 pt in print)."""

    def __init__(self, rect: QRectF, scale: float | None = None, least: float = 9.0) -> None:
        k = scale if scale is not None else max(0.75, min(1.25, rect.width() / 1400))
        self.title = ui_font(22 * k, bold=True)
        self.sub = ui_font(13 * k)
        self.body = ui_font(12 * k)
        self.small = ui_font(10.5 * k)
        self.small_bold = ui_font(10.5 * k, bold=True)
        # the source list and the key: compact, smaller than the legend, still legible (8 pt
        # at k=1.25, 7 pt on a printed page), down to `least` when they need the room
        self.list_px = max(least, 9.5 * k)
        self.least_px = least
        self.gap = 8 * k
        self.swatch = 14 * k
        self.swatch_w = 30 * k

    def list_fonts(self) -> list[QFont]:
        """The list's text sizes to try, largest first."""
        sizes = [round(self.list_px)]
        if round(self.least_px) < sizes[0]:
            sizes.append(round(self.least_px))
        return [_list_font(px) for px in sizes]


def _list_font(px: float) -> QFont:
    """The font of the key and the source list at `px` logical pixels (whole pixels)."""
    return ui_font(px)


def _legend_height(snapshot: Snapshot, sizes: _Sizes, width: float) -> float:
    return _legend(None, snapshot, sizes, QRectF(0, 0, width, 1e6), None)


def _legend(
    painter: QPainter | None,
    snapshot: Snapshot,
    sizes: _Sizes,
    rect: QRectF,
    swatch: SwatchDrawer | None,
) -> float:
    """Lay out (and with a painter, draw) the legend in rows; returns its height."""
    fm = QFontMetricsF(sizes.small)
    row_h = max(fm.height(), sizes.swatch) + 4
    x, y = rect.left(), rect.top()
    groups: Sequence[tuple[str, str]] = (
        ("kind", "Kinds"),
        ("status", "Status"),
        ("form", "Forms"),
    )
    for group, heading in groups:
        entries = [e for e in snapshot.legend if e.group == group]
        if not entries:
            continue
        head_w = QFontMetricsF(sizes.small_bold).horizontalAdvance(heading + ":") + 8
        first_w = sizes.swatch_w + 4 + fm.horizontalAdvance(entries[0].label) + 16
        # a heading never ends a row: it stays with its first entry
        if x + head_w + first_w > rect.right() and x > rect.left():
            x, y = rect.left(), y + row_h
        if painter is not None:
            painter.setFont(sizes.small_bold)
            painter.setPen(_INK)
            painter.drawText(QPointF(x, y + fm.ascent() + (row_h - fm.height()) / 2), heading + ":")
        x += head_w
        for entry in entries:
            w = sizes.swatch_w + 4 + fm.horizontalAdvance(entry.label) + 16
            if x + w > rect.right() and x > rect.left():
                x, y = rect.left() + head_w, y + row_h
            if painter is not None:
                sw = QRectF(x, y + (row_h - sizes.swatch) / 2, sizes.swatch_w, sizes.swatch)
                (swatch or _draw_swatch)(painter, sw, entry)
                painter.setFont(sizes.small)
                painter.setPen(_INK)
                painter.drawText(
                    QPointF(x + sizes.swatch_w + 4, y + fm.ascent() + (row_h - fm.height()) / 2),
                    entry.label,
                )
            x += w
        x += 12
    return y + row_h - rect.top()


def _sources_heading(snapshot: Snapshot, continued: bool = False) -> str:
    n = len(snapshot.sources) + snapshot.sources_more
    noun = "source" if n == 1 else "sources"
    lists = sum(1 for s in snapshot.sources if s.covers)
    what = f" ({lists} of them imported list files, one line each)" if lists else ""
    more = " (continued)" if continued else ""
    return f"Cited by the events shown: {n:,} {noun}{what}{more}"


def _key_heading(entries: Sequence[KeyEntry], continued: bool = False) -> str:
    if continued:
        return f"Numbered marks (continued): {entries[0].number}–{entries[-1].number}"
    n = len(entries)
    noun = "mark" if n == 1 else "marks"
    return f"Numbered marks: {n:,} {noun} the timeline had no room to label"


#: A column of sources is at least this wide (logical pixels): an entry of two or three lines.
MIN_SOURCE_COL = 440.0
#: ... and when the list must shrink to fit, at least this wide (URLs may then break).
MIN_TIGHT_COL = 330.0
#: A column of the key is at least this wide.
MIN_KEY_COL = 300.0


def _source_columns(width: float, sources: Sequence[CitedSource], font: QFont) -> int:
    """As many columns as the width holds at MIN_SOURCE_COL each (at most three), and no more
    than keep every URL whole on one line (one that fits the page's width at all): a URL
    copied from the picture, or searched in it, must work."""
    fm = QFontMetricsF(font)
    widest = max(
        (u for u in (fm.horizontalAdvance(s.url) for s in sources) if u <= width), default=0.0
    )
    cols = max(1, min(3, int((width + _COL_GAP) // (MIN_SOURCE_COL + _COL_GAP))))
    while cols > 1 and (width - _COL_GAP * (cols - 1)) / cols < widest:
        cols -= 1
    return cols


def _most_columns(width: float, least: float, most: int = 4) -> int:
    return max(1, min(most, int((width + _COL_GAP) // (least + _COL_GAP))))


@dataclass
class _Columns:
    """A list (sources or key entries) laid out in columns.

    Attributes:
        font: Its text.
        cols: How many columns.
        col_w: Each column's width.
        placed: (column, top within the list, block) of each entry placed, in order.
        count: How many entries were placed (the first `count`).
        height: The columns' height (the tallest).
    """

    font: QFont
    cols: int
    col_w: float
    placed: list[tuple[int, float, _Block]]
    count: int
    height: float


_BlockMaker = Callable[[int, QFont, float], _Block]


@dataclass
class _Way:
    """One way to lay a list out: its text, its columns, the entries measured so far."""

    font: QFont
    cols: int
    col_w: float
    blocks: list[_Block] = field(default_factory=list)
    heights: list[float] = field(default_factory=list)


class _ListLayout:
    """One list's ways to be laid out (text sizes and columns); entries are measured only as
    far as a room asks (a list of thousands placed in a small room measures a few)."""

    def __init__(
        self,
        count: int,
        make: _BlockMaker,
        fonts: Sequence[QFont],
        options: Sequence[int],
        width: float,
    ) -> None:
        self.count = count
        self.make = make
        self.ways: list[_Way] = []
        if count == 0:
            return
        seen: set[tuple[float, int]] = set()
        for font, cols in zip(fonts, options, strict=True):
            key = (float(font.pixelSize()), cols)
            if key in seen:
                continue
            seen.add(key)
            self.ways.append(_Way(font, cols, (width - _COL_GAP * (cols - 1)) / cols))

    def _measure(self, way: _Way, total: float) -> None:
        """Measure entries until they are all measured or their heights pass `total`."""
        used = sum(way.heights)
        while len(way.blocks) < self.count and used <= total:
            block = self.make(len(way.blocks), way.font, way.col_w)
            way.blocks.append(block)
            way.heights.append(_height(block) + 2)
            used += way.heights[-1]

    def place(self, room: float) -> _Columns | None:
        """The first way that places every entry within `room`, else the one that places
        most (the first entries, column after column); None for an empty list."""
        best: _Columns | None = None
        for way in self.ways:
            self._measure(way, max(0.0, room) * way.cols)
            got = _fill(way.blocks, way.heights, way.cols, room, len(way.blocks) == self.count)
            columns = _Columns(way.font, way.cols, way.col_w, got[0], got[1], got[2])
            if columns.count == self.count:
                return columns
            if best is None or columns.count > best.count:
                best = columns
        return best

    def least_first(self) -> float:
        """The least height of the first entry (at the smallest text)."""
        for way in self.ways:
            self._measure(way, 0.0)
        return min((way.heights[0] for way in self.ways if way.heights), default=0.0)

    def whole(self) -> _Columns | None:
        """The first way, every entry placed in balanced columns, whatever the height."""
        if not self.ways:
            return None
        way = self.ways[0]
        self._measure(way, math.inf)
        placed, count, height = _fill(way.blocks, way.heights, way.cols, math.inf)
        return _Columns(way.font, way.cols, way.col_w, placed, count, height)


def _fill(
    blocks: Sequence[_Block],
    heights: Sequence[float],
    cols: int,
    room: float,
    complete: bool = True,
) -> tuple[list[tuple[int, float, _Block]], int, float]:
    """Blocks in `cols` columns within `room`: balanced when all fit (and `complete`: the
    blocks are the whole list), else the first column filled before the next. Returns
    (column, top, block) for each placed, how many, the height used."""
    sums = _column_sums(list(heights), cols)
    placed: list[tuple[int, float, _Block]] = []
    if complete and max(sums, default=0.0) <= room:
        target = sum(heights) / cols
        col, used = 0, 0.0
        for b, h in zip(blocks, heights, strict=True):
            if used + h > target + 1e-6 and used > 0 and col < cols - 1:
                col, used = col + 1, 0.0
            placed.append((col, used, b))
            used += h
        return placed, len(placed), max(sums, default=0.0)
    col, used, tallest = 0, 0.0, 0.0
    for b, h in zip(blocks, heights, strict=True):
        if used + h > room:
            col, used = col + 1, 0.0
            if col >= cols or h > room:
                break
        placed.append((col, used, b))
        used += h
        tallest = max(tallest, used)
    return placed, len(placed), tallest


def _column_sums(heights: list[float], cols: int) -> list[float]:
    target = sum(heights) / cols
    sums = [0.0] * cols
    col = 0
    for h in heights:
        if sums[col] + h > target + 1e-6 and sums[col] > 0 and col < cols - 1:
            col += 1
        sums[col] += h
    return sums


def _source_layout(
    sources: Sequence[CitedSource], first: int, sizes: _Sizes, width: float, tight: bool
) -> _ListLayout:
    """The ways to lay the sources out: the page's size with whole URLs, then (`tight`)
    the least size with whole URLs and in as many columns as hold it (long URLs broken)."""
    fonts = sizes.list_fonts()
    ways_f: list[QFont] = []
    ways_c: list[int] = []
    for font in fonts:
        ways_f.append(font)
        ways_c.append(_source_columns(width, sources, font))
    if tight:
        ways_f.append(fonts[-1])
        ways_c.append(_most_columns(width, MIN_TIGHT_COL))

    def make(i: int, font: QFont, col_w: float) -> _Block:
        return _SourceBlock(first + i, sources[i], font, col_w)

    return _ListLayout(len(sources), make, ways_f, ways_c, width)


def _key_layout(
    entries: Sequence[KeyEntry], sizes: _Sizes, width: float, lines: int = 2
) -> _ListLayout:
    fonts = sizes.list_fonts()
    cols = _most_columns(width, MIN_KEY_COL)

    def make(i: int, font: QFont, col_w: float) -> _Block:
        return _KeyBlock(entries[i], font, col_w, lines)

    return _ListLayout(len(entries), make, fonts, [cols] * len(fonts), width)


@dataclass
class _Plan:
    """Where everything on a page goes (heights in logical pixels)."""

    sizes: _Sizes
    inner: QRectF
    head: list[tuple[QTextLayout, QColor, float]]  # title, subtitle, filters with spacing
    head_h: float
    footer: QTextLayout
    legend_h: float
    heading_h: float  # a list's heading line
    more_h: float  # a list's "… and N more" line
    timeline_h: float
    key: list[KeyEntry]
    key_cols: _Columns | None
    key_more: str
    key_h: float
    sources: _Columns | None
    sources_more: str
    sources_h: float
    sources_left: list[CitedSource]
    key_left: list[KeyEntry]


@dataclass
class _Choice:
    """One timeline height tried, and what it leaves out."""

    timeline_h: float
    key: list[KeyEntry]
    key_cols: _Columns | None
    sources: _Columns | None
    unexplained: int  # key entries without room (a PDF: for the next page)
    omitted: int  # sources without room
    #: what the drawn timeline costs a reader (the drawer's ``cost_for``): numbered marks
    #: and lanes drawn together, then labels shortened
    drawn: tuple[int, int]

    def cost(self, paged: bool) -> tuple[int, int, int]:
        """Marks left unexplained; then the timeline's cost; then labels shortened and (a PNG
        or SVG) sources left out, one for one. A PDF continues its key and its sources on
        the next pages: they do not hold the timeline back (key entries moved to the next
        page count as shortened labels)."""
        if paged:
            return (0, self.drawn[0], self.drawn[1] + self.unexplained)
        return (self.unexplained, self.drawn[0], self.drawn[1] + self.omitted)


def _plan_page(
    rect: QRectF,
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    *,
    text_scale: float | None,
    paged: bool,
    least_px: float,
    timeline_h: float | None = None,
) -> _Plan:
    """Lay a page out; everything within `rect`.

    Top to bottom: the title block, the timeline, the key to its numbered marks, the legend,
    the sources in columns, the footer. The timeline's height is chosen among a few, from the
    height that shows every label (or the most the page gives) down to about half the room:
    a PNG or SVG takes the first that leaves no numbered mark out of its key; then (every
    format) the fewest numbered marks and lanes drawn together; then the fewest labels
    shortened, sources left out (a PNG or SVG) and key entries moved to the next page (a
    PDF); then the tallest. What the key and the sources leave goes to the timeline. The key
    and the sources shrink to `least_px` and take more columns before anything is left out;
    a PDF (`paged`) continues what is left on further pages, a PNG or SVG says how many are
    left out and which export holds them. A drawer without ``key_for`` (a plain callable)
    has no key; one without ``height_for`` gets ``timeline_h``, or 45% of the page.
    """
    sizes = _Sizes(rect, text_scale, least_px)
    key_lines = 3 if paged else 2
    inner = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    w, ih = inner.width(), inner.height()
    sub = f"{snapshot.counts_text} · lanes by {snapshot.lane_mode}"
    if snapshot.span_text:
        sub = f"Events shown: {snapshot.span_text} · {sub}"
    if snapshot.range_text not in snapshot.title:
        sub = f"{snapshot.range_text[:1].upper()}{snapshot.range_text[1:]} · {sub}"
    head = [
        (_layout_lines(snapshot.title, sizes.title, w), _INK, 2.0),
        (_layout_lines(sub, sizes.sub, w), _MUTED, 2.0),
        (_layout_lines(snapshot.filters_text, sizes.body, w), _INK, sizes.gap),
    ]
    head_h = sum(_height(lay) + space for lay, _, space in head)
    footer = _layout_lines(snapshot.record_text, sizes.small, w)
    legend_h = _legend_height(snapshot, sizes, w)
    gap = sizes.gap
    # everything but the timeline, the key and the sources
    avail = ih - (head_h + gap + legend_h + gap + _height(footer) + gap)
    heading_h = QFontMetricsF(sizes.small_bold).height() + 4
    more_h = QFontMetricsF(_list_font(sizes.list_px)).height() + 2
    sources = list(snapshot.sources)
    has_sources = bool(sources) or snapshot.sources_more > 0
    reserve = heading_h + more_h if has_sources else 0.0
    # a PDF keeps URLs whole (copied out, they must work): what does not fit goes on
    src_layout = _source_layout(sources, 1, sizes, w, tight=not paged)

    height_for = getattr(timeline, "height_for", None)
    key_for: Callable[[QRectF], list[KeyEntry]] | None = getattr(timeline, "key_for", None)
    cost_for: Callable[[QRectF], tuple[int, int]] | None = getattr(timeline, "cost_for", None)
    if timeline_h is not None:
        heights = [timeline_h]
    elif height_for is None:
        heights = [max(10.0, min(ih * 0.45, avail - reserve))]
    else:
        _, full = height_for(w)
        cap = avail - reserve - gap
        if not paged and has_sources:
            cap = min(cap, avail * 0.8)
        top = max(10.0, min(full, cap))
        # the timeline is what the picture is for: at least about half the room
        floor = min(top, avail * (0.5 if paged else 0.55))
        heights = [top]
        h = top
        while len(heights) < 4:
            h *= 0.85
            if h <= floor:
                break
            heights.append(h)
        if floor < top and floor not in heights:
            heights.append(floor)

    def choose(t: float) -> _Choice:
        key = key_for(QRectF(0, 0, w, t)) if key_for is not None else []
        key_lay = _key_layout(key, sizes, w, key_lines) if key else None
        if key_lay is not None:
            # the key shows at least its first entry beside the timeline
            least = heading_h + key_lay.least_first() + more_h
            short = least - (avail - t - gap - reserve)
            if short > 0 and t - short >= 10:
                t -= short
                key = key_for(QRectF(0, 0, w, t)) if key_for is not None else []
                key_lay = _key_layout(key, sizes, w, key_lines) if key else None
        drawn = cost_for(QRectF(0, 0, w, t)) if cost_for is not None else (len(key), 0)
        room = avail - t - gap
        key_cols = None
        if key_lay is not None:
            key_cols = key_lay.place(room - heading_h - reserve - more_h)
        key_h = _list_height(key_cols, heading_h, more_h, len(key))
        src_cols = src_layout.place(room - key_h - heading_h - more_h) if sources else None
        return _Choice(
            t,
            key,
            key_cols,
            src_cols,
            len(key) - (key_cols.count if key_cols else 0),
            len(sources) - (src_cols.count if src_cols else 0),
            drawn,
        )

    best: _Choice | None = None
    last: _Choice | None = None
    for t in heights:
        c = choose(t)
        if best is None or c.cost(paged) < best.cost(paged):
            best = c  # (heights go down: the tallest of equal cost is kept)
        elif last is not None and c.unexplained >= last.unexplained:
            break  # a shorter timeline numbers more marks and explains no more of them
        if c.cost(paged) == (0, 0, 0):
            break  # every mark labelled and every source listed: the tallest such timeline
        last = c
    assert best is not None
    # what the key and the sources leave goes to the timeline (more rows, more labels)
    if timeline_h is None and height_for is not None:
        used = (
            best.timeline_h
            + gap
            + _list_height(best.key_cols, heading_h, more_h, len(best.key))
            + _list_height(best.sources, heading_h, more_h, len(sources), snapshot.sources_more)
        )
        spare = avail - used
        if spare > 1:
            grown = choose(best.timeline_h + spare)
            if grown.cost(paged) <= best.cost(paged):
                best = grown
    key = best.key
    key_count = best.key_cols.count if best.key_cols else 0
    key_left = key[key_count:]
    if not key_left:
        key_more = ""
    elif paged:
        key_more = f"… numbers {key_count + 1}–{len(key)} on the next page"
    else:
        key_more = (
            f"… and {len(key_left):,} more numbered marks ({key_count + 1}–{len(key)}): "
            "export as PDF for the whole key"
        )
    src_count = best.sources.count if best.sources else 0
    left = sources[src_count:]
    more = len(left) + snapshot.sources_more
    if not more:
        sources_more = ""
    elif paged and len(left) == more:
        sources_more = f"… {more:,} more sources on the next page"
    else:
        sources_more = f"… and {more:,} more sources: export as PDF or Markdown for all"
    return _Plan(
        sizes,
        inner,
        head,
        head_h,
        footer,
        legend_h,
        heading_h,
        more_h,
        max(10.0, best.timeline_h),
        key,
        best.key_cols,
        key_more,
        _list_height(best.key_cols, heading_h, more_h, len(key)),
        best.sources,
        sources_more,
        _list_height(best.sources, heading_h, more_h, len(sources), snapshot.sources_more),
        left,
        key_left,
    )


def _list_height(
    cols: _Columns | None, heading_h: float, more_h: float, total: int, more: int = 0
) -> float:
    """A list's height on the page: its heading, its columns, its "… more" line."""
    if total == 0 and more == 0:
        return 0.0
    placed = cols.count if cols else 0
    return heading_h + (cols.height if cols else 0.0) + (more_h if placed < total or more else 0.0)


def _draw_list(
    painter: QPainter,
    heading: str,
    cols: _Columns | None,
    more: str,
    sizes: _Sizes,
    x: float,
    y: float,
    width: float,
) -> float:
    """A list's heading, its columns and its "… more" line from (x, y); returns the height."""
    top = y
    painter.setFont(sizes.small_bold)
    painter.setPen(_INK)
    fm = QFontMetricsF(sizes.small_bold)
    painter.drawText(QPointF(x, y + fm.ascent()), heading)
    y += fm.height() + 4
    bottom = y
    if cols is not None:
        painter.setPen(_INK)
        for col, dy, block in cols.placed:
            block.draw(painter, QPointF(x + col * (cols.col_w + _COL_GAP), y + dy))
            bottom = max(bottom, y + dy + _height(block) + 2)
    if more:
        font = cols.font if cols is not None else _list_font(sizes.least_px)
        bottom += _draw_text(painter, more, font, x, bottom, width, _MUTED)
    return bottom - top


def paint_page(
    painter: QPainter,
    rect: QRectF,
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    swatch: SwatchDrawer | None = None,
    text_scale: float | None = None,
    *,
    paged: bool = False,
    least_px: float = MIN_PICTURE_PX,
    timeline_h: float | None = None,
) -> PageResult:
    """Paint one snapshot page into `rect` (logical pixels); nothing is drawn outside it.

    Top to bottom: title; range, counts and lanes; filters in words; the timeline; the key
    to its numbered marks; the legend; the cited sources in columns; the data version and
    export date (see _plan_page).

    Args:
        text_scale: Text size factor (None: from the width; a printed page uses 1).
        paged: What does not fit continues on the next page (PDF); otherwise the page says
            how many key entries and sources are left out.
        least_px: The least text size of the key and the sources.
        timeline_h: The timeline's height (None: as _plan_page decides).

    Returns:
        The key entries and sources that did not fit, for a continuation page.
    """
    plan = _plan_page(
        rect,
        snapshot,
        timeline,
        text_scale=text_scale,
        paged=paged,
        least_px=least_px,
        timeline_h=timeline_h,
    )
    sizes, inner = plan.sizes, plan.inner
    w = inner.width()
    painter.save()
    painter.setClipRect(rect)
    y = inner.top()
    for lay, colour, space in plan.head:
        painter.setPen(colour)
        lay.draw(painter, QPointF(inner.left(), y))
        y += _height(lay) + space

    timeline_rect = QRectF(inner.left(), y, w, plan.timeline_h)
    painter.save()
    painter.setClipRect(timeline_rect)
    painter.setFont(sizes.body)
    painter.setPen(_INK)
    timeline(painter, timeline_rect)
    painter.restore()
    painter.setPen(QPen(_RULE, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(timeline_rect)
    y = timeline_rect.bottom() + sizes.gap

    if plan.key:
        heading = _key_heading(plan.key)
        y += _draw_list(painter, heading, plan.key_cols, plan.key_more, sizes, inner.left(), y, w)

    _legend(painter, snapshot, sizes, QRectF(inner.left(), y, w, plan.legend_h), swatch)
    y += plan.legend_h + sizes.gap

    if plan.sources_h:
        heading = _sources_heading(snapshot)
        _draw_list(painter, heading, plan.sources, plan.sources_more, sizes, inner.left(), y, w)

    painter.setPen(_MUTED)
    plan.footer.draw(painter, QPointF(inner.left(), inner.bottom() - _height(plan.footer)))
    painter.restore()
    first = len(snapshot.sources) - len(plan.sources_left) + 1
    return PageResult(plan.sources_left, plan.key_left, first)


def _at_least_one(layout: _ListLayout, room: float) -> _Columns | None:
    """The list placed in `room`, or its first entry alone when even that is taller (a page
    must move the list on)."""
    cols = layout.place(room)
    if cols is not None and cols.count == 0:
        whole = layout.whole()
        if whole is not None:
            whole.placed, whole.count = whole.placed[:1], 1
            whole.height = _height(whole.placed[0][2]) + 2
        return whole
    return cols


def paint_more_page(
    painter: QPainter,
    rect: QRectF,
    snapshot: Snapshot,
    left: PageResult,
    least_px: float = MIN_PDF_PX,
) -> PageResult:
    """A continuation page (PDF): the rest of the key, then the rest of the sources, at the
    least text size in columns. Returns what is still left."""
    sizes = _Sizes(rect, 1.0, least_px)
    sizes.list_px = least_px
    inner = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    w = inner.width()
    painter.save()
    y = inner.top()
    parts = (["key"] if left.key_left else []) + (["sources"] if left.sources_left else [])
    head = f"{snapshot.title}: {' and '.join(parts)} (continued)"
    y += _draw_text(painter, head, sizes.sub, inner.left(), y, w, _INK) + sizes.gap
    footer = _layout_lines(snapshot.record_text, sizes.small, w)
    bottom = inner.bottom() - _height(footer) - sizes.gap
    heading_h = QFontMetricsF(sizes.small_bold).height() + 4
    more_h = QFontMetricsF(_list_font(least_px)).height() + 2
    key_left = list(left.key_left)
    if key_left:
        layout = _key_layout(key_left, sizes, w, lines=3)
        cols = _at_least_one(layout, bottom - y - heading_h - more_h)
        n = cols.count if cols else 0
        key_rest = key_left[n:]
        more = (
            f"… numbers {key_rest[0].number}–{key_rest[-1].number} on the next page"
            if key_rest
            else ""
        )
        heading = _key_heading(key_left, continued=True)
        y += _draw_list(painter, heading, cols, more, sizes, inner.left(), y, w) + sizes.gap
        key_left = key_rest
    sources_left = list(left.sources_left)
    first = left.first_source
    if sources_left and not key_left and bottom - y > heading_h + more_h + 20:
        src_layout = _source_layout(sources_left, first, sizes, w, tight=False)
        src_cols = _at_least_one(src_layout, bottom - y - heading_h - more_h)
        placed = src_cols.count if src_cols else 0
        src_rest = sources_left[placed:]
        more = f"… {len(src_rest):,} more sources on the next page" if src_rest else ""
        heading = _sources_heading(snapshot, continued=True)
        _draw_list(painter, heading, src_cols, more, sizes, inner.left(), y, w)
        sources_left = src_rest
        first += placed
    painter.setPen(_MUTED)
    footer.draw(painter, QPointF(inner.left(), inner.bottom() - _height(footer)))
    painter.restore()
    return PageResult(sources_left, key_left, first)


# --------------------------------------------------------------------------- formats


def _to_bytes(write: Callable[[QBuffer], None]) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    write(buf)
    buf.close()
    return bytes(data.data())


def _begin(painter: QPainter, device: object) -> None:
    if not painter.begin(device):  # type: ignore[arg-type]
        raise RuntimeError("could not start painting the picture")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)


def render_png(
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
    swatch: SwatchDrawer | None = None,
    notify: Callable[[str], None] | None = None,
) -> bytes:
    """The snapshot page as PNG bytes: exactly `width` x `height` logical pixels, times
    `scale` pixels (2 for slides on a high-density screen). What it cannot hold (key entries,
    sources) it says on the page, and in one line through `notify`."""
    ensure_gui_app()
    if width < 200 or height < 150:
        raise ValueError(f"a picture needs at least 200x150 pixels, not {width}x{height}")
    if not 0.5 <= scale <= 4:
        raise ValueError(f"scale {scale} is outside 0.5-4")
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(scale)
    # Paint at 96 dpi so point-sized fonts come out the same size at every scale ...
    dpm = round(_CSS_DPI / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    image.fill(QColor("white"))
    painter = QPainter()
    _begin(painter, image)
    try:
        left = paint_page(painter, QRectF(0, 0, width, height), snapshot, timeline, swatch)
    finally:
        painter.end()
    _say_left(left, snapshot, notify)
    # ... then record the real density in the file, so a slide program sizes it right.
    image.setDotsPerMeterX(round(dpm * scale))
    image.setDotsPerMeterY(round(dpm * scale))
    image.setText("Title", snapshot.title)
    image.setText("Description", f"{snapshot.filters_text}. {snapshot.record_text}")
    image.setText("Software", "Policy Timeline Explorer")

    def write(buf: QBuffer) -> None:
        # Qt's PNG "quality" picks zlib's level: 80 is level 1, a third faster to encode than
        # the default (a 1600x900 page: 50 ms instead of 80) for a file about a tenth larger.
        if not image.save(buf, "PNG", PNG_QUALITY):  # type: ignore[call-overload]
            raise RuntimeError("could not encode the PNG")

    return _to_bytes(write)


_SVG_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"')


def render_svg(
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    width: int = 1600,
    height: int = 900,
    swatch: SwatchDrawer | None = None,
    notify: Callable[[str], None] | None = None,
) -> bytes:
    """The snapshot page as SVG bytes, exactly `width` x `height` (its viewBox), its text kept
    as `<text>` elements. What it cannot hold it says, as a PNG does."""
    ensure_gui_app()
    if width < 200 or height < 150:
        raise ValueError(f"a picture needs at least 200x150 pixels, not {width}x{height}")
    left: list[PageResult] = []

    def write(buf: QBuffer) -> None:
        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QSize(width, height))
        gen.setViewBox(QRectF(0, 0, width, height))
        gen.setResolution(round(_CSS_DPI))
        gen.setTitle(snapshot.title)
        gen.setDescription(f"{snapshot.filters_text}. {snapshot.record_text}")
        painter = QPainter()
        _begin(painter, gen)
        try:
            painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
            rect = QRectF(0, 0, width, height)
            left.append(paint_page(painter, rect, snapshot, timeline, swatch))
        finally:
            painter.end()

    svg = _to_bytes(write).decode("utf-8")
    _say_left(left[0], snapshot, notify)
    # QSvgGenerator gives the size in millimetres; slides and browsers want pixels.
    svg = _SVG_SIZE.sub(f'<svg width="{width}px" height="{height}px"', svg, count=1)
    return svg.encode("utf-8")


def _say_left(left: PageResult, snapshot: Snapshot, notify: Callable[[str], None] | None) -> None:
    """One line through `notify` when a PNG or SVG leaves key entries or sources out."""
    if notify is None:
        return
    parts = []
    if left.key_left:
        n = len(left.key_left)
        parts.append(f"{n:,} numbered mark{'' if n == 1 else 's'} out of its key")
    sources = len(left.sources_left) + snapshot.sources_more
    if sources:
        total = len(snapshot.sources) + snapshot.sources_more
        parts.append(f"{sources:,} of {total:,} cited sources")
    if parts:
        notify(
            f"the picture has no room for {' and '.join(parts)}: "
            "export as PDF (or Markdown, for the sources) for all"
        )


def _page_layout(page: str) -> QPageLayout:
    return QPageLayout(
        QPageSize(PAGES[page]),
        QPageLayout.Orientation.Landscape,
        QMarginsF(8, 8, 8, 8),
        QPageLayout.Unit.Millimeter,
    )


def page_size(page: str) -> tuple[float, float]:
    """The printable area of a landscape page (`a4`, `letter`) in logical pixels (96 per inch)."""
    rect = _page_layout(page).paintRectPixels(round(_CSS_DPI))
    return float(rect.width()), float(rect.height())


def render_pdf(
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    page: str = "a4",
    swatch: SwatchDrawer | None = None,
) -> bytes:
    """The snapshot as a vector PDF on landscape pages (`a4` or `letter`), every font embedded;
    the key to numbered marks and the sources that do not fit the first page continue on the
    next pages."""
    ensure_gui_app()
    if page not in PAGES:
        raise ValueError(f"page {page!r} is not one of {', '.join(PAGES)}")

    def write(buf: QBuffer) -> None:
        writer = QPdfWriter(buf)
        writer.setTitle(snapshot.title)
        writer.setCreator("Policy Timeline Explorer")
        # the same snapshot, the same file: an id from the content, not a random one
        writer.setDocumentId(QUuid(str(uuid.uuid5(uuid.NAMESPACE_URL, _identity(snapshot)))))
        # 96 dpi: the PDF's units are the same logical pixels as the PNG and SVG (and fonts
        # set in points get the size they have on screen); the PDF keeps fractional positions.
        writer.setResolution(round(_CSS_DPI))
        writer.setPageLayout(_page_layout(page))
        painter = QPainter()
        _begin(painter, writer)
        try:
            paint = writer.pageLayout().paintRectPixels(round(_CSS_DPI))
            rect = QRectF(0, 0, paint.width(), paint.height())
            left = paint_page(
                painter,
                rect,
                snapshot,
                timeline,
                swatch,
                text_scale=1.0,
                paged=True,
                least_px=MIN_PDF_PX,
            )
            while left.key_left or left.sources_left:
                writer.newPage()
                left = paint_more_page(painter, rect, snapshot, left)
        finally:
            painter.end()

    # Qt's ToUnicode maps give back 口 as the radical ⼝ and spaces as tabs: put them right.
    return _dated(fix_tounicode(_to_bytes(write)), snapshot.exported)


def _identity(snapshot: Snapshot) -> str:
    """What makes a snapshot itself (for a PDF's document id)."""
    parts = (snapshot.title, repr(snapshot.window), snapshot.lane_mode, str(snapshot.shown))
    return "|".join((*parts, snapshot.filters_text, snapshot.exported.isoformat()))


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}Z\)")
_XMP_DATE = re.compile(rb'(xmp:\w+Date=")\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"')


def _dated(pdf: bytes, day: date) -> bytes:
    """The PDF stamped with the export date instead of the wall clock, so the same view gives
    the same bytes (SOURCE_DATE_EPOCH fixes the export date). Qt writes the clock's time in
    fixed-width forms, replaced here by text of the same length: no offset moves."""
    stamp = day.strftime("%Y%m%d000000").encode()
    xmp = day.strftime("%Y-%m-%dT00:00:00+00:00").encode()
    pdf = _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp + b"Z)", pdf)
    return _XMP_DATE.sub(lambda m: m.group(1) + xmp + b'"', pdf)


def render(
    fmt: str,
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    *,
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
    page: str = "a4",
    swatch: SwatchDrawer | None = None,
    notify: Callable[[str], None] | None = None,
) -> bytes:
    """The picture in format `fmt` (png, svg or pdf) as bytes; `notify` hears, in one line,
    what a PNG or SVG had no room for."""
    if fmt == "png":
        return render_png(snapshot, timeline, width, height, scale, swatch, notify)
    if fmt == "svg":
        return render_svg(snapshot, timeline, width, height, swatch, notify)
    if fmt == "pdf":
        return render_pdf(snapshot, timeline, page, swatch)
    raise ValueError(f"format {fmt!r} is not a picture format ({', '.join(FORMATS)})")


__all__ = [
    "FORMATS",
    "PAGES",
    "PageResult",
    "SwatchDrawer",
    "TimelineDrawer",
    "ensure_gui_app",
    "paint_more_page",
    "paint_page",
    "render",
    "render_pdf",
    "render_png",
    "render_svg",
    "ui_font",
]
