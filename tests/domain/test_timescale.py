"""TimeScale: pixel mapping, zoom anchored at the cursor, pan, clamping, ticks, range in words."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from explorer.domain.timescale import MAX_SPAN, MIN_SPAN, TimeScale, tick_step, ticks

D2023 = date(2023, 1, 1).toordinal()

starts = st.floats(min_value=date(1950, 1, 1).toordinal(), max_value=date(2100, 1, 1).toordinal())
spans = st.floats(min_value=MIN_SPAN, max_value=MAX_SPAN)
widths = st.floats(min_value=200, max_value=4000)


@st.composite
def scales(draw: st.DrawFn) -> TimeScale:
    return TimeScale(draw(starts), draw(spans), draw(widths))


@given(scales(), st.floats(min_value=-5000, max_value=5000))
def test_pixel_and_day_round_trip(scale: TimeScale, x: float) -> None:
    assert scale.x(scale.day(x)) == pytest.approx(x, abs=1e-6 * max(1.0, abs(x)))


@given(scales(), st.floats(min_value=0.05, max_value=20), st.floats(min_value=0, max_value=1))
def test_zoom_keeps_the_day_under_the_cursor_in_place(
    scale: TimeScale, factor: float, where: float
) -> None:
    anchor = where * scale.width
    zoomed = scale.zoom(factor, anchor)
    assert MIN_SPAN <= zoomed.span <= MAX_SPAN
    assert zoomed.day(anchor) == pytest.approx(scale.day(anchor), abs=1e-6)


@given(scales(), st.floats(min_value=-3000, max_value=3000))
def test_pan_moves_content_with_the_pointer(scale: TimeScale, dx: float) -> None:
    panned = scale.pan(dx)
    assume(panned.start == scale.start - dx / scale.px_per_day)  # not stopped at MIN/MAX_DAY
    assert panned.span == scale.span
    # the day that was at x is now at x + dx
    assert panned.x(scale.day(100.0)) == pytest.approx(100.0 + dx, abs=1e-6)


def test_zoom_is_clamped_between_decades_and_one_day() -> None:
    scale = TimeScale(D2023, 365, 1600)
    for _ in range(40):
        scale = scale.zoom(2, 800)
    assert scale.span == pytest.approx(MIN_SPAN)
    for _ in range(40):
        scale = scale.zoom(0.5, 800)
    assert scale.span == pytest.approx(MAX_SPAN)


def test_fit_shows_both_ends() -> None:
    a, b = D2023, D2023 + 500
    scale = TimeScale.fit(a, b, 1000)
    assert scale.start < a and scale.end > b + 1
    assert 0 < scale.x(a) < scale.x(b + 1) < 1000


def test_show_pans_only_when_needed() -> None:
    scale = TimeScale(D2023, 100, 1000)
    assert scale.show(D2023 + 50) is scale
    moved = scale.show(D2023 + 300)
    assert moved.start < D2023 + 300 < moved.end and moved.span == scale.span


@settings(max_examples=300)
@given(scales(), st.floats(min_value=20, max_value=120))
def test_ticks_increase_stay_inside_and_never_crowd(scale: TimeScale, min_px: float) -> None:
    out = ticks(scale, min_px)
    xs = [t.x for t in out]
    assert all(0 <= x <= scale.width + 1e-6 for x in xs)
    assert all(b - a >= min_px - 1e-6 for a, b in itertools.pairwise(xs))
    assert all(t.label for t in out)


@pytest.mark.parametrize(
    ("span", "step"),
    [
        (40 * 365, "2 years"),
        (15 * 365, "year"),
        (10 * 365, "half"),
        (3 * 365, "quarter"),
        (400, "month"),
        (80, "week"),
        (20, "day"),
    ],
)
def test_the_step_follows_the_zoom(span: float, step: str) -> None:
    assert tick_step(TimeScale(D2023, span, 1600)) == step


def test_month_ticks_name_the_year_at_january() -> None:
    labels = [t.label for t in ticks(TimeScale(D2023 - 40, 400, 1600))]
    assert labels[:3] == ["Dec", "2023", "Feb"] or labels[:2] == ["2023", "Feb"]


def test_day_ticks_read_as_day_and_month() -> None:
    labels = [t.label for t in ticks(TimeScale(date(2024, 5, 28).toordinal(), 7, 1600))]
    assert labels[:4] == ["28 May", "29 May", "30 May", "31 May"]


@pytest.mark.parametrize(
    ("start", "span", "text"),
    [
        (date(2001, 3, 1), 23 * 365, "2001 – 2024"),
        (date(2023, 3, 1), 480, "March 2023 – June 2024"),
        (date(2023, 3, 3), 15, "3 – 17 March 2023"),
        (date(2024, 5, 30), 1, "30 May 2024"),
    ],
)
def test_the_visible_range_in_words(start: date, span: float, text: str) -> None:
    assert TimeScale(start.toordinal(), span, 1600).range_text() == text
