"""Import dates: each form read explicitly, the ambiguous ones never guessed."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.domain.date_parse import DateForm, DateOrder, parse_date
from explorer.domain.dates import PartialDate, Precision

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

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("text", "order", "iso", "form"),
    [
        ("2021-03-16", DateOrder.UNDECLARED, "2021-03-16", DateForm.ISO),
        ("2021-03-16T00:00:00Z", DateOrder.UNDECLARED, "2021-03-16", DateForm.ISO),
        ("2021/03/16", DateOrder.UNDECLARED, "2021-03-16", DateForm.ISO),
        ("2021-03", DateOrder.UNDECLARED, "2021-03", DateForm.ISO),
        ("02.12.2019", DateOrder.UNDECLARED, "2019-12-02", DateForm.DAY_FIRST),
        ("2.3.2021", DateOrder.UNDECLARED, "2021-03-02", DateForm.DAY_FIRST),
        ("13.07.20", DateOrder.UNDECLARED, "2020-07-13", DateForm.DAY_FIRST_SHORT_YEAR),
        ("6/28/2016", DateOrder.US, "2016-06-28", DateForm.US),
        ("07/05/16", DateOrder.US, "2016-07-05", DateForm.US_SHORT_YEAR),
        ("28/6/2016", DateOrder.DAY_FIRST, "2016-06-28", DateForm.DAY_FIRST),
        ("25 November 2025", DateOrder.UNDECLARED, "2025-11-25", DateForm.DAY_MONTH_NAME),
        ("12-Mar-2021", DateOrder.UNDECLARED, "2021-03-12", DateForm.DAY_MONTH_NAME),
        ("March 12, 2021", DateOrder.UNDECLARED, "2021-03-12", DateForm.MONTH_NAME_DAY),
        ("Sept 2021", DateOrder.UNDECLARED, "2021-09", DateForm.MONTH_NAME),
        ("2022", DateOrder.UNDECLARED, "2022", DateForm.YEAR),
    ],
)
def test_forms(text: str, order: DateOrder, iso: str, form: DateForm) -> None:
    r = parse_date(text, order)
    assert r.ok, r.error
    assert r.chosen is not None and r.chosen.iso() == iso
    assert r.form is form
    assert r.note


def test_year_only_is_year_precision() -> None:
    chosen = parse_date("2022").chosen
    assert chosen is not None and chosen.precision is Precision.YEAR


@pytest.mark.parametrize("text", ["", "   ", "-0-", "-0- ", None])
def test_empty_is_no_date_not_an_error(text: str | None) -> None:
    r = parse_date(text)
    assert r.ok and r.empty and r.chosen is None and r.note == "no date"


@pytest.mark.parametrize(
    ("text", "order", "reason"),
    [
        ("6/28/2016", DateOrder.UNDECLARED, "ambiguous"),
        ("02-12-2019", DateOrder.UNDECLARED, "ambiguous"),
        ("13/1/2020", DateOrder.US, "month 13"),
        ("6/28/2016", DateOrder.DAY_FIRST, "month 28"),
        ("31.02.2020", DateOrder.UNDECLARED, "day is out of range"),
        ("2021-13-01", DateOrder.UNDECLARED, "month 13"),
        ("circa 2019", DateOrder.UNDECLARED, "unrecognised text 'circa'"),
        ("soon", DateOrder.UNDECLARED, "not a date"),
    ],
)
def test_errors_say_why(text: str, order: DateOrder, reason: str) -> None:
    r = parse_date(text, order)
    assert not r.ok and r.chosen is None
    assert reason in (r.error or "")
    assert repr(text) in (r.error or "")


def test_several_dates_run_together() -> None:
    r = parse_date("December 22, 2025Updated:January 7, 2026Updated:March 18, 2026")
    assert r.form is DateForm.SEVERAL
    assert [d.iso() for d in r.dates] == ["2025-12-22", "2026-01-07", "2026-03-18"]
    assert r.chosen == PartialDate(2025, 12, 22)
    assert "earliest" in r.note


def _formats(d: date) -> dict[str, tuple[str, DateOrder]]:
    month = MONTHS[d.month - 1]
    return {
        "iso": (d.isoformat(), DateOrder.UNDECLARED),
        "dots": (f"{d.day:02d}.{d.month:02d}.{d.year}", DateOrder.UNDECLARED),
        "dots unpadded": (f"{d.day}.{d.month}.{d.year}", DateOrder.UNDECLARED),
        "us": (f"{d.month}/{d.day}/{d.year}", DateOrder.US),
        "day-first slashes": (f"{d.day}/{d.month}/{d.year}", DateOrder.DAY_FIRST),
        "day month": (f"{d.day} {month} {d.year}", DateOrder.UNDECLARED),
        "month day": (f"{month} {d.day}, {d.year}", DateOrder.UNDECLARED),
        "short month": (f"{d.day} {month[:3]} {d.year}", DateOrder.UNDECLARED),
    }


@given(days, st.sampled_from(list(_formats(date(2000, 1, 1)))))
def test_every_form_reads_back_the_day_it_was_written_from(d: date, form: str) -> None:
    text, order = _formats(d)[form]
    r = parse_date(text, order)
    assert r.ok, r.error
    assert r.chosen == PartialDate(d.year, d.month, d.day)


@given(days)
def test_slash_dates_are_never_read_without_a_declared_order(d: date) -> None:
    r = parse_date(f"{d.month}/{d.day}/{d.year}")
    assert not r.ok and "ambiguous" in (r.error or "")


@given(days)
def test_a_declared_order_is_never_swapped(d: date) -> None:
    # Written US-style and read day-first: either the impossible month is an error, or the
    # result is the literal day-first reading, never the US date it was "meant" to be.
    r = parse_date(f"{d.month}/{d.day}/{d.year}", DateOrder.DAY_FIRST)
    if d.day > 12:
        assert not r.ok
    else:
        assert r.chosen == PartialDate(d.year, d.day, d.month)


@given(st.integers(min_value=0, max_value=99), st.integers(1, 12), st.integers(1, 28))
def test_two_digit_years_pivot_at_69(yy: int, month: int, day: int) -> None:
    r = parse_date(f"{day:02d}.{month:02d}.{yy:02d}")
    expected = 2000 + yy if yy <= 68 else 1900 + yy
    assert r.chosen == PartialDate(expected, month, day)
    assert r.form is DateForm.DAY_FIRST_SHORT_YEAR
    assert f"-> {expected}" in r.note


@given(
    st.lists(days, min_size=2, max_size=5),
    st.sampled_from(["; ", ", ", "Updated:", " and ", " | ", "\n"]),
    st.sampled_from(["iso", "dots", "day month", "month day"]),
)
def test_several_dates_give_all_and_the_earliest(ds: list[date], sep: str, form: str) -> None:
    text = sep.join(_formats(d)[form][0] for d in ds)
    r = parse_date(text)
    assert r.ok, r.error
    assert r.form is DateForm.SEVERAL
    assert list(r.dates) == [PartialDate(d.year, d.month, d.day) for d in ds]
    earliest = min(ds)
    assert r.chosen == PartialDate(earliest.year, earliest.month, earliest.day)


@given(st.text(max_size=60))
def test_any_text_gives_a_result_never_an_exception(text: str) -> None:
    r = parse_date(text, DateOrder.US)
    if r.ok:
        assert r.empty or r.dates
    else:
        assert r.error and not r.dates
