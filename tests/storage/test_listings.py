"""What imported events list, read for the timeline: the list, the entries, their noun."""

from __future__ import annotations

from pathlib import Path

from explorer.storage.importers import import_file
from explorer.storage.library import Library
from explorer.storage.listings import count_words, noun_of, read_listings
from explorer.storage.query import SqlQuery
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def test_the_noun_comes_from_the_title_in_the_plural() -> None:
    assert noun_of("MOFCOM adds 28 entities (United States) to List", 28) == "entities"
    assert noun_of("TAO adds 1 person (Taiwan) to Diehard Separatists", 1) == "persons"
    assert noun_of("OFAC SDN list as of 3 May 2024: 4,439 entries under X", 4439) == "entries"
    assert noun_of("EU adds 103 vessels to Annex XLII", 103) == "vessels"
    assert noun_of("FCC adds 1 item of equipment or services to the Covered List", 1) == "items"
    assert noun_of("Federal Register notice 04-28736: Imposition", 0) == "entries"
    assert noun_of("A list of 12 and 3 entities", 3) == "entities"  # the count, not another
    assert count_words(1, "entities") == "1 entity"
    assert count_words(9083, "entries") == "9,083 entries"


def test_an_sdn_files_programmes_of_one_day_count_their_entries_once(
    mini_store: Path, tmp_path: Path
) -> None:
    user = ensure_user_store(tmp_path / "user.sqlite")
    import_file(FIXTURES / "sdn_2024-01-02.csv", into=user)
    lib = Library([EventStore(mini_store), EventStore(user)])
    try:
        events = SqlQuery(lib).window("agency", 0, 10**6).events
        listings = read_listings(lib, events)
        curated = [e for e in events if e.id % 4 == 0]
        assert curated and not any(e.id in listings for e in curated)
        sdn = [listings[e.id] for e in events if e.id % 4 == 1]
        assert len(sdn) >= 3  # one event per programme
        assert {s.list_name for s in sdn} == {"Specially Designated Nationals (SDN)"}
        # four rows, one of them under two programmes: four different entries that day
        assert {s.day_entries for s in sdn} == {4}
        assert sum(s.entries for s in sdn) > 4
        assert not any(s.ending for s in sdn)
    finally:
        lib.close()
