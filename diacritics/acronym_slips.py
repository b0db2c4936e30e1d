"""Upper-case words that OCR made of an acronym the document uses often: OCORP and OQOP for OCOP.

An English-model OCR reads a plan's key acronym right a hundred times and, now and then, with a letter added or
misread. Such a word spells no syllable and no known acronym, so the restorer would keep it as a new acronym. Where
it is one edit away from exactly one known acronym that the same text writes `MIN_USES` times or more, it is read
as that acronym.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container

from rapidfuzz.distance import Levenshtein

MIN_LETTERS = 4  # a shorter word is too near too many acronyms (BNV, BNN)
MIN_USES = 5  # times the text writes the acronym right


def acronym_slips(words: Counter[str], known: Container[str]) -> dict[str, str]:
    """The text's upper-case ``words`` (with their counts) that are one added or misread letter away from a single
    ``known`` acronym the text writes `MIN_USES` times or more, each mapped to that acronym."""
    frequent = [w for w, n in words.items() if n >= MIN_USES and w in known]
    slips = {}
    for word in words:
        if len(word) < MIN_LETTERS or not word.isalpha() or not word.isupper() or word in known:
            continue
        near = [a for a in frequent if len(a) <= len(word) and Levenshtein.distance(word, a, score_cutoff=1) == 1]
        if len(near) == 1:
            slips[word] = near[0]
    return slips
