"""The timeline's queries under a filter, held against the brute-force predicate."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.domain.dates import PartialDate, day_number
from explorer.domain.filters import EventRecord, FilterState, matches, parse_bound
from explorer.storage.facets import FacetIndex
from explorer.storage.filtered_window import FilteredReader
from explorer.storage.library import Library, global_id
from explorer.storage.records import write_records
from explorer.storage.store import EventStore

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
def setup(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    recs = records(300, 7)
    path = tmp_path_factory.mktemp("fw") / "s.sqlite"
    write_records(path, recs)
    store = EventStore(path)
    lib = Library([store])
    index = FacetIndex(lib)
    yield lib, index, FilteredReader(lib, index), recs
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
@given(state=st.sampled_from(STATES), a=st.integers(DAY0 - 20, DAY0 + 900), w=st.integers(0, 300))
def test_window_densities_and_steps_show_only_matching_events(setup, state, a, w) -> None:  # type: ignore[no-untyped-def]
    _, index, reader, recs = setup
    reader.set_result(None if state.is_empty else index.result(state))
    kept = [r for r in recs if matches(state, r)]
    # the window: matching events whose span touches [a, a + w], in start order
    data = reader.window("country", a, a + w, limit=10_000)
    want = [r for r in kept if r.start_day <= a + w and r.end_day >= a]
    assert sorted(e.id for e in data.events) == [global_id(0, r.id) for r in want]
    starts = [e.start_day for e in data.events]
    assert starts == sorted(starts)
    assert not data.truncated
    assert reader.count(a, a + w) == len(want)
    # densities: matching events per lane and start day
    table = reader.densities("agency")
    for lane in ("mofcom", "bis"):
        per_day = Counter(r.start_day for r in kept if r.lane_agency == lane)
        assert table.count(a, a + w, (0, lane)) == sum(
            c for d, c in per_day.items() if a <= d <= a + w
        )
    lanes = {ln.key: ln.count for ln in reader.lanes("country")}
    assert lanes == {(0, c): n for c, n in Counter(r.lane_country for r in kept).items()}
    # stepping and the edges walk the matching events in (start, id) order
    order = [global_id(0, r.id) for r in sorted(kept, key=lambda r: (r.start_day, r.id))]
    assert reader.first_event() == (order[0] if order else None)
    assert reader.last_event() == (order[-1] if order else None)
    for i, gid in enumerate(order[:5]):
        assert reader.step(gid, +1) == (order[i + 1] if i + 1 < len(order) else None)
        assert reader.step(gid, -1) == (order[i - 1] if i > 0 else None)
    if kept:
        assert reader.extent() == (min(r.start_day for r in kept), max(r.end_day for r in kept))
        near = reader.nearest_in_lane("country", (0, kept[0].lane_country), a)
        same_lane = [r for r in kept if r.lane_country == kept[0].lane_country]
        best = min(abs(r.start_day - a) for r in same_lane)
        assert near in {global_id(0, r.id) for r in same_lane if abs(r.start_day - a) == best}


def test_a_truncated_window_says_so(setup) -> None:  # type: ignore[no-untyped-def]
    _, index, reader, _ = setup
    reader.set_result(index.result(FilterState(kinds=("proposal",))))
    data = reader.window("country", DAY0, DAY0 + 2000, limit=5)
    assert data.truncated and len(data.events) == 5


def test_decades_are_binned_and_the_totals_stay_exact(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from explorer.storage import filtered_window

    _, index, reader, recs = setup
    monkeypatch.setattr(filtered_window, "MAX_BINS", 10)
    state = FilterState(kinds=("proposal", "statement"))
    reader.set_result(index.result(state))
    table = reader.densities("country")
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
    from explorer.storage import facets, filtered_window

    # small blocks of periods, so the saved bitsets and the walk of one block both matter
    monkeypatch.setattr(facets, "CHECKPOINT", 4)
    monkeypatch.setattr(filtered_window, "CHECKPOINT", 4)
    recs = records(300, 9)
    path = tmp_path / "p.sqlite"
    write_records(path, recs)
    with EventStore(path) as store:
        lib = Library([store])
        index = FacetIndex(lib)
        reader = FilteredReader(lib, index)
        for state in [*STATES[1:], FilterState(kinds=("statement",), countries=("JP",))]:
            kept = [r for r in recs if matches(state, r)]
            reader.set_result(index.result(state))
            want = (min(r.start_day for r in kept), max(r.end_day for r in kept)) if kept else None
            assert reader.extent() == want
