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

``--tables`` times the table exports instead: ``explorer export --format json|csv|md`` of the
whole store (``--no-user-store``), each in a process of its own, with its wall time, events per
second and peak RSS; beside them, from the same run, ``sqlite-utils`` writing the same events
with their quotes (and the quotes' sources and speakers) as JSON and as CSV, the way a user of
that tool would (``sqlite-utils query STORE SQL [--csv]``). Its last line:
``{"events", "ours": {fmt: {"s", "events_per_s", "rss_mb", "mb"}}, "sqlite_utils": {...},
"target_events_per_s", "target_s_at_1m", "target_rss_mb"}``.
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
    parser.add_argument(
        "--tables",
        action="store_true",
        help="time JSON/CSV/Markdown exports of the whole store, beside sqlite-utils",
    )
    args = parser.parse_args(argv)
    if args.tables:
        return tables(args.db)

    t0 = time.perf_counter()
    from explorer.domain.filters import FilterState
    from explorer.domain.view import ViewState
    from explorer.export.api import ExportOptions, export_view
    from explorer.render.page import ensure_gui_app
    from explorer.storage.facets import FacetIndex
    from explorer.storage.library import Library
    from explorer.storage.query import QueryCache, view_query
    from explorer.storage.store import EventStore

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

    cache = QueryCache(library)
    extent = view_query(library, cache=cache).full_extent() or (0, 1)
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
    options = ExportOptions(width=1600, height=900, page="a4")
    for fmt in ("png", "pdf"):
        for name, (state, window) in views.items():
            runs: list[float] = []
            target = out_dir / f"{name}.{fmt}"
            for _ in range(args.runs):
                t = time.perf_counter()
                # what the app holds: the view and its query (the filters' result counted in
                # the bitsets, or SQL with --no-index); the window fitted when it has none
                query = view_query(library, state, index=index, cache=cache)
                span = None if window is None else (window[0], window[1] - window[0])
                export_view(library, ViewState(state, span), fmt, target, options, query=query)
                runs.append((time.perf_counter() - t) * 1000)
            timings[fmt][name] = runs
            print(
                f"{fmt} {name:16s} first {runs[0]:7.1f} ms  median {statistics.median(runs):7.1f}"
                f" ms  ({target.stat().st_size:,} bytes)",
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


# The events with their quotes as sqlite-utils writes them: what a student would get from that
# tool without ours (no relations, countries or citations: it is the lower bound of the work).
SQLITE_UTILS_SQL = """
SELECT e.*,
  (SELECT json_group_array(json_object(
      'text', q.text, 'speaker', a.name, 'source', s.title, 'url', s.url))
   FROM quotes q JOIN sources s ON s.id = q.source_id
   LEFT JOIN actors a ON a.id = q.speaker_id WHERE q.event_id = e.id) AS quotes
FROM events e ORDER BY e.start_day, e.id
"""


def _timed(cmd: list[str], out: Path) -> dict[str, float]:
    """Run a command writing to `out`; its wall time, peak RSS and output size."""
    import os
    import subprocess

    t = time.perf_counter()
    with open(out, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.strip()}")
    size = out.stat().st_size
    return {
        "s": round(seconds, 2),
        "rss_mb": round(usage.ru_maxrss / 1024, 1),
        "mb": round(size / 1e6, 1),
    }


def tables(db: Path) -> int:
    """Time `explorer export` of the whole store as JSON, CSV and Markdown, and sqlite-utils
    writing the same events with their quotes, each in its own process."""
    import shutil
    import sqlite3

    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    conn.close()
    out_dir = Path(tempfile.mkdtemp(prefix="bench-tables-"))
    ours: dict[str, dict[str, float]] = {}
    theirs: dict[str, dict[str, float]] = {}
    try:
        for fmt in ("json", "csv", "md"):
            target = out_dir / f"events.{fmt}"
            cmd = [sys.executable, "-m", "explorer", "export", "--db", str(db)]
            cmd += ["--no-user-store", "--format", fmt, "-o", str(target)]
            ours[fmt] = _timed(cmd, out_dir / "stdout")
            ours[fmt]["mb"] = round(target.stat().st_size / 1e6, 1)
            ours[fmt]["events_per_s"] = round(events / ours[fmt]["s"])
            target.unlink()
            print(f"explorer export {fmt:4s} {ours[fmt]}", file=sys.stderr)
        for fmt, flags in (("json", []), ("csv", ["--csv"])):
            cmd = [sys.executable, "-m", "sqlite_utils", "query", str(db), SQLITE_UTILS_SQL]
            theirs[fmt] = _timed(cmd + flags, out_dir / f"sqlite-utils.{fmt}")
            theirs[fmt]["events_per_s"] = round(events / theirs[fmt]["s"])
            print(f"sqlite-utils query {fmt:4s} {theirs[fmt]}", file=sys.stderr)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    print(
        json.dumps(
            {
                "events": events,
                "ours": ours,
                "sqlite_utils": theirs,
                "target_events_per_s": 50_000,
                "target_s_at_1m": 30,
                "target_rss_mb": 200,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
