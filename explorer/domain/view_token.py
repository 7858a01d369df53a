"""A view (`explorer.domain.view.ViewState`) as a short text token, to paste into a chat and
send to a classmate.

A token looks like `PTV1.eJyrVkrOzy0oSi0uTk1RslIKzs8tyEktyUxWqAUAYZ0IFA`: a version, then the view
as compact JSON (zlib-compressed when that is shorter) with a CRC-32 checksum, in URL-safe
base64. It survives URLs, e-mail and chat; a token cut short, mistyped or made by a newer version
of the program is refused with a message that says which.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from explorer.domain.filters import FilterError, from_dict, to_dict
from explorer.domain.view import ViewError, ViewState

VERSION = 1
PREFIX = "PTV"

# Short JSON keys keep tokens short: a student pastes them into chats.
_SHORT = {
    "countries": "c",
    "agencies": "a",
    "kinds": "k",
    "statuses": "s",
    "topics": "t",
    "items": "i",
    "date_from": "f",
    "date_to": "u",
    "search": "q",
}
_LONG = {v: k for k, v in _SHORT.items()}


class ViewTokenError(ValueError):
    """A text that is not a usable view token; the message says why in one line."""


#: A saved view is a ViewState: what is saved, pasted and shown are one value.
SavedView = ViewState


def _compact(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def view_to_data(view: ViewState) -> dict[str, Any]:
    """The view as compact JSON-ready data."""
    data: dict[str, Any] = {_SHORT[k]: v for k, v in to_dict(view.filters).items()}
    if view.window is not None:
        data["w"] = [_compact(view.window[0]), _compact(view.window[1])]
    if view.lane_mode != "country":
        data["l"] = view.lane_mode
    if view.selection:
        data["e"] = view.selection
    return data


def view_from_data(data: Any) -> ViewState:
    """The inverse of `view_to_data`.

    Raises:
        ViewTokenError: the data does not describe a view.
    """
    if not isinstance(data, dict):
        raise ViewTokenError("not a view token (its content is not a view)")
    filters = {}
    for key, value in data.items():
        if key in _LONG:
            filters[_LONG[key]] = value
        elif key not in ("w", "l", "e"):
            raise ViewTokenError(f"not a view token (unknown field {key!r})")
    try:
        state = from_dict(filters)
    except FilterError as exc:
        raise ViewTokenError(f"the view's filters are not usable: {exc}") from None
    window = data.get("w")
    if window is not None and not (
        isinstance(window, list)
        and len(window) == 2
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in window)
    ):
        raise ViewTokenError("the view's window is not two numbers")
    lane = data.get("l", "country")
    selection = data.get("e")
    if not isinstance(lane, str) or (selection is not None and not isinstance(selection, str)):
        raise ViewTokenError("the view's lane mode or selection is not text")
    try:
        return ViewState(
            filters=state,
            window=(float(window[0]), float(window[1])) if window is not None else None,
            lane_mode=lane,
            selection=selection,
        )
    except ViewError as exc:
        raise ViewTokenError(f"the view is not usable: {exc}") from None


def encode(view: ViewState) -> str:
    """The view as a short, URL-safe text token."""
    raw = json.dumps(view_to_data(view), ensure_ascii=False, separators=(",", ":")).encode()
    packed = zlib.compress(raw, 9)
    body = b"\x01" + packed if len(packed) < len(raw) else b"\x00" + raw
    crc = zlib.crc32(body).to_bytes(4, "big")
    text = base64.urlsafe_b64encode(body + crc).decode("ascii").rstrip("=")
    return f"{PREFIX}{VERSION}.{text}"


def decode(token: str) -> ViewState:
    """The view a token holds.

    Raises:
        ViewTokenError: the text is not a token, is damaged or incomplete, or was made by a
            newer version of the program.
    """
    text = "".join((token or "").split())  # chats wrap long lines
    if not text:
        raise ViewTokenError("the view token is empty")
    head, dot, payload = text.partition(".")
    if not dot or not head.upper().startswith(PREFIX) or not head[len(PREFIX) :].isdigit():
        raise ViewTokenError(f"not a view token (it should start with {PREFIX}{VERSION}.)")
    version = int(head[len(PREFIX) :])
    if version > VERSION:
        raise ViewTokenError(
            f"this view token was made by a newer version of the program (format {version}, "
            f"this one reads up to {VERSION}); please upgrade"
        )
    if version < 1:
        raise ViewTokenError(f"not a view token (unknown format {version})")
    try:
        blob = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ViewTokenError(
            "the view token is damaged (it has characters a token never has)"
        ) from None
    if len(blob) < 6:
        raise ViewTokenError("the view token is incomplete (was part of it lost when copying?)")
    body, crc = blob[:-4], blob[-4:]
    if zlib.crc32(body).to_bytes(4, "big") != crc:
        raise ViewTokenError(
            "the view token is damaged or incomplete: its checksum does not match "
            "(was part of it lost or changed when copying?)"
        )
    try:
        raw = zlib.decompress(body[1:]) if body[0] == 1 else body[1:]
        data = json.loads(raw.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError):
        raise ViewTokenError("the view token is damaged (its content cannot be read)") from None
    return view_from_data(data)
