"""Export from the app: the current view as a picture, the filtered events as a table.

The window hands over what it shows (the library, the filters, the visible window, the lane mode
and the selection); this module makes the file's bytes with the same functions the command line
uses and writes them atomically, so a failed export leaves nothing behind and is explained in
one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from explorer import __version__
from explorer.domain.filters import FilterState, describe, to_dict, to_sql
from explorer.domain.model import Event, Quote
from explorer.export import json_export, tables
from explorer.export.atomic import atomic_write
from explorer.export.citation import Style, cite
from explorer.storage.facets import facet_labels
from explorer.storage.library import SLOTS, Library


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


def filtered_events(library: Library, state: FilterState) -> list[Event]:
    """Every event the filters select, in date order, loaded whole (quotes, sources ...)."""
    where, params = to_sql(state, "e")
    ids: list[tuple[int, int]] = []
    for slot, store in enumerate(library.stores):
        ids.extend(
            (day, local * SLOTS + slot)
            for local, day in store.conn.execute(
                f"SELECT e.id, e.start_day FROM events e WHERE {where}", params
            )
        )
    ids.sort()
    return [library.event(gid) for _, gid in ids]


def filters_in_words(library: Library, state: FilterState) -> list[str]:
    """The active filters in words, or none."""
    return [] if state.is_empty else [describe(state, facet_labels(library))]


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def export_bytes(
    view: CurrentView,
    fmt: str,
    *,
    title: str = "",
    width: int = 1600,
    height: int = 900,
    scale: float = 1.0,
    page: str = "a4",
    lanes: str | None = None,
) -> tuple[bytes, str]:
    """The file's bytes and a few words on what it holds ("37 events", "a picture of ...")."""
    library, state = view.library, view.state
    words = filters_in_words(library, state)
    meta = library.meta()
    exported = _now()
    if fmt in ("png", "svg", "pdf"):
        from explorer.export.render_view import View, render_view

        picture = View(state, view.first, view.last, lanes or view.lane_mode, view.selected)
        data = render_view(
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
        )
        return data, f"a {fmt.upper()} picture of the view"
    events = filtered_events(library, state)
    if fmt == "csv":
        countries: dict[str, str] = {}
        for store in library.stores:
            for code, name in store.countries().items():
                countries.setdefault(code, name)
        data = tables.to_csv_bytes(events, countries=countries)
    elif fmt == "md":
        data = tables.to_markdown(
            events,
            title=title or meta.get("title", "") or "Chronology",
            filters=words,
            data_version=meta.get("data_version", ""),
            exported=exported[:10],
            total=library.count(),
        ).encode("utf-8")
    elif fmt == "json":
        doc = json_export.document(
            {
                "data_version": meta.get("data_version", ""),
                "title": meta.get("title", ""),
                "exported_at": exported,
                "generator": f"explorer {__version__}",
            },
            events,
            to_dict(state),
        )
        data = json_export.dumps(doc).encode("utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return data, f"{len(events):,} event{'' if len(events) == 1 else 's'} as {fmt.upper()}"


def export_to(view: CurrentView, fmt: str, path: Path, **options: object) -> str:
    """Write the export atomically; returns the status-bar message.

    Raises:
        ExportError: the file could not be written (one line: the path and why).
    """
    data, what = export_bytes(view, fmt, **options)  # type: ignore[arg-type]
    written = atomic_write(path, data)
    return f"Exported {what} to {written}"


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
    "quote_at",
    "quote_citation",
)
