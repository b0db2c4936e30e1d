"""English-model OCR reads a whole short word as symbols (¢ for ở, ¢6 for có, ¥ for ý): such a token is a word to
restore, while symbols Vietnamese prose does use on their own (§, €) and bare numbers stay as they are. A lone & is
a word both ways: written for và (Nông nghiệp & PTNT), or OCR for ở (& các huyện); the language model decides."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from diacritics import default_restorer
from diacritics.candidates import CandidateIndex, max_edits
from diacritics.channel import ChannelModel
from diacritics.tokens import scan_tokens

RAW_SCAN = Path(__file__).parents[1] / "data" / "raw" / "dong-thap_2021_122-kh-ubnd.txt"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, text[t.start : t.end]) for t in scan_tokens(text)]


@pytest.mark.parametrize("symbols", ["¢", "¢6", "@&", "1¢", "¥"])
def test_a_short_token_of_ocr_symbols_is_a_word(symbols: str) -> None:
    assert kinds(f"don vi {symbols} lien quan") == [
        ("word", "don"),
        ("word", "vi"),
        ("word", symbols),
        ("word", "lien"),
        ("word", "quan"),
    ]


def test_symbols_of_ordinary_use_and_numbers_are_not_words() -> None:
    assert kinds("Nong nghiep & PTNT, 6 don vi, 50 € § 3 ¢¢¢¢") == [
        ("word", "Nong"),
        ("word", "nghiep"),
        ("word", "&"),
        ("word", "PTNT"),
        ("code", "6"),
        ("word", "don"),
        ("word", "vi"),
        ("code", "50"),
        ("code", "3"),
    ]


def test_a_short_key_with_a_symbol_is_searched_two_edits_away() -> None:
    assert max_edits("co") == 1
    assert max_edits("¢6") == max_edits("1¢") == 2
    vocab = ("<s>", "có", "cô", "lẻ", "ở")
    index = CandidateIndex(vocab, 1, np.log(np.full(len(vocab), 1 / len(vocab))), ChannelModel({("ó", "6"): 1.0}))
    assert "co" in index.near_keys("¢6")  # both characters misread
    assert "có" in [vocab[i] for i in index.lookup("¢6").ids]
    assert "có" not in [vocab[i] for i in index.lookup("¢6", fuzzy=False).ids]  # unmarked text: letters are typed


def test_symbol_words_of_a_real_scan_are_restored() -> None:
    # English-model OCR of real plans: "có liên quan", "ở nông thôn", "ý nghĩa", "bán lẻ"
    line = "cac don vi ¢6 lién quan; lao dong ¢ néng thon; muc dich, ¥ nghia; diém ban 1¢, siéu thi"
    assert default_restorer().restore(line).text == (
        "các đơn vị có liên quan; lao động ở nông thôn; mục đích, ý nghĩa; điểm bán lẻ, siêu thị"
    )


def test_symbols_stay_in_unmarked_text() -> None:
    line = "cac don vi ¢6 lien quan va Nong nghiep & PTNT"
    restored = default_restorer().restore(line).text
    assert restored == "các đơn vị ¢6 liên quan và Nông nghiệp & PTNT"


def test_a_lone_ampersand_of_a_scan_is_read_as_o_where_the_sentence_calls_for_it() -> None:
    # English-model OCR of real plans: "ở các địa phương", "ở các huyện", and real ampersands beside them
    scan = (
        "cac chu thé kinh té & cac dia phuong vdi 2.000 lugt nguoi; Ngan hang Nong nghiép & Phat trién;\n"
        "nhiém vu khoa hoc & cong nghé; phat trién san pham OCOP & céc huyén"
    )
    assert default_restorer().restore(scan).text == (
        "các chủ thể kinh tế ở các địa phương với 2.000 lượt người; Ngân hàng Nông nghiệp & Phát triển;\n"
        "nhiệm vụ khoa học & công nghệ; phát triển sản phẩm OCOP ở các huyện"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tập huấn tại các xã & các huyện, Sở Khoa học & Công nghệ.",  # correctly marked: & is written for và
        "tap huan tai cac xa & cac huyen",  # unmarked: only marks are missing, so & is as written
    ],
)
def test_an_ampersand_of_text_that_is_not_misread_stays(text: str) -> None:
    assert "&" in default_restorer().restore(text).text


def test_an_ampersand_before_a_capitalised_word_is_kept_in_a_whole_scan() -> None:
    # in a whole scan the channel adapts to the & read for ở; a company's name keeps its & all the same
    restored = default_restorer().restore(RAW_SCAN.read_text(encoding="utf-8")).text
    assert "Xây dựng & Thương mại" in restored
    assert "sản phẩm OCOP ở các" in restored
