"""The active filters as removable chips above the timeline, with "37 of 120 events".

:func:`count_words` is the one wording of that count: the chips and the status bar both show
it, from the same numbers (the events the list and the timeline show, of every event in the
library), so they never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from explorer.qt.workspace import Workspace


def count_words(workspace: Workspace) -> str:
    """`37 of 120 events`: the events shown of every event in the library.

    While the library's order is read it says so; while a new filter's events are still being
    found (or their facet counts made), the count shown is the previous one, marked
    "(counting…)".
    """
    total = workspace.total_count
    noun = "event" if total == 1 else "events"
    if workspace.loading:
        return f"Loading {total:,} {noun}…"
    text = f"{workspace.event_count:,} of {total:,} {noun}"
    if workspace.busy or workspace.shown_filters != workspace.filters:
        text += " (counting…)"
    return text


def count_tooltip(workspace: Workspace) -> str:
    """What the count counts, and the active filters in words."""
    return (
        "Events the filters and the search keep, each counted once whatever its lane, of "
        "every event in the library (the curated history and your imports).\n"
        f"Filters: {workspace.describe()}"
    )


def connect_count(workspace: Workspace, update: object) -> None:
    """Call `update()` whenever the count or its words may have changed."""
    assert callable(update)
    workspace.eventsChanged.connect(lambda: update())
    workspace.loadingChanged.connect(lambda _b: update())
    workspace.countsChanged.connect(lambda _c: update())
    workspace.busyChanged.connect(lambda _b: update())
    workspace.filtersChanged.connect(lambda _s: update())


class FilterChips(QWidget):
    """One chip per active filter (click to remove it), and the count always in view.

    Args:
        workspace: The filters shown as chips and removed through it.
        parent: The Qt parent.
    """

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterChips")
        self._filters = workspace
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 0, 4, 0)
        self._layout.setSpacing(4)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("filterCount")
        self.count_label.setAccessibleName("Events shown")
        self._chips: list[QToolButton] = []
        self._layout.addStretch(1)
        self._layout.addWidget(self.count_label)
        workspace.filtersChanged.connect(lambda _s: self._rebuild())
        connect_count(workspace, self._update_count)
        self._rebuild()
        self._update_count()

    @property
    def chips(self) -> list[QToolButton]:
        """The chip buttons, in order."""
        return list(self._chips)

    def _rebuild(self) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for i, (facet, value, text) in enumerate(self._filters.chips()):
            chip = QToolButton(self)
            chip.setObjectName("filterChip")
            chip.setText(f"{text}  ✕")
            chip.setToolTip(f"Remove this filter ({text})")
            chip.setAccessibleName(f"Remove filter {text}")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _c=False, f=facet, v=value: self._filters.remove(f, v))
            self._layout.insertWidget(i, chip)
            self._chips.append(chip)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(count_words(self._filters))
        self.count_label.setToolTip(count_tooltip(self._filters))
