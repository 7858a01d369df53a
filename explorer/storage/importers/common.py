"""The one path every importer takes: records -> mapped entries -> validated -> grouped -> stored.

A format module only says how its file is read (a `Layout`: which column holds which of our
fields, what is fixed for the whole list, and a small fix-up hook) and yields `Record`s. Here
those records are mapped to `Entry`s, checked (dates, ragged rows, missing names), and grouped
into listing events: one event per agency, list, program and listing date, with the listed
entities as its items. Everything is written in one transaction; a file with errors writes
nothing unless the caller allows skipping bad lines.

Evidence: an imported row is not a news quote. Each event cites the listing's record (the
Federal Register notice or list URL, else the file) as its date source, and holds one quote: the
exact text of one entity line of the file, attributed to the file itself as a source, with its
character offsets, so that `explorer check` can compare it with the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from explorer.domain.date_parse import (
    LISTING_DATE_RULE,
    TWO_DIGIT_YEAR_RULE,
    DateForm,
    DateOrder,
    DateParse,
    parse_date,
)
from explorer.domain.dates import PartialDate, day_number
from explorer.domain.model import ActorKind
from explorer.storage import densities, schema
from explorer.storage.errors import StoreError
from explorer.storage.importers import agencies, countries
from explorer.storage.importers.agencies import Agency
from explorer.storage.search_rows import write_search_rows

# Our fields, as `--map field=Column` names them.
FIELDS: dict[str, str] = {
    "start": "listing date (required)",
    "end": "end of the listing (or of the event, with title)",
    "name": "listed entity: each becomes an item of its listing event",
    "aliases": "other names of the entity (';'-separated)",
    "title": "event title: each distinct title and date becomes its own event",
    "list": "name of the list",
    "program": "sanctions program (several: ';'-separated)",
    "agency": "issuing agency",
    "issuer": "issuing country (ISO code or name)",
    "target": "country of the listed entity (ISO code or name)",
    "citation": "Federal Register citation or other reference",
    "url": "URL of the listing's record",
    "type": "entity type (person, company, vessel ...)",
    "id": "entity number in the list",
    "summary": "event summary",
    "topic": "topic of the event",
    "kind": f"event kind ({', '.join(schema.KINDS)})",
    "status": f"event status ({', '.join(schema.STATUSES)})",
    "note": "remarks kept with the entity",
}
# Fields whose columns are all read and joined (the others take the first non-empty column).
_JOINED = {"aliases", "target", "note"}
_DATE_FIELDS = {"start", "end"}
_KINDS = frozenset(schema.KINDS)
_STATUSES = frozenset(schema.STATUSES)

_BATCH = 5000
_PROGRESS_EVERY = 2000
_PERSON_TYPES = {"person", "individual", "persons", "people"}
_VESSEL_TYPES = {"vessel", "ship"}
_AIRCRAFT_TYPES = {"aircraft"}

csv.field_size_limit(16 * 1024 * 1024)


class ImportFileError(StoreError):
    """A file that cannot be imported at all; the message names the file and, where it can,
    the line and the field."""


class ImportCancelled(Exception):
    """The user cancelled the import; the transaction was rolled back."""


class Record:
    """One record of a file, before mapping.

    Attributes:
        line: The file line the record starts on (1 = the first line).
        offset: Character offset of the record in the decoded file text.
        raw: The record's exact text in the file, without its line ending.
        cells: The values, in the order of the file's columns (`Plan.header`).
    """

    __slots__ = ("cells", "line", "offset", "raw")

    def __init__(self, line: int, offset: int, raw: str, cells: Sequence[str]) -> None:
        self.line = line
        self.offset = offset
        self.raw = raw
        self.cells = cells


class RowError(Exception):
    """A record that cannot be imported; names the field."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@dataclass(frozen=True)
class Layout:
    """How one file layout maps to our fields.

    Attributes:
        format: The --format name (csl, ofac-sdn, opensanctions, csv, json).
        name: Which layout of that format, for messages and provenance.
        columns: Our field -> the file's columns to read it from.
        constants: Our field -> a value fixed for the whole layout (the agency of a list).
        date_order: How the layout writes slash dates (US for the CSL, for instance).
        alias_split: Separator pattern of multi-valued alias cells.
        program_split: Separator pattern of multi-valued program cells (None: one program).
        kind: Event kind of listing events.
        status: Event status of listing events.
        prepare: Fix-ups of the mapped fields for this layout (parse remarks, resolve codes).
        title: Title of a group for this layout (None: the generic listing title).
        fixed_date: A date for every row (an OFAC snapshot), with how it was found.
    """

    format: str
    name: str
    columns: Mapping[str, tuple[str, ...]]
    constants: Mapping[str, str] = field(default_factory=dict)
    date_order: DateOrder = DateOrder.UNDECLARED
    alias_split: str = r"\s*;\s*"
    program_split: str | None = None
    kind: str = "sanction_listing"
    status: str = "announced"
    prepare: Callable[[dict[str, str]], None] | None = None
    title: Callable[[Group], str] | None = None
    fixed_date: DateParse | None = None
    fixed_date_note: str = ""

    @property
    def importer(self) -> str:
        """The importer's name as provenance records it (with the snapshot day, if any)."""
        day = self.fixed_date.chosen if self.fixed_date is not None else None
        return f"{self.format}: {self.name}" + (f", as of {day.iso()}" if day else "")

    def columns_of(self, field_name: str) -> tuple[str, ...]:
        return self.columns.get(field_name, ())


@dataclass(slots=True)
class Entry:
    """One entity line, mapped and checked."""

    line: int
    offset: int
    raw: str
    name: str
    aliases: list[str]
    start: DateParse
    start_column: str
    end: PartialDate | None
    end_column: str
    list_name: str
    programs: list[str]
    agency: Agency
    issuer: str
    targets: list[str]
    unknown_targets: list[str]
    citation: str
    url: str
    type: str
    entity_id: str
    title: str
    summary: str
    topic: str
    kind: str
    status: str
    note: str


@dataclass
class Group:
    """A listing event being assembled: one agency, list, program and date."""

    no: int
    key: str
    agency: Agency
    issuer: str
    list_name: str
    program: str
    date: PartialDate
    date_note: str
    end: PartialDate | None
    ending: bool  # the listing ends on `date` (an end-date group)
    given_title: str
    given_summary: str
    topic: str
    kind: str
    status: str
    first_line: int
    first_offset: int
    first_raw: str
    last_line: int
    citation: str
    url: str
    n: int = 0
    types: Counter[str] = field(default_factory=Counter)
    targets: Counter[str] = field(default_factory=Counter)
    unknown_targets: Counter[str] = field(default_factory=Counter)
    event_id: int | None = None


@dataclass(frozen=True)
class Skip:
    """A line left out, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ImportOptions:
    """What the user asked for.

    Attributes:
        format: csl, ofac-sdn, opensanctions, csv or json; None detects it.
        mapping: Our field -> column (or `=value` for a fixed value), for csv and json.
        date_order: How slash dates are written, when the layout does not say.
        as_of: The date of an OFAC SDN snapshot (the file carries no listing dates).
        skip_bad: Import the good lines of a file with errors, listing the others.
        encoding: The file's text encoding (UTF-8 unless named).
    """

    format: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    date_order: DateOrder = DateOrder.UNDECLARED
    as_of: str | None = None
    skip_bad: bool = False
    encoding: str | None = None


@dataclass
class ImportResult:
    """What an import did (also the JSON report)."""

    file: Path
    format: str = ""
    layout: str = ""
    rows: int = 0
    imported: int = 0
    events_added: int = 0
    events_updated: int = 0
    items_added: int = 0
    skipped: list[Skip] = field(default_factory=list)
    errors: list[Skip] = field(default_factory=list)
    undated: int = 0
    date_forms: Counter[str] = field(default_factory=Counter)
    already_imported: str | None = None
    committed: bool = False
    refused: str | None = None
    seconds: float = 0.0
    provenance_id: int | None = None

    def report(self) -> dict[str, Any]:
        """The JSON report: file, format, rows, imported, events_added, skipped, and more."""
        return {
            "file": str(self.file),
            "format": self.format,
            "layout": self.layout,
            "rows": self.rows,
            "imported": self.imported,
            "events_added": self.events_added,
            "events_updated": self.events_updated,
            "skipped": [{"line": s.line, "reason": s.reason} for s in self.skipped],
            "errors": [{"line": s.line, "reason": s.reason} for s in self.errors],
            "refused": self.refused,
            "committed": self.committed,
            "already_imported": self.already_imported,
            "date_forms": dict(sorted(self.date_forms.items())),
            "rules": {
                "two_digit_years": TWO_DIGIT_YEAR_RULE,
                "several_dates": LISTING_DATE_RULE,
                "undated_rows": "left out and listed under skipped: no date to place them on",
            },
            "seconds": round(self.seconds, 3),
        }


Progress = Callable[[int, float], None]


# --------------------------------------------------------------------------- reading text


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx?); export the sheet as CSV"),
    (b"%PDF", "a PDF document, not a CSV or JSON file"),
    (b"SQLite format 3\x00", "an SQLite database, not a CSV or JSON file"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/Office file; export the sheet as CSV"),
)


def check_text_file(path: Path, encoding: str | None) -> bytes:
    """Refuse a file that is missing, empty or not text; returns its first bytes.

    Raises:
        ImportFileError: with the reason, naming the file.
    """
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    if path.is_dir():
        raise ImportFileError(f"{path}: is a folder, not a file")
    with path.open("rb") as fh:
        head = fh.read(65536)
    if not head.strip(b" \t\r\n\x1a\xef\xbb\xbf"):
        raise ImportFileError(f"{path}: the file is empty")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ImportFileError(f"{path}: {what}")
    if encoding is None and head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportFileError(f"{path}: UTF-16 text; use --encoding utf-16")
    if encoding is None or ("16" not in encoding and "32" not in encoding):
        nul = head.find(b"\x00")
        if nul >= 0:
            line = head.count(b"\n", 0, nul) + 1
            raise ImportFileError(
                f"{path}: line {line}: binary data (a NUL byte at byte {nul}), not a CSV or "
                "JSON file"
            )
        controls = sum(1 for b in head if b < 9 or (13 < b < 32 and b != 0x1A))
        if controls > max(8, len(head) // 100):
            raise ImportFileError(
                f"{path}: binary data ({controls} control bytes in the first {len(head)}), "
                "not a CSV or JSON file"
            )
    return head


def _locate_decode_error(path: Path, encoding: str) -> str:
    """Find the first line that does not decode, and say what it looks like."""
    with path.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError as exc:
                bad = line[exc.start : exc.start + 1].hex()
                hint = "name the file's encoding with --encoding (e.g. gbk, cp1252)"
                if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
                    try:
                        text = line.decode("gb18030")
                        if re.search(r"[\u4e00-\u9fff]", text):
                            hint = "looks like GBK? use --encoding gbk"
                    except UnicodeDecodeError:
                        pass
                    what = "not UTF-8"
                else:
                    what = f"not {encoding}"
                return f"{path}: line {n}: {what} (byte 0x{bad} at column {exc.start + 1}) — {hint}"
    return f"{path}: not {encoding}"


class TextLines:
    """The lines of a text file, decoded as they are read, with the bytes read so far.

    Lines keep their endings (CR LF stays CR LF), so offsets and row texts are the file's own.
    OFAC's trailing Ctrl-Z (0x1A) is dropped. A byte that does not decode stops the read with
    an ImportFileError naming the line and suggesting the encoding.
    """

    def __init__(self, path: Path, encoding: str | None) -> None:
        self.path = path
        self.encoding = encoding or "utf-8"
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ImportFileError(f"{path}: unknown encoding {self.encoding!r}") from None
        self.size = max(1, path.stat().st_size)
        self._raw = path.open("rb")
        head = self._raw.read(4)
        self._raw.seek(0)
        # A UTF-8 BOM is not text; check's offsets count it as one character, so we do too.
        self.bom = self.encoding.lower().replace("-", "") in ("utf8", "utf8sig") and (
            head.startswith(b"\xef\xbb\xbf")
        )
        enc = "utf-8-sig" if self.bom else self.encoding
        self._text = io.TextIOWrapper(self._raw, encoding=enc, errors="strict", newline="")

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> TextLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tell(self) -> float:
        """The fraction of the file read so far."""
        try:
            return min(1.0, self._raw.tell() / self.size)
        except (OSError, ValueError):
            return 1.0

    def __iter__(self) -> Iterator[str]:
        try:
            for line in self._text:
                if "\x1a" in line and not line.rstrip("\r\n\x1a"):
                    continue
                if line.endswith("\x1a"):
                    line = line.rstrip("\x1a")
                yield line
        except UnicodeDecodeError:
            raise ImportFileError(_locate_decode_error(self.path, self.encoding)) from None
        except LookupError:
            raise ImportFileError(f"{self.path}: unknown encoding {self.encoding!r}") from None

    def read_all(self) -> str:
        return "".join(self)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: comma unless semicolons or tabs clearly win."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def csv_rows(
    lines: Iterable[str], delimiter: str = ","
) -> Iterator[tuple[int, int, str, list[str]]]:
    """(line, offset, raw text, cells) of each record; blank lines are passed over.

    A record may span several lines (a quoted field with line breaks); its raw text is all of
    them. A malformed record yields its csv.Error message as the only cell after a None marker.
    """
    buffer: list[str] = []

    def feed() -> Iterator[str]:
        for line in lines:
            buffer.append(line)
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    line = 1
    offset = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = "".join(buffer)
            buffer.clear()
            yield line, offset, text.rstrip("\r\n"), ["\x00csv-error", str(exc)]
            return
        if len(buffer) == 1:
            text = buffer[0]
            start_line, start_offset = line, offset
            line += 1
        else:
            text = "".join(buffer)
            start_line, start_offset = line, offset
            line += text.count("\n") or 1
        buffer.clear()
        offset += len(text)
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        yield start_line, start_offset, text.rstrip("\r\n"), cells


def clean_header(cells: Sequence[str]) -> list[str]:
    """Header cells without padding or a BOM."""
    return [c.strip().lstrip("\ufeff").strip() for c in cells]


def header_records(
    path: Path, header: list[str], rows: Iterator[tuple[int, int, str, list[str]]]
) -> Iterator[Record | RowErrorAt]:
    """The records after a CSV header, as dicts by column name; ragged rows as errors.

    Raises:
        ImportFileError: a header and no rows.
    """
    try:
        second = next(rows)
    except StopIteration:
        raise ImportFileError(
            f"{path}: has a header ({', '.join(header[:6])}{'…' if len(header) > 6 else ''}) "
            "but no rows"
        ) from None

    width = len(header)

    def records() -> Iterator[Record | RowErrorAt]:
        for line, offset, raw, cells in _chain(second, rows):
            if len(cells) == width:
                yield Record(line, offset, raw, cells)
                continue
            if cells[0] == "\x00csv-error":
                yield RowErrorAt(line, "", f"not valid CSV from here on ({cells[1]})")
                continue
            n = len(cells)
            if n > len(header) and not any(c.strip() for c in cells[len(header) :]):
                cells = cells[: len(header)]
            if len(cells) != len(header):
                if len(cells) < len(header):
                    missing = header[len(cells)]
                    reason = (
                        f"ragged row: {len(cells)} fields where the header has {len(header)} "
                        f"(no field {missing!r})"
                    )
                    yield RowErrorAt(line, missing, reason)
                else:
                    reason = f"ragged row: {len(cells)} fields where the header has {len(header)}"
                    yield RowErrorAt(line, header[-1], reason)
                continue
            yield Record(line, offset, raw, cells)

    return records()


def _chain(
    first: tuple[int, int, str, list[str]], rest: Iterator[tuple[int, int, str, list[str]]]
) -> Iterator[tuple[int, int, str, list[str]]]:
    yield first
    yield from rest


@dataclass(frozen=True)
class RowErrorAt:
    """A record that could not even be read as a record (ragged, bad quoting)."""

    line: int
    field: str
    reason: str


# --------------------------------------------------------------------------- mapping


class Mapper:
    """Maps records of one layout to entries, with caches for the values that repeat."""

    def __init__(self, layout: Layout, path: Path, header: Sequence[str]) -> None:
        self.layout = layout
        self.path = path
        index = {name: i for i, name in reversed(list(enumerate(header)))}
        self._dates: dict[str, DateParse] = {}
        self._countries: dict[str, tuple[list[str], list[str]]] = {}
        self._agencies: dict[tuple[str, str, str], tuple[Agency, str]] = {}
        self._alias_split = re.compile(layout.alias_split)
        self._program_split = re.compile(layout.program_split) if layout.program_split else None

        # field -> the positions of its columns (a column the file lacks is left out)
        def at(cols: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
            return tuple((index[c], c) for c in cols if c in index)

        single = [
            (k, at(c), k in _DATE_FIELDS) for k, c in layout.columns.items() if k not in _JOINED
        ]
        # Fields read from one column each take the short path; fields with fallback columns
        # ("start-date", then "report-date") take the first that is not empty.
        simple = [(k, cols[0]) for k, cols, _d in single if len(cols) == 1]
        self._simple = [(k, i) for k, (i, _col) in simple]
        self._simple_cols = {k: col for k, (_i, col) in simple}
        self._single = [(k, cols, d) for k, cols, d in single if len(cols) > 1]
        self._joined = [(k, at(c)) for k, c in layout.columns.items() if k in _JOINED]
        self._width = len(header)
        self._start_col = self.column("start", {})
        self._fixed = layout.fixed_date
        self._notes: dict[tuple[Any, ...], str] = {}
        self._constants = list(layout.constants.items())
        self._prepare = layout.prepare

    def _date(self, text: str) -> DateParse:
        found = self._dates.get(text)
        if found is None:
            found = parse_date(text, self.layout.date_order)
            if len(self._dates) < 100_000:
                self._dates[text] = found
        return found

    def _countries_of(self, text: str) -> tuple[list[str], list[str]]:
        found = self._countries.get(text)
        if found is None:
            found = countries.codes_of(text)
            self._countries[text] = found
        return found

    def fields(self, record: Record) -> tuple[dict[str, str], dict[str, str]]:
        """Our field -> value (stripped), and for the dates the column each came from."""
        origin: dict[str, str] = {}
        cells = record.cells
        if len(cells) < self._width:
            cells = list(cells) + [""] * (self._width - len(cells))
        values: dict[str, str] = {}
        for name, i in self._simple:
            v = cells[i]
            if v:
                v = v.strip()
                if v:
                    values[name] = v
        for name, cols, is_date in self._single:
            for i, col in cols:
                v = cells[i]
                if v:
                    v = v.strip()
                    if v:
                        values[name] = v
                        if is_date:
                            origin[name] = col
                        break
        for name, jcols in self._joined:
            parts = [p for p in (cells[i].strip() for i, _c in jcols) if p]
            if parts:
                values[name] = parts[0] if len(parts) == 1 else "; ".join(parts)
        for name, value in self._constants:
            if name not in values:
                values[name] = value
        if self._prepare is not None:
            self._prepare(values)
        return values, origin

    def column(self, field_name: str, origin: dict[str, str]) -> str:
        """The column a field was read from (or would be), for messages."""
        found = origin.get(field_name) or self._simple_cols.get(field_name)
        if found:
            return found
        cols = self.layout.columns_of(field_name)
        return cols[0] if cols else field_name

    def entry(self, record: Record) -> Entry:
        """Map and check one record.

        Raises:
            RowError: the record cannot be imported; names the field.
        """
        v, origin = self.fields(record)
        get = v.get
        fixed = self._fixed
        if fixed is not None:
            start = fixed
            start_col = ""
        else:
            start = self._date(get("start", ""))
            start_col = origin.get("start") or self._start_col
            if start.error is not None:
                raise RowError(start_col, start.error)
        end: PartialDate | None = None
        end_col = ""
        end_text = get("end")
        if end_text:
            end_col = self.column("end", origin)
            end_parse = self._date(end_text)
            if end_parse.error is not None:
                raise RowError(end_col, end_parse.error)
            end = end_parse.chosen
            chosen = start.chosen
            if end is not None and chosen is not None and end.last_day() < chosen.first_day():
                raise RowError(
                    end_col, f"{end_text!r} ends before the listing date {chosen.display()}"
                )
        name = get("name", "")
        if name and (name[-1] == "*" or "  " in name or "\n" in name or "\t" in name):
            name = _clean_name(name)
        title = get("title", "")
        if not name and not title:
            col = self.column("name" if "name" in self.layout.columns else "title", origin)
            raise RowError(col, "is empty: the row names no entity")
        issuer_text = get("issuer", "")
        agency_text = get("agency", "")
        list_name = get("list", "")
        akey = (agency_text, issuer_text, list_name if not agency_text else "")
        found = self._agencies.get(akey)
        if found is None:
            found = self._agency(agency_text, issuer_text, list_name)
            self._agencies[akey] = found
        agency, issuer = found
        targets: list[str] = []
        unknown: list[str] = []
        target_text = get("target")
        if target_text:
            targets, unknown = self._countries_of(target_text)
        aliases: list[str] = []
        alias_text = get("aliases")
        if alias_text:
            for a in self._alias_split.split(alias_text):
                a = a.strip()
                if a and a != name and a not in aliases:
                    aliases.append(a)
        program_text = get("program", "")
        if self._program_split is not None and program_text:
            programs = [p.strip() for p in self._program_split.split(program_text) if p.strip()]
        else:
            programs = [program_text] if program_text else []
        kind = get("kind") or self.layout.kind
        if kind not in _KINDS:
            raise RowError(self.column("kind", origin), f"{kind!r} is not one of {schema.KINDS}")
        status = get("status") or self.layout.status
        if status not in _STATUSES:
            raise RowError(
                self.column("status", origin), f"{status!r} is not one of {schema.STATUSES}"
            )
        return Entry(
            record.line,
            record.offset,
            record.raw,
            name,
            aliases,
            start,
            start_col,
            end,
            end_col,
            list_name,
            programs,
            agency,
            issuer,
            targets,
            unknown,
            get("citation", ""),
            get("url", ""),
            get("type", ""),
            get("id", ""),
            title,
            get("summary", ""),
            get("topic", ""),
            kind,
            status,
            get("note", ""),
        )

    def _agency(self, agency_text: str, issuer_text: str, list_name: str) -> tuple[Agency, str]:
        issuer = countries.UNKNOWN
        if issuer_text:
            codes, _unknown = self._countries_of(issuer_text)
            issuer = codes[0] if len(codes) == 1 else countries.UNKNOWN
        if agency_text:
            agency = agencies.resolve(agency_text, issuer)
        else:
            # no agency in the file: the list (or the file) stands for its publisher
            label = list_name or self.path.stem
            agency = agencies.Agency(f"list-{agencies.slug(label)}", label, label, issuer)
        if issuer == countries.UNKNOWN and agency.country:
            issuer = agency.country
        return agency, issuer


def _clean_name(text: str) -> str:
    # Lists mark names with a trailing `*` (DoD 1260H) or pad them with spaces; the row text in
    # the quote keeps the mark.
    return re.sub(r"\s+", " ", text).strip().rstrip("*").strip()


# --------------------------------------------------------------------------- titles


def _noun(types: Counter[str], n: int) -> str:
    """What a listing adds: "persons", "vessels" or "aircraft" when every line is of that kind,
    else "entities" (the one word for listed entities of unknown or mixed kinds, in titles and
    summaries alike; only OFAC SDN snapshots count "entries", the list's own term)."""
    kinds = set()
    for t in types:
        low = t.casefold()
        if low in _PERSON_TYPES:
            kinds.add("person")
        elif low in _VESSEL_TYPES:
            kinds.add("vessel")
        elif low in _AIRCRAFT_TYPES:
            kinds.add("aircraft")
        else:
            kinds.add("entity")
    if len(kinds) == 1:
        only = kinds.pop()
        return {
            "person": "person" if n == 1 else "persons",
            "vessel": "vessel" if n == 1 else "vessels",
            "aircraft": "aircraft",
        }.get(only, "entity" if n == 1 else "entities")
    return "entity" if n == 1 else "entities"


def country_phrase(targets: Counter[str], unknown: Counter[str], limit: int = 3) -> str:
    """ "United States", "Japan, Taiwan and 2 more": the targets of a group, most listed first."""
    names = [countries.name_of(c) for c, _ in targets.most_common()]
    if unknown and not names:
        names = [next(iter(unknown))]
    if not names:
        return ""
    if len(names) <= limit:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def listing_title(g: Group) -> str:
    """ "MOFCOM adds 28 entities (United States) to List of Export Controls"."""
    if g.given_title:
        return g.given_title
    noun = _noun(g.types, g.n)
    where = country_phrase(g.targets, g.unknown_targets)
    who = f"{g.n:,} {noun}" + (f" ({where})" if where else "")
    target = g.list_name or ""
    program = g.program if g.program and g.program.casefold() not in target.casefold() else ""
    if g.ending:
        title = f"{g.agency.short}: listing ends for {who}"
        if target:
            title += f" on {target}"
    elif target:
        title = f"{g.agency.short} adds {who} to {target}"
    else:
        title = f"{g.agency.short} lists {who}"
    if program:
        title += f" under {program}"
    if g.topic and not target and not program:
        title += f": {g.topic}"
    return title


# --------------------------------------------------------------------------- writing


class Writer:
    """Writes one import into an open user-store connection, inside one transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        sha: str,
        layout: Layout,
        text_file: bool,
        bom: bool = False,
    ) -> None:
        self.conn = conn
        self._bom = bom
        self.path = path
        self.sha = sha
        self.layout = layout
        self.now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        self.groups: dict[tuple[Any, ...], Group] = {}
        self._staged: list[tuple[int, str | None, str, str, str | None, str | None]] = []
        self._prefixes: dict[tuple[str, str], str] = {}
        self._notes: dict[tuple[Any, ...], str] = {}
        self._titles: dict[int, str] = {}
        self._summaries: dict[int, str] = {}
        self.items_before = int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
        cur = conn.execute(
            "INSERT INTO provenance (file, sha256, importer, rows, imported_at, format) "
            "VALUES (?, ?, ?, 0, ?, ?)",
            (str(path.resolve()), sha, layout.importer, self.now, layout.format),
        )
        self.provenance_id = int(cur.lastrowid or 0)
        # Each entity line of each group, staged here and moved into items, event_items and the
        # search index by whole-table statements at the end (faster than row by row).
        conn.execute("DROP TABLE IF EXISTS temp.import_staged")
        conn.execute(
            "CREATE TEMP TABLE import_staged (grp INTEGER, item_key TEXT, name TEXT, "
            "list_name TEXT, note TEXT, search TEXT)"
        )
        # The file itself is a source: the quote of each event is one of its lines.
        self.file_source = self._source(
            key=f"file-{sha[:16]}",
            title=f"{path.name} (imported list file)",
            url=path.resolve().as_uri(),
            note=f"sha256 {sha}; imported by {layout.importer} on {self.now}",
            text_file=path.name if text_file else None,
            text_sha=sha if text_file else None,
        )
        self._sources: dict[tuple[str, str], int] = {}

    # ---- rows

    def add(self, e: Entry) -> None:
        chosen = e.start.chosen
        assert chosen is not None
        if e.name:
            item_key: str | None = self._item_key(e)
            if e.aliases:
                note: str | None = self._item_note(e)
                search: str | None = e.name + " " + " ".join(e.aliases)
            else:
                # most entities have no alias: their notes repeat, so they are made once
                nk = (
                    tuple(e.targets),
                    tuple(e.unknown_targets),
                    e.type,
                    tuple(e.programs),
                    e.end,
                    e.note,
                )
                note = self._notes.get(nk)
                if note is None:
                    note = self._item_note(e)
                    if len(self._notes) < 50_000:
                        self._notes[nk] = note
                search = e.name
        else:
            item_key = note = search = None
        staged = self._staged
        for program in e.programs or ("",):
            g = self._group(e, program, chosen, False)
            self._count(g, e)
            staged.append((g.no, item_key, e.name, e.list_name, note, search))
            if e.end is not None and not e.title:
                ge = self._group(e, program, e.end, True)
                self._count(ge, e)
                staged.append((ge.no, item_key, e.name, e.list_name, note, search))
        if len(staged) >= _BATCH:
            self.flush()

    def _item_key(self, e: Entry) -> str:
        prefix = self._prefixes.get((e.agency.key, e.list_name))
        if prefix is None:
            prefix = f"imp:{e.agency.key}:{agencies.slug(e.list_name, 40)}:"
            self._prefixes[(e.agency.key, e.list_name)] = prefix
        return prefix + (e.entity_id or agencies.slug(e.name, 80))

    def _item_note(self, e: Entry) -> str:
        parts = []
        if e.aliases:
            parts.append("a.k.a. " + "; ".join(e.aliases))
        if e.targets or e.unknown_targets:
            parts.append(
                "country: "
                + "; ".join([countries.name_of(c) for c in e.targets] + e.unknown_targets)
            )
        if e.type:
            parts.append(e.type)
        if e.programs:
            parts.append("program: " + "; ".join(e.programs))
        if e.end is not None:
            parts.append(f"listed until {e.end.display()}")
        if e.note:
            parts.append(e.note)
        return " · ".join(parts)

    def _group(self, e: Entry, program: str, when: PartialDate, ending: bool) -> Group:
        gk = (e.agency.key, e.list_name, program, when, ending, e.title, e.issuer)
        g = self.groups.get(gk)
        if g is None:
            digest = hashlib.sha1(
                repr(
                    (e.agency.key, e.list_name, program, when.iso(), ending, e.title, e.issuer)
                ).encode()
            ).hexdigest()[:10]
            key = f"imp-{e.agency.key}-{when.iso()}-{digest}"
            if ending:
                note = f"end date from column {e.end_column!r} of {self.path.name}"
            elif self.layout.fixed_date is not None:
                note = self.layout.fixed_date_note
            else:
                note = f"listing date from column {e.start_column!r} of {self.path.name}: "
                note += e.start.note
            g = Group(
                no=len(self.groups) + 1,
                key=key,
                agency=e.agency,
                issuer=e.issuer,
                list_name=e.list_name,
                program=program,
                date=when,
                date_note=note,
                end=e.end if e.title else None,
                ending=ending,
                given_title=e.title,
                given_summary=e.summary,
                topic=e.topic,
                kind=e.kind,
                status="revoked" if ending else e.status,
                first_line=e.line,
                first_offset=e.offset,
                first_raw=e.raw,
                last_line=e.line,
                citation=e.citation,
                url=e.url,
            )
            self.groups[gk] = g
        return g

    def _count(self, g: Group, e: Entry) -> None:
        g.n += 1
        g.last_line = e.line
        if e.type:
            g.types[e.type] += 1
        for c in e.targets:
            g.targets[c] += 1
        for u in e.unknown_targets:
            g.unknown_targets[u] += 1
        if not g.url and e.url:
            g.url = e.url
        if not g.citation and e.citation:
            g.citation = e.citation

    def flush(self) -> None:
        if self._staged:
            self.conn.executemany(
                "INSERT INTO temp.import_staged (grp, item_key, name, list_name, note, search) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                self._staged,
            )
            self._staged.clear()

    # ---- the end

    def _source(
        self,
        key: str,
        title: str,
        url: str,
        note: str = "",
        text_file: str | None = None,
        text_sha: str | None = None,
    ) -> int:
        row = self.conn.execute("SELECT id FROM sources WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return int(row[0])
        cur = self.conn.execute(
            "INSERT INTO sources (key, title, url, retrieved, note, text_file, text_sha256, "
            "language) VALUES (?, ?, ?, ?, ?, ?, ?, '')",
            (key, title, url, self.now[:10], note, text_file, text_sha),
        )
        return int(cur.lastrowid or 0)

    def _citation_source(self, g: Group) -> int:
        if not g.url and not g.citation:
            return self.file_source
        ck = (g.citation, g.url)
        found = self._sources.get(ck)
        if found is None:
            digest = hashlib.sha1(f"{g.citation}\n{g.url}".encode()).hexdigest()[:16]
            if g.citation:
                title = g.citation
                if re.search(r"(?i)\bvol\.|\d+\s+F\.?R\.", g.citation):
                    title = f"Federal Register: {g.citation}"
            else:
                title = f"{g.list_name or g.agency.name}: listing record"
            found = self._source(
                key=f"cite-{digest}",
                title=title,
                url=g.url or self.path.resolve().as_uri(),
                note=f"cited by {self.path.name}",
            )
            self._sources[ck] = found
        return found

    def _ensure_actor(self, a: Agency) -> int:
        row = self.conn.execute("SELECT id FROM actors WHERE key = ?", (a.key,)).fetchone()
        if row is not None:
            return int(row[0])
        self._ensure_country(a.country)
        kind = a.kind if a.kind in _ACTOR_KINDS else "agency"
        cur = self.conn.execute(
            "INSERT INTO actors (key, name, kind, country, role, note) VALUES (?, ?, ?, ?, '', ?)",
            (a.key, a.name, kind, a.country or None, "added by an import"),
        )
        actor_id = int(cur.lastrowid or 0)
        seen = {a.name}
        for alias, lang in ((a.short, "en"), *a.aliases):
            if alias in seen:
                continue
            seen.add(alias)
            self.conn.execute(
                "INSERT OR IGNORE INTO actor_aliases (actor_id, alias, lang) VALUES (?, ?, ?)",
                (actor_id, alias, lang),
            )
        return actor_id

    def _ensure_country(self, code: str) -> None:
        if code:
            self.conn.execute(
                "INSERT OR IGNORE INTO countries (code, name) VALUES (?, ?)",
                (code, countries.name_of(code)),
            )

    def finish(self, rows: int) -> tuple[int, int, int]:
        """Write the events; returns (events added, events updated, items added)."""
        self.flush()
        conn = self.conn
        groups = sorted(self.groups.values(), key=lambda g: (day_number(g.date.first_day()), g.key))
        existing: dict[str, int] = {}
        keys = [g.key for g in groups]
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            existing.update(
                conn.execute(
                    f"SELECT key, id FROM events WHERE key IN ({','.join('?' * len(part))})",
                    part,
                ).fetchall()
            )
        next_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]) + 1
        new: list[Group] = []
        updated: list[Group] = []
        for g in groups:
            if g.key in existing:
                g.event_id = existing[g.key]
                updated.append(g)
            else:
                g.event_id = next_id
                next_id += 1
                new.append(g)
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_groups "
            "(grp INTEGER PRIMARY KEY, event_id INTEGER)"
        )
        conn.execute("DELETE FROM temp.import_groups")
        conn.executemany(
            "INSERT INTO temp.import_groups (grp, event_id) VALUES (?, ?)",
            [(g.no, g.event_id) for g in groups],
        )
        codes = {g.issuer for g in groups}
        for g in groups:
            codes.update(g.targets)
            if g.unknown_targets:
                codes.add(countries.UNKNOWN)
        for code in sorted(codes):
            self._ensure_country(code)
        actor_ids = {g.agency.key: self._ensure_actor(g.agency) for g in groups}
        # What this import alone says of each event it lists, new or already held: kept so that
        # the event can be handed back to this import when another one is removed.
        date_sources: dict[int, int] = {}
        for g in groups:
            date_sources[g.no] = self._citation_source(g)
            self._titles[g.no] = (self.layout.title or listing_title)(g)
            self._summaries[g.no] = self._summary(g)
        event_rows = []
        for g in new:
            date_source = date_sources[g.no]
            end = g.end
            last = (end or g.date).last_day()
            event_rows.append(
                (
                    g.event_id,
                    g.key,
                    self._titles[g.no],
                    self._summaries[g.no],
                    g.kind,
                    g.status,
                    g.date.iso(),
                    end.iso() if end else None,
                    day_number(g.date.first_day()),
                    day_number(last),
                    g.date.precision.value,
                    end.precision.value if end else None,
                    "external",
                    g.date_note,
                    date_source,
                    g.issuer,
                    g.agency.key,
                    g.topic,
                    1,
                    self.provenance_id,
                    g.first_line,
                )
            )
        conn.executemany(
            'INSERT INTO events (id, key, title, summary, kind, status, start, "end", '
            "start_day, end_day, precision, end_precision, basis, date_note, date_source_id, "
            "lane_country, lane_agency, topic, importance, provenance_id, source_line) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_rows,
        )
        conn.executemany(
            "INSERT INTO import_events (provenance_id, event_id, line, title, summary, "
            "date_note, date_source_id, targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    self.provenance_id,
                    g.event_id,
                    g.first_line,
                    self._titles[g.no],
                    self._summaries[g.no],
                    g.date_note,
                    date_sources[g.no],
                    target_codes(g),
                )
                for g in groups
            ],
        )
        conn.execute(
            "INSERT OR IGNORE INTO items (key, name, list_name, note) "
            "SELECT item_key, name, list_name, note FROM temp.import_staged "
            "WHERE item_key IS NOT NULL ORDER BY rowid"
        )
        conn.execute(
            "INSERT OR IGNORE INTO event_items (event_id, item_id) "
            "SELECT m.event_id, i.id FROM temp.import_staged s "
            "JOIN temp.import_groups m ON m.grp = s.grp JOIN items i ON i.key = s.item_key "
            # in key order the primary key grows at its end instead of all over the tree
            "WHERE s.item_key IS NOT NULL ORDER BY m.event_id, i.id"
        )
        conn.execute(
            "INSERT OR IGNORE INTO import_items (event_id, item_id, provenance_id) "
            "SELECT m.event_id, i.id, ? FROM temp.import_staged s "
            "JOIN temp.import_groups m ON m.grp = s.grp JOIN items i ON i.key = s.item_key "
            "WHERE s.item_key IS NOT NULL ORDER BY m.event_id, i.id",
            (self.provenance_id,),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO event_actors (event_id, actor_id, role) VALUES (?, ?, 'issuer')",
            [(g.event_id, actor_ids[g.agency.key]) for g in groups],
        )
        country_rows: list[tuple[int | None, str, str]] = []
        for g in groups:
            country_rows.append((g.event_id, g.issuer, "issuer"))
            for c in g.targets:
                country_rows.append((g.event_id, c, "target"))
            if g.unknown_targets:
                country_rows.append((g.event_id, countries.UNKNOWN, "target"))
        conn.executemany(
            "INSERT OR IGNORE INTO event_countries (event_id, country, role) VALUES (?, ?, ?)",
            country_rows,
        )
        text_offset = 1 if self._bom else 0
        conn.executemany(
            "INSERT INTO quotes (event_id, source_id, speaker_id, text, start_offset, "
            "end_offset) VALUES (?, ?, NULL, ?, ?, ?)",
            [
                (
                    g.event_id,
                    self.file_source,
                    g.first_raw,
                    g.first_offset + text_offset,
                    g.first_offset + text_offset + len(g.first_raw),
                )
                # an event another import made gets this file's line too: both files list it
                for g in groups
            ],
        )
        for g in updated:
            self._refresh_title(g)
        # one builder of search rows for curated and imported events (storage/search_rows.py)
        write_search_rows(conn, [g.event_id for g in groups if g.event_id is not None])
        densities.rebuild(conn)
        total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('events', ?)", (str(total),))
        entities = conn.execute(
            "SELECT count(DISTINCT item_key) FROM temp.import_staged"
        ).fetchone()[0]
        conn.execute(
            "UPDATE provenance SET rows = ?, events = ?, entities = ? WHERE id = ?",
            (rows, len(groups), int(entities), self.provenance_id),
        )
        conn.execute("DROP TABLE temp.import_staged")
        items_after = int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
        return len(new), len(updated), items_after - self.items_before

    def _summary(self, g: Group) -> str:
        if g.given_summary:
            return g.given_summary
        lines = (
            f"line {g.first_line}"
            if g.first_line == g.last_line
            else (f"lines {g.first_line}–{g.last_line}")
        )
        what = "ends" if g.ending else "listed"
        parts = [
            f"{g.n:,} {'entity' if g.n == 1 else 'entities'} from {self.path.name} ({lines}), "
            f"{what} {g.date.display()}."
        ]
        if g.list_name:
            parts.append(f"List: {g.list_name}.")
        if g.program:
            parts.append(f"Program: {g.program}.")
        if g.targets or g.unknown_targets:
            counted = [f"{countries.name_of(c)} ({n})" for c, n in g.targets.most_common()]
            counted += [f"{u!r} as written ({n})" for u, n in g.unknown_targets.most_common(5)]
            parts.append("Countries: " + ", ".join(counted) + ".")
        if g.citation:
            parts.append(f"Citation: {g.citation}.")
        if g.url:
            parts.append(f"Source: {g.url}")
        return " ".join(parts)

    def _refresh_title(self, g: Group) -> None:
        """A later file added entities to an event we hold: recount its title and summary."""
        if g.given_title or self.layout.title is not None:
            return
        n = self.conn.execute(
            "SELECT count(*) FROM event_items WHERE event_id = ?", (g.event_id,)
        ).fetchone()[0]
        g.n = max(g.n, int(n))
        g.targets = Counter(
            {
                str(c): 1
                for (c,) in self.conn.execute(
                    "SELECT country FROM event_countries WHERE event_id = ? AND role = 'target'",
                    (g.event_id,),
                )
            }
        )
        self.conn.execute(
            "UPDATE events SET title = ? WHERE id = ?", (listing_title(g), g.event_id)
        )


_ACTOR_KINDS = {k.value for k in ActorKind}


def target_codes(g: Group) -> str:
    """The countries a group's entities are of, as `import_events.targets` keeps them."""
    codes = set(g.targets)
    if g.unknown_targets:
        codes.add(countries.UNKNOWN)
    return ";".join(sorted(codes))


# --------------------------------------------------------------------------- the import


def run_import(
    conn: sqlite3.Connection,
    path: Path,
    sha: str,
    layout: Layout,
    records: Iterable[Record | RowErrorAt],
    header: Sequence[str],
    options: ImportOptions,
    lines: TextLines | None,
    progress: Progress | None = None,
    text_file: bool = True,
) -> ImportResult:
    """Import records into the store in one transaction (the caller opened it).

    Returns the result; `committed` is False when errors kept the file out (the caller rolls
    back). Raises ImportCancelled when the progress callback cancels.
    """
    started = time.perf_counter()
    result = ImportResult(path, layout.format, layout.name)
    mapper = Mapper(layout, path, header)
    writer = Writer(conn, path, sha, layout, text_file, bool(lines and lines.bom))
    result.provenance_id = writer.provenance_id
    errors_allowed = options.skip_bad
    # The loop runs once per row of files of a million rows: locals, not attributes.
    entry_of = mapper.entry
    add = writer.add
    forms: dict[DateForm | None, int] = {}
    rows = imported = 0
    errors = result.errors
    for rec in records:
        rows += 1
        if isinstance(rec, RowErrorAt):
            _bad(result, path, rec.line, rec.field, rec.reason)
        else:
            try:
                entry = entry_of(rec)
            except RowError as exc:
                _bad(result, path, rec.line, exc.field, exc.reason)
            else:
                start = entry.start
                if start.form is DateForm.EMPTY:
                    result.undated += 1
                    col = entry.start_column
                    result.skipped.append(
                        Skip(
                            rec.line,
                            f"no date (column {col!r} is empty): not placed on the timeline",
                        )
                    )
                else:
                    forms[start.form] = forms.get(start.form, 0) + 1
                    if not errors or errors_allowed:
                        add(entry)
                    imported += 1
        if progress is not None and rows % _PROGRESS_EVERY == 0:
            progress(rows, lines.tell() if lines else 0.0)
    result.rows, result.imported = rows, imported
    for form, n in forms.items():
        result.date_forms[form.value if form else "?"] += n
    if result.rows == 0:
        raise ImportFileError(f"{path}: has no rows to import")
    if result.errors and not errors_allowed:
        result.imported = 0
        result.seconds = time.perf_counter() - started
        return result
    if result.errors:
        result.skipped.extend(result.errors)
        result.skipped.sort(key=lambda s: s.line)
        result.errors = []
    added, updated, items = writer.finish(result.rows)
    result.events_added, result.events_updated, result.items_added = added, updated, items
    result.committed = True
    result.seconds = time.perf_counter() - started
    if progress is not None:
        progress(result.rows, 1.0)
    return result


def _bad(result: ImportResult, path: Path, line: int, field_name: str, reason: str) -> None:
    where = f"field {field_name!r}: " if field_name else ""
    result.errors.append(Skip(line, f"{where}{reason}"))


def message(path: Path, skip: Skip) -> str:
    """One line naming the file, the line and the field."""
    return f"{path}: line {skip.line}: {skip.reason}"


def write_report(result: ImportResult, target: Path) -> None:
    """Write the JSON report atomically (temporary file beside it, then rename)."""
    import json
    import tempfile

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(result.report(), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = [
    "FIELDS",
    "DateForm",
    "DateOrder",
    "Entry",
    "Group",
    "ImportCancelled",
    "ImportFileError",
    "ImportOptions",
    "ImportResult",
    "Layout",
    "Record",
    "RowError",
    "RowErrorAt",
    "Skip",
    "TextLines",
    "check_text_file",
    "csv_rows",
    "file_sha256",
    "header_records",
    "listing_title",
    "message",
    "run_import",
    "write_report",
]
