"""Make the text of Qt's PDFs copy and search as it was written.

Qt writes each embedded font's ToUnicode map by looking up, for every glyph, the lowest code point
that the font maps to it. Two common glyph sharings then give the wrong text back:

- CJK fonts (Noto Sans CJK) draw 口 (U+53E3) and the Kangxi radical ⼝ (U+2F1D) with one glyph,
  so "出口管制" copies out of the PDF as "出⼝管制" and a search for 出口 finds nothing;
- DejaVu Sans draws the tab (U+0009) and the space with one glyph, so words copy out separated by
  tabs;
- a ligature glyph (ﬁ, ﬀ) maps to its presentation-form code point, so "effect" copies out as
  "eﬀect" and a search for the word fails.

:func:`fix_tounicode` rewrites those map entries to the characters the text really uses (the
unified ideograph, NFKC's equivalent of the radical; the space; the ligature's letters). The
uncompressed CMap streams are edited in place without changing their length (a ligature's longer
entry takes the room of optional spaces between the array's entries), so every byte offset in
the file (the xref table) stays valid.
"""

from __future__ import annotations

import re
import unicodedata

_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_RANGE_BLOCK = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_CHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_ARRAY = re.compile(rb"\[([^\]]*)\]")
# A bfrange line without an array: <first> <last> <destination>
_RANGE_LINE = re.compile(rb"(<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{4})>")
# A bfchar line: <source> <destination>
_CHAR_LINE = re.compile(rb"(<[0-9A-Fa-f]+>\s*)<([0-9A-Fa-f]{4})>")


def preferred(code: int) -> int:
    """The code point a PDF reader should give back for `code`.

    Kangxi radicals (U+2F00-U+2FDF) and CJK radicals supplement (U+2E80-U+2EFF) become the
    unified ideograph they are drawn like; the tab becomes a space.
    """
    if code == 0x09:
        return 0x20
    if 0x2E80 <= code <= 0x2FDF:
        norm = unicodedata.normalize("NFKC", chr(code))
        if len(norm) == 1 and ord(norm) <= 0xFFFF:
            return ord(norm)
    return code


def _letters(code: int) -> str | None:
    """The letters a ligature glyph stands for (ﬁ -> fi), or None."""
    if 0xFB00 <= code <= 0xFB06:
        return unicodedata.normalize("NFKC", chr(code))
    return None


def _array_entry(hex4: bytes) -> bytes:
    """An array entry: the same-length fix, or a ligature's letters (longer)."""
    letters = _letters(int(hex4, 16))
    if letters is None:
        return _code(hex4)
    return b"<" + "".join(f"{ord(c):04X}" for c in letters).encode() + b">"


def _fix_array(body: bytes) -> bytes:
    """An array's entries fixed, in exactly the room the array had."""
    old = _HEX.findall(body)
    simple = [_code(h) for h in old]
    full = [_array_entry(h) for h in old]
    for entries in (full, simple):
        spaced = b" ".join(entries)
        if len(spaced) <= len(body):
            return spaced.ljust(len(body))
        # drop separators (optional between hex strings) from the end until it fits
        room = len(body) - len(b"".join(entries))
        if room >= 0:
            out = bytearray()
            for i, e in enumerate(entries):
                out += e
                if i < room and i < len(entries) - 1:
                    out += b" "
            return bytes(out).ljust(len(body))
    return body


def _code(hex4: bytes) -> bytes:
    code = int(hex4, 16)
    better = preferred(code)
    return b"<" + hex4 + b">" if better == code else b"<%04X>" % better


def _fix_dest(match: re.Match[bytes]) -> bytes:
    """A line's prefix kept, its four-digit destination code swapped."""
    return match.group(1) + _code(match.group(2))


def _fix_ranges(block: bytes) -> bytes:
    # The lines outside arrays first: inside an array three entries in a row look like one.
    parts = re.split(rb"(\[[^\]]*\])", block)
    return b"".join(
        b"[" + _fix_array(part[1:-1]) + b"]"
        if part.startswith(b"[")
        else _RANGE_LINE.sub(_fix_dest, part)
        for part in parts
    )


def _fix_cmap(cmap: re.Match[bytes]) -> bytes:
    text = _RANGE_BLOCK.sub(
        lambda m: b"beginbfrange" + _fix_ranges(m.group(1)) + b"endbfrange", cmap.group(0)
    )
    return _CHAR_BLOCK.sub(
        lambda m: b"beginbfchar" + _CHAR_LINE.sub(_fix_dest, m.group(1)) + b"endbfchar", text
    )


def fix_tounicode(pdf: bytes) -> bytes:
    """The PDF with its ToUnicode maps giving back the text as written (same length)."""
    fixed = _CMAP.sub(_fix_cmap, pdf)
    if len(fixed) != len(pdf):  # never: each code keeps its four hex digits
        raise AssertionError("ToUnicode rewrite changed the file's length")
    return fixed
