"""A picture of a view (filters, window, lanes, selection) as PNG, SVG or PDF.

The timeline is drawn by the window's own painter (:mod:`explorer.ui.timeline_painter`), so the
picture shows the timeline as the user sees it; this module gathers what it needs from the
library (the filters' events in the window, or per-lane counts when there are too many to draw one
by one) and the words around it (counts, kinds shown, filters, cited sources) with a few
aggregate queries, never by loading every event: a view of a million-event store renders in a
fraction of a second.

From the command line the view is the one the filters give, with the window fitted to the events
they select; `--view NAME` reopens a saved view's window, lanes and selection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QPainter

from explorer.domain.filters import FilterState, to_sql
from explorer.domain.model import Kind, Status
from explorer.domain.timescale import MAX_SPAN, MIN_SPAN, TimeScale
from explorer.export import render_picture
from explorer.export.render_picture import SwatchDrawer, TimelineDrawer, ensure_gui_app
from explorer.export.snapshot import LegendEntry, Snapshot, make_snapshot
from explorer.storage import export_queries as q
from explorer.storage.library import Library
from explorer.storage.window import DensityTable, Lane, WindowEvent, WindowReader
from explorer.ui import timeline_painter as tp

#: At most this many events are drawn one by one; more are drawn as per-lane densities.
DETAIL_LIMIT = 5000
#: The picture lists at most this many sources (the tables list them all).
SOURCE_LIMIT = 400


@dataclass(frozen=True)
class View:
    """What a picture shows.

    Attributes:
        state: The filters.
        first: The window's first day (store day number, fractions allowed).
        last: The window's last day.
        lane_mode: "country" or "agency".
        selected: The library id of the selected event, or -1.
    """

    state: FilterState = field(default_factory=FilterState)
    first: float = 0.0
    last: float = 1.0
    lane_mode: str = "country"
    selected: int = -1


def fitted_view(
    library: Library, state: FilterState, lane_mode: str = "country", width: float = 1600
) -> View:
    """The view of the filters' events with the window fitted around them (as `F` does), with
    room for the last labels; an empty selection shows the span of the whole library."""
    ensure_gui_app()
    where, params = to_sql(state, "e")
    sel = q.selection(library, where, params, mode=lane_mode)
    if sel.first_day is None or sel.last_day is None:
        sel = q.selection(library, mode=lane_mode)
    first = sel.first_day if sel.first_day is not None else date.today().toordinal()
    last = sel.last_day if sel.last_day is not None else first
    plot_w = max(width - 2 * render_picture.MARGIN - tp.Theme.light().gutter, 100.0)
    scale = TimeScale.fit(first, last, plot_w)
    if sel.count <= tp.LABEL_MAX:
        scale = _room_for_labels(library, where, params, scale, lane_mode)
    return View(state, scale.start, scale.end, lane_mode)


def _room_for_labels(
    library: Library, where: str, params: Sequence[object], scale: TimeScale, mode: str
) -> TimeScale:
    """The scale widened to the right until the labels of the last events fit the picture
    (a label sits after its mark; cut off at the edge it would hide the title)."""
    rows, _ = q.window_events(library, where, params, scale.start, scale.end, mode, tp.LABEL_MAX)
    fm = QFontMetricsF(tp.Theme.light().font())
    w = scale.width
    span = scale.span
    for r in rows:
        room = w - 2 * tp.MARK - fm.horizontalAdvance(r[7])
        if room > w * 0.3:  # labels longer than most of the width are elided anyway
            span = max(span, (r[1] + 1 - scale.start) * w / room)
    span = min(span, MAX_SPAN)
    return TimeScale(scale.start, span, w)


def _scale(view: View, width: float) -> TimeScale:
    span = min(max(view.last - view.first, MIN_SPAN), MAX_SPAN)
    return TimeScale(view.first, span, max(width, 1.0))


# --------------------------------------------------------------------------- legend


def legend(kinds: Sequence[str], statuses: Sequence[str]) -> tuple[LegendEntry, ...]:
    """The legend of the kinds and statuses shown, with the painter's words, and the forms a
    reader must know (periods, dates known only to the month or year, count badges)."""
    out = [
        LegendEntry("kind", k.value, tp.KIND_STYLE[k.value][2])
        for k in Kind
        if k.value in kinds and k.value in tp.KIND_STYLE
    ]
    out += [
        LegendEntry("status", s.value, tp.STATUS_LABELS[s.value])
        for s in Status
        if s.value in statuses and s.value in tp.STATUS_LABELS
    ]
    out += [
        LegendEntry("form", "period", "Period (from … to …)"),
        LegendEntry("form", "band", "Date known to the month or year"),
        LegendEntry("form", "badge", "Several events"),
    ]
    return tuple(out)


def painter_swatch(painter: tp.TimelinePainter) -> SwatchDrawer:
    """Legend swatches drawn by the timeline painter, so they match the marks."""

    def draw(p: QPainter, rect: QRectF, entry: LegendEntry) -> None:
        if entry.group == "kind":
            status = "proposed" if entry.key == "proposal" else "announced"
            e = tp.LegendEntry("Kind", entry.label, entry.key, status, "point")
        elif entry.group == "status":
            e = tp.LegendEntry("Status", entry.label, "announcement", entry.key, "point")
        elif entry.key == "period":
            e = tp.LegendEntry("Form", entry.label, "rule_in_force", "in_force", "period")
        elif entry.key == "band":
            e = tp.LegendEntry("Form", entry.label, "announcement", "announced", "band")
        else:
            e = tp.LegendEntry("Form", entry.label, form=entry.key)
        p.save()
        painter._swatch(p, e, rect)  # the painter's own swatch: the legend matches the marks
        p.restore()

    return draw


# --------------------------------------------------------------------------- snapshot


def view_snapshot(
    library: Library,
    view: View,
    *,
    filters: Sequence[str] = (),
    title: str = "",
    exported: date | None = None,
    width: float = 1600,
) -> Snapshot:
    """The words around the picture of `view`: counts, legend, filters, cited sources."""
    where, params = to_sql(view.state, "e")
    sel = q.selection(library, where, params, view.first, view.last, view.lane_mode)
    sources = q.cited_sources(library, where, params, view.first, view.last)
    # The title names the span of the events shown (the window may hold room for labels).
    shown = _scale(view, width)
    if sel.first_day is not None and sel.last_day is not None:
        first, last = max(sel.first_day, view.first), min(sel.last_day + 1, view.last)
        if last > first:
            shown = _scale(View(view.state, first, last), width)
    return make_snapshot(
        window=(view.first, view.last),
        range_text=shown.range_text(),
        lane_mode=view.lane_mode,
        shown=sel.count,
        total=library.count(),
        filters=filters,
        sources=sources,
        source_limit=SOURCE_LIMIT,
        # the painter's words ("Proposed (hollow, dashed)"), for the kinds and statuses shown
        legend=legend(sorted(sel.kinds), sorted(sel.statuses)),
        title=title,
        data_version=library.meta().get("data_version", ""),
        exported=exported,
    )


# --------------------------------------------------------------------------- the timeline


class ViewTimeline:
    """Draws a view's timeline into a rectangle with the window's painter.

    The data is read once, here: the filters' events touching the window when there are at most
    DETAIL_LIMIT of them, else per-lane densities (precomputed in the store when nothing is
    filtered, counted per day otherwise).
    """

    def __init__(self, library: Library, view: View) -> None:
        self.view = view
        self.painter = tp.TimelinePainter(tp.Theme.light())
        reader = WindowReader(library)
        where, params = to_sql(view.state, "e")
        sel = q.selection(library, where, params, view.first, view.last, view.lane_mode)
        known = {lane.key: lane for lane in reader.lanes(view.lane_mode)}
        self.lanes = [
            Lane(key, known[key].label if key in known else key[1], n, key[0] > 0)
            for key, n in sorted(sel.lanes.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        ]
        rows, truncated = q.window_events(
            library, where, params, view.first, view.last, view.lane_mode, DETAIL_LIMIT
        )
        self.events: list[WindowEvent] | None = None
        self.density: DensityTable | None = None
        if truncated:
            if view.state.is_empty:
                self.density = reader.densities(view.lane_mode)
            else:
                self.density = DensityTable(
                    view.lane_mode, q.density_rows(library, where, params, view.lane_mode)
                )
        else:
            self.events = [WindowEvent(*r) for r in rows]
        self.selected: WindowEvent | None = None
        self.related: list[Any] = []
        if view.selected >= 0:
            marks = reader.marks(view.lane_mode, [view.selected])
            self.selected = marks[0] if marks else None
            if self.selected is not None:
                self.related = reader.related(view.lane_mode, view.selected)

    @property
    def swatch(self) -> SwatchDrawer:
        return painter_swatch(self.painter)

    def __call__(self, p: QPainter, rect: QRectF) -> None:
        frame = tp.FrameData(
            scale=_scale(self.view, self.painter.plot_width(rect)),
            mode=self.view.lane_mode,
            lanes=self.lanes,
            density=self.density,
            events=self.events,
            selected=self.selected,
            related=self.related,
            message="" if self.lanes else "No events match the filters",
        )
        self.painter.paint(p, rect, frame)


def render_view(
    fmt: str,
    library: Library,
    view: View,
    *,
    filters: Sequence[str] = (),
    title: str = "",
    exported: date | None = None,
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
    page: str = "a4",
) -> bytes:
    """The picture of `view` in `fmt` (png, svg or pdf) as bytes."""
    ensure_gui_app()
    snapshot = view_snapshot(
        library, view, filters=filters, title=title, exported=exported, width=width
    )
    timeline = ViewTimeline(library, view)
    drawer: TimelineDrawer = timeline
    return render_picture.render(
        fmt,
        snapshot,
        drawer,
        width=width,
        height=height,
        scale=scale,
        page=page,
        swatch=timeline.swatch,
    )


# --------------------------------------------------------------------------- the command


def view_of_job(library: Library, job: Any, width: float) -> View:
    """The view `explorer export` pictures: the saved view named by --view (its window, lanes
    and selection; filter flags already merged into its filters), else the filters' events
    fitted; --lanes overrides the lane mode."""
    from explorer.export.writers import filter_state

    args = job.args
    state = filter_state(job.filters)
    lanes = getattr(args, "lanes", None)
    if getattr(args, "view", None):
        from explorer.commands.filter_args import view_from_args

        saved = view_from_args(args)
        mode = lanes or saved.lane_mode
        selected = library.id_for_key(saved.selection) if saved.selection else None
        if saved.window is not None:
            return View(state, saved.window[0], saved.window[1], mode, selected or -1)
        fitted = fitted_view(library, state, mode, width)
        return View(state, fitted.first, fitted.last, mode, selected or -1)
    return fitted_view(library, state, lanes or "country", width)


def render_job(fmt: str, job: Any) -> bytes:
    """A picture for `explorer export` (see explorer.export.writers.Job)."""
    from explorer.export.writers import filters_in_words

    ensure_gui_app()  # fonts are measured while the view is fitted
    args = job.args
    width = int(getattr(args, "width", 1600))
    page = str(getattr(args, "page", "a4"))
    # A PDF's window is fitted to its page's width, a PNG's or SVG's to the picture's.
    fit_width = render_picture.page_size(page)[0] if fmt == "pdf" else width
    library = Library([job.store])
    exported = str(job.meta.get("exported_at", ""))[:10]
    return render_view(
        fmt,
        library,
        view_of_job(library, job, fit_width),
        filters=filters_in_words(job),
        title=str(getattr(args, "title", "") or ""),
        exported=date.fromisoformat(exported) if exported else None,
        width=width,
        height=int(getattr(args, "height", 900)),
        scale=float(getattr(args, "scale", 1.0)),
        page=page,
    )
