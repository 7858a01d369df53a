"""Every user action, defined once: id, label, shortcuts, menu, scope and handler.

The table in :func:`install_standard_actions` is the single place an action is declared; menus,
key handling and Help → Keyboard shortcuts are all built from it, so the dialog can never list a
key that does nothing or miss one that does. To add an action (a timeline zoom, an export), add a
row there, or call :meth:`ActionRegistry.define` from your widget's set-up with a handler.

Scopes:
    ``WINDOW``      the shortcut works anywhere in the main window (Ctrl+Q, F1).
    ``NAVIGATION``  the shortcut works only while a navigation view has the focus (the event
                    list; the detail pane for Left, Right and Back): plain arrows and Enter must
                    keep their meaning in text fields. Views opt in with
                    :meth:`ActionRegistry.attach_navigation`.
    ``TIMELINE``    the timeline's own keys (stepping through events and lanes), listed in
                    :data:`TIMELINE_ACTIONS`. The timeline reads its keys from that table in its
                    own ``keyPressEvent`` (so they work in a bare TimelineView too) and claims
                    them before shortcuts; the registry's QActions for them carry the same keys
                    for the menus and the dialog, and fire only from a menu: never twice.
    ``OUTSIDE_TEXT`` the timeline's view keys (zoom, fit, pan, lanes: ``+ - = F L``,
                    ``Shift+Left/Right``), also in :data:`TIMELINE_ACTIONS`: they work wherever
                    the focus is in the window (the list, the detail pane, a facet list) except
                    in a text field, which claims its typed characters and cursor keys first
                    (a QLineEdit accepts the ShortcutOverride of printable keys, Left, Right,
                    Home, End). In the timeline itself its ``keyPressEvent`` still handles them
                    (it claims the override), so a key acts once wherever it is pressed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from explorer.qt.workspace import Workspace

WINDOW = "window"
NAVIGATION = "navigation"
TIMELINE = "In the timeline"  # shown as is in the shortcuts dialog's "Where" column
OUTSIDE_TEXT = "Anywhere but a text field"  # shown as is too
#: Where the Go menu's Left, Right and Back keys work (the main window attaches them to both).
IN_LIST_AND_DETAIL = "In the event list and the detail pane"

# Menus in menu-bar order; actions name one of these.
MENUS = ("File", "Edit", "Go", "View", "Help")


@dataclass(frozen=True)
class ActionSpec:
    """What the user can do, as listed in the shortcuts dialog.

    Attributes:
        id: Stable dotted id ("go.next"), for code and tests.
        label: Menu text, with an optional ``&`` mnemonic.
        shortcuts: Key sequences in portable text ("Ctrl+Q", "Right", "Return").
        menu: The menu it appears in (one of MENUS), or "" for none.
        scope: WINDOW, NAVIGATION, TIMELINE or OUTSIDE_TEXT.
        description: One sentence for the shortcuts dialog.
        checkable: The action is an on/off switch (a menu check mark); its handler reads the
            QAction's state.
        where: Where its keys work, for the shortcuts dialog, when the scope alone would not
            say it ("" for the scope's own words).
    """

    id: str
    label: str
    shortcuts: tuple[str, ...]
    menu: str
    scope: str = WINDOW
    description: str = ""
    checkable: bool = False
    where: str = ""

    @property
    def plain_label(self) -> str:
        return self.label.replace("&&", "\0").replace("&", "").replace("\0", "&")

    def shortcut_text(self) -> str:
        """The shortcuts as the platform writes them ("Ctrl+Q", "Down, Right")."""
        return ", ".join(
            QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in self.shortcuts
        )


class ActionRegistry(QObject):
    """Holds the window's QActions, keyed by id, in definition order.

    Args:
        window: The main window; WINDOW-scope actions are added to it so their keys work
            everywhere in it.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._specs: dict[str, ActionSpec] = {}
        self._actions: dict[str, QAction] = {}

    def define(
        self,
        spec: ActionSpec,
        handler: Callable[[], object],
    ) -> QAction:
        """Create the QAction of a spec and connect its handler.

        Raises:
            ValueError: the id or one of the shortcuts (in the same scope) is already taken.
        """
        if spec.id in self._specs:
            raise ValueError(f"action {spec.id!r} is defined twice")
        taken = {
            (s.scope, QKeySequence(k).toString()): s.id
            for s in self._specs.values()
            for k in s.shortcuts
        }
        for key in spec.shortcuts:
            other = taken.get((spec.scope, QKeySequence(key).toString()))
            if other is not None:
                raise ValueError(f"shortcut {key!r} of {spec.id!r} is already {other!r}'s")
        action = QAction(spec.label, self._window)
        action.setObjectName(spec.id)
        action.setCheckable(spec.checkable)
        action.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
        if spec.description:
            action.setStatusTip(spec.description)
            action.setToolTip(spec.description)
        action.triggered.connect(lambda _checked=False: handler())
        if spec.scope == TIMELINE:
            # the timeline handles these keys itself: the action's keys are for display
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        elif spec.scope == NAVIGATION:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        else:
            # WINDOW and OUTSIDE_TEXT (a text field claims its keys through ShortcutOverride)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self._window.addAction(action)
        self._specs[spec.id] = spec
        self._actions[spec.id] = action
        return action

    def action(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def spec(self, action_id: str) -> ActionSpec:
        return self._specs[action_id]

    def specs(self) -> list[ActionSpec]:
        """Every action in definition order."""
        return list(self._specs.values())

    def trigger(self, action_id: str) -> None:
        self._actions[action_id].trigger()

    def attach_navigation(self, widget: QWidget, ids: Sequence[str] | None = None) -> None:
        """Make NAVIGATION actions' keys work while `widget` (or a child) has the focus.

        Args:
            widget: A navigation view (event list, timeline).
            ids: Only these actions; default: every NAVIGATION action.
        """
        for spec in self._specs.values():
            if spec.scope == NAVIGATION and (ids is None or spec.id in ids):
                widget.addAction(self._actions[spec.id])


# The timeline's keys: (spec, name of the TimelineView method that does it). TimelineView maps
# its key presses through this table; `install_timeline_actions` lists them in the registry.
TIMELINE_ACTIONS: tuple[tuple[ActionSpec, str], ...] = (
    (
        ActionSpec(
            "timeline.zoom_in",
            "Zoom &in",
            ("+", "="),
            "View",
            OUTSIDE_TEXT,
            "Zoom in around the centre (the wheel and a pinch zoom around the pointer).",
        ),
        "zoom_in",
    ),
    (
        ActionSpec(
            "timeline.zoom_out",
            "Zoom &out",
            ("-",),
            "View",
            OUTSIDE_TEXT,
            "Zoom out around the centre.",
        ),
        "zoom_out",
    ),
    (
        ActionSpec(
            "timeline.fit", "&Fit every event", ("F",), "View", OUTSIDE_TEXT, "Show every event."
        ),
        "fit_all",
    ),
    (
        ActionSpec(
            "timeline.lanes",
            "Switch &lanes (country / agency)",
            ("L",),
            "View",
            OUTSIDE_TEXT,
            "Lanes by agency instead of by country, or back (also in the toolbar).",
        ),
        "toggle_lanes",
    ),
    (
        ActionSpec(
            "timeline.pan_left",
            "Pan back in time",
            ("Shift+Left",),
            "",
            OUTSIDE_TEXT,
            "Move the view a quarter of its width to the left (dragging and sideways "
            "scrolling pan too).",
        ),
        "pan_left",
    ),
    (
        ActionSpec(
            "timeline.pan_right",
            "Pan forward in time",
            ("Shift+Right",),
            "",
            OUTSIDE_TEXT,
            "Move the view a quarter of its width to the right.",
        ),
        "pan_right",
    ),
    (
        ActionSpec(
            "timeline.previous",
            "Previous event in time",
            ("Left",),
            "",
            TIMELINE,
            "Select the previous event in time; the view follows.",
        ),
        "select_previous",
    ),
    (
        ActionSpec(
            "timeline.next",
            "Next event in time",
            ("Right",),
            "",
            TIMELINE,
            "Select the next event in time; the view follows.",
        ),
        "select_next",
    ),
    (
        ActionSpec(
            "timeline.lane_up",
            "Event in the lane above",
            ("Up",),
            "",
            TIMELINE,
            "Select the event of the lane above nearest in time.",
        ),
        "select_lane_above",
    ),
    (
        ActionSpec(
            "timeline.lane_down",
            "Event in the lane below",
            ("Down",),
            "",
            TIMELINE,
            "Select the event of the lane below nearest in time.",
        ),
        "select_lane_below",
    ),
    (
        ActionSpec(
            "timeline.first",
            "First event on the timeline",
            ("Home",),
            "",
            TIMELINE,
            "Select the earliest event (of those the filters keep).",
        ),
        "select_first",
    ),
    (
        ActionSpec(
            "timeline.last",
            "Last event on the timeline",
            ("End",),
            "",
            TIMELINE,
            "Select the latest event (of those the filters keep).",
        ),
        "select_last",
    ),
)


def install_timeline_actions(registry: ActionRegistry, view: QWidget) -> None:
    """List the timeline's keys in the registry (menus, Help → Keyboard shortcuts).

    Args:
        registry: The window's actions.
        view: The TimelineView: each action calls its method named in TIMELINE_ACTIONS.
    """
    for spec, method in TIMELINE_ACTIONS:
        action = registry.define(spec, getattr(view, method))
        view.addAction(action)


def install_standard_actions(
    registry: ActionRegistry,
    workspace: Workspace,
    *,
    quit_app: Callable[[], object],
    show_shortcuts: Callable[[], object],
    show_about: Callable[[], object],
    focus_list: Callable[[], object],
    focus_detail: Callable[[], object],
    focus_filters: Callable[[], object] | None = None,
    toggle_legend: Callable[[], object] | None = None,
) -> None:
    """Define the app's actions: the one table of what the user can do.

    Args:
        registry: The window's action table.
        workspace: The selection the Go actions move.
        quit_app: File → Quit.
        show_shortcuts: Help → Keyboard shortcuts.
        show_about: Help → About.
        focus_list: View → Focus the event list.
        focus_detail: View → Focus the detail pane.
        focus_filters: View → Focus the filters (left out when None).
        toggle_legend: View → Legend, an on/off switch: called after the QAction's check
            state changed (left out when None).
    """
    rows: list[tuple[ActionSpec, Callable[[], object]]] = [
        (
            ActionSpec("file.quit", "&Quit", ("Ctrl+Q",), "File", description="Close the app."),
            quit_app,
        ),
        (
            ActionSpec(
                "go.next",
                "&Next event",
                ("Right",),
                "Go",
                NAVIGATION,
                "Select the next event in time.",
                where=IN_LIST_AND_DETAIL,
            ),
            workspace.select_next,
        ),
        (
            ActionSpec(
                "go.previous",
                "&Previous event",
                ("Left",),
                "Go",
                NAVIGATION,
                "Select the previous event in time.",
                where=IN_LIST_AND_DETAIL,
            ),
            workspace.select_previous,
        ),
        (
            ActionSpec(
                "list.next",
                "Next event in the list",
                ("Down",),
                "",
                NAVIGATION,
                "In the list: move down to the next event (year headings are skipped).",
            ),
            workspace.select_next,
        ),
        (
            ActionSpec(
                "list.previous",
                "Previous event in the list",
                ("Up",),
                "",
                NAVIGATION,
                "In the list: move up to the previous event.",
            ),
            workspace.select_previous,
        ),
        (
            ActionSpec(
                "go.first",
                "&First event",
                ("Home",),
                "Go",
                NAVIGATION,
                "Select the earliest event.",
            ),
            workspace.select_first,
        ),
        (
            ActionSpec(
                "go.last",
                "&Last event",
                ("End",),
                "Go",
                NAVIGATION,
                "Select the latest event.",
            ),
            workspace.select_last,
        ),
        (
            ActionSpec(
                "go.follow",
                "Follow &related event",
                ("Return", "Enter"),
                "Go",
                NAVIGATION,
                "Select the first event the selected one is related to "
                "(in the detail pane, Tab to a link and press Enter to follow that one).",
            ),
            workspace.follow_relation,
        ),
        (
            ActionSpec(
                "go.back",
                "&Back",
                ("Alt+Left", "Backspace"),
                "Go",
                NAVIGATION,
                "Return to the event you followed a relation from.",
                where=IN_LIST_AND_DETAIL,
            ),
            workspace.go_back,
        ),
        (
            ActionSpec(
                "view.focus_list",
                "Focus the event &list",
                ("Ctrl+L",),
                "View",
                description="Move the keyboard focus to the event list.",
            ),
            focus_list,
        ),
        (
            ActionSpec(
                "view.focus_detail",
                "Focus the &detail pane",
                ("Ctrl+D",),
                "View",
                description=(
                    "Move the keyboard focus to the detail pane (Tab then walks its links)."
                ),
            ),
            focus_detail,
        ),
    ]
    if focus_filters is not None:
        rows.append(
            (
                ActionSpec(
                    "view.focus_filters",
                    "Focus the &filters",
                    ("Ctrl+Shift+F",),
                    "View",
                    description="Move the keyboard focus to the first facet of the filter dock "
                    "(Space ticks a value, Tab walks the facets and the date fields).",
                ),
                focus_filters,
            )
        )
    if toggle_legend is not None:
        rows.append(
            (
                ActionSpec(
                    "view.legend",
                    "Le&gend",
                    ("Ctrl+Shift+L",),
                    "View",
                    description="Show or hide the legend under the timeline: kinds, statuses, "
                    "periods, date bands, count badges, and what the counts count.",
                    checkable=True,
                ),
                toggle_legend,
            )
        )
    rows += [
        (
            ActionSpec(
                "help.shortcuts",
                "&Keyboard shortcuts",
                ("F1", "Ctrl+/"),
                "Help",
                description="List every action and its keys.",
            ),
            show_shortcuts,
        ),
        (
            ActionSpec("help.about", "&About Policy Timeline Explorer", (), "Help"),
            show_about,
        ),
    ]
    for spec, handler in rows:
        registry.define(spec, handler)
    # The window's timeline, when it has one (it is built before the actions).
    view = getattr(getattr(registry.parent(), "timeline", None), "view", None)
    if isinstance(view, QWidget):
        install_timeline_actions(registry, view)
