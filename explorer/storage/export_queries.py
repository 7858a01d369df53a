"""The queries a picture export needs: what the filters select in a window, the kinds shown, the
sources cited, and the marks or per-lane counts to draw.

Every function takes the library (bundled and user stores) and a WHERE clause over the `events`
table aliased `e`, with its bound parameters (`explorer.domain.filters.to_sql(state, "e")`), so
the picture selects the same events as the window and the tables. Ids are library ids and lanes
are `(slot, value)`, as in :mod:`explorer.storage.window`. Nothing here loads whole events: a view
of a million events costs a few aggregate queries.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

from explorer.domain.model import Source
from explorer.storage.library import SLOTS, Library

LaneKey = tuple[int, str]  # (store slot, lane value), as in explorer.storage.window
# (id, start_day, end_day, lane, kind, status, precision, title, start): the fields of
# explorer.storage.window.WindowEvent, in its order.
EventRow = tuple[int, int, int, LaneKey, str, str, str, str, str]

LANE_COLUMNS = {"country": "e.lane_country", "agency": "e.lane_agency"}


def _lane_column(mode: str) -> str:
    try:
        return LANE_COLUMNS[mode]
    except KeyError:
        raise ValueError(f"lane mode {mode!r} is not one of {', '.join(LANE_COLUMNS)}") from None


@dataclass(frozen=True)
class Selection:
    """What the filters select.

    Attributes:
        count: How many events match.
        first_day: The earliest start day, or None when nothing matches.
        last_day: The latest end day, or None when nothing matches.
        kinds: The Kind values of the matching events.
        statuses: The Status values of the matching events.
        lanes: Events per lane, for the lane mode asked for.
    """

    count: int
    first_day: int | None
    last_day: int | None
    kinds: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)
    lanes: dict[LaneKey, int] = field(default_factory=dict)


def _window_sql(where: str, first: float | None, last: float | None) -> tuple[str, list[object]]:
    clause = f"({where})"
    extra: list[object] = []
    if last is not None:
        clause += " AND e.start_day <= ?"
        extra.append(int(last))
    if first is not None:
        clause += " AND e.end_day >= ?"
        extra.append(int(first))
    return clause, extra


def selection(
    library: Library,
    where: str = "1",
    params: Sequence[object] = (),
    first: float | None = None,
    last: float | None = None,
    mode: str = "country",
) -> Selection:
    """The matching events touching the window [first, last] (when given): their count, span,
    kinds, statuses and lanes, in one aggregate pass per store."""
    clause, extra = _window_sql(where, first, last)
    lane = _lane_column(mode)
    count = 0
    lo: int | None = None
    hi: int | None = None
    kinds: set[str] = set()
    statuses: set[str] = set()
    lanes: dict[LaneKey, int] = {}
    for slot, store in enumerate(library.stores):
        for kind, status, value, n, a, b in store.conn.execute(
            f"SELECT e.kind, e.status, {lane}, count(*), min(e.start_day), max(e.end_day) "
            f"FROM events e WHERE {clause} GROUP BY 1, 2, 3",
            [*params, *extra],
        ):
            count += n
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
            kinds.add(kind)
            statuses.add(status)
            lanes[(slot, value)] = lanes.get((slot, value), 0) + n
    return Selection(count, lo, hi, frozenset(kinds), frozenset(statuses), lanes)


def cited_sources(
    library: Library,
    where: str = "1",
    params: Sequence[object] = (),
    first: float | None = None,
    last: float | None = None,
) -> list[Source]:
    """The sources cited by the matching events touching [first, last]: by their quotes, and by
    their dates (the public record an external date was taken from)."""
    clause, extra = _window_sql(where, first, last)
    args = [*params, *extra]
    out: list[Source] = []
    for store in library.stores:
        ids = {
            r[0]
            for r in store.conn.execute(
                f"SELECT DISTINCT q.source_id FROM events e JOIN quotes q ON q.event_id = e.id "
                f"WHERE {clause} "
                f"UNION SELECT DISTINCT e.date_source_id FROM events e "
                f"WHERE e.date_source_id IS NOT NULL AND {clause}",
                args + args,
            )
        }
        sources = store.sources()
        out.extend(sources[i] for i in sorted(ids) if i in sources)
    return out


def window_events(
    library: Library,
    where: str,
    params: Sequence[object],
    first: float,
    last: float,
    mode: str = "country",
    limit: int = 5000,
) -> tuple[list[EventRow], bool]:
    """The matching events touching [first, last], in start order, as the timeline draws them
    (`WindowEvent(*row)` makes the painter's value of a row).

    Returns:
        At most `limit` events (the earliest) and whether more matched.
    """
    clause, extra = _window_sql(where, first, last)
    lane = _lane_column(mode)
    parts: list[list[EventRow]] = []
    for slot, store in enumerate(library.stores):
        rows = store.conn.execute(
            f"SELECT e.id, e.start_day, e.end_day, {lane}, e.kind, e.status, e.precision, "
            f"e.title, e.start FROM events e WHERE {clause} ORDER BY e.start_day, e.id LIMIT ?",
            [*params, *extra, limit + 1],
        ).fetchall()
        parts.append(
            [
                (r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), r[4], r[5], r[6], r[7], r[8])
                for r in rows
            ]
        )
    events = list(heapq.merge(*parts, key=lambda e: (e[1], e[0])))
    return events[:limit], len(events) > limit


def density_rows(
    library: Library, where: str, params: Sequence[object], mode: str = "country"
) -> list[tuple[LaneKey, int, int]]:
    """Per lane and start day, how many matching events start that day (for a DensityTable of
    a filtered view; the unfiltered one is precomputed in the store)."""
    lane = _lane_column(mode)
    out: list[tuple[LaneKey, int, int]] = []
    for slot, store in enumerate(library.stores):
        out.extend(
            ((slot, value), day, n)
            for value, day, n in store.conn.execute(
                f"SELECT {lane}, e.start_day, count(*) FROM events e WHERE ({where}) GROUP BY 1, 2",
                list(params),
            )
        )
    return out
