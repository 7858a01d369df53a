"""FilterController: owns the FilterState and computes counts and results off the GUI thread.

Every change of the filters (a facet ticked, a word typed, a chip removed, a view opened) bumps
a generation number and starts one job in a private QThreadPool: it builds the facet bitsets on
first use (seconds at a million events the very first time, then read from the cache), counts
every facet under the other filters, selects the matching events and runs the search. Results
come back by a queued signal; a result older than the latest request is dropped, so typing
fast never shows stale counts and the GUI never waits for SQLite.

Signals:
    filtersChanged(object): the new FilterState, at once.
    countsChanged(object): FacetCounts for the current state.
    resultChanged(object): the FilterResult (None when nothing is filtered).
    searchChanged(object): the SearchResult of the search text (None without one).
    busyChanged(bool): a computation started or the last one finished.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from explorer.domain.dates import PartialDate
from explorer.domain.filters import FilterError, FilterState, chips, describe
from explorer.qt.jobs import Job, Relay
from explorer.storage.facets import FacetCounts, FacetIndex, FilterResult, facet_labels
from explorer.storage.filtered_window import FilteredReader
from explorer.storage.library import Library
from explorer.storage.search import Searcher, SearchResult
from explorer.storage.store import EventStore

HOLD_MS = 400


class FilterController(QObject):
    """The filters of the window, their counts and the matching events.

    Args:
        library: The stores.
        parent: The Qt parent.
    """

    filtersChanged = Signal(object)
    countsChanged = Signal(object)
    resultChanged = Signal(object)
    searchChanged = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Its own connections to the same files: the background work never shares a
        # connection that the app (or a test) may close while a job is reading.
        self.library = Library([EventStore(s.path) for s in library.stores])
        self.searcher = Searcher(self.library)
        self.index = FacetIndex(self.library, self.searcher)
        self.reader = FilteredReader(self.library, self.index)
        self.labels = facet_labels(self.library)
        self._total: int | None = None  # every event, counted once (a scan at 1M events)
        self._state = FilterState()
        self._gen = 0
        self._shown = 0
        self._busy = False
        self.counts: FacetCounts | None = None
        self.result: FilterResult | None = None
        self.search_result: SearchResult | None = None
        self._warmed = False
        self._held: Job | None = None
        self._warm_job: Job | None = None
        #: Hold each facet count until `release_counts` (the window does this for the timeline).
        self.hold_counts = False
        self._outstanding = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = Relay(self)
        self._relay.done.connect(self._on_done)
        # The first count starts once the event loop runs: a window built and dropped at once
        # (tests, a failed start-up) never leaves a job reading a library being closed.
        self._closed = False
        QTimer.singleShot(0, self._first_refresh)

    def _first_refresh(self) -> None:
        if self._gen == 0 and not self._closed:
            self.refresh()

    # ----------------------------------------------------------------- state

    @property
    def state(self) -> FilterState:
        return self._state

    @property
    def busy(self) -> bool:
        return self._busy

    def describe(self) -> str:
        """The active filters in words."""
        return describe(self._state, self.labels)

    def chips(self) -> list[tuple[str, str, str]]:
        """(filter, value, text) of each active filter, for removable chips."""
        return chips(self._state, self.labels)

    def count_text(self) -> str:
        """`37 of 120 events` (or `… of 120 events` while the first count runs)."""
        if self.counts is None:
            if self._total is None:
                self._total = sum(s.count() for s in self.library.stores)
            return f"… of {self._total:,} events"
        return self.counts.text()

    # ----------------------------------------------------------------- changes

    def set_state(self, state: FilterState) -> None:
        """Replace every filter."""
        if state == self._state:
            return
        self._state = state
        self.filtersChanged.emit(state)
        self.refresh()

    def toggle(self, facet: str, value: str) -> None:
        self.set_state(self._state.toggled(facet, value))

    def set_values(self, facet: str, values: Iterable[str]) -> None:
        self.set_state(self._state.with_values(facet, values))

    def set_search(self, text: str) -> None:
        self.set_state(self._state.with_search(text))

    def set_range(self, date_from: PartialDate | None, date_to: PartialDate | None) -> str:
        """Set the date range; returns "" or a one-line reason it cannot be applied."""
        try:
            self.set_state(self._state.with_range(date_from, date_to))
        except FilterError as exc:
            return str(exc)
        return ""

    def remove(self, facet: str, value: str = "") -> None:
        """Remove one chip: a facet value, or the whole `date_range` or `search`."""
        if value and facet not in ("date_range", "search"):
            values = [v for v in self._state.values(facet) if v != value]
            self.set_state(self._state.with_values(facet, values))
        else:
            self.set_state(self._state.cleared(facet))

    def clear(self) -> None:
        """Remove every filter (Esc)."""
        self.set_state(FilterState())

    def invalidate(self) -> None:
        """The stores changed (an import): rebuild indexes and recount."""
        self.searcher = Searcher(self.library)
        self.index = FacetIndex(self.library, self.searcher)
        self.reader.index = self.index
        self.reader.invalidate()
        self.labels = facet_labels(self.library)
        self._total = None
        self.refresh()

    # ----------------------------------------------------------------- computing

    def refresh(self) -> None:
        """Recount for the current state in the background.

        Two jobs: first the matching events (what the timeline and the list wait for), then
        the facet counts and the search hits (what the panel and the results list show).
        """
        self._gen += 1
        state, index, searcher, reader = self._state, self.index, self.searcher, self.reader

        def select() -> FilterResult | None:
            # The matching set as bitsets; the TimelineController picks the events it lists
            # from them (never a list of every event's summary).
            return None if state.is_empty else index.result(state)

        def count() -> tuple[FacetCounts, SearchResult | None]:
            counts = index.counts(state)
            search = searcher.search(state.search, 100) if state.search_terms() else None
            return counts, search

        def warm() -> int:
            # What the first filter change would otherwise pay for: lane codes, base densities.
            for mode in ("country", "agency"):
                reader.prepare(mode)
            return 0

        self._start(lambda: ("select", state, select()))
        count_job = Job(self._relay, "filter counts", self._gen, lambda: ("count", state, count()))
        self._outstanding += 1
        if self.hold_counts:
            # Started once the timeline has drawn the new result (release_counts), so the
            # two never compete for the interpreter; at the latest after HOLD_MS.
            if self._held is not None:
                self._outstanding -= 1  # a newer state replaces the count still held
            self._held = count_job
            QTimer.singleShot(HOLD_MS, self.release_counts)
        else:
            self._pool.start(count_job)
        if not self._warmed:
            self._warmed = True
            self._outstanding += 1
            self._set_busy(True)
            self._warm_job = Job(
                self._relay, "filter warm-up", self._gen, lambda: ("warm", state, warm())
            )
            if not self.hold_counts:
                self._start_warm()

    def release_counts(self) -> None:
        """Start the held facet count (the timeline has shown the new result)."""
        job, self._held = self._held, None
        if job is not None:
            self._pool.start(job)
        # The warm-up too waits for the timeline's first frame: it would compete with it.
        self._start_warm()

    def _start_warm(self) -> None:
        job, self._warm_job = self._warm_job, None
        if job is not None:
            self._pool.start(job)

    def _start(self, fn: Callable[[], Any]) -> None:
        self._outstanding += 1
        self._set_busy(True)
        self._pool.start(Job(self._relay, "filter result", self._gen, fn))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the background work is done (tests, benchmark, shutdown)."""
        return bool(self._pool.waitForDone(msecs))

    def shutdown(self) -> None:
        """Stop the background work and close this controller's connections."""
        self._closed = True
        self._held = None
        self._warm_job = None
        self._pool.clear()
        self._pool.waitForDone(10_000)
        self.library.close()

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _on_done(self, _what: str, gen: int, out: object) -> None:
        self._outstanding -= 1
        try:
            if gen < self._shown or gen != self._gen or isinstance(out, Exception):
                return  # stale, or failed (logged)
            assert isinstance(out, tuple)
            what, _state, value = out
            self._shown = gen
            if what == "select":
                self.result = value
                self.reader.set_result(self.result)
                self.resultChanged.emit(self.result)
            elif what == "count":
                self.counts, self.search_result = value
                self.countsChanged.emit(self.counts)
                self.searchChanged.emit(self.search_result)
        finally:
            if self._outstanding == 0:
                self._set_busy(False)
