"""Write export files atomically: a temporary file beside the target, then one rename.

A failed export (folder missing or not writable, disk full, a renderer that raises) leaves
neither a partial target nor a temporary file behind, and says why in one line that names the
path. An existing target is replaced only once the new file is complete.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from explorer.storage.errors import StoreError


class ExportError(StoreError):
    """An export that could not be written; the message names the path and the reason."""


def _reason(exc: OSError) -> str:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if code == errno.EFBIG:
        return "the file is too large for this disk or its limits"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied (the folder is not writable)"
    if code == errno.EROFS:
        return "the disk is read-only"
    return exc.strerror or str(exc)


def _new_file_mode(target: Path) -> int:
    # mkstemp makes 0600 files; a replaced file keeps its mode, a new one gets the usual
    # umask-based mode, as if it had been opened for writing directly.
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`.

    Write the whole file to the yielded path (for renderers that want a file name, such as
    QPdfWriter). If the block raises, the temporary file is removed and `target` is untouched.

    Raises:
        ExportError: the folder is missing or not writable, the disk is full, or another
            OS error while writing or renaming; the message is one line naming `target`.
    """
    target = Path(target)
    folder = target.parent
    if target.is_dir():
        raise ExportError(f"{target}: is a folder")
    if target.exists() and not target.is_file():
        # A device or a pipe (`-o /dev/full`): renaming over it would replace the device node.
        raise ExportError(f"{target}: not a regular file (use -o - for standard output)")
    if not folder.is_dir():
        raise ExportError(f"{target}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write there: {_reason(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, _new_file_mode(target))
        os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write it: {_reason(exc)}") from None
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_open(target: Path | str) -> Iterator[BinaryIO]:
    """Yield a binary file to stream the export into; on success it is flushed to disk and
    replaces `target`, on failure it is removed (as for atomic_path).

    Raises:
        ExportError: as for atomic_path.
    """
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write(target: Path | str, data: bytes | str) -> Path:
    """Write `data` (text is written as UTF-8) to `target` atomically; returns the path.

    Raises:
        ExportError: as for atomic_path.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_open(target) as fh:
        fh.write(payload)
    return Path(target)
