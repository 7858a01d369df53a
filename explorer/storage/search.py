"""Full-text search over `events_fts`: titles, summaries, quotes, names and aliases, items.

The index uses FTS5's trigram tokenizer, so any part of a word of three characters or more is
found through the index, in any script: "expo" finds "export", "半导体" finds "半导体设备".
Chinese and Japanese searches are often one or two characters ("芯片", "軍"), which trigrams
cannot index; those words are looked for with a scan of the indexed text, in date order, which
stops as soon as a page of results is full.

Every word of the query is quoted before it reaches FTS5 and every value is a bound parameter,
so nothing a person types (quotes, `AND`, `NEAR(`, `*`, SQL) can make a query fail.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from explorer.domain.filters import (
    TEXT_COLUMNS,
    fts_match,
    like_pattern,
    match_spans,
    search_terms,
    short_terms,
    snippet,
)
from explorer.storage.library import Library, global_id

# The FTS5 table keeps its text in this ordinary table (columns c0..c4 in TEXT_COLUMNS order);
# scanning it directly is several times faster than a scan through the virtual table.
_CONTENT = "events_fts_content"


@dataclass(frozen=True)
class Hit:
    """One event found by a search.

    Attributes:
        id: The library id.
        title: The event's title.
        title_spans: Where the words occur in the title.
        column: The first searchable text that holds a word (`title`, `summary`, `quotes`,
            `names` or `items`).
        snippet: A short excerpt of that text around the first match.
        spans: Where the words occur in the snippet.
        start_day: The event's first day, for ordering across stores.
    """

    id: int
    title: str
    title_spans: tuple[tuple[int, int], ...]
    column: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    start_day: int


@dataclass(frozen=True)
class SearchResult:
    """The first hits of a search in date order, and whether there are more."""

    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    more: bool


def _short_sql(terms: Sequence[str], columns: Sequence[str]) -> tuple[str, list[str]]:
    parts: list[str] = []
    params: list[str] = []
    for term in terms:
        ors = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns)
        parts.append(f"({ors})")
        params += [like_pattern(term)] * len(columns)
    return " AND ".join(parts), params


def matching_rowids(
    conn: sqlite3.Connection, terms: Sequence[str], limit: int | None = None
) -> list[int]:
    """The ids of the events of one store that hold every term, in id order.

    Args:
        conn: A connection to the store.
        terms: The search words (see `search_terms`); none gives no ids.
        limit: At most this many ids (the first ones), or all.
    """
    if not terms:
        return []
    match = fts_match(terms)
    short = short_terms(terms)
    tail = "" if limit is None else f" LIMIT {int(limit)}"
    if match is not None:
        sql = "SELECT rowid FROM events_fts WHERE events_fts MATCH ?"
        params: list[object] = [match]
        if short:
            cond, more = _short_sql(short, TEXT_COLUMNS)
            sql += f" AND {cond}"
            params += more
        sql += " ORDER BY rowid" + tail
    else:
        content_cols = [f"c{i}" for i in range(len(TEXT_COLUMNS))]
        cond, more = _short_sql(short, content_cols)
        sql = f"SELECT id FROM {_CONTENT} WHERE {cond} ORDER BY id{tail}"
        params = list(more)
    return [int(r[0]) for r in conn.execute(sql, params)]


def iter_matching_rowids(conn: sqlite3.Connection, terms: Sequence[str]) -> Iterator[int]:
    """Like `matching_rowids` without a limit, streamed (for building masks of big results)."""
    if not terms:
        return
    match = fts_match(terms)
    short = short_terms(terms)
    if match is not None:
        sql = "SELECT rowid FROM events_fts WHERE events_fts MATCH ?"
        params: list[object] = [match]
        if short:
            cond, more = _short_sql(short, TEXT_COLUMNS)
            sql += f" AND {cond}"
            params += more
    else:
        cond, more = _short_sql(short, [f"c{i}" for i in range(len(TEXT_COLUMNS))])
        sql = f"SELECT id FROM {_CONTENT} WHERE {cond}"
        params = list(more)
    for (rowid,) in conn.execute(sql, params):
        yield int(rowid)


def _hits(
    conn: sqlite3.Connection, slot: int, ids: Sequence[int], terms: Sequence[str]
) -> list[Hit]:
    if not ids:
        return []
    ph = ",".join("?" * len(ids))
    texts = {
        int(r[0]): r[1:]
        for r in conn.execute(
            f"SELECT id, c0, c1, c2, c3, c4 FROM {_CONTENT} WHERE id IN ({ph})", list(ids)
        )
    }
    days = dict(conn.execute(f"SELECT id, start_day FROM events WHERE id IN ({ph})", list(ids)))
    out: list[Hit] = []
    for local in ids:
        cols = [c or "" for c in texts.get(local, ("",) * len(TEXT_COLUMNS))]
        title = cols[0]
        column, text = "title", title
        for name, value in zip(TEXT_COLUMNS, cols, strict=True):
            if match_spans(value, terms):
                column, text = name, value
                break
        snip, spans = snippet(text, terms)
        out.append(
            Hit(
                id=global_id(slot, local),
                title=title,
                title_spans=tuple(match_spans(title, terms)),
                column=column,
                snippet=snip,
                spans=tuple(spans),
                start_day=int(days.get(local, 0)),
            )
        )
    return out


def search(library: Library, text: str, limit: int = 100) -> SearchResult:
    """The first `limit` events that hold every word of `text`, in date order.

    Never raises for what a person may type: an empty or blank text gives no hits.
    """
    terms = search_terms(text)
    if not terms:
        return SearchResult((), (), False)
    per_store: list[list[Hit]] = []
    more = False
    for slot, store in enumerate(library.stores):
        ids = matching_rowids(store.conn, terms, limit + 1)
        if len(ids) > limit:
            more = True
            ids = ids[:limit]
        per_store.append(_hits(store.conn, slot, ids, terms))
    merged = list(heapq.merge(*per_store, key=lambda h: (h.start_day, h.id)))
    if len(merged) > limit:
        more = True
    return SearchResult(terms, tuple(merged[:limit]), more)
