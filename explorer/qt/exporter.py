"""Export from the app: the current view as a picture, the filtered events as a table.

The window hands over what it shows (the library, the filters, the visible window, the lane mode
and the selection); this module streams the file with the same writers the command line uses
into an atomic file, so a failed export leaves nothing behind and is explained in one line, and
a table of a million events is written one event at a time. The queries live in the storage
layer (`explorer.storage.export_queries`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from explorer import __version__
from explorer.domain.filters import FilterState, describe, to_dict, to_sql
from explorer.domain.model import Event, Quote
from explorer.export import writers
from explorer.export.atomic import atomic_open
from explorer.export.citation import Style, cite
from explorer.storage.export_queries import matching_ids
from explorer.storage.facets import cached_facet_index, facet_labels
from explorer.storage.library import Library


@dataclass(frozen=True)
class CurrentView:
    """What the window shows.

    Attributes:
        library: The stores.
        state: The active filters.
        first: The visible window's first day (store day number).
        last: The visible window's last day.
        lane_mode: "country" or "agency".
        selected: The selected library id, or -1.
    """

    library: Library
    state: FilterState = field(default_factory=FilterState)
    first: float = 0.0
    last: float = 1.0
    lane_mode: str = "country"
    selected: int = -1


def filtered_ids(library: Library, state: FilterState) -> Sequence[int]:
    """The library ids of the events the filters select, in date order."""
    where, params = to_sql(state, "e")
    return matching_ids(library, where, params)


def filtered_events(library: Library, state: FilterState) -> Iterator[Event]:
    """The events the filters select, in date order, loaded whole one at a time."""
    return (library.event(gid) for gid in filtered_ids(library, state))


def filters_in_words(library: Library, state: FilterState) -> list[str]:
    """The active filters in words, or none."""
    return [] if state.is_empty else [describe(state, facet_labels(library))]


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def write_export(
    view: CurrentView,
    fmt: str,
    out: BinaryIO,
    *,
    title: str = "",
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
    page: str = "a4",
    lanes: str | None = None,
) -> str:
    """Stream the file into `out`; returns a few words on what it holds ("37 events as CSV",
    "a PNG picture of the view")."""
    library, state = view.library, view.state
    words = filters_in_words(library, state)
    meta = library.meta()
    exported = _now()
    if fmt in writers.PICTURE_FORMATS:
        from explorer.export.render_view import View, render_view

        picture = View(state, view.first, view.last, lanes or view.lane_mode, view.selected)
        out.write(
            render_view(
                fmt,
                library,
                picture,
                filters=words,
                title=title,
                exported=datetime.fromisoformat(exported.replace("Z", "+00:00")).date(),
                width=width,
                height=height,
                scale=scale,
                page=page,
                # the filters counted in the bitsets the filter panel cached for these stores
                index=None if state.is_empty else cached_facet_index(library),
            )
        )
        return f"a {fmt.upper()} picture of the view"
    if fmt not in writers.TABLE_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    ids = filtered_ids(library, state)
    countries: dict[str, str] = {}
    if fmt == "csv":
        for store in library.stores:
            for code, name in store.countries().items():
                countries.setdefault(code, name)
    n = writers.write_table(
        fmt,
        out,
        (library.event(gid) for gid in ids),
        len(ids),
        meta={
            "data_version": meta.get("data_version", ""),
            "title": meta.get("title", ""),
            "exported_at": exported,
            "generator": f"explorer {__version__}",
        },
        filters=to_dict(state),
        words=words,
        countries=countries,
        title=title,
        total=library.count(),
    )
    return f"{n:,} event{'' if n == 1 else 's'} as {fmt.upper()}"


def export_bytes(view: CurrentView, fmt: str, **options: object) -> tuple[bytes, str]:
    """The file's bytes and a few words on what it holds (for small exports and tests)."""
    buf = io.BytesIO()
    what = write_export(view, fmt, buf, **options)  # type: ignore[arg-type]
    return buf.getvalue(), what


def export_to(view: CurrentView, fmt: str, path: Path, **options: object) -> str:
    """Write the export atomically; returns the status-bar message.

    Raises:
        ExportError: the file could not be written (one line: the path and why).
    """
    with atomic_open(path) as out:
        what = write_export(view, fmt, out, **options)  # type: ignore[arg-type]
    return f"Exported {what} to {path}"


def quote_citation(quote: Quote, style: Style = Style.APA) -> str:
    """The citation of a quote's source, for the clipboard."""
    return cite(quote.source, style)


def quote_at(event: Event, plain_text: str, position: int) -> Quote | None:
    """The quote of `event` whose text in the detail pane holds (or last precedes) `position`
    in the pane's plain text; the first quote when the cursor is above every quote."""
    best: Quote | None = None
    for q in event.quotes:
        at = plain_text.find(q.text)
        if at < 0:
            continue
        if at <= position:
            best = q
    if best is None and event.quotes:
        best = event.quotes[0]
    return best


__all__: Sequence[str] = (
    "CurrentView",
    "export_bytes",
    "export_to",
    "filtered_events",
    "filtered_ids",
    "quote_at",
    "quote_citation",
    "write_export",
)
