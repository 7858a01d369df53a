"""What a picture of a view shows is the same whether the filters are counted in the facet
bitsets (the app, a cached index) or in SQL (a large store never indexed), and is exact."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from explorer.domain.filters import FilterState, parse_bound
from explorer.domain.view import ViewState
from explorer.export import picture as rv
from explorer.export.api import export_view
from explorer.render.page import ensure_gui_app
from explorer.storage.facets import FacetIndex, StoreIndex, cached_facet_index
from explorer.storage.filter_sql import to_sql
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.query import BitsetQuery, SqlQuery
from explorer.storage.store import EventStore

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


def _density_totals(data: rv.PictureData) -> dict[tuple[int, str], int]:
    """Each lane's events over the window as the painter bins them."""
    t = data.timeline
    scale = t.scale(1200)
    density = t.density
    assert density is not None
    bin_days = max(1, math.ceil(scale.span / scale.width * 2))
    k0 = math.floor(scale.start / bin_days)
    bins = math.ceil(scale.end / bin_days) - k0
    return {ln.key: sum(density.binned(ln.key, k0, bins, bin_days)) for ln in t.lanes}


@pytest.mark.parametrize("limit", [rv.DETAIL_LIMIT, 50])  # marks, and densities
@pytest.mark.parametrize("state", STATES)
def test_bitsets_and_sql_show_the_same_view(generated, state, limit, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lib, index = generated
    monkeypatch.setattr(rv, "DETAIL_LIMIT", limit)
    drawn = {"marks": 0, "densities": 0}
    q_sql, q_bits = SqlQuery(lib, state), BitsetQuery(lib, state, index)
    lo, _hi = q_sql.full_extent() or (0, 0)
    for mode in ("country", "agency"):
        fitted_sql = rv.fitted_window(q_sql, 1200)
        fitted_bits = rv.fitted_window(q_bits, 1200)
        assert fitted_bits == pytest.approx(fitted_sql)
        for first, last in [fitted_sql, (lo + 4000, lo + 4400)]:
            view = ViewState(state, (first, last - first), mode)
            sql, bits = (
                rv.PictureData(q_sql, view, first, last),
                rv.PictureData(q_bits, view, first, last),
            )
            want = _matching(lib, state, int(first), int(last))
            assert sql.count == bits.count == len(want)
            lanes_sql, lanes_bits = sql.timeline.lanes, bits.timeline.lanes
            assert [(ln.key, ln.label, ln.count) for ln in lanes_sql] == [
                (ln.key, ln.label, ln.count) for ln in lanes_bits
            ]
            assert [s.key for s in sql.sources] == [s.key for s in bits.sources]
            events_sql, events_bits = sql.timeline.events, bits.timeline.events
            drawn["marks" if events_sql is not None else "densities"] += 1
            if events_sql is not None:
                assert events_bits is not None
                assert {e.id for e in events_sql} == {e.id for e in events_bits} == want
            else:
                assert events_bits is None
                # drawn as densities: every matching event starting in the window is counted
                assert _density_totals(sql) == _density_totals(bits)
    if limit < 100 and state.countries == ("US",) and not state.date_from:
        assert drawn["densities"] >= 2


def test_an_unfiltered_view_counts_its_window_exactly(generated) -> None:  # type: ignore[no-untyped-def]
    lib, _ = generated
    q = SqlQuery(lib)
    lo, hi = q.full_extent() or (0, 0)
    whole = rv.PictureData(q, ViewState(), lo, hi + 1)
    assert whole.count == 6000 and whole.timeline.events is None  # more than DETAIL_LIMIT
    assert sum(ln.count for ln in whole.timeline.lanes) == 6000
    part = rv.PictureData(q, ViewState(), lo + 3000, lo + 3500)
    assert part.count == len(_matching(lib, FilterState(), lo + 3000, lo + 3500))
    assert sum(ln.count for ln in part.timeline.lanes) == part.count


def test_the_same_picture_either_way(mini_store: Path, tmp_path: Path) -> None:
    ensure_gui_app()
    lib = Library([EventStore(mini_store)])
    index = FacetIndex(lib)
    state = FilterState(countries=("CN",), date_to=parse_bound("2024"))
    view = ViewState(state)
    assert rv.fitted_window(BitsetQuery(lib, state, index), 1600) == rv.fitted_window(
        SqlQuery(lib, state), 1600
    )
    with_bits, with_sql = tmp_path / "bits.svg", tmp_path / "sql.svg"
    export_view(lib, view, "svg", with_bits, query=BitsetQuery(lib, state, index))
    export_view(lib, view, "svg", with_sql, query=SqlQuery(lib, state))
    assert with_bits.read_bytes() == with_sql.read_bytes()
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
