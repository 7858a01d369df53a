"""The words around a picture: legend, filters, cited sources, record (pure, no Qt)."""

from __future__ import annotations

from datetime import date

import pytest

from explorer.domain.dates import PartialDate
from explorer.domain.model import Kind, Source, Status
from explorer.render.snapshot import (
    KeyEntry,
    cited_sources,
    legend_entries,
    list_source,
    make_snapshot,
)

A = Source("a", "Later article", "Reuters", "en", PartialDate(2024, 5, 30), "https://r/a")
B = Source(
    "b", "Earlier report", "South China Morning Post", "en", PartialDate(2023), "https://s/b"
)
C = Source("c", "Undated memo", "", "en", None)


def test_cited_sources_are_distinct_and_ordered_by_date_undated_last() -> None:
    listed, more = cited_sources([A, C, B, A, B])
    assert [s.title for s in listed] == ["Earlier report", "Later article", "Undated memo"]
    assert more == 0
    assert listed[0].date == "2023" and listed[1].date == "30 May 2024" and listed[2].date == "n.d."
    assert listed[1].line == "Reuters, “Later article”, 30 May 2024, https://r/a"
    assert listed[2].line == "“Undated memo”, n.d."
    assert listed[1].citation.startswith("Reuters. (2024, May 30). Later article.")


def test_a_source_limit_says_how_many_were_left_out() -> None:
    listed, more = cited_sources([A, B, C], limit=2)
    assert len(listed) == 2 and more == 1


def test_legend_lists_only_the_kinds_and_statuses_shown_in_a_fixed_order() -> None:
    legend = legend_entries([Kind.PROPOSAL, Kind.ANNOUNCEMENT], [Status.PROPOSED], forms=False)
    assert [(e.group, e.label) for e in legend] == [
        ("kind", "Announcement"),
        ("kind", "Proposal"),
        ("status", "Proposed (hollow, dashed)"),
    ]
    # the forms a reader must know follow: periods, bands of partial dates, count badges
    assert len(legend_entries()) == len(Kind) + len(Status) + 3
    assert [e.key for e in legend_entries() if e.group == "form"] == ["period", "band", "badge"]


def test_snapshot_words() -> None:
    snap = make_snapshot(
        window=(738000.0, 738400.0),
        range_text="May 2024 – June 2025",
        lane_mode="agency",
        shown=37,
        total=1200,
        filters=["Country: China", "Kind: Proposal"],
        sources=[A, B],
        data_version="2026.1",
        exported=date(2026, 11, 25),
    )
    assert snap.title == "US–China export controls, May 2024 – June 2025"
    assert snap.counts_text == "37 of 1,200 events"
    assert snap.filters_text == "Filters: Country: China; Kind: Proposal"
    assert "Data version 2026.1" in snap.record_text
    assert "exported 2026-11-25" in snap.record_text and "lanes by agency" in snap.record_text
    assert [s.title for s in snap.sources] == ["Earlier report", "Later article"]


def test_no_filters_is_said_in_words_and_a_custom_title_is_kept() -> None:
    snap = make_snapshot(
        window=(0.0, 1.0), range_text="2024", lane_mode="country", shown=1, total=1, title="Fig. 1"
    )
    assert snap.filters_text == "Filters: none (every event)"
    assert snap.title == "Fig. 1"
    assert snap.counts_text == "1 of 1 event"
    assert "Data version unknown" in snap.record_text


def test_unknown_lane_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="lane mode"):
        make_snapshot(window=(0, 1), range_text="", lane_mode="topic", shown=0, total=0)


def test_an_imported_list_file_is_one_line_with_what_it_covers() -> None:
    line = list_source(
        "ofac_sdn_2024-05-03.csv",
        "file:///data/ofac_sdn_2024-05-03.csv",
        importer="OFAC SDN, as of 2024-05-03",
        imported="2026-01-02T10:00:00+00:00",
        listings=75,
        entities=6761,
        lists=["Specially Designated Nationals (SDN)"],
        records=1,
    )
    assert line.line == (
        "Imported list (OFAC SDN, as of 2024-05-03), “ofac_sdn_2024-05-03.csv”, imported "
        "2 January 2026: 75 listings, 6,761 entities (Specially Designated Nationals (SDN)); "
        "citing 1 record of its own, file:///data/ofac_sdn_2024-05-03.csv"
    )
    many = list_source("x.csv", "", lists=["a", "b", "c", "d", "e"], listings=1, entities=1)
    assert "1 listing, 1 entity (a; b; c; 2 more lists)" in many.words


def test_imported_lists_follow_the_sources_and_a_key_entry_reads_in_one_line() -> None:
    lists = (list_source("x.csv", "file:///x.csv", listings=2),)
    snap = make_snapshot(
        window=(0.0, 1.0),
        range_text="from 1 January 2024",
        span_text="January 2024 – June 2026",
        lane_mode="country",
        shown=2,
        total=9,
        sources=[A, B],
        lists=lists,
    )
    assert [s.title for s in snap.sources] == ["Earlier report", "Later article", "x.csv"]
    assert snap.title == "US–China export controls, from 1 January 2024"
    assert snap.span_text == "January 2024 – June 2026"
    entry = KeyEntry(3, "30 May 2024", "China announces export controls")
    assert entry.line == "3 · 30 May 2024 · China announces export controls"
    assert (
        KeyEntry(4, "", "SDN · 3 May 2024 · 12 entries").line == "4 · SDN · 3 May 2024 · 12 entries"
    )
