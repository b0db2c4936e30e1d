"""Place-name words that no syllable spells (Ea, M'Đrắk): listed by the build, offered as spelled by the restorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from diacritics import Restorer, default_restorer
from diacritics.place_words import (
    PLACE_WORDS_FILE,
    load_place_words,
    place_name_syllables,
    place_spelling,
    place_words,
    write_place_words,
)
from diacritics.restorer import DEFAULT_MODEL_DIR
from tests.model_dirs import model_dir_with


def test_place_words_are_the_name_words_no_syllable_spells() -> None:
    names = ["Ea Kar", "Krông Búk", "Krong Pa", "Chư Păh", "Phường II", "Ia H'Drai", "Bă Ba", "M'Drắk", "M'Đrắk"]
    # Krông, Búk, Păh: marked syllables the lexicon admits, and Krong has Krông's letters; Bă: the letters of ba;
    # II: a number; M'Đrắk, listed twice as a district name is, wins over the town's M'Drắk
    assert place_name_syllables(names) == {"krông", "búk", "păh", "bă"}
    assert place_words(["M'Đrắk", *names]) == {"ea": "ea", "kar": "kar", "h'drai": "h'drai", "m'drak": "m'đrắk"}


def test_place_words_round_trip_through_their_file(tmp_path: Path) -> None:
    words = {"ea": "ea", "m'drak": "m'đrắk"}
    write_place_words(words, tmp_path / PLACE_WORDS_FILE)
    assert load_place_words(tmp_path) == words
    assert load_place_words(tmp_path / "missing") == {}


def test_the_packaged_model_lists_the_place_words_outside_its_lexicon() -> None:
    words = load_place_words(DEFAULT_MODEL_DIR)
    assert {"ea": "ea", "m'drak": "m'đrắk", "r'lap": "r'lấp", "pleiku": "pleiku"}.items() <= words.items()
    assert not set(words) & {"dak", "krong", "lak"}  # Đắk, Krông, Lắk: syllables of the lexicon


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("M'Drak", "M'Đrắk"),
        ("M’DRAK", "M’ĐRẮK"),
        ("M'Drắk", "M'Đrắk"),
        ("EA", "EA"),
        ("m'drak", None),
        ("Eo", None),
    ],
)
def test_a_capitalised_place_word_is_spelled_as_the_name_in_its_own_case(word: str, expected: str | None) -> None:
    assert place_spelling(word, {"ea": "ea", "m'drak": "m'đrắk"}) == expected


def test_a_word_whose_lower_case_is_longer_takes_its_case_as_a_whole() -> None:
    assert place_spelling("İKAR", {"ikar": "ikắr"}) == "IKẮR"  # İ lower-cases to i and a combining dot


def test_place_words_are_restored_in_headings_lists_and_clauses() -> None:
    text = (
        "HUYEN EA KAR\n"
        "- Huyen M'Drak: 05 san pham;\n"
        "Uy ban nhan dan huyen Dak R'Lap, tinh Dak Nong\n"
        "HUYEN DAK MIL\n"
        "THANH PHO PLEIKU"
    )
    expected = (
        "HUYỆN EA KAR\n"
        "- Huyện M'Đrắk: 05 sản phẩm;\n"
        "Ủy ban nhân dân huyện Đắk R'Lấp, tỉnh Đắk Nông\n"
        "HUYỆN ĐẮK MIL\n"
        "THÀNH PHỐ PLEIKU"
    )
    assert default_restorer().restore(text).text == expected


def test_a_place_word_is_a_candidate_the_context_can_overrule() -> None:
    # Tir, a ward's name, is also how English-model OCR reads Từ (ừ as "ir")
    text = "siéu thi,...Tir d6, gilip nang hang sao cac san pham nay"
    assert default_restorer().restore(text).text == "siêu thị,...Từ đó, giúp nâng hạng sao các sản phẩm này"


def test_an_upper_case_place_word_outside_a_heading_is_a_place_not_an_acronym() -> None:
    text = "Ủy ban nhân dân huyện EA KAR, tỉnh Đắk Lắk"
    tokens, decoded, _ = default_restorer().decode_chunk(text)
    ea = [text[t.start : t.end] for t in tokens].index("EA")
    assert decoded.outputs[ea][decoded.choice[ea]] == "EA"
    assert decoded.evidence is not None and decoded.evidence.candidates[ea] > 1  # weighed, not kept as an acronym


def test_without_the_place_words_a_heading_turns_them_into_syllables(tmp_path: Path) -> None:
    restorer = Restorer.load(model_dir_with(tmp_path, PLACE_WORDS_FILE, None))
    assert restorer.restore("HUYEN EA KAR\nHUYEN DAK MIL").text != "HUYỆN EA KAR\nHUYỆN ĐẮK MIL"


def test_place_words_with_an_apostrophe_are_no_sign_of_ocr_noise() -> None:
    text = "Huyen M'Drak, huyen Ea H'Leo, huyen Dak R'Lap"
    _, _, mode = default_restorer().decode_chunk(text)
    assert mode.mark_weight == 0  # unmarked text, not misread text
