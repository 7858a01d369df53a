"""A picture of a view of a store: the filters' events, the window, the lanes, as PNG, SVG or PDF.

`explorer export --format png|svg|pdf` comes here with its export job: the view is the one the
filters give, with the window fitted to the events they select. The snapshot's words (counts,
filters, kinds shown, cited sources) come from a few aggregate queries, never from loading every
event, so a view of a million-event store renders in a fraction of a second.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from explorer.domain import lanes as lane_packing
from explorer.domain.filters import FilterState, to_sql
from explorer.domain.model import Kind, Status
from explorer.domain.timescale import TimeScale, ticks
from explorer.export import render_picture
from explorer.export.render_picture import KIND_COLOURS, TimelineDrawer, ensure_gui_app, ui_font
from explorer.export.snapshot import Snapshot, make_snapshot
from explorer.storage import export_queries as q
from explorer.storage.store import EventStore

#: At most this many events are drawn one by one; more are drawn as per-lane counts.
DETAIL_LIMIT = 3000
#: The picture lists at most this many sources (the tables list them all).
SOURCE_LIMIT = 400


@dataclass(frozen=True)
class View:
    """What a picture shows: the filters, the window (day numbers) and the lane mode."""

    state: FilterState
    first: float
    last: float
    lane_mode: str = "country"


def fitted_view(store: EventStore, state: FilterState, lane_mode: str, width: float) -> View:
    """The view of the filters' events with the window fitted around them (as `F` does)."""
    where, params = to_sql(state, "e")
    sel = q.selection(store, where, params)
    if sel.first_day is None or sel.last_day is None:
        everything = q.selection(store)
        first = everything.first_day or date.today().toordinal()
        last = everything.last_day or first
    else:
        first, last = sel.first_day, sel.last_day
    scale = TimeScale.fit(first, last, width)
    return View(state, scale.start, scale.end, lane_mode)


def view_snapshot(
    store: EventStore,
    view: View,
    *,
    filters: Sequence[str] = (),
    title: str = "",
    exported: date | None = None,
    width: float = 1600,
) -> Snapshot:
    """The words around the picture of `view`: counts, legend, filters, cited sources."""
    where, params = to_sql(view.state, "e")
    sel = q.selection(store, where, params, view.first, view.last)
    sources = q.cited_sources(store, where, params, view.first, view.last)
    scale = TimeScale(view.first, view.last - view.first, width)
    return make_snapshot(
        window=(view.first, view.last),
        range_text=scale.range_text(),
        lane_mode=view.lane_mode,
        shown=sel.count,
        total=store.count(),
        filters=filters,
        sources=sources,
        source_limit=SOURCE_LIMIT,
        kinds=[Kind(k) for k in sel.kinds],
        statuses=[Status(s) for s in sel.statuses],
        title=title,
        data_version=store.meta().get("data_version", ""),
        exported=exported,
    )


# --------------------------------------------------------------------------- the timeline


class StoreTimeline:
    """Draws the view's events into a rectangle: an axis, a band per lane, marks with labels.

    Up to DETAIL_LIMIT events are drawn one by one, packed into rows with count badges where
    labels would collide; more are drawn as per-lane counts (a histogram per lane).
    """

    AXIS_H = 24.0
    LANE_LABEL_W = 150.0
    ROW_H = 18.0

    def __init__(self, store: EventStore, view: View) -> None:
        self.view = view
        where, params = to_sql(view.state, "e")
        self.marks, self.truncated = q.marks(
            store, where, params, view.first, view.last, view.lane_mode, DETAIL_LIMIT
        )
        self.labels = q.lane_labels(store, view.lane_mode)
        counts = Counter(m.lane for m in self.marks)
        self.bins: dict[str, list[int]] = {}
        if self.truncated:
            self.bins = q.lane_histogram(
                store, where, params, view.first, view.last, view.lane_mode, bins=200
            )
            counts = Counter({lane: sum(b) for lane, b in self.bins.items()})
        # Busiest lanes first, as the window orders them.
        self.lanes = [lane for lane, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def __call__(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        painter.fillRect(rect, QColor("#ffffff"))
        label_w = min(self.LANE_LABEL_W, rect.width() * 0.18)
        plot = QRectF(rect.left() + label_w, rect.top(), rect.width() - label_w, rect.height())
        scale = TimeScale(self.view.first, self.view.last - self.view.first, plot.width())
        self._axis(painter, plot, scale)
        body = QRectF(
            plot.left(), plot.top() + self.AXIS_H, plot.width(), plot.height() - self.AXIS_H
        )
        if not self.lanes:
            painter.setPen(QColor("#57606a"))
            painter.setFont(ui_font(14))
            painter.drawText(body, Qt.AlignmentFlag.AlignCenter, "No events match the filters")
            painter.restore()
            return
        lane_h = body.height() / len(self.lanes)
        font = ui_font(min(12.0, max(8.0, lane_h * 0.4)))
        fm = QFontMetricsF(font)
        for i, lane in enumerate(self.lanes):
            band = QRectF(rect.left(), body.top() + i * lane_h, rect.width(), lane_h)
            if i % 2:
                painter.fillRect(band, QColor("#f6f8fa"))
            painter.setPen(QPen(QColor("#d0d7de"), 0.5))
            painter.drawLine(
                QPointF(band.left(), band.bottom()), QPointF(band.right(), band.bottom())
            )
            painter.setFont(font)
            painter.setPen(QColor("#1b1f24"))
            label = fm.elidedText(
                self.labels.get(lane, lane), Qt.TextElideMode.ElideRight, label_w - 10
            )
            painter.drawText(
                QRectF(band.left() + 6, band.top(), label_w - 10, lane_h),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                label,
            )
            lane_rect = QRectF(plot.left(), band.top(), plot.width(), lane_h)
            if self.truncated:
                self._histogram(painter, lane_rect, self.bins.get(lane, []))
            else:
                self._marks(
                    painter, lane_rect, scale, [m for m in self.marks if m.lane == lane], fm
                )
        painter.restore()

    def _axis(self, painter: QPainter, plot: QRectF, scale: TimeScale) -> None:
        painter.setFont(ui_font(11))
        fm = QFontMetricsF(painter.font())
        for t in ticks(scale, 70):
            x = plot.left() + t.x
            painter.setPen(QPen(QColor("#8c959f" if t.major else "#d0d7de"), 0.8))
            painter.drawLine(QPointF(x, plot.top() + self.AXIS_H - 6), QPointF(x, plot.bottom()))
            painter.setPen(QColor("#1b1f24" if t.major else "#57606a"))
            painter.drawText(QPointF(x + 3, plot.top() + fm.ascent() + 3), t.label)

    def _marks(
        self,
        painter: QPainter,
        lane: QRectF,
        scale: TimeScale,
        marks: list[q.Mark],
        fm: QFontMetricsF,
    ) -> None:
        rows = max(1, int((lane.height() - 4) // self.ROW_H))
        row_h = min(self.ROW_H * 1.2, (lane.height() - 4) / rows)
        labels = len(marks) <= 400
        packed = lane_packing.pack(
            [
                lane_packing.Mark(
                    i,
                    scale.x(m.start_day),
                    max(scale.x(m.end_day + 1), scale.x(m.start_day) + 6),
                    fm.horizontalAdvance(m.title) if labels else 0.0,
                )
                for i, m in enumerate(marks)
            ],
            rows,
            labels=labels,
        )
        bar_h = max(4.0, row_h * 0.45)
        for p in packed.placed:
            m = marks[p.id]
            top = lane.top() + 2 + p.row * row_h
            colour = QColor(KIND_COLOURS.get(m.kind, "#555555"))
            bar = QRectF(
                lane.left() + p.x0, top + (row_h - bar_h) / 2, max(3.0, p.x1 - p.x0), bar_h
            )
            if m.status == Status.PROPOSED.value:
                painter.setPen(QPen(colour, 1.2, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
            painter.drawRect(bar)
            if p.label_x is not None:
                inside = p.label_x < p.x1
                painter.setPen(
                    QColor("#ffffff" if inside and m.status != "proposed" else "#1b1f24")
                )
                painter.drawText(
                    QPointF(
                        lane.left() + p.label_x, top + (row_h + fm.ascent() - fm.descent()) / 2
                    ),
                    m.title,
                )
        painter.setBrush(QColor("#57606a"))
        for c in packed.clusters:
            top = lane.top() + 2 + c.row * row_h
            badge = QRectF(lane.left() + c.x0, top + 1, max(c.x1 - c.x0, 20.0), row_h - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, f"{c.count}")

    def _histogram(self, painter: QPainter, lane: QRectF, bins: list[int]) -> None:
        if not bins:
            return
        peak = max(bins) or 1
        w = lane.width() / len(bins)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1f77b4"))
        for i, n in enumerate(bins):
            if n:
                h = (lane.height() - 6) * math.sqrt(n / peak)
                painter.drawRect(
                    QRectF(lane.left() + i * w, lane.bottom() - 3 - h, max(w - 0.5, 0.5), h)
                )


def timeline_drawer(store: EventStore, view: View) -> TimelineDrawer:
    """The drawer of the view's timeline."""
    return StoreTimeline(store, view)


# --------------------------------------------------------------------------- the command


def render_job(fmt: str, job: Any) -> bytes:
    """A picture for `explorer export` (see explorer.export.writers.Job)."""
    from explorer.export.writers import filter_state, filters_in_words

    ensure_gui_app()
    args = job.args
    width = int(getattr(args, "width", 1600))
    height = int(getattr(args, "height", 900))
    lane_mode = str(getattr(args, "lanes", "country"))
    state = filter_state(job.filters)
    view = fitted_view(job.store, state, lane_mode, width)
    exported = str(job.meta.get("exported_at", ""))[:10]
    snapshot = view_snapshot(
        job.store,
        view,
        filters=filters_in_words(job),
        title=str(getattr(args, "title", "") or ""),
        exported=date.fromisoformat(exported) if exported else None,
        width=width,
    )
    return render_picture.render(
        fmt,
        snapshot,
        timeline_drawer(job.store, view),
        width=width,
        height=height,
        scale=float(getattr(args, "scale", 1.0)),
        page=str(getattr(args, "page", "a4")),
    )
