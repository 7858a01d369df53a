"""EventStore: one SQLite store file, opened for reading, turned into domain values.

Each thread gets its own connection (SQLite connections are not shared across threads), so the
Qt layer can run queries in a QThreadPool while the GUI thread paints.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from explorer.domain.dates import Basis, PartialDate
from explorer.domain.measures import Measure, MeasureKind, MeasurePhase, Phase
from explorer.domain.model import (
    Actor,
    ActorKind,
    Alias,
    Event,
    EventRef,
    EventSummary,
    Item,
    Kind,
    Provenance,
    Quote,
    Relation,
    RelationKind,
    Source,
    SourceGrade,
    Status,
)
from explorer.storage import schema
from explorer.storage.errors import SchemaVersionError, StoreError, sqlite_code, sqlite_reason

_SQLITE_MAGIC = b"SQLite format 3\x00"


@functools.lru_cache(maxsize=65536)
def _date(text: str) -> PartialDate:
    """A stored date (events share their days: parsed once each)."""
    return PartialDate.parse(text)


# A stored value to its enum member by a dict look-up (calling an Enum is ten times slower).
_KINDS = {k.value: k for k in Kind}
_STATUSES = {s.value: s for s in Status}
_BASES = {b.value: b for b in Basis}
_PHASES = {p.value: p for p in Phase}
_GRADES = {g.value: g for g in SourceGrade}


def _relations(links: list[tuple[int, str, str, str, str]]) -> tuple[Relation, ...]:
    """An event's relations, outgoing first, each direction in date order."""
    links.sort(key=lambda t: (t[0], t[1]))
    return tuple(
        Relation(RelationKind(kind), EventRef(key, title, _date(start)), bool(incoming))
        for incoming, start, kind, key, title in links
    )


SUMMARY_COLUMNS = (
    'id, key, title, kind, status, start, "end", start_day, end_day, lane_country, lane_agency'
)


def summary_from_row(row: Sequence[Any]) -> EventSummary:
    """An EventSummary from a row of SUMMARY_COLUMNS."""
    return EventSummary(
        id=row[0],
        key=row[1],
        title=row[2],
        kind=Kind(row[3]),
        status=Status(row[4]),
        start=PartialDate.parse(row[5]),
        end=PartialDate.parse(row[6]) if row[6] else None,
        start_day=row[7],
        end_day=row[8],
        country=row[9],
        agency=row[10],
    )


def recover(store: Path) -> None:
    """Roll back what a killed write left behind (a hot journal beside the store).

    SQLite undoes an interrupted transaction the next time the file is opened for writing; a
    read-only open (as EventStore does) cannot, and reports the file as damaged. Opening it
    writable once here restores the store exactly as it was before the write began. Where
    the file cannot be written, the reader says so (`validate_file`).
    """
    journal = Path(f"{store}-journal")
    try:
        hot = store.is_file() and journal.is_file() and journal.stat().st_size > 0
    except OSError:
        return
    if hot and os.access(store, os.W_OK) and os.access(store.parent, os.W_OK):
        try:
            conn = sqlite3.connect(store, timeout=30)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return  # the reader will say what is wrong


def validate_file(path: Path) -> None:
    """Refuse a file that is not a usable store, with a one-line reason.

    Raises:
        StoreError: missing, empty, not SQLite, damaged, truncated, from a newer version of
            the program, or missing a table.
    """
    if not path.exists():
        raise StoreError(f"{path}: no such file")
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file")
    size = path.stat().st_size
    if size == 0:
        raise StoreError(f"{path}: the file is empty")
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path}: not an SQLite database")
    if len(header) < 100:
        raise StoreError(f"{path}: truncated (only {size} bytes)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if page_size and pages and size < page_size * pages:
        raise StoreError(f"{path}: truncated ({size} bytes, the header says {page_size * pages})")
    recover(path)
    try:
        conn = _connect_ro(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {_read_failure(path, exc)}") from None
    if version > schema.SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path}: made by a newer version of the program (schema {version}, "
            f"this one reads up to {schema.SCHEMA_VERSION}); please upgrade"
        )
    if version < 1:
        raise StoreError(f"{path}: not an event store (no schema version)")
    missing = [t for t in schema.REQUIRED_TABLES if t not in tables]
    if missing:
        raise StoreError(f"{path}: not a complete event store (missing table {missing[0]!r})")


def _read_failure(path: Path, exc: sqlite3.Error) -> str:
    """Why a store that looked whole could not be read, in words a user can act on."""
    journal = Path(f"{path}-journal")
    if journal.is_file() and journal.stat().st_size > 0:
        return (
            f"an interrupted write left {journal.name} beside it, and the store cannot be "
            "written here to roll it back: open it once where it can be written"
        )
    code = sqlite_code(exc)
    if code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or code is None:
        return f"damaged ({exc})"
    return f"{sqlite_reason(exc)} ({exc})"


def _is_wal(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            header = fh.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2 and header[19] == 2


def _connect_ro(path: Path) -> sqlite3.Connection:
    # mode=ro: the app never writes to a store it only reads (the bundled one above all).
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        # A WAL store in a folder we may not write: SQLite cannot make its -shm file there.
        # Nobody can be writing to it then (nor could we), so it is read as an unchanging
        # file, unless a write-ahead log holds data that only a writer could bring in.
        wal = Path(f"{path}-wal")
        if not _is_wal(path) or os.access(path.parent, os.W_OK):
            raise
        if wal.is_file() and wal.stat().st_size > 0:
            raise
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
    return conn


class EventStore:
    """A read-only view of one store file.

    Args:
        path: The store file; validated before use.

    Raises:
        StoreError: the file is not a usable store.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        validate_file(self.path)
        #: True while its rows have not been examined (storage/health.py): a large store
        #: opened by the app, examined in the background.
        self.unverified = False
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._actors: dict[int, Actor] | None = None
        self._sources: dict[int, Source] | None = None
        self._measures: dict[int, Measure] | None = None
        self._has_measures: bool | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect_ro(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append((threading.current_thread(), conn))
        return conn

    def close(self) -> None:
        """Close the store's connections.

        A connection of another live thread may be inside a statement right now, and closing
        it under that statement crashes SQLite: it is interrupted instead (the statement
        fails), and closed when that thread lets go of it.
        """
        me = threading.current_thread()
        with self._lock:
            for thread, conn in self._all:
                if thread is me or not thread.is_alive():
                    conn.close()
                else:
                    conn.interrupt()
            self._all.clear()
        self._local = threading.local()

    def refresh(self) -> None:
        """Forget cached actors, sources and measures, after the file gained rows (an import)."""
        self._actors = None
        self._sources = None
        self._measures = None
        self._has_measures = None

    @property
    def has_measures(self) -> bool:
        """Whether the store has schema 3's measures, source grades and alias sources (a store
        of an older schema that could not be upgraded has none, and is read without them)."""
        if self._has_measures is None:
            self._has_measures = schema.has_measures(self.conn)
        return self._has_measures

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- metadata

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall())

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def countries(self) -> dict[str, str]:
        """ISO code to name."""
        return dict(self.conn.execute("SELECT code, name FROM countries ORDER BY code"))

    def actors(self) -> dict[int, Actor]:
        if self._actors is None:
            aliases: dict[int, list[Alias]] = {}
            sql = (
                "SELECT al.actor_id, al.alias, al.lang, s.key, al.translated "
                "FROM actor_aliases al LEFT JOIN sources s ON s.id = al.source_id "
                "ORDER BY al.actor_id, al.alias"
                if self.has_measures
                else "SELECT actor_id, alias, lang, NULL, 0 FROM actor_aliases "
                "ORDER BY actor_id, alias"
            )
            for actor_id, alias, lang, source, translated in self.conn.execute(sql):
                aliases.setdefault(actor_id, []).append(
                    Alias(alias, lang or "", source or "", bool(translated))
                )
            self._actors = {
                r[0]: Actor(
                    key=r[1],
                    name=r[2],
                    kind=ActorKind(r[3]),
                    country=r[4],
                    role=r[5] or "",
                    aliases=tuple(aliases.get(r[0], ())),
                )
                for r in self.conn.execute(
                    "SELECT id, key, name, kind, country, role FROM actors ORDER BY id"
                )
            }
        return self._actors

    def actor_by_key(self, key: str) -> Actor | None:
        return next((a for a in self.actors().values() if a.key == key), None)

    def sources(self) -> dict[int, Source]:
        if self._sources is None:
            actors = self.actors()
            self._sources = {}
            quality = "quality" if self.has_measures else "NULL"
            for r in self.conn.execute(
                "SELECT id, key, title, author, outlet_id, language, published, url, "
                f"translator, retrieved, note, {quality} FROM sources ORDER BY id"
            ):
                outlet = actors.get(r[4]) if r[4] is not None else None
                self._sources[r[0]] = Source(
                    key=r[1],
                    title=r[2],
                    author=r[3] or "",
                    outlet=outlet.name if outlet else "",
                    language=r[5] or "",
                    published=PartialDate.parse(r[6]) if r[6] else None,
                    url=r[7] or "",
                    translator=r[8] or "",
                    retrieved=r[9] or "",
                    note=r[10] or "",
                    quality=_GRADES.get(r[11]) if r[11] is not None else None,
                )
        return self._sources

    def measures(self) -> dict[int, Measure]:
        """Every measure of the store with its issuers and phases, by its id (none in a store
        of an older schema)."""
        if self._measures is None:
            out: dict[int, Measure] = {}
            if self.has_measures:
                actors = self.actors()
                issuers: dict[int, list[Actor]] = {}
                for measure_id, actor_id in self.conn.execute(
                    "SELECT measure_id, actor_id FROM measure_issuers ORDER BY measure_id, rowid"
                ):
                    if actor_id in actors:
                        issuers.setdefault(measure_id, []).append(actors[actor_id])
                phases: dict[int, list[MeasurePhase]] = {}
                for measure_id, key, title, phase, start, end in self.conn.execute(
                    'SELECT measure_id, key, title, phase, start, "end" FROM events '
                    "WHERE measure_id IS NOT NULL AND phase IS NOT NULL ORDER BY id"
                ):
                    phases.setdefault(measure_id, []).append(
                        MeasurePhase(
                            _PHASES[phase],
                            _date(start),
                            _date(end) if end else None,
                            key,
                            title,
                        )
                    )
                for measure_id, key, title, kind, note in self.conn.execute(
                    "SELECT id, key, title, kind, note FROM measures ORDER BY id"
                ):
                    out[measure_id] = Measure(
                        key=key,
                        title=title,
                        kind=MeasureKind(kind),
                        issuers=tuple(issuers.get(measure_id, ())),
                        phases=tuple(phases.get(measure_id, ())),
                        note=note or "",
                    )
            self._measures = out
        return self._measures

    def measure_events(self) -> dict[int, list[int]]:
        """The ids of each measure's events (its phases), by measure id, in id order."""
        out: dict[int, list[int]] = {}
        if self.has_measures:
            for measure_id, event_id in self.conn.execute(
                "SELECT measure_id, id FROM events WHERE measure_id IS NOT NULL ORDER BY id"
            ):
                out.setdefault(measure_id, []).append(event_id)
        return out

    # ----------------------------------------------------------------- events

    def summaries(self) -> list[EventSummary]:
        """Every event, in date order."""
        rows = self.conn.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM events ORDER BY start_day, id"
        ).fetchall()
        return [summary_from_row(r) for r in rows]

    def summaries_by_id(self, ids: Iterable[int]) -> list[EventSummary]:
        """The named events, in date order."""
        ids = list(ids)
        out: list[EventSummary] = []
        for chunk in range(0, len(ids), 900):
            part = ids[chunk : chunk + 900]
            out.extend(
                summary_from_row(r)
                for r in self.conn.execute(
                    f"SELECT {SUMMARY_COLUMNS} FROM events "
                    f"WHERE id IN ({','.join('?' * len(part))})",
                    part,
                )
            )
        out.sort(key=lambda s: (s.start_day, s.id))
        return out

    def id_for_key(self, key: str) -> int | None:
        row = self.conn.execute("SELECT id FROM events WHERE key = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def event(self, event_id: int) -> Event:
        """Everything about one event.

        Raises:
            KeyError: no event has this id.
        """
        return next(iter(self.events((event_id,))))

    def events(
        self, ids: Sequence[int], chunk: int = 500, id_of: tuple[int, int] = (1, 0)
    ) -> Iterator[Event]:
        """Everything about the given events, in the order given, read `chunk` events at a time
        (one query per table and chunk: an export of a million events asks SQLite some
        fourteen thousand questions, not some seven million).

        Args:
            ids: The events' ids in this store.
            chunk: Events read per query.
            id_of: (scale, offset): an event's id is `scale * its id + offset` (the library's id
                of a local one); its own by default.

        Raises:
            KeyError: an id names no event (raised when the reader reaches its chunk).
        """
        for i in range(0, len(ids), chunk):
            yield from self._events(ids[i : i + chunk], id_of)

    def _events(self, part: Sequence[int], id_of: tuple[int, int]) -> list[Event]:
        c = self.conn
        scale, offset = id_of
        marks = ",".join("?" * len(part))
        measured = "measure_id, phase" if self.has_measures else "NULL, NULL"
        rows = {
            r[0]: r
            for r in c.execute(
                'SELECT id, key, title, summary, kind, status, start, "end", basis, date_note, '
                "date_source_id, lane_country, lane_agency, topic, importance, provenance_id, "
                f"source_line, {measured} FROM events WHERE id IN ({marks})",
                part,
            )
        }
        measures = self.measures() if any(r[17] is not None for r in rows.values()) else {}
        actors = self.actors()
        sources = self.sources()
        countries: dict[int, list[tuple[str, str]]] = {}
        for event_id, code, role in c.execute(
            f"SELECT event_id, country, role FROM event_countries WHERE event_id IN ({marks}) "
            "ORDER BY event_id, role = 'issuer' DESC, role, country",
            part,
        ):
            countries.setdefault(event_id, []).append((code, role))
        agencies: dict[int, list[tuple[Actor, str]]] = {}
        pairs: dict[tuple[int, str], tuple[Actor, str]] = {}  # events share their issuers
        for event_id, actor_id, role in c.execute(
            f"SELECT event_id, actor_id, role FROM event_actors WHERE event_id IN ({marks}) "
            "ORDER BY event_id, rowid",
            part,
        ):
            pair = pairs.get((actor_id, role))
            if pair is None:
                pair = pairs[actor_id, role] = (actors[actor_id], role)
            agencies.setdefault(event_id, []).append(pair)
        items: dict[int, list[Item]] = {}
        for r in c.execute(
            "SELECT ei.event_id, i.key, i.name, i.list_name, i.tier, i.note FROM event_items ei "
            f"JOIN items i ON i.id = ei.item_id WHERE ei.event_id IN ({marks}) "
            "ORDER BY ei.event_id, coalesce(i.tier, 99), i.id",
            part,
        ):
            items.setdefault(r[0], []).append(
                Item(key=r[1], name=r[2], list_name=r[3] or "", tier=r[4], note=r[5] or "")
            )
        quotes: dict[int, list[Quote]] = {}
        for r in c.execute(
            "SELECT event_id, text, source_id, speaker_id, start_offset, end_offset FROM quotes "
            f"WHERE event_id IN ({marks}) ORDER BY event_id, id",
            part,
        ):
            quotes.setdefault(r[0], []).append(
                Quote(
                    text=r[1],
                    source=sources[r[2]],
                    speaker=actors.get(r[3]) if r[3] is not None else None,
                    start=r[4],
                    end=r[5],
                )
            )
        linked: dict[int, list[tuple[int, str, str, str, str]]] = {}
        for event_id, incoming, kind, key, title, start in c.execute(
            "SELECT r.from_id, 0, r.kind, e.key, e.title, e.start FROM relations r "
            f"JOIN events e ON e.id = r.to_id WHERE r.from_id IN ({marks}) "
            "UNION ALL "
            "SELECT r.to_id, 1, r.kind, e.key, e.title, e.start FROM relations r "
            f"JOIN events e ON e.id = r.from_id WHERE r.to_id IN ({marks})",
            (*part, *part),
        ):
            linked.setdefault(event_id, []).append((incoming, start, kind, key, title))
        provenance: dict[int, tuple[str, str, str, str]] = {}
        wanted = sorted({r[15] for r in rows.values() if r[15] is not None})
        if wanted:
            for pid, file, sha, importer, at in c.execute(
                "SELECT id, file, sha256, importer, imported_at FROM provenance "
                f"WHERE id IN ({','.join('?' * len(wanted))})",
                wanted,
            ):
                provenance[pid] = (file, sha, importer, at or "")
        out: list[Event] = []
        none: tuple[()] = ()
        new = object.__new__
        for event_id in part:
            row = rows.get(event_id)
            if row is None:
                raise KeyError(event_id)
            prov = provenance.get(row[15]) if row[15] is not None else None
            links = linked.get(event_id)
            # Event's own __init__ costs a third of reading an event; its fields are set here
            # directly, all of them (a test holds this equal to Event(...)).
            event = new(Event)
            event.__dict__.update(
                id=row[0] * scale + offset,
                key=row[1],
                title=row[2],
                summary=row[3] or "",
                kind=_KINDS[row[4]],
                status=_STATUSES[row[5]],
                start=_date(row[6]),
                end=_date(row[7]) if row[7] else None,
                basis=_BASES[row[8]],
                date_note=row[9] or "",
                date_source=sources.get(row[10]) if row[10] is not None else None,
                country=row[11],
                agency=row[12],
                topic=row[13] or "",
                importance=row[14],
                countries=tuple(countries[event_id]) if event_id in countries else none,
                agencies=tuple(agencies[event_id]) if event_id in agencies else none,
                items=tuple(items[event_id]) if event_id in items else none,
                quotes=tuple(quotes[event_id]) if event_id in quotes else none,
                relations=_relations(links) if links else none,
                provenance=Provenance(*prov, row[16]) if prov is not None else None,
                extra={},
                measure=measures.get(row[17]) if row[17] is not None else None,
                phase=_PHASES.get(row[18]) if row[18] is not None else None,
            )
            out.append(event)
        return out

    def relation_pairs(self) -> list[tuple[int, int, str]]:
        """Every relation as (from id, to id, kind), for drawing arrows."""
        return [
            (int(a), int(b), str(k))
            for a, b, k in self.conn.execute("SELECT from_id, to_id, kind FROM relations")
        ]
