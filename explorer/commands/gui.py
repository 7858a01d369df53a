"""`explorer` / `explorer gui`: the desktop app."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the timeline window (the default)")
    p.add_argument("--db", type=Path, default=None, help="store to open (default: the bundled one)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from explorer.app import run_app  # Qt is imported only when the window is wanted

    return run_app(args.db)
