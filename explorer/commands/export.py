"""`explorer export --format FORMAT -o FILE [--db PATH] [filters]`: headless, no display needed.

The flags become a view (`explorer.domain.view.ViewState`: the filters, and with `--view` a
saved view's window, lanes and selection) and the view goes through the one export path,
`explorer.export.api.export_view`, as File → Export does in the app. The library is the app's:
the bundled store (or `--db`) and the user store with its imports (`--no-user-store` leaves it
out). Files are written atomically, or to standard output with `-o -`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from explorer.commands.filter_args import (
    add_filter_args,
    checked_text,
    filters_from_args,
    view_from_args,
)
from explorer.domain.view import LANE_MODES, ViewState
from explorer.export.api import ExportOptions, export_view
from explorer.export.writers import FORMATS, PICTURE_FORMATS
from explorer.storage.atomic import ExportError
from explorer.storage.library import Library, open_library


def _bounded(kind: type, low: float, high: float, what: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}-{high:g} {what}")
        return value

    return parse


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="write the events to a file (no display needed)",
        description="Write the events with their quotes and sources to a file, headless. "
        "The format comes from --format or else from the output's suffix (.png .svg .pdf .csv "
        ".json .md/.markdown); standard output (-o -) is JSON unless --format says otherwise.",
    )
    p.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default=None,
        help="file format (default: from the output's suffix; json for -o -)",
    )
    p.add_argument("-o", "--output", required=True, help="file to write, or - for standard output")
    p.add_argument("--db", type=Path, default=None, help="store to read (default: the bundled one)")
    p.add_argument(
        "--no-user-store",
        action="store_true",
        help="leave your own store (imports) out: the bundled or --db store alone",
    )
    g = p.add_argument_group("pictures (png, svg, pdf)")
    g.add_argument(
        "--width",
        type=_bounded(int, 200, 20000, "pixels"),
        default=1600,
        help="PNG and SVG width in logical pixels (1600)",
    )
    g.add_argument(
        "--height",
        type=_bounded(int, 150, 20000, "pixels"),
        default=900,
        help="PNG and SVG height in logical pixels (900)",
    )
    g.add_argument(
        "--scale",
        type=_bounded(float, 0.5, 4, "(pixels per logical pixel)"),
        default=1.0,
        help="PNG pixel density: 2 doubles every side for slides (1)",
    )
    g.add_argument(
        "--lanes",
        choices=LANE_MODES,
        default=None,
        help="lanes by country or agency (default: the saved view's, else country)",
    )
    g.add_argument(
        "--page", choices=("a4", "letter"), default="a4", help="PDF page size, landscape (a4)"
    )
    g.add_argument("--title", default="", help="the picture's title (default: subject and range)")
    add_filter_args(p)
    p.set_defaults(run=run)


#: Output suffix -> format, for `-o FILE` without --format.
SUFFIXES = {
    ".png": "png",
    ".svg": "svg",
    ".pdf": "pdf",
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
}


class FormatError(ValueError):
    """The output's suffix and --format disagree, or neither names a format."""


def resolve_format(output: str, given: str | None) -> str:
    """The format to write: --format when given, else the one the output's suffix names.

    Standard output (`-` ) defaults to json. A suffix that names another format than --format
    is refused (an `x.pdf` holding JSON helps nobody); an output whose suffix names no format
    needs --format.

    Raises:
        FormatError: With the one line to print.
    """
    if output == "-":
        return given or "json"
    suffix = Path(output).suffix.lower()
    implied = SUFFIXES.get(suffix)
    if given is None:
        if implied is None:
            known = " ".join(sorted(SUFFIXES))
            what = f"the suffix {suffix!r} names no format" if suffix else "no suffix"
            raise FormatError(f"{output}: {what}; give --format or end it in one of {known}")
        return implied
    if implied is not None and implied != given:
        raise FormatError(
            f"{output}: the suffix {suffix!r} means {implied}, but --format is {given}; "
            f"rename the file or drop --format"
        )
    return given


def view_of_args(args: argparse.Namespace, library: Library) -> ViewState:
    """The view the flags ask for: the saved view named by --view (its window, lanes and
    selection; the filter flags replace its filters of their kind), else the filters' events
    fitted; --lanes overrides the lane mode.

    Raises:
        FilterArgsError: a filter flag names nothing known.
        StoreError: the saved view does not exist.
    """
    filters = filters_from_args(args, library)
    view = view_from_args(args) if getattr(args, "view", None) else ViewState()
    view = view.with_filters(filters)
    lanes = getattr(args, "lanes", None)
    return view.with_lane_mode(lanes) if lanes else view


def _stdout() -> BinaryIO:
    """Standard output's binary stream.

    Raises:
        ExportError: standard output is closed (`>&-`).
    """
    if sys.stdout is None:
        raise ExportError("standard output is closed; give a file with -o FILE")
    return sys.stdout.buffer


def _stdout_failed(exc: OSError, written: Path | None = None) -> ExportError:
    """The one line for a write to standard output that failed (`> /dev/full`).

    What could not be written stays in the stream's buffer and the interpreter would try it
    again at exit, with a second message: standard output is pointed at the null device first,
    as for a closed pipe.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None  # not a file (a test's capture): nothing left to flush at exit
    if fd is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    why = exc.strerror or str(exc)
    if written is not None:
        return ExportError(f"{written} was written, but standard output cannot take a line: {why}")
    return ExportError(f"standard output: cannot write the export: {why}")


def run(args: argparse.Namespace) -> int:
    if not args.output:
        print("explorer export: -o: give a file name, or - for standard output", file=sys.stderr)
        return 2
    try:
        fmt = resolve_format(args.output, args.format)
    except FormatError as e:
        print(f"explorer export: {e}", file=sys.stderr)
        return 2
    checked_text("--title", args.title or "")
    library, warnings = open_library(
        args.db, user_store=not args.no_user_store, create_user_store=False, verify="always"
    )
    for warning in warnings:
        print(f"explorer export: {warning}", file=sys.stderr)
    try:
        view = view_of_args(args, library)
        options = ExportOptions(
            title=args.title or "",
            width=args.width,
            height=args.height,
            scale=args.scale,
            page=args.page,
        )

        def notify(line: str) -> None:
            print(f"explorer export: {line}", file=sys.stderr)

        if args.output == "-":
            out = _stdout()
            try:
                export_view(library, view, fmt, out, options, notify=notify)
                out.flush()
            except BrokenPipeError:
                raise  # the reader left (`| head`): explorer.cli ends quietly
            except OSError as exc:  # a full disk or device: only the stream writes raise it
                raise _stdout_failed(exc) from None
            return 0
        path = Path(args.output)
        done = export_view(library, view, fmt, path, options, notify=notify)
    finally:
        library.close()
    if fmt in PICTURE_FORMATS:
        said = f"{path}: the view as {fmt.upper()}"
    else:
        n = done.events or 0
        said = f"{path}: {n} event{'' if n == 1 else 's'} as {fmt}"
    try:
        print(said, flush=True)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _stdout_failed(exc, path) from None
    return 0
