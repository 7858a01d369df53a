"""The overview strip below the timeline: the whole span's density and the visible window.

The strip always spans every event, filtered or not: every event's density is drawn in grey and,
under a filter, the matching events' density over it in colour, on the same scale, so a filter
shows where its events sit in the whole history. Drag the window to pan; click elsewhere to
centre the view there; the wheel zooms the timeline around the pointed day. Shift+drag chooses
the date-range filter (through the workspace); the range being chosen shows as a live band. The
densities are drawn from the model's prefix sums (no SQL) and cached as an image until the
width or the data change.
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from explorer.domain.dates import PartialDate
from explorer.domain.filters import bound_of_day
from explorer.domain.timescale import TimeScale, ticks
from explorer.qt.timeline_model import TimelineModel
from explorer.render import palette
from explorer.render.painter import Theme
from explorer.storage.timeline import DensityTable

HEIGHT = 56
FULL_COLOR = palette.FULL_DENSITY  # every event, under the filtered density


class OverviewStrip(QWidget):
    """The whole span at a glance, with the visible window as a draggable box.

    Args:
        model: The timeline model it shows and moves.
        parent: The Qt parent.
    """

    def __init__(
        self, model: TimelineModel, parent: QWidget | None = None, theme: Theme | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overviewStrip")
        self.setAccessibleName("Overview of the whole timeline")
        self.model = model
        self.theme = theme or Theme.light()
        self.setFixedHeight(HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self._image: QImage | None = None
        self._image_key: tuple[object, ...] | None = None
        self._base: tuple[tuple[object, ...], tuple[QImage, int, int, int], object] | None = None
        self._ticks: tuple[tuple[object, ...], QImage] | None = None
        self._drag_offset: float | None = None
        self._range_anchor: float | None = None
        self._pending: tuple[float, float] | None = None
        model.scaleChanged.connect(self.update)
        model.overviewLoaded.connect(self._invalidate)

    # ----------------------------------------------------------------- geometry

    def full_scale(self) -> TimeScale | None:
        """The scale of the strip: every event's span (with a margin) across the plot width,
        whatever is filtered."""
        ext = self.model.full_extent
        w = self.plot_rect().width()
        if ext is None or w <= 1:
            return None
        return TimeScale.fit(ext[0], ext[1], w, margin=0.02)

    def plot_rect(self) -> QRectF:
        g = self.theme.gutter
        return QRectF(g, 4, max(1.0, self.width() - g - 2), self.height() - 8)

    def window_rect(self) -> QRectF | None:
        """Where the visible window sits on the strip."""
        full = self.full_scale()
        if full is None:
            return None
        s = self.model.scale
        plot = self.plot_rect()
        x0 = plot.left() + full.x(s.start)
        x1 = plot.left() + full.x(s.end)
        if x1 - x0 < 6:
            mid = (x0 + x1) / 2
            x0, x1 = mid - 3, mid + 3
        return QRectF(x0, plot.top(), x1 - x0, plot.height())

    # ----------------------------------------------------------------- painting

    def _invalidate(self) -> None:
        self._image = None
        self.update()

    # ----------------------------------------------------------------- the range being chosen

    def set_pending_range(self, first: float | None, last: float | None) -> None:
        """Show days ``first`` to ``last`` as a live band (a date range being dragged out);
        None clears it. The ends may come in either order."""
        pending = None if first is None or last is None else (min(first, last), max(first, last))
        if pending != self._pending:
            self._pending = pending
            self.update()

    def pending_range(self) -> tuple[float, float] | None:
        """The band shown, as (first day, last day), or None."""
        return self._pending

    def pending_rect(self) -> QRectF | None:
        """Where the band of the range being chosen is drawn."""
        full = self.full_scale()
        if full is None or self._pending is None:
            return None
        plot = self.plot_rect()
        x0 = plot.left() + full.x(math.floor(self._pending[0]))
        x1 = plot.left() + full.x(math.floor(self._pending[1]) + 1)
        return QRectF(x0, plot.top(), max(2.0, x1 - x0), plot.height())

    # ----------------------------------------------------------------- painting

    def _density_image(self, full: TimeScale) -> QImage | None:
        m = self.model
        every, shown = m.full_density, m.density
        plot = self.plot_rect()
        key = (id(every), id(shown), int(plot.width()), int(plot.height()), full.start, full.span)
        if self._image is not None and self._image_key == key:
            return self._image
        if every is None:
            return None
        w, h = max(1, int(plot.width())), max(1, int(plot.height()))
        filtered = shown is not None and shown is not every
        # Every event's columns and the ticks do not change with the filter: a filter change
        # draws only the matching events' columns over a copy of that cached layer.
        base, k0, bin_days, peak = self._base_image(full, every, filtered, w, h)
        img = base.copy()
        if filtered and shown is not None and peak > 0:
            p = QPainter(img)
            # the matching events on the same scale as every event: a visible subset
            color = QColor(self.theme.density)
            color.setAlpha(235)
            sub = shown.binned(None, k0, w, bin_days)
            self._columns(p, full, k0, bin_days, sub, peak, h, color)
            p.end()
        p = QPainter(img)
        p.drawImage(QPointF(0, 0), self._ticks_image(full, w, h))
        p.end()
        self._image = img
        self._image_key = key
        return img

    def _base_image(
        self, full: TimeScale, every: DensityTable, filtered: bool, w: int, h: int
    ) -> tuple[QImage, int, int, int]:
        """Every event's columns (grey under a filter), with their first bin, bin width and
        peak; cached until the data, the size, the scale or the filtered look change."""
        key = (id(every), filtered, w, h, full.start, full.span)
        if self._base is not None and self._base[0] == key:
            return self._base[1]
        bin_days = max(1, math.ceil(full.span / w))
        k0 = math.floor(full.start / bin_days)
        counts = every.binned(None, k0, w, bin_days)
        peak = max(counts, default=0)
        img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(QColor(0, 0, 0, 0))
        if peak > 0:
            p = QPainter(img)
            grey = QColor(FULL_COLOR if filtered else self.theme.density)
            grey.setAlpha(150 if filtered else 170)
            self._columns(p, full, k0, bin_days, counts, peak, h, grey)
            p.end()
        out = (img, k0, bin_days, peak)
        # the table is kept with its id so the id cannot name a newer table
        self._base = (key, out, every)
        return out

    def _ticks_image(self, full: TimeScale, w: int, h: int) -> QImage:
        """The ticks and their labels on a transparent layer, cached with the scale and size
        (the strip repaints on every zoom and pan)."""
        key = (w, h, full.start, full.span)
        if self._ticks is not None and self._ticks[0] == key:
            return self._ticks[1]
        img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(QColor(0, 0, 0, 0))
        p = QPainter(img)
        p.setFont(self.theme.font(self.theme.font_px - 1))
        for tick in ticks(full, 70.0):
            p.setPen(QPen(QColor(self.theme.grid_major), 1))
            p.drawLine(QPointF(tick.x, 0), QPointF(tick.x, h))
            p.setPen(QColor(self.theme.muted))
            p.drawText(QPointF(tick.x + 3, 11), tick.label)
        p.end()
        self._ticks = (key, img)
        return img

    @staticmethod
    def _columns(
        p: QPainter,
        full: TimeScale,
        k0: int,
        bin_days: int,
        counts: list[int],
        peak: int,
        h: int,
        color: QColor,
    ) -> None:
        """One column per bin, as tall as the log of its count against the peak."""
        if peak <= 0:
            return
        scale = (h - 2) / math.log1p(peak)
        x_of = full.x
        xs = [x_of((k0 + i) * bin_days) for i in range(len(counts) + 1)]
        log1p = math.log1p
        rects = []
        for i, c in enumerate(counts):
            if c > 0:
                bh = max(1.0, scale * log1p(c))
                x = xs[i]
                rects.append(QRectF(x, h - bh, max(1.0, xs[i + 1] - x), bh))
        if rects:
            # one call for every column (a fillRect each costs more than the column)
            p.save()
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRects(rects)
            p.restore()

    def paintEvent(self, event: QPaintEvent) -> None:
        t = self.theme
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(t.lane_even))
        plot = self.plot_rect()
        full = self.full_scale()
        p.setPen(QColor(t.muted))
        p.setFont(t.font(t.font_px - 1))
        p.drawText(
            QRectF(8, 0, t.gutter - 12, self.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            "Whole span",
        )
        if full is not None:
            img = self._density_image(full)
            if img is not None:
                p.drawImage(plot.topLeft(), img)
            win = self.window_rect()
            if win is not None:
                # dim what is outside the window, frame what is inside
                shade = QColor(255, 255, 255, 150)
                p.fillRect(
                    QRectF(plot.left(), plot.top(), win.left() - plot.left(), plot.height()), shade
                )
                p.fillRect(
                    QRectF(win.right(), plot.top(), plot.right() - win.right(), plot.height()),
                    shade,
                )
                p.setPen(QPen(QColor(t.selection), 2))
                p.setBrush(QColor(26, 115, 232, 28))
                p.drawRect(win)
            band = self.pending_rect()
            if band is not None and self._pending is not None:
                self._paint_band(p, band, self._pending)
        p.setPen(QPen(QColor(t.grid_major), 1))
        p.drawLine(QPointF(0, 0), QPointF(self.width(), 0))
        p.end()

    def _paint_band(self, p: QPainter, band: QRectF, days: tuple[float, float]) -> None:
        """The range being chosen: a tinted band with its dates written inside or beside it."""
        accent = QColor(palette.RANGE_ACCENT)
        fill = QColor(accent)
        fill.setAlpha(60)
        p.setPen(QPen(accent, 1.5))
        p.setBrush(fill)
        p.drawRect(band)
        a = date.fromordinal(max(1, int(days[0])))
        b = date.fromordinal(max(1, int(days[1])))
        text = f"{PartialDate.of(a).display()} – {PartialDate.of(b).display()}"
        metrics = p.fontMetrics()
        tw = metrics.horizontalAdvance(text) + 8
        x = band.center().x() - tw / 2
        x = min(max(x, self.plot_rect().left()), self.width() - tw)
        box = QRectF(x, band.top() + 1, tw, metrics.height() + 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 255, 255, 225))
        p.drawRect(box)
        p.setPen(QColor(palette.RANGE_TEXT))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # ----------------------------------------------------------------- input

    def _day_at(self, x: float) -> float | None:
        full = self.full_scale()
        if full is None:
            return None
        return full.day(x - self.plot_rect().left())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            # Shift+drag: the date range filter, shown as a live band while the button is held
            self._range_anchor = self._day_at(event.position().x())
            return
        win = self.window_rect()
        x = event.position().x()
        if win is not None and win.left() - 3 <= x <= win.right() + 3:
            self._drag_offset = x - win.center().x()
        else:
            self._drag_offset = 0.0
            self._center_at(x)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        win = self.window_rect()
        x = event.position().x()
        if self._range_anchor is not None:
            self.set_pending_range(self._range_anchor, self._day_at(x))
            return
        if self._drag_offset is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._center_at(x - self._drag_offset)
        elif win is not None and win.left() - 3 <= x <= win.right() + 3:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_offset = None
        anchor, self._range_anchor = self._range_anchor, None
        if anchor is None:
            return
        self.set_pending_range(None, None)
        end = self._day_at(event.position().x())
        if end is not None:
            lo, hi = sorted((anchor, end))
            self.model.workspace.set_range(bound_of_day(int(lo)), bound_of_day(int(hi)))

    def wheelEvent(self, event: QWheelEvent) -> None:
        day = self._day_at(event.position().x())
        dy = event.angleDelta().y()
        if day is not None and dy:
            s = self.model.scale
            self.model.set_scale(s.zoom(1.25 ** (dy / 120), s.x(day)))
        event.accept()

    def _center_at(self, x: float) -> None:
        day = self._day_at(x)
        if day is not None:
            self.model.center_on(day)
