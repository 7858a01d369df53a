"""Row-level health of a store: every value the program cannot show, found before it is read.

A store is a file anyone can open with SQLite and change: a kind nobody knows, a date that is
no date, a day number out of range, an index dropped. The schema's CHECK constraints keep such
rows out of what our code writes, but not out of a file someone else wrote. This module finds
them with a few whole-table statements (each value checked once per distinct value, not once
per row), so that

- `explorer check` lists every one of them (one line each, naming the event or row);
- a store with any of them is refused in one line before an export reads it, and the app
  leaves it out (a user store) or refuses it (the main store) with that line, instead of
  failing half-way with a traceback.

The verdict for a file is kept in the index cache (by path, size and modification time), so a
store is examined once per version of the file, not at every start.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.domain.dates import DateError, PartialDate
from explorer.domain.model import ActorKind
from explorer.domain.timescale import MAX_DAY, MIN_DAY
from explorer.storage import index_cache, schema
from explorer.storage.errors import StoreError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a usable store.

    Attributes:
        where: The event key, or `table row id` for a row that belongs to no event, or `store`.
        message: What is wrong, in one line.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class BadRowsError(StoreError):
    """A store holding rows the program cannot show (the first problem and how many more)."""

    def __init__(self, path: object, problems: list[Problem], count: int | None = None) -> None:
        self.problems = problems
        more = (count if count is not None else len(problems)) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"{path}: {problems[0]}{tail}; explorer check --db {path} lists every one")


# Indexes the reading code names (INDEXED BY): without them a query fails, not just slows.
REQUIRED_INDEXES = ("idx_events_window", "idx_quotes_source_id", "idx_events_date_source")

_CACHE_KIND = "health"
# Bump when the checks change, so that a cached verdict is not trusted beyond them.
_VERSION = 3


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _quote(text: object, n: int = 40) -> str:
    s = str(text)
    return repr(s if len(s) <= n else s[:n] + "…")


def row_problems(conn: sqlite3.Connection) -> list[Problem]:
    """Every row-level problem of an open store that the program cannot handle.

    Raises:
        sqlite3.DatabaseError: the file is damaged beyond rows (the caller says so).
    """
    return list(_problems(conn))


def _problems(conn: sqlite3.Connection) -> Iterator[Problem]:
    yield from _indexes(conn)
    yield from _types(conn)
    yield from _event_ids(conn)
    yield from _dangling(conn)
    yield from _event_values(conn)
    yield from _event_dates(conn)
    yield from _actors(conn)
    yield from _sources(conn)
    yield from _links(conn)
    if schema.has_measures(conn):
        yield from _measures(conn)


def _indexes(conn: sqlite3.Connection) -> Iterator[Problem]:
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name in REQUIRED_INDEXES:
        if name not in have:
            yield Problem("store", f"the index {name} is missing (the store must be rebuilt)")


# The tables the program reads rows of, and how many bad rows of each are named at most.
_READ_TABLES = (
    "events",
    "actors",
    "actor_aliases",
    "sources",
    "quotes",
    "relations",
    "event_actors",
    "event_countries",
    "items",
    "event_items",
    "countries",
    "provenance",
    "measures",
    "measure_issuers",
)
_NAMED = 20
# Library ids pack a store's event id above two slot bits into 32 bits (storage/library.py and
# the event order's keys): an id outside this range cannot be shown.
MAX_EVENT_ID = 2**30


def _types(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Values of another type than their column's (text where a number belongs, a number, a
    real or bytes where text does), which SQLite's type affinity lets any tool store."""
    for table in _READ_TABLES:
        checks = []
        for _cid, column, declared, _notnull, _default, _pk in conn.execute(
            f"PRAGMA table_info({table})"
        ):
            kind = str(declared or "").upper()
            if "INT" in kind:
                allowed = "('integer', 'null')"
            elif "TEXT" in kind or "CHAR" in kind:
                allowed = "('text', 'null')"
            else:
                continue
            checks.append((column, allowed))
        if not checks:
            continue
        where = " OR ".join(f'typeof("{c}") NOT IN {a}' for c, a in checks)
        cols = ", ".join(f'typeof("{c}")' for c, _ in checks)
        for row in conn.execute(f"SELECT rowid, {cols} FROM {table} WHERE {where} LIMIT {_NAMED}"):
            for (column, allowed), kind in zip(checks, row[1:], strict=True):
                if kind not in allowed:
                    yield Problem(
                        f"{table} row {row[0]}",
                        f"{column} holds {kind} where {allowed.split(chr(39))[1]} belongs",
                    )


def _event_ids(conn: sqlite3.Connection) -> Iterator[Problem]:
    for event_id, key in conn.execute(
        "SELECT id, key FROM events WHERE id < 1 OR id >= ? ORDER BY id LIMIT ?",
        (MAX_EVENT_ID, _NAMED),
    ):
        yield Problem(str(key), f"id {event_id} is outside 1–{MAX_EVENT_ID - 1}")


def _dangling(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Rows of the link tables whose event is missing (the facet index places every link by
    its event)."""
    for table in ("event_actors", "event_countries", "event_items"):
        for rowid, event_id in conn.execute(
            f"SELECT t.rowid, t.event_id FROM {table} t WHERE NOT EXISTS "
            f"(SELECT 1 FROM events e WHERE e.id = t.event_id) LIMIT {_NAMED}"
        ):
            yield Problem(f"{table} row {rowid}", f"names event {event_id!r}, which is missing")


def _event_values(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Kinds, statuses, bases and precisions outside the vocabulary; missing text; day numbers
    that are not whole numbers in the range the timeline draws, or end before they start."""
    p = schema.PRECISIONS
    rows = conn.execute(
        f"""
        SELECT coalesce(key, '#' || id), kind, status, basis, precision, end_precision,
               title IS NULL, start IS NULL, lane_country IS NULL, lane_agency IS NULL,
               typeof(start_day), typeof(end_day), start_day, end_day, typeof(importance)
        FROM events
        WHERE coalesce(kind, '') NOT IN {_in(schema.KINDS)}
           OR coalesce(status, '') NOT IN {_in(schema.STATUSES)}
           OR coalesce(basis, '') NOT IN {_in(schema.BASES)}
           OR coalesce(precision, '') NOT IN {_in(p)}
           OR coalesce(end_precision, 'day') NOT IN {_in(p)}
           OR key IS NULL OR title IS NULL OR start IS NULL
           OR lane_country IS NULL OR lane_agency IS NULL
           OR typeof(start_day) != 'integer' OR typeof(end_day) != 'integer'
           OR start_day < ? OR end_day >= ? OR end_day < start_day
           OR typeof(importance) != 'integer'
        ORDER BY id
        """,
        (MIN_DAY, MAX_DAY),
    )
    for (
        key,
        kind,
        status,
        basis,
        precision,
        end_precision,
        no_title,
        no_start,
        no_country,
        no_agency,
        start_type,
        end_type,
        start_day,
        end_day,
        importance_type,
    ) in rows:
        for field, value, allowed in (
            ("kind", kind, schema.KINDS),
            ("status", status, schema.STATUSES),
            ("basis", basis, schema.BASES),
            ("precision", precision, p),
        ):
            if value not in allowed:
                yield Problem(key, f"{field} {_quote(value)} is not one of {', '.join(allowed)}")
        if end_precision is not None and end_precision not in p:
            yield Problem(
                key, f"end precision {_quote(end_precision)} is not one of {', '.join(p)}"
            )
        for missing, field in (
            (no_title, "title"),
            (no_start, "start"),
            (no_country, "lane_country"),
            (no_agency, "lane_agency"),
        ):
            if missing:
                yield Problem(key, f"{field} is empty (NULL)")
        if start_type != "integer" or end_type != "integer":
            yield Problem(
                key,
                f"start_day {_quote(start_day)} / end_day {_quote(end_day)} are not day numbers",
            )
        elif not (MIN_DAY <= start_day <= end_day < MAX_DAY):
            yield Problem(
                key,
                f"days {start_day}–{end_day} are outside 1900–2199 or end before they start",
            )
        if importance_type != "integer":
            yield Problem(key, "importance is not a whole number")


def _event_dates(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Start and end texts that are no partial ISO date (each distinct text parsed once)."""
    bad: dict[str, str] = {}
    for (text,) in conn.execute(
        'SELECT start FROM events WHERE start IS NOT NULL UNION SELECT "end" FROM events '
        'WHERE "end" IS NOT NULL'
    ):
        try:
            PartialDate.parse(str(text))
        except DateError as exc:
            bad[text] = str(exc)
    if not bad:
        return
    for key, start, end in conn.execute(
        "SELECT coalesce(key, '#' || id), start, \"end\" FROM events ORDER BY id"
    ):
        if start in bad:
            yield Problem(key, f"start: {bad[start]}")
        if end in bad:
            yield Problem(key, f"end: {bad[end]}")


def _actors(conn: sqlite3.Connection) -> Iterator[Problem]:
    kinds = tuple(k.value for k in ActorKind)
    for actor_id, key, kind, no_name in conn.execute(
        f"SELECT id, key, kind, name IS NULL FROM actors WHERE coalesce(kind, '') NOT IN "
        f"{_in(kinds)} OR name IS NULL OR key IS NULL ORDER BY id"
    ):
        where = f"actor {key if key is not None else actor_id}"
        if kind not in kinds:
            yield Problem(where, f"kind {_quote(kind)} is not one of {', '.join(kinds)}")
        if no_name or key is None:
            yield Problem(where, "has no name or key (NULL)")


def _sources(conn: sqlite3.Connection) -> Iterator[Problem]:
    for source_id, key, title, published in conn.execute(
        "SELECT id, key, title, published FROM sources ORDER BY id"
    ):
        where = f"source {key if key is not None else source_id}"
        if key is None or title is None:
            yield Problem(where, "has no key or title (NULL)")
        if published:
            try:
                PartialDate.parse(str(published))
            except DateError as exc:
                yield Problem(where, f"published: {exc}")


def _links(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Rows that point at a row the reading code looks up and does not find."""
    checks = (
        (
            "SELECT q.id, e.key FROM quotes q LEFT JOIN events e ON e.id = q.event_id "
            "WHERE q.text IS NULL OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = q.source_id) "
            "OR (q.speaker_id IS NOT NULL AND "
            "    NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = q.speaker_id)) ORDER BY q.id",
            "quote {0} has no text, or names a source or speaker that is missing",
        ),
        (
            "SELECT ea.rowid, e.key FROM event_actors ea LEFT JOIN events e ON e.id = ea.event_id "
            "WHERE NOT EXISTS (SELECT 1 FROM actors a WHERE a.id = ea.actor_id) ORDER BY ea.rowid",
            "event_actors row {0} names an actor that is missing",
        ),
        (
            "SELECT e.id, e.key FROM events e WHERE e.date_source_id IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = e.date_source_id) ORDER BY e.id",
            "event {0} is dated by a source that is missing",
        ),
        (
            "SELECT r.rowid, e.key FROM relations r LEFT JOIN events e ON e.id = r.from_id "
            f"WHERE coalesce(r.kind, '') NOT IN {_in(schema.RELATION_KINDS)} ORDER BY r.rowid",
            "relation {0} is of a kind nobody knows",
        ),
    )
    for sql, message in checks:
        for row_id, key in conn.execute(sql):
            yield Problem(key or "store", message.format(row_id))


def _measures(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Measures, phases, source grades and alias sources the program cannot show: a kind, a
    phase or a grade outside the vocabulary, a measure without key or title, a phase event of
    a measure that is missing."""
    kinds, phases, grades = schema.MEASURE_KINDS, schema.PHASES, schema.SOURCE_GRADES
    for measure_id, key, kind, no_title in conn.execute(
        f"SELECT id, key, kind, title IS NULL FROM measures WHERE coalesce(kind, '') NOT IN "
        f"{_in(kinds)} OR title IS NULL OR key IS NULL ORDER BY id LIMIT {_NAMED}"
    ):
        where = f"measure {key if key is not None else measure_id}"
        if kind not in kinds:
            yield Problem(where, f"kind {_quote(kind)} is not one of {', '.join(kinds)}")
        if no_title or key is None:
            yield Problem(where, "has no key or title (NULL)")
    for key, phase in conn.execute(
        f"SELECT coalesce(key, '#' || id), phase FROM events WHERE phase IS NOT NULL "
        f"AND phase NOT IN {_in(phases)} ORDER BY id LIMIT {_NAMED}"
    ):
        yield Problem(str(key), f"phase {_quote(phase)} is not one of {', '.join(phases)}")
    for key, measure_id in conn.execute(
        "SELECT coalesce(e.key, '#' || e.id), e.measure_id FROM events e "
        "WHERE e.measure_id IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM measures m WHERE m.id = e.measure_id) ORDER BY e.id LIMIT {_NAMED}"
    ):
        yield Problem(str(key), f"is a phase of measure {measure_id!r}, which is missing")
    for source_id, key, quality in conn.execute(
        f"SELECT id, key, quality FROM sources WHERE quality IS NOT NULL "
        f"AND quality NOT IN {_in(grades)} ORDER BY id LIMIT {_NAMED}"
    ):
        where = f"source {key if key is not None else source_id}"
        yield Problem(where, f"quality {_quote(quality)} is not one of {', '.join(grades)}")
    for rowid, measure_id in conn.execute(
        "SELECT mi.rowid, mi.measure_id FROM measure_issuers mi WHERE NOT EXISTS "
        "(SELECT 1 FROM measures m WHERE m.id = mi.measure_id) OR NOT EXISTS "
        f"(SELECT 1 FROM actors a WHERE a.id = mi.actor_id) ORDER BY mi.rowid LIMIT {_NAMED}"
    ):
        yield Problem(
            f"measure_issuers row {rowid}",
            f"names a measure ({measure_id!r}) or an actor that is missing",
        )


def is_cached(path: object) -> bool:
    """Whether this version of the store file was examined before (its verdict is cached)."""
    from pathlib import Path

    try:
        data = index_cache.load(Path(str(path)), _CACHE_KIND)
    except OSError:
        return False
    return data is not None and data.get("version") == _VERSION


def verify(conn: sqlite3.Connection, path: object, cache_path: object | None = None) -> None:
    """Refuse a store holding rows the program cannot show, in one line.

    Args:
        conn: A connection to the store.
        path: The store's path, for the message.
        cache_path: The file whose verdict may be kept in the index cache (None: not kept).

    Raises:
        BadRowsError: the store has such rows (the first, and how many more).
        StoreError: the file is damaged beyond its rows.
    """
    from pathlib import Path

    cached = None
    if cache_path is not None:
        cached = index_cache.load(Path(str(cache_path)), _CACHE_KIND)
    if cached is not None and cached.get("version") == _VERSION:
        problems = [Problem(str(w), str(m)) for w, m in cached.get("problems", [])]
        count = int(cached.get("count", len(problems)))
    else:
        try:
            problems = row_problems(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: damaged ({exc})") from None
        if cache_path is not None:
            index_cache.save(
                Path(str(cache_path)),
                _CACHE_KIND,
                {
                    "version": _VERSION,
                    "count": len(problems),
                    "problems": [[p.where, p.message] for p in problems[:50]],
                },
            )
        count = len(problems)
    if problems:
        raise BadRowsError(path, problems, count)
