"""Country cells of imported files -> ISO 3166-1 alpha-2 codes.

Files give a country as a code in one row and as a name in the next ("US", "Japan", "Czech
Republic", "Russian"); some cells hold several ("Ukrainian, Russian"). A value we cannot read is
kept as written by the caller and stored under `XX` (several / unknown), never guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from explorer.storage.importers.country_codes import CHINESE, EXTRA, ISO_VARIANTS, NAMES

UNKNOWN = "XX"

_SPLIT = re.compile(r"\s*(?:;|,|/|、|，|；|\band\b)\s*")


def _norm(text: str) -> str:
    return re.sub(r"[\s.’'`]+", " ", text.replace("’", "'")).strip().casefold()


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, name in NAMES.items():
        table[_norm(name)] = code
    for code, variants in ISO_VARIANTS.items():
        for v in variants:
            table.setdefault(_norm(v), code)
    for extra in (EXTRA, CHINESE):
        for code, variants in extra.items():
            for v in variants:
                table[_norm(v)] = code
    return table


def name_of(code: str) -> str:
    """The display name of a code (`XX` -> "Several / unknown")."""
    if code == UNKNOWN:
        return "Several / unknown"
    return NAMES.get(code, code)


def code_of(text: str) -> str | None:
    """The code for one country written as a code, a name or a demonym; None when unknown."""
    text = text.strip().strip("*").strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha() and text.upper() == text and text in NAMES:
        return text
    found = _lookup().get(_norm(text))
    if found is None and "(" in text:
        # "Russian (the Union does not recognise ...)": the words before the remark
        found = _lookup().get(_norm(text.split("(", 1)[0]))
    return found


def codes_of(text: str) -> tuple[list[str], list[str]]:
    """Every country in a cell: (codes, the parts that name no known country).

    The whole cell is tried first ("Korea, North" is one country), then its parts split at
    `;`, `,`, `/` and "and".
    """
    text = text.strip()
    if not text:
        return [], []
    whole = code_of(text)
    if whole:
        return [whole], []
    codes: list[str] = []
    unknown: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        code = code_of(part)
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    return codes, unknown
