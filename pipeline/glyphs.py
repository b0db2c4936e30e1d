"""The ink inside a word's box on the page: evidence for the few marks Tesseract misreads (footnote numbers,
";" read as ":", "," read as ".")."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import cv2
import numpy as np

TALL_SHARE = 0.4  # a glyph at least this share of the word's height is a letter (or a footnote number), not a dot
X_HEIGHT_SPREAD = 1.15  # letters at most this many times the shortest one's height are x-height letters


@dataclass(frozen=True)
class Glyph:
    """One connected blob of ink, in pixels within the word's box."""

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def foot(self) -> int:
        return self.y + self.height


@dataclass(frozen=True)
class WordGlyphs:
    """The blobs of ink in a word's box; `tall` are its letters, left to right by their right edges."""

    height: int
    glyphs: tuple[Glyph, ...]
    tall: tuple[Glyph, ...]

    @property
    def x_height(self) -> int:
        """The height of the shortest letter."""
        return min(g.height for g in self.tall)

    def trailing(self) -> tuple[Glyph, ...]:
        """The blobs wholly right of the last letter (trailing punctuation), top to bottom."""
        edge = self.tall[-1].right
        return tuple(sorted((g for g in self.glyphs if g.x >= edge - 1), key=lambda g: g.y))

    def baseline(self, letters: tuple[Glyph, ...] | None = None) -> float:
        """The line the letters stand on: the feet of the shortest letters (x-height letters such as o, m, n; the
        others rise above them or hang below the line)."""
        letters = self.tall if letters is None else letters
        shortest = min(g.height for g in letters)
        return median(g.foot for g in letters if g.height <= X_HEIGHT_SPREAD * shortest)


def word_glyphs(grey: np.ndarray, bbox: tuple[int, int, int, int], min_letters: int = 2) -> WordGlyphs | None:
    """The ink blobs of the word boxed by `bbox` (left, top, width, height) on the page; None when the box is too
    small or holds fewer than `min_letters` letters."""
    left, top, width, height = bbox
    crop = grey[max(top, 0) : top + height, max(left, 0) : left + width]
    if crop.size == 0 or len(crop) < 8:
        return None
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    glyphs = tuple(Glyph(*(int(v) for v in row[:4])) for row in stats[1:])
    tall = tuple(sorted((g for g in glyphs if g.height >= TALL_SHARE * len(crop)), key=lambda g: g.right))
    if len(tall) < min_letters:
        return None
    return WordGlyphs(len(crop), glyphs, tall)
