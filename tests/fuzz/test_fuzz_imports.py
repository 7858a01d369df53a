"""Fuzzing the importers with real-format files: bytes, fields, quotes, encodings and dates are
mutated, and every outcome keeps the invariant: the import succeeds and the store is whole and
clean (integrity, foreign keys, every row one the program can show), or it fails with one line
naming the file and the store keeps its bytes. Nothing else: no traceback, no half-written
store, no temporary file left behind."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.storage import health
from explorer.storage.errors import StoreError
from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.userstore import ensure_user_store
from tests.fuzz.conftest import examples

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
BASES = ("csl_old.csv", "csl_new.csv", "os_dod_1260h.csv", "os_cn_sanctions.csv")
SDN = "sdn_2024-01-02.csv"

# Values a hostile or careless file puts in a cell.
NASTY = st.sampled_from(
    [
        "",
        '"',
        '""',
        'a "quoted" word',
        "line\nbreak",
        "\r",
        "\x00",
        "-2023-01-01",
        "+2023",
        "2023-13-45",
        "31/12/2023",
        "12/31/2023",
        "0000-01-01",
        "9999-12-31",
        "1e999",
        "NaN",
        '=HYPERLINK("x")',
        "试验公司",
        "\u202e\u2028",
        "x" * 5000,
        ";;;;",
        ",,,",
    ]
)

settings.register_profile(
    "fuzz",
    max_examples=examples(),
    deadline=None,
    derandomize=examples() <= 100,  # CI replays the same examples; a long hunt explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes, str | None]:
    """A real-format file changed a little: (its name, its bytes, the --encoding to give)."""
    name = draw(st.sampled_from((*BASES, SDN)))
    text = (FIXTURES / name).read_text(encoding="utf-8")
    how = draw(st.sampled_from(["cells", "bytes", "encoding", "rows"]))
    encoding: str | None = None
    if how == "cells":
        rows = _rows(text)
        for _ in range(draw(st.integers(1, 4))):
            r = draw(st.integers(0, len(rows) - 1))
            if rows[r]:
                c = draw(st.integers(0, len(rows[r]) - 1))
                rows[r][c] = draw(NASTY | st.text(max_size=30))
        data = _csv(rows).encode("utf-8")
    elif how == "rows":
        rows = _rows(text)
        r = draw(st.integers(1, max(1, len(rows) - 1)))
        if r < len(rows):
            if draw(st.booleans()):
                rows[r] = rows[r][: draw(st.integers(0, len(rows[r])))]  # too few fields
            else:
                rows[r] = rows[r] + draw(st.lists(NASTY, min_size=1, max_size=3))  # too many
        data = _csv(rows).encode("utf-8")
    elif how == "bytes":
        raw = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, len(raw)))
            op = draw(st.sampled_from(["insert", "delete", "replace"]))
            chunk = draw(st.binary(min_size=1, max_size=6))
            if op == "insert":
                raw[at:at] = chunk
            elif op == "delete":
                del raw[at : at + len(chunk)]
            else:
                raw[at : at + len(chunk)] = chunk
        data = bytes(raw)
    else:
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "latin-1", "gbk", "utf-8-sig"]))
        data = text.encode(codec, errors="replace")
        encoding = draw(st.sampled_from([None, codec, "utf-8", "utf-16", "rot13", "nope"]))
    return name, data, encoding


def check_outcome(file: Path, store: Path, before: str, options: ImportOptions) -> None:
    """Import `file` into `store` and hold the invariant."""
    try:
        result = import_file(file, store, options)
    except StoreError as exc:
        message = str(exc)
        assert "\n" not in message, message
        assert str(file) in message or str(store) in message or "--" in message, message
        assert _digest(store) == before
        return
    if not result.committed:
        assert _digest(store) == before
        assert result.errors or result.already_imported
        for skip in result.errors:
            assert "\n" not in skip.reason
        return
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert health.row_problems(conn) == []
    finally:
        conn.close()


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_user_store(tmp_path_factory.mktemp("fuzz") / "user.sqlite")


@settings(settings.get_profile("fuzz"))
@given(case=mutated(), skip_bad=st.booleans())
def test_a_mutated_list_imports_cleanly_or_fails_in_one_line(
    empty_store: Path, case: tuple[str, bytes, str | None], skip_bad: bool
) -> None:
    name, data, encoding = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        file = folder / name
        file.write_bytes(data)
        store = folder / "user.sqlite"
        shutil.copyfile(empty_store, store)
        # one real import first, so that a failed one has something to keep
        import_file(FIXTURES / "os_dod_1260h.csv", store, ImportOptions())
        before = _digest(store)
        options = ImportOptions(skip_bad=skip_bad, encoding=encoding)
        check_outcome(file, store, before, options)
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert leftovers == [], leftovers
