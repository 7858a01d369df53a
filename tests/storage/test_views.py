"""Saved views live in the user store; the bundled store is never written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from explorer.domain.filters import FilterState, parse_bound
from explorer.domain.view_token import SavedView, encode
from explorer.storage.errors import StoreError
from explorer.storage.views import ViewError, ViewStore


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


VIEW = SavedView(
    FilterState(agencies=("mofcom",), date_from=parse_bound("2023"), search="drone"),
    (738_700.0, 400.25),
    "agency",
    "cn-2023-07-drone-export-restrictions",
)


def test_save_list_load_replace_delete(tmp_path: Path) -> None:
    views = ViewStore(tmp_path / "user.sqlite")
    assert views.names() == []
    views.save("MOFCOM since 2023", VIEW)
    views.save("all", SavedView())
    assert views.names() == ["all", "MOFCOM since 2023"]
    assert views.load("MOFCOM since 2023") == VIEW
    assert views.token("MOFCOM since 2023") == encode(VIEW)
    views.save("all", VIEW)  # same name: replaced
    assert views.load("all") == VIEW and len(views.names()) == 2
    views.delete("all")
    assert views.names() == ["MOFCOM since 2023"]
    with pytest.raises(ViewError, match="no saved view is named 'all'; saved views: MOFCOM"):
        views.load("all")
    with pytest.raises(ViewError, match="needs a name"):
        views.save("   ", VIEW)


def test_views_persist_in_the_user_store_file(tmp_path: Path) -> None:
    path = tmp_path / "user.sqlite"
    ViewStore(path).save("x", VIEW)
    assert ViewStore(path).load("x") == VIEW


def test_the_bundled_store_is_refused_and_unchanged(mini_store_copy: Path) -> None:
    before = digest(mini_store_copy)
    with pytest.raises(StoreError, match="read-only"):
        ViewStore(mini_store_copy).save("x", VIEW)
    assert digest(mini_store_copy) == before
