"""PartialDate: parsing, the span of days each precision stands for, display, round trips."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.domain.dates import (
    DateError,
    PartialDate,
    Precision,
    day_number,
    display_span,
    from_day_number,
)

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
precisions = st.sampled_from(list(Precision))


@given(days, precisions)
def test_iso_text_parses_back_to_the_same_date(d: date, precision: Precision) -> None:
    p = PartialDate.of(d, precision)
    assert PartialDate.parse(p.iso()) == p
    assert p.precision is precision


@given(days, precisions)
def test_a_partial_date_spans_the_day_it_was_made_from(d: date, precision: Precision) -> None:
    p = PartialDate.of(d, precision)
    assert p.first_day() <= d <= p.last_day()
    # the span is exactly one unit of the precision: the next day starts another date
    assert PartialDate.of(p.last_day() + (date(2000, 1, 2) - date(2000, 1, 1)), precision) != p


@given(days)
def test_day_numbers_round_trip(d: date) -> None:
    assert from_day_number(day_number(d)) == d


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2023", Precision.YEAR, date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-07", Precision.MONTH, date(2023, 7, 1), date(2023, 7, 31)),
        ("2024-02", Precision.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-Q3", Precision.QUARTER, date(2023, 7, 1), date(2023, 9, 30)),
        ("2024-05-30", Precision.DAY, date(2024, 5, 30), date(2024, 5, 30)),
    ],
)
def test_each_form_has_its_precision_and_span(
    text: str, precision: Precision, first: date, last: date
) -> None:
    p = PartialDate.parse(text)
    assert (p.precision, p.first_day(), p.last_day()) == (precision, first, last)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2024-05-30", "30 May 2024"),
        ("2023-07", "July 2023"),
        ("2026-03", "March 2026"),
        ("2023-Q3", "Q3 2023"),
        ("2026", "2026"),
    ],
)
def test_display_says_only_what_the_precision_allows(text: str, shown: str) -> None:
    assert PartialDate.parse(text).display() == shown


@pytest.mark.parametrize(
    "text",
    ["", "23", "2023-7", "2023-13", "2023-02-30", "2023-Q5", "2023-07-31T00:00", "July 2023"],
)
def test_text_that_is_not_a_partial_iso_date_is_refused(text: str) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(text)


@given(st.text(max_size=12))
def test_parse_either_succeeds_consistently_or_raises_date_error(text: str) -> None:
    try:
        p = PartialDate.parse(text)
    except DateError:
        return
    assert p.iso() == text.strip()


def test_a_span_is_written_with_both_ends() -> None:
    start, end = PartialDate.parse("2024-07-01"), PartialDate.parse("2024-12")
    assert display_span(start, end) == "1 July 2024 – December 2024"
    assert display_span(start, None) == "1 July 2024"


def test_only_ascii_digits_make_a_date() -> None:
    with pytest.raises(DateError):
        PartialDate.parse("٢٠٢٣")  # Arabic-Indic digits: \d alone would accept them
