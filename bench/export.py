"""Export benchmark: ``python -m bench.export --db PATH``.

Renders 1600x900 PNG pictures and A4 PDF pages of several views of a store, the way
`explorer export --format png|pdf` does (fit the window to the filters' events, gather counts,
legend and cited sources, draw the timeline with the window's painter, encode, write the file
atomically), and times each export beyond start-up. Start-up (imports, the Gui application,
opening the store) is timed apart.

Views: everything fitted (drawn as densities at a million events), one year, two weeks (marks
with labels), a filter (one country and one kind) fitted, the busiest country alone fitted (a
third of the store), and a country in a one-month window. Each export runs ``--runs`` times;
the first run (cold caches) and the median are reported.

Filtered views count in the facet bitsets, as the app does (its filter panel holds them) and as
`explorer export` does when they are cached; reading them from the disk cache (or building them
the first time) is part of start-up and reported as ``index_ms``. ``--no-index`` measures the
SQL path instead (a command-line export of a large store never indexed).

Prints, as its last line, one JSON object:
``{"events", "startup_ms", "index_ms", "png_ms": {view: median}, "pdf_ms": {...},
"first_run_ms": {...}, "max_ms", "target_ms"}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="store to export from")
    parser.add_argument("--runs", type=int, default=3, help="runs per export (3)")
    parser.add_argument(
        "--no-index", action="store_true", help="filtered views through SQL, without bitsets"
    )
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from explorer.domain.filters import FilterState
    from explorer.export import render_view as render_view_module
    from explorer.export.atomic import atomic_write
    from explorer.export.render_picture import ensure_gui_app, page_size
    from explorer.export.render_view import View, fitted_view, render_view
    from explorer.storage.facets import FacetIndex
    from explorer.storage.library import Library
    from explorer.storage.store import EventStore
    from explorer.storage.window import WindowReader

    ensure_gui_app()
    store = EventStore(args.db)
    library = Library([store])
    events = library.count()
    t_index = time.perf_counter()
    index = None
    if not args.no_index:
        index = FacetIndex(library)
        index.indexes()  # from the disk cache, or built (and cached) the first time
    index_ms = (time.perf_counter() - t_index) * 1000
    startup_ms = (time.perf_counter() - t0) * 1000

    extent = WindowReader(library).extent() or (0, 1)
    mid = (extent[0] + extent[1]) // 2
    country = store.conn.execute(
        "SELECT lane_country FROM events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    some = FilterState(countries=(country,), kinds=("proposal",))
    views: dict[str, tuple[FilterState, tuple[float, float] | None]] = {
        "all_fitted": (FilterState(), None),
        "one_year": (FilterState(), (mid, mid + 365)),
        "two_weeks": (FilterState(), (mid, mid + 14)),
        "filtered_fitted": (some, None),
        "country_fitted": (FilterState(countries=(country,)), None),
        "filtered_month": (FilterState(countries=(country,)), (mid, mid + 31)),
    }
    out_dir = Path(tempfile.mkdtemp(prefix="bench-export-"))
    timings: dict[str, dict[str, list[float]]] = {"png": {}, "pdf": {}}
    for fmt in ("png", "pdf"):
        fit_width = page_size("a4")[0] if fmt == "pdf" else 1600
        for name, (state, window) in views.items():
            runs: list[float] = []
            for _ in range(args.runs):
                render_view_module._DAYS.clear()  # no help from the previous run's counts
                t = time.perf_counter()
                if window is None:
                    view = fitted_view(library, state, "country", fit_width, index)
                else:
                    view = View(state, window[0], window[1], "country")
                data = render_view(
                    fmt, library, view, width=1600, height=900, page="a4", index=index
                )
                atomic_write(out_dir / f"{name}.{fmt}", data)
                runs.append((time.perf_counter() - t) * 1000)
            timings[fmt][name] = runs
            print(
                f"{fmt} {name:16s} first {runs[0]:7.1f} ms  median {statistics.median(runs):7.1f}"
                f" ms  ({len(data):,} bytes)",
                file=sys.stderr,
            )
    library.close()
    medians = {
        fmt: {name: round(statistics.median(r), 1) for name, r in per.items()}
        for fmt, per in timings.items()
    }
    result = {
        "events": events,
        "startup_ms": round(startup_ms, 1),
        "index_ms": round(index_ms, 1),
        "filters_through": "sql" if args.no_index else "bitsets",
        "png_ms": medians["png"],
        "pdf_ms": medians["pdf"],
        "first_run_ms": {
            f"{fmt}_{name}": round(r[0], 1)
            for fmt, per in timings.items()
            for name, r in per.items()
        },
        "max_ms": max(v for per in medians.values() for v in per.values()),
        "target_ms": 300,
        "output": str(out_dir),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
