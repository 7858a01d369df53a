"""A view (`explorer.domain.view.ViewState`) as a short text token, to paste into a chat and
send to a classmate.

A token looks like `PTV1.eJyrVkrOzy0oSi0uTk1RslIKzs8tyEktyUxWqAUAYZ0IFA`: a version, then the view
as compact JSON (zlib-compressed when that is shorter) with a CRC-32 checksum, in URL-safe
base64. It survives URLs, e-mail and chat; a token cut short, mistyped or made by a newer version
of the program is refused with a message that says which.

A token is input from anyone, so decoding does bounded work whatever the text: the token's
length is checked first (MAX_TOKEN_CHARS), its content is unpacked to at most MAX_JSON_BYTES
(a bounded `zlib.decompressobj`, never the whole stream), nested at most MAX_DEPTH deep, its
numbers finite and of at most MAX_NUMBER_CHARS digits, and the view it describes is held to the
limits of `ViewState` and `FilterState` (window and range within the years the timeline can
draw, search text, number and length of values). Whatever is wrong, `decode` raises
ViewTokenError with one line; `encode` refuses a view too large for a token the same way.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import zlib
from typing import Any

from explorer.domain.filters import FilterError, from_dict, shown, to_dict
from explorer.domain.view import ViewError, ViewState

VERSION = 1
PREFIX = "PTV"

#: The longest token, in characters without white space. The views students make are a few
#: hundred; this leaves room for a thousand long item keys and still fits the one-line paste box
#: (Qt's line edits hold 32,767 characters).
MAX_TOKEN_CHARS = 32_000
#: The most bytes a token's content may unpack to: more than any token of MAX_TOKEN_CHARS made
#: by `encode` holds, and far from the 25 MB a hostile 32 KB token can unpack to.
MAX_JSON_BYTES = 256 * 1024
#: A view's content nests two deep (an object of lists); a little room, then refused.
MAX_DEPTH = 4
#: The most characters of one JSON number (a day number with its fraction needs about 20).
MAX_NUMBER_CHARS = 32

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
    # added with measures: a token without it decodes as before (no such filter)
    "in_force_on": "n",
}
_LONG = {v: k for k, v in _SHORT.items()}


class ViewTokenError(ValueError):
    """A text that is not a usable view token (or a view too large for one); the message says
    why in one line."""


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
            raise ViewTokenError(f"not a view token (unknown field {shown(str(key))})")
    try:
        state = from_dict(filters)
    except FilterError as exc:
        raise ViewTokenError(f"the view's filters are not usable: {exc}") from None
    window = data.get("w")
    if window is not None and not (
        isinstance(window, list)
        and len(window) == 2
        and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
            for x in window
        )
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
    """The view as a short, URL-safe text token.

    Raises:
        ViewTokenError: the view is too large for a token (more than MAX_JSON_BYTES of content
            or MAX_TOKEN_CHARS of token): `decode` would refuse it.
    """
    raw = json.dumps(view_to_data(view), ensure_ascii=False, separators=(",", ":")).encode()
    packed = zlib.compress(raw, 9)
    body = b"\x01" + packed if len(packed) < len(raw) else b"\x00" + raw
    crc = zlib.crc32(body).to_bytes(4, "big")
    text = base64.urlsafe_b64encode(body + crc).decode("ascii").rstrip("=")
    token = f"{PREFIX}{VERSION}.{text}"
    if len(raw) > MAX_JSON_BYTES or len(token) > MAX_TOKEN_CHARS:
        raise ViewTokenError(
            f"this view is too large for a view token ({len(token):,} characters, "
            f"{len(raw):,} bytes; at most {MAX_TOKEN_CHARS:,} and {MAX_JSON_BYTES:,}): "
            "select fewer values"
        )
    return token


def _refuse_constant(name: str) -> Any:
    raise ViewTokenError(f"the view token holds a number that is no number ({name})")


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ViewTokenError(f"the view token holds a number of {len(text):,} digits")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else math.inf
    if not math.isfinite(value):
        raise ViewTokenError(f"the view token holds a number out of range ({shown(text, 20)})")
    return value


_TOO_DEEP = f"the view token is damaged (its content nests deeper than {MAX_DEPTH} levels)"


def _depth(data: Any) -> int:
    """How deep the parsed content nests (a string or number: 0; an object of lists: 2)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in value if isinstance(v, (list, dict)))
    return deepest


def _unpack(body: bytes) -> bytes:
    """The content of a checked token body, at most MAX_JSON_BYTES."""
    flag, packed = body[0], body[1:]
    if flag == 0:
        raw = packed
    elif flag == 1:
        unpacker = zlib.decompressobj()
        try:
            raw = unpacker.decompress(packed, MAX_JSON_BYTES + 1)
        except zlib.error:
            raise ViewTokenError("the view token is damaged (its content cannot be read)") from None
        if len(raw) > MAX_JSON_BYTES or unpacker.unconsumed_tail:
            raise ViewTokenError(
                f"the view token holds more than {MAX_JSON_BYTES // 1024:,} KB once unpacked; "
                "no view is that large"
            )
        if not unpacker.eof or unpacker.unused_data:
            raise ViewTokenError("the view token is damaged (its content cannot be read)")
    else:
        raise ViewTokenError("the view token is damaged (its content cannot be read)")
    if len(raw) > MAX_JSON_BYTES:
        raise ViewTokenError(
            f"the view token holds more than {MAX_JSON_BYTES // 1024:,} KB; no view is that large"
        )
    return raw


def decode(token: str) -> ViewState:
    """The view a token holds.

    The work is bounded whatever the text (see the module's limits).

    Raises:
        ViewTokenError: the text is not a token, is damaged, incomplete or too large, holds a
            view this program cannot show, or was made by a newer version of the program.
    """
    if not isinstance(token, str):
        token = ""
    if len(token) > 4 * MAX_TOKEN_CHARS:  # refused before the white space is taken out
        raise ViewTokenError(
            f"the view token is too long ({len(token):,} characters; a token has at most "
            f"{MAX_TOKEN_CHARS:,})"
        )
    text = "".join(token.split())  # chats wrap long lines
    if not text:
        raise ViewTokenError("the view token is empty")
    if len(text) > MAX_TOKEN_CHARS:
        raise ViewTokenError(
            f"the view token is too long ({len(text):,} characters; a token has at most "
            f"{MAX_TOKEN_CHARS:,})"
        )
    head, dot, payload = text.partition(".")
    digits = head[len(PREFIX) :]
    if (
        not dot
        or not head.upper().startswith(PREFIX)
        or not (digits.isascii() and digits.isdigit())
        or len(digits) > 6
    ):
        raise ViewTokenError(f"not a view token (it should start with {PREFIX}{VERSION}.)")
    version = int(digits)
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
    raw = _unpack(body)
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ViewTokenError("the view token is damaged (its content cannot be read)") from None
    try:
        data = json.loads(
            content,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_refuse_constant,
        )
    except ViewTokenError:
        raise
    except RecursionError:  # json's own guard, a thousand levels down
        raise ViewTokenError(_TOO_DEEP) from None
    except ValueError:
        raise ViewTokenError("the view token is damaged (its content cannot be read)") from None
    if _depth(data) > MAX_DEPTH:
        raise ViewTokenError(_TOO_DEEP)
    return view_from_data(data)
