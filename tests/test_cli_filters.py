"""`explorer export` with filters: one flag ORed, different flags ANDed, partial dates, views."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.domain.filters import FilterState, parse_bound
from explorer.domain.view_token import SavedView
from explorer.storage.views import ViewStore

ANNOUNCED = "cn-2024-05-30-aerospace-controls-announced"
IN_FORCE = "cn-2024-07-01-aerospace-controls-in-force"
DRONES = "cn-2023-07-drone-export-restrictions"
SANCTIONS = "us-2023-sanctions-on-chinese-companies"
PAPER = "cn-2026-03-cas-draft-63-item-list"
HK01 = "hk-2026-06-02-hk01-reports-draft-list"


def export(store: Path, tmp_path: Path, *flags: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(store), "-o", str(out), *flags]) == 0
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def keys(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return [e["id"] for e in doc["events"]]


def test_no_flags_exports_everything_with_empty_filters(mini_store: Path, tmp_path: Path) -> None:
    doc = export(mini_store, tmp_path)
    assert len(doc["events"]) == 6 and doc["meta"]["filters"] == {}


def test_repeated_flags_are_ored(mini_store: Path, tmp_path: Path) -> None:
    doc = export(mini_store, tmp_path, "--kind", "proposal", "--kind", "report")
    assert keys(doc) == [PAPER, HK01]
    assert doc["meta"]["filters"] == {"kinds": ["proposal", "report"]}


def test_different_flags_are_anded(mini_store: Path, tmp_path: Path) -> None:
    doc = export(mini_store, tmp_path, "--country", "US", "--kind", "announcement")
    assert keys(doc) == [ANNOUNCED]  # China's announcement names the US as a target
    doc = export(mini_store, tmp_path, "--country", "united states", "--status", "Reported")
    assert keys(doc) == [SANCTIONS]


def test_agency_by_alias_in_another_script(mini_store: Path, tmp_path: Path) -> None:
    assert keys(export(mini_store, tmp_path, "--agency", "商务部")) == [DRONES, ANNOUNCED, IN_FORCE]
    assert keys(export(mini_store, tmp_path, "--agency", "General Administration of Customs")) == [
        ANNOUNCED
    ]


def test_partial_dates_cover_their_span_and_periods_touching_count(
    mini_store: Path, tmp_path: Path
) -> None:
    # The 2023-2024 sanctions period touches 2024; July 2023 drones do not.
    doc = export(mini_store, tmp_path, "--from", "2024", "--to", "2024-06")
    assert keys(doc) == [SANCTIONS, ANNOUNCED]
    assert doc["meta"]["filters"] == {"date_from": "2024", "date_to": "2024-06"}
    assert keys(export(mini_store, tmp_path, "--to", "2023-07")) == [SANCTIONS, DRONES]


def test_search_and_items(mini_store: Path, tmp_path: Path) -> None:
    assert keys(export(mini_store, tmp_path, "--search", "ファン")) == [PAPER]
    assert keys(export(mini_store, tmp_path, "--search", "'; DROP TABLE events")) == []
    assert keys(export(mini_store, tmp_path, "--item", "engines", "--topic", "aerospace")) == [
        ANNOUNCED
    ]


def test_view_gives_its_filters_and_flags_replace_theirs(mini_store: Path, tmp_path: Path) -> None:
    ViewStore().save(
        "cli aerospace",
        SavedView(FilterState(topics=("aerospace",), date_from=parse_bound("2024-06"))),
    )
    doc = export(mini_store, tmp_path, "--view", "cli aerospace")
    assert keys(doc) == [IN_FORCE]
    doc = export(mini_store, tmp_path, "--view", "cli aerospace", "--from", "2024")
    assert keys(doc) == [ANNOUNCED, IN_FORCE]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--country", "Narnia"], "--country: 'Narnia' is not known here; choose from: CN (China)"),
        (["--kind", "law"], "--kind: 'law' is not known here"),
        (["--from", "2023-13"], "--from: '2023-13' is not a date"),
        (["--from", "2025", "--to", "2024"], "starts (2025) after it ends (2024)"),
        (["--topic", "engines"], "use --item"),
        (["--view", "no such view"], "no saved view is named 'no such view'"),
    ],
)
def test_bad_values_exit_2_with_one_line_and_no_file(
    mini_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    message: str,
) -> None:
    out = tmp_path / "out.json"
    assert main(["export", "--db", str(mini_store), "-o", str(out), *flags]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


# ------------------------------------------------------------------ --in-force-on

AERO_SUSPENDED = "cn-2025-11-10-aerospace-controls-suspended"


def test_in_force_on_exports_the_events_of_measures_standing_that_day(
    measures_store: Path, tmp_path: Path
) -> None:
    doc = export(measures_store, tmp_path, "--in-force-on", "2024-07-01")
    assert doc["meta"]["filters"] == {"in_force_on": "2024-07-01"}
    got = {e["id"]: (e["measure"], e["phase"]) for e in doc["events"]}
    aero = {"key": "cn-aerospace-controls", "title": "Export controls on aerospace items"}
    drones = {"key": "cn-drone-controls", "title": "Export controls on drones"}
    assert got == {
        DRONES: (drones, "announced"),
        "cn-2023-09-01-drone-controls-in-force": (drones, "in_force"),
        ANNOUNCED: (aero, "announced"),
        IN_FORCE: (aero, "in_force"),
        "cn-2024-12-drone-controls-revoked": (drones, "revoked"),
        AERO_SUSPENDED: (aero, "suspended"),
    }
    # suspended: nothing stands; the suspension over, the aerospace controls stand again
    assert keys(export(measures_store, tmp_path, "--in-force-on", "2026-01-01")) == []
    assert keys(export(measures_store, tmp_path, "--in-force-on", "2026-11-11")) == [
        ANNOUNCED,
        IN_FORCE,
        AERO_SUSPENDED,
    ]
    # ANDed with the other flags, like every filter
    assert keys(
        export(measures_store, tmp_path, "--in-force-on", "2024-07-01", "--kind", "rule_in_force")
    ) == [IN_FORCE]


def test_events_of_no_measure_say_so_in_json_and_csv(measures_store: Path, tmp_path: Path) -> None:
    doc = export(measures_store, tmp_path, "--kind", "report")
    assert [(e["id"], e["measure"], e["phase"]) for e in doc["events"]] == [(HK01, None, None)]
    out = tmp_path / "out.csv"
    assert main(["export", "--db", str(measures_store), "-o", str(out)]) == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    by_key = {r["key"]: r for r in rows}
    assert list(rows[0])[-2:] == ["measure", "phase"]
    assert (by_key[IN_FORCE]["measure"], by_key[IN_FORCE]["phase"]) == (
        "Export controls on aerospace items",
        "In force",
    )
    assert (by_key[HK01]["measure"], by_key[HK01]["phase"]) == ("", "")


@pytest.mark.parametrize("value", ["2024", "2024-07", "tomorrow", "1850-01-01"])
def test_in_force_on_needs_a_day(
    measures_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    out = tmp_path / "out.json"
    assert (
        main(["export", "--db", str(measures_store), "-o", str(out), "--in-force-on", value]) == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("explorer: --in-force-on: ") and err.count("\n") == 1
    assert not out.exists()
