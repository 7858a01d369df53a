"""Which layout a file is, from its first bytes and its header (or the shape of its first row).

- JSON: the first character is `[` or `{` (then a column mapping is needed);
- OFAC SDN: no header, 12 fields, a numeric first field and `-0-` nulls;
- CSL: `Source List, Programs, Name, ..., Effective Date` or `source, entity_number, ...`;
- OpenSanctions: one of the dataset headers in `opensanctions.PROFILES`;
- anything else is an unknown layout unless a mapping names its columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from explorer.storage.importers import csl, mapped, ofac_sdn, opensanctions
from explorer.storage.importers.common import (
    BadRow,
    ImportFileError,
    ImportOptions,
    Layout,
    Record,
    RowErrorAt,
    TextLines,
    check_text_file,
    clean_header,
    csv_rows,
    header_records,
    sniff_delimiter,
)

FORMATS = ("csl", "ofac-sdn", "opensanctions", "csv", "json")


@dataclass
class Plan:
    """A file ready to import: its layout, its records, and the text reader behind them."""

    layout: Layout
    records: Iterator[Record | RowErrorAt]
    lines: TextLines
    header: list[str]


def is_json(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] in (b"[", b"{")


def plan(path: Path, options: ImportOptions) -> Plan:
    """Open a file and work out its layout.

    Raises:
        ImportFileError: the file is missing, empty, binary, not decodable, a header alone, or
            of an unknown layout; the message names the file (and line and field).
    """
    fmt = options.format
    if fmt is not None and fmt not in FORMATS:
        raise ImportFileError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    head = check_text_file(path, options.encoding)
    if fmt == "json" or (fmt is None and is_json(head)):
        return _plan_json(path, options)
    lines = TextLines(path, options.encoding)
    try:
        return _plan_csv(path, lines, options)
    except BaseException:
        lines.close()
        raise


def _plan_json(path: Path, options: ImportOptions) -> Plan:
    lines = TextLines(path, options.encoding)
    try:
        text = lines.read_all()
        header, records = mapped.json_records(path, text)
        if not options.mapping:
            raise ImportFileError(
                f"{path}: JSON records need a column mapping, e.g. --map start=date "
                f"--map name=name (keys: {', '.join(header[:20])})"
            )
        layout = mapped.layout(options.mapping, header, "json", options.date_order, path)
    except BaseException:
        lines.close()
        raise
    return Plan(layout, iter(records), lines, header)


def _plan_csv(path: Path, lines: TextLines, options: ImportOptions) -> Plan:
    fmt = options.format
    it = iter(lines)
    try:
        first_line = next(it)
    except StopIteration:
        raise ImportFileError(f"{path}: the file is empty") from None
    delimiter = sniff_delimiter(first_line)
    rows = csv_rows(chain([first_line], it), delimiter)
    try:
        first = next(rows)
    except StopIteration:
        raise ImportFileError(f"{path}: the file is empty") from None
    line, _offset, _raw, cells = first
    if isinstance(cells, BadRow):
        raise ImportFileError(f"{path}: line {line}: not CSV: {cells.reason}")
    if fmt == "ofac-sdn" or (
        fmt is None and not options.mapping and ofac_sdn.looks_like_sdn(cells)
    ):
        if len(cells) != len(ofac_sdn.COLUMNS):
            raise ImportFileError(
                f"{path}: line {line}: not the OFAC SDN layout ({len(cells)} fields, "
                f"the SDN file has {len(ofac_sdn.COLUMNS)} and no header)"
            )
        layout = ofac_sdn.layout(path, options.as_of)
        rows.width = len(ofac_sdn.COLUMNS)
        records = ofac_sdn.records(chain([first], rows))
        return Plan(layout, records, lines, list(ofac_sdn.COLUMNS))
    header = clean_header(cells)
    if len(header) == 1 and len(header[0]) > 200:
        raise ImportFileError(f"{path}: line {line}: not a CSV header (one long field)")
    if options.mapping or fmt in ("csv",):
        if not options.mapping:
            raise ImportFileError(
                f"{path}: --format csv needs a column mapping, e.g. --map start=Date "
                f"--map name=Name (columns: {', '.join(header[:20])})"
            )
        layout = mapped.layout(options.mapping, header, "csv", options.date_order, path)
        return Plan(layout, header_records(path, header, rows), lines, header)
    found: Layout | None = None
    if fmt in (None, "csl"):
        found = csl.match(header)
        if found is None and fmt == "csl":
            raise ImportFileError(
                f"{path}: line {line}: not a Consolidated Screening List header (it needs "
                f"{', '.join(sorted(csl.OLD_SIGNATURE))} or "
                f"{', '.join(sorted(csl.NEW_SIGNATURE))}); the file has {_shown(header)}"
            )
    if found is None and fmt in (None, "opensanctions"):
        try:
            found = opensanctions.match(header)
        except ImportFileError as exc:
            raise ImportFileError(f"{path}: {exc}") from None
        if found is None and fmt == "opensanctions":
            raise ImportFileError(
                f"{path}: line {line}: not one of the OpenSanctions layouts we know; the file "
                f"has {_shown(header)}; name its columns with --format csv --map start=COLUMN "
                "--map name=COLUMN"
            )
    if found is None:
        raise ImportFileError(
            f"{path}: line {line}: unknown layout ({_shown(header)}); name its columns with "
            "--map start=COLUMN --map name=COLUMN (see explorer import --help)"
        )
    if options.date_order.value != "undeclared" and found.date_order.value == "undeclared":
        from dataclasses import replace

        found = replace(found, date_order=options.date_order)
    return Plan(found, header_records(path, header, rows), lines, header)


def _shown(header: list[str]) -> str:
    # a header that is not one (a file in another encoding) stays a line of readable length
    cols = ", ".join(repr(h if len(h) <= 40 else h[:40] + "…") for h in header[:8])
    return f"columns {cols}" + (f" and {len(header) - 8} more" if len(header) > 8 else "")


def detect_format(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """(format, layout name) of a file, for the import dialog; raises ImportFileError."""
    p = plan(path, ImportOptions(encoding=encoding, as_of="1970-01-01"))
    p.lines.close()
    return p.layout.format, p.layout.name
