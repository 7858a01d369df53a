"""The event store's tables, indexes and full-text index, versioned by PRAGMA user_version.

Made with sqlite-utils so that the store follows its conventions (`events_fts` for full text) and
opens cleanly in Datasette. `db/schema.sql` is this schema dumped as text for review; a test keeps
the two equal.

A schema change is a new SCHEMA_VERSION, the change made in `create` (for new stores) and a step
in MIGRATIONS that brings a store of the version before to it (for the user's store, which holds
imports and saved views nobody can rebuild). `migrate` runs the missing steps in one transaction;
the bundled store is rebuilt from `db/` instead. tests/storage/test_migrations.py opens a store
written by every earlier schema (kept as SQL text under tests/fixtures/userstore/).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from explorer.domain.dates import Basis, Precision
from explorer.domain.measures import MeasureKind, Phase
from explorer.domain.model import Kind, RelationKind, SourceGrade, Status
from explorer.storage.errors import StoreError

if TYPE_CHECKING:  # only to build a store; reading one (the app's start) never needs it
    import sqlite_utils

SCHEMA_VERSION = 3

# One vocabulary: the CHECK lists and every importer's checks come from the domain's enums.
KINDS = tuple(k.value for k in Kind)
STATUSES = tuple(s.value for s in Status)
PRECISIONS = tuple(p.value for p in Precision)
BASES = tuple(b.value for b in Basis)
RELATION_KINDS = tuple(r.value for r in RelationKind)
PHASES = tuple(p.value for p in Phase)  # in lifecycle order (filter_sql ranks them so)
MEASURE_KINDS = tuple(k.value for k in MeasureKind)
SOURCE_GRADES = tuple(g.value for g in SourceGrade)

# Tables every usable store has, checked when a store is opened.
REQUIRED_TABLES = (
    "meta",
    "countries",
    "actors",
    "actor_aliases",
    "sources",
    "events",
    "event_actors",
    "event_countries",
    "items",
    "event_items",
    "quotes",
    "relations",
    "provenance",
    "densities",
    "events_fts",
    "views",
)

# Tables a store written by the program needs besides (what an import brought, for taking it
# back): a store of an older schema lacks them until it is migrated, and can still be read.
IMPORT_TABLES = ("import_events", "import_items")

# Measures and their phases (schema 3). A store of an older schema that could not be upgraded
# (a read-only folder, a --db store built by an older version) has none of them: it is read
# as a store without measures (`EventStore.has_measures`).
MEASURE_TABLES = ("measures", "measure_issuers")


def has_measures(conn: sqlite3.Connection) -> bool:
    """Whether an open store has schema 3's measures (MEASURE_TABLES and the events' columns):
    a store of an older schema that could not be upgraded is read without them."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(events)")}
    tables = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
            MEASURE_TABLES,
        )
    }
    return "measure_id" in columns and len(tables) == len(MEASURE_TABLES)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# The events' columns of schema 3: in a new store's CREATE TABLE, added to an old one's.
_EVENT_MEASURE_COLUMNS = (
    "measure_id INTEGER REFERENCES measures(id)",
    f"phase TEXT CHECK (phase IN {_in(PHASES)})",
)


def create(db: sqlite_utils.Database) -> None:
    """Create every table, index and the full-text index in an empty database."""
    db.execute("PRAGMA foreign_keys = ON")
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("countries").create({"code": str, "name": str}, pk="code", not_null={"name"})
    db.table("actors").create(
        {
            "id": int,
            "key": str,
            "name": str,
            "kind": str,
            "country": str,
            "role": str,
            "parent_id": int,
            "note": str,
        },
        pk="id",
        not_null={"key", "name", "kind"},
        foreign_keys=[("parent_id", "actors", "id"), ("country", "countries", "code")],
    )
    db.table("actors").create_index(["key"], unique=True)
    db.table("actor_aliases").create(
        {"actor_id": int, "alias": str, "lang": str},
        pk=("actor_id", "alias"),
        foreign_keys=[("actor_id", "actors", "id")],
    )
    db.table("sources").create(
        {
            "id": int,
            "key": str,
            "title": str,
            "author": str,
            "outlet_id": int,
            "language": str,
            "published": str,
            "published_precision": str,
            "url": str,
            "translator": str,
            "retrieved": str,
            "text_file": str,
            "text_sha256": str,
            "note": str,
        },
        pk="id",
        not_null={"key", "title"},
        foreign_keys=[("outlet_id", "actors", "id")],
    )
    db.table("sources").create_index(["key"], unique=True)
    db.table("provenance").create(
        {
            "id": int,
            "file": str,
            "sha256": str,
            "importer": str,
            "rows": int,
            "imported_at": str,
            "format": str,
            "events": int,
            "entities": int,
        },
        pk="id",
        not_null={"file", "sha256", "importer"},
    )
    # Plain SQL for events: CHECK constraints keep bad kinds and dates out of the store itself.
    db.execute(
        f"""
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN {_in(KINDS)}),
            status TEXT NOT NULL CHECK (status IN {_in(STATUSES)}),
            start TEXT NOT NULL,
            "end" TEXT,
            start_day INTEGER NOT NULL,
            end_day INTEGER NOT NULL CHECK (end_day >= start_day),
            precision TEXT NOT NULL CHECK (precision IN {_in(PRECISIONS)}),
            end_precision TEXT CHECK (end_precision IN {_in(PRECISIONS)}),
            basis TEXT NOT NULL CHECK (basis IN {_in(BASES)}),
            date_note TEXT NOT NULL DEFAULT '',
            date_source_id INTEGER REFERENCES sources(id),
            lane_country TEXT NOT NULL REFERENCES countries(code),
            lane_agency TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT '',
            importance INTEGER NOT NULL DEFAULT 1,
            provenance_id INTEGER REFERENCES provenance(id),
            source_line INTEGER,
            {_EVENT_MEASURE_COLUMNS[0]},
            {_EVENT_MEASURE_COLUMNS[1]}
        )
        """
    )
    # Covering index for drawing a window: the timeline reads these columns and nothing else.
    db.execute(
        "CREATE INDEX idx_events_window ON events "
        "(start_day, end_day, lane_country, lane_agency, kind, status, id)"
    )
    db.execute("CREATE INDEX idx_events_end ON events (end_day)")
    # Spans longer than a month (periods, quarter- and year-precise dates) may begin long before
    # a window they touch; this small partial index finds them without walking every event in
    # between (storage/query.py keeps the WHERE term verbatim so SQLite can use it).
    db.execute(
        "CREATE INDEX idx_events_long ON events "
        "(start_day, end_day, lane_country, lane_agency, kind, status, id) "
        "WHERE end_day - start_day > 31"
    )
    # The same for sources that date events (an external record): few rows, a partial index.
    db.execute(
        "CREATE INDEX idx_events_date_source ON events (date_source_id) "
        "WHERE date_source_id IS NOT NULL"
    )
    db.table("event_actors").create(
        {"event_id": int, "actor_id": int, "role": str},
        pk=("event_id", "actor_id", "role"),
        foreign_keys=[("event_id", "events", "id"), ("actor_id", "actors", "id")],
    )
    db.table("event_actors").create_index(["actor_id"])
    db.table("event_countries").create(
        {"event_id": int, "country": str, "role": str},
        pk=("event_id", "country", "role"),
        foreign_keys=[("event_id", "events", "id"), ("country", "countries", "code")],
    )
    db.table("event_countries").create_index(["country"])
    db.table("items").create(
        {
            "id": int,
            "key": str,
            "name": str,
            "list_name": str,
            "tier": int,
            "note": str,
        },
        pk="id",
        not_null={"key", "name"},
    )
    db.table("items").create_index(["key"], unique=True)
    db.table("event_items").create(
        {"event_id": int, "item_id": int},
        pk=("event_id", "item_id"),
        foreign_keys=[("event_id", "events", "id"), ("item_id", "items", "id")],
    )
    db.table("event_items").create_index(["item_id"])
    db.table("quotes").create(
        {
            "id": int,
            "event_id": int,
            "source_id": int,
            "speaker_id": int,
            "text": str,
            "start_offset": int,
            "end_offset": int,
        },
        pk="id",
        not_null={"event_id", "source_id", "text"},
        foreign_keys=[
            ("event_id", "events", "id"),
            ("source_id", "sources", "id"),
            ("speaker_id", "actors", "id"),
        ],
    )
    db.table("quotes").create_index(["event_id"])
    # Exports list the sources the events in view cite: asked source by source ("is one of its
    # quotes in view?") through this index, instead of reading every event of a big store.
    db.table("quotes").create_index(["source_id"])
    db.table("relations").create(
        {"from_id": int, "to_id": int, "kind": str, "note": str},
        pk=("from_id", "to_id", "kind"),
        foreign_keys=[("from_id", "events", "id"), ("to_id", "events", "id")],
    )
    db.table("relations").create_index(["to_id"])
    # Events per lane and day, so a zoomed-out timeline reads thousands of counts, not a
    # million rows. lane_mode is 'country' or 'agency'.
    db.table("densities").create(
        {"lane_mode": str, "lane": str, "day": int, "count": int},
        pk=("lane_mode", "lane", "day"),
    )
    _create_import_tables(db.conn)
    _add_measures(db.conn)
    # Saved views live in the user store; the table exists in every store so that one schema
    # (and one version number) serves both.
    db.table("views").create(
        {"name": str, "token": str, "created": str, "updated": str},
        pk="name",
        not_null={"token"},
    )
    # One full-text row per event (rowid = events.id) with everything a student may search
    # for. Trigram finds CJK words by their parts and English words as they are typed.
    db.execute(
        "CREATE VIRTUAL TABLE events_fts USING fts5("
        "title, summary, quotes, names, items, tokenize='trigram')"
    )
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _create_import_tables(conn: sqlite3.Connection) -> None:
    """What each import brought, so that it can be taken back (`storage/imports.py`).

    `import_events`: one row per import and event it listed (an event several imports list has
    a row for each), with what that import alone says of it (first line, title, summary, date
    note and source, target countries), so that the event can be handed to the imports that
    remain when one is removed. `import_items`: one row per import, event and listed entity; its
    key starts with the event so that "does another import list this entity here?" is one
    look-up, and an import's own rows are found through its events.
    """
    conn.execute(
        """
        CREATE TABLE import_events (
            provenance_id INTEGER NOT NULL REFERENCES provenance(id),
            event_id INTEGER NOT NULL REFERENCES events(id),
            line INTEGER,
            title TEXT,
            summary TEXT,
            date_note TEXT,
            date_source_id INTEGER REFERENCES sources(id),
            targets TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (provenance_id, event_id)
        ) WITHOUT ROWID
        """
    )
    conn.execute("CREATE INDEX idx_import_events_event ON import_events (event_id)")
    conn.execute(
        """
        CREATE TABLE import_items (
            event_id INTEGER NOT NULL REFERENCES events(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            provenance_id INTEGER NOT NULL REFERENCES provenance(id),
            PRIMARY KEY (event_id, item_id, provenance_id)
        ) WITHOUT ROWID
        """
    )


def _add_measures(conn: sqlite3.Connection) -> None:
    """Measures with a lifecycle, and what says how well a source or a name is backed.

    `measures` (with `measure_issuers`) are rules, control lists, bans, listing programmes,
    proposals and laws; an event may be one of a measure's phases (`events.measure_id` and
    `events.phase`). `sources.quality` is the curators' grade of a source;
    `actor_aliases.source_id` names a cited source that writes the alias and `translated` says
    that it is our translation instead. The same statements make a new store and upgrade an
    old one (`_to_3`, which adds the events' columns first), so both end with the same columns.
    """
    conn.execute(
        f"""
        CREATE TABLE measures (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN {_in(MEASURE_KINDS)}),
            note TEXT NOT NULL DEFAULT ''
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE measure_issuers (
            measure_id INTEGER NOT NULL REFERENCES measures(id),
            actor_id INTEGER NOT NULL REFERENCES actors(id),
            PRIMARY KEY (measure_id, actor_id)
        )
        """
    )
    # A measure's phases, found by measure (few events have one: a small partial index).
    conn.execute(
        "CREATE INDEX idx_events_measure ON events (measure_id) WHERE measure_id IS NOT NULL"
    )
    conn.execute(
        f"ALTER TABLE sources ADD COLUMN quality TEXT CHECK (quality IN {_in(SOURCE_GRADES)})"
    )
    conn.execute("ALTER TABLE actor_aliases ADD COLUMN source_id INTEGER REFERENCES sources(id)")
    conn.execute(
        "ALTER TABLE actor_aliases ADD COLUMN translated INTEGER NOT NULL DEFAULT 0 "
        "CHECK (translated IN (0, 1))"
    )


def _to_3(conn: sqlite3.Connection) -> None:
    """Schema 2 -> 3: measures and their phases, source grades, how an alias is backed.

    Every existing row keeps its values: no event is a phase yet, no source is graded, no
    alias names its source or is marked translated.
    """
    for column in _EVENT_MEASURE_COLUMNS:
        conn.execute(f"ALTER TABLE events ADD COLUMN {column}")
    _add_measures(conn)


def _to_2(conn: sqlite3.Connection) -> None:
    """Schema 1 -> 2: what each import brought, and its format and counts.

    A schema-1 store did not record which import added an entity to an event an earlier import
    had made, so everything an event holds is counted as its first import's.
    """
    for column, kind in (("format", "TEXT"), ("events", "INTEGER"), ("entities", "INTEGER")):
        conn.execute(f"ALTER TABLE provenance ADD COLUMN {column} {kind}")
    conn.execute(
        "UPDATE provenance SET format = CASE WHEN instr(importer, ':') > 0 "
        "THEN substr(importer, 1, instr(importer, ':') - 1) ELSE importer END"
    )
    _create_import_tables(conn)
    conn.execute(
        """
        INSERT INTO import_events (provenance_id, event_id, line, title, summary, date_note,
                                   date_source_id, targets)
        SELECT e.provenance_id, e.id, e.source_line, e.title, e.summary, e.date_note,
               e.date_source_id,
               coalesce((SELECT group_concat(country, ';') FROM (
                   SELECT country FROM event_countries
                   WHERE event_id = e.id AND role = 'target' ORDER BY country)), '')
        FROM events e JOIN provenance p ON p.id = e.provenance_id
        """
    )
    conn.execute(
        "INSERT INTO import_items (event_id, item_id, provenance_id) "
        "SELECT ei.event_id, ei.item_id, e.provenance_id FROM event_items ei "
        "JOIN events e ON e.id = ei.event_id JOIN provenance p ON p.id = e.provenance_id "
        "ORDER BY ei.event_id, ei.item_id"
    )
    conn.execute(
        "UPDATE provenance SET "
        "events = (SELECT count(*) FROM import_events WHERE provenance_id = provenance.id), "
        "entities = (SELECT count(DISTINCT ii.item_id) FROM import_events ie "
        "  JOIN import_items ii ON ii.event_id = ie.event_id "
        "  AND ii.provenance_id = ie.provenance_id WHERE ie.provenance_id = provenance.id)"
    )


# Version reached -> the step that reaches it from the version before.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _to_2, 3: _to_3}


class MigrationError(StoreError):
    """A store whose schema could not be brought up to date (the reason in one line)."""


def migrate(conn: sqlite3.Connection) -> tuple[int, int]:
    """Bring an open, writable store up to SCHEMA_VERSION in one transaction.

    The version is read again under the write lock, so two processes opening the same old store
    at once migrate it once. A store of a newer schema is left alone (its reader refuses it).

    Returns:
        (version before, version after); equal when there was nothing to do.

    Raises:
        MigrationError: a step failed; the store is as it was.
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version >= SCHEMA_VERSION or version < 1:
        return version, version
    before = version
    level = conn.isolation_level
    conn.isolation_level = None  # the transaction is ours, DDL included
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise MigrationError(
                f"could not upgrade the store from schema {before} to {SCHEMA_VERSION} ({exc})"
            ) from exc
        try:
            version = before = int(conn.execute("PRAGMA user_version").fetchone()[0])
            while version < SCHEMA_VERSION:
                step = MIGRATIONS[version + 1]
                step(conn)
                version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise MigrationError(
                    f"could not upgrade the store from schema {before} to {SCHEMA_VERSION} ({exc})"
                ) from exc
            raise
    finally:
        conn.isolation_level = level
    return before, version


def schema_sql(conn: sqlite3.Connection) -> str:
    """The schema of an open store as SQL text, in a stable order (for db/schema.sql)."""
    rows = conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'events_fts_%' ORDER BY type DESC, name"
    ).fetchall()
    return ";\n\n".join(r[0].strip() for r in rows) + ";\n"
