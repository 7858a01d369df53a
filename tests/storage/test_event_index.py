"""The date-ordered key array behind the event list: same order as the summaries, filters, pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.domain.filters import EventRecord, FilterState
from explorer.storage.event_index import (
    EventOrder,
    OrderedSummaries,
    SummaryPages,
    load_order,
    make_key,
    order_of,
    read_store_keys,
)
from explorer.storage.facets import FacetIndex
from explorer.storage.generate import generate
from explorer.storage.library import Library, global_id
from explorer.storage.records import write_records
from explorer.storage.store import EventStore


@pytest.fixture(scope="module")
def gen_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    generate(out, 3000, seed=5)
    return out


@pytest.fixture
def shuffled_store(tmp_path: Path) -> Path:
    """A user store whose ids are not in date order (as imports leave them), days repeated."""
    days = [739000, 738000, 739000, 737500, 738000, 739400, 737500]
    path = tmp_path / "user.sqlite"
    records = [
        EventRecord(i + 1, "report", "reported", "US", "bis", "", d, d) for i, d in enumerate(days)
    ]
    write_records(path, records)
    return path


@pytest.fixture
def library(gen_store: Path, shuffled_store: Path) -> Iterator[Library]:
    lib = Library([EventStore(gen_store), EventStore(shuffled_store)])
    yield lib
    lib.close()


def test_the_order_is_the_summaries_order(library: Library) -> None:
    order = load_order(library, use_cache=False)
    want = [(s.start_day, s.id) for s in library.summaries()]
    assert len(order) == len(want) == 3007
    assert [(order.day_at(p), order.id_at(p)) for p in range(len(order))] == want


def test_the_cache_gives_the_same_keys(library: Library) -> None:
    fresh = load_order(library, use_cache=False)
    load_order(library)  # writes the cache
    again = load_order(library)
    assert again.keys == fresh.keys
    assert [k.tolist() for k in again.per_store or []] == [
        k.tolist() for k in fresh.per_store or []
    ]


def test_each_stores_keys_follow_the_facet_positions(library: Library) -> None:
    # A filter's bitsets number events by their position in the store's date order.
    facets = FacetIndex(library).indexes()
    for slot, store in enumerate(library.stores):
        keys = read_store_keys(store, slot)
        ids = [global_id(slot, i) for i in facets[slot].ids]
        assert [k & 0xFFFFFFFF for k in keys] == ids


def test_positions_days_and_years(library: Library) -> None:
    order = load_order(library)
    summaries = library.summaries()
    for pos in (0, 1, 500, len(order) - 1):
        s = summaries[pos]
        assert order.position(s.id, s.start_day) == pos
    assert order.position(summaries[3].id, summaries[3].start_day + 1) is None
    assert order.position(10**8, summaries[0].start_day) is None
    years = order.years()
    want_years = sorted({s.start.year for s in summaries})
    assert [y for y, _ in years] == want_years
    for year, pos in years:
        assert summaries[pos].start.year == year
        assert pos == 0 or summaries[pos - 1].start.year < year
    day = date(2010, 6, 1).toordinal()
    pos = order.first_on_or_after(day)
    assert summaries[pos].start_day >= day > summaries[pos - 1].start_day


def test_a_filter_result_becomes_a_filtered_order(library: Library) -> None:
    order = load_order(library)
    facets = FacetIndex(library)
    state = FilterState(countries=("US",), kinds=("report", "proposal"))
    result = facets.result(state)
    filtered = order.filtered(result.masks, result.total)
    want = [s.id for s in library.summaries() if s.id in result]
    assert 0 < len(filtered) == result.count == len(want) < len(order)
    assert filtered.ids() == want
    assert order.where(result.__contains__).keys == filtered.keys
    # years of a filtered order come from its own events
    assert all(
        date.fromordinal(filtered.day_at(pos)).year == year for year, pos in filtered.years()
    )


def test_masks_over_other_events_are_refused(library: Library) -> None:
    order = load_order(library)
    with pytest.raises(ValueError):
        order.filtered([0, 0], total=len(order) + 1)
    with pytest.raises(ValueError):
        order.filtered([1 << 5000, 0])
    with pytest.raises(ValueError):
        order.filtered([1, 0]).filtered([1, 0])


def test_pages_read_a_page_at_a_time_and_keep_what_they_read(library: Library) -> None:
    order = load_order(library)
    pages = SummaryPages(library, page=64, capacity=256)
    summaries = library.summaries()
    assert pages.at(order, 100) == summaries[100]
    assert pages.queries == 1
    for p in range(64, 128):  # the same page: no more queries
        assert pages.at(order, p) == summaries[p]
    assert pages.queries == 1
    assert pages.at(order, -1) == summaries[-1]
    assert pages.get(summaries[2000].id) == summaries[2000]
    assert pages.get(10**8) is None
    seq = OrderedSummaries(order, pages)
    assert len(seq) == len(summaries)
    assert seq[-2] == summaries[-2]
    assert seq[10:13] == summaries[10:13]
    with pytest.raises(IndexError):
        seq[len(summaries)]


@given(st.lists(st.tuples(st.integers(1, 800_000), st.integers(0, 2**31)), max_size=60))
def test_keys_sort_as_day_then_id(pairs: list[tuple[int, int]]) -> None:
    order = order_of(pairs)
    assert [(order.day_at(p), order.id_at(p)) for p in range(len(order))] == sorted(pairs)
    for day, gid in pairs:
        pos = order.position(gid, day)
        assert pos is not None and order.keys[pos] == make_key(day, gid)


def test_an_empty_order() -> None:
    empty = EventOrder(order_of([]).keys)
    assert not empty and len(empty) == 0 and empty.years() == []
    assert empty.first_on_or_after(10) == 0
