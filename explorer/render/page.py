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
from dataclasses import dataclass
from datetime import date

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
    QTextLayout,
    QTextOption,
)
from PySide6.QtSvg import QSvgGenerator

from explorer.render import palette
from explorer.render.painter import Theme, TimelinePainter
from explorer.render.pdf_text import fix_tounicode
from explorer.render.snapshot import CitedSource, LegendEntry, Snapshot

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


def _layout_lines(text: str, font: QFont, width: float) -> QTextLayout:
    layout = QTextLayout(text, font)
    option = QTextOption()
    # URLs have no spaces: break them anywhere rather than run off the page.
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
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


def _height(layout: QTextLayout | _SourceBlock) -> float:
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

    def boundingRect(self) -> QRectF:  # camelCase: stands in for a QTextLayout
        rect = self.text.boundingRect()
        if self.url is not None:
            rect = rect.united(self.url.boundingRect().translated(self.url_pos))
        return rect

    def draw(self, painter: QPainter, pos: QPointF) -> None:
        self.text.draw(painter, pos)
        if self.url is not None:
            self.url.draw(painter, pos + self.url_pos)


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


@dataclass
class PageResult:
    """What did not fit on a page: the sources still to list (a PDF continues them)."""

    sources_left: list[CitedSource]


class _Sizes:
    """Font sizes and spacing scaled to the picture, so a small picture is not all text (a page
    keeps its sizes: 10.5 px is 8 pt in print)."""

    def __init__(self, rect: QRectF, scale: float | None = None) -> None:
        k = scale if scale is not None else max(0.75, min(1.25, rect.width() / 1400))
        self.title = ui_font(22 * k, bold=True)
        self.sub = ui_font(13 * k)
        self.body = ui_font(12 * k)
        self.small = ui_font(10.5 * k)
        self.small_bold = ui_font(10.5 * k, bold=True)
        # the source list: compact, smaller than the legend, still legible (8 pt at k=1.25,
        # 7 pt on a printed page)
        self.source = ui_font(max(9.0, 9.5 * k))
        self.gap = 8 * k
        self.swatch = 14 * k
        self.swatch_w = 30 * k


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


def _sources_heading(snapshot: Snapshot) -> str:
    n = len(snapshot.sources) + snapshot.sources_more
    noun = "source" if n == 1 else "sources"
    return f"Cited by the events shown: {n} {noun}"


#: A column of sources is at least this wide (logical pixels): an entry of two or three lines.
MIN_SOURCE_COL = 440.0


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


def _numbered(sources: Sequence[CitedSource], first: int) -> list[tuple[int, CitedSource]]:
    return [(first + i, s) for i, s in enumerate(sources)]


@dataclass
class _Plan:
    """Where everything on a page goes (heights in logical pixels)."""

    sizes: _Sizes
    inner: QRectF
    head: list[tuple[QTextLayout, QColor, float]]  # title, subtitle, filters with spacing
    head_h: float
    footer: QTextLayout
    legend_h: float
    cols: int
    col_w: float
    heading_h: float
    placed: list[tuple[int, CitedSource, _SourceBlock]]
    left: list[CitedSource]
    more_text: str
    more_h: float
    sources_h: float
    timeline_h: float
    #: How much taller the page must be for every source to fit (0: it fits).
    overflow: float


def _plan_page(
    rect: QRectF,
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    *,
    min_timeline_share: float,
    text_scale: float | None,
    continued: bool,
    fit_all: bool,
    timeline_h: float | None = None,
) -> _Plan:
    """Lay a page out.

    The timeline gets the height its lanes want (a drawer's ``height_for(width)``: the height
    that shows every label, and the least with no count badge), between three tenths and four
    fifths of the page (more, up to nine tenths, when its lanes need it), else
    ``min_timeline_share`` of the page; the sources below it, in columns. With ``fit_all``
    every source is placed and ``overflow`` says how much taller the page must be (the
    timeline keeps its height); otherwise those that do not fit are left for further pages.
    With ``timeline_h`` the timeline gets exactly that.
    """
    sizes = _Sizes(rect, text_scale)
    inner = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    w, ih = inner.width(), inner.height()
    sub = f"{snapshot.counts_text} · lanes by {snapshot.lane_mode}"
    if snapshot.range_text not in snapshot.title:
        sub = f"{snapshot.range_text} · {sub}"
    head = [
        (_layout_lines(snapshot.title, sizes.title, w), _INK, 2.0),
        (_layout_lines(sub, sizes.sub, w), _MUTED, 2.0),
        (_layout_lines(snapshot.filters_text, sizes.body, w), _INK, sizes.gap),
    ]
    head_h = sum(_height(lay) + space for lay, _, space in head)
    footer = _layout_lines(snapshot.record_text, sizes.small, w)
    legend_h = _legend_height(snapshot, sizes, w)
    # everything but the timeline and the sources
    fixed = head_h + sizes.gap + legend_h + sizes.gap + _height(footer) + sizes.gap

    height_for = getattr(timeline, "height_for", None)
    if timeline_h is not None:
        wanted = timeline_h
    elif height_for is None:
        wanted = ih * min_timeline_share
    else:
        need, full = height_for(w)
        wanted = min(max(full, ih * 0.3), max(ih * 0.8, min(need, ih * 0.9)))

    cols = _source_columns(w, snapshot.sources, sizes.source)
    col_w = (w - _COL_GAP * (cols - 1)) / cols
    blocks = [
        (s, _SourceBlock(n, s, sizes.source, col_w)) for n, s in _numbered(snapshot.sources, 1)
    ]
    heading_h = QFontMetricsF(sizes.small_bold).height() + 4 if blocks else 0.0
    more_line = QFontMetricsF(sizes.source).height() + 2
    room = ih - fixed - wanted - heading_h
    if fit_all:
        heights = [_height(lay) + 2 for _, lay in blocks]
        placed = _balance(blocks, heights, cols)
        left: list[CitedSource] = []
    else:
        placed, left = _fit_columns(blocks, cols, room - more_line)
    more = len(left) + snapshot.sources_more
    if not more:
        more_text = ""
    elif continued and len(left) == more:
        more_text = f"… {more:,} more on the next page"
    else:
        more_text = f"… and {more:,} more (the CSV, JSON and Markdown exports list every source)"
    col_heights = [0.0] * cols
    for col, _, lay in placed:
        col_heights[col] += _height(lay) + 2
    more_h = more_line if more_text else 0.0
    sources_h = heading_h + max(col_heights) + more_h if (placed or more_text) else 0.0
    if not placed and not more_text:
        sources_h = 0.0
    overflow = max(0.0, fixed + wanted + sources_h - ih) if fit_all else 0.0
    # the timeline takes what the sources leave (when they run past the page, the height it
    # wants: the page grows), unless its height is given
    final = wanted if timeline_h is not None or overflow else ih - fixed - sources_h
    return _Plan(
        sizes,
        inner,
        head,
        head_h,
        footer,
        legend_h,
        cols,
        col_w,
        heading_h,
        placed,
        left,
        more_text,
        more_h,
        sources_h,
        max(10.0, final),
        overflow,
    )


def paint_page(
    painter: QPainter,
    rect: QRectF,
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    swatch: SwatchDrawer | None = None,
    min_timeline_share: float = 0.45,
    text_scale: float | None = None,
    continued: bool = False,
    *,
    fit_all: bool = False,
    timeline_h: float | None = None,
) -> PageResult:
    """Paint one snapshot page into `rect` (logical pixels).

    Top to bottom: title; range, counts and lanes; filters in words; the timeline; the legend;
    the cited sources in columns; the data version and export date (see _plan_page).

    Args:
        text_scale: Text size factor (None: from the width; a printed page uses 1).
        continued: The sources that do not fit continue on the next page (PDF).
        fit_all: List every source even if it runs past the page (see page_height).
        timeline_h: The timeline's height (None: as _plan_page decides).

    Returns:
        The sources that did not fit, for a continuation page.
    """
    plan = _plan_page(
        rect,
        snapshot,
        timeline,
        min_timeline_share=min_timeline_share,
        text_scale=text_scale,
        continued=continued,
        fit_all=fit_all,
        timeline_h=timeline_h,
    )
    sizes, inner = plan.sizes, plan.inner
    w = inner.width()
    painter.save()
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
    _legend(painter, snapshot, sizes, QRectF(inner.left(), y, w, plan.legend_h), swatch)
    y += plan.legend_h + sizes.gap

    if plan.sources_h:
        painter.setFont(sizes.small_bold)
        painter.setPen(_INK)
        fm = QFontMetricsF(sizes.small_bold)
        painter.drawText(QPointF(inner.left(), y + fm.ascent()), _sources_heading(snapshot))
        y += plan.heading_h
        col_y = [y] * plan.cols
        painter.setPen(_INK)
        for col, _, block in plan.placed:
            x = inner.left() + col * (plan.col_w + _COL_GAP)
            block.draw(painter, QPointF(x, col_y[col]))
            col_y[col] += _height(block) + 2
        if plan.more_text:
            _draw_text(painter, plan.more_text, sizes.source, inner.left(), max(col_y), w, _MUTED)

    painter.setPen(_MUTED)
    plan.footer.draw(painter, QPointF(inner.left(), inner.bottom() - _height(plan.footer)))
    painter.restore()
    return PageResult(plan.left)


def page_height(
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    width: int,
    height: int,
) -> tuple[int, float | None]:
    """The height a PNG or SVG page needs to list every cited source (at least `height`), and
    the timeline height to keep when it grows (the one it has at `height`; None: not grown)."""
    plan = _plan_page(
        QRectF(0, 0, width, height),
        snapshot,
        timeline,
        min_timeline_share=0.45,
        text_scale=None,
        continued=False,
        fit_all=True,
    )
    if plan.overflow <= 0:
        return height, None
    return height + math.ceil(plan.overflow), plan.timeline_h


def grown_height(
    snapshot: Snapshot,
    timeline: TimelineDrawer,
    width: int,
    height: int,
    notify: Callable[[str], None] | None = None,
) -> tuple[int, float | None]:
    """`page_height`, saying in one line through `notify` when the picture grows."""
    new, timeline_h = page_height(snapshot, timeline, width, height)
    if new > height and notify is not None:
        n = len(snapshot.sources)
        notify(
            f"the picture is {width}x{new}, not {width}x{height}: taller so that all "
            f"{n} cited source{'' if n == 1 else 's'} fit below the timeline"
        )
    return new, timeline_h


def _fit_columns(
    blocks: list[tuple[CitedSource, _SourceBlock]], cols: int, room: float
) -> tuple[list[tuple[int, CitedSource, _SourceBlock]], list[CitedSource]]:
    """Place source blocks in columns within `room` height: all of them in balanced columns
    when they fit, else the first column filled before the next; returns the placed blocks and
    the sources left over."""
    heights = [_height(lay) + 2 for _, lay in blocks]
    if max(_column_sums(heights, cols), default=0.0) <= room:
        return _balance(blocks, heights, cols), []
    placed: list[tuple[int, CitedSource, _SourceBlock]] = []
    col, used = 0, 0.0
    for (s, lay), h in zip(blocks, heights, strict=True):
        if used + h > room:
            col, used = col + 1, 0.0
            if col >= cols or h > room:
                break
        placed.append((col, s, lay))
        used += h
    return placed, [s for s, _ in blocks[len(placed) :]]


def _column_sums(heights: list[float], cols: int) -> list[float]:
    target = sum(heights) / cols
    sums = [0.0] * cols
    col = 0
    for h in heights:
        if sums[col] + h > target + 1e-6 and sums[col] > 0 and col < cols - 1:
            col += 1
        sums[col] += h
    return sums


def _balance(
    blocks: list[tuple[CitedSource, _SourceBlock]], heights: list[float], cols: int
) -> list[tuple[int, CitedSource, _SourceBlock]]:
    """Every block, split into columns of about equal height, in reading order."""
    target = sum(heights) / cols
    out: list[tuple[int, CitedSource, _SourceBlock]] = []
    col, used = 0, 0.0
    for (s, lay), h in zip(blocks, heights, strict=True):
        if used + h > target + 1e-6 and used > 0 and col < cols - 1:
            col, used = col + 1, 0.0
        out.append((col, s, lay))
        used += h
    return out


def paint_sources_page(
    painter: QPainter, rect: QRectF, snapshot: Snapshot, sources: list[CitedSource], first: int
) -> list[CitedSource]:
    """A continuation page of the source list (PDF); returns the sources still left."""
    sizes = _Sizes(rect, 1.0)
    inner = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    w = inner.width()
    painter.save()
    y = inner.top()
    head = f"{snapshot.title}: sources (continued)"
    y += _draw_text(painter, head, sizes.sub, inner.left(), y, w, _INK) + sizes.gap
    footer = _layout_lines(snapshot.record_text, sizes.small, w)
    room = inner.bottom() - _height(footer) - sizes.gap - y
    cols = _source_columns(w, sources, sizes.source)
    col_w = (w - _COL_GAP * (cols - 1)) / cols
    blocks = [(s, _SourceBlock(n, s, sizes.source, col_w)) for n, s in _numbered(sources, first)]
    placed, left = _fit_columns(blocks, cols, room)
    if not placed:  # an entry taller than a page: show it anyway rather than loop
        placed, left = [(0, blocks[0][0], blocks[0][1])], sources[1:]
    col_y = [y] * cols
    painter.setPen(_INK)
    for col, _, lay in placed:
        lay.draw(painter, QPointF(inner.left() + col * (col_w + _COL_GAP), col_y[col]))
        col_y[col] += _height(lay) + 2
    painter.setPen(_MUTED)
    footer.draw(painter, QPointF(inner.left(), inner.bottom() - _height(footer)))
    painter.restore()
    return left


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
    """The snapshot page as PNG bytes: `width` x `height` logical pixels, times `scale` pixels
    (2 for slides on a high-density screen); taller when every cited source needs it (see
    grown_height)."""
    ensure_gui_app()
    if width < 200 or height < 150:
        raise ValueError(f"a picture needs at least 200x150 pixels, not {width}x{height}")
    if not 0.5 <= scale <= 4:
        raise ValueError(f"scale {scale} is outside 0.5-4")
    height, timeline_h = grown_height(snapshot, timeline, width, height, notify)
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
        paint_page(
            painter,
            QRectF(0, 0, width, height),
            snapshot,
            timeline,
            swatch,
            fit_all=True,
            timeline_h=timeline_h,
        )
    finally:
        painter.end()
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
    """The snapshot page as SVG bytes, its text kept as `<text>` elements; taller when every
    cited source needs it (see grown_height)."""
    ensure_gui_app()
    if width < 200 or height < 150:
        raise ValueError(f"a picture needs at least 200x150 pixels, not {width}x{height}")
    height, timeline_h = grown_height(snapshot, timeline, width, height, notify)

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
            paint_page(
                painter,
                QRectF(0, 0, width, height),
                snapshot,
                timeline,
                swatch,
                fit_all=True,
                timeline_h=timeline_h,
            )
        finally:
            painter.end()

    svg = _to_bytes(write).decode("utf-8")
    # QSvgGenerator gives the size in millimetres; slides and browsers want pixels.
    svg = _SVG_SIZE.sub(f'<svg width="{width}px" height="{height}px"', svg, count=1)
    return svg.encode("utf-8")


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
    """The snapshot as a vector PDF on a landscape page (`a4` or `letter`), every font embedded;
    sources that do not fit the first page continue on the next pages."""
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
                painter, rect, snapshot, timeline, swatch, text_scale=1.0, continued=True
            ).sources_left
            first = len(snapshot.sources) - len(left) + 1
            while left:
                writer.newPage()
                rest = paint_sources_page(painter, rect, snapshot, left, first)
                first += len(left) - len(rest)
                left = rest
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
    that a PNG or SVG grew taller to list every cited source."""
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
    "grown_height",
    "page_height",
    "paint_page",
    "render",
    "render_pdf",
    "render_png",
    "render_svg",
    "ui_font",
]
