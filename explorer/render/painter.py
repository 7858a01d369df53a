"""Draws one timeline frame onto any QPainter: the widget, and PNG/SVG/PDF exports alike.

API (the export renderers use exactly what the widget uses)::

    from explorer.render.painter import FrameData, Theme, TimelinePainter

    frame = FrameData(scale=TimeScale(...), mode="country", lanes=[Lane(...), ...],
                      density=density_table_or_None, events=window_events_or_None,
                      selected=window_event_or_None, related=[RelatedMark(...), ...])
    layout = TimelinePainter(Theme.light()).paint(painter, QRectF(0, 0, w, h), frame)

* ``FrameData`` is plain data (:mod:`explorer.storage.timeline` values and a
  :class:`~explorer.domain.timescale.TimeScale` whose ``width`` is the plot width, i.e. the
  rect's width minus ``Theme.gutter``; :meth:`TimelinePainter.plot_width` gives it). With
  ``events`` (the rows touching the window, in start order) the frame shows marks, packed in rows
  with labels when few enough are visible and count badges where they collide; with ``events`` None
  it shows each lane's density from ``density`` (a
  :class:`~explorer.storage.timeline.DensityTable`).
  Build it from a view's query (:mod:`explorer.storage.query`): ``query.lanes(mode)``,
  ``query.densities(mode)``, ``query.window(mode, first, last).events``,
  ``query.related(mode, id)``, ``query.marks(mode, [id])``.
* ``paint`` returns a :class:`FrameLayout` (where every mark, badge and lane went) for hit-testing.
* ``TimelinePainter.swatch(painter, rect, entry)`` draws a legend entry
  (:func:`explorer.render.snapshot.legend_entries`) as the marks are drawn.

Colours and shapes come from :mod:`explorer.render.palette`, the one palette.
Marks: each kind has its own shape and colour (Okabe-Ito colours, told apart by colour-blind
readers too); a proposal is hollow with a dashed outline, never a filled mark like a rule in force;
a revoked measure is greyed and struck through. A period is a bar from its start to its end; a
date known only to the month, quarter or year is a soft band across that whole span.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QStaticText,
    QTransform,
)

from explorer.domain.dates import DateError, PartialDate, display_span
from explorer.domain.lanes import Mark, pack
from explorer.domain.model import RelationKind
from explorer.domain.timescale import TimeScale, ticks
from explorer.render import palette
from explorer.render.snapshot import LegendEntry
from explorer.storage.timeline import DensityTable, Lane, LaneKey, RelatedMark, WindowEvent

BAND_ROWS = 8  # image rows per lane in the density image (the band is the middle six)
COVERING_MAX = 2  # more spans than this covering the whole view become one "ongoing" row
LABEL_MAX = 300  # labels only when at most this many events are visible
SHAPE_MAX = 500  # kind shapes (circles, diamonds...) up to this many; plain ticks beyond
ROW_H = 20.0  # height of one row of marks in a lane
MARK = 10.0  # size of a point mark


def lane_height(rows: int) -> float:
    """The height of a lane holding ``rows`` rows of marks (and its gutter's name and count)."""
    # at least room for the gutter's lane name and event count
    return max(46.0, max(1, rows) * ROW_H + 8.0)


@functools.lru_cache(maxsize=32)
def _log_levels(peak: int) -> bytes:
    """Colour index (0 = empty, 1-255 by log count) of every count up to ``peak``.

    Each level covers a run of counts, so the table is made run by run (at most 255 runs),
    not count by count: a filter's new peak of 100,000 costs a fraction of a millisecond, not
    the tens a loop over every count would add to the frame.
    """
    if peak > 200_000:
        return b""
    if peak <= 0:
        return b"\x00"
    scale = 254 / math.log1p(peak)

    def level(c: int) -> int:
        return 1 + int(math.log1p(c) * scale)

    out = [b"\x00"]
    c = 1
    while c <= peak:
        lvl = level(c)
        # the last count of this level: from the float estimate, then exactly
        hi = min(peak, max(c, int(math.expm1(lvl / scale)) + 1))
        while hi > c and level(hi) != lvl:
            hi -= 1
        while hi < peak and level(hi + 1) == lvl:
            hi += 1
        out.append(bytes([lvl]) * (hi - c + 1))
        c = hi + 1
    return b"".join(out)


def _levels_slow(counts: Sequence[int], peak: int) -> bytes:
    scale = 254 / math.log1p(peak)
    return bytes(0 if c <= 0 else 1 + int(math.log1p(c) * scale) for c in counts)


@dataclass(frozen=True)
class Theme:
    """Colours, fonts and sizes of a frame."""

    background: str = "#ffffff"
    lane_even: str = "#f7f8fa"
    lane_odd: str = "#ffffff"
    lane_imported: str = "#fbf6ec"
    grid: str = "#e3e6ea"
    grid_major: str = "#c9ced6"
    text: str = "#1f2328"
    muted: str = "#5f6b7a"
    selection: str = "#1a73e8"
    hover: str = "#f29900"
    badge: str = "#3c4650"
    density: str = "#2b5d8c"
    gutter: float = 150.0
    header: float = 46.0
    font_family: str = ""
    font_px: int = 12

    @staticmethod
    def light() -> Theme:
        return Theme()

    def font(self, px: int | None = None, bold: bool = False) -> QFont:
        f = QFont(self.font_family) if self.font_family else QFont()
        f.setPixelSize(px or self.font_px)
        f.setBold(bold)
        return f


@dataclass
class FrameData:
    """Everything one frame shows (see the module docstring)."""

    scale: TimeScale
    mode: str
    lanes: Sequence[Lane]
    density: DensityTable | None = None
    events: Sequence[WindowEvent] | None = None
    selected: WindowEvent | None = None
    related: Sequence[RelatedMark] = ()
    hover: int = -1
    message: str = ""  # shown over the plot (e.g. "Loading…", "No events")
    # Rows of marks per lane (exports, from TimelinePainter.rows_needed): lanes get heights in
    # proportion, at least these rows each. None: every lane the same height (the widget).
    lane_rows: Mapping[LaneKey, int] | None = None


@dataclass
class PlacedMark:
    """A drawn mark: its event, its hit rectangle and the centre arrows attach to."""

    event: WindowEvent
    rect: QRectF
    center: QPointF


@dataclass
class Badge:
    """A drawn count badge: its rectangle and the events it stands for."""

    rect: QRectF
    ids: list[int]
    first_day: int
    last_day: int


@dataclass
class FrameLayout:
    """Where things went in a painted frame (for hit-testing and tests)."""

    rect: QRectF
    plot: QRectF
    lane_rects: dict[LaneKey, QRectF] = field(default_factory=dict)
    marks: list[PlacedMark] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    related_targets: list[tuple[QRectF, int]] = field(default_factory=list)
    detail: bool = False
    labels: int = 0
    label_rects: list[QRectF] = field(default_factory=list)  # where each drawn label went

    def mark_at(self, pos: QPointF, slop: float = 3.0) -> WindowEvent | None:
        """The event whose mark is under ``pos`` (the nearest when marks touch)."""
        best: tuple[float, WindowEvent] | None = None
        for m in self.marks:
            r = m.rect.adjusted(-slop, -slop, slop, slop)
            if r.contains(pos):
                d = abs(m.center.x() - pos.x()) + abs(m.center.y() - pos.y())
                if best is None or d < best[0]:
                    best = (d, m.event)
        return None if best is None else best[1]

    def badge_at(self, pos: QPointF) -> Badge | None:
        for b in self.badges:
            if b.rect.adjusted(-2, -2, 2, 2).contains(pos):
                return b
        return None

    def related_at(self, pos: QPointF) -> int | None:
        for r, gid in self.related_targets:
            if r.contains(pos):
                return gid
        return None

    def lane_at(self, y: float) -> LaneKey | None:
        for key, r in self.lane_rects.items():
            if r.top() <= y < r.bottom():
                return key
        return None

    def mark_of(self, gid: int) -> PlacedMark | None:
        for m in self.marks:
            if m.event.id == gid:
                return m
        return None


def _relation_words(kind: str) -> str:
    """A relation's words on its arrow ("responds to")."""
    try:
        return RelationKind(kind).label
    except ValueError:
        return kind


def event_date_text(event: WindowEvent) -> str:
    """The event's date as its precision allows ("30 May 2024", "July 2023", "2023 – 2025")."""
    if not event.start:  # a span read from the index alone: its exact dates are in the store
        a, b = date.fromordinal(event.start_day), date.fromordinal(event.end_day)
        return display_span(PartialDate.of(a), PartialDate.of(b))
    try:
        start = PartialDate.parse(event.start)
    except DateError:
        return event.start
    if event.end_day > event.start_day and event.precision == "day":
        end = PartialDate.of(date.fromordinal(event.end_day))
        return display_span(start, end)
    return start.display()


class TimelinePainter:
    """Paints frames with one theme; keeps a cache of label widths per font.

    Args:
        theme: Colours, fonts and sizes.
    """

    def __init__(self, theme: Theme | None = None, raster_cache: bool = False) -> None:
        self.theme = theme or Theme.light()
        # The widget caches the lane gutter as a pixmap; exports (SVG, PDF) keep real text.
        self.raster_cache = raster_cache
        self._gutter_key: tuple[object, ...] | None = None
        self._gutter_pix: QPixmap | None = None
        self._static: dict[tuple[object, ...], QStaticText] = {}
        self._arrow_labels: list[QRectF] = []
        t = self.theme
        self._font = t.font()
        self._small = t.font(t.font_px - 1)
        self._bold = t.font(t.font_px, bold=True)
        self._header_font = t.font(t.font_px + 2, bold=True)
        self._fm = QFontMetricsF(self._font)
        self._fm_small = QFontMetricsF(self._small)
        self._widths: dict[int, float] = {}
        self._colors = {k.value: QColor(c) for k, c in palette.KIND_COLOURS.items()}
        self._pens: dict[tuple[str, str], QPen] = {}
        self._brushes: dict[tuple[str, str], QBrush] = {}
        self._ramps: dict[str, list[int]] = {}

    # ----------------------------------------------------------------- geometry

    def plot_width(self, rect: QRectF) -> float:
        """The width of the time axis inside ``rect`` (the TimeScale's width)."""
        return max(1.0, rect.width() - self.theme.gutter)

    def plot_rect(self, rect: QRectF) -> QRectF:
        t = self.theme
        return QRectF(
            rect.left() + t.gutter,
            rect.top() + t.header,
            self.plot_width(rect),
            max(1.0, rect.height() - t.header),
        )

    def lane_rects(
        self,
        rect: QRectF,
        lanes: Sequence[Lane],
        lane_rows: Mapping[LaneKey, int] | None = None,
    ) -> dict[LaneKey, QRectF]:
        """Each lane's band, full width (gutter included), stacked below the header.

        With ``lane_rows`` each lane is at least as tall as its rows (see ``lane_height``) and
        the height left over is shared equally; otherwise the lanes share the plot equally.
        """
        plot = self.plot_rect(rect)
        if not lanes:
            return {}
        if lane_rows is None:
            h = max(ROW_H + 8, plot.height() / len(lanes))
            return {
                lane.key: QRectF(rect.left(), plot.top() + i * h, rect.width(), h)
                for i, lane in enumerate(lanes)
            }
        heights = [lane_height(lane_rows.get(lane.key, 1)) for lane in lanes]
        spare = max(0.0, plot.height() - sum(heights)) / len(lanes)
        out: dict[LaneKey, QRectF] = {}
        y = plot.top()
        for lane, h in zip(lanes, heights, strict=True):
            out[lane.key] = QRectF(rect.left(), y, rect.width(), h + spare)
            y += h + spare
        return out

    # ----------------------------------------------------------------- the frame

    def paint(self, p: QPainter, rect: QRectF, frame: FrameData) -> FrameLayout:
        """Paint one frame into ``rect`` and say where everything went."""
        t = self.theme
        plot = self.plot_rect(rect)
        layout = FrameLayout(QRectF(rect), plot)
        layout.lane_rects = self.lane_rects(rect, frame.lanes, frame.lane_rows)
        p.save()
        p.setClipRect(rect)
        p.fillRect(rect, QColor(t.background))
        self._paint_lanes(p, rect, frame, layout)
        self._paint_grid(p, frame.scale, plot, rect)
        p.save()
        p.setClipRect(plot.adjusted(0, 0, 0, 0))
        if frame.events is not None:
            self._paint_detail(p, frame, layout)
        elif frame.density is not None:
            self._paint_density(p, frame, layout)
        self._paint_selection(p, frame, layout)
        p.restore()
        self._paint_header(p, rect, frame)
        self._paint_lane_labels(p, rect, frame, layout)
        if frame.message:
            p.setFont(self._header_font)
            p.setPen(QColor(t.muted))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, frame.message)
        p.restore()
        return layout

    def _paint_lanes(
        self, p: QPainter, rect: QRectF, frame: FrameData, layout: FrameLayout
    ) -> None:
        t = self.theme
        for i, lane in enumerate(frame.lanes):
            r = layout.lane_rects[lane.key]
            color = (
                t.lane_imported if lane.imported else (t.lane_even if i % 2 == 0 else t.lane_odd)
            )
            p.fillRect(r, QColor(color))
        p.setPen(QPen(QColor(t.grid), 1))
        for r in layout.lane_rects.values():
            p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))

    def _paint_grid(self, p: QPainter, scale: TimeScale, plot: QRectF, rect: QRectF) -> None:
        t = self.theme
        minor = QPen(QColor(t.grid), 1)
        major = QPen(QColor(t.grid_major), 1)
        p.setFont(self._small)
        fm_h = self._fm_small.height() + 1
        text_pen = QPen(QColor(t.text))
        muted_pen = QPen(QColor(t.muted))
        for tick in ticks(scale, 64.0):
            x = plot.left() + tick.x
            p.setPen(major if tick.major else minor)
            p.drawLine(QPointF(x, plot.top() - 6), QPointF(x, plot.bottom()))
            p.setPen(text_pen if tick.major else muted_pen)
            p.drawStaticText(
                QPointF(x + 3, plot.top() - 4 - fm_h),
                self._static_text(("tick", tick.label), tick.label, self._small),
            )
        # a soft edge between header and lanes
        p.setPen(QPen(QColor(t.grid_major), 1))
        p.drawLine(QPointF(rect.left(), plot.top()), QPointF(rect.right(), plot.top()))

    def _paint_header(self, p: QPainter, rect: QRectF, frame: FrameData) -> None:
        t = self.theme
        p.setFont(self._header_font)
        p.setPen(QColor(t.text))
        p.drawText(
            QRectF(rect.left() + t.gutter + 4, rect.top() + 2, rect.width() - t.gutter - 8, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            frame.scale.range_text(),
        )
        p.setFont(self._small)
        p.setPen(QColor(t.muted))
        mode = "Lanes by country" if frame.mode == "country" else "Lanes by agency"
        p.drawText(
            QRectF(rect.left() + 8, rect.top() + 2, t.gutter - 12, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            mode,
        )

    def _paint_lane_labels(
        self, p: QPainter, rect: QRectF, frame: FrameData, layout: FrameLayout
    ) -> None:
        if not self.raster_cache:
            self._draw_lane_labels(p, rect, frame, layout)
            return
        device = p.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (
            tuple((ln.key, ln.label, ln.count, ln.imported) for ln in frame.lanes),
            tuple((r.top(), r.height()) for r in layout.lane_rects.values()),
            rect.top(),
            rect.height(),
            ratio,
        )
        gutter = self.theme.gutter
        if key != self._gutter_key or self._gutter_pix is None:
            pix = QPixmap(int(gutter * ratio) + 1, int(rect.height() * ratio) + 1)
            pix.setDevicePixelRatio(ratio)
            pix.fill(QColor(self.theme.background))
            gp = QPainter(pix)
            gp.setRenderHints(p.renderHints())
            gp.translate(-rect.left(), -rect.top())
            self._draw_lane_labels(gp, rect, frame, layout)
            gp.end()
            self._gutter_pix, self._gutter_key = pix, key
        top = layout.plot.top()
        p.drawPixmap(
            QRectF(rect.left(), top, gutter, rect.bottom() - top),
            self._gutter_pix,
            QRectF(0, (top - rect.top()) * ratio, gutter * ratio, (rect.bottom() - top) * ratio),
        )
        p.setPen(QPen(QColor(self.theme.grid_major), 1))
        x = rect.left() + gutter
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def _draw_lane_labels(
        self, p: QPainter, rect: QRectF, frame: FrameData, layout: FrameLayout
    ) -> None:
        t = self.theme
        for i, lane in enumerate(frame.lanes):
            r = layout.lane_rects[lane.key]
            g = QRectF(r.left(), r.top(), t.gutter, r.height())
            color = (
                t.lane_imported if lane.imported else (t.lane_even if i % 2 == 0 else t.lane_odd)
            )
            p.fillRect(g, QColor(color))
            p.setPen(QColor(t.text))
            p.setFont(self._bold)
            inner = g.adjusted(8, 2, -6, -2)
            name_h = min(inner.height(), 30.0)
            p.drawText(
                QRectF(inner.left(), inner.top(), inner.width(), name_h),
                Qt.AlignmentFlag.AlignLeft
                | Qt.AlignmentFlag.AlignVCenter
                | Qt.TextFlag.TextWordWrap,
                self._elide(lane.label, inner.width(), self._bold, lines=2),
            )
            if inner.height() >= name_h + 12:
                p.setFont(self._small)
                p.setPen(QColor(t.muted))
                n = lane.count
                p.drawText(
                    QRectF(inner.left(), inner.top() + name_h, inner.width(), 14),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    f"{n:,} event{'' if n == 1 else 's'}",
                )
        p.setPen(QPen(QColor(t.grid_major), 1))
        x = rect.left() + t.gutter
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def _static_text(self, key: tuple[object, ...], text: str, font: QFont) -> QStaticText:
        """Text laid out once and drawn many times (labels are drawn on every frame)."""
        st = self._static.get(key)
        if st is None:
            if len(self._static) > 20_000:
                self._static.clear()
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), font)
            self._static[key] = st
        return st

    @staticmethod
    def _elide(text: str, width: float, font: QFont, lines: int = 1) -> str:
        fm = QFontMetricsF(font)
        if fm.horizontalAdvance(text) <= width * lines * 0.95:
            return text
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width * lines * 0.9)

    # ----------------------------------------------------------------- density

    def _ramp(self, color: str) -> list[int]:
        ramp = self._ramps.get(color)
        if ramp is None:
            c = QColor(color)
            bg = QColor(self.theme.background)
            ramp = []
            for i in range(256):
                a = 0.0 if i == 0 else 0.18 + 0.82 * i / 255
                r = round(bg.red() + (c.red() - bg.red()) * a)
                g = round(bg.green() + (c.green() - bg.green()) * a)
                b = round(bg.blue() + (c.blue() - bg.blue()) * a)
                ramp.append((0 if i == 0 else 0xFF000000) | (r << 16) | (g << 8) | b)
            self._ramps[color] = ramp
        return ramp

    def _paint_density(self, p: QPainter, frame: FrameData, layout: FrameLayout) -> None:
        density = frame.density
        if density is None or not frame.lanes:
            return
        scale = frame.scale
        plot = layout.plot
        # Bins of whole days aligned to day 0: panning moves the image, it never reshuffles it.
        bin_days = max(1, math.ceil(scale.span / scale.width * 2))
        k0 = math.floor(scale.start / bin_days)
        k1 = math.ceil(scale.end / bin_days)
        nbins = max(1, k1 - k0)
        rows = [density.binned(lane.key, k0, nbins, bin_days) for lane in frame.lanes]
        peak = max((max(r) for r in rows if r), default=0)
        if peak <= 0:
            return
        lut = _log_levels(peak)
        x0 = plot.left() + scale.x(k0 * bin_days)
        x1 = plot.left() + scale.x((k0 + nbins) * bin_days)
        # One image for every lane, BAND_ROWS rows per lane (blank rows above and below the
        # band), drawn with one scaled drawImage: a frame costs the same at any store size.
        lanes = list(frame.lanes)
        rects = [layout.lane_rects[ln.key] for ln in lanes]
        blank = bytes(nbins)
        parts = []
        for counts in rows:
            line = bytes(map(lut.__getitem__, counts)) if lut else _levels_slow(counts, peak)
            parts.append(blank + line * (BAND_ROWS - 2) + blank)
        data = b"".join(parts)
        img = QImage(data, nbins, BAND_ROWS * len(lanes), nbins, QImage.Format.Format_Indexed8)
        img.setColorTable(self._ramp(self.theme.density))
        top, bottom = rects[0].top(), rects[-1].bottom()
        # scaling an indexed image is a slow path; a premultiplied one is the fast one (6x)
        img = img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        p.drawImage(QRectF(x0, top, x1 - x0, bottom - top), img)
        layout.detail = False

    # ----------------------------------------------------------------- detail

    def _label_width(self, e: WindowEvent) -> float:
        w = self._widths.get(e.id)
        if w is None:
            w = self._fm.horizontalAdvance(e.title) + 2
            if len(self._widths) > 200_000:
                self._widths.clear()
            self._widths[e.id] = w
        return w

    def _pen(self, kind: str, status: str) -> QPen:
        key = (kind, status)
        pen = self._pens.get(key)
        if pen is None:
            c = QColor(self._colors.get(kind, QColor("#444")))
            if status == "revoked":
                c = QColor(palette.REVOKED_LINE)
            width = 1.2
            if status == "in_force":
                # a heavy near-black ring: told apart from "announced" even at export size
                c, width = QColor(self.theme.text), 2.2
            elif status in ("proposed", "reported"):
                width = 1.6
            pen = QPen(c, width)
            if status == "proposed":
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setDashPattern([2.5, 1.8])
            self._pens[key] = pen
        return pen

    def _brush(self, kind: str, status: str) -> QBrush:
        key = (kind, status)
        brush = self._brushes.get(key)
        if brush is None:
            c = QColor(self._colors.get(kind, QColor("#444")))
            if status == "proposed":
                brush = QBrush(QColor(self.theme.background))
            elif status == "revoked":
                brush = QBrush(QColor(palette.REVOKED_FILL))
            elif status == "reported":
                # pale: a quarter of the kind's colour on the background (a centre dot is added)
                bg = QColor(self.theme.background)
                pale = QColor(
                    round(bg.red() * 0.72 + c.red() * 0.28),
                    round(bg.green() * 0.72 + c.green() * 0.28),
                    round(bg.blue() * 0.72 + c.blue() * 0.28),
                )
                brush = QBrush(pale)
            else:
                brush = QBrush(c)
            self._brushes[key] = brush
        return brush

    def _bar_brush(self, kind: str, status: str) -> QBrush:
        key = ("bar:" + kind, status)
        brush = self._brushes.get(key)
        if brush is None:
            c = QColor(self._brush(kind, status).color())
            if status != "proposed":
                c.setAlpha(70)
            brush = QBrush(c)
            self._brushes[key] = brush
        return brush

    def _visible_by_lane(
        self, frame: FrameData
    ) -> tuple[dict[LaneKey, list[WindowEvent]], dict[LaneKey, list[WindowEvent]], int]:
        """The events drawn one by one per lane, the spans covering the whole view per lane,
        and how many events are drawn one by one."""
        lo, hi = frame.scale.start, frame.scale.end
        by_lane: dict[LaneKey, list[WindowEvent]] = {}
        # Spans that cover the whole view (long periods, dates known only to the year) look
        # alike here: a lane with more than a couple of them shows one "ongoing" row instead.
        covering: dict[LaneKey, list[WindowEvent]] = {}
        visible = 0
        for e in frame.events or ():
            if e.end_day + 1 < lo or e.start_day > hi:
                continue
            if e.start_day < lo and e.end_day + 1 > hi:
                covering.setdefault(e.lane, []).append(e)
                continue
            by_lane.setdefault(e.lane, []).append(e)
            visible += 1
        for key, cov in covering.items():
            if len(cov) <= COVERING_MAX:
                by_lane[key] = cov + by_lane.get(key, [])
                visible += len(cov)
        return by_lane, covering, visible

    def _marks(
        self, lane_events: Sequence[WindowEvent], scale: TimeScale, with_labels: bool
    ) -> list[Mark]:
        """The lane's events as pixel extents (from the plot's left edge) to pack."""
        ppd = scale.px_per_day
        sx = scale.start
        marks = []
        for e in lane_events:
            x0 = (e.start_day - sx) * ppd
            x1 = (e.end_day + 1 - sx) * ppd
            if e.precision == "day" and e.end_day == e.start_day:
                # a day's event is a mark at the middle of its day, at every zoom
                mid = (x0 + x1) / 2
                x0, x1 = mid - MARK / 2, mid + MARK / 2
            # a bar that began before the window is packed (and labelled) from the edge
            if x0 < 0 < x1:
                x0 = 0.0
            label = self._label_width(e) if with_labels and e.title else 0.0
            marks.append(Mark(e.id, x0, x1, label))
        return marks

    def rows_needed(self, frame: FrameData) -> dict[LaneKey, tuple[int, int]]:
        """Per lane with events drawn one by one: the fewest rows in which no marks merge into
        a count badge, and the rows in which every label is shown whole (at least the first).

        A static picture cannot open a badge: exports give each lane the rows it needs (see
        ``FrameData.lane_rows``). Empty for a density frame.
        """
        if frame.events is None:
            return {}
        by_lane, covering, visible = self._visible_by_lane(frame)
        with_labels = visible <= LABEL_MAX
        width = frame.scale.width
        out: dict[LaneKey, tuple[int, int]] = {}
        for lane in frame.lanes:
            events = by_lane.get(lane.key, [])
            extra = 1 if len(covering.get(lane.key, ())) > COVERING_MAX else 0
            if not events:
                if extra:
                    out[lane.key] = (1, 1)
                continue
            marks = self._marks(events, frame.scale, with_labels)
            full = pack(marks, len(marks), labels=with_labels, limit=width).rows_used()
            low = pack(marks, len(marks), labels=False, limit=width).rows_used()
            fewest = full
            for rows in range(low, full):  # the fewest rows with labels where they fit
                if not pack(marks, rows, labels=with_labels, limit=width).clusters:
                    fewest = rows
                    break
            out[lane.key] = (fewest + extra, full + extra)
        return out

    def _paint_detail(self, p: QPainter, frame: FrameData, layout: FrameLayout) -> None:
        scale = frame.scale
        plot = layout.plot
        left = plot.left()
        by_lane, covering, visible = self._visible_by_lane(frame)
        layout.detail = True
        with_labels = visible <= LABEL_MAX
        shapes = visible <= SHAPE_MAX
        fm_h = self._fm.height()
        badges: list[tuple[QRectF, QStaticText]] = []
        for lane in frame.lanes:
            lane_events = by_lane.get(lane.key, [])
            cov = covering.get(lane.key, [])
            summary = len(cov) > COVERING_MAX
            if not lane_events and not summary:
                continue
            r = layout.lane_rects[lane.key]
            rows = max(1, int((r.height() - 6) // ROW_H))
            top = r.top() + (r.height() - rows * ROW_H) / 2
            if summary:
                bar = self._draw_ongoing(p, left, plot.right(), top, len(cov))
                layout.badges.append(
                    Badge(
                        bar,
                        [e.id for e in cov],
                        min(e.start_day for e in cov),
                        max(e.end_day for e in cov),
                    )
                )
                top += ROW_H
                rows = max(1, rows - 1)
            marks = self._marks(lane_events, scale, with_labels)
            # labels stay inside the plot: near its right edge they go before their mark
            packing = pack(marks, rows, labels=with_labels, limit=scale.width)
            by_id = {e.id: e for e in lane_events}
            # soft bands and bars first, points over them, labels last
            for pm in packing.placed:
                e = by_id[pm.id]
                y = top + pm.row * ROW_H
                rect = self._draw_mark(p, e, left + pm.x0, left + pm.x1, y, shapes)
                layout.marks.append(PlacedMark(e, rect, rect.center()))
            if with_labels:
                p.setFont(self._font)
                text_pen = QPen(QColor(self.theme.text))
                p.setPen(text_pen)
                for pm in packing.placed:
                    if pm.label_x is None:
                        continue
                    e = by_id[pm.id]
                    y = top + pm.row * ROW_H
                    lx = left + pm.label_x
                    room = (pm.label_end if pm.label_end is not None else pm.right) - pm.label_x
                    if room + 1 < self._label_width(e):
                        bucket = int(room // 12) * 12  # elided widths in steps: few layouts
                        st = self._static_text(
                            ("label", e.id, bucket),
                            self._fm.elidedText(e.title, Qt.TextElideMode.ElideRight, bucket),
                            self._font,
                        )
                    else:
                        st = self._static_text(("label", e.id), e.title, self._font)
                    p.drawStaticText(QPointF(lx, y + (ROW_H - fm_h) / 2), st)
                    layout.labels += 1
                    layout.label_rects.append(
                        QRectF(lx, y + (ROW_H - fm_h) / 2, st.size().width(), fm_h)
                    )
            for c in packing.clusters:
                y = top + c.row * ROW_H
                members = [by_id[i] for i in c.ids]
                text = f"{len(members):,}"
                st = self._static_text(("badge", text), text, self._small)
                w = max(c.x1 - c.x0, st.size().width() + 10)
                rect = QRectF(left + c.x0, y + 3, w, ROW_H - 6)
                badges.append((rect, st))
                layout.badges.append(
                    Badge(
                        rect,
                        list(c.ids),
                        min(m.start_day for m in members),
                        max(m.end_day for m in members),
                    )
                )
        # badges all at once: one batched call for their backgrounds when there are many
        if badges:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(self.theme.badge))
            if len(badges) <= 120:
                for rect, _ in badges:
                    p.drawRoundedRect(rect, 7, 7)
            else:
                p.drawRects([rect for rect, _ in badges])
            p.setPen(QColor("#ffffff"))
            for rect, st in badges:
                size = st.size()
                p.drawStaticText(
                    QPointF(
                        rect.center().x() - size.width() / 2, rect.center().y() - size.height() / 2
                    ),
                    st,
                )

    def _draw_ongoing(self, p: QPainter, x0: float, x1: float, y: float, n: int) -> QRectF:
        """A lane's row for the spans that cover the whole view: how many, not each one."""
        rect = QRectF(x0, y + 3, x1 - x0, ROW_H - 6)
        c = QColor(self.theme.badge)
        c.setAlpha(28)
        p.fillRect(rect, c)
        text = f"{n:,} spans cover this whole view (periods, dates known to the month or year)"
        st = self._static_text(("ongoing", n), text, self._small)
        p.setPen(QColor(self.theme.muted))
        p.setFont(self._small)
        p.drawStaticText(QPointF(x0 + 6, rect.center().y() - st.size().height() / 2), st)
        return rect

    def _draw_mark(
        self, p: QPainter, e: WindowEvent, x0: float, x1: float, y: float, shapes: bool
    ) -> QRectF:
        """Draw one event's mark in the row starting at ``y``; returns its hit rectangle."""
        kind, status = e.kind, e.status
        cy = y + ROW_H / 2
        if e.precision != "day":
            # known to the month, quarter or year: a soft band over the whole span
            c = QColor(self._colors.get(kind, QColor("#444")))
            band = QRectF(x0, y + 2, max(2.0, x1 - x0), ROW_H - 4)
            c.setAlpha(46)
            p.fillRect(band, c)
            edge = QColor(c)
            edge.setAlpha(120)
            pen = QPen(edge, 1, Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(band)
            if shapes and x1 - x0 > MARK * 2:
                self._draw_shape(p, kind, status, (x0 + x1) / 2, cy, MARK * 0.8)
            return band
        if e.end_day > e.start_day and x1 - x0 > MARK:
            # a period: a tinted bar the height of the row (its label sits inside, readable),
            # with solid caps at its start and end
            bar = QRectF(x0, y + 2, x1 - x0, ROW_H - 4)
            p.setPen(self._pen(kind, status))
            p.setBrush(self._bar_brush(kind, status))
            p.drawRoundedRect(bar, 3, 3)
            if status != "proposed":
                cap = self._brush(kind, status)
                p.fillRect(QRectF(x0, bar.top(), 3, bar.height()), cap)
                p.fillRect(QRectF(x1 - 3, bar.top(), 3, bar.height()), cap)
            if status == "revoked":
                p.drawLine(QPointF(x0, cy), QPointF(x1, cy))
            return bar
        cx = (x0 + x1) / 2
        if shapes:
            self._draw_shape(p, kind, status, cx, cy, MARK)
        else:
            p.fillRect(QRectF(cx - 2, cy - 5, 4, 10), self._brush(kind, "announced").color())
        return QRectF(cx - MARK / 2, cy - MARK / 2, MARK, MARK)

    def _draw_shape(
        self, p: QPainter, kind: str, status: str, cx: float, cy: float, size: float
    ) -> None:
        shape = palette.kind_shape(kind)
        p.setPen(self._pen(kind, status))
        p.setBrush(self._brush(kind, status))
        h = size / 2
        if shape == "circle":
            p.drawEllipse(QPointF(cx, cy), h, h)
        elif shape == "square":
            p.drawRect(QRectF(cx - h * 0.9, cy - h * 0.9, h * 1.8, h * 1.8))
        elif shape == "diamond":
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(cx, cy - h * 1.15),
                        QPointF(cx + h * 1.15, cy),
                        QPointF(cx, cy + h * 1.15),
                        QPointF(cx - h * 1.15, cy),
                    ]
                )
            )
        elif shape == "triangle":
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(cx, cy - h * 1.1),
                        QPointF(cx + h * 1.1, cy + h * 0.9),
                        QPointF(cx - h * 1.1, cy + h * 0.9),
                    ]
                )
            )
        elif shape == "bar":
            p.drawRect(QRectF(cx - h * 0.45, cy - h * 1.1, h * 0.9, h * 2.2))
        else:  # page: a square with a folded corner
            path = QPainterPath()
            path.moveTo(cx - h * 0.8, cy - h)
            path.lineTo(cx + h * 0.3, cy - h)
            path.lineTo(cx + h * 0.8, cy - h * 0.5)
            path.lineTo(cx + h * 0.8, cy + h)
            path.lineTo(cx - h * 0.8, cy + h)
            path.closeSubpath()
            p.drawPath(path)
        if status == "reported":
            # reported by others, not announced: a dot of the kind's colour in a pale mark
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._colors.get(kind, QColor("#444")))
            p.drawEllipse(
                QPointF(cx, cy + (h * 0.2 if shape == "triangle" else 0)), h * 0.32, h * 0.32
            )
        if status == "revoked":
            p.setPen(QPen(QColor("#5f6368"), 1.2))
            p.drawLine(QPointF(cx - h, cy + h), QPointF(cx + h, cy - h))

    def _draw_badge(self, p: QPainter, x0: float, x1: float, y: float, n: int) -> QRectF:
        t = self.theme
        text = f"{n:,}"
        st = self._static_text(("badge", text), text, self._small)
        size = st.size()
        w = max(x1 - x0, size.width() + 10)
        rect = QRectF(x0, y + 3, w, ROW_H - 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.badge))
        p.drawRoundedRect(rect, 7, 7)
        p.setPen(QColor("#ffffff"))
        p.setFont(self._small)
        p.drawStaticText(
            QPointF(rect.center().x() - size.width() / 2, rect.center().y() - size.height() / 2),
            st,
        )
        return rect

    # ----------------------------------------------------------------- selection

    def _selection_point(
        self, frame: FrameData, layout: FrameLayout, e: WindowEvent | RelatedMark
    ) -> QPointF | None:
        placed = layout.mark_of(e.id)
        if placed is not None:
            return placed.center
        r = layout.lane_rects.get(e.lane)
        if r is None:
            return None
        scale = frame.scale
        x = layout.plot.left() + scale.x((e.start_day + e.end_day + 1) / 2)
        return QPointF(x, r.center().y())

    def _paint_selection(self, p: QPainter, frame: FrameData, layout: FrameLayout) -> None:
        t = self.theme
        sel = frame.selected
        if frame.hover >= 0:
            hm = layout.mark_of(frame.hover)
            if hm is not None:
                p.setPen(QPen(QColor(t.hover), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(hm.rect.adjusted(-3, -3, 3, 3), 4, 4)
        if sel is None:
            return
        here = self._selection_point(frame, layout, sel)
        if here is None:
            return
        self._arrow_labels = []
        plot = layout.plot
        # an arrow's words must not hide an event's label or mark
        obstacles = layout.label_rects + [m.rect for m in layout.marks]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for rel in frame.related:
            there = self._selection_point(frame, layout, rel)
            if there is None:
                continue
            clipped = QPointF(min(max(there.x(), plot.left() + 8), plot.right() - 8), there.y())
            a, b = (here, clipped) if rel.outgoing else (clipped, here)
            self._arrow(
                p,
                a,
                b,
                _relation_words(rel.kind),
                plot.top(),
                obstacles,
                plot,
            )
            hit = QRectF(clipped.x() - 8, clipped.y() - 8, 16, 16)
            layout.related_targets.append((hit, rel.id))
            if layout.mark_of(rel.id) is None:
                # the related event is not drawn as a mark here: a ring marks where it is
                p.setPen(QPen(QColor(t.selection), 1.5, Qt.PenStyle.DashLine))
                p.setBrush(QColor(255, 255, 255, 220))
                p.drawEllipse(clipped, 6, 6)
        sm = layout.mark_of(sel.id)
        ring = sm.rect if sm is not None else QRectF(here.x() - 6, here.y() - 6, 12, 12)
        p.setPen(QPen(QColor(t.selection), 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(ring.adjusted(-4, -4, 4, 4), 5, 5)

    def _arrow_label_box(
        self,
        a: QPointF,
        mid: QPointF,
        b: QPointF,
        w: float,
        obstacles: Sequence[QRectF],
        bounds: QRectF | None,
    ) -> QRectF | None:
        """Where an arrow's words go: the first spot on its arc (from the top of the arc
        outwards), else just above or below it, that covers no event label or mark and no
        other arrow's words and stays in ``bounds``; None when none is free (the arrow then
        goes unlabelled: the detail pane names every relation, and a pile of overlapping
        words names none)."""

        def at(t: float) -> QPointF:
            u = 1 - t
            return QPointF(
                u * u * a.x() + 2 * u * t * mid.x() + t * t * b.x(),
                u * u * a.y() + 2 * u * t * mid.y() + t * t * b.y(),
            )

        taken = [*obstacles, *self._arrow_labels]
        for dy in (0.0, -14.0, 14.0, -28.0, 28.0):
            for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
                c = at(t)
                box = QRectF(c.x() - w / 2, c.y() - 8 + dy, w, 16)
                if bounds is not None and not bounds.contains(box):
                    continue
                if not any(box.intersects(r) for r in taken):
                    return box
        return None

    def _arrow(
        self,
        p: QPainter,
        a: QPointF,
        b: QPointF,
        label: str,
        top_limit: float = 0.0,
        obstacles: Sequence[QRectF] | None = None,
        bounds: QRectF | None = None,
    ) -> None:
        t = self.theme
        color = QColor(t.selection)
        dx, dy = b.x() - a.x(), b.y() - a.y()
        dist = math.hypot(dx, dy)
        if dist < 4:
            return
        # a gentle arc, so arrows within one lane do not run over the marks; it bows upwards
        # unless that would leave the plot
        bend = min(60.0, dist * 0.25)
        if min(a.y(), b.y()) - bend < top_limit + 12:
            bend = -bend
        mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2 - bend)
        path = QPainterPath(a)
        path.quadTo(mid, b)
        p.setPen(QPen(color, 1.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        # head: along the curve's end tangent
        ang = math.atan2(b.y() - mid.y(), b.x() - mid.x())
        size = 9.0
        tip = QPointF(b.x() - math.cos(ang) * 7, b.y() - math.sin(ang) * 7)
        left = QPointF(tip.x() - size * math.cos(ang - 0.45), tip.y() - size * math.sin(ang - 0.45))
        right = QPointF(
            tip.x() - size * math.cos(ang + 0.45), tip.y() - size * math.sin(ang + 0.45)
        )
        p.setBrush(color)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(QPolygonF([tip, left, right]))
        # the relation in words, on the arc where it covers no label, mark or other relation
        p.setFont(self._small)
        fm = QFontMetricsF(self._small)
        w = fm.horizontalAdvance(label) + 8
        box = self._arrow_label_box(a, mid, b, w, obstacles or [], bounds)
        if box is None:
            return
        self._arrow_labels.append(QRectF(box))
        p.setBrush(QColor(255, 255, 255, 230))
        p.setPen(QPen(color, 1))
        p.drawRoundedRect(box, 4, 4)
        p.setPen(color)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

    # ----------------------------------------------------------------- legend

    def swatch(self, p: QPainter, r: QRectF, entry: LegendEntry) -> None:
        """Draw a legend entry's swatch as the marks are drawn, so the legend matches them."""
        p.save()
        try:
            if entry.group == "kind":
                status = "proposed" if entry.key == "proposal" else "announced"
                self._swatch(p, entry.key, status, "point", r)
            elif entry.group == "status":
                self._swatch(p, "announcement", entry.key, "point", r)
            elif entry.key == "period":
                self._swatch(p, "rule_in_force", "in_force", "period", r)
            elif entry.key == "band":
                self._swatch(p, "announcement", "announced", "band", r)
            else:
                self._swatch(p, "announcement", "announced", entry.key, r)
        finally:
            p.restore()

    def _swatch(self, p: QPainter, kind: str, status: str, form: str, r: QRectF) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        cy = r.center().y()
        if form == "badge":
            self._draw_badge(p, r.left() + 2, r.right() - 2, r.top(), 12)
        elif form == "arrow":
            p.setPen(QPen(QColor(self.theme.selection), 1.8))
            p.drawLine(QPointF(r.left() + 2, cy), QPointF(r.right() - 6, cy))
            p.setBrush(QColor(self.theme.selection))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(r.right() - 2, cy),
                        QPointF(r.right() - 9, cy - 4),
                        QPointF(r.right() - 9, cy + 4),
                    ]
                )
            )
        else:
            precision = "month" if form == "band" else "day"
            end = 30 if form in ("band", "period") else 0
            fake = WindowEvent(-1, 0, end, (0, ""), kind, status, precision, "", "")
            if form == "point":
                p.setPen(Qt.PenStyle.NoPen)
                self._draw_shape(p, kind, status, r.center().x(), cy, MARK)
            else:
                self._draw_mark(p, fake, r.left() + 2, r.right() - 2, r.top(), True)
