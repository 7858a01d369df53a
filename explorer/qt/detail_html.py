"""Everything about one event as HTML for the detail pane (QTextBrowser's rich-text subset).

Pure: no Qt import, so it is tested without a QApplication and can serve an HTML export too.
Every piece of text from the store goes through :func:`html.escape`; links to other events use
``event:KEY`` hrefs, which the detail pane turns into a selection, and source links are the
sources' own http(s) URLs, which the pane opens in the browser.

QTextBrowser understands tables, spans with colours and a small CSS subset (no padding on
inline elements, no border-radius), so badges are one-cell tables.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from explorer.domain.dates import Basis, Precision, display_span
from explorer.domain.model import (
    Actor,
    ActorKind,
    Event,
    Item,
    Kind,
    Quote,
    RelationKind,
    Source,
    Status,
)
from explorer.render import palette

EVENT_SCHEME = "event"
_MARK = palette.HIGHLIGHT

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


def _names(actor: Actor) -> str:
    """The actor's name with its other names (every script) in parentheses."""
    others = [a.name for a in actor.aliases if a.name != actor.name]
    text = _e(actor.name)
    if others:
        text += ' <span class="alias">(' + ", ".join(_e(o) for o in others) + ")</span>"
    return text


def source_citation(source: Source) -> str:
    """One line citing a source: outlet, title, author, date, translator, link."""
    parts = []
    if source.author:
        parts.append(_e(source.author))
    if source.outlet:
        parts.append(f"<i>{_e(source.outlet)}</i>")
    parts.append(f"“{_e(source.title)}”")
    if source.published is not None:
        parts.append(_e(source.published.display()))
    if source.translator:
        parts.append(f"translated by {_e(source.translator)}")
    text = ", ".join(parts)
    if source.url:
        text += " · " + _link(source.url, source.url)
    return text


def _section(title: str, body: str) -> str:
    return f"<h3>{_e(title)}</h3>{body}" if body else ""


def _list(rows: Iterable[str]) -> str:
    rows = list(rows)
    return "<ul>" + "".join(f"<li>{r}</li>" for r in rows) + "</ul>" if rows else ""


def _date_block(event: Event) -> str:
    span = display_span(event.start, event.end)
    precision = _PRECISION_TEXT[event.start.precision]
    lines = [f'<p class="date"><b>{_e(span)}</b> <span class="muted">({_e(precision)})</span>']
    how = _e(_BASIS_TEXT.get(event.basis, event.basis.value))
    if event.date_note:
        how += ": " + _e(event.date_note)
    lines.append(f'<br><span class="how">{how}</span>')
    if event.date_source is not None:
        lines.append(
            f'<br><span class="how">Date source: {source_citation(event.date_source)}</span>'
        )
    lines.append("</p>")
    return "".join(lines)


def _quote(quote: Quote) -> str:
    speaker = quote.speaker
    if speaker is not None:
        who = f"<b>{_names(speaker)}</b>"
        if speaker.role:
            who += f", {_e(speaker.role)}"
    else:
        who = "<b>the article itself</b>"
    return (
        f'<blockquote><p class="quote">“{_e(quote.text)}”</p>'
        f'<p class="cite">— {who}<br>{source_citation(quote.source)}</p></blockquote>'
    )


def _item_rows(members: Sequence[Item], notes: bool = True) -> str:
    rows = []
    for item in members:
        text = _e(item.name)
        if notes and item.note:
            text += f' — <span class="muted">{_e(item.note)}</span>'
        rows.append(text)
    return _list(rows)


def _items(items: Sequence[Item]) -> str:
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
            out.append(f'<p class="group">{_e(list_name)}</p>')
        for tier, members in tiers.items():
            if tier is not None:
                out.append(f'<p class="tier">Tier {tier}</p>')
                out.append(_item_rows(members))
            elif len(tiers) == 1:
                out.append(_item_rows(members))
            else:
                by_note: dict[str, list[Item]] = {}
                for item in members:
                    by_note.setdefault(item.note or "", []).append(item)
                for note, group in by_note.items():
                    if note:
                        out.append(f'<p class="tier" style="font-weight:normal">{_e(note)}</p>')
                    else:
                        out.append('<p class="tier">Tier not stated</p>')
                    out.append(_item_rows(group, notes=False))
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
    """The detail pane's HTML for an event.

    Args:
        event: The event, with its quotes, relations, actors and items.
        countries: ISO code -> name, to name the countries.
        highlight: Search terms to mark in the text (case-insensitive).

    Returns:
        An HTML fragment (body content) with every text escaped.
    """
    parts = [f"<h1>{_e(event.title)}</h1>", _badges(event), _date_block(event)]
    if event.summary:
        parts.append(f'<p class="summary">{_e(event.summary)}</p>')

    def role_rank(role: str) -> int:
        return _ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER)

    country_rows = [
        f'{_e(countries.get(code, code))} <span class="muted">({_e(code)}) — {_e(role)}</span>'
        for code, role in sorted(event.countries, key=lambda cr: role_rank(cr[1]))
    ]
    parts.append(_section("Countries", _list(country_rows)))

    agency_rows = []
    other_rows = []
    for actor, role in event.agencies:
        if _is_agency(actor):
            agency_rows.append(f'{_names(actor)} <span class="muted">— {_e(role)}</span>')
        else:
            # a person's own position ("researcher at …") helps as much as the event role
            own = f", {_e(actor.role)}" if actor.role else ""
            other_rows.append(f'{_names(actor)}{own} <span class="muted">— {_e(role)}</span>')
    parts.append(_section("Agencies", _list(agency_rows)))
    parts.append(_section("People and organisations", _list(other_rows)))

    parts.append(_section("Items", _items(event.items)))

    rel_rows = []
    for rel in event.relations:
        verb = (_INCOMING if rel.incoming else _OUTGOING).get(rel.kind, rel.kind.label)
        rel_rows.append(
            f'{_e(verb)}: <a href="{_e(event_href(rel.target.key))}">{_e(rel.target.title)}</a>'
            f' <span class="muted">({_e(rel.target.start.display())})</span>'
        )
    parts.append(_section("Related events", _list(rel_rows)))

    if event.quotes:
        parts.append(_section("Quotes", "".join(_quote(q) for q in event.quotes)))

    facts = []
    if event.topic:
        facts.append(f"Topic: {_e(event.topic)}")
    if event.provenance is not None:
        p = event.provenance
        where = _e(p.file) + (f", line {p.line}" if p.line is not None else "")
        facts.append(f"Imported from {where} by {_e(p.importer)} on {_e(p.imported_at)}")
    if facts:
        parts.append('<p class="muted">' + "<br>".join(facts) + "</p>")
    return _highlight("".join(p for p in parts if p), highlight)


def quote_at(event: Event, plain_text: str, position: int) -> Quote | None:
    """The quote of `event` whose text in the detail pane holds (or last precedes) `position`
    in the pane's plain text; the first quote when the cursor is above every quote."""
    best: Quote | None = None
    for q in event.quotes:
        at = plain_text.find(q.text)
        if at < 0:
            continue
        if at <= position:
            best = q
    if best is None and event.quotes:
        best = event.quotes[0]
    return best
