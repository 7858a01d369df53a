"""Session-wide test set-up: private user folders, and stores built once per session.

Every test run gets its own cache folder (EXPLORER_CACHE_DIR), set before any test module is
imported, and every test its own data folder (EXPLORER_DATA_DIR: the user store, saved views),
so no test ever reads or writes the real user's folders, nor another test's imports.

Fixtures:
    curated_store: the curated history (`db/`) built once.
    mini_store: `tests/fixtures/mini/` built once: six events from the two seed articles, with
        verbatim quotes at their offsets. Tests that need known content use this one.
    mini_store_copy: a private copy of mini_store in tmp_path, for tests that write or damage it.
Session stores are shared: never write to them (open them with EventStore, which is read-only).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from explorer.storage import build

# Speed is measured in bench/, not here: no example may fail for being slow on a loaded machine.
# CI replays the same examples every run, so a red CI is always reproducible.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent
MINI_DATA = REPO / "tests" / "fixtures" / "mini"
# In a checkout and in CI the seed articles sit beside the repository.
SEEDS = REPO.parent / "shared" / "seeds"

_session_tmp: str | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        help="run the fuzz suite (tests/fuzz) with thousands of examples a property",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz-long", default=False):
        os.environ["EXPLORER_FUZZ_EXAMPLES"] = "2000"
    global _session_tmp
    _session_tmp = tempfile.mkdtemp(prefix="explorer-tests-")
    os.environ["EXPLORER_CACHE_DIR"] = str(Path(_session_tmp) / "cache")
    os.environ["EXPLORER_DATA_DIR"] = str(Path(_session_tmp) / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if SEEDS.is_dir():
        os.environ.setdefault("EXPLORER_SOURCE_TEXTS", str(SEEDS))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_tmp:
        shutil.rmtree(_session_tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def private_user_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test its own user data folder: an import or a saved view of one test is never in
    the library (the bundled store plus the user store) another test reads."""
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seed articles' full texts (../shared/seeds beside the repository)."""
    if not (SEEDS / "000_269ee559bc6f6ec6.txt").is_file():
        pytest.fail(f"the seed articles are missing: {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def mini_data() -> Path:
    """The fixture dataset's folder (same format as db/)."""
    return MINI_DATA


@pytest.fixture(scope="session")
def curated_data() -> Path:
    """`db/`, the curated history."""
    return REPO / "db"


@pytest.fixture(scope="session")
def curated_store(
    tmp_path_factory: pytest.TempPathFactory, curated_data: Path, seeds_dir: Path
) -> Path:
    """The curated history built once per session (read it, never write it)."""
    out = tmp_path_factory.mktemp("curated") / "curated.sqlite"
    build.build(curated_data, out, seeds_dir)
    return out


@pytest.fixture(scope="session")
def mini_store(tmp_path_factory: pytest.TempPathFactory, mini_data: Path, seeds_dir: Path) -> Path:
    """The fixture dataset built once per session (read it, never write it)."""
    out = tmp_path_factory.mktemp("mini") / "mini.sqlite"
    build.build(mini_data, out, seeds_dir)
    return out


@pytest.fixture
def mini_store_copy(mini_store: Path, tmp_path: Path) -> Path:
    """A private copy of mini_store that a test may change or damage."""
    out = tmp_path / "store.sqlite"
    shutil.copyfile(mini_store, out)
    return out


@pytest.fixture(scope="session")
def measures_store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """tests/fixtures/mini with two measures and their phases (`tests/measures_data.py`),
    built once per session (read it, never write it)."""
    from tests.measures_data import write_measures_data

    folder = write_measures_data(tmp_path_factory.mktemp("measures-data") / "db")
    out = tmp_path_factory.mktemp("measures") / "measures.sqlite"
    build.build(folder, out, seeds_dir)
    return out
