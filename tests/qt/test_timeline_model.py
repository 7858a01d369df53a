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
from explorer.storage.facets import FacetIndex
from explorer.storage.filtered_window import FilteredReader
from explorer.storage.generate import generate
from explorer.storage.library import Library
from explorer.storage.store import EventStore


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "gen.sqlite"
    generate(out, 4000, seed=3)
    return out


@pytest.fixture
def setup(
    qtbot: QtBot, store: Path, tmp_path: Path
) -> Iterator[tuple[TimelineModel, FilteredReader, FacetIndex]]:
    lib = Library([EventStore(store)])
    index = FacetIndex(lib)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    model = TimelineModel(lib, settings)
    reader = FilteredReader(lib, index)
    model.reader = reader
    model.reload()
    model.set_width(1400)
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
    yield model, reader, index
    model.shutdown()
    lib.close()


def test_a_filter_change_loads_the_window_once_beside_the_overview(
    qtbot: QtBot, setup: tuple[TimelineModel, FilteredReader, FacetIndex]
) -> None:
    model, reader, index = setup
    model.fit_all()
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert model.window_events() is None  # 4000 events: densities
    lane = max(reader.lanes("country"), key=lambda ln: ln.count).key[1]
    state = FilterState(countries=(lane,), kinds=("proposal",))
    result = index.result(state)
    assert 0 < result.count <= DETAIL_MAX
    loads: list[str] = []
    model.windowLoaded.connect(lambda: loads.append("window"))
    model.overviewLoaded.connect(lambda: loads.append("overview"))
    reader.set_result(result)
    model.reload()
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
    events = model.window_events()
    assert events is not None
    ids = {e.id for e in events if e.title}
    assert ids == {gid for gid in result.iter_ids()}
    assert loads.count("window") == 1  # the prefetch served the frame: no second load


def test_clearing_the_filter_while_a_prefetch_is_out_still_draws(
    qtbot: QtBot, setup: tuple[TimelineModel, FilteredReader, FacetIndex]
) -> None:
    model, reader, index = setup
    model.fit_all()
    reader.set_result(index.result(FilterState(kinds=("proposal",), countries=("JP",))))
    model.reload()
    reader.set_result(None)  # cleared before the first answer came back
    model.reload()
    qtbot.waitUntil(lambda: model.ready and not model.busy, timeout=5000)
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
    assert {e.id for e in reader.window(model.mode, a, b, 10**6).events} <= shown
    assert reader.count(a, b) > 0
