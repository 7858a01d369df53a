"""OFAC's SDN file: no header, `-0-` nulls, CRLF, a trailing Ctrl-Z, and no listing dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.storage.importers import ImportFileError, ImportOptions, import_file


def test_fixture_has_the_real_quirks(fx: Path) -> None:
    raw = (fx / "sdn_2024-01-02.csv").read_bytes()
    assert raw.endswith(b"\r\n\x1a") and b"-0- " in raw


def test_snapshot_events_per_program_dated_by_the_file_name(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "sdn_2024-01-02.csv", store)
    assert (result.format, result.rows, result.imported) == ("ofac-sdn", 4, 4)
    assert result.errors == [] and result.skipped == []  # the Ctrl-Z is no row
    titles = [t for (t,) in q("SELECT title FROM events ORDER BY title")]
    assert titles == [
        "OFAC SDN list as of 2 January 2024: 1 entry under CUBA",
        "OFAC SDN list as of 2 January 2024: 1 entry under IFSR",
        "OFAC SDN list as of 2 January 2024: 1 entry under IRAN",
        "OFAC SDN list as of 2 January 2024: 1 entry under NPWMD",
        "OFAC SDN list as of 2 January 2024: 1 entry under SDGT",
    ]
    notes = {n for (n,) in q("SELECT date_note FROM events")}
    assert len(notes) == 1
    note = notes.pop()
    assert "no listing dates" in note and "sdn_2024-01-02.csv" in note and "snapshot" in note
    assert q("SELECT DISTINCT kind, status, basis FROM events") == [
        ("sanction_listing", "in_force", "external")
    ]


def test_rows_nulls_remarks_and_quotes(fx: Path, store: Path, q) -> None:
    import_file(fx / "sdn_2024-01-02.csv", store)
    notes = " ".join(n or "" for (n,) in q("SELECT note FROM items"))
    assert "-0-" not in notes
    # the one in NPWMD and IFSR is one item in two events
    assert q(
        "SELECT count(*) FROM event_items ei JOIN items i ON i.id = ei.item_id "
        "WHERE i.name = 'EXAMPLE TEST SHIPPING'"
    ) == [(2,)]
    # aliases and nationality come from Remarks; the alias in Chinese is searchable
    (event_id,) = q("SELECT id FROM events WHERE title LIKE '%SDGT'")[0]
    assert ("CN", "target") in q(
        "SELECT country, role FROM event_countries WHERE event_id = ?", event_id
    )
    assert q("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", '"试验人"') == [(event_id,)]
    # the quote is the row as written, without its CR LF
    line = (fx / "sdn_2024-01-02.csv").read_bytes().split(b"\r\n")[1].decode()
    assert q("SELECT text FROM quotes WHERE event_id = ?", event_id) == [(line,)]


def test_without_a_date_the_file_is_refused(fx: Path, store: Path, q) -> None:
    with pytest.raises(ImportFileError, match=r"sdn_undated\.csv.*no listing dates.*--as-of"):
        import_file(fx / "sdn_undated.csv", store)
    assert q("SELECT count(*) FROM events") == [(0,)]


def test_as_of_names_the_snapshot_day(fx: Path, store: Path, q) -> None:
    import_file(fx / "sdn_undated.csv", store, ImportOptions(as_of="2023-12-01"))
    assert q("SELECT DISTINCT start FROM events") == [("2023-12-01",)]
    assert "--as-of" in q("SELECT DISTINCT date_note FROM events")[0][0]


def test_format_named_but_not_sdn(fx: Path, store: Path) -> None:
    with pytest.raises(ImportFileError, match=r"line 1: not the OFAC SDN layout"):
        import_file(fx / "csl_old.csv", store, ImportOptions(format="ofac-sdn", as_of="2024-01-01"))
