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
import re
import sqlite3
import stat
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
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
from explorer.storage.atomic import WriteError, atomic_write, check_writable, file_kind
from explorer.storage.errors import StoreError
from explorer.storage.importers import agencies, countries
from explorer.storage.importers.agencies import Agency
from explorer.storage.search_rows import ITEMS_PER_ROW, write_search_rows

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

# A sign before a year ("-2023-01-01", "+2023", "−2023"): not a listing date.
_SIGNED = re.compile(r"\s*[-+\u2212\u2013\u2014]\s*\d")

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
    search_capped: list[tuple[str, int]] = field(default_factory=list)

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
            # events whose search row holds only their first ITEMS_PER_ROW entities by name
            "search_capped": [
                {"event": title, "entities": n, "searchable": ITEMS_PER_ROW}
                for title, n in self.search_capped
            ],
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


# Codecs that `codecs.lookup` knows but that are no character set of a file. The transforms
# (rot13, base64, zlib, hex, bz2, uu, quopri) say so themselves (`_is_text_encoding`); these
# decode bytes to text but are meant for other things (domain names, Python literals) or
# refuse every byte.
_NOT_FILE_ENCODINGS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}
)
_ENCODINGS_SHOWN = "utf-8, gbk, cp1252, latin-1 or utf-16"
# Byte-order marks that `--encoding utf-16` and `utf-32` (without -le or -be) need.
_BOMS = {
    "utf-16": (b"\xff\xfe", b"\xfe\xff"),
    "utf-32": (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"),
}


def check_encoding(path: Path, encoding: str | None) -> str:
    """The codec `--encoding` names (utf-8 when it is not given), by its normal name.

    Raises:
        ImportFileError: an unknown name, or a codec that is not a character set of text
            files (rot13, base64, zlib, hex, idna ...); the message names the file.
    """
    if encoding is None:
        return "utf-8"
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError, UnicodeError):
        raise ImportFileError(
            f"{path}: unknown encoding {encoding!r} (--encoding takes the file's character "
            f"set, such as {_ENCODINGS_SHOWN})"
        ) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        raise ImportFileError(
            f"{path}: --encoding {encoding!r} is not a character set of text files; name the "
            f"file's own, such as {_ENCODINGS_SHOWN}"
        )
    return info.name


def _wide(codec: str) -> bool:
    """UTF-16 and UTF-32: encodings in which every CSV or JSON file has NUL bytes."""
    return codec.startswith(("utf-16", "utf-32"))


def check_input(path: Path) -> None:
    """Refuse, before anything is opened, an input that is not a regular file.

    A named pipe would make the import wait for a writer, a device would never end.

    Raises:
        ImportFileError: the file is missing, a folder, a device, a pipe or a socket, or
            cannot be looked at; the message names it.
    """
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise ImportFileError(f"{path}: no such file") from None
    except ValueError:  # a NUL character in the name
        raise ImportFileError(f"{str(path)!r}: not a file name") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise ImportFileError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ImportFileError(
            f"{path}: {file_kind(mode)}, not a regular file; save the list to a file and "
            "import that"
        )


def check_text_file(path: Path, encoding: str | None) -> bytes:
    """Refuse a file that is missing, not a regular file, empty or not text, or an encoding
    that cannot be its own; returns its first bytes.

    Raises:
        ImportFileError: with the reason, naming the file.
    """
    check_input(path)
    codec = check_encoding(path, encoding)
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if not head.strip(b" \t\r\n\x1a\xef\xbb\xbf"):
        raise ImportFileError(f"{path}: the file is empty")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ImportFileError(f"{path}: {what}")
    if _wide(codec):
        boms = _BOMS.get(codec)
        if boms is not None and not head.startswith(boms):
            raise ImportFileError(
                f"{path}: --encoding {encoding}: the file does not begin with a byte-order "
                f"mark; name the byte order: --encoding {codec}-le (or {codec}-be)"
            )
        if b"\x00" not in head:
            raise ImportFileError(
                f"{path}: not {encoding} text (no NUL byte in its first {len(head):,} bytes, "
                "where every UTF-16 or UTF-32 CSV or JSON file has them); is it UTF-8?"
            )
        return head
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") and codec in ("utf-8", "utf-8-sig"):
        raise ImportFileError(f"{path}: UTF-16 text; use --encoding utf-16")
    nul = head.find(b"\x00")
    if nul >= 0:
        line = head.count(b"\n", 0, nul) + 1
        raise ImportFileError(
            f"{path}: line {line}: binary data (a NUL byte at byte {nul}), not a CSV or JSON file"
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
    codec = check_encoding(path, encoding)
    if _wide(codec):
        return _locate_wide_decode_error(path, encoding)
    with path.open("rb") as fh:
        for n, line in enumerate(fh, start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError as exc:
                bad = line[exc.start : exc.start + 1].hex()
                hint = "name the file's encoding with --encoding (e.g. gbk, cp1252)"
                if codec in ("utf-8", "utf-8-sig"):
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


def _locate_wide_decode_error(path: Path, encoding: str) -> str:
    """The line of the first bytes that are not UTF-16 (or UTF-32): lines are counted in the
    decoded text, since a newline is not one byte in these encodings."""
    make = codecs.getincrementaldecoder(encoding)
    decoder = make(errors="strict")
    newlines = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(1 << 16)
            state = decoder.getstate()
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                before = make(errors="replace")
                before.setstate((b"", state[1]))
                done = before.decode(exc.object[: exc.start])
                line = newlines + done.count("\n") + 1
                bad = exc.object[exc.start : exc.end].hex()
                return (
                    f"{path}: line {line}: not {encoding} (bytes 0x{bad}: {exc.reason}); name "
                    "the file's encoding with --encoding"
                )
            newlines += text.count("\n")
            if not chunk:
                return f"{path}: not {encoding}"


class TextLines:
    """The lines of a text file, decoded as they are read, with the bytes read so far.

    Lines keep their endings (CR LF stays CR LF), so offsets and row texts are the file's own.
    OFAC's trailing Ctrl-Z (0x1A) is dropped. A byte that does not decode, or a NUL character
    anywhere (binary data, not text), stops the read with an ImportFileError naming the line.
    """

    def __init__(self, path: Path, encoding: str | None) -> None:
        self.path = path
        self.encoding = encoding or "utf-8"
        codec = check_encoding(path, encoding)
        self.size = max(1, path.stat().st_size)
        self._raw = path.open("rb")
        head = self._raw.read(4)
        self._raw.seek(0)
        # A UTF-8 BOM is not text; check's offsets count it as one character, so we do too.
        self.bom = codec in ("utf-8", "utf-8-sig") and head.startswith(b"\xef\xbb\xbf")
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
        n = 0
        try:
            for line in self._text:
                n += 1
                if "\x1a" in line:
                    if not line.rstrip("\r\n\x1a"):
                        continue
                    line = line.rstrip("\x1a")
                if "\x00" in line:
                    raise ImportFileError(
                        f"{self.path}: line {n}: a NUL character (binary data), not CSV or "
                        "JSON text"
                    )
                yield line
        except UnicodeDecodeError:
            raise ImportFileError(_locate_decode_error(self.path, self.encoding)) from None
        except UnicodeError as exc:
            raise ImportFileError(f"{self.path}: not {self.encoding} text ({exc})") from None
        except LookupError:
            raise ImportFileError(f"{self.path}: unknown encoding {self.encoding!r}") from None

    def read_all(self) -> str:
        return "".join(self)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: comma unless semicolons or tabs clearly win."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


class BadRow:
    """A record that is not well-formed CSV: why, and the column where it went wrong (None
    when unknown)."""

    __slots__ = ("column", "reason")

    def __init__(self, reason: str, column: int | None = None) -> None:
        self.reason = reason
        self.column = column


CsvRow = tuple[int, int, str, "list[str] | BadRow"]


class CsvRows:
    """(line, offset, raw text, cells) of each record of CSV text, read strictly; blank lines
    are passed over.

    A record may span several lines (a quoted field with line breaks); its raw text is all of
    them. Quotes are read as the csv module's strict mode reads them: text after a closing
    quote, or a quote that never closes, is an error. Once `width` is set (the header's number
    of fields), a record that spans several lines and has another number of fields is a quote
    that did not close where its row ends (it swallowed the rows after it). Each such record
    is yielded as a `BadRow` at the line where its quote opened, and reading starts again on
    the line after that one, so one stray quote costs one row, not the rest of the file.
    """

    def __init__(self, lines: Iterable[str], delimiter: str = ",") -> None:
        self.width: int | None = None
        self._source = iter(lines)
        self._delimiter = delimiter
        self._pending: deque[str] = deque()
        self._buffer: list[str] = []
        self._reader = self._new_reader()
        self._line = 1
        self._offset = 0

    def _new_reader(self) -> Iterator[list[str]]:
        return csv.reader(self._feed(), delimiter=self._delimiter, strict=True)

    def _feed(self) -> Iterator[str]:
        buffer = self._buffer
        pending = self._pending
        while pending:
            line = pending.popleft()
            buffer.append(line)
            yield line
        for line in self._source:
            buffer.append(line)
            yield line

    def __iter__(self) -> CsvRows:
        return self

    def __next__(self) -> CsvRow:
        buffer = self._buffer
        while True:
            try:
                cells = next(self._reader)
            except csv.Error as exc:
                return self._broken(str(exc))
            if len(buffer) == 1:
                text = buffer[0]
            else:
                if self.width is not None and len(cells) != self.width and self._swallowed():
                    return self._broken(None)
                text = "".join(buffer)
            line, offset = self._line, self._offset
            self._line += len(buffer)
            self._offset += len(text)
            buffer.clear()
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            return line, offset, text.rstrip("\r\n"), cells

    def _broken(self, error: str | None) -> CsvRow:
        """The record in the buffer is not CSV: it becomes a BadRow at the line where its
        quote opened, and reading goes on from the next line."""
        lines = list(self._buffer)
        self._buffer.clear()
        text = "".join(lines)
        opened, closed, column, kind = _quote_at(text, self._delimiter)
        k = self._line_of(lines, opened)  # the line of the record the quote opened on
        line = self._line + k
        offset = self._offset + sum(len(x) for x in lines[:k])
        raw = lines[k].rstrip("\r\n")
        here = "" if k == 0 else f" (in the row that begins on line {self._line})"
        if kind == "unclosed":
            reason = f"a quote opens here{here} and never closes"
        elif kind == "after" and self._line_of(lines, closed) > k:
            end = self._line + self._line_of(lines, closed)
            reason = (
                f"a quote opens here{here} and does not close before the next row (it closes "
                f"on line {end}, inside another row)"
            )
        elif kind == "after":
            reason = (
                'text after a closing quote (a quote inside a quoted field is written twice: "")'
            )
        elif kind == "spans" and error is None:
            last = self._line + len(lines) - 1
            reason = (
                f"a quote opens here{here} and does not close before the next row: the field "
                f"runs on to line {last}, which would make a row of "
                f"{_count_fields(text, self._delimiter)} fields where the header has "
                f"{self.width}"
            )
        else:
            reason = f"not valid CSV ({error or 'unbalanced quotes'})"
        if error is not None and "field larger than field limit" in error:
            reason += " (a field of more than 16 MB)"
        # read again from the line after the one the quote opened on
        self._pending.extendleft(reversed(lines[k + 1 :]))
        self._line = line + 1
        self._offset = offset + len(lines[k])
        self._reader = self._new_reader()
        return line, offset, raw, BadRow(reason, column)

    def _swallowed(self) -> bool:
        """Whether a record of several lines with the wrong number of fields holds a whole row
        after its first line: a quote that did not close swallowed it (else the record is a
        ragged row with a field of several lines, and is reported as ragged)."""
        return any(_count_fields(x, self._delimiter) == self.width for x in self._buffer[1:])

    @staticmethod
    def _line_of(lines: list[str], index: int) -> int:
        """Which of a record's lines holds the character at `index` of their joined text."""
        if index < 0:
            return 0
        k = seen = 0
        while k < len(lines) - 1 and seen + len(lines[k]) <= index:
            seen += len(lines[k])
            k += 1
        return k


def _quote_at(text: str, delimiter: str) -> tuple[int, int, int, str]:
    """Where a broken record's quoted field opened and closed: (index of its opening quote,
    index of its closing quote or -1, its column, "unclosed" | "after" | "spans"), or
    (-1, -1, column, "") when no quoted field is to blame.

    "unclosed": the quote never closes; "after": text follows its closing quote; "spans": it
    closes, but on a later line (the first such field of the record).
    """
    column = 0
    i = 0
    n = len(text)
    spans: tuple[int, int, int] | None = None
    at_start = True
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    return i, -1, column, "unclosed"
                if text.startswith('""', j):
                    j += 2
                    continue
                break
            if j + 1 < n and text[j + 1] not in (delimiter, "\r", "\n"):
                return i, j, column, "after"
            if spans is None and ("\n" in text[i:j] or "\r" in text[i:j]):
                spans = (i, j, column)
            i = j + 1
            at_start = False
            continue
        if ch == delimiter:
            column += 1
            at_start = True
        elif ch in "\r\n":
            break
        else:
            at_start = False
        i += 1
    if spans is not None:
        return spans[0], spans[1], spans[2], "spans"
    return -1, -1, column, ""


def _count_fields(text: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([text], delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return 0


def csv_rows(lines: Iterable[str], delimiter: str = ",") -> CsvRows:
    """The records of CSV text (see `CsvRows`)."""
    return CsvRows(lines, delimiter)


def clean_header(cells: Sequence[str]) -> list[str]:
    """Header cells without padding or a BOM."""
    return [c.strip().lstrip("\ufeff").strip() for c in cells]


def header_records(path: Path, header: list[str], rows: CsvRows) -> Iterator[Record | RowErrorAt]:
    """The records after a CSV header; a row with more or fewer fields than the header, or
    one that is not CSV (a quote that never closes), is an error naming its line.

    Raises:
        ImportFileError: a header and no rows.
    """
    width = len(header)
    rows.width = width
    try:
        second = next(rows)
    except StopIteration:
        raise ImportFileError(
            f"{path}: has a header ({', '.join(header[:6])}{'…' if len(header) > 6 else ''}) "
            "but no rows"
        ) from None

    def records() -> Iterator[Record | RowErrorAt]:
        for line, offset, raw, cells in chain((second,), rows):
            if isinstance(cells, BadRow):
                column = cells.column
                name = header[column] if column is not None and column < width else ""
                yield RowErrorAt(line, name, cells.reason)
                continue
            n = len(cells)
            if n == width:
                yield Record(line, offset, raw, cells)
            elif n < width:
                missing = header[n]
                reason = (
                    f"ragged row: {n} fields where the header has {width} (no field {missing!r})"
                )
                yield RowErrorAt(line, missing, reason)
            else:
                empty = not any(c.strip() for c in cells[width:])
                reason = f"ragged row: {n} fields where the header has {width}" + (
                    " (the extra ones are empty: a stray delimiter?)" if empty else ""
                )
                yield RowErrorAt(line, header[-1], reason)

    return records()


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

        # A joined field read from one column is read as any one-column field.
        joined = {k for k, c in layout.columns.items() if k in _JOINED and len(at(c)) > 1}
        single = [
            (k, at(c), k in _DATE_FIELDS) for k, c in layout.columns.items() if k not in joined
        ]
        # Fields read from one column each take the short path; fields with fallback columns
        # ("start-date", then "report-date") take the first that is not empty.
        simple = [(k, cols[0]) for k, cols, _d in single if len(cols) == 1]
        self._simple = [(k, i) for k, (i, _col) in simple]
        self._simple_cols = {k: col for k, (_i, col) in simple}
        self._single = [(k, cols, d) for k, cols, d in single if len(cols) > 1]
        self._joined = [(k, at(c)) for k, c in layout.columns.items() if k in joined]
        self._width = len(header)
        self._start_col = self.column("start", {})
        self._fixed = layout.fixed_date
        self._notes: dict[tuple[Any, ...], str] = {}
        self._programs: dict[str, list[str]] = {}
        self._constants = list(layout.constants.items())
        self._prepare = layout.prepare

    def _date(self, text: str) -> DateParse:
        found = self._dates.get(text)
        if found is None:
            found = parse_date(text, self.layout.date_order)
            if found.dates and _SIGNED.match(text):
                # "-2023-01-01": the parser reads past a sign; a signed year is no listing date
                found = DateParse(
                    text, error=f"{text!r}: a year with a sign before it is not a date we read"
                )
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
        programs = self._programs.get(program_text)
        if programs is None:
            if self._program_split is not None and program_text:
                split = self._program_split.split(program_text)
                programs = [p.strip() for p in split if p.strip()]
            else:
                programs = [program_text] if program_text else []
            if len(self._programs) < 10_000:
                self._programs[program_text] = programs  # shared by entries: never changed
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
        self._staged: list[tuple[int, str | None, str, str, str | None]] = []
        self._prefixes: dict[tuple[str, str], str] = {}
        self._notes: dict[tuple[Any, ...], str] = {}
        self._titles: dict[int, str] = {}
        self._summaries: dict[int, str] = {}
        self.capped: list[tuple[str, int]] = []
        self.items_before = int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
        cur = conn.execute(
            "INSERT INTO provenance (file, sha256, importer, rows, imported_at, format) "
            "VALUES (?, ?, ?, 0, ?, ?)",
            (str(path.resolve()), sha, layout.importer, self.now, layout.format),
        )
        self.provenance_id = int(cur.lastrowid or 0)
        # Each entity line of each group, staged here (in a temporary table on disk, not in
        # memory) and moved into items and event_items by whole-table statements at the end
        # (faster than row by row); the search rows are made from those (search_rows.py).
        conn.execute("DROP TABLE IF EXISTS temp.import_staged")
        conn.execute(
            "CREATE TEMP TABLE import_staged (grp INTEGER, item_key TEXT, name TEXT, "
            "list_name TEXT, note TEXT)"
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
        else:
            item_key = note = None
        staged = self._staged
        for program in e.programs or ("",):
            g = self._group(e, program, chosen, False)
            self._count(g, e)
            staged.append((g.no, item_key, e.name, e.list_name, note))
            if e.end is not None and not e.title:
                ge = self._group(e, program, e.end, True)
                self._count(ge, e)
                staged.append((ge.no, item_key, e.name, e.list_name, note))
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
                "INSERT INTO temp.import_staged (grp, item_key, name, list_name, note) "
                "VALUES (?, ?, ?, ?, ?)",
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

        # Rows are made as they are written (generators, not lists): a million-row file has
        # tens of thousands of events, each with a title and a summary.
        def event_rows() -> Iterator[tuple[Any, ...]]:
            for g in new:
                end = g.end
                last = (end or g.date).last_day()
                yield (
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
                    date_sources[g.no],
                    g.issuer,
                    g.agency.key,
                    g.topic,
                    1,
                    self.provenance_id,
                    g.first_line,
                )

        conn.executemany(
            'INSERT INTO events (id, key, title, summary, kind, status, start, "end", '
            "start_day, end_day, precision, end_precision, basis, date_note, date_source_id, "
            "lane_country, lane_agency, topic, importance, provenance_id, source_line) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_rows(),
        )
        conn.executemany(
            "INSERT INTO import_events (provenance_id, event_id, line, title, summary, "
            "date_note, date_source_id, targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
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
            ),
        )
        conn.execute(
            "INSERT OR IGNORE INTO items (key, name, list_name, note) "
            "SELECT item_key, name, list_name, note FROM temp.import_staged "
            "WHERE item_key IS NOT NULL ORDER BY rowid"
        )
        conn.execute(
            "INSERT OR IGNORE INTO import_items (event_id, item_id, provenance_id) "
            "SELECT m.event_id, i.id, ? FROM temp.import_staged s "
            "JOIN temp.import_groups m ON m.grp = s.grp JOIN items i ON i.key = s.item_key "
            # in key order the primary key grows at its end instead of all over the tree
            "WHERE s.item_key IS NOT NULL ORDER BY m.event_id, i.id",
            (self.provenance_id,),
        )
        # the same pairs, read back in key order through import_items' primary key (event by
        # event): no second join with the items and no second sort of a million rows
        conn.execute(
            "INSERT OR IGNORE INTO event_items (event_id, item_id) "
            "SELECT event_id, item_id FROM import_items WHERE provenance_id = ? "
            "AND event_id IN (SELECT event_id FROM temp.import_groups) "
            "ORDER BY event_id, item_id",
            (self.provenance_id,),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO event_actors (event_id, actor_id, role) VALUES (?, ?, 'issuer')",
            [(g.event_id, actor_ids[g.agency.key]) for g in groups],
        )

        def country_rows() -> Iterator[tuple[int | None, str, str]]:
            for g in groups:
                yield (g.event_id, g.issuer, "issuer")
                for c in g.targets:
                    yield (g.event_id, c, "target")
                if g.unknown_targets:
                    yield (g.event_id, countries.UNKNOWN, "target")

        conn.executemany(
            "INSERT OR IGNORE INTO event_countries (event_id, country, role) VALUES (?, ?, ?)",
            country_rows(),
        )
        text_offset = 1 if self._bom else 0
        conn.executemany(
            "INSERT INTO quotes (event_id, source_id, speaker_id, text, start_offset, "
            "end_offset) VALUES (?, ?, NULL, ?, ?, ?)",
            (
                (
                    g.event_id,
                    self.file_source,
                    g.first_raw,
                    g.first_offset + text_offset,
                    g.first_offset + text_offset + len(g.first_raw),
                )
                # an event another import made gets this file's line too: both files list it
                for g in groups
            ),
        )
        for g in updated:
            self._refresh_title(g)
        # one builder of search rows for curated and imported events (storage/search_rows.py)
        write_search_rows(conn, [g.event_id for g in groups if g.event_id is not None])
        self.capped = [(self._titles[g.no], g.n) for g in groups if g.n > ITEMS_PER_ROW]
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
    result.search_capped = writer.capped
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
    """Write the JSON report atomically (temporary file beside it, then rename), creating its
    folder when missing; a symbolic link is written through and kept.

    Raises:
        WriteError: the report cannot be written there (one line naming it and why); the
            caller checks `check_report_target` before the import, so this is rare.
    """
    import json

    path = check_writable(target, make_folders=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{target}: cannot make its folder: {exc.strerror or exc}") from None
    text = json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n"
    atomic_write(path, text)


def check_report_target(target: Path) -> Path:
    """Refuse, before the import begins, a report that could not be written afterwards.

    Raises:
        ImportFileError: `--report` names a folder, a device, a named pipe or a socket, or a
            place that does not take new files; one line naming it.
    """
    try:
        return check_writable(target, make_folders=True)
    except WriteError as exc:
        raise ImportFileError(f"--report {exc}") from None


__all__ = [
    "FIELDS",
    "BadRow",
    "CsvRow",
    "CsvRows",
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
    "check_report_target",
    "check_text_file",
    "csv_rows",
    "file_sha256",
    "header_records",
    "listing_title",
    "message",
    "run_import",
    "write_report",
]
