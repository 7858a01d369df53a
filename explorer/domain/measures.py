"""Measures with a lifecycle: what was in force on a given day.

A measure (a rule, a control list, a ban, a listing programme, a proposal, a law) moves through
dated phases: proposed, announced, in force, amended, suspended, resumed, revoked, expired. Each
phase is an event of the timeline, with its own sources; an event belongs to at most one
measure. A phase event may have an end ("suspended until 27 November 2026"): after its end it
no longer applies and the measure is back in the phase before it.

The rule, written once here and held by the tests against the store's SQL
(`explorer.storage.filter_sql`) and bitsets (`explorer.storage.facets`):

- a phase applies on a day from the first day of its date (a date known to the month counts
  from the 1st) up to the last day of its end, or for good when it has no end;
- the measure's status on a day is the latest phase applying that day: the one starting last,
  and of phases starting the same day the later in the lifecycle (the order of Phase), then the
  event key; None ("not yet") when no phase applies, before its first phase above all;
- the measure stands on a day when that status is in force, amended or resumed (STANDING).

Nothing here knows about Qt or SQLite.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from explorer.domain.dates import PartialDate
from explorer.domain.model import Actor


class Phase(str, Enum):
    """A phase of a measure's life, in lifecycle order (the order breaks ties of one day)."""

    PROPOSED = "proposed"
    ANNOUNCED = "announced"
    IN_FORCE = "in_force"
    AMENDED = "amended"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    REVOKED = "revoked"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        """`In force`, `Suspended` ..."""
        return self.value.replace("_", " ").capitalize()

    @property
    def rank(self) -> int:
        """Its place in the lifecycle (proposed 0 ... expired 7)."""
        return _RANKS[self]


_RANKS = {p: n for n, p in enumerate(Phase)}

#: The phases in which a measure stands (applies to those it names).
STANDING = frozenset({Phase.IN_FORCE, Phase.AMENDED, Phase.RESUMED})

#: What `status_text` says of a measure before its first phase.
NOT_YET = "not_yet"


class MeasureKind(str, Enum):
    """What sort of measure it is."""

    RULE = "rule"
    CONTROL_LIST = "control_list"
    BAN = "ban"
    LISTING_PROGRAMME = "listing_programme"
    PROPOSAL = "proposal"
    LAW = "law"

    @property
    def label(self) -> str:
        """`Control list`, `Listing programme` ..."""
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class MeasurePhase:
    """One phase of a measure: the event that marks it and its dates.

    Attributes:
        phase: Which phase.
        date: When it begins (its first day counts).
        end: When it stops applying (its last day still counts); None: for good.
        event_key: The key of the phase's event.
        event_title: The title of the phase's event.
    """

    phase: Phase
    date: PartialDate
    end: PartialDate | None = None
    event_key: str = ""
    event_title: str = ""

    @property
    def first_day(self) -> datetime.date:
        """The first day the phase applies."""
        return self.date.first_day()

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the phase applies; None when it has no end."""
        return None if self.end is None else self.end.last_day()

    def applies_on(self, day: datetime.date) -> bool:
        """Whether the phase applies on `day` (begun, and not ended before it)."""
        last = self.last_day
        return self.first_day <= day and (last is None or day <= last)

    def order_key(self) -> tuple[datetime.date, int, str]:
        """How phases are ordered: first day, then lifecycle order, then event key."""
        return (self.first_day, self.phase.rank, self.event_key)


@dataclass(frozen=True)
class Measure:
    """A measure and its phases (kept in `MeasurePhase.order_key` order).

    Attributes:
        key: Its stable key (`cn-gallium-germanium-controls`).
        title: Its name.
        kind: What sort of measure it is.
        issuers: The actors that issued it.
        phases: Its phases, in order.
        note: A curator's note.
    """

    key: str
    title: str
    kind: MeasureKind
    issuers: tuple[Actor, ...] = ()
    phases: tuple[MeasurePhase, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.phases, key=MeasurePhase.order_key))
        if ordered != self.phases:
            object.__setattr__(self, "phases", ordered)

    def phase_of(self, event_key: str) -> MeasurePhase | None:
        """The phase an event marks, or None when the event is not one of this measure's."""
        return next((p for p in self.phases if p.event_key == event_key), None)


def current_phase(measure: Measure, day: datetime.date) -> MeasurePhase | None:
    """The latest phase applying on `day` (see the module's rule), or None when none does."""
    latest: MeasurePhase | None = None
    for p in measure.phases:  # in order: the last applying one is the latest
        if p.first_day > day:
            break
        if p.applies_on(day):
            latest = p
    return latest


def status_on(measure: Measure, day: datetime.date) -> Phase | None:
    """The measure's phase on `day`; None ("not yet") when no phase applies that day.

    Args:
        measure: The measure.
        day: The day asked about.
    """
    p = current_phase(measure, day)
    return None if p is None else p.phase


def stands_on(measure: Measure, day: datetime.date) -> bool:
    """Whether the measure stands on `day`: its phase then is in force, amended or resumed."""
    return status_on(measure, day) in STANDING


def status_text(measure: Measure, day: datetime.date) -> str:
    """The measure's phase on `day` as text: the phase's value, or `not_yet`."""
    status = status_on(measure, day)
    return NOT_YET if status is None else status.value


def standing(measures: Iterable[Measure], day: datetime.date) -> list[Measure]:
    """The measures standing on `day`, in the order given."""
    return [m for m in measures if stands_on(m, day)]
