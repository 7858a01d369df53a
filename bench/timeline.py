"""Timeline benchmark: ``python -m bench.timeline --db PATH``.

Opens the store in the real timeline widget (TimelinePanel: model, view, overview strip) offscreen
at 1600x900 with the real detail pane beside it, then runs a scripted session of real input
events: wheel zooms from the whole span down to one day and back out (the zoom range the
TimeScale allows), drags, sideways scrolls, +/- keys, lane switches, clicks on marks and
Left/Right steps. The first dive is anchored on a quiet day (the day holding one event with
the fewest neighbours), so at a million events the visible events run over six orders of
magnitude, from every event down to about one; the second dive wanders through busier days.
A frame is one input event handled plus the repaint it causes, timed from sending the event
to the end of the synchronous paint (results that arrive from the loader threads are
delivered before the repaint and counted in that frame).

Prints, as its last line, one JSON object:
``{"events", "open_to_first_frame_ms", "frame_ms_p50", "frame_ms_p95", "select_ms_p95",
"rss_mb", "visible_max", "visible_min", "visible_orders", ...}`` (the most and the fewest
events in view in a frame that shows any, and log10 of their ratio).
``open_to_first_frame_ms`` runs from the start of the process (its start time in /proc) to the
end of the first frame that shows data; ``select_ms`` from the click (or key) to the detail
pane showing the selected event; ``rss_mb`` is the peak resident size.

The timeline and a detail pane follow a workspace over the store, so the figures are the
timeline widget's own at 1600x900; ``python -m bench.app`` measures the whole app (MainWindow
and its Workspace).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path


def process_age_ms() -> float:
    """Milliseconds since this process started (from /proc: works before anything imports)."""
    with open("/proc/self/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    start_ticks = int(fields[19])  # field 22 of stat, counted after the command name
    hz = os.sysconf("SC_CLK_TCK")
    with open("/proc/uptime") as fh:
        uptime = float(fh.read().split()[0])
    return (uptime - start_ticks / hz) * 1000.0


def peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.timeline", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="store to open")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
    from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
    from PySide6.QtWidgets import QApplication

    from explorer.qt.timeline_model import TimelineModel
    from explorer.qt.workspace import Workspace
    from explorer.storage.library import Library
    from explorer.storage.store import EventStore
    from explorer.ui.detail_pane import DetailPane
    from explorer.ui.timeline_view import TimelinePanel

    app = QApplication.instance() or QApplication([sys.argv[0]])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    settings = QSettings(
        str(Path("/tmp") / f"bench-timeline-{os.getpid()}.ini"), QSettings.Format.IniFormat
    )
    settings.setValue("timeline/lane_mode", "country")

    library = Library([EventStore(args.db)])

    controller = Workspace(library, settings=settings)
    panel = TimelinePanel(TimelineModel(controller))
    detail = DetailPane(controller)
    panel.resize(1600, 900)
    detail.resize(600, 900)
    panel.show()
    detail.show()
    view, model = panel.view, panel.model

    def pump() -> None:
        app.processEvents()

    # ------------------------------------------------------------ first frame
    while not model.ready:
        model.wait(5)
        pump()
    view.repaint()
    open_ms = process_age_ms()
    events_total = library.count()

    frames: list[float] = []
    selects: list[float] = []
    rng = random.Random(args.seed)
    plot_left = view.plot_left()
    plot_w = model.scale.width

    def quiet_day() -> int:
        """A day with one event and as few as possible around it (where a dive ends at ~1)."""
        density, ext = model.density, model.extent
        assert density is not None and ext is not None
        best: tuple[int, int] | None = None
        for day in range(ext[0] + 30, ext[1] - 30):
            if density.count(day, day) == 1:
                around = density.count(day - 3, day + 3)
                if best is None or around < best[0]:
                    best = (around, day)
                    if around == 1:
                        break
        return best[1] if best else (ext[0] + ext[1]) // 2

    quiet = quiet_day()
    visible: list[int] = []
    trace = bool(os.environ.get("BENCH_TRACE"))
    painted = [0]
    view.framePainted.connect(lambda _ms: painted.__setitem__(0, painted[0] + 1))

    def frame(send: object) -> float:
        """One input event and everything Qt does for it: handlers, results, paints."""
        t0 = time.perf_counter()
        before = painted[0]
        if send is not None:
            QApplication.sendEvent(view, send)  # type: ignore[arg-type]
        pump()
        if painted[0] == before:
            view.repaint()  # nothing asked for a paint: still count a full frame
        ms = (time.perf_counter() - t0) * 1000
        frames.append(ms)
        visible.append(model.visible_count())
        if trace:
            lay = view.layout_
            print(
                f"frame {len(frames):4d} {ms:7.2f} ms span={model.scale.span:10.2f}d "
                f"visible={model.visible_count():7d} detail={bool(lay and lay.detail)} "
                f"marks={len(lay.marks) if lay else 0} badges={len(lay.badges) if lay else 0}",
                file=sys.stderr,
            )
        return ms

    def wheel(x: float, dy: int = 0, dx: int = 0) -> QWheelEvent:
        pos = QPointF(x, 300)
        return QWheelEvent(
            pos,
            view.mapToGlobal(pos),
            QPoint(0, 0),
            QPoint(dx, dy),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )

    def mouse(kind: QMouseEvent.Type, x: float, y: float, held: bool) -> QMouseEvent:
        pos = QPointF(x, y)
        button = Qt.MouseButton.LeftButton
        return QMouseEvent(
            kind,
            pos,
            view.mapToGlobal(pos),
            button if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton,
            button if held else Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )

    def key(k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
        return QKeyEvent(QKeyEvent.Type.KeyPress, k, mods)

    def drag(dx: float, steps: int = 6) -> None:
        x, y = plot_left + plot_w / 2, 200.0
        frame(mouse(QMouseEvent.Type.MouseButtonPress, x, y, True))
        for i in range(1, steps + 1):
            frame(mouse(QMouseEvent.Type.MouseMove, x + dx * i / steps, y, True))
        frame(mouse(QMouseEvent.Type.MouseButtonRelease, x + dx, y, False))

    def settle() -> None:
        # let loads finish as a user pausing would, then draw the frame they bring
        for _ in range(200):
            if not model.busy:
                break
            model.wait(10)
            pump()
        frame(None)

    def detail_shows(gid: int) -> bool:
        ev = controller.current_event
        return ev is not None and ev.id == gid and detail.document().characterCount() > 1

    def click_a_mark() -> None:
        lay = view.layout_
        if lay is None or not lay.marks:
            return
        m = rng.choice(lay.marks)
        pos = m.center
        t0 = time.perf_counter()
        QApplication.sendEvent(
            view, mouse(QMouseEvent.Type.MouseButtonPress, pos.x(), pos.y(), True)
        )
        QApplication.sendEvent(
            view, mouse(QMouseEvent.Type.MouseButtonRelease, pos.x(), pos.y(), False)
        )
        while not detail_shows(m.event.id):
            pump()
        selects.append((time.perf_counter() - t0) * 1000)
        frame(None)

    def step(k: Qt.Key) -> None:
        before = controller.selected_id
        t0 = time.perf_counter()
        QApplication.sendEvent(view, key(k))
        deadline = t0 + 2.0
        while controller.selected_id == before and time.perf_counter() < deadline:
            model.wait(1)
            pump()
        if controller.selected_id != before:
            while not detail_shows(controller.selected_id):
                pump()
            selects.append((time.perf_counter() - t0) * 1000)
        frame(None)

    # ------------------------------------------------------------ the session
    for rnd in range(2):
        mode_key = rnd % 2
        # zoom in from the whole span to a day, panning on the way: first onto the quiet
        # day (drags there and back keep it in view), then at a wandering anchor
        anchor = plot_left + plot_w * rng.uniform(0.3, 0.7)
        way = rng.choice([-300, 300])
        for i in range(48):
            if rnd == 0:
                anchor = plot_left + model.scale.x(quiet + 0.5)
                anchor = min(max(anchor, plot_left + 1), plot_left + plot_w - 1)
            frame(wheel(anchor, dy=120))
            if rnd == 1:
                anchor = min(
                    max(anchor + rng.uniform(-40, 40), plot_left + 50), plot_left + plot_w - 50
                )
            if i % 12 == 11:
                way = -way if rnd == 0 else rng.choice([-300, 300])
                drag(way)
        settle()
        for _ in range(3):
            click_a_mark()
        for _ in range(3):
            step(Qt.Key.Key_Right)
        step(Qt.Key.Key_Left)
        frame(wheel(anchor, dx=-240))
        frame(key(Qt.Key.Key_Minus))
        frame(key(Qt.Key.Key_Plus))
        # back out, with sideways scrolls
        for i in range(48):
            frame(wheel(anchor, dy=-120))
            if i % 10 == 5:
                frame(wheel(anchor, dx=rng.choice([-360, 360])))
        # the middle of the range: switch lanes, look around, click
        for _ in range(20):
            frame(wheel(plot_left + plot_w / 2, dy=120))
        settle()
        panel.mode_actions.actions()[1 - mode_key].trigger()
        settle()
        drag(-400)
        settle()
        click_a_mark()
        frame(key(Qt.Key.Key_F))
    panel.mode_actions.actions()[0].trigger()
    settle()

    panel.shutdown()
    result = {
        "events": events_total,
        "open_to_first_frame_ms": round(open_ms, 1),
        "frame_ms_p50": round(statistics.median(frames), 2),
        "frame_ms_p95": round(p95(frames), 2),
        "select_ms_p95": round(p95(selects), 2),
        "rss_mb": round(peak_rss_mb(), 1),
        "frames": len(frames),
        "selects": len(selects),
        "frame_ms_max": round(max(frames), 2),
        "visible_max": max(visible),
        "visible_min": min(v for v in visible if v > 0),
        "visible_orders": round(math.log10(max(visible) / min(v for v in visible if v > 0)), 2),
    }
    controller.shutdown()  # its facet counts may still be reading the library
    library.close()
    Path(settings.fileName()).unlink(missing_ok=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
