"""Big files in bounded memory: a listing larger than one search row is imported whole, in a
process of its own whose peak RSS is measured (`python -m bench.import` times 1,000,000 rows)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from explorer.storage.search_rows import ITEMS_PER_ROW

REPO = Path(__file__).resolve().parents[3]
# Runs a command, passes its output on, then prints [exit status, peak RSS in KB] (os.wait4).
LAUNCHER = """
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps([status, usage.ru_maxrss]))
"""


def test_a_listing_larger_than_a_search_row_imports_in_bounded_memory(tmp_path: Path) -> None:
    # One listing of 25,000 entities: all are imported; its search row holds the first
    # ITEMS_PER_ROW by name (a row of every one of 600,000 entities took 300 MB to index).
    n = ITEMS_PER_ROW + 5000
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Date,Entity,Country\n")
        for i in range(n):
            fh.write(f"2022-02-11,Example Entity {i:06d} Co.,CN\n")
    command = [sys.executable, "-m", "explorer", "import", str(big), "--into", "u.sqlite"]
    command += ["--map", "start=Date", "--map", "name=Entity", "--map", "target=Country"]
    command += ["--report", "r.json"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "EXPLORER_DATA_DIR": str(tmp_path / "data")}
    # Measured from a small launcher: Linux counts in a child's peak RSS the process it was
    # forked from, and this test's own process (pytest) may hold hundreds of MB.
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    *lines, last = proc.stdout.splitlines()
    status, maxrss_kb = json.loads(last)
    out = "\n".join(lines)
    assert status == 0, proc.stderr
    assert f"search finds the first {ITEMS_PER_ROW:,} of the {n:,} entities" in out
    assert maxrss_kb / 1024 < 150  # MB
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["imported"] == n
    assert report["search_capped"] == [
        {"event": report["search_capped"][0]["event"], "entities": n, "searchable": ITEMS_PER_ROW}
    ]
    conn = sqlite3.connect(tmp_path / "u.sqlite")
    try:
        assert conn.execute("SELECT count(*) FROM items").fetchone() == (n,)
        (items,) = conn.execute("SELECT items FROM events_fts").fetchone()
        assert items.count("Example Entity") == ITEMS_PER_ROW
        assert "Example Entity 000000 Co." in items
        assert f"Example Entity {ITEMS_PER_ROW - 1:06d} Co." in items
        assert f"Example Entity {ITEMS_PER_ROW:06d} Co." not in items
    finally:
        conn.close()
