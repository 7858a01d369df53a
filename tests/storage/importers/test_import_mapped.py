"""Any CSV or JSON with a column mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.domain.date_parse import DateOrder
from explorer.storage.importers import ImportFileError, ImportOptions, import_file
from explorer.storage.importers.mapped import parse_mapping

CSV_MAP = parse_mapping(
    [
        "start=Date",
        "name=Entity",
        "aliases=Other names",
        "target=Country",
        "agency=Agency",
        "list=List name",
        "url=Link",
        "issuer==CN",
    ]
)


def test_csv_with_a_mapping_and_declared_us_dates(fx: Path, store: Path, q) -> None:
    options = ImportOptions(format="csv", mapping=CSV_MAP, date_order=DateOrder.US)
    result = import_file(fx / "mapped.csv", store, options)
    assert (result.imported, result.events_added) == (3, 2)
    assert result.date_forms == {"us": 3}
    assert q("SELECT start, lane_country, lane_agency, title FROM events ORDER BY start") == [
        ("2016-06-28", "CN", "mofcom", "MOFCOM adds 2 entities (China and Japan) to Example list"),
        ("2017-12-01", "CN", "mofcom", "MOFCOM adds 1 entity (United States) to Example list"),
    ]
    assert q("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", '"映射一"') == [(1,)]
    # the summary counts them with the same word as the title
    summaries = [s for (s,) in q("SELECT summary FROM events ORDER BY start")]
    assert summaries[0].startswith("2 entities from mapped.csv (lines ")
    assert summaries[1].startswith("1 entity from mapped.csv (line ")


def test_slash_dates_are_never_guessed(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "mapped.csv", store, ImportOptions(format="csv", mapping=CSV_MAP))
    assert not result.committed
    assert [e.line for e in result.errors] == [2, 3, 4]
    assert "ambiguous" in result.errors[0].reason and "'Date'" in result.errors[0].reason
    assert q("SELECT count(*) FROM events") == [(0,)]


def test_day_first_declared_reads_the_other_way(fx: Path, store: Path, q) -> None:
    options = ImportOptions(format="csv", mapping=CSV_MAP, date_order=DateOrder.DAY_FIRST)
    result = import_file(fx / "mapped.csv", store, options)
    # 6/28/2016 has no month 28: an error, not a swap; 12/1/2017 is 12 January
    assert [e.line for e in result.errors] == [2, 3]
    assert "month 28" in result.errors[0].reason
    assert not result.committed


def test_mapping_errors_name_the_field_or_column(fx: Path, store: Path) -> None:
    with pytest.raises(ImportFileError, match="no field 'when'"):
        parse_mapping(["when=Date"])
    with pytest.raises(ImportFileError, match="field=Column"):
        parse_mapping(["start"])
    with pytest.raises(ImportFileError, match=r"mapped\.csv: --map start=Datum: no column 'Datum'"):
        import_file(
            fx / "mapped.csv",
            store,
            ImportOptions(format="csv", mapping={"start": "Datum", "name": "Entity"}),
        )
    with pytest.raises(ImportFileError, match="--map start=COLUMN"):
        import_file(
            fx / "mapped.csv", store, ImportOptions(format="csv", mapping={"name": "Entity"})
        )


def test_json_list_lines_and_verbatim_quotes(fx: Path, store: Path, q) -> None:
    mapping = parse_mapping(["start=date", "name=entity", "aliases=aliases", "target=country"])
    result = import_file(fx / "mapped.json", store, ImportOptions(format="json", mapping=mapping))
    assert result.imported == 3 and result.events_added == 2
    assert result.date_forms == {"iso": 2, "day-first": 1}
    text = (fx / "mapped.json").read_text(encoding="utf-8")
    quote, start, end, line = q(
        "SELECT q.text, q.start_offset, q.end_offset, e.source_line FROM quotes q "
        "JOIN events e ON e.id = q.event_id WHERE e.start = '2021-03-16'"
    )[0]
    assert text[start:end] == quote and quote.startswith('{"date": "2021-03-16"')
    assert line == 2
    assert q("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", '"杰一号"') == [(1,)]


def test_json_lines_with_titles_are_events_of_their_own(fx: Path, store: Path, q) -> None:
    mapping = parse_mapping(["start=date", "title=entity", "kind==announcement"])
    import_file(fx / "mapped.jsonl", store, ImportOptions(format="json", mapping=mapping))
    assert q("SELECT start, precision, kind, title, source_line FROM events ORDER BY start") == [
        ("2021-03-16", "day", "announcement", "Example Line One", 1),
        ("2022", "year", "announcement", "Example Line Two", 2),
    ]


def test_semicolon_csv_is_read(tmp_path: Path, store: Path, q) -> None:
    f = tmp_path / "semi.csv"
    f.write_text("Datum;Firma\n2021-03-16;Example Semi GmbH\n", encoding="utf-8")
    mapping = parse_mapping(["start=Datum", "name=Firma"])
    result = import_file(f, store, ImportOptions(format="csv", mapping=mapping))
    assert result.imported == 1
    assert q("SELECT name FROM items") == [("Example Semi GmbH",)]


def test_bad_kind_is_a_row_error(tmp_path: Path, store: Path) -> None:
    f = tmp_path / "kinds.csv"
    f.write_text("d,n,k\n2021-03-16,Example,rumour\n", encoding="utf-8")
    mapping = parse_mapping(["start=d", "title=n", "kind=k"])
    result = import_file(f, store, ImportOptions(format="csv", mapping=mapping))
    assert result.errors[0].line == 2 and "field 'k'" in result.errors[0].reason
