"""Build the bundled store from the curated text in `db/`, deterministically.

The same text always gives the same file: rows go in a fixed order (events by start day, then
key), nothing records the time of the build, and the file is vacuumed before it is renamed into
place. A problem in the text stops the build with a message naming the file, the record and the
field, and leaves no file behind.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from explorer.domain.dates import DateError, PartialDate, day_number
from explorer.storage import densities, paths, schema
from explorer.storage.errors import StoreError
from explorer.storage.search_rows import write_search_rows


@dataclass(frozen=True)
class BuildResult:
    path: Path
    events: int
    quotes: int
    sources: int
    actors: int
    verified_quotes: int


def _load_json(folder: Path, name: str) -> list[dict[str, Any]]:
    path = folder / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: missing") from None
    except json.JSONDecodeError as exc:
        raise StoreError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, list):
        raise StoreError(f"{path}: expected a list of records")
    return data


def _need(record: dict[str, Any], field: str, where: str) -> Any:
    value = record.get(field)
    if value is None or value == "":
        raise StoreError(f"{where}: field {field!r} is missing")
    return value


def _date(text: str, where: str, field: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except DateError as exc:
        raise StoreError(f"{where}: field {field!r}: {exc}") from None


def _ref(table: dict[str, int], key: Any, where: str, field: str) -> int:
    try:
        return table[key]
    except KeyError:
        raise StoreError(f"{where}: field {field!r}: no such key {key!r}") from None


def _allowed(value: Any, vocabulary: tuple[str, ...], where: str, field: str) -> str:
    if value not in vocabulary:
        raise StoreError(f"{where}: field {field!r}: {value!r} is not one of {vocabulary}")
    return str(value)


def _text_of(text_dir: Path | None, source: dict[str, Any]) -> str | None:
    """The held text of a source, when we have it and it is the version the data was made from."""
    name = source.get("text_file")
    if not name or text_dir is None:
        return None
    path = text_dir / name
    if not path.is_file():
        return None
    raw = path.read_bytes()
    if source.get("text_sha256") and hashlib.sha256(raw).hexdigest() != source["text_sha256"]:
        raise StoreError(f"{path}: its sha256 differs from sources.json {source['key']!r}")
    text: str = raw.decode("utf-8")
    return text


def build(
    folder: Path | None = None, out: Path | None = None, text_dir: Path | None = None
) -> BuildResult:
    """Build a store from the curated text.

    Args:
        folder: The curated text; `db/` by default.
        out: Where to write the store; replaced atomically.
        text_dir: Where the seed sources' full texts are; quotes are checked against them.

    Raises:
        StoreError: the text has a problem; the message names file, record and field.
    """
    folder = folder or paths.data_dir()
    out = out or Path("curated.sqlite")
    text_dir = text_dir if text_dir is not None else paths.source_texts_dir()
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        result = _build_into(folder, tmp, text_dir)
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(out, *result)


def _build_into(folder: Path, target: Path, text_dir: Path | None) -> tuple[int, ...]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    conn = sqlite3.connect(target)
    db = sqlite_utils.Database(conn)
    schema.create(db)
    with conn:
        n_countries = _insert_countries(conn, folder / "countries.csv")
        actors = _load_json(folder, "actors.json")
        actor_ids = _insert_actors(conn, actors)
        source_ids, texts = _insert_sources(
            conn, _load_json(folder, "sources.json"), actor_ids, text_dir
        )
        _set_alias_sources(conn, actors, source_ids)
        item_ids = _insert_items(conn, _load_json(folder, "items.json"))
        # measures.json is newer than the other files: a folder without it has no measures
        measures = (
            _load_json(folder, "measures.json") if (folder / "measures.json").exists() else []
        )
        measure_ids = _insert_measures(conn, measures, actor_ids)
        events = _load_json(folder, "events.json")
        event_ids, n_quotes, n_verified = _insert_events(
            conn, events, actor_ids, source_ids, item_ids, texts, measure_ids
        )
        _insert_relations(conn, _load_json(folder, "relations.json"), event_ids)
        densities.rebuild(conn)
        rebuild_fts(conn)
        meta_rows = {
            "data_version": str(meta.get("data_version", "")),
            "title": str(meta.get("title", "")),
            "data_hash": paths.data_hash(folder),
            "events": str(len(event_ids)),
            "quotes": str(n_quotes),
            "sources": str(len(source_ids)),
            "countries": str(n_countries),
            "origin": "curated",
        }
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta_rows.items()))
    conn.execute("VACUUM")
    conn.close()
    return (len(event_ids), n_quotes, len(source_ids), len(actor_ids), n_verified)


def _insert_countries(conn: sqlite3.Connection, path: Path) -> int:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise StoreError(f"{path}: missing") from None
    for n, row in enumerate(rows, start=2):
        if not row.get("code") or not row.get("name"):
            raise StoreError(f"{path}: line {n}: needs a code and a name")
    conn.executemany(
        "INSERT INTO countries (code, name) VALUES (?, ?)",
        sorted((r["code"].strip(), r["name"].strip()) for r in rows),
    )
    return len(rows)


def _insert_actors(conn: sqlite3.Connection, actors: list[dict[str, Any]]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n, a in enumerate(actors, start=1):
        key = _need(a, "key", f"actors.json record {n}")
        if key in ids:
            raise StoreError(f"actors.json: key {key!r} appears twice")
        ids[key] = n
    for n, a in enumerate(actors, start=1):
        where = f"actors.json {a['key']!r}"
        # Parents are set in a second pass, so actors may name a parent listed after them.
        conn.execute(
            "INSERT INTO actors (id, key, name, kind, country, role, parent_id, note) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
            (
                n,
                a["key"],
                _need(a, "name", where),
                _need(a, "kind", where),
                a.get("country") or None,
                a.get("role", ""),
                a.get("note", ""),
            ),
        )
        seen = set()
        for alias in a.get("aliases", []):
            name = _need(alias, "name", f"{where} alias")
            if name in seen or name == a["name"]:
                continue
            seen.add(name)
            translated = alias.get("translated", False)
            if not isinstance(translated, bool):
                raise StoreError(f"{where} alias {name!r}: field 'translated' is not true/false")
            conn.execute(
                "INSERT INTO actor_aliases (actor_id, alias, lang, translated) VALUES (?, ?, ?, ?)",
                (n, name, alias.get("lang", ""), int(translated)),
            )
    for n, a in enumerate(actors, start=1):
        if a.get("parent"):
            parent_id = _ref(ids, a["parent"], f"actors.json {a['key']!r}", "parent")
            conn.execute("UPDATE actors SET parent_id = ? WHERE id = ?", (parent_id, n))
    return ids


def _set_alias_sources(
    conn: sqlite3.Connection, actors: list[dict[str, Any]], source_ids: dict[str, int]
) -> None:
    """Point each alias at the cited source that writes it (`"source"`), once sources exist."""
    for n, a in enumerate(actors, start=1):
        for alias in a.get("aliases", []):
            source = alias.get("source")
            if source:
                where = f"actors.json {a['key']!r} alias {alias.get('name')!r}"
                conn.execute(
                    "UPDATE actor_aliases SET source_id = ? WHERE actor_id = ? AND alias = ?",
                    (_ref(source_ids, source, where, "source"), n, alias.get("name")),
                )


def _insert_measures(
    conn: sqlite3.Connection, measures: list[dict[str, Any]], actor_ids: dict[str, int]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n, m in enumerate(measures, start=1):
        key = _need(m, "key", f"measures.json record {n}")
        where = f"measures.json {key!r}"
        if key in ids:
            raise StoreError(f"measures.json: key {key!r} appears twice")
        ids[key] = n
        conn.execute(
            "INSERT INTO measures (id, key, title, kind, note) VALUES (?, ?, ?, ?, ?)",
            (
                n,
                key,
                _need(m, "title", where),
                _allowed(m.get("kind"), schema.MEASURE_KINDS, where, "kind"),
                m.get("note") or "",
            ),
        )
        issuers = m.get("issuers") or []
        for actor in dict.fromkeys(issuers):
            conn.execute(
                "INSERT INTO measure_issuers (measure_id, actor_id) VALUES (?, ?)",
                (n, _ref(actor_ids, actor, where, "issuers")),
            )
    return ids


def _insert_sources(
    conn: sqlite3.Connection,
    sources: list[dict[str, Any]],
    actor_ids: dict[str, int],
    text_dir: Path | None,
) -> tuple[dict[str, int], dict[int, str]]:
    ids: dict[str, int] = {}
    texts: dict[int, str] = {}
    for n, s in enumerate(sources, start=1):
        key = _need(s, "key", f"sources.json record {n}")
        where = f"sources.json {key!r}"
        if key in ids:
            raise StoreError(f"sources.json: key {key!r} appears twice")
        ids[key] = n
        published = _date(s["published"], where, "published") if s.get("published") else None
        outlet = s.get("outlet")
        quality = s.get("quality")
        if quality is not None:
            _allowed(quality, schema.SOURCE_GRADES, where, "quality")
        conn.execute(
            "INSERT INTO sources (id, key, title, author, outlet_id, language, published, "
            "published_precision, url, translator, retrieved, text_file, text_sha256, note, "
            "quality) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                n,
                key,
                _need(s, "title", where),
                s.get("author", ""),
                _ref(actor_ids, outlet, where, "outlet") if outlet else None,
                s.get("language", ""),
                published.iso() if published else None,
                published.precision.value if published else None,
                s.get("url", ""),
                s.get("translator", ""),
                s.get("retrieved", ""),
                s.get("text_file") or None,
                s.get("text_sha256") or None,
                s.get("note", ""),
                quality,
            ),
        )
        text = _text_of(text_dir, s)
        if text is not None:
            texts[n] = text
    return ids, texts


def _insert_items(conn: sqlite3.Connection, items: list[dict[str, Any]]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n, it in enumerate(items, start=1):
        key = _need(it, "key", f"items.json record {n}")
        if key in ids:
            raise StoreError(f"items.json: key {key!r} appears twice")
        ids[key] = n
        conn.execute(
            "INSERT INTO items (id, key, name, list_name, tier, note) VALUES (?, ?, ?, ?, ?, ?)",
            (
                n,
                key,
                _need(it, "name", f"items.json {key!r}"),
                it.get("list", ""),
                it.get("tier"),
                it.get("note", ""),
            ),
        )
    return ids


def _event_order(events: list[dict[str, Any]]) -> list[tuple[int, str, dict[str, Any]]]:
    keyed = []
    for n, e in enumerate(events, start=1):
        key = _need(e, "key", f"events.json record {n}")
        start = _date(_need(e, "start", f"events.json {key!r}"), f"events.json {key!r}", "start")
        keyed.append((day_number(start.first_day()), key, e))
    keyed.sort(key=lambda t: (t[0], t[1]))
    return keyed


def _insert_events(
    conn: sqlite3.Connection,
    events: list[dict[str, Any]],
    actor_ids: dict[str, int],
    source_ids: dict[str, int],
    item_ids: dict[str, int],
    texts: dict[int, str],
    measure_ids: dict[str, int] | None = None,
) -> tuple[dict[str, int], int, int]:
    ids: dict[str, int] = {}
    n_quotes = n_verified = 0
    for n, (_, key, e) in enumerate(_event_order(events), start=1):
        where = f"events.json {key!r}"
        if key in ids:
            raise StoreError(f"events.json: key {key!r} appears twice")
        ids[key] = n
        start = _date(e["start"], where, "start")
        end = _date(e["end"], where, "end") if e.get("end") else None
        last = (end or start).last_day()
        if last < start.first_day():
            raise StoreError(f"{where}: field 'end' is before 'start'")
        date_source = e.get("date_source")
        lane_agency = _need(e, "lane_agency", where)
        _ref(actor_ids, lane_agency, where, "lane_agency")
        measure, phase = e.get("measure"), e.get("phase")
        if bool(measure) != bool(phase):
            raise StoreError(f"{where}: fields 'measure' and 'phase' go together (a phase event)")
        if phase:
            _allowed(phase, schema.PHASES, where, "phase")
        conn.execute(
            'INSERT INTO events (id, key, title, summary, kind, status, start, "end", '
            "start_day, end_day, precision, end_precision, basis, date_note, date_source_id, "
            "lane_country, lane_agency, topic, importance, measure_id, phase) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                n,
                key,
                _need(e, "title", where),
                e.get("summary", ""),
                _need(e, "kind", where),
                _need(e, "status", where),
                start.iso(),
                end.iso() if end else None,
                day_number(start.first_day()),
                day_number(last),
                start.precision.value,
                end.precision.value if end else None,
                _need(e, "basis", where),
                e.get("date_note", ""),
                _ref(source_ids, date_source, where, "date_source") if date_source else None,
                _need(e, "lane_country", where),
                lane_agency,
                e.get("topic", ""),
                int(e.get("importance", 1)),
                _ref(measure_ids or {}, measure, where, "measure") if measure else None,
                phase or None,
            ),
        )
        for c in e.get("countries", []):
            conn.execute(
                "INSERT INTO event_countries (event_id, country, role) VALUES (?, ?, ?)",
                (n, _need(c, "code", where), c.get("role", "")),
            )
        for a in e.get("actors", []):
            conn.execute(
                "INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)",
                (n, _ref(actor_ids, a.get("actor"), where, "actors"), a.get("role", "")),
            )
        for it in e.get("items", []):
            conn.execute(
                "INSERT INTO event_items (event_id, item_id) VALUES (?, ?)",
                (n, _ref(item_ids, it, where, "items")),
            )
        for q in e.get("quotes", []):
            n_quotes += 1
            source_id = _ref(source_ids, q.get("source"), where, "quotes.source")
            text = _need(q, "text", f"{where} quote {n_quotes}")
            speaker = q.get("speaker")
            start_off, end_off = q.get("start"), q.get("end")
            held = texts.get(source_id)
            if held is not None:
                if start_off is None or end_off is None or held[start_off:end_off] != text:
                    raise StoreError(
                        f"{where}: quote {text[:40]!r}… is not at offsets "
                        f"{start_off}-{end_off} of source {q.get('source')!r}"
                    )
                n_verified += 1
            conn.execute(
                "INSERT INTO quotes (event_id, source_id, speaker_id, text, start_offset, "
                "end_offset) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    n,
                    source_id,
                    _ref(actor_ids, speaker, where, "quotes.speaker") if speaker else None,
                    text,
                    start_off,
                    end_off,
                ),
            )
    return ids, n_quotes, n_verified


def _insert_relations(
    conn: sqlite3.Connection, relations: list[dict[str, Any]], event_ids: dict[str, int]
) -> None:
    rows = []
    for n, r in enumerate(relations, start=1):
        where = f"relations.json record {n}"
        kind = _need(r, "kind", where)
        if kind not in schema.RELATION_KINDS:
            raise StoreError(
                f"{where}: field 'kind': {kind!r} is not one of {schema.RELATION_KINDS}"
            )
        rows.append(
            (
                _ref(event_ids, r.get("from"), where, "from"),
                _ref(event_ids, r.get("to"), where, "to"),
                kind,
                r.get("note", ""),
            )
        )
    conn.executemany(
        "INSERT INTO relations (from_id, to_id, kind, note) VALUES (?, ?, ?, ?)", sorted(rows)
    )


def rebuild_fts(conn: sqlite3.Connection) -> None:
    """Fill the full-text index from the events and everything attached to them."""
    write_search_rows(conn)
