"""Check a store file: is it usable, and is every event in it well made and backed by sources?

Two kinds of answer, as `explorer check` reports them:
- a StoreError when the file is not a usable store at all (missing, empty, not SQLite,
  truncated, damaged, newer schema, a table missing): nothing else can be checked;
- otherwise a list of Problems, each naming the event (by key) or the row it is about.

A curated event needs at least one quote; an imported event (one with a provenance row) is
backed by its file and line instead, so it needs none.

Warnings say what is worth a look but is not wrong (they do not change the exit status): an
event whose only sources are graded secondary or copies (`sources.quality`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from explorer.domain.dates import DateError, PartialDate, day_number
from explorer.domain.model import only_weak_sources
from explorer.storage import densities, schema
from explorer.storage.errors import StoreError
from explorer.storage.health import Problem, row_problems
from explorer.storage.store import _connect_ro, validate_file

# Enough lines of a failed integrity check to say what is wrong without flooding the terminal.
_INTEGRITY_LINES = 5


@dataclass(frozen=True)
class CheckReport:
    """What a check found, with enough counts for a one-line summary."""

    path: Path
    events: int
    quotes: int
    verified_quotes: int
    problems: list[Problem] = field(default_factory=list)
    # Sources whose full text the store names, and how many of those texts were found.
    texts_named: int = 0
    texts_found: int = 0
    #: What is worth a look but not wrong (one line each, by event key); no effect on `ok`.
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(path: Path, text_dir: Path | None = None) -> CheckReport:
    """Check the store at `path`.

    Args:
        path: The store file.
        text_dir: The folder holding the full texts of sources (`sources.text_file`); quotes of
            the sources found there, with a matching sha256, are compared with the text.

    Returns:
        The report; its `problems` are empty when the store is clean.

    Raises:
        StoreError: the file is not a usable store (the message is one line).
    """
    path = Path(path)
    validate_file(path)
    conn = _connect_ro(path)
    try:
        _integrity(conn, path)
        # every row the program cannot show (what stops an export or the app), then the rest
        problems: list[Problem] = row_problems(conn)
        problems.extend(_foreign_keys(conn))
        problems.extend(_event_dates(conn))
        problems.extend(_event_quotes(conn))
        verified, quote_problems, found = _quote_texts(conn, text_dir)
        named = int(
            conn.execute(
                "SELECT count(*) FROM sources WHERE text_file IS NOT NULL AND text_file != ''"
            ).fetchone()[0]
        )
        problems.extend(quote_problems)
        problems.extend(_relations(conn))
        problems.extend(_external_dates(conn))
        problems.extend(_fts(conn))
        problems.extend(_indexes(conn))
        problems.extend(_densities(conn))
        problems = list(dict.fromkeys(problems))  # one line a problem, however found
        warnings = list(_weak_sources(conn)) if schema.has_measures(conn) else []
        events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        quotes = int(conn.execute("SELECT count(*) FROM quotes").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        # A page that validate_file did not read may still be garbage.
        raise StoreError(f"{path}: damaged ({exc})") from None
    finally:
        conn.close()
    return CheckReport(path, events, quotes, verified, problems, named, found, warnings)


def _integrity(conn: sqlite3.Connection, path: Path) -> None:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchmany(_INTEGRITY_LINES)]
    if rows != ["ok"]:
        raise StoreError(f"{path}: damaged (integrity check: {'; '.join(rows)})")


def _event_key(conn: sqlite3.Connection, event_id: int | None) -> str:
    if event_id is None:
        return "event ?"
    row = conn.execute("SELECT key FROM events WHERE id = ?", (event_id,)).fetchone()
    return str(row[0]) if row else f"event {event_id}"


def _foreign_keys(conn: sqlite3.Connection) -> Iterator[Problem]:
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        yield Problem(f"{table} row {rowid}", f"points at a missing row of {parent}")


def _event_dates(conn: sqlite3.Connection) -> Iterator[Problem]:
    rows = conn.execute(
        'SELECT key, start, "end", start_day, end_day, precision, end_precision, basis '
        "FROM events ORDER BY id"
    )
    for key, start_text, end_text, start_day, end_day, precision, end_precision, _basis in rows:
        # bases and texts that are no date at all are health's (row_problems)
        if not isinstance(start_text, str) or not isinstance(end_text, (str, type(None))):
            continue
        try:
            start = PartialDate.parse(start_text or "")
            end = PartialDate.parse(end_text) if end_text else None
        except DateError:
            continue
        if precision != start.precision.value:
            yield Problem(key, f"precision {precision!r} does not match start {start_text!r}")
        if (end_precision or None) != (end.precision.value if end else None):
            yield Problem(key, f"end precision {end_precision!r} does not match end {end_text!r}")
        if start_day != day_number(start.first_day()):
            yield Problem(key, f"start_day {start_day} is not the first day of {start_text}")
        last = (end or start).last_day()
        if end_day != day_number(last):
            yield Problem(key, f"end_day {end_day} is not the last day of {end_text or start_text}")
        if end is not None and last < start.first_day():
            yield Problem(key, f"end {end_text} is before start {start_text}")


def _event_quotes(conn: sqlite3.Connection) -> Iterator[Problem]:
    for (key,) in conn.execute(
        "SELECT key FROM events e WHERE provenance_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM quotes q WHERE q.event_id = e.id) ORDER BY id"
    ):
        yield Problem(key, "has no quote: every curated event needs one from its source")


def _quote_texts(conn: sqlite3.Connection, text_dir: Path | None) -> tuple[int, list[Problem], int]:
    """Compare each quote of a held source with the text at its offsets.

    Returns:
        The quotes found verbatim, the problems, and how many source texts were found.
    """
    problems: list[Problem] = []
    verified = 0
    found = 0
    if text_dir is None:
        return 0, problems, 0
    sources = conn.execute(
        "SELECT id, key, text_file, text_sha256 FROM sources "
        "WHERE text_file IS NOT NULL AND text_file != '' ORDER BY id"
    ).fetchall()
    for source_id, source_key, text_file, sha in sources:
        text_path = Path(text_dir) / text_file
        if not text_path.is_file():
            continue  # we do not hold this text here; nothing to compare with
        found += 1
        raw = text_path.read_bytes()
        if sha and hashlib.sha256(raw).hexdigest() != sha:
            problems.append(
                Problem(
                    f"source {source_key}",
                    f"{text_path} is not the text the quotes were taken from (sha256 differs)",
                )
            )
            continue
        text = raw.decode("utf-8", errors="replace")
        for quote_id, event_id, quote, start, end in conn.execute(
            "SELECT id, event_id, text, start_offset, end_offset FROM quotes "
            "WHERE source_id = ? ORDER BY id",
            (source_id,),
        ):
            if start is None or end is None:
                message = "has no offsets into its held source"
            elif text[start:end] != quote:
                message = f"is not verbatim at offsets {start}-{end} of {text_file}"
            else:
                verified += 1
                continue
            problems.append(
                Problem(
                    _event_key(conn, event_id),
                    f"quote {quote_id} {_clip(quote)} {message} (source {source_key})",
                )
            )
    return verified, problems, found


def _clip(text: str, n: int = 40) -> str:
    return repr(text if len(text) <= n else text[:n] + "…")


def _weak_sources(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Events whose only sources (those of their quotes) are graded secondary or copies."""
    grades: dict[int, list[str | None]] = {}
    for event_id, quality in conn.execute(
        "SELECT DISTINCT q.event_id, s.quality FROM quotes q JOIN sources s ON s.id = q.source_id "
        "ORDER BY q.event_id"
    ):
        grades.setdefault(int(event_id), []).append(quality)
    weak = [event_id for event_id, g in grades.items() if only_weak_sources(g)]
    for event_id in weak:
        cited = sorted({str(g) for g in grades[event_id]})
        yield Problem(
            _event_key(conn, event_id),
            f"its only sources are {' or '.join(cited)} (a primary or established source "
            "would back it)",
        )


def _relations(conn: sqlite3.Connection) -> Iterator[Problem]:
    for from_id, to_id, kind in conn.execute(
        "SELECT r.from_id, r.to_id, r.kind FROM relations r "
        "LEFT JOIN events f ON f.id = r.from_id LEFT JOIN events t ON t.id = r.to_id "
        "WHERE f.id IS NULL OR t.id IS NULL ORDER BY r.from_id, r.to_id"
    ):
        yield Problem(
            _event_key(conn, from_id), f"relation {kind} {from_id}->{to_id} names a missing event"
        )
    for from_id, to_id, kind in conn.execute(
        "SELECT from_id, to_id, kind FROM relations ORDER BY from_id, to_id, kind"
    ):
        if kind not in schema.RELATION_KINDS:
            yield Problem(_event_key(conn, from_id), f"relation kind {kind!r} is unknown")
        if from_id == to_id:
            yield Problem(_event_key(conn, from_id), f"relation {kind} points at itself")


def _external_dates(conn: sqlite3.Connection) -> Iterator[Problem]:
    for key, source_key, url in conn.execute(
        "SELECT e.key, s.key, s.url FROM events e LEFT JOIN sources s ON s.id = e.date_source_id "
        "WHERE e.basis = 'external' ORDER BY e.id"
    ):
        if source_key is None:
            yield Problem(key, "date basis is external but no date source is cited")
        elif not (url or "").strip():
            yield Problem(key, f"date source {source_key!r} has no URL")


def _fts(conn: sqlite3.Connection) -> Iterator[Problem]:
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    indexed = conn.execute("SELECT count(*) FROM events_fts").fetchone()[0]
    if events != indexed:
        yield Problem("store", f"the search index has {indexed} rows for {events} events")
        return
    missing = conn.execute(
        "SELECT count(*) FROM events WHERE id NOT IN (SELECT rowid FROM events_fts)"
    ).fetchone()[0]
    if missing:
        yield Problem("store", f"{missing} events are missing from the search index")


def _densities(conn: sqlite3.Connection) -> Iterator[Problem]:
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    totals = dict(
        conn.execute("SELECT lane_mode, coalesce(sum(count), 0) FROM densities GROUP BY lane_mode")
    )
    for mode in densities.LANE_MODES:
        total = totals.get(mode, 0)
        if total != events:
            yield Problem("store", f"densities per {mode} count {total} events, not {events}")


def _indexes(conn: sqlite3.Connection) -> Iterator[Problem]:
    """Indexes of the schema that the store lacks: it still works, slowly."""
    import sqlite_utils

    fresh = sqlite3.connect(":memory:")
    try:
        schema.create(sqlite_utils.Database(fresh))
        want = {
            r[0]
            for r in fresh.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
    finally:
        fresh.close()
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name in sorted(want - have):
        yield Problem("store", f"the index {name} is missing: queries that need it are slow")
