"""Events as plain records (`explorer.domain.filters.EventRecord`), read from or written to a store.

The filter tests write random records into a real store file and check the store's answers
(SQL, facet bitsets, search) against the brute-force predicate over the same records; the
benchmark checks a sample the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from explorer.domain.dates import from_day_number
from explorer.domain.filters import EventRecord
from explorer.storage import densities, schema


def write_records(path: Path, records: Sequence[EventRecord]) -> None:
    """Create a store at `path` holding exactly these events (ids, values and search texts).

    Countries, issuing actors, items and measures are created as the records name them (a
    record's `measure` and `phase` make it that measure's phase); the full-text row of each
    event is its `texts`, as given.
    """
    conn = sqlite3.connect(path)
    try:
        schema.create(sqlite_utils.Database(conn))
        with conn:
            codes = sorted({c for r in records for c in (r.lane_country, *r.countries)})
            conn.executemany(
                "INSERT INTO countries (code, name) VALUES (?, ?)",
                [(c, f"Country {c}") for c in codes],
            )
            actors = sorted({a for r in records for a in r.issuers})
            actor_id = {a: n for n, a in enumerate(actors, start=1)}
            conn.executemany(
                "INSERT INTO actors (id, key, name, kind) VALUES (?, ?, ?, 'agency')",
                [(n, a, f"Agency {a}") for a, n in actor_id.items()],
            )
            items = sorted({i for r in records for i in r.items})
            item_id = {i: n for n, i in enumerate(items, start=1)}
            conn.executemany(
                "INSERT INTO items (id, key, name) VALUES (?, ?, ?)",
                [(n, i, f"Item {i}") for i, n in item_id.items()],
            )
            measures = sorted({r.measure for r in records if r.measure})
            measure_id = {m: n for n, m in enumerate(measures, start=1)}
            conn.executemany(
                "INSERT INTO measures (id, key, title, kind) VALUES (?, ?, ?, 'rule')",
                [(n, m, f"Measure {m}") for m, n in measure_id.items()],
            )
            for r in records:
                start = from_day_number(r.start_day).isoformat()
                end = from_day_number(r.end_day).isoformat() if r.end_day != r.start_day else None
                conn.execute(
                    'INSERT INTO events (id, key, title, summary, kind, status, start, "end", '
                    "start_day, end_day, precision, basis, lane_country, lane_agency, topic, "
                    "end_precision, measure_id, phase) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'day', 'stated', ?, ?, ?, ?, ?, ?)",
                    (
                        r.id,
                        f"e{r.id}",
                        r.texts[0],
                        r.texts[1],
                        r.kind,
                        r.status,
                        start,
                        end,
                        r.start_day,
                        r.end_day,
                        r.lane_country,
                        r.lane_agency,
                        r.topic,
                        "day" if end else None,
                        measure_id.get(r.measure),
                        r.phase or None,
                    ),
                )
                conn.executemany(
                    "INSERT INTO event_countries (event_id, country, role) VALUES (?, ?, 'target')",
                    [(r.id, c) for c in sorted(r.countries)],
                )
                conn.executemany(
                    "INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, 'issuer')",
                    [(r.id, actor_id[a]) for a in sorted(r.issuers)],
                )
                conn.executemany(
                    "INSERT INTO event_items (event_id, item_id) VALUES (?, ?)",
                    [(r.id, item_id[i]) for i in sorted(r.items)],
                )
                conn.execute(
                    "INSERT INTO events_fts (rowid, title, summary, quotes, names, items) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (r.id, *r.texts),
                )
            densities.rebuild(conn)
            conn.execute("INSERT INTO meta (key, value) VALUES ('origin', 'test')")
    finally:
        conn.close()


def read_records(conn: sqlite3.Connection) -> list[EventRecord]:
    """Every event of a store as a plain record, with its full-text row, in id order."""
    countries: dict[int, set[str]] = {}
    for eid, code in conn.execute("SELECT event_id, country FROM event_countries"):
        countries.setdefault(eid, set()).add(code)
    issuers: dict[int, set[str]] = {}
    for eid, key in conn.execute(
        "SELECT ea.event_id, a.key FROM event_actors ea JOIN actors a ON a.id = ea.actor_id "
        "WHERE ea.role = 'issuer'"
    ):
        issuers.setdefault(eid, set()).add(key)
    items: dict[int, set[str]] = {}
    for eid, key in conn.execute(
        "SELECT ei.event_id, i.key FROM event_items ei JOIN items i ON i.id = ei.item_id"
    ):
        items.setdefault(eid, set()).add(key)
    texts = {
        int(r[0]): tuple(x or "" for x in r[1:])
        for r in conn.execute("SELECT rowid, title, summary, quotes, names, items FROM events_fts")
    }
    phases: dict[int, tuple[str, str]] = {}
    if schema.has_measures(conn):
        phases = {
            int(r[0]): (str(r[1]), str(r[2] or ""))
            for r in conn.execute(
                "SELECT e.id, m.key, e.phase FROM events e JOIN measures m ON m.id = e.measure_id"
            )
        }
    return [
        EventRecord(
            id=r[0],
            kind=r[1],
            status=r[2],
            lane_country=r[3],
            lane_agency=r[4],
            topic=r[5] or "",
            start_day=r[6],
            end_day=r[7],
            countries=frozenset(countries.get(r[0], ())),
            issuers=frozenset(issuers.get(r[0], ())),
            items=frozenset(items.get(r[0], ())),
            texts=texts.get(r[0], ("", "", "", "", "")),
            measure=phases.get(r[0], ("", ""))[0],
            phase=phases.get(r[0], ("", ""))[1],
        )
        for r in conn.execute(
            "SELECT id, kind, status, lane_country, lane_agency, topic, start_day, end_day "
            "FROM events ORDER BY id"
        )
    ]
