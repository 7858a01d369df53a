"""FilterState: its SQL, facet bitsets and search held against the brute-force predicate.

Random events are written into a real SQLite store file; for random filter states the events
selected by `to_sql`, by the facet index and by the search module must be exactly those the
plain Python predicate `matches` keeps.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.domain.dates import PartialDate, day_number
from explorer.domain.filters import (
    FACETS,
    EventRecord,
    FilterError,
    FilterState,
    chips,
    describe,
    from_dict,
    match_spans,
    matches,
    parse_bound,
    parse_day,
    record_measures,
    search_terms,
    snippet,
    to_dict,
)
from explorer.domain.measures import Measure, Phase
from explorer.storage.facets import FacetIndex
from explorer.storage.filter_sql import to_sql
from explorer.storage.library import Library, split_id
from explorer.storage.records import write_records
from explorer.storage.search import Searcher, matching_rowids
from explorer.storage.store import EventStore

KINDS = ["announcement", "rule_in_force", "proposal", "statement"]
STATUSES = ["proposed", "announced", "in_force", "reported"]
COUNTRIES = ["CN", "US", "JP", "NL", "EU"]
AGENCIES = ["mofcom", "bis", "gac", "meti", "ofac"]
TOPICS = ["", "drones", "chips", "rare earths"]
ITEMS = ["gallium", "lidar", "engines", "qkd"]
WORDS = [
    "export",
    "control",
    "Drone",
    "MOFCOM",
    "商务部",
    "芯片",
    "半导体设备",
    "軍",
    "量子",
    "ドローン",
    "a%b",
    "x_y",
    "rare-earth",
    "U.S.",
    "AND",
    "50%",
]
QUERY_WORDS = [
    "",
    "exp",
    "expo*",
    "EXPORT",
    "rol",
    "dro",
    "Dr",
    "mo",
    "商务",
    "商",
    "芯片",
    "半导体",
    "导",
    "軍",
    "量子",
    "ドロ",
    "%",
    "_",
    "a%b",
    "x_y",
    "0%",
    '"',
    '"export control"',
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "*",
    "'; DROP TABLE events; --",
    "rare-",
    "u.s.",
    "zzz",
    "半导体设备",
]
DAY0 = day_number(PartialDate(2020).first_day())


def random_records(rng: random.Random, n: int) -> list[EventRecord]:
    out = []
    day = DAY0
    for i in range(1, n + 1):
        day += rng.choice([0, 0, 1, 3, 20])
        length = rng.choice([0, 0, 0, 5, 40, 400])
        texts = tuple(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 4))) for _ in range(5)
        )
        out.append(
            EventRecord(
                id=i,
                kind=rng.choice(KINDS),
                status=rng.choice(STATUSES),
                lane_country=rng.choice(COUNTRIES[:3]),
                lane_agency=rng.choice(AGENCIES[:3]),
                topic=rng.choice(TOPICS),
                start_day=day,
                end_day=day + length,
                countries=frozenset(rng.sample(COUNTRIES, rng.randint(0, 2))),
                issuers=frozenset(rng.sample(AGENCIES, rng.randint(0, 2))),
                items=frozenset(rng.sample(ITEMS, rng.randint(0, 2))),
                texts=texts,
            )
        )
    return out


MEASURES = ["m-a", "m-b", "m-c"]


def with_measures(records: list[EventRecord], rng: random.Random) -> list[EventRecord]:
    """The records with about half of them phases of three measures (any phase, on their own
    dates, some with an end: a period's last day)."""
    out = []
    for r in records:
        if rng.random() < 0.5:
            r = replace(r, measure=rng.choice(MEASURES), phase=rng.choice(list(Phase)).value)
        out.append(r)
    return out


def sub(values: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), max_size=2, unique=True)


@st.composite
def states(draw: st.DrawFn) -> FilterState:
    span = st.integers(min_value=DAY0 - 30, max_value=DAY0 + 1200)
    a = draw(st.none() | span)
    b = draw(st.none() | span)
    if a is not None and b is not None and a > b:
        a, b = b, a
    words = draw(st.lists(st.sampled_from(QUERY_WORDS), max_size=2))
    on = draw(st.none() | span)
    return FilterState(
        countries=tuple(draw(sub(COUNTRIES))),
        agencies=tuple(draw(sub(AGENCIES))),
        kinds=tuple(draw(sub(KINDS))),
        statuses=tuple(draw(sub(STATUSES))),
        topics=tuple(draw(sub([t for t in TOPICS if t]))),
        items=tuple(draw(sub(ITEMS))),
        date_from=None
        if a is None
        else PartialDate.of(PartialDate(2000).first_day().fromordinal(a)),
        date_to=None if b is None else PartialDate.of(PartialDate(2000).first_day().fromordinal(b)),
        search=" ".join(words),
        in_force_on=None if on is None else date.fromordinal(on),
    )


def facet_has(record: EventRecord, facet: str, value: str) -> bool:
    if facet == "countries":
        return value == record.lane_country or value in record.countries
    if facet == "agencies":
        return value == record.lane_agency or value in record.issuers
    if facet == "items":
        return value in record.items
    return bool(
        getattr(record, {"kinds": "kind", "statuses": "status", "topics": "topic"}[facet]) == value
    )


@pytest.fixture(scope="module")
def random_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[EventRecord]]:
    records = with_measures(random_records(random.Random(4), 400), random.Random(5))
    path = tmp_path_factory.mktemp("filters") / "random.sqlite"
    write_records(path, records)
    return path, records


@pytest.fixture(scope="module")
def opened(random_store: tuple[Path, list[EventRecord]]):  # type: ignore[no-untyped-def]
    path, records = random_store
    store = EventStore(path)
    index = FacetIndex(Library([store]))
    yield store, index, records
    store.close()


def sql_ids(conn: sqlite3.Connection, state: FilterState) -> set[int]:
    where, params = to_sql(state)
    return {r[0] for r in conn.execute(f"SELECT id FROM events WHERE {where}", params)}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(state=states())
def test_sql_facets_and_search_agree_with_the_predicate(opened, state: FilterState) -> None:  # type: ignore[no-untyped-def]
    store, index, records = opened
    measures = record_measures(records)
    expected = {r.id for r in records if matches(state, r, measures)}
    assert sql_ids(store.conn, state) == expected
    result = index.result(state)
    assert result.count == len(expected)
    assert {split_id(g)[1] for g in result.iter_ids()} == expected
    counts = index.counts(state)
    assert counts.matching == len(expected)
    assert counts.total == len(records)
    for facet in FACETS:
        others = state.with_values(facet, ())
        kept = [r for r in records if matches(others, r, measures)]
        for value, n in counts.counts[facet].items():
            assert n == sum(1 for r in kept if facet_has(r, facet, value)), (facet, value)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), state=states())
def test_on_fresh_random_stores(
    tmp_path_factory: pytest.TempPathFactory, seed: int, state: FilterState
) -> None:
    records = random_records(random.Random(seed), random.Random(seed).randint(0, 30))
    records = with_measures(records, random.Random(seed + 1))
    path = tmp_path_factory.mktemp("fresh") / "s.sqlite"
    write_records(path, records)
    with EventStore(path) as store:
        expected = {r.id for r in records if matches(state, r, record_measures(records))}
        assert sql_ids(store.conn, state) == expected
        assert FacetIndex(Library([store])).result(state).count == len(expected)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(QUERY_WORDS) | st.text(max_size=6), max_size=3))
def test_search_never_fails_and_agrees_with_the_predicate(opened, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    store, _, records = opened
    text = " ".join(words)
    terms = search_terms(text)
    found = matching_rowids(store.conn, terms)
    indexed = list(Searcher(Library([store])).iter_rowids(0, terms))
    if not terms:
        assert found == indexed == []
    else:
        assert found == indexed == [r.id for r in records if matches(FilterState(search=text), r)]


def test_same_facet_is_ored_and_different_facets_are_anded(opened) -> None:  # type: ignore[no-untyped-def]
    store, _, _ = opened
    cn = sql_ids(store.conn, FilterState(countries=("CN",)))
    us = sql_ids(store.conn, FilterState(countries=("US",)))
    both = sql_ids(store.conn, FilterState(countries=("CN", "US")))
    assert both == cn | us and cn - us and us - cn
    prop = sql_ids(store.conn, FilterState(kinds=("proposal",)))
    assert sql_ids(store.conn, FilterState(countries=("CN",), kinds=("proposal",))) == cn & prop


def test_a_period_that_touches_the_range_is_in_it() -> None:
    rec = EventRecord(
        1,
        "proposal",
        "proposed",
        "CN",
        "mofcom",
        "",
        day_number(PartialDate(2022, 12, 1).first_day()),
        day_number(PartialDate(2023, 2, 1).first_day()),
    )
    assert matches(FilterState(date_from=parse_bound("2023")), rec)
    assert matches(FilterState(date_to=parse_bound("2022-12")), rec)
    assert not matches(FilterState(date_from=parse_bound("2023-03")), rec)
    assert not matches(FilterState(date_to=parse_bound("2022-11")), rec)


def test_partial_date_bounds_cover_their_whole_span() -> None:
    state = FilterState(date_from=parse_bound("2023"), date_to=parse_bound("2023-07"))
    assert state.from_day == day_number(PartialDate(2023, 1, 1).first_day())
    assert state.to_day == day_number(PartialDate(2023, 7, 31).first_day())
    with pytest.raises(FilterError, match="--from: '2023-13' is not a date"):
        parse_bound("2023-13", "--from")
    with pytest.raises(FilterError, match="starts"):
        FilterState(date_from=parse_bound("2024"), date_to=parse_bound("2023"))


def test_sql_binds_every_value() -> None:
    nasty = "x'); DROP TABLE events; --"
    state = FilterState(countries=(nasty,), topics=(nasty,), search=nasty)
    where, params = to_sql(state)
    assert "DROP" not in where and nasty in params


def test_search_terms_make_plain_words_of_operators() -> None:
    assert search_terms("") == ()
    assert search_terms("   ") == ()
    assert search_terms('"export control" drone*') == ("export control", "drone")
    assert search_terms('"unbalanced AND') == ("unbalanced", "AND")
    assert search_terms("NEAR( * OR") == ("NEAR(", "*", "OR")
    assert search_terms("Drone drone") == ("Drone",)


def test_describe_says_the_filters_in_words() -> None:
    labels = {"countries": {"CN": "China", "US": "United States"}}
    state = FilterState(
        countries=("US", "CN"),
        kinds=("proposal",),
        date_from=parse_bound("2023-07"),
        search="drone",
    )
    assert describe(state, labels) == (
        "Country: China or United States; Kind: Proposal; From July 2023; Search: “drone”"
    )
    assert describe(FilterState()) == "All events"


def test_dict_round_trip_and_bad_data() -> None:
    state = FilterState(agencies=("bis",), date_to=parse_bound("2024-Q2"), search="芯片")
    assert from_dict(to_dict(state)) == state
    with pytest.raises(FilterError, match="unknown filter"):
        from_dict({"colour": ["red"]})


def test_match_spans_and_snippet() -> None:
    assert match_spans("Export controls on EXPORTS", ["export"]) == [(0, 6), (19, 25)]
    assert match_spans("商务部宣布", ["商务"]) == [(0, 2)]
    text = "x" * 200 + " the drone rule " + "y" * 200
    snip, spans = snippet(text, ["drone"], 60)
    assert snip.startswith("…") and snip.endswith("…")
    assert [snip[s:e] for s, e in spans] == ["drone"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=st.lists(st.sampled_from(QUERY_WORDS) | st.text(max_size=6), max_size=3))
def test_the_in_memory_word_index_agrees_with_the_predicate(opened, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    # Common words come from the TextIndex's bitsets and its text of rarer words, the rest
    # from SQLite: together exactly the events the predicate keeps.
    store, _, records = opened
    text = " ".join(words)
    searcher = Searcher(Library([store]))
    assert searcher.text_index(0) is not None  # a small store is indexed at once
    terms = search_terms(text)
    bits = searcher.id_bits(0, terms)
    got = {i for i in range(bits.bit_length()) if bits >> i & 1}
    state = FilterState(search=text)
    assert got == ({r.id for r in records if matches(state, r)} if terms else set())


def test_the_store_reads_back_the_measures_the_records_make(opened) -> None:  # type: ignore[no-untyped-def]
    store, _, records = opened
    expected = record_measures(records)
    read = {m.key: m for m in store.measures().values()}
    assert sorted(read) == sorted(expected) == MEASURES
    for key, m in expected.items():
        assert [(p.phase, p.date, p.end, p.event_key) for p in read[key].phases] == [
            (p.phase, p.date, p.end, p.event_key) for p in m.phases
        ]


def test_in_force_on_keeps_every_phase_of_the_measures_standing_that_day() -> None:
    day0 = day_number(date(2024, 1, 1))
    recs = [
        EventRecord(
            1,
            "announcement",
            "announced",
            "CN",
            "mofcom",
            "",
            day0,
            day0,
            measure="m1",
            phase="announced",
        ),
        EventRecord(
            2,
            "rule_in_force",
            "in_force",
            "CN",
            "mofcom",
            "",
            day0 + 30,
            day0 + 30,
            measure="m1",
            phase="in_force",
        ),
        EventRecord(
            3,
            "announcement",
            "in_force",
            "CN",
            "mofcom",
            "",
            day0 + 60,
            day0 + 90,
            measure="m1",
            phase="suspended",
        ),
        EventRecord(4, "statement", "reported", "CN", "mofcom", "", day0 + 40, day0 + 40),
    ]
    measures = record_measures(recs)
    assert isinstance(measures["m1"], Measure)

    def kept(day: int) -> list[int]:
        state = FilterState(in_force_on=date.fromordinal(day))
        return [r.id for r in recs if matches(state, r, measures)]

    assert kept(day0) == []  # announced only
    assert kept(day0 + 30) == [1, 2, 3]  # in force: every phase of it, the later ones too
    assert kept(day0 + 75) == []  # suspended
    assert kept(day0 + 91) == [1, 2, 3]  # the suspension ended
    assert not matches(
        FilterState(in_force_on=date.fromordinal(day0 + 30)), recs[0]
    )  # no measures given


def test_in_force_on_in_words_tokens_and_dicts() -> None:
    state = FilterState(countries=("CN",), in_force_on=parse_day("2024-07-01"))
    assert state.active() == ["countries", "in_force_on"]
    assert describe(state) == "Country: CN; In force on 1 July 2024"
    assert ("in_force_on", "", "In force on 1 July 2024") in chips(state)
    assert to_dict(state) == {"countries": ["CN"], "in_force_on": "2024-07-01"}
    assert from_dict(to_dict(state)) == state
    assert state.cleared("in_force_on") == FilterState(countries=("CN",))
    assert state.with_in_force_on(None) == FilterState(countries=("CN",))
    for text in ("2024", "2024-07", "2024-Q3", "1 July 2024", "2024-02-30"):
        with pytest.raises(FilterError, match=r"--in-force-on: .* is not a day; use YYYY-MM-DD"):
            parse_day(text, "--in-force-on")
    with pytest.raises(FilterError, match="outside the years"):
        parse_day("1850-01-01", "--in-force-on")
    with pytest.raises(FilterError, match="must be a date text"):
        from_dict({"in_force_on": 20240701})
