"""The export formats of `explorer export` and of the app's File → Export: json, csv, md, png,
svg and pdf.

Each writer takes the command's export job (the store, the selected events' ids, the metadata,
the filters and the parsed flags) and streams the file into a binary file the command opened
(atomically, or standard output). Tables are written event by event, so a million events need
the memory of one. The picture writers import Qt only when called, so the table formats never
load it.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, Protocol

from explorer.domain.filters import FilterError, FilterState, describe, from_dict
from explorer.domain.model import Event
from explorer.export import json_export, tables
from explorer.storage.store import EventStore

PICTURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "json", "md")


class Job(Protocol):
    """What a writer reads from `explorer.commands.export.ExportJob`."""

    @property
    def store(self) -> EventStore: ...
    @property
    def count(self) -> int: ...
    def events(self) -> Iterator[Event]: ...
    @property
    def meta(self) -> Mapping[str, Any]: ...
    @property
    def filters(self) -> Mapping[str, Any]: ...
    @property
    def args(self) -> argparse.Namespace | None: ...


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


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The picture flags of `explorer export`."""
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
        choices=("country", "agency"),
        default=None,
        help="lanes by country or agency (default: the saved view's, else country)",
    )
    g.add_argument(
        "--page", choices=("a4", "letter"), default="a4", help="PDF page size, landscape (a4)"
    )
    g.add_argument("--title", default="", help="the picture's title (default: subject and range)")


def filter_state(filters: Any) -> FilterState:
    """The job's filters as a FilterState (they come as one or as its `to_dict` data)."""
    if isinstance(filters, FilterState):
        return filters
    if not filters:
        return FilterState()
    try:
        return from_dict(filters)
    except (FilterError, TypeError):
        return FilterState()


def filters_in_words(job: Job) -> list[str]:
    """The active filters in words ("Country: China; Kind: Proposal"), or none."""
    state = filter_state(job.filters)
    if state.is_empty:
        return []
    from explorer.storage.facets import facet_labels
    from explorer.storage.library import Library

    return [describe(state, facet_labels(Library([job.store])))]


def _exported_date(job: Job) -> str:
    return str(job.meta.get("exported_at", ""))[:10]


def _text(out: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(out, encoding="utf-8", newline="")


def write_table(
    fmt: str,
    out: BinaryIO,
    events: Iterable[Event],
    count: int,
    *,
    meta: Mapping[str, Any],
    filters: Mapping[str, Any],
    words: Sequence[str] = (),
    countries: dict[str, str] | None = None,
    title: str = "",
    total: int | None = None,
) -> int:
    """Stream the events as a table format (csv, json, md) into `out`, one event in memory at a
    time; returns how many were written.

    Args:
        fmt: csv, json or md.
        out: The binary file (left open).
        events: The selected events in date order (an iterator is read once).
        count: How many there are (the JSON and Markdown say it before them).
        meta: data_version, title, exported_at, ... (the JSON's meta).
        filters: The filters as data (`to_dict`), for the JSON's meta.
        words: The filters in words, for the Markdown.
        countries: ISO code to name, for the CSV.
        title: The Markdown's heading (default: the data's title, else "Chronology").
        total: How many events the stores hold ("12 of 120 events").
    """
    if fmt == "csv":
        return tables.write_csv(out, events, countries=countries)
    text = _text(out)
    try:
        if fmt == "json":
            n = json_export.write(text, meta, events, count, filters)
        elif fmt == "md":
            n = tables.write_markdown(
                text,
                events,
                count,
                title=title or str(meta.get("title") or "") or "Chronology",
                filters=words,
                data_version=str(meta.get("data_version", "")),
                exported=str(meta.get("exported_at", ""))[:10],
                total=total,
            )
        else:
            raise ValueError(f"{fmt!r} is not a table format ({', '.join(TABLE_FORMATS)})")
        text.flush()
    finally:
        text.detach()  # the caller owns `out`
    return n


def table_writer(fmt: str) -> Callable[[Job, BinaryIO], None]:
    """The writer of a table format."""

    def write(job: Job, out: BinaryIO) -> None:
        args = job.args
        write_table(
            fmt,
            out,
            job.events(),
            job.count,
            meta=job.meta,
            filters=job.filters,
            words=filters_in_words(job) if fmt == "md" else (),
            countries=job.store.countries() if fmt == "csv" else None,
            title=str(getattr(args, "title", "") or "") if args else "",
            total=job.store.count() if fmt == "md" else None,
        )

    write.__name__ = f"write_{fmt}"
    return write


def picture_writer(fmt: str) -> Callable[[Job, BinaryIO], None]:
    """The writer of a picture format; Qt is imported when it runs."""

    def write(job: Job, out: BinaryIO) -> None:
        from explorer.export.render_view import render_job

        def notify(line: str) -> None:
            print(f"explorer export: {line}", file=sys.stderr)

        out.write(render_job(fmt, job, notify))

    write.__name__ = f"write_{fmt}"
    return write


#: Format name -> writer: `explorer export --format` offers exactly these.
FORMATS: dict[str, Callable[[Job, BinaryIO], None]] = {
    **{fmt: table_writer(fmt) for fmt in TABLE_FORMATS},
    **{fmt: picture_writer(fmt) for fmt in PICTURE_FORMATS},
}

#: Formats that never read the job's events (pictures query the store for what they show, so
#: a million-event store is not loaded event by event).
LAZY_FORMATS = frozenset(PICTURE_FORMATS)
