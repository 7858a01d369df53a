"""The timeline's queries (WindowReader) answered for the filtered events only.

`FilteredReader` is a `WindowReader` with a current `FilterResult` (bitsets from the facet
index). With no filter it is the plain reader. With one, every answer the timeline asks for
counts and shows only the matching events:

* densities: per-lane, per-day counts of the matching events, from the bitsets (a lane's
  bitset ANDed with the filter, turned into one flag byte per event, and the start days of
  the flagged events counted by `collections.Counter`, all in C): tens of milliseconds at a
  million events;
* windows: the matching events touching a window, found in the bitsets and read by id;
* stepping (Left/Right, Home/End, Up/Down) and the extent (F) skip events filtered out.
"""

from __future__ import annotations

import bisect
import threading
from array import array
from itertools import accumulate, compress, islice, repeat
from operator import add, sub
from typing import TYPE_CHECKING

from explorer.storage.facets import CHECKPOINT, FacetIndex, FilterResult, StoreIndex
from explorer.storage.library import SLOTS, Library, global_id
from explorer.storage.window import (
    DensityTable,
    Lane,
    LaneKey,
    WindowData,
    WindowEvent,
    WindowReader,
    _check_mode,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

_FLAG = bytes.maketrans(b"01", b"\x00\x01")


def _flags(bits: int, lo: int, hi: int) -> bytes:
    """One byte (0 or 1) per position lo..hi-1 of a bitset."""
    width = hi - lo
    if width <= 0:
        return b""
    part = (bits >> lo) & ((1 << width) - 1)
    return format(part, f"0{width}b").encode("ascii")[::-1].translate(_FLAG)


MAX_BINS = 2500
_SELECTED = bytes.maketrans(b"\x00\x01", b"\x00\xff")


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


class _TooManyLanes(Exception):
    """More lanes than a byte can number (not met in practice: lanes are countries, agencies)."""


class _BinnedDensity(DensityTable):
    """A DensityTable of exact per-day totals and per-lane counts in bins of `step` days.

    The totals (what the level of detail and the window size are decided on) are per day.
    Per lane, counting every day of decades costs one C call per day and lane, so lanes are
    counted per bin of `step` days: a lane's count between two days reads the bins they fall
    in (exact at bin edges, and exactly per day when `step` is 1).
    """

    def __init__(
        self,
        mode: str,
        first_day: int,
        last_day: int,
        step: int,
        lanes: dict[LaneKey, array[int]],
        total: array[int],
    ) -> None:
        self.mode = mode
        self.first_day = first_day
        self.last_day = last_day
        self.step = step
        self._prefix = lanes  # per bin: lanes() lists them
        self._total = total  # per day
        self._days = last_day - first_day + 1
        self._nbins = len(next(iter(lanes.values()))) - 1 if lanes else 0
        self._edges_key: tuple[int, int, int] | None = None
        self._edges: list[int] = []

    def _bin(self, day: float) -> int:
        i = int(day) - self.first_day
        if i <= 0:
            return 0
        if i >= self._days:
            return self._nbins
        return min(i // self.step, self._nbins)

    def count(self, first: float, last: float, lane: LaneKey | None = None) -> int:
        if lane is None or self.step == 1:
            return super().count(first, last, lane)
        p = self._prefix.get(lane)
        if p is None or last < first:
            return 0
        return p[self._bin(last + 1)] - p[self._bin(first)]

    def binned(self, lane: LaneKey | None, first_bin: int, bins: int, bin_days: int) -> list[int]:
        if lane is None or self.step == 1:
            return super().binned(lane, first_bin, bins, bin_days)
        p = self._prefix.get(lane)
        if p is None:
            return [0] * bins
        key = (first_bin, bins, bin_days)
        if key != self._edges_key:
            # the same edges for every lane of a frame: worked out once
            self._edges = [self._bin(k * bin_days) for k in range(first_bin, first_bin + bins + 1)]
            self._edges_key = key
        edges = list(map(p.__getitem__, self._edges))
        return list(map(sub, islice(edges, 1, None), edges))


class FilteredReader(WindowReader):
    """A WindowReader that shows only the events of the current filter.

    Args:
        library: The stores.
        index: The facet index whose results are set with `set_result`.
    """

    def __init__(self, library: Library, index: FacetIndex) -> None:
        super().__init__(library)
        self.index = index
        self._result: FilterResult | None = None
        self._result_lock = threading.Lock()
        self._edges: dict[tuple[int, int, int, int], array[int]] = {}
        self._codes: dict[tuple[int, str], tuple[int, list[str]]] = {}
        self._base_lanes: dict[str, list[Lane]] = {}
        self._base_densities: dict[str, DensityTable] = {}
        self._base_extent: dict[str, tuple[int, int] | None] = {}

    def prepare(self, mode: str) -> None:
        """Read now what the first filtered frame of a lane mode would wait for."""
        col = _check_mode(mode)
        for idx in self.index.indexes():
            if idx.n:
                self._lane_codes(idx, col)
        result = self.result
        if result is None:
            self.densities(col)
            self.lanes(col)
            self.extent()

    def invalidate(self) -> None:
        """Forget what was read from the stores (after an import changed them)."""
        with self._result_lock:
            self._edges.clear()
            self._codes.clear()
            self._base_lanes.clear()
            self._base_densities.clear()
            self._base_extent.clear()

    @property
    def result(self) -> FilterResult | None:
        """The current filter's events, or None when nothing is filtered."""
        with self._result_lock:
            return self._result

    def set_result(self, result: FilterResult | None) -> None:
        """Show only these events from now on (None: every event)."""
        with self._result_lock:
            self._result = result

    def _parts(self, result: FilterResult) -> list[tuple[int, StoreIndex, int]]:
        return list(zip(range(len(result.masks)), self.index.indexes(), result.masks, strict=False))

    # ----------------------------------------------------------------- lanes and densities

    def _lane_bits(self, idx: StoreIndex, mode: str) -> dict[str, int]:
        return idx.lane_country if mode == "country" else idx.lane_agency

    @property
    def filtered(self) -> bool:
        return self.result is not None

    def full_densities(self, mode: str) -> DensityTable:
        # Every event: the store's own per-day counts, read once per lane mode.
        with self._result_lock:
            table = self._base_densities.get(mode)
        if table is None:
            table = super().densities(mode)
            with self._result_lock:
                self._base_densities[mode] = table
        return table

    def full_extent(self) -> tuple[int, int] | None:
        with self._result_lock:
            if "extent" in self._base_extent:
                return self._base_extent["extent"]
        ext = super().extent()
        with self._result_lock:
            self._base_extent["extent"] = ext
        return ext

    def densities(self, mode: str) -> DensityTable:
        result = self.result
        if result is None:
            return self.full_densities(mode)
        col = _check_mode(mode)
        parts = [(slot, idx, mask) for slot, idx, mask in self._parts(result) if idx.n]
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
            flags = _flags(mask, 0, idx.n)
            day_edges = self._day_edges(idx, first, last, 1)
            # Matching events before each day (positions follow start days): C calls only.
            per_day = map(flags.count, repeat(1), day_edges, islice(day_edges, 1, None))
            before = array("q", accumulate(per_day, initial=0))
            total = before if total is None else array("q", map(add, total, before))
            codes, values = self._lane_codes(idx, col)
            # The matching events' lane codes (1..k) in date order: an AND of two ints zeroes
            # the others' codes, translate drops the zeros. Bin edges in this list are the
            # matching events before each bin: `before` read every `step` days.
            chosen = (codes & int.from_bytes(flags.translate(_SELECTED), "big")).to_bytes(
                idx.n, "big"
            )
            chosen = chosen.translate(None, b"\x00")
            edges = before[::step]
            if days % step:
                edges.append(before[-1])
            lane_bits = self._lane_bits(idx, col)
            for code, value in enumerate(values, 1):
                if not (lane_bits[value] & mask):
                    continue
                counts = map(chosen.count, repeat(bytes((code,))), edges, islice(edges, 1, None))
                lanes[(slot, value)] = array("q", accumulate(counts, initial=0))
        assert total is not None
        return _BinnedDensity(col, first, last, step, lanes, total)

    def _day_edges(self, idx: StoreIndex, first: int, last: int, step: int) -> array[int]:
        """Per bin boundary from `first` (every `step` days, then last+1): the position of the
        first event starting on or after it."""
        key = (id(idx), first, last, step)
        with self._result_lock:
            cached = self._edges.get(key)
        if cached is None:
            bounds = [*range(first, last + 1, step), last + 1]
            cached = array("q", map(bisect.bisect_left, repeat(idx.starts), bounds))
            with self._result_lock:
                self._edges[key] = cached
        return cached

    def _lane_codes(self, idx: StoreIndex, mode: str) -> tuple[int, list[str]]:
        """One byte per event (position p at byte p, big-endian) numbering its lane from 1 in
        the order of the list; built once per store and lane mode."""
        key = (id(idx), mode)
        with self._result_lock:
            cached = self._codes.get(key)
        if cached is not None:
            return cached
        values = sorted(self._lane_bits(idx, mode))
        if len(values) > 255:
            raise _TooManyLanes
        acc = 0
        for code, value in enumerate(values, 1):
            table = bytes.maketrans(b"\x00\x01", bytes([0, code]))
            flags = _flags(self._lane_bits(idx, mode)[value], 0, idx.n)
            acc |= int.from_bytes(flags.translate(table), "big")
        cached = (acc, values)
        with self._result_lock:
            self._codes[key] = cached
        return cached

    def lanes(self, mode: str) -> list[Lane]:
        with self._result_lock:
            lanes = self._base_lanes.get(mode)
        if lanes is None:
            lanes = super().lanes(mode)
            with self._result_lock:
                self._base_lanes[mode] = lanes
        result = self.result
        if result is None:
            return lanes
        col = _check_mode(mode)
        counts: dict[LaneKey, int] = {}
        for slot, idx, mask in self._parts(result):
            for lane, bits in self._lane_bits(idx, col).items():
                counts[(slot, lane)] = (bits & mask).bit_count()
        return [
            Lane(ln.key, ln.label, counts.get(ln.key, 0), ln.imported)
            for ln in lanes
            if counts.get(ln.key, 0) > 0
        ]

    # ----------------------------------------------------------------- the window

    def window(self, mode: str, first: int, last: int, limit: int = 5000) -> WindowData:
        result = self.result
        if result is None:
            return super().window(mode, first, last, limit)
        col = _check_mode(mode)
        wanted: list[tuple[int, int]] = []  # (slot, local id): at most limit + 1 per store
        for slot, idx, mask in self._parts(result):
            m = mask & idx.range_mask(first, last)
            if not m:
                continue
            lo = (m & -m).bit_length() - 1
            hi = m.bit_length()
            for taken, p in enumerate(compress(range(lo, hi), _flags(m, lo, hi))):
                if taken > limit:
                    break
                wanted.append((slot, idx.ids[p]))
        events: list[WindowEvent] = []
        cols = f"id, start_day, end_day, lane_{col}, kind, status, precision, title, start"
        by_slot: dict[int, list[int]] = {}
        for slot, local in wanted:
            by_slot.setdefault(slot, []).append(local)
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
        events.sort(key=lambda e: (e.start_day, e.id))
        return WindowData(col, first, last, events[:limit], len(events) > limit)

    @property
    def counts_quickly(self) -> bool:
        """True under a filter: a window's count is a count of bits."""
        return self.result is not None

    def count(self, first: int, last: int) -> int:
        result = self.result
        if result is None:
            return super().count(first, last)
        return sum(
            (mask & idx.range_mask(first, last)).bit_count() for _, idx, mask in self._parts(result)
        )

    # ----------------------------------------------------------------- neighbours

    def _matching(self) -> Iterator[tuple[int, StoreIndex, int]]:
        result = self.result
        assert result is not None
        return iter(self._parts(result))

    def extent(self) -> tuple[int, int] | None:
        if self.result is None:
            return self.full_extent()
        lo: int | None = None
        hi: int | None = None
        for _, idx, mask in self._matching():
            if not mask:
                continue
            first = idx.starts[(mask & -mask).bit_length() - 1]
            last = max(idx.starts[mask.bit_length() - 1], _latest_end(idx, mask))
            lo = first if lo is None else min(lo, first)
            hi = last if hi is None else max(hi, last)
        return None if lo is None or hi is None else (int(lo), int(hi))

    def _edge(self, last: bool) -> int | None:
        if self.result is None:
            return super()._edge(last)
        best: tuple[int, int] | None = None
        for slot, idx, mask in self._matching():
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
        for slot, idx, mask in self._matching():
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
        col = _check_mode(mode)
        slot, value = lane
        parts = self._parts(self.result)
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

    def contains(self, gid: int) -> bool:
        """Whether an event passes the current filter (True when nothing is filtered)."""
        result = self.result
        return True if result is None else gid in result
