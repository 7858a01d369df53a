"""The events as JSON for other tools: `{"meta": {...}, "events": [...]}`.

Pure functions from domain values to plain dicts and text; `write` streams the document event
by event (bounded memory at a million events); the caller writes the file atomically.
Dates are partial ISO strings (`2023-07` for a date known to the month) with their precision
and basis, so a tool never mistakes "July 2023" for 1 July. Each relation is listed once, on the
event it starts from (`{"kind": "takes_effect", "target": "<key of the announcement>"}`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from explorer.domain.model import Event, Quote, Source

#: Bumped when a field changes meaning or disappears (adding fields does not bump it).
FORMAT_VERSION = 1


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def source_to_dict(source: Source) -> dict[str, Any]:
    """A source as cited by a quote or a date."""
    return {
        "title": source.title,
        "outlet": source.outlet,
        "author": source.author,
        "published": source.published.iso() if source.published else None,
        "url": source.url,
        "language": source.language,
        "translator": source.translator,
    }


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    """A quote with its speaker (None: the source's own voice) and its source."""
    return {
        "text": quote.text,
        "speaker": quote.speaker.name if quote.speaker else None,
        "speaker_role": quote.speaker.role if quote.speaker and quote.speaker.role else None,
        "source": source_to_dict(quote.source),
        "offsets": [quote.start, quote.end] if quote.start is not None else None,
    }


def event_to_dict(event: Event) -> dict[str, Any]:
    """One event as a JSON-ready dict; `id` is the event's stable key."""
    return {
        "id": event.key,
        "title": event.title,
        "summary": event.summary,
        "start": event.start.iso(),
        "end": event.end.iso() if event.end else None,
        "precision": event.start.precision.value,
        "end_precision": event.end.precision.value if event.end else None,
        "basis": event.basis.value,
        "date_note": event.date_note,
        "date_source": source_to_dict(event.date_source) if event.date_source else None,
        "kind": event.kind.value,
        "status": event.status.value,
        "countries": _unique(code for code, _role in event.countries) or [event.country],
        "country_roles": [{"code": code, "role": role} for code, role in event.countries],
        "agencies": _unique(actor.name for actor, _role in event.agencies),
        "actors": [
            {"key": actor.key, "name": actor.name, "kind": actor.kind.value, "role": role}
            for actor, role in event.agencies
        ],
        "lane": {"country": event.country, "agency": event.agency},
        "topic": event.topic,
        "importance": event.importance,
        "items": [
            {"key": it.key, "name": it.name, "list": it.list_name, "tier": it.tier}
            for it in event.items
        ],
        "quotes": [quote_to_dict(q) for q in event.quotes],
        "relations": [
            {"kind": r.kind.value, "target": r.target.key}
            for r in event.relations
            if not r.incoming
        ],
    }


def document_meta(
    meta: Mapping[str, Any], filters: Mapping[str, Any], count: int
) -> dict[str, Any]:
    """The document's `meta`: what was given, the format, the filters and the event count."""
    return {
        **meta,
        "format": "policy-timeline-explorer/events",
        "format_version": FORMAT_VERSION,
        "filters": dict(filters),
        "event_count": count,
    }


def document(
    meta: Mapping[str, Any], events: Sequence[Event], filters: Mapping[str, Any]
) -> dict[str, Any]:
    """The whole export.

    Args:
        meta: What to say about the data: data_version, title, exported_at, ...
        events: The events, in the order to write them (date order).
        filters: The filters that selected the events, as given (empty: every event).
    """
    return {
        "meta": document_meta(meta, filters, len(events)),
        "events": [event_to_dict(e) for e in events],
    }


def dumps(doc: Mapping[str, Any]) -> str:
    """The document as JSON text: UTF-8 names kept readable (CJK is not escaped)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(
    out: TextIO,
    meta: Mapping[str, Any],
    events: Iterable[Event],
    count: int,
    filters: Mapping[str, Any],
) -> int:
    """Write the document event by event: the text of `dumps(document(...))`, with one event
    in memory at a time, so a million events stream out in bounded memory.

    Args:
        out: Where the text goes.
        meta: As for `document`.
        events: The events in date order (an iterator is read once).
        count: How many there are (written in `meta` before them).
        filters: As for `document`.

    Returns:
        How many events were written.

    Raises:
        ValueError: `events` did not hold `count` events (the meta would lie).
    """
    head = json.dumps({"meta": document_meta(meta, filters, count)}, ensure_ascii=False, indent=2)
    out.write(head[: -len("\n}")] + ',\n  "events": [')
    written = 0
    for event in events:
        text = json.dumps(event_to_dict(event), ensure_ascii=False, indent=2)
        # inside the document an event sits two levels deep: indent each of its lines by four
        out.write(("\n    " if written == 0 else ",\n    ") + text.replace("\n", "\n    "))
        written += 1
    if written != count:
        raise ValueError(f"{written} events written, {count} announced")
    out.write("\n  ]\n}\n" if written else "]\n}\n")
    return written
