"""`explorer export --format FORMAT -o FILE [--db PATH] [filters]`: headless, no display needed.

Formats are the writers of `explorer.export.writers.FORMATS` (json, csv, md, png, svg, pdf);
each streams its file into the binary file this command opens, atomically (a failed export
leaves no file) or on standard output (`-o -`). Tables read the selected events one by one, so
a million events export in bounded memory. The filter flags (--country, --from, --view ...)
come from their own module.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from explorer import __version__
from explorer.commands.filter_args import add_filter_args, filters_from_args
from explorer.domain.filters import to_dict, to_sql
from explorer.domain.model import Event
from explorer.export import writers
from explorer.export.atomic import atomic_open
from explorer.storage.export_queries import matching_ids
from explorer.storage.library import Library, split_id
from explorer.storage.store import EventStore


@dataclass(frozen=True)
class ExportJob:
    """Everything a format needs: the store, the selected events and what to say about them.

    Attributes:
        store: The store the events come from.
        ids: The selected events' ids (of a library of this one store), in date order; empty
            for pictures, which query the store for what they draw.
        meta: data_version, title, exported_at, store, generator.
        filters: The filters that selected the events (empty: every event).
        args: The parsed command line, for format options (--width, --page ...).
    """

    store: EventStore
    ids: Sequence[int]
    meta: Mapping[str, Any]
    filters: Mapping[str, Any] = field(default_factory=dict)
    args: argparse.Namespace | None = None

    @property
    def count(self) -> int:
        """How many events were selected."""
        return len(self.ids)

    def events(self) -> Iterator[Event]:
        """The selected events, loaded one at a time in date order."""
        for gid in self.ids:
            yield self.store.event(split_id(gid)[1])


#: Format name -> writer. The --format choices are exactly these keys.
FORMATS = dict(writers.FORMATS)


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
    writers.add_arguments(p)
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


def exported_at() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set (reproducible output, as build tools do)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def select_events(
    store: EventStore, args: argparse.Namespace, load: bool = True
) -> tuple[Sequence[int], dict[str, Any]]:
    """The ids of the events the filter flags select, in date order, and those filters (for
    meta.filters).

    With `load` False no event is selected (pictures query the store for what they draw).
    """
    library = Library([store])
    state = filters_from_args(args, library)
    filters = to_dict(state)
    if not load:
        return [], filters
    where, params = to_sql(state, "e")
    return matching_ids(library, where, params), filters


def make_job(store: EventStore, args: argparse.Namespace) -> ExportJob:
    """Select the events and gather the metadata every format carries."""
    ids, filters = select_events(
        store, args, load=getattr(args, "format", None) not in writers.LAZY_FORMATS
    )
    meta = store.meta()
    return ExportJob(
        store=store,
        ids=ids,
        meta={
            "data_version": meta.get("data_version", ""),
            "title": meta.get("title", ""),
            "origin": meta.get("origin", ""),
            "store": store.path.name,
            "exported_at": exported_at(),
            "generator": f"explorer {__version__}",
        },
        filters=filters,
        args=args,
    )


def run(args: argparse.Namespace) -> int:
    try:
        args.format = resolve_format(args.output, args.format)
    except FormatError as e:
        print(f"explorer export: {e}", file=sys.stderr)
        return 2
    if args.db is None:
        from explorer.storage.bundled import bundled_store_path

        db = bundled_store_path()
    else:
        db = args.db
    write = FORMATS[args.format]
    with EventStore(db) as store:
        job = make_job(store, args)
        if args.output == "-":
            write(job, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return 0
        path = Path(args.output)
        with atomic_open(path) as out:
            write(job, out)
    if args.format in writers.LAZY_FORMATS:
        print(f"{path}: the view as {args.format.upper()}")
    else:
        print(f"{path}: {job.count} event{'' if job.count == 1 else 's'} as {args.format}")
    return 0
