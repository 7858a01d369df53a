"""A picture of a view (filters, window, lanes, selection) as PNG, SVG or PDF.

Everything the picture shows comes from the view's query (:mod:`explorer.storage.query`), the
same object the window draws from: the events touching the window (or per-lane densities when
there are too many to draw one by one), the lanes and their counts, the kinds and statuses
shown, the sources the visible events cite and the selection. The timeline is drawn by the
window's own painter (:mod:`explorer.render.picture`), the words around it laid out by
:mod:`explorer.render.page`. Nothing loads whole events: a view of a million-event store
renders in a fraction of a second.

A view whose window is None is fitted to the events its filters select.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from explorer.domain.dates import PartialDate, display_span
from explorer.domain.filters import FilterState
from explorer.domain.model import Kind, Source, Status
from explorer.domain.timescale import TimeScale
from explorer.domain.view import ViewState
from explorer.render import page as pages
from explorer.render.painter import Theme
from explorer.render.picture import TimelinePicture, ViewTimeline
from explorer.render.snapshot import (
    CitedSource,
    Snapshot,
    legend_entries,
    list_source,
    make_snapshot,
)
from explorer.storage.cited_lists import ListCitation, list_citations, lists_of_sources
from explorer.storage.library import SLOTS
from explorer.storage.listings import read_listings
from explorer.storage.query import SqlQuery, lane_label
from explorer.storage.timeline import Lane, WindowEvent

#: At most this many events are drawn one by one; more are drawn as per-lane densities.
DETAIL_LIMIT = 5000
#: The picture lists at most this many sources (the tables list them all).
SOURCE_LIMIT = 400
#: The fitted window's margin on each side, as a share of the events' span.
FIT_MARGIN = 0.02


def fit_width(fmt: str, width: int, page: str) -> float:
    """The width a picture's window is fitted to: the PDF page's, or the picture's."""
    return pages.page_size(page)[0] if fmt == "pdf" else float(width)


def fitted_window(query: SqlQuery, width: float) -> tuple[float, float]:
    """(first, last) days around the filters' events with a margin of FIT_MARGIN of their span
    on each side (labels go before the last marks, inside the plot); nothing matching shows
    the span of the whole library. A date range in the filters bounds the span: a period that
    began before `--from` is drawn from the window's edge, not years earlier."""
    span = query.extent() if query.filtered else None
    span = span or query.full_extent()
    first, last = span or (date.today().toordinal(),) * 2
    f = query.filters
    lo = max(first, f.from_day) if f.from_day is not None else first
    hi = min(last, f.to_day) if f.to_day is not None else last
    if lo <= hi:
        first, last = lo, hi
    plot_w = max(width - 2 * pages.MARGIN - Theme.light().gutter, 100.0)
    scale = TimeScale.fit(first, last, plot_w, margin=FIT_MARGIN)
    return scale.start, scale.end


def window_of(query: SqlQuery, view: ViewState, width: float) -> tuple[float, float]:
    """The view's window as (first, last) days: its own, or fitted to its events."""
    if view.window is not None:
        start, span = view.window
        return start, start + span
    return fitted_window(query, width)


class PictureData:
    """What a picture of a view shows, read once from its query.

    Attributes:
        timeline: The timeline's data (lanes, events or densities, selection).
        count: How many matching events touch the window.
        kinds: The kinds shown (every kind when densities are drawn).
        statuses: The statuses shown.
        sources: The sources the shown curated events cite.
        lists: The imported list files the shown imported events come from.
    """

    def __init__(self, query: SqlQuery, view: ViewState, first: float, last: float) -> None:
        mode = view.lane_mode
        lane_counts = query.lane_counts(mode, first, last)
        self.count = sum(lane_counts.values())
        self.kinds: list[str] = [k.value for k in Kind]
        self.statuses: list[str] = [s.value for s in Status]
        events: list[WindowEvent] | None = None
        if self.count <= DETAIL_LIMIT:
            # every span touching the window read in full: a picture labels what it draws
            events = query.window(
                mode, int(first), int(last), DETAIL_LIMIT, covering_details=DETAIL_LIMIT
            ).events
            self.count = len(events)
            self.kinds = sorted({e.kind for e in events})
            self.statuses = sorted({e.status for e in events})
            lane_counts = {}
            for e in events:
                lane_counts[e.lane] = lane_counts.get(e.lane, 0) + 1
        labels = query.lane_labels(mode)
        # Lanes as the window orders them (curated store first, busiest first), with their
        # counts in this view.
        lanes = [
            Lane(key, labels.get(key) or lane_label(key[0], key[1]), n, key[0] > 0)
            for key, n in sorted(lane_counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
            if n > 0
        ]
        # Imported events are cited by list file (one line each, with what it covers), the
        # curated ones source by source.
        self.lists: list[ListCitation] = []
        if events is not None:
            ids = [e.id for e in events]
            self.lists, untraced = list_citations(query.library, ids)
            own = [i for i in ids if i % SLOTS == 0] + untraced
            self.sources: list[Source] = query.cited_sources_of(own)
        else:
            self.sources, self.lists = _by_list(query, query.cited_sources(first, last))
        selected: WindowEvent | None = None
        related: Sequence[object] = ()
        gid = query.library.id_for_key(view.selection) if view.selection else None
        if gid is not None:
            marks = query.marks(mode, [gid])
            selected = marks[0] if marks else None
            if selected is not None:
                related = query.related(mode, gid)
        self.timeline = TimelinePicture(
            first=first,
            last=last,
            lane_mode=mode,
            lanes=lanes,
            events=events,
            density=query.densities(mode) if events is None else None,
            selected=selected,
            related=tuple(related),  # type: ignore[arg-type]
            listings=read_listings(query.library, events) if events else {},
        )


def _by_list(query: SqlQuery, sources: list[Source]) -> tuple[list[Source], list[ListCitation]]:
    """Sources of a window read as a whole: an imported store's grouped by list file."""
    library = query.library
    if len(library.stores) < 2:
        return sources, []
    slot_of: dict[int, tuple[int, int]] = {}
    for slot, store in enumerate(library.stores):
        if slot > 0:
            slot_of.update((id(src), (slot, sid)) for sid, src in store.sources().items())
    own: list[Source] = []
    by_slot: dict[int, list[int]] = {}
    for src in sources:
        where = slot_of.get(id(src))
        if where is None:
            own.append(src)
        else:
            by_slot.setdefault(where[0], []).append(where[1])
    lists = [c for slot, ids in by_slot.items() for c in lists_of_sources(library, slot, ids)]
    return own, lists


def _list_lines(lists: Sequence[ListCitation]) -> list[CitedSource]:
    return [
        list_source(
            c.file,
            c.url,
            importer=c.importer,
            imported=c.imported,
            listings=c.listings,
            entities=c.entities,
            lists=c.lists,
            records=c.records,
        )
        for c in lists
    ]


def range_words(
    filters: FilterState, window: tuple[float, float] | None, width: float = 1600
) -> str:
    """The range a filtered picture names: the filters' dates ("from 1 January 2024",
    "until 31 December 2025", "2024 – 2025"), within the view's own window when it has one
    ("May 2024 – July 2024"); empty when the filters name no dates."""
    a, b = filters.date_from, filters.date_to
    if a is None and b is None:
        return ""
    if window is not None:
        lo = window[0] if filters.from_day is None else max(window[0], filters.from_day)
        hi = window[1] if filters.to_day is None else min(window[1], filters.to_day + 1)
        if hi > lo:
            return TimeScale(lo, hi - lo, max(width, 1.0)).range_text()
    if a is not None and b is not None:
        return display_span(a, b)
    if a is not None:
        return "from " + PartialDate.of(a.first_day()).display()
    assert b is not None
    return "until " + PartialDate.of(b.last_day()).display()


def snapshot_of(
    query: SqlQuery,
    data: PictureData,
    *,
    filters: Sequence[str] = (),
    title: str = "",
    exported: date | None = None,
    width: float = 1600,
    view: ViewState | None = None,
) -> Snapshot:
    """The words around the picture: counts, legend, filters in words, cited sources.

    The title names the filters' date range when they have one (see :func:`range_words`),
    else the span of the events shown; the span of the events shown is said beside the
    counts when the title names the filters' dates.
    """
    t = data.timeline
    shown = t.scale(width)
    f = query.filters
    if t.events:
        # The span of the events shown (the window leaves room for labels), within the
        # filters' dates.
        first = max(min(e.start_day for e in t.events), t.first, f.from_day or t.first)
        last = min(max(e.end_day for e in t.events) + 1, t.last)
        if f.to_day is not None:
            last = min(last, f.to_day + 1)
        if last > first:
            shown = TimeScale(first, last - first, max(width, 1.0))
    window = view.window if view is not None else None
    named = range_words(f, None if window is None else (window[0], window[0] + window[1]), width)
    span = shown.range_text()
    return make_snapshot(
        window=(t.first, t.last),
        range_text=named or span,
        span_text=span if named and t.events else "",
        lane_mode=t.lane_mode,
        shown=data.count,
        total=query.total(),
        filters=filters,
        sources=data.sources,
        source_limit=SOURCE_LIMIT,
        lists=_list_lines(data.lists),
        # the painter's words ("Proposed (hollow, dashed)"), for the kinds and statuses shown
        legend=legend_entries(data.kinds, data.statuses),
        title=title,
        data_version=query.library.meta().get("data_version", ""),
        exported=exported,
    )


def render_picture(
    fmt: str,
    query: SqlQuery,
    view: ViewState,
    *,
    filters: Sequence[str] = (),
    title: str = "",
    exported: date | None = None,
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
    page: str = "a4",
    notify: Callable[[str], None] | None = None,
) -> bytes:
    """The picture of `view` in `fmt` (png, svg or pdf) as bytes, exactly the asked size (a
    PDF: its pages); `notify` hears in one line what a PNG or SVG had no room for."""
    pages.ensure_gui_app()  # fonts are measured while the window is fitted
    first, last = window_of(query, view, fit_width(fmt, width, page))
    data = PictureData(query, view, first, last)
    snapshot = snapshot_of(
        query, data, filters=filters, title=title, exported=exported, width=width, view=view
    )
    timeline = ViewTimeline(data.timeline)
    return pages.render(
        fmt,
        snapshot,
        timeline,
        width=width,
        height=height,
        scale=scale,
        page=page,
        swatch=timeline.swatch,
        notify=notify,
    )
