"""Stores with rows the program cannot show: `explorer check` finds every one, an export refuses
the store in one line and writes nothing, the app leaves a user store out with a warning (or
refuses its main store in one line), and nothing ends in a traceback."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.storage import health
from explorer.storage.check import check_store
from explorer.storage.errors import StoreError
from explorer.storage.library import open_library, open_store

FIRST = "(SELECT min(id) FROM events)"

# name -> SQL that damages a copy of the mini store the way a hand edit or another tool could
DAMAGE = {
    "unknown kind": f"UPDATE events SET kind = 'bogus' WHERE id = {FIRST}",
    "unknown status": f"UPDATE events SET status = 'zombie' WHERE id = {FIRST}",
    "unknown basis": f"UPDATE events SET basis = 'vibes' WHERE id = {FIRST}",
    "unknown precision": f"UPDATE events SET precision = 'era' WHERE id = {FIRST}",
    "impossible date": f"UPDATE events SET start = '2023-13-45' WHERE id = {FIRST}",
    "NULL start": f"UPDATE events SET start = NULL WHERE id = {FIRST}",
    "NULL title": f"UPDATE events SET title = NULL WHERE id = {FIRST}",
    "NULL day number": f"UPDATE events SET start_day = NULL WHERE id = {FIRST}",
    "text day number": f"UPDATE events SET start_day = 'abc' WHERE id = {FIRST}",
    "day out of range": (
        f"UPDATE events SET start_day = 99999999999, end_day = 99999999999 WHERE id = {FIRST}"
    ),
    "end before start": f"UPDATE events SET end_day = start_day - 10 WHERE id = {FIRST}",
    "importance not a number": f"UPDATE events SET importance = 'high' WHERE id = {FIRST}",
    "dropped index": "DROP INDEX idx_events_window",
    "unknown actor kind": (
        "UPDATE actors SET kind = 'alien' WHERE id = (SELECT min(id) FROM actors)"
    ),
    "quote of a missing source": (
        "UPDATE quotes SET source_id = 99999 WHERE id = (SELECT min(id) FROM quotes)"
    ),
    "unknown relation kind": (
        "UPDATE relations SET kind = 'hates' WHERE rowid = (SELECT min(rowid) FROM relations)"
    ),
    "bytes in a title": f"UPDATE events SET title = x'0001' WHERE id = {FIRST}",
    "a real in a day number": (
        f"UPDATE events SET start_day = 1e300, end_day = 1e300 WHERE id = {FIRST}"
    ),
    "id out of range": f"UPDATE events SET id = 4000000000 WHERE id = {FIRST}",
    "link to a missing event": (
        "UPDATE event_countries SET event_id = 99999 "
        "WHERE rowid = (SELECT min(rowid) FROM event_countries)"
    ),
    "source date no date": (
        "UPDATE sources SET published = 'yesterday' WHERE id = (SELECT min(id) FROM sources)"
    ),
}


def damage(store: Path, sql: str) -> Path:
    """Apply `sql` the way a tool that ignores our constraints would (NOT NULL included)."""
    conn = sqlite3.connect(store)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("PRAGMA foreign_keys = OFF")
        if "= NULL" in sql:
            column = sql.split("SET ")[1].split(" =")[0]
            table_sql = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'events'"
            ).fetchone()[0]
            loose = re.sub(rf"(\b{column}\b\s+\w+)\s+NOT NULL", r"\1", table_sql, count=1)
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'events'", (loose,))
            conn.commit()
            conn.close()
            conn = sqlite3.connect(store)
            conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    return store


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request: pytest.FixtureRequest, mini_store: Path, tmp_path: Path) -> Path:
    store = tmp_path / f"{request.param.replace(' ', '-')}.sqlite"
    shutil.copyfile(mini_store, store)
    return damage(store, DAMAGE[request.param])


def test_check_finds_it(damaged: Path) -> None:
    report = check_store(damaged)
    assert report.problems, f"{damaged.name}: check said OK"
    assert all("\n" not in str(p) for p in report.problems)


def test_an_export_refuses_it_in_one_line_and_writes_nothing(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from explorer import cli

    target = tmp_path / "out.json"
    assert cli.main(["export", "--db", str(damaged), "--no-user-store", "-o", str(target)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(damaged) in lines[0] and "explorer check" in lines[0]
    assert not target.exists() and not list(tmp_path.glob(".out*"))


def test_a_picture_export_in_its_own_process_says_one_line_too(
    mini_store: Path, tmp_path: Path
) -> None:
    store = damage(shutil.copyfile(mini_store, tmp_path / "s.sqlite"), DAMAGE["unknown kind"])
    target = tmp_path / "out.png"
    cmd = [sys.executable, "-m", "explorer", "export", "--db", str(store)]
    proc = subprocess.run(
        [*cmd, "--no-user-store", "-o", str(target)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "kind 'bogus'" in proc.stderr
    assert not target.exists()


def test_the_app_refuses_a_damaged_main_store_and_leaves_out_a_damaged_user_store(
    damaged: Path, mini_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.storage import paths

    with pytest.raises(StoreError) as caught:
        open_store(damaged)
    assert str(damaged) in str(caught.value) and "\n" not in str(caught.value)
    monkeypatch.setattr(paths, "user_store_path", lambda: damaged)
    monkeypatch.setattr("explorer.storage.userstore.paths.user_store_path", lambda: damaged)
    lib, warnings = open_library(mini_store)
    try:
        assert [s.path for s in lib.stores] == [mini_store]
        assert len(warnings) == 1 and warnings[0].startswith("your own store was left out")
    finally:
        lib.close()


def test_a_clean_store_passes_and_its_verdict_is_kept(mini_store_copy: Path) -> None:
    assert not health.is_cached(mini_store_copy)
    store = open_store(mini_store_copy)
    store.close()
    assert health.is_cached(mini_store_copy)
    # a change of the file is a new version: examined again, and refused
    damage(mini_store_copy, DAMAGE["unknown kind"])
    assert not health.is_cached(mini_store_copy)
    with pytest.raises(health.BadRowsError, match="kind 'bogus'"):
        open_store(mini_store_copy)


def test_a_large_store_is_examined_later_and_by_an_export(
    mini_store_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from explorer.domain.view import ViewState
    from explorer.export.api import export_view
    from explorer.storage import library

    damage(mini_store_copy, DAMAGE["unknown status"])
    monkeypatch.setattr(library, "VERIFY_NOW_BELOW", 0)
    store = open_store(mini_store_copy)  # shown at once, not yet examined
    lib = library.Library([store])
    try:
        assert store.unverified
        with pytest.raises(health.BadRowsError, match="status 'zombie'"):
            export_view(lib, ViewState(), "json", tmp_path / "out.json")
        assert not (tmp_path / "out.json").exists()
    finally:
        lib.close()
