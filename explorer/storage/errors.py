"""Errors caused by the user's files or environment, as opposed to bugs in our code.

A StoreError is shown to the user as one line; anything else is a bug and keeps its traceback
(qutebrowser's sql.py draws the same line). SQLite's result codes and the operating system's
errors that come from the environment (a full disk, a read-only folder, a busy or damaged file)
are turned into StoreErrors here, with what to do about them; the rest stay bugs.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class StoreError(Exception):
    """A store or input file that cannot be used; the message names the file and the problem."""


class SchemaVersionError(StoreError):
    """A store written by a newer version of the program."""


# SQLite's primary result codes that say something about the file or the machine, not about
# our code; the advice is what the user can do.
_SQLITE_ADVICE = {
    "SQLITE_FULL": "the disk is full (or the file reached a size limit): free some space",
    "SQLITE_IOERR": "the disk could not be read or written (input/output error, or a size "
    "limit): check the drive and the free space",
    "SQLITE_READONLY": "cannot be written here (a read-only file or folder): check its permissions",
    "SQLITE_CANTOPEN": "cannot be opened: check that it and its folder exist and that you may "
    "read and write them",
    "SQLITE_PERM": "permission denied: check the file's and its folder's permissions",
    "SQLITE_BUSY": "is busy (another program is writing to it): try again in a moment",
    "SQLITE_LOCKED": "is busy (another program is writing to it): try again in a moment",
    "SQLITE_CORRUPT": "is damaged: restore it from a copy (explorer check --db FILE tells more)",
    "SQLITE_NOTADB": "is not an SQLite store",
}

# Python before 3.11 gives no result code: the messages SQLite writes for the same codes.
_SQLITE_MESSAGES = (
    ("database or disk is full", "SQLITE_FULL"),
    ("disk i/o error", "SQLITE_IOERR"),
    ("readonly database", "SQLITE_READONLY"),
    ("unable to open database", "SQLITE_CANTOPEN"),
    ("access permission denied", "SQLITE_PERM"),
    ("database is locked", "SQLITE_BUSY"),
    ("database table is locked", "SQLITE_LOCKED"),
    ("malformed", "SQLITE_CORRUPT"),
    ("file is not a database", "SQLITE_NOTADB"),
)


def sqlite_code(exc: sqlite3.Error) -> str | None:
    """The primary result code of an SQLite error (`SQLITE_FULL`), or None."""
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str) and name.startswith("SQLITE_"):
        for code in _SQLITE_ADVICE:
            if name == code or name.startswith(code + "_"):
                return code
        return name
    text = str(exc).lower()
    for fragment, code in _SQLITE_MESSAGES:
        if fragment in text:
            return code
    return None


def sqlite_reason(exc: sqlite3.Error) -> str | None:
    """What an SQLite error means for the user, or None when it is a bug of ours."""
    code = sqlite_code(exc)
    return _SQLITE_ADVICE.get(code) if code else None


def os_reason(exc: OSError) -> str:
    """An operating-system error in words a user can act on."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if code == errno.EFBIG:
        return "the file is too large for this disk or its limits"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.EROFS:
        return "the disk is read-only"
    if code == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if code == errno.ENOENT:
        return "no such file or folder"
    return exc.strerror or str(exc)


@contextmanager
def user_errors(path: object, doing: str = "") -> Iterator[None]:
    """Turn the SQLite and OS errors that come from the file or the machine into StoreErrors
    naming `path` (and what was being done); any other error passes through as the bug it is.

    Args:
        path: The file the work is about.
        doing: What was being done, in a few words ("importing", "creating your store").
    """
    what = f" ({doing})" if doing else ""
    try:
        yield
    except StoreError:
        raise
    except sqlite3.Error as exc:
        reason = sqlite_reason(exc)
        if reason is None:
            raise
        raise StoreError(f"{path}: {reason}{what}") from exc
    except OSError as exc:
        where = exc.filename if exc.filename is not None else path
        raise StoreError(f"{where}: {os_reason(exc)}{what}") from exc


def describe(exc: BaseException) -> str | None:
    """One line for an error the environment caused (no file named: the caller had none at
    hand), or None for a bug."""
    if isinstance(exc, sqlite3.Error):
        reason = sqlite_reason(exc)
        return f"the store {reason} ({exc})" if reason else None
    if isinstance(exc, OSError) and exc.errno is not None:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return f"{where}{os_reason(exc)}"
    return None
