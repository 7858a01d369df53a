"""Domain events for the pure export tests: built in code, no store, no Qt.

The names and quotes are test values (not curated facts); some are Chinese and Japanese so every
format is exercised with CJK text, and some carry commas, quotes and newlines that a careless CSV
writer would break on.
"""

from __future__ import annotations

from explorer.domain.dates import Basis, PartialDate
from explorer.domain.model import (
    Actor,
    ActorKind,
    Alias,
    Event,
    EventRef,
    Item,
    Kind,
    Quote,
    Relation,
    RelationKind,
    Source,
    Status,
)

MOFCOM = Actor(
    "mofcom", "Ministry of Commerce", ActorKind.MINISTRY, "CN", aliases=(Alias("商务部", "zh"),)
)
ANALYST = Actor("fan", "ファン・グオビン", ActorKind.PERSON, "CN", role="researcher")
SRC_EN = Source(
    "src-en",
    "China to place export controls on aerospace parts",
    "Reuters",
    "en",
    PartialDate(2024, 5, 30),
    "https://example.org/reuters/aerospace",
)
SRC_JA = Source(
    "src-ja",
    "中国の研究チームが63品目の輸出管理リストを提案",
    "Hong Kong 01",
    "ja",
    PartialDate(2026, 6),
    "https://example.org/hk01/63-items",
    translator="A. Tanaka",
)


def sample_events() -> list[Event]:
    """Three events in date order, across two years."""
    a = Event(
        id=1,
        key="cn-announce",
        title='商务部 announces export controls, on "aerospace" items',
        summary="Controls on engines,\nspacecraft parts and more.",
        kind=Kind.ANNOUNCEMENT,
        status=Status.ANNOUNCED,
        start=PartialDate(2024, 5, 30),
        end=None,
        basis=Basis.EXTERNAL,
        date_note="Reuters of the day",
        date_source=SRC_EN,
        country="CN",
        agency="mofcom",
        topic="aerospace",
        importance=3,
        countries=(("CN", "issuer"), ("US", "affected")),
        agencies=((MOFCOM, "issuer"),),
        items=(Item("eng", "aircraft engines"), Item("sat", "satellite parts", "list", 1)),
        quotes=(Quote("These restrictions are set to take effect from July 1.", SRC_EN),),
        relations=(
            Relation(
                RelationKind.TAKES_EFFECT,
                EventRef("cn-in-force", "Controls take effect", PartialDate(2024, 7, 1)),
                incoming=True,
            ),
        ),
    )
    b = Event(
        id=2,
        key="cn-in-force",
        title="Controls take effect",
        summary="",
        kind=Kind.RULE_IN_FORCE,
        status=Status.IN_FORCE,
        start=PartialDate(2024, 7, 1),
        end=PartialDate(2024, 12),
        basis=Basis.INFERRED,
        date_note="“from July 1”",
        date_source=None,
        country="CN",
        agency="mofcom",
        topic="aerospace",
        importance=2,
        agencies=((MOFCOM, "issuer"),),
        quotes=(Quote("These restrictions are set to take effect from July 1.", SRC_EN),),
        relations=(
            Relation(
                RelationKind.TAKES_EFFECT,
                EventRef("cn-announce", "Controls announced", PartialDate(2024, 5, 30)),
            ),
        ),
    )
    c = Event(
        id=3,
        key="cas-63",
        title="研究チーム proposes a 63-item list",
        summary="A *draft* list [tiers].",
        kind=Kind.PROPOSAL,
        status=Status.PROPOSED,
        start=PartialDate(2026, 6),
        end=None,
        basis=Basis.STATED,
        date_note="",
        date_source=None,
        country="CN",
        agency="cas",
        topic="technology",
        importance=2,
        quotes=(Quote('輸出管理リスト, "draft"\nsecond line', SRC_JA, speaker=ANALYST),),
    )
    return [a, b, c]
