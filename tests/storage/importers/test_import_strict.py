"""Importers read strictly: every row has the header's number of fields, a quote that never
closes is named where it opened (and costs its own row, not the rows after it), NUL bytes
anywhere, signed years and hostile JSON are refused by line, and odd `--encoding` values are
one line and exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.storage.importers import ImportFileError, ImportOptions, import_file
from explorer.storage.importers.mapped import parse_mapping

REPO = Path(__file__).resolve().parents[3]
MAPPED = parse_mapping(["start=d", "name=n"])


def reasons(result) -> list[tuple[int, str]]:
    return [(e.line, e.reason) for e in result.errors]


# --------------------------------------------------------------------------- CSV quoting


def test_a_quote_that_swallows_the_next_row_is_an_error_at_its_line(
    dump, fx: Path, store: Path, q
) -> None:
    # Before: the open quote ran on into line 3, the two rows became one, and line 2 was
    # reported as merely "no date" (line 3's empty date), exit 0.
    before = dump(store)
    result = import_file(fx / "quote_swallows_row.csv", store)
    assert not result.committed and dump(store) == before
    assert reasons(result) == [
        (
            2,
            "field 'Name': a quote opens here and does not close before the next row (it "
            "closes on line 3, inside another row)",
        )
    ]
    assert result.rows == 3  # line 3 is read again as its own row
    kept = import_file(fx / "quote_swallows_row.csv", store, ImportOptions(skip_bad=True))
    assert [(s.line, s.reason.split(":")[0]) for s in kept.skipped] == [
        (2, "field 'Name'"),
        (3, "no date (column 'Date' is empty)"),
    ]
    assert q("SELECT name FROM items") == [("Example Good",)]


def test_a_quote_that_never_closes_names_its_line_and_the_rows_after_it_are_read(
    fx: Path, store: Path, q
) -> None:
    # Before: "line 3: ragged row: 2 fields", and lines 4-5 were gone ("1 of 2 rows").
    result = import_file(fx / "quote_never_closes.csv", store)
    assert reasons(result) == [(3, "field 'Name': a quote opens here and never closes")]
    assert result.rows == 4
    import_file(fx / "quote_never_closes.csv", store, ImportOptions(skip_bad=True))
    assert [n for (n,) in q("SELECT name FROM items ORDER BY name")] == [
        "Example Good One",
        "Example Good Three",
        "Example Good Two",
    ]


def test_text_after_a_closing_quote_is_an_error_of_its_own_line(tmp_path: Path, store) -> None:
    f = tmp_path / "after.csv"
    f.write_text(
        'Date,Entity,Note\n2021-03-16,"Example" Co,x\n2021-03-17,Example Two,"a ""quoted"" b"\n',
        encoding="utf-8",
    )
    result = import_file(f, store, ImportOptions(mapping={"start": "Date", "name": "Entity"}))
    assert reasons(result) == [
        (2, "field 'Entity': text after a closing quote (a quote inside a quoted field is "
            'written twice: "")'),
    ]  # fmt: skip
    assert result.rows == 2


def test_a_field_of_several_lines_still_reads(tmp_path: Path, store: Path, q) -> None:
    f = tmp_path / "multi.csv"
    f.write_text(
        'Date,Entity,Note\n2021-03-16,"Example\nTwo Lines",x\n2021-03-17,Example Next,y\n',
        encoding="utf-8",
    )
    mapping = {"start": "Date", "name": "Entity", "note": "Note"}
    result = import_file(f, store, ImportOptions(mapping=mapping))
    assert result.committed and result.rows == 2
    assert [line for (line,) in q("SELECT source_line FROM events ORDER BY start")] == [2, 4]


def test_rows_with_more_fields_than_the_header_are_errors(fx: Path, store: Path) -> None:
    # Before: a row with surplus empty fields (a trailing comma) was quietly cut to size.
    result = import_file(fx / "extra_fields.csv", store)
    assert reasons(result) == [
        (3, "field 'Source URL': ragged row: 10 fields where the header has 9 (the extra ones "
            "are empty: a stray delimiter?)"),
        (4, "field 'Source URL': ragged row: 10 fields where the header has 9"),
    ]  # fmt: skip


def test_a_quote_in_the_header_refuses_the_file(tmp_path: Path, store: Path) -> None:
    f = tmp_path / "header.csv"
    f.write_text('Date,"Entity\n2021-03-16,x\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"header\.csv: line 1: not CSV: a quote opens"):
        import_file(f, store, ImportOptions(mapping={"start": "Date", "name": "Entity"}))


# --------------------------------------------------------------------------- NUL, signs


def test_a_nul_byte_past_the_first_block_is_refused_by_line(tmp_path: Path, store: Path) -> None:
    # Before: only the first 64 KB were looked at, and the NUL went into the store.
    rows = ["Date,Entity"] + [f"2021-03-{1 + i % 28:02d},Example Entity {i}" for i in range(3000)]
    rows.insert(2500, "2021-03-05,Example\x00Nul")
    f = tmp_path / "late.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert f.stat().st_size > 65536
    mapping = {"start": "Date", "name": "Entity"}
    with pytest.raises(ImportFileError, match=r"late\.csv: line 2501: a NUL character"):
        import_file(f, store, ImportOptions(mapping=mapping))


def test_signed_years_are_errors_naming_the_line(fx: Path, store: Path) -> None:
    # Before: "-2023-01-01" and "+2023" were read as 2023, sign dropped.
    mapping = parse_mapping(["start=Date", "name=Entity"])
    result = import_file(fx / "signed_year.csv", store, ImportOptions(mapping=mapping))
    assert reasons(result) == [
        (3, "field 'Date': '-2023-01-01': a year with a sign before it is not a date we read"),
        (4, "field 'Date': '+2023': a year with a sign before it is not a date we read"),
    ]


def test_a_signed_as_of_is_refused(fx: Path, store: Path) -> None:
    with pytest.raises(ImportFileError, match="--as-of '-2024-01-02': a year with a sign"):
        import_file(fx / "sdn_undated.csv", store, ImportOptions(as_of="-2024-01-02"))


# --------------------------------------------------------------------------- hostile JSON


def _json(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("[" * 100_000 + "]" * 100_000, "values nested too deep to read"),
        ("9" * 5000, "a number of 5,000 digits"),
        ("1e999999", "the number 1e999999 is beyond the range of numbers"),
        ("NaN", "NaN is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
    ids=["deep", "long-int", "huge-float", "nan", "infinity"],
)
def test_hostile_json_values_refuse_the_list_naming_the_line(
    tmp_path: Path, store: Path, value: str, why: str
) -> None:
    # Before: RecursionError / ValueError tracebacks, or "inf" and "nan" imported as text.
    f = _json(tmp_path, "h.json", '[{"d": "2023-01-01", "n": "A"},\n{"d": "2023-01-01", "n": "B", '
              f'"x": {value}}}]')  # fmt: skip
    with pytest.raises(ImportFileError) as err:
        import_file(f, store, ImportOptions(mapping=MAPPED))
    assert str(err.value) == f"{f}: line 2: a record we do not read: {why}"


def test_json_nested_below_the_limit_but_deep_is_an_error_of_its_record(
    tmp_path: Path, store: Path
) -> None:
    f = _json(tmp_path, "d.json", '[{"d": "2023-01-01", "n": "A"},\n{"d": "2023-01-01", "n": "B", '
              f'"x": {"[" * 40 + "]" * 40}}}]')  # fmt: skip
    result = import_file(f, store, ImportOptions(mapping=MAPPED))
    assert reasons(result) == [(2, "field 'x': values nested more than 32 deep")]


@pytest.mark.parametrize(
    ("escaped", "why"),
    [
        ("\\ud800", "a lone surrogate \\ud800 (half of a character, not text)"),
        ("\\udfff", "a lone surrogate \\udfff (half of a character, not text)"),
        ("\\u0000", "a NUL character (binary data, not text)"),
    ],
)
def test_lone_surrogates_and_nul_escapes_are_errors_of_their_line(
    tmp_path: Path, store: Path, escaped: str, why: str
) -> None:
    # Before: a lone surrogate ended in UnicodeEncodeError from SQLite (a traceback); a NUL
    # was imported.
    f = _json(tmp_path, "s.json", f'[{{"d": "2023-01-01", "n": "ok"}},\n'
              f'{{"d": "2023-01-01", "n": "A{escaped}B"}}]')  # fmt: skip
    result = import_file(f, store, ImportOptions(mapping=MAPPED))
    assert reasons(result) == [(2, f"field 'n': {why}")]
    # a pair of surrogates is one character, and reads
    good = _json(tmp_path, "g.json", '[{"d": "2023-01-01", "n": "A\\ud83d\\ude00B"}]')
    assert import_file(good, store, ImportOptions(mapping=MAPPED)).committed


def test_json_lines_with_a_hostile_line_name_it(tmp_path: Path, store: Path) -> None:
    f = _json(
        tmp_path,
        "h.jsonl",
        '{"d": "2023-01-01", "n": "A"}\n{"d": "2023-01-01", "n": "B", "x": NaN}\n'
        + '{"d": "2023-01-01", "n": "C", "x": '
        + "[" * 5000
        + "]" * 5000
        + "}\n",
    )
    result = import_file(f, store, ImportOptions(mapping=MAPPED))
    assert reasons(result) == [
        (2, "NaN is not a JSON number"),
        (3, "values nested too deep to read"),
    ]


def test_a_json_file_of_hostile_records_only_is_refused_naming_the_first(
    tmp_path: Path, store: Path
) -> None:
    f = _json(tmp_path, "only.json", '[{"d": "2023-01-01", "n": "A\\ud800"}]')
    with pytest.raises(ImportFileError) as err:
        import_file(f, store, ImportOptions(mapping=MAPPED))
    assert str(err.value) == (
        f"{f}: line 1: key 'n': a lone surrogate \\ud800 (half of a character, not text) "
        "(no record to read)"
    )


# --------------------------------------------------------------------------- --encoding


@pytest.mark.parametrize(
    ("encoding", "says"),
    [
        ("rot13", "--encoding 'rot13' is not a character set of text files"),
        ("base64", "--encoding 'base64' is not a character set of text files"),
        ("zlib", "--encoding 'zlib' is not a character set of text files"),
        ("hex", "--encoding 'hex' is not a character set of text files"),
        ("idna", "--encoding 'idna' is not a character set of text files"),
        ("unicode_escape", "--encoding 'unicode_escape' is not a character set of text files"),
        ("klingon", "unknown encoding 'klingon'"),
        ("", "unknown encoding ''"),
        ("utf-16", "--encoding utf-16: the file does not begin with a byte-order mark; name "
                   "the byte order: --encoding utf-16-le (or utf-16-be)"),
        ("utf-32", "the file does not begin with a byte-order mark"),
        ("utf-16-le", "not utf-16-le text (no NUL byte in its first 298 bytes"),
    ],
)  # fmt: skip
def test_odd_encodings_are_one_line_and_exit_2(
    fx: Path, store: Path, capsys: pytest.CaptureFixture[str], encoding: str, says: str
) -> None:
    # Before: LookupError and UnicodeError tracebacks; utf-16-le read a UTF-8 file as CJK.
    code = main(
        ["import", str(fx / "os_bis_mieu.csv"), "--into", str(store), "--encoding", encoding]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert err[0].startswith(f"explorer: {fx / 'os_bis_mieu.csv'}: ") and says in err[0]


def test_odd_encodings_in_a_real_process_leave_no_traceback(fx: Path, tmp_path: Path) -> None:
    for encoding in ("rot13", "zlib", "utf-16"):
        command = [sys.executable, "-m", "explorer", "import", str(fx / "os_bis_mieu.csv")]
        command += ["--into", str(tmp_path / "u.sqlite"), "--encoding", encoding]
        proc = subprocess.run(
            command,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "u.sqlite").exists()  # refused before the store is made


def test_utf16_with_a_bom_or_a_named_byte_order_imports(fx: Path, tmp_path: Path, q) -> None:
    text = (fx / "os_bis_mieu.csv").read_text(encoding="utf-8")
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(text.encode("utf-16"))
    assert import_file(with_bom, tmp_path / "a.sqlite", ImportOptions(encoding="utf-16")).committed
    bare = tmp_path / "le.csv"
    bare.write_bytes(text.encode("utf-16-le"))
    result = import_file(bare, tmp_path / "b.sqlite", ImportOptions(encoding="utf-16-le"))
    assert result.committed and result.imported == 2


def test_a_utf16_decode_error_names_its_line(fx: Path, tmp_path: Path, store: Path) -> None:
    text = (fx / "os_bis_mieu.csv").read_text(encoding="utf-8")
    data = text.encode("utf-16-le")
    second = data.index("\n".encode("utf-16-le")) + 2  # the second line begins here
    bad = tmp_path / "bad16.csv"
    bad.write_bytes(data[:second] + b"\x00\xdc" + data[second:])  # a lone low surrogate
    with pytest.raises(ImportFileError, match=r"bad16\.csv: line 2: not utf-16-le"):
        import_file(bad, store, ImportOptions(encoding="utf-16-le"))


def test_the_report_of_a_refused_encoding_says_so(fx: Path, store: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    args = ["import", str(fx / "os_bis_mieu.csv"), "--into", str(store), "--encoding", "rot13"]
    code = main([*args, "--report", str(report)])
    assert code == 2
    assert "not a character set" in json.loads(report.read_text(encoding="utf-8"))["refused"]
