"""The filtered events as tables a student can open, cite and check: CSV and Markdown.

Pure functions over `Event` lists, returning text; the caller writes it atomically. The CSV opens
cleanly in a spreadsheet (UTF-8 with a byte-order mark so Excel reads CJK names, RFC 4180 quoting
with CRLF rows, so quotes, commas and newlines inside a field survive), one row per event, with
multi-valued fields joined by "; ", and no cell a spreadsheet would run as a formula (see
FORMULA_TRIGGERS). Each column holds what its name says: `speakers` the people and institutions
quoted (nothing for a quote in the source's own voice), `sources` the citations, `measure` and
`phase` the measure an event is a phase of (its title) and which phase ("In force"). The Markdown
reads as a chronology, year by year, with every quote footnoted to its source's full citation,
each source footnoted once and its number reused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO, TextIO

from explorer.domain.citation import Style, cite, event_sources
from explorer.domain.dates import display_span
from explorer.domain.model import Event, Quote, Relation, RelationKind, Source

JOIN = "; "

#: The first characters that make a spreadsheet read a cell as a formula (OWASP's "CSV
#: Injection": `=`, `+`, `-`, `@`, tab, carriage return). A CSV cell starting with one of them
#: is written with a single quote before it, which spreadsheets take as "this is text".
FORMULA_TRIGGERS = frozenset("=+-@\t\r")

#: CSV columns, in order. `tests/export/test_tables.py` reads them back by these names.
CSV_COLUMNS = (
    "id",
    "key",
    "title",
    "date",
    "start",
    "end",
    "precision",
    "basis",
    "date_note",
    "kind",
    "status",
    "countries",
    "agencies",
    "items",
    "topic",
    "summary",
    "quotes",
    "speakers",
    "sources",
    "source_urls",
    "relations",
    # added with measures, at the end so that every earlier column keeps its place
    "measure",
    "phase",
)


#: The CSV columns whose first characters come from a store (the curated data, an imported
#: list's names, titles and links), each checked against FORMULA_TRIGGERS. The others start
#: with what we write: the id's digits, ISO dates and day or month names, the names of kinds,
#: statuses, precisions and bases, and the quotation mark before the first quote.
#: `tests/export/test_hardening.py` puts a formula in every text a store holds.
STORE_TEXT_COLUMNS = (
    "key",
    "title",
    "date_note",
    "countries",
    "agencies",
    "items",
    "topic",
    "summary",
    "speakers",
    "sources",
    "source_urls",
    "relations",
    "measure",
)
_STORE_TEXT = tuple(CSV_COLUMNS.index(c) for c in STORE_TEXT_COLUMNS)


def _speaker(q: Quote) -> str:
    """Who is quoted: the person or institution with their role, "" for the source's own
    voice (never the article's title: the `speakers` column holds people and institutions)."""
    if q.speaker is None:
        return ""
    if q.speaker.role:
        return f"{q.speaker.name} ({q.speaker.role})"
    return q.speaker.name


def _said_by(q: Quote) -> str:
    """Whom a quote is attributed to: its speaker, else the outlet or author whose own words
    it is ("" when the source names neither; its citation says the rest)."""
    if q.speaker is not None:
        return _speaker(q)
    return q.source.outlet or q.source.author


def _quoted(q: Quote) -> str:
    said = _said_by(q)
    return f"“{q.text}” — {said}" if said else f"“{q.text}”"


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v and v not in seen:
            seen[v] = None
    return list(seen)


def _countries(event: Event, names: dict[str, str] | None) -> str:
    parts = []
    for code, role in event.countries or ((event.country, ""),):
        name = (names or {}).get(code)
        label = f"{name} ({code})" if name and name != code else code
        parts.append(f"{label}, {role}" if role else label)
    return JOIN.join(_unique(parts))


def relation_words(r: Relation) -> str:
    """A relation in words: `responds to: Title (2024-05-30)` or, when it points here,
    `Title (2024-07-01) takes effect of this`."""
    other = f"{r.target.title} ({r.target.start.iso()})"
    if r.incoming:
        return f"{other} {r.kind.label}{_OF.get(r.kind, '')} this"
    return f"{r.kind.label}{_OF.get(r.kind, '')}: {other}"


_OF = {RelationKind.TAKES_EFFECT: " of"}


def event_row(
    event: Event, countries: dict[str, str] | None = None, style: Style = Style.APA
) -> dict[str, str]:
    """One CSV row of an event, keyed by CSV_COLUMNS.

    Args:
        event: The event.
        countries: ISO code to country name, to write "China (CN)" rather than "CN".
        style: The citation style of the `sources` column.
    """
    return dict(zip(CSV_COLUMNS, event_cells(event, countries, style), strict=True))


def event_cells(
    event: Event,
    countries: dict[str, str] | None = None,
    style: Style = Style.APA,
    citations: dict[int, tuple[Source, str]] | None = None,
) -> list[str]:
    """One CSV row of an event, in the order of CSV_COLUMNS (`event_row` names them).

    A store's text (STORE_TEXT_COLUMNS) that starts with a formula character
    (FORMULA_TRIGGERS: `=1+1`, `-2`, `@SUM(A1)`) gets a single quote before it (`'=1+1`), so a
    spreadsheet shows it as text and never runs it.

    Args:
        citations: Citations already written in this export, by source (reused: a million
            events cite a few thousand sources).
    """
    quotes = [_quoted(q) for q in event.quotes]
    sources = event_sources(event)
    if citations is None:
        cited = [cite(s, style) for s in sources]
    else:
        cited = []
        for s in sources:
            held = citations.get(id(s))
            if held is None or held[0] is not s:
                held = citations[id(s)] = (s, cite(s, style))
            cited.append(held[1])
    end = event.end
    cells = [
        str(event.id),
        event.key,
        event.title,
        display_span(event.start, end),
        event.start.iso(),
        end.iso() if end else "",
        event.start.precision.value,
        event.basis.value,
        event.date_note,
        event.kind.label,
        event.status.label,
        _countries(event, countries),
        JOIN.join(_unique(f"{a.name}, {role}" if role else a.name for a, role in event.agencies))
        if event.agencies
        else "",
        JOIN.join(
            _unique(i.name if i.tier is None else f"{i.name} (tier {i.tier})" for i in event.items)
        )
        if event.items
        else "",
        event.topic,
        event.summary,
        JOIN.join(quotes),
        JOIN.join(_unique(_speaker(q) for q in event.quotes)) if quotes else "",
        JOIN.join(cited),
        JOIN.join(_unique(s.url for s in sources)),
        JOIN.join(relation_words(r) for r in event.relations) if event.relations else "",
        event.measure.title if event.measure is not None else "",
        event.phase.label if event.phase is not None else "",
    ]
    # A store's text (an imported list's names) that a spreadsheet would run as a formula gets
    # a quote first: one look at the first character of a dozen cells, ~0.4 µs an event.
    for i in _STORE_TEXT:
        cell = cells[i]
        if cell[:1] in FORMULA_TRIGGERS:
            cells[i] = "'" + cell
    return cells


def write_csv_text(
    out: TextIO,
    events: Iterable[Event],
    countries: dict[str, str] | None = None,
    style: Style = Style.APA,
) -> int:
    """Write the events as CSV text (RFC 4180, CRLF rows, header first), row by row; returns
    how many were written. `out` must not translate newlines (`newline=""`)."""
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    n = 0
    citations: dict[int, tuple[Source, str]] = {}
    for event in events:
        writer.writerow(event_cells(event, countries, style, citations))
        n += 1
    return n


def to_csv(
    events: Iterable[Event],
    countries: dict[str, str] | None = None,
    style: Style = Style.APA,
) -> str:
    """The events as CSV text (RFC 4180, CRLF rows, header first).

    The text carries no byte-order mark: write it with the `utf-8-sig` codec (see CSV_ENCODING)
    so spreadsheets read it as UTF-8.
    """
    buf = io.StringIO(newline="")
    write_csv_text(buf, events, countries, style)
    return buf.getvalue()


#: The codec a CSV is written with: UTF-8 with a byte-order mark.
CSV_ENCODING = "utf-8-sig"


def write_csv(
    out: BinaryIO,
    events: Iterable[Event],
    countries: dict[str, str] | None = None,
    style: Style = Style.APA,
) -> int:
    """Write the CSV file's bytes (UTF-8 with a byte-order mark) row by row: one event in
    memory at a time. Returns how many events were written."""
    text = io.TextIOWrapper(out, encoding=CSV_ENCODING, newline="")
    try:
        n = write_csv_text(text, events, countries, style)
        text.flush()
    finally:
        text.detach()  # the caller owns `out`: leave it open
    return n


def to_csv_bytes(
    events: Iterable[Event],
    countries: dict[str, str] | None = None,
    style: Style = Style.APA,
) -> bytes:
    """The CSV file's bytes: UTF-8 with a byte-order mark."""
    buf = io.BytesIO()
    write_csv(buf, events, countries, style)
    return buf.getvalue()


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def md_escape(text: str) -> str:
    """Text with Markdown's inline markup characters escaped, on one line."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


@dataclass
class _Notes:
    """Footnotes, one per distinct citation, numbered in order of first citation.

    Two sources that cite alike (the same article under two keys, or in two stores) are one
    footnote: the reader sees one source, cited once, its number reused.
    """

    style: Style
    #: footnote text -> number (in insertion order: the footnotes as they are written)
    numbers: dict[str, int] = field(default_factory=dict)
    #: id(source) -> (source, its footnote text): a million events cite a few thousand sources
    texts: dict[int, tuple[Source, str]] = field(default_factory=dict)

    def text(self, source: Source) -> str:
        """The footnote's text for `source` (its citation, the URL as an autolink)."""
        held = self.texts.get(id(source))
        if held is None or held[0] is not source:
            held = self.texts[id(source)] = (source, _footnote(source, self.style))
        return held[1]

    def ref(self, source: Source) -> str:
        text = self.text(source)
        n = self.numbers.get(text)
        if n is None:
            n = self.numbers[text] = len(self.numbers) + 1
        return f"[^{n}]"


def _footnote(source: Source, style: Style) -> str:
    # The URL as an autolink, unescaped: a backslash inside it would break the link.
    text = md_escape(cite(replace(source, url="", retrieved=""), style))
    if source.url:
        return f"{text} <{source.url}>"
    if source.retrieved:
        return f"{text} Retrieved {md_escape(source.retrieved)}."
    return text


def to_markdown(
    events: Sequence[Event],
    *,
    title: str = "Chronology",
    filters: Sequence[str] = (),
    data_version: str = "",
    exported: str = "",
    total: int | None = None,
    style: Style = Style.APA,
) -> str:
    """A chronology grouped by year, each quote footnoted to its source (see write_markdown).

    Args:
        events: The events, in date order.
        title: The document's heading.
        filters: The active filters in words ("Country: China"); none means every event.
        data_version: The store's data version, for the record.
        exported: The export date (ISO).
        total: How many events the store holds, for "12 of 120 events".
        style: The footnotes' citation style.
    """
    buf = io.StringIO()
    write_markdown(
        buf,
        events,
        len(events),
        title=title,
        filters=filters,
        data_version=data_version,
        exported=exported,
        total=total,
        style=style,
    )
    return buf.getvalue()


class _Lines:
    """Lines written as `"\\n".join(lines)` would join them, with the blank lines at the end
    left out, as they come: nothing but the pending blank lines is held."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.blank = 0
        self.started = False

    def add(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not line:
                self.blank += 1
                continue
            self.out.write("\n" * (self.blank + (1 if self.started else 0)) + line)
            self.started = True
            self.blank = 0

    def end(self) -> None:
        self.out.write("\n")


def write_markdown(
    out: TextIO,
    events: Iterable[Event],
    count: int,
    *,
    title: str = "Chronology",
    filters: Sequence[str] = (),
    data_version: str = "",
    exported: str = "",
    total: int | None = None,
    style: Style = Style.APA,
) -> int:
    """Write a chronology grouped by year, each quote footnoted to its source, event by event
    (only the footnoted sources are kept until the end). Returns how many events were written.

    Args:
        out: Where the text goes.
        events: The events, in date order (an iterator is read once).
        count: How many there are (said before them: "12 of 120 events").
        title, filters, data_version, exported, total, style: As for `to_markdown`.
    """
    notes = _Notes(Style(style))
    lines = _Lines(out)
    head = [f"# {md_escape(title)}", ""]
    shown = f"{count} of {total} events" if total is not None else f"{count} events"
    head.append(
        f"{shown}; filters: {md_escape('; '.join(filters)) if filters else 'none (every event)'}."
    )
    record = [
        p
        for p in (
            f"data version {data_version}" if data_version else "",
            f"exported {exported}" if exported else "",
        )
        if p
    ]
    if record:
        head.append(f"Data: {md_escape(', '.join(record))}.")
    head.append("")
    lines.add(head)
    year: int | None = None
    written = 0
    for event in events:
        if event.start.year != year:
            year = event.start.year
            lines.add([f"## {year}", ""])
        lines.add(_md_event(event, notes))
        written += 1
    if notes.numbers:
        lines.add(["## Sources", ""])
        lines.add([f"[^{n}]: {text}" for text, n in notes.numbers.items()])
    lines.end()
    return written


def _md_event(event: Event, notes: _Notes) -> list[str]:
    when = display_span(event.start, event.end)
    facts = [event.kind.label.lower(), event.status.label.lower()]
    head = f"- **{md_escape(when)}**: {md_escape(event.title)} ({', '.join(facts)})"
    if event.date_source is not None:
        dated_by = notes.text(event.date_source)
        if all(notes.text(q.source) != dated_by for q in event.quotes):
            head += notes.ref(event.date_source)
    out = [head]
    detail: list[str] = []
    if event.summary:
        detail.append(md_escape(event.summary))
    date_words = f"Date {event.basis.value}"
    if event.date_note:
        date_words += f": {md_escape(event.date_note)}"
    detail.append(_end(date_words))
    agencies = _unique(a.name for a, _ in event.agencies)
    if agencies:
        detail.append(f"Actors: {md_escape(', '.join(agencies))}.")
    if event.items:
        detail.append(f"Items: {md_escape(', '.join(_unique(i.name for i in event.items)))}.")
    # A loose list item: the detail and each quote are paragraphs of their own.
    out += ["", "  " + " ".join(detail)]
    for q in event.quotes:
        said = _said_by(q)
        by = f" — {md_escape(said)}" if said else ""
        out += ["", f"  > “{md_escape(q.text)}”{by}{notes.ref(q.source)}"]
    if event.relations:
        words = "; ".join(md_escape(relation_words(r)) for r in event.relations)
        out += ["", f"  Related: {words}."]
    out.append("")
    return out


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!", "。")) else text + "."
