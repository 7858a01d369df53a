"""OpenSanctions dataset CSVs: each header is its own layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.storage.importers import import_file
from explorer.storage.importers.detect import detect_format


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("os_cn_sanctions.csv", "cn_sanctions"),
        ("os_eu_annex.csv", "EU regulation"),
        ("os_bis_mieu.csv", "single list"),
        ("os_dod_1260h.csv", "1260h"),
        ("os_ndaa_1286.csv", "1286"),
        ("os_fcc_covered.csv", "Covered List"),
        ("os_fr_notices.csv", "Federal Register"),
    ],
)
def test_each_layout_is_detected_by_its_header(fx: Path, name: str, layout: str) -> None:
    fmt, found = detect_format(fx / name)
    assert fmt == "opensanctions" and layout in found


def test_china_lists_day_first_two_digit_years_and_undated(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "os_cn_sanctions.csv", store)
    assert (result.rows, result.imported, result.undated) == (6, 5, 1)
    assert result.date_forms == {"day-first": 4, "day-first, two-digit year": 1}
    # the undated row is not an error: it is listed as skipped, with the line and column
    assert [(s.line, s.reason.split(":")[0]) for s in result.skipped] == [
        (6, "no date (column 'Date' is empty)")
    ]
    rows = dict(q("SELECT start, title FROM events"))
    # "US" in one row and "United States" in the next are one country
    assert rows["2025-01-02"] == (
        "MOFCOM adds 3 entities (United States and Japan) to List of Export Controls"
    )
    # 13.07.20 is 13 July 2020 (two-digit year pivot)
    assert rows["2020-07-13"] == "MFA lists 1 person (United States): countermeasures"
    assert rows["2024-10-10"] == (
        "MOFCOM adds 1 entity (United States) to Unreliable Entity List (UEL)"
    )
    # an End date is an event of its own: the listing ends
    assert rows["2026-04-24"].startswith("MOFCOM: listing ends for 1 entity")
    assert q("SELECT DISTINCT lane_country FROM events") == [("CN",)]
    two_digit = q("SELECT date_note FROM events WHERE start = '2020-07-13'")[0][0]
    assert "two-digit year 20 -> 2020" in two_digit


def test_china_lists_chinese_names_are_searchable(fx: Path, store: Path, q) -> None:
    import_file(fx / "os_cn_sanctions.csv", store)
    (event_id,) = q("SELECT id FROM events WHERE start = '2025-01-02'")[0]
    assert q("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", '"无人机"') == [(event_id,)]
    # the agency's Chinese name is searchable too
    assert (event_id,) in q("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", '"商务部"')


def test_eu_annex_mixed_date_forms_and_undated(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "os_eu_annex.csv", store)
    assert result.date_forms == {"day-first": 2, "day month-name year": 1}
    assert result.undated == 1 and result.imported == 3
    rows = dict(q("SELECT start, title FROM events"))
    assert rows["2014-09-12"] == (
        "EU adds 2 entities (Russia and Hong Kong) to Regulation 833/2014, Annex IV "
        "(Export control) under EU-RUS"
    )
    assert "2025-11-25" in rows
    assert q("SELECT DISTINCT lane_country, lane_agency FROM events") == [("EU", "european-union")]
    assert q("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", '"Пример"') == [(1,)]


def test_fcc_several_dates_in_one_cell_take_the_earliest(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "os_fcc_covered.csv", store)
    assert result.date_forms == {"month-name day, year": 2, "several dates": 1}
    start, note = q("SELECT start, date_note FROM events WHERE start > '2025'")[0]
    assert start == "2025-12-22"
    assert "3 dates in one cell" in note and "earliest" in note


def test_dod_1260h_marks_end_dates_and_urls(fx: Path, store: Path, q) -> None:
    import_file(fx / "os_dod_1260h.csv", store)
    names = [n for (n,) in q("SELECT name FROM items ORDER BY name")]
    assert names == ["Example Test Aviation Co.", "Example Test Optics Ltd."]
    # the quote keeps the row as written, with its trailing '*'
    assert q("SELECT text FROM quotes WHERE text LIKE '%(ETA)*%'") != []
    ended = q("SELECT status, title FROM events WHERE start = '2025-01-07'")
    assert ended == [
        (
            "revoked",
            "DoD: listing ends for 1 entity (China) on Section 1260H list of Chinese military "
            "companies",
        )
    ]
    url = q(
        "SELECT s.url FROM events e JOIN sources s ON s.id = e.date_source_id "
        "WHERE e.start = '2024-01-31'"
    )
    assert url == [("https://example.org/1260h/2024.pdf",)]


def test_ndaa_year_only_dates_keep_year_precision(fx: Path, store: Path, q) -> None:
    import_file(fx / "os_ndaa_1286.csv", store)
    start, precision, start_day, end_day = q(
        "SELECT start, precision, start_day, end_day FROM events"
    )[0]
    assert (start, precision) == ("2023", "year")
    assert end_day - start_day == 364


def test_bis_program_code_names_the_agency(fx: Path, store: Path, q) -> None:
    import_file(fx / "os_bis_mieu.csv", store)
    assert q("SELECT lane_country, lane_agency, title FROM events") == [
        (
            "US",
            "bis",
            "BIS adds 2 entities (China and Russia) to Military End-User List (MEU) under "
            "US-BIS-MIEU",
        )
    ]


def test_federal_register_notices_are_one_event_each(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "os_fr_notices.csv", store)
    assert result.events_added == 2
    rows = q("SELECT kind, title FROM events ORDER BY start")
    assert rows == [
        ("announcement", "Federal Register notice 2099-00002: Example test notice"),
        ("announcement", "Federal Register notice 2099-00001: Imposition of example test measures"),
    ]
    assert q("SELECT count(*) FROM event_items") == [(0,)]
