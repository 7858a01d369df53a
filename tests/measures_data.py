"""A curated dataset with measures: tests/fixtures/mini with two measures and their phases.

`cn-aerospace-controls` (a control list of MOFCOM and GAC): announced 2024-05-30, in force
2024-07-01, suspended 2025-11-10 until 2026-11-10 (then in force again). `cn-drone-controls`
(a rule of MOFCOM): announced July 2023 (known to the month), in force 2023-09-01, revoked
December 2024 (known to the month). The Reuters source is graded established and the HK01 one
secondary, so the two events only HK01 backs are flagged by `explorer check`; MOFCOM's Chinese
alias is written by the SCMP article and its Japanese one for Fan Guobing is our translation.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

AEROSPACE = "cn-aerospace-controls"
DRONES = "cn-drone-controls"

MEASURES = [
    {
        "key": AEROSPACE,
        "title": "Export controls on aerospace items",
        "kind": "control_list",
        "issuers": ["mofcom", "gac"],
        "note": "",
    },
    {
        "key": DRONES,
        "title": "Export controls on drones",
        "kind": "rule",
        "issuers": ["mofcom"],
        "note": "",
    },
]

PHASES = {
    "cn-2024-05-30-aerospace-controls-announced": (AEROSPACE, "announced"),
    "cn-2024-07-01-aerospace-controls-in-force": (AEROSPACE, "in_force"),
    "cn-2023-07-drone-export-restrictions": (DRONES, "announced"),
}


def _event(key: str, title: str, start: str, end: str | None, measure: str, phase: str) -> Any:
    return {
        "key": key,
        "title": title,
        "summary": title + ".",
        "kind": "announcement",
        "status": "in_force" if phase != "revoked" else "revoked",
        "start": start,
        "end": end,
        "basis": "stated",
        "date_note": "",
        "date_source": None,
        "lane_country": "CN",
        "lane_agency": "mofcom",
        "topic": "",
        "importance": 2,
        "measure": measure,
        "phase": phase,
        "countries": [{"code": "CN", "role": "issuer"}],
        "actors": [{"actor": "mofcom", "role": "issuer"}],
        "items": [],
        "quotes": [
            {
                "source": "src-reuters-2024-05-30",
                "speaker": None,
                "text": f"{title} (a test quote)",
                "start": None,
                "end": None,
            }
        ],
    }


NEW_EVENTS = [
    _event(
        "cn-2025-11-10-aerospace-controls-suspended",
        "Aerospace controls suspended for a year",
        "2025-11-10",
        "2026-11-10",
        AEROSPACE,
        "suspended",
    ),
    _event(
        "cn-2023-09-01-drone-controls-in-force",
        "Drone controls take effect",
        "2023-09-01",
        None,
        DRONES,
        "in_force",
    ),
    _event(
        "cn-2024-12-drone-controls-revoked",
        "Drone controls revoked",
        "2024-12",
        None,
        DRONES,
        "revoked",
    ),
]


def write_measures_data(target: Path) -> Path:
    """Copy tests/fixtures/mini to `target` with the measures, phases and grades above."""
    shutil.copytree(MINI, target)
    (target / "measures.json").write_text(json.dumps(MEASURES, indent=2), "utf-8")
    events = json.loads((target / "events.json").read_text("utf-8"))
    for e in events:
        if e["key"] in PHASES:
            e["measure"], e["phase"] = PHASES[e["key"]]
    events.extend(NEW_EVENTS)
    (target / "events.json").write_text(json.dumps(events, ensure_ascii=False), "utf-8")
    sources = json.loads((target / "sources.json").read_text("utf-8"))
    grades = {"src-reuters-2024-05-30": "established", "src-hk01": "secondary"}
    for s in sources:
        if s["key"] in grades:
            s["quality"] = grades[s["key"]]
    (target / "sources.json").write_text(json.dumps(sources, ensure_ascii=False), "utf-8")
    actors = json.loads((target / "actors.json").read_text("utf-8"))
    for a in actors:
        for alias in a.get("aliases") or []:
            if alias["name"] == "商务部":
                alias["source"] = "src-scmp"
            elif alias["name"] == "ファン・グオビン":
                alias["translated"] = True
    (target / "actors.json").write_text(json.dumps(actors, ensure_ascii=False), "utf-8")
    return target
