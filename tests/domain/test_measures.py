"""Measures with a lifecycle: a measure's phase on a day, and whether it stands (no Qt, no SQL).

The rule (explorer/domain/measures.py): a phase applies from its date's first day to its end's
last day (for good without an end); the status is the latest phase applying, ties broken by the
lifecycle's order then the event key; None before any phase applies; the measure stands when
the status is in force, amended or resumed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.domain.dates import PartialDate, Precision
from explorer.domain.measures import (
    NOT_YET,
    STANDING,
    Measure,
    MeasureKind,
    MeasurePhase,
    Phase,
    current_phase,
    standing,
    stands_on,
    status_on,
    status_text,
)
from explorer.domain.model import Actor, ActorKind


def d(text: str) -> date:
    return date.fromisoformat(text)


def phase(kind: Phase, start: str, end: str | None = None, key: str = "") -> MeasurePhase:
    return MeasurePhase(
        kind,
        PartialDate.parse(start),
        PartialDate.parse(end) if end else None,
        key or f"{kind.value}-{start}",
        f"{kind.label} {start}",
    )


MOFCOM = Actor("mofcom", "Ministry of Commerce", ActorKind.MINISTRY, "CN")

# The rare-earth controls of October 2025 as the issue describes them: announced, in force,
# then suspended "until 10 November 2026".
RARE_EARTHS = Measure(
    "cn-rare-earth-controls-2025",
    "Rare-earth export controls (announcements 61 and 62)",
    MeasureKind.CONTROL_LIST,
    (MOFCOM,),
    (
        phase(Phase.ANNOUNCED, "2025-10-09"),
        phase(Phase.IN_FORCE, "2025-10-09", key="zz-in-force"),
        phase(Phase.SUSPENDED, "2025-11-07", "2026-11-10"),
    ),
)


@pytest.mark.parametrize(
    ("day", "status", "stands"),
    [
        ("2025-10-08", None, False),  # not yet
        ("2025-10-09", Phase.IN_FORCE, True),  # announced and in force the same day
        ("2025-11-06", Phase.IN_FORCE, True),
        ("2025-11-07", Phase.SUSPENDED, False),
        ("2026-11-10", Phase.SUSPENDED, False),  # the end's last day still counts
        ("2026-11-11", Phase.IN_FORCE, True),  # back to the phase before the suspension
    ],
)
def test_a_suspension_with_an_end_returns_the_measure_to_the_phase_before(
    day: str, status: Phase | None, stands: bool
) -> None:
    assert status_on(RARE_EARTHS, d(day)) is status
    assert stands_on(RARE_EARTHS, d(day)) is stands
    assert status_text(RARE_EARTHS, d(day)) == (NOT_YET if status is None else status.value)


def test_partial_dates_count_from_their_first_day() -> None:
    m = Measure(
        "m",
        "Drone controls",
        MeasureKind.RULE,
        phases=(
            phase(Phase.PROPOSED, "2023"),
            phase(Phase.ANNOUNCED, "2023-07"),
            phase(Phase.IN_FORCE, "2023-Q3"),
            phase(Phase.REVOKED, "2024-12"),
        ),
    )
    assert status_on(m, d("2022-12-31")) is None
    assert status_on(m, d("2023-01-01")) is Phase.PROPOSED
    # 2023-07 and 2023-Q3 both begin on 1 July: the later phase of the lifecycle wins
    assert status_on(m, d("2023-07-01")) is Phase.IN_FORCE
    assert status_on(m, d("2024-11-30")) is Phase.IN_FORCE
    assert status_on(m, d("2024-12-01")) is Phase.REVOKED
    assert not stands_on(m, d("2030-01-01"))


def test_amended_and_resumed_stand_suspended_revoked_and_expired_do_not() -> None:
    assert {Phase.IN_FORCE, Phase.AMENDED, Phase.RESUMED} == STANDING
    for p in Phase:
        m = Measure("m", "M", MeasureKind.LAW, phases=(phase(p, "2024-01-01"),))
        assert stands_on(m, d("2024-06-01")) is (p in STANDING)
        assert standing([m], d("2024-06-01")) == ([m] if p in STANDING else [])


def test_a_measure_without_phases_is_never_anything() -> None:
    m = Measure("empty", "Nothing yet", MeasureKind.PROPOSAL)
    assert status_on(m, d("2024-01-01")) is None
    assert status_text(m, d("2024-01-01")) == NOT_YET
    assert not stands_on(m, d("2024-01-01"))


def test_a_lone_phase_that_ended_leaves_nothing_applying() -> None:
    m = Measure(
        "ban",
        "A temporary ban",
        MeasureKind.BAN,
        phases=(phase(Phase.IN_FORCE, "2024-01-01", "2024-06"),),
    )
    assert stands_on(m, d("2024-06-30"))
    assert status_on(m, d("2024-07-01")) is None


def test_phases_are_kept_in_order_and_found_by_event() -> None:
    m = Measure(
        "m",
        "M",
        MeasureKind.RULE,
        phases=(
            phase(Phase.REVOKED, "2025-01-01", key="c"),
            phase(Phase.ANNOUNCED, "2024-01-01", key="a"),
            phase(Phase.IN_FORCE, "2024-01-01", key="b"),
        ),
    )
    assert [p.event_key for p in m.phases] == ["a", "b", "c"]
    assert m.phase_of("b") is m.phases[1] and m.phase_of("nope") is None
    assert Phase.IN_FORCE.label == "In force" and MeasureKind.LISTING_PROGRAMME.label == (
        "Listing programme"
    )


# ------------------------------------------------------------------------------ properties

DAY0 = d("2020-01-01")
days = st.integers(min_value=0, max_value=1500).map(lambda n: DAY0 + timedelta(days=n))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(days)
    return PartialDate.of(day, draw(st.sampled_from(list(Precision))))


@st.composite
def measure_phases(draw: st.DrawFn) -> MeasurePhase:
    start = draw(partial_dates())
    end = None
    if draw(st.booleans()):
        end_day = start.first_day() + timedelta(days=draw(st.integers(0, 400)))
        end = PartialDate.of(end_day)
    return MeasurePhase(
        draw(st.sampled_from(list(Phase))), start, end, draw(st.text("abcdef", min_size=1))
    )


@st.composite
def measures(draw: st.DrawFn) -> Measure:
    phases = draw(st.lists(measure_phases(), max_size=6, unique_by=lambda p: p.event_key))
    return Measure("m", "M", MeasureKind.RULE, phases=tuple(phases))


@given(m=measures(), day=days, seed=st.integers(0, 1000))
def test_the_order_phases_are_given_in_does_not_matter(m: Measure, day: date, seed: int) -> None:
    shuffled = list(m.phases)
    random.Random(seed).shuffle(shuffled)
    again = Measure(m.key, m.title, m.kind, phases=tuple(shuffled))
    assert again == m
    assert status_on(again, day) is status_on(m, day)


@given(m=measures(), day=days)
def test_the_status_is_the_latest_phase_applying(m: Measure, day: date) -> None:
    applying = [p for p in m.phases if p.applies_on(day)]
    status = status_on(m, day)
    if not applying:
        assert status is None and current_phase(m, day) is None
        return
    latest = current_phase(m, day)
    assert latest is not None and status is latest.phase
    assert latest in applying
    # no phase applying that day begins after it (ties: later in the lifecycle, then key)
    assert all(p.order_key() <= latest.order_key() for p in applying)
    assert stands_on(m, day) is (status in STANDING)


@given(m=measures(), day=days)
def test_nothing_applies_before_the_first_phase(m: Measure, day: date) -> None:
    if not m.phases or day < m.phases[0].first_day:
        assert status_on(m, day) is None
        assert status_text(m, day) == NOT_YET


@given(m=measures(), day=days)
def test_an_ended_phase_is_as_if_it_never_was(m: Measure, day: date) -> None:
    # after its end, a phase changes nothing: the measure is where it would be without it
    for p in m.phases:
        last = p.last_day
        if last is not None and day > last:
            without = Measure(m.key, m.title, m.kind, phases=tuple(q for q in m.phases if q != p))
            assert status_on(m, day) is status_on(without, day)


@given(m=measures(), day=days)
def test_without_ends_the_status_is_a_step_function(m: Measure, day: date) -> None:
    open_ended = Measure(
        m.key,
        m.title,
        m.kind,
        phases=tuple(
            MeasurePhase(p.phase, p.date, None, p.event_key, p.event_title) for p in m.phases
        ),
    )
    begun = [p for p in open_ended.phases if p.first_day <= day]
    assert status_on(open_ended, day) is (begun[-1].phase if begun else None)


@given(m=measures(), day=days)
def test_a_phase_beginning_later_on_its_own_day_decides(m: Measure, day: date) -> None:
    # a phase added on `day`, later than everything in the lifecycle and by key, is the status
    last = Phase.EXPIRED
    added = MeasurePhase(last, PartialDate.of(day), None, "~last", "")
    more = Measure(m.key, m.title, m.kind, phases=(*m.phases, added))
    assert status_on(more, day) is last
    assert not stands_on(more, day)
