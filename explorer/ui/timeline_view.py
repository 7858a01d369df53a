"""The interactive timeline: a custom-painted widget over a TimelineModel, and its panel.

``TimelineView`` paints from what its :class:`~explorer.qt.timeline_model.TimelineModel` has
already loaded (never waiting on SQLite) with the shared
:class:`~explorer.render.painter.TimelinePainter`, and turns input into model and workspace
calls (napari's pattern: listen to the model, write back through its methods):

=====================  =====================================================================
Wheel, pinch, + / -     zoom, anchored at the cursor (+ / - at the centre)
Drag, sideways scroll   pan; Shift+Left / Shift+Right pan by a quarter of the width
Left / Right            select the previous / next event in time (the view follows)
Up / Down               select the nearest event in the lane above / below
Home / End              select the first / last event
F                       fit every event in view
L                       switch lanes between country and agency
Click                   select an event; a count mark (or a mark standing for one list's
                        entries on one day) lists its events to pick one (a large crowd
                        zooms in instead); a related event's arrow end selects it;
                        double-click zooms in
Click a lane's name     collapse the lane to one summary row, or expand it (remembered);
                        right-click the names for every lane at once
Wheel over the names,   scroll the lanes up and down (the time axis stays in view, and so
drag, the scroll bar    does each lane's name while any of the lane shows)
Hover                   tooltip with the title and the date (a count mark: what it holds)
=====================  =====================================================================

Lanes take the rows their events need, labels first, and the lane area scrolls; selecting an
event (keys, list, search) scrolls its lane into view.

The keys come from one table, :data:`explorer.ui.actions.TIMELINE_ACTIONS`, which also lists
them in the main window's menus and in Help → Keyboard shortcuts.

``TimelinePanel`` holds the view with the overview strip below it and offers the lane-mode
actions for the main window's toolbar. The model is made by the main window (it belongs to the
workspace's consumers, not to a widget) and handed in.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QScrollBar,
    QToolBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from explorer.domain.lanes import clamp_scroll, scroll_to_show
from explorer.qt.timeline_model import TimelineModel
from explorer.qt.workspace import Workspace
from explorer.render.painter import (
    Badge,
    FrameData,
    FrameLayout,
    PlacedMark,
    Theme,
    TimelinePainter,
    badge_tooltip,
    event_date_text,
)
from explorer.storage.timeline import WindowEvent
from explorer.ui.actions import TIMELINE_ACTIONS

ZOOM_STEP = 1.25  # one + / - press, one wheel notch (120 units)
DRAG_THRESHOLD = 4  # pixels a press may move and still be a click
SCROLL_STEP = 60.0  # pixels one wheel notch scrolls the lanes
POPUP_MAX = 40  # a count mark lists up to this many events to pick from; more zoom in
GUTTER_PX = 172.0  # the lane names' column in the window
BAR_DELAY_MS = 120  # the scroll bar follows lanes that change height after this long


class TimelineView(QWidget):
    """The timeline widget.

    Args:
        model: The timeline's loader over the workspace (whose selection it shows and sets).
        parent: The Qt parent.

    Signals:
        framePainted(float): milliseconds the last paintEvent took (for the benchmark).
        scrollChanged: the lanes' height, the visible part or the scroll offset changed.
    """

    framePainted = Signal(float)
    scrollChanged = Signal()

    def __init__(
        self,
        model: TimelineModel,
        parent: QWidget | None = None,
        theme: Theme | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timelineView")
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "Events in lanes over time. Left and Right step through events, Up and Down change "
            "lane, plus and minus zoom, F fits everything."
        )
        self.model = model
        self.workspace = model.workspace
        self.painter = TimelinePainter(theme, raster_cache=True)
        self.layout_: FrameLayout | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(400, 200)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self._press: QPointF | None = None
        self._last_drag: QPointF | None = None
        self._dragging = False
        self._hover = -1
        self._follow = False  # pan to the selection once its position is known
        self._scroll = 0.0  # how far the lanes are scrolled up (pixels)
        self._content = 0.0  # every lane's height together
        self._page = 0.0  # the height of the lane area on screen
        self._reveal = -1  # an event whose lane to scroll into view once it is drawn
        self._scroll_drag = False  # a drag that began on the lane names scrolls only
        #: The list a count mark opened (kept for tests; None when none was opened).
        self.group_menu: QMenu | None = None
        model.changed.connect(self.update)
        model.stepFound.connect(self._on_step_found)
        model.changed.connect(self._follow_selection)
        self.workspace.selectionChanged.connect(self._on_selection_changed)

    # ----------------------------------------------------------------- geometry

    def plot_left(self) -> float:
        return self.painter.theme.gutter

    def frame_data(self) -> FrameData:
        """What the next frame shows, from what the model has loaded."""
        m = self.model
        message = ""
        if not m.ready:
            message = "Loading…"
        elif not m.lanes:
            message = "No events"
        return FrameData(
            scale=m.scale,
            mode=m.mode,
            lanes=m.lanes,
            density=m.density,
            events=m.window_events(),
            selected=m.selected_mark,
            related=m.related,
            hover=self._hover,
            message=message,
            stacked=True,
            scroll=self._scroll,
            collapsed=m.collapsed_keys(),
            listings=m.window_listings() or None,
        )

    # ----------------------------------------------------------------- vertical scrolling

    @property
    def scroll_offset(self) -> float:
        """How far the lanes are scrolled up, in pixels."""
        return self._scroll

    def scroll_range(self) -> tuple[float, float]:
        """Every lane's height together and the height of the lane area on screen."""
        return self._content, self._page

    def set_scroll(self, offset: float) -> None:
        """Scroll the lanes to ``offset`` pixels from their top (kept within range)."""
        offset = clamp_scroll(float(offset), self._content, self._page)
        if abs(offset - self._scroll) < 0.5:
            return
        self._scroll = offset
        self.scrollChanged.emit()
        self.update()

    def scroll_by(self, dy: float) -> None:
        self.set_scroll(self._scroll + dy)

    def _after_paint(self, lay: FrameLayout) -> None:
        """Follow the new lane heights: keep the offset in range, show a selection's lane."""
        content, page = lay.content_height, lay.plot.height()
        changed = abs(content - self._content) >= 0.5 or abs(page - self._page) >= 0.5
        self._content, self._page = content, page
        offset = clamp_scroll(self._scroll, content, page)
        if self._reveal >= 0:
            target = self._reveal_span(lay)
            if target is not None:
                offset = clamp_scroll(scroll_to_show(offset, *target, page), content, page)
        if abs(offset - self._scroll) >= 0.5:
            self._scroll = offset
            changed = True
            self.update()
        if changed:
            self.scrollChanged.emit()

    def _reveal_span(self, lay: FrameLayout) -> tuple[float, float] | None:
        """Where the event to reveal is drawn (top and bottom, content coordinates); None
        while it is not known yet. Once found (or given up), nothing is left to reveal."""
        gid = self._reveal
        if self.model.busy or not self.model.ready:
            return None  # lanes may still change height: try again on a later frame
        top = lay.plot.top() - self._scroll
        placed = lay.mark_of(gid)
        inside = lay.where.get(gid)
        mark = self.model.selected_mark
        if placed is not None:
            span = (placed.rect.top() - 6 - top, placed.rect.bottom() + 6 - top)
        elif inside is not None:
            span = (inside.y() - 14 - top, inside.y() + 14 - top)
        elif gid in lay.row_of:
            y = lay.row_of[gid] - top
            span = (y - 16, y + 16)
        elif mark is not None and mark.id == gid and mark.lane in lay.lane_spans:
            a, b = lay.lane_spans[mark.lane]
            span = (a, min(b, a + self._page))
        else:
            self._reveal = -1
            return None
        self._reveal = -1
        return span

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        t0 = time.perf_counter()
        p = QPainter(self)
        try:
            self.layout_ = self.painter.paint(p, QRectF(self.rect()), self.frame_data())
        finally:
            p.end()
        self._after_paint(self.layout_)
        self.framePainted.emit((time.perf_counter() - t0) * 1000)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.model.set_width(self.painter.plot_width(QRectF(self.rect())))
        super().resizeEvent(event)

    # ----------------------------------------------------------------- zoom and pan

    def zoom_at(self, factor: float, x: float | None = None) -> None:
        """Zoom by ``factor`` keeping the day under widget x position ``x`` (default: centre)."""
        anchor = (x - self.plot_left()) if x is not None else self.model.scale.width / 2
        anchor = min(max(anchor, 0.0), self.model.scale.width)
        self.model.zoom(factor, anchor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        pixel = event.pixelDelta()
        horizontal = delta.x() if delta.x() else 0
        vertical = delta.y()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and not horizontal:
            horizontal, vertical = vertical, 0
        if vertical and event.position().x() < self.plot_left():
            # over the lane names the wheel scrolls the lanes
            dy = -pixel.y() if not pixel.isNull() and pixel.y() else -vertical / 120 * SCROLL_STEP
            self.scroll_by(dy)
            event.accept()
            return
        if horizontal:
            dx = pixel.x() if not pixel.isNull() and pixel.x() else horizontal / 120 * 60
            self.model.pan(dx)
        if vertical:
            self.zoom_at(ZOOM_STEP ** (vertical / 120), event.position().x())
        event.accept()

    def event(self, event: QEvent) -> bool:
        et = event.type()
        if (
            et == QEvent.Type.NativeGesture
            and isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_at(1.0 + event.value(), event.position().x())
            return True
        if et == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if pinch is not None:
                factor = pinch.scaleFactor()
                if factor > 0:
                    self.zoom_at(factor, self.mapFromGlobal(pinch.centerPoint().toPoint()).x())
                event.accept()
                return True
        # these keys mean something here even when the window has shortcuts for them
        if (
            et == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and _method_for(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        method = _method_for(event)
        if method is None:
            super().keyPressEvent(event)
            return
        getattr(self, method)()
        event.accept()

    # ----------------------------------------------------------------- what the keys do

    def zoom_in(self) -> None:
        self.zoom_at(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_at(1 / ZOOM_STEP)

    def fit_all(self) -> None:
        self.model.fit_all()

    def pan_left(self) -> None:
        self.model.pan(self.model.scale.width / 4)

    def pan_right(self) -> None:
        self.model.pan(-self.model.scale.width / 4)

    def select_previous(self) -> None:
        self._follow = True
        self.model.request_step(self.workspace.selected_id, -1)

    def select_next(self) -> None:
        self._follow = True
        self.model.request_step(self.workspace.selected_id, 1)

    def select_lane_above(self) -> None:
        self._step_lane(-1)

    def select_lane_below(self) -> None:
        self._step_lane(1)

    def select_first(self) -> None:
        self._follow = True
        self.model.request_edge(last=False)

    def select_last(self) -> None:
        self._follow = True
        self.model.request_edge(last=True)

    def toggle_lanes(self) -> None:
        self.model.set_mode("agency" if self.model.mode == "country" else "country")

    def _step_lane(self, delta: int) -> None:
        m = self.model
        mark = m.selected_mark
        if mark is not None:
            lane = m.lane_neighbour(mark.lane, delta)
            day = mark.start_day
        else:
            lanes = m.lanes
            lane = lanes[0].key if lanes else None
            day = int((m.scale.start + m.scale.end) / 2)
        if lane is not None:
            self._follow = True
            m.request_lane_step(lane, day)

    def _on_step_found(self, gid: int) -> None:
        self.workspace.select(gid)

    def _on_selection_changed(self, gid: int) -> None:
        self._follow = True
        self._reveal = gid
        self.update()

    def _follow_selection(self) -> None:
        mark = self.model.selected_mark
        if self._follow and mark is not None and mark.id == self.workspace.selected_id:
            self._follow = False
            self.model.ensure_visible(mark.start_day, mark.end_day)

    # ----------------------------------------------------------------- mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._last_drag = event.position()
            self._dragging = False
            self._scroll_drag = event.position().x() < self.plot_left()
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press).manhattanLength() >= DRAG_THRESHOLD:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging and self._last_drag is not None:
                # a drag moves the lanes with the pointer: sideways in time, up and down
                dx, dy = pos.x() - self._last_drag.x(), pos.y() - self._last_drag.y()
                if dx and not self._scroll_drag:
                    self.model.pan(dx)
                if dy and self._content > self._page:
                    self.scroll_by(-dy)
                self._last_drag = pos
            return
        self._update_hover(pos, event.globalPosition().toPoint())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        was_drag = self._dragging
        self._press = self._last_drag = None
        self._dragging = False
        self.unsetCursor()
        if not was_drag:
            self.click_at(event.position())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if pos.x() < self.plot_left():
            return
        lay = self.layout_
        if lay is not None and lay.mark_at(pos) is None and lay.badge_at(pos) is None:
            self.zoom_at(2.0, pos.x())

    def click_at(self, pos: QPointF) -> None:
        """What a click at ``pos`` does: select a mark or related event, open a count mark
        (a list to pick from, or a zoom into a large crowd), collapse or expand a lane."""
        lay = self.layout_
        if lay is None:
            return
        if pos.x() < self.plot_left():
            spot = lay.gutter_at(pos)
            if spot is not None and spot.toggles:
                self.model.toggle_collapsed(spot.lane)
            return
        related = lay.related_at(pos)
        if related is not None:
            self.workspace.select(related)
            return
        placed = lay.placed_at(pos)
        if placed is not None:
            if placed.members:
                self.open_group(self._mark_entries(placed), pos, placed.label)
            else:
                self.workspace.select(placed.event.id)
            return
        badge = lay.badge_at(pos)
        if badge is None:
            return
        if badge.entries and len(badge.entries) <= POPUP_MAX:
            self.open_group(badge.entries, pos, badge_tooltip(badge), badge)
        else:
            self.model.zoom_to(badge.first_day, badge.last_day)

    @staticmethod
    def _mark_entries(placed: PlacedMark) -> list[tuple[WindowEvent, str]]:
        return [(e, e.title or event_date_text(e)) for e in placed.members]

    def open_group(
        self,
        entries: list[tuple[WindowEvent, str]],
        pos: QPointF,
        heading: str,
        badge: Badge | None = None,
    ) -> QMenu:
        """A popup list of the events a mark stands for: choosing one selects it."""
        if self.group_menu is not None:
            self.group_menu.close()
            self.group_menu.deleteLater()
        menu = QMenu(self)
        menu.setObjectName("timelineGroupMenu")
        menu.setAccessibleName("Events in this mark")
        menu.setToolTipsVisible(True)
        head = menu.addAction(heading)
        head.setEnabled(False)
        menu.addSeparator()
        for e, words in entries:
            text = words if _has_date(words) else f"{event_date_text(e)} — {words}"
            action = menu.addAction(_menu_text(text))
            action.setToolTip(words)
            action.setData(e.id)
            action.triggered.connect(lambda _c=False, gid=e.id: self.workspace.select(gid))
        if badge is not None and badge.last_day > badge.first_day:
            menu.addSeparator()
            zoom = menu.addAction("Zoom in on these")
            zoom.setObjectName("timeline.zoomToGroup")
            zoom.triggered.connect(
                lambda _c=False, a=badge.first_day, b=badge.last_day: self.model.zoom_to(a, b)
            )
        self.group_menu = menu
        menu.popup(self.mapToGlobal(pos.toPoint()))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """On the lane names: collapse or expand this lane, every lane, the imported ones."""
        pos = QPointF(event.pos())
        if pos.x() >= self.plot_left() or self.layout_ is None:
            super().contextMenuEvent(event)
            return
        m = self.model
        spot = self.layout_.gutter_at(pos)
        menu = QMenu(self)
        menu.setObjectName("timelineLaneMenu")
        if spot is not None:
            key = spot.lane
            collapsed = m.is_collapsed(key)
            this = menu.addAction("Expand this lane" if collapsed else "Collapse this lane")
            this.triggered.connect(lambda _c=False: m.set_collapsed(key, not collapsed))
            menu.addSeparator()
        keys = [ln.key for ln in m.lanes]
        imported = [ln.key for ln in m.lanes if ln.imported]
        menu.addAction("Collapse every lane").triggered.connect(
            lambda _c=False: m.set_collapsed(keys, True)
        )
        menu.addAction("Expand every lane").triggered.connect(
            lambda _c=False: m.set_collapsed(keys, False)
        )
        if imported:
            menu.addAction("Collapse the imported lanes").triggered.connect(
                lambda _c=False: m.set_collapsed(imported, True)
            )
        menu.popup(event.globalPos())
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover >= 0:
            self._hover = -1
            self.update()
        super().leaveEvent(event)

    def _update_hover(self, pos: QPointF, global_pos: QPoint) -> None:
        lay = self.layout_
        placed = lay.placed_at(pos) if lay is not None and pos.x() >= self.plot_left() else None
        gid = placed.event.id if placed is not None else -1
        if gid != self._hover:
            self._hover = gid
            self.update()
        if placed is not None:
            QToolTip.showText(global_pos, self.placed_tooltip(placed), self)
        elif lay is not None and (badge := lay.badge_at(pos)) is not None:
            QToolTip.showText(global_pos, self.badge_text(badge), self)
        elif lay is not None and (spot := lay.gutter_at(pos)) is not None:
            QToolTip.showText(global_pos, spot.tooltip, self)
        else:
            QToolTip.hideText()

    def placed_tooltip(self, placed: PlacedMark) -> str:
        """The hover text of a mark: its title and date; a listing's words; a mark standing
        for several events says so."""
        e = placed.event
        if placed.members:
            n = len(placed.members)
            return f"{placed.label}\n{n} events on this day — click to choose one"
        if placed.label and placed.label != e.title:
            return f"{placed.label}\n{e.title}"
        return self.tooltip_text(e)

    @staticmethod
    def badge_text(badge: Badge) -> str:
        """The hover text of a count mark: how many of which kinds, the first few, the click."""
        lines = [badge_tooltip(badge)]
        if badge.entries and len(badge.entries) <= POPUP_MAX:
            lines += [f"• {_menu_text(w, 70)}" for _e, w in badge.entries[:8]]
            if len(badge.entries) > 8:
                lines.append(f"… and {len(badge.entries) - 8} more")
            lines.append("Click to choose one")
        else:
            lines.append("Click to zoom in")
        return "\n".join(lines)

    @staticmethod
    def tooltip_text(mark: object) -> str:
        """The hover text of an event: its title and its date."""
        title = mark.title or "A span across this whole view (click to read it)"  # type: ignore[attr-defined]
        return f"{title}\n{event_date_text(mark)}"  # type: ignore[arg-type]


def _has_date(words: str) -> bool:
    """Whether a listing's words already carry its date ("… · 18 Dec 2020 · …")."""
    return " · " in words


def _menu_text(text: str, limit: int = 110) -> str:
    """One line for a menu or tooltip: shortened with an ellipsis, "&" shown as itself."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("&", "&&")


_MODS = (
    Qt.KeyboardModifier.ShiftModifier
    | Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def _key_table() -> dict[tuple[int, int], str]:
    """(key, modifiers) -> TimelineView method, from the action table."""
    table: dict[tuple[int, int], str] = {}
    for spec, method in TIMELINE_ACTIONS:
        for text in spec.shortcuts:
            combo = QKeySequence(text)[0]  # type: ignore[index]
            table[(combo.key().value, combo.keyboardModifiers().value)] = method
    return table


_KEY_TABLE = _key_table()


def _method_for(event: QKeyEvent) -> str | None:
    """The TimelineView method a key press asks for, or None."""
    key = event.key()
    mods = event.modifiers() & _MODS
    method = _KEY_TABLE.get((key, mods.value))
    if method is None and mods == Qt.KeyboardModifier.ShiftModifier:
        # "+" is Shift+= on many layouts: a symbol typed with Shift still means itself
        symbol = 0x20 <= key < 0x80 and not 0x41 <= key <= 0x5A  # not a letter
        return _KEY_TABLE.get((key, 0)) if symbol else None
    return method


class TimelinePanel(QWidget):
    """The timeline with its overview strip below.

    Args:
        model: The timeline's loader over the workspace.
        parent: The Qt parent.
    """

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from explorer.ui.overview_strip import OverviewStrip

        self.setObjectName("timelinePanel")
        self.model = model
        # lane names and list names want a little more room than a picture's gutter
        theme = Theme(gutter=GUTTER_PX)
        self.view = TimelineView(model, self, theme)
        self.strip = OverviewStrip(model, self, theme)
        self.scroll_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scroll_bar.setObjectName("timelineScrollBar")
        self.scroll_bar.setAccessibleName("Scroll the lanes")
        self.scroll_bar.setRange(0, 0)
        self.scroll_bar.valueChanged.connect(self.view.set_scroll)
        # while the lanes change height (a zoom), the bar follows a moment later: not in
        # every frame; a scroll by the user moves it at once
        self._bar_timer = QTimer(self)
        self._bar_timer.setSingleShot(True)
        self._bar_timer.setInterval(BAR_DELAY_MS)
        self._bar_timer.timeout.connect(self._sync_scroll_bar)
        self.view.scrollChanged.connect(self._scroll_changed)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.view, 1)
        row.addWidget(self.scroll_bar)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addLayout(row, 1)
        box.addWidget(self.strip)
        self.setFocusProxy(self.view)
        self.mode_actions = self._make_mode_actions()
        self.model.modeChanged.connect(self._sync_mode_actions)

    def _scroll_changed(self) -> None:
        content, page = self.view.scroll_range()
        top = max(0, math.ceil(content - page))
        if top == self.scroll_bar.maximum() and not self._bar_timer.isActive():
            self._sync_scroll_bar()
        else:
            self._bar_timer.start()

    def _sync_scroll_bar(self) -> None:
        """The scroll bar as the view's lanes are: their height, the page, the offset."""
        content, page = self.view.scroll_range()
        bar = self.scroll_bar
        bar.blockSignals(True)
        top = max(0, math.ceil(content - page))
        if bar.maximum() != top:
            bar.setRange(0, top)
        if bar.pageStep() != max(1, int(page)):
            bar.setPageStep(max(1, int(page)))
        bar.setSingleStep(int(SCROLL_STEP / 3))
        bar.setValue(round(self.view.scroll_offset))
        if bar.isEnabled() != (top > 0):
            bar.setEnabled(top > 0)
        bar.blockSignals(False)

    def pace(self, workspace: Workspace) -> None:
        """Let the timeline draw a new snapshot first: the workspace holds the list's order and
        the facet counts of a new filter (they would compete with the frame for the
        interpreter) until the timeline has loaded and painted it."""
        workspace.hold_counts = True

        def painted(_ms: float) -> None:
            if self.model.ready and not self.model.busy:
                # after the whole paint pass (the overview strip paints after the view)
                QTimer.singleShot(0, workspace.release_counts)

        # once everything is loaded, the next paint is the snapshot's frame: after it (never
        # during it) the held work starts; a load that changed nothing repaints to say so
        self.view.framePainted.connect(painted)
        self.model.settled.connect(self.view.update)

    def _make_mode_actions(self) -> QActionGroup:
        group = QActionGroup(self)
        group.setExclusive(True)
        for mode, label, tip in (
            ("country", "By &country", "One lane per country"),
            ("agency", "By &agency", "One lane per agency"),
        ):
            action = QAction(label, group)
            action.setObjectName(f"timeline.lanes.{mode}")
            action.setCheckable(True)
            action.setChecked(mode == self.model.mode)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setData(mode)
            action.triggered.connect(lambda _c=False, m=mode: self.model.set_mode(m))
        return group

    def _sync_mode_actions(self, mode: str) -> None:
        for action in self.mode_actions.actions():
            action.setChecked(action.data() == mode)

    def make_toolbar(self, parent: QWidget) -> QToolBar:
        """A toolbar with the lane-mode switch, for the main window."""
        bar = QToolBar("Timeline", parent)
        bar.setObjectName("timelineToolbar")
        bar.addWidget(_label("Lanes: ", bar))
        for action in self.mode_actions.actions():
            bar.addAction(action)
        bar.addSeparator()
        fit = QAction("Fit all", bar)
        fit.setObjectName("timeline.fit")
        fit.setToolTip("Show every event (F)")
        fit.triggered.connect(self.model.fit_all)
        bar.addAction(fit)
        return bar

    def shutdown(self) -> None:
        """Wait for background loads (before the library closes)."""
        self.model.shutdown()


def _label(text: str, parent: QWidget) -> QWidget:
    from PySide6.QtWidgets import QLabel

    label = QLabel(text, parent)
    label.setContentsMargins(6, 0, 2, 0)
    return label
