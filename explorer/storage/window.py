"""The queries the timeline draws from: lanes, densities, the events of a window, neighbours.

All of them go through the :class:`~explorer.storage.library.Library`, so ids are library ids
(``local * SLOTS + slot``) and lanes are keyed by ``(slot, value)``: the curated store's lanes are
``(0, "CN")``, ``(0, "mofcom")``; imported lists (slot > 0) get lanes of their own, labelled as
imported.

Scale (DESIGN.md section 5): a zoomed-out frame never reads events. It reads per-lane, per-day
counts (the ``densities`` table) once per lane mode into prefix sums (:class:`DensityTable`), so
any window's count and any binning is arithmetic. Zoomed in, :meth:`WindowReader.window` reads
only the window's rows, in date order, from the covering index ``idx_events_window`` for spans of
up to a month, and from the partial index ``idx_events_long`` for longer spans (periods, quarter-
and year-precise dates), which may have begun long before the window.
"""

from __future__ import annotations

import heapq
import sqlite3
import threading
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from operator import add
from typing import NamedTuple

from explorer.storage import index_cache
from explorer.storage.library import SLOTS, Library, global_id, split_id

LANE_MODES = ("country", "agency")
COVERING_DETAILS = 20  # up to this many spans covering a whole window are read in full
SHORT_SPAN = 31  # end_day - start_day of spans read from the main index (idx_events_long: more)

LaneKey = tuple[int, str]


@dataclass(frozen=True)
class Lane:
    """A lane: its key, its label, how many events it holds, and whether they are imported."""

    key: LaneKey
    label: str
    count: int
    imported: bool


class WindowEvent(NamedTuple):
    """What the timeline needs to draw and hit-test one event (cheap: a tuple)."""

    id: int
    start_day: int
    end_day: int
    lane: LaneKey
    kind: str
    status: str
    precision: str
    title: str
    start: str  # partial ISO text, for the tooltip's date


class RelatedMark(NamedTuple):
    """An event related to the selection, with where it is drawn."""

    id: int
    kind: str
    outgoing: bool  # True: selection -> this event (e.g. "responds to"), False: this -> selection
    start_day: int
    end_day: int
    lane: LaneKey
    title: str


@dataclass(frozen=True)
class WindowData:
    """The events of a window ``[first, last]`` (days), in start order.

    ``truncated`` is True when more than the limit touched the window (then ``events`` holds
    the first ``limit`` by start day and the caller should draw densities instead).
    ``covering`` lists the long spans that cover the whole window, which ``events`` holds too
    (see :meth:`WindowReader.window`).
    """

    mode: str
    first: int
    last: int
    events: list[WindowEvent]
    truncated: bool
    covering: list[WindowEvent] = field(default_factory=list)


def _check_mode(mode: str) -> str:
    if mode not in LANE_MODES:
        raise ValueError(f"lane mode {mode!r} is not one of {LANE_MODES}")
    return mode


class DensityTable:
    """Per-lane prefix sums of events per start day, for O(1) window counts and binning.

    Args:
        mode: The lane mode the counts belong to.
        rows: ``(lane key, day, count)`` in any order.
    """

    def __init__(self, mode: str, rows: Iterable[tuple[LaneKey, int, int]]) -> None:
        self.mode = mode
        rows = list(rows)
        self.first_day = min((r[1] for r in rows), default=0)
        self.last_day = max((r[1] for r in rows), default=-1)
        n = self.last_day - self.first_day + 1
        f0 = self.first_day
        per_lane: dict[LaneKey, list[int]] = {}
        total = [0] * n
        for lane, day, count in rows:
            counts = per_lane.get(lane)
            if counts is None:
                counts = per_lane[lane] = [0] * n
            counts[day - f0] += count
            total[day - f0] += count
        # prefix sums in C (accumulate into an array): a million events load in a blink
        self._prefix: dict[LaneKey, array[int]] = {
            lane: array("q", accumulate(counts, initial=0)) for lane, counts in per_lane.items()
        }
        self._total = array("q", accumulate(total, initial=0))

    @classmethod
    def from_lanes(
        cls, mode: str, lanes: dict[LaneKey, tuple[Sequence[int], Sequence[int]]]
    ) -> DensityTable:
        """A table from each lane's days and counts (two parallel lists per lane)."""
        table = cls.__new__(cls)
        table.mode = mode
        table.first_day = min((min(d) for d, _ in lanes.values() if d), default=0)
        table.last_day = max((max(d) for d, _ in lanes.values() if d), default=-1)
        n = table.last_day - table.first_day + 1
        f0 = table.first_day
        total = [0] * n
        table._prefix = {}
        for lane, (days, counts) in lanes.items():
            per_day = [0] * n
            for d, c in zip(days, counts, strict=True):
                per_day[d - f0] += c
            table._prefix[lane] = array("q", accumulate(per_day, initial=0))
            total = list(map(add, total, per_day))
        table._total = array("q", accumulate(total, initial=0))
        return table

    @property
    def lanes(self) -> list[LaneKey]:
        return list(self._prefix)

    def _index(self, day: float) -> int:
        i = int(day) - self.first_day
        return 0 if i < 0 else min(i, self.last_day - self.first_day + 1)

    def count(self, first: float, last: float, lane: LaneKey | None = None) -> int:
        """Events starting on days ``first`` to ``last`` (inclusive) in a lane or in all."""
        p = self._total if lane is None else self._prefix.get(lane)
        if p is None or last < first:
            return 0
        return p[self._index(last + 1)] - p[self._index(first)]

    def binned(self, lane: LaneKey | None, first_bin: int, bins: int, bin_days: int) -> list[int]:
        """Counts per bin: bin ``k`` covers days ``k * bin_days`` to ``(k + 1) * bin_days - 1``.

        Bins are aligned to day 0, not to the window, so they stay put while the view pans.
        """
        p = self._total if lane is None else self._prefix.get(lane)
        if p is None:
            return [0] * bins
        top = len(p) - 1
        start = first_bin * bin_days - self.first_day
        # bin edges are an arithmetic progression of prefix indexes: below the first day they
        # read p[0], past the last p[top], in between a strided slice (C speed, no loop)
        n = bins + 1
        below = 0 if start >= 0 else min(n, -start // bin_days + (1 if -start % bin_days else 0))
        i0 = start + below * bin_days
        inside = 0 if i0 > top else min(n - below, (top - i0) // bin_days + 1)
        edges = [p[0]] * below
        edges.extend(p[i0 : i0 + inside * bin_days : bin_days])
        edges.extend([p[top]] * (n - below - inside))
        return [b - a for a, b in pairwise(edges)]


class WindowReader:
    """The timeline's queries over a library. Safe to call from worker threads.

    Args:
        library: The stores to read.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._max_long: dict[int, int] = {}
        self._labels: dict[tuple[int, str], dict[str, str]] = {}

    def _conns(self) -> list[tuple[int, sqlite3.Connection]]:
        return [(slot, s.conn) for slot, s in enumerate(self.library.stores)]

    # ----------------------------------------------------------------- lanes and densities

    def lanes(self, mode: str) -> list[Lane]:
        """The lanes of a mode with their event counts: curated first, then each imported store.

        Within a store, lanes with more events come first (ties by label).
        """
        col = _check_mode(mode)
        out: list[Lane] = []
        for slot, conn in self._conns():
            labels = self._lane_labels(slot, conn, col)
            # the lane totals are the sums of the per-day counts the densities read anyway
            counts = self._store_densities(slot, conn, col)[0]
            rows = [(v, sum(c)) for v, (_d, c) in counts.items()]
            lanes = []
            for value, count in rows:
                label = labels.get(value, value)
                if slot > 0:
                    label = f"Imported · {label}"
                lanes.append(Lane((slot, value), label, int(count), slot > 0))
            lanes.sort(key=lambda ln: (-ln.count, ln.label))
            out.extend(lanes)
        return out

    def _lane_labels(self, slot: int, conn: sqlite3.Connection, mode: str) -> dict[str, str]:
        with self._lock:
            cached = self._labels.get((slot, mode))
        if cached is not None:
            return cached
        if mode == "country":
            labels = dict(conn.execute("SELECT code, name FROM countries").fetchall())
        else:
            labels = dict(conn.execute("SELECT key, name FROM actors").fetchall())
        with self._lock:
            self._labels[(slot, mode)] = labels
        return labels

    def densities(self, mode: str) -> DensityTable:
        """Every lane's events per start day, as prefix sums (one read per lane mode)."""
        col = _check_mode(mode)
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
        """One store's lanes with their days and per-day counts (``densities`` rows), and the
        store's own prefix sums, with lanes keyed ``(slot, lane)``.

        The opening frame waits on this (a fifth of a second at a million events), so both
        are kept in the user's index cache, named by the store file's path, size and time stamp
        (an import changes them), and read back in a millisecond or two on the next start.
        """
        path = self.library.stores[slot].path
        kind = f"densities-{mode}"
        data = index_cache.load(path, kind)
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
        # one row per lane (days and counts as text) crosses into Python many times faster
        # than a row per lane and day
        for lane, days, day_counts in conn.execute(
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
            path,
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

    def binned_densities(
        self, mode: str, first: int, last: int, bin_days: int
    ) -> dict[LaneKey, list[int]]:
        """Counts per lane in bins of ``bin_days`` from day ``first`` up to day ``last``.

        For renderers without a :class:`DensityTable` at hand (the exporters): bin ``i`` covers
        days ``first + i * bin_days`` to ``first + (i + 1) * bin_days - 1``.
        """
        col = _check_mode(mode)
        bins = (last - first) // bin_days + 1
        out: dict[LaneKey, list[int]] = {}
        for slot, conn in self._conns():
            for lane, b, count in conn.execute(
                "SELECT lane, (day - ?) / ?, sum(count) FROM densities "
                "WHERE lane_mode = ? AND day BETWEEN ? AND ? GROUP BY 1, 2",
                (first, bin_days, col, first, last),
            ):
                out.setdefault((slot, lane), [0] * bins)[b] += count
        return out

    @property
    def filtered(self) -> bool:
        """Whether the answers cover only some events (a filter): see `full_densities`."""
        return False

    def full_densities(self, mode: str) -> DensityTable:
        """Every event's densities, whatever is filtered (the overview strip's whole span)."""
        return self.densities(mode)

    def full_extent(self) -> tuple[int, int] | None:
        """The span of every event, whatever is filtered."""
        return self.extent()

    @property
    def counts_quickly(self) -> bool:
        """Whether :meth:`count` is cheap whatever the window (not here: it reads an index)."""
        return False

    def count(self, first: int, last: int) -> int:
        """Events whose span touches days ``first`` to ``last``."""
        total = 0
        for slot, conn in self._conns():
            total += conn.execute(
                "SELECT count(*) FROM events WHERE start_day BETWEEN ? AND ? AND end_day >= ? "
                "AND end_day - start_day <= ?",
                (first - SHORT_SPAN, last, first, SHORT_SPAN),
            ).fetchone()[0]
            total += conn.execute(
                "SELECT count(*) FROM events WHERE end_day - start_day > 31 "
                "AND start_day BETWEEN ? AND ? AND end_day >= ?",
                (first - self._longest(slot, conn), last, first),
            ).fetchone()[0]
        return int(total)

    # ----------------------------------------------------------------- the window

    def _longest(self, slot: int, conn: sqlite3.Connection) -> int:
        with self._lock:
            cached = self._max_long.get(slot)
        if cached is None:
            row = conn.execute(
                "SELECT max(end_day - start_day) FROM events WHERE end_day - start_day > 31"
            ).fetchone()
            cached = int(row[0] or SHORT_SPAN)
            with self._lock:
                self._max_long[slot] = cached
        return cached

    def window(self, mode: str, first: int, last: int, limit: int = 5000) -> WindowData:
        """The events whose span touches days ``first`` to ``last``, in start order.

        Spans longer than a month that cover the whole window (periods, dates known only to
        the year) are read from the index alone (title, precision and start left empty) unless
        there are only a few: at a million events thousands of them may cover any one day, and
        a timeline shows them as a count, not one by one. They are in ``events`` and, again, in
        ``covering``; the limit does not count them.

        Args:
            mode: ``country`` or ``agency``: which lane key each event carries.
            first: The first day of the window.
            last: The last day of the window.
            limit: At most this many events (the earliest); ``truncated`` says if there were more.
        """
        col = _check_mode(mode)
        parts: list[list[WindowEvent]] = []
        covering: list[WindowEvent] = []
        cols = f"id, start_day, end_day, lane_{col}, kind, status, precision, title, start"
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
            # A store's row ids are in start order, so reading titles is a sequential walk.
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
            if 0 < len(cover) <= COVERING_DETAILS:
                cover = self.marks(mode, [e.id for e in cover])
            covering.extend(cover)
            parts.append(
                [WindowEvent(r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), *r[4:]) for r in short]
            )
            parts.append(long_[: limit + 1])
        events = list(heapq.merge(*parts, key=lambda e: (e.start_day, e.id)))
        truncated = len(events) > limit
        covering.sort(key=lambda e: (e.start_day, e.id))
        merged = list(heapq.merge(covering, events[:limit], key=lambda e: (e.start_day, e.id)))
        return WindowData(col, first, last, merged, truncated, covering)

    def marks(self, mode: str, ids: Sequence[int]) -> list[WindowEvent]:
        """The drawing rows of given library ids (e.g. to show a selection outside the window)."""
        col = _check_mode(mode)
        out: list[WindowEvent] = []
        for gid in ids:
            slot, local = split_id(gid)
            if slot >= len(self.library.stores):
                continue
            r = (
                self.library.stores[slot]
                .conn.execute(
                    f"SELECT id, start_day, end_day, lane_{col}, kind, status, precision, "
                    "title, start FROM events WHERE id = ?",
                    (local,),
                )
                .fetchone()
            )
            if r is not None:
                out.append(WindowEvent(gid, r[1], r[2], (slot, r[3]), *r[4:]))
        return out

    # ----------------------------------------------------------------- neighbours

    def extent(self) -> tuple[int, int] | None:
        """The first start day and the last end day over every store (None when empty)."""
        lo: int | None = None
        hi: int | None = None
        for _, conn in self._conns():
            a = conn.execute("SELECT min(start_day) FROM events").fetchone()[0]
            b = conn.execute("SELECT max(end_day) FROM events").fetchone()[0]
            if a is not None:
                lo = a if lo is None else min(lo, a)
                hi = b if hi is None else max(hi, b)
        return None if lo is None or hi is None else (int(lo), int(hi))

    def first_event(self) -> int | None:
        """The earliest event (start day, then id)."""
        return self._edge(False)

    def last_event(self) -> int | None:
        """The latest-starting event."""
        return self._edge(True)

    def _edge(self, last: bool) -> int | None:
        order = "DESC" if last else ""
        best: tuple[int, int] | None = None
        for slot, conn in self._conns():
            r = conn.execute(
                f"SELECT start_day, id FROM events ORDER BY start_day {order}, id {order} LIMIT 1"
            ).fetchone()
            if r is None:
                continue
            cand = (int(r[0]), global_id(slot, int(r[1])))
            if best is None or (cand > best if last else cand < best):
                best = cand
        return None if best is None else best[1]

    def step(self, gid: int, direction: int) -> int | None:
        """The next (direction > 0) or previous event in time, in (start day, id) order."""
        here = self._start_of(gid)
        if here is None:
            return None
        # Forward and backward differ only in the comparison and the order (fixed text, never
        # user input, so formatting them into the SQL is safe).
        cmp, order = (">", "") if direction > 0 else ("<", " DESC")
        best: tuple[int, int] | None = None
        for slot, conn in self._conns():
            same = conn.execute(
                f"SELECT id FROM events WHERE start_day = ? AND id * ? + ? {cmp} ? "
                f"ORDER BY id{order} LIMIT 1",
                (here, SLOTS, slot, gid),
            ).fetchone()
            cand = (
                (here, global_id(slot, same[0]))
                if same
                else self._one(
                    conn,
                    slot,
                    f"SELECT start_day, id FROM events WHERE start_day {cmp} ? "
                    f"ORDER BY start_day{order}, id{order} LIMIT 1",
                    here,
                )
            )
            if cand is not None and (
                best is None or (cand < best if direction > 0 else cand > best)
            ):
                best = cand
        return None if best is None else best[1]

    @staticmethod
    def _one(conn: sqlite3.Connection, slot: int, sql: str, day: int) -> tuple[int, int] | None:
        r = conn.execute(sql, (day,)).fetchone()
        return None if r is None else (int(r[0]), global_id(slot, int(r[1])))

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

    def nearest_in_lane(self, mode: str, lane: LaneKey, day: int) -> int | None:
        """The event of a lane that starts nearest to ``day`` (earlier wins a tie)."""
        col = _check_mode(mode)
        slot, value = lane
        if slot >= len(self.library.stores):
            return None
        conn = self.library.stores[slot].conn
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
            f"SELECT id FROM events WHERE start_day = ? AND lane_{col} = ? ORDER BY id LIMIT 1",
            (best, value),
        ).fetchone()
        return None if r is None else global_id(slot, int(r[0]))

    def related(self, mode: str, gid: int) -> list[RelatedMark]:
        """The events related to ``gid`` (both directions), with where each is drawn."""
        col = _check_mode(mode)
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
