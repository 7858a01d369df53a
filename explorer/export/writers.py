"""The export formats (json, csv, md, png, svg, pdf) and the table writer.

`write_table` streams the matching events as a table format into a binary file the caller
opened (atomically, or standard output), event by event, so a million events need the memory of
one. Pictures are drawn by `explorer.export.picture`; `explorer.export.api.export_view` is the
one entry point for both.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, BinaryIO

from explorer.domain.model import Event
from explorer.export import json_export, tables

PICTURE_FORMATS = ("png", "svg", "pdf")
TABLE_FORMATS = ("csv", "json", "md")


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
    if fmt == "json":
        return json_export.write_bytes(out, meta, events, count, filters)
    text = _text(out)
    try:
        if fmt == "md":
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


#: Every export format: `explorer export --format` offers exactly these.
FORMATS = TABLE_FORMATS + PICTURE_FORMATS
