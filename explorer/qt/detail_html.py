"""Everything about one event as HTML for the detail pane (QTextBrowser's rich-text subset).

Pure: no Qt import, so it is tested without a QApplication and can serve an HTML export too.
Every piece of text from the store goes through :func:`html.escape`; links to other events use
``event:KEY`` hrefs, which the detail pane turns into a selection, and source links are the
sources' own http(s) URLs, which the pane opens in the browser.

QTextBrowser understands tables, spans with colours and a small CSS subset (no padding on
inline elements, no border-radius), so badges are one-cell tables.

Texts come from stores anyone can write (an imported list names one entity in 300,000
characters, or one event lists 17,000 entities), and QTextBrowser lays a document out whole:
an unbroken run of a few hundred thousand characters takes it ten seconds. So each text is shown
cut to LONG_TEXT characters (names to LONG_NAME) and each list to MAX_ROWS rows, followed by a
``more:N`` link ("show all 300,000 characters"); :func:`event_document` returns the whole of
each cut text beside the HTML, for the pane to show on demand (in a viewer that lays out only
what is on screen).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from explorer.domain.dates import Basis, Precision, display_span
from explorer.domain.model import (
    Actor,
    ActorKind,
    Event,
    Item,
    Kind,
    Quote,
    Relation,
    RelationKind,
    Source,
    Status,
)
from explorer.render import palette

EVENT_SCHEME = "event"
#: `more:N` links show the whole of the N-th cut text (`DetailDocument.whole[N]`).
MORE_SCHEME = "more"
_MARK = palette.HIGHLIGHT

#: Texts (summaries, quotes, notes on dates) longer than this are shown cut to it, with a link.
LONG_TEXT = 2_000
#: Names (titles, actors, aliases, items, sources, notes on items) are cut sooner.
LONG_NAME = 300
#: Lists (countries, agencies, people, items, related events, quotes) show this many rows.
MAX_ROWS = 100

PROPOSAL_BADGE = "PROPOSAL — not a rule in force"

_BASIS_TEXT = {
    Basis.STATED: "Stated in the source",
    Basis.INFERRED: "Inferred from the source's wording and its publication date",
    Basis.EXTERNAL: "From another public record",
}

_PRECISION_TEXT = {
    Precision.DAY: "known to the day",
    Precision.MONTH: "known only to the month",
    Precision.QUARTER: "known only to the quarter",
    Precision.YEAR: "known only to the year",
}

# "from <kind> to": how this event relates to the target, and (incoming) the target to this one.
_OUTGOING = {
    RelationKind.RESPONDS_TO: "Responds to",
    RelationKind.IMPLEMENTS: "Implements",
    RelationKind.TAKES_EFFECT: "Puts into effect",
    RelationKind.AMENDS: "Amends",
    RelationKind.REPORTS_ON: "Reports on",
    RelationKind.CITES: "Cites",
}
_INCOMING = {
    RelationKind.RESPONDS_TO: "Responded to by",
    RelationKind.IMPLEMENTS: "Implemented by",
    RelationKind.TAKES_EFFECT: "Takes effect in",
    RelationKind.AMENDS: "Amended by",
    RelationKind.REPORTS_ON: "Reported on by",
    RelationKind.CITES: "Cited by",
}

_ROLE_ORDER = ("issuer", "target", "affected")

# Actors that act for a state; everyone else (people, outlets, journals, companies, academies,
# institutes, universities) is listed under "People and organisations".
_AGENCY_KINDS = frozenset(
    {
        ActorKind.GOVERNMENT,
        ActorKind.MINISTRY,
        ActorKind.AGENCY,
        ActorKind.MILITARY,
        ActorKind.LEGISLATURE,
    }
)


def _is_agency(actor: Actor) -> bool:
    try:
        return ActorKind(actor.kind) in _AGENCY_KINDS
    except ValueError:  # a kind this version does not know: not claimed as an agency
        return False


def is_proposal(event: Event) -> bool:
    """Whether the event is a proposal rather than a measure adopted or in force."""
    return event.kind is Kind.PROPOSAL or event.status is Status.PROPOSED


@dataclass
class DetailDocument:
    """The detail pane's HTML for one event, with the whole of every text it shows cut.

    Attributes:
        html: The HTML fragment (body content), every text escaped.
        whole: (what, plain text) for each ``more:N`` link in `html`, N being the index.
    """

    html: str
    whole: list[tuple[str, str]] = field(default_factory=list)


class _Cuts:
    """Cuts long texts and lists while the HTML is built, keeping the whole of each."""

    def __init__(self) -> None:
        self.whole: list[tuple[str, str]] = []

    def _link(self, what: str, text: str, label: str) -> str:
        self.whole.append((what, text))
        return f'<a href="{MORE_SCHEME}:{len(self.whole) - 1}">{_e(label)}</a>'

    def text(self, text: object, what: str, limit: int = LONG_TEXT) -> str:
        """The text escaped; cut to about `limit` characters with a link when it is longer."""
        text = str(text)
        if len(text) <= limit:
            return _e(text)
        label = f"show all {len(text):,} characters"
        return f"{_e(shown_text(text, limit))}… " + self._link(what, text, label)

    def name(self, text: object, what: str) -> str:
        return self.text(text, what, LONG_NAME)

    def rows(self, shown: Sequence[str], total: int, what: str, whole: Iterable[str]) -> list[str]:
        """`shown` (the first rows of `total`) cut to MAX_ROWS, with a last row linking to all
        of them (`whole`: every row as a line of plain text, read only when cut)."""
        if total <= MAX_ROWS:
            return list(shown)
        label = f"show all {total:,} {what}"
        more = f'<span class="muted">… {total - MAX_ROWS:,} more:</span> '
        return [*shown[:MAX_ROWS], more + self._link(what.capitalize(), "\n".join(whole), label)]


def more_index(href: str) -> int | None:
    """N of a ``more:N`` link, or None for any other link."""
    prefix = f"{MORE_SCHEME}:"
    if href.startswith(prefix) and href[len(prefix) :].isdigit():
        return int(href[len(prefix) :])
    return None


def event_href(key: str) -> str:
    """The link that selects the event with this key."""
    return f"{EVENT_SCHEME}:{key}"


def key_from_href(href: str) -> str | None:
    """The event key of an ``event:KEY`` link, or None for any other link."""
    prefix = f"{EVENT_SCHEME}:"
    return href[len(prefix) :] if href.startswith(prefix) and len(href) > len(prefix) else None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str, label: str) -> str:
    # only web links become clickable; anything else is shown as text
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}">{_e(label)}</a>'
    return _e(label)


def _badge(text: str, bg: str, fg: str) -> str:
    return (
        f'<td style="background-color:{bg}; color:{fg}; font-weight:600; '
        f'font-size:small">&nbsp;{_e(text)}&nbsp;</td>'
    )


def _badges(event: Event) -> str:
    cells = []
    if is_proposal(event):
        cells.append(_badge(PROPOSAL_BADGE, *palette.PROPOSAL_BADGE))
    cells.append(_badge(event.kind.label, *palette.KIND_BADGE))
    bg, fg = palette.STATUS_BADGES.get(event.status, ("#eeeeee", "#333333"))
    cells.append(_badge(event.status.label, bg, fg))
    return (
        '<table class="badges" cellspacing="4" cellpadding="3" style="margin-left:-4px"><tr>'
        + "".join(cells)
        + "</tr></table>"
    )


def _names(actor: Actor, cuts: _Cuts) -> str:
    """The actor's name with its other names (every script) in parentheses."""
    others = [a.name for a in actor.aliases if a.name != actor.name]
    text = cuts.name(actor.name, "Name")
    if others:
        joined = cuts.text(", ".join(others), f"Other names of {actor.name[:80]}", LONG_NAME)
        text += f' <span class="alias">({joined})</span>'
    return text


def source_citation(source: Source, cuts: _Cuts | None = None) -> str:
    """One line citing a source: outlet, title, author, date, translator, link."""
    cuts = cuts or _Cuts()
    parts = []
    if source.author:
        parts.append(cuts.name(source.author, "Author"))
    if source.outlet:
        parts.append(f"<i>{cuts.name(source.outlet, 'Outlet')}</i>")
    parts.append(f"“{cuts.name(source.title, 'Source title')}”")
    if source.published is not None:
        parts.append(_e(source.published.display()))
    if source.translator:
        parts.append(f"translated by {cuts.name(source.translator, 'Translator')}")
    text = ", ".join(parts)
    if source.url:
        if len(source.url) <= LONG_NAME:
            text += " · " + _link(source.url, source.url)
        else:  # no link: a URL that long is no address to open
            text += " · " + cuts.name(source.url, "Link")
    return text


def _section(title: str, body: str) -> str:
    return f"<h3>{_e(title)}</h3>{body}" if body else ""


def _list(rows: Iterable[str]) -> str:
    rows = list(rows)
    return "<ul>" + "".join(f"<li>{r}</li>" for r in rows) + "</ul>" if rows else ""


def _date_block(event: Event, cuts: _Cuts) -> str:
    span = display_span(event.start, event.end)
    precision = _PRECISION_TEXT[event.start.precision]
    lines = [f'<p class="date"><b>{_e(span)}</b> <span class="muted">({_e(precision)})</span>']
    how = _e(_BASIS_TEXT.get(event.basis, event.basis.value))
    if event.date_note:
        how += ": " + cuts.text(event.date_note, "How the date is known")
    lines.append(f'<br><span class="how">{how}</span>')
    if event.date_source is not None:
        lines.append(
            f'<br><span class="how">Date source: {source_citation(event.date_source, cuts)}</span>'
        )
    lines.append("</p>")
    return "".join(lines)


def _quote(quote: Quote, cuts: _Cuts) -> str:
    speaker = quote.speaker
    if speaker is not None:
        who = f"<b>{_names(speaker, cuts)}</b>"
        if speaker.role:
            who += f", {cuts.name(speaker.role, 'Role')}"
    else:
        who = "<b>the article itself</b>"
    return (
        f'<blockquote><p class="quote">“{cuts.text(quote.text, "Quote")}”</p>'
        f'<p class="cite">— {who}<br>{source_citation(quote.source, cuts)}</p></blockquote>'
    )


def _item_rows(members: Sequence[Item], cuts: _Cuts, notes: bool = True) -> str:
    rows = []
    for item in members[:MAX_ROWS]:
        text = cuts.name(item.name, "Item")
        if notes and item.note:
            text += f' — <span class="muted">{cuts.name(item.note, "Note on an item")}</span>'
        rows.append(text)
    whole = (f"{i.name} — {i.note}" if notes and i.note else i.name for i in members)
    return _list(cuts.rows(rows, len(members), "items", whole))


def _items(items: Sequence[Item], cuts: _Cuts) -> str:
    """Items grouped by the list they come from, then by tier, in the store's order.

    In a list with tiers, an item without one is shown under its note when it has one: the
    note says what the source tells about its tier ("selected as second and third-tier
    technologies"), which "Tier not stated" would contradict. Items sharing a note share the
    heading; only items without a note are "Tier not stated".
    """
    groups: dict[str, dict[int | None, list[Item]]] = {}
    for item in items:
        groups.setdefault(item.list_name, {}).setdefault(item.tier, []).append(item)
    out = []
    for list_name, tiers in groups.items():
        if list_name:
            out.append(f'<p class="group">{cuts.name(list_name, "List")}</p>')
        for tier, members in tiers.items():
            if tier is not None:
                out.append(f'<p class="tier">Tier {tier}</p>')
                out.append(_item_rows(members, cuts))
            elif len(tiers) == 1:
                out.append(_item_rows(members, cuts))
            else:
                by_note: dict[str, list[Item]] = {}
                for item in members:
                    by_note.setdefault(item.note or "", []).append(item)
                for note, group in by_note.items():
                    if note:
                        shown = cuts.name(note, "Note on items")
                        out.append(f'<p class="tier" style="font-weight:normal">{shown}</p>')
                    else:
                        out.append('<p class="tier">Tier not stated</p>')
                    out.append(_item_rows(group, cuts, notes=False))
    return "".join(out)


def _highlight(fragment: str, terms: Sequence[str]) -> str:
    """Mark search terms in text outside tags (the fragment is already escaped HTML)."""
    words = [w for w in (t.strip() for t in terms) if w]
    if not words:
        return fragment
    pattern = re.compile("|".join(re.escape(_e(w)) for w in words), re.IGNORECASE)
    out = []
    # tags and entities stay as they are: a term must never match inside `&amp;` or an href
    for part in re.split(r"(<[^>]*>|&#?\w+;)", fragment):
        if part.startswith(("<", "&")):
            out.append(part)
        else:
            out.append(
                pattern.sub(
                    lambda m: f'<span style="background-color:{_MARK}">{m.group(0)}</span>',
                    part,
                )
            )
    return "".join(out)


def event_html(event: Event, countries: dict[str, str], highlight: Sequence[str] = ()) -> str:
    """The detail pane's HTML for an event (see `event_document`).

    Args:
        event: The event, with its quotes, relations, actors and items.
        countries: ISO code -> name, to name the countries.
        highlight: Search terms to mark in the text (case-insensitive).

    Returns:
        An HTML fragment (body content) with every text escaped, long texts and lists cut.
    """
    return event_document(event, countries, highlight).html


def event_document(
    event: Event, countries: dict[str, str], highlight: Sequence[str] = ()
) -> DetailDocument:
    """The detail pane's HTML for an event, with the whole of every text it cuts.

    Texts longer than LONG_TEXT (names: LONG_NAME) characters are cut and lists longer than
    MAX_ROWS rows are shortened, each followed by a ``more:N`` link whose whole text is
    ``whole[N]``: the pane lays out a few thousand characters whatever the store holds.

    Args:
        event: The event, with its quotes, relations, actors and items.
        countries: ISO code -> name, to name the countries.
        highlight: Search terms to mark in the text (case-insensitive).
    """
    cuts = _Cuts()
    title = cuts.name(event.title, "Title")
    parts = [f"<h1>{title}</h1>", _badges(event), _date_block(event, cuts)]
    if event.summary:
        parts.append(f'<p class="summary">{cuts.text(event.summary, "Summary")}</p>')

    def role_rank(role: str) -> int:
        return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)

    ranked = sorted(event.countries, key=lambda cr: role_rank(cr[1]))
    country_rows = [
        f"{cuts.name(countries.get(code, code), 'Country')} "
        f'<span class="muted">({cuts.name(code, "Country code")}) — '
        f"{cuts.name(role, 'Role')}</span>"
        for code, role in ranked[:MAX_ROWS]
    ]
    every_country = (f"{countries.get(code, code)} ({code}) — {role}" for code, role in ranked)
    country_rows = cuts.rows(country_rows, len(ranked), "countries", every_country)
    parts.append(_section("Countries", _list(country_rows)))

    agencies = [(a, r) for a, r in event.agencies if _is_agency(a)]
    others = [(a, r) for a, r in event.agencies if not _is_agency(a)]
    agency_rows = [
        f'{_names(actor, cuts)} <span class="muted">— {cuts.name(role, "Role")}</span>'
        for actor, role in agencies[:MAX_ROWS]
    ]
    # a person's own position ("researcher at …") helps as much as the event role
    other_rows = [
        f"{_names(actor, cuts)}"
        + (f", {cuts.name(actor.role, 'Position')}" if actor.role else "")
        + f' <span class="muted">— {cuts.name(role, "Role")}</span>'
        for actor, role in others[:MAX_ROWS]
    ]
    every_agency = (f"{a.name} — {r}" for a, r in agencies)
    every_other = (f"{a.name}{', ' + a.role if a.role else ''} — {r}" for a, r in others)
    agency_rows = cuts.rows(agency_rows, len(agencies), "agencies", every_agency)
    other_rows = cuts.rows(other_rows, len(others), "people and organisations", every_other)
    parts.append(_section("Agencies", _list(agency_rows)))
    parts.append(_section("People and organisations", _list(other_rows)))

    parts.append(_section("Items", _items(event.items, cuts)))

    def verb(rel: Relation) -> str:
        return (_INCOMING if rel.incoming else _OUTGOING).get(rel.kind, rel.kind.label)

    rel_rows = [
        f'{_e(verb(rel))}: <a href="{_e(event_href(rel.target.key))}">'
        f"{cuts.name(rel.target.title, 'Related event')}</a>"
        f' <span class="muted">({_e(rel.target.start.display())})</span>'
        for rel in event.relations[:MAX_ROWS]
    ]
    every_relation = (
        f"{verb(r)}: {r.target.title} ({r.target.start.display()})" for r in event.relations
    )
    rel_rows = cuts.rows(rel_rows, len(event.relations), "related events", every_relation)
    parts.append(_section("Related events", _list(rel_rows)))

    if event.quotes:
        quotes = [_quote(q, cuts) for q in event.quotes[:MAX_ROWS]]
        every_quote = (f"“{q.text}” — {q.source.title}" for q in event.quotes)
        quotes = cuts.rows(quotes, len(event.quotes), "quotes", every_quote)
        if len(event.quotes) > MAX_ROWS:
            quotes[-1] = f"<p>{quotes[-1]}</p>"
        parts.append(_section("Quotes", "".join(quotes)))

    facts = []
    if event.topic:
        facts.append(f"Topic: {cuts.name(event.topic, 'Topic')}")
    if event.provenance is not None:
        p = event.provenance
        where = cuts.name(p.file, "File") + (f", line {p.line}" if p.line is not None else "")
        facts.append(
            f"Imported from {where} by {cuts.name(p.importer, 'Importer')} "
            f"on {cuts.name(p.imported_at, 'Import time')}"
        )
    if facts:
        parts.append('<p class="muted">' + "<br>".join(facts) + "</p>")
    return DetailDocument(_highlight("".join(p for p in parts if p), highlight), cuts.whole)


def shown_text(text: str, limit: int = LONG_TEXT) -> str:
    """The part of a text the pane shows (all of it, or what it is cut to)."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 9 // 10 else cut


def quote_at(event: Event, plain_text: str, position: int) -> Quote | None:
    """The quote of `event` whose text in the detail pane holds (or last precedes) `position`
    in the pane's plain text; the first quote when the cursor is above every quote."""
    best: Quote | None = None
    for q in event.quotes[:MAX_ROWS]:
        at = plain_text.find(shown_text(q.text))
        if at < 0:
            continue
        if at <= position:
            best = q
    if best is None and event.quotes:
        best = event.quotes[0]
    return best
