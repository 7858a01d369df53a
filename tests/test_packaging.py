"""The wheel carries the curated data and resources, and the app finds them once installed.

Builds the wheel with hatchling (as `pip install .` does), unpacks it into a folder the way an
installer lays it out, and imports it from a process started in another folder, so neither the
checkout nor the editable install can stand in for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder  # in the test extras

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import explorer
from explorer.storage import paths
from explorer.cli import main
status = main(["check"])  # builds the bundled store from the wheel's data, then checks it
print(json.dumps({
    "package": explorer.__file__,
    "data": str(paths.data_dir()),
    "resources": str(paths.resources_dir()),
    "status": status,
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = list(WheelBuilder(str(REPO)).build(directory=str(out), versions=["standard"]))
    return Path(built[0])


def test_the_wheel_holds_the_curated_data_and_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "explorer/__init__.py",
        "explorer/_db/events.json",
        "explorer/_db/meta.json",
        "explorer/_db/schema.sql",
        "explorer/_db/countries.csv",
    ):
        assert name in names
    assert any(n.startswith("explorer/_resources/") for n in names)
    assert not any(n.startswith("tests/") for n in names)


def test_an_installed_wheel_finds_its_data_from_another_folder(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert Path(found["package"]).is_relative_to(site)
    assert Path(found["data"]) == site / "explorer" / "_db"
    assert Path(found["resources"]) == site / "explorer" / "_resources"
    assert found["status"] == 0  # the bundled store built from the wheel's data is clean
