"""Numbers written in words: their grammar, as a small language model mixed into the syllable model at load.

A legal corpus writes numbers in digits, so its trigram model hardly knows "tám trăm" or "bảy mươi lăm": an amount in
words ("(Bằng chữ: Một tỷ tám trăm hai mươi triệu đồng)") came out as "Một tỷ năm trăm …" from English-model OCR's
"Mét ty tam tram", because the corpus shows "tỷ năm" and never "tỷ tám". Vietnamese numerals are a closed grammar.
`numeral_pair_logprobs` reads every number below a thousand, alone and after a scale word (nghìn, ngàn, triệu, tỷ),
in the northern and the southern style (linh or lẻ, tư or bốn after mươi), and counts which numeral word follows
which: P_num(w2 | w1). `lm.NgramModel.load` mixes it into every bigram and trigram that ends in such a pair,
P'(w2 | h) = P(w2 | h) + `NUMERAL_SHARE` · P_num(w2 | w1), so the digits after "tỷ" score alike and the channel
chooses among them (tam: tám).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("nghìn", "ngàn", "triệu", "tỷ")  # the words that multiply the group before them by 10^3k
NUMERAL_SHARE = 0.1  # weight of the numeral grammar in a bigram or trigram that ends in a numeral pair
_LAST_UNITS = {1: ("mốt",), 4: ("tư", "bốn"), 5: ("lăm",)}  # the unit after mươi where it is read differently
_AFTER_HUNDRED = ("linh", "lẻ")  # a unit right after trăm: "một trăm linh năm" (north), "một trăm lẻ năm" (south)


def read_group(n: int, full: bool) -> list[list[str]]:
    """Every reading of ``n`` (0-999) as words: ``full``, as a group after a larger one ("không trăm linh năm"),
    with its hundreds always said; otherwise as the leading group, hundreds said only when there are any."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    head = [DIGITS[hundreds], "trăm"] if full or hundreds else []
    if tens == 0 and units:
        return [[*head, link, DIGITS[units]] for link in _AFTER_HUNDRED] if head else [[DIGITS[units]]]
    if tens == 0:
        return [head]
    ten = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if not units:
        return [[*head, *ten]]
    lasts = ("lăm",) if units == 5 else (DIGITS[units],) if tens == 1 else _LAST_UNITS.get(units, (DIGITS[units],))
    return [[*head, *ten, last] for last in lasts]


def numeral_pair_counts() -> Counter[tuple[str, str]]:
    """How often each numeral word follows another in the readings of every number below a thousand, as a leading
    group and as a full group, each followed by a scale word, a full group read after each scale word."""
    counts: Counter[tuple[str, str]] = Counter()
    for n in range(1, 1000):
        for full in (False, True):
            for words in read_group(n, full):
                counts.update(itertools.pairwise(words))
                for scale in SCALES:
                    counts[(words[-1], scale)] += 1
                    if full:
                        counts[(scale, words[0])] += 1
    return counts


def numeral_pair_logprobs() -> dict[tuple[str, str], float]:
    """log P_num(w2 | w1) for every numeral pair, from `numeral_pair_counts`."""
    counts = numeral_pair_counts()
    totals: Counter[str] = Counter()
    for (first, _), n in counts.items():
        totals[first] += n
    return {pair: math.log(n / totals[pair[0]]) for pair, n in counts.items()}
