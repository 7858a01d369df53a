"""The one export path: `export_view(library, view, fmt, target, options)`.

`explorer export` and the app's File → Export both call it with a :class:`ViewState` (the
command line builds its view from the flags, the app hands over the one it shows), so the same
view gives the same bytes from either (with ``SOURCE_DATE_EPOCH`` set, which fixes the export
date). Pictures (png, svg, pdf) show the view's window (fitted to its events when it has none)
with its legend, filters and cited sources; tables (json, csv, md) hold the matching events with
their quotes and sources, streamed event by event. Every file is written atomically: a failed
export leaves no file and says why in one line.

Qt is imported only for pictures: a table export never loads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from explorer import __version__
from explorer.domain.filters import describe, to_dict
from explorer.domain.view import ViewState
from explorer.export import writers
from explorer.storage.atomic import atomic_open, through_link
from explorer.storage.errors import StoreError
from explorer.storage.facets import cached_facet_index, facet_labels
from explorer.storage.library import Library, verify_stores
from explorer.storage.query import SqlQuery, view_query


class ExportOptionError(StoreError):
    """An export option that cannot be used (shown in one line)."""


@dataclass(frozen=True)
class ExportOptions:
    """How a file is laid out (pictures), beyond what the view says.

    Attributes:
        title: The picture's or chronology's title (default: subject and range, or the data's).
        width: PNG and SVG width in logical pixels.
        height: PNG and SVG height in logical pixels.
        scale: PNG pixel density (2 doubles every side, for slides).
        page: PDF page size, landscape: "a4" or "letter".
    """

    title: str = ""
    width: int = 1600
    height: int = 900
    scale: float = 1.0
    page: str = "a4"


@dataclass(frozen=True)
class ExportDone:
    """What an export wrote.

    Attributes:
        fmt: The format.
        events: How many events a table holds (None for a picture).
        target: The file written (None for a stream such as standard output).
    """

    fmt: str
    events: int | None
    target: Path | None = None

    def words(self) -> str:
        """A few words on what the file holds: `37 events as CSV`, `a PNG picture of the view`."""
        if self.events is None:
            return f"a {self.fmt.upper()} picture of the view"
        return f"{self.events:,} event{'' if self.events == 1 else 's'} as {self.fmt.upper()}"


#: The last second an ISO date can name: 9999-12-31T23:59:59Z.
_LAST_EPOCH = 253402300799


def exported_at() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set (reproducible files, as build tools do).

    SOURCE_DATE_EPOCH is read as the reproducible-builds specification writes it: the decimal
    digits of a number of seconds since 1970-01-01 UTC, as `date +%s` prints them. Anything
    else (a sign, a fraction, an exponent, spaces, `nan`, other scripts' digits, a date after
    the year 9999) is refused rather than guessed. Set but empty, it is not set.

    Raises:
        ExportOptionError: SOURCE_DATE_EPOCH is set but is not such a number (one line).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        now = datetime.now(timezone.utc)
    else:
        shown = repr(epoch if len(epoch) <= 40 else epoch[:40] + "...")
        if not (epoch.isascii() and epoch.isdigit()):
            raise ExportOptionError(
                f"SOURCE_DATE_EPOCH={shown} is not a whole number of seconds since 1970 "
                f"(0 or more, as `date +%s` prints it)"
            )
        digits = epoch.lstrip("0") or "0"
        if len(digits) > len(str(_LAST_EPOCH)) or int(digits) > _LAST_EPOCH:
            raise ExportOptionError(
                f"SOURCE_DATE_EPOCH={shown} is after the year 9999; give seconds since 1970"
            )
        now = datetime.fromtimestamp(int(digits), timezone.utc)
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def export_meta(library: Library, when: str) -> dict[str, Any]:
    """The `meta` of a table export: what data, from which stores, exported when and by what."""
    meta = library.meta()
    first = library.stores[0]
    return {
        "data_version": meta.get("data_version", ""),
        "title": meta.get("title", ""),
        "origin": meta.get("origin", ""),
        "store": first.path.name,
        "stores": [
            {"file": s.path.name, "origin": s.meta().get("origin", ""), "events": s.count()}
            for s in library.stores
        ],
        "exported_at": when,
        "generator": f"explorer {__version__}",
    }


def filters_in_words(library: Library, view: ViewState) -> list[str]:
    """The active filters in words ("Country: China; Kind: Proposal"), or none."""
    if view.filters.is_empty:
        return []
    return [describe(view.filters, facet_labels(library))]


def export_view(
    library: Library,
    view: ViewState,
    fmt: str,
    target: Path | BinaryIO,
    options: ExportOptions | None = None,
    *,
    query: SqlQuery | None = None,
    notify: Callable[[str], None] | None = None,
) -> ExportDone:
    """Write `view` as `fmt` to `target` (a path, written atomically, or an open binary file).

    Args:
        library: The stores the view shows.
        view: The filters, window, lanes and selection.
        fmt: png, svg, pdf, json, csv or md.
        target: Where to write.
        options: Picture layout and title.
        query: The view's query when the caller holds one (the app's, from the bitsets);
            otherwise the cached bitsets or SQL answer. Every way gives the same file.
        notify: Hears in one line that a PNG or SVG grew taller to list every cited source.

    Raises:
        ExportError: the file could not be written (one line: the path and why).
        ExportOptionError: a bad option (SOURCE_DATE_EPOCH that is no number).
        StoreError: a store holds rows the program cannot show (nothing is written).
        ValueError: an unknown format.
    """
    if fmt not in writers.FORMATS:
        raise ValueError(f"unknown export format {fmt!r} ({', '.join(writers.FORMATS)})")
    # A store with rows the program cannot show is refused in one line before anything is
    # written (a large one the app has not examined yet is examined here, once per file).
    verify_stores(library)
    options = options or ExportOptions()
    if query is None or query.library is not library or query.filters != view.filters:
        # the facet bitsets when they are at hand (cached by the app or an earlier export, or
        # a small store); otherwise SQL, which needs no index at all
        index = None if view.filters.is_empty else cached_facet_index(library)
        query = view_query(library, view.filters, index=index)
    when = exported_at()
    if isinstance(target, Path):
        with atomic_open(through_link(target)) as out:
            done = _write(library, view, fmt, out, options, query, when, notify)
        return ExportDone(fmt, done, target)
    done = _write(library, view, fmt, target, options, query, when, notify)
    return ExportDone(fmt, done, None)


def _write(
    library: Library,
    view: ViewState,
    fmt: str,
    out: BinaryIO,
    options: ExportOptions,
    query: SqlQuery,
    when: str,
    notify: Callable[[str], None] | None,
) -> int | None:
    words = filters_in_words(library, view)
    if fmt in writers.PICTURE_FORMATS:
        from explorer.export.picture import render_picture

        out.write(
            render_picture(
                fmt,
                query,
                view,
                filters=words,
                title=options.title,
                exported=date.fromisoformat(when[:10]),
                width=options.width,
                height=options.height,
                scale=options.scale,
                page=options.page,
                notify=notify,
            )
        )
        return None
    ids = query.matching_ids()
    return writers.write_table(
        fmt,
        out,
        library.events(ids),
        len(ids),
        meta=export_meta(library, when),
        filters=to_dict(view.filters),
        words=words,
        countries=library.countries() if fmt == "csv" else None,
        title=options.title,
        total=query.total(),
    )
