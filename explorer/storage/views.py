"""Saved views, kept by name in the user store's `views` table (never in the bundled store).

Each row holds the view's token (`explorer.domain.view_token`), so what is saved and what a
student pastes to a classmate are the same text.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from explorer.domain.view_token import SavedView, decode, encode
from explorer.storage.errors import StoreError
from explorer.storage.userstore import connect_writable, ensure_user_store


class ViewError(StoreError):
    """A saved view that does not exist or cannot be saved (shown as a one-line message)."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ViewError("a saved view needs a name")
    if len(name) > 200:
        raise ViewError("a saved view's name must be 200 characters or fewer")
    return name


class ViewStore:
    """The saved views of one user store.

    Args:
        path: The user store; None for the platform's default (created when missing).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = ensure_user_store(path)

    def _connect(self) -> sqlite3.Connection:
        return connect_writable(self.path)

    def names(self) -> list[str]:
        """The names of the saved views, in alphabetical order (case-insensitive)."""
        conn = self._connect()
        try:
            return [r[0] for r in conn.execute("SELECT name FROM views ORDER BY lower(name), name")]
        finally:
            conn.close()

    def token(self, name: str) -> str:
        """The token of a saved view.

        Raises:
            ViewError: no view has this name.
        """
        conn = self._connect()
        try:
            row = conn.execute("SELECT token FROM views WHERE name = ?", (_clean(name),)).fetchone()
        finally:
            conn.close()
        if row is None:
            known = self.names()
            hint = f"; saved views: {', '.join(known)}" if known else "; there are no saved views"
            raise ViewError(f"no saved view is named {name!r}{hint}")
        return str(row[0])

    def load(self, name: str) -> SavedView:
        """The saved view of this name.

        Raises:
            ViewError: no view has this name, or its token is damaged.
        """
        token = self.token(name)
        try:
            return decode(token)
        except ValueError as exc:
            raise ViewError(f"saved view {name!r}: {exc}") from None

    def save(self, name: str, view: SavedView) -> str:
        """Save (or replace) a view under a name; returns the name as stored."""
        name = _clean(name)
        token = encode(view)
        now = _now()
        conn = self._connect()
        try:
            with conn:
                conn.execute(
                    "INSERT INTO views (name, token, created, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET token = excluded.token, "
                    "updated = excluded.updated",
                    (name, token, now, now),
                )
        finally:
            conn.close()
        return name

    def delete(self, name: str) -> None:
        """Forget a saved view.

        Raises:
            ViewError: no view has this name.
        """
        conn = self._connect()
        try:
            with conn:
                cur = conn.execute("DELETE FROM views WHERE name = ?", (_clean(name),))
        finally:
            conn.close()
        if cur.rowcount == 0:
            raise ViewError(f"no saved view is named {name!r}")
