"""Search over the fixture store: every script, aliases, prefixes, and malformed queries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.domain.filters import FilterState, matches, search_terms
from explorer.storage.library import Library, split_id
from explorer.storage.records import read_records
from explorer.storage.search import Searcher, SearchResult, search
from explorer.storage.store import EventStore


@pytest.fixture
def library(mini_store: Path):  # type: ignore[no-untyped-def]
    lib = Library([EventStore(mini_store)])
    yield lib
    lib.close()


Find = Callable[..., SearchResult]


@pytest.fixture(params=["scan", "indexed"])
def find(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Search with short words scanned, and with the short-word index."""
    if request.param == "scan":
        return search
    return lambda library, text, limit=100: Searcher(library).search(text, limit)


def keys(library: Library, text: str, find: Find = search) -> list[str]:
    store = library.stores[0]
    found = []
    for hit in find(library, text).hits:
        row = store.conn.execute("SELECT key FROM events WHERE id = ?", (split_id(hit.id)[1],))
        found.append(row.fetchone()[0])
    return found


AEROSPACE = [
    "cn-2024-05-30-aerospace-controls-announced",
    "cn-2024-07-01-aerospace-controls-in-force",
]


@pytest.mark.parametrize("text", ["商务部", "商务", "商", "MOFCOM", "mofcom", "Ministry of"])
def test_an_agency_is_found_by_its_name_and_aliases_in_any_script(
    library: Library, find: Find, text: str
) -> None:
    assert keys(library, text, find) == AEROSPACE


@pytest.mark.parametrize("text", ["ファン・グオビン", "ファン", "ファ", "グ", "Fan Guo"])
def test_japanese_names_are_found_by_their_parts(library: Library, find: Find, text: str) -> None:
    assert keys(library, text, find) == ["cn-2026-03-cas-draft-63-item-list"]


def test_prefixes_find_words_as_they_are_typed(library: Library) -> None:
    assert keys(library, "aerosp") == AEROSPACE
    assert keys(library, "aerosp*") == AEROSPACE
    assert keys(library, "dro") == ["cn-2023-07-drone-export-restrictions"]
    assert "cn-2026-03-cas-draft-63-item-list" in keys(library, "quantum")  # an item's name


def test_every_word_must_be_found(library: Library) -> None:
    assert keys(library, "aerospace effect") == ["cn-2024-07-01-aerospace-controls-in-force"]
    assert keys(library, '"take effect" 商务') == ["cn-2024-07-01-aerospace-controls-in-force"]
    assert keys(library, "aerospace zzzz") == []


MALFORMED = [
    "",
    "   ",
    '"',
    '"export',
    'export"',
    '""',
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "NEAR(a b)",
    "*",
    "**",
    "export*",
    "-export",
    "+",
    "(",
    ")(",
    "^",
    "title:export",
    "a:b",
    "{x}",
    "'; DROP TABLE events; --",
    "%",
    "_",
    "\\",
    "export AND",
    "OR export",
    "\x00",
    "商 AND",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_a_malformed_query_never_fails_and_means_its_words(
    library: Library, find: Find, text: str
) -> None:
    records = read_records(library.stores[0].conn)
    result = find(library, text)
    want = [r.id for r in records if matches(FilterState(search=text), r)]
    if not result.terms:
        want = []
    assert [split_id(h.id)[1] for h in result.hits] == want


def test_hits_carry_highlight_spans_and_a_snippet(library: Library) -> None:
    hits = search(library, "export").hits
    assert hits
    for hit in hits:
        for s, e in hit.spans:
            assert hit.snippet[s:e].lower() == "export"
        for s, e in hit.title_spans:
            assert hit.title[s:e].lower() == "export"
    quote_hit = next(h for h in search(library, "Thursday").hits)
    assert quote_hit.column == "quotes" and "Thursday" in quote_hit.snippet


def test_results_come_in_date_order_and_stop_at_the_limit(library: Library) -> None:
    result = search(library, "e", limit=3)
    assert len(result.hits) == 3 and result.more
    days = [h.start_day for h in result.hits]
    assert days == sorted(days)


def test_a_short_word_whose_characters_occur_nowhere_finds_nothing_at_once(
    library: Library,
) -> None:
    searcher = Searcher(library)
    assert searcher.search("芯").hits == ()
    assert searcher.search("芯片").hits == ()
    index = searcher.short_index(0)
    assert index is not None and index.candidates(["芯"]) == []
    assert index.candidates(["商"]) is not None  # only the events holding 商 are checked


def test_two_letter_words_through_trigrams_and_texts_too_short_for_any(tmp_path: Path) -> None:
    from explorer.domain.filters import EventRecord
    from explorer.storage.records import write_records

    words = ["alpha", "beta", "gamma", "delta", "the rule", "export"]
    recs = [
        EventRecord(
            i,
            "report",
            "reported",
            "US",
            "x",
            "",
            739000 + i,
            739000 + i,
            texts=(" ".join(words[j % 6] for j in range(i, i + 3)), "", "", "", ""),
        )
        for i in range(1, 600)
    ]
    recs.append(
        EventRecord(
            600, "report", "reported", "US", "x", "", 739700, 739700, texts=("EU", "", "", "", "")
        )
    )
    recs.append(
        EventRecord(
            601,
            "report",
            "reported",
            "US",
            "x",
            "",
            739701,
            739701,
            texts=("the eU rule", "", "", "", ""),
        )
    )
    recs.append(
        EventRecord(
            602,
            "report",
            "reported",
            "US",
            "x",
            "",
            739702,
            739702,
            texts=("a *star*", "", "", "", ""),
        )
    )
    path = tmp_path / "s.sqlite"
    write_records(path, recs)
    with EventStore(path) as store:
        lib = Library([store])
        searcher = Searcher(lib)
        index = searcher.short_index(0)
        assert index is not None and index.expansion(["eu"]) is not None
        for text in ["eu", "EU", "*", "ta", "zq", "e", "u r"]:
            want = [r.id for r in recs if matches(FilterState(search=text), r)]
            hits = [split_id(h.id)[1] for h in searcher.search(text, 1000).hits]
            assert hits == want, text
            assert list(searcher.rowid_array(0, search_terms(text))) == want, text
