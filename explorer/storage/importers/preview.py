"""A look at a file before importing it: its format, its columns, its first rows, and how the
dates of a column would be read. The import dialog shows this; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from explorer.domain.date_parse import DateOrder, parse_date
from explorer.storage.importers.common import (
    ImportFileError,
    ImportOptions,
    Record,
    RowErrorAt,
)
from explorer.storage.importers.detect import plan
from explorer.storage.importers.ofac_sdn import snapshot_date

# Column names that usually hold each field, to pre-fill the mapping dialog (a suggestion the
# user sees and can change, never applied silently).
_HINTS: dict[str, tuple[str, ...]] = {
    "start": ("date", "start", "start_date", "startdate", "listed", "effective date", "日期"),
    "end": ("end", "end date", "end_date", "enddate"),
    "name": ("name", "entity", "company", "organization", "名称", "实体"),
    "aliases": ("alias", "aliases", "alt_names", "other names", "aka"),
    "target": ("country", "countries", "nationality", "国家"),
    "agency": ("agency", "body", "authority", "issuer agency"),
    "list": ("list", "list name", "source", "source list"),
    "program": ("program", "programs", "programme"),
    "url": ("url", "link", "source url", "source_url", "web link"),
    "title": ("title", "event", "headline"),
}


@dataclass
class Preview:
    """What the dialog shows about a file.

    Attributes:
        path: The file.
        format: The detected format (csl, ofac-sdn, opensanctions), or csv/json when the file
            needs a mapping; "" when the file cannot be read at all.
        layout: The detected layout's name; "" when a mapping is needed.
        header: The columns.
        rows: The first rows, by column.
        lines: Their line numbers.
        error: Why the file cannot be imported as it is (or at all); "" when it can.
        needs_mapping: The user must say which column holds what.
        as_of: For an SDN file, the snapshot day its name gives ("" when none).
    """

    path: Path
    format: str = ""
    layout: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    error: str = ""
    needs_mapping: bool = False
    as_of: str = ""
    date_column: str = ""
    date_order: DateOrder = DateOrder.UNDECLARED

    def suggested_mapping(self) -> dict[str, str]:
        """Field -> column, from common column names (for the dialog to pre-fill)."""
        out: dict[str, str] = {}
        lowered = {h.strip().lower(): h for h in self.header}
        for name, hints in _HINTS.items():
            for hint in hints:
                if hint in lowered and lowered[hint] not in out.values():
                    out[name] = lowered[hint]
                    break
        return out


def preview(path: Path, encoding: str | None = None, limit: int = 8) -> Preview:
    """Detect a file's format and read its first rows; never raises for a bad file."""
    path = Path(path)
    result = Preview(path)
    try:
        p = plan(path, ImportOptions(encoding=encoding, as_of="1970-01-01"))
    except ImportFileError as exc:
        message = str(exc)
        if (
            "unknown layout" in message
            or "need a column mapping" in message
            or ("needs a column mapping" in message)
        ):
            return _generic(path, encoding, limit, result, message)
        result.error = message
        return result
    try:
        result.format, result.layout, result.header = p.layout.format, p.layout.name, p.header
        starts = [c for c in p.layout.columns_of("start") if c in p.header]
        result.date_column = starts[0] if starts else ""
        result.date_order = p.layout.date_order
        _take(result, p.records, limit)
        if result.format == "ofac-sdn":
            try:
                day, _note = snapshot_date(path, None)
                chosen = day.chosen
                result.as_of = chosen.iso() if chosen else ""
            except ImportFileError:
                result.as_of = ""
    except ImportFileError as exc:
        result.error = str(exc)
    finally:
        p.lines.close()
    return result


def _generic(path: Path, encoding: str | None, limit: int, result: Preview, why: str) -> Preview:
    """A file of no known layout: read it as a mapped CSV or JSON to show its columns."""
    result.needs_mapping = True
    fmt = "json" if path.suffix.lower() in (".json", ".jsonl", ".ndjson") else "csv"
    try:
        # a mapping that names no column reads the header and the rows and nothing else
        p = plan(
            path,
            ImportOptions(format=fmt, mapping={"start": "=", "title": "="}, encoding=encoding),
        )
    except ImportFileError as exc:
        result.error = str(exc)
        return result
    try:
        result.format, result.header = p.layout.format, p.header
        _take(result, p.records, limit)
    except ImportFileError as exc:
        result.error = str(exc)
    finally:
        p.lines.close()
    result.error = "" if result.header else why
    return result


def _take(result: Preview, records: object, limit: int) -> None:
    for rec in islice(records, limit):  # type: ignore[call-overload]
        if isinstance(rec, Record):
            result.rows.append(list(rec.cells))
            result.lines.append(rec.line)
        elif isinstance(rec, RowErrorAt):
            result.rows.append([f"(line {rec.line}: {rec.reason})"])
            result.lines.append(rec.line)


def date_readings(values: Sequence[str], order: DateOrder) -> list[str]:
    """How each date text would be read: "2 December 2019 (day-first)", or the reason not."""
    out = []
    for v in values:
        r = parse_date(v, order)
        if r.error:
            out.append(f"✗ {r.error}")
        elif r.empty:
            out.append("no date (row left out)")
        else:
            chosen = r.chosen
            out.append(f"{chosen.display() if chosen else ''} ({r.form.value if r.form else ''})")
    return out
