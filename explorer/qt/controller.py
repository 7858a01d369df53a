"""TimelineController: the one object that owns what the window shows and what is selected.

Every view (the event list, the detail pane, the timeline, the filter panel, the exporters) takes
the controller in its ``__init__``, listens to its signals and writes back only through its
methods, as napari's ``Dims`` model and its ``QtDims`` twin do. Views never talk to each other and
never reach into storage.

API (library ids are plain ints, ``local_id * SLOTS + slot``; ``-1`` means "nothing"):

State:
    ``library``            the :class:`~explorer.storage.library.Library` (bundled + user stores).
    ``events``             the loaded :class:`EventSummary` list, in date order (start_day, id).
    ``selected_id``        the selected library id, or -1.
    ``current_event``      the full :class:`Event` of the selection, or None.
    ``countries``          ISO code -> country name, over every store.
    ``data_version``       the curated data version (``meta.data_version``), or "".
    ``warnings``           one-line problems met while opening (e.g. the user store), for the
                           status bar.

Lookups:
    ``summary(gid)``       the EventSummary of a library id, or None.
    ``row_of(gid)``        the position of a library id in ``events``, or None.
    ``id_for_key(key)``    the library id of an event key, or None.
    ``row_at_day(day)``    the row of the first event starting on or after a day number.

Actions (each emits ``selectionChanged`` then ``eventLoaded`` when the selection changes):
    ``select(gid)``        select a library id (-1 clears). Unknown ids are ignored.
    ``select_key(key)``    select by event key; returns whether it was found.
    ``select_next()`` / ``select_previous()``   step in date order (first/last when nothing
                           is selected); return whether the selection moved.
    ``select_first()`` / ``select_last()``
    ``follow_relation(key=None)``  select a related event: ``key`` or, without one, the first
                           relation of the current event; returns whether it moved. The event
                           left behind is remembered for ``go_back``.
    ``go_back()``          return to the event a followed relation came from; returns whether
                           there was one (``can_go_back`` tells).
    ``reload()``           re-read the summaries from the library (after an import); keeps the
                           selection when the event still exists; emits ``eventsChanged``.
    ``set_filtered(events)``  show only these events (the filter's matches; None: all);
                           ``all_events`` keeps every loaded event.

Signals:
    ``eventsChanged()``          the ``events`` list was replaced.
    ``selectionChanged(int)``    the selected library id (-1: none).
    ``eventLoaded(object)``      the full :class:`Event` of the selection (None when cleared).

Loading a full Event costs a handful of indexed queries (well under a millisecond on the curated
store), so it runs synchronously here; it is one function, :func:`load_event`, so it can move to a
QThreadPool worker without touching callers (the selection signal already goes out before the
load; views that show the event listen to ``eventLoaded``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from explorer.domain.model import Event, EventSummary
from explorer.storage.library import Library

NO_SELECTION = -1


def load_event(library: Library, gid: int) -> Event | None:
    """The full event of a library id, or None when no store holds it.

    Kept free of Qt and of controller state so a QRunnable can call it off the GUI thread
    (each thread gets its own SQLite connection from the store).
    """
    try:
        return library.event(gid)
    except (KeyError, IndexError):
        return None


class TimelineController(QObject):
    """Owns the library, the date-ordered event summaries and the selection.

    Args:
        library: The stores to show; the controller does not close it (the app does).
        warnings: One-line problems met while opening the library, shown in the status bar.
        parent: The Qt parent.
    """

    eventsChanged = Signal()
    selectionChanged = Signal(int)
    eventLoaded = Signal(object)

    def __init__(
        self,
        library: Library,
        warnings: Sequence[str] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self.warnings: list[str] = list(warnings)
        self._events: list[EventSummary] = []
        self._row_by_id: dict[int, int] = {}
        self._starts: list[tuple[int, int]] = []
        self._selected = NO_SELECTION
        self._current: Event | None = None
        self._countries: dict[str, str] | None = None
        self._history: list[int] = []
        self._load_summaries()

    # ----------------------------------------------------------------- state

    @property
    def library(self) -> Library:
        return self._library

    @property
    def events(self) -> list[EventSummary]:
        """The loaded events in date order. Treat as read-only."""
        return self._events

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
        row = self._row_by_id.get(gid)
        return None if row is None else self._events[row]

    def row_of(self, gid: int) -> int | None:
        return self._row_by_id.get(gid)

    def id_for_key(self, key: str) -> int | None:
        return self._library.id_for_key(key)

    def row_at_day(self, day: int) -> int:
        """The row of the first event starting on or after a day number (for jumps by date)."""
        return bisect.bisect_left(self._starts, (day, -1))

    # ----------------------------------------------------------------- actions

    def select(self, gid: int) -> None:
        """Select a library id (-1 clears); unknown ids are ignored."""
        if gid != NO_SELECTION and gid not in self._row_by_id:
            return
        if gid == self._selected:
            return
        self._selected = gid
        self.selectionChanged.emit(gid)
        self._load_current()

    def select_key(self, key: str) -> bool:
        """Select the event with this key; returns whether it exists."""
        gid = self._library.id_for_key(key)
        if gid is None or gid not in self._row_by_id:
            return False
        self.select(gid)
        return True

    def select_next(self) -> bool:
        return self._step(+1)

    def select_previous(self) -> bool:
        return self._step(-1)

    def select_first(self) -> bool:
        if not self._events:
            return False
        before = self._selected
        self.select(self._events[0].id)
        return self._selected != before

    def select_last(self) -> bool:
        if not self._events:
            return False
        before = self._selected
        self.select(self._events[-1].id)
        return self._selected != before

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
            if gid in self._row_by_id:
                self.select(gid)
                return True
        return False

    @property
    def all_events(self) -> list[EventSummary]:
        """Every loaded event, filtered or not (the filter controller picks from these)."""
        return self._all_events

    def set_filtered(self, events: list[EventSummary] | None) -> None:
        """Show only these events (None: all of them), e.g. those passing the filters.

        The selection stays when its event is still shown and is cleared otherwise.
        """
        self._events = self._all_events if events is None else events
        self._row_by_id = {e.id: i for i, e in enumerate(self._events)}
        self._starts = [(e.start_day, e.id) for e in self._events]
        self.eventsChanged.emit()
        if self._selected != NO_SELECTION and self._selected not in self._row_by_id:
            self.select(NO_SELECTION)

    def reload(self) -> None:
        """Re-read the events from the library (after an import), keeping the selection."""
        self._countries = None
        self._load_summaries()
        self.eventsChanged.emit()
        if self._selected != NO_SELECTION and self._selected not in self._row_by_id:
            self.select(NO_SELECTION)

    # ----------------------------------------------------------------- internals

    def _load_summaries(self) -> None:
        self._all_events = self._events = self._library.summaries()
        self._row_by_id = {e.id: i for i, e in enumerate(self._events)}
        self._starts = [(e.start_day, e.id) for e in self._events]

    def _step(self, delta: int) -> bool:
        if not self._events:
            return False
        row = self._row_by_id.get(self._selected)
        if row is None:
            row = 0 if delta > 0 else len(self._events) - 1
        else:
            row += delta
        if not 0 <= row < len(self._events):
            return False
        self.select(self._events[row].id)
        return True

    def _load_current(self) -> None:
        gid = self._selected
        self._current = None if gid == NO_SELECTION else load_event(self._library, gid)
        self.eventLoaded.emit(self._current)
