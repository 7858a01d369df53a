"""The things a timeline is made of, as frozen values.

The store turns rows into these; the Qt layer and the exporters read only these, so nothing above
storage needs to know a column name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from explorer.domain.dates import Basis, PartialDate, Precision

if TYPE_CHECKING:  # measures.py builds on Actor; an Event only names its measure
    from explorer.domain.measures import Measure, Phase


class Kind(str, Enum):
    """The kind of measure or report an event is."""

    ANNOUNCEMENT = "announcement"
    RULE_IN_FORCE = "rule_in_force"
    SANCTION_LISTING = "sanction_listing"
    PROPOSAL = "proposal"
    STATEMENT = "statement"
    STATISTIC = "statistic"
    REPORT = "report"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.ANNOUNCEMENT: "Announcement",
    Kind.RULE_IN_FORCE: "Rule in force",
    Kind.SANCTION_LISTING: "Sanction listing",
    Kind.PROPOSAL: "Proposal",
    Kind.STATEMENT: "Statement",
    Kind.STATISTIC: "Statistic",
    Kind.REPORT: "Report",
}


class Status(str, Enum):
    """Where a measure stands."""

    PROPOSED = "proposed"
    ANNOUNCED = "announced"
    IN_FORCE = "in_force"
    REVOKED = "revoked"
    REPORTED = "reported"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class RelationKind(str, Enum):
    """How one event points at another (from -> to)."""

    RESPONDS_TO = "responds_to"
    IMPLEMENTS = "implements"
    TAKES_EFFECT = "takes_effect"
    AMENDS = "amends"
    REPORTS_ON = "reports_on"
    CITES = "cites"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class ActorKind(str, Enum):
    GOVERNMENT = "government"
    MINISTRY = "ministry"
    AGENCY = "agency"
    MILITARY = "military"
    ACADEMY = "academy"
    INSTITUTE = "institute"
    UNIVERSITY = "university"
    JOURNAL = "journal"
    OUTLET = "outlet"
    PERSON = "person"
    COMPANY = "company"
    LEGISLATURE = "legislature"


class SourceGrade(str, Enum):
    """How close a source stands to what it reports, as the curators judge it (`sources.quality`).

    PRIMARY: the record itself (the issuing body's notice, gazette, statement);
    ESTABLISHED: a wire service, a newspaper of record or another government's record;
    SECONDARY: other reporting or commentary; COPY: a text republished elsewhere.
    """

    PRIMARY = "primary"
    ESTABLISHED = "established"
    SECONDARY = "secondary"
    COPY = "copy"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: Grades that do not back an event on their own: an event cited only by these is flagged.
WEAK_GRADES = frozenset({SourceGrade.SECONDARY, SourceGrade.COPY})


def only_weak_sources(grades: Iterable[SourceGrade | str | None]) -> bool:
    """Whether sources of these grades back an event only weakly: there is at least one, and
    every one is graded secondary or a copy (an ungraded source is not judged)."""
    seen = list(grades)
    weak = {g.value for g in WEAK_GRADES}
    return bool(seen) and all(g is not None and str(getattr(g, "value", g)) in weak for g in seen)


@dataclass(frozen=True)
class Alias:
    """Another name of an actor or item, in the script it is written in (`zh`, `ja`, `en` ...).

    Attributes:
        name: The name.
        lang: Its language or script tag.
        source: The key of a cited source that writes the name this way ("" when none does).
        translated: True when the name is our translation, written by no cited source.
    """

    name: str
    lang: str = ""
    source: str = ""
    translated: bool = False


@dataclass(frozen=True)
class Actor:
    """An agency, ministry, institute, outlet or person, with the names the sources use."""

    key: str
    name: str
    kind: ActorKind
    country: str | None = None
    role: str = ""
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class Source:
    """A published text that events are drawn from or cite."""

    key: str
    title: str
    outlet: str
    language: str
    published: PartialDate | None
    url: str = ""
    translator: str = ""
    retrieved: str = ""
    note: str = ""
    author: str = ""
    quality: SourceGrade | None = None


@dataclass(frozen=True)
class Quote:
    """A verbatim excerpt of a source, attributed to a speaker (None: the source's own voice)."""

    text: str
    source: Source
    speaker: Actor | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Item:
    """A controlled or proposed technology, product or listed entity."""

    key: str
    name: str
    list_name: str = ""
    tier: int | None = None
    note: str = ""


@dataclass(frozen=True)
class EventRef:
    """Enough of another event to name and link it."""

    key: str
    title: str
    start: PartialDate


@dataclass(frozen=True)
class Relation:
    """A link from the event that holds it to `target`, or from `target` when `incoming`."""

    kind: RelationKind
    target: EventRef
    incoming: bool = False


@dataclass(frozen=True)
class Provenance:
    """Where an imported event came from: the file, its line, the importer and when."""

    file: str
    sha256: str
    importer: str
    imported_at: str
    line: int | None = None


@dataclass(frozen=True)
class EventSummary:
    """The fields the timeline and lists need for one event: cheap to load by the thousand."""

    id: int
    key: str
    title: str
    kind: Kind
    status: Status
    start: PartialDate
    end: PartialDate | None
    start_day: int
    end_day: int
    country: str
    agency: str


@dataclass(frozen=True)
class Event:
    """Everything about one event, as the detail pane and the exports show it."""

    id: int
    key: str
    title: str
    summary: str
    kind: Kind
    status: Status
    start: PartialDate
    end: PartialDate | None
    basis: Basis
    date_note: str
    date_source: Source | None
    country: str
    agency: str
    topic: str
    importance: int
    countries: tuple[tuple[str, str], ...] = ()  # (ISO code, role)
    agencies: tuple[tuple[Actor, str], ...] = ()  # (actor, role)
    items: tuple[Item, ...] = ()
    quotes: tuple[Quote, ...] = ()
    relations: tuple[Relation, ...] = ()
    provenance: Provenance | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: The measure this event is a phase of (with all its phases), or None.
    measure: Measure | None = None
    #: Which phase of `measure` the event marks (None when it is no measure's).
    phase: Phase | None = None

    @property
    def precision(self) -> Precision:
        return self.start.precision
