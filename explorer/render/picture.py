"""The timeline of a picture: what it shows, as plain data, and the drawer that paints it.

The export layer gathers a :class:`TimelinePicture` from a view's query (lanes, the events or
the per-lane densities, the selection); :class:`ViewTimeline` draws it with the window's own
painter into the rectangle the page layout (:mod:`explorer.render.page`) gives it, so a picture
shows the timeline as the student sees it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from explorer.domain.timescale import MAX_SPAN, MIN_SPAN, TimeScale
from explorer.render.painter import FrameData, Theme, TimelinePainter, lane_height
from explorer.render.snapshot import LegendEntry
from explorer.storage.timeline import (
    DensityTable,
    Lane,
    LaneKey,
    Listing,
    RelatedMark,
    WindowEvent,
)


@dataclass(frozen=True)
class TimelinePicture:
    """What a picture's timeline shows.

    Attributes:
        first: The window's first day (store day number, fractions allowed).
        last: The window's end.
        lane_mode: "country" or "agency".
        lanes: The lanes shown, in order, with their counts in the window.
        events: The events touching the window, in start order; None when there are too many
            to draw one by one (then `density` is drawn).
        density: The per-lane densities drawn instead of events.
        selected: The selected event's mark, if any.
        related: The selected event's related events.
        listings: What the imported events list, by event id
            (:func:`explorer.storage.listings.read_listings`): one list's entries of one day
            are then one mark, labelled with the list, the date and the count.
    """

    first: float
    last: float
    lane_mode: str
    lanes: Sequence[Lane]
    events: Sequence[WindowEvent] | None
    density: DensityTable | None = None
    selected: WindowEvent | None = None
    related: Sequence[RelatedMark] = field(default_factory=tuple)
    listings: Mapping[int, Listing] = field(default_factory=dict)

    def scale(self, width: float) -> TimeScale:
        """The window across `width` pixels (spans clamped to what a timeline can draw)."""
        span = min(max(self.last - self.first, MIN_SPAN), MAX_SPAN)
        return TimeScale(self.first, span, max(width, 1.0))


class ViewTimeline:
    """Draws a picture's timeline into a rectangle with the window's painter.

    A picture cannot open a count badge, so each lane gets the rows its events need: every
    label whole when the page has room, else at least enough rows that no marks merge, else
    (a crowd no page holds) rows in proportion to that need.
    """

    def __init__(self, data: TimelinePicture) -> None:
        self.data = data
        self.painter = TimelinePainter(Theme.light())
        self._rows: dict[float, dict[LaneKey, tuple[int, int]]] = {}

    def swatch(self, p: QPainter, rect: QRectF, entry: LegendEntry) -> None:
        """A legend swatch drawn as the marks are (the page layout's SwatchDrawer)."""
        self.painter.swatch(p, rect, entry)

    def frame(self, width: float, lane_rows: dict[LaneKey, int] | None = None) -> FrameData:
        """The painter's frame for a timeline `width` logical pixels wide."""
        d = self.data
        scale = d.scale(self.painter.plot_width(QRectF(0, 0, width, 100)))
        return FrameData(
            scale=scale,
            mode=d.lane_mode,
            lanes=d.lanes,
            density=d.density if d.events is None else None,
            events=d.events,
            selected=d.selected,
            related=d.related,
            message="" if d.lanes else "No events match the filters",
            lane_rows=lane_rows,
            listings=d.listings or None,
        )

    def rows_needed(self, width: float) -> dict[LaneKey, tuple[int, int]]:
        """Per lane: the fewest rows without a count badge, the rows for every label whole."""
        rows = self._rows.get(width)
        if rows is None:
            rows = self.painter.rows_needed(self.frame(width)) if self.data.events else {}
            self._rows = {width: rows}
        return rows

    def _lanes_height(self, rows: dict[LaneKey, int]) -> float:
        return sum(lane_height(rows.get(lane.key, 1)) for lane in self.data.lanes)

    def height_for(self, width: float) -> tuple[float, float]:
        """The timeline's height with no count badge, and with every label whole."""
        header = self.painter.theme.header
        rows = self.rows_needed(width)
        if not rows:  # densities: every lane at a readable height
            h = header + 34.0 * len(self.data.lanes)
            return h, h
        fewest = {k: v[0] for k, v in rows.items()}
        full = {k: v[1] for k, v in rows.items()}
        return header + self._lanes_height(fewest), header + self._lanes_height(full)

    def lane_rows(self, rect: QRectF) -> dict[LaneKey, int] | None:
        """The rows each lane gets in `rect`: as many as wanted up to what fits."""
        need = self.rows_needed(rect.width())
        if not need:
            return None
        room = rect.height() - self.painter.theme.header
        rows = {k: v[1] for k, v in need.items()}
        if self._lanes_height(rows) <= room:
            return rows
        rows = {k: v[0] for k, v in need.items()}
        if self._lanes_height(rows) > room:
            # more than the page holds: rows in proportion (badges then, and the legend says)
            share = room / self._lanes_height(rows)
            return {k: max(1, int(n * share)) for k, n in rows.items()}
        # every lane without badges; the rows left go to the lanes whose labels want them
        grew = True
        while grew:
            grew = False
            for k, (_, full) in need.items():
                if rows[k] < full:
                    rows[k] += 1
                    if self._lanes_height(rows) > room:
                        rows[k] -= 1
                    else:
                        grew = True
        return rows

    def __call__(self, p: QPainter, rect: QRectF) -> None:
        frame = self.frame(rect.width(), self.lane_rows(rect))
        self.painter.paint(p, rect, frame)
