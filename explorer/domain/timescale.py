"""The timeline's time <-> pixel mapping, zoom and pan maths, axis ticks and the range in words.

Time is measured in store day numbers (``date.toordinal()``) as floats: day ``n`` covers
``[n, n + 1)``, so an event on one day is drawn from ``x(n)`` to ``x(n + 1)``. A TimeScale is an
immutable value (the visible window and the width in pixels); zooming and panning return a new
one, clamped between MAX_SPAN (about fifty years across the width) and MIN_SPAN (one day).

Ticks come from :mod:`dateutil.rrule`: the finest calendar unit (days, weeks, months, quarters,
years, decades ...) whose ticks stay at least ``min_px`` apart is chosen, so labels stay readable
at every zoom.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

from explorer.domain.dates import MONTH_NAMES

MIN_SPAN = 1.0  # days across the width, zoomed in furthest
MAX_SPAN = 50 * 365.25  # days across the width, zoomed out furthest
MIN_DAY = date(1900, 1, 1).toordinal()
MAX_DAY = date(2200, 1, 1).toordinal()

_MONTHS = [name[:3] for name in MONTH_NAMES]
_MONTHS_LONG = MONTH_NAMES


@dataclass(frozen=True)
class TimeScale:
    """A visible window of days mapped onto a width in pixels.

    Attributes:
        start: The day number at the left edge (a float: windows need not start at midnight).
        span: How many days the width shows.
        width: The width in pixels.
    """

    start: float
    span: float
    width: float

    def __post_init__(self) -> None:
        if self.width <= 0:
            raise ValueError("a time scale needs a positive width")
        if not MIN_SPAN * 0.999 <= self.span <= MAX_SPAN * 1.001:
            raise ValueError(f"span {self.span} days is outside {MIN_SPAN}-{MAX_SPAN}")

    # ----------------------------------------------------------------- construction

    @classmethod
    def fit(
        cls,
        first: float,
        last: float,
        width: float,
        margin: float = 0.04,
        right_margin: float | None = None,
    ) -> TimeScale:
        """The scale that shows days ``first`` to ``last`` (inclusive) with margins.

        ``margin`` is the share of the span added on the left, and on the right unless
        ``right_margin`` says otherwise (labels run to the right of their marks).
        """
        lo, hi = min(first, last), max(first, last) + 1.0
        right = margin if right_margin is None else right_margin
        span = _clamp_span((hi - lo) * (1 + margin + right))
        share = margin / (margin + right) if margin + right > 0 else 0.5
        start = lo - (span - (hi - lo)) * share
        return cls(start, span, width)._clamped()

    @property
    def end(self) -> float:
        """The day number at the right edge."""
        return self.start + self.span

    @property
    def px_per_day(self) -> float:
        return self.width / self.span

    # ----------------------------------------------------------------- mapping

    def x(self, day: float) -> float:
        """The x position (pixels from the left edge) of a day number."""
        return (day - self.start) * self.width / self.span

    def day(self, x: float) -> float:
        """The day number at an x position."""
        return self.start + x * self.span / self.width

    # ----------------------------------------------------------------- changes

    def with_width(self, width: float) -> TimeScale:
        """The same days per pixel anchored at the left edge, on a new width (a resize)."""
        if width <= 0:
            raise ValueError("a time scale needs a positive width")
        return TimeScale(self.start, _clamp_span(self.span * width / self.width), width)._clamped()

    def zoom(self, factor: float, anchor_x: float) -> TimeScale:
        """Zoom in (factor > 1) or out (factor < 1) keeping the day under ``anchor_x`` in place.

        The span is clamped between MIN_SPAN and MAX_SPAN; the anchor stays fixed either way.
        """
        if factor <= 0:
            raise ValueError("zoom factor must be positive")
        anchor_day = self.day(anchor_x)
        span = _clamp_span(self.span / factor)
        start = anchor_day - anchor_x * span / self.width
        return TimeScale(start, span, self.width)._clamped()

    def pan(self, dx: float) -> TimeScale:
        """Move the window by ``dx`` pixels (positive: content moves right, earlier days show)."""
        return TimeScale(self.start - dx * self.span / self.width, self.span, self.width)._clamped()

    def centered_on(self, day: float) -> TimeScale:
        """The same zoom with ``day`` in the middle."""
        return TimeScale(day - self.span / 2, self.span, self.width)._clamped()

    def show(self, day: float, margin_px: float = 40.0) -> TimeScale:
        """The smallest pan that brings ``day`` into view with a margin (none when visible)."""
        m = min(margin_px, self.width / 4) * self.span / self.width
        if day < self.start + m:
            return TimeScale(day - m, self.span, self.width)._clamped()
        if day > self.end - m:
            return TimeScale(day + m - self.span, self.span, self.width)._clamped()
        return self

    def _clamped(self) -> TimeScale:
        start = min(max(self.start, MIN_DAY), MAX_DAY - self.span)
        return self if start == self.start else TimeScale(start, self.span, self.width)

    # ----------------------------------------------------------------- words

    def range_text(self) -> str:
        """The visible range in words, as precise as the zoom makes useful.

        ``2001 – 2024`` zoomed out, ``March 2023 – June 2024`` at months, ``3 – 17 March 2023``
        or ``28 February – 3 March 2023`` at days.
        """
        a = date.fromordinal(math.floor(self.start))
        b = date.fromordinal(max(math.ceil(self.end) - 1, math.floor(self.start)))
        if self.span > 6 * 365:
            return f"{a.year} – {b.year}" if a.year != b.year else str(a.year)
        if self.span > 60:
            first = f"{_MONTHS_LONG[a.month - 1]} {a.year}"
            last = f"{_MONTHS_LONG[b.month - 1]} {b.year}"
            return first if first == last else f"{first} – {last}"
        if a == b:
            return f"{a.day} {_MONTHS_LONG[a.month - 1]} {a.year}"
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day} – {b.day} {_MONTHS_LONG[a.month - 1]} {a.year}"
        if a.year == b.year:
            return (
                f"{a.day} {_MONTHS_LONG[a.month - 1]} – {b.day} {_MONTHS_LONG[b.month - 1]} "
                f"{a.year}"
            )
        return (
            f"{a.day} {_MONTHS_LONG[a.month - 1]} {a.year} – "
            f"{b.day} {_MONTHS_LONG[b.month - 1]} {b.year}"
        )


def _clamp_span(span: float) -> float:
    return min(max(span, MIN_SPAN), MAX_SPAN)


# --------------------------------------------------------------------------- ticks


@dataclass(frozen=True)
class Tick:
    """One axis tick: its day number, x position, label, and whether it starts a larger unit."""

    day: int
    x: float
    label: str
    major: bool


@dataclass(frozen=True)
class _Step:
    name: str
    freq: Literal[0, 1, 2, 3, 4, 5, 6]
    interval: int
    min_days: float  # the shortest gap between two ticks of this step, in days
    label_chars: int  # the longest label, to keep labels apart


# Finest first. min_days is the shortest possible gap (February, a 365-day year) so that the
# spacing guarantee holds for every window, not just on average.
_STEPS = (
    _Step("day", DAILY, 1, 1, 6),
    _Step("2 days", DAILY, 2, 2, 6),
    _Step("week", WEEKLY, 1, 7, 6),
    _Step("2 weeks", WEEKLY, 2, 14, 6),
    _Step("month", MONTHLY, 1, 28, 8),
    _Step("quarter", MONTHLY, 3, 89, 7),
    _Step("half", MONTHLY, 6, 181, 7),
    _Step("year", YEARLY, 1, 365, 4),
    _Step("2 years", YEARLY, 2, 730, 4),
    _Step("5 years", YEARLY, 5, 1825, 4),
    _Step("decade", YEARLY, 10, 3650, 4),
    _Step("20 years", YEARLY, 20, 7300, 4),
    _Step("50 years", YEARLY, 50, 18250, 4),
)

CHAR_PX = 7.0  # average width of an axis label character at the axis font, for spacing


def tick_step(scale: TimeScale, min_px: float = 60.0) -> str:
    """The name of the tick step :func:`ticks` uses for this scale ("month", "year", ...)."""
    return _choose(scale, min_px).name


def _choose(scale: TimeScale, min_px: float) -> _Step:
    for step in _STEPS:
        gap = step.min_days * scale.px_per_day
        if gap >= max(min_px, step.label_chars * CHAR_PX + 12):
            return step
    return _STEPS[-1]


def ticks(scale: TimeScale, min_px: float = 60.0) -> list[Tick]:
    """The axis ticks inside the window, increasing, at least ``min_px`` apart.

    Labels name what is new at that tick: ``2024`` at years, ``Q3`` or ``Jul`` within a year
    (``2024`` at its first quarter or month), ``8 Jul`` at days and weeks. A tick is ``major``
    when it starts a larger unit (a year for months and quarters, a month for days and weeks, a
    decade for years).

    The calendar dates come from :func:`dateutil.rrule.rrule`, generated for a stretch three
    windows wide and kept per step, so that panning and zooming within a step (every frame)
    only looks them up.
    """
    step = _choose(scale, min_px)
    lo = max(math.ceil(scale.start), MIN_DAY)
    hi = min(math.floor(scale.end), MAX_DAY - 1)
    if hi < lo:
        return []
    cached = _TICK_CACHE.get(step.name)
    if cached is None or not (cached[0] <= lo and hi <= cached[1]):
        reach = max(int(scale.span), 1)
        a, b = max(lo - reach, MIN_DAY), min(hi + reach, MAX_DAY - 1)
        cached = (a, b, _tick_days(step, a, b))
        _TICK_CACHE[step.name] = cached
    days = cached[2]
    i = bisect.bisect_left(days, (lo,))
    j = bisect.bisect_right(days, (hi, "\uffff"))
    x = scale.x
    return [Tick(n, x(n), label, major) for n, label, major in days[i:j]]


_TICK_CACHE: dict[str, tuple[int, int, list[tuple[int, str, bool]]]] = {}


def _tick_days(step: _Step, lo: int, hi: int) -> list[tuple[int, str, bool]]:
    """(day number, label, major) of every tick of ``step`` from day ``lo`` to ``hi``."""
    first = date.fromordinal(lo)
    if step.freq == YEARLY:
        year0 = first.year - first.year % step.interval
        dtstart = datetime(year0, 1, 1)
    elif step.freq == MONTHLY:
        month0 = (first.month - 1) // step.interval * step.interval + 1
        dtstart = datetime(first.year, month0, 1)
    elif step.freq == WEEKLY:
        # Weeks start on Monday; two-week steps keep a fixed phase so panning never shifts them.
        monday = lo - first.weekday()
        if step.interval == 2:
            monday -= (monday // 7) % 2 * 7
        dtstart = datetime.combine(date.fromordinal(monday), datetime.min.time())
    else:
        day0 = lo - (lo % step.interval)
        dtstart = datetime.combine(date.fromordinal(day0), datetime.min.time())
    until = datetime.combine(date.fromordinal(hi), datetime.min.time())
    out: list[tuple[int, str, bool]] = []
    for dt in rrule(step.freq, dtstart=dtstart, interval=step.interval, until=until):
        d = dt.date()
        n = d.toordinal()
        if n >= lo:
            out.append((n, _label(step, d), _is_major(step, d)))
    return out


def _is_major(step: _Step, d: date) -> bool:
    if step.freq == YEARLY:
        return d.year % (step.interval * 5 if step.interval < 10 else step.interval * 2) == 0
    if step.freq == MONTHLY:
        return d.month == 1
    return d.day <= (step.interval * 7 if step.freq == WEEKLY else step.interval)


def _label(step: _Step, d: date) -> str:
    if step.freq == YEARLY:
        return str(d.year)
    if step.freq == MONTHLY:
        if d.month == 1:
            return str(d.year)
        if step.interval == 3:
            return f"Q{(d.month - 1) // 3 + 1}"
        if step.interval == 6:
            return "H2"
        return _MONTHS[d.month - 1]
    return f"{d.day} {_MONTHS[d.month - 1]}"
