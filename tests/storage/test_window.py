"""The timeline's queries on real stores: lanes, windows, densities, neighbours, relations."""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from explorer.storage import window as window_module
from explorer.storage.generate import generate
from explorer.storage.library import Library, global_id
from explorer.storage.store import EventStore
from explorer.storage.window import WindowReader


def d(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    generate(out, 3000, seed=7)
    return out


@pytest.fixture
def mini(mini_store: Path) -> Iterator[WindowReader]:
    lib = Library([EventStore(mini_store)])
    yield WindowReader(lib)
    lib.close()


@pytest.fixture
def both(mini_store: Path, generated: Path) -> Iterator[WindowReader]:
    lib = Library([EventStore(mini_store), EventStore(generated)])
    yield WindowReader(lib)
    lib.close()


def all_rows(reader: WindowReader, mode: str) -> list[tuple[int, int, int, tuple[int, str]]]:
    rows = []
    for slot, store in enumerate(reader.library.stores):
        for i, a, b, lane in store.conn.execute(
            f"SELECT id, start_day, end_day, lane_{mode} FROM events"
        ):
            rows.append((global_id(slot, i), a, b, (slot, lane)))
    return rows


def test_lanes_by_country_with_counts_and_names(mini: WindowReader) -> None:
    lanes = mini.lanes("country")
    assert (lanes[0].key, lanes[0].count) == ((0, "CN"), 4)
    by_key = {ln.key: ln for ln in lanes}
    assert by_key[(0, "US")].label == "United States"
    assert not any(ln.imported for ln in lanes)
    agencies = {ln.key: ln.label for ln in mini.lanes("agency")}
    assert (0, "mofcom") in agencies and agencies[(0, "mofcom")] != "mofcom"


def test_imported_events_get_lanes_of_their_own(both: WindowReader) -> None:
    lanes = both.lanes("country")
    imported = [ln for ln in lanes if ln.imported]
    assert imported and all(ln.key[0] == 1 for ln in imported)
    assert all(ln.label.startswith("Imported · ") for ln in imported)
    # the curated lanes come first
    assert [ln.imported for ln in lanes] == sorted(ln.imported for ln in lanes)
    assert sum(ln.count for ln in imported) == 3000


def test_a_window_holds_the_spans_that_touch_it(mini: WindowReader) -> None:
    window = mini.window("country", d("2024-06-01"), d("2024-06-10"))
    # the 2023–2024 sanctions (a year-precise span that began long before) cover the window,
    # and come as a covering span; the 30 May announcement and the 1 July rule do not touch it
    (e,) = window.covering
    assert window.events == [e]
    assert "sanction" in e.title.lower()
    assert e.lane == (0, "US") and e.precision == "year"
    wider = mini.window("country", d("2024-05-01"), d("2024-06-10"))
    assert [x.start for x in wider.events] == ["2023", "2024-05-30"]
    assert [x.id for x in wider.covering] == [e.id]


def test_window_rows_come_in_date_order_and_respect_the_limit(mini: WindowReader) -> None:
    window = mini.window("agency", d("2020-01-01"), d("2027-01-01"))
    starts = [e.start_day for e in window.events]
    assert starts == sorted(starts) and len(starts) == 6 and not window.truncated
    short = mini.window("agency", d("2020-01-01"), d("2027-01-01"), limit=3)
    assert len(short.events) == 3 and short.truncated


def test_windows_match_a_brute_force_filter(both: WindowReader) -> None:
    rows = all_rows(both, "country")
    lo = min(r[1] for r in rows)
    hi = max(r[2] for r in rows)
    rng = random.Random(3)
    for _ in range(40):
        a = rng.randint(lo - 30, hi)
        b = a + rng.choice([0, 1, 7, 45, 400, 3000])
        expect = {r[0] for r in rows if r[1] <= b and r[2] >= a}
        got = both.window("country", a, b, limit=10**6)
        assert {e.id for e in got.events} == expect
        assert all(e.start_day < a and e.end_day > b for e in got.covering)
        assert {e.id for e in got.covering} <= expect
        assert both.count(a, b) == len(expect)


def test_long_spans_are_read_from_their_partial_index(generated: Path) -> None:
    with EventStore(generated) as store:
        plan = " ".join(
            str(r)
            for r in store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM events WHERE end_day - start_day > 31 "
                "AND start_day BETWEEN 1 AND 2 AND end_day >= 1"
            )
        )
    assert "idx_events_long" in plan


def test_densities_count_and_bin_like_the_events(both: WindowReader) -> None:
    rows = all_rows(both, "agency")
    table = both.densities("agency")
    lane = max(table.lanes, key=lambda k: sum(1 for r in rows if r[3] == k))
    a, b = table.first_day + 100, table.first_day + 2000
    assert table.count(a, b, lane) == sum(1 for r in rows if r[3] == lane and a <= r[1] <= b)
    assert table.count(a, b) == sum(1 for r in rows if a <= r[1] <= b)
    bins = table.binned(lane, a // 30, 50, 30)
    assert sum(bins) == table.count(a // 30 * 30, (a // 30 + 50) * 30 - 1, lane)
    sql = both.binned_densities("agency", a // 30 * 30, (a // 30 + 50) * 30 - 1, 30)
    assert sql.get(lane, [0] * 50) == bins


def test_stepping_in_time_follows_start_day_then_id(both: WindowReader) -> None:
    order = [r[0] for r in sorted(all_rows(both, "country"), key=lambda r: (r[1], r[0]))]
    assert both.first_event() == order[0] and both.last_event() == order[-1]
    rng = random.Random(5)
    for i in rng.sample(range(1, len(order) - 1), 25):
        assert both.step(order[i], +1) == order[i + 1]
        assert both.step(order[i], -1) == order[i - 1]
    assert both.step(order[-1], +1) is None


def test_nearest_event_in_a_lane(mini: WindowReader) -> None:
    gid = mini.nearest_in_lane("country", (0, "HK"), d("2020-01-01"))
    assert gid is not None
    (mark,) = mini.marks("country", [gid])
    assert mark.lane == (0, "HK") and mark.start == "2026-06-02"
    assert mini.nearest_in_lane("country", (0, "XX"), d("2020-01-01")) is None


def test_relations_of_the_selection_in_both_directions(mini: WindowReader) -> None:
    lib = mini.library
    gid = lib.id_for_key("cn-2024-05-30-aerospace-controls-announced")
    assert gid is not None
    related = {(r.kind, r.outgoing, r.lane) for r in mini.related("country", gid)}
    assert related == {("takes_effect", False, (0, "CN")), ("responds_to", True, (0, "US"))}


def test_many_covering_spans_are_read_from_the_index_alone(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a small store has few spans over any one day; make "many" mean more than two
    monkeypatch.setattr(window_module, "COVERING_DETAILS", 2)
    lib = Library([EventStore(generated)])
    reader = WindowReader(lib)
    rows = all_rows(reader, "country")
    # the day covered by the most long spans
    day = max(
        range(d("2015-01-01"), d("2025-01-01"), 97),
        key=lambda x: sum(1 for r in rows if r[1] < x and r[2] > x),
    )
    got = reader.window("country", day, day, limit=5)
    # long spans (over a month) that cover the day; shorter ones come as events
    expect = {r[0] for r in rows if r[1] < day and r[2] > day and r[2] - r[1] > 31}
    assert {e.id for e in got.covering} == expect and len(expect) > 2
    assert all(e.title == "" and e.precision == "" for e in got.covering)
    # the limit counts the other events only; covering spans are all there
    assert {e.id for e in got.covering} <= {e.id for e in got.events}
    lib.close()


def test_density_bins_equal_counts_at_any_alignment(both: WindowReader) -> None:
    table = both.densities("country")
    rng = random.Random(9)
    for _ in range(200):
        bin_days = rng.randint(1, 400)
        k0 = rng.randint((table.first_day - 800) // bin_days, table.last_day // bin_days)
        bins = rng.randint(1, 60)
        expect = [table.count(k * bin_days, (k + 1) * bin_days - 1) for k in range(k0, k0 + bins)]
        assert table.binned(None, k0, bins, bin_days) == expect


def test_windows_are_in_start_day_then_id_order_and_cut_there(both: WindowReader) -> None:
    # Events of one day with different end days: the index alone would order them by end day.
    rows = all_rows(both, "country")
    key = {r[0]: (r[1], r[0]) for r in rows}
    rng = random.Random(11)
    lo = min(r[1] for r in rows)
    hi = max(r[1] for r in rows)
    for _ in range(40):
        a = rng.randint(lo, hi)
        b = a + rng.choice([0, 3, 30, 200])
        got = both.window("country", a, b, limit=10**6)
        keys = [key[e.id] for e in got.events]
        assert keys == sorted(keys)
        if len(got.events) - len(got.covering) > 4:
            # a cut keeps the earliest by (start day, id), the same on every call
            limit = (len(got.events) - len(got.covering)) // 2
            cut = both.window("country", a, b, limit=limit)
            covering = {c.id for c in got.covering}
            short = sorted(key[e.id] for e in got.events if e.id not in covering)[:limit]
            assert [key[e.id] for e in cut.events if e.id not in covering] == short


def _table_rows(table: window_module.DensityTable) -> dict[tuple[int, str], list[int]]:
    return {
        lane: table.binned(lane, table.first_day, table.last_day - table.first_day + 1, 1)
        for lane in table.lanes
    }


def _read(store_path: Path) -> tuple[window_module.DensityTable, list[window_module.Lane]]:
    """Densities and lanes as a fresh start of the app reads them."""
    lib = Library([EventStore(store_path)])
    try:
        reader = WindowReader(lib)
        return reader.densities("country"), reader.lanes("country")
    finally:
        lib.close()


def test_densities_come_back_from_the_cache_until_the_store_changes(
    generated: Path, tmp_path: Path
) -> None:
    store_path = tmp_path / "copy.sqlite"
    store_path.write_bytes(generated.read_bytes())
    table, lanes = _read(store_path)
    # the next start reads the same table and lanes (from the cache)
    again, again_lanes = _read(store_path)
    assert _table_rows(again) == _table_rows(table)
    assert again_lanes == lanes
    # ... and both count like the events themselves
    conn = sqlite3.connect(store_path)
    per_lane = dict(
        conn.execute("SELECT lane_country, count(*) FROM events GROUP BY lane_country").fetchall()
    )
    conn.close()
    for t in (table, again):
        assert t.count(t.first_day, t.last_day) == sum(per_lane.values())
        assert {lane: t.count(t.first_day, t.last_day, lane) for lane in t.lanes} == {
            (0, k): v for k, v in per_lane.items()
        }
    assert {ln.key: ln.count for ln in again_lanes} == {(0, k): v for k, v in per_lane.items()}
    # the file changes (an import): its counts are read again, not the cached ones
    conn = sqlite3.connect(store_path)
    with conn:
        conn.execute(
            "INSERT INTO densities (lane_mode, lane, day, count) VALUES ('country', 'ZZ', ?, 3)",
            (table.first_day,),
        )
    conn.close()
    st = store_path.stat()  # a new time stamp even on a file system with coarse ones
    os.utime(store_path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    changed, changed_lanes = _read(store_path)
    assert changed.count(table.first_day, table.first_day, (0, "ZZ")) == 3
    assert any(ln.key == (0, "ZZ") and ln.count == 3 for ln in changed_lanes)
