"""Footnote marks that Tesseract misreads: "trình¹." comes out as "trình!." and "sao²" as "sao?".

A word ending in a letter then "!" or "?" (and perhaps one of ". , ; :") is looked at on the page: when the
mark's glyph sits above the word's baseline with no dot under it, it was a raised footnote number.
"""

from __future__ import annotations

import re
from dataclasses import replace
from statistics import median

import cv2
import numpy as np

from pipeline._exec.tesseract import OcrWord

SUPERSCRIPTS = {"!": "¹", "?": "²"}  # what Tesseract reads the raised digits as
_MARKED_RE = re.compile(r"(.*[^\W\d_])([!?])([.,;:]?)")
TALL_SHARE = 0.4  # a glyph at least this share of the word's height is a letter or the mark, not a dot
RAISED_SHARE = 0.25  # the mark's foot this share of a letter's height above the baseline: raised


def restore_superscripts(words: tuple[OcrWord, ...], grey: np.ndarray) -> tuple[OcrWord, ...]:
    """The words with footnote marks read as "!" or "?" turned back into ¹ and ² (see the module docstring)."""
    return tuple(_restored(word, grey) for word in words)


def _restored(word: OcrWord, grey: np.ndarray) -> OcrWord:
    match = _MARKED_RE.fullmatch(word.text)
    if not match or not is_raised_last_glyph(grey, word.bbox):
        return word
    return replace(word, text=f"{match[1]}{SUPERSCRIPTS[match[2]]}{match[3]}")


def is_raised_last_glyph(grey: np.ndarray, bbox: tuple[int, int, int, int]) -> bool:
    """Whether the word's last tall glyph (a trailing full stop or comma is too small to count) stands clear above
    the baseline of the letters before it, with nothing beneath it (the dot of "!" or "?")."""
    left, top, width, height = bbox
    crop = grey[max(top, 0) : top + height, max(left, 0) : left + width]
    if crop.size == 0 or len(crop) < 8:
        return False
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = [tuple(int(v) for v in row[:4]) for row in stats[1:]]  # (x, y, w, h)
    tall = sorted((g for g in glyphs if g[3] >= TALL_SHARE * len(crop)), key=lambda g: g[0] + g[2])
    if len(tall) < 3:
        return False
    mark, letters = tall[-1], tall[:-1]
    baseline = median(y + h for _, y, _, h in letters)
    letter_height = median(h for _, _, _, h in letters)
    foot = mark[1] + mark[3]
    under = [(x, w) for x, y, w, _ in glyphs if y >= foot]
    beneath = any(x < mark[0] + mark[2] and x + w > mark[0] for x, w in under)
    return foot < baseline - RAISED_SHARE * letter_height and not beneath
