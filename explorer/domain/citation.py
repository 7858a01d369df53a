"""Author-date citations of a source, as a student pastes them into a paper.

Two styles: APA (7th edition, the default) and Chicago author-date. Missing parts are said
honestly rather than guessed: no author puts the outlet (or the title) in the author's place, no
date gives "n.d.", a date known only to the month or year is cited to that precision, and a
translated source names its translator.

`best_source` picks the source to cite for an event when the reader has chosen no quote: the
issuing government's own record, then a wire service or newspaper of record, never a personal
page or republished copy while another source is cited (see `source_sort_key`).
"""

from __future__ import annotations

import re
from enum import Enum, IntEnum
from urllib.parse import urlsplit

from explorer.domain.dates import MONTH_NAMES, PartialDate
from explorer.domain.model import Actor, ActorKind, Event, Source

_MONTHS = MONTH_NAMES


class Style(str, Enum):
    """A citation style."""

    APA = "apa"
    CHICAGO = "chicago"


def _end(text: str) -> str:
    """The text ending in a full stop (unless it already ends a sentence)."""
    text = text.strip()
    if not text or text[-1] in ".?!。？！":
        return text
    return text + "."


def _apa_date(d: PartialDate | None) -> str:
    if d is None:
        return "n.d."
    if d.quarter is not None:
        return f"{d.year}, Q{d.quarter}"
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{d.year}, {_MONTHS[d.month - 1]}"
    return f"{d.year}, {_MONTHS[d.month - 1]} {d.day}"


def _chicago_date(d: PartialDate) -> str:
    if d.quarter is not None:
        return f"Q{d.quarter} {d.year}"
    if d.month is None:
        return str(d.year)
    if d.day is None:
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"


def cite(source: Source, style: Style | str = Style.APA) -> str:
    """A reference-list entry for `source`.

    Args:
        source: The source to cite.
        style: `Style.APA` ("Outlet. (2024, June 3). Title. URL") or `Style.CHICAGO`
            ("Outlet. 2024. “Title.” June 3, 2024. URL").

    Returns:
        One line of plain text.
    """
    style = Style(style)
    if style is Style.CHICAGO:
        return _chicago(source)
    return _apa(source)


def _apa(s: Source) -> str:
    title = s.title.strip()
    if s.translator:
        title = f"{title} ({s.translator}, Trans.)"
    author = s.author.strip() or s.outlet.strip()
    parts: list[str] = []
    if author:
        parts.append(_end(author))
        parts.append(f"({_apa_date(s.published)}).")
        if title:
            parts.append(_end(title))
        # The outlet is named as the publisher unless it already stands as the author.
        if s.author.strip() and s.outlet.strip():
            parts.append(_end(s.outlet))
    else:
        # APA: with no author the title moves to the author's place.
        parts.append(_end(title or "Untitled source"))
        parts.append(f"({_apa_date(s.published)}).")
    if s.url:
        parts.append(s.url.strip())
    elif s.retrieved:
        parts.append(f"Retrieved {s.retrieved}.")
    return " ".join(parts)


def _chicago(s: Source) -> str:
    title = s.title.strip() or "Untitled source"
    author = s.author.strip() or s.outlet.strip()
    year = str(s.published.year) if s.published else "n.d."
    quoted = f"“{_end(title)}”"
    parts: list[str] = []
    if author:
        parts += [_end(author), f"{year}.", quoted]
    else:
        parts += [quoted, f"{year}."]
    if s.translator:
        parts.append(f"Translated by {_end(s.translator)}")
    tail: list[str] = []
    if s.author.strip() and s.outlet.strip():
        tail.append(s.outlet.strip())
    if s.published is not None and s.published.precision.value != "year":
        tail.append(_chicago_date(s.published))
    if tail:
        parts.append(_end(", ".join(tail)))
    if s.url:
        parts.append(s.url.strip())
    elif s.retrieved:
        parts.append(f"Accessed {s.retrieved}.")
    return " ".join(parts)


def short_reference(source: Source) -> str:
    """An in-text reference: `(South China Morning Post, 2024)`."""
    who = source.author.strip() or source.outlet.strip() or source.title.strip()
    year = str(source.published.year) if source.published else "n.d."
    return f"({who}, {year})"


# --------------------------------------------------------------------------- the best source
#
# Which of an event's sources to cite when the reader has not chosen a quote. The choice is a
# sort: `source_sort_key` gives each source a tuple (its tier first), `best_source` takes the
# smallest. The tier comes from `source_quality`, which reads a `quality` attribute when a source
# has one (a later schema may store the curators' judgement there) and otherwise judges from the
# outlet, the author and the URL. Add a criterion by extending the key, not by special cases.


class SourceQuality(IntEnum):
    """How good a source is to cite for an event; lower is better.

    Attributes:
        ISSUER: The issuing government's own record (its ministry, its gazette, its .gov site).
        RECORD: A wire service or newspaper of record, or another government's record.
        NAMED: Any other source that names its outlet or author (trade press, a law firm).
        UNNAMED: A page that names neither outlet nor author.
        COPY: A personal page or republishing site (blogspot.com and the like): cited only
            when nothing else is.
    """

    ISSUER = 0
    RECORD = 1
    NAMED = 2
    UNNAMED = 3
    COPY = 4


#: Actor kinds that speak for a government.
GOVERNMENT_KINDS = frozenset(
    {
        ActorKind.GOVERNMENT,
        ActorKind.MINISTRY,
        ActorKind.AGENCY,
        ActorKind.MILITARY,
        ActorKind.LEGISLATURE,
    }
)

#: Government bodies that publish records, by lower-case name, with their country ("" when the
#: name alone does not say whose it is). The event's own government actors are added to these.
GOVERNMENT_OUTLETS: dict[str, str] = {
    "federal register": "US",
    "bureau of industry and security": "US",
    "bis": "US",
    "u.s. department of commerce": "US",
    "us department of commerce": "US",
    "office of foreign assets control": "US",
    "ofac": "US",
    "u.s. department of the treasury": "US",
    "u.s. department of state": "US",
    "the white house": "US",
    "ministry of commerce": "CN",
    "mofcom": "CN",
    "general administration of customs": "CN",
    "state council": "CN",
    "ministry of industry and information technology": "CN",
    "standing committee of the national people's congress": "CN",
    "商务部": "CN",
    "商務部": "CN",
    "海关总署": "CN",
    "国务院": "CN",
    "official journal of the european union": "EU",
    "european commission": "EU",
    "council of the european union": "EU",
    "ministry of economy, trade and industry": "JP",
    "meti": "JP",
}
_GOVERNMENT_WORDS = re.compile(
    r"(?i)^(the\s+)?(ministry|department|bureau|office|general administration|state council"
    r"|government|federal register|official journal|embassy|consulate)\b"
    r"|(国务院|國務院|政府|[部局署]$|委员会$|委員會$)"
)

#: Wire services and newspapers of record, by lower-case name, with the domains they publish
#: on (a copy carried elsewhere, such as a wire story on a portal, ranks after the original).
RECORD_OUTLETS: dict[str, tuple[str, ...]] = {
    "reuters": ("reuters.com",),
    "associated press": ("apnews.com", "ap.org"),
    "ap": ("apnews.com", "ap.org"),
    "agence france-presse": ("afp.com",),
    "afp": ("afp.com",),
    "xinhua": ("xinhuanet.com", "news.cn", "xinhua.net"),
    "xinhua news agency": ("xinhuanet.com", "news.cn", "xinhua.net"),
    "bloomberg": ("bloomberg.com",),
    "the new york times": ("nytimes.com",),
    "new york times": ("nytimes.com",),
    "nyt": ("nytimes.com",),
    "the wall street journal": ("wsj.com",),
    "wall street journal": ("wsj.com",),
    "wsj": ("wsj.com",),
    "financial times": ("ft.com",),
    "ft": ("ft.com",),
    "south china morning post": ("scmp.com", "i-scmp.com"),
    "scmp": ("scmp.com", "i-scmp.com"),
    "nikkei": ("nikkei.com",),
    "nikkei asia": ("nikkei.com",),
    "caixin": ("caixin.com", "caixinglobal.com"),
    "caixin global": ("caixin.com", "caixinglobal.com"),
    "kyodo news": ("kyodonews.net",),
    "yonhap": ("yna.co.kr",),
    "the washington post": ("washingtonpost.com",),
    "the guardian": ("theguardian.com",),
    "bbc": ("bbc.co.uk", "bbc.com"),
    "the economist": ("economist.com",),
    "china daily": ("chinadaily.com.cn",),
    "people's daily": ("people.cn", "people.com.cn"),
}

#: Hosts of personal pages and republishing sites: a copy found there is never the original.
COPY_HOSTS = (
    "blogspot.com",
    "blogger.com",
    "wordpress.com",
    "medium.com",
    "substack.com",
    "tumblr.com",
    "livejournal.com",
    "weebly.com",
    "wixsite.com",
    "sites.google.com",
    "github.io",
    "postgazettenewstoday.com",
)

# Government domains by their last labels: `.gov`, `.mil` (US), `.gov.cn`, `.go.jp`, `.gouv.fr`,
# `.gob.mx`, `.govt.nz`, and a few that follow no pattern.
_GOV_SECOND_LEVEL = frozenset({"gov", "go", "gob", "gouv", "govt", "gv", "mil"})
_GOV_HOSTS = {
    "europa.eu": "EU",
    "gc.ca": "CA",
    "canada.ca": "CA",
    "admin.ch": "CH",
    "bund.de": "DE",
}
_COUNTRY_OF_TLD = {"uk": "GB"}


def url_host(url: str) -> str:
    """The lower-case host of a URL, without `www.` ("" when there is none)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # "http://[not an address"
        return ""
    return host.removeprefix("www.")


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def government_domain(url: str) -> str | None:
    """The country whose government runs the URL's site ("" when unsure whose), or None.

    `bis.gov` and `federalregister.gov` are the US's, `mofcom.gov.cn` and `customs.gov.cn`
    China's, `europa.eu` the EU's.
    """
    host = url_host(url)
    if not host:
        return None
    labels = host.split(".")
    if labels[-1] in ("gov", "mil"):
        return "US"
    if len(labels) >= 2 and labels[-2] in _GOV_SECOND_LEVEL and len(labels[-1]) == 2:
        return _COUNTRY_OF_TLD.get(labels[-1], labels[-1].upper())
    for domain, country in _GOV_HOSTS.items():
        if _on(host, domain):
            return country
    return None


def is_copy(source: Source) -> bool:
    """Whether the source's URL is a personal page or a republishing site (blogspot.com ...)."""
    host = url_host(source.url)
    return bool(host) and any(_on(host, h) for h in COPY_HOSTS)


def is_carried(source: Source) -> bool:
    """Whether a known outlet's text is linked on another site (a wire story on a portal)."""
    domains = RECORD_OUTLETS.get(source.outlet.strip().lower())
    host = url_host(source.url)
    return bool(domains and host) and not any(_on(host, d) for d in domains or ())


def _names(actor: Actor) -> list[str]:
    return [actor.name, *(a.name for a in actor.aliases)]


def government_actors(event: Event) -> dict[str, str]:
    """The event's government actors (agencies and quoted speakers), by lower-case name and
    alias, with their country ("" when not known)."""
    out: dict[str, str] = {}
    actors = [a for a, _ in event.agencies] + [q.speaker for q in event.quotes if q.speaker]
    for actor in actors:
        if actor.kind in GOVERNMENT_KINDS:
            for name in _names(actor):
                out.setdefault(name.strip().lower(), actor.country or "")
    return out


def issuing_countries(event: Event) -> frozenset[str]:
    """The countries that issued the event (its `issuer` countries, else its lane's country);
    empty when not known."""
    issuers = {code for code, role in event.countries if role == "issuer"}
    if not issuers and event.country:
        issuers = {event.country}
    return frozenset(c for c in issuers if c and c != "XX")


def government_of(source: Source, governments: dict[str, str] | None = None) -> str | None:
    """Whose government's own record the source is: a country code, "" (a government, but
    whose is not known), or None (not a government's record).

    Args:
        source: The source.
        governments: Government names (lower case) with their country, besides
            GOVERNMENT_OUTLETS: the event's own agencies (see `government_actors`).
    """
    for who in (source.outlet, source.author):
        name = who.strip().lower()
        if not name:
            continue
        if governments and name in governments:
            return governments[name]
        if name in GOVERNMENT_OUTLETS:
            return GOVERNMENT_OUTLETS[name]
        if _GOVERNMENT_WORDS.search(who.strip()):
            return ""
    return government_domain(source.url)


#: The curators' grades of a source (`Source.quality`, sources.quality in the store) as tiers.
_GRADE_TIERS = {
    "primary": SourceQuality.ISSUER,
    "established": SourceQuality.RECORD,
    "secondary": SourceQuality.NAMED,
    "copy": SourceQuality.COPY,
}


def source_quality(
    source: Source,
    issuers: frozenset[str] = frozenset(),
    governments: dict[str, str] | None = None,
) -> SourceQuality:
    """The tier of a source for an event issued by `issuers` (see SourceQuality).

    A source's own `quality` attribute, when it has one that names a tier ("issuer", 0 ...),
    is taken as it is: the curators' judgement comes before any guess.

    Args:
        source: The source.
        issuers: The issuing countries (see `issuing_countries`); empty when not known.
        governments: As for `government_of`.
    """
    stated = getattr(source, "quality", None)
    if stated is not None and stated != "":
        try:
            if isinstance(stated, str) and not stated.isdigit():
                grade = _GRADE_TIERS.get(str(getattr(stated, "value", stated)))
                if grade is not None:
                    return grade
                return SourceQuality[stated.strip().upper()]
            return SourceQuality(int(stated))
        except (KeyError, ValueError):
            pass
    if is_copy(source):
        return SourceQuality.COPY
    country = government_of(source, governments)
    if country is not None:
        if not country or not issuers or country in issuers:
            return SourceQuality.ISSUER
        return SourceQuality.RECORD
    if source.outlet.strip().lower() in RECORD_OUTLETS:
        return SourceQuality.RECORD
    host = url_host(source.url)
    if host and any(_on(host, d) for ds in RECORD_OUTLETS.values() for d in ds):
        return SourceQuality.RECORD
    if source.outlet.strip() or source.author.strip():
        return SourceQuality.NAMED
    return SourceQuality.UNNAMED


def event_sources(event: Event) -> list[Source]:
    """The event's sources in first-cited order: its quotes' sources, then its date's source."""
    out: dict[tuple[str, str], Source] = {}
    for q in event.quotes:
        out.setdefault((q.source.key, q.source.title), q.source)
    if event.date_source is not None:
        out.setdefault((event.date_source.key, event.date_source.title), event.date_source)
    return list(out.values())


SortKey = tuple[int, ...]


def source_sort_key(
    source: Source,
    event: Event,
    order: int = 0,
    *,
    issuers: frozenset[str] | None = None,
    governments: dict[str, str] | None = None,
) -> SortKey:
    """How `source` ranks among `event`'s sources; the smallest key is the best to cite.

    In order: the tier (SourceQuality); the source the event's date is taken from; an
    outlet's own site before a copy carried elsewhere; the order in which the event cites it.

    Args:
        source: One of the event's sources.
        event: The event.
        order: Its place among the event's sources (first cited: 0).
        issuers, governments: Worked out from the event when not given (pass them when
            ranking many sources of one event).
    """
    if issuers is None:
        issuers = issuing_countries(event)
    if governments is None:
        governments = government_actors(event)
    return (
        int(source_quality(source, issuers, governments)),
        0 if source == event.date_source else 1,
        1 if is_carried(source) else 0,
        order,
    )


def ranked_sources(event: Event) -> list[Source]:
    """The event's sources, best to cite first (see `source_sort_key`)."""
    issuers = issuing_countries(event)
    governments = government_actors(event)
    sources = event_sources(event)
    keyed = [
        (source_sort_key(s, event, n, issuers=issuers, governments=governments), s)
        for n, s in enumerate(sources)
    ]
    return [s for _, s in sorted(keyed, key=lambda pair: pair[0])]


def best_source(event: Event) -> Source | None:
    """The source to cite for `event` when no quote is chosen, or None when it cites none.

    The issuing government's own record first (an outlet or author that is a government body,
    or a government domain: `.gov`, `mofcom.gov.cn`, `federalregister.gov`), then a wire service
    or newspaper of record (Reuters, AP, AFP, Xinhua, SCMP ...), then other named sources; a
    personal page or republished copy (blogspot.com ...) only when nothing else is cited.
    """
    ranked = ranked_sources(event)
    return ranked[0] if ranked else None
