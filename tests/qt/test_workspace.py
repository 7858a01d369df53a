"""Workspace: the selection every view shares, stepped in date order."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from explorer.domain.model import Event
from explorer.qt.workspace import NO_SELECTION, Workspace
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"


def keys(workspace: Workspace) -> list[str]:
    return [e.key for e in workspace.events]


def test_events_are_in_date_order(workspace: Workspace) -> None:
    days = [(e.start_day, e.id) for e in workspace.events]
    assert days == sorted(days)
    assert len(workspace.events) == 6
    assert workspace.selected_id == NO_SELECTION
    assert workspace.current_event is None


def test_select_emits_selection_then_the_full_event(qtbot: QtBot, workspace: Workspace) -> None:
    gid = workspace.id_for_key(ANNOUNCED)
    assert gid is not None
    seen: list[object] = []
    workspace.selectionChanged.connect(lambda g: seen.append(("sel", g)))
    workspace.eventLoaded.connect(lambda e: seen.append(("event", e.key)))
    with qtbot.waitSignal(workspace.eventLoaded) as blocker:
        workspace.select(gid)
    assert isinstance(blocker.args[0], Event)
    assert seen == [("sel", gid), ("event", ANNOUNCED)]
    assert workspace.current_event is not None and len(workspace.current_event.quotes) == 2
    # selecting it again changes nothing and says nothing
    with qtbot.assertNotEmitted(workspace.selectionChanged):
        workspace.select(gid)


def test_unknown_id_is_ignored_and_minus_one_clears(qtbot: QtBot, workspace: Workspace) -> None:
    workspace.select_first()
    first = workspace.selected_id
    with qtbot.assertNotEmitted(workspace.selectionChanged):
        workspace.select(10**9)
    assert workspace.selected_id == first
    with qtbot.waitSignal(workspace.eventLoaded, check_params_cb=lambda e: e is None):
        workspace.select(NO_SELECTION)
    assert workspace.current_event is None


def test_next_and_previous_walk_date_order_and_stop_at_the_ends(
    workspace: Workspace,
) -> None:
    order = keys(workspace)
    walked = []
    while workspace.select_next():
        assert workspace.current_event is not None
        walked.append(workspace.current_event.key)
    assert walked == order
    assert workspace.select_next() is False
    back = []
    while workspace.select_previous():
        assert workspace.current_event is not None
        back.append(workspace.current_event.key)
    assert back == order[-2::-1]


def test_previous_from_nothing_selects_the_last(workspace: Workspace) -> None:
    assert workspace.select_previous()
    assert workspace.selected_id == workspace.events[-1].id


def test_select_key_and_follow_relation(workspace: Workspace) -> None:
    assert workspace.select_key(IN_FORCE)
    assert workspace.follow_relation()  # first relation: takes effect of the announcement
    assert workspace.current_event is not None
    assert workspace.current_event.key == ANNOUNCED
    assert workspace.follow_relation(IN_FORCE)
    assert workspace.current_event.key == IN_FORCE
    assert workspace.select_key("no-such-event") is False
    assert workspace.follow_relation("no-such-event") is False


def test_follow_relation_without_relations_does_nothing(workspace: Workspace) -> None:
    assert workspace.follow_relation() is False  # nothing selected


def test_countries_and_version(workspace: Workspace) -> None:
    assert workspace.countries["CN"] == "China"
    assert workspace.data_version


def test_row_at_day(workspace: Workspace) -> None:
    e = workspace.events[2]
    assert workspace.row_at_day(e.start_day) <= 2
    assert workspace.row_at_day(10**7) == len(workspace.events)


def test_reload_keeps_a_selection_that_still_exists(
    qtbot: QtBot, mini_store: Path, tmp_path: Path
) -> None:
    user = ensure_user_store(tmp_path / "user.sqlite")
    lib = Library([EventStore(mini_store), EventStore(user)])
    try:
        c = Workspace(lib)
        c.select_key(ANNOUNCED)
        before = c.selected_id
        with qtbot.waitSignal(c.eventsChanged), qtbot.assertNotEmitted(c.selectionChanged):
            c.reload_library()
        assert c.selected_id == before
        assert c.current_event is not None and c.current_event.key == ANNOUNCED
        assert len(c.events) == 6
        c.shutdown()
    finally:
        lib.close()


def test_go_back_returns_along_followed_relations(workspace: Workspace) -> None:
    assert workspace.can_go_back is False
    workspace.select_key(IN_FORCE)
    start = workspace.selected_id
    assert workspace.follow_relation()
    assert workspace.can_go_back
    assert workspace.go_back()
    assert workspace.selected_id == start
    assert workspace.go_back() is False
