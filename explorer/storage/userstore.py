"""The user's own store: imports and saved views, in the platform's data directory.

Same schema as the bundled store, so the Library reads both the same way; it is the only store
the app writes to. Opening creates it when it does not exist yet, and creates its folder only
for the default location: an explicit path into a missing folder is most likely mistyped.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from explorer.storage import paths, schema
from explorer.storage.errors import StoreError, user_errors
from explorer.storage.store import recover as recover  # importers and imports use it here
from explorer.storage.store import validate_file

USER_COUNTRIES = (("XX", "Several or unknown"),)


def ensure_user_store(path: Path | None = None) -> Path:
    """Create the user store if it is missing; validate it otherwise. Returns its path.

    An import killed half-way is rolled back first, so the next start finds the store as it
    was before that import.

    Args:
        path: The store; None for the platform's default, whose folder is created when
            missing. An explicit path's folder must exist already.

    Raises:
        StoreError: the store is not usable, or the folder of an explicit `path` does not exist.
    """
    if path is None:
        path = paths.user_store_path()
        with user_errors(path.parent, "making the folder of your store"):
            path.parent.mkdir(parents=True, exist_ok=True)
    with user_errors(path, "opening your store"):
        if path.exists() and path.stat().st_size > 0:
            recover(path)
            validate_file(path)
            upgrade(path)
            return path
    if not path.parent.is_dir():
        raise StoreError(f"{path}: the folder {path.parent} does not exist")
    with user_errors(path, "creating your store"):
        _create(path)
    return path


def _create(path: Path) -> None:
    """Make a new, empty user store at `path`: built in a file of this process's own beside
    it, then renamed into place unless another process made one first (that one is kept:
    both processes then use it, and nothing either imports is lost)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.creating")
    # Imported here: sqlite-utils (with click and dateutil's parser) costs ~0.2 s of start-up.
    import sqlite_utils

    try:
        conn = sqlite3.connect(tmp)
        try:
            schema.create(sqlite_utils.Database(conn))
            with conn:
                conn.executemany("INSERT INTO countries (code, name) VALUES (?, ?)", USER_COUNTRIES)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("origin", "user"), ("events", "0")],
                )
        finally:
            conn.close()
        # link(2) fails when the name exists: the first store made wins, never replaced
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        except OSError:
            # a file system without hard links: rename, unless a store appeared meanwhile
            if not path.exists():
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


def upgrade(path: Path) -> tuple[int, int]:
    """Migrate a user store written by an older schema, in one transaction (a no-op when it is
    current). Returns (version before, version after).

    Raises:
        MigrationError: the store could not be upgraded (read-only, busy, damaged); it is left
            as it was and can still be read.
    """
    conn = sqlite3.connect(path, timeout=30)
    try:
        origin = conn.execute("SELECT value FROM meta WHERE key = 'origin'").fetchone()
        if origin is not None and origin[0] == "curated":
            return (schema.SCHEMA_VERSION,) * 2  # rebuilt from db/, never migrated
        return schema.migrate(conn)
    except schema.MigrationError as exc:
        raise schema.MigrationError(f"{path}: {exc}") from None
    except sqlite3.Error as exc:
        raise schema.MigrationError(f"{path}: could not be upgraded ({exc})") from None
    finally:
        conn.close()


def connect_writable(path: Path) -> sqlite3.Connection:
    """A writable connection to a user store (never to the bundled one).

    Raises:
        StoreError: the file is the curated store, or not a usable store.
    """
    validate_file(path)
    conn = sqlite3.connect(path, timeout=30)
    try:
        origin = conn.execute("SELECT value FROM meta WHERE key = 'origin'").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: damaged ({exc})") from None
    if origin is not None and origin[0] == "curated":
        conn.close()
        raise StoreError(f"{path}: is the curated store, which is read-only")
    try:
        schema.migrate(conn)
    except schema.MigrationError as exc:
        conn.close()
        raise schema.MigrationError(f"{path}: {exc}") from None
    conn.execute("PRAGMA foreign_keys = ON")
    return conn
