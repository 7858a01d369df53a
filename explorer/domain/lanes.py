"""Packing events into rows within a lane so that marks and labels never overlap.

The timeline gives each lane a few rows. Events arrive in order of their left edge (pixels);
each goes into the first row where it fits with its label, else the first row where its mark
alone fits (its label is left to the tooltip), else it merges with the last thing in the row that
frees up first, which becomes a count badge (a cluster). Only the last element of a row ever
grows, and only to the right, so nothing placed earlier can come to overlap. Greedy first-fit
on sorted intervals is the classic interval-partitioning packing: O(n * rows).

Pure and Qt-free: widths come in as numbers (the painter measures labels with its font).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

GAP_PX = 3.0  # space kept between neighbours in a row
LABEL_PAD = 4.0  # space between a mark and its label
BADGE_PX = 24.0  # the narrowest count badge
MIN_LABEL_PX = 60.0  # a label is shortened no further than this


class Mark(NamedTuple):
    """An event to place: its id, its mark's pixel extent and its label's width (0: none).

    ``x1`` is at least ``x0``; a point event is a short mark, a period a longer bar. (Tuples:
    a frame packs thousands of these.)
    """

    id: int
    x0: float
    x1: float
    label_px: float = 0.0


class Placed(NamedTuple):
    """A mark placed in a row; ``label_x`` is where its label starts, or None without a label.

    ``right`` is the right edge of everything it occupies (mark and label). The label has
    ``label_end - label_x`` pixels, which may be less than its full width (then it is elided).
    A label usually follows its mark; near the right edge of the plot (``pack``'s ``limit``)
    it goes before the mark instead, so ``left`` (the left edge of everything it occupies) is
    then the label's start.
    """

    id: int
    row: int
    x0: float
    x1: float
    label_x: float | None
    right: float
    label_end: float | None = None

    @property
    def left(self) -> float:
        """The left edge of mark and label."""
        return self.x0 if self.label_x is None else min(self.x0, self.label_x)


@dataclass
class Cluster:
    """Neighbours merged into one count badge in a row, spanning ``x0`` to ``x1``."""

    row: int
    x0: float
    x1: float
    ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass
class Packing:
    """The outcome of :func:`pack`: placed marks and clusters, each with its row."""

    placed: list[Placed]
    clusters: list[Cluster]
    rows: int

    def rows_used(self) -> int:
        """How many rows hold something (the first ``rows_used()`` rows: first fit)."""
        used = [p.row for p in self.placed] + [c.row for c in self.clusters]
        return max(used) + 1 if used else 0

    def occupied(self) -> list[list[tuple[float, float]]]:
        """Per row, the (left, right) extents of everything in it, sorted (for checks)."""
        out: list[list[tuple[float, float]]] = [[] for _ in range(self.rows)]
        for p in self.placed:
            out[p.row].append((p.left, p.right))
        for c in self.clusters:
            out[c.row].append((c.x0, c.x1))
        for r in out:
            r.sort()
        return out


def label_position(x0: float, x1: float, label_px: float) -> tuple[float, float]:
    """Where a label goes and the right edge of mark plus label.

    Inside a bar when the bar is wide enough, else just after the mark.
    """
    if x1 - x0 >= label_px + 2 * LABEL_PAD:
        return x0 + LABEL_PAD, x1
    lx = x1 + LABEL_PAD
    return lx, lx + label_px


def label_place(
    x0: float, x1: float, label_px: float, limit: float | None, min_label: float = MIN_LABEL_PX
) -> tuple[float, float, float, float] | None:
    """Where a mark's label goes within the plot ``[0, limit]``: (left edge of mark and label,
    label start, label end, right edge), or None when no readable label fits.

    After the mark (or inside a wide bar) when it fits before ``limit``; else before the mark
    when it fits there whole; else on the side with more room, shortened (elided) to it, if
    that leaves at least ``min(label_px, min_label)``. Without a limit, always after the mark.
    """
    lx, lright = label_position(x0, x1, label_px)
    if limit is None or lx + label_px <= limit:
        return x0, lx, lx + label_px if lright > x1 else lright, lright
    before = x0 - LABEL_PAD  # the label would end here, left of the mark
    if before - label_px >= 0:
        return before - label_px, before - label_px, before, x1
    after = limit - lx
    need = min(label_px, min_label)
    if after >= before and after >= need:
        return x0, lx, limit, max(x1, limit)
    if before >= need:
        return 0.0, 0.0, before, x1
    return None


def pack(
    marks: Sequence[Mark],
    rows: int,
    *,
    gap: float = GAP_PX,
    badge_px: float = BADGE_PX,
    labels: bool = True,
    min_label: float = MIN_LABEL_PX,
    limit: float | None = None,
) -> Packing:
    """Place marks into ``rows`` rows; what does not fit merges into count badges.

    Args:
        marks: The events of one lane, in order of ``x0`` (ties in any order).
        rows: How many rows the lane has (at least 1).
        gap: Pixels kept free between neighbours in a row.
        badge_px: The narrowest badge.
        labels: Whether to try placing labels at all (False when too many events show).
        min_label: A label may be shortened (elided) to no less than this to make room.
        limit: The plot's right edge (its left edge is 0): labels stay within it, placed
            before their mark near the right edge (see label_place). None: no limit.

    Returns:
        Every mark's id appears exactly once: in ``placed`` or in one cluster's ``ids``.
    """
    rows = max(1, rows)
    ends = [float("-inf")] * rows  # right edge of the last element in each row
    # the last element of each row: ("p", index into placed) or ("c", index into clusters)
    last: list[tuple[str, int] | None] = [None] * rows
    placed: list[Placed | None] = []
    clusters: list[Cluster] = []
    for m in marks:
        x0 = m.x0
        x1 = m.x1 if m.x1 > x0 else x0
        row = -1
        label_x: float | None = None
        label_end: float | None = None
        right = x1
        spot = label_place(x0, x1, m.label_px, limit, min_label) if labels and m.label_px else None
        if spot is not None:
            left, lx, lend, lright = spot
            for r in range(rows):
                if ends[r] + gap <= left:
                    row, label_x, label_end, right = r, lx, lend, lright
                    break
            if row < 0:
                # shorten the label of a row's last mark (it is elided) to make room
                r = _shortenable(last, placed, rows, left - gap, min_label)
                if r >= 0:
                    tail = last[r]
                    assert tail is not None
                    prev = placed[tail[1]]
                    assert prev is not None and prev.label_x is not None
                    cut = max(prev.x1, left - gap)
                    placed[tail[1]] = prev._replace(right=cut, label_end=cut)
                    row, label_x, label_end, right = r, lx, lend, lright
        if row < 0:
            for r in range(rows):
                if ends[r] + gap <= x0:
                    row = r
                    break
            label_x, label_end, right = None, None, x1
        if row >= 0:
            last[row] = ("p", len(placed))
            placed.append(Placed(m.id, row, x0, x1, label_x, right, label_end))
            ends[row] = right
            continue
        # No row is free: merge into the row that frees up first.
        r = min(range(rows), key=ends.__getitem__)
        tail = last[r]
        assert tail is not None  # every row holds something once none is free
        if tail[0] == "c":
            c = clusters[tail[1]]
        else:
            p = placed[tail[1]]
            assert p is not None
            placed[tail[1]] = None
            # the badge sits where the crowd is, not at the start of a long bar it swallows
            cx0 = max(p.x0, min(x0, p.x1) - badge_px / 2)
            c = Cluster(r, cx0, cx0 + badge_px, [p.id])
            last[r] = ("c", len(clusters))
            clusters.append(c)
        c.ids.append(m.id)
        # A badge covers where its members start, not the whole length of long bars, so a
        # period in a crowd does not turn into a badge across the whole view.
        c.x1 = max(c.x1, min(x1, x0 + badge_px))
        ends[r] = c.x1
    return Packing([p for p in placed if p is not None], clusters, rows)


def _shortenable(
    last: list[tuple[str, int] | None],
    placed: list[Placed | None],
    rows: int,
    limit: float,
    min_label: float,
) -> int:
    """A row whose last mark's label can end by ``limit`` and keep ``min_label`` pixels, or -1."""
    for r in range(rows):
        tail = last[r]
        if tail is None or tail[0] != "p":
            continue
        prev = placed[tail[1]]
        if prev is None or prev.label_x is None:
            continue
        if prev.x1 <= limit and limit - prev.label_x >= min_label and prev.right > limit:
            return r
    return -1
