"""Measures with their phases and their status on a day, as JSON or CSV (`explorer measures`).

Pure functions from domain values to plain data and bytes; the caller writes them atomically.
JSON: `{"on": "YYYY-MM-DD", "measures": [{"key", "title", "kind", "issuers": [{"key", "name"}],
"status", "phases": [{"phase", "date", "end"?, "event"}]}]}`, where `status` is the measure's
phase on that day or `not_yet` (`explorer.domain.measures.status_text`) and `end` is there only
for a phase that has one. CSV: one row per measure, UTF-8 with a byte-order mark and CRLF rows
as the event CSV, several values joined by "; ", no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from explorer.domain.measures import Measure, MeasurePhase, status_text
from explorer.export.json_export import dumps
from explorer.export.tables import CSV_ENCODING, FORMULA_TRIGGERS, JOIN

#: The formats `explorer measures` writes.
FORMATS = ("json", "csv")

#: CSV columns, in order.
CSV_COLUMNS = ("key", "title", "kind", "issuers", "status", "phases")


def phase_to_dict(p: MeasurePhase) -> dict[str, Any]:
    """A phase as `{"phase", "date", "end"?, "event"}` (`end` only when it has one)."""
    out: dict[str, Any] = {"phase": p.phase.value, "date": p.date.iso()}
    if p.end is not None:
        out["end"] = p.end.iso()
    out["event"] = p.event_key
    return out


def measure_to_dict(measure: Measure, day: date) -> dict[str, Any]:
    """A measure with its status on `day` and its phases in order."""
    return {
        "key": measure.key,
        "title": measure.title,
        "kind": measure.kind.value,
        "issuers": [{"key": a.key, "name": a.name} for a in measure.issuers],
        "status": status_text(measure, day),
        "phases": [phase_to_dict(p) for p in measure.phases],
    }


def to_json(measures: Iterable[Measure], day: date) -> bytes:
    """The measures as a JSON document (UTF-8, indent 2, CJK kept readable)."""
    doc = {"on": day.isoformat(), "measures": [measure_to_dict(m, day) for m in measures]}
    return dumps(doc).encode("utf-8")


def _phase_words(p: MeasurePhase) -> str:
    span = p.date.iso() if p.end is None else f"{p.date.iso()}–{p.end.iso()}"
    return f"{p.phase.value} {span} ({p.event_key})"


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in FORMULA_TRIGGERS else cell


def to_csv(measures: Iterable[Measure], day: date) -> bytes:
    """The measures as CSV bytes: a header, then a row per measure (phases as
    `in_force 2023-08-01 (event-key)`, a phase with an end as `suspended 2024-11-09–2026-11-27
    (event-key)`)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for m in measures:
        writer.writerow(
            [
                _safe(m.key),
                _safe(m.title),
                m.kind.value,
                _safe(JOIN.join(a.name for a in m.issuers)),
                status_text(m, day),
                _safe(JOIN.join(_phase_words(p) for p in m.phases)),
            ]
        )
    return buf.getvalue().encode(CSV_ENCODING)


def render(fmt: str, measures: Iterable[Measure], day: date) -> bytes:
    """The measures in `fmt` (json or csv).

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "json":
        return to_json(measures, day)
    if fmt == "csv":
        return to_csv(measures, day)
    raise ValueError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
