"""Partial dates: a day, a month, a quarter or a year, and the span of days each covers.

News gives dates with every precision ("30 May", "last July", "since last year"); an event keeps
the precision its source allows, and the timeline draws a month-precise date as a band over the
month, so every partial date knows the first and last day it may stand for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum


class Precision(str, Enum):
    """How precisely a date is known."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Basis(str, Enum):
    """How a date is known."""

    STATED = "stated"  # the source gives the date outright
    INFERRED = "inferred"  # resolved from the source's words and its publication date
    EXTERNAL = "external"  # taken from another public record, cited


# re.ASCII: \d would also take Arabic-Indic and other digits, which no store text holds.
_ISO = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])))?$", re.ASCII)

# Spelled out rather than calendar.month_name or strftime("%B"), which follow the process
# locale (Qt sets it from the user's): exports and citations must read the same everywhere.
MONTH_NAMES = (
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
)
_MONTHS = MONTH_NAMES


class DateError(ValueError):
    """A text that is not a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn)."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to a day, month, quarter or year.

    Attributes:
        year: The year.
        month: The month (1-12), or None when only the year or quarter is known.
        day: The day of the month, or None unless the precision is a day.
        quarter: The quarter (1-4) when the precision is a quarter.
    """

    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and (self.month is not None or self.day is not None):
            raise DateError("a quarter date has no month or day")
        if self.day is not None and self.month is None:
            raise DateError("a day needs a month")
        # date() validates the month and day ranges and the year's calendar
        date(self.year, self.month or 1, self.day or 1)
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise DateError(f"quarter {self.quarter} is not 1-4")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `2023`, `2023-07`, `2023-07-31` or `2023-Q3`.

        Raises:
            DateError: when the text is none of those forms or names no real day.
        """
        m = _ISO.match(text.strip())
        if not m:
            raise DateError(
                f"{text!r} is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn"
            )
        y, mo, d, q = m.groups()
        try:
            return cls(
                int(y),
                int(mo) if mo else None,
                int(d) if d else None,
                int(q) if q else None,
            )
        except ValueError as exc:
            raise DateError(f"{text!r} is not a real date: {exc}") from None

    @classmethod
    def of(cls, d: date, precision: Precision = Precision.DAY) -> PartialDate:
        """The partial date of the given precision that contains day `d`."""
        if precision is Precision.DAY:
            return cls(d.year, d.month, d.day)
        if precision is Precision.MONTH:
            return cls(d.year, d.month)
        if precision is Precision.QUARTER:
            return cls(d.year, quarter=(d.month - 1) // 3 + 1)
        return cls(d.year)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        if self.quarter is not None:
            return Precision.QUARTER
        return Precision.YEAR

    def first_day(self) -> date:
        """The first day this date may stand for."""
        if self.quarter is not None:
            return date(self.year, 3 * self.quarter - 2, 1)
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The last day this date may stand for."""
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        month = 3 * self.quarter if self.quarter is not None else self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """The partial ISO text: `2023`, `2023-07`, `2023-07-31` or `2023-Q3`."""
        # Made once per date (a store's events share their dates; exports write a million).
        text: str | None = self.__dict__.get("_iso")
        if text is None:
            if self.quarter is not None:
                text = f"{self.year:04d}-Q{self.quarter}"
            elif self.month is None:
                text = f"{self.year:04d}"
            elif self.day is None:
                text = f"{self.year:04d}-{self.month:02d}"
            else:
                text = f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
            object.__setattr__(self, "_iso", text)
        return text

    def __str__(self) -> str:
        return self.iso()

    def display(self) -> str:
        """The date as its precision allows: `30 May 2024`, `July 2023`, `Q3 2023`, `2026`."""
        if self.quarter is not None:
            return f"Q{self.quarter} {self.year}"
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"


def day_number(d: date) -> int:
    """The integer day number the store uses for fast range queries (proleptic ordinal)."""
    return d.toordinal()


def from_day_number(n: int) -> date:
    """The day for a store day number."""
    return date.fromordinal(n)


def display_span(start: PartialDate, end: PartialDate | None) -> str:
    """A start and optional end in words: `30 May 2024`, `1 July 2024 – 31 December 2024`."""
    if end is None or end == start:
        return start.display()
    return f"{start.display()} – {end.display()}"
