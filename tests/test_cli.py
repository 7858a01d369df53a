"""The command line: check's exit statuses and messages, export, and the documented commands."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import main, make_parser
from explorer.storage import paths


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        make_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    for command in ("gui", "build-db", "check", "export"):
        assert command in out


def test_check_a_clean_store_exits_0_with_a_summary(mini_store: Path, capsys) -> None:
    assert main(["check", "--db", str(mini_store)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "6 events, 7 quotes (7 checked against their source text): OK" in out


def test_check_the_bundled_store_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    # Builds db/ into the session's private cache (conftest), then checks it: it must be clean.
    assert main(["check"]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert str(paths.cache_dir()) in out and out.rstrip().endswith("OK")


def test_check_lists_each_problem_with_its_event_and_exits_1(mini_store_copy: Path, capsys):
    conn = sqlite3.connect(mini_store_copy)
    with conn:
        conn.execute("UPDATE quotes SET text = 'invented words' WHERE id IN (1, 2)")
    conn.close()
    assert main(["check", "--db", str(mini_store_copy)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 2
    assert all("'invented words' is not verbatim" in line for line in lines)
    assert all(line.split(":")[0].startswith(("cn-", "us-", "hk-")) for line in lines)
    assert "2 problems" in captured.err


def test_one_problem_is_one_problem(mini_store_copy: Path, capsys) -> None:
    conn = sqlite3.connect(mini_store_copy)
    with conn:
        conn.execute("UPDATE quotes SET text = 'invented words' WHERE id = 1")
    conn.close()
    assert main(["check", "--db", str(mini_store_copy)]) == 1
    err = capsys.readouterr().err
    assert err.rstrip().endswith(": 1 problem"), err


def test_check_without_the_source_texts_warns_but_exits_0(
    mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-seeds"
    assert main(["check", "--db", str(mini_store), "--sources", str(missing)]) == 0
    captured = capsys.readouterr()
    assert captured.out.rstrip().endswith("(0 checked against their source text): OK")
    warning = captured.err.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("explorer check: warning: ")
    assert str(missing) in warning[0] and "does not exist" in warning[0]
    assert "--sources" in warning[0] and "EXPLORER_SOURCE_TEXTS" in warning[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", "--db", str(mini_store), "--sources", str(empty)]) == 0
    assert "holds none of them" in capsys.readouterr().err


def test_check_with_the_source_texts_does_not_warn(
    mini_store: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(mini_store), "--sources", str(seeds_dir)]) == 0
    assert capsys.readouterr().err == ""


def _damaged(kind: str, good: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    if kind == "missing":
        return path
    if kind == "directory":
        path.mkdir()
        return path
    if kind == "empty":
        path.write_bytes(b"")
        return path
    if kind == "text":
        path.write_text("not a store\n" * 50)
        return path
    data = bytearray(good.read_bytes())
    if kind == "truncated":
        del data[len(data) // 2 :]
    elif kind == "garbage":
        data[len(data) // 3 : len(data) // 3 + 8192] = b"\xa5" * 8192
    path.write_bytes(bytes(data))
    if kind in ("newer", "no-table"):
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99" if kind == "newer" else "DROP TABLE quotes")
        conn.close()
    return path


KINDS = ["missing", "directory", "empty", "text", "truncated", "garbage", "newer", "no-table"]


@pytest.mark.parametrize("kind", KINDS)
def test_check_an_unusable_file_exits_2_with_one_line(
    kind: str, mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _damaged(kind, mini_store, tmp_path)
    assert main(["check", "--db", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"explorer: {path}: ")
    assert captured.err.count("\n") == 1


def test_a_damaged_store_gives_no_traceback_in_a_real_process(mini_store: Path, tmp_path: Path):
    path = _damaged("garbage", mini_store, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "check", "--db", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr == f"explorer: {path}: damaged (database disk image is malformed)\n"


def test_opening_the_window_imports_none_of_the_other_commands(tmp_path: Path) -> None:
    # `explorer --db PATH` goes straight to the window: sqlite-utils, the importers and the
    # exporters (0.4 s of imports) stay out of its start; a missing store still says so.
    code = (
        "import sys; from explorer.cli import main; "
        f"rc = main(['--db', {str(tmp_path / 'missing.sqlite')!r}]); "
        "print(rc, sorted(m for m in ('sqlite_utils', 'explorer.storage.importers', "
        "'explorer.export.writers', 'explorer.commands.export') if m in sys.modules))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.stdout.strip() == "2 []", proc.stdout + proc.stderr
    assert "missing.sqlite" in proc.stderr or "missing.sqlite" in proc.stdout


def test_build_then_check_then_export(mini_data: Path, seeds_dir: Path, tmp_path: Path, capsys):
    store = tmp_path / "built.sqlite"
    argv = ["build-db", "--data", str(mini_data), "--sources", str(seeds_dir), "-o", str(store)]
    assert main(argv) == 0
    assert main(["check", "--db", str(store), "--sources", str(seeds_dir)]) == 0
    out = tmp_path / "out.json"
    assert main(["export", "--format", "json", "--db", str(store), "-o", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["meta"]["event_count"] == 6


def test_export_only_offers_formats_that_exist(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "docx", "-o", "x.docx"])
    assert info.value.code == 2
    assert "invalid choice: 'docx'" in capsys.readouterr().err


def test_export_to_a_pipe_closed_early_ends_quietly(curated_store: Path) -> None:
    """`explorer export -o - | head`: the reader leaving is not an error worth a traceback."""
    # The curated export (~140 kB) is larger than a pipe's buffer, so the writer meets the
    # closed pipe.
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "export", "--db", str(curated_store), "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10) == b'{\n  "meta"'
    proc.stdout.close()  # the reader goes away while the export is still writing
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err


# ------------------------------------------------------------------ measures


def test_check_warns_about_weakly_sourced_events_and_still_exits_0(
    measures_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(measures_store)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "warning: cn-2026-03-cas-draft-63-item-list: its only sources are secondary "
        "(a primary or established source would back it)",
        "warning: hk-2026-06-02-hk01-reports-draft-list: its only sources are secondary "
        "(a primary or established source would back it)",
    ]
    assert out[-1].endswith(", 2 warnings: OK")


def test_measures_lists_each_measure_with_its_status_on_a_day(
    measures_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["measures", "--db", str(measures_store), "--no-user-store"]
    assert main([*args, "--on", "2025-12-01"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["on"] == "2025-12-01"
    aero, drones = doc["measures"]
    assert aero == {
        "key": "cn-aerospace-controls",
        "title": "Export controls on aerospace items",
        "kind": "control_list",
        "issuers": [
            {"key": "mofcom", "name": "Ministry of Commerce"},
            {"key": "gac", "name": "General Administration of Customs"},
        ],
        "status": "suspended",
        "phases": [
            {
                "phase": "announced",
                "date": "2024-05-30",
                "event": "cn-2024-05-30-aerospace-controls-announced",
            },
            {
                "phase": "in_force",
                "date": "2024-07-01",
                "event": "cn-2024-07-01-aerospace-controls-in-force",
            },
            {
                "phase": "suspended",
                "date": "2025-11-10",
                "end": "2026-11-10",
                "event": "cn-2025-11-10-aerospace-controls-suspended",
            },
        ],
    }
    assert drones["status"] == "revoked"
    statuses = {}
    for day in ("2023-06-30", "2023-07-15", "2024-06-01", "2026-11-11"):
        assert main([*args, "--on", day]) == 0
        statuses[day] = [m["status"] for m in json.loads(capsys.readouterr().out)["measures"]]
    assert statuses == {
        "2023-06-30": ["not_yet", "not_yet"],
        "2023-07-15": ["not_yet", "announced"],
        "2024-06-01": ["announced", "in_force"],
        "2026-11-11": ["in_force", "revoked"],
    }


def test_measures_as_csv_to_a_file_and_today_by_default(
    measures_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io
    from datetime import date

    out = tmp_path / "measures.csv"
    assert main(["measures", "--db", str(measures_store), "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: the measures on {date.today().isoformat()} as csv\n"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["key"] for r in rows] == ["cn-aerospace-controls", "cn-drone-controls"]
    assert rows[0]["issuers"] == "Ministry of Commerce; General Administration of Customs"
    assert rows[0]["phases"].endswith(
        "suspended 2025-11-10–2026-11-10 (cn-2025-11-10-aerospace-controls-suspended)"
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--on", "2024-07"], "--on: '2024-07' is not a day; use YYYY-MM-DD"),
        (["--format", "csv", "-o", "x.json"], "the suffix .json means json, but --format is csv"),
    ],
)
def test_measures_refuses_bad_flags_in_one_line(
    measures_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["measures", "--db", str(measures_store), *flags]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_store_without_measures_lists_none(mini_store: Path, capsys) -> None:
    assert main(["measures", "--db", str(mini_store), "--on", "2024-01-01"]) == 0
    assert json.loads(capsys.readouterr().out) == {"on": "2024-01-01", "measures": []}
