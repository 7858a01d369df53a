"""`check_store`: unusable files are refused in one line; each problem names its event."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.storage.check import check_store
from explorer.storage.errors import SchemaVersionError, StoreError

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
ANNOUNCED_ID = f"(SELECT id FROM events WHERE key = '{ANNOUNCED}')"


def test_the_mini_store_is_clean(mini_store: Path, seeds_dir: Path) -> None:
    report = check_store(mini_store, seeds_dir)
    assert report.problems == []
    assert (report.events, report.quotes, report.verified_quotes) == (6, 7, 7)


def test_the_curated_store_is_clean(curated_store: Path, seeds_dir: Path) -> None:
    report = check_store(curated_store, seeds_dir)
    assert [str(p) for p in report.problems] == []
    assert report.events > 0 and report.verified_quotes > 0


# ----------------------------------------------------------------- unusable files


def _truncate(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def _garbage_in_the_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 3)
        fh.write(bytes(range(256)) * 64)


def _garbage_in_the_schema_page(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff" * 3000)


def _newer_schema(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def _drop_table(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE relations")
    conn.close()


def _zero_length(path: Path) -> None:
    path.write_bytes(b"")


def _text_file(path: Path) -> None:
    path.write_text("key,title\ne1,Not a store\n")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _missing(path: Path) -> None:
    path.unlink()


def _no_schema_version(path: Path) -> None:
    path.unlink()
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_truncate, "truncated"),
        (_garbage_in_the_middle, "damaged"),
        (_garbage_in_the_schema_page, "damaged"),
        (_newer_schema, "newer version"),
        (_drop_table, "missing table 'relations'"),
        (_zero_length, "empty"),
        (_text_file, "not an SQLite database"),
        (_directory, "folder"),
        (_missing, "no such file"),
        (_no_schema_version, "not an event store"),
    ],
)
def test_an_unusable_file_is_refused_in_one_line(
    mini_store_copy: Path, damage: Callable[[Path], None], words: str
) -> None:
    damage(mini_store_copy)
    with pytest.raises(StoreError) as info:
        check_store(mini_store_copy)
    message = str(info.value)
    assert words in message
    assert str(mini_store_copy) in message
    assert "\n" not in message


def test_a_newer_schema_is_its_own_error(mini_store_copy: Path) -> None:
    _newer_schema(mini_store_copy)
    with pytest.raises(SchemaVersionError, match="schema 99"):
        check_store(mini_store_copy)


# ----------------------------------------------------------------- problems in a usable store


def _edit(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")  # to make the damage the check must find
    with conn:
        for statement in sql:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(
    ("sql", "where", "words"),
    [
        (
            [f"UPDATE quotes SET text = text || '!' WHERE event_id = "
             f"(SELECT id FROM events WHERE key = '{ANNOUNCED}')"],
            ANNOUNCED,
            "is not verbatim at offsets",
        ),
        (
            [f"DELETE FROM quotes WHERE event_id = {ANNOUNCED_ID}"],
            ANNOUNCED,
            "has no quote",
        ),
        (
            [f"UPDATE events SET start_day = start_day - 1 WHERE key = '{ANNOUNCED}'"],
            ANNOUNCED,
            "start_day",
        ),
        (
            [f"UPDATE events SET precision = 'month' WHERE key = '{ANNOUNCED}'"],
            ANNOUNCED,
            "precision 'month' does not match start '2024-05-30'",
        ),
        (
            [f"UPDATE events SET start = '2024-05-32' WHERE key = '{ANNOUNCED}'"],
            ANNOUNCED,
            "start:",
        ),
        (
            [f"UPDATE events SET date_source_id = NULL WHERE key = '{ANNOUNCED}'"],
            ANNOUNCED,
            "no date source",
        ),
        (
            ["UPDATE sources SET url = '' WHERE key = 'src-reuters-2024-05-30'"],
            ANNOUNCED,
            "has no URL",
        ),
        (
            [f"INSERT INTO relations VALUES ((SELECT id FROM events WHERE key = '{ANNOUNCED}'), "
             "999, 'cites', '')"],
            ANNOUNCED,
            "names a missing event",
        ),
        (
            [f"DELETE FROM events_fts WHERE rowid = {ANNOUNCED_ID}"],
            "store",
            "search index has 5 rows for 6 events",
        ),
    ],
    ids=[
        "quote not verbatim",
        "event without quote",
        "start_day inconsistent",
        "precision inconsistent",
        "start not a date",
        "external basis without source",
        "date source without URL",
        "relation to a missing event",
        "search index short",
    ],
)  # fmt: skip
def test_each_problem_is_found_and_names_its_event(
    mini_store_copy: Path, seeds_dir: Path, sql: list[str], where: str, words: str
) -> None:
    _edit(mini_store_copy, *sql)
    problems = check_store(mini_store_copy, seeds_dir).problems
    assert any(p.where == where and words in p.message for p in problems), problems


def test_a_source_text_that_changed_is_reported_not_compared(
    mini_store_copy: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for f in seeds_dir.iterdir():
        (texts / f.name).write_bytes(f.read_bytes())
    seed = texts / "000_269ee559bc6f6ec6.txt"
    seed.write_bytes(seed.read_bytes().replace(b"last Thursday", b"on Thursday"))
    problems = check_store(mini_store_copy, texts).problems
    assert [p.where for p in problems] == ["source src-scmp"]
    assert "sha256 differs" in problems[0].message


def test_without_source_texts_quotes_are_not_compared(mini_store_copy: Path) -> None:
    report = check_store(mini_store_copy, None)
    assert report.problems == [] and report.verified_quotes == 0
    assert report.texts_found == 0 and report.texts_named > 0  # the command warns on this


def test_the_source_texts_found_are_counted(mini_store_copy: Path, seeds_dir: Path) -> None:
    report = check_store(mini_store_copy, seeds_dir)
    assert report.texts_found == report.texts_named > 0


def test_check_never_writes_the_store(mini_store_copy: Path, seeds_dir: Path) -> None:
    before = (mini_store_copy.read_bytes(), os.stat(mini_store_copy).st_mtime_ns)
    check_store(mini_store_copy, seeds_dir)
    assert (mini_store_copy.read_bytes(), os.stat(mini_store_copy).st_mtime_ns) == before
