"""Saved views, kept by name in the user store's `views` table (never in the bundled store).

Each row holds the view's token (`explorer.domain.view_token`), so what is saved and what a
student pastes to a classmate are the same text. A row is read as untrusted input, like a pasted
token: a token that is not text or is too long is refused before it is read whole, and a
damaged one is a ViewError naming the view, in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from explorer.domain.filters import shown
from explorer.domain.view_token import MAX_TOKEN_CHARS, SavedView, ViewTokenError, decode, encode
from explorer.storage.errors import StoreError
from explorer.storage.userstore import connect_writable, ensure_user_store

T = TypeVar("T")


class ViewError(StoreError):
    """A saved view that does not exist, is damaged or cannot be saved (shown as a one-line
    message)."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


#: The longest name a view is saved under.
MAX_NAME_CHARS = 200


def _clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ViewError("a saved view needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise ViewError(f"a saved view's name must be {MAX_NAME_CHARS} characters or fewer")
    return name


def _listed(name: str, limit: int = 40) -> str:
    """A name for a one-line message: on one line, cut to about `limit` characters."""
    name = " ".join(name[: limit + 1].split())
    return name if len(name) <= limit else name[:limit] + "…"


class ViewStore:
    """The saved views of one user store.

    Args:
        path: The user store; None for the platform's default (created when missing).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = ensure_user_store(path)

    def _connect(self) -> sqlite3.Connection:
        return connect_writable(self.path)

    def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """`fn` over a connection, closed afterwards; SQLite's errors (a damaged file or
        table) become a ViewError naming the store."""
        conn = self._connect()
        try:
            return fn(conn)
        except sqlite3.Error as exc:
            raise ViewError(f"{self.path}: the saved views cannot be read ({exc})") from None
        finally:
            conn.close()

    def names(self, limit: int | None = None) -> list[str]:
        """The names of the saved views, in alphabetical order (case-insensitive).

        Args:
            limit: At most this many (the first ones); None for all.
        """
        return self._run(
            lambda conn: [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM views ORDER BY lower(name), name LIMIT ?",
                    (-1 if limit is None else limit,),
                )
            ]
        )

    def count(self) -> int:
        """How many views are saved."""
        return self._run(lambda conn: int(conn.execute("SELECT count(*) FROM views").fetchone()[0]))

    def token(self, name: str) -> str:
        """The token of a saved view (the name as listed, or as typed).

        Raises:
            ViewError: no view has this name, or its token is not text or too long to be one.
        """
        query = (
            "SELECT CASE WHEN typeof(token) = 'text' AND length(token) <= ? THEN token END, "
            "typeof(token), length(token) FROM views WHERE name = ?"
        )

        def find(conn: sqlite3.Connection) -> tuple[object, str, int] | None:
            row = conn.execute(query, (4 * MAX_TOKEN_CHARS, name)).fetchone()
            if row is None:
                row = conn.execute(query, (4 * MAX_TOKEN_CHARS, _clean(name))).fetchone()
            return None if row is None else (row[0], str(row[1]), int(row[2] or 0))

        row = self._run(find)
        if row is None:
            known = self.names(21)
            listed = ", ".join(_listed(n) for n in known[:20])
            more = ", …" if len(known) > 20 else ""
            hint = f"; saved views: {listed}{more}" if known else "; there are no saved views"
            raise ViewError(f"no saved view is named {shown(name)}{hint}")
        token, kind, length = row
        if kind != "text":
            raise ViewError(f"saved view {shown(name)} is damaged: its token is not text ({kind})")
        if token is None:
            raise ViewError(
                f"saved view {shown(name)} is damaged: its token has {length:,} characters "
                f"(a token has at most {MAX_TOKEN_CHARS:,})"
            )
        return str(token)

    def load(self, name: str) -> SavedView:
        """The saved view of this name.

        Raises:
            ViewError: no view has this name, or its token is damaged or holds a view this
                program cannot show (whatever the row holds: one line, never another error).
        """
        token = self.token(name)
        try:
            return decode(token)
        except ViewTokenError as exc:
            raise ViewError(f"saved view {shown(name)}: {exc}") from None

    def save(self, name: str, view: SavedView) -> str:
        """Save (or replace) a view under a name; returns the name as stored.

        Raises:
            ViewError: the name is empty or too long, or the view too large for a token.
        """
        name = _clean(name)
        try:
            token = encode(view)
        except ViewTokenError as exc:
            raise ViewError(f"saved view {shown(name)}: {exc}") from None
        now = _now()

        def write(conn: sqlite3.Connection) -> None:
            with conn:
                conn.execute(
                    "INSERT INTO views (name, token, created, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET token = excluded.token, "
                    "updated = excluded.updated",
                    (name, token, now, now),
                )

        self._run(write)
        return name

    def delete(self, name: str) -> None:
        """Forget a saved view.

        Raises:
            ViewError: no view has this name.
        """

        def remove(conn: sqlite3.Connection) -> int:
            with conn:
                cur = conn.execute("DELETE FROM views WHERE name = ?", (name,))
                if cur.rowcount == 0:
                    cur = conn.execute("DELETE FROM views WHERE name = ?", (_clean(name),))
                return cur.rowcount

        if self._run(remove) == 0:
            raise ViewError(f"no saved view is named {shown(name)}")
