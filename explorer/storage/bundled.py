"""The bundled store: the curated text built once into the user cache, then only read.

Named by the hash of the shipped text and of the code that builds it (builder, schema,
densities), so an upgrade that changes either gets a fresh build and an old build is never read
by mistake. Building takes well under a second.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from explorer.storage import paths

_lock = threading.Lock()


# The modules whose code decides what a build contains.
_BUILDERS = ("build.py", "schema.py", "densities.py", "search_rows.py")


def build_key(folder: Path) -> str:
    """A short hash of the curated text and of the code that turns it into a store."""
    h = hashlib.sha256(paths.data_hash(folder).encode())
    here = Path(__file__).resolve().parent
    for name in _BUILDERS:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def bundled_store_path() -> Path:
    """The path of the bundled store, building it first if this data was never built here."""
    folder = paths.data_dir()
    target = paths.cache_dir() / f"curated-{build_key(folder)}.sqlite"
    with _lock:
        if not target.is_file():
            # Imported only to build: it brings sqlite-utils (~0.2 s of every start otherwise).
            from explorer.storage import build

            build.build(folder, target)
    return target
