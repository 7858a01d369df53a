"""Fixtures for the importer tests: the fixture files, a fresh user store, and queries on it."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from explorer.storage.userstore import ensure_user_store

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"


@pytest.fixture
def fx() -> Path:
    """The folder of small import fixtures (our own files, in the real layouts)."""
    return FIXTURES


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty user store made once (copied for each test: making one takes a while)."""
    return ensure_user_store(tmp_path_factory.mktemp("userstore") / "user.sqlite")


@pytest.fixture
def store(tmp_path: Path, empty_store: Path) -> Path:
    """A fresh, empty user store of this test's own."""
    out = tmp_path / "user.sqlite"
    shutil.copyfile(empty_store, out)
    return out


Query = Callable[..., list[tuple[Any, ...]]]


@pytest.fixture
def q(store: Path) -> Query:
    """Run a read query on the store: q("SELECT ...", params...) -> rows."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(store)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    return run


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def dump() -> Callable[[Path], list[str]]:
    """Every row of every table (search index included), to compare a store before and after."""
    return _dump
