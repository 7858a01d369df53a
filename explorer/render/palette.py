"""The one palette: every colour a kind, a status or a page element is shown in, everywhere.

The timeline, the overview strip, the event list, the detail pane and every exported picture
read their colours here, so a proposal is the same colour on the timeline, in the list and in a
PDF. Kind colours are the Okabe-Ito set, told apart by colour-blind readers too; a kind also has
its own mark shape, so colour is never the only cue. Colours are hex text (`#rrggbb`): the
painter turns them into QColors, the detail pane writes them into its HTML.
"""

from __future__ import annotations

from explorer.domain.model import Kind, Status

#: Each kind's colour on the timeline, in the list and in pictures.
KIND_COLOURS: dict[Kind, str] = {
    Kind.ANNOUNCEMENT: "#0072B2",
    Kind.RULE_IN_FORCE: "#009E73",
    Kind.SANCTION_LISTING: "#D55E00",
    Kind.PROPOSAL: "#CC79A7",
    Kind.STATEMENT: "#E69F00",
    Kind.STATISTIC: "#56B4E9",
    Kind.REPORT: "#6E6E6E",
}

#: Each kind's mark shape (the painter draws these).
KIND_SHAPES: dict[Kind, str] = {
    Kind.ANNOUNCEMENT: "circle",
    Kind.RULE_IN_FORCE: "square",
    Kind.SANCTION_LISTING: "diamond",
    Kind.PROPOSAL: "circle",
    Kind.STATEMENT: "triangle",
    Kind.STATISTIC: "bar",
    Kind.REPORT: "page",
}

#: How each status is drawn, in the legend's words.
STATUS_MARKS: dict[Status, str] = {
    Status.PROPOSED: "Proposed (hollow, dashed)",
    Status.ANNOUNCED: "Announced (filled)",
    Status.IN_FORCE: "In force (filled, heavy black outline)",
    Status.REVOKED: "Revoked (greyed, struck through)",
    Status.REPORTED: "Reported (pale, with a centre dot)",
}

#: A revoked measure's greys: its outline and its fill.
REVOKED_LINE = "#9aa0a6"
REVOKED_FILL = "#c9ccd1"

#: Status badges in the detail pane: (background, text).
STATUS_BADGES: dict[Status, tuple[str, str]] = {
    Status.PROPOSED: ("#fff3cd", "#7a4d00"),
    Status.ANNOUNCED: ("#e3ecfa", "#1f4e8c"),
    Status.IN_FORCE: ("#dcf2e3", "#1b6b3a"),
    Status.REVOKED: ("#eeeeee", "#555555"),
    Status.REPORTED: ("#ece6f6", "#553d8a"),
}
#: The kind badge in the detail pane: (background, text).
KIND_BADGE = ("#eef1f5", "#333a45")
#: The loud "proposal, not a rule" badge of the detail pane: (background, text).
PROPOSAL_BADGE = ("#b45309", "#ffffff")
#: The "PROPOSAL" tag of the event list: (background, text).
PROPOSAL_TAG = ("#fff3cd", "#8a5300")

#: Text and lines of pages and panes.
INK = "#1b1f24"
MUTED = "#57606a"
RULE = "#d0d7de"
#: Grey for facet values that would give no event.
EMPTY = "#8a8f98"
#: Error text (a date that is no date).
ERROR = "#b00020"
#: Links in the detail pane.
LINK = "#1f5fbf"
#: A search word found in the detail pane.
HIGHLIGHT = "#ffe58a"

#: The date range being chosen on the overview strip (Shift+drag): its band and its words.
RANGE_ACCENT = "#e37400"
RANGE_TEXT = "#8a4500"
#: Every event's density on the overview strip, under the filtered one.
FULL_DENSITY = "#9aa3ad"


def kind_colour(kind: str) -> str:
    """A kind's colour by its value (an unknown kind is grey)."""
    try:
        return KIND_COLOURS[Kind(kind)]
    except ValueError:
        return "#444444"


def kind_shape(kind: str) -> str:
    """A kind's mark shape by its value (an unknown kind is a circle)."""
    try:
        return KIND_SHAPES[Kind(kind)]
    except ValueError:
        return "circle"
