"""Packing events into rows within a lane, and lanes into a scrollable column.

Within a lane, events arrive in order of their left edge (pixels) and each takes, in this
order of preference:

1. its whole label, after its mark (or inside a wide bar) or before it, in the lowest row
   where that fits: before it when that fits and a label after it would cover the next
   mark's place (the room before a mark is room the row can no longer use otherwise);
2. its whole label after its mark, by moving the label of the mark before it to that mark's
   other side, or else by shortening (eliding) that label;
3. a shortened label (never below ``min_label`` pixels), after or before its mark;
4. its mark alone (the title is then in its tooltip);
5. otherwise it joins a *count mark* (a cluster) in the row that frees up first: a compact
   mark of fixed width that says how many events it holds. A count mark never stretches
   over the days its members span, so it cannot be read as a period.

Only the last element of a row ever changes, and only within room nothing else uses, so
nothing placed earlier can come to overlap. Greedy first fit on sorted intervals is the
classic interval-partitioning packing: O(n * rows).

Lanes then take the rows their events need (:func:`stack_lanes`) and the column of lanes
scrolls (:func:`clamp_scroll`). Imported lists read as listings: one list's entries on one
day become one mark (:func:`listing_groups`).

Pure and Qt-free: widths come in as numbers (the painter measures labels with its font).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

GAP_PX = 3.0  # space kept between neighbours in a row
LABEL_PAD = 4.0  # space between a mark and its label
BADGE_PX = 22.0  # the narrowest count mark
MIN_LABEL_PX = 60.0  # a label is shortened no further than this
# A label before its mark keeps this much more room from what precedes it in the row, so that
# it is never read as the label of the mark before it.
BEFORE_SEP = 14.0

K = TypeVar("K", bound=Hashable)


def badge_width(count: int, minimum: float = BADGE_PX) -> float:
    """The fixed width of a count mark holding ``count`` events: it grows with its digits,
    never with the days its members span."""
    chars = 1 if count < 10 else 2 if count < 100 else 3 if count < 1000 else len(f"{count:,}")
    return max(minimum, 12.0 + 7.0 * chars)


class Mark(NamedTuple):
    """An event to place: its id, its mark's pixel extent and its label's width (0: none).

    ``x1`` is at least ``x0``; a point event is a short mark, a period a longer bar. (Tuples:
    a frame packs thousands of these.)
    """

    id: int
    x0: float
    x1: float
    label_px: float = 0.0
    min_px: float = 0.0  # the least its label may be shortened to (0: ``pack``'s min_label)


class Placed(NamedTuple):
    """A mark placed in a row; ``label_x`` is where its label starts, or None without a label.

    ``right`` is the right edge of everything it occupies (mark and label). The label has
    ``label_end - label_x`` pixels, which may be less than its full width (then it is elided).
    A label usually follows its mark; where that has no room (the plot's right edge, or a
    neighbour after it) it goes before the mark instead, and ``left`` (the left edge of
    everything it occupies) is then the label's start.
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
    """Neighbours merged into one compact count mark in a row, from ``x0`` to ``x1``."""

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

    def labelled(self) -> int:
        """How many placed marks carry a label."""
        return sum(1 for p in self.placed if p.label_x is not None)

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


class _Spot(NamedTuple):
    left: float  # left edge of mark and label
    label_x: float
    label_end: float
    right: float  # right edge of mark and label


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
    whole = _whole_spots(x0, x1, label_px, limit)
    if whole:
        return tuple(whole[0])  # type: ignore[return-value]
    lx = label_position(x0, x1, label_px)[0]
    before = x0 - LABEL_PAD
    after = (limit if limit is not None else lx + label_px) - lx
    need = min(label_px, min_label)
    if after >= before and after >= need and limit is not None:
        return x0, lx, limit, max(x1, limit)
    if before >= need:
        return 0.0, 0.0, before, x1
    return None


def _whole_spots(x0: float, x1: float, label_px: float, limit: float | None) -> list[_Spot]:
    """The places a whole label fits inside the plot: after (or inside) the mark, before it."""
    out: list[_Spot] = []
    lx, lright = label_position(x0, x1, label_px)
    if limit is None or lx + label_px <= limit:
        out.append(_Spot(x0, lx, lx + label_px if lright > x1 else lright, lright))
    start = x0 - LABEL_PAD - label_px
    if start >= 0 and lright > x1:  # (a label inside its bar has no other side)
        out.append(_Spot(start, start, x0 - LABEL_PAD, x1))
    return out


def _shortened_spot(
    x0: float,
    x1: float,
    label_px: float,
    free: float,
    limit: float | None,
    need: float,
    next_x: float = float("inf"),
    gap: float = GAP_PX,
) -> _Spot | None:
    """A shortened label in a row whose room starts at ``free``: after the mark up to the
    plot's edge or the next mark (``next_x``), or before it down to ``free``; the side with
    more room, or None."""
    if free > x0:
        return None
    lx = x1 + LABEL_PAD
    after = min(label_px, next_x - gap - lx, (limit - lx) if limit is not None else label_px)
    start = max(free + BEFORE_SEP, 0.0)
    before = min(label_px, x0 - LABEL_PAD - start)
    if after >= before and after >= need:
        return _Spot(x0, lx, lx + after, lx + after)
    if before >= need:
        a = x0 - LABEL_PAD - before
        return _Spot(a, a, x0 - LABEL_PAD, x1)
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
    """Place marks into at most ``rows`` rows; what does not fit joins compact count marks.

    Args:
        marks: The events of one lane, in order of ``x0`` (ties in any order).
        rows: How many rows the lane may use (at least 1).
        gap: Pixels kept free between neighbours in a row.
        badge_px: The narrowest count mark (see :func:`badge_width`).
        labels: Whether to try placing labels at all (False when too many events show).
        min_label: A label may be shortened (elided) to no less than this to make room.
        limit: The plot's right edge (its left edge is 0): labels stay within it. None: no
            limit on the right.

    Returns:
        Every mark's id appears exactly once: in ``placed`` or in one cluster's ``ids``.
    """
    rows = max(1, rows)
    ends = [float("-inf")] * rows  # right edge of the last element in each row
    ends0 = [float("-inf")] * rows  # right edge of the element before it
    # the last element of each row: index into placed (>= 0) or -1 - index into clusters
    last: list[int | None] = [None] * rows
    placed: list[Placed | None] = []
    clusters: list[Cluster] = []

    def put(r: int, m: Mark, x1: float, spot: _Spot | None) -> None:
        if spot is None:
            p = Placed(m.id, r, m.x0, x1, None, x1, None)
        else:
            p = Placed(m.id, r, m.x0, x1, spot.label_x, spot.right, spot.label_end)
        last[r] = len(placed)
        placed.append(p)
        ends0[r] = ends[r]
        ends[r] = p.right

    for i, m in enumerate(marks):
        x0 = m.x0
        x1 = m.x1 if m.x1 > x0 else x0
        next_x = marks[i + 1].x0 if i + 1 < len(marks) else float("inf")
        if (
            labels
            and m.label_px > 0
            and _place_labelled(
                m, x1, rows, ends, ends0, last, placed, gap, min_label, limit, put, next_x
            )
        ):
            continue
        # the mark alone
        row = -1
        for r in range(rows):
            if ends[r] + gap <= x0:
                row = r
                break
        if row < 0 and labels:
            # room for the mark by taking the label of a row's last mark away
            row = _unlabel(last, placed, ends, rows, x0 - gap)
        if row >= 0:
            put(row, m, x1, None)
            continue
        # No row is free: join the count mark already where it is, else make one in the row
        # that frees up first.
        r = -1
        if clusters:
            for k in range(rows):
                t = last[k]
                if t is not None and t < 0 and x0 < clusters[-1 - t].x1 + gap:
                    r = k
                    break
        if r < 0:
            r = min(range(rows), key=ends.__getitem__)
        tail = last[r]
        assert tail is not None  # every row holds something once none is free
        if tail < 0:
            c = clusters[-1 - tail]
        else:
            p = placed[tail]
            assert p is not None
            placed[tail] = None
            width = badge_width(2, badge_px)
            # where the crowd is, not at the start of a long bar it swallows
            cx0 = max(p.x0, min(x0, p.x1) - width / 2)
            if limit is not None:
                cx0 = max(p.left, min(cx0, limit - width))
            c = Cluster(r, cx0, cx0 + width, [p.id])
            last[r] = -1 - len(clusters)
            clusters.append(c)
        c.ids.append(m.id)
        c.x1 = c.x0 + badge_width(len(c.ids), badge_px)
        ends[r] = c.x1
    return Packing([p for p in placed if p is not None], clusters, rows)


def _place_labelled(
    m: Mark,
    x1: float,
    rows: int,
    ends: list[float],
    ends0: list[float],
    last: list[int | None],
    placed: list[Placed | None],
    gap: float,
    min_label: float,
    limit: float | None,
    put: Callable[[int, Mark, float, _Spot | None], None],
    next_x: float = float("inf"),
) -> bool:
    """Place a mark with a label (whole, then shortened), if it can have one; ``next_x`` is
    where the next mark starts."""
    x0, label_px = m.x0, m.label_px
    whole = _whole_spots(x0, x1, label_px, limit)
    if len(whole) == 2 and whole[0].right + gap > next_x:
        whole.reverse()  # after it, the label would cover the next mark: before it first
    for spot in whole:
        sep = gap + (BEFORE_SEP if spot.left < x0 else 0.0)
        for r in range(rows):
            if ends[r] + sep <= spot.left:
                put(r, m, x1, spot)
                return True
    need = min(label_px, max(min_label, m.min_px))
    whole.sort(key=lambda spot: spot.left != x0)  # the label after the mark first
    if whole and whole[0].left == x0:
        # move the label of a row's last mark to the other side of that mark
        for r in range(rows):
            tail = last[r]
            if tail is None or tail < 0:
                continue
            prev = placed[tail]
            if prev is None or prev.label_x is None or prev.label_x < prev.x0:
                continue
            if prev.x1 + gap > x0 or prev.label_end is None:
                continue
            width = prev.label_end - prev.label_x
            start = prev.x0 - LABEL_PAD - width
            if start >= max(0.0, ends0[r] + gap + BEFORE_SEP) and prev.label_x > prev.x1:
                placed[tail] = prev._replace(
                    label_x=start, label_end=prev.x0 - LABEL_PAD, right=prev.x1
                )
                ends[r] = prev.x1
                put(r, m, x1, whole[0])
                return True
        # shorten the label of a row's last mark (it is elided) to make room for this one's
        r = _shortenable(last, placed, rows, x0 - gap, min_label)
        if r >= 0:
            tail = last[r]
            assert tail is not None and tail >= 0
            prev = placed[tail]
            assert prev is not None
            cut = max(prev.x1, x0 - gap)
            placed[tail] = prev._replace(right=cut, label_end=cut)
            ends[r] = cut
            put(r, m, x1, whole[0])
            return True
    for r in range(rows):
        short = _shortened_spot(x0, x1, label_px, ends[r] + gap, limit, need, next_x, gap)
        if short is not None:
            put(r, m, x1, short)
            return True
    return False


def _shortenable(
    last: list[int | None],
    placed: list[Placed | None],
    rows: int,
    limit: float,
    min_label: float,
) -> int:
    """A row whose last mark's label (after it) can end by ``limit`` and keep ``min_label``
    pixels, or -1."""
    for r in range(rows):
        tail = last[r]
        if tail is None or tail < 0:
            continue
        prev = placed[tail]
        if prev is None or prev.label_x is None or prev.label_x < prev.x0:
            continue
        if prev.x1 <= limit and limit - prev.label_x >= min_label and prev.right > limit:
            return r
    return -1


def _unlabel(
    last: list[int | None],
    placed: list[Placed | None],
    ends: list[float],
    rows: int,
    limit: float,
) -> int:
    """A row whose last mark, without its label, ends by ``limit``: its label is taken away
    (its title stays in the tooltip) and the row is returned; -1 when there is none."""
    for r in range(rows):
        tail = last[r]
        if tail is None or tail < 0:
            continue
        prev = placed[tail]
        if prev is None or prev.label_x is None or prev.label_x < prev.x0:
            continue
        if prev.x1 <= limit:
            placed[tail] = prev._replace(label_x=None, label_end=None, right=prev.x1)
            ends[r] = prev.x1
            return r
    return -1


# --------------------------------------------------------------------------- lanes


def stack_lanes(
    needs: Sequence[float],
    room: float,
    share_max: float = 60.0,
    grows: Sequence[bool] | None = None,
) -> list[float]:
    """Each lane's height: what it needs, plus a share of the room left over (at most
    ``share_max`` each) when the lanes need less than ``room``.

    Args:
        needs: Each lane's height for its rows (and its name).
        room: The height of the lane area on screen.
        share_max: The most any lane grows by.
        grows: Which lanes take a share (None: all); a collapsed lane keeps its one row.

    Returns:
        The heights, in order; their sum exceeds ``room`` when the lanes need more (then the
        lane area scrolls).
    """
    flags = list(grows) if grows is not None else [True] * len(needs)
    total = sum(needs)
    growing = sum(flags)
    if not needs or total >= room or not growing:
        return list(needs)
    extra = min(share_max, (room - total) / growing)
    return [h + extra if g else h for h, g in zip(needs, flags, strict=True)]


def lane_tops(heights: Sequence[float], top: float = 0.0) -> list[float]:
    """Where each lane starts, stacked from ``top``."""
    out: list[float] = []
    y = top
    for h in heights:
        out.append(y)
        y += h
    return out


def clamp_scroll(offset: float, content: float, page: float) -> float:
    """A scroll offset kept within ``[0, content - page]`` (0 when everything fits)."""
    return max(0.0, min(offset, content - page))


def scroll_to_show(offset: float, top: float, bottom: float, page: float) -> float:
    """The smallest scroll from ``offset`` that shows ``top`` to ``bottom`` (content
    coordinates) in a page of height ``page``; the top wins when it cannot all show."""
    if bottom - offset > page:
        offset = bottom - page
    if top < offset:
        offset = top
    return offset


def listing_groups(
    entries: Iterable[tuple[int, int, K]],
) -> dict[K, list[list[int]]]:
    """Imported events as listings: per list, the ids of each day's entries, in day order.

    Args:
        entries: ``(id, day, list key)`` per event, in any order.

    Returns:
        List key to its listings (each a list of ids, in the order given), the lists in the
        order they first appear.
    """
    days: dict[K, dict[int, list[int]]] = {}
    for gid, day, key in entries:
        days.setdefault(key, {}).setdefault(day, []).append(gid)
    return {key: [by_day[d] for d in sorted(by_day)] for key, by_day in days.items()}
