"""Where an import reads and writes: only regular files (or paths that do not exist yet).

Every case runs the real command in a process of its own on real files, devices and pipes: a
store or a report named on a character device or a named pipe, a report on a folder, through a
symbolic link or in a place that takes no new files, an input that is a pipe or a device. Each
ends in one line on standard error and exit status 2 before any work is done (never a
replaced device node, a traceback or a hang), or writes through the link and keeps it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="making a device node (os.mknod) needs root",
)
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")


def explorer(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m explorer ARGS` in a process of its own, with private user folders."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "EXPLORER_DATA_DIR": str(cwd / "data"),
        "EXPLORER_CACHE_DIR": str(cwd / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # a hang (a pipe waiting for its other end) fails the test
        check=False,
    )


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The one line on standard error of a refused command (exit 2, no traceback)."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("explorer: ")
    return lines[0]


def char_device(path: Path) -> Path:
    """A character device node like /dev/null (major 1, minor 3), made here."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


def same_node(path: Path, before: os.stat_result) -> bool:
    after = path.lstat()
    return (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode,
        before.st_rdev,
        before.st_ino,
    )


def rows_of(store: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(store)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


# --------------------------------------------------------------------------- the store (--into)


@needs_root
def test_into_a_character_device_is_refused_and_the_node_kept(fx: Path, tmp_path: Path) -> None:
    device = char_device(tmp_path / "store.sqlite")
    before = device.lstat()
    proc = explorer("import", str(fx / "os_bis_mieu.csv"), "--into", str(device), cwd=tmp_path)
    assert one_line(proc) == f"explorer: {device}: a character device, not a regular file"
    assert same_node(device, before)
    assert not list(tmp_path.glob(".store.sqlite*"))


@needs_fifo
def test_into_a_named_pipe_is_refused_and_the_pipe_kept(fx: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "store.sqlite"
    os.mkfifo(fifo)
    before = fifo.lstat()
    proc = explorer("import", str(fx / "os_bis_mieu.csv"), "--into", str(fifo), cwd=tmp_path)
    assert one_line(proc) == f"explorer: {fifo}: a named pipe (FIFO), not a regular file"
    assert same_node(fifo, before)


@needs_fifo
def test_a_store_whose_journal_is_a_pipe_is_refused(fx: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "u.sqlite-journal")
    proc = explorer("import", str(fx / "os_bis_mieu.csv"), "--into", "u.sqlite", cwd=tmp_path)
    assert "u.sqlite-journal: a named pipe (FIFO), not a regular file" in one_line(proc)
    assert not (tmp_path / "u.sqlite").exists()


@needs_root
def test_into_a_link_to_a_device_is_refused(fx: Path, tmp_path: Path) -> None:
    device = char_device(tmp_path / "null")
    link = tmp_path / "u.sqlite"
    link.symlink_to(device.name)
    proc = explorer("import", str(fx / "os_bis_mieu.csv"), "--into", str(link), cwd=tmp_path)
    assert "a character device, not a regular file" in one_line(proc)
    assert link.is_symlink() and stat.S_ISCHR(device.lstat().st_mode)


# --------------------------------------------------------------------------- the report


@needs_root
def test_report_on_a_character_device_is_refused_before_the_import(
    fx: Path, tmp_path: Path
) -> None:
    device = char_device(tmp_path / "report.json")
    before = device.lstat()
    proc = explorer(
        "import", str(fx / "os_bis_mieu.csv"), "--into", "u.sqlite", "--report", str(device),
        cwd=tmp_path,
    )  # fmt: skip
    line = one_line(proc)
    assert line == f"explorer: --report {device}: a character device, not a regular file"
    assert same_node(device, before)
    assert not (tmp_path / "u.sqlite").exists()  # refused before any work


@needs_fifo
def test_report_on_a_named_pipe_is_refused_without_waiting(fx: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    proc = explorer(
        "import", str(fx / "os_bis_mieu.csv"), "--into", "u.sqlite", "--report", str(fifo),
        cwd=tmp_path,
    )  # fmt: skip
    assert "a named pipe (FIFO), not a regular file" in one_line(proc)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_report_on_a_folder_is_refused_before_the_import_commits(
    fx: Path, tmp_path: Path, store: Path
) -> None:
    folder = tmp_path / "report.json"
    folder.mkdir()
    proc = explorer(
        "import", str(fx / "os_bis_mieu.csv"), "--into", str(store), "--report", str(folder),
        cwd=tmp_path,
    )  # fmt: skip
    assert one_line(proc) == f"explorer: --report {folder}: is a folder"
    assert rows_of(store) == 0  # before: the import committed, then a traceback
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="/proc (takes no new files) is Linux's")
def test_report_where_no_file_can_be_made_is_refused_before_the_import_commits(
    fx: Path, tmp_path: Path, store: Path
) -> None:
    proc = explorer(
        "import", str(fx / "os_bis_mieu.csv"), "--into", str(store), "--report", "/proc/r.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert one_line(proc).startswith("explorer: --report /proc/r.json: cannot write in /proc")
    assert rows_of(store) == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are needed")
def test_report_through_a_link_writes_the_file_and_keeps_the_link(fx: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    proc = explorer(
        "import", str(fx / "os_bis_mieu.csv"), "--into", "u.sqlite", "--report", str(link),
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == real.name
    assert json.loads(real.read_text(encoding="utf-8"))["committed"] is True
    # a new report gets the usual permissions, not mkstemp's 0600
    umask = os.umask(0)
    os.umask(umask)
    new = tmp_path / "new.json"
    proc = explorer(
        "import", str(fx / "os_cn_sanctions.csv"), "--into", "u.sqlite", "--report", str(new),
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask


# --------------------------------------------------------------------------- the input


@needs_fifo
def test_an_input_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    proc = explorer("import", str(fifo), "--into", "u.sqlite", cwd=tmp_path)
    assert one_line(proc) == (
        f"explorer: {fifo}: a named pipe (FIFO), not a regular file; save the list to a file "
        "and import that"
    )
    assert not (tmp_path / "u.sqlite").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="/dev/zero is POSIX's")
def test_an_input_device_is_refused(tmp_path: Path) -> None:
    proc = explorer("import", "/dev/zero", "--into", "u.sqlite", cwd=tmp_path)
    assert "explorer: /dev/zero: a character device, not a regular file" in one_line(proc)
