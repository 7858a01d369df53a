"""The queries a picture export needs besides the timeline: the span, the counts, the kinds shown
and the sources cited by the selected events.

Every function takes a WHERE clause over the `events` table aliased `e` with its bound parameters
(`explorer.domain.filters.to_sql(state, "e")`), so the picture and the tables select the same
events as the window does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from explorer.domain.model import Source
from explorer.storage.store import EventStore


@dataclass(frozen=True)
class Selection:
    """What the filters select in one store.

    Attributes:
        count: How many events match.
        first_day: The earliest start day, or None when nothing matches.
        last_day: The latest end day, or None when nothing matches.
        kinds: The Kind values of the matching events.
        statuses: The Status values of the matching events.
    """

    count: int
    first_day: int | None
    last_day: int | None
    kinds: frozenset[str] = field(default_factory=frozenset)
    statuses: frozenset[str] = field(default_factory=frozenset)


def _window_sql(where: str, first: float | None, last: float | None) -> tuple[str, list[object]]:
    extra: list[object] = []
    if last is not None:
        where = f"({where}) AND e.start_day <= ?"
        extra.append(int(last))
    if first is not None:
        where = f"({where}) AND e.end_day >= ?"
        extra.append(int(first))
    return where, extra


def selection(
    store: EventStore,
    where: str = "1",
    params: Sequence[object] = (),
    first: float | None = None,
    last: float | None = None,
) -> Selection:
    """Count the matching events (touching the window [first, last] when given), with their span
    and the kinds and statuses among them (one pass over the covering index)."""
    clause, extra = _window_sql(where, first, last)
    rows = store.conn.execute(
        f"SELECT e.kind, e.status, count(*), min(e.start_day), max(e.end_day) "
        f"FROM events e WHERE {clause} GROUP BY e.kind, e.status",
        [*params, *extra],
    ).fetchall()
    if not rows:
        return Selection(0, None, None)
    return Selection(
        count=sum(r[2] for r in rows),
        first_day=min(r[3] for r in rows),
        last_day=max(r[4] for r in rows),
        kinds=frozenset(r[0] for r in rows),
        statuses=frozenset(r[1] for r in rows),
    )


def cited_sources(
    store: EventStore,
    where: str = "1",
    params: Sequence[object] = (),
    first: float | None = None,
    last: float | None = None,
) -> list[Source]:
    """The sources cited by the matching events touching [first, last]: by their quotes, and by
    their dates (the public record an external date was taken from)."""
    clause, extra = _window_sql(where, first, last)
    args = [*params, *extra]
    ids = {
        r[0]
        for r in store.conn.execute(
            f"SELECT DISTINCT q.source_id FROM events e JOIN quotes q ON q.event_id = e.id "
            f"WHERE ({clause}) "
            f"UNION SELECT DISTINCT e.date_source_id FROM events e "
            f"WHERE e.date_source_id IS NOT NULL AND ({clause})",
            args + args,
        )
    }
    sources = store.sources()
    return [sources[i] for i in sorted(ids) if i in sources]


@dataclass(frozen=True)
class Mark:
    """One event as the fallback timeline drawer needs it."""

    start_day: int
    end_day: int
    lane: str
    kind: str
    status: str
    title: str


def marks(
    store: EventStore,
    where: str = "1",
    params: Sequence[object] = (),
    first: float | None = None,
    last: float | None = None,
    lane_mode: str = "country",
    limit: int = 5000,
) -> tuple[list[Mark], bool]:
    """The matching events touching [first, last] in start order, at most `limit` of them.

    Returns:
        The marks and whether more events matched than were returned.
    """
    lane = "e.lane_country" if lane_mode == "country" else "e.lane_agency"
    clause, extra = _window_sql(where, first, last)
    rows = store.conn.execute(
        f"SELECT e.start_day, e.end_day, {lane}, e.kind, e.status, e.title FROM events e "
        f"WHERE {clause} ORDER BY e.start_day, e.id LIMIT ?",
        [*params, *extra, limit + 1],
    ).fetchall()
    return [Mark(*r) for r in rows[:limit]], len(rows) > limit


def lane_labels(store: EventStore, lane_mode: str = "country") -> dict[str, str]:
    """Lane key -> label: country names, or agency names."""
    if lane_mode == "country":
        return store.countries()
    return {a.key: a.name for a in store.actors().values()}


def lane_histogram(
    store: EventStore,
    where: str,
    params: Sequence[object],
    first: float,
    last: float,
    lane_mode: str = "country",
    bins: int = 200,
) -> dict[str, list[int]]:
    """Per lane, how many matching events start in each of `bins` equal slices of the window."""
    lane = "e.lane_country" if lane_mode == "country" else "e.lane_agency"
    clause, extra = _window_sql(where, first, last)
    width = max(last - first, 1.0) / bins
    out: dict[str, list[int]] = {}
    for key, b, n in store.conn.execute(
        f"SELECT {lane}, CAST((max(e.start_day, ?) - ?) / ? AS INTEGER) AS b, count(*) "
        f"FROM events e WHERE {clause} GROUP BY 1, 2",
        [first, first, width, *params, *extra],
    ):
        row = out.setdefault(key, [0] * bins)
        row[min(max(int(b), 0), bins - 1)] += n
    return out
