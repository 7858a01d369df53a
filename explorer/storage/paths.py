"""Where the curated data, the bundled store, the user store and the source texts live.

In a checkout the curated text is `db/` at the top of the repository; in an installed wheel it is
`explorer/_db/` (pyproject's force-include). The bundled store is built from that text into the
user cache, named by the text's hash, so it is always the build of exactly the shipped data and
the app never writes to it once built.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "policy-timeline-explorer"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The curated text (`db/`), from a checkout or from an installed wheel."""
    for candidate in (_PACKAGE_DIR / "_db", _PACKAGE_DIR.parent / "db"):
        if (candidate / "events.json").is_file():
            return candidate
    raise FileNotFoundError(f"the curated data (db/) is missing beside {_PACKAGE_DIR}")


def resources_dir() -> Path:
    """Icons and style sheets, from a checkout or from an installed wheel."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR.parent / "resources"


def source_texts_dir() -> Path | None:
    """The folder holding the full texts of seed sources, when we have it.

    `EXPLORER_SOURCE_TEXTS` names it; otherwise `shared/seeds` beside the checkout is used.
    """
    env = os.environ.get("EXPLORER_SOURCE_TEXTS")
    if env:
        return Path(env)
    candidate = default_source_texts_dir()
    return candidate if candidate.is_dir() else None


def default_source_texts_dir() -> Path:
    """Where the seed sources' full texts are looked for without EXPLORER_SOURCE_TEXTS."""
    return _PACKAGE_DIR.parent.parent / "shared" / "seeds"


def data_hash(folder: Path) -> str:
    """A short hash of every file of the curated text, to name the built store."""
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.suffix in {".json", ".csv", ".sql"}:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    env = os.environ.get("EXPLORER_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir(APP_NAME))


def user_data_dir() -> Path:
    env = os.environ.get("EXPLORER_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME))


def user_store_path() -> Path:
    """The user's own store: imports, saved views and notes. Never the bundled one."""
    return user_data_dir() / "user.sqlite"
