"""Enumeration marks: a d that follows a d item of the same list is đ (a lone d is left as it is); a section mark
read with l for I is its Roman numeral; a letter mark opening a line is kept as written."""

from __future__ import annotations

import pytest

from diacritics import restore
from diacritics.enumeration import second_d_positions, section_marks
from diacritics.tokens import scan_tokens


def marked(text: str) -> list[str]:
    """The tokens `second_d_positions` finds, as text."""
    tokens = scan_tokens(text)
    return [text[tokens[i].start : tokens[i].end] for i in sorted(second_d_positions(text, tokens))]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("c) Một.\nd) Hai.\nd) Ba.\ne) Bốn.", ["d"]),
        ("c. Một.\nd. Hai.\nd. Ba.\ne. Bốn.", ["d"]),  # marks with a point, each opening its line
        ("c. Một. d. Hai. d. Ba.", []),  # inside a line, "d." may end a sentence ("điểm d.")
        ("c) Một.\nD) Hai.\nD) Ba.", ["D"]),
        ("điểm a, b, c, d, d và e khoản 1", ["d"]),
        ("d) Một.\nd) Hai.", []),  # no c) before: the two marks need not be one list
        ("c) Một.\nd) Hai.\nđ) Ba.\ne) Bốn.\nd) Năm.", []),
        ("điểm d khoản 2 và điểm d khoản 3", []),
        ("điểm c, d và e", []),
    ],
)
def test_a_d_after_a_d_of_the_same_list_is_found(text: str, found: list[str]) -> None:
    assert marked(text) == found


def test_the_second_d_of_a_list_is_restored_as_d_with_a_stroke() -> None:
    text = "c) Mot.\nd) Hai.\nd) Ba.\nTai diem c, d, d va e khoan 1; diem d khoan 2."
    assert restore(text).text == "c) Một.\nd) Hai.\nđ) Ba.\nTại điểm c, d, đ và e khoản 1; điểm d khoản 2."


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Il. ĐÁNH GIÁ CHUNG", [("Il", "II")]),
        ("phê duyệt.\n  Ill. KẾ HOẠCH\nVl. KIẾN NGHỊ\nlV. TỔ CHỨC", [("Ill", "III"), ("Vl", "VI"), ("lV", "IV")]),
        ("II. NỘI DUNG\nl. Mục đích\nll. Yêu cầu", [("l", "l"), ("ll", "ll")]),  # l alone may be I or 1: kept
        ("Theo Il. này", []),  # not at the start of a line
        ("phê duyệt.\fIl. KẾ HOẠCH", [("Il", "II")]),  # at the start of a page
        ("Il NỘI DUNG\nIlV. MỤC TIÊU", []),  # no point after it; no numeral
    ],
)
def test_a_section_mark_read_with_l_for_i_is_found(text: str, found: list[tuple[str, str]]) -> None:
    tokens = scan_tokens(text)
    marks = section_marks(text, tokens)
    assert [(text[tokens[i].start : tokens[i].end], mark) for i, mark in sorted(marks.items()) if mark != "I"] == found


def test_a_section_mark_read_with_l_for_i_is_restored_as_its_numeral() -> None:
    text = "phé duyét.\nIl. PANH GIA CHUNG\nl. Két qua\nVl. KIEN NGHI\nTheo Il. nay"
    assert restore(text).text == "phê duyệt.\nII. ĐÁNH GIÁ CHUNG\nl. Kết quả\nVI. KIẾN NGHỊ\nTheo Il. này"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a. Đối với sản phẩm\nb. Đối với", ["a", "b"]),
        ("  c. Tổ chức\fđ. Hội chợ\nA. PHẦN CHUNG", ["c", "đ", "A"]),
        ("tại điểm b. Các sở", []),  # not at the start of a line
        ("b) Hai\nb Ba\nbộ. Bốn", []),  # no point after it (b) is a code of its own); a word
    ],
)
def test_a_letter_mark_opening_a_line_is_kept(text: str, found: list[str]) -> None:
    tokens = scan_tokens(text)
    marks = section_marks(text, tokens)
    assert [text[tokens[i].start : tokens[i].end] for i in sorted(marks)] == found
    assert all(marks[i] == text[tokens[i].start : tokens[i].end] for i in marks)


def test_a_letter_mark_in_english_model_ocr_is_not_read_as_a_word() -> None:
    """English-model OCR text, where the decoder may read any letter as misread: it once made "bộ." of "b."."""
    text = (
        "2. Nhiém vu cu thé cua cac co quan\n"
        "a. Sé Cong Thuong chii tri t6 chire hoi chg san pham OCOP;\n"
        "b. Sé Tai chinh bé tri kinh phi thuc hién;\n"
        "c. Ngan hang chinh sach hd tro vén vay cho cac chu thé."
    )
    lines = restore(text).text.splitlines()
    assert [line.split(" ")[0] for line in lines[1:]] == ["a.", "b.", "c."]
