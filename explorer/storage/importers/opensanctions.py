"""The OpenSanctions CSV exports of single lists (their `datasets/*/*.csv` source files).

Each dataset has its own header; every profile here is recognised by its columns and says which
column holds what, and what the list itself fixes (China's lists are issued by CN; the DoD 1260H
list is the DoD's, of Chinese military companies):

- `cn_sanctions`: Type, QID, Name, Alias, Chinese name, Country, Topics, ..., Body, List, Date
  (day-first `DD.MM.YYYY` and `DD.MM.YY` mixed), End date, Source URL;
- EU regulations (`eu_32014R0833` ...): celex, recordId, programKey, annex, measure, startDate
  (`D.M.YYYY` or `25 November 2025`), schema, name, alias, ..., nationality, ...;
- single US lists (`us_bis_mieu`): Type, Name, Alias, Country, Topics, Program, Date, End date,
  Source URL;
- `us_dod_1260h`: Name, Clean Name, Alias, Previous Name, Parent Name, Note, Start date, ...;
- `us_ndaa_section_1286`: schema, name, aliases, ..., report-date (a year), start-date, ...;
- `us_fcc_covered_list`: covered_equipment_or_services, date_of_inclusion_on_covered_list
  (several dates run together: "December 22, 2025Updated:January 7, 2026");
- Federal Register notice lists (`us_isn_nonproliferation`): document_number,
  publication_date, html_url, pdf_url: one event per notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.domain.date_parse import DateOrder
from explorer.storage.importers.common import Group, ImportFileError, Layout

TOPICS = {
    "sanction.counter": "countermeasures",
    "export.control": "export controls",
    "sanction": "sanctions",
    "debarment": "debarment",
}


def _topic(v: dict[str, str]) -> None:
    topics = [t.strip() for t in v.get("topic", "").split(";") if t.strip()]
    v["topic"] = "; ".join(TOPICS.get(t, t) for t in topics)


# The abbreviations the cn_sanctions file uses for China's lists.
CN_LISTS = {
    "UEL": "Unreliable Entity List (UEL)",
    "AFSL": "countermeasures under the Anti-Foreign Sanctions Law (AFSL)",
}


def _prepare_cn(v: dict[str, str]) -> None:
    _topic(v)
    listed = v.get("list", "")
    v["list"] = CN_LISTS.get(listed, listed)


def _celex(celex: str) -> str:
    """`32014R0833` -> `Regulation 833/2014`, `32020R1998` -> `Regulation 2020/1998`.

    The CELEX number reformatted as the EU cites acts: number/year before 2015, year/number
    from 2015 on.
    """
    m = re.fullmatch(r"3(\d{4})([RDL])(\d{4})", celex.strip())
    if not m:
        return celex
    kind = {"R": "Regulation", "D": "Decision", "L": "Directive"}[m.group(2)]
    year, number = int(m.group(1)), int(m.group(3))
    return f"{kind} {year}/{number}" if year >= 2015 else f"{kind} {number}/{year}"


def _prepare_eu(v: dict[str, str]) -> None:
    celex = v.pop("celex", "")
    annex = v.pop("annex", "")
    measure = v.pop("measure", "")
    name = _celex(celex) if celex else "EU list"
    if annex:
        name += f", Annex {annex}"
    if measure:
        name += f" ({measure})"
    v["list"] = name
    if celex:
        v["url"] = f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"
        v["citation"] = f"CELEX {celex}"
    if v.get("id"):
        v["id"] = f"{annex}-{v['id']}"


def _prepare_program(v: dict[str, str]) -> None:
    """`US-BIS-MIEU`: the program code names the issuing country and agency."""
    _topic(v)
    code = v.get("program", "")
    parts = code.split("-")
    if parts and len(parts[0]) == 2 and parts[0].isalpha() and not v.get("issuer"):
        v["issuer"] = parts[0]
    agency = {"BIS": "bis", "OFAC": "ofac", "DOS": "us-state-isn", "ISN": "us-state-isn"}.get(
        parts[1].upper() if len(parts) > 1 else ""
    )
    if agency:
        v["agency"] = agency
    if code == "US-BIS-MIEU":
        v["list"] = "Military End-User List (MEU)"
    else:
        v["list"] = code


def _prepare_1260h(v: dict[str, str]) -> None:
    parent = v.pop("parent", "")
    notes = [n for n in (v.get("note", ""),) if n]
    if parent:
        notes.insert(0, f"parent: {parent}")
    v["note"] = "; ".join(notes)


def _prepare_1286(v: dict[str, str]) -> None:
    _topic(v)
    # The program cell is the statute: it is the list's legal citation.
    program = v.pop("program", "")
    if program:
        v["citation"] = program


def _prepare_fr(v: dict[str, str]) -> None:
    number = v.get("id", "")
    url = v.get("url", "")
    words = ""
    m = re.search(r"/documents/\d{4}/\d{2}/\d{2}/[^/]+/([^/?#]+)", url)
    if m:
        words = m.group(1).replace("-", " ").strip()
        words = words[:1].upper() + words[1:]
    v["title"] = f"Federal Register notice {number}" + (f": {words}" if words else "")
    v["citation"] = f"FR Doc. {number}" if number else ""


def _title_fcc(g: Group) -> str:
    what = "item" if g.n == 1 else "items"
    return f"FCC adds {g.n} {what} of equipment or services to the Covered List"


@dataclass(frozen=True)
class Profile:
    """An OpenSanctions dataset layout: the columns that identify it, and its Layout."""

    signature: frozenset[str]
    layout: Layout
    forbidden: frozenset[str] = frozenset()


PROFILES: tuple[Profile, ...] = (
    Profile(
        frozenset({"Type", "Name", "Alias", "Chinese name", "Country", "Body", "List", "Date"}),
        Layout(
            format="opensanctions",
            name="OpenSanctions cn_sanctions (China's counter-sanctions and export controls)",
            columns={
                "type": ("Type",),
                "name": ("Name",),
                "aliases": ("Alias", "Chinese name"),
                "target": ("Country",),
                "topic": ("Topics",),
                "agency": ("Body",),
                "list": ("List",),
                "start": ("Date",),
                "end": ("End date",),
                "url": ("Source URL",),
                "note": ("Summary", "Chinese summary"),
            },
            constants={"issuer": "CN"},
            date_order=DateOrder.DAY_FIRST,
            prepare=_prepare_cn,
        ),
    ),
    Profile(
        frozenset({"celex", "recordId", "programKey", "annex", "measure", "startDate", "name"}),
        Layout(
            format="opensanctions",
            name="OpenSanctions EU regulation annex (celex, recordId, ..., startDate)",
            columns={
                "celex": ("celex",),
                "annex": ("annex",),
                "measure": ("measure",),
                "id": ("recordId",),
                "program": ("programKey",),
                "type": ("schema",),
                "name": ("name",),
                "aliases": ("alias", "weakAlias", "previousName"),
                "start": ("startDate",),
                "target": ("country", "nationality", "jurisdiction"),
                "note": ("position",),
            },
            constants={"agency": "european-union", "issuer": "EU"},
            date_order=DateOrder.DAY_FIRST,
            prepare=_prepare_eu,
        ),
    ),
    Profile(
        frozenset({"Type", "Name", "Alias", "Country", "Program", "Date", "Source URL"}),
        Layout(
            format="opensanctions",
            name="OpenSanctions single list (Type, Name, ..., Program, Date, Source URL)",
            columns={
                "type": ("Type",),
                "name": ("Name",),
                "aliases": ("Alias",),
                "target": ("Country",),
                "topic": ("Topics",),
                "program": ("Program",),
                "start": ("Date",),
                "end": ("End date",),
                "url": ("Source URL",),
            },
            date_order=DateOrder.UNDECLARED,
            prepare=_prepare_program,
        ),
        forbidden=frozenset({"Body"}),
    ),
    Profile(
        frozenset({"Name", "Clean Name", "Alias", "Previous Name", "Start date", "Source Url"}),
        Layout(
            format="opensanctions",
            name="OpenSanctions us_dod_1260h (DoD list of Chinese military companies)",
            columns={
                "name": ("Clean Name", "Name"),
                "aliases": ("Alias", "Previous Name"),
                "parent": ("Parent Name",),
                "note": ("Note",),
                "start": ("Start date",),
                "end": ("End date",),
                "url": ("Source Url",),
            },
            constants={
                "agency": "us-dod",
                "issuer": "US",
                "target": "CN",
                "list": "Section 1260H list of Chinese military companies",
            },
            date_order=DateOrder.UNDECLARED,
            prepare=_prepare_1260h,
        ),
    ),
    Profile(
        frozenset({"schema", "name", "aliases", "program", "authority", "report-date"}),
        Layout(
            format="opensanctions",
            name="OpenSanctions us_ndaa_section_1286 (foreign talent programs, by report year)",
            columns={
                "type": ("schema",),
                "name": ("name",),
                "aliases": ("aliases",),
                "topic": ("topics",),
                "program": ("program",),
                "start": ("start-date", "report-date"),
                "end": ("end-date",),
                "target": ("country",),
                "url": ("source_url",),
                "note": ("notes", "reason"),
            },
            constants={"agency": "us-dod", "issuer": "US", "list": "Section 1286 list"},
            date_order=DateOrder.UNDECLARED,
            alias_split=r"\s*;\s*",
            prepare=_prepare_1286,
        ),
    ),
    Profile(
        frozenset({"covered_equipment_or_services", "date_of_inclusion_on_covered_list"}),
        Layout(
            format="opensanctions",
            name="OpenSanctions us_fcc_covered_list (FCC Covered List)",
            columns={
                "name": ("covered_equipment_or_services",),
                "start": ("date_of_inclusion_on_covered_list",),
            },
            constants={
                "agency": "fcc",
                "issuer": "US",
                "list": "Covered List",
                "type": "equipment or services",
            },
            date_order=DateOrder.UNDECLARED,
            title=_title_fcc,
        ),
    ),
    Profile(
        frozenset({"document_number", "publication_date", "html_url"}),
        Layout(
            format="opensanctions",
            name="Federal Register notices (document_number, publication_date, html_url)",
            columns={
                "id": ("document_number",),
                "start": ("publication_date",),
                "url": ("html_url", "pdf_url"),
            },
            constants={"agency": "federal-register", "issuer": "US"},
            kind="announcement",
            status="announced",
            date_order=DateOrder.UNDECLARED,
            prepare=_prepare_fr,
        ),
    ),
)

# OpenSanctions' whole-database export: no listing dates in it.
_SIMPLE = {"id", "schema", "name", "aliases", "sanctions", "first_seen", "last_seen"}


def match(header: list[str]) -> Layout | None:
    """The profile this header is, if any (the most specific one).

    Raises:
        ImportFileError: the header is OpenSanctions' targets.simple.csv, which has no dates.
    """
    names = set(header)
    best: Profile | None = None
    for p in PROFILES:
        fits = p.signature <= names and not (p.forbidden & names)
        if fits and (best is None or len(p.signature) > len(best.signature)):
            best = p
    if best is not None:
        return best.layout
    if names >= _SIMPLE:
        raise ImportFileError(
            "OpenSanctions targets.simple.csv has no listing dates (first_seen is when "
            "OpenSanctions first saw an entry); to import it anyway name the columns, e.g. "
            "--format csv --map start=first_seen --map name=name"
        )
    return None
