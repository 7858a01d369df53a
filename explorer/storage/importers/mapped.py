"""Any CSV or JSON file, with a column mapping: `--map start=Date --map name=Entity ...`.

The mapping names, for each of our fields (`common.FIELDS`), the column that holds it; a value
starting with `=` is fixed for every row (`--map agency==MOFCOM --map issuer==CN`). `start` and
one of `name` or `title` are required. Rows with a `name` are entities grouped into listing
events (one per agency, list, program and date); rows with a `title` are events of their own.

JSON is a list of objects (`[{...}, {...}]`) or one object per line (JSON Lines); each record's
quote is its exact text in the file and its line is the line it starts on.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from explorer.domain.date_parse import DateOrder
from explorer.storage.importers.common import (
    FIELDS,
    ImportFileError,
    Layout,
    Record,
    RowErrorAt,
)


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`["start=Date", "title=Name"]` -> {"start": "Date", "title": "Name"}.

    Raises:
        ImportFileError: an item is not `field=Column`, or names an unknown field.
    """
    out: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        name = name.strip()
        if not sep or not name or not column.strip():
            raise ImportFileError(f"--map {item!r}: write it as field=Column (e.g. start=Date)")
        if name not in FIELDS:
            raise ImportFileError(
                f"--map {item!r}: no field {name!r}; the fields are {', '.join(FIELDS)}"
            )
        out[name] = column.strip()
    return out


def layout(
    mapping: Mapping[str, str],
    header: Sequence[str],
    fmt: str,
    date_order: DateOrder,
    path: Path,
) -> Layout:
    """The layout of a mapped file.

    Raises:
        ImportFileError: a required field is not mapped, or a column is not in the file.
    """
    if "start" not in mapping:
        raise ImportFileError(
            f"{path}: map the listing date's column: --map start=COLUMN "
            f"(columns: {_columns(header)})"
        )
    if "name" not in mapping and "title" not in mapping:
        raise ImportFileError(
            f"{path}: map the entity's column (--map name=COLUMN) or the event title's "
            f"(--map title=COLUMN) (columns: {_columns(header)})"
        )
    columns: dict[str, tuple[str, ...]] = {}
    constants: dict[str, str] = {}
    known = set(header)
    for name, column in mapping.items():
        if column.startswith("="):
            constants[name] = column[1:]
            continue
        cols = tuple(c.strip() for c in column.split("|") if c.strip())
        for c in cols:
            if c not in known:
                raise ImportFileError(
                    f"{path}: --map {name}={column}: no column {c!r} in the file "
                    f"(columns: {_columns(header)})"
                )
        columns[name] = cols
    shown = " ".join(f"{k}={v}" for k, v in sorted(mapping.items()))
    return Layout(
        format=fmt,
        name=f"mapped {fmt.upper()} ({shown})",
        columns=columns,
        constants=constants,
        date_order=date_order,
        alias_split=r"\s*;\s*",
        program_split=r"\s*;\s*",
    )


def _columns(header: Sequence[str]) -> str:
    shown = ", ".join(header[:20])
    return shown + (", …" if len(header) > 20 else "")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value if v is not None)
    return json.dumps(value, ensure_ascii=False)


class _Refused(ValueError):
    """A JSON value we do not read: NaN or Infinity, a number too long to be one, values
    nested too deep (hostile input, not a list of records)."""


# Records are flat: values are text, numbers or lists of them. Deeper nesting than this, a
# number longer than this or one beyond a float's range is refused, naming the line.
_MAX_DEPTH = 32
_MAX_NUMBER = 64
# A NUL character or half a surrogate pair: not text (and SQLite cannot store the latter).
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def _int(text: str) -> int:
    if len(text) > _MAX_NUMBER:
        raise _Refused(f"a number of {len(text):,} digits")
    return int(text)


def _float(text: str) -> float:
    if len(text) > _MAX_NUMBER:
        raise _Refused(f"a number of {len(text):,} characters")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text} is beyond the range of numbers")
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


def _decode(text: str, i: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, i)
    except RecursionError:
        raise _Refused("values nested too deep to read") from None


def _not_text(found: str) -> str:
    if found == "\x00":
        return "a NUL character (binary data, not text)"
    return f"a lone surrogate \\u{ord(found):04x} (half of a character, not text)"


def _problem(obj: dict[Any, Any]) -> tuple[str, str] | None:
    """What makes a decoded record unreadable, as (key, reason): NUL characters or lone
    surrogates in a key or a value, or values nested deeper than _MAX_DEPTH."""
    for key, value in obj.items():
        key = str(key)
        bad = _NOT_TEXT.search(key)
        if bad:
            return "", f"{_not_text(bad.group())} in a key"
        stack: list[tuple[Any, int]] = [(value, 1)]
        while stack:
            v, depth = stack.pop()
            if isinstance(v, str):
                bad = _NOT_TEXT.search(v)
                if bad:
                    return key, _not_text(bad.group())
            elif isinstance(v, (list, dict)):
                if depth >= _MAX_DEPTH:
                    return key, f"values nested more than {_MAX_DEPTH} deep"
                if isinstance(v, dict):
                    for k, x in v.items():
                        bad = _NOT_TEXT.search(str(k))
                        if bad:
                            return key, f"{_not_text(bad.group())} in a key"
                        stack.append((x, depth + 1))
                else:
                    stack.extend((x, depth + 1) for x in v)
    return None


def json_records(path: Path, text: str) -> tuple[list[str], list[Record | RowErrorAt]]:
    """The records of a JSON file (a list of objects, or JSON Lines), with their columns.

    Read strictly: NaN and Infinity, numbers too long or too large, values nested more than
    32 deep, NUL characters and lone surrogates are refused, naming the line (in a list, a
    value that cannot be decoded refuses the file; in JSON Lines it is an error of its line).

    Raises:
        ImportFileError: not JSON, not records, or no records.
    """
    records: list[Record | RowErrorAt] = []
    columns: dict[str, None] = {}
    i = _skip(text, 0)
    if i >= len(text):
        raise ImportFileError(f"{path}: the file is empty")
    line = text.count("\n", 0, i) + 1
    if text[i] == "[":
        bracket = i
        i = _skip(text, i + 1)
        if i < len(text) and text[i] == "]":
            raise ImportFileError(f"{path}: the JSON list is empty: no records")
        start_line, counted = line, bracket
        while i < len(text):
            start_line += text.count("\n", counted, i)
            counted = i
            try:
                obj, end = _decode(text, i)
            except json.JSONDecodeError as exc:
                raise ImportFileError(
                    f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})"
                ) from None
            except _Refused as exc:
                raise ImportFileError(
                    f"{path}: line {start_line}: a record we do not read: {exc}"
                ) from None
            _add(records, columns, obj, text[i:end], start_line, i)
            i = _skip(text, end)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
                continue
            if i < len(text) and text[i] == "]":
                break
            raise ImportFileError(
                f"{path}: line {text.count(chr(10), 0, i) + 1}: not valid JSON "
                "(expected ',' or ']')"
            )
    elif text[i] == "{":
        # JSON Lines: one object per line
        offset = 0
        for n, raw in enumerate(text.splitlines(keepends=True), start=1):
            here = offset
            offset += len(raw)
            body = raw.strip()
            if not body:
                continue
            try:
                obj = _DECODER.decode(body)
            except RecursionError:
                records.append(RowErrorAt(n, "", "values nested too deep to read"))
                continue
            except _Refused as exc:
                records.append(RowErrorAt(n, "", str(exc)))
                continue
            except json.JSONDecodeError as exc:
                if n == line and not records:
                    raise ImportFileError(
                        f"{path}: line {n}: a JSON object that is not one record per line "
                        "(give a list of records, or one object per line)"
                    ) from None
                records.append(RowErrorAt(n, "", f"not valid JSON ({exc.msg})"))
                continue
            _add(records, columns, obj, raw.rstrip("\r\n"), n, here)
    else:
        raise ImportFileError(f"{path}: line {line}: not a JSON list of records")
    if not records:
        raise ImportFileError(f"{path}: no records")
    if not any(isinstance(r, Record) for r in records):
        first = records[0]
        assert isinstance(first, RowErrorAt)
        where = f"key {first.field!r}: " if first.field else ""
        raise ImportFileError(
            f"{path}: line {first.line}: {where}{first.reason} (no record to read)"
        )
    header = list(columns)
    # records by position, in the order of the union of every record's keys
    out: list[Record | RowErrorAt] = []
    for r in records:
        if isinstance(r, Record):
            cells = r.cells
            assert isinstance(cells, dict)
            r = Record(r.line, r.offset, r.raw, [cells.get(k, "") for k in header])
        out.append(r)
    return header, out


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n\ufeff":
        i += 1
    return i


def _add(
    records: list[Record | RowErrorAt],
    columns: dict[str, None],
    obj: Any,
    raw: str,
    line: int,
    offset: int,
) -> None:
    if not isinstance(obj, dict):
        records.append(RowErrorAt(line, "", f"a JSON {type(obj).__name__}, not a record"))
        return
    problem = _problem(obj)
    if problem is not None:
        records.append(RowErrorAt(line, *problem))
        return
    cells = {str(k): _cell(v) for k, v in obj.items()}
    for k in cells:
        columns.setdefault(k, None)
    records.append(Record(line, offset, raw, cells))  # type: ignore[arg-type]


def iter_records(records: list[Record | RowErrorAt]) -> Iterator[Record | RowErrorAt]:
    yield from records
