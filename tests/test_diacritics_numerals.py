"""Numbers written in words: their readings, the grammar's pair probabilities, and how they enter the model."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pytest

from diacritics import lm, restore
from diacritics.numerals import DIGITS, numeral_pair_logprobs, read_group


@pytest.mark.parametrize(
    ("n", "full", "readings"),
    [
        (5, False, ["năm"]),
        (5, True, ["không trăm linh năm", "không trăm lẻ năm"]),
        (15, False, ["mười lăm"]),
        (21, False, ["hai mươi mốt"]),
        (110, False, ["một trăm mười"]),
        (124, False, ["một trăm hai mươi tư", "một trăm hai mươi bốn"]),
        (305, False, ["ba trăm linh năm", "ba trăm lẻ năm"]),
        (600, True, ["sáu trăm"]),
        (985, False, ["chín trăm tám mươi lăm"]),
    ],
)
def test_a_group_is_read_as_vietnamese_says_it(n: int, full: bool, readings: list[str]) -> None:
    assert [" ".join(words) for words in read_group(n, full)] == readings


def test_the_grammar_is_a_distribution_over_what_follows_each_numeral_word() -> None:
    logprobs = numeral_pair_logprobs()
    totals: dict[str, float] = defaultdict(float)
    for (first, _), lp in logprobs.items():
        totals[first] += math.exp(lp)
    assert totals == pytest.approx(dict.fromkeys(totals, 1.0))
    assert ("tỷ", "tám") in logprobs and ("mươi", "lăm") in logprobs and ("linh", "bảy") in logprobs
    # no two digits in a row, and five after a ten is lăm
    assert not any((a, b) in logprobs for a in DIGITS for b in DIGITS)
    assert ("mươi", "năm") not in logprobs and ("mười", "năm") not in logprobs


def test_the_grammar_is_mixed_into_the_pairs_and_triples_that_end_in_a_numeral_pair() -> None:
    pairs = np.sort(lm.pack_keys(np.array([3, 5]), np.array([4, 6])))  # (3, 4) and (5, 6)
    grammar = (pairs, np.log(np.array([0.5, 0.2], dtype=np.float32)))
    keys2 = np.array([lm.pack_keys(np.array([9]), np.array([1]))[0], pairs[0]])  # unsorted: (9, 1), (3, 4)
    lp2 = np.array([-1.0, -6.0], dtype=np.float32)
    keys3 = lm.pack_keys(np.array([1, 1]), np.array([3, 9]), np.array([4, 4]))  # (1, 3, 4), (1, 9, 4)
    lp3 = np.array([-7.0, -2.0], dtype=np.float32)
    lp1, bow1 = np.full(10, -5.0, dtype=np.float32), np.full(10, -3.0, dtype=np.float32)
    keys, scores, triples = lm.mix_numeral_pairs(grammar, keys2, lp2, keys3, lp3, lp1, bow1, share=0.1)
    assert keys.tolist() == [*keys2.tolist(), pairs[1]]  # the stored pairs in place, the new one last
    assert scores == pytest.approx([-1.0, math.log(math.exp(-6) + 0.05), math.log(math.exp(-8) + 0.02)], abs=1e-5)
    assert triples == pytest.approx([math.log(math.exp(-7) + 0.05), -2.0], abs=1e-5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # marks stripped: the digit words and mươi / mười, lăm and bảy that the legal corpus seldom writes
        ("(Bang chu: Bay ty tam tram linh nam trieu dong)", "(Bằng chữ: Bảy tỷ tám trăm linh năm triệu đồng)"),
        ("bon tram tam muoi lam trieu dong", "bốn trăm tám mươi lăm triệu đồng"),
        ("Hai ty khong tram muoi bay trieu dong", "Hai tỷ không trăm mười bảy triệu đồng"),
        # English-model OCR: "tam" after tỷ is tám, not the năm the corpus knows there
        ("(Mét ty tam tram hai muwoi triéu déng)", "(Một tỷ tám trăm hai mươi triệu đồng)"),
        # and the numerals' neighbours read as before
        ("ty le ho ngheo giam con 3%", "tỷ lệ hộ nghèo giảm còn 3%"),
        ("trong nam nam qua, tram y te xa", "trong năm năm qua, trạm y tế xã"),
    ],
)
def test_amounts_in_words_are_restored(text: str, expected: str) -> None:
    assert restore(text).text == expected
