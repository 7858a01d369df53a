"""Author-date citations of a source, as a student pastes them into a paper.

Two styles: APA (7th edition, the default) and Chicago author-date. Missing parts are said
honestly rather than guessed: no author puts the outlet (or the title) in the author's place, no
date gives "n.d.", a date known only to the month or year is cited to that precision, and a
translated source names its translator.
"""

from __future__ import annotations

from enum import Enum

from explorer.domain.dates import MONTH_NAMES, PartialDate
from explorer.domain.model import Source

_MONTHS = MONTH_NAMES


class Style(str, Enum):
    """A citation style."""

    APA = "apa"
    CHICAGO = "chicago"


def _end(text: str) -> str:
    """The text ending in a full stop (unless it already ends a sentence)."""
    text = text.strip()
    if not text or text[-1] in ".?!。？！":
        return text
    return text + "."


def _apa_date(d: PartialDate | None) -> str:
    if d is None:
        return "n.d."
    if d.quarter is not None:
        return f"{d.year}, Q{d.quarter}"
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{d.year}, {_MONTHS[d.month - 1]}"
    return f"{d.year}, {_MONTHS[d.month - 1]} {d.day}"


def _chicago_date(d: PartialDate) -> str:
    if d.quarter is not None:
        return f"Q{d.quarter} {d.year}"
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def cite(source: Source, style: Style | str = Style.APA) -> str:
    """A reference-list entry for `source`.

    Args:
        source: The source to cite.
        style: `Style.APA` ("Outlet. (2024, June 3). Title. URL") or `Style.CHICAGO`
            ("Outlet. 2024. “Title.” June 3, 2024. URL").

    Returns:
        One line of plain text.
    """
    style = Style(style)
    if style is Style.CHICAGO:
        return _chicago(source)
    return _apa(source)


def _apa(s: Source) -> str:
    title = s.title.strip()
    if s.translator:
        title = f"{title} ({s.translator}, Trans.)"
    author = s.author.strip() or s.outlet.strip()
    parts: list[str] = []
    if author:
        parts.append(_end(author))
        parts.append(f"({_apa_date(s.published)}).")
        if title:
            parts.append(_end(title))
        # The outlet is named as the publisher unless it already stands as the author.
        if s.author.strip() and s.outlet.strip():
            parts.append(_end(s.outlet))
    else:
        # APA: with no author the title moves to the author's place.
        parts.append(_end(title or "Untitled source"))
        parts.append(f"({_apa_date(s.published)}).")
    if s.url:
        parts.append(s.url.strip())
    elif s.retrieved:
        parts.append(f"Retrieved {s.retrieved}.")
    return " ".join(parts)


def _chicago(s: Source) -> str:
    title = s.title.strip() or "Untitled source"
    author = s.author.strip() or s.outlet.strip()
    year = str(s.published.year) if s.published else "n.d."
    quoted = f"“{_end(title)}”"
    parts: list[str] = []
    if author:
        parts += [_end(author), f"{year}.", quoted]
    else:
        parts += [quoted, f"{year}."]
    if s.translator:
        parts.append(f"Translated by {_end(s.translator)}")
    tail: list[str] = []
    if s.author.strip() and s.outlet.strip():
        tail.append(s.outlet.strip())
    if s.published is not None and s.published.precision.value != "year":
        tail.append(_chicago_date(s.published))
    if tail:
        parts.append(_end(", ".join(tail)))
    if s.url:
        parts.append(s.url.strip())
    elif s.retrieved:
        parts.append(f"Accessed {s.retrieved}.")
    return " ".join(parts)


def short_reference(source: Source) -> str:
    """An in-text reference: `(South China Morning Post, 2024)`."""
    who = source.author.strip() or source.outlet.strip() or source.title.strip()
    year = str(source.published.year) if source.published else "n.d."
    return f"({who}, {year})"
