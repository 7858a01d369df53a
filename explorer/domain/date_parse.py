"""Dates as imported files write them, parsed explicitly: every form is named, none is guessed.

Official lists write dates in many ways: ISO `2021-03-16`, day-first `02.12.2019` and `2.3.2021`,
two-digit years `13.07.20`, US `6/28/2016`, `25 November 2025`, `March 12, 2021`, a year alone,
several dates run together in one cell (`December 22, 2025Updated:January 7, 2026`), or nothing.
`parse_date` says which form it read and what it made of it, or why it could not.

Rules (they are reported to the user with every import):
- Dots are always day-first (`D.M.YYYY`): no list writes month-first dates with dots.
- Slashes and dashes between numbers (`6/28/2016`, `02-12-2019`) are ambiguous; they are read
  only when the column's order is declared (`DateOrder.US` for M/D/Y or `DateOrder.DAY_FIRST`
  for D/M/Y), and a value that is impossible in the declared order is an error, never swapped.
  Year-first slashes (`2021/03/16`) are unambiguous and always read.
- Two-digit years pivot as POSIX `strptime %y` does: 00-68 are 2000-2068, 69-99 are 1969-1999
  (`TWO_DIGIT_YEAR_RULE`).
- A cell holding several dates gives all of them; the listing date is the earliest
  (`LISTING_DATE_RULE`): lists add "Updated:" dates after the first inclusion.
- An empty cell (or OFAC's `-0-` null) is "no date", which is not an error: the caller decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cached_property

from explorer.domain.dates import PartialDate

TWO_DIGIT_YEAR_RULE = "two-digit years: 00-68 -> 2000-2068, 69-99 -> 1969-1999 (POSIX %y)"
LISTING_DATE_RULE = "several dates in one cell: the earliest is the listing date"

_PIVOT = 69
_MIN_YEAR, _MAX_YEAR = 1000, 2999
_NULLS = {"", "-0-", "n/a", "na", "none", "null", "-"}


class DateOrder(str, Enum):
    """How a column writes numeric dates separated by slashes or dashes."""

    UNDECLARED = "undeclared"  # such dates are refused with a reason
    DAY_FIRST = "day-first"  # D/M/Y
    US = "us"  # M/D/Y


class DateForm(str, Enum):
    """The form a date was read in."""

    EMPTY = "empty"
    ISO = "iso"  # 2021-03-16, 2021-03, 2021/03/16
    YEAR = "year"  # 2022
    DAY_FIRST = "day-first"  # 02.12.2019, 2.3.2021, 28/6/2016 (declared)
    DAY_FIRST_SHORT_YEAR = "day-first, two-digit year"  # 13.07.20
    US = "us"  # 6/28/2016 (declared)
    US_SHORT_YEAR = "us, two-digit year"  # 07/05/16 (declared)
    DAY_MONTH_NAME = "day month-name year"  # 25 November 2025, 12-Mar-2021
    MONTH_NAME_DAY = "month-name day, year"  # March 12, 2021
    MONTH_NAME = "month-name year"  # November 2025
    SEVERAL = "several dates"


_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mname>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# A time after an ISO date (`2021-03-16T00:00:00Z`) is allowed and ignored.
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

# Each pattern matches one date. Order matters for the scanner: longer forms first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(p, re.IGNORECASE))
    for name, p in (
        (
            "iso",
            r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME,
        ),
        ("iso_slash", r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})"),
        ("dots", r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>\d{4}|\d{2})(?!\d)"),
        ("numeric", r"(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)"),
        ("day_month", _DAY + r"(?:\s+|-)" + _MONTH + r"(?:,?\s+|-)(?P<y>\d{4})"),
        ("month_day", _MONTH + r"\s+" + _DAY + r",?\s+(?P<y>\d{4})"),
        ("month_year", _MONTH + r",?\s+(?P<y>\d{4})"),
        ("iso_month", r"(?P<y>\d{4})-(?P<m>\d{2})(?![\d-])"),
        ("year", r"(?P<y>\d{4})"),
    )
)
# What may stand between the dates of one cell: separators and the labels lists put there.
_GAP = re.compile(
    r"^[\s,;|&/+:()\[\]-]*(?:(?:and|or|updated|amended|revised|also|as of|effective|listed|"
    r"added|modified|last)[\s,;|&/+:()\[\]-]*)*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateParse:
    """What a date cell holds.

    Attributes:
        text: The cell as given.
        dates: Every date found, in the order written.
        form: The form they were read in (SEVERAL when a cell holds more than one).
        note: How the text was read, in words ("13.07.20 read day-first as 13 July 2020").
        error: Why the text could not be read; None when it was.
    """

    text: str
    dates: tuple[PartialDate, ...] = ()
    form: DateForm | None = None
    note: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def empty(self) -> bool:
        """True for a cell with no date at all (not an error)."""
        return self.form is DateForm.EMPTY

    @cached_property
    def chosen(self) -> PartialDate | None:
        """The listing date: the earliest date of the cell (LISTING_DATE_RULE)."""
        if not self.dates:
            return None
        return min(self.dates, key=lambda d: (d.first_day(), d.last_day()))


def _year(text: str) -> tuple[int, bool]:
    """The year of a 2- or 4-digit text, and whether it was pivoted."""
    n = int(text)
    if len(text) == 2:
        return (2000 + n if n < _PIVOT else 1900 + n), True
    return n, False


def _make(y: int, m: int | None = None, d: int | None = None) -> PartialDate:
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise ValueError(f"year {y} is out of range")
    if m is not None and not 1 <= m <= 12:
        raise ValueError(f"month {m} is not 1-12")
    if d is not None and m is not None:
        # date() names the problem: "day is out of range for month"
        date(y, m, d)
    return PartialDate(y, m, d)


def _one(name: str, m: re.Match[str], order: DateOrder) -> tuple[PartialDate, DateForm, str]:
    """One matched date -> (date, form, note). Raises ValueError naming the text and reason."""
    try:
        return _read(name, m, order)
    except ValueError as exc:
        text = m.group(0)
        reason = str(exc)
        if repr(text) in reason:
            raise
        raise ValueError(f"{text!r} is not a real date: {reason}") from None


def _read(name: str, m: re.Match[str], order: DateOrder) -> tuple[PartialDate, DateForm, str]:
    g = m.groupdict()
    text = m.group(0)
    if name in ("iso", "iso_slash"):
        return _make(int(g["y"]), int(g["m"]), int(g["d"])), DateForm.ISO, ""
    if name == "iso_month":
        return _make(int(g["y"]), int(g["m"])), DateForm.ISO, ""
    if name == "year":
        return _make(int(g["y"])), DateForm.YEAR, ""
    if name in ("day_month", "month_day", "month_year"):
        month = _MONTHS[g["mname"].lower()]
        day = int(g["day"]) if g.get("day") else None
        form = {
            "day_month": DateForm.DAY_MONTH_NAME,
            "month_day": DateForm.MONTH_NAME_DAY,
            "month_year": DateForm.MONTH_NAME,
        }[name]
        return _make(int(g["y"]), month, day), form, ""
    year, pivoted = _year(g["y"])
    a, b = int(g["a"]), int(g["b"])
    if name == "dots":
        day, month = a, b
        form = DateForm.DAY_FIRST_SHORT_YEAR if pivoted else DateForm.DAY_FIRST
        how = "day-first (dots)"
    else:
        if order is DateOrder.UNDECLARED:
            raise ValueError(
                f"{text!r} is ambiguous (day-first or US month-first?); declare the column's "
                "order (--date-order us or day-first)"
            )
        if order is DateOrder.US:
            month, day = a, b
            form = DateForm.US_SHORT_YEAR if pivoted else DateForm.US
            how = "US month-first (declared)"
        else:
            day, month = a, b
            form = DateForm.DAY_FIRST_SHORT_YEAR if pivoted else DateForm.DAY_FIRST
            how = "day-first (declared)"
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} is not 1-12 when read {how}")
    try:
        result = _make(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} read {how}: {exc}") from None
    note = f"{text} read {how} as {result.display()}"
    if pivoted:
        note += f" (two-digit year {g['y']} -> {year})"
    return result, form, note


def _scan(text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every date in the text, left to right, without overlaps (longest form at each place)."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    pos = 0
    while pos < len(text):
        best: tuple[int, int, str, re.Match[str]] | None = None
        for name, pattern in _PATTERNS:
            m = pattern.search(text, pos)
            while m is not None and not _bounded(text, m):
                m = pattern.search(text, m.start() + 1)
            if m is None:
                continue
            if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end(), name, m)
        if best is None:
            break
        found.append(best)
        pos = best[1]
    return found


def _bounded(text: str, m: re.Match[str]) -> bool:
    """A date does not start or end inside a word or a number.

    Dates run together ("...2025Updated:January 7, 2026", "2025March 1") are allowed: a digit
    may touch a letter, but never another digit, and a letter never another letter.
    """
    first, last = m.group(0)[0], m.group(0)[-1]
    if m.start() > 0:
        before = text[m.start() - 1]
        if (before.isdigit() and first.isdigit()) or (before.isalpha() and first.isalpha()):
            return False
    if m.end() < len(text):
        after = text[m.end()]
        if (after.isdigit() and last.isdigit()) or (after.isalpha() and last.isalpha()):
            return False
    return True


def parse_date(text: str | None, order: DateOrder = DateOrder.UNDECLARED) -> DateParse:
    """Parse one date cell.

    Args:
        text: The cell as written in the file.
        order: How the column writes slash or dash dates; UNDECLARED refuses them.

    Returns:
        A DateParse: the dates found with the form and a note, or an error reason.
    """
    raw = "" if text is None else text
    cell = raw.strip()
    if cell.casefold() in _NULLS:
        return DateParse(raw, (), DateForm.EMPTY, "no date")
    # The whole cell as one date, the usual case.
    for name, pattern in _PATTERNS:
        m = pattern.fullmatch(cell)
        if m is None:
            continue
        try:
            value, form, note = _one(name, m, order)
        except ValueError as exc:
            return DateParse(raw, error=str(exc))
        return DateParse(
            raw, (value,), form, note or f"{cell} read as {form.value}: {value.display()}"
        )
    return _several(raw, cell, order)


def _several(raw: str, cell: str, order: DateOrder) -> DateParse:
    found = _scan(cell)
    if not found:
        return DateParse(raw, error=f"{cell!r} is not a date in any known form")
    pos = 0
    for start, _end, _name, _m in found:
        gap = cell[pos:start]
        if not _GAP.match(gap):
            return DateParse(raw, error=f"{cell!r}: unrecognised text {gap.strip()!r}")
        pos = _end
    tail = cell[pos:]
    if not _GAP.match(tail):
        return DateParse(raw, error=f"{cell!r}: unrecognised text {tail.strip()!r}")
    if len(found) == 1:
        # one date with a label around it ("Updated: 2021-03-16")
        _s, _e, name, m = found[0]
        try:
            value, form, note = _one(name, m, order)
        except ValueError as exc:
            return DateParse(raw, error=str(exc))
        return DateParse(
            raw, (value,), form, note or f"{m.group(0)} read as {form.value}: {value.display()}"
        )
    values: list[PartialDate] = []
    forms: list[str] = []
    for _s, _e, name, m in found:
        try:
            value, form, _note = _one(name, m, order)
        except ValueError as exc:
            return DateParse(raw, error=str(exc))
        values.append(value)
        forms.append(form.value)
    result = DateParse(raw, tuple(values), DateForm.SEVERAL)
    chosen = result.chosen
    assert chosen is not None
    note = (
        f"{len(values)} dates in one cell ({', '.join(v.display() for v in values)}); "
        f"the earliest, {chosen.display()}, is the listing date"
    )
    return DateParse(raw, tuple(values), DateForm.SEVERAL, note)
