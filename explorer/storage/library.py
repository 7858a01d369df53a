"""The stores the app shows together: the bundled curated store and the user's own store.

Each store is a self-contained file with the same schema; the library merges what they answer.
An event's id in the library packs its store's slot into the low bits (`local * SLOTS + slot`),
so ids stay plain ints that fit Qt's 32-bit signals up to hundreds of millions of events.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from explorer.domain.measures import Measure
from explorer.domain.model import Event, EventSummary
from explorer.storage.errors import StoreError
from explorer.storage.store import EventStore

SLOTS = 4


def global_id(slot: int, local_id: int) -> int:
    return local_id * SLOTS + slot


def split_id(gid: int) -> tuple[int, int]:
    """(slot, local id) of a library id."""
    return gid % SLOTS, gid // SLOTS


class Library:
    """Several read-only stores shown as one.

    Args:
        stores: The stores, the bundled one first; at most SLOTS.
    """

    def __init__(self, stores: Sequence[EventStore]) -> None:
        if not 1 <= len(stores) <= SLOTS:
            raise ValueError(f"a library holds 1 to {SLOTS} stores")
        self.stores = list(stores)
        #: Stores left out until their rows are examined (a large user store the app opens:
        #: examined in the background, then shown).
        self.deferred: list[Path] = []

    def close(self) -> None:
        for s in self.stores:
            s.close()

    def store_of(self, gid: int) -> tuple[EventStore, int]:
        slot, local = split_id(gid)
        return self.stores[slot], local

    def count(self) -> int:
        return sum(s.count() for s in self.stores)

    def meta(self) -> dict[str, str]:
        """The first store's meta (data version of the curated history)."""
        return self.stores[0].meta()

    def _globalize(self, slot: int, rows: Iterable[EventSummary]) -> Iterable[EventSummary]:
        for r in rows:
            yield replace(r, id=global_id(slot, r.id))

    def summaries(self) -> list[EventSummary]:
        """Every event of every store, in date order."""
        parts = [list(self._globalize(i, s.summaries())) for i, s in enumerate(self.stores)]
        return list(heapq.merge(*parts, key=lambda e: (e.start_day, e.id)))

    def event(self, gid: int) -> Event:
        store, local = self.store_of(gid)
        return replace(store.event(local), id=gid)

    def events(self, gids: Iterable[int], chunk: int = 500) -> Iterator[Event]:
        """The events of the given library ids, in that order, loaded a chunk at a time as they
        are read (one query per table and chunk, whichever stores the chunk spans)."""
        it = iter(gids)
        while part := list(itertools.islice(it, chunk)):
            by_slot: dict[int, list[int]] = {}
            for gid in part:
                by_slot.setdefault(gid % SLOTS, []).append(gid // SLOTS)
            if len(by_slot) == 1:  # the usual case: a chunk of one store, in its order
                ((slot, locals_),) = by_slot.items()
                yield from self.stores[slot].events(locals_, chunk, (SLOTS, slot))
                continue
            loaded: dict[int, Event] = {}
            for slot, locals_ in by_slot.items():
                for e in self.stores[slot].events(locals_, chunk, (SLOTS, slot)):
                    loaded[e.id] = e
            yield from (loaded[gid] for gid in part)

    def countries(self) -> dict[str, str]:
        """ISO code -> name over every store (the bundled store's names win)."""
        merged: dict[str, str] = {}
        for store in reversed(self.stores):
            merged.update(store.countries())
        return merged

    def id_for_key(self, key: str) -> int | None:
        for slot, s in enumerate(self.stores):
            local = s.id_for_key(key)
            if local is not None:
                return global_id(slot, local)
        return None

    def measures(self) -> list[Measure]:
        """Every measure of every store, each with its issuers and phases, by key (a key that
        two stores hold is the first store's: the curated one)."""
        seen: dict[str, Measure] = {}
        for store in self.stores:
            for m in store.measures().values():
                seen.setdefault(m.key, m)
        return sorted(seen.values(), key=lambda m: m.key)

    def measure(self, key: str) -> Measure | None:
        """The measure of a key (the first store's), or None."""
        for store in self.stores:
            for m in store.measures().values():
                if m.key == key:
                    return m
        return None

    def measure_of(self, gid: int) -> Measure | None:
        """The measure an event (library id) is a phase of, with all its phases; None when it
        is no measure's or no such event exists."""
        slot, local = split_id(gid)
        if not 0 <= slot < len(self.stores) or not self.stores[slot].has_measures:
            return None
        store = self.stores[slot]
        row = store.conn.execute("SELECT measure_id FROM events WHERE id = ?", (local,)).fetchone()
        if row is None or row[0] is None:
            return None
        return store.measures().get(int(row[0]))

    def measure_event_ids(self, key: str) -> list[int]:
        """The library ids of a measure's events (its phases), in date order."""
        for slot, store in enumerate(self.stores):
            for measure_id, m in store.measures().items():
                if m.key == key:
                    ids = store.measure_events().get(measure_id, [])
                    return [s.id for s in self._globalize(slot, store.summaries_by_id(ids))]
        return []

    def relation_pairs(self) -> list[tuple[int, int, str]]:
        """Every relation as (from id, to id, kind) in library ids."""
        return [
            (global_id(slot, a), global_id(slot, b), k)
            for slot, s in enumerate(self.stores)
            for a, b, k in s.relation_pairs()
        ]


# Stores up to this many events are examined row by row (storage/health.py) before they are
# shown: about half a second at this size, once per version of the file (the verdict is cached).
# A larger one not yet examined is shown at once and examined in the background (the app), or
# before anything is written from it (exports).
VERIFY_NOW_BELOW = 200_000


def open_store(path: Path, verify: str = "auto") -> EventStore:
    """Open a store for reading, refusing one that holds rows the program cannot show.

    Args:
        path: The store file.
        verify: "always" examines its rows now (or reads the cached verdict); "auto" does so
            when the verdict is cached or the store is small, else marks the store
            `unverified` for the caller to examine later; "never" skips it.

    Raises:
        StoreError: the file is not a usable store, or holds rows the program cannot show
            (`health.BadRowsError`, one line naming the first).
    """
    from explorer.storage import health

    store = EventStore(path)
    try:
        if verify == "always" or (
            verify == "auto" and (health.is_cached(path) or store.count() < VERIFY_NOW_BELOW)
        ):
            health.verify(store.conn, path, cache_path=path)
        elif verify == "auto":
            store.unverified = True
    except BaseException:
        store.close()
        raise
    return store


def verify_stores(library: Library) -> None:
    """Examine every store of a library not examined yet (an export does, before writing).

    Raises:
        StoreError: a store holds rows the program cannot show.
    """
    from explorer.storage import health

    for store in library.stores:
        health.verify(store.conn, store.path, cache_path=store.path)
        store.unverified = False


def open_library(
    db_path: Path | None = None,
    *,
    user_store: bool = True,
    create_user_store: bool = True,
    verify: str = "auto",
) -> tuple[Library, list[str]]:
    """The library the app and the command line read: the bundled store (or `db_path`), then
    the user's own store.

    Args:
        db_path: A store to show instead of the bundled one (`--db`).
        user_store: Whether to add the user store (`--no-user-store` leaves it out).
        create_user_store: Create the user store when it does not exist yet (the app does; a
            command that only reads does not write a file for it).
        verify: When to examine the stores' rows (`open_store`): "auto" for the app (a
            large user store not examined yet is left out and named in `library.deferred`),
            "always" for a command that writes from them.

    Returns:
        The library and one-line warnings (a user store that could not be opened is left out
        and said so; the main store is not optional).

    Raises:
        StoreError: the main store is not usable.
    """
    # Imported here: building the bundled store brings sqlite-utils, which the reading paths
    # of the app's start never need.
    from explorer.storage import paths
    from explorer.storage.bundled import bundled_store_path
    from explorer.storage.schema import MigrationError
    from explorer.storage.userstore import ensure_user_store

    if db_path is None:
        try:
            db_path = bundled_store_path()
        except FileNotFoundError as exc:
            raise StoreError(str(exc)) from None
    stores = [open_store(db_path, verify)]
    warnings: list[str] = []
    deferred: list[Path] = []
    if user_store:
        path = paths.user_store_path()
        try:
            if create_user_store or path.exists():
                try:
                    path = ensure_user_store()
                except MigrationError as exc:
                    # an older store that cannot be upgraded here is still shown, read-only
                    warnings.append(f"your own store is shown as it is: {exc}")
                if path.resolve() != Path(db_path).resolve():
                    store = open_store(path, verify)
                    if store.unverified:  # shown once examined (the app does it in the back)
                        store.close()
                        deferred.append(path)
                    else:
                        stores.append(store)
        except (StoreError, OSError) as exc:
            warnings.append(f"your own store was left out: {exc}")
    library = Library(stores)
    library.deferred = deferred
    return library, warnings
