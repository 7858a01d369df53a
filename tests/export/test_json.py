"""JSON export: the document's shape and content, and atomic writing that fails cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.cli import main
from explorer.export.json_export import _bytes, document, dumps, event_to_dict
from explorer.storage.atomic import ExportError, atomic_path, atomic_write
from explorer.storage.errors import StoreError
from explorer.storage.store import EventStore

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"
SANCTIONS = "us-2023-sanctions-on-chinese-companies"
DRONES = "cn-2023-07-drone-export-restrictions"


@pytest.fixture(scope="module")
def events(mini_store: Path) -> dict[str, dict]:
    with EventStore(mini_store) as store:
        return {s.key: event_to_dict(store.event(s.id)) for s in store.summaries()}


def test_an_event_carries_its_date_evidence_and_links(events: dict[str, dict]) -> None:
    e = events[ANNOUNCED]
    assert e["id"] == ANNOUNCED
    assert (e["start"], e["end"], e["precision"], e["basis"]) == (
        "2024-05-30",
        None,
        "day",
        "external",
    )
    assert e["date_source"]["url"].startswith("https://")
    assert (e["kind"], e["status"]) == ("announcement", "announced")
    assert e["countries"] == ["CN", "US"]
    assert e["agencies"] == [
        "Ministry of Commerce",
        "General Administration of Customs",
        "Equipment Development Department of the Central Military Commission",
    ]
    assert [i["name"] for i in e["items"]] == ["spacecraft parts", "engines", "bulletproof vests"]
    assert e["relations"] == [{"kind": "responds_to", "target": SANCTIONS}]


def test_a_quote_names_its_speaker_and_source(events: dict[str, dict]) -> None:
    narrated, zhu = events[ANNOUNCED]["quotes"]
    assert narrated["speaker"] is None and narrated["text"].startswith("China announced last")
    assert zhu["speaker"] == "Zhu Chao"
    assert zhu["speaker_role"] == "researcher at the international research institute Unbound"
    assert zhu["source"] == {
        "title": "China restricts exports of military equipment (translation)",
        "outlet": "South China Morning Post",
        "author": "",
        "published": "2024",
        "url": "",
        "language": "en",
        "translator": "",
    }


def test_partial_dates_stay_partial(events: dict[str, dict]) -> None:
    assert (events[DRONES]["start"], events[DRONES]["precision"]) == ("2023-07", "month")
    period = events[SANCTIONS]
    assert (period["start"], period["end"], period["precision"]) == ("2023", "2024", "year")


def test_each_relation_is_listed_once_on_the_event_it_starts_from(
    events: dict[str, dict],
) -> None:
    pairs = [(k, r["kind"], r["target"]) for k, e in events.items() for r in e["relations"]]
    assert sorted(pairs) == sorted(
        [
            (IN_FORCE, "takes_effect", ANNOUNCED),
            (ANNOUNCED, "responds_to", SANCTIONS),
            ("hk-2026-06-02-hk01-reports-draft-list", "reports_on",
             "cn-2026-03-cas-draft-63-item-list"),
        ]
    )  # fmt: skip


def test_the_document_says_what_was_exported(mini_store: Path) -> None:
    with EventStore(mini_store) as store:
        evs = [store.event(s.id) for s in store.summaries()]
    doc = document({"data_version": "v1", "exported_at": "2026-01-01T00:00:00Z"}, evs, {})
    assert doc["meta"]["event_count"] == 6
    assert doc["meta"]["filters"] == {} and doc["meta"]["data_version"] == "v1"
    assert json.loads(dumps(doc)) == doc


def test_cjk_names_are_written_as_text_not_escapes() -> None:
    assert '"商务部 ファン・グオビン"' in dumps({"name": "商务部 ファン・グオビン"})


def test_the_command_writes_the_file_in_date_order(mini_store: Path, tmp_path: Path, capsys):
    out = tmp_path / "events.json"
    assert main(["export", "--format", "json", "-o", str(out), "--db", str(mini_store)]) == 0
    doc = json.loads(out.read_text("utf-8"))
    assert doc["meta"]["data_version"] == "fixture-mini-1"
    assert doc["meta"]["event_count"] == len(doc["events"]) == 6
    assert doc["meta"]["exported_at"].endswith("Z")
    starts = [e["start"] for e in doc["events"]]
    assert starts[0] == "2023" and starts[-1] == "2026-06-02"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.json"]


def test_the_command_writes_to_standard_output(mini_store: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "export", "-o", "-", "--db", str(mini_store)],
        capture_output=True,
        check=True,
    )
    doc = json.loads(result.stdout.decode("utf-8"))
    assert doc["meta"]["exported_at"] == "2026-01-01T00:00:00Z"
    assert [e["id"] for e in doc["events"]][1] == DRONES


# ----------------------------------------------------------------- atomic writing


def test_a_missing_folder_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "out.json"
    with pytest.raises(ExportError, match=r"folder .*nope does not exist"):
        atomic_write(target, "{}")
    assert not (tmp_path / "nope").exists()


def _unwritable_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root ignores modes; the kernel's /sys refuses even root
        return Path("/sys")
    return folder


def test_an_unwritable_folder_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    folder = _unwritable_folder(tmp_path)
    before = set(os.listdir(folder))
    with pytest.raises(ExportError) as info:
        atomic_write(folder / "out.json", "{}")
    assert str(folder / "out.json") in str(info.value)
    assert "permission denied" in str(info.value)
    assert set(os.listdir(folder)) == before


DISK_FULL = """
import resource, signal, sys
from explorer.storage.atomic import atomic_write
from explorer.storage.errors import StoreError
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    atomic_write(sys.argv[1], b"x" * 100_000)
except StoreError as exc:
    print(exc)
"""


def test_a_write_that_runs_out_of_room_leaves_no_file_and_keeps_the_old_one(tmp_path: Path):
    target = tmp_path / "out.json"
    target.write_text("old")
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(target)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().startswith(f"{target}: cannot write it: ")
    assert "too large" in result.stdout or "disk is full" in result.stdout
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_a_renderer_that_fails_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"%PDF half")
        raise RuntimeError("renderer failed")
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "out.json", "{}")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_export_errors_are_store_errors_shown_in_one_line(mini_store: Path, capsys) -> None:
    assert issubclass(ExportError, StoreError)
    code = main(["export", "-o", os.path.join(tempfile.gettempdir(), "no", "such", "x.json"),
                 "--db", str(mini_store)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err


# The JSON writer's encoder (orjson) writes what the standard library would, byte for byte.
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_json_values)
def test_the_fast_encoder_writes_the_standard_librarys_bytes(value: object) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8", "surrogatepass")
    assert _bytes(value) == expected


def test_what_the_fast_encoder_refuses_goes_through_the_standard_library() -> None:
    huge = {"importance": 10**30, "title": "\u2028 line\tseparator \x00 \ud7ff"}
    assert _bytes(huge) == json.dumps(huge, ensure_ascii=False, indent=2).encode()
