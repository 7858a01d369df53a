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
import re
import sqlite3
import threading
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, filterfalse, repeat
from operator import add
from typing import Any

from explorer.domain.filters import TEXT_COLUMNS, TRIGRAM, match_spans, search_terms, snippet
from explorer.storage import index_cache
from explorer.storage.filter_sql import fts_match, fts_phrase, like_pattern, short_terms
from explorer.storage.library import Library, global_id
from explorer.storage.store import EventStore

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


_CONTENT_COLS = [f"c{i}" for i in range(len(TEXT_COLUMNS))]


_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Two-character words are looked up through trigrams "xy?" and "?xy" for every character ? of
# the text, when the text has few enough distinct characters to list them in one query.
MAX_ALPHABET = 300
MAX_SHORT_ROWS = 5000
# Stores with fewer events have their TextIndex built at once (well under a second).
BUILD_NOW = 50_000
SAMPLE_BLOCKS = 64


class ShortIndex:
    """What one- and two-character words need that trigrams cannot give.

    Trigrams cannot find "芯", "*" or "EU" through the index, and a scan that finds nothing
    reads every row (about a second per million events). This index, built in one pass over
    the indexed text, holds:

    * for each character (ASCII letters folded, as LIKE folds them) found in at most one event
      in sixteen, the events holding it: a word with such a character is checked only on
      those events, and a character that never occurs answers at once; the others are
      "common" and a scan finds a page of results for them quickly;
    * the text's alphabet: a two-character word "eu" is then found through the trigrams
      "eu?" and "?eu" for every character "?" of it, when the alphabet is small (Latin text);
    * the few events with a text of one or two characters, which hold no trigram at all.

    Args:
        conn: A connection to the store (read once, in the constructor).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        n = int(conn.execute(f"SELECT count(*) FROM {_CONTENT}").fetchone()[0])
        cap = max(256, n // 16)
        ids: dict[str, array[int]] = {}
        common: set[str] = set()
        alphabet: set[str] = set()
        sep = "\x1f"
        text_sql = " || char(31) || ".join(f"coalesce({c}, '')" for c in _CONTENT_COLS)
        for rowid, text in conn.execute(f"SELECT id, {text_sql} FROM {_CONTENT} ORDER BY id"):
            chars = set(text.translate(_FOLD))
            alphabet |= chars
            for ch in chars - common:
                found = ids.get(ch)
                if found is None:
                    found = ids[ch] = array("q")
                found.append(rowid)
                if len(found) > cap:
                    common.add(ch)
                    del ids[ch]
        ids.pop(sep, None)
        common.discard(sep)
        alphabet.discard(sep)
        short_cond = " OR ".join(f"length({c}) BETWEEN 1 AND 2" for c in _CONTENT_COLS)
        short_rows = [
            int(r[0])
            for r in conn.execute(
                f"SELECT id FROM {_CONTENT} WHERE {short_cond} "
                f"ORDER BY id LIMIT {MAX_SHORT_ROWS + 1}"
            )
        ]
        self.ids = ids
        self.common = common
        self.alphabet = "".join(sorted(alphabet))
        self.short_rows = short_rows

    def candidates(self, terms: Sequence[str]) -> list[int] | None:
        """The only events that may hold every term, in id order; None when any event may."""
        chosen: set[int] | None = None
        for term in terms:
            for ch in set(term.translate(_FOLD)):
                if ch in self.common:
                    continue
                found = self.ids.get(ch)
                if found is None:
                    return []  # the character occurs nowhere
                chosen = set(found) if chosen is None else chosen & set(found)
        return None if chosen is None else sorted(chosen)

    def expansion(self, terms: Sequence[str]) -> str | None:
        """A MATCH expression finding two-character terms through trigrams, or None.

        Only for ASCII terms: trigrams fold the case of every letter, LIKE only of ASCII ones.
        """
        if (
            not terms
            or any(len(t) != 2 or not t.isascii() for t in terms)
            or len(self.alphabet) > MAX_ALPHABET
            or len(self.short_rows) > MAX_SHORT_ROWS
        ):
            return None
        parts = []
        for term in terms:
            grams = {term + c for c in self.alphabet} | {c + term for c in self.alphabet}
            parts.append("(" + " OR ".join(fts_phrase(g) for g in sorted(grams)) + ")")
        return " AND ".join(parts)

    def to_data(self) -> dict[str, Any]:
        return {
            "ids": {ch: a.tobytes() for ch, a in self.ids.items()},
            "common": sorted(self.common),
            "alphabet": self.alphabet,
            "short_rows": self.short_rows,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ShortIndex:
        self = cls.__new__(cls)
        self.ids = {}
        for ch, raw in data["ids"].items():
            a = array("q")
            a.frombytes(raw)
            self.ids[str(ch)] = a
        self.common = set(data["common"])
        self.alphabet = str(data["alphabet"])
        self.short_rows = [int(x) for x in data["short_rows"]]
        return self

    @classmethod
    def for_store(cls, store: EventStore) -> ShortIndex:
        """The index of a store, from the disk cache when this exact file was indexed before."""
        data = index_cache.load(store.path, "short")
        if data is not None:
            try:
                return cls.from_data(data)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass
        index = cls(store.conn)
        index_cache.save(store.path, "short", index.to_data())
        return index


def id_bits(ids: Iterable[int]) -> int:
    """The bitset with bit i set for each id i (ids >= 0), built in C: one byte per id up to
    the largest, set through `map`, then read as a base-2 number (no big-int op per id)."""
    ids = ids if isinstance(ids, array) else array("q", ids)
    if not ids:
        return 0
    digits = bytearray(b"0") * (max(ids) + 1)
    deque(map(digits.__setitem__, ids, repeat(ord("1"))), maxlen=0)
    digits.reverse()
    return int(digits, 2)


# Rows of the text index are joined with this character (a token of its own); it is taken out
# of the text first, and a term holding it is looked up through FTS5.
_ROW = "\ue000"
_ROW_CODE = 255
_CHUNK_ROWS = 65536
_IDENT = bytes(range(256))


class TextIndex:
    """Exact "which events hold this word" for words of three characters or more, in ms.

    A word such as "controls" held by most of a million events costs FTS5 hundreds of
    milliseconds (six trigrams' position lists decoded for every event, then each id handed
    to Python). This index answers the same question from memory:

    * the most common tokens (whitespace-separated, lower-cased, in a sample of the events)
      each keep a bitset of the events holding them;
    * every other token stays in one long text, row after row (about ten bytes per event for
      the generated store), searched with `re` at C speed.

    A term without whitespace occurs in a text exactly when it occurs inside one of its
    tokens, so its events are the OR of the common tokens' bitsets that contain it and of the
    rows whose other tokens contain it: an exact answer, as the domain predicate defines it
    (case folded with `str.lower`, in any column). Terms with spaces (phrases) or shorter
    than a trigram are left to FTS5 and the short-word paths.

    Args:
        conn: A connection to the store (read in the constructor, chunk by chunk).
    """

    MAX_COMMON = 128

    def __init__(self, conn: sqlite3.Connection) -> None:
        text = " || ' ' || ".join(f"coalesce({c}, '')" for c in _CONTENT_COLS)
        text = f"replace({text}, char({ord(_ROW)}), ' ')"
        rows_n, first, last_id = conn.execute(
            f"SELECT count(*), min(id), max(id) FROM {_CONTENT}"
        ).fetchone()
        self.first = int(first or 0)
        self.rows = int(rows_n)
        # Only for ids without gaps (every store the app writes): a row is then id - first.
        self.contiguous = not rows_n or last_id - first == rows_n - 1
        self.common: dict[str, int] = {}
        self.rest = ""
        self.starts = array("q")
        if not self.contiguous or not rows_n:
            return
        # The common words, from blocks of rows spread over the store (ids are contiguous).
        counts: dict[str, int] = {}
        sampled = 0
        block = max(1, min(self.rows, 65536) // SAMPLE_BLOCKS)
        for b in range(SAMPLE_BLOCKS):
            lo = self.first + b * (self.rows - block) // max(1, SAMPLE_BLOCKS - 1)
            for (row_text,) in conn.execute(
                f"SELECT {text} FROM {_CONTENT} WHERE id BETWEEN ? AND ?", [lo, lo + block - 1]
            ):
                sampled += 1
                for tok in set(row_text.lower().split()):
                    counts[tok] = counts.get(tok, 0) + 1
        common = sorted((c, t) for t, c in counts.items() if c * 32 >= sampled and _ROW not in t)
        words = [t for _, t in common[-self.MAX_COMMON :]]
        codes = {t: k for k, t in enumerate(words, 1)}
        codes[_ROW] = _ROW_CODE
        bits = dict.fromkeys(words, 0)
        parts: list[str] = []
        sep = f" {_ROW} "
        done = 0
        while done < self.rows:
            rows = min(_CHUNK_ROWS, self.rows - done)
            (chunk,) = conn.execute(
                f"SELECT group_concat(t, ?) FROM (SELECT {text} AS t FROM {_CONTENT} "
                "WHERE id BETWEEN ? AND ? ORDER BY id)",
                [sep, self.first + done, self.first + done + rows - 1],
            ).fetchone()
            toks = (chunk or "").lower().split()
            # One byte per token: its common word's code, 255 between rows, 0 otherwise.
            flags = bytes(map(codes.get, toks, repeat(0)))
            for word, code in zip(words, range(1, len(words) + 1), strict=True):
                bits[word] |= self._rows_with(flags, code, rows) << done
            parts.append(" ".join(filterfalse(bits.__contains__, toks)))
            done += rows
        self.common = bits
        self.rest = sep.join(parts)
        lengths = map(len, self.rest.split(_ROW))
        self.starts = array("q", accumulate(map(add, lengths, repeat(1)), initial=0))
        self.starts.pop()
        assert len(self.starts) == self.rows, "one text per event"

    @staticmethod
    def _rows_with(flags: bytes, code: int, rows: int) -> int:
        """Bit r set when row r of a chunk holds the token numbered `code` (bytes ops in C)."""
        drop = bytes(b for b in range(256) if b not in (code, _ROW_CODE))
        table = bytearray(_IDENT)
        table[code] = 1
        marks = flags.translate(table, drop) + bytes([_ROW_CODE])  # 1s, and 255 after each row
        while b"\x01\x01" in marks:  # a word twice in one row
            marks = marks.replace(b"\x01\x01", b"\x01")
        digits = marks.replace(b"\x01\xff", b"1").replace(b"\xff", b"0")
        assert len(digits) == rows
        return int(digits[::-1], 2) if rows else 0

    @staticmethod
    def usable(term: str) -> bool:
        """Whether this index may answer the term: three characters or more (case folded, as
        FTS5 finds them) and no whitespace. Shorter words keep their own paths: mapping the
        many places a word like "#1" occurs back to rows costs more than those paths."""
        word = term.lower()
        return len(term) >= TRIGRAM and _ROW not in word and word.split() == [word]

    def term_bits(self, term: str) -> int | None:
        """The events holding the term, as a bitset over local ids; None when this index is
        not the quicker way (FTS5 answers a word no common token holds in milliseconds)."""
        if not self.contiguous or not self.usable(term):
            return None
        word = term.lower()
        rows = 0
        held = False
        for token, bits in self.common.items():
            if word in token:
                rows |= bits
                held = True
        if not held:
            return None
        offsets = [m.start() for m in re.finditer(re.escape(word), self.rest)]
        if offsets:
            found = map(bisect_right, repeat(self.starts), offsets)
            hit = bytearray(b"0") * self.rows
            deque(map(hit.__setitem__, map(add, found, repeat(-1)), repeat(ord("1"))), maxlen=0)
            hit.reverse()
            rows |= int(hit, 2)
        return rows << self.first

    def to_data(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "rows": self.rows,
            "contiguous": self.contiguous,
            "common": self.common,
            "rest": self.rest,
            "starts": index_cache.pack_array(self.starts),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TextIndex:
        self = cls.__new__(cls)
        self.first = int(data["first"])
        self.rows = int(data["rows"])
        self.contiguous = bool(data["contiguous"])
        self.common = {str(k): int(v) for k, v in data["common"].items()}
        self.rest = str(data["rest"])
        self.starts = index_cache.unpack_array(data["starts"])
        return self

    @classmethod
    def for_path(cls, path: Any, build: bool = True) -> TextIndex | None:
        """The index of the store file at `path`, from the disk cache when this exact file was
        indexed before; otherwise built (with a connection of its own) or None."""
        data = index_cache.load(path, "text")
        if data is not None:
            try:
                return cls.from_data(data)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass
        if not build:
            return None
        store = EventStore(path)
        try:
            index = cls(store.conn)
        finally:
            store.close()
        index_cache.save(path, "text", index.to_data())
        return index


def _rowid_query(
    terms: Sequence[str], short_index: ShortIndex | None
) -> tuple[str, list[object], list[int] | None]:
    """The SQL selecting matching ids (without ORDER/LIMIT), its parameters, and candidates."""
    match = fts_match(terms)
    short = short_terms(terms)
    if match is not None:
        sql = "SELECT rowid AS id FROM events_fts WHERE events_fts MATCH ?"
        params: list[object] = [match]
        if short:
            cond, more = _short_sql(short, TEXT_COLUMNS)
            sql += f" AND {cond}"
            params += more
        return sql, params, None
    cond, more = _short_sql(short, _CONTENT_COLS)
    candidates = short_index.candidates(short) if short_index is not None else None
    return f"SELECT id FROM {_CONTENT} WHERE {cond}", list(more), candidates


def _expanded(
    conn: sqlite3.Connection,
    terms: Sequence[str],
    short_index: ShortIndex | None,
    limit: int | None,
) -> list[int] | None:
    """Ids found through trigram expansions of two-character terms (None: not applicable)."""
    if short_index is None:
        return None
    short = short_terms(terms)
    expr = short_index.expansion(short)
    if expr is None or short_index.candidates(short) is not None:
        return None  # rare characters: the candidate path is cheaper
    long = fts_match(terms)
    full = expr if long is None else f"{long} AND {expr}"
    tail = "" if limit is None else f" LIMIT {int(limit)}"
    found = [
        int(r[0])
        for r in conn.execute(
            f"SELECT rowid FROM events_fts WHERE events_fts MATCH ? ORDER BY rowid{tail}", [full]
        )
    ]
    if short_index.short_rows:
        # Events with a text too short to hold a trigram: checked one by one.
        cond, params = _short_sql(short, _CONTENT_COLS)
        rows = short_index.short_rows
        ph = ",".join("?" * len(rows))
        sql = f"SELECT id FROM {_CONTENT} WHERE id IN ({ph}) AND {cond}"
        all_params: list[object] = [*rows, *params]
        if long is not None:
            sql += " AND id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)"
            all_params.append(long)
        extra = [int(r[0]) for r in conn.execute(sql, all_params)]
        found = sorted(set(found) | set(extra))
        if limit is not None:
            found = found[:limit]
    return found


def iter_matching_rowids(
    conn: sqlite3.Connection, terms: Sequence[str], short_index: ShortIndex | None = None
) -> Iterator[int]:
    """The ids of the events of one store that hold every term, in id order, streamed.

    Args:
        conn: A connection to the store.
        terms: The search words (see `search_terms`); none gives no ids.
        short_index: The store's ShortIndex, to look up short non-ASCII words without a scan.
    """
    if not terms:
        return
    expanded = _expanded(conn, terms, short_index, None)
    if expanded is not None:
        yield from expanded
        return
    sql, params, candidates = _rowid_query(terms, short_index)
    if candidates is None:
        for (rowid,) in conn.execute(sql + " ORDER BY id", params):
            yield int(rowid)
        return
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        ph = ",".join("?" * len(chunk))
        for (rowid,) in conn.execute(f"{sql} AND id IN ({ph}) ORDER BY id", [*params, *chunk]):
            yield int(rowid)


def matching_rowids(
    conn: sqlite3.Connection,
    terms: Sequence[str],
    limit: int | None = None,
    short_index: ShortIndex | None = None,
) -> list[int]:
    """Like `iter_matching_rowids`, at most `limit` ids (the first ones)."""
    if not terms:
        return []
    expanded = _expanded(conn, terms, short_index, limit)
    if expanded is not None:
        return expanded
    sql, params, candidates = _rowid_query(terms, short_index)
    if candidates is None:
        tail = "" if limit is None else f" LIMIT {int(limit)}"
        return [int(r[0]) for r in conn.execute(sql + " ORDER BY id" + tail, params)]
    out: list[int] = []
    for rowid in iter_matching_rowids(conn, terms, short_index):
        out.append(rowid)
        if limit is not None and len(out) >= limit:
            break
    return out


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


class Searcher:
    """Search over every store of a Library, with each store's ShortIndex built on first need.

    Args:
        library: The stores.
        short_words: Build and use the ShortIndex (seconds for a million events the first
            time, then read from the cache); False scans for short words instead.
    """

    def __init__(self, library: Library, short_words: bool = True) -> None:
        self.library = library
        self.short_words = short_words
        self._lock = threading.Lock()
        self._short: dict[int, ShortIndex] = {}
        self._text: dict[int, TextIndex | None] = {}
        self._building: dict[int, threading.Thread] = {}

    def short_index(self, slot: int) -> ShortIndex | None:
        """The ShortIndex of one store (None when short words are scanned)."""
        if not self.short_words:
            return None
        with self._lock:
            index = self._short.get(slot)
            if index is None:
                index = self._short[slot] = ShortIndex.for_store(self.library.stores[slot])
            return index

    def text_index(self, slot: int, wait: bool = False) -> TextIndex | None:
        """The TextIndex of one store, or None while it is being built.

        A store of fewer than BUILD_NOW events, or one indexed before (disk cache), has it at
        once. A larger one is indexed by a thread of its own (seconds at a million events, one
        time per store file) while searches go through FTS5; `wait` waits for it.
        """
        if not self.short_words:
            return None
        with self._lock:
            if slot in self._text:
                return self._text[slot]
            thread = self._building.get(slot)
            if thread is None:
                store = self.library.stores[slot]
                index = TextIndex.for_path(store.path, build=store.count() < BUILD_NOW)
                if index is not None:
                    self._text[slot] = index
                    return index
                thread = threading.Thread(
                    target=self._build_text, args=(slot, store.path), daemon=True
                )
                self._building[slot] = thread
                thread.start()
        if wait:
            thread.join()
            with self._lock:
                return self._text.get(slot)
        return None

    def _build_text(self, slot: int, path: Any) -> None:
        try:
            index: TextIndex | None = TextIndex.for_path(path)
        except (sqlite3.Error, OSError, AssertionError):
            index = None  # searches keep going through FTS5
        with self._lock:
            self._text[slot] = index
            self._building.pop(slot, None)

    def id_bits(self, slot: int, terms: Sequence[str]) -> int:
        """Every matching local id of one store as a bitset (bit i set for id i).

        Words of three characters or more without spaces come from the TextIndex when it is
        ready (milliseconds even for a word most events hold); the others (short words,
        phrases) from SQLite. Every term must be found: the bitsets are ANDed.
        """
        if not terms:
            return 0
        text = self.text_index(slot) if any(TextIndex.usable(t) for t in terms) else None
        bits: int | None = None
        rest: list[str] = []
        for term in terms:
            found = text.term_bits(term) if text is not None else None
            if found is None:
                rest.append(term)
                continue
            bits = found if bits is None else bits & found
            if not bits:
                return 0
        if rest:
            found = id_bits(self.rowid_array(slot, rest))
            bits = found if bits is None else bits & found
        return bits or 0

    def needs_index(self, terms: Sequence[str]) -> bool:
        """Whether these terms would use a ShortIndex (short words and no long one)."""
        return self.short_words and fts_match(terms) is None and bool(short_terms(terms))

    def iter_rowids(self, slot: int, terms: Sequence[str]) -> Iterator[int]:
        """Every matching local id of one store, in id order."""
        index = self.short_index(slot) if self.needs_index(terms) else None
        return iter_matching_rowids(self.library.stores[slot].conn, terms, index)

    def rowid_array(self, slot: int, terms: Sequence[str]) -> array[int]:
        """Every matching local id of one store, in id order, as an array (for bitsets).

        The ids come back from SQLite as one text, so Python makes no object per row.
        """
        index = self.short_index(slot) if self.needs_index(terms) else None
        conn = self.library.stores[slot].conn
        if not terms:
            return array("q")
        expanded = _expanded(conn, terms, index, None)
        if expanded is not None:
            return array("q", expanded)
        sql, params, candidates = _rowid_query(terms, index)
        if candidates is not None:
            return array("q", iter_matching_rowids(conn, terms, index))
        row = conn.execute(f"SELECT group_concat(id) FROM ({sql} ORDER BY id)", params).fetchone()
        text = row[0] if row else None
        return array("q", map(int, str(text).split(","))) if text else array("q")

    def search(self, text: str, limit: int = 100) -> SearchResult:
        """The first `limit` events that hold every word of `text`, in date order.

        Never raises for what a person may type: an empty or blank text gives no hits.
        """
        terms = search_terms(text)
        if not terms:
            return SearchResult((), (), False)
        per_store: list[list[Hit]] = []
        more = False
        for slot, store in enumerate(self.library.stores):
            index = self.short_index(slot) if self.needs_index(terms) else None
            ids = matching_rowids(store.conn, terms, limit + 1, index)
            if len(ids) > limit:
                more = True
                ids = ids[:limit]
            per_store.append(_hits(store.conn, slot, ids, terms))
        merged = list(heapq.merge(*per_store, key=lambda h: (h.start_day, h.id)))
        if len(merged) > limit:
            more = True
        return SearchResult(terms, tuple(merged[:limit]), more)


def search(library: Library, text: str, limit: int = 100) -> SearchResult:
    """`Searcher(library).search(text, limit)`, scanning for short words (no index built)."""
    return Searcher(library, short_words=False).search(text, limit)
