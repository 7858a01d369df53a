"""TimelineModel: the timeline's state (lane mode, visible window, level of detail, loaded data).

It owns what a frame needs and loads it off the GUI thread; the widget paints only what is already
here and never waits on SQLite (DESIGN.md section 5):

* On open (and on a lane-mode switch) one job reads the lanes, the whole span and the per-lane
  densities (:class:`~explorer.storage.timeline.DensityTable`, prefix sums). From then on, counting
  the events of any window is arithmetic, on the GUI thread, in microseconds.
* Zoomed out (more than ``DETAIL_MAX`` events would show) a frame draws densities. Zoomed in, the
  model loads the window's events with a margin on both sides (so panning finds them already
  there) and asks again when the view nears the edge of what is loaded.
* Jobs run in a private QThreadPool; results come back by a queued signal. Each job carries a
  generation number: a result older than one already shown is dropped, and while a window load is
  in flight newer requests wait and only the latest is sent (single flight), so a fast zoom never
  queues a backlog of stale queries.

The lane mode and the visible window are the workspace's (:mod:`explorer.qt.workspace`): the
model reads them from its ``ViewState``, changes them only through it, and draws from the
workspace's query snapshot, reloading when a new one is shown (a filter's result, an import).

A window load also reads what its imported events list (:func:`explorer.storage.listings.
read_listings`), so imported lanes read as listings. Which lanes are collapsed to one summary
row is the model's too, remembered between runs in the workspace's settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, QSettings, QThreadPool, Signal

from explorer.domain.timescale import MAX_SPAN, TimeScale
from explorer.qt.jobs import Job, Relay
from explorer.qt.workspace import Workspace
from explorer.storage.listings import read_listings
from explorer.storage.query import SqlQuery
from explorer.storage.timeline import (
    DensityTable,
    Lane,
    LaneKey,
    Listing,
    RelatedMark,
    WindowData,
    WindowEvent,
)

DETAIL_MAX = 600  # at most this many visible events are drawn one by one
DETAIL_MAX_DAYS = 1500  # ... and up to this many when the view spans a day or two
WINDOW_LIMIT = 3 * DETAIL_MAX  # rows per window load (the view plus its margins)
COLLAPSED_KEY = "timeline/collapsed"  # the collapsed lanes, one per line (QSettings)


def _with_listings(query: SqlQuery, data: WindowData) -> WindowData:
    """A window with what its imported events list (none to read for a curated store)."""
    if data.truncated:
        return data
    listings = read_listings(query.library, data.events)
    return replace(data, listings=listings) if listings else data


def lane_setting(mode: str, key: LaneKey) -> str:
    """How a lane is named in the settings: "agency:imported:ofac", "country:curated:CN"."""
    return f"{mode}:{'imported' if key[0] > 0 else 'curated'}:{key[1]}"


@dataclass
class _Overview:
    mode: str
    lanes: list[Lane]
    density: DensityTable
    extent: tuple[int, int] | None
    full_density: DensityTable  # every event's, whatever is filtered (the overview strip)
    full_extent: tuple[int, int] | None


class TimelineModel(QObject):
    """The timeline's state and its background loading.

    Args:
        workspace: The view (window, lane mode, selection) and the query to draw from.
        parent: The Qt parent.

    Signals:
        changed: something a frame shows has changed (repaint).
        collapsedChanged: a lane was collapsed or expanded.
        scaleChanged: the visible window moved or zoomed.
        modeChanged(str): the lane mode changed.
        overviewLoaded: lanes, span and densities of the current mode are in.
        windowLoaded: a window of events arrived.
        stepFound(int): the answer to :meth:`request_step` / :meth:`request_lane_step`.
        settled: everything the view shows is loaded (no load in flight).
    """

    changed = Signal()
    collapsedChanged = Signal()
    scaleChanged = Signal()
    modeChanged = Signal(str)
    overviewLoaded = Signal()
    windowLoaded = Signal()
    stepFound = Signal(int)
    settled = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._mode = workspace.lane_mode
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = Relay(self)
        self._relay.done.connect(self._on_done)
        window = workspace.view.window
        self._scale = (
            TimeScale(window[0], window[1], 1000)
            if window is not None
            else TimeScale.fit(738000, 739000, 1000)
        )
        self._fitted = window is not None
        self._overview: _Overview | None = None
        self._overviews: dict[str, _Overview] = {}
        self._full: tuple[DensityTable, tuple[int, int] | None] | None = None
        self._window: WindowData | None = None
        self._gen = 0
        self._shown = {"overview": 0, "window": 0, "selection": 0, "step": 0}
        self._window_in_flight = False
        self._window_wanted: tuple[int, int, int] | None = None
        self._prefetching = False
        self._jobs_out = 0
        self._selected = -1
        self.selected_mark: WindowEvent | None = None
        self.related: list[RelatedMark] = []
        # where collapsed lanes are remembered: the workspace's settings (the lane mode's)
        settings = workspace.settings
        self._settings: QSettings | None = settings if isinstance(settings, QSettings) else None
        self._collapsed: set[str] = set()
        if self._settings is not None:
            text = self._settings.value(COLLAPSED_KEY, "")
            self._collapsed = {ln for ln in str(text or "").splitlines() if ln}
        workspace.windowChanged.connect(self._on_window)
        workspace.laneModeChanged.connect(self._on_mode)
        workspace.queryChanged.connect(self._on_query)
        workspace.selectionChanged.connect(self.set_selected)
        self._load_overview()
        if workspace.selected_id >= 0:
            self.set_selected(workspace.selected_id)

    @property
    def query(self) -> SqlQuery:
        """The query the next load asks (the workspace's current snapshot)."""
        return self.workspace.query

    # ----------------------------------------------------------------- state

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def scale(self) -> TimeScale:
        return self._scale

    @property
    def lanes(self) -> list[Lane]:
        return self._overview.lanes if self.ready and self._overview else []

    @property
    def density(self) -> DensityTable | None:
        return self._overview.density if self.ready and self._overview else None

    @property
    def extent(self) -> tuple[int, int] | None:
        """The span of the events shown (the filtered ones under a filter)."""
        return self._overview.extent if self._overview else None

    @property
    def full_density(self) -> DensityTable | None:
        """Every event's densities, filtered or not (the overview strip draws both).

        Kept while a new filter's overview loads: the whole span does not change with it.
        """
        return self._full[0] if self._full else None

    @property
    def full_extent(self) -> tuple[int, int] | None:
        """The span of every event, filtered or not: the overview strip's whole span."""
        return self._full[1] if self._full else None

    @property
    def ready(self) -> bool:
        """Whether the lanes and densities of the current mode are loaded."""
        return self._overview is not None and self._overview.mode == self._mode

    @property
    def busy(self) -> bool:
        """Whether a load is in flight (tests and the benchmark wait on this)."""
        # jobs whose answer has not been handled yet: a finished job's answer may still be
        # queued for the GUI thread, when the pool already counts no active thread
        return self._jobs_out > 0 or self._window_wanted is not None or self._prefetching

    def visible_count(self) -> int:
        """Events starting in the visible window (from the densities; 0 before they load)."""
        d = self.density
        if d is None:
            return 0
        return d.count(math.floor(self._scale.start), math.floor(self._scale.end))

    def detail_wanted(self) -> bool:
        """Whether the view is zoomed in far enough to draw events one by one.

        Zoomed in to a couple of days, a burst of up to DETAIL_MAX_DAYS events is still shown
        as marks and count badges: there is no closer view that would thin it out.
        """
        if not self.ready:
            return False
        n = self.visible_count()
        return n <= DETAIL_MAX or (self._scale.span <= 2.5 and n <= DETAIL_MAX_DAYS)

    def window_listings(self) -> dict[int, Listing]:
        """What the loaded imported events list, by event id (empty for curated events)."""
        w = self._window
        return w.listings if w is not None and w.mode == self._mode else {}

    # ----------------------------------------------------------------- collapsed lanes

    def is_collapsed(self, key: LaneKey) -> bool:
        """Whether a lane of the current mode shows one summary row."""
        return lane_setting(self._mode, key) in self._collapsed

    def collapsed_keys(self) -> frozenset[LaneKey]:
        """The current mode's collapsed lanes."""
        if not self._collapsed:
            return frozenset()
        return frozenset(ln.key for ln in self.lanes if self.is_collapsed(ln.key))

    def set_collapsed(self, keys: LaneKey | list[LaneKey], collapsed: bool) -> None:
        """Collapse lanes to one summary row each, or expand them (remembered)."""
        names = {lane_setting(self._mode, k) for k in (keys if isinstance(keys, list) else [keys])}
        before = set(self._collapsed)
        if collapsed:
            self._collapsed |= names
        else:
            self._collapsed -= names
        if self._collapsed == before:
            return
        if self._settings is not None:
            self._settings.setValue(COLLAPSED_KEY, "\n".join(sorted(self._collapsed)))
        self.collapsedChanged.emit()
        self.changed.emit()

    def toggle_collapsed(self, key: LaneKey) -> None:
        self.set_collapsed(key, not self.is_collapsed(key))

    def window_events(self) -> list[WindowEvent] | None:
        """The loaded events when they cover the view and detail is wanted, else None."""
        w = self._window
        if w is None or w.mode != self._mode or w.truncated or not self.detail_wanted():
            return None
        s = self._scale
        if w.first > math.floor(s.start) or w.last < math.floor(s.end):
            return None
        return w.events

    # ----------------------------------------------------------------- changes

    def set_mode(self, mode: str) -> None:
        """Switch lanes to ``country`` or ``agency`` (through the workspace, which keeps it)."""
        self.workspace.set_lane_mode(mode)

    def _on_mode(self, mode: str) -> None:
        if mode == self._mode:
            return
        self._mode = mode
        self._window = None
        if self._overview is not None:
            self._overviews[self._overview.mode] = self._overview
        # switching back is instant: each mode's overview is kept once loaded
        self._overview = self._overviews.get(mode)
        self.modeChanged.emit(mode)
        if self._overview is None:
            self._load_overview()
        else:
            self.overviewLoaded.emit()
            self._want_window()
        if self._selected >= 0:
            self._load_selection(self._selected)
        self.changed.emit()

    def _on_query(self, _query: object) -> None:
        self.reload()

    def _on_window(self) -> None:
        """The workspace's window changed: show it (or fit the events when it has none)."""
        window = self.workspace.view.window
        if window is None:
            self._fitted = False
            self._fit_when_ready()
            return
        scale = TimeScale(window[0], window[1], self._scale.width)
        if scale == self._scale:
            return
        self._scale = scale
        self._fitted = True
        self.scaleChanged.emit()
        self._want_window()
        self.changed.emit()

    def reload(self) -> None:
        """Read lanes, densities, the window and the selection again (after an import, or
        when the workspace shows a new query, e.g. a new filter)."""
        self._overviews.clear()
        self._overview = None
        self._window = None
        # window loads sent before now answer the old question: their results are dropped
        self._shown["window"] = self._gen + 1
        self._load_overview()
        self._prefetch_window()
        if self._selected >= 0:
            self._load_selection(self._selected)
        self.changed.emit()

    def set_width(self, width: float) -> None:
        """The plot's width in pixels changed (a resize)."""
        if width <= 0 or abs(width - self._scale.width) < 0.5:
            return
        # the same days stretched over the new width: a resize never changes what is shown
        if self._fitted:
            self._scale = TimeScale(self._scale.start, self._scale.span, width)
            self.scaleChanged.emit()
            self._want_window()
            self.changed.emit()
        else:
            self._scale = TimeScale(self._scale.start, self._scale.span, width)
            self._fit_when_ready()

    def set_scale(self, scale: TimeScale) -> None:
        """Show another window (zoom, pan): the workspace's window follows."""
        if scale == self._scale:
            return
        self._scale = scale
        self._fitted = True
        self.workspace.set_window(scale.start, scale.span)
        self.scaleChanged.emit()
        self._want_window()
        self.changed.emit()

    def zoom(self, factor: float, anchor_x: float) -> None:
        self.set_scale(self._scale.zoom(factor, anchor_x))

    def pan(self, dx: float) -> None:
        self.set_scale(self._scale.pan(dx))

    def fit_all(self) -> None:
        """Show every event."""
        ext = self.extent
        if ext is not None:
            self.set_scale(TimeScale.fit(ext[0], ext[1], self._scale.width, 0.03, 0.12))

    def zoom_to(self, first: int, last: int) -> None:
        """Show days ``first`` to ``last`` (e.g. a count badge's events)."""
        self.set_scale(TimeScale.fit(first, last, self._scale.width, margin=0.15))

    def center_on(self, day: float) -> None:
        self.set_scale(self._scale.centered_on(day))

    def ensure_visible(self, first: int, last: int) -> None:
        """Pan (never zoom out) so that an event is in view: no move when part of it shows."""
        if first < self._scale.end and last + 1 > self._scale.start:
            return
        self.set_scale(self._scale.show(first + 0.5, 60.0))

    # ----------------------------------------------------------------- selection

    def set_selected(self, gid: int) -> None:
        """The controller's selection changed: load its mark and its related events."""
        if gid == self._selected:
            return
        self._selected = gid
        if gid < 0:
            self.selected_mark = None
            self.related = []
            self.changed.emit()
            return
        # Use what is already loaded at once, so the ring is drawn in the same frame.
        if self._window is not None:
            for e in self._window.events:
                if e.id == gid:
                    self.selected_mark = e
                    break
        self._load_selection(gid)
        self.changed.emit()

    def request_step(self, gid: int, direction: int) -> None:
        """Find the next/previous event in time (or the first/last when ``gid`` < 0)."""
        query = self.query
        if gid < 0:
            self._submit(
                "step", lambda: query.first_event() if direction > 0 else query.last_event()
            )
        else:
            self._submit("step", lambda: query.step(gid, direction))

    def request_edge(self, last: bool) -> None:
        """Find the first or last event (Home / End)."""
        query = self.query
        self._submit("step", query.last_event if last else query.first_event)

    def request_lane_step(self, lane: LaneKey, day: int) -> None:
        """Find the event of ``lane`` nearest to ``day`` (Up / Down)."""
        query, mode = self.query, self._mode
        self._submit("step", lambda: query.nearest_in_lane(mode, lane, day))

    def lane_neighbour(self, lane: LaneKey, delta: int) -> LaneKey | None:
        keys = [ln.key for ln in self.lanes]
        if lane not in keys:
            return keys[0] if keys else None
        i = keys.index(lane) + delta
        return keys[i] if 0 <= i < len(keys) else None

    # ----------------------------------------------------------------- loading

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the background jobs are done (tests, benchmark, shutdown)."""
        return bool(self._pool.waitForDone(msecs))

    def shutdown(self) -> None:
        self._pool.clear()
        self._pool.waitForDone(5000)

    def _submit(self, what: str, fn: Callable[[], Any]) -> int:
        self._gen += 1
        self._jobs_out += 1
        self._pool.start(Job(self._relay, what, self._gen, fn))
        return self._gen

    def _load_overview(self) -> None:
        query, mode = self.query, self._mode

        def load() -> _Overview:
            density, extent = query.densities(mode), query.extent()
            if query.filtered:
                full, full_extent = query.full_densities(mode), query.full_extent()
            else:
                full, full_extent = density, extent
            return _Overview(mode, query.lanes(mode), density, extent, full, full_extent)

        self._submit("overview", load)

    def _load_selection(self, gid: int) -> None:
        query, mode = self.query, self._mode

        def load() -> tuple[int, str, list[WindowEvent], list[RelatedMark]]:
            return gid, mode, query.marks(mode, [gid]), query.related(mode, gid)

        self._submit("selection", load)

    def _fit_when_ready(self) -> None:
        if not self._fitted and self.extent is not None and self._scale.width > 1:
            ext = self.extent
            self.set_scale(TimeScale.fit(ext[0], ext[1], self._scale.width, 0.03, 0.12))

    def _prefetch_window(self) -> None:
        """Load the view's events beside the overview, when the query counts them cheaply.

        After a filter change the overview (lanes, densities) and the window would load one
        after the other, the window waiting for the densities to say that detail is wanted. A
        query that counts quickly (a filtered bitset query: a count of bits) lets the window load
        at the same time, in the other worker, when the view holds few enough events to draw
        one by one.
        """
        self._prefetching = False
        if not self.query.counts_quickly:
            return
        s = self._scale
        a, b = math.floor(s.start), math.floor(s.end)
        span = max(b - a, 1)
        query, mode = self.query, self._mode
        limit = WINDOW_LIMIT

        def load() -> WindowData | None:
            if query.count_in(a, b) > DETAIL_MAX:
                return None  # densities will be drawn: no window needed
            # Margins just wide enough to be kept (see _want_window): every row read by id
            # costs tens of microseconds, and this load is on the way to the frame. Panning
            # further loads the wider window as usual.
            extra = max(1, math.ceil(span * 0.2))
            return _with_listings(query, query.window(mode, a - extra, b + extra, limit))

        self._prefetching = True
        self._submit("prefetch", load)

    def _want_window(self) -> None:
        """Ask for the events around the view when detail is wanted and they are not here."""
        if not self.detail_wanted() or self._prefetching:
            return  # (a prefetch asks again when it lands)
        s = self._scale
        a, b = math.floor(s.start), math.floor(s.end)
        w = self._window
        if w is not None and w.mode == self._mode and not w.truncated:
            # keep what is loaded while the view is well inside it and not much smaller
            margin = (b - a) * 0.15
            if w.first <= a - margin and w.last >= b + margin:
                return
        span = max(b - a, 1)
        first, last = a - span, b + span
        density = self.density
        limit = max(WINDOW_LIMIT, DETAIL_MAX_DAYS + 100) if s.span <= 2.5 else WINDOW_LIMIT
        if density is not None and density.count(first, last) > limit * 0.8:
            first, last = a - span // 4, b + span // 4
            if density.count(first, last) > limit * 0.8:
                first, last = a, b
        self._window_wanted = (first, last, limit)
        self._send_window()

    def _send_window(self) -> None:
        if self._window_in_flight or self._window_wanted is None:
            return
        first, last, limit = self._window_wanted
        self._window_wanted = None
        self._window_in_flight = True
        query, mode = self.query, self._mode
        self._submit(
            "window", lambda: _with_listings(query, query.window(mode, first, last, limit))
        )

    def _on_done(self, what: str, gen: int, result: object) -> None:
        self._jobs_out -= 1
        self._handle(what, gen, result)
        if self.ready and not self.busy:
            self.settled.emit()

    def _handle(self, what: str, gen: int, result: object) -> None:
        if what == "window":
            self._window_in_flight = False
        if what == "prefetch":
            self._on_prefetch(gen, result)
            return
        if isinstance(result, Exception):
            if what == "window":
                self._send_window()
            return
        if gen < self._shown.get(what, 0):
            if what == "window":
                self._send_window()
            return  # older than what is shown: stale
        self._shown[what] = gen
        if what == "overview":
            assert isinstance(result, _Overview)
            if result.mode != self._mode:
                return
            self._overview = result
            self._full = (result.full_density, result.full_extent)
            self._fit_when_ready()
            self.overviewLoaded.emit()
            self._want_window()
            self.changed.emit()
        elif what == "window":
            assert isinstance(result, WindowData)
            if result.mode == self._mode:
                self._window = result
                if self._selected >= 0 and (
                    self.selected_mark is None or self.selected_mark.id != self._selected
                ):
                    for e in result.events:
                        if e.id == self._selected:
                            self.selected_mark = e
                            break
                self.windowLoaded.emit()
                self.changed.emit()
            self._send_window()
        elif what == "selection":
            assert isinstance(result, tuple)
            gid, mode, marks, related = result
            if gid != self._selected or mode != self._mode:
                return
            self.selected_mark = marks[0] if marks else None
            self.related = list(related)
            self.changed.emit()
        elif what == "step" and isinstance(result, int):
            self.stepFound.emit(result)

    def _on_prefetch(self, gen: int, result: object) -> None:
        if gen < self._shown.get("window", 0) or self._prefetching is False:
            return
        self._prefetching = False
        if (
            isinstance(result, WindowData)
            and result.mode == self._mode
            and self._window is None
            and not result.truncated
        ):
            self._shown["window"] = gen
            self._window = result
            self.windowLoaded.emit()
            self.changed.emit()
        self._want_window()

    @staticmethod
    def max_span() -> float:
        return MAX_SPAN
