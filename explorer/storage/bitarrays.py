"""Bitsets as arrays: what a filter's bitset holds, per event, in a few C-speed steps (numpy).

The facet bitsets (:mod:`explorer.storage.facets`) are Python ints with bit p set for the p-th
event in date order: ANDs, ORs and counts of a million bits take microseconds. What a frame
needs from a filter's bitset, the matching events per lane and per day and the matching events'
order, takes one pass over every event; done with Python's own tools that pass costs tens of
milliseconds at a million events (a byte per event, one call per day and lane), with numpy a
few. These helpers turn a bitset into a numpy array once and answer from it.

numpy is imported when a helper is first called (a filter on a large store), not with the
module: opening the window never waits for it.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Flags = npt.NDArray[np.bool_]
    Ints = npt.NDArray[np.int64]
else:
    Flags = Ints = Any


def flags(bits: int, n: int) -> Flags:
    """One bool per position 0..n-1 of a bitset."""
    import numpy as np

    data = np.frombuffer(bits.to_bytes((n + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(data, count=n, bitorder="little").view(np.bool_)


def positions_before(starts: Sequence[int], first: int, last: int) -> Ints:
    """For each day from `first` to `last + 1`: how many events start before it (`starts` is
    every event's start day, in position order)."""
    import numpy as np

    days = np.arange(first, last + 2, dtype=np.int64)
    return np.searchsorted(np.asarray(starts, dtype=np.int64), days, side="left").astype(np.int64)


def lane_codes(lanes: Mapping[str, int], n: int) -> tuple[Any, list[str]]:
    """Each position's lane as a number from 1 (0: no lane), in the order of the sorted names."""
    import numpy as np

    values = sorted(lanes)
    codes = np.zeros(n, dtype=np.uint16)
    for code, value in enumerate(values, 1):
        codes[flags(lanes[value], n)] = code
    return codes, values


def to_array(values: Any) -> array[int]:
    """A numpy vector of integers as an `array('q')` (what the density tables hold)."""
    import numpy as np

    out = array("q")
    out.frombytes(np.ascontiguousarray(values, dtype=np.int64).tobytes())
    return out


def density(
    bits: int,
    before_day: Ints,
    codes: Any,
    lanes: int,
    step: int,
) -> tuple[array[int], list[array[int]]]:
    """One store's matching events per day and per lane.

    Args:
        bits: The filter's bitset over the store's positions.
        before_day: Events starting before each day of the range (`positions_before`).
        codes: Each position's lane number (`lane_codes`).
        lanes: How many lane numbers there are (the largest code).
        step: Days per lane bin.

    Returns:
        The matching events starting before each day (a prefix sum, exact per day), and per
        lane number 0..lanes the matching events before each bin edge (every `step` days, then
        the range's end).
    """
    import numpy as np

    n = len(codes)
    chosen = flags(bits, n)
    running = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(chosen, out=running[1:])
    before = running[before_day]  # matching events before each day
    edges = before[::step]
    if (len(before) - 1) % step:
        edges = np.append(edges, before[-1])
    picked = codes[chosen]  # the matching events' lane numbers, in date order
    nbins = len(edges) - 1
    bin_of = np.repeat(np.arange(nbins, dtype=np.int64), np.diff(edges))
    width = lanes + 1
    hist = np.bincount(bin_of * width + picked, minlength=nbins * width).reshape(nbins, width)
    prefix = np.zeros((nbins + 1, width), dtype=np.int64)
    np.cumsum(hist, axis=0, out=prefix[1:])
    return to_array(before), [to_array(prefix[:, c]) for c in range(width)]


def picked(keys: array[int], bits: int) -> array[int]:
    """The keys at the positions a bitset sets, in order."""
    import numpy as np

    chosen = flags(bits, len(keys))
    out = array("q")
    out.frombytes(np.frombuffer(keys, dtype=np.int64)[chosen].tobytes())
    return out
