"""`explorer import FILE`: import an official list into the user store.

    explorer import sdn.csv --as-of 2024-05-03
    explorer import consolidated.csv --report report.json
    explorer import listing.csv --map start=Date --map name=Entity --map agency==MOFCOM
    explorer import gbk.csv --encoding gbk --skip-bad

Rows without a date are skipped and listed, never errors: they do not stop the import.

Exit status: 0 imported (or already imported); 1 the file has errors and nothing was imported
(give --skip-bad to import the good lines); 2 the file cannot be imported at all (empty,
binary, wrong encoding, unknown layout) or the store is not usable.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from explorer.domain.date_parse import LISTING_DATE_RULE, TWO_DIGIT_YEAR_RULE, DateOrder
from explorer.storage.atomic import WriteError
from explorer.storage.importers import ImportFileError, ImportOptions, ImportResult, import_file
from explorer.storage.importers.common import FIELDS, check_report_target, message, write_report
from explorer.storage.importers.detect import FORMATS
from explorer.storage.importers.mapped import parse_mapping
from explorer.storage.search_rows import ITEMS_PER_ROW

# Lines of errors or skips shown on the terminal; the report holds them all.
_SHOWN = 20


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fields = "; ".join(f"{k}: {v}" for k, v in FIELDS.items())
    p = sub.add_parser(
        "import",
        help="import an official list (OFAC SDN, CSL, OpenSanctions, any CSV/JSON)",
        description=(
            "Import a sanctions or export-control list into your own store (never the bundled "
            "one). One event per list and listing date, with the listed entities as its items. "
            "The format is detected from the header; name it with --format. A file with "
            "errors imports nothing unless --skip-bad is given. Rows without a date are not "
            "errors: they are skipped (there is nothing to place them on the timeline) and "
            "listed in the summary and the --report, and the other rows are imported."
        ),
        epilog=(
            f"Mapping fields (--map field=Column, or field==value for a fixed value): {fields}. "
            f"Dates: dots are day-first; slash dates need --date-order; {TWO_DIGIT_YEAR_RULE}; "
            f"{LISTING_DATE_RULE}; rows without a date are skipped and listed, not errors."
        ),
    )
    p.add_argument("file", type=Path, help="the list file (CSV or JSON)")
    p.add_argument("--format", choices=FORMATS, default=None, help="the file's format")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="which column holds a field (repeat it); implies --format csv or json",
    )
    p.add_argument(
        "--date-order",
        choices=[o.value for o in DateOrder if o is not DateOrder.UNDECLARED],
        default=None,
        help="how slash dates like 6/7/2021 are written: us (M/D/Y) or day-first (D/M/Y)",
    )
    p.add_argument(
        "--as-of",
        default=None,
        metavar="YYYY-MM-DD",
        help="the day of an OFAC SDN copy (the SDN file has no listing dates)",
    )
    p.add_argument(
        "--into",
        type=Path,
        default=None,
        help="store to write, in a folder that exists (default: your user store)",
    )
    p.add_argument("--skip-bad", action="store_true", help="import the good lines, list the bad")
    p.add_argument("--report", type=Path, default=None, help="write a JSON report here")
    p.add_argument("--encoding", default=None, help="the file's text encoding (default UTF-8)")
    p.set_defaults(run=run)


class _Progress:
    """A progress line on a terminal (only when standard error is one)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, rows: int, fraction: float) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        if now - self.last < 0.2 and fraction < 1.0:
            return
        self.last = now
        self.shown = True
        sys.stderr.write(f"\r{self.name}: {rows:,} rows, {fraction:4.0%} of the file")
        sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    # A report that could not be written is refused now, not after the import has committed.
    report = check_report_target(args.report) if args.report else None
    progress = _Progress(path.name)
    try:
        mapping = parse_mapping(args.map)
        fmt = args.format
        if mapping and fmt is None:
            fmt = "json" if path.suffix.lower() in (".json", ".jsonl", ".ndjson") else "csv"
        options = ImportOptions(
            format=fmt,
            mapping=mapping,
            date_order=DateOrder(args.date_order) if args.date_order else DateOrder.UNDECLARED,
            as_of=args.as_of,
            skip_bad=args.skip_bad,
            encoding=args.encoding,
        )
        try:
            result = import_file(path, args.into, options, progress)
        finally:
            progress.done()
    except ImportFileError as exc:
        if report is not None:
            refused = ImportResult(path, args.format or "")
            refused.refused = str(exc)
            # the refusal is what to say; the report's place was checked up front
            with contextlib.suppress(WriteError):
                write_report(refused, report)
        raise
    if report is not None:
        write_report(result, report)
    _summary(path, result)
    if result.errors and not result.committed:
        return 1
    return 0


def _summary(path: Path, r: ImportResult) -> None:
    out = sys.stdout
    if r.already_imported:
        print(
            f"{path}: already imported on {r.already_imported} ({r.rows:,} rows, "
            f"{r.format}): nothing added",
            file=out,
        )
        return
    if r.errors and not r.committed:
        for e in r.errors[:_SHOWN]:
            print(message(path, e), file=sys.stderr)
        if len(r.errors) > _SHOWN:
            print(f"… and {len(r.errors) - _SHOWN} more", file=sys.stderr)
        print(
            f"{path}: {len(r.errors):,} of {r.rows:,} rows have errors; nothing imported "
            "(fix them, or give --skip-bad to import the other rows)",
            file=sys.stderr,
        )
        return
    events = "event" if r.events_added == 1 else "events"
    undated = [s for s in r.skipped if s.reason.startswith("no date")]
    bad = [s for s in r.skipped if not s.reason.startswith("no date")]
    parts = []
    if undated:
        parts.append(f"{len(undated):,} without a date")
    if bad:
        parts.append(f"{len(bad):,} bad")
    why = f" ({', '.join(parts)})" if parts else ""
    print(
        f"{path}: {r.layout}: {r.rows:,} rows parsed, {r.imported:,} imported, "
        f"{len(r.skipped):,} skipped{why}; {r.events_added:,} {events} added"
        + (f", {r.events_updated:,} updated" if r.events_updated else "")
        + f", {r.items_added:,} entities added ({r.seconds:.1f} s)",
        file=out,
    )
    if r.date_forms:
        forms = ", ".join(f"{k} {v:,}" for k, v in sorted(r.date_forms.items()))
        print(f"  dates read as: {forms}", file=out)
    if undated:
        # Not errors: a row that gives no date has nothing to place it on the timeline. They
        # never stop an import (no --skip-bad needed) and are listed so nothing is lost silently.
        what = (
            "row without a date skipped (not an error: nothing to place it"
            if len(undated) == 1
            else "rows without a date skipped (not errors: nothing to place them"
        )
        print(f"  {len(undated):,} {what} on the timeline):", file=out)
        for s in undated[:_SHOWN]:
            print(f"    {message(path, s)}", file=out)
        if len(undated) > _SHOWN:
            print(f"    … and {len(undated) - _SHOWN} more (see --report)", file=out)
    for title, n in r.search_capped[:_SHOWN]:
        print(
            f"  search finds the first {ITEMS_PER_ROW:,} of the {n:,} entities of {title!r} "
            "by name (all of them are imported)",
            file=out,
        )
    for s in bad[:_SHOWN]:
        print(f"  skipped {message(path, s)}", file=out)
    if len(bad) > _SHOWN:
        print(f"  … and {len(bad) - _SHOWN} more bad lines (see --report)", file=out)
