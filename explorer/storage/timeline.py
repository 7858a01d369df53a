"""What a timeline frame is drawn from: lanes, the events of a window, densities per lane.

Plain values that the queries (`explorer.storage.query`) return and the painter
(`explorer.render.painter`) draws. Ids are library ids (``local * SLOTS + slot``) and lanes are
keyed by ``(slot, value)``: the curated store's lanes are ``(0, "CN")``, ``(0, "mofcom")``;
imported lists (slot > 0) get lanes of their own, labelled as imported.

A zoomed-out frame never reads events: it reads per-lane, per-day counts as prefix sums
(:class:`DensityTable`), so any window's count and any binning is arithmetic.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, islice, pairwise
from operator import add, sub
from typing import NamedTuple

from explorer.domain.view import LANE_MODES

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


class Listing(NamedTuple):
    """What an imported event lists, for the timeline to read it as a listing.

    Attributes:
        list_name: The list ("Entity List"), or the issuer's name when the file names none.
        entries: How many entries (entities, persons, vessels...) this event lists.
        day_entries: How many different entries this list gained on this event's day, over
            all of its events that day (an OFAC SDN file makes one event per programme).
        noun: The entries' noun in the plural ("entities", "persons", "entries").
        ending: True when the entries leave the list that day (a listing that ends).
    """

    list_name: str
    entries: int
    day_entries: int
    noun: str
    ending: bool = False


@dataclass(frozen=True)
class WindowData:
    """The events of a window ``[first, last]`` (days), in start order.

    ``truncated`` is True when more than the limit touched the window (then ``events`` holds
    the first ``limit`` by start day and the caller should draw densities instead).
    ``covering`` lists the long spans that cover the whole window, which ``events`` holds too
    (see :meth:`explorer.storage.query.SqlQuery.window`). ``listings`` says what each
    imported event lists (:func:`explorer.storage.listings.read_listings`), by event id.
    """

    mode: str
    first: int
    last: int
    events: list[WindowEvent]
    truncated: bool
    covering: list[WindowEvent] = field(default_factory=list)
    listings: dict[int, Listing] = field(default_factory=dict)


def check_mode(mode: str) -> str:
    """The lane mode, or ValueError naming the modes there are."""
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


class BinnedDensity(DensityTable):
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
