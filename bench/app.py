"""Whole-app benchmark: ``python -m bench.app --db PATH``.

Starts the app as ``explorer --db PATH`` does (the store plus a fresh user store, the real
Workspace and MainWindow with its timeline, event list, detail pane, filter dock,
results and toolbars), offscreen at 1600x900, and measures what a user waits for:

* ``open_to_first_frame_ms``: from the start of the process (its start time in /proc) to the
  end of the timeline's first frame that shows data;
* ``list_ready_ms``: from the start of the process until the event list holds every event
  (the workspace's date order read in its worker; the list shows "Loading N events…" before);
* ``select_ms_p95``: from a click on a timeline mark (or a Left/Right key on the timeline) to
  the detail pane showing the event, with the list following;
* ``list_step_ms_p95``: a Down/Up/PageDown key in the event list to the detail pane showing the
  newly selected event (scrolling across year headings, reading summaries page by page);
* ``filter_list_ms``: a filter change (one kind) until the list shows the matching events;
* ``rss_mb``: the peak resident size.

Settings go to a temporary folder, the user store to a data folder in the system's temporary
folder kept between runs (as a user's is; the first run creates it); the index cache
is the user's own (as in the app), so a second run measures a warm start; ``--cold`` uses an
empty cache folder. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.timeline import p95, peak_rss_mb, process_age_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.app", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="store to open")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="start with an empty index cache")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The user store lives on between runs, as a user's does (the first run creates it).
    os.environ["EXPLORER_DATA_DIR"] = str(Path(tempfile.gettempdir()) / "explorer-bench-app")
    scratch = Path(tempfile.mkdtemp(prefix="bench-app-"))
    if args.cold:
        os.environ["EXPLORER_CACHE_DIR"] = str(scratch / "cache")
    try:
        return run(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, scratch: Path) -> int:
    from PySide6.QtCore import QPointF, QSettings, Qt
    from PySide6.QtGui import QKeyEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication

    from explorer.app import configure_application
    from explorer.domain.filters import FilterState
    from explorer.qt.workspace import Workspace
    from explorer.storage.library import open_library
    from explorer.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure_application(app)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(scratch / "settings"),
    )
    trace = os.environ.get("BENCH_TRACE")

    def mark(label: str) -> None:
        if trace:
            print(f"{process_age_ms():8.0f} ms {label}", file=sys.stderr)

    mark("imported")
    library, warnings = open_library(args.db)
    mark("library")
    controller = Workspace(library, warnings, QSettings())
    mark("workspace")
    window = MainWindow(controller)
    mark("window")
    window.resize(1600, 900)
    window.show()
    controller.select_first()
    model, view = window.timeline.model, window.timeline.view
    controller.eventsChanged.connect(lambda: mark("order read"))
    model.overviewLoaded.connect(lambda *_a: mark("overview loaded"))

    # ------------------------------------------------------------ first frame
    while not model.ready:
        model.wait(5)
        app.processEvents()
    mark("timeline ready")
    view.repaint()
    open_ms = process_age_ms()
    mark("first frame")
    while controller.loading:
        controller.wait(5)
        app.processEvents()
    app.processEvents()
    list_ms = process_age_ms()
    listed = window.event_list.list_model.rowCount()

    rng = random.Random(args.seed)
    selects: list[float] = []
    steps: list[float] = []
    detail = window.detail

    def settle() -> None:
        for _ in range(500):
            app.processEvents()
            if not model.busy and not window.workspace.busy:
                break
            model.wait(5)
        app.processEvents()

    def detail_shows(gid: int) -> bool:
        ev = controller.current_event
        return ev is not None and ev.id == gid and detail.document().characterCount() > 1

    def wait_detail(t0: float, before: int, into: list[float]) -> None:
        deadline = t0 + 5.0
        while controller.selected_id == before and time.perf_counter() < deadline:
            model.wait(1)
            app.processEvents()
        if controller.selected_id != before:
            while not detail_shows(controller.selected_id):
                app.processEvents()
            into.append((time.perf_counter() - t0) * 1000)
        app.processEvents()

    def mouse(kind: QMouseEvent.Type, pos: QPointF) -> QMouseEvent:
        button = Qt.MouseButton.LeftButton
        held = button if kind == QMouseEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
        return QMouseEvent(
            kind, pos, view.mapToGlobal(pos), button, held, Qt.KeyboardModifier.NoModifier
        )

    def click_a_mark() -> None:
        lay = view.layout_
        marks = [m for m in (lay.marks if lay else []) if m.event.id != controller.selected_id]
        if not marks:
            return
        m = rng.choice(marks)
        before = controller.selected_id
        t0 = time.perf_counter()
        QApplication.sendEvent(view, mouse(QMouseEvent.Type.MouseButtonPress, m.center))
        QApplication.sendEvent(view, mouse(QMouseEvent.Type.MouseButtonRelease, m.center))
        wait_detail(t0, before, selects)

    def key(widget: object, k: Qt.Key, into: list[float]) -> None:
        before = controller.selected_id
        t0 = time.perf_counter()
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            ev = QKeyEvent(kind, k, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(widget, ev)  # type: ignore[arg-type]
        wait_detail(t0, before, into)

    def zoom_in(times: int) -> None:
        for _ in range(times):
            view.zoom_at(2.0)
            settle()

    # ------------------------------------------------------------ the session
    settle()
    for depth in (0, 6, 12, 16):
        model.fit_all()
        settle()
        zoom_in(depth)
        view.repaint()
        for _ in range(4):
            click_a_mark()
        view.setFocus()
        for k in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left):
            key(view, k, selects)
    lst = window.event_list
    lst.setFocus()
    for k in [Qt.Key.Key_Down] * 12 + [Qt.Key.Key_Up] * 4 + [Qt.Key.Key_PageDown] * 6:
        key(lst, k, steps)
    # jump far (End) then step back across the last year's heading
    key(lst, Qt.Key.Key_End, steps)
    for _ in range(6):
        key(lst, Qt.Key.Key_Up, steps)

    filters = window.workspace
    t0 = time.perf_counter()
    state = FilterState(kinds=("proposal",))
    filters.set_filters(state)
    while controller.shown_filters != state:
        controller.wait(2)
        app.processEvents()
    filter_ms = (time.perf_counter() - t0) * 1000
    filtered = controller.event_count
    t0 = time.perf_counter()
    filters.clear()
    while not controller.shown_filters.is_empty:
        controller.wait(2)
        app.processEvents()
    unfilter_ms = (time.perf_counter() - t0) * 1000
    settle()

    result = {
        "events": library.count(),
        "open_to_first_frame_ms": round(open_ms, 1),
        "list_ready_ms": round(list_ms, 1),
        "select_ms_p95": round(p95(selects), 2),
        "list_step_ms_p95": round(p95(steps), 2),
        "filter_list_ms": round(filter_ms, 1),
        "unfilter_list_ms": round(unfilter_ms, 1),
        "rss_mb": round(peak_rss_mb(), 1),
        "selects": len(selects),
        "list_steps": len(steps),
        "list_rows": listed,
        "filtered_events": filtered,
        "timeline_px": [view.width(), view.height()],
    }
    window.close()
    library.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
