"""The detail pane's HTML, without a QApplication: what a student reads about an event."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

from explorer.domain.dates import Basis, PartialDate
from explorer.domain.model import (
    Actor,
    ActorKind,
    Alias,
    Event,
    EventRef,
    Item,
    Kind,
    Provenance,
    Quote,
    Relation,
    RelationKind,
    Source,
    Status,
)
from explorer.qt.detail_html import (
    LONG_NAME,
    LONG_TEXT,
    MAX_ROWS,
    PROPOSAL_BADGE,
    event_document,
    event_html,
    is_proposal,
    key_from_href,
    more_index,
    quote_at,
)
from explorer.storage.store import EventStore

COUNTRIES = {"CN": "China", "US": "United States"}


def text_of(fragment: str) -> str:
    """The visible text of an HTML fragment, roughly as QTextBrowser shows it."""
    blocks = re.sub(r"<(?:br|/?p|/?li|/?h\d|/?td|/?tr|/?ul|/?blockquote)\b[^>]*>", " ", fragment)
    inline = re.sub(r"<[^>]+>", "", blocks)
    return re.sub(r"\s+", " ", html.unescape(inline).replace("\xa0", " "))


def make_event(**changes: object) -> Event:
    source = Source(
        key="s",
        title="China restricts exports <of> military & equipment",
        outlet="South China Morning Post",
        language="en",
        published=PartialDate(2024, 6, 3),
        url="https://example.org/a?b=1&c=2",
        translator="T. Ranslator",
    )
    speaker = Actor(
        key="fan",
        name="Li Example",
        kind=ActorKind.PERSON,
        role="researcher at an example institute",
        aliases=(Alias("李示例", "zh"), Alias("リー・イグザンプル", "ja")),
    )
    base = dict(
        id=5,
        key="e",
        title="Title with <script>alert(1)</script>",
        summary="A summary & more",
        kind=Kind.ANNOUNCEMENT,
        status=Status.ANNOUNCED,
        start=PartialDate(2023, 7),
        end=None,
        basis=Basis.INFERRED,
        date_note="'last July' in an article of June 2024",
        date_source=None,
        country="CN",
        agency="mofcom",
        topic="drones",
        importance=2,
        countries=(("US", "target"), ("CN", "issuer")),
        agencies=(
            (
                Actor(
                    "mofcom",
                    "Ministry of Commerce",
                    ActorKind.MINISTRY,
                    "CN",
                    "",
                    (Alias("商务部", "zh"),),
                ),
                "issuer",
            ),
        ),
        items=(Item("q", "satellite quantum secure communication", "CAS draft list", 1),),
        quotes=(Quote("the controls are “two-way”", source, speaker),),
        relations=(
            Relation(
                RelationKind.TAKES_EFFECT,
                EventRef("later-key", "Rules take effect", PartialDate(2023, 9, 1)),
                incoming=True,
            ),
        ),
    )
    base.update(changes)
    return Event(**base)  # type: ignore[arg-type]


def test_module_does_not_import_qt() -> None:
    # the renderer is shared with non-Qt exports; importing it must not pull PySide6 in
    assert "explorer.qt.detail_html" in sys.modules
    source = Path(sys.modules["explorer.qt.detail_html"].__file__ or "").read_text()
    assert "PySide6" not in source


def test_every_text_is_escaped() -> None:
    out = event_html(make_event(), COUNTRIES)
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;of&gt; military &amp; equipment" in out
    assert 'href="https://example.org/a?b=1&amp;c=2"' in out


def test_date_as_precision_allows_and_how_it_is_known() -> None:
    text = text_of(event_html(make_event(), COUNTRIES))
    assert "July 2023" in text
    assert "known only to the month" in text
    assert "Inferred" in text and "'last July' in an article of June 2024" in text
    day = text_of(event_html(make_event(start=PartialDate(2024, 5, 30)), COUNTRIES))
    assert "30 May 2024" in day and "known to the day" in day
    span = text_of(
        event_html(make_event(start=PartialDate(2024, 7, 1), end=PartialDate(2024, 12, 31)), {})
    )
    assert "1 July 2024 – 31 December 2024" in span


def test_external_basis_cites_the_date_source_with_link() -> None:
    src = Source(
        "r", "Wire report", "Reuters", "en", PartialDate(2024, 5, 30), "https://r.example/x"
    )
    out = event_html(make_event(basis=Basis.EXTERNAL, date_source=src), COUNTRIES)
    assert "From another public record" in text_of(out)
    assert "Date source: Reuters, “Wire report”, 30 May 2024" in text_of(out)
    assert '<a href="https://r.example/x">' in out


def test_proposal_is_visibly_a_proposal_and_a_rule_is_not() -> None:
    proposal = make_event(kind=Kind.PROPOSAL, status=Status.PROPOSED)
    assert is_proposal(proposal)
    assert PROPOSAL_BADGE in text_of(event_html(proposal, COUNTRIES))
    rule = make_event(kind=Kind.RULE_IN_FORCE, status=Status.IN_FORCE)
    out = text_of(event_html(rule, COUNTRIES))
    assert "PROPOSAL" not in out
    assert "Rule in force" in out and "In force" in out


def test_countries_with_names_and_roles_issuer_first() -> None:
    text = text_of(event_html(make_event(), COUNTRIES))
    assert text.index("China (CN) — issuer") < text.index("United States (US) — target")


def test_agencies_items_and_cjk_aliases() -> None:
    text = text_of(event_html(make_event(), COUNTRIES))
    assert "Agencies Ministry of Commerce (商务部) — issuer" in text
    assert "CAS draft list Tier 1 satellite quantum secure communication" in text


def test_people_and_outlets_are_not_listed_as_agencies() -> None:
    ministry = make_event().agencies[0]
    author = Actor("fan", "Li Example", ActorKind.PERSON, "CN", "researcher", (Alias("李示例"),))
    journal = Actor("bcas", "Bulletin of the CAS", ActorKind.JOURNAL, "CN")
    pla = Actor("pla", "People's Liberation Army", ActorKind.MILITARY, "CN")
    event = make_event(agencies=(ministry, (author, "author"), (journal, "publisher"), (pla, "x")))
    text = text_of(event_html(event, COUNTRIES))
    agencies = text[text.index("Agencies ") : text.index("People and organisations")]
    assert "Ministry of Commerce" in agencies and "People's Liberation Army — x" in agencies
    assert "Li Example" not in agencies and "Bulletin" not in agencies
    assert (
        "People and organisations Li Example (李示例), researcher — author "
        "Bulletin of the CAS — publisher"
    ) in text
    only_people = text_of(event_html(make_event(agencies=((author, "author"),)), COUNTRIES))
    assert "Agencies" not in only_people and "People and organisations" in only_people


def test_related_events_are_event_links_with_direction() -> None:
    out = event_html(make_event(), COUNTRIES)
    assert '<a href="event:later-key">Rules take effect</a>' in out
    assert "Takes effect in:" in text_of(out)
    assert key_from_href("event:later-key") == "later-key"
    assert key_from_href("https://example.org") is None
    assert key_from_href("event:") is None


def test_quote_has_speaker_role_outlet_date_link() -> None:
    out = event_html(make_event(), COUNTRIES)
    text = text_of(out)
    assert "“the controls are “two-way””" in text
    assert "Li Example (李示例, リー・イグザンプル), researcher at an example institute" in text
    assert "South China Morning Post" in text
    assert "3 June 2024" in text
    assert "translated by T. Ranslator" in text
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in out


def test_quote_without_speaker_is_the_articles_own_voice() -> None:
    event = make_event()
    q = Quote("plain words", event.quotes[0].source, None)
    text = text_of(event_html(make_event(quotes=(q,)), COUNTRIES))
    assert "— the article itself" in text


def test_non_web_links_are_not_clickable() -> None:
    src = Source("s", "T", "O", "en", None, "javascript:alert(1)")
    out = event_html(make_event(quotes=(Quote("x", src, None),)), COUNTRIES)
    assert 'href="javascript' not in out


def test_provenance_of_an_imported_event() -> None:
    p = Provenance("sdn.csv", "ab" * 32, "ofac-sdn", "2026-11-25T10:00:00", 42)
    text = text_of(event_html(make_event(provenance=p), COUNTRIES))
    assert "Imported from sdn.csv, line 42 by ofac-sdn on 2026-11-25T10:00:00" in text


def test_highlight_marks_terms_outside_tags_and_entities() -> None:
    out = event_html(make_event(), COUNTRIES, highlight=["commerce", "amp;", "href", "a"])
    assert '<span style="background-color:#ffe58a">Commerce</span>' in out
    # neither the `&amp;` entities nor the tags and their attributes were touched
    assert "b=1&amp;c=2" in out and '<a href="' in out
    assert "&<span" not in out and '"a">' not in out


@pytest.mark.parametrize(
    "key, expected",
    [
        ("cn-2024-05-30-aerospace-controls-announced", ["30 May 2024", "Reuters", "Zhu Chao"]),
        ("cn-2026-03-cas-draft-63-item-list", [PROPOSAL_BADGE, "March 2026"]),
    ],
)
def test_real_events_from_the_fixture_store(
    mini_store: Path, key: str, expected: list[str]
) -> None:
    with EventStore(mini_store) as store:
        event_id = store.id_for_key(key)
        assert event_id is not None
        text = text_of(event_html(store.event(event_id), store.countries()))
    for part in expected:
        assert part in text


def test_items_grouped_by_list_then_tier() -> None:
    items = (
        Item("a", "alpha", "63-item list", 1),
        Item("b", "beta", "63-item list", 2),
        Item("c", "gamma", "63-item list", None, "tier not given in the article"),
        Item("d", "delta", "", None),
    )
    text = text_of(event_html(make_event(items=items), COUNTRIES))
    assert (
        "63-item list Tier 1 alpha Tier 2 beta tier not given in the article gamma delta"
    ) in text


def test_an_untiered_item_shows_what_its_note_says_about_its_tier() -> None:
    note = "The article says these were 'selected as second and third-tier technologies'"
    items = (
        Item("a", "alpha", "63-item list", 1),
        Item("g", "graphdiyne materials", "63-item list", None, note),
        Item("s", "space robots", "63-item list", None, note),
        Item("r", "rare earths", "63-item list", None),
    )
    text = text_of(event_html(make_event(items=items), COUNTRIES))
    assert (
        f"Tier 1 alpha {note} graphdiyne materials space robots Tier not stated rare earths"
    ) in text
    assert text.count(note) == 1  # once, as the heading of both, not after each


# ---------------------------------------------------------------------- long texts and lists


def test_a_name_of_300000_characters_is_cut_with_a_link_to_the_whole() -> None:
    # an imported list can name one entity in hundreds of thousands of characters; laid out
    # whole, one such name held the window for ten seconds
    name = "X" * 300_000
    doc = event_document(make_event(items=(Item("x", name, "SDN list"),)), COUNTRIES)
    assert len(doc.html) < 5_000
    assert ("Item", name) in doc.whole
    i = doc.whole.index(("Item", name))
    assert f'<a href="more:{i}">show all 300,000 characters</a>' in doc.html
    assert "X" * LONG_NAME + "…" in text_of(doc.html)
    assert "X" * (LONG_NAME + 1) not in doc.html
    assert more_index(f"more:{i}") == i and more_index("event:more:1") is None
    assert more_index("more:") is None and key_from_href(f"more:{i}") is None


def test_long_texts_are_cut_at_a_word_near_the_limit_and_short_ones_are_whole() -> None:
    summary = "word " * 1_000  # 5,000 characters
    quote = "q" * LONG_TEXT  # exactly at the limit: whole
    event = make_event(summary=summary, quotes=(Quote(quote, make_event().quotes[0].source),))
    doc = event_document(event, COUNTRIES)
    assert doc.whole == [("Summary", summary)]
    shown = text_of(doc.html)
    assert "word word… show all 5,000 characters" in shown
    assert quote in shown
    # every text of an event is cut: title, aliases, roles, notes, sources, provenance
    long = "L" * 10_000
    event = make_event(
        title=long,
        date_note=long,
        topic=long,
        agencies=((Actor("a", long, ActorKind.AGENCY, "CN", long, (Alias(long),)), long),),
        provenance=Provenance(long, "sha", long, long, 3),
    )
    doc = event_document(event, COUNTRIES)
    assert len(doc.html) < 20_000
    assert "L" * (LONG_TEXT + 1) not in doc.html
    assert all(text == long for _what, text in doc.whole)
    assert len(doc.whole) == 8


def test_a_list_of_17000_items_shows_the_first_rows_and_a_link_to_all() -> None:
    items = tuple(Item(f"k{i}", f"Entity {i}", "SDN list", note=f"n{i}") for i in range(17_000))
    doc = event_document(make_event(items=items), COUNTRIES)
    assert len(doc.html) < 20_000
    text = text_of(doc.html)
    assert f"Entity {MAX_ROWS - 1} — n{MAX_ROWS - 1}" in text and f"Entity {MAX_ROWS} " not in text
    assert f"… {17_000 - MAX_ROWS:,} more: show all 17,000 items" in text
    what, whole = doc.whole[-1]
    assert what == "Items" and whole.splitlines() == [f"Entity {i} — n{i}" for i in range(17_000)]


def test_long_lists_of_relations_countries_actors_and_quotes_are_cut() -> None:
    base = make_event()
    n = MAX_ROWS + 5
    event = make_event(
        relations=base.relations * n,
        countries=(("CN", "issuer"),) * n,
        agencies=base.agencies * n,
        quotes=base.quotes * n,
    )
    doc = event_document(event, COUNTRIES)
    assert [what for what, _ in doc.whole] == [
        "Countries",
        "Agencies",
        "Related events",
        "Quotes",
    ]
    assert all(len(whole.splitlines()) == n for _, whole in doc.whole)
    assert doc.html.count('<p class="quote">') == MAX_ROWS


def test_the_citation_finds_a_long_quote_by_what_the_pane_shows() -> None:
    source = make_event().quotes[0].source
    first, second = Quote("short one", source), Quote("Y" * 50_000, source)
    event = make_event(quotes=(first, second))
    text = text_of(event_html(event, COUNTRIES))
    assert quote_at(event, text, text.index("YYYY") + 10) is second
    assert quote_at(event, text, text.index("short one")) is first
