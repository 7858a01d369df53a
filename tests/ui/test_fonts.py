"""Fonts: Latin punctuation keeps its proportional width when CJK fallbacks are configured."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QApplication

from explorer.app import CJK_FALLBACKS
from explorer.qt.workspace import Workspace
from explorer.ui.detail_pane import DetailPane
from explorer.ui.fonts import with_resolved_first_family


def _app_font_as_configured(app: QApplication) -> QFont:
    # What configure_application sets: the platform font's name, then the installed CJK fonts.
    installed = set(QFontDatabase.families())
    font = QFont(app.font())
    font.setFamilies([font.family()] + [f for f in CJK_FALLBACKS if f in installed])
    return font


def _quote_is_narrow(font: QFont) -> bool:
    # A full-width (CJK) closing quote is as wide as an ideograph and reads as `control” ,`.
    metrics = QFontMetricsF(font)
    return metrics.horizontalAdvance("\u201d") < 0.7 * metrics.horizontalAdvance("\u4e2d")


def test_resolved_font_keeps_latin_quotes_proportional(qapp: QApplication) -> None:
    font = with_resolved_first_family(_app_font_as_configured(qapp))
    assert _quote_is_narrow(font), font.families()
    assert set(_app_font_as_configured(qapp).families()[1:]) <= set(font.families())


def test_detail_pane_draws_latin_quotes_in_a_latin_font(
    qapp: QApplication, mini_workspace: Workspace
) -> None:
    before = qapp.font()
    qapp.setFont(_app_font_as_configured(qapp))
    try:
        pane = DetailPane(mini_workspace)
        assert _quote_is_narrow(pane.document().defaultFont()), pane.document().defaultFont()
        pane.deleteLater()
    finally:
        qapp.setFont(before)


def test_app_font_puts_a_latin_font_first_and_keeps_the_cjk_fallbacks(
    qapp: QApplication,
) -> None:
    from PySide6.QtGui import QFontInfo

    from explorer.app import configure_application

    before_font, before_style = QFont(qapp.font()), qapp.styleSheet()
    try:
        configure_application(qapp)
        font = qapp.font()
        installed = set(QFontDatabase.families())
        cjk = [f for f in CJK_FALLBACKS if f in installed]
        # the first family is a real one (not the generic "Sans Serif" Qt skips) ...
        assert font.families()[0] in installed, font.families()
        assert QFontInfo(font).family() not in cjk, font.families()
        assert _quote_is_narrow(font), font.families()
        # ... and Chinese and Japanese still fall back to the CJK fonts, in their order
        assert cjk and [f for f in font.families() if f in cjk] == cjk, font.families()
        cjk_font = QFont(font)
        cjk_font.setFamilies(cjk)
        for text in ("商务部", "ファン・グオビン"):
            assert QFontMetricsF(font).horizontalAdvance(text) == QFontMetricsF(
                cjk_font
            ).horizontalAdvance(text)
    finally:
        qapp.setFont(before_font)
        qapp.setStyleSheet(before_style)
