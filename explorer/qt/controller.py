"""TimelineController: the one object that owns what the window shows and what is selected.

Every view (the event list, the detail pane, the timeline, the filter panel, the exporters) takes
the controller in its ``__init__``, listens to its signals and writes back only through its
methods, as napari's ``Dims`` model and its ``QtDims`` twin do. Views never talk to each other and
never reach into storage.

The events are never all in memory: the controller holds their date order as one array of keys
(:class:`~explorer.storage.event_index.EventOrder`, 8 bytes an event) and reads the summaries a
view shows a page at a time (:class:`~explorer.storage.event_index.SummaryPages`). A library of
up to ``sync_limit`` events is ordered at once in ``__init__`` (milliseconds); a larger one in a
worker thread once the event loop runs, while ``loading`` is True and the views say so. Filtering
a large library also runs in the worker.

API (library ids are plain ints, ``local_id * SLOTS + slot``; ``-1`` means "nothing"; a
*position* is an index into the events shown, in date order):

State:
    ``library``            the :class:`~explorer.storage.library.Library` (bundled + user stores).
    ``order``              the shown events' :class:`EventOrder` (empty while loading).
    ``event_count``        how many events are shown (``len(order)``).
    ``total_count``        how many events the library holds (known at once).
    ``loading``            True until the library's order is read.
    ``events``             the shown events as a lazy read-only sequence of
                           :class:`EventSummary` (len, index, iterate: iterate only small ones).
    ``all_events``         the same over every event, filtered or not.
    ``selected_id``        the selected library id, or -1.
    ``current_event``      the full :class:`Event` of the selection, or None.
    ``countries``          ISO code -> country name, over every store.
    ``data_version``       the curated data version (``meta.data_version``), or "".
    ``warnings``           one-line problems met while opening (e.g. the user store), for the
                           status bar.

Lookups:
    ``summary(gid)``       the EventSummary of any library id, or None.
    ``summary_at(pos)``    the EventSummary at a position of the shown events.
    ``id_at(pos)``         the library id at a position.
    ``row_of(gid)``        the position of a library id among the shown events, or None.
    ``id_for_key(key)``    the library id of an event key, or None.
    ``row_at_day(day)``    the position of the first shown event starting on or after a day.

Actions (each emits ``selectionChanged`` then ``eventLoaded`` when the selection changes):
    ``select(gid)``        select a library id (-1 clears). Ids not shown are ignored.
    ``select_key(key)``    select by event key; returns whether it was found.
    ``select_next()`` / ``select_previous()``   step in date order (first/last when nothing
                           is selected); return whether the selection moved.
    ``select_first()`` / ``select_last()``   (while loading: done once the order is read)
    ``follow_relation(key=None)``  select a related event: ``key`` or, without one, the first
                           relation of the current event; returns whether it moved. The event
                           left behind is remembered for ``go_back``.
    ``go_back()``          return to the event a followed relation came from; returns whether
                           there was one (``can_go_back`` tells).
    ``reload()``           re-read the order from the library (after an import); keeps the
                           selection when the event still exists; emits ``eventsChanged``.
    ``set_filtered(f, then=None)``  show only some events: ``f`` is a FilterResult (anything
                           with ``masks`` and ``total``), an EventOrder, a list of summaries, or
                           None for all; ``then`` runs once they are shown.
    ``shutdown()``         wait for the worker (before the library is closed).

Signals:
    ``eventsChanged()``          the shown events changed (loaded, filtered, reloaded).
    ``loadingChanged(bool)``     the library's order started or finished loading.
    ``selectionChanged(int)``    the selected library id (-1: none).
    ``eventLoaded(object)``      the full :class:`Event` of the selection (None when cleared).

Loading a full Event costs a handful of indexed queries (well under a millisecond), so it runs
synchronously here; it is one function, :func:`load_event`, so it can move to a worker without
touching callers.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from explorer.domain.model import Event, EventSummary
from explorer.qt.jobs import Job, Relay
from explorer.storage.event_index import (
    EventOrder,
    OrderedSummaries,
    SummaryPages,
    load_order,
    order_of,
)
from explorer.storage.library import Library

NO_SELECTION = -1

#: Libraries up to this many events are ordered and filtered on the GUI thread (a few ms).
SYNC_LIMIT = 50_000


def load_event(library: Library, gid: int) -> Event | None:
    """The full event of a library id, or None when no store holds it.

    Kept free of Qt and of controller state so a QRunnable can call it off the GUI thread
    (each thread gets its own SQLite connection from the store).
    """
    try:
        return library.event(gid)
    except (KeyError, IndexError):
        return None


class _OrderSource:
    """The library's order, read once and shared by the GUI thread and the worker."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._order: EventOrder | None = None
        self._gen = 0

    def invalidate(self) -> None:
        with self._lock:
            self._gen += 1
            self._order = None

    def get(self) -> EventOrder:
        with self._lock:
            order, gen = self._order, self._gen
        if order is not None:
            return order
        order = load_order(self.library)
        with self._lock:
            if gen == self._gen:  # not read over by a reload in the meantime
                self._order = order
        return order


def _apply(full: EventOrder, shown: object) -> EventOrder:
    """The events of `full` that a filter lets through (see ``set_filtered``)."""
    if shown is None:
        return full
    if isinstance(shown, EventOrder):
        return shown
    masks = getattr(shown, "masks", None)
    if masks is not None:
        try:
            return full.filtered(masks, getattr(shown, "total", None))
        except ValueError:
            # The result was counted over other events (an import in between): ask it per id.
            return full.where(lambda gid: gid in shown)  # type: ignore[operator]
    assert isinstance(shown, Sequence)
    return order_of(shown)


class TimelineController(QObject):
    """Owns the library, the date order of its events and the selection.

    Args:
        library: The stores to show; the controller does not close it (the app does).
        warnings: One-line problems met while opening the library, shown in the status bar.
        parent: The Qt parent.
        sync_limit: Up to this many events, the order is read and filtered at once;
            above it, in a worker thread.
    """

    eventsChanged = Signal()
    loadingChanged = Signal(bool)
    selectionChanged = Signal(int)
    eventLoaded = Signal(object)

    def __init__(
        self,
        library: Library,
        warnings: Sequence[str] = (),
        parent: QObject | None = None,
        *,
        sync_limit: int = SYNC_LIMIT,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self.warnings: list[str] = list(warnings)
        self._sync_limit = sync_limit
        self._source = _OrderSource(library)
        self._pages = SummaryPages(library)
        self._full: EventOrder | None = None
        self._shown_order = EventOrder(array("q"))
        self._filter: object = None
        self._shown_filter: object = None
        self._then: list[Callable[[], object]] = []
        self._gen = 0
        self._pending_edge: bool | None = None  # select_last's `last` once loaded
        self._selected = NO_SELECTION
        self._current: Event | None = None
        self._countries: dict[str, str] | None = None
        self._history: list[int] = []
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = Relay(self)
        self._relay.done.connect(self._on_done)
        self._total = library.count()
        if self._total <= sync_limit:
            self._full = self._shown_order = self._source.get()
        else:
            # Read once the event loop runs: the window is shown (and drawn) first.
            QTimer.singleShot(0, self._refresh)

    # ----------------------------------------------------------------- state

    @property
    def library(self) -> Library:
        return self._library

    @property
    def order(self) -> EventOrder:
        """The shown events in date order (empty while loading)."""
        return self._shown_order

    @property
    def shown_filter(self) -> object:
        """The ``set_filtered`` argument whose events are shown now (None: all)."""
        return self._shown_filter

    @property
    def event_count(self) -> int:
        return len(self._shown_order)

    @property
    def total_count(self) -> int:
        """How many events the library holds (known before the order is read)."""
        return self._total

    @property
    def loading(self) -> bool:
        return self._full is None

    @property
    def events(self) -> OrderedSummaries:
        """The shown events in date order, read lazily. Iterate only small ones."""
        return OrderedSummaries(self._shown_order, self._pages)

    @property
    def all_events(self) -> OrderedSummaries:
        """Every event, filtered or not, read lazily."""
        return OrderedSummaries(self._full or EventOrder(array("q")), self._pages)

    @property
    def selected_id(self) -> int:
        return self._selected

    @property
    def current_event(self) -> Event | None:
        return self._current

    @property
    def countries(self) -> dict[str, str]:
        """ISO code -> name, merged over every store (the bundled one wins)."""
        if self._countries is None:
            merged: dict[str, str] = {}
            for store in reversed(self._library.stores):
                merged.update(store.countries())
            self._countries = merged
        return self._countries

    @property
    def data_version(self) -> str:
        return self._library.meta().get("data_version", "")

    def summary(self, gid: int) -> EventSummary | None:
        """The summary of any library id (shown or not), or None when there is no such event."""
        return None if gid < 0 else self._pages.get(gid)

    def summary_at(self, pos: int) -> EventSummary | None:
        """The summary at a position of the shown events, or None out of range."""
        if not 0 <= pos < len(self._shown_order):
            return None
        try:
            return self._pages.at(self._shown_order, pos)
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
        s = self._pages.get(gid)
        return None if s is None else self._shown_order.position(gid, s.start_day)

    def id_for_key(self, key: str) -> int | None:
        return self._library.id_for_key(key)

    def row_at_day(self, day: int) -> int:
        """The position of the first shown event starting on or after a day (jumps by date)."""
        return self._shown_order.first_on_or_after(day)

    # ----------------------------------------------------------------- actions

    def select(self, gid: int) -> None:
        """Select a library id (-1 clears); ids not shown are ignored."""
        if gid == self._selected:
            return
        if gid != NO_SELECTION and not self._is_shown(gid):
            return
        self._pending_edge = None  # a choice made while loading wins over select_first
        self._selected = gid
        self.selectionChanged.emit(gid)
        self._load_current()

    def select_key(self, key: str) -> bool:
        """Select the event with this key; returns whether it is shown."""
        gid = self._library.id_for_key(key)
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

    def set_filtered(self, shown: object, then: Callable[[], object] | None = None) -> None:
        """Show only some events, e.g. those passing the filters; None shows all of them.

        Args:
            shown: A FilterResult (anything with ``masks``, per-store bitsets of positions in
                date order, and ``total``), an EventOrder, a list of EventSummary, or None.
            then: Called once they are shown (at once for a small library).

        The selection stays when its event is still shown and is cleared otherwise.
        """
        self._filter = shown
        if then is not None:
            self._then.append(then)
        self._refresh()

    def reload(self) -> None:
        """Re-read the events from the library (after an import), keeping the selection."""
        self._countries = None
        self._pages.clear()
        self._source.invalidate()
        self._total = self._library.count()
        if self._full is not None and self._total > self._sync_limit:
            self._full = None
            self.loadingChanged.emit(True)
        self._refresh()

    def shutdown(self) -> None:
        """Drop queued work and wait for the running one (call before closing the library)."""
        self._pool.clear()
        self._pool.waitForDone(30_000)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the worker is idle (tests, benchmark); results arrive as events."""
        return bool(self._pool.waitForDone(msecs))

    # ----------------------------------------------------------------- internals

    def _is_shown(self, gid: int) -> bool:
        if self._full is None:
            # Still reading the order: any existing event the filter lets through.
            f = self._filter
            if f is not None and hasattr(f, "masks") and gid not in f:  # type: ignore[operator]
                return False
            return self._pages.get(gid) is not None
        return self.row_of(gid) is not None

    def _refresh(self) -> None:
        """Recompute the shown events from the order and the filter (here or in the worker)."""
        self._gen += 1
        shown, source = self._filter, self._source
        if self._total <= self._sync_limit:
            self._show(source.get(), _apply(source.get(), shown), shown)
            return
        self._pool.start(
            Job(
                self._relay,
                "event order",
                self._gen,
                lambda: (source.get(), _apply(source.get(), shown), shown),
            )
        )

    def _on_done(self, _what: str, gen: int, out: object) -> None:
        if gen != self._gen:
            return  # a newer filter or reload is on its way
        if isinstance(out, Exception):
            self._then.clear()
            return
        assert isinstance(out, tuple)
        self._show(*out)

    def _show(self, full: EventOrder, shown: EventOrder, shown_filter: object) -> None:
        was_loading = self._full is None
        self._full = full
        self._shown_order = shown
        self._shown_filter = shown_filter
        self.eventsChanged.emit()
        if was_loading:
            self.loadingChanged.emit(False)
        if self._selected != NO_SELECTION and not self._is_shown(self._selected):
            self.select(NO_SELECTION)
        if self._pending_edge is not None:
            last, self._pending_edge = self._pending_edge, None
            self._select_edge(last)
        then, self._then = self._then, []
        for fn in then:
            fn()

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

    def _load_current(self) -> None:
        gid = self._selected
        self._current = None if gid == NO_SELECTION else load_event(self._library, gid)
        self.eventLoaded.emit(self._current)
