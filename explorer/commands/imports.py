"""`explorer imports`: list the imports of your store, and take one back.

    explorer imports                      # id, file, format, time, events, entities
    explorer imports --json               # the same as JSON
    explorer imports remove 3             # take import 3 back, in one transaction

Removing an import takes out the events and entities only it brought; an event or entity that
another import also lists stays. The curated store is never touched.

Exit status: 0 done; 2 no such import, or a store that cannot be read or changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from explorer.storage.errors import StoreError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "imports",
        help="list the imports of your store, or take one back (imports remove ID)",
        description=(
            "List the lists imported into your store (id, file, format, time, events, "
            "entities), or take one back with `explorer imports remove ID`: the events and "
            "entities only that import brought leave your store in one transaction; what "
            "another import also lists stays. The curated store is never touched."
        ),
    )
    store_help = "the user store to read (default: yours, in the platform's data folder)"
    p.add_argument("--store", type=Path, default=None, metavar="PATH", help=store_help)
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="list the imports (the default)")
    listing.add_argument("--store", type=Path, default=argparse.SUPPRESS, metavar="PATH")
    listing.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    remove = actions.add_parser(
        "remove",
        help="take one import back",
        description=(
            "Take one import back: its events and entities leave your store, except those "
            "another import also lists. One transaction: an error leaves the store as it was."
        ),
    )
    remove.add_argument("id", type=int, metavar="ID", help="the import's id (explorer imports)")
    remove.add_argument("--store", type=Path, default=argparse.SUPPRESS, metavar="PATH")
    p.set_defaults(run=run)


def _store(args: argparse.Namespace) -> Path | None:
    """The store named, or the user's own; None when the user has none yet."""
    if args.store is not None:
        return Path(args.store)
    from explorer.storage import paths

    path = paths.user_store_path()
    return path if path.exists() else None


def run(args: argparse.Namespace) -> int:
    from explorer.storage.imports import list_imports, remove_import

    store = _store(args)
    if args.action == "remove":
        if store is None:
            raise StoreError("you have no store of your own yet, so there is no import to remove")
        result = remove_import(store, args.id)
        info = result.removed
        kept = (
            f"; {result.events_kept:,} {_n(result.events_kept, 'event')} another import "
            "also lists stay"
            if result.events_kept
            else ""
        )
        print(
            f"removed import {info.id} ({info.name}, {info.format}, {info.imported_at}): "
            f"{result.events_removed:,} {_n(result.events_removed, 'event')} and "
            f"{result.entities_removed:,} {_n(result.entities_removed, 'entity')} left "
            f"{store}{kept}"
        )
        return 0
    infos = list_imports(store) if store is not None else []
    if args.json:
        json.dump([i.as_dict() for i in infos], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not infos:
        where = f" in {store}" if store is not None else " (you have no store of your own yet)"
        print(f"no imports{where}: explorer import FILE adds an official list")
        return 0
    rows = [("id", "imported (UTC)", "format", "events", "entities", "file")]
    for i in infos:
        rows.append(
            (
                str(i.id),
                i.imported_at.replace("T", " ").removesuffix("+00:00"),
                i.format,
                f"{i.events:,}",
                f"{i.entities:,}",
                i.file,
            )
        )
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    right = {0, 3, 4}
    for r in rows:
        cells = [r[c].rjust(widths[c]) if c in right else r[c].ljust(widths[c]) for c in range(5)]
        print("  ".join(cells) + "  " + r[5])
    return 0


def _n(count: int, noun: str) -> str:
    if count == 1:
        return noun
    return "entities" if noun == "entity" else noun + "s"
