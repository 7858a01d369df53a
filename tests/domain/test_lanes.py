"""Lane packing: marks and labels never overlap in a row, every event is shown exactly once."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.domain.lanes import GAP_PX, MIN_LABEL_PX, Mark, pack


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
            assert p.label_x >= m.x0
            # a label keeps its full width, or is elided to no less than MIN_LABEL_PX
            assert p.right - p.label_x >= min(m.label_px, MIN_LABEL_PX) - 1e-9


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
