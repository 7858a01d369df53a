"""The events as JSON for other tools: `{"meta": {...}, "events": [...]}`.

Pure functions from domain values to plain dicts and text; `write` streams the document event
by event (bounded memory at a million events); the caller writes the file atomically.
Dates are partial ISO strings (`2023-07` for a date known to the month) with their precision
and basis, so a tool never mistakes "July 2023" for 1 July. Each relation is listed once, on the
event it starts from (`{"kind": "takes_effect", "target": "<key of the announcement>"}`). An
event that is a phase of a measure says which (`"measure": {"key", "title"}`, `"phase"`); others
have null for both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, BinaryIO, TextIO

import orjson

from explorer.domain.model import Actor, Event, Quote, Source

#: Bumped when a field changes meaning or disappears (adding fields does not bump it).
FORMAT_VERSION = 1


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _bytes(obj: Any) -> bytes:
    """`json.dumps(obj, ensure_ascii=False, indent=2)` as UTF-8, written by orjson (twenty
    times faster at the same bytes: a test holds the two equal); what orjson refuses (an
    integer beyond 64 bits) goes through the standard library instead."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8", "surrogatepass")


class _Memo:
    """The dicts of sources, actors and country roles, made once per export (events share
    them; the encoder writes a shared dict as often as it is used)."""

    __slots__ = ("actors", "roles", "sources")

    def __init__(self) -> None:
        # by identity, holding the source so that its id is never another's
        self.sources: dict[int, tuple[Source, dict[str, Any]]] = {}
        self.actors: dict[tuple[int, str], tuple[Actor, dict[str, Any]]] = {}
        self.roles: dict[tuple[str, str], dict[str, Any]] = {}

    def actor(self, actor: Actor, role: str) -> dict[str, Any]:
        held = self.actors.get((id(actor), role))
        if held is None or held[0] is not actor:
            held = self.actors[id(actor), role] = (actor, _actor(actor, role))
        return held[1]

    def role(self, code: str, role: str) -> dict[str, Any]:
        d = self.roles.get((code, role))
        if d is None:
            d = self.roles[code, role] = {"code": code, "role": role}
        return d

    def source(self, source: Source) -> dict[str, Any]:
        held = self.sources.get(id(source))
        if held is None or held[0] is not source:
            held = self.sources[id(source)] = (source, source_to_dict(source))
        return held[1]


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


def quote_to_dict(quote: Quote, memo: _Memo | None = None) -> dict[str, Any]:
    """A quote with its speaker (None: the source's own voice) and its source."""
    return {
        "text": quote.text,
        "speaker": quote.speaker.name if quote.speaker else None,
        "speaker_role": quote.speaker.role if quote.speaker and quote.speaker.role else None,
        "source": memo.source(quote.source) if memo else source_to_dict(quote.source),
        "offsets": [quote.start, quote.end] if quote.start is not None else None,
    }


def _actor(actor: Actor, role: str) -> dict[str, Any]:
    return {"key": actor.key, "name": actor.name, "kind": actor.kind.value, "role": role}


def event_to_dict(event: Event, memo: _Memo | None = None) -> dict[str, Any]:
    """One event as a JSON-ready dict; `id` is the event's stable key.

    Args:
        event: The event.
        memo: Dicts of sources already made in this export, reused (a streaming export
            passes one; the dicts are the same either way).
    """
    # Kind, Status, Basis and Precision are str enums: they are written as their values.
    date_source = event.date_source
    start, end = event.start, event.end
    countries, agencies = event.countries, event.agencies
    return {
        "id": event.key,
        "title": event.title,
        "summary": event.summary,
        "start": start.iso(),
        "end": end.iso() if end else None,
        "precision": start.precision.value,
        "end_precision": end.precision.value if end else None,
        "basis": event.basis.value,
        "date_note": event.date_note,
        "date_source": (
            None
            if date_source is None
            else memo.source(date_source)
            if memo
            else source_to_dict(date_source)
        ),
        "kind": event.kind.value,
        "status": event.status.value,
        "countries": (
            [countries[0][0]]
            if len(countries) == 1 and countries[0][0]
            else (_unique(code for code, _role in countries) or [event.country])
        ),
        "country_roles": (
            [memo.role(code, role) for code, role in countries]
            if memo
            else [{"code": code, "role": role} for code, role in countries]
        ),
        "agencies": (
            [agencies[0][0].name]
            if len(agencies) == 1 and agencies[0][0].name
            else _unique(actor.name for actor, _role in agencies)
        ),
        "actors": (
            [memo.actor(actor, role) for actor, role in agencies]
            if memo
            else [_actor(actor, role) for actor, role in agencies]
        ),
        "lane": {"country": event.country, "agency": event.agency},
        "topic": event.topic,
        "importance": event.importance,
        "items": [
            {"key": it.key, "name": it.name, "list": it.list_name, "tier": it.tier}
            for it in event.items
        ],
        "quotes": [quote_to_dict(q, memo) for q in event.quotes],
        "relations": [
            {"kind": r.kind.value, "target": r.target.key}
            for r in event.relations
            if not r.incoming
        ],
        "measure": (
            None
            if event.measure is None
            else {"key": event.measure.key, "title": event.measure.title}
        ),
        "phase": None if event.phase is None else event.phase.value,
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
    return _bytes(doc).decode("utf-8", "surrogatepass") + "\n"


def write(
    out: TextIO,
    meta: Mapping[str, Any],
    events: Iterable[Event],
    count: int,
    filters: Mapping[str, Any],
) -> int:
    """Write the document event by event as text: what `write_bytes` writes, decoded."""
    return _stream(
        lambda b: out.write(b.decode("utf-8", "surrogatepass")), meta, events, count, filters
    )


def write_bytes(
    out: BinaryIO,
    meta: Mapping[str, Any],
    events: Iterable[Event],
    count: int,
    filters: Mapping[str, Any],
) -> int:
    """Write the document event by event: the UTF-8 bytes of `dumps(document(...))`, with one
    event in memory at a time, so a million events stream out in bounded memory.

    Args:
        out: Where the bytes go.
        meta: As for `document`.
        events: The events in date order (an iterator is read once).
        count: How many there are (written in `meta` before them).
        filters: As for `document`.

    Returns:
        How many events were written.

    Raises:
        ValueError: `events` did not hold `count` events (the meta would lie).
    """
    return _stream(out.write, meta, events, count, filters)


def _stream(
    put: Callable[[bytes], object],
    meta: Mapping[str, Any],
    events: Iterable[Event],
    count: int,
    filters: Mapping[str, Any],
) -> int:
    head = _bytes({"meta": document_meta(meta, filters, count)})
    put(head[: -len(b"\n}")] + b',\n  "events": [')
    written = 0
    memo = _Memo()
    for event in events:
        text = _bytes(event_to_dict(event, memo))
        # inside the document an event sits two levels deep: indent each of its lines by four
        put((b"\n    " if written == 0 else b",\n    ") + text.replace(b"\n", b"\n    "))
        written += 1
    if written != count:
        raise ValueError(f"{written} events written, {count} announced")
    put(b"\n  ]\n}\n" if written else b"]\n}\n")
    return written
