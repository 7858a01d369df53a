"""`explorer import`: summary, exit status, --report, and the user store by default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.storage import paths
from explorer.storage.bundled import bundled_store_path
from explorer.storage.store import EventStore


def test_summary_and_report(
    fx: Path, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "out" / "report.json"
    code = main(
        ["import", str(fx / "os_cn_sanctions.csv"), "--into", str(store), "--report", str(report)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "6 rows parsed, 5 imported, 1 skipped (1 without a date); 4 events added" in out
    # rows without a date are not errors (exit 0 without --skip-bad), and each is listed
    assert "1 row without a date skipped (not an error: nothing to place it on the timeline)" in out
    assert "os_cn_sanctions.csv: line 6: no date (column 'Date' is empty)" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {"file", "format", "rows", "imported", "events_added", "skipped"} <= set(data)
    assert (data["format"], data["rows"], data["imported"], data["events_added"]) == (
        "opensanctions",
        6,
        5,
        4,
    )
    assert data["skipped"][0]["line"] == 6 and "no date" in data["skipped"][0]["reason"]
    assert (
        "2069" not in data["rules"]["two_digit_years"]
        and "1969" in data["rules"]["two_digit_years"]
    )
    assert list(tmp_path.joinpath("out").iterdir()) == [report]  # no temporary file left


def test_errors_exit_1_and_name_the_line(
    fx: Path, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.json"
    code = main(["import", str(fx / "ragged.csv"), "--into", str(store), "--report", str(report)])
    assert code == 1
    err = capsys.readouterr().err
    assert "ragged.csv: line 3: field 'Program': ragged row" in err
    assert "nothing imported" in err and "--skip-bad" in err
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["imported"] == 0 and data["errors"][0]["line"] == 3
    code = main(["import", str(fx / "ragged.csv"), "--into", str(store), "--skip-bad"])
    assert code == 0
    assert "skipped " in capsys.readouterr().out


def test_refused_file_exits_2_with_one_line(
    fx: Path, store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.json"
    code = main(["import", str(fx / "gbk.csv"), "--into", str(store), "--report", str(report)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("explorer: ") and "--encoding gbk" in err[0]
    assert json.loads(report.read_text(encoding="utf-8"))["refused"]


def test_mapping_on_the_command_line(
    fx: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "import",
            str(fx / "mapped.csv"),
            "--into",
            str(store),
            "--map",
            "start=Date",
            "--map",
            "name=Entity",
            "--map",
            "agency==Ministry of Commerce",
            "--date-order",
            "us",
        ]
    )
    assert code == 0
    assert "3 imported" in capsys.readouterr().out


def test_default_is_the_user_store_never_the_bundled(
    fx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # conftest points EXPLORER_DATA_DIR at a private folder for the session
    bundled = bundled_store_path()
    before = bundled.read_bytes()
    assert main(["import", str(fx / "os_bis_mieu.csv")]) == 0
    with EventStore(paths.user_store_path()) as user:
        assert user.count() > 0
        assert user.meta()["origin"] == "user"
    assert bundled.read_bytes() == before
    assert main(["import", str(fx / "os_bis_mieu.csv")]) == 0
    assert "already imported" in capsys.readouterr().out


def test_the_curated_store_is_refused(
    fx: Path, curated_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "curated.sqlite"
    copy.write_bytes(curated_store.read_bytes())
    before = copy.read_bytes()
    code = main(["import", str(fx / "os_bis_mieu.csv"), "--into", str(copy)])
    assert code == 2
    assert "read-only" in capsys.readouterr().err
    assert copy.read_bytes() == before


def test_into_a_missing_folder_is_refused_and_nothing_is_made(
    fx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "u.sqlite"
    report = tmp_path / "r.json"
    code = main(
        ["import", str(fx / "os_bis_mieu.csv"), "--into", str(target), "--report", str(report)]
    )
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"explorer: {target}: the folder {target.parent} does not exist"]
    assert not target.parent.exists()
    assert "does not exist" in json.loads(report.read_text(encoding="utf-8"))["refused"]


def test_the_default_user_store_folder_is_created(
    fx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path / "fresh" / "data"))
    assert main(["import", str(fx / "os_bis_mieu.csv")]) == 0
    assert (tmp_path / "fresh" / "data").is_dir() and paths.user_store_path().is_file()


def test_help_says_rows_without_a_date_are_skipped_not_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Rows without a date are not errors: they are skipped" in text
    assert "listed in the summary and the --report" in text
