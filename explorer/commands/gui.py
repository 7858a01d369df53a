"""`explorer` / `explorer gui`: the desktop app.

Only the parser lives here: the command line (`explorer.cli`) starts the app itself, so the
headless commands never import the window (an import-linter contract keeps them apart).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("gui", help="open the timeline window (the default)")
    p.add_argument("--db", type=Path, default=None, help="store to open (default: the bundled one)")
    p.set_defaults(run=None, gui=True)
