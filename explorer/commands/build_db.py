"""`explorer build-db [-o PATH]`: build the curated store from `db/`."""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer.storage import build


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "build-db",
        help="build the curated store from the text in db/",
        description="Build the curated store from db/ (deterministic: same text, same rows).",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=Path("curated.sqlite"), help="store to write"
    )
    p.add_argument("--data", type=Path, default=None, help="curated text folder (default: db/)")
    p.add_argument(
        "--sources",
        type=Path,
        default=None,
        help="folder with the seed articles' full texts, to check quotes against",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = build.build(args.data, args.output, args.sources)
    print(
        f"{result.path}: {result.events} events, {result.quotes} quotes "
        f"({result.verified_quotes} checked against their source text), "
        f"{result.sources} sources, {result.actors} actors"
    )
    return 0
