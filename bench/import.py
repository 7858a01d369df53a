"""`python -m bench.import`: see bench/import_.py (this name cannot be imported as a module)."""

from __future__ import annotations

import runpy

if __name__ == "__main__":
    runpy.run_module("bench.import_", run_name="__main__")
