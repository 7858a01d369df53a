"""Author-date citations: what a student pastes into a reference list."""

from __future__ import annotations

from explorer.domain.citation import Style, cite, short_reference
from explorer.domain.dates import PartialDate
from explorer.domain.model import Source

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
