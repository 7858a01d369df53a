"""`explorer export --format json -o FILE [--db PATH]`: the events for other tools, headless.

No display is needed. Formats are functions registered in FORMATS (name -> writer returning the
file's bytes); later formats (csv, md, png, svg, pdf) add an entry there. The filter flags
(--country, --from, ...) come from their own module and plug in at `select_events`.
`-o -` writes to standard output. Every file is written atomically: a failed export leaves no
file.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from explorer import __version__
from explorer.commands.filter_args import add_filter_args, filters_from_args
from explorer.domain.filters import to_dict, to_sql
from explorer.domain.model import Event
from explorer.export import json_export, writers
from explorer.export.atomic import atomic_write
from explorer.storage.library import Library
from explorer.storage.store import EventStore


@dataclass(frozen=True)
class ExportJob:
    """Everything a format needs: the store, the selected events and what to say about them.

    Attributes:
        store: The store the events come from.
        events: The selected events, in date order.
        meta: data_version, title, exported_at, store, generator.
        filters: The filters that selected the events (empty: every event).
        args: The parsed command line, for format options (--width, --page ...).
    """

    store: EventStore
    events: list[Event]
    meta: Mapping[str, Any]
    filters: Mapping[str, Any] = field(default_factory=dict)
    args: argparse.Namespace | None = None


Writer = Callable[[ExportJob], bytes]


def _write_json(job: ExportJob) -> bytes:
    doc = json_export.document(job.meta, job.events, job.filters)
    return json_export.dumps(doc).encode("utf-8")


#: Format name -> writer. The --format choices are exactly these keys.
FORMATS: dict[str, Writer] = {"json": _write_json}
FORMATS.update(writers.FORMATS)  # csv, md, png, svg, pdf


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="write the events to a file (no display needed)",
        description="Write the events with their quotes and sources to a file, headless.",
    )
    p.add_argument("--format", choices=sorted(FORMATS), default="json", help="file format")
    p.add_argument("-o", "--output", required=True, help="file to write, or - for standard output")
    p.add_argument("--db", type=Path, default=None, help="store to read (default: the bundled one)")
    writers.add_arguments(p)
    add_filter_args(p)
    p.set_defaults(run=run)


def exported_at() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set (reproducible output, as build tools do)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def select_events(
    store: EventStore, args: argparse.Namespace, load: bool = True
) -> tuple[list[Event], dict[str, Any]]:
    """The events the filter flags select, in date order, and those filters (for meta.filters).

    With `load` False no event is read (pictures query the store for what they draw).
    """
    state = filters_from_args(args, Library([store]))
    filters = to_dict(state)
    if not load:
        return [], filters
    where, params = to_sql(state)
    ids = [
        r[0]
        for r in store.conn.execute(
            f"SELECT id FROM events WHERE {where} ORDER BY start_day, id", params
        )
    ]
    return [store.event(i) for i in ids], filters


def make_job(store: EventStore, args: argparse.Namespace) -> ExportJob:
    """Select the events and gather the metadata every format carries."""
    events, filters = select_events(
        store, args, load=getattr(args, "format", None) not in writers.LAZY_FORMATS
    )
    meta = store.meta()
    return ExportJob(
        store=store,
        events=events,
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
    if args.db is None:
        from explorer.storage.bundled import bundled_store_path

        db = bundled_store_path()
    else:
        db = args.db
    with EventStore(db) as store:
        job = make_job(store, args)
        data = FORMATS[args.format](job)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    path = atomic_write(Path(args.output), data)
    print(f"{path}: {len(job.events)} events as {args.format}")
    return 0
