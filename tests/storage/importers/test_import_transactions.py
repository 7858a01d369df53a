"""One transaction per import: re-importing adds nothing twice, a cancel or a killed process
leaves the store exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explorer.storage.check import check_store
from explorer.storage.importers import (
    ImportCancelled,
    ImportOptions,
    import_file,
)
from explorer.storage.importers.mapped import parse_mapping
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store

REPO = Path(__file__).resolve().parents[3]


def test_reimporting_a_file_adds_nothing(dump, fx: Path, store: Path, q) -> None:
    first = import_file(fx / "os_cn_sanctions.csv", store)
    before = dump(store)
    again = import_file(fx / "os_cn_sanctions.csv", store)
    assert again.already_imported is not None and again.events_added == 0
    assert again.rows == first.rows
    assert dump(store) == before


def test_a_changed_file_adds_only_what_is_new(fx: Path, store: Path, tmp_path: Path, q) -> None:
    import_file(fx / "os_bis_mieu.csv", store)
    grown = tmp_path / "grown.csv"
    grown.write_text(
        (fx / "os_bis_mieu.csv").read_text(encoding="utf-8")
        + "Organization,Example Third Directorate,,IR,export.control,US-BIS-MIEU,2021-03-16,,"
        "https://example.org/fr/2021-00977\n"
        + "Organization,Example Later Directorate,,IR,export.control,US-BIS-MIEU,2022-03-02,,"
        "https://example.org/fr/2022\n",
        encoding="utf-8",
    )
    result = import_file(grown, store)
    assert (result.events_added, result.events_updated, result.items_added) == (1, 1, 2)
    assert q("SELECT count(*) FROM events") == [(2,)]
    assert q("SELECT title FROM events WHERE start = '2021-03-16'") == [
        (
            "BIS adds 3 entities (China, Iran and Russia) to Military End-User List (MEU) "
            "under US-BIS-MIEU",
        )
    ]
    # the store stays well made: search index and densities cover every event
    assert check_store(store).ok


def test_cancel_rolls_back(dump, fx: Path, store: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Date,Entity\n")
        for i in range(5000):
            fh.write(f"2021-03-{1 + i % 28:02d},Example entity {i}\n")
    before = dump(store)
    calls = []

    def progress(rows: int, fraction: float) -> None:
        calls.append(rows)
        raise ImportCancelled

    mapping = parse_mapping(["start=Date", "name=Entity"])
    with pytest.raises(ImportCancelled):
        import_file(big, store, ImportOptions(format="csv", mapping=mapping), progress)
    assert calls == [2000]
    assert dump(store) == before


def test_killed_import_leaves_the_store_as_it_was(
    dump, fx: Path, store: Path, tmp_path: Path
) -> None:
    import_file(fx / "os_bis_mieu.csv", store)
    before = dump(store)
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Date,Entity,Country\n")
        for i in range(20000):
            fh.write(f"2021-03-{1 + i % 28:02d},Example entity {i},CN\n")
    # The child imports and, once rows are written inside the transaction, waits to be killed.
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from explorer.storage.importers import ImportOptions, import_file
        from explorer.storage.importers.mapped import parse_mapping

        def progress(rows, fraction):
            if rows >= 4000:
                print("writing", flush=True)
                time.sleep(60)

        options = ImportOptions(format="csv", mapping=parse_mapping(["start=Date", "name=Entity"]))
        import_file(Path({str(big)!r}), Path({str(store)!r}), options, progress)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        assert Path(f"{store}-journal").exists()  # the import is mid-way
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    # What the app does at its next start: the half-written import is rolled back.
    ensure_user_store(store)
    assert dump(store) == before
    with EventStore(store) as s:
        assert s.count() == 1
