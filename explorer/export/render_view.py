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

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from explorer.domain.filters import FilterState, to_sql
from explorer.domain.model import Kind, Status
from explorer.domain.timescale import MAX_SPAN, MIN_SPAN, TimeScale
from explorer.export import render_picture
from explorer.export.render_picture import SwatchDrawer, TimelineDrawer, ensure_gui_app
from explorer.export.snapshot import LegendEntry, Snapshot, make_snapshot
from explorer.storage import export_queries as q
from explorer.storage.facets import FacetIndex, cached_facet_index
from explorer.storage.filtered_window import FilteredReader
from explorer.storage.library import Library
from explorer.storage.window import DensityTable, Lane, LaneKey, WindowEvent, WindowReader
from explorer.ui import timeline_painter as tp

#: At most this many events are drawn one by one; more are drawn as per-lane densities.
DETAIL_LIMIT = 5000
#: The picture lists at most this many sources (the tables list them all).
SOURCE_LIMIT = 400
#: The fitted window's margin on each side, as a share of the events' span.
FIT_MARGIN = 0.02


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


def filtered_reader(library: Library, state: FilterState, index: FacetIndex) -> FilteredReader:
    """The timeline's reader showing only the filters' events, from the facet bitsets."""
    reader = FilteredReader(library, index)
    reader.set_result(index.result(state))
    return reader


def fitted_view(
    library: Library,
    state: FilterState,
    lane_mode: str = "country",
    width: float = 1600,
    index: FacetIndex | None = None,
) -> View:
    """The view of the filters' events with the window fitted around them (a margin of
    FIT_MARGIN of the span on each side); an empty selection shows the span of the whole
    library.

    With the facet `index` the filters' span and count come from its bitsets (milliseconds at a
    million events); without, from one pass of SQL over the store.
    """
    ensure_gui_app()
    where, params = to_sql(state, "e")
    span: tuple[int, int] | None
    if state.is_empty:
        span = _extent(library)
    elif index is not None:
        filtered = filtered_reader(library, state, index)
        result = filtered.result
        count = result.count if result is not None else 0
        span = (filtered.extent() if count else None) or _extent(library)
    else:
        days = day_counts(library, where, params, lane_mode)
        span = (min(d[1] for d in days), max(d[4] for d in days)) if days else _extent(library)
    first, last = span or (date.today().toordinal(),) * 2
    plot_w = max(width - 2 * render_picture.MARGIN - tp.Theme.light().gutter, 100.0)
    # A small margin on each side: the labels of the last events go before their marks (the
    # painter keeps labels inside the plot), so the span is the events', not years more.
    scale = TimeScale.fit(first, last, plot_w, margin=FIT_MARGIN)
    return View(state, scale.start, scale.end, lane_mode)


_DAYS: dict[tuple[object, ...], list[q.DayRow]] = {}


def day_counts(
    library: Library,
    where: str,
    params: Sequence[object],
    mode: str,
    first: float | None = None,
    last: float | None = None,
) -> list[q.DayRow]:
    """The filters' events per lane and day (one pass over the store, or the window), kept for
    the next call with the same stores, filters and lanes: fitting a view and drawing it read
    it once."""
    stores = tuple(str(s.path) for s in library.stores)
    rows = _DAYS.get((stores, where, tuple(params), mode, None, None))  # the whole span serves
    key = (stores, where, tuple(params), mode, first, last)
    rows = rows if rows is not None else _DAYS.get(key)
    if rows is None:
        rows = q.day_counts(library, where, params, mode, first, last)
        _DAYS.clear()  # one view at a time: keep memory flat
        _DAYS[key] = rows
    return rows


def _extent(library: Library) -> tuple[int, int] | None:
    return WindowReader(library).extent()


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


# --------------------------------------------------------------------------- what a view holds


class ViewData:
    """What a picture of a view shows, read once: the events (or per-lane densities), the lanes,
    the counts, the kinds and statuses shown, the cited sources and the selection.

    Up to DETAIL_LIMIT events touching the window are read and drawn one by one. More are drawn
    as densities: with no filter from the store's precomputed per-day counts (exact at any bin
    size); with filters from the facet bitsets when an `index` is given (as the timeline draws
    them), else counted in SQL from the matching events. Nothing loads whole events.

    Args:
        library: The stores.
        view: The filters, window, lanes and selection.
        index: The facet bitsets of the library (the app's, or `cached_facet_index`): filtered
            views then cost milliseconds of bit counting instead of a pass of SQL.
    """

    def __init__(self, library: Library, view: View, index: FacetIndex | None = None) -> None:
        self.library = library
        self.view = view
        reader = WindowReader(library)
        where, params = to_sql(view.state, "e")
        self._where, self._params = where, params
        mode = view.lane_mode
        first, last = int(view.first), int(view.last)
        labels = q.lane_labels(library, mode)
        self._whole = False  # no filter and the window holds every event
        self.events: list[WindowEvent] | None = None
        self.kinds: list[str] = [k.value for k in Kind]
        self.statuses: list[str] = [s.value for s in Status]
        self._days: list[q.DayRow] | None = None
        self._filtered: FilteredReader | None = None
        self._lane_days_read: q.LaneDays | None = None
        # How many events the view holds decides how they are drawn: count first (cheaply).
        lane_counts: dict[q.LaneKey, int]
        if view.state.is_empty:
            extent = reader.extent()
            whole = extent is not None and view.first <= extent[0] and view.last >= extent[1]
            self._whole = whole
            if whole:
                # every event: each lane's total from the densities (read once: they are
                # drawn too)
                days = self._lane_days()
                lane_counts = {key: days.total(key) for key in days.lanes}
            else:
                lane_counts = q.lane_counts(library, "1", (), first, last, mode)
            self.count = sum(lane_counts.values())
        elif index is not None:
            self._filtered = filtered_reader(library, view.state, index)
            lane_counts = _lane_counts(index, self._filtered, mode, first, last)
            self.count = sum(lane_counts.values())
        else:
            self._days = day_counts(library, where, params, mode, view.first, view.last)
            lane_counts = q.lane_counts_in_window(
                library, where, params, self._days, view.first, view.last, mode
            )
            self.count = sum(lane_counts.values())
        if self.count <= DETAIL_LIMIT:
            if self._filtered is not None:
                self.events = self._filtered.window(mode, first, last, DETAIL_LIMIT).events
            else:
                rows, _ = q.window_events(
                    library, where, params, view.first, view.last, mode, DETAIL_LIMIT
                )
                self.events = [WindowEvent(*r) for r in rows]
            self.count = len(self.events)
            self.kinds = sorted({e.kind for e in self.events})
            self.statuses = sorted({e.status for e in self.events})
            lane_counts = {}
            for e in self.events:
                lane_counts[e.lane] = lane_counts.get(e.lane, 0) + 1
        # Lanes as the window orders them (curated store first, busiest first), with their
        # counts in this view.
        self.lanes = [
            Lane(key, q.label_of(labels, key), n, key[0] > 0)
            for key, n in sorted(lane_counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
            if n > 0
        ]
        if self.events is not None:
            self.sources = q.cited_sources_of(library, [e.id for e in self.events])
        else:
            self.sources = q.cited_sources(library, where, params, view.first, view.last)
        self.selected: WindowEvent | None = None
        self.related: list[Any] = []
        if view.selected >= 0:
            marks = reader.marks(mode, [view.selected])
            self.selected = marks[0] if marks else None
            if self.selected is not None:
                self.related = reader.related(mode, view.selected)

    def density(self, scale: TimeScale) -> DensityTable | q.LaneDays | _BinnedDensity | None:
        """Per-lane counts the painter bins for `scale` (None when events are drawn)."""
        if self.events is not None:
            return None
        if self._filtered is not None:
            return self._filtered.densities(self.view.lane_mode)
        if self._days is None:
            return self._lane_days()
        # the filtered view's per-day counts, binned here (by start day, as the store's)
        bin_days = max(1, math.ceil(scale.span / scale.width * 2))  # as the painter bins
        bins: dict[tuple[q.LaneKey, int], int] = {}
        lo, hi = scale.start - bin_days, scale.end + bin_days
        for lane, day, n, _, _ in self._days:
            if lo <= day <= hi:
                key = (lane, day // bin_days)
                bins[key] = bins.get(key, 0) + n
        return _BinnedDensity(bin_days, [(lane, k, n) for (lane, k), n in bins.items()])

    def _lane_days(self) -> q.LaneDays:
        """The unfiltered per-day counts the picture needs, read once: every day when the
        window holds everything, else the window and as much again on each side (far more
        than the painter's widest bin)."""
        if self._lane_days_read is None:
            view = self.view
            if self._whole:
                self._lane_days_read = q.lane_days(self.library, view.lane_mode)
            else:
                margin = max(view.last - view.first, 31.0)
                self._lane_days_read = q.lane_days(
                    self.library, view.lane_mode, view.first - margin, view.last + margin
                )
        return self._lane_days_read


def _lane_counts(
    index: FacetIndex, reader: FilteredReader, mode: str, first: int, last: int
) -> dict[q.LaneKey, int]:
    """Per lane, the filters' events touching [first, last], counted in the bitsets."""
    result = reader.result
    out: dict[q.LaneKey, int] = {}
    if result is None:
        return out
    for slot, (idx, mask) in enumerate(zip(index.indexes(), result.masks, strict=True)):
        m = mask & idx.range_mask(first, last)
        if not m:
            continue
        lanes = idx.lane_country if mode == "country" else idx.lane_agency
        for value, bits in lanes.items():
            n = (bits & m).bit_count()
            if n:
                out[(slot, value)] = n
    return out


class _BinnedDensity:
    """Per-lane counts already binned at the painter's bin size; answers the painter's
    `DensityTable.binned` calls for that bin size."""

    def __init__(self, bin_days: int, rows: Sequence[tuple[q.LaneKey, int, int]]) -> None:
        self.bin_days = bin_days
        self._bins: dict[q.LaneKey, dict[int, int]] = {}
        for lane, k, n in rows:
            self._bins.setdefault(lane, {})[k] = n

    def binned(self, lane: q.LaneKey | None, first_bin: int, bins: int, bin_days: int) -> list[int]:
        if bin_days != self.bin_days:
            raise ValueError(f"binned at {self.bin_days} days, asked for {bin_days}")
        lanes = list(self._bins.values()) if lane is None else [self._bins.get(lane, {})]
        return [sum(b.get(k, 0) for b in lanes) for k in range(first_bin, first_bin + bins)]


# --------------------------------------------------------------------------- snapshot


def view_snapshot(
    data: ViewData,
    *,
    filters: Sequence[str] = (),
    title: str = "",
    exported: date | None = None,
    width: float = 1600,
) -> Snapshot:
    """The words around the picture of a view: counts, legend, filters, cited sources."""
    view = data.view
    shown = _scale(view, width)
    if data.events:
        # The title names the span of the events shown (the window leaves room for labels).
        first = max(min(e.start_day for e in data.events), view.first)
        last = min(max(e.end_day for e in data.events) + 1, view.last)
        if last > first:
            shown = _scale(View(view.state, first, last), width)
    return make_snapshot(
        window=(view.first, view.last),
        range_text=shown.range_text(),
        lane_mode=view.lane_mode,
        shown=data.count,
        total=data.library.count(),
        filters=filters,
        sources=data.sources,
        source_limit=SOURCE_LIMIT,
        # the painter's words ("Proposed (hollow, dashed)"), for the kinds and statuses shown
        legend=legend(data.kinds, data.statuses),
        title=title,
        data_version=data.library.meta().get("data_version", ""),
        exported=exported,
    )


# --------------------------------------------------------------------------- the timeline


class ViewTimeline:
    """Draws a view's timeline into a rectangle with the window's painter.

    A picture cannot open a count badge, so each lane gets the rows its events need: every
    label whole when the page has room, else at least enough rows that no marks merge, else
    (a crowd no page holds) rows in proportion to that need.
    """

    def __init__(self, data: ViewData) -> None:
        self.data = data
        self.painter = tp.TimelinePainter(tp.Theme.light())
        self._rows: dict[float, dict[LaneKey, tuple[int, int]]] = {}

    @property
    def swatch(self) -> SwatchDrawer:
        return painter_swatch(self.painter)

    def frame(self, width: float, lane_rows: dict[LaneKey, int] | None = None) -> tp.FrameData:
        """The painter's frame for a timeline `width` logical pixels wide."""
        d = self.data
        scale = _scale(d.view, self.painter.plot_width(QRectF(0, 0, width, 100)))
        return tp.FrameData(
            scale=scale,
            mode=d.view.lane_mode,
            lanes=d.lanes,
            density=cast(DensityTable, d.density(scale)) if d.events is None else None,
            events=d.events,
            selected=d.selected,
            related=d.related,
            message="" if d.lanes else "No events match the filters",
            lane_rows=lane_rows,
        )

    def rows_needed(self, width: float) -> dict[LaneKey, tuple[int, int]]:
        """Per lane: the fewest rows without a count badge, the rows for every label whole."""
        rows = self._rows.get(width)
        if rows is None:
            rows = self.painter.rows_needed(self.frame(width)) if self.data.events else {}
            self._rows = {width: rows}
        return rows

    def _lanes_height(self, rows: dict[LaneKey, int]) -> float:
        return sum(tp.lane_height(rows.get(lane.key, 1)) for lane in self.data.lanes)

    def height_for(self, width: float) -> tuple[float, float]:
        """The timeline's height with no count badge, and with every label whole."""
        header = self.painter.theme.header
        rows = self.rows_needed(width)
        if not rows:  # densities: every lane at a readable height
            h = header + 34.0 * len(self.data.lanes)
            return h, h
        fewest = {k: v[0] for k, v in rows.items()}
        full = {k: v[1] for k, v in rows.items()}
        return header + self._lanes_height(fewest), header + self._lanes_height(full)

    def lane_rows(self, rect: QRectF) -> dict[LaneKey, int] | None:
        """The rows each lane gets in `rect`: as many as wanted up to what fits."""
        need = self.rows_needed(rect.width())
        if not need:
            return None
        room = rect.height() - self.painter.theme.header
        rows = {k: v[1] for k, v in need.items()}
        if self._lanes_height(rows) <= room:
            return rows
        rows = {k: v[0] for k, v in need.items()}
        if self._lanes_height(rows) > room:
            # more than the page holds: rows in proportion (badges then, and the legend says)
            share = room / self._lanes_height(rows)
            return {k: max(1, int(n * share)) for k, n in rows.items()}
        # every lane without badges; the rows left go to the lanes whose labels want them
        grew = True
        while grew:
            grew = False
            for k, (_, full) in need.items():
                if rows[k] < full:
                    rows[k] += 1
                    if self._lanes_height(rows) > room:
                        rows[k] -= 1
                    else:
                        grew = True
        return rows

    def __call__(self, p: QPainter, rect: QRectF) -> None:
        frame = self.frame(rect.width(), self.lane_rows(rect))
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
    index: FacetIndex | None = None,
    notify: Callable[[str], None] | None = None,
) -> bytes:
    """The picture of `view` in `fmt` (png, svg or pdf) as bytes (`index`: see ViewData;
    `notify`: hears in one line that a PNG or SVG grew to list every cited source)."""
    ensure_gui_app()
    data = ViewData(library, view, index)
    snapshot = view_snapshot(data, filters=filters, title=title, exported=exported, width=width)
    timeline = ViewTimeline(data)
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
        notify=notify,
    )


# --------------------------------------------------------------------------- the command


def view_of_job(library: Library, job: Any, width: float, index: FacetIndex | None = None) -> View:
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
        found = library.id_for_key(saved.selection) if saved.selection else None
        selected = -1 if found is None else found
        if saved.window is not None:
            start, span = saved.window  # a saved window is its first day and its span
            return View(state, start, start + span, mode, selected)
        fitted = fitted_view(library, state, mode, width, index)
        return View(state, fitted.first, fitted.last, mode, selected)
    return fitted_view(library, state, lanes or "country", width, index)


def render_job(fmt: str, job: Any, notify: Callable[[str], None] | None = None) -> bytes:
    """A picture for `explorer export` (see explorer.export.writers.Job)."""
    from explorer.export.writers import filter_state, filters_in_words

    ensure_gui_app()  # fonts are measured while the view is fitted
    args = job.args
    width = int(getattr(args, "width", 1600))
    page = str(getattr(args, "page", "a4"))
    # A PDF's window is fitted to its page's width, a PNG's or SVG's to the picture's.
    fit_width = render_picture.page_size(page)[0] if fmt == "pdf" else width
    library = Library([job.store])
    # Filtered views count in the facet bitsets when they are at hand (cached by the app or an
    # earlier export, or a small store); otherwise SQL does, which needs no index at all.
    index = None if filter_state(job.filters).is_empty else cached_facet_index(library)
    exported = str(job.meta.get("exported_at", ""))[:10]
    return render_view(
        fmt,
        library,
        view_of_job(library, job, fit_width, index),
        filters=filters_in_words(job),
        title=str(getattr(args, "title", "") or ""),
        exported=date.fromisoformat(exported) if exported else None,
        width=width,
        height=int(getattr(args, "height", 900)),
        scale=float(getattr(args, "scale", 1.0)),
        page=page,
        index=index,
        notify=notify,
    )
