"""Fonts: keep the platform's Latin font first when CJK fallback families are added."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo


def with_resolved_first_family(font: QFont) -> QFont:
    """A copy of `font` whose first family is the real font its first family name stands for.

    The platform font is sometimes a generic name ("Sans Serif") that the font database does not
    list as a family. With fallback families after it, Qt skips such a name and draws every
    character with the first fallback, a CJK font whose curly quotes and dashes are full-width:
    ``control” , 17 October`` looks like a stray space before the comma. Resolving the name on
    its own first keeps the platform's Latin font; the CJK fonts then only fill in what it lacks.

    Args:
        font: A font, typically the application's, with CJK fallbacks after its first family.

    Returns:
        The same font with the first family resolved (unchanged when it already is a family).
    """
    families = list(font.families()) or [font.family()]
    real = QFontInfo(QFont(families[0])).family()
    out = QFont(font)
    out.setFamilies([real, *(f for f in families if f != real)])
    return out
