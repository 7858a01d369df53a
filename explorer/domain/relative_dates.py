"""Relative dates in news text ("last Thursday", "from July 1") resolved against publication.

Each phrase has one written rule; a phrase with no rule, or one the rule finds ambiguous, raises
an error: we never guess. The rules, for a source published on day P (year Y, month M):

- "last <weekday>": the latest such weekday strictly before P, so 1 to 7 days before it
  (published on a Thursday, "last Thursday" is the Thursday a week before). Day precision.
- "last <month>": that month of the previous year when the month is M or later in the year
  (this year's has not yet ended, so only last year's can be meant). When the month is earlier
  than M, "last July" written in, say, December may mean this year's July or the one before:
  ambiguous, refused. Month precision.
- "since last year": a period from Y-1 (year precision) to the publication date.
- "last year" / "this year": Y-1 / Y, year precision. "last month" / "this month": the month
  before P / P's month.
- "from <month> <day>" ("from July 1"): the first such day on or after P. The words announce
  something to come ("set to take effect from July 1"); the announcement itself may be older
  than P, so the rule counts from P, not from the announcement. Day precision.
- "in <month> this year" ("in March this year"): that month of Y. Month precision.
- "in the first <n> months of this year": a span from January to month n of Y (month precision;
  "the first month" is January alone).
- "on the <n>th" ("On the 2nd", the Japanese press's 2日): the latest day n on or before P:
  in P's month when n <= P's day, else in the latest earlier month that has a day n.
- "yesterday" / "today": the day before P / P.

Precision is what the words allow and never finer than the publication date supports: when the
publication date is known only to the month (or quarter, or year), the rule is applied to its
first and its last day and the answer is the finest date that holds both results (a day, month,
quarter or year). When even a year cannot hold them, the phrase cannot be resolved from that
publication date and an error says so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from explorer.domain.dates import MONTH_NAMES, Basis, PartialDate, Precision


class RelativeDateError(ValueError):
    """A relative date that cannot be resolved; the message says why."""


class UnknownPhraseError(RelativeDateError):
    """A phrase for which there is no rule."""


class AmbiguousDateError(RelativeDateError):
    """A phrase with more than one reading for this publication date."""


@dataclass(frozen=True)
class ResolvedDate:
    """A relative date resolved against a publication date.

    Attributes:
        date: The date (the start, for a span).
        end: The end of a span ("the first four months of this year"), else None.
        basis: Always INFERRED: reached from the source's words and its publication date.
        note: How it was reached, in words, for the event's date note.
    """

    date: PartialDate
    end: PartialDate | None
    basis: Basis
    note: str

    @property
    def precision(self) -> Precision:
        return self.date.precision


_WEEKDAYS = {
    "monday": MO,
    "tuesday": TU,
    "wednesday": WE,
    "thursday": TH,
    "friday": FR,
    "saturday": SA,
    "sunday": SU,
}

_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)}
_NUMBERS = {
    w: n
    for n, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ],
        start=1,
    )
}
_WD = "|".join(_WEEKDAYS)
_MO = "|".join(_MONTHS)
_NUM = "|".join(_NUMBERS) + r"|\d{1,2}"

# The answer of a rule for one concrete publication day: (start, end or None).
_Answer = tuple[PartialDate, PartialDate | None]
_Rule = Callable[[re.Match[str], date], _Answer]

_ORDER = (Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR)


def _day(d: date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def _last_weekday(m: re.Match[str], p: date) -> _Answer:
    weekday = _WEEKDAYS[m["wd"]]
    return _day(p + relativedelta(days=-1, weekday=weekday(-1))), None


def _last_month_name(m: re.Match[str], p: date) -> _Answer:
    month = _MONTHS[m["month"]]
    if month < p.month:
        raise AmbiguousDateError(
            f"'last {m['month'].capitalize()}' published in "
            f"{MONTH_NAMES[p.month - 1]} {p.year} may mean {p.year} or {p.year - 1}"
        )
    return PartialDate(p.year - 1, month), None


def _since_last_year(m: re.Match[str], p: date) -> _Answer:
    return PartialDate(p.year - 1), None  # the end is the publication date, set by resolve()


def _last_year(m: re.Match[str], p: date) -> _Answer:
    return PartialDate(p.year - 1), None


def _this_year(m: re.Match[str], p: date) -> _Answer:
    return PartialDate(p.year), None


def _last_month(m: re.Match[str], p: date) -> _Answer:
    prev = p.replace(day=1) - timedelta(days=1)
    return PartialDate(prev.year, prev.month), None


def _this_month(m: re.Match[str], p: date) -> _Answer:
    return PartialDate(p.year, p.month), None


def _valid(year: int, month: int, day: int) -> bool:
    return day <= calendar.monthrange(year, month)[1]


def _from_month_day(m: re.Match[str], p: date) -> _Answer:
    month, day = _MONTHS[m["month"]], int(m["day"])
    if not any(_valid(y, month, day) for y in (2000, 2001)):  # 2000 is a leap year
        raise UnknownPhraseError(f"{m['month'].capitalize()} {day} is not a day of the year")
    year = p.year
    while not _valid(year, month, day) or date(year, month, day) < p:
        year += 1
    return PartialDate(year, month, day), None


def _month_this_year(m: re.Match[str], p: date) -> _Answer:
    return PartialDate(p.year, _MONTHS[m["month"]]), None


def _first_months(m: re.Match[str], p: date) -> _Answer:
    n = _number(m["n"])
    if not 1 <= n <= 12:
        raise UnknownPhraseError(f"a year has no first {n} months")
    return PartialDate(p.year, 1), (PartialDate(p.year, n) if n > 1 else None)


def _on_the_nth(m: re.Match[str], p: date) -> _Answer:
    n = int(m["n"])
    if not 1 <= n <= 31:
        raise UnknownPhraseError(f"no month has a day {n}")
    year, month = p.year, p.month
    while not (_valid(year, month, n) and date(year, month, n) <= p):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return PartialDate(year, month, n), None


def _yesterday(m: re.Match[str], p: date) -> _Answer:
    return _day(p - timedelta(days=1)), None


def _today(m: re.Match[str], p: date) -> _Answer:
    return _day(p), None


def _number(text: str) -> int:
    return _NUMBERS[text] if text in _NUMBERS else int(text)


# (pattern, rule, finest precision the words allow)
_RULES: tuple[tuple[re.Pattern[str], _Rule, Precision], ...] = tuple(
    (re.compile(pattern), rule, precision)
    for pattern, rule, precision in (
        (rf"last (?P<wd>{_WD})", _last_weekday, Precision.DAY),
        (rf"last (?P<month>{_MO})", _last_month_name, Precision.MONTH),
        (r"since last year", _since_last_year, Precision.YEAR),
        (r"(?:in )?last year", _last_year, Precision.YEAR),
        (r"(?:in )?this year", _this_year, Precision.YEAR),
        (r"(?:in )?last month", _last_month, Precision.MONTH),
        (r"(?:in )?this month", _this_month, Precision.MONTH),
        (
            rf"(?:from|starting|starting from|as of) (?P<month>{_MO}) (?P<day>\d{{1,2}})"
            r"(?:st|nd|rd|th)?",
            _from_month_day,
            Precision.DAY,
        ),
        (rf"(?:in )?(?P<month>{_MO}) (?:of )?this year", _month_this_year, Precision.MONTH),
        (rf"(?:in )?the first (?P<n>{_NUM}) months of this year", _first_months, Precision.MONTH),
        (r"(?:in )?the first month of this year", _first_months, Precision.MONTH),
        (r"on the (?P<n>\d{1,2})(?:st|nd|rd|th)", _on_the_nth, Precision.DAY),
        (r"yesterday", _yesterday, Precision.DAY),
        (r"today", _today, Precision.DAY),
    )
)

SUPPORTED = (
    "last <weekday>",
    "last <month>",
    "since last year",
    "last year",
    "this year",
    "last month",
    "this month",
    "from <month> <day>",
    "in <month> this year",
    "in the first <n> months of this year",
    "on the <n>th",
    "yesterday",
    "today",
)


def _normalize(phrase: str) -> str:
    return " ".join(phrase.lower().replace(",", " ").split()).strip(" .;:")


def _cover(lo: date, hi: date, finest: Precision) -> PartialDate | None:
    """The finest date, no finer than `finest`, that holds every day from lo to hi."""
    for precision in _ORDER[_ORDER.index(finest) :]:
        candidate = PartialDate.of(lo, precision)
        if candidate.last_day() >= hi:
            return candidate
    return None


def _span(a: PartialDate, b: PartialDate, finest: Precision, phrase: str) -> PartialDate:
    finest = max(finest, a.precision, key=_ORDER.index)
    covered = _cover(a.first_day(), b.last_day(), finest)
    if covered is None:
        raise RelativeDateError(
            f"{phrase!r} cannot be resolved: the publication date is too vague "
            f"({a.iso()} or as late as {b.iso()})"
        )
    return covered


def resolve(phrase: str, published: PartialDate | date) -> ResolvedDate:
    """Resolve a relative date phrase against a source's publication date.

    Args:
        phrase: The words, as the source writes them ("last Thursday", "from July 1").
        published: When the source was published, as precisely as known.

    Returns:
        The date (and end, for a span) with the precision the words and the publication date
        allow, basis INFERRED, and a note saying how it was reached.

    Raises:
        UnknownPhraseError: there is no rule for the phrase.
        AmbiguousDateError: the phrase has two readings for this publication date.
        RelativeDateError: the publication date is too vague to resolve the phrase.
    """
    pub = published if isinstance(published, PartialDate) else _day(published)
    words = _normalize(phrase)
    for pattern, rule, finest in _RULES:
        m = pattern.fullmatch(words)
        if m is None:
            continue
        lo_start, lo_end = rule(m, pub.first_day())
        hi_start, hi_end = rule(m, pub.last_day())
        start = _span(lo_start, hi_start, finest, phrase)
        end: PartialDate | None
        if rule is _since_last_year:
            end = pub
        elif lo_end is not None and hi_end is not None:
            end = _span(lo_end, hi_end, finest, phrase)
        else:
            end = None
        said = start.display() if end is None else f"{start.display()} to {end.display()}"
        note = f"{phrase.strip()!r} in a source published {pub.display()}: {said}"
        return ResolvedDate(start, end, Basis.INFERRED, note)
    raise UnknownPhraseError(
        f"no rule for the relative date {phrase!r}; known forms: {', '.join(SUPPORTED)}"
    )
