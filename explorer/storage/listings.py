"""What imported events list: the list's name, how many entries, and in what words.

The importers (:mod:`explorer.storage.importers.common`) make one event per list and listing
day (an OFAC SDN file: one per programme and file date), with the listed entities as its
items. The timeline reads a window's imported events as listings ("Entity List · 18 Dec 2020
· 77 entities"): this module reads, for the events of a window, the list each one adds to
(``items.list_name``, or the issuer's name when the file names no list), how many entries it
lists, and how many different entries its list gained (or lost: "listing ends") that day over
all of its events.

Only imported stores (slot > 0) are read: the curated store's events are not listings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from explorer.storage.library import SLOTS, Library
from explorer.storage.timeline import Listing, WindowEvent

_ENDS = "listing ends"  # the importers' words for entries leaving a list
_CHUNK = 900  # ids per statement (SQLite's default limit on parameters is 999)

_PLURALS = {
    "entity": "entities",
    "person": "persons",
    "entry": "entries",
    "vessel": "vessels",
    "item": "items",
    "individual": "individuals",
    "organization": "organizations",
    "company": "companies",
    "aircraft": "aircraft",
}
_SINGULARS = {v: k for k, v in _PLURALS.items()}


def noun_of(title: str, entries: int) -> str:
    """The plural noun a listing title counts its entries in ("77 entities" -> "entities").

    Args:
        title: The event's title (:func:`explorer.storage.importers.common.listing_title`).
        entries: How many entries the event lists.

    Returns:
        The noun in the plural; "entries" when the title counts in no word.
    """
    m = re.search(rf"(?<![\d,]){entries:,} ([A-Za-z]+)", title) if entries else None
    if m is None:
        return "entries"
    word = m.group(1).lower()
    if word in _SINGULARS or word.endswith("s"):
        return word
    if word in _PLURALS:
        return _PLURALS[word]
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def count_words(n: int, noun: str) -> str:
    """``n`` with its noun, singular for one: "1 entity", "77 entities"."""
    return f"{n:,} {_SINGULARS.get(noun, noun) if n == 1 else noun}"


def read_listings(library: Library, events: Sequence[WindowEvent]) -> dict[int, Listing]:
    """What each imported event of ``events`` lists, by event id (curated events are left out).

    Args:
        library: The stores the events come from.
        events: A window's events (any order).

    Returns:
        A :class:`~explorer.storage.timeline.Listing` for every event of an imported store.
    """
    by_slot: dict[int, list[int]] = {}
    for e in events:
        slot = e.id % SLOTS
        if slot > 0:
            by_slot.setdefault(slot, []).append(e.id // SLOTS)
    out: dict[int, Listing] = {}
    for slot, locals_ in by_slot.items():
        if slot >= len(library.stores):
            continue
        out.update(_read_store(library, slot, locals_))
    return out


def _read_store(library: Library, slot: int, ids: Sequence[int]) -> dict[int, Listing]:
    conn = library.stores[slot].conn
    issuers = dict(conn.execute("SELECT key, name FROM actors").fetchall())
    rows: list[tuple[int, int, str, str, int, str]] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows.extend(
            conn.execute(
                "SELECT e.id, e.start_day, e.title, "
                "coalesce((SELECT i.list_name FROM event_items ei JOIN items i "
                "ON i.id = ei.item_id WHERE ei.event_id = e.id AND i.list_name IS NOT NULL "
                "AND i.list_name != '' LIMIT 1), ''), "
                "(SELECT count(*) FROM event_items ei WHERE ei.event_id = e.id), "
                f"e.lane_agency FROM events e WHERE e.id IN ({marks})",
                chunk,
            ).fetchall()
        )
    named: list[tuple[int, int, str, str, int, bool]] = []
    for local, day, title, list_name, n, agency in rows:
        name = list_name or issuers.get(agency) or agency or "Imported list"
        title = title or ""
        named.append((local, day, title, name, int(n), _ENDS in title))
    # one list's events on one day: the different entries they list together
    days: dict[tuple[str, int, bool], list[int]] = {}
    for local, day, _title, name, n, ending in named:
        if n:
            days.setdefault((name, day, ending), []).append(local)
    together: dict[tuple[str, int, bool], int] = {}
    for key, locals_ in days.items():
        if len(locals_) > 1:
            marks = ",".join("?" * len(locals_[:_CHUNK]))
            together[key] = int(
                conn.execute(
                    f"SELECT count(DISTINCT item_id) FROM event_items WHERE event_id IN ({marks})",
                    locals_[:_CHUNK],
                ).fetchone()[0]
            )
    out: dict[int, Listing] = {}
    for local, day, title, name, n, ending in named:
        day_n = together.get((name, day, ending), n)
        out[local * SLOTS + slot] = Listing(name, n, day_n, noun_of(title, n), ending)
    return out
