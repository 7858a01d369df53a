"""The fuzz suite's size: a few dozen examples a property in CI, thousands with --fuzz-long.

pytest tests/fuzz                 # bounded: part of `make test`
pytest tests/fuzz --fuzz-long     # a longer hunt, on your own machine
"""

from __future__ import annotations

import os

import pytest


def examples() -> int:
    """Examples per property: EXPLORER_FUZZ_EXAMPLES, set by --fuzz-long or by hand."""
    return int(os.environ.get("EXPLORER_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="session")
def fuzz_examples() -> int:
    return examples()
