"""Facet counts under the other filters, N of M, and the matching set across several stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.domain.filters import EventRecord, FilterState, parse_bound
from explorer.storage.facets import FacetIndex, facet_labels, facet_values
from explorer.storage.library import Library, split_id
from explorer.storage.records import write_records
from explorer.storage.store import EventStore


@pytest.fixture
def index(mini_store: Path):  # type: ignore[no-untyped-def]
    lib = Library([EventStore(mini_store)])
    yield FacetIndex(lib)
    lib.close()


def test_counts_with_no_filter_are_the_plain_tallies(index: FacetIndex) -> None:
    counts = index.counts(FilterState())
    assert counts.text() == "6 of 6 events"
    assert counts.counts["kinds"] == {
        "announcement": 2,
        "rule_in_force": 1,
        "sanction_listing": 1,
        "proposal": 1,
        "report": 1,
    }
    # A country counts through the lane and through any role (US is a target of CN events).
    assert counts.counts["countries"]["CN"] == 5
    assert counts.counts["countries"]["US"] == 3
    # An agency counts as the lane agency or an issuer (customs issued the announcement).
    assert counts.counts["agencies"]["gac"] == 1
    assert counts.counts["items"]["engines"] == 1


def test_a_facet_keeps_its_own_alternatives_visible(index: FacetIndex) -> None:
    counts = index.counts(FilterState(kinds=("announcement",)))
    assert counts.matching == 2
    # The kind facet ignores its own selection, so other kinds still show what they would add.
    assert counts.counts["kinds"]["proposal"] == 1
    # Other facets count only announcements.
    assert counts.counts["countries"].get("US", 0) == 1
    assert counts.counts["statuses"] == {
        "announced": 2,
        "in_force": 0,
        "reported": 0,
        "proposed": 0,
    }


def test_date_range_and_search_narrow_every_facet(index: FacetIndex) -> None:
    state = FilterState(
        date_from=parse_bound("2024"), date_to=parse_bound("2024-06"), search="商务"
    )
    counts = index.counts(state)
    # The 2023-2024 sanctions period touches 2024 but does not mention 商务.
    assert counts.matching == 1
    assert counts.counts["kinds"]["announcement"] == 1
    result = index.result(state)
    assert result.count == 1 and len(result.ids()) == 1


def test_several_stores_are_counted_together(mini_store: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.sqlite"
    write_records(
        user,
        [
            EventRecord(
                1,
                "sanction_listing",
                "in_force",
                "US",
                "ofac",
                "",
                739000,
                739000,
                texts=("OFAC lists 3 entities", "", "", "", ""),
            ),
            EventRecord(
                2,
                "sanction_listing",
                "in_force",
                "CN",
                "mofcom",
                "",
                739100,
                739100,
                texts=("MOFCOM lists 28 US entities", "", "", "", ""),
            ),
        ],
    )
    lib = Library([EventStore(mini_store), EventStore(user)])
    try:
        idx = FacetIndex(lib)
        counts = idx.counts(FilterState(kinds=("sanction_listing",)))
        assert counts.text() == "3 of 8 events"
        assert counts.counts["agencies"]["mofcom"] == 1
        result = idx.result(FilterState(kinds=("sanction_listing",), countries=("CN",)))
        ids = result.ids()
        assert result.count == 2 and [split_id(g)[0] for g in ids].count(1) == 1
        assert all(g in result for g in ids)
        assert not any(g in result for g in range(0, 60) if g not in ids)
        labels = facet_labels(lib)
        assert labels["countries"]["CN"] == "China"
        assert "ofac" in facet_values(lib)["agencies"]
    finally:
        lib.close()


def test_user_store_events_out_of_date_order_still_filter_by_date(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    days = [739300, 739000, 739200, 739100]
    write_records(
        path,
        [EventRecord(i + 1, "report", "reported", "US", "x", "", d, d) for i, d in enumerate(days)],
    )
    with EventStore(path) as store:
        idx = FacetIndex(Library([store]))
        result = idx.result(FilterState(date_to=parse_bound("2024-05-15")))
        # day 739000 is 24 April 2024, the only event on or before mid-May 2024
        assert [split_id(g)[1] for g in result.ids()] == [2]
        assert [split_id(g)[1] for g in idx.result(FilterState()).ids()] == [2, 4, 3, 1]


def test_select_picks_the_matching_items_of_the_library_list(
    mini_store: Path, tmp_path: Path
) -> None:
    user = tmp_path / "user.sqlite"
    write_records(user, [EventRecord(1, "proposal", "proposed", "US", "bis", "", 739000, 739000)])
    for stores in ([mini_store], [mini_store, user]):
        lib = Library([EventStore(p) for p in stores])
        try:
            everything = lib.summaries()
            for state in (FilterState(kinds=("proposal",)), FilterState(countries=("CN",))):
                result = FacetIndex(lib).result(state)
                picked = result.select(everything)
                assert [e.id for e in picked] == [e.id for e in everything if e.id in result]
                assert len(picked) == result.count
        finally:
            lib.close()


def test_agency_aliases_in_every_script(mini_store: Path) -> None:
    from explorer.storage.facets import agency_aliases

    lib = Library([EventStore(mini_store)])
    aliases = agency_aliases(lib)
    assert aliases["mofcom"] == ["MOFCOM", "商务部"]
    assert "ファン・グオビン" in aliases["fan-guobing"]
    lib.close()
