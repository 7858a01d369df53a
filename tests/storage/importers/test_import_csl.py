"""The Consolidated Screening List: older layout (US dates) and newer layout (ISO dates)."""

from __future__ import annotations

from pathlib import Path

from explorer.storage.importers import import_file
from explorer.storage.importers.detect import detect_format


def test_older_layout_is_detected_and_reads_us_dates(fx: Path, store: Path, q) -> None:
    assert detect_format(fx / "csl_old.csv")[0] == "csl"
    result = import_file(fx / "csl_old.csv", store)
    assert (result.rows, result.imported, result.events_added) == (4, 4, 2)
    assert result.date_forms == {"us": 4}
    rows = q(
        "SELECT start, precision, basis, lane_country, lane_agency, title FROM events "
        "ORDER BY start"
    )
    assert rows[0][:5] == ("2015-08-28", "day", "external", "US", "us-state-isn")
    # 6/28/2016 is 28 June (declared US order), with its three entities grouped in one event
    assert rows[1][0] == "2016-06-28"
    assert rows[1][5] == (
        "State Department (ISN) adds 3 entities (China) to Nonproliferation Sanctions (ISN) "
        "under INKSNA"
    )


def test_older_layout_keeps_citation_quote_and_unknown_country(fx: Path, store: Path, q) -> None:
    import_file(fx / "csl_old.csv", store)
    (event_id, note, line) = q(
        "SELECT id, date_note, source_line FROM events WHERE start = '2016-06-28'"
    )[0]
    assert "'Effective Date'" in note and "csl_old.csv" in note and "6/28/2016" in note
    assert line == 2
    title, url = q(
        "SELECT s.title, s.url FROM events e JOIN sources s ON s.id = e.date_source_id "
        "WHERE e.id = ?",
        event_id,
    )[0]
    assert title == "Federal Register: Vol. 81, No. 128, 07/05/16"
    assert url == "https://example.org/isn/list"
    # the quote is the exact text of the event's first entity line in the file
    first_line = (fx / "csl_old.csv").read_text(encoding="utf-8").splitlines()[1]
    assert q("SELECT text FROM quotes WHERE event_id = ?", event_id) == [(first_line,)]
    # "CHina" is China; "Kong Kong" is no country: kept as written, stored under XX
    countries = set(q("SELECT country, role FROM event_countries WHERE event_id = ?", event_id))
    assert countries == {("US", "issuer"), ("CN", "target"), ("XX", "target")}
    assert "'Kong Kong' as written" in q("SELECT summary FROM events WHERE id = ?", event_id)[0][0]


def test_aliases_are_searchable(fx: Path, store: Path, q) -> None:
    import_file(fx / "csl_old.csv", store)
    hits = q("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", '"Alpha Trading"')
    assert len(hits) == 1


def test_newer_layout_reads_addresses_and_several_programs(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "csl_new.csv", store)
    assert result.layout.startswith("CSL, newer layout")
    assert result.errors == [] and result.imported == 3
    el = q("SELECT id, title, lane_agency FROM events WHERE start = '2020-12-22'")
    assert len(el) == 1
    assert el[0][1] == "BIS adds 2 entities (China and Hong Kong) to Entity List (EL)"
    assert el[0][2] == "bis"
    # one SDN person under "SDGT; IFSR": in both programs' events, one item
    sdn = q("SELECT title FROM events WHERE start = '2019-05-01' ORDER BY title")
    assert [t for (t,) in sdn] == [
        "OFAC adds 1 person to Specially Designated Nationals (SDN) under IFSR",
        "OFAC adds 1 person to Specially Designated Nationals (SDN) under SDGT",
    ]
    assert q("SELECT count(*) FROM items WHERE name = 'EXAMPLE, Person'") == [(1,)]
    # a Chinese alias is found by a part of it
    hits = q("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", '"半导体"')
    assert hits == [(el[0][0],)]
