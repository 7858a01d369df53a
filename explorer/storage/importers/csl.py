"""The US Consolidated Screening List (CSL) CSV, in its older and its newer layout.

Older (trade.gov 2016, e.g. the State ISN component): `Source List, Programs, Name, Alternative
Names, Country, Federal Register Notice, Effective Date, Remarks/Notes, Web Link`, with US
`M/D/YYYY` dates and comma-separated alternative names. The full older list adds `Entity Number`,
`SDN Type`, `Address`, ... which are read where present.

Newer (api.trade.gov): `_id, source, entity_number, type, programs, name, title, addresses,
federal_register_notice, start_date, end_date, ..., alt_names, citizenships, nationalities, ...`
with ISO dates and `; `-separated multi-valued fields.

Each CSL source code names its list and the agency that keeps it (the CSL's own code book).
"""

from __future__ import annotations

import re

from explorer.domain.date_parse import DateOrder
from explorer.storage.importers.common import Layout

# CSL source code -> (agency key, list name).
LISTS: dict[str, tuple[str, str]] = {
    "ISN": ("us-state-isn", "Nonproliferation Sanctions (ISN)"),
    "DTC": ("us-state-ddtc", "ITAR Debarred (DTC)"),
    "EL": ("bis", "Entity List (EL)"),
    "DPL": ("bis", "Denied Persons List (DPL)"),
    "UVL": ("bis", "Unverified List (UVL)"),
    "MEU": ("bis", "Military End User List (MEU)"),
    "SDN": ("ofac", "Specially Designated Nationals (SDN)"),
    "FSE": ("ofac", "Foreign Sanctions Evaders (FSE)"),
    "SSI": ("ofac", "Sectoral Sanctions Identifications (SSI)"),
    "PLC": ("ofac", "Palestinian Legislative Council List (PLC)"),
    "CAP": ("ofac", "CAPTA List (CAP)"),
    "CAPTA": ("ofac", "CAPTA List (CAPTA)"),
    "NS-MBS": ("ofac", "Non-SDN Menu-Based Sanctions List (NS-MBS)"),
    "MBS": ("ofac", "Non-SDN Menu-Based Sanctions List (NS-MBS)"),
    "CMIC": ("ofac", "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC)"),
    "NS-CMIC": ("ofac", "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC)"),
    "NS-PLC": ("ofac", "Non-SDN Palestinian Legislative Council List (NS-PLC)"),
}

OLD_SIGNATURE = {"Source List", "Programs", "Name", "Effective Date"}
NEW_SIGNATURE = {"source", "entity_number", "programs", "name", "start_date"}


def _prepare(v: dict[str, str]) -> None:
    """Source list -> agency and list name; addresses -> countries."""
    source = v.get("list", "").strip()
    code = source
    m = re.search(r"\(([A-Z][A-Z-]*)(?: List)?\)", source)
    if m:
        code = m.group(1)
    known = LISTS.get(code.upper().strip())
    if known is not None:
        v["agency"] = known[0]
        v["list"] = known[1]
    elif " - " in source:
        # "Some New List (SNL) - Bureau of Industry and Security": the agency as written
        name, agency = source.rsplit(" - ", 1)
        v["list"], v["agency"] = name.strip(), agency.strip()
    else:
        v["agency"] = v.get("agency") or source
    # Newer layout: the country closes each address ("...; Shenzhen, Guangdong, CN").
    addresses = v.pop("addresses", "")
    if addresses:
        tail = [a.rsplit(",", 1)[-1].strip() for a in addresses.split(";") if a.strip()]
        extra = "; ".join(t for t in tail if t)
        if extra:
            v["target"] = f"{v['target']}; {extra}" if v.get("target") else extra


OLD = Layout(
    format="csl",
    name="CSL, older layout (Source List, ..., Effective Date)",
    columns={
        "list": ("Source List",),
        "id": ("Entity Number",),
        "type": ("SDN Type", "Type"),
        "program": ("Programs",),
        "name": ("Name",),
        "aliases": ("Alternative Names", "Alternate Names", "Alt. Names"),
        "target": ("Country",),
        "citation": ("Federal Register Notice",),
        "start": ("Effective Date",),
        "end": ("Date Lifted/Waived/Expired",),
        "note": ("Remarks/Notes", "Remarks"),
        "url": ("Web Link", "Source Information URL"),
    },
    constants={"issuer": "US"},
    date_order=DateOrder.US,
    # "CITC, Technology Cooperation Office, TCO": the older layout separates names by commas.
    alias_split=r"\s*[;,]\s*",
    program_split=r"\s*;\s*",
    prepare=_prepare,
)

NEW = Layout(
    format="csl",
    name="CSL, newer layout (source, entity_number, ..., start_date)",
    columns={
        "list": ("source",),
        "id": ("entity_number", "_id"),
        "type": ("type",),
        "program": ("programs",),
        "name": ("name",),
        "aliases": ("alt_names",),
        "target": ("citizenships", "nationalities", "country"),
        "addresses": ("addresses",),
        "citation": ("federal_register_notice",),
        "start": ("start_date",),
        "end": ("end_date",),
        "note": ("remarks", "license_requirement"),
        "url": ("source_information_url", "source_list_url"),
    },
    constants={"issuer": "US"},
    # The newer layout writes ISO dates; a slash date in it is read as US, as the CSL does.
    date_order=DateOrder.US,
    alias_split=r"\s*;\s*",
    program_split=r"\s*;\s*",
    prepare=_prepare,
)


def match(header: list[str]) -> Layout | None:
    """The CSL layout this header is, if any."""
    names = set(header)
    if names >= OLD_SIGNATURE:
        return OLD
    if names >= NEW_SIGNATURE:
        return NEW
    return None
