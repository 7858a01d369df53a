"""What a picture of the timeline holds besides the timeline itself, as plain layout data.

A student's figure must carry its evidence: a title, the legend, the active filters in words, the
sources the visible events cite (outlet, title, date, URL), the data version and the export date.
This module gathers those into a :class:`Snapshot`, free of Qt, so it is tested without a
QApplication; :mod:`explorer.render.page` paints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from explorer.domain.citation import Style, cite
from explorer.domain.dates import PartialDate
from explorer.domain.model import Kind, Source, Status
from explorer.render import palette

DEFAULT_TITLE = "US–China export controls"


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend.

    Attributes:
        group: "kind" (the mark's colour and shape), "status" (how the mark is drawn: a
            proposal is hollow, a rule in force solid ...) or "form" (a period's bar, the band
            of a date known only to the month or year, a count badge).
        key: The Kind or Status value the painter draws it for, or the form's name.
        label: The words shown beside the swatch.
    """

    group: str
    key: str
    label: str


@dataclass(frozen=True)
class CitedSource:
    """A source cited by a visible event, as the picture lists it."""

    outlet: str
    title: str
    date: str
    url: str
    citation: str
    #: What tells this source from another listed one that would read the same (from its
    #: note, e.g. "text read from a republished copy at …"); empty when none does.
    distinction: str = ""
    #: What an imported list file covers in the view ("75 listings, 6,761 entities: SDN"),
    #: empty for a source that is not a list (see :func:`list_source`).
    covers: str = ""

    @property
    def words(self) -> str:
        """Outlet, title, date and distinction: `Outlet, “Title”, 3 June 2024 [text read …]`;
        a list file: `Imported list “sdn.csv”, imported 3 June 2024: 75 listings, …`."""
        parts = [self.outlet, f"“{self.title}”" if self.title else "", self.date]
        text = ", ".join(p for p in parts if p)
        if self.covers:
            text = f"{text}: {self.covers}"
        return f"{text} [{self.distinction}]" if self.distinction else text

    @property
    def line(self) -> str:
        """One line: `Outlet, “Title”, 3 June 2024, https://…` (empty parts left out)."""
        return ", ".join(p for p in (self.words, self.url) if p)


def list_source(
    file: str,
    url: str,
    *,
    importer: str = "",
    imported: str = "",
    listings: int = 0,
    entities: int = 0,
    lists: Sequence[str] = (),
    records: int = 0,
) -> CitedSource:
    """One line for an imported list file, however many of its listings the view shows.

    A list's events cite the file itself and the records it names (Federal Register notices,
    listing pages): a picture cites the file once, with what it covers in the view.

    Args:
        file: The file's name ("ofac_sdn_2024-05-03.csv").
        url: Where the file was read from (a file URI).
        importer: The layout it was read as ("OFAC SDN (12 fields, no header)").
        imported: The day it was imported (ISO).
        listings: How many of the view's events (listings) come from it.
        entities: How many different entities those listings list.
        lists: The lists they belong to ("SDN", "Entity List").
        records: How many further records (notices, listing pages) they cite.
    """
    parts = []
    if listings:
        parts.append(f"{listings:,} listing{'' if listings == 1 else 's'}")
    if entities:
        parts.append(f"{entities:,} entit{'y' if entities == 1 else 'ies'}")
    covers = ", ".join(parts)
    if lists:
        shown = list(lists[:3])
        rest = len(lists) - len(shown)
        names = "; ".join(shown) + (f"; {rest} more lists" if rest else "")
        covers = f"{covers} ({names})" if covers else names
    if records:
        covers += f"; citing {records:,} record{'' if records == 1 else 's'} of its own"
    date_words = ""
    if imported:
        try:
            date_words = "imported " + PartialDate.parse(imported[:10]).display()
        except ValueError:
            date_words = f"imported {imported[:10]}"
    how = f" ({importer})" if importer else ""
    return CitedSource(
        outlet=f"Imported list{how}",
        title=file,
        date=date_words,
        url=url,
        citation=f"{file}{how}, {date_words}, {url}".strip(", "),
        covers=covers.strip("; "),
    )


@dataclass(frozen=True)
class KeyEntry:
    """One line of the key to numbered marks: a mark the picture had no room to label.

    Attributes:
        number: The number drawn beside the mark.
        when: Its date in words ("30 May 2024", "Q2 2024", "2023 – 2024").
        words: Its label: the event's title, a listing's words, or what a count mark holds
            ("3 events: …").
    """

    number: int
    when: str
    words: str

    @property
    def line(self) -> str:
        """`1 · 30 May 2024 · China announces …`."""
        return " · ".join(p for p in (str(self.number), self.when, self.words) if p)


@dataclass(frozen=True)
class Snapshot:
    """Everything a picture shows around the timeline.

    Attributes:
        title: The picture's title.
        range_text: The range the picture shows in words: the filters' dates when they name
            any ("from 1 January 2024", "2024 – 2025"), else the span of the events shown
            ("March 2023 – June 2024").
        span_text: The span of the events shown, when the range names the filters' dates
            (said beside the counts); else empty.
        window: The visible window as (first day, last day) store day numbers (floats).
        lane_mode: "country" or "agency".
        shown: How many events the filters select.
        total: How many events the stores hold.
        legend: The legend's lines.
        filters: The active filters in words; empty when every event is shown.
        sources: The cited sources, in citation order (by date, then outlet).
        sources_more: How many further cited sources were left out (a huge generated store).
        data_version: The data version of the curated store.
        exported: The export date.
    """

    title: str
    range_text: str
    window: tuple[float, float]
    lane_mode: str
    shown: int
    total: int
    legend: tuple[LegendEntry, ...]
    filters: tuple[str, ...]
    sources: tuple[CitedSource, ...]
    sources_more: int = 0
    data_version: str = ""
    exported: date = field(default_factory=date.today)
    span_text: str = ""

    @property
    def counts_text(self) -> str:
        """`37 of 120 events`."""
        noun = "event" if self.total == 1 else "events"
        return f"{self.shown:,} of {self.total:,} {noun}"

    @property
    def filters_text(self) -> str:
        """The filters as one line: `Filters: Country: China; Kind: Proposal`."""
        if not self.filters:
            return "Filters: none (every event)"
        return "Filters: " + "; ".join(self.filters)

    @property
    def record_text(self) -> str:
        """The footer: data version, export date and lane mode."""
        version = self.data_version or "unknown"
        return (
            f"Data version {version} · exported {self.exported.isoformat()} · "
            f"lanes by {self.lane_mode} · Policy Timeline Explorer"
        )


#: The forms a reader must know besides kinds and statuses, in the legend's words.
FORMS = (
    ("period", "Period (from … to …)"),
    ("band", "Date known to the month or year"),
    ("badge", "Several events"),
)


def legend_entries(
    kinds: Iterable[Kind | str] | None = None,
    statuses: Iterable[Status | str] | None = None,
    forms: bool = True,
) -> tuple[LegendEntry, ...]:
    """The legend of the kinds and statuses shown (all of them when None), in enum order, in
    the palette's words (how each status is drawn), then the forms (periods, bands, badges)."""
    kind_set = {Kind(k) for k in kinds} if kinds is not None else set(Kind)
    status_set = {Status(s) for s in statuses} if statuses is not None else set(Status)
    out = [LegendEntry("kind", k.value, k.label) for k in Kind if k in kind_set]
    out += [
        LegendEntry("status", s.value, palette.STATUS_MARKS[s]) for s in Status if s in status_set
    ]
    if forms:
        out += [LegendEntry("form", key, label) for key, label in FORMS]
    return tuple(out)


def cited_sources(
    sources: Iterable[Source], limit: int | None = None, style: Style = Style.APA
) -> tuple[tuple[CitedSource, ...], int]:
    """The distinct sources, ordered by publication date then outlet, at most `limit` of them.

    Returns:
        The sources to list and how many more were left out.
    """
    unique: dict[tuple[str, str, str], Source] = {}
    for s in sources:
        unique.setdefault((s.key, s.title, s.url), s)

    def order(s: Source) -> tuple[int, date, str, str]:
        p = s.published
        return (0 if p else 1, p.first_day() if p else date.min, s.outlet.casefold(), s.title)

    ordered = sorted(unique.values(), key=order)
    kept = ordered if limit is None else ordered[:limit]
    out = [
        CitedSource(
            outlet=s.outlet,
            title=s.title,
            date=s.published.display() if isinstance(s.published, PartialDate) else "n.d.",
            url=s.url,
            citation=cite(s, style),
        )
        for s in kept
    ]
    return tuple(_distinguished(out, [s.note for s in kept])), len(ordered) - len(kept)


_CLAUSE = re.compile(r"(?<=[.;])\s+")
_PAREN = re.compile(r"\s*\([^()]*\)")
_WORD = re.compile(r"\w+")
_REASON = re.compile(r",\s+(?:because|as|since|so that)\s")
DISTINCTION_MAX = 160


def distinctions(notes: Sequence[str]) -> list[str]:
    """For sources that would read the same, the clause of each one's note that sets it apart:
    the first with at least two words the other notes lack (else the one with most), its
    parentheses and reasons ("because …") dropped, shortened to DISTINCTION_MAX characters.
    Empty for an empty note.
    """
    clauses = [
        [c for c in (_PAREN.sub("", x).strip(" .;") for x in _CLAUSE.split(n or "")) if c]
        for n in notes
    ]
    words = [{w.casefold() for w in _WORD.findall(n or "")} for n in notes]
    out = []
    for i, mine in enumerate(clauses):
        others = set().union(*(w for j, w in enumerate(words) if j != i))
        best, score = "", 0
        for c in mine:
            c = _REASON.split(c, maxsplit=1)[0]
            n = len({w.casefold() for w in _WORD.findall(c)} - others)
            if n > score:
                best, score = c, n
            if n >= 2:
                break
        if len(best) > DISTINCTION_MAX:
            best = best[: DISTINCTION_MAX - 1].rstrip() + "…"
        out.append(best)
    return out


def _distinguished(sources: Sequence[CitedSource], notes: Sequence[str]) -> list[CitedSource]:
    """The sources, each one that would read the same as another given its note's distinction
    (two records of one article: read on the outlet's page, read from a republished copy)."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(sources):
        groups.setdefault(s.line, []).append(i)
    out = list(sources)
    for members in groups.values():
        if len(members) < 2:
            continue
        for i, text in zip(members, distinctions([notes[i] for i in members]), strict=True):
            out[i] = replace(out[i], distinction=text)
    return out


def make_snapshot(
    *,
    window: tuple[float, float],
    range_text: str,
    lane_mode: str,
    shown: int,
    total: int,
    filters: Sequence[str] = (),
    sources: Iterable[Source] = (),
    source_limit: int | None = None,
    lists: Sequence[CitedSource] = (),
    span_text: str = "",
    kinds: Iterable[Kind] | None = None,
    statuses: Iterable[Status] | None = None,
    legend: Sequence[LegendEntry] | None = None,
    title: str = "",
    data_version: str = "",
    exported: date | None = None,
) -> Snapshot:
    """Gather a Snapshot.

    Args:
        window: The visible window (first day, last day) in store day numbers.
        range_text: The window in words (TimeScale.range_text()).
        lane_mode: "country" or "agency".
        shown: How many events the filters select.
        total: How many events the stores hold.
        filters: The active filters in words.
        sources: The sources cited by the visible events (duplicates allowed).
        source_limit: List at most this many sources (None: all).
        lists: The imported list files the visible events come from, one line each
            (:func:`list_source`), listed after the sources.
        span_text: The span of the events shown, when `range_text` names the filters' dates.
        kinds: The kinds the legend explains (None: all).
        statuses: The statuses the legend explains (None: all).
        legend: The legend itself, when the painter words it (replaces kinds and statuses).
        title: The picture's title; the default names the subject and the range.
        data_version: The curated data version.
        exported: The export date (default: today).
    """
    if lane_mode not in ("country", "agency"):
        raise ValueError(f"lane mode {lane_mode!r} is not 'country' or 'agency'")
    listed, more = cited_sources(sources, source_limit)
    if range_text and span_text == range_text:
        span_text = ""
    return Snapshot(
        title=title or f"{DEFAULT_TITLE}, {range_text}",
        range_text=range_text,
        window=window,
        lane_mode=lane_mode,
        shown=shown,
        total=total,
        legend=tuple(legend) if legend is not None else legend_entries(kinds, statuses),
        filters=tuple(filters),
        sources=listed + tuple(lists),
        sources_more=more,
        data_version=data_version,
        exported=exported or date.today(),
        span_text=span_text,
    )
