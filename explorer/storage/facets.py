"""Facet values with live counts, and the set of matching events, fast at a million events.

Counting "how many proposals would remain if I also picked China" with SQL means a GROUP BY over
up to a million rows for every facet at every click: hundreds of milliseconds. Instead each store
is read once into bitsets: one Python int per facet value with bit p set when the p-th event (in
date order) has that value. A filter is then a few ANDs and ORs of those ints and a count is
`int.bit_count()`, all running in C over 125 KB per million events: a full refresh of every
facet's counts takes a few milliseconds (bench/filters.py measures it).

The rules are those of `explorer.domain.filters` (same facet ORed, different facets ANDed, a
span touching the range is in it, every search word must be found); the tests hold the counts
against its brute-force predicate.

Reading a store of a million events into bitsets takes about a second; the Qt layer does it off
the GUI thread, once per store.
"""

from __future__ import annotations

import bisect
import sqlite3
import sys
import threading
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, count, islice, repeat
from operator import gt, sub
from typing import Any, TypeVar

from explorer.domain.filters import FACETS, FilterState
from explorer.domain.measures import stands_on
from explorer.domain.model import Kind, Status
from explorer.storage import index_cache
from explorer.storage import search as fts
from explorer.storage.library import SLOTS, Library, global_id, split_id
from explorer.storage.store import EventStore

_SEP = "\x1f"
_FLAG = bytes.maketrans(b"01", b"\x00\x01")
T = TypeVar("T")
_ZERO, _ONE = ord("0"), ord("1")
# Periods (events with an end after their start) are kept sorted by end, with a bitset of the
# first CHECKPOINT*k of them saved every CHECKPOINT, so "ends on or after day d" costs one
# saved bitset and at most CHECKPOINT bits set by hand.
CHECKPOINT = 2048


def _bits_from_positions(positions: Iterable[int], n: int) -> int:
    """A bitset of n bits with the given positions set (through a base-2 text: linear, in C)."""
    if n == 0:
        return 0
    digits = bytearray(b"0") * n
    # digits[n - 1 - p] = "1" for each p, with C iterators only: no bytecode per position.
    deque(map(digits.__setitem__, map(sub, repeat(n - 1), positions), repeat(_ONE)), maxlen=0)
    return int(digits, 2)


def _ints(hex_text: str | None) -> array[int]:
    """The integers SQLite wrote as `printf('%08x', ...)` one after another."""
    out = array("I")
    if hex_text:
        out.frombytes(bytes.fromhex(hex_text))
        if sys.byteorder == "little":
            out.byteswap()
    return out


def _distinct(conn: sqlite3.Connection, column: str) -> list[str]:
    """A column's distinct values, sorted (the position of each is its code)."""
    return sorted(str(r[0]) for r in conn.execute(f"SELECT DISTINCT {column} FROM events"))


def _codes_sql(i: int, names: Sequence[str]) -> str:
    """One byte per event as two hex digits: the index of column `c{i}`'s value in `names`
    (bound as parameters, in order)."""
    case = " ".join(f"WHEN ? THEN {k}" for k in range(len(names))) or "WHEN NULL THEN 0"
    return f"group_concat(printf('%02x', CASE c{i} {case} END), '')"


def _hex(expr: str) -> str:
    return f"group_concat(printf('%08x', {expr}), '')"


class StoreIndex:
    """The bitsets of one store.

    Args:
        conn: A connection to the store (read once, in the constructor).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        # One scan of the events table: the numbers come back as fixed-width hex and each text
        # column as one byte per event (its value's code), so Python creates no object per
        # event and a million events hold a few tens of megabytes of text at the most.
        columns = ("kind", "status", "lane_country", "lane_agency", "coalesce(topic, '')")
        names = {c: _distinct(conn, c) for c in columns}
        coded = [c for c in columns if len(names[c]) <= 255]
        row = conn.execute(
            f"SELECT {_hex('id')}, {_hex('start_day')}, {_hex('end_day')} "
            "FROM (SELECT id, start_day, end_day FROM events ORDER BY id)"
        ).fetchone()
        ids, starts, ends = _ints(row[0]), _ints(row[1]), _ints(row[2])
        del row
        codes: dict[str, bytes] = {}
        if coded:
            texts = conn.execute(
                "SELECT "
                + ", ".join(_codes_sql(i, names[c]) for i, c in enumerate(columns) if c in coded)
                + " FROM (SELECT "
                + ", ".join(f"{c} AS c{i}" for i, c in enumerate(columns))
                + " FROM events ORDER BY id)",
                [v for c in coded for v in names[c]],
            ).fetchone()
            codes = dict(zip(coded, (bytes.fromhex(t or "") for t in texts), strict=True))
            del texts
        n = len(ids)
        self.n = n
        order: list[int] | None = None
        if any(map(gt, starts, islice(starts, 1, None))):
            # Imported events may be stored out of date order; positions follow dates.
            order = sorted(range(n), key=lambda i: (starts[i], ids[i]))
            ids = array("I", [ids[i] for i in order])
            starts = array("I", [starts[i] for i in order])
            ends = array("I", [ends[i] for i in order])
        self.ids = ids
        self.starts = starts
        self.all = (1 << n) - 1
        self.first_id = ids[0] if n else 0
        # Ids are usually 1..n in date order: then a position is id - first and no table of
        # positions is needed.
        self.dense = order is None and (n == 0 or ids[-1] - ids[0] == n - 1)
        max_id = max(ids) if n else 0
        self.pos_of = array("i", [-1]) * (max_id + 1)
        if self.dense:
            self.pos_of[self.first_id :] = array("i", range(n))
        else:
            for p, i in enumerate(ids):
                self.pos_of[i] = p

        def single(column: str) -> dict[str, int]:
            if column not in codes:  # more values than a byte numbers: one text, split
                text = conn.execute(
                    f"SELECT group_concat(v, char(31)) "
                    f"FROM (SELECT {column} AS v FROM events ORDER BY id)"
                ).fetchone()[0]
                values = text.split(_SEP) if text and n else []
                if order is not None:
                    values = [values[i] for i in order]
                return self._single_valued(values)
            column_codes = codes.pop(column)
            if order is not None:
                column_codes = bytes(map(column_codes.__getitem__, order))
            return self._bits_of_codes(names[column], column_codes)

        self.bits: dict[str, dict[str, int]] = {
            "kinds": single("kind"),
            "statuses": single("status"),
        }
        self.lane_country = single("lane_country")
        self.lane_agency = single("lane_agency")
        self.bits["topics"] = single("coalesce(topic, '')")
        self.bits["topics"].pop("", None)  # no topic is not a topic to pick
        self.bits["countries"] = self._union(
            self.lane_country,
            self._multi(
                conn,
                f"SELECT country, {_hex('event_id')} FROM event_countries GROUP BY country",
            ),
        )
        self.bits["agencies"] = self._union(
            self.lane_agency,
            self._multi(
                conn,
                f"SELECT a.key, {_hex('ea.event_id')} FROM event_actors ea "
                "JOIN actors a ON a.id = ea.actor_id WHERE ea.role = 'issuer' GROUP BY a.key",
            ),
        )
        self.bits["items"] = self._multi(
            conn,
            f"SELECT i.key, {_hex('ei.event_id')} FROM event_items ei "
            "JOIN items i ON i.id = ei.item_id GROUP BY i.key",
        )
        self.base_counts = {
            f: {v: b.bit_count() for v, b in vals.items()} for f, vals in self.bits.items()
        }
        self._build_periods(ends)

    # ------------------------------------------------------------------ building

    def positions(self, local_ids: Iterable[int]) -> Iterator[int]:
        """The positions of local ids (unknown ids are skipped)."""
        if self.dense:
            first, n = self.first_id, self.n
            return (p for p in map(sub, local_ids, repeat(first)) if 0 <= p < n)
        pos_of, size = self.pos_of, len(self.pos_of)
        return (p for p in (pos_of[i] if 0 <= i < size else -1 for i in local_ids) if p >= 0)

    def _known_positions(self, ids: array[int]) -> Iterable[int]:
        # Ids read from the store's own tables: all known, so no per-id checks.
        if self.dense:
            return map(sub, ids, repeat(self.first_id))
        return map(self.pos_of.__getitem__, ids)

    def _bits_of_codes(self, names: Sequence[str], codes: bytes) -> dict[str, int]:
        """Each value's bitset from one byte per event (position order): the value's index in
        `names`; one C-speed translate + int() per value."""
        column = codes[::-1]
        out = {}
        for c, v in enumerate(names):
            table = bytearray(b"0") * 256
            table[c] = _ONE
            out[v] = int(column.translate(table), 2) if self.n else 0
        return out

    def _single_valued(self, values: list[str]) -> dict[str, int]:
        distinct = sorted(set(values))
        if len(distinct) <= 255:
            # One byte per event, then one C-speed translate + int() per value.
            code = {v: c for c, v in enumerate(distinct)}
            return self._bits_of_codes(distinct, bytes(map(code.__getitem__, values)))
        positions: dict[str, list[int]] = {}
        for p, v in enumerate(values):
            positions.setdefault(v, []).append(p)
        return {v: _bits_from_positions(ps, self.n) for v, ps in positions.items()}

    def _multi(self, conn: sqlite3.Connection, sql: str) -> dict[str, int]:
        out = {}
        for value, hex_ids in conn.execute(sql):
            if value is None or not hex_ids:
                continue
            out[str(value)] = _bits_from_positions(self._known_positions(_ints(hex_ids)), self.n)
        return out

    @staticmethod
    def _union(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
        out = dict(a)
        for v, bits in b.items():
            out[v] = out.get(v, 0) | bits
        return out

    def _build_periods(self, ends: array[int]) -> None:
        starts = self.starts
        periods = sorted(
            ((e, p) for p, (s, e) in enumerate(zip(starts, ends, strict=True)) if e > s),
            reverse=True,
        )
        self.period_ends_neg = array("i", [-e for e, _ in periods])  # ascending for bisect
        self.period_pos = array("i", [p for _, p in periods])
        self.checkpoints = [0]
        n = self.n
        digits = bytearray(b"0") * n
        for k in range(CHECKPOINT, len(periods) + 1, CHECKPOINT):
            chunk = self.period_pos[k - CHECKPOINT : k]
            deque(map(digits.__setitem__, map(sub, repeat(n - 1), chunk), repeat(_ONE)), maxlen=0)
            self.checkpoints.append(int(digits, 2))

    # ------------------------------------------------------------------ cache

    _ARRAYS = ("ids", "starts", "pos_of", "period_ends_neg", "period_pos")
    _PLAIN = ("n", "first_id", "dense", "bits", "lane_country", "lane_agency", "checkpoints")

    def to_data(self) -> dict[str, Any]:
        """The index as plain data (for `index_cache`)."""
        data: dict[str, Any] = {k: getattr(self, k) for k in self._PLAIN}
        data.update({k: index_cache.pack_array(getattr(self, k)) for k in self._ARRAYS})
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> StoreIndex:
        """An index from `to_data`'s output.

        Raises:
            KeyError, TypeError, ValueError: the data is not such an index.
        """
        self = cls.__new__(cls)
        for k in cls._PLAIN:
            setattr(self, k, data[k])
        for k in cls._ARRAYS:
            setattr(self, k, index_cache.unpack_array(data[k]))
        self.all = (1 << self.n) - 1
        self.base_counts = {
            f: {v: b.bit_count() for v, b in vals.items()} for f, vals in self.bits.items()
        }
        return self

    @classmethod
    def from_cache(cls, store: EventStore) -> StoreIndex | None:
        """The index of a store from the disk cache only: None when this exact file was never
        indexed (building it reads every event: seconds for a million)."""
        data = index_cache.load(store.path, "facets")
        if data is None:
            return None
        try:
            return cls.from_data(data)
        except (KeyError, TypeError, ValueError):
            return None

    @classmethod
    def for_store(cls, store: EventStore) -> StoreIndex:
        """The index of a store, from the disk cache when this exact file was indexed before."""
        data = index_cache.load(store.path, "facets")
        if data is not None:
            try:
                return cls.from_data(data)
            except (KeyError, TypeError, ValueError):
                pass
        index = cls(store.conn)
        index_cache.save(store.path, "facets", index.to_data())
        return index

    # ------------------------------------------------------------------ masks

    def facet_mask(self, facet: str, values: Sequence[str]) -> int:
        """Events with any of the values (0 when none of them occurs here)."""
        table = self.bits[facet]
        mask = 0
        for v in values:
            mask |= table.get(v, 0)
        return mask

    def range_mask(self, from_day: int | None, to_day: int | None) -> int:
        """Events whose span touches [from_day, to_day] (None: open)."""
        mask = self.all
        if to_day is not None:
            mask = (1 << bisect.bisect_right(self.starts, to_day)) - 1
        if from_day is not None:
            j = bisect.bisect_left(self.starts, from_day)
            later = self.all ^ ((1 << j) - 1)
            # Periods that started earlier but still run on `from_day`.
            count = bisect.bisect_right(self.period_ends_neg, -from_day)
            saved = count // CHECKPOINT
            extra = self.period_pos[saved * CHECKPOINT : count]
            running = self.checkpoints[saved] | (
                _bits_from_positions(extra, self.n) if len(extra) else 0
            )
            mask &= later | running
        return mask

    def ids_mask(self, local_ids: Iterable[int]) -> int:
        """The bitset of the given local ids (unknown ids are ignored)."""
        if self.dense:
            # Ids in date order: bit i of the ids' bitset is position i - first_id.
            ids = local_ids if isinstance(local_ids, array) else array("q", local_ids)
            if not ids or min(ids) >= 0:
                return self.id_bits_mask(fts.id_bits(ids))
        return _bits_from_positions(self.positions(local_ids), self.n)

    def id_bits_mask(self, bits: int) -> int:
        """The positions' bitset of a bitset of local ids (bit i set for id i)."""
        if self.dense:
            return (bits >> self.first_id) & self.all
        digits = format(bits, "b").encode("ascii")[::-1].translate(_FLAG)
        return _bits_from_positions(self.positions(compress(count(), digits)), self.n)


@dataclass(frozen=True)
class FacetCounts:
    """Every facet's values with how many events each would give under the other filters.

    Attributes:
        counts: Per facet, value -> count (values absent from every store are not listed).
        matching: How many events pass every filter ("N" of "N of M").
        total: How many events there are ("M").
    """

    counts: dict[str, dict[str, int]]
    matching: int
    total: int

    def text(self) -> str:
        """`37 of 120 events`."""
        return f"{self.matching:,} of {self.total:,} events"


@dataclass
class FilterResult:
    """The events passing a FilterState, as one bitset per store.

    Attributes:
        masks: Per store slot, the bitset of matching positions.
        count: How many events match.
        total: How many events there are.
    """

    masks: list[int]
    count: int
    total: int
    _indexes: list[StoreIndex] = field(repr=False, default_factory=list)
    _bytes: list[bytes | None] = field(repr=False, default_factory=list)

    def _mask_bytes(self, slot: int) -> bytes:
        if not self._bytes:
            self._bytes = [None] * len(self.masks)
        b = self._bytes[slot]
        if b is None:
            idx = self._indexes[slot]
            b = self.masks[slot].to_bytes((idx.n + 7) // 8 or 1, "little")
            self._bytes[slot] = b
        return b

    def __contains__(self, gid: object) -> bool:
        if not isinstance(gid, int):
            return False
        slot, local = split_id(gid)
        if slot >= len(self._indexes):
            return False
        idx = self._indexes[slot]
        if not 0 <= local < len(idx.pos_of):
            return False
        p = idx.pos_of[local]
        if p < 0:
            return False
        return bool(self._mask_bytes(slot)[p >> 3] >> (p & 7) & 1)

    def select(self, events: Sequence[T]) -> list[T]:
        """The items of a date-ordered list of every event (anything with `.id`) that match.

        When the list is exactly one store's events in date order (the usual library: the
        curated or generated store and an empty user store), the bitset picks them at C
        speed; otherwise each id is looked up.
        """
        stores = [(slot, idx) for slot, idx in enumerate(self._indexes) if idx.n]
        if len(stores) == 1 and len(events) == stores[0][1].n:
            slot, idx = stores[0]
            first, last = events[0], events[-1]
            if getattr(first, "id", None) == global_id(slot, idx.ids[0]) and getattr(
                last, "id", None
            ) == global_id(slot, idx.ids[-1]):
                mask = self.masks[slot]
                flags = format(mask, f"0{idx.n}b").encode("ascii")[::-1].translate(_FLAG)
                return list(compress(events, flags))
        return [e for e in events if getattr(e, "id", None) in self]

    def iter_ids(self) -> Iterator[int]:
        """The matching library ids, in date order within each store, store by store."""
        for slot, idx in enumerate(self._indexes):
            data = self._mask_bytes(slot)
            ids = idx.ids
            for byte_no, byte in enumerate(data):
                if byte:
                    base = byte_no * 8
                    for bit in range(8):
                        if byte >> bit & 1:
                            yield global_id(slot, ids[base + bit])

    def ids(self, limit: int | None = None) -> list[int]:
        """The matching library ids in date order (all stores merged), at most `limit`."""
        out: list[tuple[int, int]] = []
        for gid in self.iter_ids():
            slot, local = split_id(gid)
            idx = self._indexes[slot]
            out.append((idx.starts[idx.pos_of[local]], gid))
            if limit is not None and len(self._indexes) == 1 and len(out) >= limit:
                break
        out.sort()
        return [g for _, g in out[:limit]]


class FacetIndex:
    """Facets and filtering over every store of a Library.

    The bitsets of each store are built on first use (about a second per million events);
    after that `counts` and `result` take milliseconds. Safe to use from one worker thread
    at a time while the GUI thread does other things.

    Args:
        library: The stores.
        searcher: Finds the events of a search (default: one with short-word indexes).
        indexes: The bitsets of each store when already at hand (see `cached_facet_index`).
    """

    def __init__(
        self,
        library: Library,
        searcher: fts.Searcher | None = None,
        indexes: Sequence[StoreIndex] | None = None,
    ) -> None:
        self.library = library
        self.searcher = searcher or fts.Searcher(library)
        self._lock = threading.Lock()
        self._indexes: list[StoreIndex] | None = None if indexes is None else list(indexes)
        if self._indexes is not None and len(self._indexes) != len(library.stores):
            raise ValueError(f"{len(self._indexes)} indexes for {len(library.stores)} stores")
        self._search_cache: tuple[tuple[str, ...], list[int]] | None = None

    def indexes(self) -> list[StoreIndex]:
        """The bitsets of each store, built on first call."""
        with self._lock:
            if self._indexes is None:
                self._indexes = [StoreIndex.for_store(s) for s in self.library.stores]
            return self._indexes

    def total(self) -> int:
        return sum(i.n for i in self.indexes())

    def _search_masks(self, state: FilterState) -> list[int] | None:
        terms = state.search_terms()
        if not terms:
            return None
        with self._lock:
            cached = self._search_cache
        if cached is not None and cached[0] == terms:
            return cached[1]
        masks = [
            idx.id_bits_mask(self.searcher.id_bits(slot, terms))
            for slot, idx in enumerate(self.indexes())
        ]
        with self._lock:
            self._search_cache = (terms, masks)
        return masks

    def _constraint_masks(self, state: FilterState) -> list[dict[str, int]]:
        """Per store, the mask of each active filter: facets, `date_range`, `search`."""
        search = self._search_masks(state)
        out: list[dict[str, int]] = []
        for slot, idx in enumerate(self.indexes()):
            masks: dict[str, int] = {}
            for facet in FACETS:
                values = state.values(facet)
                if values:
                    masks[facet] = idx.facet_mask(facet, values)
            if state.from_day is not None or state.to_day is not None:
                masks["date_range"] = idx.range_mask(state.from_day, state.to_day)
            if state.in_force_on is not None:
                masks["in_force_on"] = self._standing_mask(slot, idx, state.in_force_on)
            if search is not None:
                masks["search"] = search[slot]
            out.append(masks)
        return out

    def _standing_mask(self, slot: int, idx: StoreIndex, day: date) -> int:
        """The events of the measures standing on `day` in one store (every phase of each):
        the store's few measures are judged by the domain's rule, their events made a mask."""
        store = self.library.stores[slot]
        measures = store.measures()
        if not measures:
            return 0
        events = store.measure_events()
        ids = [
            event_id
            for measure_id, measure in measures.items()
            if stands_on(measure, day)
            for event_id in events.get(measure_id, ())
        ]
        return idx.ids_mask(ids) if ids else 0

    def result(self, state: FilterState) -> FilterResult:
        """The events passing every filter."""
        indexes = self.indexes()
        per_store = self._constraint_masks(state)
        masks = []
        for idx, cons in zip(indexes, per_store, strict=True):
            m = idx.all
            for c in cons.values():
                m &= c
            masks.append(m)
        return FilterResult(
            masks=masks,
            count=sum(m.bit_count() for m in masks),
            total=sum(i.n for i in indexes),
            _indexes=indexes,
        )

    def counts(self, state: FilterState) -> FacetCounts:
        """Each facet's value counts under the other filters, and the N of M totals."""
        indexes = self.indexes()
        per_store = self._constraint_masks(state)
        counts: dict[str, dict[str, int]] = {f: {} for f in FACETS}
        matching = 0
        for idx, cons in zip(indexes, per_store, strict=True):
            everything = idx.all
            for c in cons.values():
                everything &= c
            matching += everything.bit_count()
            for facet in FACETS:
                others = [m for name, m in cons.items() if name != facet]
                target = counts[facet]
                if not others:
                    for v, c in idx.base_counts[facet].items():
                        target[v] = target.get(v, 0) + c
                    continue
                other = others[0]
                for m in others[1:]:
                    other &= m
                for v, bits in idx.bits[facet].items():
                    target[v] = target.get(v, 0) + (bits & other).bit_count()
        return FacetCounts(counts, matching, sum(i.n for i in indexes))


def cached_facet_index(library: Library, *, build_below: int = 20_000) -> FacetIndex | None:
    """A FacetIndex ready at once, or None: every store's bitsets come from the disk cache
    (written when the app or an earlier export indexed that exact file) or the store is small
    enough (fewer than `build_below` events) to index in a blink.

    One-off work such as a command-line export asks this rather than paying seconds to index
    a large store; without an index it falls back to SQL. Short search words are scanned for
    (no short-word index is built).
    """
    indexes: list[StoreIndex] = []
    for store in library.stores:
        idx = StoreIndex.from_cache(store)
        if idx is None:
            if store.count() >= build_below:
                return None
            idx = StoreIndex.for_store(store)
        indexes.append(idx)
    return FacetIndex(library, fts.Searcher(library, short_words=False), indexes)


# ---------------------------------------------------------------------- labels and values


def facet_labels(library: Library) -> dict[str, dict[str, str]]:
    """Display names of facet values: country names, agency and item names, kind labels."""
    labels: dict[str, dict[str, str]] = {f: {} for f in FACETS}
    labels["kinds"] = {k.value: k.label for k in Kind}
    labels["statuses"] = {s.value: s.label for s in Status}
    for store in library.stores:
        conn = store.conn
        for code, name in conn.execute("SELECT code, name FROM countries"):
            labels["countries"].setdefault(code, name)
        for key, name in conn.execute("SELECT key, name FROM actors"):
            labels["agencies"].setdefault(key, name)
        for key, name in conn.execute("SELECT key, name FROM items"):
            labels["items"].setdefault(key, name)
    return labels


def agency_aliases(library: Library) -> dict[str, list[str]]:
    """Each actor's aliases (other names and scripts: BIS, 商务部 ...) by actor key."""
    out: dict[str, list[str]] = {}
    for store in library.stores:
        for key, alias in store.conn.execute(
            "SELECT a.key, al.alias FROM actor_aliases al JOIN actors a ON a.id = al.actor_id "
            "ORDER BY a.key, al.alias"
        ):
            out.setdefault(key, []).append(alias)
    return out


def facet_values(library: Library, facets: Sequence[str] = FACETS) -> dict[str, list[str]]:
    """The values each facet can take in this library (those that occur in some event)."""
    out: dict[str, set[str]] = {f: set() for f in facets}
    queries = {
        "countries": "SELECT DISTINCT lane_country FROM events "
        "UNION SELECT DISTINCT country FROM event_countries",
        "agencies": "SELECT DISTINCT lane_agency FROM events UNION SELECT a.key FROM actors a "
        "WHERE EXISTS (SELECT 1 FROM event_actors ea WHERE ea.actor_id = a.id "
        "AND ea.role = 'issuer')",
        "kinds": "SELECT DISTINCT kind FROM events",
        "statuses": "SELECT DISTINCT status FROM events",
        "topics": "SELECT DISTINCT topic FROM events WHERE topic <> ''",
        "items": "SELECT i.key FROM items i WHERE EXISTS "
        "(SELECT 1 FROM event_items ei WHERE ei.item_id = i.id)",
    }
    for store in library.stores:
        for facet in facets:
            sql = queries[facet]
            out[facet].update(str(r[0]) for r in store.conn.execute(sql) if r[0] is not None)
    return {f: sorted(v) for f, v in out.items()}


__all__ = [
    "SLOTS",
    "FacetCounts",
    "FacetIndex",
    "FilterResult",
    "StoreIndex",
    "agency_aliases",
    "cached_facet_index",
    "facet_labels",
    "facet_values",
]
