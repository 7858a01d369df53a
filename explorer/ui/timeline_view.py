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
Click                   select an event, or zoom into a count badge; a related event's
                        arrow end selects it; double-click zooms in
Hover                   tooltip with the title and the date
=====================  =====================================================================

The keys come from one table, :data:`explorer.ui.actions.TIMELINE_ACTIONS`, which also lists
them in the main window's menus and in Help → Keyboard shortcuts.

``TimelinePanel`` holds the view with the overview strip below it and offers the lane-mode
actions for the main window's toolbar. The model is made by the main window (it belongs to the
workspace's consumers, not to a widget) and handed in.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolBar, QToolTip, QVBoxLayout, QWidget

from explorer.qt.timeline_model import TimelineModel
from explorer.qt.workspace import Workspace
from explorer.render.painter import (
    FrameData,
    FrameLayout,
    Theme,
    TimelinePainter,
    event_date_text,
)
from explorer.ui.actions import TIMELINE_ACTIONS

ZOOM_STEP = 1.25  # one + / - press, one wheel notch (120 units)
DRAG_THRESHOLD = 4  # pixels a press may move and still be a click


class TimelineView(QWidget):
    """The timeline widget.

    Args:
        model: The timeline's loader over the workspace (whose selection it shows and sets).
        parent: The Qt parent.

    Signals:
        framePainted(float): milliseconds the last paintEvent took (for the benchmark).
    """

    framePainted = Signal(float)

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
        )

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        t0 = time.perf_counter()
        p = QPainter(self)
        try:
            self.layout_ = self.painter.paint(p, QRectF(self.rect()), self.frame_data())
        finally:
            p.end()
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

    def _on_selection_changed(self, _gid: int) -> None:
        self._follow = True

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
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and (pos - self._press).manhattanLength() >= DRAG_THRESHOLD:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging and self._last_drag is not None:
                self.model.pan(pos.x() - self._last_drag.x())
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
        if self.layout_ is not None and self.layout_.mark_at(event.position()) is None:
            self.zoom_at(2.0, event.position().x())

    def click_at(self, pos: QPointF) -> None:
        """What a click at ``pos`` does: select a mark or related event, open a badge."""
        lay = self.layout_
        if lay is None:
            return
        related = lay.related_at(pos)
        if related is not None:
            self.workspace.select(related)
            return
        mark = lay.mark_at(pos)
        if mark is not None:
            self.workspace.select(mark.id)
            return
        badge = lay.badge_at(pos)
        if badge is not None:
            self.model.zoom_to(badge.first_day, badge.last_day)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover >= 0:
            self._hover = -1
            self.update()
        super().leaveEvent(event)

    def _update_hover(self, pos: QPointF, global_pos: QPoint) -> None:
        lay = self.layout_
        mark = lay.mark_at(pos) if lay is not None else None
        gid = mark.id if mark is not None else -1
        if gid != self._hover:
            self._hover = gid
            self.update()
        if mark is not None:
            QToolTip.showText(global_pos, self.tooltip_text(mark), self)
        elif lay is not None and (badge := lay.badge_at(pos)) is not None:
            QToolTip.showText(global_pos, f"{len(badge.ids):,} events — click to zoom in", self)
        else:
            QToolTip.hideText()

    @staticmethod
    def tooltip_text(mark: object) -> str:
        """The hover text of an event: its title and its date."""
        title = mark.title or "A span across this whole view (click to read it)"  # type: ignore[attr-defined]
        return f"{title}\n{event_date_text(mark)}"  # type: ignore[arg-type]


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
        self.view = TimelineView(model, self)
        self.strip = OverviewStrip(model, self)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.view, 1)
        box.addWidget(self.strip)
        self.setFocusProxy(self.view)
        self.mode_actions = self._make_mode_actions()
        self.model.modeChanged.connect(self._sync_mode_actions)

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
