"""The timeline of a picture: what it shows, as plain data, and the drawer that paints it.

The export layer gathers a :class:`TimelinePicture` from a view's query (lanes, the events or
the per-lane densities, the selection); :class:`ViewTimeline` draws it with the window's own
painter into the rectangle the page layout (:mod:`explorer.render.page`) gives it, so a picture
shows the timeline as the student sees it.

A picture cannot be hovered or opened, so it holds what the view holds:

- every lane is drawn: when the rectangle cannot hold them all, the timeline is drawn smaller
  (down to ZOOM_MIN, labels at 9 pixels) and then the quietest lanes share one lane ("9 more
  agencies");
- every mark the painter had no room to label, and every count mark, gets a small number,
  and :meth:`ViewTimeline.key_for` gives the key that explains each number
  ("1 · 30 May 2024 · China announces …"), which the page lays out beside the timeline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from explorer.domain.dates import PartialDate, display_span
from explorer.domain.timescale import MAX_SPAN, MIN_SPAN, TimeScale
from explorer.render.painter import (
    FrameData,
    FrameLayout,
    Theme,
    TimelinePainter,
    event_date_text,
    lane_height,
)
from explorer.render.snapshot import KeyEntry, LegendEntry
from explorer.storage.query import IMPORTED_PREFIX
from explorer.storage.timeline import (
    DensityTable,
    Lane,
    LaneKey,
    Listing,
    RelatedMark,
    WindowEvent,
)

#: The least a timeline is drawn at when its lanes need more room than the page gives:
#: its 12-pixel labels come out at 9 pixels (7 points on a printed page).
ZOOM_MIN = 0.75
#: A count mark's key entry names at most this many of its events.
KEY_MEMBERS = 6
#: A lane drawn together with others costs a reader as much as this many numbered marks.
GATHER_COST = 2
#: The number tags' text size (logical pixels, whatever the timeline's zoom).
TAG_PX = 9.5
_MORE = "\x00more"  # the value of a lane key that gathers the quietest lanes


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

    def visible(self) -> list[WindowEvent]:
        """The events the window shows (touching it), as the painter counts them."""
        if self.events is None:
            return []
        lo, hi = self.first, self.first + min(max(self.last - self.first, MIN_SPAN), MAX_SPAN)
        return [e for e in self.events if not (e.end_day + 1 < lo or e.start_day > hi)]


@dataclass
class Numbered:
    """A mark with no label of its own: its number, where it is drawn and its key entry.

    Attributes:
        entry: The key's line for it.
        rect: The mark (or count mark) in the timeline's rectangle; None for an event the
            timeline could not draw (never expected: the key still names it).
        ids: The events it stands for.
    """

    entry: KeyEntry
    rect: QRectF | None
    ids: tuple[int, ...]


@dataclass
class _Fit:
    """How a timeline fills one rectangle: its data (lanes perhaps gathered), its zoom, the
    rows of each lane, what the painter placed, and the numbered marks."""

    data: TimelinePicture
    zoom: float
    rows: dict[LaneKey, int] | None
    layout: FrameLayout | None
    count: int = 0  # numbered marks
    elided: int = 0  # labels shortened with an ellipsis
    marks: list[Numbered] | None = None  # the numbered marks, made when first asked for


def _lanes_noun(mode: str, n: int) -> str:
    if mode == "country":
        return "country" if n == 1 else "countries"
    return "agency" if n == 1 else "agencies"


def gathered(data: TimelinePicture, keep: int) -> TimelinePicture:
    """The picture with at most `keep` lanes: the curated lanes kept before the imported ones
    (the curated history is what the picture is about), the busiest first, each in its
    place; the others drawn together in one lane ("9 more agencies") among the curated lanes
    and one among the imported ones, each event keeping its own mark and label."""
    lanes = list(data.lanes)
    if len(lanes) <= keep:
        return data
    groups = 1 if len({lane.imported for lane in lanes}) == 1 else 2
    room = max(1, keep - groups)

    def weight(i: int) -> tuple[bool, int, int]:
        return (lanes[i].imported, -lanes[i].count, i)

    busiest = sorted(range(len(lanes)), key=weight)[:room]
    kept = set(busiest)
    out: list[Lane] = []
    remap: dict[LaneKey, LaneKey] = {}
    for imported in (False, True):
        mine = [i for i, lane in enumerate(lanes) if lane.imported == imported]
        rest = [lanes[i] for i in mine if i not in kept]
        out.extend(lanes[i] for i in mine if i in kept)
        if not rest:
            continue
        if len(rest) == 1:  # one lane alone is kept as it is
            out.append(rest[0])
            continue
        key = (rest[0].key[0], _MORE)
        words = f"{len(rest)} more {_lanes_noun(data.lane_mode, len(rest))}"
        label = f"{IMPORTED_PREFIX}{words}" if imported else words
        out.append(Lane(key, label, sum(lane.count for lane in rest), imported))
        remap.update((lane.key, key) for lane in rest)

    def moved(e: WindowEvent) -> WindowEvent:
        key = remap.get(e.lane)
        return e if key is None else e._replace(lane=key)

    related = tuple(r._replace(lane=remap[r.lane]) if r.lane in remap else r for r in data.related)
    return replace(
        data,
        lanes=out,
        events=None if data.events is None else [moved(e) for e in data.events],
        selected=None if data.selected is None else moved(data.selected),
        related=related,
    )


def _dry_device() -> QImage:
    """A one-pixel image to paint a frame on only to learn its layout."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    dpm = round(96 / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    return image


class ViewTimeline:
    """Draws a picture's timeline into a rectangle with the window's painter.

    A picture cannot open a count badge, so each lane gets the rows its events need: every
    label whole when the page has room, else at least enough rows that no marks merge, else
    (a crowd no page holds) rows in proportion to that need. A timeline whose lanes need more
    height than the rectangle gives is drawn smaller (down to ZOOM_MIN) when that labels more
    marks; lanes that still do not fit are gathered (see :func:`gathered`). Marks left without
    a label are numbered, and :meth:`key_for` says what each number stands for.
    """

    def __init__(self, data: TimelinePicture) -> None:
        self.data = data
        self.painter = TimelinePainter(Theme.light())
        self._rows: dict[tuple[int, float], dict[LaneKey, tuple[int, int]]] = {}
        self._fits: dict[tuple[float, float], _Fit] = {}
        self._variants: dict[int, TimelinePicture] = {len(data.lanes): data}
        self._tag_font = QFont()
        self._tag_font.setFamilies(["DejaVu Sans", "Noto Sans", "Arial", "sans-serif"])
        self._tag_font.setPixelSize(round(TAG_PX))
        self._tag_font.setBold(True)
        self._tag_font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)

    def swatch(self, p: QPainter, rect: QRectF, entry: LegendEntry) -> None:
        """A legend swatch drawn as the marks are (the page layout's SwatchDrawer)."""
        self.painter.swatch(p, rect, entry)

    # ----------------------------------------------------------------- frames and rows

    def frame(
        self,
        width: float,
        lane_rows: dict[LaneKey, int] | None = None,
        data: TimelinePicture | None = None,
    ) -> FrameData:
        """The painter's frame for a timeline `width` logical pixels wide."""
        d = data or self.data
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

    def rows_needed(
        self, width: float, data: TimelinePicture | None = None
    ) -> dict[LaneKey, tuple[int, int]]:
        """Per lane: the fewest rows without a count badge, the rows for every label whole."""
        d = data or self.data
        key = (id(d), round(width, 2))
        rows = self._rows.get(key)
        if rows is None:
            rows = self.painter.rows_needed(self.frame(width, data=d)) if d.events else {}
            if len(self._rows) > 16:
                self._rows.clear()
            self._rows[key] = rows
        return rows

    def _lanes_height(self, rows: dict[LaneKey, int], data: TimelinePicture | None = None) -> float:
        d = data or self.data
        return sum(lane_height(rows.get(lane.key, 1)) for lane in d.lanes)

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

    def lane_rows(
        self, rect: QRectF, data: TimelinePicture | None = None
    ) -> dict[LaneKey, int] | None:
        """The rows each lane gets in `rect`: every lane one row, then, lane after lane, a row
        more to each lane with count marks until none has (as long as the rows fit), then to
        each lane with labels to show, until every label is whole or the room is used."""
        d = data or self.data
        need = self.rows_needed(rect.width(), d)
        if not need:
            return None
        room = rect.height() - self.painter.theme.header
        keys = [lane.key for lane in d.lanes]
        rows = dict.fromkeys(keys, 1)
        rows.update((k, 1) for k in need)
        used = sum(lane_height(1) for _ in rows)
        for phase in (0, 1):
            grew = True
            while grew:
                grew = False
                for k in keys:
                    want = need.get(k)
                    if want is None or rows[k] >= want[phase]:
                        continue
                    extra = lane_height(rows[k] + 1) - lane_height(rows[k])
                    if used + extra <= room:
                        rows[k] += 1
                        used += extra
                        grew = True
        return rows

    # ----------------------------------------------------------------- fitting a rectangle

    def _all_lanes_height(self, data: TimelinePicture) -> float:
        """The height that draws each lane of `data` with one row (density lanes: 34)."""
        header = self.painter.theme.header
        if data.events is None:
            return header + 34.0 * len(data.lanes)
        return header + lane_height(1) * len(data.lanes)

    def _try(self, data: TimelinePicture, rect: QRectF, zoom: float) -> _Fit:
        """Paint `data` at `zoom` into nothing, to learn what gets a label."""
        logical = QRectF(0, 0, rect.width() / zoom, rect.height() / zoom)
        rows = self.lane_rows(logical, data)
        frame = self.frame(logical.width(), rows, data)
        image = _dry_device()
        p = QPainter(image)
        try:
            layout = self.painter.paint(p, logical, frame)
        finally:
            p.end()
        fit = _Fit(data, zoom, rows, layout)
        fit.count = self._count(fit)
        fit.elided = self._elided(layout) if layout.labels else 0
        return fit

    def _count(self, fit: _Fit) -> int:
        """How many marks `fit` numbers (see _numbering), without wording them."""
        layout = fit.layout
        if layout is None:
            return 0
        labelled = layout.labelled
        drawn = set(labelled)
        n = len(layout.badges)
        for m in layout.marks:
            if m.event.id not in labelled:
                n += 1
            drawn.add(m.event.id)
            drawn.update(e.id for e in m.members)
        for b in layout.badges:
            drawn.update(b.ids)
        return n + sum(1 for e in fit.data.visible() if e.id not in drawn)

    def numbered_of(self, fit: _Fit) -> list[Numbered]:
        """The numbered marks of `fit`, worded (once)."""
        if fit.marks is None:
            fit.marks = self._numbering(fit)
        return fit.marks

    def _elided(self, layout: FrameLayout) -> int:
        """How many drawn labels are shortened: those drawn narrower than any whole label of
        the labelled marks (a shortened label ends in an ellipsis)."""
        fm = QFontMetricsF(self.painter.theme.font())
        whole = Counter(
            round(fm.horizontalAdvance(m.label or m.event.title))
            for m in layout.marks
            if m.event.id in layout.labelled
        )
        cut = 0
        for r in layout.label_rects:
            w = round(r.width())
            hit = next((k for k in (w, w - 1, w + 1) if whole.get(k)), None)
            if hit is None:
                cut += 1
            else:
                whole[hit] -= 1
        return cut

    def fit(self, rect: QRectF) -> _Fit:
        """How the timeline fills `rect` (cached): the zoom, the lanes, the numbered marks."""
        key = (round(rect.width(), 2), round(rect.height(), 2))
        done = self._fits.get(key)
        if done is not None:
            return done
        data = self.data
        h = max(rect.height(), 1.0)
        if data.events is None or not data.lanes:
            zoom = 1.0
            if data.lanes and h < self._all_lanes_height(data):
                zoom = max(ZOOM_MIN, h / self._all_lanes_height(data))
            fit = _Fit(data, zoom, None, None)
        else:
            header = self.painter.theme.header
            keep = len(data.lanes)
            if h / ZOOM_MIN < self._all_lanes_height(data):
                keep = max(2, int((h / ZOOM_MIN - header) // lane_height(1)))
            # Quiet lanes drawn together leave rows to the busy ones: worth it when it labels
            # more marks than it costs (see cost); a few counts are tried.
            keeps = [keep]
            while keeps[-1] > 3 and len(keeps) < 3:
                keeps.append(keeps[-1] - max(2, keeps[-1] // 4))
            fit = self._zoomed(self._gathered(keeps[0]), rect)
            for k in keeps[1:]:
                if not fit.count or not fit.layout or not fit.layout.labels:
                    # every mark labelled (drawing lanes together only costs), or a crowd
                    # the painter labels none of at any height
                    break
                other = self._zoomed(self._gathered(k), rect)
                if self.cost(other) < self.cost(fit):
                    fit = other
        if len(self._fits) > 32:
            self._fits.clear()
        self._fits[key] = fit
        return fit

    def _gathered(self, keep: int) -> TimelinePicture:
        """The picture with at most `keep` lanes (made once per count: frames and rows are
        cached by the data's identity)."""
        data = self._variants.get(keep)
        if data is None:
            data = gathered(self.data, keep)
            self._variants[keep] = data
        return data

    def _gathered_lanes(self, fit: _Fit) -> int:
        own = sum(1 for lane in fit.data.lanes if lane.key[1] != _MORE)
        return len(self.data.lanes) - own

    def cost(self, fit: _Fit) -> tuple[int, int]:
        """What a fit costs a reader: numbered marks, and lanes drawn together with others
        (GATHER_COST each); then labels shortened."""
        return (fit.count + GATHER_COST * self._gathered_lanes(fit), fit.elided)

    def _zoomed(self, data: TimelinePicture, rect: QRectF) -> _Fit:
        """`data` in `rect` at the zoom that numbers fewest marks: the largest that draws
        every lane, or smaller type (down to ZOOM_MIN) that labels more."""
        h = max(rect.height(), 1.0)
        top = max(ZOOM_MIN, min(1.0, h / self._all_lanes_height(data)))
        _, full = self._height_of(data, rect.width())
        low = max(ZOOM_MIN, min(top, h / full))
        fit = self._try(data, rect, top)
        crowd = fit.layout is not None and not fit.layout.labels
        if fit.count and not crowd and low < top - 0.01:
            small = self._try(data, rect, low)
            if small.count < fit.count:
                fit = small
        return fit

    def _height_of(self, data: TimelinePicture, width: float) -> tuple[float, float]:
        header = self.painter.theme.header
        rows = self.rows_needed(width, data)
        if not rows:
            h = header + 34.0 * len(data.lanes)
            return h, h
        fewest = {k: v[0] for k, v in rows.items()}
        full = {k: v[1] for k, v in rows.items()}
        return header + self._lanes_height(fewest, data), header + self._lanes_height(full, data)

    def key_for(self, rect: QRectF) -> list[KeyEntry]:
        """The key to the numbered marks of the timeline drawn into `rect` (in number order):
        one line per mark the painter had no room to label and per count mark."""
        return [n.entry for n in self.numbered_of(self.fit(rect))]

    def gathered_for(self, rect: QRectF) -> int:
        """How many lanes the timeline drawn into `rect` draws together with others ("9 more
        agencies"): 0 when every lane has its own."""
        fit = self.fit(rect)
        return self._gathered_lanes(fit)

    def cost_for(self, rect: QRectF) -> tuple[int, int]:
        """What the timeline drawn into `rect` costs a reader (see :meth:`cost`): the page
        layout weighs it against the room its key and sources take."""
        return self.cost(self.fit(rect))

    def numbered(self, rect: QRectF) -> list[Numbered]:
        """The numbered marks of the timeline drawn into `rect`, with their places (in the
        rectangle's coordinates, zoom applied)."""
        fit = self.fit(rect)
        z = fit.zoom
        out = []
        for n in self.numbered_of(fit):
            r = n.rect
            if r is not None:
                r = QRectF(
                    rect.left() + r.left() * z,
                    rect.top() + r.top() * z,
                    r.width() * z,
                    r.height() * z,
                )
            out.append(Numbered(n.entry, r, n.ids))
        return out

    # ----------------------------------------------------------------- the key

    def _numbering(self, fit: _Fit) -> list[Numbered]:
        """Every mark of `fit` without a label of its own, every count mark, and every event
        the frame could not draw, numbered from left to right."""
        layout = fit.layout
        if layout is None:
            return []
        by_id = {e.id: e for e in fit.data.events or ()}
        found: list[tuple[float, float, str, str, QRectF | None, tuple[int, ...]]] = []
        drawn: set[int] = set(layout.labelled)
        for m in layout.marks:
            ids = (m.event.id, *(e.id for e in m.members))
            drawn.update(ids)
            if m.event.id in layout.labelled:
                continue
            words = m.label or m.event.title
            listing = bool(m.members) or (m.label and m.label != m.event.title)
            when = "" if listing else event_date_text(m.event)
            c = m.rect.center()
            found.append((c.x(), c.y(), when, words, QRectF(m.rect), ids))
        for b in layout.badges:
            drawn.update(b.ids)
            events = [by_id[i] for i in b.ids if i in by_id]
            entries = b.entries or [(e, e.title) for e in events]
            dates = {event_date_text(e) for e, _ in entries}
            when = dates.pop() if len(dates) == 1 else _span_words(b.first_day, b.last_day)
            c = b.rect.center()
            found.append(
                (
                    c.x(),
                    c.y(),
                    when,
                    _members_words(entries, len(events)),
                    QRectF(b.rect),
                    tuple(b.ids),
                )
            )
        for e in fit.data.visible():
            if e.id not in drawn:  # never expected: said rather than dropped
                found.append(
                    (math.inf, 0.0, event_date_text(e), f"{e.title} (not drawn)", None, (e.id,))
                )
        found.sort(key=lambda f: (f[0], f[1]))
        return [
            Numbered(KeyEntry(i, when, words), rect, ids)
            for i, (_, _, when, words, rect, ids) in enumerate(found, start=1)
        ]

    # ----------------------------------------------------------------- drawing

    def __call__(self, p: QPainter, rect: QRectF) -> None:
        fit = self.fit(rect)
        z = fit.zoom
        logical = QRectF(0, 0, rect.width() / z, rect.height() / z)
        frame = self.frame(logical.width(), fit.rows, fit.data)
        p.save()
        p.translate(rect.topLeft())
        p.scale(z, z)
        layout = self.painter.paint(p, logical, frame)
        p.restore()
        if fit.layout is None:
            return
        if len(layout.marks) != len(fit.layout.marks) or layout.labelled != fit.layout.labelled:
            fit.layout = layout  # (a deterministic painter never gets here)
            fit.count, fit.marks = 0, None
            fit.marks = self._numbering(fit)
            fit.count = len(fit.marks)
        self._draw_tags(p, rect, fit, layout)

    def _draw_tags(self, p: QPainter, rect: QRectF, fit: _Fit, layout: FrameLayout) -> None:
        """Each numbered mark's number, in a small white tag beside it where nothing else is
        (right, left, above or below), else over its upper right corner."""
        numbered = self.numbered_of(fit)
        if not numbered:
            return
        z = fit.zoom

        def page(r: QRectF) -> QRectF:
            return QRectF(
                rect.left() + r.left() * z, rect.top() + r.top() * z, r.width() * z, r.height() * z
            )

        plot = page(layout.plot)
        taken = _Grid()
        for r in layout.label_rects:
            taken.add(page(r))
        for m in layout.marks:
            taken.add(page(m.rect))
        for b in layout.badges:
            taken.add(page(b.rect))
        fm = QFontMetricsF(self._tag_font)
        th = fm.height() + 1
        p.save()
        p.setFont(self._tag_font)
        ink = QColor(self.painter.theme.text)
        for n in numbered:
            if n.rect is None:
                continue
            mr = page(n.rect)
            text = str(n.entry.number)
            tw = fm.horizontalAdvance(text) + 5
            c = mr.center()
            spots = [
                QRectF(mr.right() + 1.5, c.y() - th / 2, tw, th),
                QRectF(mr.left() - 1.5 - tw, c.y() - th / 2, tw, th),
                QRectF(mr.right() - 3, mr.top() - th + 3, tw, th),
                QRectF(mr.right() - 3, mr.bottom() - 3, tw, th),
                QRectF(mr.left() - tw + 3, mr.top() - th + 3, tw, th),
            ]
            tag = next((s for s in spots if plot.contains(s) and not taken.hits(s, mr)), spots[2])
            if tag.top() < plot.top():
                tag.moveTop(plot.top())
            if tag.right() > plot.right():
                tag.moveRight(plot.right())
            taken.add(tag)
            p.setPen(QPen(ink, 0.8))
            p.setBrush(QColor("#ffffff"))
            p.drawRoundedRect(tag, th / 2, th / 2)
            p.setPen(ink)
            p.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()


class _Grid:
    """Rectangles bucketed by 32-pixel cells, for quick overlap tests."""

    CELL = 32.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[QRectF]] = {}

    def _keys(self, r: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        xs = range(math.floor(r.left() / c), math.floor(r.right() / c) + 1)
        ys = range(math.floor(r.top() / c), math.floor(r.bottom() / c) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, r: QRectF) -> None:
        for k in self._keys(r):
            self.cells.setdefault(k, []).append(r)

    def hits(self, r: QRectF, own: QRectF) -> bool:
        inner = r.adjusted(0.5, 0.5, -0.5, -0.5)
        for k in self._keys(r):
            for other in self.cells.get(k, ()):
                if other is not own and other != own and other.intersects(inner):
                    return True
        return False


def _span_words(first: int, last: int) -> str:
    a = PartialDate.of(date.fromordinal(first))
    b = PartialDate.of(date.fromordinal(last))
    return display_span(a, b)


def _members_words(entries: Sequence[tuple[WindowEvent, str]], events: int) -> str:
    """What a count mark holds: "3 events: 3 Jul 2023, China …; 1 Aug 2023, China's …" (the
    dates left out when they are all the same: the entry's date says it)."""
    n = len(entries)
    noun = "listings" if events > n else "events"
    same = len({event_date_text(e) for e, _ in entries}) == 1
    parts = []
    for e, words in entries[:KEY_MEMBERS]:
        if (words and words != e.title) or same:
            parts.append(words or e.title)  # a listing's words carry its date
        else:
            parts.append(f"{event_date_text(e)}, {words or e.title}")
    more = n - len(parts)
    text = f"{n:,} {noun}: " + "; ".join(parts)
    return text + (f"; and {more:,} more" if more else "")
