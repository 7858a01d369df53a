"""Every command and flag a user can type is documented in the README (sqlite-utils does this)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from explorer.cli import make_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the CLI has no subcommands")


SUBCOMMANDS = _subparsers()


@pytest.mark.parametrize("name", sorted(SUBCOMMANDS))
def test_every_subcommand_is_in_the_readme(name: str) -> None:
    assert f"explorer {name}" in README


@pytest.mark.parametrize(
    ("name", "flag"),
    sorted(
        (name, opt)
        for name, sub in SUBCOMMANDS.items()
        for action in sub._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt != "--help"
    ),
)
def test_every_flag_is_in_the_readme(name: str, flag: str) -> None:
    assert flag in README, f"`explorer {name} {flag}` is not documented in README.md"
