"""Taking an import back: `explorer imports` lists them, `explorer imports remove ID` takes one
out in one transaction with everything only it brought; what another import also lists stays,
and the store is then what it would be had that import never been made."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from explorer import cli
from explorer.storage.errors import StoreError
from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.imports import list_imports, recount, remove_import
from explorer.storage.store import EventStore

Dump = Callable[[Path], list[str]]


def _semantic(path: Path) -> dict[str, Any]:
    """What a store says, by natural keys (ids and the search index's pages aside)."""
    conn = sqlite3.connect(path)
    try:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(conn.execute(sql).fetchall(), key=repr)

        return {
            "events": rows(
                'SELECT key, title, summary, kind, status, start, "end", start_day, end_day, '
                "precision, basis, date_note, lane_country, lane_agency, "
                "(SELECT key FROM sources WHERE id = date_source_id) FROM events"
            ),
            "items": rows("SELECT key, name, list_name, note FROM items"),
            "event_items": rows(
                "SELECT e.key, i.key FROM event_items ei JOIN events e ON e.id = ei.event_id "
                "JOIN items i ON i.id = ei.item_id"
            ),
            "event_countries": rows(
                "SELECT e.key, c.country, c.role FROM event_countries c "
                "JOIN events e ON e.id = c.event_id"
            ),
            "event_actors": rows(
                "SELECT e.key, a.key, ea.role FROM event_actors ea "
                "JOIN events e ON e.id = ea.event_id JOIN actors a ON a.id = ea.actor_id"
            ),
            "quotes": rows(
                "SELECT e.key, s.key, q.text, q.start_offset FROM quotes q "
                "JOIN events e ON e.id = q.event_id JOIN sources s ON s.id = q.source_id"
            ),
            "actors": rows("SELECT key, name, kind, country FROM actors"),
            "aliases": rows(
                "SELECT a.key, al.alias FROM actor_aliases al JOIN actors a ON a.id = al.actor_id"
            ),
            "sources": rows("SELECT key, title, url FROM sources"),
            "countries": rows("SELECT code, name FROM countries"),
            "densities": rows("SELECT lane_mode, lane, day, count FROM densities"),
            "search": rows(
                "SELECT e.key, f.title, f.summary, f.quotes, f.names, f.items FROM events_fts f "
                "JOIN events e ON e.id = f.rowid"
            ),
            "fts_rows": conn.execute("SELECT count(*) FROM events_fts").fetchone()[0],
            "meta": rows("SELECT key, value FROM meta"),
            "fk": conn.execute("PRAGMA foreign_key_check").fetchall(),
        }
    finally:
        conn.close()


def _imp(path: Path, store: Path) -> int:
    result = import_file(path, store, ImportOptions())
    assert result.committed and result.provenance_id is not None
    return result.provenance_id


@pytest.fixture
def later(fx: Path) -> Path:
    """A later copy of csl_old.csv: Beta is no longer listed, Epsilon joins the 2016 INKSNA
    listing and a listing of a new day appears."""
    return fx / "csl_later.csv"


def test_imports_are_listed_with_their_file_format_time_and_counts(fx: Path, store: Path) -> None:
    assert list_imports(store) == []
    first = _imp(fx / "csl_old.csv", store)
    second = _imp(fx / "os_dod_1260h.csv", store)
    infos = list_imports(store)
    assert [i.id for i in infos] == [first, second]
    csl = infos[0]
    assert csl.file == str((fx / "csl_old.csv").resolve()) and csl.name == "csl_old.csv"
    assert csl.format == "csl" and csl.importer.startswith("csl: ")
    assert csl.sha256 == hashlib.sha256((fx / "csl_old.csv").read_bytes()).hexdigest()
    assert csl.imported_at.endswith("+00:00") and csl.rows == 4
    assert (csl.events, csl.entities) == (2, 4)
    assert infos[1].format == "opensanctions"


def test_removing_an_import_is_as_if_it_had_never_been_made(
    fx: Path, store: Path, tmp_path: Path, empty_store: Path
) -> None:
    only_first = tmp_path / "only_first.sqlite"
    only_first.write_bytes(empty_store.read_bytes())
    _imp(fx / "csl_old.csv", only_first)

    _imp(fx / "csl_old.csv", store)
    dod = _imp(fx / "os_dod_1260h.csv", store)
    before = _semantic(store)
    result = remove_import(store, dod)
    assert (result.events_removed, result.entities_removed, result.events_kept) == (3, 2, 0)
    assert result.removed.name == "os_dod_1260h.csv"
    assert _semantic(store) == _semantic(only_first) != before
    # and the last one: an empty store again, search included
    remove_import(store, list_imports(store)[0].id)
    assert _semantic(store) == _semantic(empty_store)
    with EventStore(store) as s:
        assert (
            s.conn.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH 'Alpha'").fetchall()
            == []
        )


def test_a_shared_listing_stays_with_what_the_other_import_says(
    fx: Path, store: Path, later: Path, tmp_path: Path, empty_store: Path
) -> None:
    alone: dict[str, dict[str, Any]] = {}
    for name, path in (("old", fx / "csl_old.csv"), ("later", later)):
        target = tmp_path / f"alone-{name}.sqlite"
        target.write_bytes(empty_store.read_bytes())
        _imp(path, target)
        alone[name] = _semantic(target)

    first = _imp(fx / "csl_old.csv", store)
    second = _imp(later, store)
    both = _semantic(store)
    # the 2016 listing holds Beta (only the old file) and Epsilon (only the later one)
    listed = {i for _, i in both["event_items"]}
    assert any("beta" in i for i in listed) and any("epsilon" in i for i in listed)

    dump = _semantic(store)
    result = remove_import(store, first)
    assert result.events_kept == 2 and result.events_removed == 0
    assert result.entities_removed == 1  # Beta: Alpha, Gamma and Delta are listed later too
    assert _semantic(store) == alone["later"] != dump

    # the other way round: the later copy taken back leaves the old one as it was
    store.write_bytes(empty_store.read_bytes())
    _imp(fx / "csl_old.csv", store)
    second = _imp(later, store)
    result = remove_import(store, second)
    assert (result.events_removed, result.events_kept) == (1, 2)
    assert _semantic(store) == alone["old"]


def test_an_unknown_id_or_the_curated_store_is_refused_and_nothing_changes(
    fx: Path, store: Path, mini_store: Path
) -> None:
    _imp(fx / "csl_old.csv", store)
    before = store.read_bytes()
    with pytest.raises(StoreError, match=r"user\.sqlite: no import has the id 42"):
        remove_import(store, 42)
    assert store.read_bytes() == before
    curated = mini_store.read_bytes()
    with pytest.raises(StoreError, match="curated store, which is read-only"):
        remove_import(mini_store, 1)
    assert mini_store.read_bytes() == curated


def test_a_removal_that_fails_half_way_leaves_the_store_as_it_was(
    fx: Path, store: Path, monkeypatch: pytest.MonkeyPatch, dump: Dump, later: Path
) -> None:
    from explorer.storage import imports

    first = _imp(fx / "csl_old.csv", store)
    _imp(later, store)
    before = dump(store)

    def boom(*a: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(imports, "write_search_rows", boom)
    with pytest.raises(OSError, match="simulated"):
        remove_import(store, first)
    assert dump(store) == before
    assert not Path(f"{store}-journal").exists() or Path(f"{store}-journal").stat().st_size == 0


def test_recount_changes_the_number_of_entities_in_a_title() -> None:
    assert recount("ISN adds 28 entities (China) to INKSNA", 28, 1_204) == (
        "ISN adds 1,204 entities (China) to INKSNA"
    )
    assert recount("ISN adds 1 entity to INKSNA", 1, 2) == "ISN adds 1 entity to INKSNA"
    assert recount("E.O. 13382: 3 entities", 3, 3) == "E.O. 13382: 3 entities"
    assert recount("Listed under 13382 (12 entities)", 12, 13) == "Listed under 13382 (13 entities)"


def test_the_imports_command_lists_and_removes(
    fx: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["imports", "--store", str(store)]) == 0
    assert "no imports in" in capsys.readouterr().out
    first = _imp(fx / "csl_old.csv", store)
    _imp(fx / "os_dod_1260h.csv", store)
    assert cli.main(["imports", "--store", str(store)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:6] == ["id", "imported", "(UTC)", "format", "events", "entities"]
    assert out[1].split()[0] == str(first) and out[1].endswith("csl_old.csv")
    assert cli.main(["imports", "list", "--json", "--store", str(store)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["format"] for d in listed] == ["csl", "opensanctions"]
    assert set(listed[0]) == {
        "id",
        "file",
        "format",
        "importer",
        "sha256",
        "imported_at",
        "rows",
        "events",
        "entities",
    }
    assert cli.main(["imports", "remove", str(first), "--store", str(store)]) == 0
    line = capsys.readouterr().out
    assert line.startswith(f"removed import {first} (csl_old.csv, csl, ")
    assert "2 events and 4 entities left" in line
    assert cli.main(["imports", "remove", str(first), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"no import has the id {first}" in err
