"""Benchmark: import a generated 1,000,000-row CSV into a fresh user store, beside sqlite-utils.

    python -m bench.import [--rows N] [--keep]

The CSV (in the temporary folder) looks like an official list: a listing date, the entity, its
aliases (some in Chinese), its country, the agency, the list, the program and the listing's
URL, with tranches of a few to a few hundred thousand entities per list and date (the largest
listing of the default file has 622,552 entities). The import runs as a user runs it, in a
process of its own: `python -m explorer import FILE --into STORE --map ...` (one transaction,
search index and densities included). Beside it, from the same run and the same file, each in
a process of its own: `sqlite-utils insert DB list FILE --csv` (the rows as a plain table) and
`sqlite-utils enable-fts DB list Entity Aliases --fts5 --tokenize trigram` (a full-text index
of the names, as ours is). Each process's wall time, CPU time and peak RSS (from os.wait4) are
printed; the last line is JSON: {"rows", "ours": {"s", "cpu_s", "rss_mb", ...},
"sqlite_utils": {"insert": {...}, "enable_fts": {...}}, "target_s", "target_rss_mb"}.
Targets on the 2-core machine: 1M rows in 30 s or less, 150 MB or less.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# (agency, issuing country, lists, programs); invented lists for a synthetic file.
AGENCIES = (
    ("Ministry of Commerce", "CN", ("Unreliable Entity List", "Export Control List"), ("",)),
    ("Ministry of Foreign Affairs", "CN", ("Countermeasures",), ("",)),
    ("Bureau of Industry and Security", "US", ("Entity List", "Unverified List"), ("EAR",)),
    ("Office of Foreign Assets Control", "US", ("SDN",), ("SDGT", "IRAN", "RUSSIA-EO14024")),
    ("European Union", "EU", ("Annex IV", "Annex I"), ("EU-RUS",)),
    ("FCC", "US", ("Covered List",), ("",)),
    ("Ministry of Economy", "JP", ("End User List",), ("",)),
    ("Department for Business", "GB", ("Sanctions List",), ("RUSSIA",)),
)
TARGETS = ("CN", "US", "Russia", "Iran", "Japan", "HK", "Taiwan", "DE", "North Korea", "中国")
CJK = "试验公司技术有限电子科学研究所航空航天半导体通信"

MAPPING = [
    "start=Date",
    "name=Entity",
    "aliases=Aliases",
    "target=Country",
    "agency=Agency",
    "issuer=Issuer",
    "list=List",
    "program=Program",
    "url=Link",
    "id=Id",
]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write the synthetic list: tranches of entities per agency, list and date."""
    rng = random.Random(seed)
    start = date(2000, 1, 1).toordinal()
    span = date(2026, 6, 30).toordinal() - start
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "Date",
                "Entity",
                "Aliases",
                "Country",
                "Agency",
                "Issuer",
                "List",
                "Program",
                "Link",
                "Id",
            ]
        )
        n = 0
        while n < rows:
            agency, issuer, lists, programs = rng.choice(AGENCIES)
            listed = rng.choice(lists)
            program = rng.choice(programs)
            # bursts: most tranches in recent years
            day = date.fromordinal(start + int(span * (rng.random() ** 0.35)))
            size = min(rows - n, int(rng.paretovariate(1.2) * 4))
            link = f"https://example.org/{agency[:3].lower()}/{day.isoformat()}"
            when = day.isoformat() if issuer != "EU" else f"{day.day}.{day.month}.{day.year}"
            for _ in range(max(1, size)):
                n += 1
                cjk = "".join(rng.choice(CJK) for _ in range(6))
                w.writerow(
                    [
                        when,
                        f"Example Entity {n} Co., Ltd.",
                        f"EE{n}; {cjk}" if n % 3 == 0 else "",
                        rng.choice(TARGETS),
                        agency,
                        issuer,
                        listed,
                        program,
                        link,
                        str(n),
                    ]
                )


# Runs a command and reports its wall time and rusage (os.wait4) as JSON. Linux counts in a
# child's peak RSS the process it was forked from (its pages before the exec), so commands are
# measured from this small launcher rather than from the benchmark's own, larger process.
_LAUNCHER = """
import json, os, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps([status, time.perf_counter() - t, usage.ru_utime + usage.ru_stime,
                  usage.ru_maxrss]))
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command in a process of its own; its wall and CPU seconds and peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    status, seconds, cpu, maxrss = json.loads(proc.stdout.strip().splitlines()[-1])
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return {"s": round(seconds, 2), "cpu_s": round(cpu, 2), "rss_mb": round(maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the CSV and the stores")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    csv_path = folder / "list.csv"
    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    generated = time.perf_counter() - t0
    store = folder / "user.sqlite"
    report = folder / "report.json"
    # the program's own folders stay out of the user's (nothing is written there)
    env = {
        "EXPLORER_DATA_DIR": str(folder / "data"),
        "EXPLORER_CACHE_DIR": str(folder / "cache"),
    }
    maps = [a for m in MAPPING for a in ("--map", m)]
    cmd = [sys.executable, "-m", "explorer", "import", str(csv_path), "--into", str(store)]
    ours = timed(cmd + maps + ["--date-order", "day-first", "--report", str(report)], env)
    done = json.loads(report.read_text(encoding="utf-8"))
    ours.update(
        {
            "events_added": done["events_added"],
            "imported": done["imported"],
            "store_mb": round(store.stat().st_size / 1e6, 1),
        }
    )
    print(f"explorer import        {ours}", file=sys.stderr)
    db = folder / "sqlite-utils.db"
    su = [sys.executable, "-m", "sqlite_utils"]
    theirs = {"insert": timed([*su, "insert", str(db), "list", str(csv_path), "--csv"])}
    print(f"sqlite-utils insert    {theirs['insert']}", file=sys.stderr)
    fts = [*su, "enable-fts", str(db), "list", "Entity", "Aliases", "--fts5"]
    theirs["enable_fts"] = timed([*fts, "--tokenize", "trigram"])
    theirs["enable_fts"]["db_mb"] = round(db.stat().st_size / 1e6, 1)
    print(f"sqlite-utils enable-fts {theirs['enable_fts']}", file=sys.stderr)
    figures = {
        "rows": done["rows"],
        "csv_mb": round(csv_path.stat().st_size / 1e6, 1),
        "generate_s": round(generated, 2),
        "ours": ours,
        "sqlite_utils": theirs,
        "target_s": 30,
        "target_rss_mb": 150,
    }
    if args.keep:
        print(f"kept {folder}", file=sys.stderr)
    else:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
