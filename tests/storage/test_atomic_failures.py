"""Failed exports of every format leave no partial file and say why in one line.

The disk filling up is simulated two ways: a file-size limit (RLIMIT_FSIZE) makes the kernel
refuse the write in a child process, and an ENOSPC raised by the file object's own flush to disk
stands in for a full disk in-process. Both go through the real command and the real atomic writer.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.storage import atomic

pytestmark = pytest.mark.usefixtures("qapp")

FORMATS = ("png", "svg", "pdf", "csv", "md", "json")


def _export(store: Path, fmt: str, out: Path) -> int:
    return main(["export", "--db", str(store), "--format", fmt, "-o", str(out)])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_folder_is_named_and_nothing_is_written(
    fmt: str, mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _export(mini_store, fmt, tmp_path / "nope" / f"out.{fmt}") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and "nope" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ("png", "pdf", "csv"))
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temporary(
    fmt: str,
    mini_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"the previous export")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    assert _export(mini_store, fmt, target) == 2
    err = capsys.readouterr().err
    assert err == f"explorer: {target}: cannot write it: the disk is full\n"
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


FSIZE = """
import resource, signal, sys
from explorer.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit a write fails, nothing is killed
resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
sys.exit(main(["export", "--db", sys.argv[1], "--format", sys.argv[2], "-o", sys.argv[3]]))
"""


@pytest.mark.parametrize("fmt", ("pdf", "png"))
def test_running_out_of_room_mid_write_leaves_no_file(
    fmt: str, mini_store: Path, tmp_path: Path
) -> None:
    target = tmp_path / f"out.{fmt}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", FSIZE, str(mini_store), fmt, str(target)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"explorer: {target}: cannot write it: ")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_named(mini_store: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root ignores modes; the kernel's /sys refuses even root
        folder = Path("/sys")
    before = set(os.listdir(folder))
    assert _export(mini_store, "pdf", folder / "out.pdf") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(folder / "out.pdf") in err
    assert set(os.listdir(folder)) == before


def test_a_device_or_pipe_is_refused_and_left_alone(mini_store: Path, tmp_path: Path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert _export(mini_store, "svg", fifo) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe"]
