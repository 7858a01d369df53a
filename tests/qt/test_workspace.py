"""TimelineController: the selection every view shares, stepped in date order."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from explorer.domain.model import Event
from explorer.qt.controller import NO_SELECTION, TimelineController
from explorer.storage.library import Library
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"


def keys(controller: TimelineController) -> list[str]:
    return [e.key for e in controller.events]


def test_events_are_in_date_order(controller: TimelineController) -> None:
    days = [(e.start_day, e.id) for e in controller.events]
    assert days == sorted(days)
    assert len(controller.events) == 6
    assert controller.selected_id == NO_SELECTION
    assert controller.current_event is None


def test_select_emits_selection_then_the_full_event(
    qtbot: QtBot, controller: TimelineController
) -> None:
    gid = controller.id_for_key(ANNOUNCED)
    assert gid is not None
    seen: list[object] = []
    controller.selectionChanged.connect(lambda g: seen.append(("sel", g)))
    controller.eventLoaded.connect(lambda e: seen.append(("event", e.key)))
    with qtbot.waitSignal(controller.eventLoaded) as blocker:
        controller.select(gid)
    assert isinstance(blocker.args[0], Event)
    assert seen == [("sel", gid), ("event", ANNOUNCED)]
    assert controller.current_event is not None and len(controller.current_event.quotes) == 2
    # selecting it again changes nothing and says nothing
    with qtbot.assertNotEmitted(controller.selectionChanged):
        controller.select(gid)


def test_unknown_id_is_ignored_and_minus_one_clears(
    qtbot: QtBot, controller: TimelineController
) -> None:
    controller.select_first()
    first = controller.selected_id
    with qtbot.assertNotEmitted(controller.selectionChanged):
        controller.select(10**9)
    assert controller.selected_id == first
    with qtbot.waitSignal(controller.eventLoaded, check_params_cb=lambda e: e is None):
        controller.select(NO_SELECTION)
    assert controller.current_event is None


def test_next_and_previous_walk_date_order_and_stop_at_the_ends(
    controller: TimelineController,
) -> None:
    order = keys(controller)
    walked = []
    while controller.select_next():
        assert controller.current_event is not None
        walked.append(controller.current_event.key)
    assert walked == order
    assert controller.select_next() is False
    back = []
    while controller.select_previous():
        assert controller.current_event is not None
        back.append(controller.current_event.key)
    assert back == order[-2::-1]


def test_previous_from_nothing_selects_the_last(controller: TimelineController) -> None:
    assert controller.select_previous()
    assert controller.selected_id == controller.events[-1].id


def test_select_key_and_follow_relation(controller: TimelineController) -> None:
    assert controller.select_key(IN_FORCE)
    assert controller.follow_relation()  # first relation: takes effect of the announcement
    assert controller.current_event is not None
    assert controller.current_event.key == ANNOUNCED
    assert controller.follow_relation(IN_FORCE)
    assert controller.current_event.key == IN_FORCE
    assert controller.select_key("no-such-event") is False
    assert controller.follow_relation("no-such-event") is False


def test_follow_relation_without_relations_does_nothing(controller: TimelineController) -> None:
    assert controller.follow_relation() is False  # nothing selected


def test_countries_and_version(controller: TimelineController) -> None:
    assert controller.countries["CN"] == "China"
    assert controller.data_version


def test_row_at_day(controller: TimelineController) -> None:
    e = controller.events[2]
    assert controller.row_at_day(e.start_day) <= 2
    assert controller.row_at_day(10**7) == len(controller.events)


def test_reload_keeps_a_selection_that_still_exists(
    qtbot: QtBot, mini_store: Path, tmp_path: Path
) -> None:
    user = ensure_user_store(tmp_path / "user.sqlite")
    lib = Library([EventStore(mini_store), EventStore(user)])
    try:
        c = TimelineController(lib)
        c.select_key(ANNOUNCED)
        before = c.selected_id
        with qtbot.waitSignal(c.eventsChanged), qtbot.assertNotEmitted(c.selectionChanged):
            c.reload()
        assert c.selected_id == before
        assert len(c.events) == 6
    finally:
        lib.close()


def test_go_back_returns_along_followed_relations(controller: TimelineController) -> None:
    assert controller.can_go_back is False
    controller.select_key(IN_FORCE)
    start = controller.selected_id
    assert controller.follow_relation()
    assert controller.can_go_back
    assert controller.go_back()
    assert controller.selected_id == start
    assert controller.go_back() is False
