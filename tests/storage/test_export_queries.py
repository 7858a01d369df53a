"""The export queries: what the filters select in a window, the sources cited, the bins drawn."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from explorer.domain.filters import FilterState, to_sql
from explorer.storage import export_queries as q
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.window import WindowReader


@pytest.fixture
def library(mini_store: Path):
    lib = Library([EventStore(mini_store)])
    yield lib
    lib.close()


def _day(y: int, m: int, d: int) -> int:
    return date(y, m, d).toordinal()


def test_selection_counts_span_kinds_and_lanes(library: Library) -> None:
    sel = q.selection(library)
    assert sel.count == 6
    assert sel.first_day == _day(2023, 1, 1) and sel.last_day == _day(2026, 6, 2)
    assert sel.lanes == {(0, "CN"): 4, (0, "US"): 1, (0, "HK"): 1}
    assert "proposal" in sel.kinds and "in_force" in sel.statuses


def test_selection_of_filters_in_a_window(library: Library) -> None:
    where, params = to_sql(FilterState(countries=("CN",)), "e")
    # 2024: the two aerospace events; the 2023 US period is not China's
    sel = q.selection(library, where, params, _day(2024, 1, 1), _day(2024, 12, 31))
    assert sel.count == 3  # the aerospace pair, and the US period through China as target
    assert q.selection(library, where, params, _day(2030, 1, 1), _day(2031, 1, 1)).count == 0


def test_cited_sources_follow_the_window_and_the_filters(library: Library) -> None:
    every = {s.key for s in q.cited_sources(library)}
    assert every == {"src-scmp", "src-hk01", "src-reuters-2024-05-30"}
    # 2026: only the 63-item list events, from the Hong Kong 01 report
    window = q.cited_sources(library, "1", [], _day(2026, 1, 1), _day(2026, 12, 31))
    assert {s.key for s in window} == {"src-hk01"}
    # the dated announcement cites Reuters for its date, besides its quotes' source
    where, params = to_sql(FilterState(statuses=("announced",)), "e")
    assert {s.key for s in q.cited_sources(library, where, params)} >= {
        "src-scmp",
        "src-reuters-2024-05-30",
    }


def test_cited_sources_of_events_by_id(library: Library) -> None:
    rows, truncated = q.window_events(library, "1", [], _day(2024, 5, 1), _day(2024, 5, 31))
    assert not truncated and [r[7] for r in rows] == [
        "US sanctions and restrictions on Chinese companies",
        "China announces export controls on aerospace items",
    ]
    keys = {s.key for s in q.cited_sources_of(library, [r[0] for r in rows])}
    assert keys == {"src-scmp", "src-reuters-2024-05-30"}


def test_window_events_are_in_start_order_and_say_when_truncated(library: Library) -> None:
    rows, truncated = q.window_events(library, "1", [], 0, 10**6, limit=4)
    assert truncated and len(rows) == 4
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)


def test_binned_densities_equal_the_painters_own_binning(library: Library) -> None:
    table = WindowReader(library).densities("agency")
    for bin_days in (1, 7, 30, 365):
        rows = q.binned_densities(library, "agency", bin_days)
        for lane in table.lanes:
            mine = {k: n for key, k, n in rows if key == lane}
            k0 = min(mine)
            expected = table.binned(lane, k0, max(mine) - k0 + 1, bin_days)
            assert [mine.get(k, 0) for k in range(k0, max(mine) + 1)] == expected


def test_binned_events_count_the_filtered_events(library: Library) -> None:
    where, params = to_sql(FilterState(countries=("CN",)), "e")
    rows = q.binned_events(library, where, params, "country", 10_000)
    assert sum(n for _, _, n in rows) == q.selection(library, where, params).count


def test_an_unknown_lane_mode_is_refused(library: Library) -> None:
    with pytest.raises(ValueError, match="lane mode"):
        q.selection(library, mode="topic")
