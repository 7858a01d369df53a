"""Check the curated text in db/ on its own, without building a store.

Run from anywhere: `python scripts/curation/verify.py [--db DIR] [--seeds DIR]`. Prints every
problem found and exits 1 if there is one; warnings (unused records, long quotes) do not fail.

Checks: every file loads and is a list; keys are unique; every key reference resolves (actor
parents, countries, outlets, lanes, event actors/items/countries, quote sources and speakers, date
sources, relations); kinds, statuses, bases and roles are from db/README.md; every date parses as
YYYY, YYYY-MM, YYYY-MM-DD (or YYYY-Qn, which the store also accepts) and no end precedes its start;
every event has at least one quote; every seed quote equals text[start:end] of its seed, whose
sha256 matches sources.json; quotes of other sources have null offsets; every event dated
"external" has a date_source with a URL; events are sorted by start date then key; the JSON files
are in the canonical layout (UTF-8, ensure_ascii=False, indent 2).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import json
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KINDS = {
    "announcement",
    "rule_in_force",
    "sanction_listing",
    "proposal",
    "statement",
    "statistic",
    "report",
}
STATUSES = {"proposed", "announced", "in_force", "revoked", "reported"}
BASES = {"stated", "inferred", "external"}
ACTOR_KINDS = {
    "government",
    "ministry",
    "agency",
    "military",
    "academy",
    "institute",
    "university",
    "journal",
    "outlet",
    "person",
    "company",
    "legislature",
}
COUNTRY_ROLES = {"issuer", "target", "affected"}
ACTOR_ROLES = {"issuer", "target", "commentator", "author", "reporter", "publisher"}
RELATION_KINDS = {"responds_to", "implements", "takes_effect", "amends", "reports_on", "cites"}
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4]))?$")
LONG_QUOTE = 320


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def span(text: str) -> tuple[date, date]:
    """First and last day a partial date stands for; ValueError if it is not one."""
    m = DATE_RE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn")
    y, mo, d, qn = m.groups()
    year = int(y)
    if qn:
        first_month, last_month = 3 * int(qn) - 2, 3 * int(qn)
        return date(year, first_month, 1), date(
            year, last_month, calendar.monthrange(year, last_month)[1]
        )
    if d:
        day = date(year, int(mo), int(d))
        return day, day
    if mo:
        month = int(mo)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def load(path: Path, rep: Report) -> list[dict]:
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
    except FileNotFoundError:
        rep.err(f"{path.name}: missing")
        return []
    except json.JSONDecodeError as exc:
        rep.err(f"{path.name}: line {exc.lineno}: {exc.msg}")
        return []
    if not isinstance(data, list):
        rep.err(f"{path.name}: top level is not a list")
        return []
    canonical = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if raw != canonical:
        rep.err(
            f"{path.name}: not in the canonical layout (ensure_ascii=False, indent=2, "
            "trailing newline)"
        )
    return data


def keyed(records: list[dict], name: str, rep: Report, field: str = "key") -> dict[str, dict]:
    out: dict[str, dict] = {}
    for n, r in enumerate(records, start=1):
        k = r.get(field)
        if not k:
            rep.err(f"{name} record {n}: no {field!r}")
            continue
        if k in out:
            rep.err(f"{name}: key {k!r} appears twice")
        out[k] = r
    return out


def check(db: Path, seeds: Path) -> Report:
    rep = Report()
    with (db / "countries.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    countries = {}
    for n, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not code or not (row.get("name") or "").strip():
            rep.err(f"countries.csv line {n}: needs a code and a name")
        elif not (re.fullmatch(r"[A-Z]{2}", code)):
            rep.err(f"countries.csv line {n}: {code!r} is not a two-letter code")
        elif code in countries:
            rep.err(f"countries.csv: {code!r} appears twice")
        countries[code] = row

    actors = keyed(load(db / "actors.json", rep), "actors.json", rep)
    sources = keyed(load(db / "sources.json", rep), "sources.json", rep)
    items = keyed(load(db / "items.json", rep), "items.json", rep)
    event_list = load(db / "events.json", rep)
    events = keyed(event_list, "events.json", rep)
    relations = load(db / "relations.json", rep)

    used_countries: set[str] = set()
    used_actors: set[str] = set()
    used_sources: set[str] = set()
    used_items: set[str] = set()

    for k, a in actors.items():
        w = f"actors.json {k!r}"
        if a.get("kind") not in ACTOR_KINDS:
            rep.err(f"{w}: kind {a.get('kind')!r} is not allowed")
        if not a.get("name"):
            rep.err(f"{w}: no name")
        if a.get("parent") and a["parent"] not in actors:
            rep.err(f"{w}: parent {a['parent']!r} is not an actor")
        if a.get("country"):
            used_countries.add(a["country"])
            if a["country"] not in countries:
                rep.err(f"{w}: country {a['country']!r} is not in countries.csv")
        names = [a.get("name")]
        for al in a.get("aliases", []):
            if not al.get("name") or not al.get("lang"):
                rep.err(f"{w}: alias without name or lang: {al!r}")
            names.append(al.get("name"))
        if len(names) != len(set(names)):
            rep.warn(f"{w}: repeated name among name and aliases")

    position = {k: n for n, k in enumerate(actors)}
    for k, a in actors.items():
        if a.get("parent") in position and position[a["parent"]] > position[k]:
            rep.err(
                f"actors.json {k!r}: listed before its parent {a['parent']!r} "
                "(the store's builder inserts actors in file order)"
            )

    texts: dict[str, str] = {}
    for k, s in sources.items():
        w = f"sources.json {k!r}"
        if not s.get("title"):
            rep.err(f"{w}: no title")
        if s.get("outlet"):
            if s["outlet"] not in actors:
                rep.err(f"{w}: outlet {s['outlet']!r} is not an actor")
            used_actors.add(s["outlet"])
        if s.get("published"):
            try:
                span(s["published"])
            except ValueError as exc:
                rep.err(f"{w}: published: {exc}")
        if s.get("text_file"):
            path = seeds / s["text_file"]
            if not path.is_file():
                rep.err(f"{w}: text_file {path} not found")
                continue
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != s.get("text_sha256"):
                rep.err(f"{w}: sha256 of {path.name} differs from text_sha256")
            texts[k] = path.read_text(encoding="utf-8")
        elif s.get("text_sha256"):
            rep.err(f"{w}: text_sha256 without text_file")
        if not s.get("url") and not s.get("text_file"):
            rep.warn(f"{w}: neither a URL nor a held text")

    for k, it in items.items():
        if not it.get("name"):
            rep.err(f"items.json {k!r}: no name")
        if it.get("tier") is not None and not isinstance(it["tier"], int):
            rep.err(f"items.json {k!r}: tier must be an integer or null")

    order = []
    for k, e in events.items():
        w = f"events.json {k!r}"
        for field in (
            "title",
            "summary",
            "kind",
            "status",
            "start",
            "basis",
            "lane_country",
            "lane_agency",
        ):
            if not e.get(field):
                rep.err(f"{w}: {field!r} is missing")
        if e.get("kind") not in KINDS:
            rep.err(f"{w}: kind {e.get('kind')!r} is not allowed")
        if e.get("status") not in STATUSES:
            rep.err(f"{w}: status {e.get('status')!r} is not allowed")
        if e.get("basis") not in BASES:
            rep.err(f"{w}: basis {e.get('basis')!r} is not allowed")
        if e.get("basis") != "stated" and not e.get("date_note"):
            rep.err(f"{w}: a date that is not stated needs a date_note")
        if not isinstance(e.get("importance"), int) or not 1 <= e["importance"] <= 3:
            rep.err(f"{w}: importance must be 1, 2 or 3")
        try:
            first, _ = span(e.get("start") or "")
            order.append((first, k))
            if e.get("end"):
                _, end_last = span(e["end"])
                if end_last < first:
                    rep.err(f"{w}: end {e['end']!r} is before start {e['start']!r}")
        except ValueError as exc:
            rep.err(f"{w}: date: {exc}")
        ds = e.get("date_source")
        if ds:
            if ds not in sources:
                rep.err(f"{w}: date_source {ds!r} is not a source")
            used_sources.add(ds)
        if e.get("basis") == "external" and (
            not ds or ds not in sources or not sources[ds].get("url")
        ):
            rep.err(f"{w}: an external date needs a date_source with a URL")
        lc = e.get("lane_country")
        used_countries.add(lc)
        if lc not in countries:
            rep.err(f"{w}: lane_country {lc!r} is not in countries.csv")
        la = e.get("lane_agency")
        used_actors.add(la)
        if la not in actors:
            rep.err(f"{w}: lane_agency {la!r} is not an actor")
        seen = set()
        for c in e.get("countries", []):
            used_countries.add(c.get("code"))
            if c.get("code") not in countries:
                rep.err(f"{w}: country {c.get('code')!r} is not in countries.csv")
            if c.get("role") not in COUNTRY_ROLES:
                rep.err(f"{w}: country role {c.get('role')!r} is not allowed")
            pair = ("c", c.get("code"), c.get("role"))
            if pair in seen:
                rep.err(f"{w}: country {c.get('code')!r} twice with role {c.get('role')!r}")
            seen.add(pair)
        for a in e.get("actors", []):
            used_actors.add(a.get("actor"))
            if a.get("actor") not in actors:
                rep.err(f"{w}: actor {a.get('actor')!r} is not an actor")
            if a.get("role") not in ACTOR_ROLES:
                rep.err(f"{w}: actor role {a.get('role')!r} is not allowed")
            pair = ("a", a.get("actor"), a.get("role"))
            if pair in seen:
                rep.err(f"{w}: actor {a.get('actor')!r} twice with role {a.get('role')!r}")
            seen.add(pair)
        for it in e.get("items", []):
            used_items.add(it)
            if it not in items:
                rep.err(f"{w}: item {it!r} is not an item")
        if len(e.get("items", [])) != len(set(e.get("items", []))):
            rep.err(f"{w}: an item is listed twice")
        quotes = e.get("quotes", [])
        if not quotes:
            rep.err(f"{w}: has no quote")
        for n, qt in enumerate(quotes, start=1):
            qw = f"{w} quote {n}"
            src, text = qt.get("source"), qt.get("text") or ""
            used_sources.add(src)
            if src not in sources:
                rep.err(f"{qw}: source {src!r} is not a source")
                continue
            if qt.get("speaker"):
                used_actors.add(qt["speaker"])
                if qt["speaker"] not in actors:
                    rep.err(f"{qw}: speaker {qt['speaker']!r} is not an actor")
            if not text.strip():
                rep.err(f"{qw}: empty text")
            if len(text) > LONG_QUOTE:
                rep.warn(f"{qw}: {len(text)} characters; quotes should be short excerpts")
            if src in texts:
                s, t = qt.get("start"), qt.get("end")
                if not isinstance(s, int) or not isinstance(t, int):
                    rep.err(f"{qw}: a quote of a held text needs integer offsets")
                elif texts[src][s:t] != text:
                    rep.err(f"{qw}: text[{s}:{t}] of {src!r} is not the quote {text[:40]!r}…")
            elif qt.get("start") is not None or qt.get("end") is not None:
                rep.err(f"{qw}: offsets must be null for a source without a held text")

    keys_in_file = [e.get("key") for e in event_list]
    if keys_in_file != [k for _, k in sorted(order)]:
        rep.err("events.json: events are not sorted by start date, then key")

    seen_rel = set()
    for n, r in enumerate(relations, start=1):
        w = f"relations.json record {n}"
        for end in ("from", "to"):
            if r.get(end) not in events:
                rep.err(f"{w}: {end} {r.get(end)!r} is not an event")
        if r.get("kind") not in RELATION_KINDS:
            rep.err(f"{w}: kind {r.get('kind')!r} is not allowed")
        if r.get("from") == r.get("to"):
            rep.err(f"{w}: links an event to itself")
        t = (r.get("from"), r.get("to"), r.get("kind"))
        if t in seen_rel:
            rep.err(f"{w}: repeats {t}")
        seen_rel.add(t)

    for k in actors:
        if k not in used_actors and not any(a.get("parent") == k for a in actors.values()):
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
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "db")
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = ap.parse_args(argv)
    rep = check(args.db, args.seeds)
    for w in rep.warnings:
        print(f"warning: {w}")
    for e in rep.errors:
        print(f"error: {e}")
    print(f"{len(rep.errors)} errors, {len(rep.warnings)} warnings")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
