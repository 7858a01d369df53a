"""Importing official lists into the user store: `import_file` is the one entry point.

Formats (each in its own module, all through `common`): the Consolidated Screening List
(`csl`), OFAC's SDN file (`ofac_sdn`), OpenSanctions dataset CSVs (`opensanctions`), and any
CSV or JSON with a column mapping (`mapped`). `detect` works out which one a file is.

The whole import is one SQLite transaction on the user store: an error, a cancel or a killed
process leaves the store exactly as it was. A file already imported (same sha256, same
importer) adds nothing; a different file with the same listings adds only what is new (events
and items have natural keys).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from explorer.storage import paths
from explorer.storage.atomic import WriteError, check_writable
from explorer.storage.errors import os_reason, sqlite_reason
from explorer.storage.importers.common import (
    ImportCancelled,
    ImportFileError,
    ImportOptions,
    ImportResult,
    Progress,
    check_text_file,
    file_sha256,
    run_import,
)
from explorer.storage.importers.detect import plan
from explorer.storage.userstore import connect_writable, ensure_user_store, recover

__all__ = [
    "ImportCancelled",
    "ImportFileError",
    "ImportOptions",
    "ImportResult",
    "import_file",
    "recover",
]


def store_target(into: Path | None) -> Path:
    """The store an import writes: `into` (through a symbolic link), or the user store.

    Raises:
        ImportFileError: the path (or its journal beside it) is a folder, a device, a named
            pipe or a socket, or the folder of `into` does not exist or takes no new files.
    """
    target = Path(into) if into is not None else paths.user_store_path()
    if into is not None and not target.parent.is_dir():
        # A mistyped --into must not quietly become a new store in a new folder.
        raise ImportFileError(f"{target}: the folder {target.parent} does not exist")
    try:
        # the default store's folder is made when missing
        real = check_writable(target, make_folders=into is None)
        check_writable(Path(f"{real}-journal"), make_folders=True)
    except WriteError as exc:
        raise ImportFileError(str(exc)) from None
    return real


def import_file(
    path: Path,
    into: Path | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one file into the user store (or the store `into` names).

    Args:
        path: The file.
        into: The store to write (created when missing, but its folder must exist); the
            user store by default (created, with its folder, when missing).
        options: Format, mapping, date order, snapshot date, skip-bad, encoding.
        progress: Called every few thousand rows with (rows read, fraction of the file read);
            it may raise ImportCancelled to stop and roll back.

    Returns:
        What was done. When the file had errors and `skip_bad` was not set, nothing was
        written and `result.errors` lists them.

    Raises:
        ImportFileError: the file cannot be imported at all (not a regular file, empty,
            binary, wrong encoding, header alone, unknown layout), or the store path is not a
            regular file or its folder does not exist; nothing was written.
        ImportCancelled: cancelled by `progress`; nothing was written.
        StoreError: the store is not usable.
    """
    options = options or ImportOptions()
    path = Path(path)
    # Refused before any store is opened or made: an input that is not a regular file (a
    # named pipe would wait for a writer) or not text, an encoding that is no character set,
    # a store path that is a device, a pipe or a folder (a new store is renamed over it).
    check_text_file(path, options.encoding)
    target = store_target(into)
    if into is None:
        target.parent.mkdir(parents=True, exist_ok=True)  # the default store's folder
    recover(target)
    store = ensure_user_store(target)
    p = plan(path, options)
    try:
        sha = file_sha256(path)
        conn = connect_writable(store)
        conn.isolation_level = None  # we say where the transaction begins and ends
        try:
            conn.execute("PRAGMA cache_size = -8192")
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = conn.execute(
                    "SELECT id, imported_at, rows FROM provenance WHERE sha256 = ? "
                    "AND importer = ? ORDER BY id LIMIT 1",
                    (sha, p.layout.importer),
                ).fetchone()
                if done is not None:
                    conn.execute("ROLLBACK")
                    result = ImportResult(path, p.layout.format, p.layout.name)
                    result.rows = int(done[2] or 0)
                    result.already_imported = str(done[1])
                    result.provenance_id = int(done[0])
                    return result
                utf8 = (options.encoding or "utf-8").lower().replace("-", "") in (
                    "utf8",
                    "utf8sig",
                )
                result = run_import(
                    conn,
                    path,
                    sha,
                    p.layout,
                    p.records,
                    p.header,
                    options,
                    p.lines,
                    progress,
                    utf8,
                )
                if result.committed:
                    conn.execute("COMMIT")
                else:
                    conn.execute("ROLLBACK")
                return result
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if "locked" in str(exc):
            raise ImportFileError(
                f"{store}: the store is busy (another import or the app is writing); try again"
            ) from None
        reason = sqlite_reason(exc)
        if reason is None:
            raise  # a bug of ours
        # a full disk, a size limit, a read-only or damaged store: the transaction rolled back
        raise ImportFileError(f"{store}: {reason} (importing {path.name})") from None
    except OSError as exc:
        raise ImportFileError(
            f"{exc.filename or store}: {os_reason(exc)} (importing {path.name})"
        ) from None
    finally:
        p.lines.close()
