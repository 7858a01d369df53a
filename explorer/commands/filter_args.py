"""The filter flags shared by commands (`explorer export` first): --country, --kind, --from ...

Flags of the same kind may be repeated and are ORed; different kinds are ANDed, as in the app.
Each value is checked against the library, so a typo gets a one-line message listing what
exists instead of an empty export.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from explorer.domain.filters import FACETS, FilterError, FilterState, parse_bound, parse_day
from explorer.domain.model import Kind, Status
from explorer.domain.view_token import SavedView
from explorer.storage.errors import StoreError
from explorer.storage.facets import agency_aliases, facet_labels, facet_values
from explorer.storage.library import Library
from explorer.storage.views import ViewStore


class FilterArgsError(StoreError):
    """A filter flag whose value names nothing in the store (shown as one line, exit 2)."""


def add_filter_args(parser: argparse.ArgumentParser) -> None:
    """Add the filter flags to a command's parser."""
    g = parser.add_argument_group(
        "filters", "repeat a flag for more values (ORed); different flags are ANDed"
    )
    g.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CODE|NAME",
        help="country by ISO code or name (CN, 'United States'); the lane or any role",
    )
    g.add_argument(
        "--agency",
        action="append",
        default=[],
        metavar="KEY|NAME",
        help="lead or issuing agency, by key, name or alias (mofcom, BIS, 商务部)",
    )
    g.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="KIND",
        help="kind of event: " + ", ".join(k.value for k in Kind),
    )
    g.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        help="status: " + ", ".join(s.value for s in Status),
    )
    g.add_argument(
        "--topic", action="append", default=[], metavar="TOPIC", help="topic (drones, gallium ...)"
    )
    g.add_argument(
        "--item",
        action="append",
        default=[],
        metavar="KEY|NAME",
        help="controlled or proposed item, by key or name",
    )
    g.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="events touching this date or later: 2023, 2023-07, 2023-07-31, 2023-Q3",
    )
    g.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        help="events touching this date or earlier (partial dates cover their whole span)",
    )
    g.add_argument(
        "--in-force-on",
        dest="in_force_on",
        metavar="DATE",
        default=None,
        help="the events of measures standing (in force, amended or resumed) on this day, "
        "YYYY-MM-DD: every phase of each",
    )
    g.add_argument(
        "--search",
        metavar="TEXT",
        default=None,
        help="words to find in titles, summaries, quotes, names and items (any script)",
    )
    g.add_argument(
        "--view",
        metavar="NAME",
        default=None,
        help="start from a view saved in the app; other filter flags replace its values",
    )


#: The filter flags that take text, by their Namespace names.
TEXT_FLAGS = {
    "country": "--country",
    "agency": "--agency",
    "kind": "--kind",
    "status": "--status",
    "topic": "--topic",
    "item": "--item",
    "date_from": "--from",
    "date_to": "--to",
    "in_force_on": "--in-force-on",
    "search": "--search",
    "view": "--view",
}


def checked_text(flag: str, value: str) -> str:
    """`value` when it is text that can be written as UTF-8.

    Python turns argument bytes that are not valid in the locale's encoding (`$'\\xff'`) into
    lone surrogates; SQLite, the JSON and every file we write refuse them halfway through, so
    they are refused here, before anything is read or written.

    Raises:
        FilterArgsError: One line naming the flag and the first bad byte.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        # An undecodable byte 0xNN arrives as U+DCNN (surrogateescape).
        bad = f"the byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
        raise FilterArgsError(
            f"{flag}: '{_shown(value)}' is not UTF-8 text ({bad} cannot be read); "
            f"give the value in UTF-8"
        ) from None
    return value


def _shown(value: str, limit: int = 60) -> str:
    """The value on one line: undecodable bytes as `\\xff`, other unprintables escaped."""
    out = []
    for c in value[:limit]:
        code = ord(c)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        else:
            out.append(c if c.isprintable() else repr(c)[1:-1])
    return "".join(out) + ("..." if len(value) > limit else "")


def check_text_args(args: argparse.Namespace) -> None:
    """Refuse a filter flag whose value is not text (see checked_text).

    Raises:
        FilterArgsError: One line naming the flag.
    """
    for name, flag in TEXT_FLAGS.items():
        value = _arg(args, name)
        for v in value if isinstance(value, list) else [value] if value is not None else []:
            checked_text(flag, v)


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _resolve(
    flag: str,
    given: Iterable[str],
    names: Mapping[str, Iterable[str]],
    shown: Mapping[str, str],
) -> tuple[str, ...]:
    """Each given value as a known value, matched on its key or any of its names."""
    lookup: dict[str, str] = {}
    for value, aliases in names.items():
        for a in (value, *aliases):
            lookup.setdefault(_fold(a), value)
    out = []
    for g in given:
        key = lookup.get(_fold(g))
        if key is None:
            known = ", ".join(
                f"{v} ({shown[v]})" if shown.get(v) and shown[v] != v else v for v in names
            )
            raise FilterArgsError(
                f"{flag}: {g!r} is not known here; choose from: {known or 'nothing'}"
            )
        out.append(key)
    return tuple(out)


def _arg(args: argparse.Namespace, name: str) -> Any:
    # Callers may build their own Namespace (tests, the app) without every flag.
    return getattr(args, name, None)


def filters_from_args(args: argparse.Namespace, library: Library) -> FilterState:
    """The FilterState the flags ask for, checked against the library.

    With --view, the saved view's filters are the start and each flag given replaces that
    kind of filter.

    Raises:
        FilterArgsError: a value is not text (an undecodable byte), names nothing known, a
            date is not a date, or the range ends before it starts.
        StoreError: the saved view does not exist.
    """
    check_text_args(args)
    base = view_from_args(args).filters if getattr(args, "view", None) else FilterState()
    labels = facet_labels(library)
    values: dict[str, list[str]] = {}
    changes: dict[str, object] = {}

    def names_of(facet: str, extra: Mapping[str, list[str]] | None = None) -> dict[str, list[str]]:
        if facet not in values:  # each facet's values cost a scan: only those asked for
            values.update(facet_values(library, (facet,)))
        return {v: [labels[facet].get(v, v), *((extra or {}).get(v, []))] for v in values[facet]}

    if _arg(args, "country"):
        changes["countries"] = _resolve(
            "--country", _arg(args, "country"), names_of("countries"), labels["countries"]
        )
    if _arg(args, "agency"):
        changes["agencies"] = _resolve(
            "--agency",
            _arg(args, "agency"),
            names_of("agencies", agency_aliases(library)),
            labels["agencies"],
        )
    if _arg(args, "kind"):
        all_kinds = {k.value: [k.label] for k in Kind}
        changes["kinds"] = _resolve("--kind", _arg(args, "kind"), all_kinds, labels["kinds"])
    if _arg(args, "status"):
        all_statuses = {s.value: [s.label] for s in Status}
        changes["statuses"] = _resolve(
            "--status", _arg(args, "status"), all_statuses, labels["statuses"]
        )
    if _arg(args, "topic"):
        topics = names_of("topics")
        try:
            changes["topics"] = _resolve("--topic", _arg(args, "topic"), topics, {})
        except FilterArgsError as exc:
            items = {_fold(n) for v, ns in names_of("items").items() for n in (v, *ns)}
            if any(_fold(t) in items for t in _arg(args, "topic")):
                raise FilterArgsError(f"{exc} (an item of that name exists: use --item)") from None
            raise
    if _arg(args, "item"):
        changes["items"] = _resolve("--item", args.item, names_of("items"), labels["items"])
    try:
        if _arg(args, "date_from") is not None:
            changes["date_from"] = parse_bound(_arg(args, "date_from"), "--from")
        if _arg(args, "date_to") is not None:
            changes["date_to"] = parse_bound(_arg(args, "date_to"), "--to")
        if _arg(args, "in_force_on") is not None:
            changes["in_force_on"] = parse_day(_arg(args, "in_force_on"), "--in-force-on")
        if _arg(args, "search") is not None:
            changes["search"] = _arg(args, "search")
        return replace(base, **changes)  # type: ignore[arg-type]
    except FilterError as exc:
        raise FilterArgsError(str(exc)) from None


def view_from_args(args: argparse.Namespace, user_store: Path | None = None) -> SavedView:
    """The saved view named by --view (from the user store).

    Raises:
        StoreError: no view has that name.
    """
    return ViewStore(user_store).load(args.view)


__all__ = [
    "FACETS",
    "TEXT_FLAGS",
    "FilterArgsError",
    "add_filter_args",
    "check_text_args",
    "checked_text",
    "filters_from_args",
    "view_from_args",
]
