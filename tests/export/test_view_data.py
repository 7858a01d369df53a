"""What a picture of a view shows is the same whether the filters are counted in the facet
bitsets (the app, a cached index) or in SQL (a large store never indexed), and is exact."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from explorer.domain.filters import FilterState, parse_bound, to_sql
from explorer.export import render_view as rv
from explorer.storage.facets import FacetIndex, StoreIndex, cached_facet_index
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.window import WindowReader

pytestmark = pytest.mark.usefixtures("qapp")  # fonts are measured while a view is fitted


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("gen-view") / "g.sqlite"
    generate(path, 6000, seed=5)
    lib = Library([EventStore(path)])
    yield lib, FacetIndex(lib)
    lib.close()


STATES = [
    FilterState(countries=("US",)),
    FilterState(countries=("CN", "JP"), kinds=("proposal",)),
    FilterState(agencies=("bis",), date_from=parse_bound("2015")),
    FilterState(items=("advanced-chips",)),
    FilterState(kinds=("statement",), search="export"),
    FilterState(countries=("US",), date_from=parse_bound("2099")),  # nothing
]


def _matching(lib: Library, state: FilterState, a: int, b: int) -> set[int]:
    where, params = to_sql(state, "e")
    return {
        r[0] * 4
        for r in lib.stores[0].conn.execute(
            f"SELECT e.id FROM events e WHERE e.start_day <= ? AND e.end_day >= ? AND {where}",
            [b, a, *params],
        )
    }


def _density_totals(data: rv.ViewData) -> dict[tuple[int, str], int]:
    """Each lane's events over the window as the painter bins them."""
    view = data.view
    scale = rv._scale(view, 1200)
    density = data.density(scale)
    assert density is not None
    bin_days = max(1, math.ceil(scale.span / scale.width * 2))
    k0 = math.floor(scale.start / bin_days)
    bins = math.ceil(scale.end / bin_days) - k0
    return {ln.key: sum(density.binned(ln.key, k0, bins, bin_days)) for ln in data.lanes}


@pytest.mark.parametrize("limit", [rv.DETAIL_LIMIT, 50])  # marks, and densities
@pytest.mark.parametrize("state", STATES)
def test_bitsets_and_sql_show_the_same_view(generated, state, limit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lib, index = generated
    monkeypatch.setattr(rv, "DETAIL_LIMIT", limit)
    drawn = {"marks": 0, "densities": 0}
    lo, _hi = WindowReader(lib).extent() or (0, 0)
    for mode in ("country", "agency"):
        fitted_sql = rv.fitted_view(lib, state, mode, 1200)
        fitted_bits = rv.fitted_view(lib, state, mode, 1200, index)
        assert (fitted_bits.first, fitted_bits.last) == pytest.approx(
            (fitted_sql.first, fitted_sql.last)
        )
        for first, last in [(fitted_sql.first, fitted_sql.last), (lo + 4000, lo + 4400)]:
            view = rv.View(state, first, last, mode)
            sql, bits = rv.ViewData(lib, view), rv.ViewData(lib, view, index)
            want = _matching(lib, state, int(first), int(last))
            assert sql.count == bits.count == len(want)
            assert [(ln.key, ln.label, ln.count) for ln in sql.lanes] == [
                (ln.key, ln.label, ln.count) for ln in bits.lanes
            ]
            assert [s.key for s in sql.sources] == [s.key for s in bits.sources]
            drawn["marks" if sql.events is not None else "densities"] += 1
            if sql.events is not None:
                assert bits.events is not None
                assert {e.id for e in sql.events} == {e.id for e in bits.events} == want
            else:
                assert bits.events is None
                # drawn as densities: every matching event starting in the window is counted
                assert _density_totals(sql) == _density_totals(bits)
    if limit < 100 and state.countries == ("US",) and not state.date_from:
        assert drawn["densities"] >= 2


def test_an_unfiltered_view_counts_its_window_exactly(generated) -> None:  # type: ignore[no-untyped-def]
    lib, _ = generated
    lo, hi = WindowReader(lib).extent() or (0, 0)
    whole = rv.ViewData(lib, rv.View(FilterState(), lo, hi + 1))
    assert whole.count == 6000 and whole.events is None  # more than DETAIL_LIMIT
    assert sum(ln.count for ln in whole.lanes) == 6000
    part = rv.ViewData(lib, rv.View(FilterState(), lo + 3000, lo + 3500))
    assert part.count == len(_matching(lib, FilterState(), lo + 3000, lo + 3500))
    assert sum(ln.count for ln in part.lanes) == part.count


def test_the_same_picture_either_way(mini_store: Path) -> None:
    lib = Library([EventStore(mini_store)])
    index = FacetIndex(lib)
    state = FilterState(countries=("CN",), date_to=parse_bound("2024"))
    fitted = rv.fitted_view(lib, state, "country", 1600, index)
    assert rv.fitted_view(lib, state, "country", 1600) == fitted
    assert rv.render_view("svg", lib, fitted, index=index) == rv.render_view("svg", lib, fitted)
    lib.close()


def test_a_cached_index_serves_only_when_cheap(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    generate(path, 500, seed=1)
    lib = Library([EventStore(path)])
    assert cached_facet_index(lib, build_below=100) is None  # large and never indexed
    small = cached_facet_index(lib)  # small: indexed at once (and cached)
    assert small is not None and small.total() == 500
    assert StoreIndex.from_cache(lib.stores[0]) is not None
    again = cached_facet_index(lib, build_below=100)  # now from the cache
    assert again is not None
    state = FilterState(countries=("US",))
    assert again.result(state).count == small.result(state).count > 0
    lib.close()
