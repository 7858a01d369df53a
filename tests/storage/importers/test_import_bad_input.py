"""Bad input: each case gets a clear message naming the file, the line and the field, and
nothing is imported unless the user asks to skip the bad lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.storage.importers import ImportFileError, ImportOptions, import_file
from explorer.storage.importers.mapped import parse_mapping


def test_gbk_is_recognised_and_can_be_named(dump, fx: Path, store: Path, q) -> None:
    before = dump(store)
    with pytest.raises(ImportFileError) as err:
        import_file(
            fx / "gbk.csv", store, ImportOptions(mapping={"start": "Date", "name": "Entity"})
        )
    msg = str(err.value)
    assert "gbk.csv: line 2: not UTF-8" in msg and "--encoding gbk" in msg
    assert dump(store) == before
    mapping = parse_mapping(["start=Date", "name=Entity", "target=Country"])
    result = import_file(fx / "gbk.csv", store, ImportOptions(mapping=mapping, encoding="gbk"))
    assert result.imported == 1
    assert q("SELECT name FROM items") == [("试验公司",)]
    # 中国 is China
    assert ("CN", "target") in q("SELECT country, role FROM event_countries")


def test_ragged_row_names_line_and_field(dump, fx: Path, store: Path) -> None:
    before = dump(store)
    result = import_file(fx / "ragged.csv", store)
    assert not result.committed and result.imported == 0
    (err,) = result.errors
    assert err.line == 3
    assert "field 'Program'" in err.reason and "5 fields where the header has 9" in err.reason
    assert dump(store) == before


def test_skip_bad_imports_the_rest_and_lists_the_skipped(fx: Path, store: Path, q) -> None:
    result = import_file(fx / "ragged.csv", store, ImportOptions(skip_bad=True))
    assert result.committed and result.imported == 2
    assert [s.line for s in result.skipped] == [3]
    assert q("SELECT count(*) FROM items") == [(2,)]


def test_bad_dates_name_the_value(fx: Path, store: Path) -> None:
    result = import_file(fx / "bad_date.csv", store)
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, "field 'Date': '2021-02-31' is not a real date: day is out of range for month"),
        (
            4,
            "field 'Date': '03/04/2021' is ambiguous (day-first or US month-first?); declare "
            "the column's order (--date-order us or day-first)",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("empty.csv", r"empty\.csv: the file is empty"),
        ("header_only.csv", r"header_only\.csv: has a header \(Type, Name, .*\) but no rows"),
        ("binary.csv", r"binary\.csv: line 1: binary data"),
        ("unknown.csv", r"unknown\.csv: line 1: unknown layout \(columns 'alpha', 'beta'.*--map"),
    ],
)
def test_files_refused_whole(dump, fx: Path, store: Path, name: str, pattern: str) -> None:
    before = dump(store)
    with pytest.raises(ImportFileError, match=pattern):
        import_file(fx / name, store)
    assert dump(store) == before


def test_missing_file_and_archive(tmp_path: Path, store: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        import_file(tmp_path / "nothing.csv", store)
    xlsx = tmp_path / "list.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFileError, match=r"list\.xlsx: a ZIP archive"):
        import_file(xlsx, store)


def test_unclosed_quote_is_reported(tmp_path: Path, store: Path) -> None:
    f = tmp_path / "quote.csv"
    f.write_text(
        "Type,Name,Alias,Country,Topics,Program,Date,End date,Source URL\n"
        'Organization,"Example Open,,CN,export.control,US-BIS-MIEU,2021-03-16,,x\n',
        encoding="utf-8",
    )
    result = import_file(f, store)
    assert not result.committed
    assert result.errors[0].line == 2


def test_bad_encoding_name(fx: Path, store: Path) -> None:
    with pytest.raises(ImportFileError, match="unknown encoding 'klingon'"):
        import_file(fx / "os_bis_mieu.csv", store, ImportOptions(encoding="klingon"))
