"""Fuzzing store rows and search text: any value in any column of any row of a store (as a
hand edit or another tool could leave it), and any search text, keep the invariant: the store
is refused in one line, or everything the app and the exports read from it works. No
traceback, whatever the value."""

from __future__ import annotations

import io
import math
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from explorer.domain.filters import FilterError, FilterState
from explorer.domain.view import ViewState
from explorer.export.api import export_view
from explorer.storage.check import check_store
from explorer.storage.errors import StoreError
from explorer.storage.facets import FacetIndex
from explorer.storage.library import Library, open_store
from explorer.storage.query import view_query
from tests.fuzz.conftest import examples

settings.register_profile(
    "fuzz-stores",
    max_examples=examples(),
    deadline=None,
    derandomize=examples() <= 100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TABLES = (
    "events",
    "actors",
    "actor_aliases",
    "sources",
    "quotes",
    "relations",
    "event_actors",
    "event_countries",
    "items",
    "event_items",
    "countries",
    "meta",
)

VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, 1, 10**12, 739_000, 693_596]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        ["", "bogus", "2023-13-45", "2024-02-30", "-2023", "2023-Q5", "day", "x" * 3000]
    ),
    st.binary(max_size=16),
)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _everything(store: Path) -> None:
    """What the app and the exports read: refuse in one line, or read it all."""
    try:
        opened = open_store(store)
    except StoreError as exc:
        assert "\n" not in str(exc)
        return
    lib = Library([opened])
    try:
        ids = [s.id for s in lib.summaries()]
        events = list(lib.events(ids))
        assert len(events) == len(ids)
        for fmt in ("json", "csv", "md"):
            export_view(lib, ViewState(), fmt, io.BytesIO())
        index = FacetIndex(lib)
        index.indexes()
        query = view_query(lib)
        query.full_extent()
        some = FilterState(countries=("CN",), search="export")
        view_query(lib, some, index=index).matching_ids()
    finally:
        lib.close()


@settings(settings.get_profile("fuzz-stores"))
@given(
    table=st.sampled_from(TABLES),
    column_pick=st.integers(0, 30),
    row_pick=st.integers(0, 10_000),
    value=VALUES,
)
def test_any_value_in_any_row_is_refused_in_one_line_or_shown(
    mini_store: Path, table: str, column_pick: int, row_pick: int, value: object
) -> None:
    if isinstance(value, float) and math.isnan(value):
        value = float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store.sqlite"
        shutil.copyfile(mini_store, store)
        conn = sqlite3.connect(store)
        try:
            columns = _columns(conn, table)
            column = columns[column_pick % len(columns)]
            rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table}")]
            assume(rowids)
            rowid = rowids[row_pick % len(rowids)]
            conn.execute("PRAGMA ignore_check_constraints = ON")
            conn.execute("PRAGMA foreign_keys = OFF")
            try:
                conn.execute(f'UPDATE {table} SET "{column}" = ? WHERE rowid = ?', (value, rowid))
                conn.commit()
            except sqlite3.IntegrityError:
                assume(False)  # NOT NULL or UNIQUE: SQLite itself keeps such a value out
        finally:
            conn.close()
        try:
            check_store(store)
        except StoreError as exc:
            assert "\n" not in str(exc)
        _everything(store)


SEARCHES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            '"',
            '"unbalanced',
            "AND OR NOT",
            "NEAR(a b, 2)",
            "title:x",
            "*",
            "a*",
            "(",
            ")",
            "'; DROP TABLE events; --",
            "出口管制",
            "\x00",
            " " * 50,
            "a" * 999,
            "a" * 1001,
        ]
    ),
)


@pytest.fixture(scope="module")
def library(mini_store: Path) -> Library:
    lib = Library([open_store(mini_store)])
    yield lib
    lib.close()


@settings(settings.get_profile("fuzz-stores"))
@given(text=SEARCHES)
def test_any_search_text_is_answered_or_refused_in_one_line(library: Library, text: str) -> None:
    try:
        state = FilterState(search=text)
        ids = view_query(library, state).matching_ids()
    except FilterError as exc:
        assert "\n" not in str(exc)
        return
    assert all(isinstance(i, int) for i in ids)
