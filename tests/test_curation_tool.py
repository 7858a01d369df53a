"""scripts/curation/dbtool.py: db/ is the only source of the curated history.

`format` and `place` leave today's db/ byte for byte as it is, repair what a hand edit breaks
(layout, order, seed offsets) and refuse, writing nothing, what they cannot repair.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable
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


ALIAS_WARNING = "in another script than the name, with neither the source"


def test_check_passes_on_the_real_db(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--db", REPO / "db", "--seeds", seeds_dir) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("0 errors, ")
    # the one kind of warning the data still has: aliases in another script that do not say
    # yet which source writes them or that they are our translation (the curators add it)
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert all(ALIAS_WARNING in line for line in warnings), warnings


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


# ------------------------------------------------------------------------------ measures

GALLIUM = "cn-gallium-germanium-controls"
GALLIUM_PHASES = {
    "cn-2023-07-03-gallium-germanium-controls-announced": "announced",
    "cn-2023-08-01-gallium-germanium-controls-in-force": "in_force",
    "cn-2024-12-03-gallium-germanium-antimony-us-ban": "amended",
}


def load(folder: Path, name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((folder / name).read_text("utf-8"))
    return data


def save(folder: Path, name: str, data: list[dict[str, Any]]) -> None:
    (folder / name).write_text(dbtool.dump(data), encoding="utf-8")


def add_gallium(folder: Path) -> None:
    """The gallium and germanium controls as a measure with three phases (a curator's edit:
    the new fields at the end of each event, for `format` to put in place)."""
    save(
        folder,
        "measures.json",
        [
            {
                "key": GALLIUM,
                "title": "Export controls on gallium and germanium items",
                "kind": "control_list",
                "issuers": ["mofcom", "gac"],
                "note": "",
            }
        ],
    )
    data = events(folder)
    for e in data:
        if e["key"] in GALLIUM_PHASES:
            e["measure"], e["phase"] = GALLIUM, GALLIUM_PHASES[e["key"]]
    save_events(folder, data)


def test_measures_and_phases_are_checked_formatted_and_counted(db: Path, seeds_dir: Path) -> None:
    add_gallium(db)
    assert dbtool.format_db(db) == ["events.json"]  # measure and phase moved in place
    e = next(e for e in events(db) if e["key"] in GALLIUM_PHASES)
    keys = list(e)
    assert keys[keys.index("importance") + 1 : keys.index("importance") + 3] == [
        "measure",
        "phase",
    ]
    rep = dbtool.check(db, seeds_dir)
    assert rep.errors == [] and rep.counts["measures"] == 1
    assert dbtool.format_db(db) == []


def _phase_without_measure(folder: Path) -> None:
    data = events(folder)
    data[0]["phase"] = "in_force"
    save_events(folder, data)


def _set_event(key: str, **fields: Any) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        data = events(folder)
        next(e for e in data if e["key"] == key).update(fields)
        save_events(folder, data)

    return edit


def _set_first(name: str, **fields: Any) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        data = load(folder, name)
        data[0].update(fields)
        save(folder, name, data)

    return edit


def _set_alias(**fields: Any) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        data = load(folder, "actors.json")
        mofcom = next(a for a in data if a["key"] == "mofcom")
        next(al for al in mofcom["aliases"] if al["name"] == "商务部").update(fields)
        save(folder, "actors.json", data)

    return edit


def _second_measure(folder: Path) -> None:
    data = load(folder, "measures.json")
    data.append({"key": "zz-unused", "title": "Unused", "kind": "law", "issuers": [], "note": ""})
    save(folder, "measures.json", data)


ANNOUNCED = "cn-2023-07-03-gallium-germanium-controls-announced"


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (_phase_without_measure, "a phase needs a measure"),
        (_set_event(ANNOUNCED, phase=None), "needs the phase the event marks"),
        (_set_event(ANNOUNCED, measure="nope"), "measure 'nope' is not a measure"),
        (_set_event(ANNOUNCED, phase="paused"), "phase 'paused' is not one of"),
        (_second_measure, "measures.json 'zz-unused': no event is a phase of it"),
        (_set_first("measures.json", kind="decree"), "kind 'decree' is not one of"),
        (_set_first("measures.json", issuers=["nobody"]), "issuer 'nobody' is not an actor"),
        (_set_first("sources.json", quality="gossip"), "quality 'gossip' is not one of"),
        (_set_alias(source="no-such"), "source 'no-such' is not a source"),
        (_set_alias(translated="yes"), "translated must be true or false"),
        (_set_alias(source=SCMP, translated=True), "not both"),
    ],
)
def test_check_refuses_what_the_measures_and_grades_do_not_allow(
    db: Path, seeds_dir: Path, edit: Callable[[Path], None], error: str
) -> None:
    add_gallium(db)
    dbtool.format_db(db)
    edit(db)
    dbtool.format_db(db)
    errors = dbtool.check(db, seeds_dir).errors
    assert any(error in e for e in errors), errors


def test_check_warns_about_weak_sources_and_aliases_of_unknown_origin(
    db: Path, seeds_dir: Path
) -> None:
    weak = "cn-2023-09-01-drone-controls-in-force"  # one source: the Global Times article
    [source] = {q["source"] for e in events(db) if e["key"] == weak for q in e["quotes"]}
    data = load(db, "sources.json")
    for s in data:
        if s["key"] == source:
            s["quality"] = "copy"
    save(db, "sources.json", data)
    _set_alias(source=SCMP)(db)
    # the other Chinese name of MOFCOM is our translation
    actors = load(db, "actors.json")
    mofcom = next(a for a in actors if a["key"] == "mofcom")
    next(al for al in mofcom["aliases"] if al["name"] == "商務部")["translated"] = True
    save(db, "actors.json", actors)
    dbtool.format_db(db)

    rep = dbtool.check(db, seeds_dir)
    assert rep.errors == []
    assert (
        f"events.json {weak!r}: its only sources are secondary or copies; cite a primary source"
        in (rep.warnings)
    )
    alias_warnings = [w for w in rep.warnings if ALIAS_WARNING in w]
    assert not any("'mofcom'" in w for w in alias_warnings)
    assert any("'gac' alias '海关总署'" in w for w in alias_warnings)
    assert not any("'MOFCOM'" in w for w in alias_warnings)  # the same script as the name
