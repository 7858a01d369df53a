"""`explorer check [--db PATH] [--sources DIR]`: validate a store.

Exit status: 0 clean, 1 problems found (each listed with its event key), 2 not a usable store.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.storage import paths
from explorer.storage.check import check_store


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="validate a store: schema, dates, quotes against their sources, relations",
        description=(
            "Validate a store. Exit 0 when clean, 1 when problems are found (each listed with "
            "its event key), 2 when the file is not a usable store."
        ),
    )
    p.add_argument(
        "--db", type=Path, default=None, help="store to check (default: the bundled one)"
    )
    p.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="folder with the seed articles' full texts (default: ../shared/seeds or "
        "$EXPLORER_SOURCE_TEXTS)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.db is None:
        from explorer.storage.bundled import bundled_store_path

        db = bundled_store_path()
    else:
        db = args.db
    text_dir = args.sources if args.sources is not None else paths.source_texts_dir()
    report = check_store(db, text_dir)
    for problem in report.problems:
        print(problem)
    checked = (
        f"{report.verified_quotes} checked against their source text"
        if text_dir is not None
        else "no source texts found to check them against"
    )
    summary = f"{report.path}: {report.events} events, {report.quotes} quotes ({checked})"
    if report.ok:
        print(f"{summary}: OK")
        return 0
    print(f"{summary}: {len(report.problems)} problems", file=sys.stderr)
    return 1
