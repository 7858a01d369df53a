"""Limits on what a view holds and on the work a pasted or stored token costs.

A token is input from anyone: hostile ones are written here in the encoder's own format (a
valid checksum, so they get past it) and must be refused in one line after bounded work, while
every token the program ever made keeps opening.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import tracemalloc
import zlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.domain.dates import PartialDate
from explorer.domain.filters import (
    FIRST_DAY,
    LAST_DAY,
    MAX_FACET_VALUES,
    MAX_SEARCH_CHARS,
    MAX_VALUE_CHARS,
    FilterError,
    FilterState,
    parse_bound,
)
from explorer.domain.timescale import MAX_DAY, MAX_SPAN, MIN_DAY, MIN_SPAN
from explorer.domain.view import MAX_KEY_CHARS, ViewError, ViewState
from explorer.domain.view_token import (
    MAX_DEPTH,
    MAX_JSON_BYTES,
    MAX_TOKEN_CHARS,
    ViewTokenError,
    decode,
    encode,
)


def signed(raw: bytes, compress: bool = True) -> str:
    """A token of any content, made as `encode` makes one (so its checksum is right)."""
    body = b"\x01" + zlib.compress(raw, 9) if compress else b"\x00" + raw
    crc = zlib.crc32(body).to_bytes(4, "big")
    return "PTV1." + base64.urlsafe_b64encode(body + crc).decode("ascii").rstrip("=")


def of(data: object) -> str:
    return signed(json.dumps(data, separators=(",", ":")).encode())


def refused(token: str) -> str:
    """The one-line message `decode` refuses the token with."""
    with pytest.raises(ViewTokenError) as info:
        decode(token)
    message = str(info.value)
    assert "\n" not in message and len(message) < 300, message
    return message


def peak_bytes(fn: object) -> int:
    """The most memory Python held while `fn` ran (work, measured without a clock)."""
    tracemalloc.start()
    try:
        with contextlib.suppress(ViewTokenError):
            fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------------- old tokens still open

# Made by the encoder before these limits (the first is the empty view; the third holds 300
# item keys; the last is the earliest, widest window the timeline can show).
OLD_TOKENS = {
    "PTV1.AHt9HT50rg": ViewState(),
    "PTV1.AXjaJYxBCsIwEAC_InvOytrYVnr1LkjxJB5CTKWYNjFJURHPop_xWfoMt3icYZgbaKi2sFyBgE0NOwHHkX1w3kVl"
    "R9FABRllEqnkaPjTHNeS6cT0fb0_z8fEXLwLid2ZB6VcEJGY5UTTnB-WO3Uwvb5yYBh0j3wpkCRqFXEfVJOwkNgm06Ft"
    "Y4L7D9zLK50WAS9-": ViewState(
        FilterState(
            countries=("CN", "US"),
            kinds=("proposal",),
            search="芯片 export",
            date_from=parse_bound("2023-07"),
            date_to=parse_bound("2024-Q3"),
        ),
        (738_000.0, 1_500.5),
        "agency",
        "cn-2026-03-cas-draft-63-item-list",
    ),
    "PTV1.AHsidyI6WzY5MzU5NiwxODI2Mi41XX1byQl6": ViewState(window=(693_596.0, 18_262.5)),
    # from tests/fixtures/userstore/v1.sql, saved by the first release
    "PTV1.AHsiYyI6WyJDTiJdLCJmIjoiMjAyMCIsInciOls3MzcwMDAsMTUwMC41XSwibCI6ImFnZW5jeSJ926WBjQ": (
        ViewState(
            FilterState(countries=("CN",), date_from=parse_bound("2020")),
            (737_000.0, 1_500.5),
            "agency",
        )
    ),
}


@pytest.mark.parametrize("token", list(OLD_TOKENS))
def test_tokens_made_before_the_limits_still_open(token: str) -> None:
    assert decode(token) == OLD_TOKENS[token]
    assert encode(OLD_TOKENS[token]) == token


def test_a_view_at_every_limit_survives_a_round_trip() -> None:
    keys = tuple(f"imp:ofac:sdn-list:{i:05d}" for i in range(MAX_FACET_VALUES))
    view = ViewState(
        FilterState(
            items=keys,
            topics=("t" * MAX_VALUE_CHARS,),
            search="x" * MAX_SEARCH_CHARS,
            date_from=PartialDate.of(FIRST_DAY),
            date_to=PartialDate.of(LAST_DAY),
        ),
        (float(MIN_DAY), MAX_SPAN),
        "agency",
        "k" * MAX_KEY_CHARS,
    )
    token = encode(view)
    assert len(token) <= MAX_TOKEN_CHARS
    assert decode(token) == view
    assert decode(encode(view.with_window(MAX_DAY - MIN_SPAN, MIN_SPAN))).window == (
        MAX_DAY - MIN_SPAN,
        MIN_SPAN,
    )


# ---------------------------------------------------------------------- hostile tokens


def test_a_zip_bomb_is_refused_after_unpacking_no_more_than_the_limit() -> None:
    # 23 MB of search text in 30 K characters: it used to unpack whole and freeze the window
    token = signed(b'{"q":"' + b"a" * 23_000_000 + b'"}')
    assert len(token) < MAX_TOKEN_CHARS
    assert "256 KB" in refused(token)
    # bounded work: the unpacked text is never held whole (it was 23 MB, then 23 MB of str)
    assert peak_bytes(lambda: decode(token)) < 4 * MAX_JSON_BYTES


def test_a_token_too_long_is_refused_before_it_is_read() -> None:
    token = "PTV1." + "A" * (MAX_TOKEN_CHARS + 1)
    assert "too long" in refused(token) and "32,000" in refused(token)
    huge = "PTV1." + "A" * 50_000_000
    assert "too long" in refused(huge)
    assert peak_bytes(lambda: decode(huge)) < 1_000_000


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"w":[' + b"9" * 5000 + b",10]}", "digits"),  # int() itself refuses 4,300 digits
        (b'{"w":[1e400,10]}', "out of range"),
        (b'{"w":[NaN,10]}', "no number"),
        (b'{"w":[Infinity,10]}', "no number"),
        (b'{"w":[-Infinity,10]}', "no number"),
        (b'{"w":[1e308,10]}', "years the timeline can draw"),  # made every repaint throw
        (b'{"w":[-1e9,10]}', "years the timeline can draw"),
        (b'{"w":[738000,0.001]}', "1 day to 18262.5 days"),  # TimeScale raised on it
        (b'{"w":[738000,1e9]}', "1 day to 18262.5 days"),
        (b'{"w":[738000]}', "two numbers"),
        (b'{"w":[true,1]}', "two numbers"),
        (b'{"c":' + b"[" * 100_000 + b"]" * 100_000 + b"}", f"deeper than {MAX_DEPTH}"),
        (b'{"c":[[[[["x"]]]]]}', f"deeper than {MAX_DEPTH}"),
        (b'{"c":[["x"]]}', "list of strings"),
        (b'{"f":"9999"}', "1900–2199"),
        (b'{"f":"1899-12"}', "1900–2199"),
        (b'{"u":"0001"}', "1900–2199"),
        (b'{"f":"2024","u":"2023"}', "after it ends"),
        (b'{"q":"' + b"ab " * 400 + b'"}', "at most 1,000 characters"),
        (b'{"i":' + json.dumps([str(i) for i in range(1001)]).encode() + b"}", "at most 1,000"),
        (b'{"t":["' + b"x" * 600 + b'"]}', "at most 500 characters"),
        (b'{"e":"' + b"k" * 600 + b'"}', "at most 500"),
        (b'{"l":"sideways"}', "lane mode"),
        (b'{"' + b"z" * 100_000 + b'":1}', "unknown field"),
        (b"[1,2]", "not a view"),
        (b"\xff\xfe", "cannot be read"),
        (b'{"q":"a"} trailing', "cannot be read"),
    ],
)
def test_hostile_content_is_refused_in_one_line(content: bytes, words: str) -> None:
    for compress in (True, False):
        token = signed(content, compress)
        if len(token) > MAX_TOKEN_CHARS:
            continue
        assert words in refused(token)


def test_a_cut_or_unknown_packing_is_damaged() -> None:
    packed = zlib.compress(b'{"q":"drone"}', 9)
    for body in (b"\x01" + packed[:-3], b"\x02" + packed, b"\x01" + packed + b"junk"):
        crc = zlib.crc32(body).to_bytes(4, "big")
        token = "PTV1." + base64.urlsafe_b64encode(body + crc).decode().rstrip("=")
        assert "damaged" in refused(token)


def test_nothing_but_text_is_a_token() -> None:
    assert "empty" in refused(None)  # type: ignore[arg-type]
    assert "start with PTV1." in refused("PTV١." + "A" * 10)  # not ASCII digits
    assert "start with PTV1." in refused("PTV" + "9" * 50 + ".AAAA")


def test_a_view_too_large_for_a_token_is_refused_by_the_encoder() -> None:
    # a thousand long, different values in each of three facets: no token can hold them
    many = tuple(f"{i:04d}" + "q" * 480 for i in range(MAX_FACET_VALUES))
    view = ViewState(FilterState(items=many, topics=many, countries=many))
    with pytest.raises(ViewTokenError, match="too large for a view token"):
        encode(view)


# ---------------------------------------------------------------------- the view's own limits


def test_the_search_text_is_at_most_a_thousand_characters() -> None:
    assert len(FilterState(search="a" * MAX_SEARCH_CHARS).search) == MAX_SEARCH_CHARS
    # runs of white space count once, as the search reads them
    assert FilterState(search="a  " * 400).search == " ".join(["a"] * 400)
    with pytest.raises(FilterError, match=r"^search: the text has 1,001 characters; .*1,000"):
        FilterState(search="a" * 1001)
    with pytest.raises(FilterError, match="25,000,000 characters"):
        FilterState(search="a" * 25_000_000)


def test_range_bounds_are_years_the_timeline_can_draw() -> None:
    assert (date(1900, 1, 1), date(2199, 12, 31)) == (FIRST_DAY, LAST_DAY)
    assert parse_bound("1900").first_day() == FIRST_DAY
    assert parse_bound("2199-Q4").last_day() == LAST_DAY
    for text in ("1899", "1899-12-31", "2200", "9999-Q1", "0001"):
        with pytest.raises(FilterError, match=r"^--from: .* outside the years .*1900–2199"):
            parse_bound(text, "--from")
    with pytest.raises(FilterError, match=r"'x{40}'… \(100,000 characters\) is not a date"):
        parse_bound("x" * 100_000, "--to")


def test_facets_are_bounded_in_number_and_length() -> None:
    FilterState(items=tuple(str(i) for i in range(MAX_FACET_VALUES)))
    # duplicates count once
    FilterState(items=("a",) * (MAX_FACET_VALUES * 5))
    with pytest.raises(FilterError, match=r"^item: 1,001 values are selected"):
        FilterState(items=tuple(str(i) for i in range(MAX_FACET_VALUES + 1)))
    with pytest.raises(FilterError, match=r"^country: the value 'x{40}'… .* at most 500"):
        FilterState(countries=("x" * (MAX_VALUE_CHARS + 1),))


@pytest.mark.parametrize(
    "window",
    [
        (float(MIN_DAY), MIN_SPAN),
        (float(MIN_DAY), MAX_SPAN),
        (MAX_DAY - MAX_SPAN, MAX_SPAN),
        (738_000.25, MIN_SPAN * 0.9995),  # TimeScale's own rounding allowance
        (738_000.0, MAX_SPAN * 1.0005),
    ],
)
def test_windows_the_timeline_can_draw_are_views(window: tuple[float, float]) -> None:
    assert ViewState(window=window).window == window


@pytest.mark.parametrize(
    ("window", "words"),
    [
        ((math.nan, 10.0), "finite"),
        ((738_000.0, math.inf), "finite"),
        ((738_000.0, 0.0), "some time"),
        ((738_000.0, 0.5), "1 day to"),
        ((738_000.0, MAX_SPAN * 1.01), "1 day to"),
        ((MIN_DAY - 10.0, 5.0), "outside the years"),
        ((MAX_DAY - 2.0, 5.0), "outside the years"),
        ((1e308, 10.0), "outside the years"),
    ],
)
def test_windows_it_cannot_draw_are_refused(window: tuple[float, float], words: str) -> None:
    with pytest.raises(ViewError, match=words):
        ViewState(window=window)


# ---------------------------------------------------------------------- any text at all


def within_bounds(view: ViewState) -> None:
    f = view.filters
    assert len(f.search) <= MAX_SEARCH_CHARS
    for facet in ("countries", "agencies", "kinds", "statuses", "topics", "items"):
        values = f.values(facet)
        assert len(values) <= MAX_FACET_VALUES
        assert all(isinstance(v, str) and len(v) <= MAX_VALUE_CHARS for v in values)
    for bound in (f.date_from, f.date_to):
        assert bound is None or FIRST_DAY <= bound.first_day() <= bound.last_day() <= LAST_DAY
    if view.window is not None:
        start, span = view.window
        assert math.isfinite(start) and MIN_SPAN * 0.999 <= span <= MAX_SPAN * 1.001
        assert start >= MIN_DAY - 1 and start + span <= MAX_DAY + 1
    assert view.lane_mode in ("country", "agency")
    assert view.selection is None or len(view.selection) <= MAX_KEY_CHARS


def decodes_or_refuses(token: str) -> None:
    """The property: a valid view within bounds, or ViewTokenError in one line; nothing else."""
    try:
        view = decode(token)
    except ViewTokenError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
        return
    within_bounds(view)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["CN", "proposal", "2023", "2024-Q3", "2023-07-31", "agency", "9999"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=12,
)
view_keys = st.sampled_from(["c", "a", "k", "s", "t", "i", "f", "u", "q", "w", "l", "e"])


@st.composite
def hostile_views(draw: st.DrawFn) -> str:
    """Signed tokens of content that is almost a view: every key, any JSON value."""
    data = draw(st.dictionaries(view_keys | st.text(max_size=3), json_values, max_size=5))
    if draw(st.booleans()):
        lo = draw(st.floats(allow_nan=True, allow_infinity=True))
        data["w"] = [lo, draw(st.floats(allow_nan=True, allow_infinity=True))]
    raw = json.dumps(data, allow_nan=True).encode()
    return signed(raw, draw(st.booleans()))


@st.composite
def changed_tokens(draw: st.DrawFn) -> str:
    """Valid tokens, cut short, with characters changed, or signed again after a change."""
    token = draw(st.sampled_from(sorted(OLD_TOKENS)))
    how = draw(st.sampled_from(["cut", "change", "resign", "wrap"]))
    if how == "cut":
        return token[: draw(st.integers(0, len(token)))]
    if how == "wrap":
        return "\n ".join(token[i : i + 7] for i in range(0, len(token), 7))
    if how == "change":
        i = draw(st.integers(0, len(token) - 1))
        return token[:i] + draw(st.characters()) + token[i + 1 :]
    blob = bytearray(base64.urlsafe_b64decode(token[5:] + "=" * (-len(token[5:]) % 4)))[:-4]
    for _ in range(draw(st.integers(1, 4))):
        blob[draw(st.integers(0, len(blob) - 1))] = draw(st.integers(0, 255))
    crc = zlib.crc32(bytes(blob)).to_bytes(4, "big")
    return "PTV1." + base64.urlsafe_b64encode(bytes(blob) + crc).decode().rstrip("=")


@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_decodes_or_is_refused_in_one_line(text: str) -> None:
    decodes_or_refuses(text)
    decodes_or_refuses("PTV1." + text)


@given(st.binary(min_size=1, max_size=400), st.booleans())
def test_any_signed_bytes_decode_or_are_refused(content: bytes, compress: bool) -> None:
    decodes_or_refuses(signed(content, compress))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hostile_views())
def test_any_signed_content_decodes_or_is_refused(token: str) -> None:
    decodes_or_refuses(token)


@given(changed_tokens())
def test_cut_changed_and_resigned_tokens_decode_or_are_refused(token: str) -> None:
    decodes_or_refuses(token)


@settings(max_examples=25)
@given(st.integers(1, 40), st.sampled_from([b"a", b"[", b'{"q":', b"\x00"]))
def test_work_is_bounded_whatever_the_content(megabytes: int, unit: bytes) -> None:
    # up to 40 MB unpacked from at most MAX_TOKEN_CHARS: refused without holding it
    raw = unit * (megabytes * 1_000_000 // len(unit))
    token = signed(raw)
    if len(token) > MAX_TOKEN_CHARS:
        return
    assert peak_bytes(lambda: decodes_or_refuses(token)) < 4 * MAX_JSON_BYTES
