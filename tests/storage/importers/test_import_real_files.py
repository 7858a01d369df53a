"""The real lists in ../shared/data/real (never committed): each imports, cleanly and verbatim.

Only run where that folder exists (here and in CI, beside the repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.storage.check import check_store
from explorer.storage.importers import import_file

REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "real"

# file -> (rows, imported, skipped): every row is accounted for.
EXPECTED = {
    "ita_webservices_isn_nonproliferation_2016-12.csv": (213, 213, 0),
    "ofac_sdn_2021-08-18.csv": (9083, 9083, 0),
    "opensanctions_cn_sanctions.csv": (610, 609, 1),
    "opensanctions_eu_32014R0269_ukraine_assetfreeze.csv": (2802, 2801, 1),
    "opensanctions_eu_32014R0833_russia_sectoral.csv": (1746, 1665, 81),
    "opensanctions_eu_32020R1998_global_human_rights.csv": (177, 177, 0),
    "opensanctions_us_bis_mieu.csv": (13, 13, 0),
    "opensanctions_us_dod_1260h_chinese_milcorps.csv": (397, 397, 0),
    "opensanctions_us_fcc_covered_list.csv": (16, 16, 0),
    "opensanctions_us_isn_nonproliferation_fr_notices.csv": (58, 58, 0),
    "opensanctions_us_ndaa_section_1286.csv": (443, 443, 0),
}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is not here")


def test_every_real_file_imports_and_checks_clean(store: Path) -> None:
    for name, (rows, imported, skipped) in EXPECTED.items():
        result = import_file(REAL / name, store)
        assert result.committed, (name, result.errors[:3])
        assert (result.rows, result.imported, len(result.skipped)) == (rows, imported, skipped)
        # every skipped row is an undated one, and says so
        assert all(s.reason.startswith("no date") for s in result.skipped), name
    # quotes are compared with the files themselves: verbatim, at their offsets
    report = check_store(store, REAL)
    assert report.ok, report.problems[:5]
    assert report.verified_quotes == report.quotes > 0


def test_the_other_real_files_are_all_tried(store: Path) -> None:
    # a new file in the folder must be added to EXPECTED (the big SDN copy runs on the command line)
    here = {p.name for p in REAL.glob("*.csv")}
    assert here - set(EXPECTED) <= {"ofac_sdn_2024-05-03.csv"}
