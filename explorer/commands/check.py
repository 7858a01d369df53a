"""`explorer check [--db PATH] [--sources DIR]`: validate a store.

Exit status: 0 clean, 1 problems found (each listed with its event key), 2 not a usable store.
Warnings (`warning: KEY: ...`, such as an event backed only by secondary sources or copies) are
listed too but leave the exit status as it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.storage import paths
from explorer.storage.check import CheckReport, check_store


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="validate a store: schema, dates, quotes against their sources, relations",
        description=(
            "Validate a store. Exit 0 when clean, 1 when problems are found (each listed with "
            "its event key), 2 when the file is not a usable store. Quotes are compared with "
            "the seed sources' full texts when those are found (--sources); a warning says "
            "when they are not. Warnings (an event whose only sources are secondary or "
            "copies) are listed as `warning:` lines and do not change the exit status."
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
    for note in report.warnings:
        print(f"warning: {note}")
    checked = (
        f"{report.verified_quotes} checked against their source text"
        if text_dir is not None
        else "no source texts found to check them against"
    )
    summary = f"{report.path}: {report.events} events, {report.quotes} quotes ({checked})"
    if report.warnings:
        n_warnings = len(report.warnings)
        summary += f", {n_warnings} {'warning' if n_warnings == 1 else 'warnings'}"
    warning = _texts_warning(report, text_dir)
    if warning:
        # The store is fine, so the exit status stays 0; but "OK" alone would hide that the
        # quotes were never compared with their sources.
        print(f"explorer check: warning: {warning}", file=sys.stderr)
    if report.ok:
        print(f"{summary}: OK")
        return 0
    n = len(report.problems)
    print(f"{summary}: {n} {'problem' if n == 1 else 'problems'}", file=sys.stderr)
    return 1


def _texts_warning(report: CheckReport, text_dir: Path | None) -> str | None:
    """One line when source texts the store names were not found (None when all were)."""
    missing = report.texts_named - report.texts_found
    if missing <= 0:
        return None
    how = "pass --sources DIR or set EXPLORER_SOURCE_TEXTS"
    folder = text_dir if text_dir is not None else paths.default_source_texts_dir()
    if report.texts_found == 0:
        where = "does not exist" if not folder.is_dir() else "holds none of them"
        return (
            f"the seed source texts were not found ({folder} {where}), so no quote was "
            f"compared with its source; {how}"
        )
    return (
        f"{missing} of {report.texts_named} source texts are not in {folder}; their quotes "
        f"were not compared; {how}"
    )
