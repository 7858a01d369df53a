"""The imported list files a set of events comes from, for a picture's list of sources.

An imported event cites its list file and, often, a record of its own (a Federal Register
notice, a listing page): a picture of a few hundred listings would list hundreds of such
records one by one. It cites each file once instead, with what that file covers among the
events shown: how many listings (events) and different entities, which lists, and how many
records of their own those listings cite. The tables (CSV, JSON, Markdown) keep every record.

Each import is traced through ``import_events`` (which file brought which event),
``import_items`` (which entities) and ``provenance`` (the file, its layout and import time).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from explorer.storage.library import SLOTS, Library

_CHUNK = 900  # ids per statement (SQLite's default limit on parameters is 999)


@dataclass(frozen=True)
class ListCitation:
    """One imported list file, with what it covers among the events asked about.

    Attributes:
        file: The file's name.
        url: The file as a URI (where it was read from).
        importer: The layout it was read as ("OFAC SDN (12 fields, no header)").
        imported: When it was imported (ISO text).
        listings: How many of the events it brought.
        entities: How many different entities those events list.
        lists: The lists those entities are on, by name (empty when the file names none).
        records: How many sources of their own (notices, listing pages) those events cite
            besides the file.
    """

    file: str
    url: str
    importer: str
    imported: str
    listings: int
    entities: int
    lists: tuple[str, ...]
    records: int


def list_citations(library: Library, ids: Sequence[int]) -> tuple[list[ListCitation], list[int]]:
    """The list files that the imported events among ``ids`` (library ids) come from.

    Args:
        library: The stores the events come from.
        ids: Library ids; the curated store's (slot 0) are left out.

    Returns:
        The files, by name, and the imported ids that no file is known for (a store without
        import records): their sources are to be cited one by one.
    """
    by_slot: dict[int, list[int]] = {}
    for gid in ids:
        slot = gid % SLOTS
        if 0 < slot < len(library.stores):
            by_slot.setdefault(slot, []).append(gid // SLOTS)
    out: list[ListCitation] = []
    untraced: list[int] = []
    for slot, local in by_slot.items():
        conn = library.stores[slot].conn
        if not _has_tables(conn):
            untraced.extend(i * SLOTS + slot for i in local)
            continue
        found, missing = _store_citations(conn, local)
        out.extend(found)
        untraced.extend(i * SLOTS + slot for i in missing)
    out.sort(key=lambda c: (c.file.casefold(), c.imported))
    return out, untraced


def _has_tables(conn: sqlite3.Connection) -> bool:
    names = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name IN ('import_events', 'import_items', 'provenance')"
        )
    }
    return len(names) == 3


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + _CHUNK]) for i in range(0, len(ids), _CHUNK)]


def _store_citations(
    conn: sqlite3.Connection, local: Sequence[int]
) -> tuple[list[ListCitation], list[int]]:
    events: dict[int, set[int]] = {}  # provenance -> events
    entities: dict[int, set[int]] = {}
    lists: dict[int, set[str]] = {}
    cited: dict[int, set[int]] = {}  # event -> sources it cites
    for part in _chunks(local):
        marks = ",".join("?" * len(part))
        for prov, event in conn.execute(
            f"SELECT provenance_id, event_id FROM import_events WHERE event_id IN ({marks})", part
        ):
            events.setdefault(int(prov), set()).add(int(event))
        for prov, item, name in conn.execute(
            "SELECT ii.provenance_id, ii.item_id, i.list_name FROM import_items ii "
            f"JOIN items i ON i.id = ii.item_id WHERE ii.event_id IN ({marks})",
            part,
        ):
            entities.setdefault(int(prov), set()).add(int(item))
            if name:
                lists.setdefault(int(prov), set()).add(str(name))
        for event, source in conn.execute(
            f"SELECT event_id, source_id FROM quotes WHERE event_id IN ({marks}) "
            f"UNION SELECT id, date_source_id FROM events WHERE id IN ({marks}) "
            "AND date_source_id IS NOT NULL",
            part + part,
        ):
            cited.setdefault(int(event), set()).add(int(source))
    traced = set().union(*events.values()) if events else set()
    out: list[ListCitation] = []
    for prov, evs in events.items():
        row = conn.execute(
            "SELECT file, sha256, importer, imported_at FROM provenance WHERE id = ?", (prov,)
        ).fetchone()
        if row is None:
            traced -= evs
            continue
        file, sha, importer, imported = row
        own = conn.execute(
            "SELECT id FROM sources WHERE key = ?", (f"file-{str(sha)[:16]}",)
        ).fetchone()
        records = set().union(*(cited.get(e, set()) for e in evs)) if evs else set()
        if own is not None:
            records.discard(int(own[0]))
        path = Path(str(file))
        out.append(
            ListCitation(
                file=path.name,
                url=path.as_uri() if path.is_absolute() else str(file),
                importer=_layout_words(str(importer or "")),
                imported=str(imported or ""),
                listings=len(evs),
                entities=len(entities.get(prov, ())),
                lists=tuple(sorted(lists.get(prov, ()), key=str.casefold)),
                records=len(records),
            )
        )
    return out, [i for i in local if i not in traced]


_COLUMNS = re.compile(r"\s*\([^()]*,[^()]*\)")


def _layout_words(importer: str) -> str:
    """The importer's words without its key and column lists: "ofac-sdn: OFAC SDN (12
    fields, no header), as of 2024-05-03" -> "OFAC SDN, as of 2024-05-03"."""
    key, sep, words = importer.partition(": ")
    words = words if sep and key and " " not in key else importer
    return _COLUMNS.sub("", words).strip()


def lists_of_sources(library: Library, slot: int, source_ids: Sequence[int]) -> list[ListCitation]:
    """The list files of an imported store (``slot``) that the given sources belong to: the
    file itself, or a record its events cite. For a window too full to read event by event;
    the counts of listings and entities are then left at 0 (unknown), ``records`` counts the
    sources that are not the file itself.

    Args:
        library: The stores.
        slot: An imported store's slot (> 0).
        source_ids: Ids of that store's sources.

    Returns:
        One citation per file, by name.
    """
    if not 0 < slot < len(library.stores) or not source_ids:
        return []
    conn = library.stores[slot].conn
    if not _has_tables(conn):
        return []
    files = {
        f"file-{str(sha)[:16]}": int(prov)
        for prov, sha in conn.execute("SELECT id, sha256 FROM provenance")
    }
    keys = dict(conn.execute("SELECT id, key FROM sources").fetchall())
    records: dict[int, set[int]] = {}
    for sid in source_ids:
        prov = files.get(str(keys.get(sid, "")))
        if prov is not None:
            records.setdefault(prov, set())
            continue
        row = conn.execute(
            "SELECT ie.provenance_id FROM import_events ie JOIN events e ON e.id = ie.event_id "
            "WHERE e.date_source_id = ? UNION SELECT ie.provenance_id FROM import_events ie "
            "JOIN quotes q ON q.event_id = ie.event_id WHERE q.source_id = ? LIMIT 1",
            (sid, sid),
        ).fetchone()
        if row is not None:
            records.setdefault(int(row[0]), set()).add(sid)
    out = []
    for prov, cited in records.items():
        file, importer, imported = conn.execute(
            "SELECT file, importer, imported_at FROM provenance WHERE id = ?", (prov,)
        ).fetchone()
        path = Path(str(file))
        out.append(
            ListCitation(
                file=path.name,
                url=path.as_uri() if path.is_absolute() else str(file),
                importer=_layout_words(str(importer or "")),
                imported=str(imported or ""),
                listings=0,
                entities=0,
                lists=(),
                records=len(cited),
            )
        )
    out.sort(key=lambda c: (c.file.casefold(), c.imported))
    return out
