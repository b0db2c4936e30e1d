"""English-model OCR reads the horn of ư or a tone mark beside its vowel as a colon (phu:ong for phương, Xay du:ng
for Xây dựng), and a mark's dot or hook as a dot or a comma (thu.’c for thực, C,ho for Cho): such a mark is part of
the word, while a colon, dot or comma that punctuates stays between two words."""

from __future__ import annotations

import pytest

from diacritics import default_restorer
from diacritics.tokens import join_split_reads, scan_tokens


def joined_words(text: str, keys: set[str]) -> list[str]:
    tokens = join_split_reads(text, scan_tokens(text), keys.__contains__)
    return [text[t.start : t.end] for t in tokens if t.kind == "word"]


def test_a_colon_inside_a_known_syllable_joins_its_two_halves() -> None:
    assert joined_words("dia phu:ong, Xay du:ng", {"phuong", "dung"}) == ["dia", "phu:ong", "Xay", "du:ng"]


@pytest.mark.parametrize(
    "text",
    [
        "nhu sau:cac don vi",  # the letters together spell no syllable
        "OCOP nhur:hoa kieng",  # the first word ends in no vowel
        "Dieu 1:Ban hanh",  # a capital after the colon: a new sentence
        "dia phu: ong",  # a space after the colon
        "ca nhan.Dieu 1",  # a dot before a capitalised word: a sentence ends
        "xa,thi tran",  # a comma between two words whose letters spell no syllable
        "cu thé C,Ho",  # a comma before a capital
    ],
)
def test_a_colon_that_punctuates_parts_two_words(text: str) -> None:
    assert joined_words(text, {"phuong", "nhurhoa", "ban", "nhandieu", "cho"}) == [
        text[t.start : t.end] for t in scan_tokens(text) if t.kind == "word"
    ]


def test_a_dot_or_comma_inside_a_known_syllable_joins_its_two_halves() -> None:
    text = "dé thu.’c hién, chat lu.’O'ng, cu thé C,ho 01"
    assert joined_words(text, {"thuc", "luong", "cho"}) == ["dé", "thu.’c", "hién", "chat", "lu.’O'ng", "cu", "thé",
                                                            "C,ho"]  # fmt: skip


def test_english_ocr_with_a_dot_or_comma_inside_a_word_is_restored() -> None:
    text = "cac chinh sach dé thu.’c hién hi¢u qua, dam bao chat lu.’O'ng; phan cong nhiém vu cu thé c,ho 01 cong chuc"
    assert default_restorer().restore(text).text == (
        "các chính sách để thực hiện hiệu quả, đảm bảo chất lượng; phân công nhiệm vụ cụ thể cho 01 công chức"
    )


def test_english_ocr_with_a_colon_for_a_horn_is_restored() -> None:
    text = "thu nhap cho nguoi lao dong dia phu:ong, gop phan phat trién kinh té; day manh Xay du:ng thuong hiéu"
    assert default_restorer().restore(text).text == (
        "thu nhập cho người lao động địa phương, góp phần phát triển kinh tế; đẩy mạnh Xây dựng thương hiệu"
    )


def test_a_colon_after_a_word_of_english_ocr_stays() -> None:
    text = "nhiém vu gép phan phuc vu Chuong trinh OCOP nhur:hoa kiéng, khoai mon, rau an toan"
    assert "OCOP như:h" in default_restorer().restore(text).text
