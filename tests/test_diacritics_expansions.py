"""Acronyms that lost their Đ take it back from the names the document spells out (Văn phòng Điều phối → VPĐP)."""

from __future__ import annotations

import pytest

from diacritics import restore
from diacritics.expansions import lost_d_runs, mark_lost_d, spelled_initials


def initials_of(text: str, runs: tuple[str, ...] = ("VPDPNTM", "BCD", "DTN", "CDCD")) -> dict[str, str]:
    """`spelled_initials` of a text's space-separated words for ``runs``, a comma ending the name it follows."""
    words = text.split()
    starts = [i for i, w in enumerate(words) if w[0].isupper()]
    joined = [not w.endswith(",") for w in words[:-1]] + [False]
    return spelled_initials(starts, words.__getitem__, joined.__getitem__, set(runs))


def test_a_name_with_d_with_a_stroke_among_its_initials_is_indexed_by_its_mark_free_initials() -> None:
    initials = initials_of("qua Văn phòng Điều phối nông thôn mới")
    assert initials["VPDP"] == "VPĐP"
    assert initials["VPDPNTM"] == "VPĐPNTM"
    assert initials_of("qua văn phòng Điều phối nông thôn mới") == {}  # a name opens with a capitalised word
    assert "VPDPX" not in initials_of("Văn phòng Điều phối Xây dựng")  # opens no run asked for
    assert initials_of("Văn phòng Điều phối", ("VPD",)) == {"VPD": "VPĐ"}  # a run of three letters, whole


def test_names_whose_initials_disagree_on_the_marks_are_left_out() -> None:
    assert "BCD" not in initials_of("Ban Chỉ đạo và Ban Chỉ dẫn")
    assert initials_of("Ban Chỉ đạo và Ban Chỉ đạo")["BCD"] == "BCĐ"
    assert "DTN" not in initials_of("Doanh nghiệp tư nhân")  # no Đ: nothing to put back


def test_a_name_leaves_out_its_and() -> None:
    assert initials_of("Bộ Kế hoạch và Đầu tư", ("BKHDT",))["BKHDT"] == "BKHĐT"


def test_a_name_stops_at_punctuation() -> None:
    assert "CDCD" not in initials_of("Cao đẳng, Cộng đồng")
    assert initials_of("Cao đẳng Cộng đồng")["CDCD"] == "CĐCĐ"


@pytest.mark.parametrize(
    ("word", "marked"),
    [
        ("VPDP", "VPĐP"),
        ("1100/BNN-VPDP", "1100/BNN-VPĐP"),  # a run of capitals inside a code
        ("VPDPNTM", "VPĐPNTM"),  # a name of four letters or more may open a longer acronym
        ("VPDPX", "VPĐPX"),
        ("VPDP-VPDPX/3D", "VPĐP-VPĐPX/3D"),  # every run of a code; 3D is too short
        ("xVPDP", "xVPDP"),  # not a run of its own
        ("CDX", "CDX"),  # but not one of three
        ("DAN", "DAN"),  # spells a syllable without its marks
        ("UBND", "UBND"),  # a known acronym
        ("VPD", "VPD"),  # no name matches
    ],
)
def test_an_acronym_takes_the_marks_of_the_name_it_abbreviates(word: str, marked: str) -> None:
    initials = {"VPDP": "VPĐP", "CD": "CĐ", "DAN": "ĐAN", "UBND": "UBNĐ"}
    runs = lost_d_runs(word, lambda run: run in {"UBND", "DAN"})
    assert mark_lost_d(word, initials, runs) == marked


def test_unmarked_text_restores_the_acronyms_it_spells_out() -> None:
    text = "Van phong Dieu phoi nong thon moi tinh bao cao. Noi nhan: VPDP; VPDP NTM; Truong CDCD."
    out = restore(text).text
    assert out.startswith("Văn phòng Điều phối nông thôn mới tỉnh báo cáo.")
    assert out.endswith("Nơi nhận: VPĐP; VPĐP NTM; Trường CDCD.")  # Cao đẳng Cộng đồng is not spelled out


def test_an_acronym_that_leaves_out_and_is_restored() -> None:
    assert "BKHĐT đề nghị" in restore("Theo Cong van cua Bo Ke hoach va Dau tu, BKHDT de nghi bao cao.").text


def test_english_model_ocr_restores_the_acronyms_it_spells_out() -> None:
    text = "Can cir Cong van s6 1100/BNN-VPDP cua Van phong Dieu phéi Trung wong vé viéc trién khai Chuong trinh."
    assert "1100/BNN-VPĐP" in restore(text).text


def test_correctly_marked_text_keeps_its_acronyms_as_written() -> None:
    text = "Văn phòng Điều phối nông thôn mới tỉnh báo cáo Ủy ban nhân dân tỉnh. Nơi nhận: VPDP."
    assert restore(text).text == text
