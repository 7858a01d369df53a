"""Filter, search and redraw benchmark: ``python -m bench.filters --db PATH``.

Three figures, each a p95 over a scripted set of requests on the given store:

* ``facets_ms``: every facet's live counts under the other filters plus "N of M"
  (:meth:`FacetIndex.counts`) for 60 random filter states (countries, agencies, kinds,
  statuses, topics, date ranges), once the facet bitsets are loaded.
* ``search_ms``: the first 100 hits in date order, with snippets (:meth:`Searcher.search`), for
  a mix of queries: words, prefixes as typed letter by letter, phrases, numbers, malformed
  input, aliases, Chinese and Japanese of one to four characters.
* ``redraw_ms``: the real timeline widget (TimelinePanel, offscreen, 1600x900) after a filter
  change, from the change to the end of the repaint that shows the filtered events: the
  counts and matching set in the worker, the timeline's filtered densities or window, and the
  paint. Half the changes are made zoomed out (the whole span), half zoomed in.

Before the figures it prints one JSON line of details (index build or cache load times, the
slowest query of each kind); the last line is
``{"events": N, "facets_ms_p95": …, "search_ms_p95": …, "redraw_ms_p95": …}``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from bench.timeline import p95

QUERIES = [
    # words and prefixes as they are typed
    "l",
    "li",
    "lis",
    "list",
    "lists",
    "g",
    "ga",
    "gal",
    "gall",
    "gallium",
    "lithography",
    "lithography tools",
    "controls",
    "take effect",
    "export",
    "expo*",
    "proposes",
    "supercomp",
    "AI models",
    "#12345",
    "#99",
    "2024",
    '"rare earths"',
    "comments on",
    "Bureau",
    "MOFCOM",
    "商务部",
    "EU",
    # malformed input: a plain word each
    '"',
    '"unbalanced',
    "AND",
    "OR NOT",
    "NEAR(",
    "*",
    "'; DROP TABLE events; --",
    "",
    # Chinese and Japanese of one to four characters (absent from a generated store: the
    # hardest case for a scan, which would read every row to find nothing)
    "芯",
    "芯片",
    "半导体",
    "半導体製造",
    "軍",
    "量子",
    "ドローン",
    "ド",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.filters", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="store to measure")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from explorer.domain.filters import FACETS, FilterState, bound_of_day
    from explorer.qt.workspace import Workspace
    from explorer.storage.library import Library
    from explorer.storage.store import EventStore

    app = QApplication.instance() or QApplication([sys.argv[0]])
    rng = random.Random(args.seed)
    library = Library([EventStore(args.db)])
    total = library.count()
    details: dict[str, object] = {"events": total}
    settings = QSettings(
        str(Path("/tmp") / f"bench-filters-{os.getpid()}.ini"), QSettings.Format.IniFormat
    )
    settings.setValue("timeline/lane_mode", "country")
    # The app's own workspace: the facet counts, the search and the redraw below use its index.
    workspace = Workspace(library, settings=settings)
    app.processEvents()

    # ------------------------------------------------------------------ facets
    index = workspace.index
    searcher = index.searcher
    t = time.perf_counter()
    stores = index.indexes()
    details["facet_index_s"] = round(time.perf_counter() - t, 2)  # build, or cache load
    t = time.perf_counter()
    searcher.short_index(0)
    details["short_index_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    searcher.text_index(0, wait=True)  # built once per store file (seconds at 1M), then cached
    details["text_index_s"] = round(time.perf_counter() - t, 2)
    values = {f: sorted(stores[0].bits[f]) for f in FACETS}
    lo, hi = stores[0].starts[0], stores[0].starts[-1]

    def random_state() -> FilterState:
        kwargs: dict[str, object] = {}
        for facet in rng.sample(FACETS, rng.randint(1, 4)):
            if values[facet]:
                kwargs[facet] = tuple(rng.sample(values[facet], rng.randint(1, 3)))
        state = FilterState(**kwargs)  # type: ignore[arg-type]
        if rng.random() < 0.6:
            a = rng.randint(lo, hi)
            b = rng.randint(a, hi)
            state = state.with_range(bound_of_day(a), bound_of_day(b))
        return state

    facet_ms = []
    for _ in range(60):
        state = random_state()
        t = time.perf_counter()
        counts = index.counts(state)
        facet_ms.append((time.perf_counter() - t) * 1000)
        assert counts.total == total
    details["facets_ms_max"] = round(max(facet_ms), 1)

    # ------------------------------------------------------------------ search
    search_ms = []
    slowest = ("", 0.0)
    for _ in range(2):
        for q in QUERIES:
            t = time.perf_counter()
            searcher.search(q, 100)
            ms = (time.perf_counter() - t) * 1000
            search_ms.append(ms)
            if ms > slowest[1]:
                slowest = (q, ms)
    details["search_slowest"] = [slowest[0], round(slowest[1], 1)]

    # ------------------------------------------------------------------ redraw
    redraw_ms = redraw(workspace, random_state, rng, details)  # type: ignore[no-untyped-call]
    workspace.shutdown()

    print(json.dumps(details, ensure_ascii=False))
    print(
        json.dumps(
            {
                "events": total,
                "facets_ms_p95": round(p95(facet_ms), 1),
                "search_ms_p95": round(p95(search_ms), 1),
                "redraw_ms_p95": round(p95(redraw_ms), 1),
            }
        )
    )
    return 0


def redraw(workspace, random_state, rng, details):  # type: ignore[no-untyped-def]
    """Filter changes in the real timeline widget; milliseconds to the repainted frame."""
    from PySide6.QtWidgets import QApplication

    from explorer.domain.filters import FilterState
    from explorer.qt.timeline_model import TimelineModel
    from explorer.ui.timeline_view import TimelinePanel

    app = QApplication.instance() or QApplication([sys.argv[0]])
    filters = workspace
    panel = TimelinePanel(TimelineModel(workspace))
    panel.resize(1600, 900)
    panel.show()
    model, view = panel.model, panel.view
    panel.pace(filters)  # as the app's window does: the timeline first, then the list, counts

    shown = [False]
    filters.queryChanged.connect(lambda _q: shown.__setitem__(0, True))

    def settle() -> None:
        for _ in range(2000):
            app.processEvents()
            if not filters.busy and not model.busy:
                app.processEvents()
                if not filters.busy and not model.busy:
                    return
            time.sleep(0.001)

    filters.wait()
    settle()
    model.fit_all()
    settle()
    view.repaint()
    out: list[float] = []
    by_search: list[float] = []
    by_facets: list[float] = []
    words = ["lists", "gallium", "controls", "drones", "comments", "#1"]
    for i in range(30):
        if i == 15:
            # zoomed in: a few months around the middle of the span
            ext = model.extent or (0, 1)
            mid = (ext[0] + ext[1]) // 2
            model.zoom_to(mid - 45, mid + 45)
            settle()
        state = random_state() if rng.random() < 0.8 else FilterState(search=rng.choice(words))
        if i % 5 == 4:
            state = FilterState()  # back to everything
        shown[0] = False
        t = time.perf_counter()
        same = state == filters.filters
        filters.set_filters(state)
        if same:
            shown[0] = True  # the same filters again: nothing to redraw
        # the frame: until the timeline has loaded what the new result shows, then painted
        for _ in range(5000):
            app.processEvents()
            if shown[0] and not model.busy:
                app.processEvents()
                if not model.busy:
                    break
            time.sleep(0.0005)
        view.repaint()
        out.append((time.perf_counter() - t) * 1000)
        (by_search if state.search else by_facets).append(out[-1])
        settle()  # the facet counts that follow (not part of the frame)
    details["redraw_ms_max"] = round(max(out), 1)
    details["redraw_facets_dates_ms_p95"] = round(p95(by_facets), 1)
    details["redraw_search_ms"] = [round(x) for x in by_search]
    panel.shutdown()
    return out


if __name__ == "__main__":
    sys.exit(main())
