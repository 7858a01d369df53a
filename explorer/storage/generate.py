"""Synthetic stores for benchmarks and tests: ``explorer generate --events N -o PATH``.

The events are invented and say so (meta ``origin = synthetic``, titles numbered, one source named
"Synthetic data"); they only need to look like the real thing to the code that draws and filters:
activity growing over the decades with bursts (a new rule and the answers to it within weeks) and
quiet years, a dozen countries and agencies with uneven shares, periods (rules in force for months
or years), dates known only to the month, quarter or year, and relations to earlier events.

Fast enough for a million events in well under two minutes on two cores: rows are generated in
start-day order, inserted with executemany into a temporary file with journalling and syncing
off, indexes are made after the rows are in, and the file is renamed into place at the end, so a
failed or interrupted run never leaves a half-written store at the target path.
"""

from __future__ import annotations

import calendar
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

from explorer.storage import densities, schema

FIRST_YEAR = 1990
LAST_YEAR = 2025
QUIET_YEARS = (1994, 2003, 2011)  # years with little activity, as real timelines have

# (code, name, share of events)
COUNTRIES = (
    ("US", "United States", 30),
    ("CN", "China", 28),
    ("JP", "Japan", 8),
    ("NL", "Netherlands", 6),
    ("KR", "South Korea", 6),
    ("TW", "Taiwan", 5),
    ("DE", "Germany", 4),
    ("GB", "United Kingdom", 4),
    ("EU", "European Union", 4),
    ("IN", "India", 2),
    ("RU", "Russia", 2),
    ("FR", "France", 1),
)
# (key, name, country, kind)
AGENCIES = (
    ("bis", "Bureau of Industry and Security", "US", "agency"),
    ("ofac", "Office of Foreign Assets Control", "US", "agency"),
    ("us-state", "US Department of State", "US", "ministry"),
    ("mofcom", "Ministry of Commerce", "CN", "ministry"),
    ("gac", "General Administration of Customs", "CN", "agency"),
    ("cn-mfa", "Ministry of Foreign Affairs of China", "CN", "ministry"),
    ("meti", "Ministry of Economy, Trade and Industry", "JP", "ministry"),
    ("nl-mfa", "Ministry of Foreign Affairs of the Netherlands", "NL", "ministry"),
    ("motie", "Ministry of Trade, Industry and Energy", "KR", "ministry"),
    ("tw-moea", "Ministry of Economic Affairs", "TW", "ministry"),
    ("bafa", "Federal Office for Economic Affairs and Export Control", "DE", "agency"),
    ("ecju", "Export Control Joint Unit", "GB", "agency"),
    ("eu-commission", "European Commission", "EU", "government"),
    ("dgft", "Directorate General of Foreign Trade", "IN", "agency"),
    ("fstec", "Federal Service for Technical and Export Control", "RU", "agency"),
    ("sbdu", "Service des biens à double usage", "FR", "agency"),
)
# (kind, status, share, title pattern)
KINDS = (
    ("sanction_listing", "in_force", 30, "{agency} lists {n} entities"),
    ("announcement", "announced", 22, "{agency} announces controls on {item}"),
    ("rule_in_force", "in_force", 14, "Controls on {item} take effect"),
    ("statement", "reported", 14, "{agency} comments on {item} controls"),
    ("proposal", "proposed", 8, "{agency} proposes controls on {item}"),
    ("statistic", "reported", 7, "{item} exports reported"),
    ("report", "reported", 5, "Report on {item} controls"),
)
ITEMS = (
    "gallium",
    "germanium",
    "graphite",
    "rare earths",
    "drones",
    "lithography tools",
    "advanced chips",
    "supercomputers",
    "AI models",
    "aerospace parts",
    "batteries",
    "antimony",
    "quantum computing",
    "machine tools",
    "encryption",
    "satellites",
)
RELATION_KINDS = ("responds_to", "implements", "takes_effect", "reports_on", "amends", "cites")


@dataclass(frozen=True)
class GenerateResult:
    path: Path
    events: int
    relations: int
    seconds: float


def _weighted(rng: random.Random, table: tuple[tuple[object, ...], ...], share: int) -> list[int]:
    """Cumulative weights for rng.choices."""
    total = 0
    out = []
    for row in table:
        total += int(row[share])  # type: ignore[call-overload]
        out.append(total)
    return out


def _start_days(rng: random.Random, n: int) -> list[int]:
    """N start days: growth over the decades, quiet years, and bursts of activity."""
    first = date(FIRST_YEAR, 1, 1).toordinal()
    last = date(LAST_YEAR, 12, 31).toordinal()
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    # activity grows roughly fourfold per decade; quiet years keep a twentieth of it
    weights = [(1.15 ** (y - FIRST_YEAR)) * (0.05 if y in QUIET_YEARS else 1.0) for y in years]
    n_burst = n * 35 // 100
    n_base = n - n_burst
    cum = list(_accumulate(weights))
    days: list[int] = []
    chosen = rng.choices(years, cum_weights=cum, k=n_base)
    for y in chosen:
        y0 = date(y, 1, 1).toordinal()
        days.append(y0 + rng.randrange(366 if calendar.isleap(y) else 365))
    # bursts: a cluster of events within weeks of a trigger, more of them in recent years
    n_bursts = 40
    centres = sorted(
        date(y, 1, 1).toordinal() + rng.randrange(365)
        for y in rng.choices([y for y in years if y not in QUIET_YEARS], k=n_bursts)
    )
    sizes = [rng.paretovariate(1.2) for _ in centres]
    total = sum(sizes)
    for c, s in zip(centres, sizes, strict=True):
        k = int(n_burst * s / total)
        spread = rng.choice((3.0, 10.0, 30.0))
        days.extend(int(rng.gauss(c, spread)) for _ in range(k))
    while len(days) < n:
        days.append(rng.randint(first, last))
    days = [min(max(d, first), last) for d in days[:n]]
    days.sort()
    return days


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def _span(rng: random.Random, start: int, kind: str) -> tuple[str, str | None, int, int, str, str]:
    """(start text, end text, start day, end day, precision, end precision) for an event."""
    d = date.fromordinal(start)
    r = rng.random()
    if r < 0.08:  # known to the month: a band over the month
        first = date(d.year, d.month, 1)
        last = date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
        return f"{d.year:04d}-{d.month:02d}", None, first.toordinal(), last.toordinal(), "month", ""
    if r < 0.086:  # to the quarter
        q = (d.month - 1) // 3 + 1
        first = date(d.year, 3 * q - 2, 1)
        last = date(d.year, 3 * q, calendar.monthrange(d.year, 3 * q)[1])
        return f"{d.year:04d}-Q{q}", None, first.toordinal(), last.toordinal(), "quarter", ""
    if r < 0.092:  # to the year
        first, last = date(d.year, 1, 1), date(d.year, 12, 31)
        return str(d.year), None, first.toordinal(), last.toordinal(), "year", ""
    iso = d.isoformat()
    if kind == "rule_in_force" and rng.random() < 0.12:  # a period: in force for a while
        end = min(start + int(rng.expovariate(1 / 300)) + 30, date(LAST_YEAR, 12, 31).toordinal())
        end = min(end, start + 5 * 365)
        return iso, date.fromordinal(end).isoformat(), start, end, "day", "day"
    return iso, None, start, start, "day", ""


def generate(
    out: Path,
    n: int,
    *,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> GenerateResult:
    """Write a synthetic store of ``n`` events to ``out`` (replacing it only when complete)."""
    if n < 0:
        raise ValueError("the number of events cannot be negative")
    t0 = time.perf_counter()
    say = progress or (lambda _msg: None)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        relations = _write(tmp, n, seed, say)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return GenerateResult(out, n, relations, time.perf_counter() - t0)


def _write(path: Path, n: int, seed: int, say: Callable[[str], None]) -> int:
    rng = random.Random(seed)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    db = sqlite_utils.Database(conn)
    schema.create(db)
    # Every value comes from the fixed tables above, valid by construction: checking each row's
    # CHECK constraints and references would triple the time of a million-row insert.
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    # Indexes slow bulk inserts down; they are made again once the rows are in.
    index_sql = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('events', 'event_actors', 'event_countries', 'event_items', "
            "'relations')"
        )
    ]
    index_names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('events', 'event_actors', 'event_countries', 'event_items', "
            "'relations')"
        )
    ]
    conn.execute("BEGIN")
    for name in index_names:
        conn.execute(f"DROP INDEX {name}")
    conn.executemany("INSERT INTO countries (code, name) VALUES (?, ?)", [c[:2] for c in COUNTRIES])
    agency_ids = {}
    for i, (key, name, country, kind) in enumerate(AGENCIES, start=1):
        conn.execute(
            "INSERT INTO actors (id, key, name, kind, country) VALUES (?, ?, ?, ?, ?)",
            (i, key, name, kind, country),
        )
        agency_ids[key] = i
    conn.executemany(
        "INSERT INTO items (id, key, name, list_name) VALUES (?, ?, ?, ?)",
        [(i, it.replace(" ", "-"), it, "synthetic") for i, it in enumerate(ITEMS, start=1)],
    )
    conn.execute(
        "INSERT INTO sources (id, key, title, language, note) VALUES (1, 'synthetic', "
        "'Synthetic data (explorer generate)', 'en', 'Invented events for benchmarks and tests')"
    )
    say("dates")
    days = _start_days(rng, n)
    by_country: dict[str, list[tuple[str, str, str, str]]] = {}
    for key, name, country, _ in AGENCIES:
        short = "".join(w[0] for w in name.split() if w[0].isupper()) or key.upper()
        by_country.setdefault(country, []).append((key, name, country, short))
    country_codes = [c[0] for c in COUNTRIES]
    country_cum = _weighted(rng, COUNTRIES, 2)
    kind_cum = _weighted(rng, KINDS, 2)
    say("events")
    chunk = 50_000
    next_event_rows: list[tuple[object, ...]] = []
    ea_rows: list[tuple[int, int, str]] = []
    ec_rows: list[tuple[int, str, str]] = []
    ei_rows: list[tuple[int, int]] = []
    rel_rows: list[tuple[int, int, str, str]] = []
    n_rel = 0
    countries_k = rng.choices(country_codes, cum_weights=country_cum, k=n)
    kinds_k = rng.choices(range(len(KINDS)), cum_weights=kind_cum, k=n)
    insert_event = (
        'INSERT INTO events (id, key, title, summary, kind, status, start, "end", start_day, '
        "end_day, precision, end_precision, basis, date_note, date_source_id, lane_country, "
        "lane_agency, topic, importance) VALUES "
        "(?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, 'external', '', 1, ?, ?, ?, ?)"
    )
    spans = [_span(rng, days[i], KINDS[kinds_k[i]][0]) for i in range(n)]
    # A month, quarter or year band starts on its first day, before the day drawn for it: sort
    # again so that ids follow start days, as every store's rows do.
    order = sorted(range(n), key=lambda i: spans[i][2])
    del days
    for eid, i in enumerate(order, start=1):
        country = countries_k[i]
        agency_key, _, _, short = rng.choice(by_country[country])
        kind, status, _, pattern = KINDS[kinds_k[i]]
        item_no = rng.randrange(len(ITEMS))
        item = ITEMS[item_no]
        title = pattern.format(agency=short, item=item, n=rng.randint(2, 140))
        start, end, sday, eday, prec, eprec = spans[i]
        next_event_rows.append(
            (
                eid,
                f"gen-{eid:07d}",
                title,
                kind,
                status,
                start,
                end,
                sday,
                eday,
                prec,
                eprec or None,
                country,
                agency_key,
                item.replace(" ", "-"),
                1 + (rng.random() < 0.1) + (rng.random() < 0.02),
            )
        )
        ea_rows.append((eid, agency_ids[agency_key], "issuer"))
        ec_rows.append((eid, country, "issuer"))
        if kind == "sanction_listing":
            target = "CN" if country != "CN" else "US"
            ec_rows.append((eid, target, "target"))
        if rng.random() < 0.3:
            ei_rows.append((eid, item_no + 1))
        if eid > 1 and rng.random() < 0.03:
            back = min(eid - 1, int(rng.expovariate(1 / 2000)) + 1)
            rel_rows.append((eid, eid - back, rng.choice(RELATION_KINDS), ""))
        if len(next_event_rows) >= chunk:
            _flush(conn, insert_event, next_event_rows, ea_rows, ec_rows, ei_rows, rel_rows)
            n_rel += len(rel_rows)
            next_event_rows, ea_rows, ec_rows, ei_rows, rel_rows = [], [], [], [], []
    _flush(conn, insert_event, next_event_rows, ea_rows, ec_rows, ei_rows, rel_rows)
    n_rel += len(rel_rows)
    say("indexes")
    for sql in index_sql:
        conn.execute(sql)
    say("densities")
    densities.rebuild(conn)
    # Titles only: the item names are in them, and a trigram index over a million rows costs
    # about 25 µs per title on this machine.
    say("full text")
    conn.execute(
        "INSERT INTO events_fts (rowid, title, summary, quotes, names, items) "
        "SELECT id, title, '', '', '', '' FROM events"
    )
    meta = {
        "data_version": f"synthetic-{n}-seed{seed}",
        "title": f"Synthetic timeline ({n:,} events)",
        "origin": "synthetic",
        "events": str(n),
        "quotes": "0",
        "sources": "1",
        "countries": str(len(COUNTRIES)),
        "generator_seed": str(seed),
    }
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(meta.items()))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return n_rel


def _flush(
    conn: sqlite3.Connection,
    insert_event: str,
    events: list[tuple[object, ...]],
    ea: list[tuple[int, int, str]],
    ec: list[tuple[int, str, str]],
    ei: list[tuple[int, int]],
    rel: list[tuple[int, int, str, str]],
) -> None:
    conn.executemany(insert_event, events)
    conn.executemany("INSERT INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)", ea)
    conn.executemany("INSERT INTO event_countries (event_id, country, role) VALUES (?, ?, ?)", ec)
    conn.executemany("INSERT INTO event_items (event_id, item_id) VALUES (?, ?)", ei)
    conn.executemany(
        "INSERT OR IGNORE INTO relations (from_id, to_id, kind, note) VALUES (?, ?, ?, ?)", rel
    )
