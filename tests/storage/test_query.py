"""The one query interface of a view, in both implementations (SQL and bitsets).

Every question is asked of both `SqlQuery` and `BitsetQuery` and held against a brute-force
answer: the events the domain's predicate (`explorer.domain.filters.matches`) lets through.
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.domain.dates import PartialDate, day_number
from explorer.domain.filters import EventRecord, FilterState, matches, parse_bound
from explorer.storage import facets, query
from explorer.storage.facets import FacetIndex
from explorer.storage.generate import generate
from explorer.storage.library import Library, global_id
from explorer.storage.query import BitsetQuery, SqlQuery, view_query
from explorer.storage.records import write_records
from explorer.storage.store import EventStore
from explorer.storage.timeline import DensityTable, Lane

IMPLS = ["sql", "bits"]
Make = Callable[[FilterState], SqlQuery]


def d(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def maker(lib: Library, impl: str) -> Make:
    """Queries of one implementation over `lib`, sharing one index and one cache."""
    index = FacetIndex(lib) if impl == "bits" else None
    cache = query.QueryCache(lib)

    def make(state: FilterState) -> SqlQuery:
        return view_query(lib, state, index=index, cache=cache)

    return make


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    generate(out, 3000, seed=7)
    return out


@pytest.fixture
def mini_lib(mini_store: Path) -> Iterator[Library]:
    lib = Library([EventStore(mini_store)])
    yield lib
    lib.close()


@pytest.fixture
def both_lib(mini_store: Path, generated: Path) -> Iterator[Library]:
    lib = Library([EventStore(mini_store), EventStore(generated)])
    yield lib
    lib.close()


@pytest.fixture(params=IMPLS)
def mini(request: pytest.FixtureRequest, mini_lib: Library) -> SqlQuery:
    return maker(mini_lib, request.param)(FilterState())


@pytest.fixture(params=IMPLS)
def both(request: pytest.FixtureRequest, both_lib: Library) -> SqlQuery:
    return maker(both_lib, request.param)(FilterState())


def all_rows(lib: Library, mode: str) -> list[tuple[int, int, int, tuple[int, str]]]:
    rows = []
    for slot, store in enumerate(lib.stores):
        for i, a, b, lane in store.conn.execute(
            f"SELECT id, start_day, end_day, lane_{mode} FROM events"
        ):
            rows.append((global_id(slot, i), a, b, (slot, lane)))
    return rows


# ----------------------------------------------------------------- unfiltered: lanes, windows


def test_lanes_by_country_with_counts_and_names(mini: SqlQuery) -> None:
    lanes = mini.lanes("country")
    assert (lanes[0].key, lanes[0].count) == ((0, "CN"), 4)
    by_key = {ln.key: ln for ln in lanes}
    assert by_key[(0, "US")].label == "United States"
    assert not any(ln.imported for ln in lanes)
    agencies = {ln.key: ln.label for ln in mini.lanes("agency")}
    assert (0, "mofcom") in agencies and agencies[(0, "mofcom")] != "mofcom"
    with pytest.raises(ValueError, match="lane mode"):
        mini.lanes("topic")


def test_imported_events_get_lanes_of_their_own(both: SqlQuery) -> None:
    lanes = both.lanes("country")
    imported = [ln for ln in lanes if ln.imported]
    assert imported and all(ln.key[0] == 1 for ln in imported)
    assert all(ln.label.startswith("Imported · ") for ln in imported)
    # the curated lanes come first
    assert [ln.imported for ln in lanes] == sorted(ln.imported for ln in lanes)
    assert sum(ln.count for ln in imported) == 3000
    labels = both.lane_labels("country")
    assert all(labels[ln.key] == ln.label for ln in lanes)


def test_a_window_holds_the_spans_that_touch_it(mini: SqlQuery) -> None:
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


def test_window_rows_come_in_date_order_and_respect_the_limit(mini: SqlQuery) -> None:
    window = mini.window("agency", d("2020-01-01"), d("2027-01-01"))
    starts = [e.start_day for e in window.events]
    assert starts == sorted(starts) and len(starts) == 6 and not window.truncated
    short = mini.window("agency", d("2020-01-01"), d("2027-01-01"), limit=3)
    assert len(short.events) == 3 and short.truncated


def test_windows_match_a_brute_force_filter(both: SqlQuery) -> None:
    rows = all_rows(both.library, "country")
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
        assert both.count_in(a, b) == len(expect)


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


def test_densities_count_and_bin_like_the_events(both: SqlQuery) -> None:
    rows = all_rows(both.library, "agency")
    table = both.densities("agency")
    lane = max(table.lanes, key=lambda k: sum(1 for r in rows if r[3] == k))
    a, b = table.first_day + 100, table.first_day + 2000
    assert table.count(a, b, lane) == sum(1 for r in rows if r[3] == lane and a <= r[1] <= b)
    assert table.count(a, b) == sum(1 for r in rows if a <= r[1] <= b)
    bins = table.binned(lane, a // 30, 50, 30)
    assert sum(bins) == table.count(a // 30 * 30, (a // 30 + 50) * 30 - 1, lane)


def test_stepping_in_time_follows_start_day_then_id(both: SqlQuery) -> None:
    order = [r[0] for r in sorted(all_rows(both.library, "country"), key=lambda r: (r[1], r[0]))]
    assert both.first_event() == order[0] and both.last_event() == order[-1]
    rng = random.Random(5)
    for i in rng.sample(range(1, len(order) - 1), 25):
        assert both.step(order[i], +1) == order[i + 1]
        assert both.step(order[i], -1) == order[i - 1]
    assert both.step(order[-1], +1) is None
    assert list(both.matching_ids()) == order


def test_nearest_event_in_a_lane(mini: SqlQuery) -> None:
    gid = mini.nearest_in_lane("country", (0, "HK"), d("2020-01-01"))
    assert gid is not None
    (mark,) = mini.marks("country", [gid])
    assert mark.lane == (0, "HK") and mark.start == "2026-06-02"
    assert mini.nearest_in_lane("country", (0, "XX"), d("2020-01-01")) is None


def test_relations_of_the_selection_in_both_directions(mini: SqlQuery) -> None:
    gid = mini.library.id_for_key("cn-2024-05-30-aerospace-controls-announced")
    assert gid is not None
    related = {(r.kind, r.outgoing, r.lane) for r in mini.related("country", gid)}
    assert related == {("takes_effect", False, (0, "CN")), ("responds_to", True, (0, "US"))}


def test_many_covering_spans_are_read_from_the_index_alone(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a small store has few spans over any one day; make "many" mean more than two
    monkeypatch.setattr(query, "COVERING_DETAILS", 2)
    lib = Library([EventStore(generated)])
    q = SqlQuery(lib)
    rows = all_rows(lib, "country")
    # the day covered by the most long spans
    day = max(
        range(d("2015-01-01"), d("2025-01-01"), 97),
        key=lambda x: sum(1 for r in rows if r[1] < x and r[2] > x),
    )
    got = q.window("country", day, day, limit=5)
    # long spans (over a month) that cover the day; shorter ones come as events
    expect = {r[0] for r in rows if r[1] < day and r[2] > day and r[2] - r[1] > 31}
    assert {e.id for e in got.covering} == expect and len(expect) > 2
    assert all(e.title == "" and e.precision == "" for e in got.covering)
    # the limit counts the other events only; covering spans are all there
    assert {e.id for e in got.covering} <= {e.id for e in got.events}
    lib.close()


def test_density_bins_equal_counts_at_any_alignment(both: SqlQuery) -> None:
    table = both.densities("country")
    rng = random.Random(9)
    for _ in range(200):
        bin_days = rng.randint(1, 400)
        k0 = rng.randint((table.first_day - 800) // bin_days, table.last_day // bin_days)
        bins = rng.randint(1, 60)
        expect = [table.count(k * bin_days, (k + 1) * bin_days - 1) for k in range(k0, k0 + bins)]
        assert table.binned(None, k0, bins, bin_days) == expect


def test_windows_are_in_start_day_then_id_order_and_cut_there(both: SqlQuery) -> None:
    # Events of one day with different end days: the index alone would order them by end day.
    rows = all_rows(both.library, "country")
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


def _table_rows(table: DensityTable) -> dict[tuple[int, str], list[int]]:
    return {
        lane: table.binned(lane, table.first_day, table.last_day - table.first_day + 1, 1)
        for lane in table.lanes
    }


def _read(store_path: Path) -> tuple[DensityTable, list[Lane]]:
    """Densities and lanes as a fresh start of the app reads them."""
    lib = Library([EventStore(store_path)])
    try:
        q = SqlQuery(lib)
        return q.densities("country"), q.lanes("country")
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


# ----------------------------------------------------------------- filtered, against brute force

DAY0 = day_number(PartialDate(2020).first_day())


def records(n: int, seed: int) -> list[EventRecord]:
    rng = random.Random(seed)
    out, day = [], DAY0
    for i in range(1, n + 1):
        day += rng.choice([0, 1, 2, 9])
        out.append(
            EventRecord(
                i,
                rng.choice(["proposal", "statement", "announcement"]),
                rng.choice(["proposed", "announced"]),
                rng.choice(["CN", "US", "JP"]),
                rng.choice(["mofcom", "bis"]),
                "",
                day,
                day + rng.choice([0, 0, 0, 50, 400]),
                texts=(rng.choice(["drone rule", "chip rule", "芯片"]), "", "", "", ""),
            )
        )
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    recs = records(300, 7)
    path = tmp_path_factory.mktemp("fw") / "s.sqlite"
    write_records(path, recs)
    store = EventStore(path)
    lib = Library([store])
    yield lib, {impl: maker(lib, impl) for impl in IMPLS}, recs
    store.close()


STATES = [
    FilterState(),
    FilterState(kinds=("proposal",)),
    FilterState(countries=("CN", "JP"), date_from=parse_bound("2020-03")),
    FilterState(search="drone", date_to=parse_bound("2020-09")),
    FilterState(agencies=("bis",), kinds=("statement",), statuses=("proposed",)),
    FilterState(search="nothing at all"),
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    state=st.sampled_from(STATES),
    impl=st.sampled_from(IMPLS),
    a=st.integers(DAY0 - 20, DAY0 + 900),
    w=st.integers(0, 300),
)
def test_every_answer_shows_only_matching_events(synthetic, state, impl, a, w) -> None:  # type: ignore[no-untyped-def]
    _, makers, recs = synthetic
    q = makers[impl](state)
    kept = [r for r in recs if matches(state, r)]
    assert (q.count(), q.total(), q.filtered) == (len(kept), len(recs), not state.is_empty)
    # the window: matching events whose span touches [a, a + w], in start order
    data = q.window("country", a, a + w, limit=10_000)
    want = [r for r in kept if r.start_day <= a + w and r.end_day >= a]
    assert sorted(e.id for e in data.events) == [global_id(0, r.id) for r in want]
    starts = [e.start_day for e in data.events]
    assert starts == sorted(starts)
    assert not data.truncated
    assert q.count_in(a, a + w) == len(want)
    assert q.lane_counts("country", a, a + w) == {
        (0, c): n for c, n in Counter(r.lane_country for r in want).items()
    }
    # densities: matching events per lane and start day
    table = q.densities("agency")
    for lane in ("mofcom", "bis"):
        per_day = Counter(r.start_day for r in kept if r.lane_agency == lane)
        assert table.count(a, a + w, (0, lane)) == sum(
            c for day, c in per_day.items() if a <= day <= a + w
        )
    lanes = {ln.key: ln.count for ln in q.lanes("country")}
    assert lanes == {(0, c): n for c, n in Counter(r.lane_country for r in kept).items()}
    # stepping and the edges walk the matching events in (start, id) order
    order = [global_id(0, r.id) for r in sorted(kept, key=lambda r: (r.start_day, r.id))]
    assert list(q.matching_ids()) == order
    assert len(q.order()) == len(order)
    assert q.first_event() == (order[0] if order else None)
    assert q.last_event() == (order[-1] if order else None)
    for i, gid in enumerate(order[:5]):
        assert q.step(gid, +1) == (order[i + 1] if i + 1 < len(order) else None)
        assert q.step(gid, -1) == (order[i - 1] if i > 0 else None)
        assert q.contains(gid)
    left_out = [global_id(0, r.id) for r in recs if not matches(state, r)][:5]
    assert not any(q.contains(gid) for gid in left_out)
    if kept:
        assert q.extent() == (min(r.start_day for r in kept), max(r.end_day for r in kept))
        near = q.nearest_in_lane("country", (0, kept[0].lane_country), a)
        same_lane = [r for r in kept if r.lane_country == kept[0].lane_country]
        best = min(abs(r.start_day - a) for r in same_lane)
        assert near in {global_id(0, r.id) for r in same_lane if abs(r.start_day - a) == best}
    else:
        assert q.extent() is None and q.lanes("country") == []


@pytest.mark.parametrize("state", STATES)
def test_facet_counts_agree_in_both_implementations(synthetic, state) -> None:  # type: ignore[no-untyped-def]
    _, makers, recs = synthetic
    sql, bits = (makers[impl](state).facet_counts() for impl in IMPLS)
    assert sql.counts == bits.counts
    assert (sql.matching, sql.total) == (bits.matching, bits.total)
    # each value counts the events it would give with the other filters
    for value, n in sql.counts["kinds"].items():
        other = state.with_values("kinds", [value])
        assert n == sum(1 for r in recs if matches(other, r))


def test_a_truncated_window_says_so(synthetic) -> None:  # type: ignore[no-untyped-def]
    _, makers, _ = synthetic
    for impl in IMPLS:
        data = makers[impl](FilterState(kinds=("proposal",))).window(
            "country", DAY0, DAY0 + 2000, limit=5
        )
        assert data.truncated and len(data.events) == 5


def test_decades_are_binned_and_the_totals_stay_exact(synthetic, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lib, _, recs = synthetic
    monkeypatch.setattr(query, "MAX_BINS", 10)
    state = FilterState(kinds=("proposal", "statement"))
    table = maker(lib, "bits")(state).densities("country")
    kept = [r for r in recs if matches(state, r)]
    first = min(r.start_day for r in recs)
    assert table.count(first - 5, first + 100_000) == len(kept)
    step = (max(r.start_day for r in recs) - first + 1) // 10
    for k in range(1, 9):
        edge = first + k * step  # bin edges are exact
        assert table.count(first, edge - 1) == sum(1 for r in kept if r.start_day < edge)
    # per lane, counts are per bin: exact between bin edges
    for lane in ("CN", "US", "JP"):
        for k in range(0, 9):
            a, b = first + k * step, first + (k + 1) * step
            assert table.count(a, b - 1, (0, lane)) == sum(
                1 for r in kept if r.lane_country == lane and a <= r.start_day < b
            )
    # the totals are exact on any day
    for day in range(first, first + 3 * step):
        assert table.count(day, day) == sum(1 for r in kept if r.start_day == day)


def test_extent_finds_the_latest_matching_period_past_saved_blocks(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # small blocks of periods, so the saved bitsets and the walk of one block both matter
    monkeypatch.setattr(facets, "CHECKPOINT", 4)
    monkeypatch.setattr(query, "CHECKPOINT", 4)
    recs = records(300, 9)
    path = tmp_path / "p.sqlite"
    write_records(path, recs)
    with EventStore(path) as store:
        lib = Library([store])
        index = FacetIndex(lib)
        for state in [*STATES[1:], FilterState(kinds=("statement",), countries=("JP",))]:
            kept = [r for r in recs if matches(state, r)]
            want = (min(r.start_day for r in kept), max(r.end_day for r in kept)) if kept else None
            assert BitsetQuery(lib, state, index).extent() == want


# ----------------------------------------------------------------- sources, ids, the generated


def test_cited_sources_follow_the_window_and_the_filters(mini_lib: Library) -> None:
    for impl in IMPLS:
        make = maker(mini_lib, impl)
        every = {s.key for s in make(FilterState()).cited_sources()}
        assert every == {"src-scmp", "src-hk01", "src-reuters-2024-05-30"}
        # 2026: only the 63-item list events, from the Hong Kong 01 report
        window = make(FilterState()).cited_sources(d("2026-01-01"), d("2026-12-31"))
        assert {s.key for s in window} == {"src-hk01"}
        # the dated announcement cites Reuters for its date, besides its quotes' source
        announced = make(FilterState(statuses=("announced",))).cited_sources()
        assert {s.key for s in announced} >= {"src-scmp", "src-reuters-2024-05-30"}


def test_cited_sources_of_a_narrow_window_read_event_by_event_agree(
    mini_lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [
        (FilterState(), d("2024-05-01"), d("2024-05-31")),
        (FilterState(), d("2026-01-01"), d("2026-12-31")),
        (FilterState(statuses=("announced",)), d("2024-01-01"), d("2024-12-31")),
        (FilterState(), d("2030-01-01"), d("2031-01-01")),
    ]
    for impl in IMPLS:
        make = maker(mini_lib, impl)
        narrow = [{s.key for s in make(f).cited_sources(a, b)} for f, a, b in cases]
        monkeypatch.setattr(query, "WINDOW_SCAN", 0)  # every window source by source
        wide = [{s.key for s in make(f).cited_sources(a, b)} for f, a, b in cases]
        monkeypatch.undo()
        assert narrow == wide
        assert narrow[0] == {"src-scmp", "src-reuters-2024-05-30"} and narrow[3] == set()


@pytest.fixture(scope="module")
def generated_lib(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Six thousand synthetic events: bursts, periods, many lanes, dates to the month."""
    path = tmp_path_factory.mktemp("gen6") / "g.sqlite"
    generate(path, 6000, seed=3)
    lib = Library([EventStore(path)])
    yield lib
    lib.close()


GEN_STATES = [
    FilterState(),
    FilterState(countries=("US",)),
    FilterState(kinds=("proposal", "statement"), agencies=("bis",)),
]


@pytest.mark.parametrize("state", GEN_STATES)
@pytest.mark.parametrize("mode", ["country", "agency"])
@pytest.mark.parametrize("impl", IMPLS)
def test_lane_counts_of_a_window_are_exact(generated_lib, state, mode, impl) -> None:  # type: ignore[no-untyped-def]
    from explorer.storage.filter_sql import to_sql

    q = maker(generated_lib, impl)(state)
    where, params = to_sql(state, "e")
    lo, hi = q.full_extent() or (0, 0)
    conn = generated_lib.stores[0].conn
    for a, b in [(lo, hi), (lo + 3000, lo + 3365), (lo + 5000, lo + 5003), (hi + 10, hi + 20)]:
        want: dict[tuple[int, str], int] = {}
        for lane, n in conn.execute(
            f"SELECT e.lane_{mode}, count(*) FROM events e "
            f"WHERE e.start_day <= ? AND e.end_day >= ? AND {where} GROUP BY 1",
            [b, a, *params],
        ):
            want[(0, lane)] = n
        assert q.lane_counts(mode, a, b) == want


def test_matching_ids_are_in_date_order_across_stores(mini_store: Path, tmp_path: Path) -> None:
    from explorer.storage.filter_sql import to_sql

    user = tmp_path / "u.sqlite"
    generate(user, 300, seed=9)
    lib = Library([EventStore(mini_store), EventStore(user)])
    for impl in IMPLS:
        make = maker(lib, impl)
        for state in (FilterState(), FilterState(countries=("CN",)), FilterState(search="xyzzy")):
            where, params = to_sql(state, "e")
            want = sorted(
                (day, local * 4 + slot)
                for slot, store in enumerate(lib.stores)
                for local, day in store.conn.execute(
                    f"SELECT e.id, e.start_day FROM events e WHERE {where}", params
                )
            )
            assert list(make(state).matching_ids()) == [gid for _, gid in want]
        assert len(make(FilterState()).matching_ids()) == 306
    lib.close()


def test_search_hits_are_the_searchers(mini_lib: Library) -> None:
    for impl in IMPLS:
        make = maker(mini_lib, impl)
        assert make(FilterState()).hits() is None
        hits = make(FilterState(search="drone")).hits()
        assert hits is not None and hits.hits


def test_events_read_by_the_chunk_are_the_events_read_one_by_one(curated_store: Path) -> None:
    """The batched reader (exports) sets every field of Event itself: each event equals one
    made by Event's own constructor, whatever the chunk size and order."""
    import dataclasses

    from explorer.domain.model import Event
    from explorer.storage.library import SLOTS, Library

    names = {f.name for f in dataclasses.fields(Event)}
    with EventStore(curated_store) as store:
        ids = [s.id for s in store.summaries()]
        ids = ids[::-1] + ids[:3]  # any order, repeats included
        for chunk in (1, 7, 500):
            read = list(store.events(ids, chunk))
            assert [e.id for e in read] == ids
            for e in read:
                assert set(vars(e)) == names
                assert dataclasses.replace(e) == e  # Event's __init__ gives the same value
        one = [store.event(i) for i in ids]
        assert list(store.events(ids)) == one
    lib = Library([EventStore(curated_store)])
    try:
        gids = [i * SLOTS for i in ids]
        assert [e.id for e in lib.events(gids, chunk=5)] == gids
        with pytest.raises(KeyError):
            list(lib.events([10**9 * SLOTS]))
    finally:
        lib.close()
