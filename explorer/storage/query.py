"""One query interface for a view: what the filters select, answered for every consumer.

A :class:`ViewQuery` answers, for one library and one :class:`FilterState`, everything a view is
drawn, counted, listed or exported from: the lanes and their densities, the events of a window,
the matching events' order and ids, the counts of every facet value under the other filters,
the search hits, the sources the visible events cite, and the neighbours of an event (stepping,
Home/End, the nearest event in a lane). The timeline, the overview strip, the list, the filter
panel, picture exports and table exports all ask the same object, so they cannot disagree.

Two implementations, one behaviour (the tests hold them against each other and against the
domain's brute-force predicate):

* :class:`SqlQuery` asks SQLite: the covering index and the precomputed per-day densities when
  nothing is filtered, a WHERE clause (``explorer.storage.filter_sql.to_sql``) otherwise. It
  needs nothing built first: the command line uses it on a store never indexed.
* :class:`BitsetQuery` answers filtered questions from the facet bitsets
  (``explorer.storage.facets``): milliseconds at a million events, once the bitsets are built
  (about a second per million events, then cached on disk). The app uses it.

A query is a snapshot: its library and filters never change, so a background job can ask it
several questions and get answers about one and the same set of events. What a query derives
from its library alone (lane labels, densities, the date order, the bitsets' lane codes) lives
in a :class:`QueryCache` shared by every query over that library, so a new filter costs only
what depends on it. :func:`view_query` picks the implementation.
"""

from __future__ import annotations

import bisect
import heapq
import sqlite3
import threading
from array import array
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import compress
from operator import add
from typing import Any, TypeVar

from explorer.domain.filters import FACETS, FilterState
from explorer.domain.model import Source
from explorer.storage import bitarrays, index_cache
from explorer.storage.event_index import EventOrder, load_order, merge_keys, read_keys
from explorer.storage.facets import (
    CHECKPOINT,
    FacetCounts,
    FacetIndex,
    FilterResult,
    StoreIndex,
    facet_values,
)
from explorer.storage.filter_sql import to_sql
from explorer.storage.library import SLOTS, Library, global_id, split_id
from explorer.storage.search import Searcher, SearchResult
from explorer.storage.timeline import (
    BinnedDensity,
    DensityTable,
    Lane,
    LaneKey,
    RelatedMark,
    WindowData,
    WindowEvent,
    check_mode,
)

T = TypeVar("T")

COVERING_DETAILS = 20  # up to this many spans covering a whole window are read in full
SHORT_SPAN = 31  # end_day - start_day of spans read from the main index (idx_events_long: more)
#: Windows with up to this many matching events find their sources event by event.
WINDOW_SCAN = 20_000
#: Filtered densities over more days than this are counted per lane in bins of several days.
MAX_BINS = 2500
IMPORTED_PREFIX = "Imported · "

_WINDOW_COLS = "id, start_day, end_day, lane_{mode}, kind, status, precision, title, start"


def lane_label(slot: int, name: str) -> str:
    """A lane's label as the timeline shows it: imported stores' lanes say so."""
    return f"{IMPORTED_PREFIX}{name}" if slot > 0 else name


# =========================================================================== the cache


class QueryCache:
    """What every query over one library derives from its stores alone (thread-safe).

    Args:
        library: The stores; the cache belongs to them and is dropped with them.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._values: dict[object, object] = {}
        self._searcher: Searcher | None = None

    def get(self, key: object, make: Callable[[], T]) -> T:
        """The cached value of `key`, made (outside the lock) when missing."""
        with self._lock:
            if key in self._values:
                return self._values[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            return self._values.setdefault(key, value)  # type: ignore[return-value]

    @property
    def searcher(self) -> Searcher:
        """A searcher without short-word indexes (short words are scanned for)."""
        with self._lock:
            if self._searcher is None:
                self._searcher = Searcher(self.library, short_words=False)
            return self._searcher


# =========================================================================== SQL


class SqlQuery:
    """The view's questions answered by SQLite.

    Args:
        library: The stores.
        filters: The filters (empty: every event).
        cache: Shared with the other queries over `library` (a new one when None).
    """

    #: Whether :meth:`count_in` is cheap whatever the window (a count of bits).
    counts_quickly = False

    def __init__(
        self,
        library: Library,
        filters: FilterState | None = None,
        cache: QueryCache | None = None,
    ) -> None:
        self.library = library
        self.filters = filters if filters is not None else FilterState()
        self.cache = (
            cache if cache is not None and cache.library is library else QueryCache(library)
        )
        self._where, self._params = to_sql(self.filters, "e")
        self._without_measures: tuple[str, list[object]] | None = None

    def _sql(self, slot: int) -> tuple[str, list[object]]:
        """The filters' WHERE clause over `events e` and its parameters for one store: a store
        of an older schema has no measures (no event of it stands in force)."""
        if self.filters.in_force_on is None or self.library.stores[slot].has_measures:
            return self._where, self._params
        if self._without_measures is None:
            self._without_measures = to_sql(self.filters, "e", measures=False)
        return self._without_measures

    @property
    def filtered(self) -> bool:
        """Whether the filters leave some events out."""
        return not self.filters.is_empty

    def _conns(self) -> list[tuple[int, sqlite3.Connection]]:
        return [(slot, s.conn) for slot, s in enumerate(self.library.stores)]

    # ----------------------------------------------------------------- counts

    def total(self) -> int:
        """Every event of the library ("M" of "N of M")."""
        return self.cache.get("total", self.library.count)

    def count(self) -> int:
        """The matching events ("N" of "N of M")."""
        if not self.filtered:
            return self.total()
        total = 0
        for slot, conn in self._conns():
            where, params = self._sql(slot)
            total += int(
                conn.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]
            )
        return total

    def facet_counts(self) -> FacetCounts:
        """Each facet value's events under the other filters, and N of M."""
        counts: dict[str, dict[str, int]] = {}
        values = self.cache.get("facet-values", lambda: facet_values(self.library))
        for facet in FACETS:
            others = self.filters.cleared(facet)
            # every value that occurs, as the bitsets list them (0 under these filters)
            target = dict.fromkeys(values[facet], 0)
            sql = _FACET_SQL[facet]
            for slot, conn in self._conns():
                measures = self.library.stores[slot].has_measures
                where, params = to_sql(others, "e", measures=measures)
                args = list(params) * sql.count("{where}")
                for value, n in conn.execute(sql.format(where=where), args):
                    if value is None or value == "":
                        continue
                    target[str(value)] = target.get(str(value), 0) + int(n)
            counts[facet] = target
        return FacetCounts(counts, self.count(), self.total())

    def hits(self, limit: int = 100) -> SearchResult | None:
        """The search text's hits with their snippets (None without a search)."""
        if not self.filters.search_terms():
            return None
        return self._searcher().search(self.filters.search, limit)

    def _searcher(self) -> Searcher:
        return self.cache.searcher

    # ----------------------------------------------------------------- lanes and densities

    def full_lanes(self, mode: str) -> list[Lane]:
        """Every lane of a mode with every event's count: the curated store's first, then each
        imported store's; within a store the busiest first (ties by label)."""
        col = check_mode(mode)
        return self.cache.get(("lanes", col), lambda: self._read_lanes(col))

    def _read_lanes(self, col: str) -> list[Lane]:
        out: list[Lane] = []
        for slot, conn in self._conns():
            labels = self._lane_labels(slot, conn, col)
            # the lane totals are the sums of the per-day counts the densities read anyway
            counts = self._store_densities(slot, conn, col)[0]
            lanes = [
                Lane((slot, v), lane_label(slot, labels.get(v, v)), int(sum(c)), slot > 0)
                for v, (_d, c) in counts.items()
            ]
            lanes.sort(key=lambda ln: (-ln.count, ln.label))
            out.extend(lanes)
        return out

    def lanes(self, mode: str) -> list[Lane]:
        """The lanes holding matching events, in the order of :meth:`full_lanes`, with the
        matching events' counts."""
        lanes = self.full_lanes(mode)
        if not self.filtered:
            return lanes
        col = check_mode(mode)
        counts: dict[LaneKey, int] = {}
        for slot, conn in self._conns():
            where, params = self._sql(slot)
            for value, n in conn.execute(
                f"SELECT e.lane_{col}, count(*) FROM events e WHERE {where} GROUP BY 1", params
            ):
                counts[(slot, value)] = int(n)
        return _counted(lanes, counts)

    def lane_labels(self, mode: str) -> dict[LaneKey, str]:
        """Every lane value's label, as the timeline shows it."""
        col = check_mode(mode)

        def make() -> dict[LaneKey, str]:
            out: dict[LaneKey, str] = {}
            for slot, conn in self._conns():
                for value, name in self._lane_labels(slot, conn, col).items():
                    out[(slot, value)] = lane_label(slot, name)
            return out

        return self.cache.get(("labels", col), make)

    def _lane_labels(self, slot: int, conn: sqlite3.Connection, mode: str) -> dict[str, str]:
        sql = (
            "SELECT code, name FROM countries"
            if mode == "country"
            else "SELECT key, name FROM actors"
        )
        return self.cache.get(
            ("store-labels", slot, mode), lambda: dict(conn.execute(sql).fetchall())
        )

    def full_densities(self, mode: str) -> DensityTable:
        """Every event's starts per lane and day, as prefix sums (the overview strip's)."""
        col = check_mode(mode)
        return self.cache.get(("densities", col), lambda: self._read_densities(col))

    def _read_densities(self, col: str) -> DensityTable:
        lanes: dict[LaneKey, tuple[Sequence[int], Sequence[int]]] = {}
        tables: list[DensityTable] = []
        for slot, conn in self._conns():
            counts, table = self._store_densities(slot, conn, col)
            if counts:
                tables.append(table)
            for lane, days_counts in counts.items():
                lanes[(slot, lane)] = days_counts
        if len(tables) == 1:
            return tables[0]  # one store holds every event (the user store is often empty)
        return DensityTable.from_lanes(col, lanes)

    def _store_densities(
        self, slot: int, conn: sqlite3.Connection, mode: str
    ) -> tuple[dict[str, tuple[array[int], array[int]]], DensityTable]:
        return self.cache.get(
            ("store-densities", slot, mode), lambda: _read_store_densities(self.library, slot, mode)
        )

    def densities(self, mode: str) -> DensityTable:
        """The matching events' starts per lane and day."""
        if not self.filtered:
            return self.full_densities(mode)
        col = check_mode(mode)
        rows: list[tuple[LaneKey, int, int]] = []
        for slot, conn in self._conns():
            where, params = self._sql(slot)
            rows.extend(
                ((slot, value), day, n)
                for value, day, n in conn.execute(
                    f"SELECT e.lane_{col}, e.start_day, count(*) FROM events e "
                    f"WHERE {where} GROUP BY 1, 2",
                    params,
                )
            )
        return DensityTable(col, rows)

    def full_extent(self) -> tuple[int, int] | None:
        """The first start day and the last end day of every event (None when empty)."""

        def make() -> tuple[int, int] | None:
            lo: int | None = None
            hi: int | None = None
            for _, conn in self._conns():
                a = conn.execute("SELECT min(start_day) FROM events").fetchone()[0]
                b = conn.execute("SELECT max(end_day) FROM events").fetchone()[0]
                if a is not None:
                    lo = a if lo is None else min(lo, a)
                    hi = b if hi is None else max(hi, b)
            return None if lo is None or hi is None else (int(lo), int(hi))

        return self.cache.get("extent", make)

    def extent(self) -> tuple[int, int] | None:
        """The span of the matching events (None when none matches)."""
        if not self.filtered:
            return self.full_extent()
        lo: int | None = None
        hi: int | None = None
        for slot, conn in self._conns():
            where, params = self._sql(slot)
            a, b = conn.execute(
                f"SELECT min(e.start_day), max(e.end_day) FROM events e WHERE {where}", params
            ).fetchone()
            if a is not None:
                lo = a if lo is None else min(lo, a)
                hi = b if hi is None else max(hi, b)
        return None if lo is None or hi is None else (int(lo), int(hi))

    # ----------------------------------------------------------------- windows

    def _longest(self, slot: int, conn: sqlite3.Connection) -> int:
        def make() -> int:
            row = conn.execute(
                "SELECT max(end_day - start_day) FROM events WHERE end_day - start_day > 31"
            ).fetchone()
            return int(row[0] or SHORT_SPAN)

        return self.cache.get(("longest", slot), make)

    def _window_parts(
        self, slot: int, conn: sqlite3.Connection, first: float, last: float
    ) -> list[tuple[str, list[object]]]:
        """The matching events touching [first, last] as two bounded index ranges: spans up to
        a month start at most a month before the window; longer ones come from the partial
        index ``idx_events_long`` (its WHERE term is written verbatim so SQLite uses it)."""
        a, b = int(first), int(last)
        where, params = self._sql(slot)
        return [
            (
                "e.start_day BETWEEN ? AND ? AND e.end_day >= ? "
                f"AND e.end_day - e.start_day <= {SHORT_SPAN} AND ({where})",
                [a - SHORT_SPAN, b, a, *params],
            ),
            (
                "e.end_day - e.start_day > 31 AND e.start_day BETWEEN ? AND ? "
                f"AND e.end_day >= ? AND ({where})",
                [a - self._longest(slot, conn), b, a, *params],
            ),
        ]

    def count_in(self, first: int, last: int) -> int:
        """The matching events whose span touches days `first` to `last`."""
        total = 0
        for slot, conn in self._conns():
            for clause, args in self._window_parts(slot, conn, first, last):
                total += int(
                    conn.execute(f"SELECT count(*) FROM events e WHERE {clause}", args).fetchone()[
                        0
                    ]
                )
        return total

    def lane_counts(self, mode: str, first: float, last: float) -> dict[LaneKey, int]:
        """Per lane, the matching events touching [first, last]."""
        col = check_mode(mode)
        ext = self.full_extent()
        if not self.filtered and (ext is None or (first <= ext[0] and last >= ext[1])):
            # every event: each lane's total, from the densities
            return {ln.key: ln.count for ln in self.full_lanes(col)}
        out: dict[LaneKey, int] = {}
        for slot, conn in self._conns():
            for clause, args in self._window_parts(slot, conn, first, last):
                for value, n in conn.execute(
                    f"SELECT e.lane_{col}, count(*) FROM events e WHERE {clause} GROUP BY 1",
                    args,
                ):
                    out[(slot, value)] = out.get((slot, value), 0) + int(n)
        return out

    def window(
        self,
        mode: str,
        first: int,
        last: int,
        limit: int = 5000,
        covering_details: int | None = None,
    ) -> WindowData:
        """The matching events whose span touches days `first` to `last`, in (start day, id)
        order, at most `limit` of them (the earliest; `truncated` says there were more).

        Unfiltered, spans longer than a month that cover the whole window (periods, dates known
        only to the year) are read from the index alone (title, precision and start left
        empty) unless there are `covering_details` (default COVERING_DETAILS) or fewer: at a
        million events thousands of them may cover any one day, and a timeline shows them as
        a count. They are in `events` and, again, in `covering`; the limit does not count them.
        """
        col = check_mode(mode)
        if self.filtered:
            return self._filtered_window(col, first, last, limit)
        parts: list[list[WindowEvent]] = []
        covering: list[WindowEvent] = []
        cols = _WINDOW_COLS.format(mode=col)
        # CASE keeps SQLite from reading the table row of a covering span (a deferred seek):
        # the index has everything else
        lazy = (
            f"id, start_day, end_day, lane_{col}, kind, status, "
            "CASE WHEN start_day < :a AND end_day > :b THEN '' ELSE precision END, "
            "CASE WHEN start_day < :a AND end_day > :b THEN '' ELSE title END, "
            "CASE WHEN start_day < :a AND end_day > :b THEN '' ELSE start END"
        )
        for slot, conn in self._conns():
            # (start day, id) order everywhere: the index alone orders a day's events by end
            # day, and the cut at `limit`, the merge and the drawing must not depend on that.
            short = conn.execute(
                f"SELECT {cols} FROM events WHERE start_day BETWEEN ? AND ? AND end_day >= ? "
                "AND end_day - start_day <= 31 ORDER BY start_day, id LIMIT ?",
                (first - SHORT_SPAN, last, first, limit + 1),
            ).fetchall()
            long_rows = conn.execute(
                f"SELECT {lazy} FROM events WHERE end_day - start_day > 31 "
                "AND start_day BETWEEN :lo AND :b AND end_day >= :a ORDER BY start_day, id",
                {"a": first, "b": last, "lo": first - self._longest(slot, conn)},
            ).fetchall()
            long_: list[WindowEvent] = []
            cover: list[WindowEvent] = []
            for r in long_rows:
                e = WindowEvent(r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), *r[4:])
                (cover if r[6] == "" else long_).append(e)
            if (
                0
                < len(cover)
                <= (COVERING_DETAILS if covering_details is None else covering_details)
            ):
                cover = self.marks(mode, [e.id for e in cover])
            covering.extend(cover)
            parts.append(
                [WindowEvent(r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), *r[4:]) for r in short]
            )
            parts.append(long_[: limit + 1])
        events = list(heapq.merge(*parts, key=_order))
        truncated = len(events) > limit
        covering.sort(key=_order)
        merged = list(heapq.merge(covering, events[:limit], key=_order))
        return WindowData(col, first, last, merged, truncated, covering)

    def _filtered_window(self, col: str, first: int, last: int, limit: int) -> WindowData:
        parts: list[list[WindowEvent]] = []
        cols = ", ".join(f"e.{c.strip()}" for c in _WINDOW_COLS.format(mode=col).split(","))
        for slot, conn in self._conns():
            for clause, args in self._window_parts(slot, conn, first, last):
                rows = conn.execute(
                    f"SELECT {cols} FROM events e WHERE {clause} ORDER BY e.start_day, e.id "
                    "LIMIT ?",
                    [*args, limit + 1],
                ).fetchall()
                parts.append(
                    [
                        WindowEvent(r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), *r[4:])
                        for r in rows
                    ]
                )
        events = list(heapq.merge(*parts, key=_order))
        return WindowData(col, first, last, events[:limit], len(events) > limit)

    def marks(self, mode: str, ids: Sequence[int]) -> list[WindowEvent]:
        """The drawing rows of given library ids, filtered or not (a selection outside the
        window or the filter is still drawn)."""
        col = check_mode(mode)
        out: list[WindowEvent] = []
        for gid in ids:
            slot, local = split_id(gid)
            if slot >= len(self.library.stores):
                continue
            r = (
                self.library.stores[slot]
                .conn.execute(
                    f"SELECT {_WINDOW_COLS.format(mode=col)} FROM events WHERE id = ?", (local,)
                )
                .fetchone()
            )
            if r is not None:
                out.append(WindowEvent(gid, r[1], r[2], (slot, r[3]), *r[4:]))
        return out

    def related(self, mode: str, gid: int) -> list[RelatedMark]:
        """The events related to `gid` (both directions), with where each is drawn."""
        col = check_mode(mode)
        slot, local = split_id(gid)
        if slot >= len(self.library.stores):
            return []
        conn = self.library.stores[slot].conn
        out = []
        for other, kind, outgoing in conn.execute(
            "SELECT to_id, kind, 1 FROM relations WHERE from_id = ? "
            "UNION ALL SELECT from_id, kind, 0 FROM relations WHERE to_id = ?",
            (local, local),
        ).fetchall():
            r = conn.execute(
                f"SELECT start_day, end_day, lane_{col}, title FROM events WHERE id = ?",
                (other,),
            ).fetchone()
            if r is not None:
                out.append(
                    RelatedMark(
                        global_id(slot, other), kind, bool(outgoing), r[0], r[1], (slot, r[2]), r[3]
                    )
                )
        return out

    # ----------------------------------------------------------------- neighbours

    def contains(self, gid: int) -> bool:
        """Whether an event passes the filters (any existing event when nothing is filtered)."""
        slot, local = split_id(gid)
        if slot >= len(self.library.stores):
            return False
        where, params = self._sql(slot)
        row = (
            self.library.stores[slot]
            .conn.execute(f"SELECT 1 FROM events e WHERE e.id = ? AND ({where})", [local, *params])
            .fetchone()
        )
        return row is not None

    def first_event(self) -> int | None:
        """The earliest matching event (start day, then id)."""
        return self._edge(False)

    def last_event(self) -> int | None:
        """The latest-starting matching event."""
        return self._edge(True)

    def _edge(self, last: bool) -> int | None:
        order = "DESC" if last else ""
        best: tuple[int, int] | None = None
        for slot, conn in self._conns():
            where, params = self._sql(slot)
            r = conn.execute(
                f"SELECT e.start_day, e.id FROM events e WHERE {where} "
                f"ORDER BY e.start_day {order}, e.id {order} LIMIT 1",
                params,
            ).fetchone()
            if r is None:
                continue
            cand = (int(r[0]), global_id(slot, int(r[1])))
            if best is None or (cand > best if last else cand < best):
                best = cand
        return None if best is None else best[1]

    def _start_of(self, gid: int) -> int | None:
        slot, local = split_id(gid)
        if slot >= len(self.library.stores):
            return None
        r = (
            self.library.stores[slot]
            .conn.execute("SELECT start_day FROM events WHERE id = ?", (local,))
            .fetchone()
        )
        return None if r is None else int(r[0])

    def step(self, gid: int, direction: int) -> int | None:
        """The next (direction > 0) or previous matching event in (start day, id) order."""
        here = self._start_of(gid)
        if here is None:
            return None
        # Forward and backward differ only in the comparison and the order (fixed text, never
        # user input, so formatting them into the SQL is safe).
        cmp, order = (">", "") if direction > 0 else ("<", " DESC")
        best: tuple[int, int] | None = None
        for slot, conn in self._conns():
            where, params = self._sql(slot)
            same = conn.execute(
                f"SELECT e.id FROM events e WHERE e.start_day = ? AND e.id * ? + ? {cmp} ? "
                f"AND ({where}) ORDER BY e.id{order} LIMIT 1",
                [here, SLOTS, slot, gid, *params],
            ).fetchone()
            if same:
                cand: tuple[int, int] | None = (here, global_id(slot, same[0]))
            else:
                r = conn.execute(
                    f"SELECT e.start_day, e.id FROM events e WHERE e.start_day {cmp} ? "
                    f"AND ({where}) ORDER BY e.start_day{order}, e.id{order} LIMIT 1",
                    [here, *params],
                ).fetchone()
                cand = None if r is None else (int(r[0]), global_id(slot, int(r[1])))
            if cand is not None and (
                best is None or (cand < best if direction > 0 else cand > best)
            ):
                best = cand
        return None if best is None else best[1]

    def nearest_in_lane(self, mode: str, lane: LaneKey, day: int) -> int | None:
        """The matching event of a lane that starts nearest to `day` (earlier wins a tie)."""
        col = check_mode(mode)
        slot, value = lane
        if slot >= len(self.library.stores):
            return None
        conn = self.library.stores[slot].conn
        if self.filtered:
            clause, args = self._sql(slot)
            where = f"e.lane_{col} = ? AND ({clause})"
            params = [value, *args]
            after = conn.execute(
                f"SELECT e.start_day FROM events e WHERE e.start_day >= ? AND {where} "
                "ORDER BY e.start_day LIMIT 1",
                [day, *params],
            ).fetchone()
            before = conn.execute(
                f"SELECT e.start_day FROM events e WHERE e.start_day <= ? AND {where} "
                "ORDER BY e.start_day DESC LIMIT 1",
                [day, *params],
            ).fetchone()
        else:
            where, params = f"e.lane_{col} = ?", [value]
            after = conn.execute(
                "SELECT day FROM densities WHERE lane_mode = ? AND lane = ? AND day >= ? "
                "ORDER BY day LIMIT 1",
                (col, value, day),
            ).fetchone()
            before = conn.execute(
                "SELECT day FROM densities WHERE lane_mode = ? AND lane = ? AND day <= ? "
                "ORDER BY day DESC LIMIT 1",
                (col, value, day),
            ).fetchone()
        days = [r[0] for r in (before, after) if r is not None]
        if not days:
            return None
        best = min(days, key=lambda d: (abs(d - day), d))
        r = conn.execute(
            f"SELECT e.id FROM events e WHERE e.start_day = ? AND {where} ORDER BY e.id LIMIT 1",
            [best, *params],
        ).fetchone()
        return None if r is None else global_id(slot, int(r[0]))

    # ----------------------------------------------------------------- the matching events

    def full_order(self) -> EventOrder:
        """Every event of the library in date order (cached: 8 bytes an event)."""
        return self.cache.get("order", lambda: load_order(self.library))

    def order(self) -> EventOrder:
        """The matching events in (start day, id) order, every store merged."""
        if not self.filtered:
            return self.full_order()
        return EventOrder(
            merge_keys(
                [
                    read_keys(
                        conn, slot, f"WHERE {self._sql(slot)[0]}", self._sql(slot)[1], alias="e"
                    )
                    for slot, conn in self._conns()
                ]
            )
        )

    def matching_ids(self) -> array[int]:
        """The matching events' library ids in date order (what a table export writes)."""
        return self.order().id_array()

    # ----------------------------------------------------------------- sources

    def cited_sources(self, first: float | None = None, last: float | None = None) -> list[Source]:
        """The sources cited by the matching events touching [first, last] (every matching
        event when no window is given): by their quotes, and by their dates (the public record
        an external date was taken from).

        A window of up to WINDOW_SCAN events is read event by event; wider ones, and the whole
        store, are asked source by source through the indexes on quotes(source_id) and
        events(date_source_id), which stops at the first citing event: a store has few sources
        and many events.
        """
        out: list[Source] = []
        window = first is not None and last is not None
        for slot, store in enumerate(self.library.stores):
            conn = store.conn
            sources = store.sources()
            if window and self._unfiltered_in(slot, conn, first, last) <= WINDOW_SCAN:  # type: ignore[arg-type]
                cited = sorted(
                    {
                        r[0]
                        for clause, args in self._window_parts(slot, conn, first, last)  # type: ignore[arg-type]
                        for r in conn.execute(
                            f"SELECT q.source_id FROM events e JOIN quotes q ON q.event_id = e.id "
                            f"WHERE {clause} UNION SELECT e.date_source_id FROM events e "
                            f"WHERE e.date_source_id IS NOT NULL AND {clause}",
                            [*args, *args],
                        )
                    }
                )
            else:
                where, params = self._sql(slot)
                clause, args = where, list(params)
                if last is not None:
                    clause += " AND e.start_day <= ?"
                    args.append(int(last))
                if first is not None:
                    clause += " AND e.end_day >= ?"
                    args.append(int(first))
                cited = _cited_by_source(conn, sorted(sources), clause, args)
            out.extend(sources[i] for i in cited if i in sources)
        return out

    def _unfiltered_in(self, slot: int, conn: sqlite3.Connection, first: float, last: float) -> int:
        """Every event touching [first, last] in one store, counted up to WINDOW_SCAN + 1 (a
        count that stops early stays cheap for any window)."""
        unfiltered = SqlQuery(self.library, None, self.cache)
        total = 0
        for clause, args in unfiltered._window_parts(slot, conn, first, last):
            total += int(
                conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {clause} LIMIT ?)",
                    [*args, WINDOW_SCAN + 1 - total],
                ).fetchone()[0]
            )
            if total > WINDOW_SCAN:
                break
        return total

    def cited_sources_of(self, ids: Sequence[int]) -> list[Source]:
        """The sources cited by the given events (library ids), by their quotes and dates."""
        out: list[Source] = []
        for slot, store in enumerate(self.library.stores):
            local = [gid // SLOTS for gid in ids if gid % SLOTS == slot]
            found: set[int] = set()
            for n in range(0, len(local), 900):
                part = local[n : n + 900]
                marks = ",".join("?" * len(part))
                found.update(
                    r[0]
                    for r in store.conn.execute(
                        f"SELECT source_id FROM quotes WHERE event_id IN ({marks}) "
                        f"UNION SELECT date_source_id FROM events WHERE id IN ({marks}) "
                        f"AND date_source_id IS NOT NULL",
                        part + part,
                    )
                )
            sources = store.sources()
            out.extend(sources[i] for i in sorted(found) if i in sources)
        return out

    def warm(self, mode: str) -> None:
        """Read now what the first frame of a lane mode would wait for."""
        self.full_densities(mode)
        self.full_lanes(mode)
        self.full_extent()


def _cited_by_source(
    conn: sqlite3.Connection, source_ids: Sequence[int], clause: str, args: Sequence[object]
) -> list[int]:
    """The sources (of `source_ids`) cited by an event passing `clause`, asked source by
    source through the indexes on quotes(source_id) and events(date_source_id); a store made
    before those indexes is read whole instead."""
    indexed = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
        "AND name IN ('idx_quotes_source_id', 'idx_events_date_source')"
    ).fetchone()[0]
    if indexed != 2:
        return sorted(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT q.source_id FROM events e JOIN quotes q ON q.event_id = e.id "
                f"WHERE {clause} UNION SELECT DISTINCT e.date_source_id FROM events e "
                f"WHERE e.date_source_id IS NOT NULL AND {clause}",
                [*args, *args],
            )
        )
    return [
        sid
        for sid in source_ids
        if conn.execute(
            # INDEXED BY: start from the source's rows, never from a scan of the filter
            f"SELECT EXISTS (SELECT 1 FROM quotes q INDEXED BY idx_quotes_source_id "
            f"JOIN events e ON e.id = q.event_id WHERE q.source_id = ? AND {clause}) "
            f"OR EXISTS (SELECT 1 FROM events e INDEXED BY idx_events_date_source "
            f"WHERE e.date_source_id = ? AND {clause})",
            [sid, *args, sid, *args],
        ).fetchone()[0]
    ]


#: Per facet, its values and their events under a WHERE clause over `events e`.
_FACET_SQL = {
    "countries": "SELECT v, count(*) FROM (SELECT e.lane_country AS v, e.id FROM events e "
    "WHERE {where} UNION SELECT ec.country, e.id FROM events e JOIN event_countries ec "
    "ON ec.event_id = e.id WHERE {where}) GROUP BY v",
    "agencies": "SELECT v, count(*) FROM (SELECT e.lane_agency AS v, e.id FROM events e "
    "WHERE {where} UNION SELECT a.key, e.id FROM events e JOIN event_actors ea "
    "ON ea.event_id = e.id AND ea.role = 'issuer' JOIN actors a ON a.id = ea.actor_id "
    "WHERE {where}) GROUP BY v",
    "kinds": "SELECT e.kind, count(*) FROM events e WHERE {where} GROUP BY 1",
    "statuses": "SELECT e.status, count(*) FROM events e WHERE {where} GROUP BY 1",
    "topics": "SELECT e.topic, count(*) FROM events e WHERE {where} GROUP BY 1",
    "items": "SELECT i.key, count(DISTINCT e.id) FROM events e JOIN event_items ei "
    "ON ei.event_id = e.id JOIN items i ON i.id = ei.item_id WHERE {where} GROUP BY 1",
}


def _window_event(slot: int, r: Sequence[object]) -> WindowEvent:
    """A WindowEvent from a row of _WINDOW_COLS read from the store in `slot`."""
    return WindowEvent(int(r[0]) * SLOTS + slot, r[1], r[2], (slot, r[3]), *r[4:])  # type: ignore[arg-type, call-overload]


def _order(e: WindowEvent) -> tuple[int, int]:
    return (e.start_day, e.id)


def _counted(lanes: Sequence[Lane], counts: dict[LaneKey, int]) -> list[Lane]:
    """The lanes with matching events, in the given order, with those counts."""
    return [replace(ln, count=counts[ln.key]) for ln in lanes if counts.get(ln.key, 0) > 0]


def _read_store_densities(
    library: Library, slot: int, mode: str
) -> tuple[dict[str, tuple[array[int], array[int]]], DensityTable]:
    """One store's lanes with their days and per-day counts (``densities`` rows), and the
    store's own prefix sums, with lanes keyed ``(slot, lane)``.

    The opening frame waits on this (a fifth of a second at a million events), so both are kept
    in the user's index cache, named by the store file's path, size and time stamp (an import
    changes them), and read back in a millisecond or two on the next start.
    """
    store = library.stores[slot]
    kind = f"densities-{mode}"
    data = index_cache.load(store.path, kind)
    if data is not None:
        try:
            unpack = index_cache.unpack_array
            counts = {lane: (unpack(d), unpack(c)) for lane, (d, c) in data["lanes"].items()}
            table = DensityTable.__new__(DensityTable)
            table.mode = mode
            table.first_day, table.last_day = int(data["first"]), int(data["last"])
            table._prefix = {(slot, lane): unpack(p) for lane, p in data["prefix"].items()}
            table._total = unpack(data["total"])
            return counts, table
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # damaged: read again
    counts = {}
    # one row per lane (days and counts as text) crosses into Python many times faster than a
    # row per lane and day
    for lane, days, day_counts in store.conn.execute(
        "SELECT lane, group_concat(day), group_concat(count) FROM densities "
        "WHERE lane_mode = ? GROUP BY lane",
        (mode,),
    ):
        counts[lane] = (
            array("q", map(int, days.split(","))),
            array("q", map(int, day_counts.split(","))),
        )
    table = DensityTable.from_lanes(mode, {(slot, k): v for k, v in counts.items()})
    pack = index_cache.pack_array
    index_cache.save(
        store.path,
        kind,
        {
            "lanes": {lane: (pack(d), pack(c)) for lane, (d, c) in counts.items()},
            "first": table.first_day,
            "last": table.last_day,
            "prefix": {key[1]: pack(p) for key, p in table._prefix.items()},
            "total": pack(table._total),
        },
    )
    return counts, table


# =========================================================================== bitsets

_FLAG = bytes.maketrans(b"01", b"\x00\x01")


def _flags(bits: int, lo: int, hi: int) -> bytes:
    """One byte (0 or 1) per position lo..hi-1 of a bitset."""
    width = hi - lo
    if width <= 0:
        return b""
    part = (bits >> lo) & ((1 << width) - 1)
    return format(part, f"0{width}b").encode("ascii")[::-1].translate(_FLAG)


def _latest_end(idx: StoreIndex, mask: int) -> int:
    """The latest end day of a matching period (0 when none matches).

    Periods are sorted by end, latest first, with a bitset of the first CHECKPOINT*k of them
    saved every CHECKPOINT: the first saved bitset that meets the mask names the block holding
    the answer, and only that block is walked (bits read from bytes: no big-int shifts).
    """
    if not len(idx.period_pos):
        return 0
    k = next((k for k, saved in enumerate(idx.checkpoints) if k and saved & mask), None)
    lo = (k - 1) * CHECKPOINT if k is not None else (len(idx.checkpoints) - 1) * CHECKPOINT
    hi = k * CHECKPOINT if k is not None else len(idx.period_pos)
    data = mask.to_bytes((idx.n + 7) // 8 or 1, "little")
    for i in range(lo, hi):
        p = idx.period_pos[i]
        if data[p >> 3] >> (p & 7) & 1:
            return -idx.period_ends_neg[i]
    return 0


class BitsetQuery(SqlQuery):
    """The view's questions answered from the facet bitsets (SQL where nothing is filtered).

    Args:
        library: The stores (those of `index`).
        filters: The filters.
        index: The facet bitsets of the library's stores.
        result: The filters' matching events when already computed (`index.result(filters)`);
            computed here otherwise (milliseconds once the index is built).
        cache: Shared with the other queries over `library`.
    """

    def __init__(
        self,
        library: Library,
        filters: FilterState | None,
        index: FacetIndex,
        result: FilterResult | None = None,
        cache: QueryCache | None = None,
    ) -> None:
        super().__init__(library, filters, cache)
        self.index = index
        if self.filtered and result is None:
            result = index.result(self.filters)
        self.result: FilterResult | None = result if self.filtered else None

    @property
    def counts_quickly(self) -> bool:  # type: ignore[override]
        """True under a filter: a window's count is a count of bits."""
        return self.result is not None

    def _parts(self) -> list[tuple[int, StoreIndex, int]]:
        assert self.result is not None
        return list(
            zip(
                range(len(self.result.masks)), self.index.indexes(), self.result.masks, strict=False
            )
        )

    @staticmethod
    def _lane_bits(idx: StoreIndex, mode: str) -> dict[str, int]:
        return idx.lane_country if mode == "country" else idx.lane_agency

    # ----------------------------------------------------------------- counts

    def count(self) -> int:
        return self.total() if self.result is None else self.result.count

    def facet_counts(self) -> FacetCounts:
        return self.index.counts(self.filters)

    def _searcher(self) -> Searcher:
        return self.index.searcher

    # ----------------------------------------------------------------- lanes and densities

    def lanes(self, mode: str) -> list[Lane]:
        lanes = self.full_lanes(mode)
        if self.result is None:
            return lanes
        col = check_mode(mode)
        counts: dict[LaneKey, int] = {}
        for slot, idx, mask in self._parts():
            for lane, bits in self._lane_bits(idx, col).items():
                counts[(slot, lane)] = (bits & mask).bit_count()
        return _counted(lanes, counts)

    def densities(self, mode: str) -> DensityTable:
        if self.result is None:
            return self.full_densities(mode)
        col = check_mode(mode)
        parts = [(slot, idx, mask) for slot, idx, mask in self._parts() if idx.n]
        if not parts:
            return DensityTable(col, [])
        first = min(idx.starts[0] for _, idx, _ in parts)
        last = max(idx.starts[-1] for _, idx, _ in parts)
        days = last - first + 1
        # Exact per-day counts cost one C call per day and lane; beyond a few thousand days
        # (decades) each lane is counted per bin of a few days: that serves zoomed-out frames,
        # while the totals (the level-of-detail decision) stay per day and windows of events
        # are always exact.
        step = max(1, days // MAX_BINS)
        lanes: dict[LaneKey, array[int]] = {}
        total: array[int] | None = None
        for slot, idx, mask in parts:
            codes, values = self._lane_codes(idx, col)
            before, per_lane = bitarrays.density(
                mask, self._day_edges(idx, first, last), codes, len(values), step
            )
            total = before if total is None else array("q", map(add, total, before))
            for code, value in enumerate(values, 1):
                if per_lane[code][-1]:
                    lanes[(slot, value)] = per_lane[code]
        assert total is not None
        return BinnedDensity(col, first, last, step, lanes, total)

    def _day_edges(self, idx: StoreIndex, first: int, last: int) -> Any:
        """Per day from `first` to `last + 1`: the store's events starting before it."""
        return self.cache.get(
            ("day-edges", id(idx), first, last),
            lambda: bitarrays.positions_before(idx.starts, first, last),
        )

    def _lane_codes(self, idx: StoreIndex, mode: str) -> tuple[Any, list[str]]:
        """Each position's lane numbered from 1 in the order of the sorted lane values; made
        once per store and lane mode."""
        return self.cache.get(
            ("lane-codes", id(idx), mode),
            lambda: bitarrays.lane_codes(self._lane_bits(idx, mode), idx.n),
        )

    def extent(self) -> tuple[int, int] | None:
        if self.result is None:
            return self.full_extent()
        lo: int | None = None
        hi: int | None = None
        for _, idx, mask in self._parts():
            if not mask:
                continue
            first = idx.starts[(mask & -mask).bit_length() - 1]
            last = max(idx.starts[mask.bit_length() - 1], _latest_end(idx, mask))
            lo = first if lo is None else min(lo, first)
            hi = last if hi is None else max(hi, last)
        return None if lo is None or hi is None else (int(lo), int(hi))

    # ----------------------------------------------------------------- windows

    def count_in(self, first: int, last: int) -> int:
        if self.result is None:
            return super().count_in(first, last)
        return sum(
            (mask & idx.range_mask(first, last)).bit_count() for _, idx, mask in self._parts()
        )

    def lane_counts(self, mode: str, first: float, last: float) -> dict[LaneKey, int]:
        if self.result is None:
            return super().lane_counts(mode, first, last)
        col = check_mode(mode)
        out: dict[LaneKey, int] = {}
        for slot, idx, mask in self._parts():
            m = mask & idx.range_mask(int(first), int(last))
            if not m:
                continue
            for value, bits in self._lane_bits(idx, col).items():
                n = (bits & m).bit_count()
                if n:
                    out[(slot, value)] = n
        return out

    def _window_ids(self, first: int, last: int, limit: int | None) -> list[tuple[int, int]]:
        """(slot, local id) of the matching events touching the window, at most limit + 1
        per store (None: all), in each store's date order."""
        wanted: list[tuple[int, int]] = []
        for slot, idx, mask in self._parts():
            m = mask & idx.range_mask(first, last)
            if not m:
                continue
            lo = (m & -m).bit_length() - 1
            hi = m.bit_length()
            for taken, p in enumerate(compress(range(lo, hi), _flags(m, lo, hi))):
                if limit is not None and taken > limit:
                    break
                wanted.append((slot, idx.ids[p]))
        return wanted

    def window(
        self,
        mode: str,
        first: int,
        last: int,
        limit: int = 5000,
        covering_details: int | None = None,
    ) -> WindowData:
        if self.result is None:
            return super().window(mode, first, last, limit, covering_details)
        col = check_mode(mode)
        events: list[WindowEvent] = []
        by_slot: dict[int, list[int]] = {}
        for slot, local in self._window_ids(first, last, limit):
            by_slot.setdefault(slot, []).append(local)
        cols = _WINDOW_COLS.format(mode=col)
        for slot, locals_ in by_slot.items():
            conn = self.library.stores[slot].conn
            for i in range(0, len(locals_), 900):
                chunk = locals_[i : i + 900]
                for r in conn.execute(
                    f"SELECT {cols} FROM events WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ):
                    events.append(
                        WindowEvent(r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), *r[4:])
                    )
        events.sort(key=_order)
        return WindowData(col, first, last, events[:limit], len(events) > limit)

    def cited_sources(self, first: float | None = None, last: float | None = None) -> list[Source]:
        if self.result is not None and first is not None and last is not None:
            a, b = int(first), int(last)
            if self.count_in(a, b) <= WINDOW_SCAN:
                ids = [global_id(slot, local) for slot, local in self._window_ids(a, b, None)]
                return self.cited_sources_of(ids)
        return super().cited_sources(first, last)

    # ----------------------------------------------------------------- neighbours

    def contains(self, gid: int) -> bool:
        return super().contains(gid) if self.result is None else gid in self.result

    def _edge(self, last: bool) -> int | None:
        if self.result is None:
            return super()._edge(last)
        best: tuple[int, int] | None = None
        for slot, idx, mask in self._parts():
            if not mask:
                continue
            p = mask.bit_length() - 1 if last else (mask & -mask).bit_length() - 1
            cand = (idx.starts[p], global_id(slot, idx.ids[p]))
            if best is None or (cand > best if last else cand < best):
                best = cand
        return None if best is None else best[1]

    def step(self, gid: int, direction: int) -> int | None:
        if self.result is None:
            return super().step(gid, direction)
        here = self._start_of(gid)
        if here is None:
            return None
        key = (here, gid)
        best: tuple[int, int] | None = None
        for slot, idx, mask in self._parts():
            if not mask:
                continue
            # Candidates start in the same day or the next/previous: search from that day's edge.
            if direction > 0:
                p = bisect.bisect_left(idx.starts, here)
                m = mask >> p << p
                while m:
                    q = (m & -m).bit_length() - 1
                    cand = (idx.starts[q], global_id(slot, idx.ids[q]))
                    if cand > key:
                        if best is None or cand < best:
                            best = cand
                        break
                    m &= m - 1
            else:
                p = bisect.bisect_right(idx.starts, here)
                m = mask & ((1 << p) - 1)
                while m:
                    q = m.bit_length() - 1
                    cand = (idx.starts[q], global_id(slot, idx.ids[q]))
                    if cand < key:
                        if best is None or cand > best:
                            best = cand
                        break
                    m ^= 1 << q
        return None if best is None else best[1]

    def nearest_in_lane(self, mode: str, lane: LaneKey, day: int) -> int | None:
        if self.result is None:
            return super().nearest_in_lane(mode, lane, day)
        col = check_mode(mode)
        slot, value = lane
        parts = self._parts()
        if slot >= len(parts):
            return None
        _, idx, mask = parts[slot]
        m = self._lane_bits(idx, col).get(value, 0) & mask
        if not m:
            return None
        p = bisect.bisect_left(idx.starts, day)
        after = m >> p << p
        before = m & ((1 << p) - 1)
        options = []
        if after:
            options.append((after & -after).bit_length() - 1)
        if before:
            options.append(before.bit_length() - 1)
        q = min(options, key=lambda x: (abs(idx.starts[x] - day), idx.starts[x]))
        return global_id(slot, idx.ids[q])

    # ----------------------------------------------------------------- the matching events

    def order(self) -> EventOrder:
        if self.result is None:
            return self.full_order()
        full = self.full_order()
        try:
            return full.filtered(self.result.masks, self.result.total)
        except ValueError:
            # counted over other events (the stores changed in between): ask it per id
            result = self.result
            return full.where(lambda gid: gid in result)

    def warm(self, mode: str) -> None:
        """Read now what the first filtered frame of a lane mode would wait for."""
        col = check_mode(mode)
        for idx in self.index.indexes():
            if idx.n:
                self._lane_codes(idx, col)
        super().warm(mode)


# =========================================================================== choosing


def view_query(
    library: Library,
    filters: FilterState | None = None,
    *,
    index: FacetIndex | None = None,
    cache: QueryCache | None = None,
) -> SqlQuery:
    """The query of a library and filters: from the bitsets when `index` is given, else SQL.

    Args:
        library: The stores.
        filters: The filters (None or empty: every event).
        index: The library's facet bitsets (the app's, or `cached_index`'s).
        cache: Shared with the other queries over `library`.
    """
    if index is not None:
        return BitsetQuery(library, filters, index, cache=cache)
    return SqlQuery(library, filters, cache)


#: What every implementation offers: the view's questions (see the module docstring).
ViewQuery = SqlQuery

__all__ = [
    "BitsetQuery",
    "QueryCache",
    "SqlQuery",
    "ViewQuery",
    "lane_label",
    "view_query",
]
