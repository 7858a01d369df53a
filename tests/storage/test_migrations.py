"""Stores survive upgrades: a user store written by each earlier schema (kept as SQL text under
tests/fixtures/userstore/) is opened by today's code and keeps every import, event and saved
view; the upgrade is one transaction, runs once, and a store that cannot be upgraded is still
read."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from explorer.storage import schema
from explorer.storage.imports import list_imports, remove_import
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import connect_writable, ensure_user_store, upgrade
from explorer.storage.views import ViewStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "userstore"


def _load(sql: Path, target: Path) -> Path:
    conn = sqlite3.connect(target)
    try:
        conn.executescript(sql.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return target


@pytest.fixture
def v1_store(tmp_path: Path) -> Path:
    return _load(FIXTURES / "v1.sql", tmp_path / "user.sqlite")


@pytest.fixture
def v2_store(tmp_path: Path) -> Path:
    return _load(FIXTURES / "v2.sql", tmp_path / "user.sqlite")


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'events_fts_%' "
            "ORDER BY name"
        )
    ]
    return {
        t: [(c[1], c[2], c[3], c[5]) for c in conn.execute(f"PRAGMA table_info({t!r})")]
        for t in tables
    }


def test_every_schema_has_a_fixture_and_a_migration() -> None:
    for version in range(1, schema.SCHEMA_VERSION):
        assert (FIXTURES / f"v{version}.sql").is_file(), f"keep a store of schema {version}"
        assert version + 1 in schema.MIGRATIONS


def test_a_schema_1_store_opens_with_every_import_event_and_view(v1_store: Path) -> None:
    events = _rows(v1_store, "SELECT id, key, title, start, provenance_id FROM events ORDER BY id")
    views = _rows(v1_store, "SELECT name, token FROM views ORDER BY name")
    provenance = _rows(v1_store, "SELECT id, file, sha256, importer FROM provenance ORDER BY id")
    items = _rows(v1_store, "SELECT event_id, item_id FROM event_items ORDER BY 1, 2")
    assert len(events) == 10 and len(views) == 2 and len(provenance) == 3

    assert ensure_user_store(v1_store) == v1_store  # what the app and every command do

    assert _rows(v1_store, "PRAGMA user_version") == [(schema.SCHEMA_VERSION,)]
    query = "SELECT id, key, title, start, provenance_id FROM events ORDER BY id"
    assert _rows(v1_store, query) == events
    assert _rows(v1_store, "SELECT name, token FROM views ORDER BY name") == views
    assert _rows(v1_store, "SELECT event_id, item_id FROM event_items ORDER BY 1, 2") == items
    # the new schema's tables and columns are those of a store made today
    fresh = sqlite3.connect(":memory:")
    schema.create(sqlite_utils.Database(fresh))
    upgraded = sqlite3.connect(v1_store)
    try:
        assert sorted(_columns(upgraded)) == sorted(_columns(fresh))
        for table, cols in _columns(fresh).items():
            assert sorted(_columns(upgraded)[table]) == sorted(cols), table
        assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []
        assert upgraded.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        upgraded.close()
        fresh.close()
    # the imports are listed with their format and counts, and can be taken back
    infos = list_imports(v1_store)
    assert [(i.id, i.format) for i in infos] == [
        (1, "opensanctions"),
        (2, "csl"),
        (3, "ofac-sdn"),
    ]
    assert sum(i.events for i in infos) == len(events)
    assert all(i.entities > 0 for i in infos)
    assert ViewStore(v1_store).names() == sorted(n for n, _ in views)
    lib = Library([EventStore(v1_store)])
    try:
        assert lib.count() == 10
    finally:
        lib.close()
    result = remove_import(v1_store, 2)
    assert result.events_removed == infos[1].events
    assert _rows(v1_store, "SELECT count(*) FROM events") == [(10 - infos[1].events,)]


def test_the_upgrade_runs_once_and_is_a_no_op_after(v1_store: Path) -> None:
    assert upgrade(v1_store) == (1, schema.SCHEMA_VERSION)
    digest = hashlib.sha256(v1_store.read_bytes()).hexdigest()
    assert upgrade(v1_store) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    conn = connect_writable(v1_store)
    conn.close()
    assert hashlib.sha256(v1_store.read_bytes()).hexdigest() == digest


def test_a_failed_step_leaves_the_store_as_it_was(
    v1_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = v1_store.read_bytes()

    def broken(conn: sqlite3.Connection) -> None:
        schema._to_2(conn)
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setitem(schema.MIGRATIONS, 2, broken)
    with pytest.raises(schema.MigrationError, match=r"user\.sqlite: could not upgrade"):
        upgrade(v1_store)
    assert v1_store.read_bytes() == before
    assert _rows(v1_store, "PRAGMA user_version") == [(1,)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_a_store_that_cannot_be_upgraded_is_still_read(v1_store: Path) -> None:
    v1_store.chmod(0o444)
    try:
        with pytest.raises(schema.MigrationError):
            upgrade(v1_store)
        lib = Library([EventStore(v1_store)])
        try:
            assert lib.count() == 10
        finally:
            lib.close()
    finally:
        v1_store.chmod(0o644)


def test_the_app_shows_an_old_store_it_cannot_upgrade(
    v1_store: Path, mini_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.storage import paths
    from explorer.storage.library import open_library

    monkeypatch.setattr(paths, "user_store_path", lambda: v1_store)

    def refuse(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setitem(schema.MIGRATIONS, 2, refuse)
    lib, warnings = open_library(mini_store)
    try:
        assert len(lib.stores) == 2 and lib.stores[1].path == v1_store
        assert len(warnings) == 1 and "readonly" in warnings[0] and "\n" not in warnings[0]
        assert str(v1_store) in warnings[0]
    finally:
        lib.close()


# ---------------------------------------------------------------------------- schema 2 -> 3


def _same_columns_as_a_new_store(path: Path) -> None:
    fresh = sqlite3.connect(":memory:")
    schema.create(sqlite_utils.Database(fresh))
    upgraded = sqlite3.connect(path)
    try:
        assert sorted(_columns(upgraded)) == sorted(_columns(fresh))
        for table, cols in _columns(fresh).items():
            assert sorted(_columns(upgraded)[table]) == sorted(cols), table
        indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        assert {r[0] for r in upgraded.execute(indexes)} == {r[0] for r in fresh.execute(indexes)}
        assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []
        assert upgraded.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        upgraded.close()
        fresh.close()


def test_a_schema_2_store_opens_with_every_import_event_and_view(v2_store: Path) -> None:
    from datetime import date

    from explorer.domain.filters import FilterState
    from explorer.storage.facets import FacetIndex
    from explorer.storage.query import SqlQuery

    events = _rows(v2_store, "SELECT * FROM events ORDER BY id")
    views = _rows(v2_store, "SELECT name, token FROM views ORDER BY name")
    sources = _rows(v2_store, "SELECT * FROM sources ORDER BY id")
    aliases = _rows(v2_store, "SELECT * FROM actor_aliases ORDER BY actor_id, alias")
    assert len(events) == 6 and len(views) == 2 and _rows(v2_store, "PRAGMA user_version") == [(2,)]

    assert ensure_user_store(v2_store) == v2_store  # what the app and every command do

    assert _rows(v2_store, "PRAGMA user_version") == [(schema.SCHEMA_VERSION,)]
    # every row keeps its values; the new columns are empty (no measure, no grade, no source)
    assert [r[: len(events[0])] for r in _rows(v2_store, "SELECT * FROM events ORDER BY id")] == (
        events
    )
    assert _rows(v2_store, "SELECT DISTINCT measure_id, phase FROM events") == [(None, None)]
    assert [r[:-1] for r in _rows(v2_store, "SELECT * FROM sources ORDER BY id")] == sources
    assert [
        r[:-2] for r in _rows(v2_store, "SELECT * FROM actor_aliases ORDER BY actor_id, alias")
    ] == aliases
    assert _rows(v2_store, "SELECT DISTINCT source_id, translated FROM actor_aliases") == [
        (None, 0)
    ]
    assert _rows(v2_store, "SELECT count(*) FROM measures") == [(0,)]
    assert _rows(v2_store, "SELECT name, token FROM views ORDER BY name") == views
    _same_columns_as_a_new_store(v2_store)
    # its imports, saved views and events are all there for the program
    infos = list_imports(v2_store)
    assert [(i.id, i.format, i.events) for i in infos] == [(1, "opensanctions", 3), (2, "csl", 3)]
    assert ViewStore(v2_store).names() == sorted(n for n, _ in views)
    ViewStore(v2_store).load(views[0][0])  # old tokens decode as they are
    lib = Library([EventStore(v2_store)])
    try:
        assert lib.count() == 6 and lib.measures() == []
        read = list(lib.events([s.id for s in lib.summaries()]))
        assert all(e.measure is None and e.phase is None for e in read)
        standing = FilterState(in_force_on=date(2024, 1, 1))
        assert SqlQuery(lib, standing).count() == 0
        assert FacetIndex(lib).result(standing).count == 0
    finally:
        lib.close()
    assert remove_import(v2_store, 1).events_removed == 3


def test_schema_2_is_upgraded_once(v2_store: Path) -> None:
    assert upgrade(v2_store) == (2, schema.SCHEMA_VERSION)
    digest = hashlib.sha256(v2_store.read_bytes()).hexdigest()
    assert upgrade(v2_store) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    assert hashlib.sha256(v2_store.read_bytes()).hexdigest() == digest


def test_a_schema_2_store_left_as_it_is_is_read_without_measures(v2_store: Path) -> None:
    """A store that could not be upgraded (or a --db store of an older build) has no measure
    columns: it is read, checked and filtered as a store without measures."""
    from datetime import date

    from explorer.domain.filters import FilterState
    from explorer.storage import health
    from explorer.storage.facets import FacetIndex
    from explorer.storage.query import SqlQuery

    store = EventStore(v2_store)
    lib = Library([store])
    try:
        assert not store.has_measures and store.measures() == {}
        health.verify(store.conn, v2_store)
        read = list(lib.events([s.id for s in lib.summaries()]))
        assert len(read) == 6 and all(e.measure is None for e in read)
        assert all(s.quality is None for s in store.sources().values())
        assert lib.measure_of(read[0].id) is None
        for state in (FilterState(in_force_on=date(2024, 1, 1)), FilterState(search="x")):
            assert SqlQuery(lib, state).count() == FacetIndex(lib).result(state).count
        assert SqlQuery(lib, FilterState(in_force_on=date(2024, 1, 1))).facet_counts().matching == 0
    finally:
        lib.close()
    assert _rows(v2_store, "PRAGMA user_version") == [(2,)]
