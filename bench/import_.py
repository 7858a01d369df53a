"""Benchmark: import a generated 1,000,000-row CSV into a fresh user store.

    python -m bench.import [--rows N] [--keep]

The CSV (in the temporary folder) looks like an official list: a listing date, the entity, its
aliases (some in Chinese), its country, the agency, the list, the program and the listing's
URL, with tranches of a few to a few hundred entities per list and date. The import runs as a
user would run it (`explorer import --map ...`, one transaction, search index and densities
included). The last line printed is JSON: {"rows", "seconds", "rss_mb", ...}. Targets on the
2-core machine: 1M rows in 60 s or less, 500 MB or less.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from explorer.domain.date_parse import DateOrder
from explorer.storage.importers import ImportOptions, import_file
from explorer.storage.importers.mapped import parse_mapping
from explorer.storage.userstore import ensure_user_store

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the CSV and the store")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    csv_path = folder / "list.csv"
    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    generated = time.perf_counter() - t0
    store = ensure_user_store(folder / "user.sqlite")
    options = ImportOptions(
        format="csv", mapping=parse_mapping(MAPPING), date_order=DateOrder.DAY_FIRST
    )
    t1 = time.perf_counter()
    result = import_file(csv_path, store, options)
    seconds = time.perf_counter() - t1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "rows": result.rows,
        "imported": result.imported,
        "events_added": result.events_added,
        "items_added": result.items_added,
        "seconds": round(seconds, 2),
        "rss_mb": round(rss_mb, 1),
        "csv_mb": round(csv_path.stat().st_size / 1e6, 1),
        "store_mb": round(store.stat().st_size / 1e6, 1),
        "generate_seconds": round(generated, 2),
    }
    if not args.keep:
        csv_path.unlink()
        store.unlink()
        folder.rmdir()
    else:
        print(f"kept {folder}", file=sys.stderr)
    print(json.dumps(figures))
    return 0 if result.committed else 1


if __name__ == "__main__":
    raise SystemExit(main())
