"""Punctuation that speckle and small type make Tesseract misread, put right from the page or the text.

- A word's last "." or ":" is checked on the page: Tesseract often reads "uống;" as "uống:" and "phần," as
  "phần.". A comma or semicolon hangs below the baseline, and its lower blob is taller than wide (or than the dot
  above it); when the page shows such a tail, the mark gets it. Never the other way: ink fades, so a tail missing
  from the page proves nothing.
- A word's last ":" or ";" whose upper blob stands wholly above the x-height letters is a speck over a full stop
  or comma ("nạn," read as "nạn;"): a colon's or semicolon's dot sits within the x-height.
- A speck between two syllables or at a word's edge is read as a point or an apostrophe ("Cơ.sở", ",sản",
  "về'"): a point between two syllables (one of them marked, the second lower-case) becomes a space, a point or
  comma before a lower-case word is dropped; a straight apostrophe (Vietnamese quotes with “ ” and ‘ ’) between
  two such syllables or after a mark becomes a space, and at a word's edge it is dropped ("People's" stays).
- A comma or semicolon between two letters gets back the space Tesseract lost after it ("Tháp,ngày"): prose
  never glues them (about 1 in 2,000 in the corpus), numbers keep theirs ("0,75").
- Specks beside a mark add marks: a run of two or three marks with a comma ending a word is the comma ("dẫn.,.",
  "BCT,;"), a doubled point inside a word is one ("40.1.TL..2"), and a lone point or comma before a lower-case
  word, on its line or the next, is dropped ("phân . hạng"). In the corpus, fewer than 1 in 10,000 word endings
  are such runs.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from diacritics.syllables import has_marks, is_valid_syllable
from pipeline._exec.tesseract import OcrWord
from pipeline.glyphs import Glyph, WordGlyphs, word_glyphs

_END_MARK_RE = re.compile(r"(.*[^\W\d_])([.:;])")
_WITH_TAIL = {".": ",", ":": ";"}
_WITHOUT_DOT = {":": ".", ";": ","}
_JOINED_RE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)([.']+)([^\W\d_]+)(?![^\W\d_])")
_LEADING_POINT_RE = re.compile(r"^[.,](?=[^\W\d_])")
_APOSTROPHE_AFTER_MARK_RE = re.compile(r"(?<=[.,;:])'+(?=[^\W\d_])")
_EDGE_APOSTROPHE_RE = re.compile(r"^'+(?=[^\W\d_])|(?<=[^\W\d_])'+(?=[)\]”.,;:]*$)")
_GLUED_COMMA_RE = re.compile(r"(?<=[^\W\d_])([,;])(?=[^\W\d_])")
_MARK_RUN_RE = re.compile(r"(?<=[^\W_])[.,;:]{2,3}$")
_DOUBLED_POINT_RE = re.compile(r"(?<=[^\W_])\.\.(?=[^\W_])")
_LONE_POINTS = frozenset({".", ","})
MIN_DOT_SHARE = 0.08  # a mark's blob shorter than this share of the word's height is dust, not evidence
HANGING = 0.07  # a blob whose foot is this share of the word's height below the baseline hangs (, ;)
TAIL_ELONGATION = 1.4  # a comma's height over its width is at least this (a full stop's is about 1)
TAIL_RATIO = 1.5  # a semicolon's lower blob is at least this many times as tall as its dot (a colon's: about 1)
WIDE_SHARE = 0.6  # a blob at least this share of the x-height wide is (part of) a letter, not punctuation


def fix_punctuation(words: tuple[OcrWord, ...], grey: np.ndarray) -> tuple[OcrWord, ...]:
    """The words with their end marks checked on the page and stray points and apostrophes removed."""
    kept = (w for w, after in zip(words, (*words[1:], None), strict=True) if not is_lone_point(w, after))
    return tuple(_fixed(word, grey) for word in kept)


def is_lone_point(word: OcrWord, after: OcrWord | None) -> bool:
    """Whether a word is only a point or comma, before a lower-case word (a speck; on the next line too)."""
    return word.text in _LONE_POINTS and after is not None and after.text[:1].islower()


def _fixed(word: OcrWord, grey: np.ndarray) -> OcrWord:
    text = drop_stray_marks(word.text)
    match = _END_MARK_RE.fullmatch(text)
    if match:
        ink = word_glyphs(grey, word.bbox)
        if ink:
            text = match[1] + read_end_mark(ink, match[2])
    return word if text == word.text else replace(word, text=text)


def read_end_mark(ink: WordGlyphs, read: str) -> str:
    """The word's last mark, `read` by Tesseract as ".", ":" or ";", as the page shows it (see the module docstring)."""
    marks = end_marks(ink)
    if read in _WITHOUT_DOT and len(marks) == 2 and marks[0].foot < ink.baseline() - ink.x_height:
        read, marks = _WITHOUT_DOT[read], marks[1:]
    return _WITH_TAIL[read] if read in _WITH_TAIL and has_tail(ink, marks) else read


def end_marks(ink: WordGlyphs) -> tuple[Glyph, ...]:
    """The blobs of the word's trailing punctuation, top to bottom: right of its letters (pieces of a letter broken
    on a faded copy are wide, so they count as letters) and not dust."""
    trailing = ink.trailing()
    edge = max((g.right for g in trailing if g.width >= WIDE_SHARE * ink.x_height), default=0)
    return tuple(g for g in trailing if g.x >= edge - 1 and g.height >= MIN_DOT_SHARE * ink.height)


def drop_stray_marks(text: str) -> str:
    """The word without the points and apostrophes that specks put into it, and with the space after a comma
    that Tesseract lost (see the module docstring)."""
    text = _GLUED_COMMA_RE.sub(r"\1 ", _DOUBLED_POINT_RE.sub(".", text))
    text = _MARK_RUN_RE.sub(lambda m: "," if "," in m[0] else m[0], text)
    text = _EDGE_APOSTROPHE_RE.sub("", _APOSTROPHE_AFTER_MARK_RE.sub(" ", text))
    text = _LEADING_POINT_RE.sub("", text) if text[1:2].islower() else text
    return _JOINED_RE.sub(lambda m: f"{m[1]} {m[3]}" if _are_split_syllables(m[1], m[2], m[3]) else m[0], text)


def _are_split_syllables(first: str, joint: str, second: str) -> bool:
    """Whether two syllables (one marked) are joined by a speck: an apostrophe, or a point before a lower-case
    letter (before a capital it may end a sentence: "này.Điều")."""
    return (
        (second[0].islower() or "." not in joint)
        and (has_marks(first) or has_marks(second))
        and is_valid_syllable(first.lower())
        and is_valid_syllable(second.lower())
    )


def has_tail(ink: WordGlyphs, marks: tuple[Glyph, ...]) -> bool:
    """Whether the word's trailing mark (`marks`, its blobs) is a comma or semicolon on the page: its (lower) blob
    hangs below the baseline and is taller than wide, or, under a dot, taller than the dot."""
    if not marks or len(marks) > 2:
        return False
    lower = marks[-1]
    if (lower.foot - ink.baseline()) / ink.height < HANGING:
        return False
    if len(marks) == 1:
        return lower.height >= TAIL_ELONGATION * lower.width
    dot = marks[0]
    stacked = dot.foot <= lower.y and dot.x < lower.right and lower.x < dot.right
    return stacked and lower.height >= TAIL_RATIO * dot.height
