"""scripts/curation/dbtool.py: db/ is the only source of the curated history.

`format` and `place` leave today's db/ byte for byte as it is, repair what a hand edit breaks
(layout, order, seed offsets) and refuse, writing nothing, what they cannot repair.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "scripts" / "curation" / "dbtool.py"
SCMP = "scmp-2024-06-military-export-curbs-en"  # a source whose text is a seed

_spec = importlib.util.spec_from_file_location("dbtool", TOOL)
assert _spec and _spec.loader
dbtool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dbtool)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A private copy of db/."""
    return Path(shutil.copytree(REPO / "db", tmp_path / "db"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(*argv: str | Path) -> int:
    code: int = dbtool.main([str(a) for a in argv])
    return code


def events(folder: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((folder / "events.json").read_text("utf-8"))
    return data


def save_events(folder: Path, data: list[dict[str, Any]]) -> None:
    (folder / "events.json").write_text(dbtool.dump(data), encoding="utf-8")


def seed_quote(data: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first event quoting a seed, and that quote."""
    for e in data:
        for q in e["quotes"]:
            if q["source"] == SCMP:
                return e, q
    raise AssertionError("no quote of the SCMP seed")


def test_make_db_is_gone() -> None:
    assert not (REPO / "scripts" / "curation" / "make_db.py").exists()


def test_check_passes_on_the_real_db(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--db", REPO / "db", "--seeds", seeds_dir) == 0
    assert capsys.readouterr().out.endswith("0 errors, 0 warnings\n")


def test_format_and_place_leave_the_db_byte_identical(db: Path, seeds_dir: Path) -> None:
    before = files(db)
    assert dbtool.format_db(db) == []
    assert dbtool.place_quotes(db, seeds_dir) == []
    assert run("format", "--db", db, "--seeds", seeds_dir) == 0
    assert run("place", "--db", db, "--seeds", seeds_dir) == 0
    assert files(db) == before


def test_place_repairs_hand_edited_offsets(db: Path, seeds_dir: Path) -> None:
    before = files(db)
    data = events(db)
    _, q = seed_quote(data)
    q["start"], q["end"] = q["start"] + 1, q["end"] + 7
    other = next(q for e in data for q in e["quotes"] if q["start"] is None)
    other["start"], other["end"] = 0, 5  # offsets into a text we do not hold
    save_events(db, data)
    assert dbtool.check(db, seeds_dir).errors

    assert len(dbtool.place_quotes(db, seeds_dir)) == 2
    assert files(db) == before
    assert not dbtool.check(db, seeds_dir).errors


def test_a_hand_edit_of_a_value_survives(db: Path, seeds_dir: Path) -> None:
    data = events(db)
    data[0]["title"] = "A title edited by hand"
    save_events(db, data)
    dbtool.format_db(db)
    dbtool.place_quotes(db, seeds_dir)
    assert events(db)[0]["title"] == "A title edited by hand"
    assert not dbtool.check(db, seeds_dir).errors


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("words the article never printed", "not found in"),
        ("China", "occurs more than once"),
    ],
)
def test_place_refuses_a_quote_it_cannot_place(
    db: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    data = events(db)
    e, q = seed_quote(data)
    q["text"] = text
    q["start"] = q["end"] = None  # something place would otherwise repair
    save_events(db, data)
    before = files(db)

    assert run("place", "--db", db, "--seeds", seeds_dir) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if problem in line)
    assert line.startswith(f"error: events.json {e['key']!r} quote ")
    assert "nothing written" in out
    assert files(db) == before  # no file changed, no temporary file left


def test_format_repairs_a_badly_formatted_file(db: Path, seeds_dir: Path) -> None:
    before = files(db)
    data = [dict(reversed(list(e.items()))) for e in reversed(events(db))]
    (db / "events.json").write_text(json.dumps(data, indent=4), encoding="utf-8")
    rows = (db / "countries.csv").read_text("utf-8").splitlines()
    (db / "countries.csv").write_text("\r\n".join([rows[0], *reversed(rows[1:])]), "utf-8")
    errors = dbtool.check(db, seeds_dir).errors
    assert any(e.startswith("events.json: ") and "run format" in e for e in errors)
    assert any(e.startswith("countries.csv: ") for e in errors)

    assert dbtool.format_db(db) == ["countries.csv", "events.json"]
    assert not dbtool.check(db, seeds_dir).errors
    assert files(db) == before
    assert dbtool.format_db(db) == []


def test_format_refuses_a_file_it_cannot_read(db: Path) -> None:
    (db / "items.json").write_text('[{"key": "x",}]', encoding="utf-8")
    (db / "events.json").write_text("[]", encoding="utf-8")
    before = files(db)
    with pytest.raises(dbtool.Refused) as exc:
        dbtool.format_db(db)
    [line] = exc.value.lines
    assert line.startswith("items.json: line 1: ")
    assert files(db) == before


def test_the_readme_examples_show_the_canonical_field_order() -> None:
    readme = (REPO / "db" / "README.md").read_text("utf-8")
    for name, fields in dbtool.FIELDS.items():
        section = readme.split(f"\n## {name}\n", 1)[1]
        example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
        assert tuple(example) == fields, name
        for part, part_fields in dbtool.PARTS.items():
            if example.get(part):
                assert tuple(example[part][0]) == part_fields, f"{name} {part}"
