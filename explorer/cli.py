"""The command line: a thin layer over the same API the app uses (sqlite-utils' cli.py style).

Each subcommand lives in `explorer/commands/<name>.py` with `add_parser(subparsers)` and
`run(args) -> int`. With no subcommand the GUI starts.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from explorer import __version__
from explorer.storage.errors import StoreError, describe

# Order here is the order in `explorer --help`.
COMMANDS = ("gui", "build_db", "check", "export", "generate", "import_", "imports", "measures")


def make_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The parser of `commands` (default: all; the window's start needs only `gui`)."""
    parser = argparse.ArgumentParser(
        prog="explorer",
        description="Policy Timeline Explorer: the US-China export-control contest, with sources.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        module = importlib.import_module(f"explorer.commands.{name}")
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # `explorer` and `explorer --db PATH` open the window: options alone mean `gui`
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]
    # The window does not wait for the other commands' imports (sqlite-utils, the importers,
    # the exporters): 0.4 s of a start that should show its first frame within a second.
    parser = make_parser(("gui",) if argv[0] == "gui" else COMMANDS)
    args = parser.parse_args(argv)
    try:
        if getattr(args, "gui", False):
            from explorer.app import run_app  # Qt is imported only when the window is wanted

            return run_app(args.db)
        return int(args.run(args))
    except StoreError as exc:
        print(f"explorer: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `explorer export -o - | head`: the reader left; that is not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        # What the disk or the machine did (full, read-only, busy, damaged) is one line; the
        # rest is a bug of ours, and says so under its traceback.
        line = describe(exc)
        if line is not None:
            print(f"explorer: {line}", file=sys.stderr)
            return 2
        traceback.print_exc()
        print(
            "explorer: this is a bug in the program, not a problem with your files; "
            "please report it with the lines above",
            file=sys.stderr,
        )
        return 70
