"""EventListModel: events in date order under year headings that the cursor skips."""

# pytest-qt's ModelTester.check carries no annotations
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from explorer.qt.event_list_model import (
    DateTextRole,
    EventIdRole,
    EventListModel,
    IsHeaderRole,
    YearRole,
)
from explorer.qt.workspace import Workspace


def test_qtmodeltester(qtmodeltester: ModelTester, workspace: Workspace) -> None:
    model = EventListModel(workspace)
    qtmodeltester.check(model, force_py=True)
    workspace.reload_library()  # a reset with the tester watching
    qtmodeltester.check(model, force_py=True)


def test_year_headings_precede_their_events(workspace: Workspace) -> None:
    model = EventListModel(workspace)
    years = sorted({e.start.year for e in workspace.events})
    assert model.rowCount() == len(workspace.events) + len(years)
    current_year = None
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(IsHeaderRole):
            current_year = index.data(YearRole)
            assert index.data() == str(current_year)
            assert model.flags(index) == Qt.ItemFlag.NoItemFlags
            assert index.data(EventIdRole) == -1
        else:
            assert current_year == index.data(YearRole)
            assert model.flags(index) & Qt.ItemFlag.ItemIsSelectable
    assert [model.index(r, 0).data(YearRole) for r in model.year_rows()] == years


def test_event_rows_map_to_ids_and_back(workspace: Workspace) -> None:
    model = EventListModel(workspace)
    for e in workspace.events:
        index = model.index_for_id(e.id)
        assert index.isValid()
        assert index.data(EventIdRole) == e.id
        assert model.summary_at(index.row()) == e
        assert e.title in index.data()
    assert not model.index_for_id(-5).isValid()
    assert model.summary_at(0) is None  # the first row is a year heading


def test_dates_shown_as_their_precision_allows(workspace: Workspace) -> None:
    model = EventListModel(workspace)
    dates = {
        model.summary_at(r).key: model.index(r, 0).data(DateTextRole)  # type: ignore[union-attr]
        for r in range(model.rowCount())
        if model.summary_at(r) is not None
    }
    assert dates["cn-2024-05-30-aerospace-controls-announced"] == "30 May 2024"
    assert dates["cn-2023-07-drone-export-restrictions"] == "July 2023"
    assert dates["cn-2026-03-cas-draft-63-item-list"] == "March 2026"
    assert dates["us-2023-sanctions-on-chinese-companies"] == "2023 – 2024"


def test_no_children_and_one_column(workspace: Workspace) -> None:
    model = EventListModel(workspace)
    first = model.index(1, 0)
    assert model.rowCount(first) == 0
    assert model.columnCount() == 1
    assert not model.index(0, 1).isValid()
    assert not model.parent(first).isValid()
    assert model.index(0, 0, QModelIndex()).isValid()


def test_list_date_is_compact_for_periods() -> None:
    from explorer.domain.dates import PartialDate as D
    from explorer.qt.event_list_model import list_date

    assert list_date(D(2024, 5, 30), None) == "30 May 2024"
    assert list_date(D(2024, 7, 1), D(2024, 12, 31)) == "1 Jul – 31 Dec 2024"
    assert list_date(D(2024, 1), D(2024, 4)) == "Jan – Apr 2024"
    assert list_date(D(2023), D(2024, quarter=2)) == "2023 – Q2 2024"
    assert list_date(D(2024, 1), D(2025, 4)) == "Jan 2024 – Apr 2025"
    assert list_date(D(2023), D(2023)) == "2023"
