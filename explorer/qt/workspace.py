"""Workspace: the one owner of what the student looks at, and of the library it comes from.

The view is one plain value, :class:`~explorer.domain.view.ViewState` (filters, visible window,
lane mode, selection). The workspace holds it with the :class:`Library` and replaces it only
through its methods, then says what changed; every consumer (the timeline and its overview
strip, the list, the results, the filter panel and chips, saved views, the status bar and File →
Export) reads the workspace and writes back through it, as napari's ``ViewerModel`` and its
``_qt`` twins do. Nothing else holds a copy of the view.

What the view shows is answered by one query snapshot (:mod:`explorer.storage.query`): a
``BitsetQuery`` of the current filters over the current library. A filter change computes the
next snapshot off the GUI thread (the bitsets are built on first use: seconds at a million
events the first time, then read from the disk cache) and swaps it in whole, so every view, and
every background job that holds the old one, sees one consistent set of events. A result older
than the latest request is dropped: typing fast never shows stale counts.

The library's stores are watched: an import or a removal from the app, or an `explorer import`
run in a terminal while the window is open, reaches every view within a couple of seconds, with
the selection and the visible window kept.

The events are never all in memory: the shown events' date order is one array of keys
(:class:`~explorer.storage.event_index.EventOrder`, 8 bytes an event), and the summaries a view
shows are read a page at a time (:class:`~explorer.storage.event_index.SummaryPages`). Ids are
library ids (``local_id * SLOTS + slot``); ``-1`` means "nothing"; a *position* is an index into
the shown events, in date order.

Signals:
    viewChanged(object, object): the new ViewState and the names of the fields that changed.
    filtersChanged(object): the new FilterState, at once (its result follows).
    windowChanged(): the visible window moved, zoomed, or is to be fitted (window None).
    laneModeChanged(str): lanes by country or by agency.
    selectionChanged(int): the selected library id (-1: none).
    eventLoaded(object): the full Event of the selection (None when cleared).
    queryChanged(object): a new query snapshot is shown (new filters' result, or a new library).
    eventsChanged(): the shown events (the list's order) changed.
    loadingChanged(bool): the library's order started or finished loading.
    countsChanged(object): the FacetCounts of the current filters.
    searchChanged(object): the SearchResult of the search text (None without one).
    busyChanged(bool): background work started or the last of it finished.
    libraryChanged(): the stores changed (an import, a removal, another process).
    importRemoved(object): an import was taken back (its RemovalResult); the library reloads.
    importFailed(str): an import could not be taken back, in one line.
"""

from __future__ import annotations

import logging
import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QThreadPool, QTimer, Signal

from explorer.domain.dates import PartialDate
from explorer.domain.filters import FilterError, FilterState, chips, describe
from explorer.domain.model import Event, EventSummary
from explorer.domain.view import LANE_MODES, ViewError, ViewState
from explorer.qt.jobs import Job, Relay
from explorer.storage.errors import StoreError
from explorer.storage.event_index import (
    EventOrder,
    OrderedSummaries,
    SummaryPages,
)
from explorer.storage.facets import FacetCounts, FacetIndex, facet_labels
from explorer.storage.library import Library, open_store, verify_stores
from explorer.storage.query import BitsetQuery, QueryCache
from explorer.storage.search import Searcher, SearchResult
from explorer.storage.store import EventStore

if TYPE_CHECKING:  # imported when used: the importers stay out of the window's start
    from explorer.storage.imports import ImportInfo

log = logging.getLogger(__name__)

NO_SELECTION = -1
#: Libraries up to this many events are ordered and filtered on the GUI thread (a few ms).
SYNC_LIMIT = 50_000
#: How long the facet counts wait for the timeline's first frame of a new result.
HOLD_MS = 400
#: How often the stores' files are looked at (a change shows within two looks).
WATCH_MS = 700
LANE_MODE_KEY = "timeline/lane_mode"


def load_event(library: Library, gid: int) -> Event | None:
    """The full event of a library id, or None when no store holds it."""
    try:
        return library.event(gid)
    except (KeyError, IndexError):
        return None


def _signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when a store file is written or replaced (None: no such file)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _busy_writing(path: Path) -> bool:
    """Whether another process is in the middle of writing the store (a hot journal)."""
    for suffix in ("-journal", "-wal"):
        try:
            if Path(f"{path}{suffix}").stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


class _Library:
    """One generation of the library with what is derived from it alone (shared by queries)."""

    def __init__(self, library: Library, generation: int) -> None:
        self.library = library
        self.generation = generation
        self.cache = QueryCache(library)
        self.searcher = Searcher(library)
        self.index = FacetIndex(library, self.searcher)
        self.labels = facet_labels(library)
        self.pages = SummaryPages(library)
        self.total = library.count()
        self.countries = library.countries()


class Workspace(QObject):
    """The view, the library and the background work that answers the view.

    Args:
        library: The stores to show (the workspace closes the libraries it opens itself
            after a reload; the first one belongs to the caller).
        warnings: One-line problems met while opening the library, for the status bar.
        settings: Where the lane mode is remembered (None: not remembered).
        parent: The Qt parent.
        sync_limit: Up to this many events the order is read and filtered at once; above it,
            in a worker thread.
        watch: Watch the stores' files and reload when another process changes them.
        user_store: The user store's path, added to the library on a reload when it was not
            in it (it could not be opened at start, or did not exist yet).
    """

    viewChanged = Signal(object, object)
    filtersChanged = Signal(object)
    windowChanged = Signal()
    laneModeChanged = Signal(str)
    selectionChanged = Signal(int)
    eventLoaded = Signal(object)
    queryChanged = Signal(object)
    eventsChanged = Signal()
    loadingChanged = Signal(bool)
    countsChanged = Signal(object)
    searchChanged = Signal(object)
    busyChanged = Signal(bool)
    libraryChanged = Signal()
    importRemoved = Signal(object)
    importFailed = Signal(str)
    warningsChanged = Signal()

    def __init__(
        self,
        library: Library,
        warnings: Sequence[str] = (),
        settings: QSettings | None = None,
        parent: QObject | None = None,
        *,
        sync_limit: int = SYNC_LIMIT,
        watch: bool = False,
        user_store: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._user_store = user_store
        self.warnings: list[str] = list(warnings)
        self._left_out: set[Path] = set()  # stores found to hold rows we cannot show
        self._settings = settings
        mode = str(settings.value(LANE_MODE_KEY, "country") or "country") if settings else ""
        self._view = ViewState(lane_mode=mode if mode in LANE_MODES else "country")
        self._sync_limit = sync_limit
        self._gen = 0  # requests for a new snapshot (filters or library)
        self._shown_gen = 0  # the snapshot whose events (order) are shown
        self._shown_filters = FilterState()
        self._library_changed = False
        self._lib = _Library(library, 0)
        self._owned: list[Library] = []  # libraries opened by reloads, closed by us
        self._retired: list[Library] = []  # replaced libraries, closed once jobs are done
        self._query = BitsetQuery(library, FilterState(), self._lib.index, cache=self._lib.cache)
        self._full: EventOrder | None = None
        self._shown_order = EventOrder(array("q"))
        self._selected = NO_SELECTION
        self._current: Event | None = None
        self._history: list[int] = []
        self._pending_edge: bool | None = None
        self._pending_view: ViewState | None = None
        self.counts: FacetCounts | None = None
        self.search_result: SearchResult | None = None
        self._busy = False
        self._outstanding = 0
        self._closed = False
        self._warmed = False
        #: Hold each facet count until `release_counts` (the window does this for the
        #: timeline: the new result is drawn first, the counts follow).
        self.hold_counts = False
        self._held: Job | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = Relay(self)
        self._relay.done.connect(self._on_done)
        self._signatures = self._read_signatures()
        self._changed_at: dict[Path, tuple[int, int, int] | None] = {}
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._look_at_stores)
        if watch:
            self._watch.start()
        if self._lib.total <= sync_limit:
            self._full = self._shown_order = self._query.full_order()
            # counted once the event loop runs: a window built and dropped at once (tests, a
            # failed start-up) never leaves a job reading a library being closed
            QTimer.singleShot(0, self._first_count)
        else:
            # read once the event loop runs: the window is shown (and drawn) first
            QTimer.singleShot(0, self._refresh)
        QTimer.singleShot(0, self._verify_later)

    # ================================================================= the view

    @property
    def settings(self) -> QSettings | None:
        """Where the window's choices are remembered (None: nowhere, as in tests)."""
        return self._settings

    @property
    def view(self) -> ViewState:
        """What the student looks at (replace it through the methods below)."""
        return self._view

    @property
    def filters(self) -> FilterState:
        return self._view.filters

    @property
    def lane_mode(self) -> str:
        return self._view.lane_mode

    def _set_view(self, view: ViewState) -> frozenset[str]:
        changed = self._view.changes(view)
        if not changed:
            return changed
        self._view = view
        if "lane_mode" in changed:
            if self._settings is not None:
                self._settings.setValue(LANE_MODE_KEY, view.lane_mode)
            self.laneModeChanged.emit(view.lane_mode)
        if "window" in changed:
            self.windowChanged.emit()
        if "filters" in changed:
            self.filtersChanged.emit(view.filters)
        self.viewChanged.emit(view, changed)
        return changed

    # ----------------------------------------------------------------- window and lanes

    def set_window(self, start: float, span: float) -> None:
        """Show days `start` to `start + span` (the timeline zoomed or panned); a window the
        timeline cannot draw (see `ViewState`) is ignored."""
        if not (math.isfinite(start) and math.isfinite(span)) or span <= 0:
            return
        try:
            view = self._view.with_window(start, span)
        except ViewError:
            return
        self._set_view(view)

    def fit_window(self) -> None:
        """Fit the window to the shown events (the timeline does it once it knows them)."""
        self._set_view(self._view.fitted())

    def set_lane_mode(self, mode: str) -> None:
        """Lanes by `country` or by `agency` (remembered between runs)."""
        if mode not in LANE_MODES:
            raise ValueError(f"lane mode {mode!r} is not one of {LANE_MODES}")
        self._set_view(self._view.with_lane_mode(mode))

    # ----------------------------------------------------------------- filters

    def set_filters(self, state: FilterState) -> None:
        """Replace every filter; the matching events follow in the background."""
        if state == self._view.filters:
            return
        self._set_view(self._view.with_filters(state))
        self._refresh()

    def toggle(self, facet: str, value: str) -> None:
        self.set_filters(self.filters.toggled(facet, value))

    def set_values(self, facet: str, values: Iterable[str]) -> None:
        self.set_filters(self.filters.with_values(facet, values))

    def set_search(self, text: str) -> str:
        """Search for a text; returns "" or a one-line reason it cannot be searched for (a text
        longer than `MAX_SEARCH_CHARS`), and then the view stays as it was."""
        try:
            state = self.filters.with_search(text)
        except FilterError as exc:
            return str(exc)
        self.set_filters(state)
        return ""

    def set_range(self, date_from: PartialDate | None, date_to: PartialDate | None) -> str:
        """Set the date range; returns "" or a one-line reason it cannot be applied."""
        try:
            self.set_filters(self.filters.with_range(date_from, date_to))
        except FilterError as exc:
            return str(exc)
        return ""

    def set_in_force_on(self, day: date | None) -> str:
        """Keep only the events of measures standing on `day` (None: drop that filter);
        returns "" or a one-line reason it cannot be applied."""
        try:
            self.set_filters(self.filters.with_in_force_on(day))
        except FilterError as exc:
            return str(exc)
        return ""

    def remove(self, facet: str, value: str = "") -> None:
        """Remove one chip: a facet value, or the whole `date_range`, `in_force_on` or
        `search`."""
        if value and facet not in ("date_range", "in_force_on", "search"):
            values = [v for v in self.filters.values(facet) if v != value]
            self.set_filters(self.filters.with_values(facet, values))
        else:
            self.set_filters(self.filters.cleared(facet))

    def clear(self) -> None:
        """Remove every filter (Esc)."""
        self.set_filters(FilterState())

    # ----------------------------------------------------------------- whole views

    def set_view(self, view: ViewState) -> None:
        """Show a saved view (or a pasted token): its lanes at once, then its filters; once
        their events are shown, its selection and then its window, in that order, so following
        the selection never moves the restored window."""
        self.set_lane_mode(view.lane_mode)
        self._pending_view = view
        if view.filters != self.filters:
            self.set_filters(view.filters)
        elif not self._busy_selecting():
            self._finish_view()

    def _busy_selecting(self) -> bool:
        return self._shown_gen != self._gen or self._full is None

    def _finish_view(self) -> None:
        view, self._pending_view = self._pending_view, None
        if view is None:
            return
        if view.selection:
            self.select_key(view.selection)
        if view.window is not None:
            self.set_window(*view.window)
        else:
            self.fit_window()

    # ----------------------------------------------------------------- words

    @property
    def labels(self) -> dict[str, dict[str, str]]:
        """Display names of facet values (country names, agency names, kind labels)."""
        return self._lib.labels

    def describe(self) -> str:
        """The active filters in words."""
        return describe(self.filters, self.labels)

    def chips(self) -> list[tuple[str, str, str]]:
        """(filter, value, text) of each active filter, for removable chips."""
        return chips(self.filters, self.labels)

    def count_text(self) -> str:
        """`37 of 120 events` (or `… of 120 events` while the first count runs)."""
        if self.counts is None:
            return f"… of {self._lib.total:,} events"
        return self.counts.text()

    @property
    def busy(self) -> bool:
        return self._busy

    # ================================================================= the library

    @property
    def library(self) -> Library:
        return self._lib.library

    @property
    def query(self) -> BitsetQuery:
        """The shown events' query snapshot (immutable: hand it to background jobs)."""
        return self._query

    @property
    def index(self) -> FacetIndex:
        return self._lib.index

    @property
    def countries(self) -> dict[str, str]:
        """ISO code -> name, merged over every store (the bundled one wins)."""
        return self._lib.countries

    @property
    def data_version(self) -> str:
        return self.library.meta().get("data_version", "")

    def reload_library(self) -> None:
        """Open the stores again (an import or a removal changed them) and show them: every
        view follows, the selection and the visible window stay."""
        old = self._lib.library
        paths = [s.path for s in old.stores]
        user = self._user_store
        if (
            user is not None
            and user.is_file()
            and all(p.resolve() != user.resolve() for p in paths)
        ):
            paths.append(user)
        stores: list[EventStore] = []
        deferred: list[Path] = []
        for path in paths:
            if stores and path in self._left_out:
                continue
            try:
                store = open_store(path)
            except StoreError as exc:
                if not stores:
                    raise  # the main store is gone: nothing to show
                self.warn(f"your own store was left out: {exc}")
                continue
            if stores and store.unverified:  # a large user store: shown once examined
                store.close()
                deferred.append(path)
                continue
            stores.append(store)
        library = Library(stores)
        library.deferred = deferred
        self._owned.append(library)
        self._retired.append(old)
        self._gen += 1
        self._lib = _Library(library, self._gen)
        self._history.clear()
        self._signatures = self._read_signatures()
        self.counts = None
        self._full = None
        self.loadingChanged.emit(True)
        self.libraryChanged.emit()
        self._refresh()
        self._verify_later()

    def warn(self, text: str) -> None:
        """Say a problem in the window (the status bar shows every warning)."""
        text = text[:1].upper() + text[1:]
        if text not in self.warnings:
            self.warnings.append(text)
            self.warningsChanged.emit()

    def _verify_later(self) -> None:
        """Examine, off the GUI thread, the rows of stores too large to examine at once.

        A large user store waits outside the library (`library.deferred`) and joins it once
        examined, or stays out with a warning when it holds rows the program cannot show. A
        large main store (`--db`) is shown at once; if its rows turn out bad, a warning says
        so (exports from it are refused).
        """
        library = self._lib.library
        main = library.stores[0]
        waiting = [(p, False) for p in library.deferred]
        if main.unverified:
            main.unverified = False
            waiting.append((main.path, True))
        library.deferred = []
        for path, is_main in waiting:

            def examine(path: Path = path, is_main: bool = is_main) -> tuple[Path, bool, str]:
                try:
                    store = EventStore(path)
                    try:
                        verify_stores(Library([store]))
                    finally:
                        store.close()
                except StoreError as exc:
                    return path, is_main, str(exc)
                return path, is_main, ""

            self._start(Job(self._relay, "verify", self._gen, examine))

    def _examined(self, out: object) -> None:
        if not isinstance(out, tuple):
            return
        path, is_main, problem = out
        if is_main:
            if problem:
                self.warn(f"{problem} (exports from it are refused)")
            return
        if problem:
            self._left_out.add(Path(path))
            self.warn(f"your own store was left out: {problem}")
            return
        self.reload_library()  # examined and clean (the verdict is cached): it joins

    # ----------------------------------------------------------------- imports

    @property
    def user_store(self) -> Path | None:
        """The user's own store (imports, saved views): the one given, else the library's store
        that says it is one; None when the library has none."""
        if self._user_store is not None:
            return self._user_store
        for store in self.library.stores:
            if store.meta().get("origin") == "user":
                return store.path
        return None

    def imports(self) -> list[ImportInfo]:
        """The imports of the user store, oldest first (none without a user store).

        Raises:
            StoreError: the user store is not usable.
        """
        from explorer.storage.imports import list_imports

        path = self.user_store
        return [] if path is None or not path.is_file() else list_imports(path)

    def remove_import(self, import_id: int) -> None:
        """Take one import back, off the GUI thread, then show the library without it
        (`importRemoved`, or `importFailed` with the reason)."""
        from explorer.storage.imports import remove_import

        path = self.user_store
        if path is None:
            self.importFailed.emit("there is no store of your own to remove an import from")
            return

        def remove() -> tuple[object]:
            return (remove_import(path, import_id),)

        self._start(Job(self._relay, "remove-import", self._gen, remove))

    def _read_signatures(self) -> dict[Path, tuple[int, int, int] | None]:
        out = {s.path: _signature(s.path) for s in self._lib.library.stores}
        if self._user_store is not None and all(
            p.resolve() != self._user_store.resolve() for p in out
        ):
            out[self._user_store] = _signature(self._user_store)  # it may appear
        return out

    def _look_at_stores(self) -> None:
        """Reload once a store's file changed and has stayed as it is for one more look."""
        changed = False
        for path, before in self._signatures.items():
            now = _signature(path)
            if now == before:
                self._changed_at.pop(path, None)
                continue
            if self._changed_at.get(path, ()) == now and not _busy_writing(path):
                changed = True
            else:
                self._changed_at[path] = now
        if changed:
            self._changed_at.clear()
            log.info("a store changed on disk: reloading the library")
            self.reload_library()

    # ================================================================= the shown events

    @property
    def order(self) -> EventOrder:
        """The shown events in date order (empty while loading)."""
        return self._shown_order

    @property
    def shown_filters(self) -> FilterState:
        """The filters whose events `order` holds (the view's own once their events are in:
        the list's order follows the timeline's first frame of a new filter)."""
        return self._shown_filters

    @property
    def event_count(self) -> int:
        return len(self._shown_order)

    @property
    def total_count(self) -> int:
        """How many events the library holds (known before the order is read)."""
        return self._lib.total

    @property
    def loading(self) -> bool:
        return self._full is None

    @property
    def events(self) -> OrderedSummaries:
        """The shown events in date order, read lazily. Iterate only small ones."""
        return OrderedSummaries(self._shown_order, self._lib.pages)

    @property
    def all_events(self) -> OrderedSummaries:
        """Every event, filtered or not, read lazily."""
        return OrderedSummaries(self._full or EventOrder(array("q")), self._lib.pages)

    def summary(self, gid: int) -> EventSummary | None:
        """The summary of any library id (shown or not), or None when there is no such event."""
        return None if gid < 0 else self._lib.pages.get(gid)

    def summary_at(self, pos: int) -> EventSummary | None:
        """The summary at a position of the shown events, or None out of range."""
        if not 0 <= pos < len(self._shown_order):
            return None
        try:
            return self._lib.pages.at(self._shown_order, pos)
        except KeyError:
            return None

    def id_at(self, pos: int) -> int:
        """The library id at a position of the shown events (-1 out of range)."""
        if not 0 <= pos < len(self._shown_order):
            return NO_SELECTION
        return self._shown_order.id_at(pos)

    def row_of(self, gid: int) -> int | None:
        """The position of a library id among the shown events, or None."""
        if gid < 0 or not self._shown_order:
            return None
        s = self._lib.pages.get(gid)
        return None if s is None else self._shown_order.position(gid, s.start_day)

    def id_for_key(self, key: str) -> int | None:
        return self.library.id_for_key(key)

    def row_at_day(self, day: int) -> int:
        """The position of the first shown event starting on or after a day (jumps by date)."""
        return self._shown_order.first_on_or_after(day)

    # ================================================================= the selection

    @property
    def selected_id(self) -> int:
        return self._selected

    @property
    def current_event(self) -> Event | None:
        return self._current

    def select(self, gid: int) -> None:
        """Select a library id (-1 clears); ids not shown are ignored."""
        if gid == self._selected:
            return
        summary: EventSummary | None = None
        if gid != NO_SELECTION:
            if not self._is_shown(gid):
                return
            summary = self.summary(gid)
            if summary is None:
                return
        self._pending_edge = None  # a choice made while loading wins over select_first
        self._selected = gid
        self._current = None if summary is None else load_event(self.library, gid)
        self._set_view(self._view.with_selection(None if summary is None else summary.key))
        self.selectionChanged.emit(gid)
        self.eventLoaded.emit(self._current)

    def select_key(self, key: str) -> bool:
        """Select the event with this key; returns whether it is shown."""
        gid = self.library.id_for_key(key)
        if gid is None or not self._is_shown(gid):
            return False
        self.select(gid)
        return True

    def select_next(self) -> bool:
        return self._step(+1)

    def select_previous(self) -> bool:
        return self._step(-1)

    def select_first(self) -> bool:
        return self._select_edge(last=False)

    def select_last(self) -> bool:
        return self._select_edge(last=True)

    def follow_relation(self, key: str | None = None) -> bool:
        """Select a related event: `key`, or the current event's first relation."""
        if key is None:
            event = self._current
            if event is None or not event.relations:
                return False
            key = event.relations[0].target.key
        before = self._selected
        moved = self.select_key(key) and self._selected != before
        if moved and before != NO_SELECTION:
            self._history.append(before)
        return moved

    @property
    def can_go_back(self) -> bool:
        return bool(self._history)

    def go_back(self) -> bool:
        """Return to the event the last followed relation left; False when there is none."""
        while self._history:
            gid = self._history.pop()
            if self._is_shown(gid):
                self.select(gid)
                return True
        return False

    def _is_shown(self, gid: int) -> bool:
        if self._full is None:
            # still reading the order: any existing event the filters let through
            return self._lib.pages.get(gid) is not None and self._query.contains(gid)
        return self.row_of(gid) is not None

    def _select_edge(self, last: bool) -> bool:
        if self._full is None:
            self._pending_edge = last
            return False
        if not self._shown_order:
            return False
        before = self._selected
        self.select(self._shown_order.id_at(-1 if last else 0))
        return self._selected != before

    def _step(self, delta: int) -> bool:
        n = len(self._shown_order)
        if not n:
            return False
        row = self.row_of(self._selected)
        if row is None:
            row = 0 if delta > 0 else n - 1
        else:
            row += delta
        if not 0 <= row < n:
            return False
        self.select(self._shown_order.id_at(row))
        return True

    # ================================================================= background work

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the background work is idle (tests, benchmarks); results arrive as
        queued signals, so let the event loop run afterwards."""
        return bool(self._pool.waitForDone(msecs))

    def shutdown(self) -> None:
        """Stop the background work and close the libraries this workspace opened."""
        self._closed = True
        self._watch.stop()
        self._held = None
        self._pool.clear()
        self._pool.waitForDone(30_000)
        for library in self._owned:
            library.close()
        self._owned.clear()
        self._retired.clear()

    def _first_count(self) -> None:
        if not self._closed and self._gen == 0 and self.counts is None:
            self._count(self._query, 0)

    def _refresh(self) -> None:
        """Compute the snapshot of the current filters over the current library: here for a
        small library, in the worker for a large one.

        Two steps, so the timeline waits for no more than it needs: the query (the filters'
        bitsets: milliseconds) is shown first and the timeline starts loading from it; the
        list's order (tens of milliseconds at a million events) follows once the timeline has
        drawn (`release_counts`), then the facet counts.
        """
        if self._closed:
            return
        self._gen += 1
        gen, lib, state = self._gen, self._lib, self.filters

        def select() -> tuple[_Library, BitsetQuery]:
            return lib, BitsetQuery(lib.library, state, lib.index, cache=lib.cache)

        if lib.total <= self._sync_limit:
            self._show_query(gen, *select())
            return
        self._start(Job(self._relay, "select", gen, select))

    def _start(self, job: Job) -> None:
        self._outstanding += 1
        self._set_busy(True)
        self._pool.start(job)

    def _hold(self, job: Job) -> None:
        """Start `job` once the timeline has drawn the new snapshot (`release_counts`), so the
        two never compete for the interpreter; at the latest after HOLD_MS. Unless the
        window asks for this (`hold_counts`), at once."""
        if not self.hold_counts:
            self._start(job)
            return
        if self._held is None:
            self._outstanding += 1
            self._set_busy(True)
        self._held = job  # a newer snapshot's job replaces one still held
        QTimer.singleShot(HOLD_MS, lambda: self._release_if_held(job))

    def _release_if_held(self, job: Job) -> None:
        if self._held is job:
            self.release_counts()

    def _count(self, query: BitsetQuery, gen: int) -> None:
        """The facet counts and search hits of a snapshot, after its events are shown."""

        def count() -> tuple[FacetCounts, SearchResult | None]:
            return query.facet_counts(), query.hits(100)

        self._start(Job(self._relay, "count", gen, count))

    def release_counts(self) -> None:
        """Start what waits for the timeline's frame of a new snapshot (the list's order, then
        the facet counts)."""
        job, self._held = self._held, None
        if job is not None:
            self._pool.start(job)
        if not self._warmed and not self._closed:
            # what the first filter change would otherwise pay for: lane codes, densities
            self._warmed = True
            query = self._query

            def warm() -> int:
                for mode in LANE_MODES:
                    query.warm(mode)
                return 0

            self._start(Job(self._relay, "warm", self._shown_gen, warm))

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    def _on_done(self, what: str, gen: int, out: object) -> None:
        self._outstanding -= 1
        try:
            if what == "remove-import" and not self._closed:
                self._removed(out)
                return
            if what == "verify" and not self._closed:
                self._examined(out)
                return
            if self._closed or isinstance(out, Exception) or gen != self._gen or what == "warm":
                return  # failed (logged by the job), or a newer snapshot is on its way
            assert isinstance(out, tuple)
            if what == "select":
                self._show_query(gen, *out)
            elif what == "order":
                self._show_order(gen, *out)
            elif what == "count" and gen == self._shown_gen:
                self.counts, self.search_result = out
                self.countsChanged.emit(self.counts)
                self.searchChanged.emit(self.search_result)
        finally:
            if self._outstanding <= 0:
                self._outstanding = 0
                self._set_busy(False)
                self._close_retired()

    def _removed(self, out: object) -> None:
        if isinstance(out, StoreError):
            self.importFailed.emit(str(out))
            return
        if isinstance(out, Exception):  # a bug: logged by the job; say so in one line
            self.importFailed.emit(f"the import could not be removed ({type(out).__name__}: {out})")
            return
        assert isinstance(out, tuple)
        self.reload_library()
        self.importRemoved.emit(out[0])

    def _close_retired(self) -> None:
        """Close replaced libraries once nothing reads them: every one but the latest (a
        timeline load may still hold that one for a moment)."""
        while len(self._retired) > 1:
            library = self._retired.pop(0)
            library.close()
            if library in self._owned:
                self._owned.remove(library)

    def _show_query(self, gen: int, lib: _Library, query: BitsetQuery) -> None:
        """Swap in a new snapshot's query (the timeline reloads from it); its order follows."""
        if lib is not self._lib or gen != self._gen:
            return  # a newer library or filter is on its way
        before = self._query
        self._query = query
        if before.library is not query.library:
            self._library_changed = True
        if before.library is not query.library or before.filters != query.filters:
            self.queryChanged.emit(query)

        def order() -> tuple[BitsetQuery, EventOrder]:
            return query, query.order()

        if lib.total <= self._sync_limit:
            self._show_order(gen, *order())
        else:
            self._hold(Job(self._relay, "order", gen, order))

    def _show_order(self, gen: int, query: BitsetQuery, order: EventOrder) -> None:
        """The snapshot's events in date order (the list), then the selection, then counts."""
        if gen != self._gen or query is not self._query:
            return
        was_loading = self._full is None
        self._shown_gen = gen
        self._shown_filters = query.filters
        self._full = query.full_order()
        self._shown_order = order
        self.eventsChanged.emit()
        if was_loading:
            self.loadingChanged.emit(False)
        library_changed, self._library_changed = self._library_changed, False
        self._keep_selection(library_changed)
        if self._pending_edge is not None:
            last, self._pending_edge = self._pending_edge, None
            self._select_edge(last)
        if self._pending_view is not None:
            self._finish_view()
        self._count(query, gen)

    def _keep_selection(self, library_changed: bool) -> None:
        """The selection, by its key, after the shown events changed: kept when its event is
        still shown (after a reload its id may be another, its content newer), else cleared."""
        key = self._view.selection
        gid = self.library.id_for_key(key) if key else None
        if gid is not None and self.row_of(gid) is not None:
            if gid != self._selected:
                self._selected = NO_SELECTION
                self.select(gid)
            elif library_changed:
                # the same event, read again from the new stores (an import may add to it)
                self._current = load_event(self.library, gid)
                self.eventLoaded.emit(self._current)
            return
        if self._selected != NO_SELECTION:
            self.select(NO_SELECTION)
        elif key:
            self._set_view(self._view.with_selection(None))

    # ----------------------------------------------------------------- for callers

    def when_idle(self, fn: Callable[[], object]) -> None:
        """Run `fn` once the current snapshot is shown (at once when it is)."""
        if not self._busy_selecting():
            fn()
            return

        def once() -> None:
            self.eventsChanged.disconnect(once)
            fn()

        self.eventsChanged.connect(once)
