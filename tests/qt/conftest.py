"""Fixtures for the Qt layer: a workspace over the fixture store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.qt.workspace import Workspace
from explorer.storage.library import Library
from explorer.storage.store import EventStore


@pytest.fixture
def library(mini_store: Path) -> Iterator[Library]:
    lib = Library([EventStore(mini_store)])
    yield lib
    lib.close()


@pytest.fixture
def workspace(qapp: object, library: Library) -> Iterator[Workspace]:
    ws = Workspace(library)
    yield ws
    ws.shutdown()
