"""The filters as SQL: a WHERE clause with bound parameters, and the full-text expressions.

The rule is the domain's (`explorer.domain.filters`: the same facet ORed, different facets ANDed,
a span touching the range is in it, every search word found); `explorer.domain.filters.matches`
writes it as a plain predicate, and the property tests hold the SQL against it.
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.domain.dates import day_number
from explorer.domain.filters import TEXT_COLUMNS, TRIGRAM, FilterState
from explorer.domain.measures import STANDING, Phase


def fts_phrase(term: str) -> str:
    """A term as an FTS5 string: quoted, so operators and punctuation are plain characters."""
    return '"' + term.replace('"', '""') + '"'


def fts_match(terms: Sequence[str]) -> str | None:
    """The MATCH expression for the terms trigram can index (three characters or more)."""
    long = [fts_phrase(t) for t in terms if len(t) >= TRIGRAM]
    return " AND ".join(long) if long else None


def short_terms(terms: Sequence[str]) -> list[str]:
    """The terms too short for trigram lookups."""
    return [t for t in terms if len(t) < TRIGRAM]


def like_pattern(term: str) -> str:
    """`%term%` for LIKE ... ESCAPE '\\', with the term's own wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


def _rank(alias: str) -> str:
    """A phase's place in the lifecycle (`Phase.rank`) as SQL over `alias.phase`."""
    cases = " ".join(f"WHEN '{p.value}' THEN {p.rank}" for p in Phase)
    return f"CASE {alias}.phase {cases} END"


def _applies(alias: str) -> str:
    """SQL: the phase event `alias` applies on the day bound twice (from its start's first day;
    up to its end's last day, or for good without an end). The unary `+` keeps SQLite from
    reaching the phases through the date index (every event before the day): they are found
    by measure, through the small index on events(measure_id)."""
    return f'+{alias}.start_day <= ? AND ({alias}."end" IS NULL OR +{alias}.end_day >= ?)'


#: The measures standing on a day (the day bound four times): those whose latest phase
#: applying that day (`explorer.domain.measures`: latest start, then lifecycle order, then event
#: key) is one of STANDING. Uncorrelated, so SQLite lists them once per query, measure by
#: measure (a store has few), each one's phases from the partial index on events(measure_id).
STANDING_MEASURES_SQL = (
    "SELECT m.id FROM measures m WHERE EXISTS (SELECT 1 FROM events p "
    "WHERE p.measure_id = m.id "
    f"AND p.phase IN ({', '.join(repr(ph.value) for ph in Phase if ph in STANDING)}) "
    f"AND {_applies('p')} AND NOT EXISTS (SELECT 1 FROM events q "
    "WHERE q.measure_id = m.id AND q.phase IS NOT NULL "
    f"AND {_applies('q')} "
    f"AND (q.start_day, {_rank('q')}, q.key) > (p.start_day, {_rank('p')}, p.key)))"
)


def to_sql(
    state: FilterState, table: str = "events", *, measures: bool = True
) -> tuple[str, list[object]]:
    """The WHERE clause (without `WHERE`) selecting the events of `table` that match.

    Every value is a bound parameter; only the column and table names are written into the
    text. An empty state gives `1`.

    Args:
        state: The filters.
        table: The name or alias of the events table in the surrounding query.
        measures: Whether the store has measures (schema 3); without them no event is a
            measure's, so `in_force_on` keeps none.
    """
    t = table
    parts: list[str] = []
    params: list[object] = []
    # Facets held in link tables are correlated EXISTS probes on the link table's primary key
    # (event_id first): each candidate row costs one index lookup, so a query bounded by a
    # window checks only the rows in it. `id IN (SELECT ...)` would first list every event of
    # the value (hundreds of thousands at a million events) before the first row is checked.
    if state.countries:
        ph = _placeholders(len(state.countries))
        parts.append(
            f"({t}.lane_country IN ({ph}) OR EXISTS (SELECT 1 FROM event_countries f_ec "
            f"WHERE f_ec.event_id = {t}.id AND f_ec.country IN ({ph})))"
        )
        params += [*state.countries, *state.countries]
    if state.agencies:
        ph = _placeholders(len(state.agencies))
        parts.append(
            f"({t}.lane_agency IN ({ph}) OR EXISTS (SELECT 1 FROM event_actors f_ea "
            f"JOIN actors f_a ON f_a.id = f_ea.actor_id WHERE f_ea.event_id = {t}.id "
            f"AND f_ea.role = 'issuer' AND f_a.key IN ({ph})))"
        )
        params += [*state.agencies, *state.agencies]
    for facet, column in (("kinds", "kind"), ("statuses", "status"), ("topics", "topic")):
        values = getattr(state, facet)
        if values:
            parts.append(f"{t}.{column} IN ({_placeholders(len(values))})")
            params += list(values)
    if state.items:
        parts.append(
            f"EXISTS (SELECT 1 FROM event_items f_ei JOIN items f_i ON f_i.id = f_ei.item_id "
            f"WHERE f_ei.event_id = {t}.id AND f_i.key IN ({_placeholders(len(state.items))}))"
        )
        params += list(state.items)
    if state.to_day is not None:
        parts.append(f"{t}.start_day <= ?")
        params.append(state.to_day)
    if state.from_day is not None:
        parts.append(f"{t}.end_day >= ?")
        params.append(state.from_day)
    if state.in_force_on is not None:
        if measures:
            parts.append(f"{t}.measure_id IN ({STANDING_MEASURES_SQL})")
            params += [day_number(state.in_force_on)] * 4
        else:
            parts.append("0")
    terms = state.search_terms()
    match = fts_match(terms)
    if match is not None:
        parts.append(f"{t}.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
        params.append(match)
    for term in short_terms(terms):
        likes = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in TEXT_COLUMNS)
        parts.append(f"{t}.id IN (SELECT rowid FROM events_fts WHERE {likes})")
        params += [like_pattern(term)] * len(TEXT_COLUMNS)
    return (" AND ".join(parts) if parts else "1"), params
