"""explorer generate: a valid synthetic store with the spread the timeline is tested against."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main
from explorer.storage.generate import generate
from explorer.storage.store import EventStore, validate_file


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    generate(out, 4000, seed=11)
    return out


def test_the_store_is_valid_and_complete(store: Path) -> None:
    validate_file(store)
    with EventStore(store) as s:
        assert s.count() == 4000
        assert s.meta()["origin"] == "synthetic"
        c = s.conn
        assert (
            c.execute("SELECT sum(count) FROM densities WHERE lane_mode='country'").fetchone()[0]
            == 4000
        )
        assert (
            c.execute("SELECT sum(count) FROM densities WHERE lane_mode='agency'").fetchone()[0]
            == 4000
        )
        assert (
            c.execute(
                "SELECT count(*) FROM events_fts WHERE events_fts MATCH 'gallium'"
            ).fetchone()[0]
            > 0
        )
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_spread_looks_like_a_real_timeline(store: Path) -> None:
    with EventStore(store) as s:
        c = s.conn
        assert c.execute("SELECT count(DISTINCT lane_country) FROM events").fetchone()[0] >= 8
        assert c.execute("SELECT count(DISTINCT lane_agency) FROM events").fetchone()[0] >= 8
        precisions = dict(c.execute("SELECT precision, count(*) FROM events GROUP BY 1"))
        assert precisions["day"] > precisions["month"] > 0 and precisions["year"] > 0
        periods = c.execute(
            "SELECT count(*) FROM events WHERE precision = 'day' AND end_day > start_day"
        ).fetchone()[0]
        assert periods > 0
        assert c.execute("SELECT count(*) FROM relations").fetchone()[0] > 0
        # ids follow start days, as every store's rows do
        starts = [r[0] for r in c.execute("SELECT start_day FROM events ORDER BY id")]
        assert starts == sorted(starts)
        # bursts and quiet years: the busiest month holds many times the median month
        months = sorted(
            r[0] for r in c.execute("SELECT count(*) FROM events GROUP BY substr(start, 1, 7)")
        )
        assert months[-1] > 5 * months[len(months) // 2]


def test_same_seed_same_events(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    generate(a, 300, seed=3)
    generate(b, 300, seed=3)
    query = 'SELECT key, title, start, "end", lane_country, kind FROM events ORDER BY id'
    with EventStore(a) as sa, EventStore(b) as sb:
        assert sa.conn.execute(query).fetchall() == sb.conn.execute(query).fetchall()


def test_command_line_writes_the_store_and_no_temporary_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.sqlite"
    assert main(["generate", "--events", "200", "-o", str(out)]) == 0
    assert "200 events" in capsys.readouterr().out
    validate_file(out)
    assert [p.name for p in tmp_path.iterdir()] == ["g.sqlite"]
    assert main(["generate", "--events", "-5", "-o", str(out)]) == 2
