"""A disk cache for indexes derived from a store file (facet bitsets, the short-word index).

Building them reads every event: seconds for a million. The store files never change once
written (the bundled one is read-only, the user store changes only through imports, which
change its size or time stamp), so what was built is kept in the user cache, named by the
store's path, size and modification time, and read back in milliseconds next time.

The cache holds plain data only (ints, bytes, str, lists, dicts) written with `marshal`, so
reading it never runs code. A missing, stale, damaged or unwritable cache just means building
again.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from array import array
from pathlib import Path
from typing import Any

from explorer.storage import paths

# Bump when the layout of a cached index changes.
FORMAT = 2


def _file(store_path: Path, kind: str) -> Path:
    st = store_path.stat()
    ident = f"{store_path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{kind}|{FORMAT}"
    name = hashlib.sha256(ident.encode()).hexdigest()[:24]
    return paths.cache_dir() / "indexes" / f"{kind}-{name}.marshal"


def load(store_path: Path, kind: str) -> dict[str, Any] | None:
    """The cached index of this kind for this exact store file, or None."""
    try:
        data = marshal.loads(_file(store_path, kind).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def save(store_path: Path, kind: str, data: dict[str, Any]) -> None:
    """Keep an index for next time; failures (read-only cache, full disk) are ignored."""
    try:
        target = _file(store_path, kind)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(data))
        tmp.replace(target)
    except (OSError, ValueError):
        return


def pack_array(a: array[int]) -> tuple[str, bytes]:
    return a.typecode, a.tobytes()


def unpack_array(packed: Any) -> array[int]:
    code, raw = packed
    out = array(str(code))
    out.frombytes(bytes(raw))
    return out
