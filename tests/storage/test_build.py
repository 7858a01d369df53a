"""Building the store from curated text: deterministic, and refusing bad text with a clear line."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from explorer.storage import build
from explorer.storage.errors import StoreError
from explorer.storage.store import EventStore


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_building_twice_gives_the_same_store(curated_data: Path, seeds_dir: Path, tmp_path: Path):
    a = build.build(curated_data, tmp_path / "a.sqlite", seeds_dir).path
    b = build.build(curated_data, tmp_path / "b.sqlite", seeds_dir).path
    assert _dump(a) == _dump(b)
    assert a.read_bytes() == b.read_bytes()


def test_the_build_checks_every_quote_of_a_held_text(mini_data: Path, seeds_dir: Path, tmp_path):
    result = build.build(mini_data, tmp_path / "m.sqlite", seeds_dir)
    assert result.events == 6
    assert result.quotes == result.verified_quotes == 7


def test_events_are_stored_in_date_order(mini_store: Path) -> None:
    with EventStore(mini_store) as store:
        summaries = store.summaries()
    assert [s.id for s in summaries] == list(range(1, len(summaries) + 1))
    assert [s.start_day for s in summaries] == sorted(s.start_day for s in summaries)


Edit = Callable[[dict[str, list[Any]]], None]


def _first_event(data: dict[str, list[Any]]) -> dict[str, Any]:
    return data["events.json"][0]


def _bad_date(data: dict[str, list[Any]]) -> None:
    _first_event(data)["start"] = "2024-13-01"


def _unknown_key(data: dict[str, list[Any]]) -> None:
    _first_event(data)["items"] = ["no-such-item"]


def _duplicate_key(data: dict[str, list[Any]]) -> None:
    data["events.json"].append(dict(data["events.json"][1]))


def _moved_quote(data: dict[str, list[Any]]) -> None:
    q = _first_event(data)["quotes"][0]
    q["start"] += 1
    q["end"] += 1


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (_bad_date, ["events.json", "cn-2024-05-30-aerospace-controls-announced", "'start'"]),
        (_unknown_key, ["events.json", "cn-2024-05-30", "'items'", "no-such-item"]),
        (_duplicate_key, ["events.json", "cn-2024-07-01-aerospace-controls-in-force", "twice"]),
        (_moved_quote, ["events.json", "cn-2024-05-30", "offsets", "src-scmp"]),
    ],
    ids=["bad date", "unknown key", "duplicate key", "quote not at its offsets"],
)
def test_bad_curated_text_names_file_record_and_field_and_leaves_no_file(
    mini_data: Path, seeds_dir: Path, tmp_path: Path, edit: Edit, words: list[str]
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(mini_data, data_dir)
    data = {"events.json": json.loads((data_dir / "events.json").read_text("utf-8"))}
    edit(data)
    (data_dir / "events.json").write_text(json.dumps(data["events.json"]), "utf-8")
    out_dir = tmp_path / "out"
    with pytest.raises(StoreError) as info:
        build.build(data_dir, out_dir / "store.sqlite", seeds_dir)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    assert list(out_dir.iterdir()) == []  # neither the store nor a temporary file


def test_a_failed_build_keeps_the_previous_store(mini_data: Path, seeds_dir: Path, tmp_path):
    out = tmp_path / "store.sqlite"
    build.build(mini_data, out, seeds_dir)
    before = out.read_bytes()
    data_dir = tmp_path / "data"
    shutil.copytree(mini_data, data_dir)
    (data_dir / "relations.json").write_text('[{"from": "x", "to": "y", "kind": "cites"}]')
    with pytest.raises(StoreError, match=r"relations.json record 1: field 'from'"):
        build.build(data_dir, out, seeds_dir)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "store.sqlite"]


@pytest.mark.parametrize(
    ("words", "key"),
    [
        # the paper names its authors; their academy is found through them, in both scripts
        ("中国工程院", "cn-2026-03-cas-bulletin-63-item-draft-list"),
        ("中國工程院", "cn-2026-03-cas-bulletin-63-item-draft-list"),
        ("南京大学", "hk-2024-zhu-feng-statement"),
    ],
)
def test_an_institution_finds_what_its_people_said_or_wrote(
    curated_store: Path, words: str, key: str
) -> None:
    with EventStore(curated_store) as store:
        hits = store.conn.execute(
            "SELECT e.key FROM events_fts f JOIN events e ON e.id = f.rowid "
            "WHERE events_fts MATCH ?",
            (f'"{words}"',),
        ).fetchall()
    assert key in {k for (k,) in hits}


def test_the_bundled_build_is_named_by_its_data_and_its_builder(
    curated_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.storage import bundled

    data = tmp_path / "db"
    shutil.copytree(curated_data, data)
    key = bundled.build_key(data)
    assert bundled.build_key(data) == key
    # other builder code: another build
    monkeypatch.setattr(bundled, "_BUILDERS", ("build.py",))
    assert bundled.build_key(data) != key
    monkeypatch.undo()
    # other data: another build
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    meta["data_version"] += "-changed"
    (data / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert bundled.build_key(data) != key
