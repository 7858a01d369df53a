"""Filtering, search and saved views in the main window, through real keys and clicks."""
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.domain.filters import FilterState, parse_bound
from explorer.ui.main_window import MainWindow

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"
PAPER = "cn-2026-03-cas-draft-63-item-list"
SANCTIONS = "us-2023-sanctions-on-chinese-companies"  # a 2023-2024 period naming China


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the filter counts and the timeline loads to finish."""
    f = window.workspace
    qtbot.waitUntil(lambda: not f.busy, timeout=10_000)
    qtbot.waitUntil(lambda: not window.timeline.model.busy, timeout=10_000)


def keys(window: MainWindow) -> list[str]:
    return [e.key for e in window.workspace.events]


def test_typing_in_the_search_box_filters_the_list_timeline_and_results(
    qtbot: QtBot, window: MainWindow
) -> None:
    ui = window.filter_ui
    settle(qtbot, window)
    assert ui.chips.count_label.text() == "6 of 6 events"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ui.search.hasFocus())
    qtbot.keyClicks(ui.search, "aero")
    qtbot.waitUntil(lambda: keys(window) == [ANNOUNCED, IN_FORCE], timeout=5000)
    settle(qtbot, window)
    assert ui.chips.count_label.text() == "2 of 6 events"
    assert [c.text() for c in ui.chips.chips] == ["Search: “aero”  ✕"]
    # the timeline shows only China's lane and the two events
    qtbot.waitUntil(lambda: [ln.key[1] for ln in window.timeline.model.lanes] == ["CN"])
    assert window.timeline.model.query.count_in(0, 10**6) == 2
    # the results list lists them; Enter jumps to the chosen one
    results = ui.results
    assert results.count() == 2
    results.setFocus()
    results.setCurrentRow(1)
    qtbot.keyClick(results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace.selected_id == results.ids()[1])
    assert window.workspace.current_event is not None
    assert window.workspace.current_event.key == IN_FORCE
    assert 'background-color:#ffe58a">aero' in window.detail.toHtml().replace("'", '"') or (
        "ffe58a" in window.detail.toHtml()
    )


def test_a_cjk_alias_of_two_characters_finds_its_events(qtbot: QtBot, window: MainWindow) -> None:
    ui = window.filter_ui
    ui.search.setFocus()
    # Chinese is typed through an input method, which commits the characters at once.
    event = QInputMethodEvent()
    event.setCommitString("商务")
    QApplication.sendEvent(ui.search, event)
    assert ui.search.text() == "商务"
    qtbot.waitUntil(lambda: keys(window) == [ANNOUNCED, IN_FORCE], timeout=5000)


def test_esc_clears_every_filter(qtbot: QtBot, window: MainWindow) -> None:
    f = window.workspace
    f.set_filters(FilterState(kinds=("proposal",), search="list"))
    qtbot.waitUntil(lambda: keys(window) == [PAPER], timeout=5000)
    window.event_list.setFocus()
    qtbot.keyClick(window.event_list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(keys(window)) == 6, timeout=5000)
    assert f.filters.is_empty and window.filter_ui.chips.chips == []
    assert window.filter_ui.search.text() == ""


def test_facets_tick_show_counts_and_chips_remove_them(qtbot: QtBot, window: MainWindow) -> None:
    ui = window.filter_ui
    settle(qtbot, window)
    kinds = ui.panel.facets["kinds"]
    item = kinds.item_for("announcement")
    assert item is not None and item.text() == "Announcement  (2)"
    item.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: len(keys(window)) == 2, timeout=5000)
    settle(qtbot, window)
    # other kinds keep their own counts; other facets count only announcements
    proposal = kinds.item_for("proposal")
    assert proposal is not None and proposal.text() == "Proposal  (1)"
    us = ui.panel.facets["countries"].item_for("US")
    assert us is not None and us.text() == "United States  (1)"
    assert [c.text() for c in ui.chips.chips] == ["Kind: Announcement  ✕"]
    qtbot.mouseClick(ui.chips.chips[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(keys(window)) == 6, timeout=5000)
    assert ui.chips.chips == []
    assert kinds.item_for("announcement").checkState() == Qt.CheckState.Unchecked  # type: ignore[union-attr]


def test_date_fields_take_partial_dates_and_say_what_is_wrong(
    qtbot: QtBot, window: MainWindow
) -> None:
    panel = window.filter_ui.panel
    panel.from_edit.setFocus()
    qtbot.keyClicks(panel.from_edit, "2024")
    panel.to_edit.setFocus()
    qtbot.keyClicks(panel.to_edit, "2024-06")
    qtbot.keyClick(panel.to_edit, Qt.Key.Key_Return)
    # the 2023-2024 sanctions period touches 2024; the July rule does not
    qtbot.waitUntil(
        lambda: keys(window) == ["us-2023-sanctions-on-chinese-companies", ANNOUNCED], timeout=5000
    )
    panel.to_edit.clear()
    qtbot.keyClicks(panel.to_edit, "2024-13")
    qtbot.keyClick(panel.to_edit, Qt.Key.Key_Return)
    assert "is not a date" in panel.error_label.text() and panel.error_label.isVisibleTo(panel)


def test_a_saved_view_reopens_exactly(qtbot: QtBot, window: MainWindow) -> None:
    ui, model, c = window.filter_ui, window.timeline.model, window.workspace
    state = FilterState(countries=("CN",), date_from=parse_bound("2024"))
    window.workspace.set_filters(state)
    qtbot.waitUntil(lambda: keys(window) == [SANCTIONS, ANNOUNCED, IN_FORCE, PAPER], timeout=5000)
    model.set_mode("agency")
    settle(qtbot, window)
    model.zoom(2.0, 100.0)
    c.select_key(IN_FORCE)
    qtbot.waitUntil(lambda: model.selected_mark is not None, timeout=5000)
    settle(qtbot, window)  # the timeline has panned to the selection
    scale = model.scale
    name = f"view {uuid.uuid4().hex[:6]}"
    ui.views.save_view(name)
    # change everything
    window.workspace.clear()
    model.set_mode("country")
    model.zoom(0.3, 10.0)
    qtbot.waitUntil(lambda: len(keys(window)) == 6, timeout=5000)
    c.select_key(PAPER)
    ui.views.refresh()
    assert name in [a.text() for a in ui.views.open_menu.actions()]
    ui.views.open_view(name)
    qtbot.waitUntil(lambda: c.summary(c.selected_id) is not None, timeout=5000)
    qtbot.waitUntil(lambda: c.summary(c.selected_id).key == IN_FORCE, timeout=5000)  # type: ignore[union-attr]
    assert window.workspace.filters == state
    assert model.mode == "agency"
    assert (model.scale.start, model.scale.span) == (scale.start, scale.span)
    assert keys(window) == [SANCTIONS, ANNOUNCED, IN_FORCE, PAPER]
    ui.views.delete_view(name)
    assert name not in ui.views.store().names()


def test_a_view_token_copied_and_pasted_reopens_the_view(qtbot: QtBot, window: MainWindow) -> None:
    ui = window.filter_ui
    state = FilterState(kinds=("proposal", "report"), search="63")
    window.workspace.set_filters(state)
    qtbot.waitUntil(lambda: len(keys(window)) == 2, timeout=5000)
    token = ui.views.copy_token()
    assert QGuiApplication.clipboard().text() == token and token.startswith("PTV1.")
    window.workspace.clear()
    qtbot.waitUntil(lambda: len(keys(window)) == 6, timeout=5000)
    ui.views.apply_token(QGuiApplication.clipboard().text())
    qtbot.waitUntil(lambda: len(keys(window)) == 2, timeout=5000)
    assert window.workspace.filters == state
    assert ui.search.text() == "63"


def test_counts_come_from_the_latest_request_only(qtbot: QtBot, window: MainWindow) -> None:
    f = window.workspace
    for word in ("a", "ae", "aer", "aero", "aerospace", "aerospace effect"):
        f.set_search(word)  # each returns at once; the work is done off the GUI thread
    qtbot.waitUntil(lambda: not f.busy, timeout=10_000)
    assert f.counts is not None and f.counts.matching == 1
    assert keys(window) == [IN_FORCE]


def test_the_results_list_says_how_to_fill_it_and_when_nothing_matches(
    qtbot: QtBot, window: MainWindow
) -> None:
    ui = window.filter_ui
    settle(qtbot, window)
    results = ui.results
    assert results.count() == 0
    assert "Ctrl+F" in results.hint()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(ui.search, "zzqqxx")
    qtbot.waitUntil(lambda: window.workspace.search_result is not None, timeout=5000)
    settle(qtbot, window)
    assert results.count() == 0
    assert "No event matches" in results.hint()
    ui.search.clear()
    qtbot.keyClicks(ui.search, "aero")
    qtbot.waitUntil(lambda: results.count() == 2, timeout=5000)
    assert results.hint() == ""
    # each result names its date as its precision allows, not as ISO digits
    assert results.item(0).text().startswith("30 May 2024")
