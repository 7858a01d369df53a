"""The search row of an event, built one way for curated and imported events alike.

Each event has one row in `events_fts` (rowid = events.id): its title, its summary, its quotes,
the names of its actors and quoted speakers (with their aliases in every script and their parent
institutions' names, so that 中国工程院 finds what its academicians wrote) and its items (names
and notes, where imported entities keep their aliases; ordered by name, so an event gets the
same row whatever order its parts were stored in). `storage/build.py` fills it for the bundled
store, the importers for the events an import makes or changes, and taking an import back for
the events that stay.

An event's row holds its first ITEMS_PER_ROW items by name: a listing of 600,000 entities
would make a row of 45 MB, which FTS5's trigram index holds about four times over in memory
while it is written (180 MB for one row).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# Events per statement: well under SQLite's limit of bound parameters on every version.
_CHUNK = 500
# Items in one event's search row (far above any real list's listing; see the module notes).
ITEMS_PER_ROW = 20_000

_INSERT = (
    "INSERT INTO events_fts (rowid, title, summary, quotes, names, items) VALUES (?, ?, ?, ?, ?, ?)"
)


def actor_search_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Each actor's searchable names: its own and its aliases, then its parents' in turn."""
    own: dict[int, list[str]] = {}
    parent: dict[int, int | None] = {}
    for actor_id, name, parent_id in conn.execute("SELECT id, name, parent_id FROM actors"):
        own[actor_id] = [name]
        parent[actor_id] = parent_id
    for actor_id, alias in conn.execute("SELECT actor_id, alias FROM actor_aliases ORDER BY rowid"):
        if actor_id in own:
            own[actor_id].append(alias)
    out: dict[int, str] = {}
    for actor_id in own:
        words: list[str] = []
        seen: set[int] = set()
        node: int | None = actor_id
        while node is not None and node not in seen and node in own:
            seen.add(node)
            words.extend(own[node])
            node = parent[node]
        out[actor_id] = " ".join(dict.fromkeys(words))
    return out


_ROWS = f"""
    SELECT e.id, e.title, e.summary,
      (SELECT group_concat(q.text, ' ') FROM quotes q WHERE q.event_id = e.id),
      (SELECT group_concat(actor_id) FROM (
         SELECT actor_id FROM event_actors WHERE event_id = e.id
         UNION SELECT speaker_id FROM quotes
           WHERE event_id = e.id AND speaker_id IS NOT NULL)),
      (SELECT group_concat(t, ' ') FROM (
         SELECT i.name || ' ' || coalesce(i.note, '') AS t
         FROM event_items ei JOIN items i ON i.id = ei.item_id
         WHERE ei.event_id = e.id ORDER BY i.name, i.key LIMIT {ITEMS_PER_ROW}))
    FROM events e
"""


def search_rows(
    conn: sqlite3.Connection, event_ids: Iterable[int] | None = None
) -> Iterator[tuple[Any, ...]]:
    """The search row of each event (all, or those given), as (id, title, summary, quotes,
    names, items), in id order for all and in chunks of the given order otherwise."""
    names = actor_search_names(conn)

    def rows(sql: str, params: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        for event_id, title, summary, quotes, actor_ids, items in conn.execute(sql, params):
            ids = [int(a) for a in actor_ids.split(",")] if actor_ids else []
            who = [names[a] for a in ids if a in names]
            yield (
                event_id,
                title or "",
                summary or "",
                quotes or "",
                " ".join(who),
                items or "",
            )

    if event_ids is None:
        yield from rows(f"{_ROWS} ORDER BY e.id", ())
        return
    ids = list(event_ids)
    for i in range(0, len(ids), _CHUNK):
        part = ids[i : i + _CHUNK]
        yield from rows(f"{_ROWS} WHERE e.id IN ({','.join('?' * len(part))}) ORDER BY e.id", part)


def write_search_rows(conn: sqlite3.Connection, event_ids: Sequence[int] | None = None) -> None:
    """(Re)write the search rows of the given events, or of every event when None."""
    if event_ids is None:
        conn.execute("DELETE FROM events_fts")
        conn.executemany(_INSERT, search_rows(conn))
        return
    ids = list(event_ids)
    for i in range(0, len(ids), _CHUNK):
        part = ids[i : i + _CHUNK]
        conn.execute(f"DELETE FROM events_fts WHERE rowid IN ({','.join('?' * len(part))})", part)
        # streamed: the rows are read from tables the statement does not write
        conn.executemany(_INSERT, search_rows(conn, part))
