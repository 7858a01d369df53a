"""View tokens: a round trip for any view, and a clear refusal of anything else."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.domain.dates import PartialDate
from explorer.domain.filters import FilterState
from explorer.domain.timescale import MAX_SPAN, MIN_SPAN
from explorer.domain.view_token import SavedView, ViewTokenError, decode, encode

values = st.lists(st.text(min_size=1, max_size=12).filter(str.strip), max_size=3)


@st.composite
def views(draw: st.DrawFn) -> SavedView:
    year = st.integers(1990, 2030)
    a = draw(st.none() | year)
    b = draw(st.none() | year)
    if a is not None and b is not None and a > b:
        a, b = b, a
    lo = draw(st.floats(700_000, 740_000, allow_nan=False))
    # what a timeline can show: one day to fifty years (narrower or wider windows are refused)
    width = draw(st.floats(MIN_SPAN, MAX_SPAN, allow_nan=False))
    return SavedView(
        filters=FilterState(
            countries=tuple(draw(values)),
            agencies=tuple(draw(values)),
            kinds=tuple(draw(st.lists(st.sampled_from(["proposal", "statement"])))),
            topics=tuple(draw(values)),
            items=tuple(draw(values)),
            date_from=None if a is None else PartialDate(a, draw(st.none() | st.integers(1, 12))),
            date_to=None if b is None else PartialDate(b),
            search=draw(st.text(max_size=30)),
            in_force_on=draw(st.none() | st.dates(date(1950, 1, 1), date(2150, 12, 31))),
        ),
        window=draw(st.none() | st.just((lo, width))),
        lane_mode=draw(st.sampled_from(["country", "agency"])),
        selection=draw(st.none() | st.text(min_size=1, max_size=40)),
    )


@given(views())
def test_every_view_survives_a_round_trip(view: SavedView) -> None:
    token = encode(view)
    assert decode(token) == view
    assert token.isascii() and " " not in token and "/" not in token and "+" not in token


def test_tokens_are_short_and_survive_line_breaks() -> None:
    view = SavedView(
        FilterState(countries=("CN", "US"), kinds=("proposal",), search="芯片"),
        (738_000.0, 1_500.5),
        "agency",
        "cn-2026-03-cas-draft-63-item-list",
    )
    token = encode(view)
    assert len(token) < 200
    wrapped = "\n".join(token[i : i + 30] for i in range(0, len(token), 30))
    assert decode(f"  {wrapped}\n") == view


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "empty"),
        ("hello world", "not a view token"),
        ("https://example.org/x", "not a view token"),
        ("PTV9.AAAA", "newer version"),
        ("PTV1.!!!!", "damaged"),
        ("PTV1.AA", "incomplete"),
    ],
)
def test_bad_tokens_are_refused_with_a_reason(token: str, message: str) -> None:
    with pytest.raises(ViewTokenError, match=message):
        decode(token)


def test_a_cut_or_changed_token_fails_its_checksum() -> None:
    token = encode(SavedView(FilterState(kinds=("proposal",)), (738_000, 400)))
    with pytest.raises(ViewTokenError, match=r"checksum|incomplete|damaged"):
        decode(token[:-3])
    i = len(token) // 2
    changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    with pytest.raises(ViewTokenError, match="checksum"):
        decode(changed)


# Tokens made before the in-force filter existed (saved in a schema-1 and a schema-2 store).
OLD_TOKENS = {
    "PTV1.AHsiYyI6WyJDTiJdLCJmIjoiMjAyMCIsInciOls3MzcwMDAsMTUwMC41XSwibCI6ImFnZW5jeSJ926WBjQ": (
        SavedView(
            filters=FilterState(countries=("CN",), date_from=PartialDate(2020)),
            window=(737000.0, 1500.5),
            lane_mode="agency",
        )
    ),
    "PTV1.AHsicSI6Ikh1YXdlaSJ9HeVMYw": SavedView(filters=FilterState(search="Huawei")),
    "PTV1.AHsiayI6WyJzYW5jdGlvbl9saXN0aW5nIl0sInEiOiJzaGlwcGluZyJ9X1YN4g": SavedView(
        filters=FilterState(kinds=("sanction_listing",), search="shipping")
    ),
}


@pytest.mark.parametrize("token", sorted(OLD_TOKENS))
def test_tokens_made_before_the_in_force_filter_decode_unchanged(token: str) -> None:
    view = decode(token)
    assert view == OLD_TOKENS[token]
    assert view.filters.in_force_on is None
    assert encode(view) == token  # and a view without the filter makes the same token


def _token_of(data: object) -> str:
    body = b"\x00" + json.dumps(data).encode()
    crc = zlib.crc32(body).to_bytes(4, "big")
    return "PTV1." + base64.urlsafe_b64encode(body + crc).decode().rstrip("=")


def test_the_in_force_filter_travels_in_a_token() -> None:
    view = SavedView(filters=FilterState(in_force_on=date(2024, 7, 1)))
    assert decode(encode(view)) == view
    assert decode(_token_of({"n": "2024-07-01"})) == view
    for bad in ("2024", "2024-07", 20240701, "someday"):
        with pytest.raises(ViewTokenError, match="in_force_on"):
            decode(_token_of({"n": bad}))
