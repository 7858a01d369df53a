"""What the disk and the machine do to us ends in one line naming the file and what to do:
a size limit or a full disk while creating a store or importing, a data folder that cannot be
made, a journal left by a killed write, a WAL store in a read-only folder, two processes making
the user store at once, and SQLite's result codes mapped as qutebrowser's sql.py maps them.
Anything else is a bug and says so."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import cli
from explorer.storage.errors import StoreError, describe, sqlite_code, user_errors
from explorer.storage.imports import list_imports
from explorer.storage.store import validate_file
from explorer.storage.userstore import ensure_user_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def _run(
    args: list[str], env: dict[str, str], fsize: int | None = None
) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        preexec_fn=limit,
        timeout=120,
    )


def _one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_size_limit_while_creating_the_store_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "user.sqlite"
    proc = _run(["import", str(FIXTURES / "csl_old.csv"), "--into", str(target)], {}, 20_000)
    line = _one_line(proc)
    assert str(target) in line and "creating your store" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_size_limit_during_an_import_keeps_the_store_as_it_was(
    tmp_path: Path, mini_store: Path
) -> None:
    target = tmp_path / "user.sqlite"
    assert (
        _run(["import", str(FIXTURES / "csl_old.csv"), "--into", str(target)], {}).returncode == 0
    )
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    big = tmp_path / "big.csv"
    header = (FIXTURES / "csl_old.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = [
        f'ISN,INKSNA,Entity {i:06d} with a long name for the test,,China,"Vol. 81, No. 128, '
        f'07/05/16",6/28/2016,,https://example.org/isn/list'
        for i in range(20_000)
    ]
    big.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    size = target.stat().st_size
    proc = _run(["import", str(big), "--into", str(target)], {}, size + 200_000)
    line = _one_line(proc)
    assert "disk" in line or "size limit" in line
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc = _run(
        ["import", str(FIXTURES / "csl_old.csv")], {"EXPLORER_DATA_DIR": str(blocker / "x")}
    )
    line = _one_line(proc)
    assert str(blocker) in line and "is a file, not a folder" in line


def _killed_mid_write(store: Path) -> None:
    """A process killed inside a write transaction: the store keeps a hot journal."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child dies by SIGKILL
        conn = sqlite3.connect(store, isolation_level=None)
        conn.execute("PRAGMA cache_size = 1")
        conn.execute("BEGIN")
        conn.execute("UPDATE events SET title = title || ' (half-written)'")
        conn.execute("UPDATE quotes SET text = text || ' (half-written)'")
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)


def test_a_journal_left_by_a_killed_write_is_rolled_back_not_called_damage(
    mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store.sqlite"
    shutil.copyfile(mini_store, store)
    before = sqlite3.connect(mini_store).execute("SELECT title FROM events ORDER BY id").fetchall()
    _killed_mid_write(store)
    assert Path(f"{store}-journal").stat().st_size > 0
    assert cli.main(["check", "--db", str(store)]) == 0, capsys.readouterr().err
    out = tmp_path / "out.json"
    assert cli.main(["export", "--db", str(store), "--no-user-store", "-o", str(out)]) == 0
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("SELECT title FROM events ORDER BY id").fetchall() == before
    finally:
        conn.close()


def _read_only_folder(folder: Path) -> bool:
    """Make `folder` unwritable for this process (root: the immutable flag); False if not."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    return subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0


def _writable_again(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_a_wal_store_in_a_read_only_folder_is_read(
    mini_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    store = folder / "wal.sqlite"
    shutil.copyfile(mini_store, store)
    conn = sqlite3.connect(store)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    if not _read_only_folder(folder):
        pytest.skip("cannot make a read-only folder here (no chattr)")
    try:
        assert cli.main(["check", "--db", str(store)]) == 0, capsys.readouterr().err
        out = tmp_path / "out.json"
        assert cli.main(["export", "--db", str(store), "--no-user-store", "-o", str(out)]) == 0
    finally:
        _writable_again(folder)


def test_two_processes_making_the_user_store_at_once_both_import(tmp_path: Path) -> None:
    for attempt in range(3):
        data = tmp_path / f"data{attempt}"
        env = {**os.environ, "EXPLORER_DATA_DIR": str(data)}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "explorer", "import", str(FIXTURES / name)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("csl_old.csv", "os_dod_1260h.csv")
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        store = next(data.rglob("*.sqlite"))
        assert sorted(i.format for i in list_imports(store)) == ["csl", "opensanctions"]
        assert [p.name for p in store.parent.iterdir() if p.name.startswith(".")] == []


def _error(sql: str, conn: sqlite3.Connection) -> sqlite3.Error:
    try:
        conn.execute(sql)
    except sqlite3.Error as exc:
        return exc
    raise AssertionError("no error")


def test_sqlite_result_codes_are_named(tmp_path: Path) -> None:
    text = tmp_path / "text.sqlite"
    text.write_text("hello, this is not a database at all" * 10)
    exc = _error("SELECT * FROM sqlite_master", sqlite3.connect(text))
    assert sqlite_code(exc) == "SQLITE_NOTADB"
    db = tmp_path / "busy.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    exc = _error("SELECT * FROM t", sqlite3.connect(db, timeout=0))
    assert sqlite_code(exc) == "SQLITE_BUSY"
    holder.execute("ROLLBACK")
    with pytest.raises(StoreError, match=r"busy\.sqlite: is busy .*try again"), user_errors(db):
        raise exc
    # Python before 3.11 gives only the message: the same codes from the words
    for message, code in (
        ("database or disk is full", "SQLITE_FULL"),
        ("disk I/O error", "SQLITE_IOERR"),
        ("attempt to write a readonly database", "SQLITE_READONLY"),
        ("unable to open database file", "SQLITE_CANTOPEN"),
        ("database disk image is malformed", "SQLITE_CORRUPT"),
        ("file is not a database", "SQLITE_NOTADB"),
        ("database is locked", "SQLITE_BUSY"),
    ):
        assert sqlite_code(sqlite3.OperationalError(message)) == code
    assert describe(sqlite3.OperationalError("no such column: x")) is None  # our bug
    assert describe(OSError(28, "No space left on device", "/x")) == "/x: the disk is full"


def test_a_bug_says_it_is_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from explorer.commands import imports

    def broken(args: object) -> int:
        raise RuntimeError("a mistake of ours")

    monkeypatch.setattr(imports, "run", broken)
    assert cli.main(["imports"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "this is a bug in the program" in err


def test_an_unreadable_store_is_one_line(mini_store: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    store = tmp_path / "s.sqlite"
    shutil.copyfile(mini_store, store)
    store.chmod(0)
    with pytest.raises(StoreError, match=r"s\.sqlite"):
        validate_file(store)
    with pytest.raises(StoreError):
        ensure_user_store(store)
