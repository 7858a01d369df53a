"""Relative dates of the seed articles, resolved against the publication date (DESIGN.md §4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.domain.dates import Basis, PartialDate, Precision
from explorer.domain.relative_dates import (
    AmbiguousDateError,
    RelativeDateError,
    UnknownPhraseError,
    resolve,
)

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

P = PartialDate.parse


@pytest.mark.parametrize(
    ("phrase", "published", "start", "end"),
    [
        # the SCMP translation: announced on Thursday 30 May 2024, published the week after
        ("last Thursday", date(2024, 6, 3), "2024-05-30", None),
        ("from July 1", date(2024, 6, 3), "2024-07-01", None),
        ("from July 1", P("2024-06"), "2024-07-01", None),  # every June day gives 1 July
        ("Last July", P("2024-06"), "2023-07", None),
        ("since last year", P("2024"), "2023", "2024"),
        ("in the first four months of this year", P("2024-06"), "2024-01", "2024-04"),
        # the Hong Kong 01 report
        ("in March this year", P("2026-06"), "2026-03", None),
        ("On the 2nd", date(2026, 6, 3), "2026-06-02", None),
        ("On the 2nd", date(2026, 6, 2), "2026-06-02", None),
    ],
)
def test_the_seed_articles_phrases(
    phrase: str, published: PartialDate | date, start: str, end: str | None
) -> None:
    got = resolve(phrase, published)
    assert got.date.iso() == start
    assert (got.end.iso() if got.end else None) == end
    assert got.basis is Basis.INFERRED
    assert phrase in got.note


def test_a_vague_publication_date_gives_a_vague_answer() -> None:
    # Published some day in June 2024: "last Thursday" is one of late May or June's Thursdays.
    got = resolve("last Thursday", P("2024-06"))
    assert got.precision is Precision.QUARTER and got.date.iso() == "2024-Q2"
    # "On the 2nd" in June: 2 June, or 2 May when published on the 1st.
    assert resolve("on the 2nd", P("2026-06")).date.iso() == "2026-Q2"


def test_a_phrase_the_publication_date_cannot_resolve_is_refused() -> None:
    # Published some day in 2024: the next July 1 is in 2024 or 2025.
    with pytest.raises(RelativeDateError, match="too vague"):
        resolve("from July 1", P("2024"))


def test_last_month_name_before_the_publication_month_is_ambiguous() -> None:
    with pytest.raises(AmbiguousDateError, match="2024 or 2023"):
        resolve("last July", date(2024, 12, 1))


@pytest.mark.parametrize("phrase", ["next week", "recently", "last Thursday week", "", "July"])
def test_unknown_phrases_are_refused_not_guessed(phrase: str) -> None:
    with pytest.raises(UnknownPhraseError, match="no rule"):
        resolve(phrase, date(2024, 6, 3))


@given(days, st.sampled_from(WEEKDAYS))
def test_last_weekday_is_that_weekday_within_the_week_before(d: date, weekday: str) -> None:
    got = resolve(f"last {weekday}", d).date
    day = got.first_day()
    assert got.precision is Precision.DAY
    assert day.weekday() == WEEKDAYS.index(weekday)
    assert d - timedelta(days=7) <= day < d


@given(days, st.integers(1, 12))
def test_last_month_name_is_last_years_when_the_month_is_not_yet_over(d: date, month: int) -> None:
    phrase = f"last {MONTHS[month - 1]}"
    if month < d.month:
        with pytest.raises(AmbiguousDateError):
            resolve(phrase, d)
        return
    got = resolve(phrase, d).date
    assert (got.year, got.month, got.precision) == (d.year - 1, month, Precision.MONTH)


@given(days, st.integers(1, 12), st.integers(1, 28))
def test_from_month_day_is_the_next_such_day_on_or_after(d: date, month: int, day: int) -> None:
    got = resolve(f"from {MONTHS[month - 1]} {day}", d).date.first_day()
    assert (got.month, got.day) == (month, day)
    assert d <= got < d + timedelta(days=366)


@given(days, st.integers(1, 12))
def test_first_months_of_this_year_span_january_to_month_n(d: date, n: int) -> None:
    got = resolve(f"in the first {n} months of this year", d)
    assert got.date == PartialDate(d.year, 1)
    assert got.end == (PartialDate(d.year, n) if n > 1 else None)


@given(days, st.integers(1, 31))
def test_on_the_nth_is_the_latest_such_day_not_after_publication(d: date, n: int) -> None:
    got = resolve(f"on the {n}th", d).date.first_day()
    assert got.day == n and got <= d
    assert d - got < timedelta(days=62)  # this month or, at worst, two months back


@given(
    days,
    st.sampled_from(list(Precision)),
    st.sampled_from(
        [
            "last Thursday",
            "on the 2nd",
            "last December",
            "since last year",
            "from March 3",
            "in March this year",
        ]
    ),
)
def test_the_answer_holds_every_day_the_publication_date_may_be(
    d: date, precision: Precision, phrase: str
) -> None:
    published = PartialDate.of(d, precision)
    try:
        coarse = resolve(phrase, published)
    except RelativeDateError:
        return  # refusing is allowed; answering wrongly is not
    exact = resolve(phrase, d)
    assert coarse.date.first_day() <= exact.date.first_day() <= coarse.date.last_day()
    # never finer than the words allow
    assert list(Precision).index(coarse.precision) >= list(Precision).index(exact.precision)
