"""OFAC's SDN list, `sdn.csv`: 12 fields, no header, `-0-` for nulls, CRLF, a trailing Ctrl-Z.

Fields: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
Vess_flag, Vess_owner, Remarks. Several programs are written `NPWMD] [IFSR` (the outer brackets
dropped); aliases, nationalities and citizenships live inside Remarks (`a.k.a. 'BNC'`,
`nationality China`).

The file has no listing dates: the dates in Remarks are births, registrations and directive
dates, not the day an entry was listed. So an SDN file is imported honestly as a snapshot: one
event per program, "OFAC SDN list as of 3 May 2024: 4,274 entries under RUSSIA-EO14024", dated
by the day of the copy, which the user names with `--as-of YYYY-MM-DD` or which the file name
states (`sdn_2024-05-03.csv`). Without either, the file is refused: no date is invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from explorer.domain.date_parse import DateForm, DateParse, parse_date
from explorer.domain.dates import PartialDate
from explorer.storage.importers.common import (
    BadRow,
    CsvRow,
    Group,
    ImportFileError,
    Layout,
    Record,
    RowErrorAt,
)

COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
NULL = "-0-"

_ALIAS = re.compile(r"\b[afn]\.k\.a\.,?\s+'([^']+)'", re.IGNORECASE)
_COUNTRY = re.compile(
    r"\b(?:nationality|citizen|Nationality of Registration)\s+([A-Z][^;.()]*?)\s*(?:[;.]|$)"
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def looks_like_sdn(cells: list[str]) -> bool:
    """A header-less 12-field row with a numeric first field and OFAC's `-0-` nulls."""
    return (
        len(cells) == 12
        and cells[0].strip().isdigit()
        and any(c.strip() == NULL for c in cells[2:])
    )


def _null(text: str) -> str:
    return "" if text.strip() == NULL else text.strip()


def _prepare(v: dict[str, str]) -> None:
    remarks = v.get("note", "")
    aliases = _ALIAS.findall(remarks)
    if aliases:
        v["aliases"] = "; ".join(aliases)
    found = [c.strip() for c in _COUNTRY.findall(remarks)]
    if found:
        v["target"] = "; ".join(dict.fromkeys(found))
    # "NPWMD] [IFSR": the file drops the outer brackets of "[NPWMD] [IFSR]"
    v["program"] = v.get("program", "").strip("[] ")
    kind = v.get("type", "")
    v["type"] = kind or "entity"
    # Remarks are long; the entity keeps them in its note only up to a sentence or two.
    if len(remarks) > 300:
        v["note"] = remarks[:300].rsplit(";", 1)[0] + "; …"


def _title(g: Group) -> str:
    noun = "entry" if g.n == 1 else "entries"
    return (
        f"OFAC SDN list as of {g.date.display()}: {g.n:,} {noun} under {g.program or 'no program'}"
    )


def snapshot_date(path: Path, as_of: str | None) -> tuple[DateParse, str]:
    """The day of this copy of the list, and how it is known.

    Raises:
        ImportFileError: neither --as-of nor the file name gives a day.
    """
    if as_of:
        if re.match(r"\s*[-+\u2212]", as_of):
            raise ImportFileError(f"--as-of {as_of!r}: a year with a sign before it is not a date")
        parsed = parse_date(as_of)
        if not parsed.ok or parsed.chosen is None or parsed.form is DateForm.SEVERAL:
            raise ImportFileError(f"--as-of {as_of!r}: {parsed.error or 'give one date'}")
        return parsed, (
            f"the SDN file has no listing dates; {parsed.chosen.display()} is the date of this "
            f"copy of the list as given with --as-of (a snapshot, not a listing date)"
        )
    m = _FILE_DATE.search(path.name)
    if m:
        try:
            day = PartialDate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            day = None
        if day is not None:
            return DateParse(path.name, (day,), DateForm.ISO, f"from the file name {path.name}"), (
                f"the SDN file has no listing dates; {day.display()} is the date of this copy "
                f"of the list, from its file name {path.name!r} (a snapshot, not a listing date)"
            )
    raise ImportFileError(
        f"{path}: the OFAC SDN list has no listing dates (only births and registrations in "
        "Remarks); name the day of this copy with --as-of YYYY-MM-DD to import it as a snapshot"
    )


def layout(path: Path, as_of: str | None) -> Layout:
    """The SDN layout, dated by the snapshot day."""
    date, note = snapshot_date(path, as_of)
    return Layout(
        format="ofac-sdn",
        name="OFAC SDN (12 fields, no header)",
        columns={
            "id": ("ent_num",),
            "name": ("SDN_Name",),
            "type": ("SDN_Type",),
            "program": ("Program",),
            "note": ("Remarks",),
        },
        constants={
            "agency": "ofac",
            "issuer": "US",
            "list": "Specially Designated Nationals (SDN)",
        },
        program_split=r"\]\s*\[",
        kind="sanction_listing",
        status="in_force",
        prepare=_prepare,
        title=_title,
        fixed_date=date,
        fixed_date_note=note,
    )


def records(rows: Iterator[CsvRow]) -> Iterator[Record | RowErrorAt]:
    """SDN rows as records by OFAC's field names; a row without 12 fields is ragged, one
    that is not CSV (a quote that never closes) an error at the line where it went wrong."""
    for line, offset, raw, cells in rows:
        if isinstance(cells, BadRow):
            column = cells.column
            name = COLUMNS[column] if column is not None and column < len(COLUMNS) else ""
            yield RowErrorAt(line, name, cells.reason)
            continue
        if len(cells) != len(COLUMNS):
            missing = COLUMNS[len(cells)] if len(cells) < len(COLUMNS) else COLUMNS[-1]
            yield RowErrorAt(
                line,
                missing,
                f"ragged row: {len(cells)} fields where the SDN layout has {len(COLUMNS)}",
            )
            continue
        yield Record(line, offset, raw, [_null(c) for c in cells])
