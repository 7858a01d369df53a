"""The library's events in date order as one compact array, for lists of any size.

A list of a million :class:`EventSummary` objects costs about a gigabyte and most of a minute to
read; the event list only ever shows a screenful of them. So the order of the events is kept as
one ``array('q')`` of *keys*, ``start_day << 32 | library id``: 8 bytes an event. Because library
ids grow with local ids within a store, sorting keys sorts by ``(start_day, id)``, the order of
:meth:`Library.summaries`, and one key answers all of:

- which event is at a position (``key & 0xFFFFFFFF``) and on which day it starts (``key >> 32``);
- where an event is (``bisect`` for its key: O(log n), no dictionary of a million ids);
- where a day or a year begins (``bisect`` for ``day << 32``).

Per store the keys are in ``(start_day, local id)`` order, the positions the facet bitsets of
:mod:`explorer.storage.facets` use, so a filter's result becomes a filtered order by picking the
keys whose bit is set (numpy, C speed: :mod:`explorer.storage.bitarrays`).

Reading a store's keys goes through the covering index ``idx_events_window`` (its first column is
``start_day``, its last ``id``) in one statement that returns them as fixed-width hex, so Python
creates no object per event and SQLite runs without the GIL; about a second at a million events,
then the keys are kept in the index cache (:mod:`explorer.storage.index_cache`) and read back in
milliseconds on the next start.

:class:`SummaryPages` fetches the summaries a view shows, a page of rows around the requested
one at a time, and keeps the most recent pages.
"""

from __future__ import annotations

import bisect
import sqlite3
import sys
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from itertools import chain, compress, islice
from operator import gt
from typing import overload

from explorer.domain.model import EventSummary
from explorer.storage import bitarrays, index_cache
from explorer.storage.library import SLOTS, Library, global_id, split_id
from explorer.storage.store import EventStore

SHIFT = 32
ID_MASK = (1 << SHIFT) - 1
_CACHE_KIND = "order"


def make_key(start_day: int, gid: int) -> int:
    """The sort key of an event: its start day, then its library id."""
    return start_day << SHIFT | gid


def key_day(key: int) -> int:
    return key >> SHIFT


def key_id(key: int) -> int:
    return key & ID_MASK


def _is_sorted(keys: array[int]) -> bool:
    # map/islice run in C: ~0.1 s at a million keys, no list built
    return not any(map(gt, keys, islice(keys, 1, None)))


def _sorted_array(keys: Iterable[int]) -> array[int]:
    return array("q", sorted(keys))


def read_store_keys(store: EventStore, slot: int) -> array[int]:
    """The keys of one store's events in date order, read from SQLite (no cache).

    Args:
        store: The store.
        slot: Its slot in the library (the low bits of its library ids).
    """
    return read_keys(store.conn, slot, "INDEXED BY idx_events_window")


def read_keys(
    conn: sqlite3.Connection,
    slot: int,
    clause: str = "",
    params: Sequence[object] = (),
    alias: str = "",
) -> array[int]:
    """The keys of a store's events (those `clause` selects) in date order.

    Args:
        conn: The store's connection.
        slot: Its slot in the library (the low bits of its library ids).
        clause: SQL after `FROM events [alias]`: an `INDEXED BY` or a `WHERE` with `params`.
        params: The clause's bound parameters.
        alias: The events table's alias in `clause`.
    """
    col = f"{alias}." if alias else ""
    text = conn.execute(
        f"SELECT group_concat(printf('%016x', {col}start_day * 4294967296 + {col}id * ? + ?), "
        f"'') FROM events {alias} {clause}",
        [SLOTS, slot, *params],
    ).fetchone()[0]
    keys = array("q")
    if text:
        keys.frombytes(bytes.fromhex(text))
        if sys.byteorder == "little":
            keys.byteswap()
    # The index orders a day's events by end day and lane, not by id: sort when needed.
    return keys if _is_sorted(keys) else _sorted_array(keys)


def store_keys(store: EventStore, slot: int, use_cache: bool = True) -> array[int]:
    """One store's keys, from the index cache when this exact file was read before."""
    kind = f"{_CACHE_KIND}{slot}"
    if use_cache:
        data = index_cache.load(store.path, kind)
        if data is not None:
            try:
                return index_cache.unpack_array(data["keys"])
            except (KeyError, TypeError, ValueError):
                pass
    keys = read_store_keys(store, slot)
    if use_cache:
        index_cache.save(store.path, kind, {"keys": index_cache.pack_array(keys)})
    return keys


class EventOrder:
    """Events in date order: the whole library, or the part a filter lets through.

    Immutable, so it can be built in a worker thread and handed to the GUI thread.

    Args:
        keys: The keys in ascending order.
        per_store: For the whole library, each store's keys (positions of the facet
            bitsets); None for a filtered order.
    """

    def __init__(self, keys: array[int], per_store: Sequence[array[int]] | None = None) -> None:
        self.keys = keys
        self.per_store = list(per_store) if per_store is not None else None
        self._years: list[tuple[int, int]] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def id_at(self, pos: int) -> int:
        """The library id at a position (negative positions count from the end)."""
        return self.keys[pos] & ID_MASK

    def day_at(self, pos: int) -> int:
        return self.keys[pos] >> SHIFT

    def ids(self, start: int = 0, stop: int | None = None) -> list[int]:
        """The library ids at positions start..stop-1."""
        return [k & ID_MASK for k in self.keys[start:stop]]

    def id_array(self) -> array[int]:
        """Every library id, in order (8 bytes an event)."""
        return array("q", map(ID_MASK.__and__, self.keys))

    def position(self, gid: int, start_day: int) -> int | None:
        """Where an event is, given its start day; None when it is not in this order."""
        key = make_key(start_day, gid)
        pos = bisect.bisect_left(self.keys, key)
        return pos if pos < len(self.keys) and self.keys[pos] == key else None

    def first_on_or_after(self, day: int) -> int:
        """The position of the first event starting on or after a day (len when none)."""
        return bisect.bisect_left(self.keys, day << SHIFT)

    def years(self) -> list[tuple[int, int]]:
        """(year, position of its first event) for each year that has events, in order."""
        if self._years is None:
            out: list[tuple[int, int]] = []
            if self.keys:
                first = date.fromordinal(self.day_at(0)).year
                last = date.fromordinal(self.day_at(-1)).year
                for year in range(first, last + 1):
                    lo = self.first_on_or_after(date(year, 1, 1).toordinal())
                    hi = (
                        len(self.keys)
                        if year == last
                        else self.first_on_or_after(date(year + 1, 1, 1).toordinal())
                    )
                    if hi > lo:
                        out.append((year, lo))
            self._years = out
        return self._years

    def filtered(self, masks: Sequence[int], total: int | None = None) -> EventOrder:
        """The events whose bit is set in their store's mask (a FilterResult's masks).

        Args:
            masks: Per store slot, a bitset of positions in that store's date order.
            total: How many events the masks were made over; when it differs from this
                order's (the stores changed since), use :meth:`where` instead.

        Raises:
            ValueError: this is not a whole-library order, or the masks do not fit it.
        """
        if self.per_store is None:
            raise ValueError("only the whole library's order can be filtered by masks")
        if total is not None and total != len(self.keys):
            raise ValueError("the masks were made over other events")
        parts: list[array[int]] = []
        for slot, keys in enumerate(self.per_store):
            mask = masks[slot] if slot < len(masks) else 0
            n = len(keys)
            if not mask or not n:
                continue
            if mask.bit_length() > n:
                raise ValueError("the masks were made over other events")
            parts.append(bitarrays.picked(keys, mask))
        return EventOrder(merge_keys(parts))

    def where(self, keep: Callable[[int], object]) -> EventOrder:
        """The events whose library id passes ``keep`` (slow path: one call per event)."""
        ids = (k & ID_MASK for k in self.keys)
        return EventOrder(array("q", compress(self.keys, map(keep, ids))))


def merge_keys(parts: Sequence[array[int]]) -> array[int]:
    """Sorted key arrays (one per store) as one sorted array."""
    parts = [p for p in parts if p]
    if not parts:
        return array("q")
    if len(parts) == 1:
        return parts[0]
    return _sorted_array(chain.from_iterable(parts))


def load_order(library: Library, use_cache: bool = True) -> EventOrder:
    """Every event of the library in date order (seconds at a million events the first time).

    Safe to call from a worker thread: each thread reads through its own connection.
    """
    per_store = [store_keys(s, slot, use_cache) for slot, s in enumerate(library.stores)]
    return EventOrder(merge_keys(per_store), per_store)


def order_of(events: Iterable[EventSummary | tuple[int, int]]) -> EventOrder:
    """An order of given events: summaries, or (start_day, library id) pairs."""
    keys = []
    for e in events:
        if isinstance(e, EventSummary):
            keys.append(make_key(e.start_day, e.id))
        else:
            keys.append(make_key(e[0], e[1]))
    return EventOrder(_sorted_array(keys))


class SummaryPages:
    """The summaries a view shows, fetched a page of positions at a time and kept by id.

    A view asks for the summary at a position; when it is not held, the whole page of
    positions around it (``page`` rows, aligned) is read in one query per store, so scrolling
    costs one query per page, not per row. The most recent ``capacity`` summaries are kept.

    Not thread-safe: used from the GUI thread.

    Args:
        library: The stores.
        page: Positions per page.
        capacity: Summaries kept.
    """

    def __init__(self, library: Library, page: int = 256, capacity: int = 8192) -> None:
        self.library = library
        self.page = page
        self.capacity = max(capacity, page)
        self._cache: OrderedDict[int, EventSummary] = OrderedDict()
        self._missing: OrderedDict[int, None] = OrderedDict()
        self.queries = 0

    def clear(self) -> None:
        self._cache.clear()
        self._missing.clear()

    def cached(self, gid: int) -> EventSummary | None:
        s = self._cache.get(gid)
        if s is not None:
            self._cache.move_to_end(gid)
        return s

    def at(self, order: EventOrder, pos: int) -> EventSummary:
        """The summary at a position of an order (reads its page when needed).

        Raises:
            IndexError: the position is out of range.
            KeyError: the event is gone from its store.
        """
        if pos < 0:
            pos += len(order)
        gid = order.id_at(pos)
        s = self.cached(gid)
        if s is None:
            start = pos - pos % self.page
            self._fetch(order.ids(start, start + self.page))
            s = self._cache.get(gid)
            if s is None:
                raise KeyError(gid)
        return s

    def get(self, gid: int) -> EventSummary | None:
        """The summary of any library id (one query when it is not held), or None."""
        s = self.cached(gid)
        if s is None and gid not in self._missing:
            self._fetch([gid])
            s = self._cache.get(gid)
        return s

    def _fetch(self, gids: Iterable[int]) -> None:
        by_slot: dict[int, list[int]] = {}
        wanted = [g for g in gids if g >= 0 and g not in self._cache]
        for gid in wanted:
            slot, local = split_id(gid)
            if slot < len(self.library.stores):
                by_slot.setdefault(slot, []).append(local)
        for slot, locals_ in by_slot.items():
            self.queries += 1
            for s in self.library.stores[slot].summaries_by_id(locals_):
                self._cache[global_id(slot, s.id)] = replace(s, id=global_id(slot, s.id))
        for gid in wanted:
            if gid not in self._cache:
                self._missing[gid] = None
        while len(self._missing) > 1024:
            self._missing.popitem(last=False)
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)


class OrderedSummaries(Sequence[EventSummary]):
    """An order's summaries as a read-only sequence (fetched lazily, page by page).

    For code and tests that index or iterate "the events"; iterating a large order reads every
    page, so views use positions instead.
    """

    def __init__(self, order: EventOrder, pages: SummaryPages) -> None:
        self._order = order
        self._pages = pages

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> EventSummary: ...

    @overload
    def __getitem__(self, i: slice) -> list[EventSummary]: ...

    def __getitem__(self, i: int | slice) -> EventSummary | list[EventSummary]:
        if isinstance(i, slice):
            return [self._pages.at(self._order, p) for p in range(*i.indices(len(self._order)))]
        n = len(self._order)
        if not -n <= i < n:
            raise IndexError(i)
        return self._pages.at(self._order, i % n)

    def __iter__(self) -> Iterator[EventSummary]:
        for p in range(len(self._order)):
            yield self._pages.at(self._order, p)


__all__ = [
    "EventOrder",
    "OrderedSummaries",
    "SummaryPages",
    "key_day",
    "key_id",
    "load_order",
    "make_key",
    "order_of",
    "read_store_keys",
    "store_keys",
]
