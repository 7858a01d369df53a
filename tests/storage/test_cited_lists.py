"""The list files imported events come from, as a picture cites them: one per file."""

from __future__ import annotations

from pathlib import Path

from explorer.storage.cited_lists import list_citations, lists_of_sources
from explorer.storage.importers import import_file
from explorer.storage.library import Library
from explorer.storage.query import SqlQuery
from explorer.storage.store import EventStore
from explorer.storage.userstore import ensure_user_store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def test_each_file_is_cited_once_with_its_listings_entities_and_records(
    mini_store: Path, tmp_path: Path
) -> None:
    user = ensure_user_store(tmp_path / "user.sqlite")
    import_file(FIXTURES / "sdn_2024-01-02.csv", into=user)
    import_file(FIXTURES / "os_fr_notices.csv", into=user)
    lib = Library([EventStore(mini_store), EventStore(user)])
    try:
        events = SqlQuery(lib).window("agency", 0, 10**6).events
        ids = [e.id for e in events]
        cited, untraced = list_citations(lib, ids)
        assert untraced == []
        assert [c.file for c in cited] == ["os_fr_notices.csv", "sdn_2024-01-02.csv"]
        fr, sdn = cited
        imported = [e for e in events if e.id % 4 == 1]
        assert fr.listings + sdn.listings == len(imported)
        assert sdn.entities == 4 and sdn.lists == ("Specially Designated Nationals (SDN)",)
        assert fr.entities == 0 and fr.records == fr.listings  # one notice per listing
        assert sdn.url.startswith("file://") and sdn.importer.startswith("OFAC SDN")
        assert "(" not in sdn.importer.split(",")[0]  # the column list left out
        # curated events are not lists; a window read as a whole finds the same files
        assert list_citations(lib, [e.id for e in events if e.id % 4 == 0]) == ([], [])
        user_store = lib.stores[1]
        by_window = lists_of_sources(lib, 1, sorted(user_store.sources()))
        assert [c.file for c in by_window] == ["os_fr_notices.csv", "sdn_2024-01-02.csv"]
    finally:
        lib.close()
