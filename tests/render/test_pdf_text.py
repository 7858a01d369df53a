"""The ToUnicode fix: text copied out of a PDF is the text that was written (pure bytes)."""

from __future__ import annotations

from explorer.render.pdf_text import fix_tounicode, preferred

CMAP = b"""%PDF-1.4
1 0 obj
<< /Length 999 >>
stream
begincmap
2 beginbfrange
<0000> <0000> <0009>
<0001> <000C> [<0055> <2F1D> <FB03> <0009> <0053> <0041> <0042> <0043> <0044> <0045> <0046> <0047>]
endbfrange
1 beginbfchar
<0007> <2F47>
endbfchar
endcmap
endstream
endobj
xref
"""


def test_radicals_tabs_and_ligatures_map_to_the_written_characters_in_the_same_length() -> None:
    fixed = fix_tounicode(CMAP)
    assert len(fixed) == len(CMAP)
    assert b"<0000> <0000> <0020>" in fixed  # tab -> space
    assert b"<53E3>" in fixed and b"<2F1D>" not in fixed  # ⼝ -> 口
    assert b"<006600660069>" in fixed  # ﬃ -> ffi, one entry with three letters


def test_a_ligature_without_room_in_its_array_keeps_its_code_and_the_length() -> None:
    data = CMAP.replace(b"<0001> <000C> [", b"<0001> <0002> [<FB01> <0041>] %[")
    fixed = fix_tounicode(data)
    assert len(fixed) == len(data)
    assert b"[<FB01> <0041>]" in fixed
    assert b"<65E5>" in fixed  # ⽇ (bfchar) -> 日
    assert fixed.endswith(b"endobj\nxref\n")


def test_text_outside_cmaps_is_untouched() -> None:
    data = b"BT <2F1D> Tj ET [<FB03> <0009>] TJ"
    assert fix_tounicode(data) == data


def test_preferred_code_points() -> None:
    assert preferred(0x2F1D) == 0x53E3
    assert preferred(0x0009) == 0x20
    assert preferred(0x4E2D) == 0x4E2D
    assert preferred(0x41) == 0x41
