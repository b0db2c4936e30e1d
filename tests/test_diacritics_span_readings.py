"""A span of OCR characters read for one letter (ứ as "ir") brings the words it hides within the edit limit."""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import Levenshtein

from diacritics import default_restorer
from diacritics.candidates import CandidateIndex, max_edits
from diacritics.channel import ChannelModel

VOCAB = ("<s>", "chức", "chưa", "chi", "che")


def index_with(channel: ChannelModel) -> CandidateIndex:
    return CandidateIndex(VOCAB, 1, np.log(np.full(len(VOCAB), 1 / len(VOCAB))), channel)


def test_the_channel_lists_the_spans_read_for_one_letter() -> None:
    channel = ChannelModel({("ứ", "ir"): 3.7, ("ừ", "ir"): 2.4, ("ự", "ur"): 3.8, ("ư", "w"): 4.0, ("c", "e"): 6.0})
    assert channel.span_readings() == {"ir": {"u"}, "ur": {"u"}}  # single characters read as one are not spans


def test_a_span_put_back_reaches_a_word_beyond_the_edit_limit() -> None:
    assert Levenshtein.distance("chire", "chuc") > max_edits("chire")
    with_span = index_with(ChannelModel({("ứ", "ir"): 3.7, ("c", "e"): 6.0}))
    assert "chuc" in with_span.near_keys("chire")  # chire → chue, one edit from chuc
    assert "chức" in [VOCAB[i] for i in with_span.lookup("chire").ids]
    without = index_with(ChannelModel({("c", "e"): 6.0}))
    assert "chuc" not in without.near_keys("chire")
    assert "chức" not in [VOCAB[i] for i in without.lookup("chire").ids]


def test_real_scan_readings_of_u_with_a_horn_are_restored() -> None:
    # English-model OCR of real scans (not the renders): "tổ chức", "căn cứ", "của", "ý thức"
    line = "Can ctir Ké hoach, t6 chire thuc hién; nang cao y thirec ctiia nguoi dan"
    assert default_restorer().restore(line).text == "Căn cứ Kế hoạch, tổ chức thực hiện; nâng cao ý thức của người dân"


def test_the_channel_lists_what_a_capital_initial_was_read_as() -> None:
    channel = ChannelModel(capitals={"đ": [("d", 0.04), ("p", 5.5), ("bd", 6.3), ("@", 6.1)], "t": [("1", 6.0)]})
    assert channel.capital_readings() == {"p": {"d"}, "bd": {"d"}}  # letters only, and not the letter itself


def test_a_capital_put_back_reaches_a_word_the_near_keys_crowd_out() -> None:
    index = default_restorer().index
    assert Levenshtein.distance("pec", "doc") == max_edits("pec")  # within reach, but among many nearer keys
    assert "doc" not in index.near_keys("pec")  # a lower-case p is not a misread Đ
    assert "doc" in index.near_keys("pec", capital=True)  # Pec → dec, one edit from doc
    assert "độc" in [index.vocab[i] for i in index.lookup("péc", capital=True).ids]


def test_the_motto_read_with_d_as_p_and_o_as_e_is_restored() -> None:
    # English-model OCR of a real scan's header (Đ read as P, ộ as é)
    assert default_restorer().restore("Péc lap - Tw do - Hanh phiic").text == "Độc lập - Tự do - Hạnh phúc"


def test_stray_marks_are_no_letters_when_near_keys_are_searched() -> None:
    index = default_restorer().index
    assert Levenshtein.distance("phu’0’ng", "phuong") > max_edits("phu’0’ng")  # three edits with the quotes
    assert "phuong" in index.near_keys("phu’0’ng")  # phu0ng: one edit
    assert "cac" in index.near_keys("cg'lc")  # cglc: two edits


def test_real_scan_words_with_stray_marks_and_a_digit_are_restored() -> None:
    # English-model OCR of real scans: ơ read as 0 between two quotes; á as "g'l"
    line = "san pham gan voi loi thé manh cua dia phu’0’ng; hd trg cg'lc don vi san xuat"
    assert (
        default_restorer().restore(line).text
        == "sản phẩm gắn với lợi thế mạnh của địa phương; hỗ trợ các đơn vị sản xuất"
    )
