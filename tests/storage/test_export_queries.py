"""The export queries: what the filters select in a window, the sources cited, the bins drawn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from explorer.domain.filters import FilterState, to_sql
from explorer.storage import export_queries as q
from explorer.storage.facets import agency_aliases
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.window import WindowReader


@pytest.fixture
def library(mini_store: Path) -> Iterator[Library]:
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


# ----------------------------------------------------------------- a generated store


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Six thousand synthetic events: bursts, periods, many lanes, dates to the month."""
    path = tmp_path_factory.mktemp("gen") / "g.sqlite"
    generate(path, 6000, seed=3)
    lib = Library([EventStore(path)])
    yield lib
    lib.close()


def _touching(lib: Library, where: str, params: list[object], a: int, b: int) -> list[tuple]:  # type: ignore[type-arg]
    """Brute force: every matching event whose span touches [a, b], with its lanes."""
    return (
        lib.stores[0]
        .conn.execute(
            f"SELECT e.id, e.lane_country, e.lane_agency, e.start_day FROM events e "
            f"WHERE e.start_day <= ? AND e.end_day >= ? AND {where}",
            [b, a, *params],
        )
        .fetchall()
    )


STATES = [
    FilterState(),
    FilterState(countries=("US",)),
    FilterState(kinds=("proposal", "statement"), agencies=("bis",)),
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("mode", ["country", "agency"])
def test_lane_counts_of_a_window_are_exact(generated: Library, state: FilterState, mode: str):  # type: ignore[no-untyped-def]
    where, params = to_sql(state, "e")
    lo, hi = WindowReader(generated).extent() or (0, 0)
    for a, b in [(lo, hi), (lo + 3000, lo + 3365), (lo + 5000, lo + 5003), (hi + 10, hi + 20)]:
        want: dict[tuple[int, str], int] = {}
        for row in _touching(generated, where, params, a, b):
            key = (0, row[1] if mode == "country" else row[2])
            want[key] = want.get(key, 0) + 1
        assert q.lane_counts(generated, where, params, a, b, mode) == want


@pytest.mark.parametrize("mode", ["country", "agency"])
def test_lane_days_bin_as_the_timelines_density_table(generated: Library, mode: str) -> None:
    table = WindowReader(generated).densities(mode)
    whole = q.lane_days(generated, mode)
    assert sorted(whole.lanes) == sorted(table.lanes)
    for lane in table.lanes:
        assert whole.total(lane) == table.count(-(10**9), 10**9, lane)
    lo, hi = table.first_day, table.last_day
    for bin_days in (1, 7, 13, 365):
        k0, bins = lo // bin_days - 1, (hi - lo) // bin_days + 3
        lanes: list[tuple[int, str] | None] = [None, *table.lanes]
        for key in lanes:
            assert whole.binned(key, k0, bins, bin_days) == table.binned(key, k0, bins, bin_days)
    # A window read with a margin bins that window exactly.
    a, b = lo + 2000, lo + 2400
    part = q.lane_days(generated, mode, a - 400, b + 400)
    for bin_days in (1, 3):
        for lane in table.lanes:
            k0, bins = a // bin_days, (b - a) // bin_days + 1
            assert part.binned(lane, k0, bins, bin_days) == table.binned(lane, k0, bins, bin_days)


@pytest.mark.parametrize("mode", ["country", "agency"])
def test_lane_labels_are_the_timelines(generated: Library, mode: str) -> None:
    labels = q.lane_labels(generated, mode)
    for lane in WindowReader(generated).lanes(mode):
        assert q.label_of(labels, lane.key) == lane.label
    assert q.label_of(labels, (1, "XX")) == "Imported · XX"


def test_cited_sources_of_a_narrow_window_read_event_by_event_agree(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [
        ("1", [], _day(2024, 5, 1), _day(2024, 5, 31)),
        ("1", [], _day(2026, 1, 1), _day(2026, 12, 31)),
        (*to_sql(FilterState(statuses=("announced",)), "e"), _day(2024, 1, 1), _day(2024, 12, 31)),
        ("1", [], _day(2030, 1, 1), _day(2031, 1, 1)),
    ]
    narrow = [{s.key for s in q.cited_sources(library, w, p, a, b)} for w, p, a, b in cases]
    monkeypatch.setattr(q, "WINDOW_SCAN", 0)  # every window source by source
    wide = [{s.key for s in q.cited_sources(library, w, p, a, b)} for w, p, a, b in cases]
    assert narrow == wide
    assert narrow[0] == {"src-scmp", "src-reuters-2024-05-30"} and narrow[3] == set()


def test_matching_ids_are_in_date_order_across_stores(mini_store: Path, tmp_path: Path) -> None:
    user = tmp_path / "u.sqlite"
    generate(user, 300, seed=9)
    lib = Library([EventStore(mini_store), EventStore(user)])
    for state in (FilterState(), FilterState(countries=("CN",)), FilterState(search="nothing")):
        where, params = to_sql(state, "e")
        want = sorted(
            (day, local * 4 + slot)
            for slot, store in enumerate(lib.stores)
            for local, day in store.conn.execute(
                f"SELECT e.id, e.start_day FROM events e WHERE {where}", params
            )
        )
        assert list(q.matching_ids(lib, where, params)) == [gid for _, gid in want]
    assert len(q.matching_ids(lib)) == 306
    lib.close()


def test_agency_aliases_in_every_script(library: Library) -> None:
    aliases = agency_aliases(library)
    assert aliases["mofcom"] == ["MOFCOM", "商务部"]
    assert "ファン・グオビン" in aliases["fan-guobing"]
