"""`explorer measures [--on DATE] [--format json|csv] [-o OUT] [--db PATH] [--no-user-store]`.

Lists every measure of the library (the bundled or `--db` store and your own store) with its
issuers, its phases and its status on a day (default: today): the phase it is in then, or
`not_yet` before its first. JSON goes to standard output unless `-o` names a file, which is
written atomically; the format comes from --format, else from the file's suffix, else json.

Exit status: 0 written; 2 a bad date or option, a store that cannot be read or a file that
cannot be written (one line saying why).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from explorer.domain.filters import FilterError, parse_day
from explorer.export.measures import FORMATS, render
from explorer.storage.atomic import atomic_write, check_writable
from explorer.storage.errors import StoreError
from explorer.storage.library import open_library


class MeasuresArgsError(StoreError):
    """A bad --on date or an output whose suffix and --format disagree (one line, exit 2)."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "measures",
        help="list the measures with their phases and their status on a day",
        description=(
            "List every measure (rule, control list, ban, listing programme, proposal, law) "
            "with its issuers, its phases and its status on a day: the phase it is in then, "
            "or not_yet before its first phase. A measure stands (is in force) when that "
            "phase is in_force, amended or resumed."
        ),
    )
    p.add_argument(
        "--on",
        metavar="DATE",
        default=None,
        help="the day to give each measure's status on, YYYY-MM-DD (default: today)",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="json or csv (default: from the output's suffix, else json)",
    )
    p.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="OUT",
        help="file to write (default, or -: standard output)",
    )
    p.add_argument("--db", type=Path, default=None, help="store to read (default: the bundled one)")
    p.add_argument(
        "--no-user-store",
        action="store_true",
        help="leave your own store out: the bundled or --db store alone",
    )
    p.set_defaults(run=run)


def _format(output: str | None, given: str | None) -> str:
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    implied = suffix if suffix in FORMATS else None
    if given is not None and implied is not None and implied != given:
        raise MeasuresArgsError(
            f"{output}: the suffix .{suffix} means {implied}, but --format is {given}"
        )
    return given or implied or "json"


def run(args: argparse.Namespace) -> int:
    try:
        day = parse_day(args.on, "--on") if args.on is not None else date.today()
    except FilterError as exc:
        raise MeasuresArgsError(str(exc)) from None
    fmt = _format(args.output, args.format)
    to_file = args.output is not None and args.output != "-"
    target = check_writable(args.output) if to_file else None
    library, warnings = open_library(
        args.db, user_store=not args.no_user_store, create_user_store=False, verify="always"
    )
    for warning in warnings:
        print(f"explorer measures: {warning}", file=sys.stderr)
    try:
        data = render(fmt, library.measures(), day)
    finally:
        library.close()
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    atomic_write(target, data)
    print(f"{args.output}: the measures on {day.isoformat()} as {fmt}")
    return 0
