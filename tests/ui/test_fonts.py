"""Fonts: Latin punctuation keeps its proportional width when CJK fallbacks are configured."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QApplication

from explorer.app import CJK_FALLBACKS
from explorer.qt.controller import TimelineController
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
    qapp: QApplication, mini_controller: TimelineController
) -> None:
    before = qapp.font()
    qapp.setFont(_app_font_as_configured(qapp))
    try:
        pane = DetailPane(mini_controller)
        assert _quote_is_narrow(pane.document().defaultFont()), pane.document().defaultFont()
        pane.deleteLater()
    finally:
        qapp.setFont(before)
