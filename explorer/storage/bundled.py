"""The bundled store: the curated text built once into the user cache, then only read.

Named by the hash of the shipped text, so an upgrade that changes the data gets a fresh build
and an old build is never read by mistake. Building takes well under a second.
"""

from __future__ import annotations

import threading
from pathlib import Path

from explorer.storage import paths

_lock = threading.Lock()


def bundled_store_path() -> Path:
    """The path of the bundled store, building it first if this data was never built here."""
    folder = paths.data_dir()
    target = paths.cache_dir() / f"curated-{paths.data_hash(folder)}.sqlite"
    with _lock:
        if not target.is_file():
            # Imported only to build: it brings sqlite-utils (~0.2 s of every start otherwise).
            from explorer.storage import build

            build.build(folder, target)
    return target
