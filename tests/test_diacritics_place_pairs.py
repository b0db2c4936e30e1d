"""Place names between capitalised words: their syllable pairs score more there, and stay candidates."""

from __future__ import annotations

import numpy as np
import pytest

from diacritics import default_restorer, lm
from diacritics.decode import LM_WEIGHT, Slot, build_lattice
from diacritics.names import capital_initials, capitalised_pairs
from diacritics.tokens import scan_tokens


def ids(*words: str) -> np.ndarray:
    model = default_restorer().model
    return np.array([model.ids[w] for w in words], dtype=np.int64)


def test_capitalised_pairs_are_capitalised_neighbours_in_one_sentence_on_one_line() -> None:
    text = "tỉnh Sóc Trăng. Bến Tre\nLong An và Hậu GIANG"
    tokens = scan_tokens(text)
    flagged = [
        text[t.start : t.end]
        for t, on in zip(tokens, capitalised_pairs(text, tokens, capital_initials(text, tokens)), strict=True)
        if on
    ]
    assert flagged == ["Trăng", "Tre", "An", "GIANG"]  # not Bến (after a break) nor Long (first on its line)


def test_place_bonus_is_for_pairs_inside_province_and_district_names_only() -> None:
    model = default_restorer().model
    bonus = model.place_bonus(ids("sóc", "sóc", "đồng", "đồng"), ids("trăng", "trắng", "tháp", "thấp"))
    assert bonus.tolist() == [lm.PLACE_PAIR_BONUS, 0.0, lm.PLACE_PAIR_BONUS, 0.0]


def test_lattice_adds_the_place_bonus_only_between_capitalised_words() -> None:
    restorer = default_restorer()
    slots = [Slot(ids("sóc"), np.zeros(1, np.float32)), Slot(ids("trăng", "trắng"), np.zeros(2, np.float32))]
    plain = build_lattice(restorer.model, slots, restorer.boundary)
    titled = build_lattice(restorer.model, slots, restorer.boundary, np.array([False, True]))
    lower = build_lattice(restorer.model, slots, restorer.boundary, np.array([False, False]))
    gain = titled.pieces[0][2] - plain.pieces[0][2]
    assert gain[-2:].tolist() == pytest.approx([LM_WEIGHT * lm.PLACE_PAIR_BONUS, 0.0])
    assert np.array_equal(lower.pieces[0][2], plain.pieces[0][2])


def test_a_misread_place_name_between_capitals_is_restored() -> None:
    restorer = default_restorer()
    assert "Sóc Trăng đưa sản phẩm" in restorer.restore("c6 05 don vi Tinh Séc Trang dua san pham vao sieu thi").text
    assert restorer.restore("Hoi cho Dac san Séc Trang; két noi cung cau").text.endswith("Sóc Trăng; kết nối cung cầu")


def test_lower_case_text_is_restored_as_without_the_place_bonus(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["hoi cho dac san séc trang; két noi cung cau", "con soc trang chay tren canh cay"]
    restorer = default_restorer()
    with_bonus = [restorer.restore(t).text for t in texts]
    monkeypatch.setattr(lm, "PLACE_PAIR_BONUS", 0.0)
    assert [restorer.restore(t).text for t in texts] == with_bonus


def test_a_capitalised_token_keeps_rare_place_syllables_among_its_candidates() -> None:
    restorer = default_restorer()
    index, vocab = restorer.index, restorer.model.vocab
    assert "lạng" in [vocab[i] for i in index.lookup("lang", fuzzy=False, capital=True).ids]
    assert "lạng" not in [vocab[i] for i in index.lookup("lang", fuzzy=False).ids]
    assert restorer.restore("cac tinh Bac Kan va Lang Son").text == "các tỉnh Bắc Kạn và Lạng Sơn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HUYEN LONG MY", "HUYỆN LONG MỸ"),  # a district plan's header
        ("- Huyen Thap Muoi: 05 san pham;", "- Huyện Tháp Mười: 05 sản phẩm;"),  # a list of districts
        ("Uy ban nhan dan quan Thanh Xuan", "Ủy ban nhân dân quận Thanh Xuân"),
        ("THANH PHO CAO LANH", "THÀNH PHỐ CAO LÃNH"),
    ],
)
def test_a_unit_type_before_a_place_name_is_restored(text: str, expected: str) -> None:
    assert default_restorer().restore(text).text == expected


def test_a_code_keeps_the_marks_of_an_acronym_seen_only_inside_codes() -> None:
    assert default_restorer().restore("Thong tu so 15/2018/TT-BGDDT").text == "Thông tư số 15/2018/TT-BGDĐT"


def test_place_names_outside_vietnamese_syllable_structure_get_their_marks_back() -> None:
    text = "Uy ban nhan dan tinh Dak Lak\nHUYEN KRONG BONG\n- Huyen Chu Pah: 05 san pham"
    expected = "Ủy ban nhân dân tỉnh Đắk Lắk\nHUYỆN KRÔNG BÔNG\n- Huyện Chư Păh: 05 sản phẩm"
    assert default_restorer().restore(text).text == expected
