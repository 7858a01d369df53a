"""Measures in the store: built from db/ text, read as domain values, filtered by the day they
stand on (SQL and bitsets agree), checked by the store's health and `explorer check`.

The store is tests/measures_data.py's: two measures of tests/fixtures/mini with their phases.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from explorer.domain.filters import FilterState
from explorer.domain.measures import MeasureKind, Phase, status_on
from explorer.domain.model import SourceGrade
from explorer.storage import build, health
from explorer.storage.check import check_store
from explorer.storage.errors import StoreError
from explorer.storage.facets import FacetIndex
from explorer.storage.library import Library
from explorer.storage.query import BitsetQuery, SqlQuery
from explorer.storage.store import EventStore
from tests.measures_data import AEROSPACE, DRONES, write_measures_data


@pytest.fixture
def library(measures_store: Path):  # type: ignore[no-untyped-def]
    lib = Library([EventStore(measures_store)])
    yield lib
    lib.close()


def test_the_build_stores_measures_phases_grades_and_alias_sources(library: Library) -> None:
    store = library.stores[0]
    measures = {m.key: m for m in library.measures()}
    assert sorted(measures) == [AEROSPACE, DRONES]
    aero = measures[AEROSPACE]
    assert aero.kind is MeasureKind.CONTROL_LIST
    assert [a.key for a in aero.issuers] == ["mofcom", "gac"]
    assert [(p.phase, p.date.iso(), p.end and p.end.iso()) for p in aero.phases] == [
        (Phase.ANNOUNCED, "2024-05-30", None),
        (Phase.IN_FORCE, "2024-07-01", None),
        (Phase.SUSPENDED, "2025-11-10", "2026-11-10"),
    ]
    grades = {s.key: s.quality for s in store.sources().values()}
    assert grades == {
        "src-scmp": None,
        "src-hk01": SourceGrade.SECONDARY,
        "src-reuters-2024-05-30": SourceGrade.ESTABLISHED,
    }
    aliases = {a.name: a for actor in store.actors().values() for a in actor.aliases}
    assert aliases["商务部"].source == "src-scmp" and not aliases["商务部"].translated
    assert aliases["ファン・グオビン"].translated and aliases["ファン・グオビン"].source == ""
    assert aliases["MOFCOM"].source == "" and not aliases["MOFCOM"].translated


def test_an_event_knows_its_measure_with_every_phase(library: Library) -> None:
    gid = library.id_for_key("cn-2025-11-10-aerospace-controls-suspended")
    assert gid is not None
    event = library.event(gid)
    assert event.phase is Phase.SUSPENDED
    assert event.measure is not None and event.measure.key == AEROSPACE
    assert event.measure == library.measure_of(gid) == library.measure(AEROSPACE)
    assert status_on(event.measure, date(2026, 11, 11)) is Phase.IN_FORCE
    other = library.id_for_key("hk-2026-06-02-hk01-reports-draft-list")
    assert other is not None and library.measure_of(other) is None
    assert library.event(other).measure is None and library.event(other).phase is None
    assert library.measure("no-such-measure") is None
    keys = [library.event(i).key for i in library.measure_event_ids(DRONES)]
    assert keys == [
        "cn-2023-07-drone-export-restrictions",
        "cn-2023-09-01-drone-controls-in-force",
        "cn-2024-12-drone-controls-revoked",
    ]


AERO_EVENTS = {
    "cn-2024-05-30-aerospace-controls-announced",
    "cn-2024-07-01-aerospace-controls-in-force",
    "cn-2025-11-10-aerospace-controls-suspended",
}
DRONE_EVENTS = {
    "cn-2023-07-drone-export-restrictions",
    "cn-2023-09-01-drone-controls-in-force",
    "cn-2024-12-drone-controls-revoked",
}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2023-08-31", set()),  # drones announced only
        ("2023-09-01", DRONE_EVENTS),
        ("2024-06-15", DRONE_EVENTS),  # aerospace announced only
        ("2024-07-01", DRONE_EVENTS | AERO_EVENTS),
        ("2024-12-01", AERO_EVENTS),  # drones revoked (December 2024 counts from the 1st)
        ("2025-11-10", set()),  # aerospace suspended
        ("2026-11-10", set()),
        ("2026-11-11", AERO_EVENTS),  # the suspension ended
    ],
)
def test_in_force_on_selects_the_same_events_by_sql_and_by_bitsets(
    library: Library, day: str, expected: set[str]
) -> None:
    state = FilterState(in_force_on=date.fromisoformat(day))
    sql = SqlQuery(library, state)
    bits = BitsetQuery(library, state, FacetIndex(library))
    for query in (sql, bits):
        ids = list(query.matching_ids())
        assert {library.event(i).key for i in ids} == expected, type(query).__name__
        assert query.count() == len(expected)
    assert sql.facet_counts() == bits.facet_counts()
    both = state.with_values("countries", ["CN"])
    assert (
        SqlQuery(library, both).count() == BitsetQuery(library, both, FacetIndex(library)).count()
    )


def _broken(store: Path, sql: str, tmp_path: Path) -> Path:
    out = tmp_path / "broken.sqlite"
    shutil.copyfile(store, out)
    conn = sqlite3.connect(out)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        with conn:
            conn.execute(sql)
    finally:
        conn.close()
    return out


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        (
            "UPDATE events SET phase = 'paused' WHERE measure_id IS NOT NULL",
            "phase 'paused' is not one of",
        ),
        ("UPDATE measures SET kind = 'decree'", "kind 'decree' is not one of"),
        ("UPDATE sources SET quality = 'gossip'", "quality 'gossip' is not one of"),
        ("UPDATE events SET measure_id = 99 WHERE measure_id = 1", "measure 99, which is missing"),
        ("INSERT INTO measure_issuers VALUES (1, 999)", "an actor that is missing"),
    ],
    ids=["phase", "measure kind", "source quality", "missing measure", "missing issuer"],
)
def test_rows_the_program_cannot_show_are_refused_in_one_line(
    measures_store: Path, tmp_path: Path, sql: str, words: str
) -> None:
    bad = _broken(measures_store, sql, tmp_path)
    with EventStore(bad) as store, pytest.raises(health.BadRowsError) as info:
        health.verify(store.conn, bad)
    assert words in str(info.value) and "\n" not in str(info.value)
    assert any(words in str(p) for p in check_store(bad).problems)


def test_check_warns_about_events_backed_only_by_secondary_sources(measures_store: Path) -> None:
    report = check_store(measures_store)
    assert report.ok  # warnings are not problems
    assert sorted(w.where for w in report.warnings) == [
        "cn-2026-03-cas-draft-63-item-list",
        "hk-2026-06-02-hk01-reports-draft-list",
    ]
    assert all("only sources are secondary" in w.message for w in report.warnings)


def _edit(folder: Path, name: str, change: Callable[[list[Any]], None]) -> None:
    data = json.loads((folder / name).read_text("utf-8"))
    change(data)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _event(data: list[Any], key: str) -> dict[str, Any]:
    return next(e for e in data if e["key"] == key)


SUSPENDED = "cn-2025-11-10-aerospace-controls-suspended"


@pytest.mark.parametrize(
    ("name", "change", "words"),
    [
        ("events.json", lambda d: _event(d, SUSPENDED).pop("measure"), "go together"),
        ("events.json", lambda d: _event(d, SUSPENDED).update(phase="paused"), "'paused'"),
        ("events.json", lambda d: _event(d, SUSPENDED).update(measure="nope"), "'nope'"),
        ("measures.json", lambda d: d[0].update(kind="decree"), "'decree'"),
        ("measures.json", lambda d: d[0].update(issuers=["nobody"]), "'nobody'"),
        ("sources.json", lambda d: d[0].update(quality="gossip"), "'gossip'"),
        (
            "actors.json",
            lambda d: d[0]["aliases"][1].update(source="no-such-source"),
            "'no-such-source'",
        ),
        ("actors.json", lambda d: d[0]["aliases"][1].update(translated="yes"), "'translated'"),
    ],
    ids=[
        "phase without measure",
        "unknown phase",
        "unknown measure",
        "measure kind",
        "issuer",
        "quality",
        "alias source",
        "translated",
    ],
)
def test_the_build_refuses_bad_measure_text_in_one_line(
    tmp_path: Path, seeds_dir: Path, name: str, change: Callable[[list[Any]], None], words: str
) -> None:
    folder = write_measures_data(tmp_path / "db")
    _edit(folder, name, change)
    with pytest.raises(StoreError) as info:
        build.build(folder, tmp_path / "out.sqlite", seeds_dir)
    assert words in str(info.value) and "\n" not in str(info.value)
    assert name in str(info.value)
    assert not (tmp_path / "out.sqlite").exists()


def test_a_folder_without_measures_json_builds_a_store_without_measures(
    mini_store: Path,
) -> None:
    with EventStore(mini_store) as store:
        assert store.has_measures and store.measures() == {}
