"""The view a student looks at, as one plain value: filters, visible window, lanes, selection.

`ViewState` is what the window shows and what every export, saved view and `PTV1.` token holds.
It is immutable: the workspace that owns it (`explorer.qt.workspace.Workspace`) replaces it
with a changed copy (`with_filters`, `with_window`, ...) and tells everyone what changed, and a
background job can read the copy it was given while the student goes on clicking. Nothing here
knows about Qt, SQLite or pixels; the window is in days, whatever the screen's width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from explorer.domain.filters import FIRST_DAY, LAST_DAY, FilterState, shown
from explorer.domain.timescale import MAX_DAY, MAX_SPAN, MIN_DAY, MIN_SPAN

LANE_MODES = ("country", "agency")

#: The spans a window may have: what the timeline draws (`TimeScale` allows the same rounding).
SPAN_RANGE = (MIN_SPAN * 0.999, MAX_SPAN * 1.001)
#: A window lies within the days the timeline can draw, give or take a day of rounding.
DAY_RANGE = (MIN_DAY - 1.0, MAX_DAY + 1.0)
#: The longest selection: event keys are short slugs (imported ones about 40 characters).
MAX_KEY_CHARS = 500

#: The fields of a ViewState, as `Workspace.viewChanged` names what changed.
FIELDS = ("filters", "window", "lane_mode", "selection")


class ViewError(ValueError):
    """A view that cannot be shown: an unknown lane mode, a window of no time or outside the
    years the timeline can draw, an event key no event can have."""


@dataclass(frozen=True)
class ViewState:
    """Everything needed to show (or reopen) a view exactly.

    Attributes:
        filters: The active filters.
        window: The visible range as (first day, span in days): store day numbers with
            fractions, kept exactly as the timeline holds them; None to fit the events.
        lane_mode: `country` or `agency`.
        selection: The key of the selected event, or None.
    """

    filters: FilterState = field(default_factory=FilterState)
    window: tuple[float, float] | None = None
    lane_mode: str = "country"
    selection: str | None = None

    def __post_init__(self) -> None:
        if self.lane_mode not in LANE_MODES:
            raise ViewError(f"lane mode {shown(str(self.lane_mode))} is not one of {LANE_MODES}")
        if self.window is not None:
            object.__setattr__(self, "window", _checked_window(*self.window))
        if self.selection is not None and not self.selection:
            object.__setattr__(self, "selection", None)
        if self.selection is not None and len(self.selection) > MAX_KEY_CHARS:
            raise ViewError(
                f"the selected event's key has {len(self.selection):,} characters; "
                f"event keys have at most {MAX_KEY_CHARS:,}"
            )

    # ------------------------------------------------------------------ derived

    @property
    def first(self) -> float | None:
        """The window's first day (None: fitted to the events)."""
        return None if self.window is None else self.window[0]

    @property
    def last(self) -> float | None:
        """The window's end (first day + span; None: fitted to the events)."""
        return None if self.window is None else self.window[0] + self.window[1]

    # ------------------------------------------------------------------ changes

    def with_filters(self, filters: FilterState) -> ViewState:
        return replace(self, filters=filters)

    def with_window(self, start: float, span: float) -> ViewState:
        return replace(self, window=(start, span))

    def fitted(self) -> ViewState:
        """This view with the window left to fit the events."""
        return replace(self, window=None)

    def with_lane_mode(self, mode: str) -> ViewState:
        return replace(self, lane_mode=mode)

    def with_selection(self, key: str | None) -> ViewState:
        return replace(self, selection=key)

    def changes(self, other: ViewState) -> frozenset[str]:
        """The names of the fields (see FIELDS) in which `other` differs from this view."""
        return frozenset(f for f in FIELDS if getattr(self, f) != getattr(other, f))


def _checked_window(start: float, span: float) -> tuple[float, float]:
    """(start, span) as floats, finite, within SPAN_RANGE and DAY_RANGE.

    Raises:
        ViewError: saying what is wrong, in one line.
    """
    try:
        start, span = float(start), float(span)
    except (TypeError, ValueError, OverflowError):
        raise ViewError("the window must be two numbers of days") from None
    if not (math.isfinite(start) and math.isfinite(span)):
        raise ViewError("the window must be finite days")
    if not span > 0:
        raise ViewError("the window must span some time")
    if not SPAN_RANGE[0] <= span <= SPAN_RANGE[1]:
        raise ViewError(
            f"the window spans {span:.6g} days; a timeline shows from {MIN_SPAN:g} day to "
            f"{MAX_SPAN:g} days ({MAX_SPAN / 365.25:.0f} years)"
        )
    if not (DAY_RANGE[0] <= start and start + span <= DAY_RANGE[1]):
        raise ViewError(
            f"the window (day {start:.6g}, {span:.6g} days) is outside the years the timeline "
            f"can draw ({FIRST_DAY.year}–{LAST_DAY.year})"
        )
    return start, span
