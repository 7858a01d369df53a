"""Keep the curated history in db/ in shape; the files there are its only source.

After editing db/ by hand, run from anywhere:

    python scripts/curation/dbtool.py place    # seed quotes' offsets, found in the seed texts
    python scripts/curation/dbtool.py format   # the canonical layout and order
    python scripts/curation/dbtool.py check    # everything else; exit 1 on an error

Each takes `--db DIR` (default: this repository's db/) and `--seeds DIR` (default: shared/seeds
beside the repository). Every problem is one line naming the file, the record and the field.
`place` and `format` write nothing when they find one (exit 1); otherwise they replace, atomically,
only the files whose bytes change, so a second run changes nothing.

The canonical layout: UTF-8, ensure_ascii=False, indent 2 and a final newline; each record's
fields in the order of FIELDS (and PARTS for the lists inside it); the records in the order of
SORTS. A quote of a source with a `text_file` has the offsets of its one occurrence in that text
(`text[start:end] == quote`, found with str.find, never by hand); other quotes have null offsets.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # this checkout's explorer, not an installed one

from explorer.domain.dates import Basis, PartialDate  # noqa: E402
from explorer.domain.measures import MeasureKind, Phase  # noqa: E402
from explorer.domain.model import (  # noqa: E402
    ActorKind,
    Kind,
    RelationKind,
    SourceGrade,
    Status,
    only_weak_sources,
)

Record = dict[str, Any]


def _values(enum: type[Enum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


KINDS, STATUSES, BASES = _values(Kind), _values(Status), _values(Basis)
ACTOR_KINDS, RELATION_KINDS = _values(ActorKind), _values(RelationKind)
PHASES, MEASURE_KINDS, GRADES = _values(Phase), _values(MeasureKind), _values(SourceGrade)
# The program has no enum for roles yet; these are their only copies.
COUNTRY_ROLES = frozenset({"issuer", "target", "affected"})
ACTOR_ROLES = frozenset({"issuer", "target", "commentator", "author", "reporter", "publisher"})
LONG_QUOTE = 320  # characters; longer quotes get a warning

# Each file's fields, in canonical order, and those of the lists of objects inside its records
# (by field name: no two files use the same one).
# fmt: off
FIELDS: dict[str, tuple[str, ...]] = {
    "actors.json": ("key", "name", "kind", "country", "role", "parent", "note", "aliases"),
    "sources.json": ("key", "title", "author", "outlet", "language", "published", "url",
                     "translator", "retrieved", "text_file", "text_sha256", "note", "quality"),
    "items.json": ("key", "name", "list", "tier", "note"),
    "measures.json": ("key", "title", "kind", "issuers", "note"),
    "events.json": ("key", "title", "summary", "kind", "status", "start", "end", "basis",
                    "date_note", "date_source", "lane_country", "lane_agency", "topic",
                    "importance", "measure", "phase", "countries", "actors", "items", "quotes"),
    "relations.json": ("from", "to", "kind", "note"),
}
# fmt: on
# Fields a record may leave out (absent: none), by file or list name: they came after the
# first data, and a record without them says nothing about them yet.
OPTIONAL: dict[str, frozenset[str]] = {
    "sources.json": frozenset({"quality"}),
    "events.json": frozenset({"measure", "phase"}),
    "aliases": frozenset({"source", "translated"}),
}
PARTS: dict[str, tuple[str, ...]] = {
    "aliases": ("name", "lang", "source", "translated"),
    "countries": ("code", "role"),
    "actors": ("actor", "role"),
    "quotes": ("source", "speaker", "text", "start", "end"),
}


class Refused(Exception):
    """Problems that stop a command before it writes anything; one line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _by_key(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: _text(r.get("key")))


def _parents_first(actors: list[Record]) -> list[Record]:
    """Actors by key, except that a parent comes before its children (the builder inserts actors
    in file order with foreign keys on)."""
    left = _by_key(actors)
    keys = {a.get("key") for a in left}
    done: set[Any] = set()
    out: list[Record] = []
    while left:
        for a in left:
            parent = a.get("parent")
            if not parent or parent in done or parent not in keys:
                out.append(a)
                done.add(a.get("key"))
                left.remove(a)
                break
        else:
            raise Refused([f"actors.json: parents form a cycle among {[a['key'] for a in left]}"])
    return out


def _by_start(events: list[Record]) -> list[Record]:
    firsts, problems = {}, []
    for n, e in enumerate(events):
        try:
            firsts[n] = PartialDate.parse(_text(e.get("start"))).first_day()
        except ValueError as exc:
            problems.append(f"events.json {e.get('key')!r}: start: {exc}")
    if problems:
        raise Refused(problems)
    order = sorted(range(len(events)), key=lambda n: (firsts[n], _text(events[n].get("key"))))
    return [events[n] for n in order]


def _by_link(relations: list[Record]) -> list[Record]:
    return sorted(relations, key=lambda r: tuple(_text(r.get(f)) for f in ("from", "kind", "to")))


SORTS: dict[str, tuple[str, Callable[[list[Record]], list[Record]]]] = {
    "actors.json": ("by key, each parent before its children", _parents_first),
    "sources.json": ("by key", _by_key),
    "items.json": ("as curated", list),
    "measures.json": ("by key", _by_key),
    "events.json": ("by start date, then key", _by_start),
    "relations.json": ("by from, kind, to", _by_link),
}


def _ordered(record: Record, fields: Iterable[str]) -> Record:
    """The record with its fields in canonical order; unknown fields follow, values unchanged."""
    fields = tuple(fields)
    out = {f: record[f] for f in fields if f in record}
    out.update((f, v) for f, v in record.items() if f not in out)
    for f, part_fields in PARTS.items():
        if isinstance(out.get(f), list):
            out[f] = [_ordered(p, part_fields) if isinstance(p, dict) else p for p in out[f]]
    return out


def canonical(name: str, records: list[Record]) -> list[Record]:
    """The records of one file in canonical field and record order.

    Raises:
        Refused: when they cannot be put in order (a start that is no date, a parent cycle).
    """
    return SORTS[name][1]([_ordered(r, FIELDS[name]) for r in records])


def dump(records: list[Record]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def countries_text(rows: list[list[str]]) -> str:
    """countries.csv in canonical form: the header, then the rows by code; no blank lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0] if rows else ["code", "name"])
    writer.writerows(sorted(r for r in rows[1:] if r))
    return out.getvalue()


class Db:
    """The curated files of one folder, as read.

    Attributes:
        raw: Each file's text, by name.
        data: Each JSON file's records (objects only), by name.
        countries: The rows of countries.csv, its header first.
        errors: What could not be read; a file named here is not rewritten.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.raw: dict[str, str] = {}
        self.data: dict[str, list[Record]] = {}
        self.errors: list[str] = []
        self.unreadable: set[str] = set()
        for name in FIELDS:
            self.data[name] = self._load(name)
        text = self._read("countries.csv")
        self.countries = list(csv.reader(io.StringIO(text or "")))

    def _read(self, name: str) -> str | None:
        try:
            text = (self.folder / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            self._fail(name, "missing")
            return None
        except UnicodeDecodeError as exc:
            self._fail(name, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            return None
        self.raw[name] = text
        return text

    def _fail(self, name: str, msg: str) -> None:
        self.errors.append(f"{name}: {msg}")
        self.unreadable.add(name)

    def _load(self, name: str) -> list[Record]:
        text = self._read(name)
        if text is None:
            return []
        twice: list[str] = []

        def pairs(items: list[tuple[str, Any]]) -> Record:
            twice.extend(f for n, (f, _) in enumerate(items) if f in dict(items[:n]))
            return dict(items)

        try:
            data = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            self._fail(name, f"line {exc.lineno}: {exc.msg}")
            return []
        for f in twice:
            self._fail(name, f"field {f!r} appears twice in one object (json keeps the last)")
        if not isinstance(data, list):
            self._fail(name, "top level is not a list")
            return []
        for n, r in enumerate(data, start=1):
            if not isinstance(r, dict):
                self._fail(name, f"record {n} is not an object")
        return [r for r in data if isinstance(r, dict)]


def held_texts(sources: Iterable[Record], seeds: Path, errors: list[str]) -> dict[str, str]:
    """The seed texts of the sources that have a `text_file`, by source key, when the file is
    there and its sha256 is the source's `text_sha256`; problems go to `errors`."""
    texts = {}
    for s in sources:
        if not s.get("text_file"):
            continue
        where = f"sources.json {s.get('key')!r}"
        path = seeds / s["text_file"]
        try:
            raw = path.read_bytes()
        except OSError:
            errors.append(f"{where}: text_file {path} not found")
            continue
        if hashlib.sha256(raw).hexdigest() != s.get("text_sha256"):
            errors.append(f"{where}: the sha256 of {path} differs from text_sha256")
            continue
        try:
            texts[s["key"]] = raw.decode("utf-8")
        except UnicodeDecodeError:
            errors.append(f"{where}: {path} is not UTF-8")
    return texts


def write_files(folder: Path, texts: dict[str, str]) -> None:
    """Replace each named file by its text, atomically: every new text is written to a temporary
    file beside its target before the first target is replaced."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in texts.items():
            target = folder / name
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            if target.exists():
                os.chmod(tmp_name, stat.S_IMODE(target.stat().st_mode))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# format and place


def format_db(folder: Path) -> list[str]:
    """Rewrite the files of `folder` in the canonical layout and order; the names rewritten.

    Raises:
        Refused: a file cannot be read or put in order; nothing is written.
    """
    db = Db(folder)
    if db.errors:
        raise Refused(db.errors)
    new = {name: dump(canonical(name, records)) for name, records in db.data.items()}
    new["countries.csv"] = countries_text(db.countries)
    changed = {name: text for name, text in new.items() if text != db.raw[name]}
    write_files(folder, changed)
    return sorted(changed)


def place_quotes(folder: Path, seeds: Path) -> list[str]:
    """Set the offsets of every quote in events.json from the seed texts; the quotes changed.

    A quote of a source with a `text_file` gets the offsets of its one occurrence in that text;
    every other quote gets null offsets. events.json is written in the canonical layout, its
    records in the order they have.

    Raises:
        Refused: a seed text is missing or not the one of its text_sha256, or a quote is not in
            its seed or is in it more than once; nothing is written.
    """
    db = Db(folder)
    problems = [e for e in db.errors if e.startswith(("sources.json:", "events.json:"))]
    seeded = {s.get("key"): s["text_file"] for s in db.data["sources.json"] if s.get("text_file")}
    texts = held_texts(db.data["sources.json"], seeds, problems)
    changes = []
    for e in db.data["events.json"]:
        for n, q in enumerate(e.get("quotes") or [], start=1):
            where = f"events.json {e.get('key')!r} quote {n}"
            if not isinstance(q, dict):
                problems.append(f"{where}: not an object")
                continue
            src, quote = q.get("source"), q.get("text")
            offsets: tuple[int | None, int | None] = (None, None)
            if src in seeded:
                if src not in texts:
                    continue  # the seed's own problem is reported once
                if not isinstance(quote, str) or not quote:
                    problems.append(f"{where}: empty text")
                    continue
                full = texts[src]
                start = full.find(quote)
                if start < 0:
                    problems.append(f"{where}: not found in {seeded[src]} ({src}): {quote!r}")
                    continue
                if full.find(quote, start + 1) >= 0:
                    problems.append(f"{where}: occurs more than once in {seeded[src]}: {quote!r}")
                    continue
                offsets = (start, start + len(quote))
            old = (q.get("start"), q.get("end"))
            if json.dumps(old) != json.dumps(offsets):  # 3.0 == 3 in Python, not in the file
                changes.append(f"{where}: {old[0]}-{old[1]} -> {offsets[0]}-{offsets[1]}")
                q["start"], q["end"] = offsets
    if problems:
        raise Refused(problems)
    if changes:
        write_files(folder, {"events.json": dump(db.data["events.json"])})
    return changes


# --------------------------------------------------------------------------------------------
# check


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {}

    def err(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def _date(text: Any) -> PartialDate:
    """The partial date a field holds, written in its one canonical form (`2024-06`)."""
    d = PartialDate.parse(_text(text))
    if d.iso() != text:
        raise ValueError(f"{text!r} is not written as {d.iso()!r}")
    return d


def scripts(text: str) -> frozenset[str]:
    """The scripts a text's letters are written in, as Unicode names them (LATIN, CJK,
    KATAKANA, CYRILLIC ...)."""
    return frozenset(unicodedata.name(ch, "UNKNOWN").split(" ")[0] for ch in text if ch.isalpha())


def _keyed(records: list[Record], name: str, rep: Report) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for n, r in enumerate(records, start=1):
        k = r.get("key")
        if not k or not isinstance(k, str):
            rep.err(f"{name} record {n}: no key")
            continue
        if k in out:
            rep.err(f"{name}: key {k!r} appears twice")
        out[k] = r
    return out


def _check_fields(
    record: Record, fields: tuple[str, ...], where: str, rep: Report, name: str = ""
) -> None:
    optional = OPTIONAL.get(name, frozenset())
    for f in fields:
        if f not in record and f not in optional:
            rep.err(f"{where}: no field {f!r}")
    for f in record:
        if f not in fields:
            rep.err(f"{where}: unknown field {f!r}")
    for f, part_fields in PARTS.items():
        if f in fields and f in record:
            parts = record[f]
            if not isinstance(parts, list):
                rep.err(f"{where}: {f} is not a list")
                continue
            for n, p in enumerate(parts, start=1):
                if isinstance(p, dict):
                    _check_fields(p, part_fields, f"{where} {f} {n}", rep, f)
                else:
                    rep.err(f"{where} {f} {n}: not an object")


def _check_layout(db: Db, rep: Report) -> None:
    """Each file is exactly what `format` would write."""
    for name, records in db.data.items():
        if name in db.unreadable:
            continue
        for n, r in enumerate(records, start=1):
            where = f"{name} {r['key']!r}" if "key" in r else f"{name} record {n}"
            _check_fields(r, FIELDS[name], where, rep, name)
        try:
            ordered = canonical(name, records)
        except Refused as exc:
            if name != "events.json":  # a start that is no date is reported with its event
                rep.errors.extend(exc.lines)
            continue
        fix = "; run format"
        if dump(records) != db.raw[name]:
            rep.err(f"{name}: not in the canonical layout (indent 2, final newline, …){fix}")
        elif dump([_ordered(r, FIELDS[name]) for r in records]) != db.raw[name]:
            rep.err(f"{name}: fields are not in the canonical order{fix}")
        elif dump(ordered) != db.raw[name]:
            rep.err(f"{name}: records are not in the canonical order ({SORTS[name][0]}){fix}")
    if "countries.csv" in db.raw and countries_text(db.countries) != db.raw["countries.csv"]:
        rep.err("countries.csv: not in the canonical layout (header, rows by code); run format")


def check(folder: Path, seeds: Path) -> Report:
    """Check the curated text in `folder` on its own, without building a store.

    Checks: every file loads and is in the canonical layout and order with exactly its fields
    (OPTIONAL ones may be left out); keys are unique; every key reference resolves (actor
    parents, countries, outlets, lanes, event actors/items/countries, quote sources and
    speakers, date sources, relations, measures and their issuers, alias sources); kinds,
    statuses, bases, phases, measure kinds, source qualities and relation and actor kinds are
    the program's, roles are ROLES; an event has a measure and a phase or neither, and every
    measure has an event; every date is a partial ISO date and no end precedes its start; every
    event has a quote; every seed's sha256 is its source's text_sha256 and each of its quotes is
    text[start:end]; quotes of other sources have null offsets; an "external" date has a
    date_source with a URL; meta.json names the data version and title. Unused records, long
    quotes, events whose only sources are secondary or copies, and aliases in another script
    than the name with neither a source nor `translated` are warnings.
    """
    rep = Report()
    db = Db(folder)
    rep.errors.extend(db.errors)
    _check_layout(db, rep)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or not meta.get("data_version") or not meta.get("title"):
            rep.err("meta.json: needs a data_version and a title")
    except (OSError, ValueError) as exc:
        rep.err(f"meta.json: {exc}")

    countries: dict[str, list[str]] = {}
    if db.countries and db.countries[0] != ["code", "name"]:
        rep.err(f"countries.csv: the header is {db.countries[0]}, not ['code', 'name']")
    for n, row in enumerate(db.countries[1:], start=2):
        if not row:
            continue  # a blank line: the layout check reports it
        code, name = [*row, ""][:2]
        if not code.strip() or not name.strip():
            rep.err(f"countries.csv line {n}: needs a code and a name")
        elif not (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()):
            rep.err(f"countries.csv line {n}: {code!r} is not a two-letter code")
        elif code in countries:
            rep.err(f"countries.csv: {code!r} appears twice")
        countries[code] = row

    actors = _keyed(db.data["actors.json"], "actors.json", rep)
    sources = _keyed(db.data["sources.json"], "sources.json", rep)
    items = _keyed(db.data["items.json"], "items.json", rep)
    measures = _keyed(db.data["measures.json"], "measures.json", rep)
    events = _keyed(db.data["events.json"], "events.json", rep)
    relations = db.data["relations.json"]
    used_countries: set[Any] = set()
    used_actors: set[Any] = set()
    used_sources: set[Any] = set()
    used_items: set[Any] = set()

    def ref(
        where: str, field: str, key: Any, table: dict[str, Any], used: set[Any], what: str
    ) -> None:
        used.add(key)
        if key not in table:
            rep.err(f"{where}: {field} {key!r} is not {what}")

    def allowed(where: str, field: str, value: Any, vocabulary: frozenset[str]) -> None:
        if value not in vocabulary:
            rep.err(f"{where}: {field} {value!r} is not one of {', '.join(sorted(vocabulary))}")

    def _check_alias(w: str, actor: Record, alias: Record) -> None:
        """An alias's source (a source key) or `translated`: one of the two, or neither; in
        another script than the actor's name with neither, a warning."""
        aw = f"{w} alias {alias['name']!r}"
        source, translated = alias.get("source"), alias.get("translated")
        if "translated" in alias and not isinstance(translated, bool):
            rep.err(f"{aw}: translated must be true or false")
        if source is not None:
            ref(aw, "source", source, sources, used_sources, "a source")
            if translated is True:
                rep.err(f"{aw}: a source writes it or it is our translation, not both")
        elif translated is not True and not scripts(alias["name"]) <= scripts(
            _text(actor.get("name"))
        ):
            rep.warn(
                f"{aw}: in another script than the name, with neither the source that writes "
                'it ("source") nor "translated": true'
            )

    for k, a in actors.items():
        w = f"actors.json {k!r}"
        allowed(w, "kind", a.get("kind"), ACTOR_KINDS)
        if not a.get("name"):
            rep.err(f"{w}: no name")
        if a.get("parent") and a["parent"] not in actors:
            rep.err(f"{w}: parent {a['parent']!r} is not an actor")
        if a.get("country"):
            ref(w, "country", a["country"], countries, used_countries, "in countries.csv")
        names = [a.get("name")]
        for al in a.get("aliases") or []:
            if not isinstance(al, dict) or not al.get("name") or not al.get("lang"):
                rep.err(f"{w}: alias without name or lang: {al!r}")
            else:
                names.append(al["name"])
                _check_alias(w, a, al)
        if len(names) != len(set(names)):
            rep.warn(f"{w}: repeated name among name and aliases")

    errors: list[str] = []
    texts = held_texts(sources.values(), seeds, errors)
    rep.errors.extend(errors)
    for k, s in sources.items():
        w = f"sources.json {k!r}"
        if not s.get("title"):
            rep.err(f"{w}: no title")
        if s.get("outlet"):
            ref(w, "outlet", s["outlet"], actors, used_actors, "an actor")
        if s.get("published"):
            try:
                _date(s["published"])
            except ValueError as exc:
                rep.err(f"{w}: published: {exc}")
        if s.get("text_sha256") and not s.get("text_file"):
            rep.err(f"{w}: text_sha256 without text_file")
        if not s.get("url") and not s.get("text_file"):
            rep.warn(f"{w}: neither a URL nor a held text")
        if "quality" in s:
            allowed(w, "quality", s["quality"], GRADES)

    for k, it in items.items():
        if not it.get("name"):
            rep.err(f"items.json {k!r}: no name")
        if it.get("tier") is not None and not isinstance(it["tier"], int):
            rep.err(f"items.json {k!r}: tier must be an integer or null")

    for k, m in measures.items():
        w = f"measures.json {k!r}"
        if not m.get("title"):
            rep.err(f"{w}: no title")
        allowed(w, "kind", m.get("kind"), MEASURE_KINDS)
        issuers = m.get("issuers")
        if not isinstance(issuers, list):
            rep.err(f"{w}: issuers is not a list of actor keys")
            issuers = []
        for actor in issuers:
            ref(w, "issuer", actor, actors, used_actors, "an actor")
        if len(issuers) != len(set(map(str, issuers))):
            rep.err(f"{w}: an issuer is listed twice")
        if not isinstance(m.get("note", ""), str):
            rep.err(f"{w}: note is not text")
    phases_of: dict[str, list[str]] = {k: [] for k in measures}

    n_quotes = n_placed = 0
    for k, e in events.items():
        w = f"events.json {k!r}"
        for field in ("title", "summary", "start", "lane_country", "lane_agency"):
            if field in e and not e[field]:  # an absent field is reported with the layout
                rep.err(f"{w}: {field!r} is empty")
        allowed(w, "kind", e.get("kind"), KINDS)
        allowed(w, "status", e.get("status"), STATUSES)
        allowed(w, "basis", e.get("basis"), BASES)
        if e.get("basis") != Basis.STATED.value and not e.get("date_note"):
            rep.err(f"{w}: a date that is not stated needs a date_note")
        if not isinstance(e.get("importance"), int) or not 1 <= e["importance"] <= 3:
            rep.err(f"{w}: importance must be 1, 2 or 3")
        try:
            first = _date(e.get("start")).first_day()
            if e.get("end") and _date(e["end"]).last_day() < first:
                rep.err(f"{w}: end {e['end']!r} is before start {e['start']!r}")
        except ValueError as exc:
            rep.err(f"{w}: date: {exc}")
        ds = e.get("date_source")
        if ds:
            ref(w, "date_source", ds, sources, used_sources, "a source")
        if e.get("basis") == Basis.EXTERNAL.value and not (
            ds in sources and sources[ds].get("url")
        ):
            rep.err(f"{w}: an external date needs a date_source with a URL")
        ref(w, "lane_country", e.get("lane_country"), countries, used_countries, "in countries.csv")
        ref(w, "lane_agency", e.get("lane_agency"), actors, used_actors, "an actor")
        seen = set()
        for c in [c for c in e.get("countries") or [] if isinstance(c, dict)]:
            ref(w, "country", c.get("code"), countries, used_countries, "in countries.csv")
            allowed(w, "country role", c.get("role"), COUNTRY_ROLES)
            if ("c", c.get("code"), c.get("role")) in seen:
                rep.err(f"{w}: country {c.get('code')!r} twice with role {c.get('role')!r}")
            seen.add(("c", c.get("code"), c.get("role")))
        for a in [a for a in e.get("actors") or [] if isinstance(a, dict)]:
            ref(w, "actor", a.get("actor"), actors, used_actors, "an actor")
            allowed(w, "actor role", a.get("role"), ACTOR_ROLES)
            if ("a", a.get("actor"), a.get("role")) in seen:
                rep.err(f"{w}: actor {a.get('actor')!r} twice with role {a.get('role')!r}")
            seen.add(("a", a.get("actor"), a.get("role")))
        measure, phase = e.get("measure"), e.get("phase")
        if phase is not None and not measure:
            rep.err(f"{w}: a phase needs a measure (the measure whose phase the event is)")
        elif measure is not None and phase is None:
            rep.err(f"{w}: measure {measure!r} needs the phase the event marks")
        if measure is not None:
            if measure not in measures:
                rep.err(f"{w}: measure {measure!r} is not a measure")
            else:
                phases_of[measure].append(k)
        if phase is not None:
            allowed(w, "phase", phase, PHASES)
        quoted = [q.get("source") for q in e.get("quotes") or [] if isinstance(q, dict)]
        grades = [sources[q].get("quality") for q in dict.fromkeys(quoted) if q in sources]
        if only_weak_sources(grades):
            rep.warn(f"{w}: its only sources are secondary or copies; cite a primary source")
        event_items = e.get("items") or []
        for it in event_items:
            ref(w, "item", it, items, used_items, "an item")
        if len(event_items) != len(set(map(str, event_items))):
            rep.err(f"{w}: an item is listed twice")
        if not e.get("quotes"):
            rep.err(f"{w}: has no quote")
        for n, qt in enumerate(e.get("quotes") or [], start=1):
            if not isinstance(qt, dict):
                continue  # reported with the fields
            n_quotes += 1
            qw = f"{w} quote {n}"
            src, text = qt.get("source"), qt.get("text")
            used_sources.add(src)
            if src not in sources:
                rep.err(f"{qw}: source {src!r} is not a source")
                continue
            if qt.get("speaker"):
                ref(qw, "speaker", qt["speaker"], actors, used_actors, "an actor")
            if not isinstance(text, str) or not text.strip():
                rep.err(f"{qw}: empty text")
                continue
            if len(text) > LONG_QUOTE:
                rep.warn(f"{qw}: {len(text)} characters; quotes should be short excerpts")
            lo, hi = qt.get("start"), qt.get("end")
            if src in texts:
                if not isinstance(lo, int) or not isinstance(hi, int) or texts[src][lo:hi] != text:
                    rep.err(f"{qw}: text[{lo}:{hi}] of {src!r} is not the quote; run place")
                n_placed += 1
            elif not sources[src].get("text_file") and (lo is not None or hi is not None):
                rep.err(f"{qw}: offsets must be null for a source without a text_file; run place")

    seen_rel = set()
    for n, r in enumerate(relations, start=1):
        w = f"relations.json record {n}"
        for end in ("from", "to"):
            if r.get(end) not in events:
                rep.err(f"{w}: {end} {r.get(end)!r} is not an event")
        allowed(w, "kind", r.get("kind"), RELATION_KINDS)
        if r.get("from") == r.get("to"):
            rep.err(f"{w}: links an event to itself")
        link = (r.get("from"), r.get("to"), r.get("kind"))
        if link in seen_rel:
            rep.err(f"{w}: repeats {link}")
        seen_rel.add(link)

    for k, keys in phases_of.items():
        if not keys:
            rep.err(f"measures.json {k!r}: no event is a phase of it")

    parents = {a.get("parent") for a in actors.values()}
    for k in actors:
        if k not in used_actors and k not in parents:
            rep.warn(f"actors.json {k!r}: not used by any event, source or actor")
    for k in sources:
        if k not in used_sources:
            rep.warn(f"sources.json {k!r}: not cited by any event")
    for k in items:
        if k not in used_items:
            rep.warn(f"items.json {k!r}: not linked to any event")
    for code in countries:
        if code not in used_countries:
            rep.warn(f"countries.csv {code!r}: not used")
    rep.counts = {
        "events": len(events),
        "quotes": n_quotes,
        "quotes of seed texts": n_placed,
        "sources": len(sources),
        "actors": len(actors),
        "items": len(items),
        "measures": len(measures),
        "relations": len(relations),
    }
    return rep


# --------------------------------------------------------------------------------------------
# command line


def _run_check(args: argparse.Namespace) -> int:
    rep = check(args.db, args.seeds)
    for w in rep.warnings:
        print(f"warning: {w}")
    for e in rep.errors:
        print(f"error: {e}")
    print(", ".join(f"{n} {what}" for what, n in rep.counts.items()))
    print(f"{len(rep.errors)} errors, {len(rep.warnings)} warnings")
    return 1 if rep.errors else 0


def _run_place(args: argparse.Namespace) -> int:
    changes = place_quotes(args.db, args.seeds)
    for line in changes:
        print(f"placed {line}")
    print(f"{len(changes)} quotes placed anew" if changes else "every quote is in place")
    return 0


def _run_format(args: argparse.Namespace) -> int:
    changed = format_db(args.db)
    for name in changed:
        print(f"reformatted {name}")
    print(f"{len(changed)} files reformatted" if changed else "every file is canonical")
    return 0


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", type=Path, default=ROOT / "db", metavar="DIR", help="the curated text (db/)"
    )
    common.add_argument(
        "--seeds",
        type=Path,
        default=ROOT.parent / "shared" / "seeds",
        metavar="DIR",
        help="the seed texts (../shared/seeds)",
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, run, summary in (
        ("check", _run_check, "check everything; exit 1 on an error"),
        ("place", _run_place, "set seed quotes' offsets from the seed texts"),
        ("format", _run_format, "rewrite the files in the canonical layout and order"),
    ):
        sub.add_parser(name, parents=[common], help=summary).set_defaults(run=run)
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except Refused as exc:
        for line in exc.lines:
            print(f"error: {line}")
        print(f"{len(exc.lines)} errors; nothing written")
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
