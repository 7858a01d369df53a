"""`explorer generate --events N -o PATH`: a synthetic store for benchmarks and tests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.storage.generate import generate


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "generate",
        help="write a synthetic store of N invented events (for benchmarks and tests)",
        description=(
            "Write a synthetic store: invented events with bursts, quiet years, a dozen "
            "countries and agencies, periods, month/quarter/year-precise dates and relations. "
            "Its meta says origin=synthetic."
        ),
    )
    p.add_argument("--events", type=int, required=True, metavar="N", help="how many events")
    p.add_argument("-o", "--output", type=Path, required=True, help="store to write")
    p.add_argument("--seed", type=int, default=1, help="random seed (same seed, same store)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.events < 0:
        print("explorer: --events: must be 0 or more", file=sys.stderr)
        return 2

    def progress(step: str) -> None:
        print(f"generate: {step}…", file=sys.stderr, flush=True)

    result = generate(args.output, args.events, seed=args.seed, progress=progress)
    print(
        f"{result.path}: {result.events} events, {result.relations} relations "
        f"in {result.seconds:.1f} s"
    )
    return 0
