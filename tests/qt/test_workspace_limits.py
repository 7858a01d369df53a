"""The workspace refuses a search or a window it cannot show, and changes nothing then."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from explorer.domain.filters import MAX_SEARCH_CHARS
from explorer.domain.timescale import MAX_DAY
from explorer.qt.workspace import Workspace


def test_a_search_too_long_is_refused_without_a_signal(qtbot: QtBot, workspace: Workspace) -> None:
    assert workspace.set_search("aero") == ""
    before = workspace.view
    with (
        qtbot.assertNotEmitted(workspace.filtersChanged),
        qtbot.assertNotEmitted(workspace.viewChanged),
    ):
        message = workspace.set_search("x" * (MAX_SEARCH_CHARS + 1))
    assert message == ("search: the text has 1,001 characters; search for at most 1,000 characters")
    assert workspace.view == before
    assert workspace.set_search(" a  " * 400) == ""  # runs of spaces count once


def test_a_window_the_timeline_cannot_draw_is_ignored(qtbot: QtBot, workspace: Workspace) -> None:
    workspace.set_window(738_000.0, 400.0)
    before = workspace.view
    with qtbot.assertNotEmitted(workspace.windowChanged):
        for start, span in ((1e308, 10.0), (738_000.0, 0.01), (MAX_DAY - 1.0, 30.0)):
            workspace.set_window(start, span)
    assert workspace.view == before


def test_the_in_force_filter_is_set_refused_and_removed_like_the_others(
    qtbot: QtBot, workspace: Workspace
) -> None:
    from datetime import date

    with qtbot.waitSignal(workspace.filtersChanged):
        assert workspace.set_in_force_on(date(2024, 7, 1)) == ""
    assert workspace.filters.in_force_on == date(2024, 7, 1)
    before = workspace.view
    with qtbot.assertNotEmitted(workspace.filtersChanged):
        message = workspace.set_in_force_on(date(1850, 1, 1))
    assert message.startswith("in force on: 1850-01-01 is outside the years")
    assert workspace.view == before
    with qtbot.waitSignal(workspace.filtersChanged):
        workspace.remove("in_force_on")
    assert workspace.filters.in_force_on is None
