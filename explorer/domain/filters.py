"""What the student is looking for: the filter state, its SQL, its words, and a reference predicate.

A FilterState is a plain frozen value. Values of the same facet are ORed ("China or the United
States"), different facets are ANDed ("... and only proposals"), an event is inside the date range
when its span touches the range, and the search text must match every one of its words.

`matches` is the rule written as a brute-force Python predicate over plain records; the storage
layer answers the same rule with SQL (`explorer.storage.filter_sql.to_sql`) and with bitsets,
and the property tests hold each of them against this one. Nothing here writes SQL, opens a
database or imports Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from explorer.domain.dates import DateError, PartialDate, day_number, from_day_number
from explorer.domain.measures import Measure, MeasureKind, MeasurePhase, Phase, stands_on
from explorer.domain.timescale import MAX_DAY, MIN_DAY

# The facets a FilterState narrows by, in the order the panel and `describe` show them.
FACETS = ("countries", "agencies", "kinds", "statuses", "topics", "items")

FACET_LABELS = {
    "countries": "Country",
    "agencies": "Agency",
    "kinds": "Kind",
    "statuses": "Status",
    "topics": "Topic",
    "items": "Item",
}

# The five full-text columns of `events_fts`, in order.
TEXT_COLUMNS = ("title", "summary", "quotes", "names", "items")

# Trigram full-text search indexes three characters at a time: shorter words are looked up
# with LIKE instead (one or two characters are the usual CJK query: 芯片, 半导体 ...).
TRIGRAM = 3


#: The longest search text, in characters (after runs of spaces are made one). A search is a few
#: words to find; a longer text (a document pasted by mistake, a hostile view token) is refused
#: in one line instead of making every search scan the store for minutes.
MAX_SEARCH_CHARS = 1_000

#: The most values one facet may select: more than any store has countries, agencies, kinds,
#: statuses or topics, and more items than anyone ticks by hand.
MAX_FACET_VALUES = 1_000

#: The longest facet value: values are codes and keys (item keys of imports are the longest,
#: about 200 characters at most).
MAX_VALUE_CHARS = 500

#: The days a range bound may name: the years the timeline can draw (`timescale.MIN_DAY` up to,
#: not including, `timescale.MAX_DAY`), the same years `explorer check` holds stores to.
FIRST_DAY = date.fromordinal(MIN_DAY)
LAST_DAY = date.fromordinal(MAX_DAY - 1)


class FilterError(ValueError):
    """A filter that cannot be applied: a date that is no date, a range ending before it starts."""


def shown(text: str, limit: int = 40) -> str:
    """`repr` of a text for a one-line message, cut to about `limit` characters."""
    return (
        repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"
    )


def _norm(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v.strip() for v in values if v and v.strip()}))


def _checked_values(facet: str, values: Iterable[str]) -> tuple[str, ...]:
    """A facet's values normalized, within MAX_FACET_VALUES and MAX_VALUE_CHARS."""
    label = FACET_LABELS[facet].lower()
    given = tuple(values)
    if len(given) > MAX_FACET_VALUES:
        # counted before sorting: a hostile token's million values cost nothing
        given = tuple(set(given))
        if len(given) > MAX_FACET_VALUES:
            raise FilterError(
                f"{label}: {len(given):,} values are selected; a filter takes at most "
                f"{MAX_FACET_VALUES:,}"
            )
    for v in given:
        if isinstance(v, str) and len(v) > MAX_VALUE_CHARS:
            raise FilterError(
                f"{label}: the value {shown(v)} is too long; values have at most "
                f"{MAX_VALUE_CHARS:,} characters"
            )
    return _norm(given)


def _checked_search(text: str) -> str:
    """The search text with runs of white space made one, within MAX_SEARCH_CHARS."""
    text = text or ""
    # measured before it is split: a text many times too long is refused without the work
    n = len(text) if len(text) > 4 * MAX_SEARCH_CHARS else None
    if n is None:
        text = " ".join(text.split())
        n = len(text) if len(text) > MAX_SEARCH_CHARS else None
    if n is not None:
        raise FilterError(
            f"search: the text has {n:,} characters; search for at most "
            f"{MAX_SEARCH_CHARS:,} characters"
        )
    return text


def check_bound(bound: PartialDate, flag: str = "date") -> PartialDate:
    """The bound itself when the timeline can draw it (years FIRST_DAY to LAST_DAY).

    Raises:
        FilterError: naming the flag and the years that can be drawn.
    """
    if bound.first_day() < FIRST_DAY or bound.last_day() > LAST_DAY:
        raise FilterError(
            f"{flag}: {bound.iso()} is outside the years the timeline can draw "
            f"({FIRST_DAY.year}–{LAST_DAY.year})"
        )
    return bound


@dataclass(frozen=True)
class FilterState:
    """The active filters. Empty facets and an empty search do not narrow anything.

    Attributes:
        countries: ISO codes; an event matches through its lane country or any of its countries.
        agencies: Actor keys; an event matches through its lane agency or an issuing actor.
        kinds: Kind values (`proposal`, `rule_in_force` ...).
        statuses: Status values (`in_force`, `proposed` ...).
        topics: Topic values of the events' `topic` field.
        items: Item keys (controlled or proposed technologies, listed entities).
        date_from: The first partial date of the range; its first day is the bound.
        date_to: The last partial date of the range; its last day is the bound.
        search: Free text; every word must be found (see `search_terms`).
        in_force_on: A day: only the events of measures standing that day (in force, amended
            or resumed; see `explorer.domain.measures`), every phase of them. None: no such
            filter.
    """

    countries: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    date_from: PartialDate | None = None
    date_to: PartialDate | None = None
    search: str = field(default="")
    in_force_on: date | None = None

    def __post_init__(self) -> None:
        # Sorted, de-duplicated tuples: two states that filter alike compare and hash alike,
        # and tokens and descriptions come out the same whatever order values were added in.
        for name in FACETS:
            object.__setattr__(self, name, _checked_values(name, getattr(self, name)))
        object.__setattr__(self, "search", _checked_search(self.search))
        if self.date_from is not None:
            check_bound(self.date_from, "from")
        if self.date_to is not None:
            check_bound(self.date_to, "to")
        if self.in_force_on is not None:
            check_day(self.in_force_on, "in force on")
        if (
            self.date_from is not None
            and self.date_to is not None
            and self.date_from.first_day() > self.date_to.last_day()
        ):
            raise FilterError(
                f"the range starts ({self.date_from.display()}) after it ends "
                f"({self.date_to.display()})"
            )

    # ------------------------------------------------------------------ derived

    @property
    def from_day(self) -> int | None:
        """The first day of the range as a store day number, or None when open."""
        return None if self.date_from is None else day_number(self.date_from.first_day())

    @property
    def to_day(self) -> int | None:
        """The last day of the range as a store day number, or None when open."""
        return None if self.date_to is None else day_number(self.date_to.last_day())

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered: every event matches."""
        return self == FilterState()

    def values(self, facet: str) -> tuple[str, ...]:
        """The selected values of a facet."""
        _check_facet(facet)
        result: tuple[str, ...] = getattr(self, facet)
        return result

    # ------------------------------------------------------------------ changes

    def with_values(self, facet: str, values: Iterable[str]) -> FilterState:
        """This state with a facet's selection replaced."""
        _check_facet(facet)
        changes: dict[str, Any] = {facet: tuple(values)}
        return replace(self, **changes)

    def toggled(self, facet: str, value: str) -> FilterState:
        """This state with one value of a facet switched on or off."""
        current = set(self.values(facet))
        current ^= {value}
        return self.with_values(facet, current)

    def with_range(self, date_from: PartialDate | None, date_to: PartialDate | None) -> FilterState:
        """This state with another date range (None for an open end)."""
        return replace(self, date_from=date_from, date_to=date_to)

    def with_search(self, text: str) -> FilterState:
        return replace(self, search=text)

    def with_in_force_on(self, day: date | None) -> FilterState:
        """This state keeping only the events of measures standing on `day` (None: all)."""
        return replace(self, in_force_on=day)

    def cleared(self, facet: str) -> FilterState:
        """This state without one filter: a facet name, `date_range`, `in_force_on` or
        `search`."""
        if facet == "date_range":
            return replace(self, date_from=None, date_to=None)
        if facet == "search":
            return replace(self, search="")
        if facet == "in_force_on":
            return replace(self, in_force_on=None)
        return self.with_values(facet, ())

    def active(self) -> list[str]:
        """The names of the active filters: facets, then `date_range`, `in_force_on` and
        `search`."""
        out = [f for f in FACETS if getattr(self, f)]
        if self.date_from is not None or self.date_to is not None:
            out.append("date_range")
        if self.in_force_on is not None:
            out.append("in_force_on")
        if self.search_terms():
            out.append("search")
        return out

    def search_terms(self) -> tuple[str, ...]:
        return search_terms(self.search)


def _check_facet(facet: str) -> None:
    if facet not in FACETS:
        raise KeyError(f"no facet {facet!r}; facets are {', '.join(FACETS)}")


# ---------------------------------------------------------------------- dates


def parse_bound(text: str, flag: str = "date") -> PartialDate:
    """A range bound typed by a person: `2023`, `2023-07`, `2023-07-31` or `2023-Q3`.

    Raises:
        FilterError: naming the flag and saying what forms are accepted, or which years the
            timeline can draw (FIRST_DAY to LAST_DAY).
    """
    try:
        bound = PartialDate.parse(text)
    except DateError:
        raise FilterError(
            f"{flag}: {shown(text)} is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn"
        ) from None
    return check_bound(bound, flag)


def check_day(day: date, flag: str = "date") -> date:
    """The day itself when the timeline can draw it (FIRST_DAY to LAST_DAY).

    Raises:
        FilterError: naming the flag and the years that can be drawn.
    """
    if not isinstance(day, date):
        raise FilterError(f"{flag}: {shown(str(day))} is not a day")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise FilterError(
            f"{flag}: {day.isoformat()} is outside the years the timeline can draw "
            f"({FIRST_DAY.year}–{LAST_DAY.year})"
        )
    return day


def parse_day(text: str, flag: str = "date") -> date:
    """A day typed by a person: `2024-07-01` (a measure stands or not on a given day).

    Raises:
        FilterError: naming the flag: not a day (`2024` and `2024-07` are refused: they are
            many days), or outside the years the timeline can draw.
    """
    try:
        bound = PartialDate.parse(text)
    except DateError:
        bound = None
    if bound is None or bound.day is None:
        raise FilterError(f"{flag}: {shown(text)} is not a day; use YYYY-MM-DD")
    return check_day(bound.first_day(), flag)


def bound_of_day(day: int) -> PartialDate:
    """The day-precise partial date of a store day number (for dragged ranges)."""
    return PartialDate.of(date.fromordinal(day))


# ---------------------------------------------------------------------- search text

_QUOTED = re.compile(r'"([^"]*)"')


def search_terms(text: str) -> tuple[str, ...]:
    """The words a search text asks for, every one of which must be found.

    Balanced double quotes keep a phrase together; stray quotes are dropped; a `*` at the end
    of a word asks for a prefix, which substring matching already gives, so it is dropped too.
    Everything else, `AND`, `NEAR(`, `*`, `;`, SQL, is a plain word to look for.
    """
    # Control characters (a NUL above all) end strings inside SQLite's matchers: drop them.
    text = "".join(ch if ch >= " " else " " for ch in text or "")
    if not text.strip():
        return ()
    terms: list[str] = []
    rest: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(text):
        rest.append(text[pos : m.start()])
        phrase = " ".join(m.group(1).split())
        if phrase:
            terms.append(phrase)
        pos = m.end()
    rest.append(text[pos:])
    for chunk in rest:
        for word in chunk.replace('"', " ").split():
            if len(word) > 1:
                word = word.rstrip("*") or word
            terms.append(word)
    seen: set[str] = set()
    out: list[str] = []
    for t in terms:
        key = t.lower()
        if key not in seen:
            seen.add(key)
            out.append(t)
    return tuple(out)


def _ascii_lower(text: str) -> str:
    # SQLite's LIKE folds only ASCII letters; the predicate must fold exactly the same.
    return text.translate(_ASCII_FOLD)


_ASCII_FOLD = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def text_has(texts: Sequence[str], term: str) -> bool:
    """Whether any of the texts contains the term as the store's search would find it."""
    if len(term) >= TRIGRAM:
        t = term.lower()
        return any(t in x.lower() for x in texts)
    t = _ascii_lower(term)
    return any(t in _ascii_lower(x) for x in texts)


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the terms occur in a text, as sorted, merged (start, end) spans, for highlighting."""
    spans: list[tuple[int, int]] = []
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer: match exactly instead
        low = text
    for term in terms:
        t = term.lower()
        if not t or len(t) != len(term):
            continue
        start = low.find(t)
        while start >= 0:
            spans.append((start, start + len(t)))
            start = low.find(t, start + len(t))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(text: str, terms: Sequence[str], width: int = 80) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` characters around the first match, with the spans inside it."""
    spans = match_spans(text, terms)
    if len(text) <= width or not spans:
        cut = text if len(text) <= width else text[: width - 1] + "…"
        return cut, [(s, e) for s, e in spans if e <= len(cut)]
    first = spans[0][0]
    start = max(0, min(first - width // 3, len(text) - width))
    end = min(len(text), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[start:end]
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + body + suffix, inside


# ---------------------------------------------------------------------- reference predicate


@dataclass(frozen=True)
class EventRecord:
    """An event as plain values, for the brute-force predicate.

    Attributes:
        texts: The five searchable texts, as `events_fts` holds them (see TEXT_COLUMNS).
        countries: The codes of `event_countries` (the lane country counts separately).
        issuers: Keys of the actors with the role `issuer`.
        items: Item keys.
    """

    id: int
    kind: str
    status: str
    lane_country: str
    lane_agency: str
    topic: str
    start_day: int
    end_day: int
    countries: frozenset[str] = frozenset()
    issuers: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()
    texts: tuple[str, ...] = ("", "", "", "", "")
    measure: str = ""
    phase: str = ""


def record_measures(records: Iterable[EventRecord]) -> dict[str, Measure]:
    """The measures the records are phases of, by key: each record with a measure and a phase
    is a phase dated by its span (an end when its last day is not its first), keyed `e{id}`
    as `explorer.storage.records.write_records` writes it."""
    phases: dict[str, list[MeasurePhase]] = {}
    for r in records:
        if not r.measure or not r.phase:
            continue
        end = None
        if r.end_day != r.start_day:
            end = PartialDate.of(from_day_number(r.end_day))
        phases.setdefault(r.measure, []).append(
            MeasurePhase(
                Phase(r.phase),
                PartialDate.of(from_day_number(r.start_day)),
                end,
                f"e{r.id}",
                r.texts[0],
            )
        )
    return {
        key: Measure(key, f"Measure {key}", MeasureKind.RULE, phases=tuple(ps))
        for key, ps in phases.items()
    }


def matches(
    state: FilterState, e: EventRecord, measures: Mapping[str, Measure] | None = None
) -> bool:
    """Whether one event passes the filters (the rule the storage layer's queries encode).

    Args:
        state: The filters.
        e: The event.
        measures: The measures the records belong to, by key (`record_measures`): needed when
            `state.in_force_on` is set (an event of a measure not given here is left out).
    """
    if state.countries and not (
        e.lane_country in state.countries or e.countries & set(state.countries)
    ):
        return False
    if state.agencies and not (e.lane_agency in state.agencies or e.issuers & set(state.agencies)):
        return False
    if state.kinds and e.kind not in state.kinds:
        return False
    if state.statuses and e.status not in state.statuses:
        return False
    if state.topics and e.topic not in state.topics:
        return False
    if state.items and not e.items & set(state.items):
        return False
    if state.to_day is not None and e.start_day > state.to_day:
        return False
    if state.from_day is not None and e.end_day < state.from_day:
        return False
    if state.in_force_on is not None:
        measure = (measures or {}).get(e.measure) if e.measure else None
        if measure is None or not stands_on(measure, state.in_force_on):
            return False
    return all(text_has(e.texts, term) for term in state.search_terms())


# ---------------------------------------------------------------------- words


def _join_or(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def chips(
    state: FilterState, labels: Mapping[str, Mapping[str, str]] | None = None
) -> list[tuple[str, str, str]]:
    """One (filter, value, text) per removable chip; value is "" for the range and the search.

    Args:
        state: The filters.
        labels: Optional display names per facet and value (country names, agency names).
    """
    labels = labels or {}
    out: list[tuple[str, str, str]] = []
    for facet in FACETS:
        names = labels.get(facet, {})
        for v in getattr(state, facet):
            out.append((facet, v, f"{FACET_LABELS[facet]}: {names.get(v, _pretty(facet, v))}"))
    rng = describe_range(state)
    if rng:
        out.append(("date_range", "", rng))
    standing = describe_in_force(state)
    if standing:
        out.append(("in_force_on", "", standing))
    if state.search_terms():
        out.append(("search", "", f"Search: “{state.search}”"))
    return out


def _pretty(facet: str, value: str) -> str:
    if facet in ("kinds", "statuses"):
        return value.replace("_", " ").capitalize()
    return value


def describe_range(state: FilterState) -> str:
    """The date range in words, or "" when there is none."""
    a, b = state.date_from, state.date_to
    if a is None and b is None:
        return ""
    if a is not None and b is not None:
        return f"From {a.display()} to {b.display()}"
    if a is not None:
        return f"From {a.display()}"
    assert b is not None
    return f"Up to {b.display()}"


def describe_in_force(state: FilterState) -> str:
    """The in-force filter in words ("In force on 1 July 2024"), or "" when there is none."""
    if state.in_force_on is None:
        return ""
    return f"In force on {PartialDate.of(state.in_force_on).display()}"


def describe(state: FilterState, labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The active filters in words, for exports and tooltips ("All events" when none).

    Example: `Country: China or United States; Kind: Proposal; From July 2023; Search: “drone”`.
    """
    labels = labels or {}
    parts: list[str] = []
    for facet in FACETS:
        values = getattr(state, facet)
        if values:
            names = labels.get(facet, {})
            words = [names.get(v, _pretty(facet, v)) for v in values]
            parts.append(f"{FACET_LABELS[facet]}: {_join_or(words)}")
    rng = describe_range(state)
    if rng:
        parts.append(rng)
    standing = describe_in_force(state)
    if standing:
        parts.append(standing)
    if state.search_terms():
        parts.append(f"Search: “{state.search}”")
    return "; ".join(parts) if parts else "All events"


# ---------------------------------------------------------------------- plain data


def to_dict(state: FilterState) -> dict[str, object]:
    """The state as JSON-ready data with only the active filters (for meta.filters and tokens)."""
    out: dict[str, object] = {}
    for f in fields(state):
        v = getattr(state, f.name)
        if isinstance(v, PartialDate):
            out[f.name] = v.iso()
        elif isinstance(v, date):
            out[f.name] = v.isoformat()
        elif v:
            out[f.name] = list(v) if isinstance(v, tuple) else v
    return out


def from_dict(data: Mapping[str, object]) -> FilterState:
    """The inverse of `to_dict`.

    Raises:
        FilterError: a field is unknown or has the wrong type.
    """
    kwargs: dict[str, object] = {}
    names = {f.name for f in fields(FilterState)}
    for key, value in data.items():
        if key not in names:
            raise FilterError(f"unknown filter {shown(key)}")
        if key in FACETS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise FilterError(f"filter {key!r} must be a list of strings")
            kwargs[key] = tuple(value)
        elif key in ("date_from", "date_to"):
            if not isinstance(value, str):
                raise FilterError(f"filter {key!r} must be a date text")
            kwargs[key] = parse_bound(value, key)
        elif key == "in_force_on":
            if not isinstance(value, str):
                raise FilterError(f"filter {key!r} must be a date text")
            kwargs[key] = parse_day(value, key)
        else:
            if not isinstance(value, str):
                raise FilterError(f"filter {key!r} must be text")
            kwargs[key] = value
    return FilterState(**kwargs)  # type: ignore[arg-type]
