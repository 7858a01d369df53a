"""The agencies that publish the lists we import, as actors of the user store.

Keys follow the curated store's actors where it has them (`mofcom`, `bis`, `european-union`,
`federal-register`), so that a filter by agency finds curated and imported events alike. A name
that matches none of these becomes its own actor (`agency-<slug>`), named as the file writes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    """A list publisher.

    Attributes:
        key: Actor key (the event's lane_agency).
        name: Full name.
        short: The name used in generated titles ("MOFCOM adds ...").
        country: ISO code of the issuing country (or EU).
        kind: Actor kind (ministry, agency, legislature ...).
        aliases: Other names, in every script, as (name, lang).
    """

    key: str
    name: str
    short: str
    country: str
    kind: str = "agency"
    aliases: tuple[tuple[str, str], ...] = ()


KNOWN: tuple[Agency, ...] = (
    Agency(
        "mofcom",
        "Ministry of Commerce",
        "MOFCOM",
        "CN",
        "ministry",
        (("MOFCOM", "en"), ("商务部", "zh"), ("Ministry of Commerce of the PRC", "en")),
    ),
    Agency(
        "cn-mfa",
        "Ministry of Foreign Affairs",
        "MFA",
        "CN",
        "ministry",
        (("MFA", "en"), ("外交部", "zh"), ("Ministry of Foreign Affairs of the PRC", "en")),
    ),
    Agency(
        "cn-tao",
        "Taiwan Affairs Office of the State Council",
        "Taiwan Affairs Office",
        "CN",
        "agency",
        (("TAO", "en"), ("国务院台湾事务办公室", "zh"), ("国台办", "zh")),
    ),
    Agency(
        "cn-cpc-taiwan-work-office",
        "Taiwan Work Office of the CPC Central Committee",
        "CPC Taiwan Work Office",
        "CN",
        "agency",
        (("中共中央台湾工作办公室", "zh"),),
    ),
    Agency(
        "ofac",
        "Office of Foreign Assets Control",
        "OFAC",
        "US",
        "agency",
        (("OFAC", "en"), ("Treasury Department", "en"), ("U.S. Department of the Treasury", "en")),
    ),
    Agency(
        "bis",
        "Bureau of Industry and Security",
        "BIS",
        "US",
        "agency",
        (("BIS", "en"),),
    ),
    Agency(
        "us-state-isn",
        "Bureau of International Security and Nonproliferation, U.S. Department of State",
        "State Department (ISN)",
        "US",
        "agency",
        (("ISN", "en"), ("State Department", "en")),
    ),
    Agency(
        "us-state-ddtc",
        "Directorate of Defense Trade Controls, U.S. Department of State",
        "State Department (DDTC)",
        "US",
        "agency",
        (("DDTC", "en"), ("DTC", "en")),
    ),
    Agency(
        "us-dod",
        "U.S. Department of Defense",
        "DoD",
        "US",
        "ministry",
        (("DoD", "en"), ("Department of Defense", "en"), ("Pentagon", "en")),
    ),
    Agency(
        "fcc",
        "Federal Communications Commission",
        "FCC",
        "US",
        "agency",
        (("FCC", "en"),),
    ),
    Agency(
        "european-union",
        "European Union",
        "EU",
        "EU",
        "government",
        (("EU", "en"),),
    ),
    Agency(
        "federal-register",
        "Federal Register",
        "Federal Register",
        "US",
        "agency",
        (),
    ),
)

_BY_KEY = {a.key: a for a in KNOWN}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


_BY_NAME: dict[str, Agency] = {}
for _a in KNOWN:
    for _n in (_a.key, _a.name, _a.short, *(n for n, _ in _a.aliases)):
        _BY_NAME.setdefault(_norm(_n), _a)
# Treasury and State as a whole appear in CSL source names; they are the agencies above.
_BY_NAME["treasury department"] = _BY_KEY["ofac"]
_BY_NAME["state department"] = _BY_KEY["us-state-isn"]


def slug(text: str, limit: int = 48) -> str:
    """A key-safe slug of any text (CJK kept as is)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out = re.sub(r"[^\w]+", "-", text).strip("-")
    return out[:limit].strip("-") or "x"


def by_key(key: str) -> Agency:
    """A known agency by key.

    Raises:
        KeyError: not a known agency.
    """
    return _BY_KEY[key]


def resolve(text: str, country: str) -> Agency:
    """The agency a file names: a known one, or a new actor named as the file writes it."""
    found = _BY_NAME.get(_norm(text))
    if found is not None:
        return found
    name = re.sub(r"\s+", " ", text).strip()
    return Agency(f"agency-{slug(name)}", name, name, country)
