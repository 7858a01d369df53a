"""Write files atomically: a temporary file beside the target, then one rename.

A failed export (folder missing or not writable, disk full, a renderer that raises) leaves
neither a partial target nor a temporary file behind, and says why in one line that names the
path. An existing target is replaced only once the new file is complete.

Every path the program writes is a regular file or does not exist yet: a folder, a device, a
named pipe or a socket is refused by its name (a rename onto a device node would replace the
node). A symbolic link is written through: the file it names gets the new contents and the
link stays. `check_writable` says all this before any work is done, for a file that is written
only at the end of a long job (an import's report).
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from explorer.storage.errors import StoreError


class WriteError(StoreError):
    """A file that cannot be written; the message names the path and the reason."""


class ExportError(WriteError):
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
    if code == errno.ENOENT:
        return "the folder does not take new files"
    return exc.strerror or str(exc)


def file_kind(what: int | Path) -> str:
    """What a file is, in words ("a file", "a character device"), from its mode or path."""
    if isinstance(what, Path):
        try:
            what = what.stat().st_mode
        except OSError:
            return "not to be found"
    mode = what
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def through_link(target: Path) -> Path:
    """The file a symbolic link names (so that a rename replaces that file and the link
    stays); any other path as it is."""
    if target.is_symlink():
        return Path(os.path.realpath(target))
    return target


def check_writable(target: Path | str, *, make_folders: bool = False) -> Path:
    """Refuse, before any work is done, a file that could not be written, in one line.

    The path must be a regular file or not exist; a symbolic link is followed (the file it
    names is checked, and written later). Its folder must exist (or, with `make_folders`, the
    nearest folder that does must be one) and take new files: a temporary file (or folder) is
    made there and removed at once, the one sure test of a read-only disk or a folder the
    user may not write in (whatever the permission bits say to root).

    Args:
        target: The file that will be written.
        make_folders: The writer creates missing folders (`Path.mkdir(parents=True)`).

    Returns:
        The path to write: `target`, or the file its symbolic link names.

    Raises:
        WriteError: one line naming `target` and the reason.
    """
    target = Path(target)
    path = through_link(target)
    shown = f"{target}" if path == target else f"{target} (a link to {path})"
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None  # (a file on the way is named below)
    except OSError as exc:
        raise WriteError(f"{shown}: cannot be written: {_reason(exc)}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError(f"{shown}: is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        raise WriteError(f"{shown}: {file_kind(mode)}, not a regular file")
    folder = path.parent
    probe_folder = folder
    while make_folders and not probe_folder.exists() and probe_folder.parent != probe_folder:
        probe_folder = probe_folder.parent
    if not probe_folder.exists():
        raise WriteError(f"{shown}: the folder {folder} does not exist")
    if not probe_folder.is_dir():
        raise WriteError(f"{shown}: {probe_folder} is {file_kind(probe_folder)}, not a folder")
    try:
        if probe_folder == folder:
            fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
            os.close(fd)
            os.unlink(probe)
        else:
            os.rmdir(tempfile.mkdtemp(prefix=".probe.", dir=probe_folder))
    except OSError as exc:
        raise WriteError(f"{shown}: cannot write in {probe_folder}: {_reason(exc)}") from None
    return path


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
