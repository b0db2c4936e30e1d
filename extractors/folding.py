"""Fold Vietnamese text for cue matching: lower case, marks stripped, đ→d, offsets unchanged.

English-model OCR reads some marked vowels as currency signs ("tri¢u", "ti€u"); they fold to "e".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

OCR_VOWEL_GLYPHS = "¢€"


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character folded to one character (the character itself when folding would change the length)."""
    if char in "đĐ":
        return "d"
    if char in OCR_VOWEL_GLYPHS:
        return "e"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """``text`` lower-cased, without diacritics, đ as d; ``len(fold(t)) == len(t)``."""
    return "".join(fold_char(c) for c in text)
