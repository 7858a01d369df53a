"""The queries a picture export needs: what the filters select in a window, the kinds shown, the
sources cited, and the marks or per-lane counts to draw.

Every function takes the library (bundled and user stores) and a WHERE clause over the `events`
table aliased `e`, with its bound parameters (`explorer.domain.filters.to_sql(state, "e")`), so
the picture selects the same events as the window and the tables. Ids are library ids and lanes
are `(slot, value)`, as in :mod:`explorer.storage.window`. Nothing here loads whole events: a view
of a million events costs a few aggregate queries.
"""

from __future__ import annotations

import bisect
import heapq
import math
import sqlite3
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat

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


SHORT_SPAN = 31  # as explorer.storage.window: spans up to a month come from the main index


def _longest(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT max(end_day - start_day) FROM events WHERE end_day - start_day > 31"
    ).fetchone()
    return int(row[0] or SHORT_SPAN)


def _window_parts(
    conn: sqlite3.Connection, where: str, first: float, last: float
) -> list[tuple[str, list[object]]]:
    """The window's events as two bounded index ranges (as the timeline reads them): spans up to
    a month start at most a month before the window; longer ones come from the partial index."""
    a, b = int(first), int(last)
    return [
        (
            f"e.start_day BETWEEN ? AND ? AND e.end_day >= ? "
            f"AND e.end_day - e.start_day <= {SHORT_SPAN} AND ({where})",
            [a - SHORT_SPAN, b, a],
        ),
        (
            f"e.end_day - e.start_day > {SHORT_SPAN} AND e.start_day BETWEEN ? AND ? "
            f"AND e.end_day >= ? AND ({where})",
            [a - _longest(conn), b, a],
        ),
    ]


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


def lane_counts(
    library: Library,
    where: str,
    params: Sequence[object],
    first: float,
    last: float,
    mode: str = "country",
) -> dict[LaneKey, int]:
    """Per lane, the matching events touching [first, last], read from two bounded ranges of
    the covering indexes (as the timeline reads a window): a cost that follows the window's
    events, not the store's."""
    lane = _lane_column(mode)
    out: dict[LaneKey, int] = {}
    for slot, store in enumerate(library.stores):
        for clause, bounds in _window_parts(store.conn, where, first, last):
            for value, n in store.conn.execute(
                f"SELECT {lane}, count(*) FROM events e WHERE {clause} GROUP BY 1",
                [*bounds, *params],
            ):
                out[(slot, value)] = out.get((slot, value), 0) + n
    return out


#: Windows with up to this many events (filtered or not) find their sources event by event.
WINDOW_SCAN = 20_000


def _events_touching(conn: sqlite3.Connection, first: float, last: float, cap: int) -> int:
    """Every event touching [first, last] (no filter), counted in the covering indexes up to
    `cap` (then `cap` + 1 or more: a count that stops early stays cheap for any window)."""
    total = 0
    for part, bounds in _window_parts(conn, "1", first, last):
        total += int(
            conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM events e WHERE {part} LIMIT ?)",
                [*bounds, cap + 1 - total],
            ).fetchone()[0]
        )
        if total > cap:
            break
    return total


def cited_sources(
    library: Library,
    where: str = "1",
    params: Sequence[object] = (),
    first: float | None = None,
    last: float | None = None,
) -> list[Source]:
    """The sources cited by the matching events touching [first, last]: by their quotes, and by
    their dates (the public record an external date was taken from).

    A window of up to WINDOW_SCAN events is read event by event (a few milliseconds per
    thousand); wider ones, and the whole store, are asked source by source through the
    indexes on quotes(source_id) and events(date_source_id), which stops at the first citing
    event: a store has few sources and many events. A store made before those indexes is read
    whole.
    """
    clause, extra = _window_sql(where, first, last)
    args = [*params, *extra]
    out: list[Source] = []
    for store in library.stores:
        sources = store.sources()
        conn = store.conn
        indexed = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
            "AND name IN ('idx_quotes_source_id', 'idx_events_date_source')"
        ).fetchone()[0]
        if (
            first is not None
            and last is not None
            and _events_touching(conn, first, last, WINDOW_SCAN) <= WINDOW_SCAN
        ):
            cited = sorted(
                {
                    r[0]
                    for part, bounds in _window_parts(conn, where, first, last)
                    for r in conn.execute(
                        f"SELECT q.source_id FROM events e JOIN quotes q ON q.event_id = e.id "
                        f"WHERE {part} UNION SELECT e.date_source_id FROM events e "
                        f"WHERE e.date_source_id IS NOT NULL AND {part}",
                        [*bounds, *params, *bounds, *params],
                    )
                }
            )
        elif indexed == 2:
            cited = [
                sid
                for sid in sorted(sources)
                if conn.execute(
                    # INDEXED BY: start from the source's rows, never from a scan of the filter
                    f"SELECT EXISTS (SELECT 1 FROM quotes q INDEXED BY idx_quotes_source_id "
                    f"JOIN events e ON e.id = q.event_id WHERE q.source_id = ? AND {clause}) "
                    f"OR EXISTS (SELECT 1 FROM events e INDEXED BY idx_events_date_source "
                    f"WHERE e.date_source_id = ? AND {clause})",
                    [sid, *args, sid, *args],
                ).fetchone()[0]
            ]
        else:
            cited = sorted(
                r[0]
                for r in conn.execute(
                    f"SELECT DISTINCT q.source_id FROM events e JOIN quotes q "
                    f"ON q.event_id = e.id WHERE {clause} "
                    f"UNION SELECT DISTINCT e.date_source_id FROM events e "
                    f"WHERE e.date_source_id IS NOT NULL AND {clause}",
                    args + args,
                )
            )
        out.extend(sources[i] for i in cited if i in sources)
    return out


def matching_ids(library: Library, where: str = "1", params: Sequence[object] = ()) -> array[int]:
    """The library ids of the matching events in date order (start day, then id), every store
    merged: what a table export writes, event by event.

    Ids cross into Python as one text per store (no row objects): a million in a few hundred
    milliseconds, held in 8 MB.
    """
    per_store: list[tuple[int, array[int], array[int]]] = []
    for slot, store in enumerate(library.stores):
        ids_text, days_text = store.conn.execute(
            f"SELECT group_concat(id), group_concat(start_day) FROM "
            f"(SELECT e.id, e.start_day FROM events e WHERE {where} ORDER BY e.start_day, e.id)",
            list(params),
        ).fetchone()
        if ids_text:
            ids = array("q", map(int, ids_text.split(",")))
            days = array("q", map(int, days_text.split(",")))
            per_store.append((slot, ids, days))
    if not per_store:
        return array("q")
    if len(per_store) == 1:
        slot, ids, _ = per_store[0]
        return array("q", [i * SLOTS + slot for i in ids])
    merged = heapq.merge(*(_dated_ids(slot, ids, days) for slot, ids, days in per_store))
    return array("q", [gid for _, gid in merged])


def _dated_ids(slot: int, ids: array[int], days: array[int]) -> Iterator[tuple[int, int]]:
    """(start day, library id) of one store's events, in its date order."""
    for i, day in zip(ids, days, strict=True):
        yield day, i * SLOTS + slot


def cited_sources_of(library: Library, ids: Sequence[int]) -> list[Source]:
    """The sources cited by the given events (library ids), by their quotes and their dates."""
    out: list[Source] = []
    for slot, store in enumerate(library.stores):
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
    lane = _lane_column(mode)
    parts: list[list[EventRow]] = []
    for slot, store in enumerate(library.stores):
        for clause, bounds in _window_parts(store.conn, where, first, last):
            rows = store.conn.execute(
                f"SELECT e.id, e.start_day, e.end_day, {lane}, e.kind, e.status, e.precision, "
                f"e.title, e.start FROM events e WHERE {clause} "
                f"ORDER BY e.start_day, e.id LIMIT ?",
                [*bounds, *params, limit + 1],
            ).fetchall()
            parts.append(
                [
                    (r[0] * SLOTS + slot, r[1], r[2], (slot, r[3]), r[4], r[5], r[6], r[7], r[8])
                    for r in rows
                ]
            )
    events = list(heapq.merge(*parts, key=lambda e: (e[1], e[0])))
    return events[:limit], len(events) > limit


def binned_densities(
    library: Library,
    mode: str,
    bin_days: int,
    first: float | None = None,
    last: float | None = None,
) -> list[tuple[LaneKey, int, int]]:
    """Every event per lane in bins of `bin_days` days aligned to day 0, from the store's
    precomputed per-day counts: (lane, bin number, count); only the bins that overlap
    [first, last] when given (whole bins, so edge bins count all their days)."""
    col = _lane_column(mode).removeprefix("e.lane_")
    lo = -(2**62) if first is None else (int(first) // bin_days) * bin_days
    hi = 2**62 if last is None else (int(last) // bin_days + 1) * bin_days - 1
    out: list[tuple[LaneKey, int, int]] = []
    for slot, store in enumerate(library.stores):
        out.extend(
            ((slot, lane), k, n)
            for lane, k, n in store.conn.execute(
                "SELECT lane, day / ?, sum(count) FROM densities WHERE lane_mode = ? "
                "AND day BETWEEN ? AND ? GROUP BY 1, 2",
                (bin_days, col, lo, hi),
            )
        )
    return out


IMPORTED_PREFIX = "Imported · "  # as explorer.storage.window labels an imported store's lanes


def lane_labels(library: Library, mode: str) -> dict[LaneKey, str]:
    """Each lane's label as the timeline shows it: the country's or the agency's name, with
    an imported store's lanes marked as imported (a lane missing here is labelled by its
    value: see `label_of`)."""
    col = _lane_column(mode)
    sql = (
        "SELECT code, name FROM countries"
        if col == "e.lane_country"
        else "SELECT key, name FROM actors"
    )
    out: dict[LaneKey, str] = {}
    for slot, store in enumerate(library.stores):
        prefix = IMPORTED_PREFIX if slot > 0 else ""
        for value, name in store.conn.execute(sql):
            out[(slot, value)] = f"{prefix}{name}"
    return out


def label_of(labels: dict[LaneKey, str], lane: LaneKey) -> str:
    """A lane's label from `lane_labels`, or its value (marked when imported)."""
    got = labels.get(lane)
    if got is not None:
        return got
    return f"{IMPORTED_PREFIX}{lane[1]}" if lane[0] > 0 else lane[1]


class LaneDays:
    """Every lane's events per start day, as the store's precomputed densities hold them, kept
    as sorted days and running totals: any bin size is then a few bisections per bin.

    Answers the painter's `DensityTable.binned` calls (for every bin size, exactly) and each
    lane's total, from one read of the densities (no per-day table over decades).
    """

    def __init__(self, lanes: dict[LaneKey, tuple[array[int], array[int]]]) -> None:
        # lane -> (days ascending, running totals with a leading 0)
        self._lanes = lanes

    @property
    def lanes(self) -> list[LaneKey]:
        return list(self._lanes)

    def total(self, lane: LaneKey) -> int:
        """The lane's events (0 for a lane without any)."""
        got = self._lanes.get(lane)
        return int(got[1][-1]) if got else 0

    def binned(self, lane: LaneKey | None, first_bin: int, bins: int, bin_days: int) -> list[int]:
        """Events per bin of `bin_days` days aligned to day 0 (bin k: days k*bin_days up to
        (k+1)*bin_days - 1), in one lane or in all (None), as `DensityTable.binned`."""
        keys = list(self._lanes) if lane is None else [lane]
        out = [0] * bins
        bounds = range(first_bin * bin_days, (first_bin + bins + 1) * bin_days, bin_days)
        for key in keys:
            got = self._lanes.get(key)
            if got is None:
                continue
            days, prefix = got
            # the running total before each bin edge; a bin's count is the difference
            edges = [prefix[i] for i in map(bisect.bisect_left, repeat(days), bounds)]
            out = [o + b - a for o, a, b in zip(out, edges, edges[1:], strict=False)]
        return out


def lane_days(
    library: Library, mode: str, first: float | None = None, last: float | None = None
) -> LaneDays:
    """The events per lane and start day, from the stores' precomputed densities: every day,
    or the days from `first` to `last` when both are given (then bins reaching outside them
    count only the days inside: ask with a margin of a bin or more).

    One row per lane crosses into Python (days and counts as text), so a million events' ten
    thousand days per lane read in tens of milliseconds.
    """
    col = _lane_column(mode).removeprefix("e.lane_")
    sql = "SELECT lane, group_concat(day), group_concat(count) FROM densities WHERE lane_mode = ?"
    args: list[object] = [col]
    if first is not None and last is not None:
        # Only with a window: without one the primary key streams each lane in day order,
        # while a day range makes SQLite skip-scan and sort (half as fast for every day).
        sql += " AND day BETWEEN ? AND ?"
        args += [math.floor(first), math.ceil(last)]
    lanes: dict[LaneKey, tuple[array[int], array[int]]] = {}
    for slot, store in enumerate(library.stores):
        for lane, days_text, counts_text in store.conn.execute(f"{sql} GROUP BY lane", args):
            days = array("q", map(int, days_text.split(",")))
            counts = array("q", map(int, counts_text.split(",")))
            if days != array("q", sorted(days)):
                # group_concat follows the index (day order) in practice; SQL does not promise it
                pairs = sorted(zip(days, counts, strict=True))
                days = array("q", [d for d, _ in pairs])
                counts = array("q", [c for _, c in pairs])
            lanes[(slot, lane)] = (days, array("q", accumulate(counts, initial=0)))
    return LaneDays(lanes)


#: (lane, start day, events, earliest end day, latest end day)
DayRow = tuple[LaneKey, int, int, int, int]


def day_counts(
    library: Library,
    where: str,
    params: Sequence[object],
    mode: str = "country",
    first: float | None = None,
    last: float | None = None,
) -> list[DayRow]:
    """The matching events per lane and start day, with their earliest and latest end day: one
    pass over the store (or over the window [first, last]), from which a filtered view's span,
    counts and densities all follow."""
    lane = _lane_column(mode)
    out: list[DayRow] = []
    cols = f"{lane}, e.start_day, count(*), min(e.end_day), max(e.end_day)"
    for slot, store in enumerate(library.stores):
        if first is None or last is None:
            queries: list[tuple[str, list[object]]] = [(f"({where})", list(params))]
        else:
            queries = [
                (clause, [*bounds, *params])
                for clause, bounds in _window_parts(store.conn, where, first, last)
            ]
        for clause, args in queries:
            out.extend(
                ((slot, value), day, n, lo, hi)
                for value, day, n, lo, hi in store.conn.execute(
                    f"SELECT {cols} FROM events e WHERE {clause} GROUP BY 1, 2", args
                )
            )
    return out


def lane_counts_in_window(
    library: Library,
    where: str,
    params: Sequence[object],
    days: Sequence[DayRow],
    first: float,
    last: float,
    mode: str = "country",
) -> dict[LaneKey, int]:
    """Per lane, the matching events touching [first, last], exactly: from `days`, asking the
    store only about start days before the window whose events end on both sides of it."""
    counts: dict[LaneKey, int] = {}
    unsure: dict[int, set[int]] = {}
    for lane_key, day, n, lo, hi in days:
        if day > last or hi < first:
            continue
        if day >= first or lo >= first:
            counts[lane_key] = counts.get(lane_key, 0) + n
        else:
            unsure.setdefault(lane_key[0], set()).add(day)
    lane = _lane_column(mode)
    for slot, day_set in unsure.items():
        ordered = sorted(day_set)
        for n0 in range(0, len(ordered), 900):
            part = ordered[n0 : n0 + 900]
            for value, n in library.stores[slot].conn.execute(
                f"SELECT {lane}, count(*) FROM events e WHERE e.start_day IN "
                f"({','.join('?' * len(part))}) AND e.end_day >= ? AND ({where}) GROUP BY 1",
                [*part, int(first), *params],
            ):
                counts[(slot, value)] = counts.get((slot, value), 0) + n
    return counts


def binned_events(
    library: Library,
    where: str,
    params: Sequence[object],
    mode: str,
    bin_days: int,
    first: float | None = None,
    last: float | None = None,
) -> list[tuple[LaneKey, int, int]]:
    """The matching events per lane in bins of `bin_days` days aligned to day 0 (by start day):
    (lane, bin number, count); only the bins that overlap [first, last] when given."""
    lane = _lane_column(mode)
    lo = -(2**62) if first is None else (int(first) // bin_days) * bin_days
    hi = 2**62 if last is None else (int(last) // bin_days + 1) * bin_days - 1
    out: list[tuple[LaneKey, int, int]] = []
    for slot, store in enumerate(library.stores):
        out.extend(
            ((slot, value), k, n)
            for value, k, n in store.conn.execute(
                f"SELECT {lane}, e.start_day / ?, count(*) FROM events e "
                f"WHERE e.start_day BETWEEN ? AND ? AND ({where}) GROUP BY 1, 2",
                [bin_days, lo, hi, *params],
            )
        )
    return out
