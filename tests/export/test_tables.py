"""CSV and Markdown of the filtered events: what a spreadsheet and a reader see."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from explorer.domain.model import Event, Quote, Source
from explorer.export.tables import CSV_COLUMNS, to_csv_bytes, to_markdown
from explorer.storage.store import EventStore
from tests.export.sample_events import SRC_EN, SRC_JA, sample_events


def _read_csv(data: bytes) -> list[dict[str, str]]:
    # What a spreadsheet does: honour the BOM, split RFC 4180 records (newlines inside quotes).
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_starts_with_a_bom_and_uses_crlf_rows() -> None:
    data = to_csv_bytes(sample_events())
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n", 1)[0].decode()
    assert header.split(",") == list(CSV_COLUMNS)


def test_csv_round_trips_one_row_per_event_with_quotes_commas_and_newlines() -> None:
    events = sample_events()
    rows = _read_csv(to_csv_bytes(events))
    assert len(rows) == len(events)
    for row, event in zip(rows, events, strict=True):
        assert row["id"] == str(event.id)
        assert row["title"] == event.title  # commas and double quotes intact
        assert row["summary"] == event.summary  # the newline survives inside quotes
        assert row["start"] == event.start.iso()
        assert row["kind"] == event.kind.label
    first, second, third = rows
    assert first["date"] == "30 May 2024"
    assert second["date"] == "1 July 2024 – December 2024"
    assert second["end"] == "2024-12"
    assert third["start"] == "2026-06" and third["precision"] == "month"
    assert first["countries"] == "CN, issuer; US, affected"
    assert first["items"] == "aircraft engines; satellite parts (tier 1)"
    assert first["agencies"] == "Ministry of Commerce, issuer"


def test_csv_carries_quotes_and_citations() -> None:
    rows = _read_csv(
        to_csv_bytes(sample_events(), countries={"CN": "China", "US": "United States"})
    )
    first, _, third = rows
    assert first["quotes"] == "“These restrictions are set to take effect from July 1.” — Reuters"
    assert first["sources"].startswith("Reuters. (2024, May 30). China to place export controls")
    assert first["source_urls"] == SRC_EN.url
    assert first["countries"] == "China (CN), issuer; United States (US), affected"
    # CJK speaker, translator and quote with an embedded newline and double quotes
    assert third["speakers"] == "ファン・グオビン (researcher)"
    assert '輸出管理リスト, "draft"\nsecond line' in third["quotes"]
    assert "(A. Tanaka, Trans.)" in third["sources"]
    assert third["source_urls"] == SRC_JA.url


def test_csv_relations_in_words() -> None:
    first, second, _ = _read_csv(to_csv_bytes(sample_events()))
    assert first["relations"] == "Controls take effect (2024-07-01) takes effect of this"
    assert second["relations"] == "takes effect of: Controls announced (2024-05-30)"


def test_csv_of_no_events_is_the_header_alone() -> None:
    assert _read_csv(to_csv_bytes([])) == []


def test_markdown_is_a_chronology_grouped_by_year() -> None:
    md = to_markdown(
        sample_events(),
        title="Aerospace controls",
        filters=["Country: China"],
        data_version="2026.1",
        exported="2026-11-25",
        total=120,
    )
    assert md.startswith("# Aerospace controls\n")
    assert "3 of 120 events; filters: Country: China." in md
    assert "data version 2026.1, exported 2026-11-25" in md
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == ["2024", "2026", "Sources"]
    assert md.index("30 May 2024") < md.index("1 July 2024") < md.index("## 2026")
    assert "- **June 2026**: 研究チーム proposes a 63-item list (proposal, proposed)" in md
    # Markdown's own markup in the data is escaped, not interpreted
    assert r"A \*draft\* list \[tiers\]." in md


def test_markdown_footnotes_one_per_source_each_defined_once() -> None:
    md = to_markdown(sample_events())
    refs = re.findall(r"\[\^(\d+)\](?!:)", md)
    defs = re.findall(r"^\[\^(\d+)\]: (.+)$", md, flags=re.M)
    # the Reuters article is cited by two events but footnoted under one number
    assert sorted(set(refs)) == ["1", "2"]
    assert [n for n, _ in defs] == ["1", "2"]
    assert defs[0][1].startswith("Reuters. (2024, May 30).")
    assert defs[0][1].endswith(f" <{SRC_EN.url}>")  # an autolink, never backslash-escaped
    assert "中国の研究チームが63品目の輸出管理リストを提案 (A. Tanaka, Trans.)" in defs[1][1]
    assert "ファン・グオビン (researcher)[^2]" in md


def test_csv_of_a_real_store_round_trips(mini_store: Path) -> None:
    with EventStore(mini_store) as store:
        events = [store.event(s.id) for s in store.summaries()]
        rows = _read_csv(to_csv_bytes(events, countries=store.countries()))
    assert [r["key"] for r in rows] == [e.key for e in events]
    for row, event in zip(rows, events, strict=True):
        assert row["quotes"].count("“") == len(event.quotes)
        assert row["title"] == event.title


def test_markdown_keeps_urls_with_underscores_intact() -> None:
    src = SRC_EN.__class__(**{**SRC_EN.__dict__, "url": "https://example.org/a_b/c_d.html"})
    event = sample_events()[1]
    quotes = tuple(q.__class__(**{**q.__dict__, "source": src}) for q in event.quotes)
    md = to_markdown([event.__class__(**{**event.__dict__, "quotes": quotes})])
    assert "<https://example.org/a_b/c_d.html>" in md


def test_the_speakers_column_holds_people_and_institutions_never_a_title() -> None:
    first, _, third = _read_csv(to_csv_bytes(sample_events()))
    # the Reuters quote is the article's own voice: no speaker (it was "Reuters")
    assert first["speakers"] == ""
    assert first["quotes"].endswith("” — Reuters")  # the quote still says whose words
    assert third["speakers"] == "ファン・グオビン (researcher)"


def test_a_quote_of_a_source_with_no_outlet_is_not_attributed_to_its_title() -> None:
    untitled = Source("u", "[A page with no outlet]", "", "en", None, "https://example.org/u")
    event = sample_events()[1]
    event = replace(event, quotes=(Quote("Words.", untitled),))
    (row,) = _read_csv(to_csv_bytes([event]))
    assert row["quotes"] == "“Words.”"
    assert row["speakers"] == ""
    assert row["sources"].startswith("[A page with no outlet]")
    md = to_markdown([event])
    assert "  > “Words.”[^1]" in md


def _curated_events(curated_store: Path) -> list[Event]:
    with EventStore(curated_store) as store:
        return [store.event(s.id) for s in store.summaries()]


def test_curated_csv_speakers_are_the_quoted_people_and_institutions(
    curated_store: Path,
) -> None:
    events = _curated_events(curated_store)
    titles = {q.source.title for e in events for q in e.quotes}
    rows = {r["key"]: r for r in _read_csv(to_csv_bytes(events))}
    assert len(rows) == len(events)
    for event in events:
        row = rows[event.key]
        speakers = [s for s in row["speakers"].split("; ") if s]
        assert not any(t in row["speakers"] for t in titles), event.key
        expected = {q.speaker.name for q in event.quotes if q.speaker is not None}
        assert {s.split(" (")[0] for s in speakers} == expected, event.key
    # the aerospace rules: MOFCOM speaks; the other quotes are their articles' own voice
    assert rows["cn-2024-05-30-aerospace-controls-announced"]["speakers"] == "Ministry of Commerce"
    assert rows["cn-2023-10-20-graphite-controls-announced"]["speakers"] == ""
    # every column name is as it was
    assert list(rows["cn-2024-05-30-aerospace-controls-announced"]) == [
        "id",
        "key",
        "title",
        "date",
        "start",
        "end",
        "precision",
        "basis",
        "date_note",
        "kind",
        "status",
        "countries",
        "agencies",
        "items",
        "topic",
        "summary",
        "quotes",
        "speakers",
        "sources",
        "source_urls",
        "relations",
        # added with measures, after every earlier column
        "measure",
        "phase",
    ]


def test_curated_markdown_cites_each_source_once_and_reuses_its_number(
    curated_store: Path,
) -> None:
    md = to_markdown(_curated_events(curated_store))
    defs = re.findall(r"^\[\^(\d+)\]: (.+)$", md, flags=re.M)
    texts = [t for _, t in defs]
    assert len(texts) == len(set(texts))  # no source footnoted twice
    assert [n for n, _ in defs] == [str(n) for n in range(1, len(defs) + 1)]
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    assert refs == {n for n, _ in defs}  # every footnote used, every reference defined
    # The SCMP article is in db/sources.json twice (its own page, and the same article read
    # through a copy): one citation, so one footnote, reused by every event that cites it.
    scmp = [n for n, t in defs if t.startswith("Sylvie Zhuang. (2024, Q2). Could China")]
    assert len(scmp) == 1
    assert md.count(f"[^{scmp[0]}]") > 5
