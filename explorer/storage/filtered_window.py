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
from collections.abc import Iterable
from itertools import accumulate, chain, compress, islice, repeat
from operator import add
from typing import TYPE_CHECKING

from explorer.storage.facets import FacetIndex, FilterResult, StoreIndex
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


def _per_day(prefix: Iterable[int], step: int, days: int) -> array[int]:
    """Prefix sums per bin of `step` days, as the per-day prefix sums DensityTable reads."""
    bins = list(prefix)
    if step == 1:
        return array("q", bins)
    out = array("q", chain.from_iterable(map(repeat, bins[:-1], repeat(step))))
    del out[days:]
    out.append(bins[-1])
    return out


class _TooManyLanes(Exception):
    """More lanes than a byte can number (not met in practice: lanes are countries, agencies)."""


class _PrefixDensity(DensityTable):
    """A DensityTable made directly from per-day prefix sums (no per-row pass)."""

    def __init__(
        self,
        mode: str,
        first_day: int,
        last_day: int,
        prefix: dict[LaneKey, array[int]],
        total: array[int],
    ) -> None:
        self.mode = mode
        self.first_day = first_day
        self.last_day = last_day
        self._prefix = prefix
        self._total = total


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
        self._codes: dict[tuple[int, str], tuple[bytes, list[str]]] = {}
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

    def densities(self, mode: str) -> DensityTable:
        result = self.result
        if result is None:
            # Every event: the store's own per-day counts, read once per lane mode.
            with self._result_lock:
                table = self._base_densities.get(mode)
            if table is None:
                table = super().densities(mode)
                with self._result_lock:
                    self._base_densities[mode] = table
            return table
        col = _check_mode(mode)
        parts = [(slot, idx, mask) for slot, idx, mask in self._parts(result) if idx.n]
        if not parts:
            return DensityTable(col, [])
        first = min(idx.starts[0] for _, idx, _ in parts)
        last = max(idx.starts[-1] for _, idx, _ in parts)
        days = last - first + 1
        # Exact per-day counts cost one C call per day and lane; beyond a few thousand days
        # (decades) the counts are kept per bin of a few days: they serve zoomed-out frames and
        # the level-of-detail estimate, while windows of events are always exact.
        step = max(1, days // MAX_BINS)
        prefix: dict[LaneKey, array[int]] = {}
        total = array("q", [0]) * (days // step + 2)
        for slot, idx, mask in parts:
            edges = self._day_edges(idx, first, last, step)
            flags = _flags(mask, 0, idx.n)
            # Selected events before each bin: the "all lanes" prefix sums of this store.
            per_bin = map(flags.count, repeat(1), edges, islice(edges, 1, None))
            before = array("q", accumulate(per_bin, initial=0))
            total = array("q", map(add, total, before))
            codes, values = self._lane_codes(idx, col)
            chosen = bytes(compress(codes, flags))
            for code, value in enumerate(values):
                if not (self._lane_bits(idx, col)[value] & mask):
                    continue
                counts = map(chosen.count, repeat(code), before, islice(before, 1, None))
                prefix[(slot, value)] = _per_day(accumulate(counts, initial=0), step, days)
        return _PrefixDensity(col, first, last, prefix, _per_day(total, step, days))

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

    def _lane_codes(self, idx: StoreIndex, mode: str) -> tuple[bytes, list[str]]:
        """One byte per event naming its lane (index into the list), built once per store."""
        key = (id(idx), mode)
        with self._result_lock:
            cached = self._codes.get(key)
        if cached is not None:
            return cached
        values = sorted(self._lane_bits(idx, mode))
        if len(values) > 255:
            raise _TooManyLanes
        acc = 0
        for code, value in enumerate(values):
            if code:
                table = bytes.maketrans(b"\x00\x01", bytes([0, code]))
                flags = _flags(self._lane_bits(idx, mode)[value], 0, idx.n)
                acc |= int.from_bytes(flags.translate(table), "big")
        cached = (acc.to_bytes(idx.n, "big"), values)
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
        result = self.result
        if result is None:
            with self._result_lock:
                if "extent" in self._base_extent:
                    return self._base_extent["extent"]
            ext = super().extent()
            with self._result_lock:
                self._base_extent["extent"] = ext
            return ext
        lo: int | None = None
        hi: int | None = None
        for _, idx, mask in self._matching():
            if not mask:
                continue
            first = idx.starts[(mask & -mask).bit_length() - 1]
            last = idx.starts[mask.bit_length() - 1]
            # A period may end after the last start: the periods are sorted by end, latest first.
            for end_neg, p in zip(idx.period_ends_neg, idx.period_pos, strict=True):
                if -end_neg <= last:
                    break
                if mask >> p & 1:
                    last = -end_neg
                    break
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
