"""The user store: where it may be created."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.storage import paths
from explorer.storage.errors import StoreError
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store


def test_an_explicit_path_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "u.sqlite"
    with pytest.raises(StoreError, match=r"the folder .*typo does not exist"):
        ensure_user_store(target)
    assert not target.parent.exists()


def test_the_default_location_is_created_with_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "a" / "b"))
    made = ensure_user_store()
    assert made == paths.user_store_path()
    with EventStore(made) as store:
        assert store.count() == 0
        assert store.meta()["origin"] == "user"
