"""The imports of a user store: listed, and taken back one at a time.

Every import has a `provenance` row; `import_events` and `import_items` (schema 2) record what it
listed, event by event and entity by entity. Removing an import takes out, in one transaction,
everything only it brought: the events no other import lists (with their entities, countries,
issuers, quotes, relations and search rows), the entities it alone listed on events that another
import lists too, and then whatever nothing refers to any more (entities, sources, agencies,
countries). An event that another import also lists stays, and becomes what the remaining
imports say of it: their first line, title, summary, dating and target countries.

The curated store is never touched: `connect_writable` refuses it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from explorer.storage import densities
from explorer.storage.errors import StoreError
from explorer.storage.search_rows import write_search_rows
from explorer.storage.store import validate_file
from explorer.storage.userstore import USER_COUNTRIES, connect_writable, recover, upgrade

__all__ = ["ImportInfo", "RemovalResult", "list_imports", "remove_import"]


@dataclass(frozen=True)
class ImportInfo:
    """One import of a user store.

    Attributes:
        id: The provenance id (`explorer imports remove ID`).
        file: The imported file's absolute path at the time of the import.
        format: The --format it was read as (csl, ofac-sdn, opensanctions, csv, json).
        importer: The importer and layout, as provenance records it.
        sha256: The file's hash.
        imported_at: When, as ISO 8601 UTC.
        rows: Rows read from the file.
        events: Events it listed (made, or added entities to).
        entities: Distinct entities it listed.
    """

    id: int
    file: str
    format: str
    importer: str
    sha256: str
    imported_at: str
    rows: int
    events: int
    entities: int

    @property
    def name(self) -> str:
        """The file's name without its folder."""
        return self.file.replace("\\", "/").rsplit("/", 1)[-1]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "file": self.file,
            "format": self.format,
            "importer": self.importer,
            "sha256": self.sha256,
            "imported_at": self.imported_at,
            "rows": self.rows,
            "events": self.events,
            "entities": self.entities,
        }


@dataclass(frozen=True)
class RemovalResult:
    """What taking an import back did.

    Attributes:
        removed: The import, as it was listed.
        events_removed: Events that left the store (no other import listed them).
        entities_removed: Entities that left the store (no event lists them any more).
        events_kept: Events the import listed that stay, because another import lists them.
    """

    removed: ImportInfo
    events_removed: int
    entities_removed: int
    events_kept: int


_INFO = (
    "SELECT id, file, coalesce(format, ''), importer, sha256, coalesce(imported_at, ''), "
    "coalesce(rows, 0), coalesce(events, 0), coalesce(entities, 0) FROM provenance"
)


def _info(row: tuple[object, ...]) -> ImportInfo:
    return ImportInfo(
        id=int(str(row[0])),
        file=str(row[1]),
        format=str(row[2]),
        importer=str(row[3]),
        sha256=str(row[4]),
        imported_at=str(row[5]),
        rows=int(str(row[6])),
        events=int(str(row[7])),
        entities=int(str(row[8])),
    )


def _open(path: Path) -> None:
    """Validate and upgrade a user store before reading or changing its imports."""
    path = Path(path)
    recover(path)
    validate_file(path)
    upgrade(path)


def list_imports(path: Path) -> list[ImportInfo]:
    """The imports of a user store, oldest first.

    Raises:
        StoreError: the store is missing, not usable, or could not be upgraded.
    """
    _open(path)
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [_info(r) for r in conn.execute(f"{_INFO} ORDER BY id")]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: damaged ({exc})") from None
    finally:
        conn.close()


def remove_import(path: Path, import_id: int) -> RemovalResult:
    """Take one import back out of a user store, in one transaction.

    Args:
        path: The user store.
        import_id: The import's id, as `list_imports` gives it.

    Raises:
        StoreError: no import has this id, the store is the curated one, not usable, or busy;
            the store is left as it was.
    """
    _open(path)
    conn = connect_writable(Path(path))
    conn.isolation_level = None
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{path}: the store is busy (an import is writing to it); try again ({exc})"
            ) from None
        try:
            result = _remove(conn, Path(path), import_id)
            conn.execute("COMMIT")
            return result
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def _remove(conn: sqlite3.Connection, path: Path, pid: int) -> RemovalResult:
    row = conn.execute(f"{_INFO} WHERE id = ?", (pid,)).fetchone()
    if row is None:
        raise StoreError(f"{path}: no import has the id {pid} (explorer imports lists them)")
    info = _info(row)
    ex = conn.execute
    ex("DROP TABLE IF EXISTS temp.rm_events")
    ex("CREATE TEMP TABLE rm_events (event_id INTEGER PRIMARY KEY, shared INTEGER NOT NULL)")
    ex(
        "INSERT INTO temp.rm_events (event_id, shared) "
        "SELECT ie.event_id, EXISTS (SELECT 1 FROM import_events o "
        "  WHERE o.event_id = ie.event_id AND o.provenance_id != ie.provenance_id) "
        "FROM import_events ie WHERE ie.provenance_id = ?",
        (pid,),
    )
    # Entities this import listed: candidates to leave the store at the end.
    ex("DROP TABLE IF EXISTS temp.rm_items")
    ex("CREATE TEMP TABLE rm_items (item_id INTEGER PRIMARY KEY)")
    ex(
        "INSERT OR IGNORE INTO temp.rm_items (item_id) SELECT ii.item_id FROM temp.rm_events r "
        "JOIN import_items ii ON ii.event_id = r.event_id AND ii.provenance_id = ?",
        (pid,),
    )
    # Sources it brought: its file, and the citations it dated events by.
    sources = {
        int(r[0])
        for r in ex(
            "SELECT date_source_id FROM import_events "
            "WHERE provenance_id = ? AND date_source_id IS NOT NULL",
            (pid,),
        )
    }
    own_file = ex("SELECT id FROM sources WHERE key = ?", (f"file-{info.sha256[:16]}",)).fetchone()
    file_shared = (
        ex(
            "SELECT 1 FROM provenance WHERE sha256 = ? AND id != ? LIMIT 1", (info.sha256, pid)
        ).fetchone()
        is not None
    )
    if own_file is not None:
        sources.add(int(own_file[0]))
    actors = {
        int(r[0])
        for r in ex(
            "SELECT DISTINCT ea.actor_id FROM temp.rm_events r "
            "JOIN event_actors ea ON ea.event_id = r.event_id WHERE r.shared = 0"
        )
    }
    # 1. Events only this import listed, with everything attached to them.
    only = "SELECT event_id FROM temp.rm_events WHERE shared = 0"
    ex(f"DELETE FROM event_items WHERE event_id IN ({only})")
    ex(f"DELETE FROM event_actors WHERE event_id IN ({only})")
    ex(f"DELETE FROM event_countries WHERE event_id IN ({only})")
    ex(f"DELETE FROM quotes WHERE event_id IN ({only})")
    ex(f"DELETE FROM relations WHERE from_id IN ({only}) OR to_id IN ({only})")
    ex(f"DELETE FROM events_fts WHERE rowid IN ({only})")
    ex(f"DELETE FROM import_items WHERE event_id IN ({only})")
    ex(f"DELETE FROM import_events WHERE event_id IN ({only})")
    events_removed = ex(f"DELETE FROM events WHERE id IN ({only})").rowcount
    # 2. Events another import lists too: what only this import listed on them goes.
    shared = [int(r[0]) for r in ex("SELECT event_id FROM temp.rm_events WHERE shared = 1")]
    ex(
        "DELETE FROM event_items WHERE rowid IN (SELECT ei.rowid FROM temp.rm_events r "
        "JOIN import_items ii ON ii.event_id = r.event_id AND ii.provenance_id = ? "
        "JOIN event_items ei ON ei.event_id = ii.event_id AND ei.item_id = ii.item_id "
        "WHERE r.shared = 1 AND NOT EXISTS (SELECT 1 FROM import_items o "
        "  WHERE o.event_id = ii.event_id AND o.item_id = ii.item_id AND o.provenance_id != ?))",
        (pid, pid),
    )
    if own_file is not None and not file_shared:
        ex(
            "DELETE FROM quotes WHERE source_id = ? AND event_id IN "
            "(SELECT event_id FROM temp.rm_events WHERE shared = 1)",
            (int(own_file[0]),),
        )
    ex(
        "DELETE FROM import_items WHERE provenance_id = ? AND event_id IN "
        "(SELECT event_id FROM temp.rm_events WHERE shared = 1)",
        (pid,),
    )
    ex("DELETE FROM import_events WHERE provenance_id = ?", (pid,))
    for event_id in shared:
        _hand_over(conn, event_id)
    # 3. Whatever nothing refers to any more.
    entities_removed = ex(
        "DELETE FROM items WHERE id IN (SELECT item_id FROM temp.rm_items) "
        "AND NOT EXISTS (SELECT 1 FROM event_items ei WHERE ei.item_id = items.id)"
    ).rowcount
    for source_id in sorted(sources):
        if source_id == (own_file[0] if own_file else None) and file_shared:
            continue
        used = ex(
            "SELECT EXISTS (SELECT 1 FROM quotes WHERE source_id = ?) "
            "OR EXISTS (SELECT 1 FROM events WHERE date_source_id = ?) "
            "OR EXISTS (SELECT 1 FROM import_events WHERE date_source_id = ?)",
            (source_id, source_id, source_id),
        ).fetchone()[0]
        if not used:
            ex("DELETE FROM sources WHERE id = ?", (source_id,))
    for actor_id in sorted(actors):
        used = ex(
            "SELECT EXISTS (SELECT 1 FROM event_actors WHERE actor_id = ?) "
            "OR EXISTS (SELECT 1 FROM quotes WHERE speaker_id = ?) "
            "OR EXISTS (SELECT 1 FROM sources WHERE outlet_id = ?) "
            "OR EXISTS (SELECT 1 FROM actors WHERE parent_id = ?)",
            (actor_id, actor_id, actor_id, actor_id),
        ).fetchone()[0]
        if not used:
            ex("DELETE FROM actor_aliases WHERE actor_id = ?", (actor_id,))
            ex("DELETE FROM actors WHERE id = ?", (actor_id,))
    keep = tuple(code for code, _ in USER_COUNTRIES)
    ex(
        f"DELETE FROM countries WHERE code NOT IN ({','.join('?' * len(keep))}) "
        "AND NOT EXISTS (SELECT 1 FROM events WHERE lane_country = countries.code) "
        "AND NOT EXISTS (SELECT 1 FROM event_countries WHERE country = countries.code) "
        "AND NOT EXISTS (SELECT 1 FROM actors WHERE country = countries.code)",
        keep,
    )
    ex("DELETE FROM provenance WHERE id = ?", (pid,))
    if shared:
        write_search_rows(conn, shared)
    densities.rebuild(conn)
    total = ex("SELECT count(*) FROM events").fetchone()[0]
    ex("INSERT OR REPLACE INTO meta (key, value) VALUES ('events', ?)", (str(total),))
    ex("DROP TABLE temp.rm_events")
    ex("DROP TABLE temp.rm_items")
    return RemovalResult(info, events_removed, entities_removed, len(shared))


def _hand_over(conn: sqlite3.Connection, event_id: int) -> None:
    """An event that imports still list after one was removed: make it what they say of it.

    Its first remaining import owns it (line, summary, dating); its title is that import's with
    the count of entities the event now holds; its target countries are those the remaining
    imports give.
    """
    ex = conn.execute
    rows = ex(
        "SELECT provenance_id, line, title, summary, date_note, date_source_id, targets "
        "FROM import_events WHERE event_id = ? ORDER BY provenance_id",
        (event_id,),
    ).fetchall()
    if not rows:  # not reachable: the event is shared, so another import lists it
        return
    owner, line, title, summary, date_note, date_source, _ = rows[0]
    held = ex("SELECT count(*) FROM event_items WHERE event_id = ?", (event_id,)).fetchone()[0]
    if len(rows) > 1 and title:
        own = ex(
            "SELECT count(*) FROM import_items WHERE event_id = ? AND provenance_id = ?",
            (event_id, owner),
        ).fetchone()[0]
        title = recount(str(title), int(own), int(held))
    sets: list[str] = ["provenance_id = ?", "source_line = ?"]
    values: list[object] = [owner, line]
    for column, value in (
        ("title", title),
        ("summary", summary),
        ("date_note", date_note),
        ("date_source_id", date_source),
    ):
        if value is not None:
            sets.append(f"{column} = ?")
            values.append(value)
    ex(f"UPDATE events SET {', '.join(sets)} WHERE id = ?", (*values, event_id))
    targets = sorted({c for r in rows for c in str(r[6] or "").split(";") if c})
    ex("DELETE FROM event_countries WHERE event_id = ? AND role = 'target'", (event_id,))
    ex_many = conn.executemany
    ex_many(
        "INSERT OR IGNORE INTO event_countries (event_id, country, role) VALUES (?, ?, 'target')",
        [(event_id, code) for code in targets],
    )


def recount(title: str, old: int, new: int) -> str:
    """A listing title with its count of entities changed ("adds 28 entities" -> "adds 30
    entities"); unchanged when the count is not in it or the noun would change number."""
    if old == new or (old == 1) != (new == 1):
        return title
    return re.sub(rf"(?<![\d,]){old:,}(?![\d,])", f"{new:,}", title, count=1)
