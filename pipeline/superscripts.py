"""Footnote marks that Tesseract misreads: "trình¹." comes out as "trình!.", "sao²" as "sao?", "xuất⁸." as
"xuất8.", and a mark opening a footnote line ("⁸ Cụ thể") as "8" or "!".

A word ending in a letter then "!", "?", "*" or one or two digits (and perhaps one of ". , ; :") is looked at on
the page: when the mark's glyph sits above the word's baseline with no dot under it, it was a raised footnote
number. So is a lone number (or "!", "?") opening a line when it stands above the baseline of the word after it.
A mark read as "!", "?" or "*" is read again alone, as a digit; if that fails, "!" becomes ¹ and "?" becomes ²,
and "*" stays (a real asterisk reads as no digit). A raised glyph after a word's last letter that Tesseract left
out ("thể³." read as "thể.") or read as a letter ("thể⁴," as "thết,") is read alone, as a digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from statistics import median

import cv2
import numpy as np

from pipeline._exec.tesseract import OcrWord
from pipeline.glyphs import Glyph, WordGlyphs, word_glyphs

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FALLBACK = {"!": "¹", "?": "²", "*": "*"}  # what Tesseract most often reads as "!" and "?"; a real asterisk stays
_MARKED_RE = re.compile(r"(.*[^\W\d_])([!?*]|\d{1,2})([.,;:]?)")
_LINE_START_RE = re.compile(r"[!?]|\d{1,2}")
_DIGITS_RE = re.compile(r"\d{1,2}")
_UNREAD_RE = re.compile(r"(.*[^\W\d_])([.,;:]?)")  # a word whose footnote mark Tesseract left out
RAISED_SHARE = 0.25  # the mark's foot this share of a letter's height above the baseline: raised
MARK_SHARE = 0.4  # a footnote number is at least this share of a letter's height (smaller: a speck)...
SMALL_SHARE = 0.8  # ...and at most this share of the tallest letter's

DigitReader = Callable[[np.ndarray], str]  # reads the digits in a small image crop ("" when it cannot)


def restore_superscripts(words: tuple[OcrWord, ...], grey: np.ndarray, read_digits: DigitReader) -> tuple[OcrWord, ...]:
    """The words with raised footnote marks written as superscript digits (see the module docstring)."""
    restored = list(words)
    for i, word in enumerate(words):
        match, unread = _MARKED_RE.fullmatch(word.text), _UNREAD_RE.fullmatch(word.text)
        ink = word_glyphs(grey, word.bbox, min_letters=3) if match or unread else None
        mark = raised_last_glyph(ink) if match and ink else None
        if match and mark:
            number = as_superscript(match[2], crop(grey, word.bbox, mark), read_digits)
            restored[i] = replace(word, text=f"{match[1]}{number}{match[3]}")
        elif unread and ink and (mark := raised_last_glyph(ink, unread=True)):
            number = read_digits(crop(grey, word.bbox, mark))
            if _DIGITS_RE.fullmatch(number):
                stem = unread_stem(unread[1], ink)
                restored[i] = replace(word, text=f"{stem}{number.translate(SUPERSCRIPT_DIGITS)}{unread[2]}")
        elif _opens_line_raised(words, i, grey):
            whole = Glyph(0, 0, word.bbox[2], word.bbox[3])
            restored[i] = replace(word, text=as_superscript(word.text, crop(grey, word.bbox, whole), read_digits))
    return tuple(restored)


def unread_stem(letters: str, ink: WordGlyphs) -> str:
    """The word's letters before a raised mark Tesseract did not read as one: all of them when it left the mark
    out ("thể³." read as "thể."), all but the last when it read the mark as a letter ("thể⁴," read as "thết,"),
    told apart by counting the word's letter-sized glyphs (the mark is one of them)."""
    return letters[:-1] if sum(c.isalpha() for c in letters) >= len(ink.tall) else letters


def _opens_line_raised(words: tuple[OcrWord, ...], i: int, grey: np.ndarray) -> bool:
    """Whether word `i` is a lone number (or "!", "?") opening its line, raised above the word after it."""
    if not _LINE_START_RE.fullmatch(words[i].text) or (i and words[i - 1].line == words[i].line):
        return False
    return i + 1 < len(words) and words[i + 1].line == words[i].line and is_raised_before(grey, words[i], words[i + 1])


def as_superscript(read: str, image: np.ndarray, read_digits: DigitReader) -> str:
    """The footnote number Tesseract read as `read` (digits, "!" or "?"), in superscript digits."""
    if not _DIGITS_RE.fullmatch(read):
        again = read_digits(image)
        read = again if _DIGITS_RE.fullmatch(again) else FALLBACK[read]
    return read.translate(SUPERSCRIPT_DIGITS)


def crop(grey: np.ndarray, bbox: tuple[int, int, int, int], glyph: Glyph) -> np.ndarray:
    """The glyph of a word cut from the page with its blurred rim, in a white margin of half its height (so no
    neighbouring ink)."""
    rim, margin = max(2, glyph.height // 8), max(4, glyph.height // 2)
    x, y = max(bbox[0] + glyph.x - rim, 0), max(bbox[1] + glyph.y - rim, 0)
    ink = grey[y : y + glyph.height + 2 * rim, x : x + glyph.width + 2 * rim]
    return cv2.copyMakeBorder(ink, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)


def raised_last_glyph(ink: WordGlyphs, unread: bool = False) -> Glyph | None:
    """The word's last tall glyph (a trailing full stop or comma is too small to count) if it stands clear above
    the baseline of the letters before it, with nothing beneath it (the dot of "!" or "?"). When nothing in the
    text says a mark is there (`unread`), it must also follow three letters, be smaller than they are, and rise
    clearly above the x-height letters (so a letter of a broken, faded word is not taken for one)."""
    if len(ink.tall) < (4 if unread else 3):
        return None
    mark, letters = last_mark(ink)
    letter_height = median(g.height for g in letters)
    beneath = any(g.y >= mark.foot and g.x < mark.right and g.right > mark.x for g in ink.glyphs)
    baseline = ink.baseline(letters)
    raised = mark.foot < baseline - RAISED_SHARE * letter_height
    if unread:
        x_height = min(g.height for g in letters)
        small = mark.height <= SMALL_SHARE * max(g.height for g in letters)
        raised = raised and small and mark.y < baseline - (1 + RAISED_SHARE) * x_height
    return mark if raised and not beneath else None


def last_mark(ink: WordGlyphs) -> tuple[Glyph, tuple[Glyph, ...]]:
    """The word's last glyph that may be a footnote number, and the letters before it. A raised number is often
    too short to count as a letter in a word with ascenders, descenders and stacked marks ("phẩm⁹"): then it is
    the last raised blob right of the letters at least `MARK_SHARE` of the x-height tall."""
    x_height, baseline = ink.x_height, ink.baseline()
    raised = baseline - RAISED_SHARE * x_height
    short = [g for g in ink.trailing() if g.height >= MARK_SHARE * x_height and g.foot < raised]
    if short:
        return max(short, key=lambda g: g.right), ink.tall
    return ink.tall[-1], ink.tall[:-1]


def is_raised_before(grey: np.ndarray, mark: OcrWord, following: OcrWord) -> bool:
    """Whether a line-opening mark stands above the baseline of the word after it."""
    ink = word_glyphs(grey, following.bbox, min_letters=1)
    if ink is None:
        return False
    baseline = following.bbox[1] + ink.baseline()
    letter_height = median(g.height for g in ink.tall)
    big_enough = mark.bbox[3] >= MARK_SHARE * letter_height
    return big_enough and mark.bbox[1] + mark.bbox[3] < baseline - RAISED_SHARE * letter_height
