"""Every user action, defined once: id, label, shortcuts, menu, scope and handler.

The table in :func:`install_standard_actions` is the single place an action is declared; menus,
key handling and Help → Keyboard shortcuts are all built from it, so the dialog can never list a
key that does nothing or miss one that does. To add an action (a timeline zoom, an export), add a
row there, or call :meth:`ActionRegistry.define` from your widget's set-up with a handler.

Scopes:
    ``WINDOW``      the shortcut works anywhere in the main window (Ctrl+Q, F1).
    ``NAVIGATION``  the shortcut works only while a navigation view has the focus (the event list
                    today, the timeline next): plain arrows and Enter must keep their meaning in
                    text fields and in the detail pane. Views opt in with
                    :meth:`ActionRegistry.attach_navigation`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from explorer.qt.controller import TimelineController

WINDOW = "window"
NAVIGATION = "navigation"

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
        scope: WINDOW or NAVIGATION.
        description: One sentence for the shortcuts dialog.
    """

    id: str
    label: str
    shortcuts: tuple[str, ...]
    menu: str
    scope: str = WINDOW
    description: str = ""

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
        action.setShortcuts([QKeySequence(k) for k in spec.shortcuts])
        if spec.description:
            action.setStatusTip(spec.description)
            action.setToolTip(spec.description)
        action.triggered.connect(lambda _checked=False: handler())
        if spec.scope == NAVIGATION:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        else:
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


def install_standard_actions(
    registry: ActionRegistry,
    controller: TimelineController,
    *,
    quit_app: Callable[[], object],
    show_shortcuts: Callable[[], object],
    show_about: Callable[[], object],
    focus_list: Callable[[], object],
    focus_detail: Callable[[], object],
) -> None:
    """Define the app's actions: the one table of what the user can do."""
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
            ),
            controller.select_next,
        ),
        (
            ActionSpec(
                "go.previous",
                "&Previous event",
                ("Left",),
                "Go",
                NAVIGATION,
                "Select the previous event in time.",
            ),
            controller.select_previous,
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
            controller.select_next,
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
            controller.select_previous,
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
            controller.select_first,
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
            controller.select_last,
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
            controller.follow_relation,
        ),
        (
            ActionSpec(
                "go.back",
                "&Back",
                ("Alt+Left", "Backspace"),
                "Go",
                NAVIGATION,
                "Return to the event you followed a relation from.",
            ),
            controller.go_back,
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
