"""The export formats of this package as `explorer export` writers: csv, md, png, svg and pdf.

Each writer takes the command's export job (the store, the selected events, the metadata, the
filters and the parsed flags) and returns the file's bytes; the command writes them atomically.
The picture writers import Qt only when called, so the table formats never load it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from explorer.domain.filters import FilterError, FilterState, describe, from_dict
from explorer.domain.model import Event
from explorer.export import tables
from explorer.storage.store import EventStore

PICTURE_FORMATS = ("png", "svg", "pdf")


class Job(Protocol):
    """What a writer reads from `explorer.commands.export.ExportJob`."""

    @property
    def store(self) -> EventStore: ...
    @property
    def events(self) -> list[Event]: ...
    @property
    def meta(self) -> Mapping[str, Any]: ...
    @property
    def filters(self) -> Mapping[str, Any]: ...
    @property
    def args(self) -> argparse.Namespace | None: ...


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The picture flags of `explorer export`."""
    g = p.add_argument_group("pictures (png, svg, pdf)")
    g.add_argument("--width", type=int, default=1600, help="picture width in pixels (1600)")
    g.add_argument("--height", type=int, default=900, help="picture height in pixels (900)")
    g.add_argument(
        "--scale", type=float, default=1.0, help="PNG pixel density: 2 doubles every side (1)"
    )
    g.add_argument(
        "--lanes",
        choices=("country", "agency"),
        default=None,
        help="lanes by country or agency (default: the saved view's, else country)",
    )
    g.add_argument("--page", choices=("a4", "letter"), default="a4", help="PDF page size (a4)")
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


def write_csv(job: Job) -> bytes:
    """The selected events as CSV: UTF-8 with a BOM, one row per event."""
    return tables.to_csv_bytes(job.events, countries=job.store.countries())


def write_markdown(job: Job) -> bytes:
    """The selected events as a Markdown chronology with footnoted sources."""
    args = job.args
    title = (getattr(args, "title", "") if args else "") or str(job.meta.get("title") or "")
    return tables.to_markdown(
        job.events,
        title=title or "Chronology",
        filters=filters_in_words(job),
        data_version=str(job.meta.get("data_version", "")),
        exported=_exported_date(job),
        total=job.store.count(),
    ).encode("utf-8")


def picture_writer(fmt: str) -> Callable[[Job], bytes]:
    """The writer of a picture format; Qt is imported when it runs."""

    def write(job: Job) -> bytes:
        from explorer.export.render_view import render_job

        return render_job(fmt, job)

    write.__name__ = f"write_{fmt}"
    return write


#: Format name -> writer, merged into `explorer.commands.export.FORMATS`.
FORMATS: dict[str, Callable[[Job], bytes]] = {
    "csv": write_csv,
    "md": write_markdown,
    **{fmt: picture_writer(fmt) for fmt in PICTURE_FORMATS},
}

#: Formats that never read `job.events` (pictures query the store for what they show, so a
#: million-event store is not loaded event by event).
LAZY_FORMATS = frozenset(PICTURE_FORMATS)
