"""Author-date citations: what a student pastes into a reference list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from explorer.domain.citation import (
    SourceQuality,
    Style,
    best_source,
    cite,
    event_sources,
    government_actors,
    government_domain,
    is_carried,
    is_copy,
    ranked_sources,
    short_reference,
    source_quality,
)
from explorer.domain.dates import Basis, PartialDate
from explorer.domain.model import Actor, ActorKind, Event, Kind, Quote, Source, Status
from explorer.storage.store import EventStore

SCMP = Source(
    key="s",
    title="China restricts exports of military equipment",
    outlet="South China Morning Post",
    language="en",
    published=PartialDate(2024, 6, 3),
    url="https://www.scmp.com/x",
)


def test_apa_news_article_without_author_names_the_outlet_first() -> None:
    assert cite(SCMP) == (
        "South China Morning Post. (2024, June 3). "
        "China restricts exports of military equipment. https://www.scmp.com/x"
    )


def test_apa_with_author_names_the_outlet_as_publisher() -> None:
    s = Source(
        "s", "A title", "Reuters", "en", PartialDate(2024, 5, 30), "https://r", author="Liz Lee"
    )
    assert cite(s) == "Liz Lee. (2024, May 30). A title. Reuters. https://r"


def test_apa_partial_and_missing_dates_are_cited_as_known() -> None:
    month = Source("s", "T", "Hong Kong 01", "zh", PartialDate(2026, 6))
    year = Source("s", "T", "Hong Kong 01", "zh", PartialDate(2026))
    undated = Source("s", "T", "Hong Kong 01", "zh", None)
    assert "(2026, June)" in cite(month)
    assert "(2026)." in cite(year)
    assert "(n.d.)" in cite(undated)


def test_apa_without_url_or_author_or_outlet_stays_honest() -> None:
    s = Source("s", "Untraced memo", "", "en", None)
    assert cite(s) == "Untraced memo. (n.d.)."


def test_translator_is_named_in_both_styles() -> None:
    s = Source(
        "s",
        "商务部公告",
        "Ministry of Commerce",
        "zh",
        PartialDate(2024, 5, 30),
        "https://mofcom.example",
        translator="J. Doe",
    )
    assert "商务部公告 (J. Doe, Trans.)." in cite(s)
    assert "Translated by J. Doe." in cite(s, Style.CHICAGO)


def test_chicago_author_date_puts_the_year_after_the_author() -> None:
    assert cite(SCMP, "chicago") == (
        "South China Morning Post. 2024. “China restricts exports of military equipment.” "
        "June 3, 2024. https://www.scmp.com/x"
    )


def test_title_ending_in_a_question_mark_gets_no_extra_full_stop() -> None:
    s = Source("s", "Who controls chips?", "Outlet", "en", PartialDate(2023))
    assert "Who controls chips? " in cite(s) + " "
    assert "?." not in cite(s)


def test_short_reference() -> None:
    assert short_reference(SCMP) == "(South China Morning Post, 2024)"
    assert short_reference(Source("s", "T", "", "en", None)) == "(T, n.d.)"


# --------------------------------------------------------------------------- the best source
# Built events first (no store), then the curated history (`curated_store`), whose aerospace
# rules cite a personal Blogger page first.

AEROSPACE = "cn-2024-05-30-aerospace-controls-announced"
BLOGGER = "scmp-2024-06-military-export-curbs-en"


def _event(*sources: Source, date_source: Source | None = None, country: str = "CN") -> Event:
    return Event(
        id=1,
        key="e",
        title="Controls",
        summary="",
        kind=Kind.ANNOUNCEMENT,
        status=Status.ANNOUNCED,
        start=PartialDate(2024, 5, 30),
        end=None,
        basis=Basis.STATED,
        date_note="",
        date_source=date_source,
        country=country,
        agency="",
        topic="",
        importance=2,
        countries=((country, "issuer"),),
        quotes=tuple(Quote(f"quote {n}", s) for n, s in enumerate(sources)),
    )


def _src(key: str, outlet: str = "", url: str = "", author: str = "") -> Source:
    return Source(key, f"Title {key}", outlet, "en", PartialDate(2024, 5, 30), url, author=author)


BLOG = _src("blog", "", "https://someone123.blogspot.com/2024/06/copy.html")
LAW = _src("law", "MMLC Group", "https://mmlcgroup.com/x", author="Yu Du")
WIRE = _src("wire", "Reuters", "https://www.reuters.com/world/china/x")
PORTAL = _src("portal", "Reuters", "https://www.dailymail.co.uk/wires/reuters/x")
MOFCOM_SITE = _src("mofcom", "", "http://www.mofcom.gov.cn/article/x.shtml")
FEDREG = _src("fr", "Federal Register", "https://www.federalregister.gov/d/2024-28270")


def test_the_issuing_governments_own_record_comes_first() -> None:
    assert best_source(_event(BLOG, LAW, WIRE, MOFCOM_SITE)) == MOFCOM_SITE
    # another government's record is a record, not the issuer's own
    assert best_source(_event(BLOG, LAW, WIRE, FEDREG)) == WIRE
    assert best_source(_event(LAW, WIRE, FEDREG, country="US")) == FEDREG


def test_then_a_wire_service_then_other_named_sources_and_a_blog_copy_last() -> None:
    assert best_source(_event(BLOG, LAW, WIRE)) == WIRE
    assert best_source(_event(BLOG, LAW)) == LAW
    assert best_source(_event(BLOG)) == BLOG  # the only source is still cited
    assert best_source(_event()) is None
    # an imported event with no quote: its date's source (the list's notice) is cited
    assert best_source(_event(date_source=FEDREG, country="US")) == FEDREG
    assert [s.key for s in ranked_sources(_event(BLOG, LAW, WIRE))] == ["wire", "law", "blog"]


def test_an_outlets_own_site_before_its_story_carried_elsewhere() -> None:
    assert is_carried(PORTAL) and not is_carried(WIRE)
    assert best_source(_event(PORTAL, WIRE)) == WIRE
    # within a tier the source the event's date comes from goes first
    assert best_source(_event(WIRE, PORTAL, date_source=PORTAL)) == PORTAL


def test_a_government_actor_of_the_event_is_a_government_source() -> None:
    bis = Actor("bis", "Bureau of Industry and Security", ActorKind.AGENCY, "US")
    press = _src("press", "Bureau of Industry and Security", "https://example.org/press")
    event = replace(_event(LAW, WIRE, press, country="US"), agencies=((bis, "issuer"),))
    assert government_actors(event)["bureau of industry and security"] == "US"
    assert best_source(event) == press


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.bis.doc.gov/index.php/x", "US"),
        ("https://www.federalregister.gov/d/2024-28270", "US"),
        ("https://bis.gov/press-release/x", "US"),
        ("http://www.mofcom.gov.cn/article/x", "CN"),
        ("http://english.customs.gov.cn/x", "CN"),
        ("https://www.gov.cn/zhengce/x", "CN"),
        ("https://www.meti.go.jp/x", "JP"),
        ("https://www.gov.uk/x", "GB"),
        ("https://eur-lex.europa.eu/x", "EU"),
        ("https://www.govtrack.us/x", None),
        ("https://www.reuters.com/x", None),
        ("not a url", None),
        ("http://[bad", None),
    ],
)
def test_government_domains(url: str, country: str | None) -> None:
    assert government_domain(url) == country


def test_personal_pages_are_copies() -> None:
    assert is_copy(BLOG)
    assert not is_copy(WIRE) and not is_copy(_src("none"))


def test_a_quality_field_when_sources_have_one_decides_the_tier() -> None:
    """A later schema adds `quality` to sources: the ranking takes it before any guess."""

    @dataclass(frozen=True)
    class RatedSource(Source):
        quality: str = ""

    rated_blog = RatedSource(**{**BLOG.__dict__, "quality": "issuer"})
    rated_wire = RatedSource(**{**WIRE.__dict__, "quality": "copy"})
    assert source_quality(rated_blog) is SourceQuality.ISSUER
    assert best_source(_event(rated_wire, LAW, rated_blog)) == rated_blog
    unrated = RatedSource(**{**WIRE.__dict__, "quality": ""})
    assert source_quality(unrated) is SourceQuality.RECORD


def _curated(curated_store: Path) -> dict[str, Event]:
    with EventStore(curated_store) as store:
        return {s.key: store.event(s.id) for s in store.summaries()}


def test_the_aerospace_rules_cite_xinhua_not_the_blogger_page(curated_store: Path) -> None:
    event = _curated(curated_store)[AEROSPACE]
    assert event.quotes[0].source.key == BLOGGER  # what Copy citation used to cite
    best = best_source(event)
    assert best is not None and best.key == "xinhua-2024-05-30-aviation-space-export-controls"
    assert cite(best).startswith(
        "Xinhua News Agency. (2024, May 30). China to impose export controls on certain aviation"
    )
    assert ranked_sources(event)[-1].key == BLOGGER


def test_curated_events_cite_the_issuers_record_and_never_a_copy_beside_others(
    curated_store: Path,
) -> None:
    events = _curated(curated_store)
    picks = {key: best_source(e) for key, e in events.items()}
    # the issuing government's own record: BIS's site, the Federal Register, and MOFCOM's
    # order on a Chinese government site before the US Library of Congress's summary
    assert picks["us-2022-10-07-bis-advanced-computing-rules"].url.startswith("https://bis.gov/")
    assert picks["us-2024-12-02-bis-semiconductor-rules-entity-list"].outlet == "Federal Register"
    unreliable = picks["cn-2020-09-19-unreliable-entity-list-provisions"]
    assert unreliable.key == "shandong-commerce-mofcom-order-2020-4-unreliable-entity-list"
    # the SCMP's own page, not the translation on a Blogger page
    assert picks["hk-2024-zhu-feng-statement"].key == "scmp-2024-q2-military-export-curbs-backfire"
    for key, event in events.items():
        best = picks[key]
        assert best is not None, key
        if len(event_sources(event)) > 1:
            assert not is_copy(best), key
