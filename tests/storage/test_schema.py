"""The store schema: versioned, complete, reviewable as db/schema.sql, searchable in CJK."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from explorer.storage import schema

REPO = Path(__file__).resolve().parents[2]


def _fresh() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    schema.create(sqlite_utils.Database(conn))
    return conn


def test_db_schema_sql_is_the_schema_dumped_from_schema_py() -> None:
    text = (REPO / "db" / "schema.sql").read_text(encoding="utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("--"))
    assert f"-- PRAGMA user_version = {schema.SCHEMA_VERSION}\n" in text
    assert body == schema.schema_sql(_fresh()), (
        "db/schema.sql is stale: regenerate it from explorer.storage.schema.schema_sql"
    )


def test_a_new_store_has_every_required_table_and_the_schema_version() -> None:
    conn = _fresh()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(schema.REQUIRED_TABLES) <= tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_the_window_query_is_served_by_the_covering_index() -> None:
    plan = " ".join(
        str(r[3])
        for r in _fresh().execute(
            "EXPLAIN QUERY PLAN SELECT id, lane_country, kind, status FROM events "
            "WHERE start_day BETWEEN ? AND ? ORDER BY start_day",
            (0, 1),
        )
    )
    assert "COVERING INDEX idx_events_window" in plan


@pytest.mark.parametrize(
    ("column", "value"),
    [("kind", "rumour"), ("status", "maybe"), ("precision", "week"), ("basis", "guess")],
)
def test_the_store_itself_refuses_unknown_kinds_and_dates(column: str, value: str) -> None:
    conn = _fresh()
    conn.execute("INSERT INTO countries VALUES ('CN', 'China')")
    row = {
        "id": 1, "key": "k", "title": "t", "kind": "statement", "status": "reported",
        "start": "2024", "start_day": 1, "end_day": 2, "precision": "year", "basis": "stated",
        "lane_country": "CN", "lane_agency": "a",
    }  # fmt: skip
    row[column] = value
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            f"INSERT INTO events ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


@pytest.mark.parametrize("word", ["商务部", "MOFCOM", "ファン・グオビン", "bulletproof", "spacecr"])
def test_search_finds_names_aliases_and_items_in_every_script(mini_store: Path, word: str) -> None:
    conn = sqlite3.connect(f"{mini_store.as_uri()}?mode=ro", uri=True)
    hits = conn.execute(
        "SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", (f'"{word}"',)
    ).fetchone()[0]
    conn.close()
    assert hits >= 1
