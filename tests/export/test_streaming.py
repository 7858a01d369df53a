"""Table exports stream: the file is written event by event (a million events in the memory of
one), and says exactly what the whole document would."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.domain.filters import FilterState, to_dict
from explorer.domain.model import Event
from explorer.domain.view import ViewState
from explorer.export import json_export, tables, writers
from explorer.export.api import export_view
from explorer.storage.library import Library
from explorer.storage.query import SqlQuery
from explorer.storage.store import EventStore

pytestmark = pytest.mark.usefixtures("qapp")  # one QApplication for the session, made first


@pytest.fixture
def library(mini_store: Path) -> Iterator[Library]:
    lib = Library([EventStore(mini_store)])
    yield lib
    lib.close()


class _Watch:
    """Events handed out one by one, remembering how many were taken at each write."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.taken = 0
        self.at_writes: list[int] = []

    def __iter__(self) -> Iterator[Event]:
        for e in self.events:
            self.taken += 1
            yield e


class _Out(io.BytesIO):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self.watch = watch

    def write(self, data: object) -> int:
        self.watch.at_writes.append(self.watch.taken)
        return super().write(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_tables_are_written_before_the_last_event_is_read(library: Library, fmt: str) -> None:
    events = [library.event(gid) for gid in SqlQuery(library).matching_ids()] * 100  # many buffers
    watch = _Watch(events)
    out = _Out(watch)
    n = writers.write_table(
        fmt,
        out,
        iter(watch),
        len(events),
        meta={"data_version": "v"},
        filters={},
        total=len(events),
    )
    assert n == len(events) == 600
    # Text reached the file while events were still to come (the text buffer holds a few):
    # never more than a buffer's worth of events is held.
    assert watch.at_writes and min(watch.at_writes) < 100
    assert len([t for t in watch.at_writes if t < len(events)]) > 5


def test_streamed_json_is_the_whole_document(library: Library) -> None:
    state = FilterState(countries=("CN",))
    events = list(library.events(SqlQuery(library, state).matching_ids()))
    meta = {"data_version": "v1", "title": "商务部"}
    whole = json_export.dumps(json_export.document(meta, events, to_dict(state)))
    out = io.StringIO()
    json_export.write(out, meta, iter(events), len(events), to_dict(state))
    assert out.getvalue() == whole
    empty = io.StringIO()
    json_export.write(empty, meta, iter([]), 0, {})
    assert json.loads(empty.getvalue())["events"] == []
    with pytest.raises(ValueError, match="1 events written, 2 announced"):
        json_export.write(io.StringIO(), meta, iter(events[:1]), 2, {})


def test_streamed_markdown_and_csv_are_the_whole_document(library: Library) -> None:
    events = list(library.events(SqlQuery(library).matching_ids()))
    md = io.StringIO()
    tables.write_markdown(md, iter(events), len(events), title="T", total=9)
    assert md.getvalue() == tables.to_markdown(events, title="T", total=9)
    csv_out = io.BytesIO()
    tables.write_csv(csv_out, iter(events))
    assert csv_out.getvalue() == tables.to_csv_bytes(events)
    assert not csv_out.closed  # the caller's file stays open


def test_the_command_and_export_view_write_the_same_bytes(
    mini_store: Path, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line builds a view from its flags and calls the one export path: the same
    view through `export_view` (as File → Export calls it) gives the same file."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    view = ViewState(FilterState(countries=("CN",)))
    for fmt in ("csv", "md", "json", "svg"):
        out = tmp_path / f"events.{fmt}"
        assert main(["export", "--db", str(mini_store), "--format", fmt, "-o", str(out),
                     "--country", "CN"]) == 0  # fmt: skip
        buf = io.BytesIO()
        done = export_view(library, view, fmt, buf)
        assert buf.getvalue() == out.read_bytes()
        if fmt != "svg":
            assert done.words() == f"5 events as {fmt.upper()}"
