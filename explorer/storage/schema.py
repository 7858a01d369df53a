"""The event store's tables, indexes and full-text index, versioned by PRAGMA user_version.

Made with sqlite-utils so that the store follows its conventions (`events_fts` for full text) and
opens cleanly in Datasette. `db/schema.sql` is this schema dumped as text for review; a test keeps
the two equal.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only to build a store; reading one (the app's start) never needs it
    import sqlite_utils

SCHEMA_VERSION = 1

KINDS = (
    "announcement",
    "rule_in_force",
    "sanction_listing",
    "proposal",
    "statement",
    "statistic",
    "report",
)
STATUSES = ("proposed", "announced", "in_force", "revoked", "reported")
PRECISIONS = ("day", "month", "quarter", "year")
BASES = ("stated", "inferred", "external")
RELATION_KINDS = ("responds_to", "implements", "takes_effect", "amends", "reports_on", "cites")

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


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


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
            source_line INTEGER
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


def schema_sql(conn: sqlite3.Connection) -> str:
    """The schema of an open store as SQL text, in a stable order (for db/schema.sql)."""
    rows = conn.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND name NOT LIKE 'events_fts_%' ORDER BY type DESC, name"
    ).fetchall()
    return ";\n\n".join(r[0].strip() for r in rows) + ";\n"
