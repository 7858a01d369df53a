"""Lane packing: marks and labels never overlap in a row, every event is shown exactly once;
labels go where they fit (either side of their mark, shortened before they are dropped); count
marks are compact; lanes stack and scroll; imported lists read as one mark per list and day."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.domain.lanes import (
    BEFORE_SEP,
    GAP_PX,
    LABEL_PAD,
    MIN_LABEL_PX,
    Mark,
    badge_width,
    clamp_scroll,
    lane_tops,
    listing_groups,
    pack,
    scroll_to_show,
    stack_lanes,
)


@st.composite
def lanes(draw: st.DrawFn) -> list[Mark]:
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(-50, 2000),
                st.sampled_from([0, 0, 2, 6, 30, 150, 400]),
                st.sampled_from([0, 0, 20, 60, 180]),
            ),
            max_size=80,
        )
    )
    out = [Mark(i, float(x0), float(x0 + w), float(label)) for i, (x0, w, label) in enumerate(raw)]
    out.sort(key=lambda m: m.x0)
    return out


@settings(max_examples=200)
@given(lanes(), st.integers(1, 6), st.booleans())
def test_nothing_overlaps_in_a_row(marks: list[Mark], rows: int, labels: bool) -> None:
    packing = pack(marks, rows, labels=labels)
    for row in packing.occupied():
        for (_, right), (left, _) in itertools.pairwise(row):
            assert right + GAP_PX <= left + 1e-9


@settings(max_examples=200)
@given(lanes(), st.integers(1, 6))
def test_every_event_is_in_exactly_one_mark_or_badge(marks: list[Mark], rows: int) -> None:
    packing = pack(marks, rows)
    shown = [p.id for p in packing.placed] + [i for c in packing.clusters for i in c.ids]
    assert sorted(shown) == [m.id for m in sorted(marks, key=lambda m: m.id)]
    assert all(c.count >= 2 for c in packing.clusters)


@given(lanes(), st.integers(1, 6))
def test_labels_sit_beside_or_inside_their_mark(marks: list[Mark], rows: int) -> None:
    by_id = {m.id: m for m in marks}
    for p in pack(marks, rows).placed:
        if p.label_x is not None:
            m = by_id[p.id]
            assert p.label_end is not None
            # after the mark (or inside its bar), or before it
            assert p.label_x >= m.x0 or p.label_end <= m.x0 - LABEL_PAD + 1e-9
            # a label keeps its full width, or is elided to no less than MIN_LABEL_PX
            assert p.label_end - p.label_x >= min(m.label_px, MIN_LABEL_PX) - 1e-9


def test_spread_out_events_all_get_labels() -> None:
    marks = [Mark(i, i * 200.0, i * 200.0 + 6, 120) for i in range(8)]
    packing = pack(marks, 1)
    assert not packing.clusters
    assert all(p.label_x is not None and p.row == 0 for p in packing.placed)


def test_crowded_events_take_more_rows_then_merge_into_a_badge() -> None:
    marks = [Mark(i, 100.0 + i, 106.0 + i, 80) for i in range(10)]
    packing = pack(marks, 3)
    assert len(packing.placed) == 2  # two rows hold a mark each, the third a badge
    assert sum(c.count for c in packing.clusters) == 8


def test_a_long_label_is_shortened_before_anything_merges() -> None:
    marks = [Mark(0, 0.0, 6.0, 400), Mark(1, 150.0, 156.0, 80)]
    packing = pack(marks, 1)
    assert not packing.clusters
    first, second = packing.placed
    assert first.label_x is not None and first.right <= second.x0 - GAP_PX
    assert second.label_x is not None


@settings(max_examples=200)
@given(lanes(), st.integers(1, 6), st.integers(300, 2100))
def test_with_a_limit_labels_stay_inside_the_plot_and_nothing_overlaps(
    marks: list[Mark], rows: int, limit: int
) -> None:
    marks = [m for m in marks if m.x0 >= 0 and m.x1 <= limit]
    packing = pack(marks, rows, limit=float(limit))
    by_id = {m.id: m for m in marks}
    for p in packing.placed:
        if p.label_x is None:
            continue
        assert p.label_end is not None
        m = by_id[p.id]
        # inside the plot, never over the mark itself, at least MIN_LABEL_PX (or whole)
        assert p.label_x >= 0 and p.label_end <= max(limit, m.x1) + 1e-9
        assert p.label_end <= m.x0 or p.label_x >= m.x0
        assert p.label_end - p.label_x >= min(m.label_px, MIN_LABEL_PX) - 1e-9
    for row in packing.occupied():
        for (_, right), (left, _) in itertools.pairwise(row):
            assert right + GAP_PX <= left + 1e-9


def test_a_label_at_the_right_edge_goes_before_its_mark() -> None:
    packing = pack([Mark(0, 100.0, 106.0, 50), Mark(1, 960.0, 966.0, 120)], 1, limit=1000.0)
    first, last = packing.placed
    assert first.label_x == 100.0 + 6 + 4  # after its mark, as usual
    assert last.label_end is not None and last.label_x is not None
    assert last.label_end <= 960.0 and last.label_end - last.label_x == 120


def test_a_label_goes_before_its_mark_when_after_it_would_cover_the_next_mark() -> None:
    marks = [Mark(0, 400.0, 410.0, 200), Mark(1, 420.0, 430.0, 200)]
    packing = pack(marks, 2, limit=1000.0)
    assert not packing.clusters
    first = next(p for p in packing.placed if p.id == 0)
    # the room before a mark is room its row can no longer use: the label takes it
    assert first.label_end is not None and first.label_end <= 400.0 - LABEL_PAD
    assert all(p.label_x is not None for p in packing.placed)


def test_a_label_before_its_mark_keeps_clear_of_the_mark_before_it() -> None:
    marks = [Mark(0, 50.0, 60.0, 0), Mark(1, 260.0, 270.0, 140), Mark(2, 280.0, 290.0, 0)]
    placed = {p.id: p for p in pack(marks, 1, limit=1000.0).placed}
    label = placed[1]
    assert label.label_x is not None and label.label_x < 260.0  # before its mark
    assert label.label_x >= 60.0 + GAP_PX + BEFORE_SEP - 1e-9
    # too close to the mark before it: the label goes after its mark instead
    marks = [Mark(0, 120.0, 130.0, 0), Mark(1, 260.0, 270.0, 140)]
    placed = {p.id: p for p in pack(marks, 1, limit=1000.0).placed}
    assert placed[1].label_x == 270.0 + LABEL_PAD


def test_a_count_mark_is_compact_whatever_its_members_span() -> None:
    # a crowd spread over 300 pixels in one row: one mark of a fixed width per count
    marks = [Mark(i, 100.0 + i * 4, 106.0 + i * 4 + (300 if i == 0 else 0), 0) for i in range(9)]
    packing = pack(marks, 1, labels=False)
    assert packing.placed == [] and sum(c.count for c in packing.clusters) == 9
    for c in packing.clusters:
        assert c.x1 - c.x0 == badge_width(c.count) < 40  # never stretched over the 300 px
    assert badge_width(9) == badge_width(2) < badge_width(12)


def test_a_label_may_be_shortened_no_further_than_its_mark_asks() -> None:
    # a listing's date and count (min_px) must stay whole when its label is shortened
    marks = [Mark(0, 0.0, 10.0, 400, 150), Mark(1, 120.0, 130.0, 0)]
    first = pack(marks, 1, limit=1000.0, min_label=60).placed[0]
    assert first.label_x is None or (first.label_end or 0) - first.label_x >= 150


def test_lanes_take_what_they_need_and_share_what_is_left() -> None:
    assert stack_lanes([40, 100, 26], 500, share_max=60, grows=[True, True, False]) == [
        100,
        160,
        26,
    ]
    assert stack_lanes([40, 100], 120) == [40, 100]  # more than the room: the area scrolls
    assert lane_tops([40, 100, 26], 46) == [46, 86, 186]


def test_scrolling_stays_in_range_and_shows_what_is_asked() -> None:
    assert clamp_scroll(-5, 1000, 300) == 0
    assert clamp_scroll(900, 1000, 300) == 700
    assert clamp_scroll(50, 200, 300) == 0  # everything fits
    assert scroll_to_show(0, 500, 540, 300) == 240  # below: scrolled until its bottom shows
    assert scroll_to_show(400, 100, 140, 300) == 100  # above: until its top shows
    assert scroll_to_show(100, 150, 200, 300) == 100  # in view: no move
    assert scroll_to_show(0, 500, 1000, 300) == 500  # taller than the page: its top


def test_listings_are_one_per_list_and_day() -> None:
    entries = [(1, 10, "SDN"), (2, 10, "SDN"), (3, 12, "EL"), (4, 10, "EL"), (5, 11, "SDN")]
    assert listing_groups(entries) == {"SDN": [[1, 2], [5]], "EL": [[4], [3]]}
