"""TimelineModel after a filter change: the window loads beside the overview, once, exactly."""

# pytest-qt's qtbot methods carry no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from explorer.domain.filters import FilterState
from explorer.qt.timeline_model import DETAIL_MAX, TimelineModel
from explorer.qt.workspace import Workspace
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "gen.sqlite"
    generate(out, 4000, seed=3)
    return out


@pytest.fixture
def setup(qtbot: QtBot, store: Path, tmp_path: Path) -> Iterator[tuple[TimelineModel, Workspace]]:
    lib = Library([EventStore(store)])
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    workspace = Workspace(lib, settings=settings, sync_limit=0)  # filters in the worker
    model = TimelineModel(workspace)
    model.set_width(1400)
    qtbot.waitUntil(lambda: model.ready and not model.busy and not workspace.busy, timeout=5000)
    yield model, workspace
    model.shutdown()
    workspace.shutdown()
    lib.close()


def test_a_filter_change_loads_the_window_once_beside_the_overview(
    qtbot: QtBot, setup: tuple[TimelineModel, Workspace]
) -> None:
    model, workspace = setup
    model.fit_all()
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert model.window_events() is None  # 4000 events: densities
    lane = max(model.query.lanes("country"), key=lambda ln: ln.count).key[1]
    state = FilterState(countries=(lane,), kinds=("proposal",))
    loads: list[str] = []
    model.windowLoaded.connect(lambda: loads.append("window"))
    model.overviewLoaded.connect(lambda: loads.append("overview"))
    with qtbot.waitSignal(workspace.queryChanged, timeout=5000):
        workspace.set_filters(state)
    result = workspace.query.result
    assert result is not None and 0 < result.count <= DETAIL_MAX
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
    events = model.window_events()
    assert events is not None
    ids = {e.id for e in events if e.title}
    assert ids == {gid for gid in result.iter_ids()}
    assert loads.count("window") == 1  # the prefetch served the frame: no second load


def test_clearing_the_filter_while_a_prefetch_is_out_still_draws(
    qtbot: QtBot, setup: tuple[TimelineModel, Workspace]
) -> None:
    model, workspace = setup
    model.fit_all()
    workspace.set_filters(FilterState(kinds=("proposal",), countries=("JP",)))
    workspace.clear()  # cleared before the first answer came back
    qtbot.waitUntil(lambda: model.ready and not model.busy and not workspace.busy, timeout=5000)
    assert not model.query.filtered
    # every event again: zoomed in until few enough show, the window follows
    ext = model.extent
    assert ext is not None
    mid = (ext[0] + ext[1]) // 2
    model.zoom_to(mid, mid + 20)
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    events = model.window_events()
    assert events is not None
    a, b = int(model.scale.start), int(model.scale.end)
    shown = {e.id for e in events}
    assert {e.id for e in model.query.window(model.mode, a, b, 10**6).events} <= shown
    assert model.query.count_in(a, b) > 0


def test_collapsed_lanes_are_kept_per_lane_mode_in_the_settings(
    qtbot: QtBot, mini_store: Path, tmp_path: Path
) -> None:
    from explorer.qt.timeline_model import COLLAPSED_KEY

    lib = Library([EventStore(mini_store)])
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    workspace = Workspace(lib, settings=settings)
    model = TimelineModel(workspace)
    try:
        qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
        with qtbot.waitSignal(model.collapsedChanged):
            model.toggle_collapsed((0, "CN"))
        assert model.is_collapsed((0, "CN")) and model.collapsed_keys() == {(0, "CN")}
        assert settings.value(COLLAPSED_KEY) == "country:curated:CN"
        workspace.set_lane_mode("agency")  # another mode, its own lanes
        qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
        assert model.collapsed_keys() == frozenset()
        again = TimelineModel(Workspace(lib, settings=settings))
        assert again.mode == "agency" and not again.is_collapsed((0, "CN"))
        again.workspace.set_lane_mode("country")
        assert again.is_collapsed((0, "CN"))
        again.shutdown()
        again.workspace.shutdown()
        workspace.set_lane_mode("country")
        model.set_collapsed([(0, "CN")], False)
        assert settings.value(COLLAPSED_KEY) == ""
    finally:
        model.shutdown()
        workspace.shutdown()
        lib.close()


def test_a_window_of_imported_events_comes_with_what_they_list(
    qtbot: QtBot, mini_store: Path, tmp_path: Path
) -> None:
    from explorer.storage.importers import import_file
    from explorer.storage.userstore import ensure_user_store

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "import"
    user = ensure_user_store(tmp_path / "user.sqlite")
    import_file(fixtures / "sdn_2024-01-02.csv", into=user)
    lib = Library([EventStore(mini_store), EventStore(user)])
    workspace = Workspace(lib)
    model = TimelineModel(workspace)
    try:
        model.set_width(1400)
        qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
        events = model.window_events()
        assert events is not None
        listings = model.window_listings()
        imported = {e.id for e in events if e.lane[0] == 1}
        assert imported and set(listings) == imported
    finally:
        model.shutdown()
        workspace.shutdown()
        lib.close()
