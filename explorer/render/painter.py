"""Draws one timeline frame onto any QPainter: the widget, and PNG/SVG/PDF exports alike.

API (the export renderers use exactly what the widget uses)::

    from explorer.render.painter import FrameData, Theme, TimelinePainter

    frame = FrameData(scale=TimeScale(...), mode="country", lanes=[Lane(...), ...],
                      density=density_table_or_None, events=window_events_or_None,
                      selected=window_event_or_None, related=[RelatedMark(...), ...])
    layout = TimelinePainter(Theme.light()).paint(painter, QRectF(0, 0, w, h), frame)

* ``FrameData`` is plain data (:mod:`explorer.storage.timeline` values and a
  :class:`~explorer.domain.timescale.TimeScale` whose ``width`` is the plot width, i.e. the
  rect's width minus ``Theme.gutter``; :meth:`TimelinePainter.plot_width` gives it). With
  ``events`` (the rows touching the window, in start order) the frame shows marks, packed in rows
  with labels when few enough are visible and compact count marks where they collide; with
  ``events`` None it shows each lane's density from ``density`` (a
  :class:`~explorer.storage.timeline.DensityTable`).
  Build it from a view's query (:mod:`explorer.storage.query`): ``query.lanes(mode)``,
  ``query.densities(mode)``, ``query.window(mode, first, last).events``,
  ``query.related(mode, id)``, ``query.marks(mode, [id])``.
* Lane heights: a picture gives each lane a share of its height (``lane_rows``, or equal
  shares); the widget sets ``stacked``: each lane takes the rows its events need (labels
  first), lanes stack from the top and scroll by ``scroll`` pixels under a fixed time axis,
  with each lane's name kept in view while any of the lane is. Lanes in ``collapsed`` show one
  summary row. With ``listings`` (:class:`~explorer.storage.timeline.Listing` by event id) an
  imported lane reads as listings: one row per list, one mark per list and day labelled
  "Entity List · 18 Dec 2020 · 77 entities".
* ``paint`` returns a :class:`FrameLayout` (where every mark, count mark, lane and lane name
  went) for hit-testing; ``content_height`` is the height of all lanes (for a scroll bar).
* ``TimelinePainter.swatch(painter, rect, entry)`` draws a legend entry
  (:func:`explorer.render.snapshot.legend_entries`) as the marks are drawn.

Colours and shapes come from :mod:`explorer.render.palette`, the one palette.
Marks: each kind has its own shape and colour (Okabe-Ito colours, told apart by colour-blind
readers too); a proposal is hollow with a dashed outline, never a filled mark like a rule in force;
a revoked measure is greyed and struck through. A period is a bar from its start to its end; a
date known only to the month, quarter or year is a soft band across that whole span. Events too
close to tell apart share a count mark of fixed width (never a bar across their days) with a
strip of their kinds' colours.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
    QStaticText,
    QTransform,
)

from explorer.domain.dates import DateError, PartialDate, display_span
from explorer.domain.lanes import (
    Mark,
    Packing,
    lane_tops,
    listing_groups,
    pack,
    stack_lanes,
)
from explorer.domain.model import Kind, RelationKind
from explorer.domain.timescale import TimeScale, ticks
from explorer.render import palette
from explorer.render.snapshot import LegendEntry
from explorer.storage.listings import count_words
from explorer.storage.query import IMPORTED_PREFIX
from explorer.storage.timeline import (
    DensityTable,
    Lane,
    LaneKey,
    Listing,
    RelatedMark,
    WindowEvent,
)

BAND_ROWS = 8  # image rows per lane in the density image (the band is the middle six)
COVERING_MAX = 2  # more spans than this covering the whole view become one "ongoing" row
LABEL_MAX = 300  # labels only when at most this many events are visible
LISTING_LABEL_MAX = 1000  # ... and listings' labels (one row per list: quick to place)
SHAPE_MAX = 500  # kind shapes (circles, diamonds...) up to this many; plain ticks beyond
ROW_H = 20.0  # height of one row of marks in a lane
MARK = 10.0  # size of a point mark
MAX_ROWS = 8  # rows a stacked lane may take for its labels before marks share count marks
CROWD_ROWS = 4  # ... and for marks alone, when too many show for labels
LANE_MIN = 40.0  # a stacked lane's least height: its name on two lines
COLLAPSED_H = 26.0  # a collapsed lane: one summary row
LIST_HEAD = 34.0  # an imported lane's name and count above its lists' rows
DENSITY_UNIT = 4.0  # a density lane's height is a multiple of this (one image row)
DENSITY_LANE = 36.0  # a stacked lane showing its density
MIN_LABEL = 80.0  # a label is shortened to no less than this (about twelve characters)
PAD = 4.0  # space above and below a lane's rows


def lane_height(rows: int) -> float:
    """The height of a lane holding ``rows`` rows of marks (and its gutter's name and count)."""
    # at least room for the gutter's lane name and event count
    return max(46.0, max(1, rows) * ROW_H + 8.0)


def short_date(start: str, start_day: int) -> str:
    """A listing's date, short: "18 Dec 2020", "Dec 2020", "2020" (as precise as known)."""
    try:
        d = PartialDate.parse(start)
    except DateError:
        d = PartialDate.of(date.fromordinal(start_day))
    if d.quarter is not None:
        return f"Q{d.quarter} {d.year}"
    if d.month is None:
        return str(d.year)
    month = date(d.year, d.month, 1).strftime("%b")
    return f"{month} {d.year}" if d.day is None else f"{d.day} {month} {d.year}"


def listing_tail(event: WindowEvent, listing: Listing) -> str:
    """The date and count of a listing: "18 Dec 2020 · 77 entities" (or "· 3 entities
    leave" when the listing ends); a list with no entries (notices) gives its date alone."""
    when = short_date(event.start, event.start_day)
    n = listing.day_entries
    if n <= 0:
        return when
    words = count_words(n, listing.noun)
    return f"{when} · {words} {'leave' if listing.ending else ''}".rstrip()


def listing_label(event: WindowEvent, listing: Listing) -> str:
    """A listing's label: "Entity List · 18 Dec 2020 · 77 entities"; a notice (no entries)
    keeps its own title."""
    if listing.day_entries <= 0 and event.title:
        return f"{event.title} · {short_date(event.start, event.start_day)}"
    return f"{short_list_name(listing.list_name)} · {listing_tail(event, listing)}"


_ANNEX = re.compile(r"^Regulation (?P<reg>\S+), Annex (?P<annex>\S+)(?: \((?P<what>[^)]+)\))?$")
_ACRONYM = re.compile(r"^(?P<rest>.+?)\s*\((?P<abbr>[A-Z][A-Z0-9&.-]{1,7})\)$")


def short_list_name(name: str) -> str:
    """A list's name with what tells it apart first, for the narrow gutter: "Annex I.PERSONS ·
    Reg. 269/2014 (Asset freeze)", "SDN · Specially Designated Nationals"."""
    m = _ANNEX.match(name)
    if m:
        what = f" ({m['what']})" if m["what"] else ""
        return f"Annex {m['annex']} · Reg. {m['reg']}{what}"
    m = _ACRONYM.match(name)
    if m:
        return f"{m['abbr']} · {m['rest']}"
    return name


def lane_name(lane: Lane) -> str:
    """A lane's name without the "Imported · " its label starts with (the gutter says so)."""
    if lane.imported and lane.label.startswith(IMPORTED_PREFIX):
        return lane.label[len(IMPORTED_PREFIX) :]
    return lane.label


@functools.lru_cache(maxsize=32)
def _log_levels(peak: int) -> bytes:
    """Colour index (0 = empty, 1-255 by log count) of every count up to ``peak``.

    Each level covers a run of counts, so the table is made run by run (at most 255 runs),
    not count by count: a filter's new peak of 100,000 costs a fraction of a millisecond, not
    the tens a loop over every count would add to the frame.
    """
    if peak > 200_000:
        return b""
    if peak <= 0:
        return b"\x00"
    scale = 254 / math.log1p(peak)

    def level(c: int) -> int:
        return 1 + int(math.log1p(c) * scale)

    out = [b"\x00"]
    c = 1
    while c <= peak:
        lvl = level(c)
        # the last count of this level: from the float estimate, then exactly
        hi = min(peak, max(c, int(math.expm1(lvl / scale)) + 1))
        while hi > c and level(hi) != lvl:
            hi -= 1
        while hi < peak and level(hi + 1) == lvl:
            hi += 1
        out.append(bytes([lvl]) * (hi - c + 1))
        c = hi + 1
    return b"".join(out)


def _levels_slow(counts: Sequence[int], peak: int) -> bytes:
    scale = 254 / math.log1p(peak)
    return bytes(0 if c <= 0 else 1 + int(math.log1p(c) * scale) for c in counts)


@dataclass(frozen=True)
class Theme:
    """Colours, fonts and sizes of a frame."""

    background: str = "#ffffff"
    lane_even: str = "#f7f8fa"
    lane_odd: str = "#ffffff"
    lane_imported: str = "#fbf6ec"
    grid: str = "#e3e6ea"
    grid_major: str = "#c9ced6"
    text: str = "#1f2328"
    muted: str = "#5f6b7a"
    selection: str = "#1a73e8"
    hover: str = "#f29900"
    badge: str = "#3c4650"
    density: str = "#2b5d8c"
    gutter: float = 150.0
    header: float = 46.0
    font_family: str = ""
    font_px: int = 12

    @staticmethod
    def light() -> Theme:
        return Theme()

    def font(self, px: int | None = None, bold: bool = False) -> QFont:
        f = QFont(self.font_family) if self.font_family else QFont()
        f.setPixelSize(px or self.font_px)
        f.setBold(bold)
        return f


@dataclass
class FrameData:
    """Everything one frame shows (see the module docstring)."""

    scale: TimeScale
    mode: str
    lanes: Sequence[Lane]
    density: DensityTable | None = None
    events: Sequence[WindowEvent] | None = None
    selected: WindowEvent | None = None
    related: Sequence[RelatedMark] = ()
    hover: int = -1
    message: str = ""  # shown over the plot (e.g. "Loading…", "No events")
    # Rows of marks per lane (exports, from TimelinePainter.rows_needed): lanes get heights in
    # proportion, at least these rows each. None: every lane the same height.
    lane_rows: Mapping[LaneKey, int] | None = None
    # The widget: lanes take the rows they need and scroll (see the module docstring).
    stacked: bool = False
    scroll: float = 0.0
    collapsed: frozenset[LaneKey] = frozenset()
    listings: Mapping[int, Listing] | None = None


@dataclass
class PlacedMark:
    """A drawn mark: its event, its hit rectangle and the centre arrows attach to.

    ``members`` holds every event the mark stands for when it is more than one (one list's
    entries on one day), ``label`` the words drawn beside it.
    """

    event: WindowEvent
    rect: QRectF
    center: QPointF
    members: tuple[WindowEvent, ...] = ()
    label: str = ""


@dataclass
class Badge:
    """A drawn count mark: its rectangle and the events it stands for.

    ``entries`` pairs each event to offer with its words (a popup list), ``kinds`` counts the
    members by kind.
    """

    rect: QRectF
    ids: list[int]
    first_day: int
    last_day: int
    entries: list[tuple[WindowEvent, str]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class GutterSpot:
    """A place in the lane gutter: a lane's name (click: collapse or expand) or a list's."""

    rect: QRectF
    lane: LaneKey
    tooltip: str
    toggles: bool


@dataclass
class FrameLayout:
    """Where things went in a painted frame (for hit-testing and tests)."""

    rect: QRectF
    plot: QRectF
    lane_rects: dict[LaneKey, QRectF] = field(default_factory=dict)
    marks: list[PlacedMark] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    related_targets: list[tuple[QRectF, int]] = field(default_factory=list)
    detail: bool = False
    labels: int = 0
    label_rects: list[QRectF] = field(default_factory=list)  # where each drawn label went
    # the events whose words are on screen (a listing's label speaks for all its entries)
    labelled: set[int] = field(default_factory=set)
    gutter: list[GutterSpot] = field(default_factory=list)
    content_height: float = 0.0  # every lane's height together (the widget scrolls them)
    # each lane's top and bottom in content coordinates (scroll 0 = the top of the lanes)
    lane_spans: dict[LaneKey, tuple[float, float]] = field(default_factory=dict)
    where: dict[int, QPointF] = field(default_factory=dict)  # events inside count marks
    # the middle of each packed event's row (widget y), in every lane, on screen or not
    row_of: dict[int, float] = field(default_factory=dict)

    def mark_at(self, pos: QPointF, slop: float = 3.0) -> WindowEvent | None:
        """The event whose mark is under ``pos`` (the nearest when marks touch)."""
        m = self.placed_at(pos, slop)
        return None if m is None else m.event

    def placed_at(self, pos: QPointF, slop: float = 3.0) -> PlacedMark | None:
        """The mark under ``pos`` (the nearest when marks touch); none over the time axis."""
        if pos.y() < self.plot.top():
            return None
        best: tuple[float, PlacedMark] | None = None
        for m in self.marks:
            r = m.rect.adjusted(-slop, -slop, slop, slop)
            if r.contains(pos):
                d = abs(m.center.x() - pos.x()) + abs(m.center.y() - pos.y())
                if best is None or d < best[0]:
                    best = (d, m)
        return None if best is None else best[1]

    def badge_at(self, pos: QPointF) -> Badge | None:
        if pos.y() < self.plot.top():
            return None
        for b in self.badges:
            if b.rect.adjusted(-2, -2, 2, 2).contains(pos):
                return b
        return None

    def related_at(self, pos: QPointF) -> int | None:
        for r, gid in self.related_targets:
            if r.contains(pos):
                return gid
        return None

    def gutter_at(self, pos: QPointF) -> GutterSpot | None:
        """The lane name or list name under ``pos`` in the gutter."""
        for spot in self.gutter:
            if spot.rect.contains(pos):
                return spot
        return None

    def lane_at(self, y: float) -> LaneKey | None:
        for key, r in self.lane_rects.items():
            if r.top() <= y < r.bottom():
                return key
        return None

    def mark_of(self, gid: int) -> PlacedMark | None:
        for m in self.marks:
            if m.event.id == gid or any(e.id == gid for e in m.members):
                return m
        return None


class _Item(NamedTuple):
    """One mark to place: the event it selects, the events it stands for, its words."""

    event: WindowEvent
    members: tuple[WindowEvent, ...]
    label: str
    tail: str  # a listing's date and count (kept when its label is shortened), or ""


@dataclass
class _Track:
    """Rows of a lane that hold one list's listings (``name``) or a lane's events."""

    name: str
    rows: int
    items: list[_Item]
    packing: Packing | None = None
    top: float = 0.0  # widget y of its first row, once the lanes are stacked
    listing: bool = False  # listings (their labels are quick to place: one row each)


@dataclass
class _LanePlan:
    """A lane's part of a frame: its rows, what they hold, its height and place."""

    lane: Lane
    collapsed: bool
    tracks: list[_Track] = field(default_factory=list)
    covering: list[WindowEvent] = field(default_factory=list)
    head: float = 0.0  # an imported lane's name above its lists
    listings: int = 0  # how many listings an imported lane holds in the window
    need: float = 0.0
    top: float = 0.0  # content y (stacked) or widget y
    height: float = 0.0
    rect: QRectF = field(default_factory=QRectF)  # the band on screen, gutter included

    @property
    def summary(self) -> bool:
        return len(self.covering) > COVERING_MAX

    def block_height(self) -> float:
        return ROW_H * (sum(t.rows for t in self.tracks) + (1 if self.summary else 0))


def _relation_words(kind: str) -> str:
    """A relation's words on its arrow ("responds to")."""
    try:
        return RelationKind(kind).label
    except ValueError:
        return kind


def _kind_words(kind: str, n: int) -> str:
    try:
        label = Kind(kind).label.lower()
    except ValueError:
        label = kind
    return f"{n} {label}" + ("" if n == 1 else "s")


def event_date_text(event: WindowEvent) -> str:
    """The event's date as its precision allows ("30 May 2024", "July 2023", "2023 – 2025")."""
    if not event.start:  # a span read from the index alone: its exact dates are in the store
        a, b = date.fromordinal(event.start_day), date.fromordinal(event.end_day)
        return display_span(PartialDate.of(a), PartialDate.of(b))
    try:
        start = PartialDate.parse(event.start)
    except DateError:
        return event.start
    if event.end_day > event.start_day and event.precision == "day":
        end = PartialDate.of(date.fromordinal(event.end_day))
        return display_span(start, end)
    return start.display()


def badge_tooltip(badge: Badge) -> str:
    """What a count mark holds, in words: "3 events: 2 announcements, 1 statement"."""
    n = len(badge.entries) or len(badge.ids)
    kinds = ", ".join(
        _kind_words(k, c) for k, c in sorted(badge.kinds.items(), key=lambda kc: -kc[1])
    )
    what = "listings" if badge.entries and len(badge.entries) < len(badge.ids) else "events"
    return f"{n:,} {what}" + (f": {kinds}" if kinds else "")


class TimelinePainter:
    """Paints frames with one theme; keeps a cache of label widths per font.

    Args:
        theme: Colours, fonts and sizes.
        raster_cache: Cache the lane gutter as a pixmap (the widget); exports keep real text.
    """

    def __init__(self, theme: Theme | None = None, raster_cache: bool = False) -> None:
        self.theme = theme or Theme.light()
        self.raster_cache = raster_cache
        self._gutter_key: tuple[object, ...] | None = None
        self._gutter_pix: QPixmap | None = None
        self._static: dict[tuple[object, ...], QStaticText] = {}
        self._arrow_labels: list[QRectF] = []
        t = self.theme
        self._font = t.font()
        self._small = t.font(t.font_px - 1)
        self._bold = t.font(t.font_px, bold=True)
        self._header_font = t.font(t.font_px + 2, bold=True)
        self._fm = QFontMetricsF(self._font)
        self._fm_small = QFontMetricsF(self._small)
        self._fm_bold = QFontMetricsF(self._bold)
        self._widths: dict[object, float] = {}
        self._colors = {k.value: QColor(c) for k, c in palette.KIND_COLOURS.items()}
        self._pens: dict[tuple[str, str], QPen] = {}
        self._brushes: dict[tuple[str, str], QBrush] = {}
        self._ramps: dict[str, list[int]] = {}
        self._lines: dict[tuple[str, float, int], list[str]] = {}  # lane names, broken
        self._stacked = False  # the frame being painted is the widget's
        self._visible = 0  # marks drawn one by one in it

    # ----------------------------------------------------------------- geometry

    def plot_width(self, rect: QRectF) -> float:
        """The width of the time axis inside ``rect`` (the TimeScale's width)."""
        return max(1.0, rect.width() - self.theme.gutter)

    def plot_rect(self, rect: QRectF) -> QRectF:
        t = self.theme
        return QRectF(
            rect.left() + t.gutter,
            rect.top() + t.header,
            self.plot_width(rect),
            max(1.0, rect.height() - t.header),
        )

    def lane_rects(
        self,
        rect: QRectF,
        lanes: Sequence[Lane],
        lane_rows: Mapping[LaneKey, int] | None = None,
    ) -> dict[LaneKey, QRectF]:
        """Each lane's band, full width (gutter included), stacked below the header.

        With ``lane_rows`` each lane is at least as tall as its rows (see ``lane_height``) and
        the height left over is shared equally; otherwise the lanes share the plot equally.
        (Stacked frames place their lanes in :meth:`paint`.)
        """
        plot = self.plot_rect(rect)
        if not lanes:
            return {}
        if lane_rows is None:
            h = max(ROW_H + 8, plot.height() / len(lanes))
            return {
                lane.key: QRectF(rect.left(), plot.top() + i * h, rect.width(), h)
                for i, lane in enumerate(lanes)
            }
        heights = [lane_height(lane_rows.get(lane.key, 1)) for lane in lanes]
        spare = max(0.0, plot.height() - sum(heights)) / len(lanes)
        out: dict[LaneKey, QRectF] = {}
        y = plot.top()
        for lane, h in zip(lanes, heights, strict=True):
            out[lane.key] = QRectF(rect.left(), y, rect.width(), h + spare)
            y += h + spare
        return out

    # ----------------------------------------------------------------- the frame

    def paint(self, p: QPainter, rect: QRectF, frame: FrameData) -> FrameLayout:
        """Paint one frame into ``rect`` and say where everything went."""
        t = self.theme
        plot = self.plot_rect(rect)
        layout = FrameLayout(QRectF(rect), plot)
        self._stacked = frame.stacked
        plans = self._plan(frame, rect, plot, layout)
        p.save()
        p.setClipRect(rect)
        p.fillRect(rect, QColor(t.background))
        lanes_area = QRectF(rect.left(), plot.top(), rect.width(), plot.height())
        p.save()
        p.setClipRect(lanes_area)
        self._paint_lanes(p, plans)
        p.restore()
        self._paint_grid(p, frame.scale, plot, rect)
        p.save()
        p.setClipRect(plot)
        if frame.events is not None:
            self._paint_detail(p, frame, layout, plans)
        elif frame.density is not None:
            self._paint_density(p, frame, layout, plans)
        self._paint_selection(p, frame, layout)
        p.restore()
        self._paint_header(p, rect, frame)
        self._paint_lane_labels(p, rect, frame, layout, plans)
        if frame.message:
            p.setFont(self._header_font)
            p.setPen(QColor(t.muted))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, frame.message)
        p.restore()
        return layout

    # ----------------------------------------------------------------- planning

    def _plan(
        self, frame: FrameData, rect: QRectF, plot: QRectF, layout: FrameLayout
    ) -> list[_LanePlan]:
        """Each lane's rows and what they hold, its height and its place."""
        plans = [_LanePlan(lane, lane.key in frame.collapsed) for lane in frame.lanes]
        detail = frame.events is not None
        rows_of: dict[LaneKey, int] = {}
        if not frame.stacked:
            # a picture: heights first, rows from them
            rects = self.lane_rects(rect, frame.lanes, frame.lane_rows)
            for plan in plans:
                r = rects[plan.lane.key]
                plan.top, plan.height = r.top(), r.height()
                plan.collapsed = False
                rows_of[plan.lane.key] = max(1, int((r.height() - 6) // ROW_H))
        if detail:
            self._fill(frame, plans, rows_of)
        if frame.stacked:
            self._stack(frame, plot, plans, detail)
        for plan in plans:
            top = (
                plan.top
                - (frame.scroll if frame.stacked else 0.0)
                + (plot.top() if frame.stacked else 0.0)
            )
            plan.rect = QRectF(rect.left(), top, rect.width(), plan.height)
            layout.lane_rects[plan.lane.key] = plan.rect
            c_top = plan.top if frame.stacked else plan.top - plot.top()
            layout.lane_spans[plan.lane.key] = (c_top, c_top + plan.height)
            layout.content_height = max(layout.content_height, c_top + plan.height)
        self._place_tracks(plans, layout)
        return plans

    def _fill(
        self, frame: FrameData, plans: list[_LanePlan], rows_of: Mapping[LaneKey, int]
    ) -> None:
        """Pack each lane's events into rows: labels first, count marks where they crowd."""
        by_lane, covering, _visible = self._visible_by_lane(frame)
        listings = frame.listings or {}
        width = frame.scale.width
        for plan in plans:
            key = plan.lane.key
            events = by_lane.get(key, [])
            plan.covering = covering.get(key, [])
            fixed = rows_of.get(key)
            rows = fixed if fixed is not None else (1 if plan.collapsed else MAX_ROWS)
            if plan.summary and fixed is not None:
                rows = max(1, rows - 1)
            if not events:
                continue
            if plan.collapsed or fixed is not None:
                plan.tracks = [self._one_track(plan.lane, events, listings, rows)]
                plan.listings = len(plan.tracks[0].items) if plan.tracks[0].listing else 0
            elif listings and plan.lane.imported and any(e.id in listings for e in events):
                plan.tracks = self._listing_tracks(events, listings)
                plan.listings = sum(len(t.items) for t in plan.tracks)
                plan.head = LIST_HEAD
            else:
                plan.tracks = [self._one_track(plan.lane, events, listings, rows)]
        # what is drawn one by one: marks, a listing's entries of a day counting once
        self._visible = sum(len(t.items) for pl in plans for t in pl.tracks)
        listed = sum(len(t.items) for pl in plans for t in pl.tracks if t.listing)
        labels = self._visible - listed <= LABEL_MAX
        list_labels = listed <= LISTING_LABEL_MAX
        for plan in plans:
            fixed = rows_of.get(plan.lane.key)
            for track in plan.tracks:
                with_labels = list_labels if track.listing else labels
                if not with_labels and fixed is None:
                    # rows are for labels: a crowd without them shares count marks sooner
                    track.rows = min(track.rows, CROWD_ROWS)
                marks = self._item_marks(track.items, frame.scale, with_labels)
                track.packing = pack(
                    marks, track.rows, labels=with_labels, limit=width, min_label=MIN_LABEL
                )
                if fixed is None:
                    track.rows = max(1, track.packing.rows_used())

    def _one_track(
        self,
        lane: Lane,
        events: Sequence[WindowEvent],
        listings: Mapping[int, Listing],
        rows: int,
    ) -> _Track:
        """A lane's events in one set of rows: an imported lane's as listings (one mark per
        list and day), a curated lane's one by one."""
        if listings and lane.imported and any(e.id in listings for e in events):
            items = sorted(
                (i for t in self._listing_tracks(events, listings) for i in t.items),
                key=lambda i: (i.event.start_day, i.event.id),
            )
            return _Track("", rows, items, listing=True)
        return _Track("", rows, [_Item(e, (), e.title, "") for e in events])

    def _listing_tracks(
        self, events: Sequence[WindowEvent], listings: Mapping[int, Listing]
    ) -> list[_Track]:
        """An imported lane's events as listings: a row per list, a mark per list and day."""
        plain: list[_Item] = []
        entries: list[tuple[int, int, tuple[str, bool]]] = []
        by_id = {e.id: e for e in events}
        for e in events:
            lst = listings.get(e.id)
            if lst is None:
                plain.append(_Item(e, (), e.title, ""))
            else:
                entries.append((e.id, e.start_day, (lst.list_name, lst.ending)))
        lists: dict[str, list[_Item]] = {}
        for (name, _ending), days in listing_groups(entries).items():
            items = lists.setdefault(name, [])
            for ids in days:
                members = tuple(by_id[i] for i in ids)
                first = members[0]
                lst = listings[first.id]
                items.append(
                    _Item(
                        first,
                        members if len(members) > 1 else (),
                        listing_label(first, lst),
                        listing_tail(first, lst) if lst.day_entries > 0 else "",
                    )
                )
        tracks = [
            _Track(
                name, 1, sorted(items, key=lambda i: (i.event.start_day, i.event.id)), listing=True
            )
            for name, items in sorted(lists.items(), key=lambda kv: kv[0].casefold())
        ]
        if plain:
            tracks.append(_Track("", MAX_ROWS, plain))
        return tracks

    def _stack(self, frame: FrameData, plot: QRectF, plans: list[_LanePlan], detail: bool) -> None:
        """Lane heights from their rows (or a fixed density height), stacked from the top."""
        needs: list[float] = []
        for plan in plans:
            if not detail:
                need = COLLAPSED_H - 2 if plan.collapsed else DENSITY_LANE
            elif plan.collapsed:
                need = COLLAPSED_H + (ROW_H if plan.summary else 0.0)
            else:
                need = max(LANE_MIN, plan.head + plan.block_height() + 2 * PAD)
            plan.need = need
            needs.append(need)
        heights = stack_lanes(
            needs, plot.height(), share_max=60.0, grows=[not pl.collapsed for pl in plans]
        )
        if not detail:
            # whole image rows per lane: the density image maps onto the lanes exactly
            heights = [
                n + DENSITY_UNIT * math.floor((h - n) / DENSITY_UNIT)
                for n, h in zip(needs, heights, strict=True)
            ]
        for plan, top, h in zip(plans, lane_tops(heights), heights, strict=True):
            plan.top, plan.height = top, h

    def _item_marks(
        self, items: Sequence[_Item], scale: TimeScale, with_labels: bool
    ) -> list[Mark]:
        """Items as pixel extents (from the plot's left edge) to pack."""
        ppd = scale.px_per_day
        sx = scale.start
        marks = []
        for i, item in enumerate(items):
            e = item.event
            x0 = (e.start_day - sx) * ppd
            x1 = (e.end_day + 1 - sx) * ppd
            if e.precision == "day" and e.end_day == e.start_day:
                # a day's event is a mark at the middle of its day, at every zoom
                mid = (x0 + x1) / 2
                x0, x1 = mid - MARK / 2, mid + MARK / 2
            # a bar that began before the window is packed (and labelled) from the edge
            if x0 < 0 < x1:
                x0 = 0.0
            label = self._text_width(e.id, item.label) if with_labels and item.label else 0.0
            least = self._text_width(e.id, item.tail) if label and item.tail else 0.0
            marks.append(Mark(i, x0, x1, label, least))
        return marks

    def _lane_colour(self, lane: Lane, i: int) -> QColor:
        t = self.theme
        return QColor(
            t.lane_imported if lane.imported else (t.lane_even if i % 2 == 0 else t.lane_odd)
        )

    def _paint_lanes(self, p: QPainter, plans: Sequence[_LanePlan]) -> None:
        t = self.theme
        for i, plan in enumerate(plans):
            p.fillRect(plan.rect, self._lane_colour(plan.lane, i))
        p.setPen(QPen(QColor(t.grid), 1))
        for plan in plans:
            r = plan.rect
            p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))

    def _paint_grid(self, p: QPainter, scale: TimeScale, plot: QRectF, rect: QRectF) -> None:
        t = self.theme
        minor = QPen(QColor(t.grid), 1)
        major = QPen(QColor(t.grid_major), 1)
        p.setFont(self._small)
        fm_h = self._fm_small.height() + 1
        text_pen = QPen(QColor(t.text))
        muted_pen = QPen(QColor(t.muted))
        for tick in ticks(scale, 64.0):
            x = plot.left() + tick.x
            p.setPen(major if tick.major else minor)
            p.drawLine(QPointF(x, plot.top() - 6), QPointF(x, plot.bottom()))
            p.setPen(text_pen if tick.major else muted_pen)
            p.drawStaticText(
                QPointF(x + 3, plot.top() - 4 - fm_h),
                self._static_text(("tick", tick.label), tick.label, self._small),
            )
        # a soft edge between header and lanes
        p.setPen(QPen(QColor(t.grid_major), 1))
        p.drawLine(QPointF(rect.left(), plot.top()), QPointF(rect.right(), plot.top()))

    def _paint_header(self, p: QPainter, rect: QRectF, frame: FrameData) -> None:
        t = self.theme
        p.setFont(self._header_font)
        p.setPen(QColor(t.text))
        p.drawText(
            QRectF(rect.left() + t.gutter + 4, rect.top() + 2, rect.width() - t.gutter - 8, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            frame.scale.range_text(),
        )
        p.setFont(self._small)
        p.setPen(QColor(t.muted))
        mode = "Lanes by country" if frame.mode == "country" else "Lanes by agency"
        p.drawText(
            QRectF(rect.left() + 8, rect.top() + 2, t.gutter - 12, 20),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            mode,
        )

    def _paint_lane_labels(
        self,
        p: QPainter,
        rect: QRectF,
        frame: FrameData,
        layout: FrameLayout,
        plans: Sequence[_LanePlan],
    ) -> None:
        area = QRectF(rect.left(), layout.plot.top(), self.theme.gutter, layout.plot.height())
        blocks = self._gutter_blocks(plans, area, layout)
        if not self.raster_cache:
            self._draw_lane_labels(p, rect, area, plans, blocks)
            return
        device = p.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (
            tuple(
                (
                    pl.lane.key,
                    pl.lane.label,
                    pl.lane.count,
                    pl.lane.imported,
                    pl.collapsed,
                    pl.rect.top(),
                    pl.rect.height(),
                    pl.listings,
                    tuple((t.name, t.top, t.rows) for t in pl.tracks if t.name),
                )
                for pl in plans
            ),
            tuple(b.top() for b in blocks),
            rect.top(),
            rect.height(),
            ratio,
        )
        gutter = self.theme.gutter
        if key != self._gutter_key or self._gutter_pix is None:
            pix = QPixmap(int(gutter * ratio) + 1, int(rect.height() * ratio) + 1)
            pix.setDevicePixelRatio(ratio)
            pix.fill(QColor(self.theme.background))
            gp = QPainter(pix)
            gp.setRenderHints(p.renderHints())
            gp.translate(-rect.left(), -rect.top())
            self._draw_lane_labels(gp, rect, area, plans, blocks)
            gp.end()
            self._gutter_pix, self._gutter_key = pix, key
        top = layout.plot.top()
        p.drawPixmap(
            QRectF(rect.left(), top, gutter, rect.bottom() - top),
            self._gutter_pix,
            QRectF(0, (top - rect.top()) * ratio, gutter * ratio, (rect.bottom() - top) * ratio),
        )
        p.setPen(QPen(QColor(self.theme.grid_major), 1))
        x = rect.left() + gutter
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def _name_height(self, plan: _LanePlan) -> float:
        """The height of a lane's name block in the gutter."""
        h = plan.rect.height()
        if plan.collapsed:
            return min(h, 22.0)
        if plan.head:
            return plan.head
        return max(16.0, min(h - 2.0, 48.0))

    def _gutter_blocks(
        self, plans: Sequence[_LanePlan], area: QRectF, layout: FrameLayout
    ) -> list[QRectF]:
        """Where each lane's name goes: at the lane's top, or kept in view at the top of the
        lane area while any of the lane shows; the gutter's hit spots go into ``layout``."""
        out: list[QRectF] = []
        for plan in plans:
            r = plan.rect
            nb = self._name_height(plan)
            y = min(max(r.top(), area.top()), r.bottom() - nb)
            block = QRectF(r.left(), y, self.theme.gutter, nb)
            out.append(block)
            if r.bottom() <= area.top() or r.top() >= area.bottom():
                continue
            lane = plan.lane
            n = lane.count
            what = f"{n:,} event{'' if n == 1 else 's'}"
            if lane.imported:
                what = f"imported, {what}"
            act = "expand" if plan.collapsed else "collapse"
            layout.gutter.append(
                GutterSpot(block, lane.key, f"{lane_name(lane)} ({what})\nClick to {act}", True)
            )
            for t in plan.tracks:
                if t.name and t.top >= block.bottom() - 1:
                    n = len(t.items)
                    tip = f"{t.name}\n{n:,} listing{'' if n == 1 else 's'} in view"
                    layout.gutter.append(
                        GutterSpot(
                            QRectF(r.left(), t.top, self.theme.gutter, ROW_H), lane.key, tip, False
                        )
                    )
        return out

    def _draw_lane_labels(
        self,
        p: QPainter,
        rect: QRectF,
        area: QRectF,
        plans: Sequence[_LanePlan],
        blocks: Sequence[QRectF],
    ) -> None:
        t = self.theme
        gutter = t.gutter
        for i, (plan, block) in enumerate(zip(plans, blocks, strict=True)):
            r = plan.rect
            if r.bottom() <= area.top() or r.top() >= area.bottom():
                continue
            g = QRectF(r.left(), r.top(), gutter, r.height())
            p.save()
            p.setClipRect(g.intersected(area))
            p.fillRect(g, self._lane_colour(plan.lane, i))
            self._draw_name(p, plan, block)
            # each list's name beside its row
            p.setFont(self._small)
            p.setPen(QColor(t.muted))
            for track in plan.tracks:
                if not track.name or track.top < block.bottom() - 1:
                    continue
                text = self._fm_small.elidedText(
                    short_list_name(track.name), Qt.TextElideMode.ElideRight, gutter - 20
                )
                p.drawText(
                    QRectF(r.left() + 14, track.top, gutter - 18, ROW_H),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
            p.restore()
        p.setPen(QPen(QColor(t.grid_major), 1))
        x = rect.left() + gutter
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def _draw_name(self, p: QPainter, plan: _LanePlan, block: QRectF) -> None:
        """A lane's name (never beyond its block), a triangle to collapse or expand it, and
        what it holds when there is room."""
        t = self.theme
        lane = plan.lane
        x = block.left() + 18
        w = block.width() - 24
        line = self._fm_bold.height() + 1
        first_y = block.top() + (3 if block.height() > line + 4 else (block.height() - line) / 2)
        if self._stacked:  # a picture cannot collapse a lane: no triangle there
            self._triangle(p, block.left() + 9, first_y + line / 2, plan.collapsed)
        else:
            x, w = block.left() + 8, block.width() - 14
        p.setFont(self._bold)
        p.setPen(QColor(t.text))
        name = lane_name(lane)
        room = block.bottom() - first_y
        lines = 2 if room >= 2 * line and not plan.head and not plan.collapsed else 1
        tag = "imported" if plan.collapsed and lane.imported else ""
        tag_w = self._fm_small.horizontalAdvance(tag) + 6 if tag else 0.0
        if tag and self._fm_bold.horizontalAdvance(name) + tag_w > w:
            tag, tag_w = "", 0.0  # the lane's colour and its tooltip say it then
        name_lines = self._name_lines(name, w - tag_w, lines)
        for k, text in enumerate(name_lines):
            p.drawText(
                QRectF(x, first_y + k * line, w, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        if tag:
            # one line: the lane says it is imported beside its name
            p.setFont(self._small)
            p.setPen(QColor(t.muted))
            tx = x + self._fm_bold.horizontalAdvance(name_lines[0]) + 6
            p.drawText(
                QRectF(tx, first_y, block.right() - tx, line),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                tag,
            )
        used = first_y + len(name_lines) * line
        if plan.collapsed or block.bottom() - used < 13:
            return
        p.setFont(self._small)
        p.setPen(QColor(t.muted))
        n = lane.count
        if plan.head:
            k = len([tr for tr in plan.tracks if tr.name])
            words = f"Imported · {k} list{'' if k == 1 else 's'}"
        else:
            words = f"{n:,} event{'' if n == 1 else 's'}"
            if lane.imported:
                words = "Imported · " + words
        p.drawText(
            QRectF(x, used, w, 14),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._fm_small.elidedText(words, Qt.TextElideMode.ElideRight, w),
        )

    def _name_lines(self, text: str, width: float, lines: int) -> list[str]:
        """``text`` in at most ``lines`` lines of ``width``, words kept whole, the last line
        shortened with an ellipsis when the text does not fit."""
        key = (text, width, lines)
        cached = self._lines.get(key)
        if cached is None:
            cached = self._lines[key] = self._break_name(text, width, lines)
            if len(self._lines) > 4000:
                self._lines.clear()
        return cached

    def _break_name(self, text: str, width: float, lines: int) -> list[str]:
        fm = self._fm_bold
        if lines <= 1 or fm.horizontalAdvance(text) <= width:
            return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
        words = text.split()
        first = ""
        rest = list(words)
        while rest:
            trial = f"{first} {rest[0]}".strip()
            if fm.horizontalAdvance(trial) > width:
                break
            first = trial
            rest.pop(0)
        if not first:  # one long word: cut it
            return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
        second = " ".join(rest)
        return [first, fm.elidedText(second, Qt.TextElideMode.ElideRight, width)]

    def _triangle(self, p: QPainter, cx: float, cy: float, collapsed: bool) -> None:
        """The collapse (pointing down) or expand (pointing right) triangle."""
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(self.theme.muted))
        if collapsed:
            pts = [QPointF(cx - 2.5, cy - 4.5), QPointF(cx + 3.5, cy), QPointF(cx - 2.5, cy + 4.5)]
        else:
            pts = [QPointF(cx - 4.5, cy - 2.5), QPointF(cx + 4.5, cy - 2.5), QPointF(cx, cy + 3.5)]
        p.drawPolygon(QPolygonF(pts))
        p.restore()

    def _static_text(self, key: tuple[object, ...], text: str, font: QFont) -> QStaticText:
        """Text laid out once and drawn many times (labels are drawn on every frame)."""
        st = self._static.get(key)
        if st is None:
            if len(self._static) > 20_000:
                self._static.clear()
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), font)
            self._static[key] = st
        return st

    @staticmethod
    def _elide(text: str, width: float, font: QFont, lines: int = 1) -> str:
        fm = QFontMetricsF(font)
        if fm.horizontalAdvance(text) <= width * lines * 0.95:
            return text
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width * lines * 0.9)

    def _ramp(self, color: str) -> list[int]:
        ramp = self._ramps.get(color)
        if ramp is None:
            c = QColor(color)
            bg = QColor(self.theme.background)
            ramp = []
            for i in range(256):
                a = 0.0 if i == 0 else 0.18 + 0.82 * i / 255
                r = round(bg.red() + (c.red() - bg.red()) * a)
                g = round(bg.green() + (c.green() - bg.green()) * a)
                b = round(bg.blue() + (c.blue() - bg.blue()) * a)
                ramp.append((0 if i == 0 else 0xFF000000) | (r << 16) | (g << 8) | b)
            self._ramps[color] = ramp
        return ramp

    def _paint_density(
        self, p: QPainter, frame: FrameData, layout: FrameLayout, plans: Sequence[_LanePlan]
    ) -> None:
        density = frame.density
        if density is None or not plans:
            return
        scale = frame.scale
        plot = layout.plot
        # Bins of whole days aligned to day 0: panning moves the image, it never reshuffles it.
        bin_days = max(1, math.ceil(scale.span / scale.width * 2))
        k0 = math.floor(scale.start / bin_days)
        k1 = math.ceil(scale.end / bin_days)
        nbins = max(1, k1 - k0)
        rows = [density.binned(pl.lane.key, k0, nbins, bin_days) for pl in plans]
        peak = max((max(r) for r in rows if r), default=0)
        if peak <= 0:
            return
        lut = _log_levels(peak)
        x0 = plot.left() + scale.x(k0 * bin_days)
        x1 = plot.left() + scale.x((k0 + nbins) * bin_days)
        # One image for every lane (blank rows above and below each band), drawn with one
        # scaled drawImage: a frame costs the same at any store size. Stacked lanes are whole
        # multiples of an image row; a picture's lanes share its height equally.
        blank = bytes(nbins)
        parts = []
        height = 0
        for plan, counts in zip(plans, rows, strict=True):
            n = max(3, round(plan.rect.height() / DENSITY_UNIT)) if frame.stacked else BAND_ROWS
            height += n
            line = bytes(map(lut.__getitem__, counts)) if lut else _levels_slow(counts, peak)
            parts.append(blank + line * (n - 2) + blank)
        data = b"".join(parts)
        img = QImage(data, nbins, height, nbins, QImage.Format.Format_Indexed8)
        img.setColorTable(self._ramp(self.theme.density))
        top, bottom = plans[0].rect.top(), plans[-1].rect.bottom()
        # scaling an indexed image is a slow path; a premultiplied one is the fast one (6x)
        img = img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        p.drawImage(QRectF(x0, top, x1 - x0, bottom - top), img)
        layout.detail = False

    # ----------------------------------------------------------------- detail

    def _label_width(self, e: WindowEvent) -> float:
        return self._text_width(e.id, e.title)

    def _text_width(self, gid: int, text: str) -> float:
        w = self._widths.get(text)
        if w is None:
            w = self._fm.horizontalAdvance(text) + 2
            if len(self._widths) > 200_000:
                self._widths.clear()
            self._widths[text] = w
        return w

    def _pen(self, kind: str, status: str) -> QPen:
        key = (kind, status)
        pen = self._pens.get(key)
        if pen is None:
            c = QColor(self._colors.get(kind, QColor("#444")))
            if status == "revoked":
                c = QColor(palette.REVOKED_LINE)
            width = 1.2
            if status == "in_force":
                # a heavy near-black ring: told apart from "announced" even at export size
                c, width = QColor(self.theme.text), 2.2
            elif status in ("proposed", "reported"):
                width = 1.6
            pen = QPen(c, width)
            if status == "proposed":
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setDashPattern([2.5, 1.8])
            self._pens[key] = pen
        return pen

    def _brush(self, kind: str, status: str) -> QBrush:
        key = (kind, status)
        brush = self._brushes.get(key)
        if brush is None:
            c = QColor(self._colors.get(kind, QColor("#444")))
            if status == "proposed":
                brush = QBrush(QColor(self.theme.background))
            elif status == "revoked":
                brush = QBrush(QColor(palette.REVOKED_FILL))
            elif status == "reported":
                # pale: a quarter of the kind's colour on the background (a centre dot is added)
                bg = QColor(self.theme.background)
                pale = QColor(
                    round(bg.red() * 0.72 + c.red() * 0.28),
                    round(bg.green() * 0.72 + c.green() * 0.28),
                    round(bg.blue() * 0.72 + c.blue() * 0.28),
                )
                brush = QBrush(pale)
            else:
                brush = QBrush(c)
            self._brushes[key] = brush
        return brush

    def _bar_brush(self, kind: str, status: str) -> QBrush:
        key = ("bar:" + kind, status)
        brush = self._brushes.get(key)
        if brush is None:
            c = QColor(self._brush(kind, status).color())
            if status != "proposed":
                c.setAlpha(70)
            brush = QBrush(c)
            self._brushes[key] = brush
        return brush

    def _visible_by_lane(
        self, frame: FrameData
    ) -> tuple[dict[LaneKey, list[WindowEvent]], dict[LaneKey, list[WindowEvent]], int]:
        """The events drawn one by one per lane, the spans covering the whole view per lane,
        and how many events are drawn one by one."""
        lo, hi = frame.scale.start, frame.scale.end
        by_lane: dict[LaneKey, list[WindowEvent]] = {}
        # Spans that cover the whole view (long periods, dates known only to the year) look
        # alike here: a lane with more than a couple of them shows one "ongoing" row instead.
        covering: dict[LaneKey, list[WindowEvent]] = {}
        visible = 0
        for e in frame.events or ():
            if e.end_day + 1 < lo or e.start_day > hi:
                continue
            if e.start_day < lo and e.end_day + 1 > hi:
                covering.setdefault(e.lane, []).append(e)
                continue
            by_lane.setdefault(e.lane, []).append(e)
            visible += 1
        for key, cov in covering.items():
            if len(cov) <= COVERING_MAX:
                by_lane[key] = cov + by_lane.get(key, [])
                visible += len(cov)
        self._visible = visible
        return by_lane, covering, visible

    def _marks(
        self, lane_events: Sequence[WindowEvent], scale: TimeScale, with_labels: bool
    ) -> list[Mark]:
        """The lane's events as pixel extents (from the plot's left edge) to pack."""
        items = [_Item(e, (), e.title, "") for e in lane_events]
        marks = self._item_marks(items, scale, with_labels)
        return [m._replace(id=lane_events[m.id].id) for m in marks]

    def rows_needed(self, frame: FrameData) -> dict[LaneKey, tuple[int, int]]:
        """Per lane with events drawn one by one: the fewest rows in which no marks merge into
        a count mark, and the rows in which every label is shown whole (at least the first).

        A static picture cannot open a count mark: exports give each lane the rows it needs
        (see ``FrameData.lane_rows``). Empty for a density frame.
        """
        if frame.events is None:
            return {}
        by_lane, covering, _visible = self._visible_by_lane(frame)
        listings = frame.listings or {}
        width = frame.scale.width
        tracks = {
            lane.key: self._one_track(lane, by_lane[lane.key], listings, 1)
            for lane in frame.lanes
            if by_lane.get(lane.key)
        }
        listed = sum(len(t.items) for t in tracks.values() if t.listing)
        plain = sum(len(t.items) for t in tracks.values()) - listed
        out: dict[LaneKey, tuple[int, int]] = {}
        for lane in frame.lanes:
            extra = 1 if len(covering.get(lane.key, ())) > COVERING_MAX else 0
            track = tracks.get(lane.key)
            if track is None:
                if extra:
                    out[lane.key] = (1, 1)
                continue
            labels = listed <= LISTING_LABEL_MAX if track.listing else plain <= LABEL_MAX
            marks = self._item_marks(track.items, frame.scale, labels)
            full = pack(marks, len(marks), labels=labels, limit=width).rows_used()
            low = pack(marks, len(marks), labels=False, limit=width).rows_used()
            fewest = full
            for rows in range(low, full):  # the fewest rows with labels where they fit
                if not pack(marks, rows, labels=labels, limit=width).clusters:
                    fewest = rows
                    break
            out[lane.key] = (fewest + extra, full + extra)
        return out

    def _paint_detail(
        self, p: QPainter, frame: FrameData, layout: FrameLayout, plans: Sequence[_LanePlan]
    ) -> None:
        plot = layout.plot
        left = plot.left()
        layout.detail = True
        shapes = self._visible <= SHAPE_MAX
        with_labels = True  # (the packing left out labels where too many events show)
        badges: list[tuple[QRectF, QStaticText, Badge]] = []
        for plan in plans:
            r = plan.rect
            if r.bottom() < plot.top() or r.top() > plot.bottom():
                continue  # scrolled out of view
            if plan.summary:
                cov = plan.covering
                y = plan.tracks[0].top - ROW_H if plan.tracks else self._block_top(plan)
                bar = self._draw_ongoing(p, left, plot.right(), y, len(cov))
                layout.badges.append(
                    Badge(
                        bar,
                        [e.id for e in cov],
                        min(e.start_day for e in cov),
                        max(e.end_day for e in cov),
                    )
                )
            for track in plan.tracks:
                self._paint_track(p, track, left, layout, shapes, with_labels, badges)
        self._paint_badges(p, badges)

    def _block_top(self, plan: _LanePlan) -> float:
        """Where a lane's rows start: below its name (an imported lane's lists), the block of
        rows centred in the height left."""
        r = plan.rect
        room = r.height() - plan.head
        return r.top() + plan.head + max(0.0, (room - plan.block_height()) / 2)

    def _place_tracks(self, plans: Sequence[_LanePlan], layout: FrameLayout) -> None:
        """Each track's first row on screen, and every event's row (``layout.row_of``)."""
        row_of = layout.row_of
        for plan in plans:
            y = self._block_top(plan) + (ROW_H if plan.summary else 0.0)
            for track in plan.tracks:
                track.top = y
                y += track.rows * ROW_H
                packing = track.packing
                if packing is None:
                    continue
                items = track.items
                for pm in packing.placed:
                    item = items[pm.id]
                    mid = track.top + (pm.row + 0.5) * ROW_H
                    row_of[item.event.id] = mid
                    for e in item.members:
                        row_of[e.id] = mid
                for c in packing.clusters:
                    mid = track.top + (c.row + 0.5) * ROW_H
                    for i in c.ids:
                        row_of[items[i].event.id] = mid
                        for e in items[i].members:
                            row_of[e.id] = mid

    def _paint_track(
        self,
        p: QPainter,
        track: _Track,
        left: float,
        layout: FrameLayout,
        shapes: bool,
        with_labels: bool,
        badges: list[tuple[QRectF, QStaticText, Badge]],
    ) -> None:
        packing = track.packing
        if packing is None:
            return
        items = track.items
        top = track.top
        # rows scrolled out of the lane area (their middle) are neither drawn nor hit
        lo, hi = layout.plot.top(), layout.plot.bottom()
        # soft bands and bars first, points over them, labels last
        width = layout.plot.width()
        for pm in packing.placed:
            item = items[pm.id]
            y = top + pm.row * ROW_H
            if not (lo <= y + ROW_H / 2 <= hi and 0 <= (pm.x0 + pm.x1) / 2 <= width):
                continue
            if item.members:
                self._draw_stack(p, left + pm.x0, left + pm.x1, y, item.event, shapes)
            rect = self._draw_mark(p, item.event, left + pm.x0, left + pm.x1, y, shapes)
            layout.marks.append(
                PlacedMark(item.event, rect, rect.center(), item.members, item.label)
            )
        if with_labels:
            fm_h = self._fm.height()
            p.setFont(self._font)
            p.setPen(QPen(QColor(self.theme.text)))
            for pm in packing.placed:
                if pm.label_x is None:
                    continue
                item = items[pm.id]
                y = top + pm.row * ROW_H
                if not lo <= y + ROW_H / 2 <= hi:
                    continue
                lx = left + pm.label_x
                room = (pm.label_end if pm.label_end is not None else pm.right) - pm.label_x
                st = self._label_text(item, room)
                p.drawStaticText(QPointF(lx, y + (ROW_H - fm_h) / 2), st)
                if y < lo - 3 or y + ROW_H > hi + 3:
                    continue  # cut by the edge of the lane area: not counted as read
                layout.labels += 1
                layout.labelled.add(item.event.id)
                layout.labelled.update(e.id for e in item.members)
                layout.label_rects.append(
                    QRectF(lx, y + (ROW_H - fm_h) / 2, st.size().width(), fm_h)
                )
        for c in packing.clusters:
            y = top + c.row * ROW_H
            if not lo <= y + ROW_H / 2 <= hi:
                continue
            members = [items[i] for i in c.ids]
            events = [e for it in members for e in (it.members or (it.event,))]
            text = f"{len(members):,}"
            st = self._static_text(("badge", text), text, self._small)
            rect = QRectF(left + c.x0, y + 3, c.x1 - c.x0, ROW_H - 6)
            badge = Badge(
                rect,
                [e.id for e in events],
                min(e.start_day for e in events),
                max(e.end_day for e in events),
                [(it.event, it.label or it.event.title) for it in members],
                dict(Counter(e.kind for e in events)),
            )
            badges.append((rect, st, badge))
            layout.badges.append(badge)
            mid = rect.center()
            where = layout.where
            for e in events:
                where[e.id] = mid

    def _label_text(self, item: _Item, room: float) -> QStaticText:
        """An item's label in ``room`` pixels: whole, or shortened with an ellipsis (a
        listing's list name first, its date and count last)."""
        e = item.event
        full = self._text_width(e.id, item.label)
        if room + 1 >= full:
            return self._static_text(("label", e.id, item.label), item.label, self._font)
        bucket = int(room // 12) * 12  # shortened widths in steps: few layouts
        key = ("label", e.id, item.label, bucket)
        st = self._static.get(key)
        if st is not None:
            return st
        fm = self._fm
        text = ""
        if item.tail:
            tail = " · " + item.tail
            head_room = bucket - fm.horizontalAdvance(tail)
            name = item.label[: len(item.label) - len(tail)]
            if head_room >= 40:
                text = fm.elidedText(name, Qt.TextElideMode.ElideRight, head_room) + tail
            else:  # the date and count (shortened when even they do not fit)
                text = fm.elidedText(item.tail, Qt.TextElideMode.ElideRight, bucket)
        if not text:
            text = fm.elidedText(item.label, Qt.TextElideMode.ElideRight, bucket)
        return self._static_text(key, text, self._font)

    def _paint_badges(
        self, p: QPainter, badges: Sequence[tuple[QRectF, QStaticText, Badge]]
    ) -> None:
        """Count marks: a compact dark mark with the count, a strip of the kinds' colours."""
        if not badges:
            return
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(self.theme.badge))
        if len(badges) <= 120:
            for rect, _, _ in badges:
                p.drawRoundedRect(rect, 4, 4)
            for rect, _, badge in badges:
                self._kind_strip(p, rect, badge.kinds)
        else:
            p.drawRects([rect for rect, _, _ in badges])
        p.setPen(QColor("#ffffff"))
        for rect, st, _ in badges:
            size = st.size()
            p.drawStaticText(
                QPointF(
                    rect.center().x() - size.width() / 2,
                    rect.center().y() - size.height() / 2 - 1,
                ),
                st,
            )

    def _kind_strip(self, p: QPainter, rect: QRectF, kinds: Mapping[str, int]) -> None:
        """Segments of the members' kind colours along a count mark's foot, by share."""
        total = sum(kinds.values())
        if total <= 0:
            return
        x = rect.left() + 3
        w = rect.width() - 6
        y = rect.bottom() - 3.5
        for kind, n in sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0])):
            seg = w * n / total
            p.fillRect(QRectF(x, y, max(1.5, seg), 2.5), self._colors.get(kind, QColor("#999")))
            x += seg

    def _draw_stack(
        self, p: QPainter, x0: float, x1: float, y: float, e: WindowEvent, shapes: bool
    ) -> None:
        """Behind a mark that stands for several events of one day: a second outline."""
        if not shapes or e.precision != "day" or e.end_day > e.start_day:
            return
        cx, cy = (x0 + x1) / 2 + 3.5, y + ROW_H / 2 - 2.5
        self._draw_shape(
            p, e.kind, "proposed" if e.status == "proposed" else "reported", cx, cy, MARK
        )

    def _draw_ongoing(self, p: QPainter, x0: float, x1: float, y: float, n: int) -> QRectF:
        """A lane's row for the spans that cover the whole view: how many, not each one."""
        rect = QRectF(x0, y + 3, x1 - x0, ROW_H - 6)
        c = QColor(self.theme.badge)
        c.setAlpha(28)
        p.fillRect(rect, c)
        text = f"{n:,} spans cover this whole view (periods, dates known to the month or year)"
        st = self._static_text(("ongoing", n), text, self._small)
        p.setPen(QColor(self.theme.muted))
        p.setFont(self._small)
        p.drawStaticText(QPointF(x0 + 6, rect.center().y() - st.size().height() / 2), st)
        return rect

    def _draw_mark(
        self, p: QPainter, e: WindowEvent, x0: float, x1: float, y: float, shapes: bool
    ) -> QRectF:
        """Draw one event's mark in the row starting at ``y``; returns its hit rectangle."""
        kind, status = e.kind, e.status
        cy = y + ROW_H / 2
        if e.precision != "day":
            # known to the month, quarter or year: a soft band over the whole span
            c = QColor(self._colors.get(kind, QColor("#444")))
            band = QRectF(x0, y + 2, max(2.0, x1 - x0), ROW_H - 4)
            c.setAlpha(46)
            p.fillRect(band, c)
            edge = QColor(c)
            edge.setAlpha(120)
            pen = QPen(edge, 1, Qt.PenStyle.DotLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(band)
            if shapes and x1 - x0 > MARK * 2:
                self._draw_shape(p, kind, status, (x0 + x1) / 2, cy, MARK * 0.8)
            return band
        if e.end_day > e.start_day and x1 - x0 > MARK:
            # a period: a tinted bar the height of the row (its label sits inside, readable),
            # with solid caps at its start and end
            bar = QRectF(x0, y + 2, x1 - x0, ROW_H - 4)
            p.setPen(self._pen(kind, status))
            p.setBrush(self._bar_brush(kind, status))
            p.drawRoundedRect(bar, 3, 3)
            if status != "proposed":
                cap = self._brush(kind, status)
                p.fillRect(QRectF(x0, bar.top(), 3, bar.height()), cap)
                p.fillRect(QRectF(x1 - 3, bar.top(), 3, bar.height()), cap)
            if status == "revoked":
                p.drawLine(QPointF(x0, cy), QPointF(x1, cy))
            return bar
        cx = (x0 + x1) / 2
        if shapes:
            self._draw_shape(p, kind, status, cx, cy, MARK)
        else:
            p.fillRect(QRectF(cx - 2, cy - 5, 4, 10), self._brush(kind, "announced").color())
        return QRectF(cx - MARK / 2, cy - MARK / 2, MARK, MARK)

    def _draw_shape(
        self, p: QPainter, kind: str, status: str, cx: float, cy: float, size: float
    ) -> None:
        shape = palette.kind_shape(kind)
        p.setPen(self._pen(kind, status))
        p.setBrush(self._brush(kind, status))
        h = size / 2
        if shape == "circle":
            p.drawEllipse(QPointF(cx, cy), h, h)
        elif shape == "square":
            p.drawRect(QRectF(cx - h * 0.9, cy - h * 0.9, h * 1.8, h * 1.8))
        elif shape == "diamond":
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(cx, cy - h * 1.15),
                        QPointF(cx + h * 1.15, cy),
                        QPointF(cx, cy + h * 1.15),
                        QPointF(cx - h * 1.15, cy),
                    ]
                )
            )
        elif shape == "triangle":
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(cx, cy - h * 1.1),
                        QPointF(cx + h * 1.1, cy + h * 0.9),
                        QPointF(cx - h * 1.1, cy + h * 0.9),
                    ]
                )
            )
        elif shape == "bar":
            p.drawRect(QRectF(cx - h * 0.45, cy - h * 1.1, h * 0.9, h * 2.2))
        else:  # page: a square with a folded corner
            path = QPainterPath()
            path.moveTo(cx - h * 0.8, cy - h)
            path.lineTo(cx + h * 0.3, cy - h)
            path.lineTo(cx + h * 0.8, cy - h * 0.5)
            path.lineTo(cx + h * 0.8, cy + h)
            path.lineTo(cx - h * 0.8, cy + h)
            path.closeSubpath()
            p.drawPath(path)
        if status == "reported":
            # reported by others, not announced: a dot of the kind's colour in a pale mark
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self._colors.get(kind, QColor("#444")))
            p.drawEllipse(
                QPointF(cx, cy + (h * 0.2 if shape == "triangle" else 0)), h * 0.32, h * 0.32
            )
        if status == "revoked":
            p.setPen(QPen(QColor("#5f6368"), 1.2))
            p.drawLine(QPointF(cx - h, cy + h), QPointF(cx + h, cy - h))

    def _draw_badge(self, p: QPainter, x0: float, x1: float, y: float, n: int) -> QRectF:
        t = self.theme
        text = f"{n:,}"
        st = self._static_text(("badge", text), text, self._small)
        size = st.size()
        w = max(x1 - x0, size.width() + 10)
        rect = QRectF(x0, y + 3, w, ROW_H - 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.badge))
        p.drawRoundedRect(rect, 7, 7)
        p.setPen(QColor("#ffffff"))
        p.setFont(self._small)
        p.drawStaticText(
            QPointF(rect.center().x() - size.width() / 2, rect.center().y() - size.height() / 2),
            st,
        )
        return rect

    # ----------------------------------------------------------------- selection

    def _selection_point(
        self, frame: FrameData, layout: FrameLayout, e: WindowEvent | RelatedMark
    ) -> QPointF | None:
        placed = layout.mark_of(e.id)
        if placed is not None:
            return placed.center
        inside = layout.where.get(e.id)  # in a count mark
        if inside is not None:
            return inside
        r = layout.lane_rects.get(e.lane)
        if r is None:
            return None
        scale = frame.scale
        x = layout.plot.left() + scale.x((e.start_day + e.end_day + 1) / 2)
        return QPointF(x, r.center().y())

    def _paint_selection(self, p: QPainter, frame: FrameData, layout: FrameLayout) -> None:
        t = self.theme
        sel = frame.selected
        if frame.hover >= 0:
            hm = layout.mark_of(frame.hover)
            if hm is not None:
                p.setPen(QPen(QColor(t.hover), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(hm.rect.adjusted(-3, -3, 3, 3), 4, 4)
        if sel is None:
            return
        here = self._selection_point(frame, layout, sel)
        if here is None:
            return
        self._arrow_labels = []
        plot = layout.plot
        # an arrow's words must not hide an event's label or mark
        obstacles = layout.label_rects + [m.rect for m in layout.marks]
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for rel in frame.related:
            there = self._selection_point(frame, layout, rel)
            if there is None:
                continue
            clipped = QPointF(min(max(there.x(), plot.left() + 8), plot.right() - 8), there.y())
            a, b = (here, clipped) if rel.outgoing else (clipped, here)
            self._arrow(
                p,
                a,
                b,
                _relation_words(rel.kind),
                plot.top(),
                obstacles,
                plot,
            )
            hit = QRectF(clipped.x() - 8, clipped.y() - 8, 16, 16)
            layout.related_targets.append((hit, rel.id))
            if layout.mark_of(rel.id) is None:
                # the related event is not drawn as a mark here: a ring marks where it is
                p.setPen(QPen(QColor(t.selection), 1.5, Qt.PenStyle.DashLine))
                p.setBrush(QColor(255, 255, 255, 220))
                p.drawEllipse(clipped, 6, 6)
        sm = layout.mark_of(sel.id)
        ring = sm.rect if sm is not None else QRectF(here.x() - 6, here.y() - 6, 12, 12)
        p.setPen(QPen(QColor(t.selection), 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(ring.adjusted(-4, -4, 4, 4), 5, 5)

    def _arrow_label_box(
        self,
        a: QPointF,
        mid: QPointF,
        b: QPointF,
        w: float,
        obstacles: Sequence[QRectF],
        bounds: QRectF | None,
    ) -> QRectF | None:
        """Where an arrow's words go: the first spot on its arc (from the top of the arc
        outwards), else just above or below it, that covers no event label or mark and no
        other arrow's words and stays in ``bounds``; None when none is free (the arrow then
        goes unlabelled: the detail pane names every relation, and a pile of overlapping
        words names none)."""

        def at(t: float) -> QPointF:
            u = 1 - t
            return QPointF(
                u * u * a.x() + 2 * u * t * mid.x() + t * t * b.x(),
                u * u * a.y() + 2 * u * t * mid.y() + t * t * b.y(),
            )

        taken = [*obstacles, *self._arrow_labels]
        for dy in (0.0, -14.0, 14.0, -28.0, 28.0):
            for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
                c = at(t)
                box = QRectF(c.x() - w / 2, c.y() - 8 + dy, w, 16)
                if bounds is not None and not bounds.contains(box):
                    continue
                if not any(box.intersects(r) for r in taken):
                    return box
        return None

    def _arrow(
        self,
        p: QPainter,
        a: QPointF,
        b: QPointF,
        label: str,
        top_limit: float = 0.0,
        obstacles: Sequence[QRectF] | None = None,
        bounds: QRectF | None = None,
    ) -> None:
        t = self.theme
        color = QColor(t.selection)
        dx, dy = b.x() - a.x(), b.y() - a.y()
        dist = math.hypot(dx, dy)
        if dist < 4:
            return
        # a gentle arc, so arrows within one lane do not run over the marks; it bows upwards
        # unless that would leave the plot
        bend = min(60.0, dist * 0.25)
        if min(a.y(), b.y()) - bend < top_limit + 12:
            bend = -bend
        mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2 - bend)
        path = QPainterPath(a)
        path.quadTo(mid, b)
        p.setPen(QPen(color, 1.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        # head: along the curve's end tangent
        ang = math.atan2(b.y() - mid.y(), b.x() - mid.x())
        size = 9.0
        tip = QPointF(b.x() - math.cos(ang) * 7, b.y() - math.sin(ang) * 7)
        left = QPointF(tip.x() - size * math.cos(ang - 0.45), tip.y() - size * math.sin(ang - 0.45))
        right = QPointF(
            tip.x() - size * math.cos(ang + 0.45), tip.y() - size * math.sin(ang + 0.45)
        )
        p.setBrush(color)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(QPolygonF([tip, left, right]))
        # the relation in words, on the arc where it covers no label, mark or other relation
        p.setFont(self._small)
        fm = QFontMetricsF(self._small)
        w = fm.horizontalAdvance(label) + 8
        box = self._arrow_label_box(a, mid, b, w, obstacles or [], bounds)
        if box is None:
            return
        self._arrow_labels.append(QRectF(box))
        p.setBrush(QColor(255, 255, 255, 230))
        p.setPen(QPen(color, 1))
        p.drawRoundedRect(box, 4, 4)
        p.setPen(color)
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

    # ----------------------------------------------------------------- legend

    def swatch(self, p: QPainter, r: QRectF, entry: LegendEntry) -> None:
        """Draw a legend entry's swatch as the marks are drawn, so the legend matches them."""
        p.save()
        try:
            if entry.group == "kind":
                status = "proposed" if entry.key == "proposal" else "announced"
                self._swatch(p, entry.key, status, "point", r)
            elif entry.group == "status":
                self._swatch(p, "announcement", entry.key, "point", r)
            elif entry.key == "period":
                self._swatch(p, "rule_in_force", "in_force", "period", r)
            elif entry.key == "band":
                self._swatch(p, "announcement", "announced", "band", r)
            else:
                self._swatch(p, "announcement", "announced", entry.key, r)
        finally:
            p.restore()

    def _swatch(self, p: QPainter, kind: str, status: str, form: str, r: QRectF) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        cy = r.center().y()
        if form == "badge":
            self._draw_badge(p, r.left() + 2, r.right() - 2, r.top(), 12)
        elif form == "arrow":
            p.setPen(QPen(QColor(self.theme.selection), 1.8))
            p.drawLine(QPointF(r.left() + 2, cy), QPointF(r.right() - 6, cy))
            p.setBrush(QColor(self.theme.selection))
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(r.right() - 2, cy),
                        QPointF(r.right() - 9, cy - 4),
                        QPointF(r.right() - 9, cy + 4),
                    ]
                )
            )
        else:
            precision = "month" if form == "band" else "day"
            end = 30 if form in ("band", "period") else 0
            fake = WindowEvent(-1, 0, end, (0, ""), kind, status, precision, "", "")
            if form == "point":
                p.setPen(Qt.PenStyle.NoPen)
                self._draw_shape(p, kind, status, r.center().x(), cy, MARK)
            else:
                self._draw_mark(p, fake, r.left() + 2, r.right() - 2, r.top(), True)
